"""Arbitrary input at account administration and passwords (hypothesis): changing an
account's user name, name, 庭室, roles and state; an administrator's password reset;
a user changing their own password.

Names, user names and passwords may hold lone surrogates, NUL, other control
characters or be far too long; roles may not exist; ids may name nobody or be too
large for SQLite. Each input is either accepted and stored faithfully (read back;
a new password is the one that signs in) or refused with a CourtdeskError in
Chinese naming the field, and a refusal changes no user, role, password or audit row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from courtdesk.domain.text import clean_text
from courtdesk.errors import CourtdeskError, NotFoundError, ValidationError
from courtdesk.services import accounts
from courtdesk.services.accounts import DEMO_PASSWORD, AccountDraft
from courtdesk.services.workspace import Workspace, open_workspace
from tests.properties.conftest import one_field_or_all
from tests.properties.test_bad_input import FEW, TEXT
from tests.properties.test_bad_input_assignment import NOBODY
from tests.properties.test_bad_input_features import accepted_or_refused

# Every scrypt hash takes about 0.1 s: the password properties try fewer examples.
SCRYPT = settings(FEW, max_examples=20)
HUGE = st.sampled_from(["密" * 129, "a1" * 5000, "x" * 100_000 + "y"])
PASSWORDS = st.one_of(
    st.just("Court-2026-新密码"),
    st.from_regex(r"[A-Za-z0-9]{6,12}-新密码", fullmatch=True),
    TEXT,
    HUGE,
)
ROLES = st.one_of(st.sampled_from([code for code, _ in accounts.role_choices()]), TEXT)


def snapshot(path: Path) -> tuple[Any, ...]:
    """Everything an account change can touch, to compare before and after a refusal."""
    conn = sqlite3.connect(path)
    try:
        return tuple(
            conn.execute(sql).fetchall()
            for sql in (
                "SELECT * FROM users ORDER BY id",
                "SELECT * FROM user_roles ORDER BY user_id, role",
                "SELECT * FROM credentials ORDER BY user_id",
                "SELECT count(*) FROM audit_log",
            )
        )
    finally:
        conn.close()


def refused(error: CourtdeskError, fields: set[str]) -> None:
    assert isinstance(error, ValidationError), error
    assert {p.field for p in error.problems} <= fields, error.problems
    event("refused: " + ", ".join(sorted({p.field for p in error.problems})))


@dataclass
class Accounts:
    path: Path
    admin: Workspace
    user: accounts.Account  # a judge the examples change, not the administrator

    def current(self) -> accounts.Account:
        return next(a for a in accounts.list_accounts(self.admin) if a.id == self.user.id)


@pytest.fixture
def office(demo_path: Path) -> Iterator[Accounts]:
    admin = open_workspace(demo_path, "admin")
    user = [a for a in accounts.list_accounts(admin) if a.roles == ("judge",)][-1]
    yield Accounts(demo_path, admin, user)
    admin.close()


@FEW
@given(st.data())
def test_changing_an_account_to_anything_stores_it_faithfully_or_changes_nothing(
    office: Accounts, data: st.DataObject
) -> None:
    now = office.current()
    divisions = [int(r[0]) for r in office.admin.db.query("SELECT id FROM divisions")]
    values = data.draw(
        one_field_or_all(
            {
                "username": now.username,
                "display_name": now.display_name,
                "division_id": now.division_id,
                "roles": now.roles,
                "active": now.active,
            },
            {
                "username": st.one_of(
                    st.from_regex(r"[a-z][a-z0-9._-]{1,31}", fullmatch=True), TEXT
                ),
                "display_name": TEXT,
                "division_id": st.one_of(st.none(), st.sampled_from(divisions), NOBODY),
                "roles": st.lists(ROLES, max_size=3).map(tuple),
                "active": st.booleans(),
            },
        )
    )
    before = snapshot(office.path)
    result = accepted_or_refused(
        lambda: accounts.update_account(office.admin, now.id, now.version, AccountDraft(**values))
    )
    if isinstance(result, CourtdeskError):
        refused(result, {"username", "display_name", "division_id", "roles"})
        assert snapshot(office.path) == before
        return
    event("accepted")
    stored = office.current()
    assert stored.username == values["username"].strip().lower()
    assert stored.display_name == clean_text(values["display_name"])
    assert stored.division_id == values["division_id"]
    assert stored.roles == tuple(sorted(set(values["roles"])))
    assert stored.active == values["active"]


@SCRYPT
@given(st.one_of(st.just(None), st.just(None), NOBODY), PASSWORDS)
@example(2**63, "Court-2026-新密码")
def test_resetting_any_password_of_any_account_resets_it_or_changes_nothing(
    office: Accounts, user_id: int | None, password: str
) -> None:
    """``None``: the judge's own account; otherwise an id of nobody (or too large for SQLite)."""
    target = office.user.id if user_id is None else user_id
    before = snapshot(office.path)
    result = accepted_or_refused(lambda: accounts.reset_password(office.admin, target, password))
    if isinstance(result, CourtdeskError):
        if user_id is None:
            refused(result, {"new_password"})
        else:
            event("refused: nobody")
        assert snapshot(office.path) == before
        return
    event("accepted")
    assert user_id is None
    assert office.current().must_change
    # The temporary password is the one that works: signing in asks for a new one.
    with pytest.raises(accounts.PasswordChangeRequired):
        accounts.sign_in(office.path, office.user.username, password)


@SCRYPT
@given(st.one_of(st.just(None), st.just(None), TEXT, HUGE), PASSWORDS)
def test_changing_ones_own_password_to_anything_changes_it_or_nothing(
    office: Accounts, old: str | None, new: str
) -> None:
    """``old`` None: the right one (the demo password, or the last one accepted)."""
    ws = accounts.sign_in(office.path, office.user.username, DEMO_PASSWORD)
    try:
        before = snapshot(office.path)
        given_old = DEMO_PASSWORD if old is None else old
        result = accepted_or_refused(lambda: accounts.change_password(ws, given_old, new))
    finally:
        ws.close()
    if isinstance(result, CourtdeskError):
        refused(result, {"old_password", "new_password"})
        assert snapshot(office.path) == before
        return
    event("accepted")
    assert given_old == DEMO_PASSWORD
    accounts.sign_in(office.path, office.user.username, new).close()
    # Back to the demo password for the next example (through the same service).
    back = accounts.sign_in(office.path, office.user.username, new)
    try:
        accounts.change_password(back, new, DEMO_PASSWORD)
    finally:
        back.close()


@pytest.mark.parametrize("user_id", [2**63, -(2**63) - 1, 10**6])
def test_an_account_id_of_nobody_is_not_found_by_any_account_change(
    office: Accounts, user_id: int
) -> None:
    """Found by the reset property: an id SQLite cannot hold escaped as OverflowError."""
    before = snapshot(office.path)
    draft = AccountDraft("nobody", "无名", None, ("judge",))
    for change in (
        lambda: accounts.update_account(office.admin, user_id, 1, draft),
        lambda: accounts.reset_password(office.admin, user_id, "Court-2026-新密码"),
        lambda: accounts.unlock_account(office.admin, user_id),
    ):
        result = accepted_or_refused(change)
        assert isinstance(result, NotFoundError), result
    assert snapshot(office.path) == before
