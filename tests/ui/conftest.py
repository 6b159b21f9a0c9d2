"""Fixtures that start the real main window on a real demo database.

The window opens for a person who signed in through ``accounts.sign_in`` with a
password, as the program does (the sign-in dialog itself is driven in
test_sign_in.py). ``window`` is the first filing clerk's; ``window_for`` opens
the window for any demo account.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from courtdesk.services import accounts
from courtdesk.services.workspace import default_username, open_workspace
from courtdesk.ui.app import make_application
from courtdesk.ui.main_window import MainWindow
from courtdesk.ui.tasks import TaskRunner


@pytest.fixture(scope="session")
def qapp_cls() -> type:
    from PySide6.QtWidgets import QApplication

    return QApplication


@pytest.fixture
def runner(qapp: object) -> Iterator[TaskRunner]:
    make_application()  # fonts and names, as the real program does
    task_runner = TaskRunner()
    yield task_runner
    # No test may leave work running behind it (napari's habit).
    assert task_runner.wait(30_000), "background tasks still running after the test"


def signed_in_window(qtbot: QtBot, path: Path, runner: TaskRunner, username: str) -> MainWindow:
    """The real main window of ``username``, signed in with the demo password."""
    ws = accounts.sign_in(path, username, accounts.DEMO_PASSWORD)
    main = MainWindow(ws, runner)
    qtbot.addWidget(main)
    main.show()
    model = main.docket_page.model
    qtbot.waitUntil(
        lambda: model.is_counted and (model.total == 0 or model.row_at(0) is not None),
        timeout=10_000,
    )
    return main


def first_registrar(path: Path) -> str:
    probe = open_workspace(path)
    try:
        return default_username(probe)
    finally:
        probe.close()


@pytest.fixture
def window(qtbot: QtBot, demo_path: Path, runner: TaskRunner) -> Iterator[MainWindow]:
    main = signed_in_window(qtbot, demo_path, runner, first_registrar(demo_path))
    yield main
    runner.wait()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=10_000)


@pytest.fixture(autouse=True)
def _collect_while_qt_lives() -> Iterator[None]:
    """Collect each test's reference cycles (closures over widgets) while the QApplication exists.

    Left to the interpreter's final collection, after Qt has torn its objects down,
    PySide aborts with "deallocating None" now and then.
    """
    yield
    gc.collect()
