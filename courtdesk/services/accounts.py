"""Accounts: signing in, passwords, lockout, and the administrator's account management.

``sign_in(path, username, password)`` is how a person gets a Workspace; the
GUI's sign-in dialog and the CLI's ``--user`` both come here.
``workspace.open_workspace(path, username)`` stays for tests and internal callers
that have already established who is acting.

Rules (issue: accounts and roles):
- passwords are stored only as a scrypt hash (``domain.passwords``);
- five wrong tries in a row lock the account for ``accounts.lockout_minutes``
  (a setting, default 15); a good sign-in or an administrator's reset clears the count;
- an administrator's reset sets a temporary password that must be changed at the
  next sign-in (``PasswordChangeRequired`` until ``new_password`` is given);
- a new database has an administrator without a password: the first sign-in
  chooses it (``set_up_administrator``);
- demo databases (setting ``demo`` = 1) give every demo account ``DEMO_PASSWORD``,
  which the sign-in dialog shows for demo databases only.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from courtdesk.domain.passwords import (
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
    waste_time_like_a_check,
)
from courtdesk.domain.text import clean_text, has_control_characters
from courtdesk.errors import (
    CourtdeskError,
    FieldProblem,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from courtdesk.services import audit, settings
from courtdesk.services.permissions import Permission, require
from courtdesk.services.workspace import (
    ROLE_LABELS,
    SYSTEM,
    Actor,
    Workspace,
    load_actor,
    open_workspace,
)
from courtdesk.store import accounts as account_store
from courtdesk.store import cases as case_store
from courtdesk.store import court
from courtdesk.store.audit import now_iso
from courtdesk.store.location import network_location
from courtdesk.store.records import update_versioned

LOCK_AFTER_FAILURES = 5
DEMO_PASSWORD = "demo1234"
DEMO_SETTING = "demo"
ADMIN_ROLE = "admin"
_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")
MAX_DISPLAY_NAME = 20

LOCKOUT_MINUTES = settings.declare(
    settings.Setting(
        "accounts.lockout_minutes",
        "连续 5 次密码错误后锁定账户的分钟数",
        "15",
        "int",
        help="锁定期满后可再次登录；系统管理员也可随时解锁。",
        check=settings.int_range(1, 1440),
        group="账户与安全",
    )
)
MIN_PASSWORD_LENGTH = settings.declare(
    settings.Setting(
        "accounts.min_password_length",
        "密码最短长度",
        "8",
        "int",
        check=settings.int_range(8, 64),
        group="账户与安全",
    )
)


class SignInError(CourtdeskError):
    """The sign-in was refused: wrong name or password, locked or disabled account."""


class PasswordChangeRequired(CourtdeskError):
    """The password was right but was set by an administrator: choose a new one first."""


class AdministratorSetupRequired(CourtdeskError):
    """No administrator has a password yet (a new database): the first sign-in sets one."""


@dataclass(frozen=True)
class SignInInfo:
    """What the sign-in dialog shows before anyone signs in."""

    path: Path
    court_name: str
    court_code: str
    is_demo: bool
    demo_password: str | None
    needs_administrator: bool
    administrator_username: str
    network_warning: str | None
    # Demo databases only: one account per role to try, as (role label, username, name).
    demo_accounts: tuple[tuple[str, str, str], ...] = ()


def _now() -> datetime:
    return datetime.now().astimezone()


def _minutes(ws: Workspace) -> int:
    return settings.get_int(ws, LOCKOUT_MINUTES.key)


def _min_length(ws: Workspace) -> int:
    return settings.get_int(ws, MIN_PASSWORD_LENGTH.key)


def _needs_administrator(conn: sqlite3.Connection) -> bool:
    return not account_store.has_active_password(conn, ADMIN_ROLE)


def sign_in_info(path: str | os.PathLike[str]) -> SignInInfo:
    """Open (and migrate) the database and tell the sign-in dialog what to show."""
    probe = open_workspace(path)
    try:
        conn = probe.db.connection
        is_demo = court.get_setting(conn, DEMO_SETTING) == "1"
        admins = court.users_with_role(conn, ADMIN_ROLE)
        return SignInInfo(
            path=probe.path,
            court_name=probe.court_name,
            court_code=probe.court_code,
            is_demo=is_demo,
            demo_password=DEMO_PASSWORD if is_demo else None,
            needs_administrator=_needs_administrator(conn),
            administrator_username=str(admins[0]["username"]) if admins else "admin",
            network_warning=network_location(probe.path),
            demo_accounts=_demo_accounts(conn) if is_demo else (),
        )
    finally:
        probe.close()


def _demo_accounts(conn: sqlite3.Connection) -> tuple[tuple[str, str, str], ...]:
    found = []
    for role, role_label in ROLE_LABELS.items():
        people = court.users_with_role(conn, role)
        # Someone with just this role shows it best (the president is a judge too).
        only = [p for p in people if court.roles_of(conn, int(p["id"])) == [role]]
        for person in (only or people)[:1]:
            found.append((role_label, str(person["username"]), str(person["display_name"])))
    return tuple(found)


def _locked_message(username: str, until: datetime) -> str:
    return (
        f"账户「{username}」因连续 {LOCK_AFTER_FAILURES} 次密码错误已被锁定，"
        f"请于 {until:%H:%M} 后再试，或请系统管理员解锁"
    )


def _locked_until(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def sign_in(
    path: str | os.PathLike[str],
    username: str,
    password: str,
    new_password: str | None = None,
) -> Workspace:
    """Check the password and return the workspace of ``username``.

    Raises SignInError (wrong name or password, locked, disabled),
    AdministratorSetupRequired (a new database: choose the administrator's
    password with ``set_up_administrator``) or PasswordChangeRequired (the
    password was reset by an administrator: call again with ``new_password``).
    """
    probe = open_workspace(path)
    try:
        _check_credentials(probe, username.strip(), password, new_password)
    except BaseException:
        probe.close()
        raise
    probe.close()
    return open_workspace(path, username.strip())


def _check_credentials(
    probe: Workspace, username: str, password: str, new_password: str | None
) -> None:
    conn = probe.db.connection
    # A name no account can have (control characters, undecodable bytes) is simply unknown.
    known = bool(username) and not has_control_characters(username)
    row = court.user_by_username(conn, username) if known else None
    stored = account_store.credential(conn, int(row["id"])) if row is not None else None
    if (
        row is not None
        and stored is None
        and ADMIN_ROLE in court.roles_of(conn, int(row["id"]))
        and _needs_administrator(conn)
    ):
        raise AdministratorSetupRequired(
            f"这是新的数据库，系统管理员「{username}」尚未设置密码：请先设置管理员密码"
        )
    if row is None or stored is None:
        waste_time_like_a_check(password)
        raise SignInError(f"用户名「{username}」或密码不正确")
    user_id = int(row["id"])
    now = _now()
    until = _locked_until(stored.locked_until)
    if until is not None and until > now:
        raise SignInError(_locked_message(username, until))
    if not verify_password(password, stored.password_hash):
        _count_failure(probe, user_id, username)
    if not row["active"]:
        raise SignInError(f"账户「{username}」已停用，请联系系统管理员")
    with probe.db.transaction() as tx:
        if stored.must_change:
            if new_password is None:
                raise PasswordChangeRequired(
                    f"账户「{username}」的密码由系统管理员重置，须先设置新密码才能登录"
                )
            _check_new_password(probe, username, new_password, old=password)
            account_store.set_password(tx, user_id, hash_password(new_password), False, now_iso())
            audit.record(
                tx, _actor_of(probe, username), "user.password_change", "users", user_id, {}
            )
        elif needs_rehash(stored.password_hash):
            account_store.set_password(tx, user_id, hash_password(password), False, now_iso())
        account_store.record_success(tx, user_id, now_iso())


def _count_failure(probe: Workspace, user_id: int, username: str) -> None:
    """One more wrong try, committed before the refusal is raised; the fifth locks."""
    minutes = _minutes(probe)
    with probe.db.transaction() as tx:
        current = account_store.credential(tx, user_id)
        attempts = (current.failed_attempts if current else 0) + 1
        until = _now() + timedelta(minutes=minutes) if attempts >= LOCK_AFTER_FAILURES else None
        account_store.record_failure(
            tx, user_id, until.isoformat(timespec="seconds") if until else None
        )
        audit.record(
            tx,
            SYSTEM,
            "user.lock" if until else "user.sign_in_failed",
            "users",
            user_id,
            {"failed_attempts": [attempts - 1, attempts]},
        )
    if until is not None:
        raise SignInError(_locked_message(username, until))
    left = LOCK_AFTER_FAILURES - attempts
    raise SignInError(
        f"用户名「{username}」或密码不正确（再错 {left} 次账户将被锁定 {minutes} 分钟）"
    )


def _actor_of(ws: Workspace, username: str) -> Actor:
    return load_actor(ws, username)


def _check_new_password(ws: Workspace, username: str, new: str, old: str | None = None) -> None:
    problems = password_problems(new, username, _min_length(ws))
    if old is not None and new == old:
        problems.append("新密码不能与原密码相同")
    if problems:
        raise ValidationError([FieldProblem("new_password", "；".join(problems))])


def set_up_administrator(path: str | os.PathLike[str], password: str) -> Workspace:
    """The first sign-in of a new database: choose the administrator's password.

    Refused once any administrator has a password, so this cannot be used to take
    over a database that is already in use.
    """
    probe = open_workspace(path)
    try:
        conn = probe.db.connection
        admins = court.users_with_role(conn, ADMIN_ROLE)
        if not admins:
            raise CourtdeskError("数据库中没有系统管理员账户")
        username = str(admins[0]["username"])
        _check_new_password(probe, username, password)
        with probe.db.transaction() as tx:
            if not _needs_administrator(tx):
                raise PermissionDeniedError("系统管理员已设置密码，请用该密码登录")
            user_id = int(admins[0]["id"])
            account_store.set_password(tx, user_id, hash_password(password), False, now_iso())
            account_store.record_success(tx, user_id, now_iso())
            audit.record(tx, load_actor(probe, username), "user.password_set", "users", user_id, {})
    finally:
        probe.close()
    return open_workspace(path, username)


def set_initial_password(conn: sqlite3.Connection, user_id: int, password: str) -> None:
    """The administrator's password chosen at ``courtdesk init`` (inside its transaction)."""
    problems = password_problems(password, "admin", int(MIN_PASSWORD_LENGTH.default))
    if problems:
        raise ValidationError(
            [FieldProblem("admin_password", "管理员密码：" + "；".join(problems))]
        )
    account_store.set_password(conn, user_id, hash_password(password), False, now_iso())


def give_demo_passwords(conn: sqlite3.Connection, user_ids: Iterable[int]) -> None:
    """Mark the database as a demo and let the demo accounts sign in with DEMO_PASSWORD.

    One hash serves every demo account: the password is published on the sign-in
    dialog anyway, and forty scrypt runs would slow the first start for nothing.
    """
    court.put_setting(conn, DEMO_SETTING, "1")
    account_store.set_passwords(conn, user_ids, hash_password(DEMO_PASSWORD), now_iso())


# ------------------------------------------------------------------ the user's own
def change_password(ws: Workspace, old: str, new: str) -> None:
    """The signed-in user changes their own password (the old one must be right)."""
    user_id = ws.actor.user_id
    if user_id is None:
        raise CourtdeskError("系统身份没有密码")
    conn = ws.db.connection
    stored = account_store.credential(conn, user_id)
    if stored is None or not verify_password(old, stored.password_hash):
        raise ValidationError([FieldProblem("old_password", "原密码不正确")])
    _check_new_password(ws, ws.actor.username, new, old=old)
    with ws.db.transaction() as tx:
        account_store.set_password(tx, user_id, hash_password(new), False, now_iso())
        audit.record(tx, ws.actor, "user.password_change", "users", user_id, {})


# ------------------------------------------------------------------ administration
@dataclass(frozen=True)
class Account:
    """One account as the accounts dialog lists it."""

    id: int
    username: str
    display_name: str
    division_id: int | None
    division: str
    active: bool
    version: int
    roles: tuple[str, ...]
    has_password: bool
    must_change: bool
    failed_attempts: int
    locked_until: str | None
    last_sign_in_at: str | None

    @property
    def roles_label(self) -> str:
        return "、".join(ROLE_LABELS.get(r, r) for r in self.roles)

    @property
    def is_locked(self) -> bool:
        until = _locked_until(self.locked_until)
        return until is not None and until > _now()

    @property
    def state_label(self) -> str:
        if not self.active:
            return "已停用"
        if self.is_locked:
            return "已锁定"
        if not self.has_password:
            return "未设置密码"
        if self.must_change:
            return "须修改密码"
        return "正常"


def list_accounts(ws: Workspace) -> list[Account]:
    require(ws.actor, Permission.MANAGE_ACCOUNTS)
    return [Account(**vars(row)) for row in account_store.accounts(ws.db.connection)]


@dataclass(frozen=True)
class AccountDraft:
    username: str
    display_name: str
    division_id: int | None
    roles: tuple[str, ...]
    active: bool = True


def _validate_account(
    conn: sqlite3.Connection, draft: AccountDraft, user_id: int | None
) -> AccountDraft:
    problems: list[FieldProblem] = []
    username = draft.username.strip().lower()
    if not _USERNAME.match(username):
        problems.append(
            FieldProblem(
                "username",
                f"用户名「{draft.username}」应为 2 到 32 个小写字母、数字或 . _ -，且以字母开头",
            )
        )
    else:
        other = court.user_by_username(conn, username)
        if other is not None and int(other["id"]) != user_id:
            problems.append(
                FieldProblem("username", f"用户名「{username}」已被 {other['display_name']} 使用")
            )
    name = clean_text(draft.display_name)
    if not name:
        problems.append(FieldProblem("display_name", "姓名不能为空"))
    elif len(name) > MAX_DISPLAY_NAME or has_control_characters(name):
        problems.append(
            FieldProblem("display_name", f"姓名「{name}」不合理（最多 {MAX_DISPLAY_NAME} 个字）")
        )
    roles = tuple(sorted(set(draft.roles)))
    unknown = [r for r in roles if r not in ROLE_LABELS]
    if not roles:
        problems.append(FieldProblem("roles", "请至少选择一个角色"))
    elif unknown:
        problems.append(FieldProblem("roles", f"未知的角色：{'、'.join(unknown)}"))
    if draft.division_id is not None and draft.division_id not in {
        int(d["id"]) for d in court.divisions(conn)
    }:
        problems.append(FieldProblem("division_id", "所选庭室不存在"))
    if problems:
        raise ValidationError(problems)
    return AccountDraft(username, name, draft.division_id, roles, draft.active)


def create_account(ws: Workspace, draft: AccountDraft, temporary_password: str) -> int:
    """A new account with a temporary password the user must change at first sign-in."""
    require(ws.actor, Permission.MANAGE_ACCOUNTS)
    conn = ws.db.connection
    clean = _validate_account(conn, draft, None)
    _check_new_password(ws, clean.username, temporary_password)
    with ws.db.transaction() as tx:
        clean = _validate_account(tx, draft, None)
        user_id = court.insert_user(
            tx, clean.username, clean.display_name, clean.division_id, clean.roles, now_iso()
        )
        if not clean.active:
            account_store.set_active(tx, user_id, False)
        account_store.set_password(tx, user_id, hash_password(temporary_password), True, now_iso())
        audit.record(
            tx,
            ws.actor,
            "user.create",
            "users",
            user_id,
            audit.created(
                {
                    "username": clean.username,
                    "display_name": clean.display_name,
                    "division_id": clean.division_id,
                    "roles": list(clean.roles),
                    "active": clean.active,
                }
            ),
        )
    return user_id


def update_account(ws: Workspace, user_id: int, expected_version: int, draft: AccountDraft) -> None:
    """Change an account's name, 庭室, roles or whether it may sign in.

    The last active administrator cannot be disabled or lose the role (nobody could
    manage accounts any more). A judge's new name follows onto their cases.
    """
    require(ws.actor, Permission.MANAGE_ACCOUNTS)
    with ws.db.transaction() as tx:
        row = court.user_by_id(tx, user_id)
        if row is None:
            raise NotFoundError(f"编号为 {user_id} 的账户不存在")
        clean = _validate_account(tx, draft, user_id)
        old_roles = tuple(court.roles_of(tx, user_id))
        still_admin = ADMIN_ROLE in clean.roles and clean.active
        if (
            ADMIN_ROLE in old_roles
            and row["active"]
            and not still_admin
            and account_store.count_active_with_role(tx, ADMIN_ROLE) <= 1
        ):
            raise ValidationError(
                [FieldProblem("roles", "不能停用或撤销最后一名系统管理员：请先指定另一名管理员")]
            )
        changed: dict[str, list[object]] = {
            k: [old, new]
            for k, (old, new) in update_versioned(
                tx,
                "users",
                user_id,
                expected_version,
                {
                    "username": clean.username,
                    "display_name": clean.display_name,
                    "division_id": clean.division_id,
                    "active": int(clean.active),
                },
                f"账户「{row['username']}」",
            ).items()
        }
        if tuple(sorted(old_roles)) != clean.roles:
            account_store.set_roles(tx, user_id, clean.roles)
            changed["roles"] = [list(old_roles), list(clean.roles)]
            if not changed.keys() - {"roles"}:
                account_store.bump_version(tx, user_id)
        if "display_name" in changed:
            case_store.rename_judge(tx, user_id, clean.display_name, now_iso())
        if changed:
            audit.record(tx, ws.actor, "user.update", "users", user_id, changed)


def reset_password(ws: Workspace, user_id: int, temporary_password: str) -> None:
    """Set a temporary password (and unlock); the user must change it at the next sign-in."""
    require(ws.actor, Permission.MANAGE_ACCOUNTS)
    conn = ws.db.connection
    row = court.user_by_id(conn, user_id)
    if row is None:
        raise NotFoundError(f"编号为 {user_id} 的账户不存在")
    _check_new_password(ws, str(row["username"]), temporary_password)
    with ws.db.transaction() as tx:
        account_store.set_password(tx, user_id, hash_password(temporary_password), True, now_iso())
        audit.record(tx, ws.actor, "user.password_reset", "users", user_id, {})


def unlock_account(ws: Workspace, user_id: int) -> None:
    require(ws.actor, Permission.MANAGE_ACCOUNTS)
    with ws.db.transaction() as tx:
        stored = account_store.credential(tx, user_id)
        if stored is None:
            raise NotFoundError(f"编号为 {user_id} 的账户没有密码，无需解锁")
        account_store.unlock(tx, user_id)
        audit.record(
            tx,
            ws.actor,
            "user.unlock",
            "users",
            user_id,
            {"failed_attempts": [stored.failed_attempts, 0]},
        )


def role_choices() -> list[tuple[str, str]]:
    """(code, label) of every role, for the accounts dialog."""
    return list(ROLE_LABELS.items())
