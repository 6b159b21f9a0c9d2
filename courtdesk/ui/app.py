"""Starting the desktop program: fonts, the database (a demo one on first run), the window."""

from __future__ import annotations

import gc
import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from courtdesk import __version__
from courtdesk.errors import CourtdeskError
from courtdesk.paths import default_database, log_dir
from courtdesk.services.demo import fill_demo
from courtdesk.services.workspace import Workspace, default_username, open_workspace
from courtdesk.ui.fonts import install_application_font
from courtdesk.ui.main_window import MainWindow
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
    return app


def open_database(path: Path, username: str | None) -> Workspace:
    """Runs on a worker thread: open (migrating if needed) and sign in."""
    ws = open_workspace(path)
    try:
        name = username or default_username(ws)
        return open_workspace(path, name)
    finally:
        ws.close()


class Startup:
    """Opens the database off the GUI thread, filling a demo one on the very first run."""

    def __init__(
        self, app: QApplication, path: Path, username: str | None, demo_first_run: bool
    ) -> None:
        self.app = app
        self.path = path
        self.username = username
        self.runner = TaskRunner(app)
        self.window: MainWindow | None = None
        self.progress: QProgressDialog | None = None
        if demo_first_run and not path.exists():
            self._make_demo()
        else:
            self._open()

    def _make_demo(self) -> None:
        self.progress = QProgressDialog("首次运行：正在创建演示数据库…", "", 0, 0)
        self.progress.setCancelButton(None)
        self.progress.setWindowTitle("courtdesk")
        self.progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.progress.show()
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.runner.run(
            lambda: fill_demo(path, FIRST_RUN_DEMO_CASES), lambda _: self._open(), self._failed
        )

    def _open(self) -> None:
        path, username = self.path, self.username
        self.runner.run(lambda: open_database(path, username), self._show, self._failed)

    def _show(self, ws: Workspace) -> None:
        if self.progress is not None:
            self.progress.close()
        self.window = MainWindow(ws, self.runner)
        self.window.show()

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
        return f"主窗口显示 {model.rowCount()} 件案件，平台 {app.platformName()}"
    finally:
        window.close()
        runner.wait()
