"""Drive the 立案 dialog: cause picking, the fee, keyboard entry, autocomplete, duplicates."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from courtdesk.ui.assign_dialog import AssignDialog
from courtdesk.ui.cause_picker import NAME_ROLE, CauseTreeDialog
from courtdesk.ui.main_window import MainWindow
from courtdesk.ui.party_table import DETAIL_ROLE
from courtdesk.ui.party_table import NAME_ROLE as PARTY_NAME_ROLE
from courtdesk.ui.register_dialog import COL, RegisterCaseDialog
from tests.ui.typing import type_text

WAIT = 15_000


def db_value(path: Path, sql: str, *params: object) -> object:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, params).fetchone()[0]


def open_dialog(qtbot: QtBot, window: MainWindow) -> RegisterCaseDialog:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(window.findChildren(RegisterCaseDialog)), timeout=WAIT)
    return window.findChildren(RegisterCaseDialog)[-1]


def edit_cell(qtbot: QtBot, dialog: RegisterCaseDialog, row: int, key: str) -> QLineEdit:
    table = dialog.party_table
    table.setFocus()
    table.setCurrentCell(row, COL[key])
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.indexWidget(table.currentIndex())  # the open editor of the cell
    assert isinstance(editor, QLineEdit)
    editor.setFocus()
    return editor


def type_into_cell(qtbot: QtBot, dialog: RegisterCaseDialog, row: int, key: str, text: str) -> None:
    editor = edit_cell(qtbot, dialog, row, key)
    type_text(qtbot, editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)


def click_suggestion(qtbot: QtBot, popup: object, role: int, value: object) -> None:
    from PySide6.QtWidgets import QAbstractItemView

    assert isinstance(popup, QAbstractItemView)
    qtbot.waitUntil(popup.isVisible, timeout=WAIT)
    model = popup.model()
    rows = [r for r in range(model.rowCount()) if model.index(r, 0).data(role) == value]
    assert rows, f"{value} not among the suggestions"
    index: QModelIndex = model.index(rows[0], 0)
    popup.scrollTo(index)
    qtbot.mouseClick(
        popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(index).center()
    )


def test_register_with_a_cause_found_by_initials_and_the_fee_shown(
    qtbot: QtBot, window: MainWindow
) -> None:
    path = window.ws.path
    before = db_value(path, "SELECT count(*) FROM cases")
    dialog = open_dialog(qtbot, window)
    dialog.assign_check.setChecked(False)
    dialog.procedure_combo.setCurrentIndex(dialog.procedure_combo.findData("civil_summary"))
    # Pinyin initials in the 案由 field; the suggestion is picked with the mouse.
    qtbot.keyClicks(dialog.cause_edit, "mjjd")
    click_suggestion(qtbot, dialog.cause_edit.completer_.popup(), NAME_ROLE, "民间借贷纠纷")
    assert dialog.cause_edit.text() == "民间借贷纠纷"
    qtbot.keyClicks(dialog.amount_edit, "100,000")
    qtbot.waitUntil(
        lambda: dialog.fee is not None and str(dialog.fee.total) == "1150.00", timeout=WAIT
    )
    assert "1,150.00 元" in dialog.fee_label.text()
    qtbot.mouseClick(dialog.fee_button, Qt.MouseButton.LeftButton)
    assert dialog.fee_working.isVisible()
    working = dialog.fee_working.text()
    assert "90,000.00 元 × 2.5% = 2,250.00 元" in working and "减半" in working

    type_into_cell(qtbot, dialog, 0, "name", "司马淼")
    type_into_cell(qtbot, dialog, 0, "id_number", "11010519491231002X")
    type_into_cell(qtbot, dialog, 0, "agent_name", "钱多多")
    type_into_cell(qtbot, dialog, 0, "agent_firm", "吉林功承律师事务所")
    type_into_cell(qtbot, dialog, 0, "agent_licence", "12201201010000001")
    # Enter on the last party row adds another party and moves to its name.
    editor = edit_cell(qtbot, dialog, 1, "name")
    type_text(qtbot, editor, "欧阳喆")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.party_table.rowCount() == 3, timeout=WAIT)
    assert dialog.party_table.currentRow() == 2
    assert dialog.party_table.currentColumn() == COL["name"]
    assert dialog.party_table.cell(1, "name") == "欧阳喆"

    with qtbot.waitSignal(dialog.registered, timeout=WAIT) as registered:
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    detail = registered.args[0]
    assert db_value(path, "SELECT count(*) FROM cases") == before + 1
    assert detail.cause == "民间借贷纠纷" and detail.procedure == "civil_summary"
    assert [p.name for p in detail.parties] == [
        "司马淼",
        "欧阳喆",
    ]  # the blank third row is no party
    agent = detail.parties[0].agents[0]
    assert (agent.kind, agent.law_firm, agent.licence_number) == (
        "律师",
        "吉林功承律师事务所",
        "12201201010000001",
    )
    page = window.docket_page
    qtbot.waitUntil(lambda: bool(page.table.selectionModel().selectedRows()), timeout=WAIT)
    row = page.table.selectionModel().selectedRows()[0].row()
    assert page.model.index(row, 0).data() == detail.case_number
    assert page.model.index(row, 5).data() == "待分案"


def test_the_cause_tree_filters_by_initials_and_enter_picks(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = open_dialog(qtbot, window)
    qtbot.keyClick(dialog.cause_edit, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: bool(dialog.findChildren(CauseTreeDialog)), timeout=WAIT)
    tree_dialog = dialog.findChildren(CauseTreeDialog)[-1]
    qtbot.keyClicks(tree_dialog.filter_edit, "jtsg")
    assert tree_dialog.apply_filter("jtsg") == 2  # 机动车 / 非机动车交通事故责任纠纷
    qtbot.keyClick(tree_dialog.filter_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.cause_edit.text() == "机动车交通事故责任纠纷", timeout=WAIT)
    assert not dialog.cause_hint.isVisible()
    dialog.cause_edit.setText("借钱纠纷")
    assert "不在本类案件的案由表中" in dialog.cause_hint.text()
    dialog.reject()


def test_known_parties_and_lawyers_fill_the_row(qtbot: QtBot, window: MainWindow) -> None:
    path = window.ws.path
    with sqlite3.connect(path) as conn:
        name, id_number, address = conn.execute(
            "SELECT name, id_number, address FROM parties WHERE kind = 'person'"
            " AND length(name) = 3 ORDER BY id LIMIT 1 OFFSET 40"
        ).fetchone()
        lawyer, firm, licence = conn.execute(
            "SELECT name, law_firm, licence_number FROM agents ORDER BY id LIMIT 1 OFFSET 7"
        ).fetchone()
    dialog = open_dialog(qtbot, window)
    table = dialog.party_table
    editor = edit_cell(qtbot, dialog, 0, "name")
    with qtbot.waitSignal(table.lookup_done, timeout=WAIT, check_params_cb=lambda k, n: n > 0):
        type_text(qtbot, editor, name[:2])
    completer = editor.findChild(type(dialog.cause_edit.completer_))
    assert completer is not None
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=WAIT)
    if not any(
        popup.model().index(r, 0).data(PARTY_NAME_ROLE) == name
        for r in range(popup.model().rowCount())
    ):
        with qtbot.waitSignal(table.lookup_done, timeout=WAIT, check_params_cb=lambda k, n: n > 0):
            type_text(qtbot, editor, name[2:])
    model = popup.model()
    rows = [r for r in range(model.rowCount()) if model.index(r, 0).data(DETAIL_ROLE) == id_number]
    assert rows
    index = model.index(rows[0], 0)
    popup.scrollTo(index)
    qtbot.mouseClick(
        popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(index).center()
    )
    qtbot.waitUntil(lambda: table.cell(0, "id_number") == id_number, timeout=WAIT)
    assert table.cell(0, "address") == address
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: table.cell(0, "name") == name, timeout=WAIT)

    editor = edit_cell(qtbot, dialog, 0, "agent_name")
    with qtbot.waitSignal(table.lookup_done, timeout=WAIT, check_params_cb=lambda k, n: n > 0):
        type_text(qtbot, editor, lawyer)
    completer = editor.findChild(type(dialog.cause_edit.completer_))
    assert completer is not None
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=WAIT)
    model = popup.model()
    rows = [r for r in range(model.rowCount()) if model.index(r, 0).data(DETAIL_ROLE) == firm]
    index = model.index(rows[0], 0)
    qtbot.mouseClick(
        popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(index).center()
    )
    qtbot.waitUntil(lambda: table.cell(0, "agent_firm") == firm, timeout=WAIT)
    assert table.cell(0, "agent_licence") == licence
    dialog.reject()


def test_a_duplicate_is_warned_about_and_registered_on_the_second_press(
    qtbot: QtBot, window: MainWindow
) -> None:
    path = window.ws.path
    with sqlite3.connect(path) as conn:
        case_id, cause, number = conn.execute(
            "SELECT c.id, c.cause, c.case_number FROM cases c WHERE c.status = 'pending'"
            " AND c.type_code = '民初' AND (SELECT count(*) FROM parties p WHERE p.case_id = c.id) = 2"
            " ORDER BY c.id LIMIT 1"
        ).fetchone()
        parties = conn.execute(
            "SELECT role, kind, name, id_number, credit_code FROM parties WHERE case_id = ?"
            " ORDER BY position",
            (case_id,),
        ).fetchall()
    before = db_value(path, "SELECT count(*) FROM cases")
    dialog = open_dialog(qtbot, window)
    dialog.assign_check.setChecked(False)
    dialog.cause_edit.setText(cause)
    for row, (role, kind, name, id_number, credit_code) in enumerate(parties):
        dialog.fill_party(
            row,
            role=role,
            kind="自然人" if kind == "person" else "法人或其他组织",
            name=name,
            id_number=id_number or credit_code,
        )
    qtbot.waitUntil(lambda: dialog.duplicate_label.isVisible(), timeout=WAIT)
    assert number in dialog.duplicate_label.text()
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.submit_button.text() == "仍然立案", timeout=WAIT)
    assert dialog.isVisible() and db_value(path, "SELECT count(*) FROM cases") == before
    with qtbot.waitSignal(dialog.registered, timeout=WAIT):
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    assert db_value(path, "SELECT count(*) FROM cases") == before + 1


def test_bad_input_is_explained_kept_and_nothing_is_stored(
    qtbot: QtBot, window: MainWindow
) -> None:
    path = window.ws.path
    before = (
        db_value(path, "SELECT count(*) FROM cases"),
        db_value(path, "SELECT count(*) FROM parties"),
    )
    dialog = open_dialog(qtbot, window)
    type_text(qtbot, dialog.amount_edit, "12元3角")
    type_into_cell(qtbot, dialog, 0, "name", "张三")
    type_into_cell(qtbot, dialog, 0, "id_number", "110105194912310021")
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    assert dialog.problems_label.isVisible()
    assert "诉讼标的额" in dialog.problems_label.text()
    dialog.amount_edit.clear()
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "身份证号码校验位错误" in dialog.problems_label.text(), timeout=WAIT)
    message = dialog.problems_label.text()
    assert "案由不能为空" in message and "缺少被告" in message
    assert dialog.isVisible() and dialog.submit_button.isEnabled()
    assert dialog.party_table.item(0, COL["id_number"]).text() == "110105194912310021"
    assert dialog.party_table.item(0, COL["name"]).text() == "张三"
    after = (
        db_value(path, "SELECT count(*) FROM cases"),
        db_value(path, "SELECT count(*) FROM parties"),
    )
    assert after == before
    dialog.reject()


def test_registering_then_assigning_at_once(qtbot: QtBot, window: MainWindow) -> None:
    path = window.ws.path
    dialog = open_dialog(qtbot, window)
    assert dialog.assign_check.isChecked()  # a filing clerk may assign
    dialog.cause_edit.setText("买卖合同纠纷")
    dialog.amount_edit.setText("8000")
    dialog.fill_party(0, name="甲公司员工周某")
    dialog.fill_party(1, name="乙某")
    with qtbot.waitSignal(dialog.registered, timeout=WAIT) as registered:
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    case_id = registered.args[0].id
    qtbot.waitUntil(lambda: bool(window.findChildren(AssignDialog)), timeout=WAIT)
    assign = window.findChildren(AssignDialog)[-1]
    qtbot.waitUntil(lambda: assign.options is not None, timeout=WAIT)
    assert assign.auto_radio.isChecked() and assign.candidates.rowCount() >= 2
    with qtbot.waitSignal(assign.assigned, timeout=WAIT):
        qtbot.mouseClick(assign.submit_button, Qt.MouseButton.LeftButton)
    assert db_value(path, "SELECT status FROM cases WHERE id = ?", case_id) == "pending"
    assert (
        db_value(
            path,
            "SELECT method FROM case_assignments WHERE case_id = ? AND ended_at IS NULL",
            case_id,
        )
        == "auto"
    )
    assert "已分案" in window.statusBar().currentMessage()
