"""Drive the real service desk: filter, assign, record an attempt, scan a receipt, the case tab."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import shiboken6
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot

from courtdesk.domain.service import Attempt, Outcome, ServiceMethod, TaskState, receipt_code
from courtdesk.services import holidays
from courtdesk.services import service as svc
from courtdesk.services.service import AttemptEntry
from courtdesk.services.workspace import open_workspace
from courtdesk.ui.app import open_database
from courtdesk.ui.main_window import MainWindow
from courtdesk.ui.pdf_preview import PdfPreviewDialog
from courtdesk.ui.service_case_tab import ServiceCaseTab
from courtdesk.ui.service_dialogs import (
    AddressConfirmationDialog,
    AttemptDialog,
    BatchAttemptDialog,
    TaskRequestDialog,
)
from courtdesk.ui.service_model import ServiceTaskModel
from courtdesk.ui.service_page import ServiceQueue
from courtdesk.ui.tasks import TaskRunner
from tests.notices.helpers import pdf_pages, pdf_text
from tests.ui.pdf_preview import (
    has_ink,
    print_through_the_button,
    save_through_the_button,
    wait_for_pages,
)
from tests.ui.typing import type_text

WAIT = 20_000


def query(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, params).fetchall()


def service_user(path: Path) -> tuple[int, str]:
    row = query(
        path,
        "SELECT u.id, u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
        " WHERE r.role = 'service' ORDER BY u.id LIMIT 1",
    )[0]
    return int(row[0]), str(row[1])  # type: ignore[call-overload]


@pytest.fixture
def desk_window(qtbot: QtBot, demo_path: Path, runner: TaskRunner) -> Iterator[MainWindow]:
    """The main window signed in as a member of the service centre, on the 送达 page."""
    _, username = service_user(demo_path)
    ws = open_database(demo_path, username)
    main = MainWindow(ws, runner)
    qtbot.addWidget(main)
    main.show()
    main.show_page("service")
    assert main.service_page is not None
    wait_loaded(qtbot, main.service_page.queue.model)
    yield main
    runner.wait()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT)


def wait_loaded(qtbot: QtBot, model: ServiceTaskModel) -> None:
    qtbot.waitUntil(
        lambda: model.is_counted and (model.total == 0 or model.row_at(0) is not None),
        timeout=WAIT,
    )


def queue_of(window: MainWindow) -> ServiceQueue:
    assert window.service_page is not None
    return window.service_page.queue


def choose(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, (combo.objectName(), data)
    combo.setCurrentIndex(index)


def loaded_rows(model: ServiceTaskModel) -> list[object]:
    return [model.row_at(r) for r in range(min(model.total, 200))]


def select_rows(qtbot: QtBot, queue: ServiceQueue, rows: list[int]) -> None:
    """Click the first row, then Ctrl-click the others, as a clerk picks several."""
    viewport = queue.table.viewport()
    for n, row in enumerate(rows):
        rect = queue.table.visualRect(queue.model.index(row, 1))
        modifier = Qt.KeyboardModifier.ControlModifier if n else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, modifier, rect.center())


def gone(dialog: object) -> bool:
    """Closed (dialogs delete themselves on close)."""
    return not shiboken6.isValid(dialog) or not dialog.isVisible()  # type: ignore[attr-defined]


def open_dialog(qtbot: QtBot, holder: object, name: str) -> object:
    qtbot.waitUntil(lambda: getattr(holder, name, None) is not None, timeout=WAIT)
    dialog = getattr(holder, name)
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    return dialog


# ---------------------------------------------------------------------- filtering
def test_the_desk_opens_on_open_work_with_counts_per_state(
    qtbot: QtBot, desk_window: MainWindow
) -> None:
    queue = queue_of(desk_window)
    path = desk_window.ws.path
    open_count = query(path, "SELECT count(*) FROM service_tasks WHERE is_open = 1")[0][0]
    assert queue.model.total == open_count
    assert queue.count_label.text() == f"共 {open_count:,} 项"
    served = query(path, "SELECT count(*) FROM service_tasks WHERE state = 'served'")[0][0]
    qtbot.waitUntil(
        lambda: queue.state_buttons["served"].text() == f"已送达 {served:,}", timeout=WAIT
    )
    # Sorted by due date, oldest first; the scan field has the cursor.
    dues = [r.due_date for r in loaded_rows(queue.model) if r is not None]  # type: ignore[attr-defined]
    assert dues == sorted(dues)
    assert QApplication.focusWidget() is queue.scan


def test_filter_by_state_method_and_judge(qtbot: QtBot, desk_window: MainWindow) -> None:
    queue = queue_of(desk_window)
    path = desk_window.ws.path
    qtbot.mouseClick(queue.state_buttons["served"], Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, queue.model)
    assert {r.state for r in loaded_rows(queue.model)} == {"served"}  # type: ignore[attr-defined]
    choose(queue.method_filter, ServiceMethod.COURT_EXPRESS.value)
    wait_loaded(qtbot, queue.model)
    expected = query(
        path,
        "SELECT count(*) FROM service_tasks WHERE state = 'served' AND method = 'court_express'",
    )[0][0]
    assert queue.model.total == expected > 0
    assert {queue.model.index(r, 6).data() for r in range(20)} == {"法院专递"}
    # The judge filter joins the case: every row is one of that judge's cases.
    qtbot.waitUntil(lambda: queue.judge_filter.count() > 1, timeout=WAIT)
    judge_id = queue.judge_filter.itemData(1)
    choose(queue.judge_filter, judge_id)
    wait_loaded(qtbot, queue.model)
    expected = query(
        path,
        "SELECT count(*) FROM service_tasks t JOIN cases c ON c.id = t.case_id"
        " WHERE t.state = 'served' AND t.method = 'court_express' AND c.presiding_judge_id = ?",
        judge_id,
    )[0][0]
    assert queue.model.total == expected
    judge = query(path, "SELECT display_name FROM users WHERE id = ?", judge_id)[0][0]
    assert {queue.model.index(r, 9).data() for r in range(min(expected, 20))} <= {judge}
    # Overdue: open work whose due date has passed, drawn in red.
    choose(queue.judge_filter, None)
    choose(queue.method_filter, None)
    qtbot.mouseClick(queue.state_buttons["all"], Qt.MouseButton.LeftButton)
    choose(queue.due_filter, "overdue")
    wait_loaded(qtbot, queue.model)
    today = date.today().isoformat()
    expected = query(
        path, "SELECT count(*) FROM service_tasks WHERE is_open = 1 AND due_date < ?", today
    )[0][0]
    assert queue.model.total == expected > 0
    assert queue.model.index(0, 7).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b3261e"


def test_filter_by_tribunal_with_the_counts_per_state(
    qtbot: QtBot, desk_window: MainWindow
) -> None:
    """A people's tribunal (人民法庭) sees its own queue, and the state counts follow it."""
    queue = queue_of(desk_window)
    path = desk_window.ws.path
    qtbot.waitUntil(lambda: queue.division_filter.count() > 1, timeout=WAIT)
    tribunal = next(
        i for i in range(queue.division_filter.count())
        if queue.division_filter.itemText(i).endswith("人民法庭")
    )  # fmt: skip
    division_id = queue.division_filter.itemData(tribunal)
    queue.division_filter.setCurrentIndex(tribunal)
    wait_loaded(qtbot, queue.model)
    of_tribunal = (
        "SELECT count(*) FROM service_tasks t JOIN cases c ON c.id = t.case_id"
        " WHERE c.division_id = ?"
    )
    expected_open = query(path, of_tribunal + " AND t.is_open = 1", division_id)[0][0]
    assert queue.model.total == expected_open > 0
    served = query(path, of_tribunal + " AND t.state = 'served'", division_id)[0][0]
    everything = query(path, "SELECT count(*) FROM service_tasks WHERE state = 'served'")[0][0]
    assert 0 < served < everything
    qtbot.waitUntil(
        lambda: queue.state_buttons["served"].text() == f"已送达 {served:,}", timeout=WAIT
    )
    cases_of_tribunal = {
        str(r[0])
        for r in query(path, "SELECT case_number FROM cases WHERE division_id = ?", division_id)
    }
    shown = {queue.model.index(r, 1).data() for r in range(min(queue.model.total, 50))}
    assert shown <= cases_of_tribunal


def test_the_model_passes_qt_model_tester(qtmodeltester: object, desk_window: MainWindow) -> None:
    qtmodeltester.check(queue_of(desk_window).model)  # type: ignore[attr-defined]


# ---------------------------------------------------------------------- assigning
def test_assign_selected_tasks(qtbot: QtBot, desk_window: MainWindow) -> None:
    queue = queue_of(desk_window)
    path = desk_window.ws.path
    staff_id, _ = service_user(path)
    # Take three tasks that are not this member's yet (the whole history, any state).
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE service_tasks SET assignee_id = NULL WHERE id IN (SELECT id FROM service_tasks ORDER BY id LIMIT 3)"
        )
    qtbot.mouseClick(queue.state_buttons["all"], Qt.MouseButton.LeftButton)
    choose(queue.assignee_filter, "none")
    wait_loaded(qtbot, queue.model)
    assert queue.model.total >= 3
    select_rows(qtbot, queue, [0, 1, 2])
    ids = queue.selected_ids()
    assert len(ids) == 3 and queue.selection_label.text() == "已选 3 项"
    qtbot.waitUntil(lambda: queue.assign_target.findData(staff_id) >= 0, timeout=WAIT)
    choose(queue.assign_target, staff_id)
    qtbot.mouseClick(queue.assign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已将 3 项任务分派给" in queue.scan_status.text(), timeout=WAIT)
    marks = ",".join("?" * len(ids))
    rows = query(path, f"SELECT assignee_id FROM service_tasks WHERE id IN ({marks})", *ids)
    assert {r[0] for r in rows} == {staff_id}
    # They are the centre member's own tasks now.
    choose(queue.assignee_filter, "me")
    wait_loaded(qtbot, queue.model)
    mine = query(path, "SELECT count(*) FROM service_tasks WHERE assignee_id = ?", staff_id)
    assert queue.model.total == mine[0][0]
    # The oldest tasks: on the first page, sorted by due date.
    shown = {row.id for row in loaded_rows(queue.model) if row is not None}  # type: ignore[attr-defined]
    assert set(ids) <= shown


# ---------------------------------------------------------------------- recording
def test_record_a_direct_service_and_see_a_refusal(qtbot: QtBot, desk_window: MainWindow) -> None:
    queue = queue_of(desk_window)
    path = desk_window.ws.path
    qtbot.mouseClick(queue.state_buttons["pending"], Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, queue.model)
    # A task whose recipient never consented to electronic service.
    row = next(
        r
        for r in range(queue.model.total)
        if not query(
            path,
            "SELECT 1 FROM service_addresses a JOIN service_tasks t ON t.party_id = a.party_id"
            " WHERE t.id = ? AND a.electronic_consent = 1",
            queue.model.row_at(r).id,  # type: ignore[union-attr]
        )
    )
    task_id = queue.model.row_at(row).id  # type: ignore[union-attr]
    select_rows(qtbot, queue, [row])
    qtbot.waitUntil(lambda: queue.record_button.isEnabled(), timeout=WAIT)
    qtbot.mouseClick(queue.record_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, queue, "attempt_dialog")
    assert isinstance(dialog, AttemptDialog) and dialog.task.id == task_id
    form = dialog.form
    # Electronic service without consent is refused, and nothing is stored.
    choose(form.method, ServiceMethod.ELECTRONIC.value)
    # The preview says so before 登记, instead of promising 已送达.
    assert (
        dialog.preview.text().startswith("不能登记") and "未同意电子送达" in dialog.preview.text()
    )
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.problems.isVisible(), timeout=WAIT)
    assert "未同意电子送达" in dialog.problems.text()
    assert form.method.styleSheet() != ""
    assert (
        query(path, "SELECT count(*) FROM service_attempts WHERE task_id = ?", task_id)[0][0] == 0
    )
    # Served in person: who signed and their relation.
    choose(form.method, ServiceMethod.DIRECT.value)
    assert form.form.isRowVisible(form.receiver) and not form.form.isRowVisible(form.waybill)
    form.receiver.clear()
    type_text(qtbot, form.receiver, "王秀英")
    form.relation.setCurrentText("同住成年家属")
    assert "已送达" in dialog.preview.text()
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(dialog), timeout=WAIT)
    state, method, served = query(
        path, "SELECT state, method, service_date FROM service_tasks WHERE id = ?", task_id
    )[0]
    assert (state, method, served) == ("served", "direct", date.today().isoformat())
    receiver = query(
        path,
        "SELECT receiver_name, receiver_relation FROM service_attempts WHERE task_id = ?",
        task_id,
    )
    assert receiver == [("王秀英", "同住成年家属")]
    qtbot.waitUntil(lambda: "已登记" in queue.scan_status.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: "王秀英" in queue.detail.toPlainText(), timeout=WAIT)


def test_the_preview_counts_a_public_notice_with_the_courts_own_holidays(
    qtbot: QtBot, desk_window: MainWindow, runner: TaskRunner
) -> None:
    """A year the court entered itself moves the 公告's end in the preview as in the record."""
    path = desk_window.ws.path
    admin = open_workspace(path, "admin")
    try:
        holidays.import_year(admin, 2027, "2027-01-01~2027-01-03,休,元旦\n")
    finally:
        admin.close()
    (task_id,) = query(
        path,
        "SELECT t.id FROM service_tasks t JOIN cases c ON c.id = t.case_id"
        " WHERE t.state = 'pending' AND c.procedure = 'civil_ordinary' LIMIT 1",
    )[0]
    task = svc.get_task(desk_window.ws, int(task_id))  # type: ignore[call-overload]
    dialog = AttemptDialog(desk_window.ws, runner, task, [])
    qtbot.addWidget(dialog)
    choose(dialog.form.method, ServiceMethod.PUBLIC_NOTICE.value)
    dialog.form.unknown.setChecked(True)
    # Published 2026-12-02: thirty days end on 2027-01-01, 元旦, so on Monday 2027-01-04.
    dialog.form.attempt_date.setDate(QDate(2026, 12, 2))
    assert "公告中，2027-01-04 视为送达" in dialog.preview.text(), dialog.preview.text()
    assert "仅按周末计算" not in dialog.preview.text()


def test_scanning_a_receipt_opens_its_task_for_the_return(
    qtbot: QtBot, desk_window: MainWindow
) -> None:
    queue = queue_of(desk_window)
    path = desk_window.ws.path
    # A letter posted by 法院专递 a few days ago, recorded through the service.
    task_id = int(query(path, "SELECT id FROM service_tasks WHERE state = 'pending' LIMIT 1")[0][0])  # type: ignore[arg-type]
    waybill = "1187654321098"
    ws = desk_window.ws
    task = svc.get_task(ws, task_id)
    posted = Attempt(ServiceMethod.COURT_EXPRESS, Outcome.IN_TRANSIT, date.today(), waybill=waybill)
    svc.record_attempt(ws, AttemptEntry(task_id, task.version, posted))
    # A misread code is refused with the reason, and the field is ready for the next scan.
    code = receipt_code(int(task_id))  # type: ignore[arg-type]
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    queue.scan.setFocus()
    qtbot.keyClicks(queue.scan, wrong)
    qtbot.keyClick(queue.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "校验位" in queue.scan_status.text(), timeout=WAIT)
    # The scanner types the code and Enter into the focused field.
    queue.scan.clear()
    qtbot.keyClicks(queue.scan, code)
    qtbot.keyClick(queue.scan, Qt.Key.Key_Return)
    dialog = open_dialog(qtbot, queue, "attempt_dialog")
    assert isinstance(dialog, AttemptDialog)
    assert dialog.task.id == task_id and dialog.windowTitle() == "登记回执"
    form = dialog.form
    assert not form.method.isEnabled() and form.waybill.text() == waybill
    assert form.outcome.findData("in_transit") == -1  # a receipt brings a result
    form.set_outcome(Outcome.DELIVERED)
    assert form.receiver.text()  # the recipient's name, to correct if someone else signed
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(dialog), timeout=WAIT)
    rows = query(
        path,
        "SELECT a.outcome, a.result_date, t.state, t.service_date FROM service_attempts a"
        " JOIN service_tasks t ON t.id = a.task_id WHERE a.task_id = ? AND a.waybill = ?",
        task_id,
        waybill,
    )
    today = date.today().isoformat()
    assert rows == [("delivered", today, "served", today)]
    # Scanning it again says there is nothing more to do.
    qtbot.keyClicks(queue.scan, code)
    qtbot.keyClick(queue.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "无需登记" in queue.scan_status.text(), timeout=WAIT)


def test_batch_posting_with_waybills(qtbot: QtBot, desk_window: MainWindow, tmp_path: Path) -> None:
    queue = queue_of(desk_window)
    path = desk_window.ws.path
    qtbot.mouseClick(queue.state_buttons["pending"], Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, queue.model)
    select_rows(qtbot, queue, [0, 1])
    ids = queue.selected_ids()
    qtbot.mouseClick(queue.batch_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, queue, "batch_dialog")
    assert isinstance(dialog, BatchAttemptDialog)
    assert dialog.form.current_method() is ServiceMethod.COURT_EXPRESS
    # One waybill missing: nothing is stored, and the problem names the task.
    dialog.table.item(0, 3).setText("1100000000001")
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.problems.isVisible(), timeout=WAIT)
    assert receipt_code(ids[1]) in dialog.problems.text() and "邮件单号" in dialog.problems.text()
    marks = ",".join("?" * len(ids))
    assert (
        query(path, f"SELECT count(*) FROM service_attempts WHERE task_id IN ({marks})", *ids)[0][0]
        == 0
    )
    dialog.table.item(1, 3).setText("1100000000002")
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(dialog), timeout=WAIT)
    rows = query(path, f"SELECT state FROM service_tasks WHERE id IN ({marks})", *ids)
    assert {r[0] for r in rows} == {TaskState.IN_PROGRESS.value}
    # The postal list of the two, as the post office gets it.
    target = tmp_path / "邮寄清单.xlsx"
    queue.save_postal_xlsx(ids, target)
    qtbot.waitUntil(lambda: "邮寄清单（Excel）已保存" in queue.scan_status.text(), timeout=WAIT)
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert [(v[1], v[8]) for v in values] == [
        ("1100000000001", receipt_code(ids[0])),
        ("1100000000002", receipt_code(ids[1])),
    ]


# ---------------------------------------------------------------------- the case tab
def test_the_case_tab_shows_service_party_by_party(qtbot: QtBot, desk_window: MainWindow) -> None:
    path = desk_window.ws.path
    case_id, number = query(
        path,
        "SELECT c.id, c.case_number FROM cases c WHERE c.type_code = '民初'"
        " AND EXISTS (SELECT 1 FROM service_tasks t WHERE t.case_id = c.id AND t.state = 'served')"
        " ORDER BY c.id DESC LIMIT 1",
    )[0]
    desk_window.show_page("cases")
    page = desk_window.docket_page
    page.show_case(int(case_id))  # type: ignore[arg-type]
    tab = next(t for t in page.detail.tabs if isinstance(t, ServiceCaseTab))
    page.detail.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.tree.topLevelItemCount() > 0, timeout=WAIT)
    parties = query(path, "SELECT name FROM parties WHERE case_id = ? ORDER BY position", case_id)
    tops = [tab.tree.topLevelItem(i).text(0) for i in range(tab.tree.topLevelItemCount())]
    assert [t.split("（")[0].split(" ", 1)[1] for t in tops] == [p[0] for p in parties]
    signed = {
        str(r[0])
        for r in query(
            path,
            "SELECT p.name FROM service_addresses a JOIN parties p ON p.id = a.party_id"
            " WHERE p.case_id = ?",
            case_id,
        )
    }
    for top, party in zip(tops, parties, strict=True):
        assert top.endswith("已签确认书" if party[0] in signed else "未签确认书"), top
    title, method, served_on = query(
        path,
        "SELECT title, method, service_date FROM service_tasks WHERE case_id = ?"
        " AND state = 'served' ORDER BY id LIMIT 1",
        case_id,
    )[0]
    # What was served, how and when, each in its own column.
    children = [
        tuple(tab.tree.topLevelItem(i).child(j).text(c) for c in (0, 2, 3))
        for i in range(tab.tree.topLevelItemCount())
        for j in range(tab.tree.topLevelItem(i).childCount())
    ]
    assert (title, ServiceMethod(method).label, served_on) in children
    assert str(number) in page.detail.summary.toPlainText()


def test_confirm_an_address_and_hand_over_a_judgment_from_the_case_tab(
    qtbot: QtBot, desk_window: MainWindow
) -> None:
    path = desk_window.ws.path
    case_id, party_id = query(
        path,
        "SELECT p.case_id, p.id FROM parties p WHERE p.role = '被告' AND NOT EXISTS"
        " (SELECT 1 FROM service_addresses a WHERE a.party_id = p.id) ORDER BY p.id DESC LIMIT 1",
    )[0]
    desk_window.show_page("cases")
    page = desk_window.docket_page
    page.show_case(int(case_id))  # type: ignore[arg-type]
    tab = next(t for t in page.detail.tabs if isinstance(t, ServiceCaseTab))
    page.detail.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.tree.topLevelItemCount() > 0, timeout=WAIT)
    party_item = next(
        tab.tree.topLevelItem(i)
        for i in range(tab.tree.topLevelItemCount())
        if tab.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole + 1) == party_id
    )
    tab.tree.setCurrentItem(party_item)
    assert tab.confirm_button.isEnabled()
    qtbot.mouseClick(tab.confirm_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, tab, "confirmation_dialog")
    assert isinstance(dialog, AddressConfirmationDialog)
    dialog.consent.setChecked(True)
    dialog.electronic.clear()
    qtbot.keyClicks(dialog.electronic, "not-a-phone")
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.problems.isVisible(), timeout=WAIT)
    assert "不是手机号码或电子邮箱" in dialog.problems.text()
    dialog.electronic.clear()
    qtbot.keyClicks(dialog.electronic, "13900001111")
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(dialog), timeout=WAIT)
    assert query(
        path,
        "SELECT electronic_consent, electronic_address FROM service_addresses WHERE party_id = ?",
        party_id,
    ) == [(1, "13900001111")]
    # Hand a judgment to the centre for that party.
    qtbot.mouseClick(tab.request_button, Qt.MouseButton.LeftButton)
    request = open_dialog(qtbot, tab, "request_dialog")
    assert isinstance(request, TaskRequestDialog)
    type_text(qtbot, request.title, "民事判决书")
    for row in range(request.recipients.count()):
        item = request.recipients.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == ("party", party_id):
            item.setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(request.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(request), timeout=WAIT)
    made = query(
        path,
        "SELECT document, title, address_confirmed FROM service_tasks"
        " WHERE party_id = ? AND origin = 'manual'",
        party_id,
    )
    assert made == [("judgment", "民事判决书", 1)]

    def titles() -> list[str]:
        tree = tab.tree
        return [
            tree.topLevelItem(i).child(j).text(0)
            for i in range(tree.topLevelItemCount())
            for j in range(tree.topLevelItem(i).childCount())
        ]

    qtbot.waitUntil(lambda: "民事判决书" in titles(), timeout=WAIT)


# ---------------------------------------------------------------------- printing in the program
def desk_menu_action(queue: ServiceQueue, what: str) -> QAction:
    """The 打印与导出 menu's entry for ``what`` (the menu pops up modally, so it is triggered)."""
    menu = queue.print_button.menu()
    assert menu is not None
    return next(a for a in menu.actions() if a.data() == what)


def open_preview(qtbot: QtBot, queue: ServiceQueue, what: str) -> PdfPreviewDialog:
    action = desk_menu_action(queue, what)
    assert action.isEnabled()
    action.trigger()
    dialog = open_dialog(qtbot, queue, "preview_dialog")
    assert isinstance(dialog, PdfPreviewDialog)
    wait_for_pages(qtbot, dialog)
    return dialog


def test_receipts_open_in_the_programs_preview_and_print_there(
    qtbot: QtBot, desk_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = queue_of(desk_window)
    qtbot.mouseClick(queue.state_buttons["pending"], Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, queue.model)
    select_rows(qtbot, queue, [0, 1, 2])
    ids = queue.selected_ids()
    tasks = [svc.get_task(desk_window.ws, task_id) for task_id in ids]
    dialog = open_preview(qtbot, queue, "receipts")
    # One receipt a task, shown in the program; nothing is handed to another program.
    assert dialog.pane.page_count() == 3 and dialog.pane.pages_label.text() == "共 3 页"
    assert dialog.windowTitle() == "送达回证（3项）"
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()
    qtbot.waitUntil(
        lambda: has_ink(dialog.pane.view.viewport()), timeout=WAIT
    )  # pdfium draws off-thread
    dialog.grab().save(str(tmp_path / "receipts-preview.png"))
    pages = pdf_pages(
        save_through_the_button(qtbot, dialog.pane, tmp_path / "回证.pdf", monkeypatch)
    )
    assert len(pages) == 3
    for page, task in zip(pages, tasks, strict=True):
        assert page.startswith(f"{task.code}长春新区人民法院送达回证"), page[:40]
        assert f"案号{task.case_number}" in page and f"受送达人{task.recipient_name}" in page
        assert f"送达文书名称及件数{task.title}{task.copies}份" in page
    assert f"送达回证已保存：{tmp_path / '回证.pdf'}" == queue.scan_status.text()
    assert print_through_the_button(qtbot, dialog.pane, tmp_path / "printed.pdf", monkeypatch) == 3
    assert dialog.message.text() == "已送打印机 3 页"
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: queue.preview_dialog is None, timeout=WAIT)


def test_postal_list_labels_and_the_days_list_preview_with_the_tasks(
    qtbot: QtBot, desk_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = queue_of(desk_window)
    ws = desk_window.ws
    qtbot.mouseClick(queue.state_buttons["pending"], Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, queue.model)
    # Two tasks for different people: two envelopes, two labels.
    rows = loaded_rows(queue.model)
    second = next(
        n
        for n, row in enumerate(rows)
        if row is not None and row.recipient_name != rows[0].recipient_name  # type: ignore[attr-defined]
    )
    select_rows(qtbot, queue, [0, second])
    ids = queue.selected_ids()
    tasks = [svc.get_task(ws, task_id) for task_id in ids]
    # Post the first one today, so the day's list has it.
    waybill = "1190000000017"
    posted = Attempt(ServiceMethod.COURT_EXPRESS, Outcome.IN_TRANSIT, date.today(), waybill=waybill)
    svc.record_attempt(ws, AttemptEntry(ids[0], tasks[0].version, posted))

    listing = open_preview(qtbot, queue, "postal_pdf")
    assert listing.pane.page_count() >= 1
    text = pdf_text(
        save_through_the_button(qtbot, listing.pane, tmp_path / "清单.pdf", monkeypatch)
    )
    assert "邮寄清单" in text and waybill in text
    for task in tasks:
        assert task.code in text and task.recipient_name in text
    listing.close()
    qtbot.waitUntil(lambda: queue.preview_dialog is None, timeout=WAIT)

    labels = open_preview(qtbot, queue, "labels")
    assert labels.pane.page_count() == 1  # two labels on one A4 sheet
    assert labels.pane.pages_label.text() == "共 1 页"
    text = pdf_text(save_through_the_button(qtbot, labels.pane, tmp_path / "标签.pdf", monkeypatch))
    for task in tasks:
        assert task.recipient_name in text and task.case_number in text
    assert (
        print_through_the_button(qtbot, labels.pane, tmp_path / "labels-printed.pdf", monkeypatch)
        == 1
    )
    labels.close()
    qtbot.waitUntil(lambda: queue.preview_dialog is None, timeout=WAIT)

    day = open_preview(qtbot, queue, "day")
    day_text = pdf_text(
        save_through_the_button(qtbot, day.pane, tmp_path / "当日.pdf", monkeypatch)
    )
    assert waybill in day_text and tasks[0].code in day_text
    assert tasks[1].code not in day_text  # not posted
    assert day.pane.page_count() == len(PdfReader(tmp_path / "当日.pdf").pages)
    day.close()


def test_no_pdf_is_handed_to_an_outside_reader() -> None:
    """Every PDF is shown in the program's own preview; the desktop's reader is never asked."""
    import courtdesk.ui

    sources = Path(courtdesk.ui.__file__).parent.rglob("*.py")
    assert not [p.name for p in sources if "QDesktopServices" in p.read_text(encoding="utf-8")]
