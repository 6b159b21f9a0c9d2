"""Signing in, lockout, resets, first-run administrator, account management."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from courtdesk.domain.parties import PartyDraft
from courtdesk.errors import PermissionDeniedError, StaleRecordError, ValidationError
from courtdesk.services import accounts, cases
from courtdesk.services.accounts import (
    DEMO_PASSWORD,
    AccountDraft,
    AdministratorSetupRequired,
    PasswordChangeRequired,
    SignInError,
)
from courtdesk.services.cases import CaseDraft
from courtdesk.services.workspace import Workspace


def user_with_role(path: Path, role: str) -> str:
    with sqlite3.connect(path) as conn:
        return str(
            conn.execute(
                "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
                " WHERE r.role = ? ORDER BY u.id LIMIT 1",
                (role,),
            ).fetchone()[0]
        )


def credential(path: Path, username: str) -> sqlite3.Row:
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        row: sqlite3.Row = conn.execute(
            "SELECT c.* FROM credentials c JOIN users u ON u.id = c.user_id WHERE u.username = ?",
            (username,),
        ).fetchone()
        return row


def test_only_a_hash_is_stored_and_the_right_password_signs_in(demo_path: Path) -> None:
    judge = user_with_role(demo_path, "judge")
    ws = accounts.sign_in(demo_path, judge, DEMO_PASSWORD)
    try:
        assert ws.actor.username == judge and "judge" in ws.actor.roles
    finally:
        ws.close()
    raw = demo_path.read_bytes()
    assert DEMO_PASSWORD.encode() not in raw
    assert credential(demo_path, judge)["password_hash"].startswith("scrypt$")
    assert credential(demo_path, judge)["last_sign_in_at"] is not None


def test_wrong_name_and_wrong_password_are_refused_alike(demo_path: Path) -> None:
    with pytest.raises(SignInError, match="或密码不正确"):
        accounts.sign_in(demo_path, "nobody", DEMO_PASSWORD)
    with pytest.raises(
        SignInError, match=r"用户名「admin」或密码不正确（再错 4 次账户将被锁定 15 分钟）"
    ):
        accounts.sign_in(demo_path, "admin", "wrong-password")


def test_five_wrong_tries_lock_the_account_until_the_time_passes(demo_path: Path) -> None:
    judge = user_with_role(demo_path, "judge")
    for left in (4, 3, 2, 1):
        with pytest.raises(SignInError, match=f"再错 {left} 次"):
            accounts.sign_in(demo_path, judge, "not-it")
    with pytest.raises(SignInError, match="连续 5 次密码错误已被锁定"):
        accounts.sign_in(demo_path, judge, "not-it")
    # Locked: even the right password is refused, and the tries are not counted further.
    with pytest.raises(SignInError, match="已被锁定"):
        accounts.sign_in(demo_path, judge, DEMO_PASSWORD)
    assert credential(demo_path, judge)["failed_attempts"] == 5
    with sqlite3.connect(demo_path) as conn:
        actions = [
            r[0]
            for r in conn.execute(
                "SELECT action FROM audit_log WHERE action LIKE 'user.%' ORDER BY id"
            )
        ]
        assert actions[-5:] == ["user.sign_in_failed"] * 4 + ["user.lock"]
        # The lock runs out (simulated: its end moved into the past).
        conn.execute(
            "UPDATE credentials SET locked_until = '2000-01-01T00:00:00+08:00'"
            " WHERE user_id = (SELECT id FROM users WHERE username = ?)",
            (judge,),
        )
    accounts.sign_in(demo_path, judge, DEMO_PASSWORD).close()
    assert credential(demo_path, judge)["failed_attempts"] == 0


def test_lockout_minutes_are_a_setting(system_ws: Workspace, demo_path: Path) -> None:
    from courtdesk.services import settings

    settings.put(system_ws, "accounts.lockout_minutes", "60")
    with pytest.raises(SignInError, match="锁定 60 分钟"):
        accounts.sign_in(demo_path, "admin", "nope-nope")


def test_an_administrator_resets_a_password_and_the_user_must_change_it(
    demo_path: Path,
) -> None:
    clerk = user_with_role(demo_path, "clerk")
    admin = accounts.sign_in(demo_path, "admin", DEMO_PASSWORD)
    clerk_id = next(a.id for a in accounts.list_accounts(admin) if a.username == clerk)
    for _ in range(5):
        with pytest.raises(SignInError):
            accounts.sign_in(demo_path, clerk, "forgotten")
    accounts.reset_password(admin, clerk_id, "temporary-123")
    admin.close()
    with pytest.raises(SignInError):
        accounts.sign_in(demo_path, clerk, DEMO_PASSWORD)  # the old password is gone
    with pytest.raises(PasswordChangeRequired, match="须先设置新密码"):
        accounts.sign_in(demo_path, clerk, "temporary-123")
    with pytest.raises(ValidationError, match="新密码不能与原密码相同"):
        accounts.sign_in(demo_path, clerk, "temporary-123", new_password="temporary-123")
    with pytest.raises(ValidationError, match="至少需要 8 个字符"):
        accounts.sign_in(demo_path, clerk, "temporary-123", new_password="short")
    accounts.sign_in(demo_path, clerk, "temporary-123", new_password="only-i-know-1").close()
    accounts.sign_in(demo_path, clerk, "only-i-know-1").close()
    with sqlite3.connect(demo_path) as conn:
        assert [
            r[0]
            for r in conn.execute(
                "SELECT action FROM audit_log WHERE action IN ('user.password_reset',"
                " 'user.password_change') ORDER BY id"
            )
        ] == ["user.password_reset", "user.password_change"]


def test_a_new_database_asks_for_the_administrators_password_once(empty_path: Path) -> None:
    info = accounts.sign_in_info(empty_path)
    assert info.needs_administrator and info.administrator_username == "admin"
    assert not info.is_demo and info.demo_password is None
    with pytest.raises(AdministratorSetupRequired):
        accounts.sign_in(empty_path, "admin", "")
    with pytest.raises(ValidationError, match="至少需要 8 个字符"):
        accounts.set_up_administrator(empty_path, "admin")
    ws = accounts.set_up_administrator(empty_path, "court-admin-2026")
    assert ws.actor.username == "admin"
    ws.close()
    assert not accounts.sign_in_info(empty_path).needs_administrator
    # Nobody can use the first-run path again to take the database over.
    with pytest.raises(PermissionDeniedError, match="已设置密码"):
        accounts.set_up_administrator(empty_path, "takeover-password")
    accounts.sign_in(empty_path, "admin", "court-admin-2026").close()


def test_demo_databases_say_so_and_list_accounts_to_try(demo_path: Path) -> None:
    info = accounts.sign_in_info(demo_path)
    assert info.is_demo and info.demo_password == DEMO_PASSWORD
    roles = {role for role, _, _ in info.demo_accounts}
    assert {"系统管理员", "立案", "法官", "书记员", "送达", "庭长", "院长", "只读"} <= roles
    for _, username, _ in info.demo_accounts:
        accounts.sign_in(demo_path, username, DEMO_PASSWORD).close()


def test_accounts_are_created_changed_and_the_last_administrator_is_kept(
    demo_path: Path,
) -> None:
    admin = accounts.sign_in(demo_path, "admin", DEMO_PASSWORD)
    try:
        new_id = accounts.create_account(
            admin,
            AccountDraft("wangfang", "王芳", None, ("clerk",)),
            "first-pass-1",
        )
        with pytest.raises(ValidationError) as refused:
            accounts.create_account(admin, AccountDraft("Wang Fang!", "", None, ()), "first-pass-1")
        fields = {p.field for p in refused.value.problems}
        assert fields == {"username", "display_name", "roles"}
        with pytest.raises(ValidationError, match="已被 王芳 使用"):
            accounts.create_account(
                admin, AccountDraft("wangfang", "王芳二", None, ("clerk",)), "x" * 9
            )
        created = next(a for a in accounts.list_accounts(admin) if a.id == new_id)
        assert created.state_label == "须修改密码" and created.roles == ("clerk",)
        accounts.update_account(
            admin,
            new_id,
            created.version,
            AccountDraft("wangfang", "王芳", None, ("clerk", "service")),
        )
        with pytest.raises(StaleRecordError):
            accounts.update_account(
                admin, new_id, created.version, AccountDraft("wangfang", "王芳", None, ("clerk",))
            )
        me = next(a for a in accounts.list_accounts(admin) if a.username == "admin")
        with pytest.raises(ValidationError, match="最后一名系统管理员"):
            accounts.update_account(
                admin,
                me.id,
                me.version,
                AccountDraft("admin", me.display_name, None, ("readonly",)),
            )
    finally:
        admin.close()
    with pytest.raises(PasswordChangeRequired):
        accounts.sign_in(demo_path, "wangfang", "first-pass-1")


def test_only_the_administrator_manages_accounts(registrar: Workspace) -> None:
    with pytest.raises(PermissionDeniedError, match="管理用户账户"):
        accounts.list_accounts(registrar)
    with pytest.raises(PermissionDeniedError):
        accounts.reset_password(registrar, 1, "something-long")


def test_a_disabled_account_cannot_sign_in_nor_save_from_an_open_session(
    demo_path: Path,
) -> None:
    registrar_name = user_with_role(demo_path, "registrar")
    session = accounts.sign_in(demo_path, registrar_name, DEMO_PASSWORD)
    admin = accounts.sign_in(demo_path, "admin", DEMO_PASSWORD)
    try:
        me = next(a for a in accounts.list_accounts(admin) if a.username == registrar_name)
        accounts.update_account(
            admin,
            me.id,
            me.version,
            AccountDraft(me.username, me.display_name, me.division_id, me.roles, active=False),
        )
        with pytest.raises(SignInError, match="已停用"):
            accounts.sign_in(demo_path, registrar_name, DEMO_PASSWORD)
        before = session.db.query_one("SELECT count(*) FROM cases")[0]  # type: ignore[index]
        with pytest.raises(PermissionDeniedError, match="已被系统管理员停用，本次修改未保存"):
            cases.register_case(
                session,
                CaseDraft(
                    "民初",
                    "civil_summary",
                    "买卖合同纠纷",
                    date(2026, 11, 20),
                    (PartyDraft("原告", "甲某"), PartyDraft("被告", "乙某")),
                ),
            )
        assert session.db.query_one("SELECT count(*) FROM cases")[0] == before  # type: ignore[index]
    finally:
        session.close()
        admin.close()


def test_changing_ones_own_password_needs_the_old_one(demo_path: Path) -> None:
    ws = accounts.sign_in(demo_path, "admin", DEMO_PASSWORD)
    try:
        with pytest.raises(ValidationError, match="原密码不正确"):
            accounts.change_password(ws, "guess-guess", "new-password-1")
        accounts.change_password(ws, DEMO_PASSWORD, "new-password-1")
    finally:
        ws.close()
    accounts.sign_in(demo_path, "admin", "new-password-1").close()
