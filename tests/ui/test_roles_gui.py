"""What each role sees in the real window, and refusals from the services shown to the user."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from courtdesk.services import accounts
from courtdesk.services.accounts import DEMO_PASSWORD, AccountDraft
from courtdesk.ui.main_window import MainWindow
from courtdesk.ui.register_dialog import RegisterCaseDialog
from courtdesk.ui.tasks import TaskRunner
from tests.ui.conftest import signed_in_window
from tests.ui.test_registration import open_dialog, type_into_cell
from tests.ui.typing import type_text


def username(path: Path, sql: str, *params: object) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute(sql, params).fetchone()[0])


def with_role(path: Path, role: str) -> str:
    return username(
        path,
        "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = ?"
        " AND u.id NOT IN (SELECT user_id FROM user_roles WHERE role IN ('chief', 'president'))"
        " ORDER BY u.id LIMIT 1",
        role,
    )


def menu_texts(window: MainWindow) -> list[str]:
    return [a.text() for a in window.menuBar().actions() if a.isVisible()]


def test_the_read_only_role_sees_no_registration_and_no_administration(
    qtbot: QtBot, demo_path: Path, runner: TaskRunner
) -> None:
    window = signed_in_window(qtbot, demo_path, runner, with_role(demo_path, "readonly"))
    assert "只读" in window.user_label.text()
    assert not window.register_action.isVisible() and not window.register_action.isEnabled()
    assert "管理(&M)" not in menu_texts(window)
    assert not window.backup_action.isVisible() and not window.restore_action.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert not window.findChildren(RegisterCaseDialog)
    assert window.docket_page.model.rowCount() > 0  # reading is what the role is for


def test_the_administrator_manages_but_registers_nothing(
    qtbot: QtBot, demo_path: Path, runner: TaskRunner
) -> None:
    window = signed_in_window(qtbot, demo_path, runner, "admin")
    assert "管理(&M)" in menu_texts(window)
    for action in (
        window.accounts_action,
        window.settings_action,
        window.audit_action,
        window.backup_action,
        window.restore_action,
    ):
        assert action.isVisible(), action.text()
    assert not window.register_action.isVisible()
    window.grab().save("/tmp/courtdesk-admin-window.png")


def test_a_judge_sees_their_own_private_cases_and_not_anothers(
    qtbot: QtBot, demo_path: Path, runner: TaskRunner
) -> None:
    with sqlite3.connect(demo_path) as conn:
        case_id, judge_id, division = conn.execute(
            "SELECT id, presiding_judge_id, division_id FROM cases"
            " WHERE is_private = 1 AND presiding_judge_id IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()
        judge = conn.execute("SELECT username FROM users WHERE id = ?", (judge_id,)).fetchone()[0]
        other = conn.execute(
            "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
            " WHERE r.role = 'judge' AND u.id <> ? AND u.division_id IS NOT ?"
            " AND u.id NOT IN (SELECT user_id FROM user_roles WHERE role IN ('chief', 'president'))"
            " LIMIT 1",
            (judge_id, division),
        ).fetchone()[0]
        own_count, public_count = conn.execute(
            "SELECT count(*), sum(is_private = 0) FROM cases WHERE presiding_judge_id = ?",
            (judge_id,),
        ).fetchone()
    assert public_count < own_count
    for user, expected in ((judge, own_count), (other, public_count)):
        window = signed_in_window(qtbot, demo_path, runner, user)
        page = window.docket_page
        page.judge_filter.setCurrentIndex(page.judge_filter.findData(judge_id))
        qtbot.waitUntil(
            lambda page=page: (
                page.model.docket_filter.judge_id == judge_id and page.model.is_counted
            ),
            timeout=10_000,
        )
        assert page.model.rowCount() == expected, user
        assert page.count_label.text() == f"共 {expected:,} 件"
    assert case_id


def test_a_role_taken_away_while_the_window_is_open_is_refused_on_saving(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The service refuses, and the clerk sees why in the form, with nothing stored."""
    path = window.ws.path
    me = window.ws.actor
    admin = accounts.sign_in(path, "admin", DEMO_PASSWORD)
    try:
        account = next(a for a in accounts.list_accounts(admin) if a.id == me.user_id)
        accounts.update_account(
            admin,
            account.id,
            account.version,
            AccountDraft(
                account.username, account.display_name, account.division_id, ("readonly",)
            ),
        )
    finally:
        admin.close()
    with sqlite3.connect(path) as conn:
        before = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    dialog = open_dialog(qtbot, window)
    type_text(qtbot, dialog.cause_edit, "民间借贷纠纷")
    type_into_cell(qtbot, dialog, 0, "name", "权限甲")
    type_into_cell(qtbot, dialog, 1, "name", "权限乙")
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.problems_label.isVisible(), timeout=20_000)
    text = dialog.problems_label.text()
    assert "角色已由系统管理员调整（不再是立案）" in text and "本次修改未保存" in text
    assert dialog.isVisible()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == before
    dialog.grab().save("/tmp/courtdesk-refused.png")
    dialog.reject()


def test_the_history_tab_shows_who_changed_what(qtbot: QtBot, window: MainWindow) -> None:
    from courtdesk.domain.parties import PartyDraft
    from courtdesk.services import cases
    from tests.services.test_backup_restore import small_case

    ws = window.ws
    detail = cases.register_case(ws, small_case("记录"))
    party = detail.parties[0]
    cases.update_party(
        ws, party.id, party.version, PartyDraft(party.role, party.name, phone="13800002222")
    )
    window._case_registered(cases.get_case(ws, detail.id))
    tabs = window.docket_page.detail
    history = next(t for t in tabs.tabs if t.objectName() == "caseHistory")
    assert tabs.tabText(tabs.indexOf(history)) == "操作记录"
    tabs.setCurrentWidget(history)
    qtbot.waitUntil(lambda: history.loaded_case_id == detail.id, timeout=10_000)  # type: ignore[attr-defined]
    table = history.table  # type: ignore[attr-defined]
    rows = [table.text_of(r) for r in range(table.rowCount())]
    assert len(rows) >= 4  # registration, parties, service tasks, the correction
    assert "立案登记" in rows[0] and f"案号：{detail.case_number}" in rows[0]
    assert ws.actor.display_name in rows[-1]
    assert "修改当事人" in rows[-1] and "电话：（空） → 13800002222" in rows[-1]
    window.resize(1400, 700)
    QApplication.processEvents()
    # The record fills its tab (no narrow column beside empty space) and wraps, not scrolls.
    inner = history.contentsRect().width()
    assert table.width() >= inner - 2, (table.width(), inner)
    assert not table.horizontalScrollBar().isVisible()
    tabs.grab().save("/tmp/courtdesk-history-tab.png")
    history.grab().save("/tmp/polish-d.png")
