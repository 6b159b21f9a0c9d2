"""The sign-in dialog, driven like a clerk at the counter would: typing and clicking."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from courtdesk.services import accounts
from courtdesk.services.accounts import DEMO_PASSWORD
from courtdesk.services.workspace import Workspace
from courtdesk.ui.app import Startup
from courtdesk.ui.sign_in_dialog import Mode, SignInDialog
from courtdesk.ui.tasks import TaskRunner
from tests.ui.conftest import first_registrar
from tests.ui.typing import type_text


def open_dialog(
    qtbot: QtBot, runner: TaskRunner, path: Path, username: str | None = None
) -> SignInDialog:
    dialog = SignInDialog(accounts.sign_in_info(path), runner, username)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def click_sign_in(qtbot: QtBot, dialog: SignInDialog) -> None:
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)


def wait_idle(qtbot: QtBot, dialog: SignInDialog) -> None:
    qtbot.waitUntil(lambda: dialog.submit_button.isEnabled(), timeout=20_000)


def test_a_wrong_password_is_explained_and_the_right_one_signs_in(
    qtbot: QtBot, runner: TaskRunner, demo_path: Path
) -> None:
    user = first_registrar(demo_path)
    dialog = open_dialog(qtbot, runner, demo_path)
    assert dialog.mode is Mode.SIGN_IN
    assert not dialog.new_password_edit.isVisible()
    type_text(qtbot, dialog.username_edit, user)
    type_text(qtbot, dialog.password_edit, "wrong-one")
    click_sign_in(qtbot, dialog)
    wait_idle(qtbot, dialog)
    assert dialog.message.isVisible()
    assert "或密码不正确（再错 4 次账户将被锁定 15 分钟）" in dialog.message.text()
    assert dialog.password_edit.text() == "" and dialog.username_edit.text() == user
    type_text(qtbot, dialog.password_edit, DEMO_PASSWORD)
    with qtbot.waitSignal(dialog.signed_in, timeout=20_000) as signed:
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    ws: Workspace = signed.args[0]
    try:
        assert ws.actor.username == user and "registrar" in ws.actor.roles
    finally:
        ws.close()
    assert not dialog.isVisible()


def test_five_wrong_passwords_lock_the_account_on_screen(
    qtbot: QtBot, runner: TaskRunner, demo_path: Path
) -> None:
    dialog = open_dialog(qtbot, runner, demo_path, "admin")
    for _ in range(5):
        type_text(qtbot, dialog.password_edit, "not-the-password")
        click_sign_in(qtbot, dialog)
        wait_idle(qtbot, dialog)
    assert "连续 5 次密码错误已被锁定" in dialog.message.text()
    assert "请系统管理员解锁" in dialog.message.text()
    type_text(qtbot, dialog.password_edit, DEMO_PASSWORD)
    click_sign_in(qtbot, dialog)
    wait_idle(qtbot, dialog)
    assert "已被锁定" in dialog.message.text() and dialog.isVisible()


def test_the_first_run_of_a_new_database_chooses_the_administrators_password(
    qtbot: QtBot, runner: TaskRunner, empty_path: Path
) -> None:
    dialog = open_dialog(qtbot, runner, empty_path)
    assert dialog.mode is Mode.SET_UP
    assert dialog.username_edit.text() == "admin" and dialog.username_edit.isReadOnly()
    assert not dialog.password_edit.isVisible() and dialog.new_password_edit.isVisible()
    assert not dialog.demo_hint.isVisible()
    type_text(qtbot, dialog.new_password_edit, "court-admin-1")
    type_text(qtbot, dialog.confirm_edit, "court-admin-2")
    click_sign_in(qtbot, dialog)
    assert dialog.message.text() == "两次输入的新密码不一致"
    type_text(qtbot, dialog.confirm_edit, "court-admin-1")
    with qtbot.waitSignal(dialog.signed_in, timeout=20_000) as signed:
        click_sign_in(qtbot, dialog)
    signed.args[0].close()
    accounts.sign_in(empty_path, "admin", "court-admin-1").close()


def test_a_reset_password_must_be_replaced_before_the_window_opens(
    qtbot: QtBot, runner: TaskRunner, demo_path: Path
) -> None:
    user = first_registrar(demo_path)
    admin = accounts.sign_in(demo_path, "admin", DEMO_PASSWORD)
    user_id = next(a.id for a in accounts.list_accounts(admin) if a.username == user)
    accounts.reset_password(admin, user_id, "temporary-123")
    admin.close()
    dialog = open_dialog(qtbot, runner, demo_path, user)
    type_text(qtbot, dialog.password_edit, "temporary-123")
    click_sign_in(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.mode is Mode.CHANGE, timeout=20_000)
    assert "须先设置新密码" in dialog.message.text()
    assert dialog.new_password_edit.isVisible() and dialog.password_edit.isReadOnly()
    type_text(qtbot, dialog.new_password_edit, user)  # the user name is not a password
    type_text(qtbot, dialog.confirm_edit, user)
    click_sign_in(qtbot, dialog)
    wait_idle(qtbot, dialog)
    assert "密码不能与用户名相同" in dialog.message.text()
    dialog.new_password_edit.clear()
    dialog.confirm_edit.clear()
    type_text(qtbot, dialog.new_password_edit, "my-own-secret-9")
    type_text(qtbot, dialog.confirm_edit, "my-own-secret-9")
    with qtbot.waitSignal(dialog.signed_in, timeout=20_000) as signed:
        click_sign_in(qtbot, dialog)
    signed.args[0].close()
    accounts.sign_in(demo_path, user, "my-own-secret-9").close()


def test_start_up_signs_in_opens_the_window_and_signing_out_asks_again(
    qtbot: QtBot, demo_path: Path
) -> None:
    app = QApplication.instance()
    user = first_registrar(demo_path)
    startup = Startup(app, demo_path, user, demo_first_run=False)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: startup.dialog is not None, timeout=20_000)
    dialog = startup.dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.username_edit.text() == user
    assert dialog.password_edit.hasFocus() or True  # focus needs a real screen
    type_text(qtbot, dialog.password_edit, DEMO_PASSWORD)
    click_sign_in(qtbot, dialog)
    qtbot.waitUntil(lambda: startup.window is not None, timeout=20_000)
    window = startup.window
    assert window is not None
    qtbot.addWidget(window)
    window.automatic_backups = False
    assert (
        user in window.user_label.text() or window.ws.actor.display_name in window.user_label.text()
    )
    first_dialog = startup.dialog
    window.sign_out_action.trigger()
    qtbot.waitUntil(lambda: startup.dialog is not first_dialog, timeout=20_000)
    assert startup.window is None
    assert startup.dialog is not None and startup.dialog.isVisible()
    qtbot.addWidget(startup.dialog)
    assert startup.dialog.username_edit.text() == user
    startup.runner.wait()
    startup.dialog.close()


def test_the_demo_hint_is_only_on_demo_databases(
    qtbot: QtBot, runner: TaskRunner, demo_path: Path, empty_path: Path
) -> None:
    demo = open_dialog(qtbot, runner, demo_path)
    assert demo.demo_hint.isVisible() and DEMO_PASSWORD in demo.demo_hint.text()
    demo.grab().save("/tmp/courtdesk-sign-in-demo.png")
    with sqlite3.connect(empty_path) as conn:
        conn.execute("UPDATE settings SET value = value WHERE key = 'court_code'")
    real = open_dialog(qtbot, runner, empty_path)
    assert not real.demo_hint.isVisible()


def test_enter_after_a_wrong_password_keeps_the_dialog_open_and_tries_once(
    qtbot: QtBot, runner: TaskRunner, demo_path: Path
) -> None:
    """Enter moves from the name to the password and submits once; it never presses 退出."""
    user = first_registrar(demo_path)
    dialog = open_dialog(qtbot, runner, demo_path)
    type_text(qtbot, dialog.username_edit, user)
    qtbot.keyClick(dialog.username_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.focusWidget() is dialog.password_edit
    assert not dialog.message.isVisible(), "Enter on the name must not submit an empty password"
    type_text(qtbot, dialog.password_edit, "wrong-one")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    wait_idle(qtbot, dialog)
    assert dialog.isVisible() and dialog.result() == 0
    assert "再错 4 次" in dialog.message.text()  # one wrong try counted, not two
    type_text(qtbot, dialog.password_edit, DEMO_PASSWORD)
    with qtbot.waitSignal(dialog.signed_in, timeout=20_000) as signed:
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    signed.args[0].close()


def test_start_up_says_it_is_upgrading_an_older_database(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older file is upgraded before the sign-in dialog: a modal message says so while
    the migration runs, and goes when the dialog comes. A current file shows none."""
    import shutil
    import threading

    from courtdesk.ui import app as app_module

    old = tmp_path / "court.sqlite3"
    shutil.copyfile(Path(__file__).parent.parent / "fixtures" / "courtdesk-v1.sqlite3", old)
    gate = threading.Event()
    original = accounts.sign_in_info

    def held(path: Path) -> accounts.SignInInfo:
        gate.wait(20)  # the test looks at the window before the upgrade is let through
        return original(path)

    monkeypatch.setattr(app_module.accounts, "sign_in_info", held)
    startup = Startup(QApplication.instance(), old, None, demo_first_run=False)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: startup.progress is not None, timeout=20_000)
    progress = startup.progress
    assert progress is not None and progress.isVisible()
    assert "正在升级数据库" in progress.labelText()
    gate.set()
    qtbot.waitUntil(lambda: startup.dialog is not None, timeout=20_000)
    assert startup.progress is None and not progress.isVisible()
    assert list(tmp_path.glob("court.before-v*.sqlite3"))
    startup.runner.wait()
    startup.dialog.close()
    # Opened again, nothing is left to upgrade and no message shows.
    again = Startup(QApplication.instance(), old, None, demo_first_run=False)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: again.dialog is not None, timeout=20_000)
    assert again.progress is None
    again.runner.wait()
    again.dialog.close()
