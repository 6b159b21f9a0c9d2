"""The background-task helper: results come back on the GUI thread; errors are never lost;
a result for a view that was closed meanwhile is dropped instead of crashing."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from courtdesk.ui.tasks import TaskRunner


def test_result_arrives_on_the_gui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    seen: list[tuple[int, bool]] = []
    gui = threading.get_ident()
    runner.run(
        lambda: threading.get_ident(),
        lambda worker: seen.append((worker, threading.get_ident() == gui)),
    )
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0][0] != gui and seen[0][1]


def test_an_error_without_a_handler_reaches_the_unhandled_signal(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    def fail() -> None:
        raise ValueError("boom")

    with qtbot.waitSignal(runner.unhandled) as blocker:
        runner.run(fail)
    assert isinstance(blocker.args[0], ValueError)


def test_a_late_result_for_a_closed_view_is_dropped(qtbot: QtBot, runner: TaskRunner) -> None:
    release = threading.Event()
    label = QLabel()
    label_closure = QLabel()
    runner.run(lambda: release.wait(10) and "late", label.setText)
    runner.run(lambda: release.wait(10) and "late", lambda text: label_closure.setText(text))
    label.deleteLater()
    label_closure.deleteLater()
    qtbot.wait(50)  # let the deletions happen
    release.set()
    qtbot.waitUntil(lambda: runner.pending == 0)


def test_other_runtime_errors_are_not_hidden(qtbot: QtBot, runner: TaskRunner) -> None:
    def broken(_value: object) -> None:
        raise RuntimeError("a real bug")

    from courtdesk.ui.tasks import _call_if_target_lives

    with pytest.raises(RuntimeError, match="a real bug"):
        _call_if_target_lives(broken, None)


def test_a_paged_model_shows_its_first_page_before_the_count_arrives(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    from types import SimpleNamespace

    from pytestqt.modeltest import ModelTester

    from courtdesk.ui.paged_model import PAGE_SIZE, PagedTableModel

    counting = threading.Event()

    class Numbers(PagedTableModel[SimpleNamespace]):
        titles = ("号",)

        def count_rows(self) -> int:
            counting.wait(10)  # a slow count: the page must not wait for it
            return 1000

        def fetch_page(self, offset: int, limit: int) -> list[SimpleNamespace]:
            return [SimpleNamespace(id=n) for n in range(offset, min(offset + limit, 1000))]

        def display(self, row: SimpleNamespace, column: int) -> str:
            return str(row.id)

    model = Numbers(runner)
    ModelTester(None).check(model)  # type: ignore[arg-type]  # Qt's model rules, on every change
    try:
        model.refresh()
        qtbot.waitUntil(lambda: model.rowCount() == PAGE_SIZE)
        assert not model.is_counted
        assert model.data(model.index(0, 0)) == "0"
        counting.set()
        qtbot.waitUntil(lambda: model.is_counted)
        assert model.rowCount() == 1000
    finally:
        counting.set()
        runner.wait()
