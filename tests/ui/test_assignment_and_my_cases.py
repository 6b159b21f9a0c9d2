"""Drive 分案 from the docket, 我的案件 as a judge, and the Excel export."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMenu
from pytestqt.qtbot import QtBot

from courtdesk.domain.assignment import ASSESSOR, JUDGE_MEMBER, PRESIDING
from courtdesk.ui.app import open_database
from courtdesk.ui.assign_dialog import AssignDialog
from courtdesk.ui.assignment_tab import AssignmentTab
from courtdesk.ui.main_window import MainWindow
from courtdesk.ui.tasks import TaskRunner
from tests.ui.typing import type_text

WAIT = 15_000


def rows(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return [tuple(r) for r in conn.execute(sql, params)]


def select_case(qtbot: QtBot, window: MainWindow, case_number: str) -> None:
    page = window.docket_page
    page.search.setText(case_number)
    qtbot.waitUntil(lambda: page.model.docket_filter.text == case_number, timeout=WAIT)
    qtbot.waitUntil(
        lambda: page.model.is_counted and page.model.row_at(0) is not None, timeout=WAIT
    )
    rect = page.table.visualRect(page.model.index(0, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(
        lambda: page.detail.case is not None and page.detail.case.case_number == case_number,
        timeout=WAIT,
    )


def open_assign(qtbot: QtBot, window: MainWindow) -> AssignDialog:
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(window.findChildren(AssignDialog)), timeout=WAIT)
    dialog = window.findChildren(AssignDialog)[-1]
    qtbot.waitUntil(lambda: dialog.options is not None, timeout=WAIT)
    return dialog


def test_automatic_assignment_from_the_docket(qtbot: QtBot, window: MainWindow) -> None:
    path = window.ws.path
    case_id, number = rows(
        path, "SELECT id, case_number FROM cases WHERE status = 'registered' ORDER BY id LIMIT 1"
    )[0]
    select_case(qtbot, window, str(number))
    dialog = open_assign(qtbot, window)
    assert dialog.candidates.rowCount() >= 2 and dialog.auto_radio.isChecked()
    shares = [dialog.candidates.item(r, 2).text() for r in range(dialog.candidates.rowCount())]
    assert all(s.endswith("%") for s in shares)
    with qtbot.waitSignal(dialog.assigned, timeout=WAIT) as signal:
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    view = signal.args[0]
    assert rows(path, "SELECT status, presiding_judge_id FROM cases WHERE id = ?", case_id) == [
        ("pending", view.presiding_judge_id)
    ]
    page = window.docket_page
    qtbot.waitUntil(
        lambda: page.model.row_at(0) is not None and page.model.index(0, 5).data() == "审理中",
        timeout=WAIT,
    )
    assert page.model.index(0, 3).data() == view.presiding_judge
    tab = next(t for t in page.detail.tabs if isinstance(t, AssignmentTab))
    qtbot.waitUntil(lambda: "现分案" in tab.text.toPlainText(), timeout=WAIT)
    assert view.presiding_judge in tab.text.toPlainText() and "随机分案" in tab.text.toPlainText()


def test_manual_reassignment_to_a_panel_keeps_the_history(qtbot: QtBot, window: MainWindow) -> None:
    path = window.ws.path
    case_id, number, old_judge = rows(
        path,
        "SELECT c.id, c.case_number, c.presiding_judge_id FROM cases c"
        " WHERE c.status = 'pending' AND c.procedure = 'civil_ordinary' ORDER BY c.id LIMIT 1",
    )[0]
    select_case(qtbot, window, str(number))
    dialog = open_assign(qtbot, window)
    assert dialog.submit_button.text() == "改派"
    options = dialog.options
    assert options is not None
    judges = [j for j in options.judges_in(options.division_id) if j.id != old_judge]
    qtbot.mouseClick(dialog.manual_radio, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.panel_radio, Qt.MouseButton.LeftButton)
    dialog.judge_combo.setCurrentIndex(dialog.judge_combo.findData(judges[0].id))
    assert dialog.members.rowCount() == 3
    dialog.set_member(0, judges[0].id, PRESIDING)
    dialog.set_member(1, int(str(old_judge)), JUDGE_MEMBER)
    dialog.set_member(2, options.assessors[0].id, ASSESSOR)
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.problems_label.isVisible(), timeout=WAIT)
    assert "改派须写明理由" in dialog.problems_label.text()
    type_text(qtbot, dialog.reason_edit, "原承办人回避")
    with qtbot.waitSignal(dialog.assigned, timeout=WAIT):
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    history = rows(
        path,
        "SELECT presiding_judge_id, bench, method, reason, ended_at IS NULL FROM case_assignments"
        " WHERE case_id = ? ORDER BY id",
        case_id,
    )
    assert history[-1] == (judges[0].id, "panel", "manual", "原承办人回避", 1)
    assert history[-2][0] == old_judge and history[-2][4] == 0
    members = rows(
        path,
        "SELECT m.user_id, m.role FROM case_panel_members m JOIN case_assignments a"
        " ON a.id = m.assignment_id WHERE a.case_id = ? AND a.ended_at IS NULL ORDER BY position",
        case_id,
    )
    assert members == [
        (judges[0].id, PRESIDING),
        (old_judge, JUDGE_MEMBER),
        (options.assessors[0].id, ASSESSOR),
    ]


@pytest.fixture
def judge_window(qtbot: QtBot, demo_path: Path, runner: TaskRunner) -> Iterator[MainWindow]:
    username = rows(
        demo_path,
        "SELECT u.username FROM cases c JOIN users u ON u.id = c.presiding_judge_id"
        " WHERE c.status = 'pending' AND c.time_limit_expiry < '2026-11-20'"
        " GROUP BY u.id ORDER BY count(*) DESC LIMIT 1",
    )[0][0]
    ws = open_database(demo_path, str(username))
    main = MainWindow(ws, runner)
    qtbot.addWidget(main)
    main.show()
    model = main.docket_page.model
    qtbot.waitUntil(lambda: model.is_counted and model.row_at(0) is not None, timeout=WAIT)
    yield main
    runner.wait()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT)


def test_my_cases_lists_the_judges_cases_and_opens_one_in_the_docket(
    qtbot: QtBot, judge_window: MainWindow
) -> None:
    window = judge_window
    path = window.ws.path
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    page = window.my_cases_page
    qtbot.waitUntil(lambda: page.result is not None, timeout=WAIT)
    assert window.current_page_key == "mine"
    expected = rows(
        path,
        "SELECT count(*) FROM cases WHERE presiding_judge_id = ?"
        " AND status IN ('registered', 'pending', 'suspended')",
        window.ws.actor.user_id,
    )[0][0]
    assert page.model.rowCount() == expected
    assert "已超审限" in page.summary.text()
    first = page.model.cases[0]
    assert first.urgency.value == "overdue" and first.days_text.startswith("超期")
    colour = page.model.index(0, 6).data(Qt.ItemDataRole.BackgroundRole)
    assert colour is not None and colour.color().name() == "#fde2e1"
    # A case far down the docket: found by its position, its page loaded, selected.
    target = page.model.cases[min(3, len(page.model.cases) - 1)]
    docket = window.docket_page
    docket.status_filter.setCurrentIndex(docket.status_filter.findText("已结案"))
    qtbot.waitUntil(
        lambda: docket.model.docket_filter.statuses == ("closed",) and docket.model.is_counted,
        timeout=WAIT,
    )
    # Keyboard first: the arrow keys to the case, Enter opens it in the docket.
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, 0))
    for _ in range(page.model.cases.index(target)):
        qtbot.keyClick(page.table, Qt.Key.Key_Down)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_page_key == "cases", timeout=WAIT)
    qtbot.waitUntil(
        lambda: docket.detail.case is not None and docket.detail.case.id == target.id,
        timeout=WAIT,
    )
    selected = docket.table.selectionModel().selectedRows()
    assert selected and docket.model.index(selected[0].row(), 0).data() == target.case_number
    assert docket.status_filter.currentIndex() == 0  # the closed-only filter hid it: cleared


def test_export_button_writes_the_filtered_docket(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    page = window.docket_page
    page.type_filter.setCurrentIndex(page.type_filter.findData("type:刑初"))
    qtbot.waitUntil(lambda: page.model.docket_filter.type_codes == ("刑初",), timeout=WAIT)
    qtbot.waitUntil(lambda: page.model.is_counted, timeout=WAIT)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(window.findChildren(QFileDialog)), timeout=WAIT)
    chooser = window.findChildren(QFileDialog)[-1]
    target = tmp_path / "刑事案件.xlsx"
    chooser.selectFile(str(target))
    chooser.accept()
    qtbot.waitUntil(lambda: window.last_export is not None, timeout=30_000)
    assert window.last_export is not None and window.last_export.rows == page.model.total
    assert "已导出" in window.statusBar().currentMessage()
    sheet = openpyxl.load_workbook(target).active
    assert sheet["A2"].value == "筛选条件：类型：刑初（刑事一审）"
    numbers = [r[1] for r in sheet.iter_rows(min_row=6, values_only=True)]
    assert len(numbers) == page.model.total and all("刑初" in str(n) for n in numbers)


def test_the_docket_context_menu_offers_assignment(qtbot: QtBot, window: MainWindow) -> None:
    page = window.docket_page
    rect = page.table.visualRect(page.model.index(0, 0))
    page.table.customContextMenuRequested.emit(rect.center())
    qtbot.waitUntil(lambda: bool(page.findChildren(QMenu)), timeout=WAIT)
    action = page.findChildren(QMenu)[-1].actions()[0]
    assert action.text() in ("分案…", "改派…")
    if action.isEnabled():
        action.trigger()
        qtbot.waitUntil(lambda: bool(window.findChildren(AssignDialog)), timeout=WAIT)
        dialog = window.findChildren(AssignDialog)[-1]
        qtbot.waitUntil(lambda: dialog.options is not None, timeout=WAIT)
        assert dialog.options is not None and dialog.options.case_id == page.model.row_at(0).id  # type: ignore[union-attr]
        dialog.reject()
