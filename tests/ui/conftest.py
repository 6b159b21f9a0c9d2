"""Fixtures that start the real main window on a real demo database."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from courtdesk.ui.app import make_application, open_database
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


@pytest.fixture
def window(qtbot: QtBot, demo_path: Path, runner: TaskRunner) -> Iterator[MainWindow]:
    ws = open_database(demo_path, None)
    main = MainWindow(ws, runner)
    qtbot.addWidget(main)
    main.show()
    model = main.docket_page.model
    qtbot.waitUntil(lambda: model.is_counted and model.row_at(0) is not None, timeout=10_000)
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
