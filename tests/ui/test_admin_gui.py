"""The administrator's dialogs in the real window: accounts, settings, backups, restore, check."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QHeaderView, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from courtdesk.errors import CourtdeskError
from courtdesk.services import accounts, maintenance
from courtdesk.services.accounts import DEMO_PASSWORD
from courtdesk.ui.accounts_dialog import AccountEditDialog, AccountsDialog, ResetPasswordDialog
from courtdesk.ui.app import Startup
from courtdesk.ui.history_tab import AUDIT_LIMIT, AuditDialog
from courtdesk.ui.main_window import MainWindow
from courtdesk.ui.tasks import TaskRunner
from tests.ui.conftest import signed_in_window
from tests.ui.typing import type_text

D = TypeVar("D", bound=QWidget)


@pytest.fixture
def admin_window(qtbot: QtBot, demo_path: Path, runner: TaskRunner) -> Iterator[MainWindow]:
    window = signed_in_window(qtbot, demo_path, runner, "admin")
    yield window
    runner.wait()


def click(qtbot: QtBot, widget: object) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def test_the_administrator_creates_an_account_and_resets_a_password(
    qtbot: QtBot, admin_window: MainWindow
) -> None:
    dialog = admin_window.open_accounts_dialog()
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10_000)
    before = dialog.table.rowCount()
    edit = dialog.create_account()
    assert isinstance(edit, AccountEditDialog)
    type_text(qtbot, edit.username_edit, "zhaolei")
    type_text(qtbot, edit.name_edit, "赵磊")
    edit.role_checks["clerk"].setChecked(True)
    type_text(qtbot, edit.password_edit, "first-pass-1")
    type_text(qtbot, edit.confirm_edit, "first-pass-1")
    edit.grab().save("/tmp/courtdesk-account-edit.png")
    with qtbot.waitSignal(edit.saved, timeout=20_000):
        click(qtbot, edit.save_button)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == before + 1, timeout=10_000)
    dialog.select("zhaolei")
    account = dialog.selected()
    assert account is not None and account.state_label == "须修改密码"
    # A bad edit is explained in the form and nothing changes.
    bad = dialog.edit_selected()
    assert bad is not None
    for check in bad.role_checks.values():
        check.setChecked(False)
    click(qtbot, bad.save_button)
    qtbot.waitUntil(lambda: bad.message.isVisible(), timeout=10_000)
    assert "请至少选择一个角色" in bad.message.text()
    bad.reject()
    reset = dialog.reset_selected()
    assert isinstance(reset, ResetPasswordDialog)
    type_text(qtbot, reset.new_edit, "temp-pass-22")
    type_text(qtbot, reset.confirm_edit, "temp-pass-22")
    with qtbot.waitSignal(reset.saved, timeout=20_000):
        click(qtbot, reset.save_button)
    # The reload after the reset finishes and says so.
    expected = f"共 {before + 1} 个账户"
    qtbot.waitUntil(lambda: dialog.status.text() == expected, timeout=10_000)
    assert dialog.loaded
    dialog.grab().save("/tmp/courtdesk-accounts.png")
    with pytest.raises(accounts.PasswordChangeRequired):
        accounts.sign_in(admin_window.ws.path, "zhaolei", "temp-pass-22")
    dialog.accept()


def test_a_locked_account_is_unlocked_from_the_dialog(
    qtbot: QtBot, admin_window: MainWindow
) -> None:
    path = admin_window.ws.path
    for _ in range(5):
        with pytest.raises(accounts.SignInError):
            accounts.sign_in(path, "admin", "wrong-password")
    dialog = admin_window.open_accounts_dialog()
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10_000)
    dialog.select("admin")
    assert dialog.selected() is not None and dialog.selected().state_label == "已锁定"  # type: ignore[union-attr]
    assert dialog.unlock_button.isEnabled()
    click(qtbot, dialog.unlock_button)
    qtbot.waitUntil(
        lambda: (
            dialog.loaded
            and any(a.username == "admin" and a.failed_attempts == 0 for a in dialog.accounts)
        ),
        timeout=10_000,
    )
    assert dialog.status.text() == f"共 {len(dialog.accounts)} 个账户"
    accounts.sign_in(path, "admin", DEMO_PASSWORD).close()
    dialog.accept()


def from_admin_menu(qtbot: QtBot, window: MainWindow, action: QAction, kind: type[D]) -> D:
    """Choose ``action`` in the window's 管理 menu and return the dialog it opens."""
    assert action in window.admin_menu.actions() and action.isVisible()
    action.trigger()
    qtbot.waitUntil(lambda: window.findChild(kind) is not None, timeout=10_000)
    dialog = window.findChild(kind)
    assert dialog is not None
    return dialog


def test_the_accounts_table_fills_the_dialog(qtbot: QtBot, admin_window: MainWindow) -> None:
    dialog = from_admin_menu(qtbot, admin_window, admin_window.accounts_action, AccountsDialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10_000)
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    header = dialog.table.horizontalHeader()
    modes = [header.sectionResizeMode(c) for c in range(header.count())]
    assert modes[2] == QHeaderView.ResizeMode.Stretch  # 角色
    assert modes.count(QHeaderView.ResizeMode.ResizeToContents) == header.count() - 1
    used = sum(header.sectionSize(c) for c in range(header.count()))
    assert abs(used - dialog.table.viewport().width()) <= 2
    dialog.grab().save("/tmp/polish-b.png")
    dialog.accept()


def test_a_failed_reload_of_the_accounts_says_so(
    qtbot: QtBot, admin_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = admin_window.open_accounts_dialog()
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10_000)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))

    def refuse(ws: object) -> None:
        raise CourtdeskError("数据库正忙，请稍后再试")

    monkeypatch.setattr(accounts, "list_accounts", refuse)
    dialog.refresh()
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10_000)
    assert dialog.status.text() == "未能读取账户：数据库正忙，请稍后再试"
    assert shown == ["数据库正忙，请稍后再试"]
    dialog.accept()


def test_settings_from_every_feature_are_listed_checked_and_saved(
    qtbot: QtBot, admin_window: MainWindow
) -> None:
    dialog = admin_window.open_settings_dialog()
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10_000)
    groups = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert {"备份", "账户与安全"} <= set(groups)
    from courtdesk.services import settings

    assert set(dialog.fields) == {s.key for s in settings.declared()}
    keep = dialog.fields["backup.keep_daily"]
    assert keep.edit is not None and keep.edit.text() == "7"
    keep.edit.clear()
    type_text(qtbot, keep.edit, "0")
    lockout = dialog.fields["accounts.lockout_minutes"]
    assert lockout.edit is not None
    lockout.edit.clear()
    type_text(qtbot, lockout.edit, "30")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: keep.problem.isVisible(), timeout=10_000)
    assert "保留最近几天的每日备份应在 1 到 366 之间" in keep.problem.text()
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "备份"
    assert keep.edit.text() == "0"  # what was typed is kept
    ws = admin_window.ws
    assert settings.get(ws, "accounts.lockout_minutes") == "15"  # nothing saved
    dialog.grab().save("/tmp/courtdesk-settings.png")
    keep.edit.clear()
    type_text(qtbot, keep.edit, "10")
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        click(qtbot, dialog.save_button)
    assert set(saved.args[0]) == {"backup.keep_daily", "accounts.lockout_minutes"}
    assert settings.get(ws, "backup.keep_daily") == "10"
    assert settings.get(ws, "accounts.lockout_minutes") == "30"


def test_backup_now_then_restore_from_the_dialog_and_sign_in_again(
    qtbot: QtBot, demo_path: Path, tmp_path: Path
) -> None:
    app = QApplication.instance()
    startup = Startup(app, demo_path, "admin", demo_first_run=False)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: startup.dialog is not None, timeout=20_000)
    dialog = startup.dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.password_edit, DEMO_PASSWORD)
    click(qtbot, dialog.submit_button)
    qtbot.waitUntil(lambda: startup.window is not None, timeout=20_000)
    window = startup.window
    assert window is not None
    qtbot.addWidget(window)
    window.automatic_backups = False
    target = tmp_path / "manual.sqlite3"
    window.backup_now(target)
    qtbot.waitUntil(lambda: "校验通过" in window.statusBar().currentMessage(), timeout=20_000)
    with sqlite3.connect(demo_path) as conn:
        conn.execute("INSERT INTO settings (key, value) VALUES ('after.backup', 'x')")
    restore = window.open_restore_dialog()
    qtbot.waitUntil(lambda: restore.loaded, timeout=10_000)
    assert restore.table.rowCount() >= 1
    # The real start-up also made its daily copy, which may have finished after ours:
    # pick the manual copy by its row, as the administrator would.
    for row in range(restore.table.rowCount()):
        restore.table.selectRow(row)
        if restore.chosen == target:
            break
    assert restore.chosen == target
    assert not restore.restore_button.isEnabled()  # not before the clerk confirms
    restore.confirm.setChecked(True)
    restore.grab().save("/tmp/courtdesk-restore.png")
    first_dialog = startup.dialog
    click(qtbot, restore.restore_button)
    qtbot.waitUntil(lambda: startup.dialog is not first_dialog, timeout=30_000)
    again = startup.dialog
    assert again is not None
    qtbot.addWidget(again)
    assert "已从备份 manual.sqlite3 恢复数据库" in again.message.text()
    with sqlite3.connect(demo_path) as conn:
        assert (
            conn.execute("SELECT count(*) FROM settings WHERE key = 'after.backup'").fetchone()[0]
            == 0
        )
    assert maintenance.check_file(demo_path).ok
    startup.runner.wait()
    again.close()


def test_closing_the_window_backs_up_first(
    qtbot: QtBot, demo_path: Path, runner: TaskRunner
) -> None:
    window = signed_in_window(qtbot, demo_path, runner, "admin")
    window.automatic_backups = True
    folder = demo_path.parent / "backups"
    with qtbot.waitSignal(window.closed, timeout=30_000):
        window.close()
    copies = sorted(p.name for p in folder.iterdir())
    assert any(name.endswith("-exit.sqlite3") for name in copies), copies
    assert all(maintenance.check_file(folder / name).ok for name in copies)


def test_the_daily_backup_runs_once_and_a_failure_is_shown(
    qtbot: QtBot, demo_path: Path, runner: TaskRunner, tmp_path: Path
) -> None:
    window = signed_in_window(qtbot, demo_path, runner, "admin")
    window.run_daily_backup()
    qtbot.waitUntil(lambda: window.backup_label.isVisible(), timeout=20_000)
    assert "已自动备份" in window.backup_label.text()
    from courtdesk.services import settings

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x", encoding="utf-8")
    settings.put_many(window.ws, {"backup.folder": str(blocked / "sub")})
    # A new day: the copy is due again, and the folder cannot be made.
    with sqlite3.connect(demo_path) as conn:
        conn.execute("UPDATE backups SET at = '2000-01-01T00:00:00+08:00'")
    window.run_daily_backup()
    qtbot.waitUntil(lambda: "失败" in window.backup_label.text(), timeout=20_000)
    assert "自动备份失败" in window.backup_label.toolTip()


def test_a_database_on_a_network_share_warns_the_administrator(
    qtbot: QtBot, demo_path: Path, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    warning = f"数据库文件 {demo_path} 位于网络文件系统 /mnt/court（cifs）。"
    monkeypatch.setattr(maintenance, "network_warning", lambda ws: warning)
    window = signed_in_window(qtbot, demo_path, runner, "admin")
    qtbot.waitUntil(lambda: window.network_label.isVisible(), timeout=10_000)
    box = window.findChild(QMessageBox, "networkWarning")
    assert box is not None and box.text() == warning
    box.close()
    clerk = signed_in_window(qtbot, demo_path, runner, window_user(demo_path, "registrar"))
    qtbot.waitUntil(lambda: clerk.network_label.isVisible(), timeout=10_000)
    assert clerk.findChild(QMessageBox, "networkWarning") is None  # only the administrator is asked


def window_user(path: Path, role: str) -> str:
    with sqlite3.connect(path) as conn:
        return str(
            conn.execute(
                "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
                " WHERE r.role = ? LIMIT 1",
                (role,),
            ).fetchone()[0]
        )


def test_the_audit_dialog_lists_the_trail_and_checks_the_file(
    qtbot: QtBot, admin_window: MainWindow
) -> None:
    dialog = from_admin_menu(qtbot, admin_window, admin_window.audit_action, AuditDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=10_000)
    rows = dialog.table.rowCount()
    assert rows < AUDIT_LIMIT
    assert dialog.heading.text() == f"全院操作记录共 {rows} 条（最新的在上）"
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    dialog.grab().save("/tmp/polish-c.png")
    click(qtbot, dialog.check_button)
    qtbot.waitUntil(lambda: dialog.checked, timeout=30_000)
    report = dialog.report.toPlainText()
    assert "SQLite 完整性检查：通过" in report and "全部相符" in report
    dialog.grab().save("/tmp/courtdesk-audit.png")
    dialog.accept()


def test_the_audit_heading_says_when_older_changes_are_left_out(
    qtbot: QtBot, admin_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from courtdesk.ui import history_tab

    monkeypatch.setattr(history_tab, "AUDIT_LIMIT", 3)
    dialog = from_admin_menu(qtbot, admin_window, admin_window.audit_action, AuditDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=10_000)
    assert dialog.table.rowCount() == 3
    assert dialog.heading.text() == "最近 3 条操作记录（最新的在上，更早的未显示）"
    dialog.accept()


def test_the_audit_heading_counts_them_all_when_they_just_fit(
    qtbot: QtBot, admin_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from courtdesk.ui import history_tab

    with sqlite3.connect(admin_window.ws.path) as conn:
        total = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    monkeypatch.setattr(history_tab, "AUDIT_LIMIT", total)
    dialog = from_admin_menu(qtbot, admin_window, admin_window.audit_action, AuditDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=10_000)
    assert dialog.table.rowCount() == total
    assert dialog.heading.text() == f"全院操作记录共 {total} 条（最新的在上）"
    dialog.accept()
