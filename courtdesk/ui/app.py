"""Starting the desktop program: fonts, the database (a demo one on first run), sign-in, the window.

The sequence: open and migrate the database in the background (filling a demo
database on the very first run), show the sign-in dialog, and open the main
window for whoever signed in. Signing out or restoring a backup returns to the
sign-in dialog; closing the window (after its exit backup) quits.
"""

from __future__ import annotations

import gc
import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from courtdesk import __version__
from courtdesk.errors import CourtdeskError
from courtdesk.paths import default_database, log_dir
from courtdesk.services import accounts
from courtdesk.services.accounts import SignInInfo
from courtdesk.services.maintenance import RestoreResult
from courtdesk.services.workspace import (
    Workspace,
    default_username,
    needs_upgrade,
    open_workspace,
)
from courtdesk.ui.fonts import install_application_font
from courtdesk.ui.main_window import MainWindow
from courtdesk.ui.sign_in_dialog import SignInDialog
from courtdesk.ui.tasks import TaskRunner

FIRST_RUN_DEMO_CASES = 3_000
log = logging.getLogger("courtdesk")


def make_application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("courtdesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("courtdesk")
    install_application_font(app)
    install_qt_translation(app)
    return app


def install_qt_translation(app: QApplication) -> None:
    """Qt's own texts in Chinese: the Yes/No of a question, the file dialog, a line edit's menu.

    Without it QMessageBox.question asks a clerk in Chinese and offers "Yes" and "No".
    The catalogue (qtbase_zh_CN.qm) ships with PySide6 and in the frozen folder.
    """
    if app.property("courtdeskQtTranslation") is not None:
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale("zh_CN"), "qtbase", "_", folder):
        app.installTranslator(translator)
        app.setProperty("courtdeskQtTranslation", translator.language())
    else:
        log.warning("Qt's Chinese translation not found in %s", folder)
        app.setProperty("courtdeskQtTranslation", "")


def open_database(path: Path, username: str | None) -> Workspace:
    """Open as ``username`` (or the default user) without a password: for tests and tools only.

    The program itself always goes through the sign-in dialog (accounts.sign_in).
    """
    ws = open_workspace(path)
    try:
        name = username or default_username(ws)
        return open_workspace(path, name)
    finally:
        ws.close()


class Startup:
    """Opens the database off the GUI thread (a demo one on the very first run), signs in, shows the window."""

    def __init__(
        self, app: QApplication, path: Path, username: str | None, demo_first_run: bool
    ) -> None:
        self.app = app
        self.path = path
        self.username = username
        self.runner = TaskRunner(app)
        self.window: MainWindow | None = None
        self.dialog: SignInDialog | None = None
        self.progress: QProgressDialog | None = None
        self.notice: str | None = None
        if demo_first_run and not path.exists():
            self._make_demo()
        else:
            self._open()

    def _wait_for(self, message: str) -> None:
        """A modal busy message with no cancel button, closed when the sign-in dialog shows."""
        self.progress = QProgressDialog(message, "", 0, 0)
        self.progress.setCancelButton(None)
        self.progress.setWindowTitle("courtdesk")
        self.progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.progress.show()

    def _make_demo(self) -> None:
        self._wait_for("首次运行：正在创建演示数据库…")
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.runner.run(lambda: _fill_demo(path), lambda _: self._open(), self._failed)

    def _open(self) -> None:
        path = self.path
        self.runner.run(lambda: needs_upgrade(path), self._open_upgraded, self._failed)

    def _open_upgraded(self, upgrading: bool) -> None:
        if upgrading and self.progress is None:
            # A new version's migration rewrites derived columns of every row: minutes
            # at a million cases, once. The court sees why it waits and that it must not
            # switch the machine off (a copy of the old file is kept, whatever happens).
            self._wait_for(
                "正在升级数据库到新版本（案件多时可能需要几分钟，升级前的数据库已另存副本），"
                "请勿关闭程序…"
            )
        path = self.path
        self.runner.run(lambda: accounts.sign_in_info(path), self._ask, self._failed)

    def _ask(self, info: SignInInfo) -> None:
        self.dialog = SignInDialog(info, self.runner, self.username)
        if self.notice:
            self.dialog.show_message(self.notice)
            self.notice = None
        self.dialog.signed_in.connect(self._show)
        self.dialog.rejected.connect(self.app.quit)
        self.dialog.show()
        if self.progress is not None:
            self.progress.close()
            self.progress = None

    def _show(self, ws: Workspace) -> None:
        self.username = ws.actor.username
        self.window = MainWindow(ws, self.runner, automatic_backups=True)
        self.window.signed_out.connect(self._again)
        self.window.restored.connect(self._restored)
        self.window.closed.connect(self.app.quit)
        self.window.show()

    def _again(self) -> None:
        self.window = None
        self._open()

    def _restored(self, result: RestoreResult) -> None:
        self.notice = (
            f"已从备份 {result.source.name} 恢复数据库（恢复前的数据库另存为 "
            f"{result.safety_copy}）。请重新登录。"
        )
        self._again()

    def _failed(self, error: BaseException) -> None:
        if self.progress is not None:
            self.progress.close()
        message = error.message if isinstance(error, CourtdeskError) else _log_bug(error)
        QMessageBox.critical(None, "courtdesk 无法启动", message)
        self.app.exit(1)


def _log_bug(error: BaseException) -> str:
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(folder / "courtdesk.log", encoding="utf-8")
    log.addHandler(handler)
    log.error("unexpected error\n%s", "".join(traceback.format_exception(error)))
    log.removeHandler(handler)
    handler.close()
    return f"发生了意外错误（详情已记录到 {folder / 'courtdesk.log'}）：\n{error!r}"


def _excepthook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    """Errors raised in Qt callbacks end here: shown to the user and logged, never lost."""
    if isinstance(error, CourtdeskError):
        QMessageBox.warning(_active_window(), "courtdesk", error.message)
        return
    QMessageBox.critical(_active_window(), "courtdesk 内部错误", _log_bug(error.with_traceback(tb)))


def _active_window() -> QWidget | None:
    return QApplication.activeWindow()


def run_gui(database: Path | None = None, username: str | None = None) -> int:
    app = make_application()
    # Between signing out and the sign-in dialog no window is open: quitting is explicit
    # (the sign-in dialog's 退出, or the main window closing after its exit backup).
    app.setQuitOnLastWindowClosed(False)
    sys.excepthook = _excepthook
    path = Path(database).expanduser().absolute() if database else default_database()
    startup = Startup(app, path, username, demo_first_run=database is None)
    code = app.exec()
    startup.runner.wait()
    # Free the window's Python-side cycles while Qt still exists (see tests/ui/conftest.py).
    startup.window = None
    gc.collect()
    return int(code)


def check_window(path: Path) -> str:
    """Self-check step: Qt's plugins, the bundled font and the main window on ``path``.

    Runs on the offscreen platform, so it needs no screen; it proves the frozen
    program carries the Qt platform plugin and can show the docket.
    """
    import os
    import time

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_application()
    if not app.property("courtdeskQtTranslation"):
        raise RuntimeError("缺少 Qt 的中文翻译（qtbase_zh_CN.qm），对话框按钮会显示英文")
    ws = open_database(path, None)
    runner = TaskRunner(app)
    window = MainWindow(ws, runner)
    try:
        window.show()
        model = window.docket_page.model
        deadline = time.monotonic() + 30
        while not model.is_counted and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        if not model.is_counted:
            raise RuntimeError("案件列表在 30 秒内未能加载")
        if window.grab().isNull():
            raise RuntimeError("无法绘制主窗口")
        return (
            f"主窗口显示 {model.rowCount()} 件案件，平台 {app.platformName()}，"
            f"Qt 翻译 {app.property('courtdeskQtTranslation')}"
        )
    finally:
        window.close()
        runner.wait()
        # Deliver what the finished tasks sent before the folder goes away, so no late
        # result (or a failure reading a deleted file) reaches a window nobody sees.
        app.processEvents()
        window.deleteLater()
        app.processEvents()
        ws.close()


def _fill_demo(path: Path) -> object:
    """The first run's demo cases (the generator is imported only on a first run)."""
    from courtdesk.services.demo import fill_demo

    return fill_demo(path, FIRST_RUN_DEMO_CASES)
