"""Notices in the real window: the case's 文书 tab, the dialog, preview, print, save,
a 500-document batch in the background, cancelling, and the administrator's editors."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QElapsedTimer, Qt, QTimer
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from courtdesk.services.workspace import open_workspace
from courtdesk.ui.main_window import MainWindow
from courtdesk.ui.notice_dialog import NoticeDialog
from courtdesk.ui.notice_tab import NoticesTab
from courtdesk.ui.notice_templates import NoticeSettingsDialog, TemplateEditorDialog
from courtdesk.ui.tasks import TaskRunner
from tests.notices.helpers import pdf_pages, pdf_text
from tests.ui.typing import type_text


def first_case_with(path: Path, sql: str) -> tuple[int, str]:
    with sqlite3.connect(path) as conn:
        row = conn.execute(sql).fetchone()
    assert row is not None, sql
    return int(row[0]), str(row[1])


def parties_of(path: Path, case_id: int) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT name FROM parties WHERE case_id = ? ORDER BY position", (case_id,)
            )
        ]


def show(qtbot: QtBot, window: MainWindow, case_id: int) -> NoticesTab:
    page = window.docket_page
    page.show_case(case_id)
    qtbot.waitUntil(
        lambda: page.detail.case is not None and page.detail.case.id == case_id, timeout=10_000
    )
    tab = window.findChild(NoticesTab, "noticesTab")
    assert tab is not None
    page.detail.setCurrentWidget(tab)
    return tab


def wait_generated(qtbot: QtBot, dialog: NoticeDialog, timeout: int = 20_000) -> None:
    qtbot.waitUntil(
        lambda: dialog.output is not None and dialog.generate_button.isEnabled(), timeout=timeout
    )


def test_from_the_case_tab_generate_preview_save_and_print(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    case_id, number = first_case_with(
        window.ws.path,
        "SELECT c.id, c.case_number FROM cases c WHERE c.type_code = '民初'"
        " AND (SELECT count(*) FROM parties p WHERE p.case_id = c.id) >= 3 ORDER BY c.id",
    )
    tab = show(qtbot, window, case_id)
    items = [tab.list.item(i) for i in range(tab.list.count())]
    evidence = next(i for i in items if i.text() == "举证通知书")
    assert all(i.flags() & Qt.ItemFlag.ItemIsEnabled for i in items)
    tab.list.setCurrentItem(evidence)
    with qtbot.waitSignal(tab.dialog_opened, timeout=10_000) as opened:
        qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    dialog: NoticeDialog = opened.args[0]
    qtbot.addWidget(dialog)
    assert dialog.kind_key == "evidence"
    names = parties_of(window.ws.path, case_id)
    qtbot.waitUntil(lambda: dialog.recipient_box.count() == len(names) + 1, timeout=10_000)
    assert dialog.recipient_box.itemText(0) == f"全部（{len(names)} 人）"
    with qtbot.waitSignal(dialog.generated, timeout=20_000):
        qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert dialog.document.pageCount() >= len(names)
    assert f"已生成举证通知书 {len(names)} 份" in dialog.message.text()
    assert dialog.progress.value() == 100
    text = pdf_text(dialog.output.pdf)  # type: ignore[union-attr]
    assert text.count(number) == len(names)
    for name in names:
        assert f"{name}：" in text

    target = tmp_path / "out" / "举证"
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save_to(target)
    assert pdf_text((tmp_path / "out" / "举证.pdf").read_bytes()) == text

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed_file = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed_file))
    with qtbot.waitSignal(dialog.printed, timeout=30_000) as printed:
        dialog.print_to(printer)
    assert printed.args[0] == dialog.document.pageCount()
    assert len(pdf_pages(printed_file.read_bytes())) == dialog.document.pageCount()
    window.grab().save(str(tmp_path / "window.png"))
    dialog.grab().save(str(tmp_path / "dialog.png"))


def test_a_missing_value_is_shown_in_the_dialog_and_the_choice_kept(
    qtbot: QtBot, window: MainWindow
) -> None:
    from datetime import date

    from courtdesk.domain.parties import PartyDraft
    from courtdesk.services import cases

    detail = cases.register_case(
        window.ws,
        cases.CaseDraft(
            "民初",
            "civil_summary",
            "买卖合同纠纷",
            date(2026, 11, 20),
            (PartyDraft("原告", "王堃"), PartyDraft("被告", "李喆", address="长春市")),
        ),
    )  # registered, no judge assigned yet
    case_id = detail.id
    show(qtbot, window, case_id)
    window.docket_page.table.clearSelection()
    dialog = window.open_notice_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("response"))
    qtbot.waitUntil(lambda: dialog.recipient_box.currentData() is not None, timeout=10_000)
    chosen = dialog.recipient_box.currentText()
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "缺少承办人" in dialog.message.text(), timeout=20_000)
    assert "无法生成应诉通知书" in dialog.message.text()
    assert dialog.recipient_box.currentText() == chosen and dialog.kind_key == "response"
    assert dialog.output is None and not dialog.print_button.isEnabled()


def _case_ids_for_documents(path: Path, documents: int) -> list[int]:
    ids: list[int] = []
    total = 0
    with sqlite3.connect(path) as conn:
        for case_id, count in conn.execute(
            # Cases heard in private are not the filing clerk's to print for.
            "SELECT p.case_id, count(*) FROM parties p JOIN cases c ON c.id = p.case_id"
            " WHERE c.is_private = 0 GROUP BY p.case_id ORDER BY p.case_id"
        ):
            ids.append(int(case_id))
            total += int(count)
            if total >= documents:
                return ids
    raise AssertionError("not enough parties in the demo")


@pytest.mark.slow
def test_a_500_document_batch_renders_in_the_background_and_the_window_stays_responsive(
    qtbot: QtBot, window: MainWindow
) -> None:
    case_ids = _case_ids_for_documents(window.ws.path, 500)
    dialog = NoticeDialog(
        window.ws, window.runner, case_ids, "", window, kind="address_confirmation"
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.recipient_box.currentData() == "all"
    gaps: list[int] = []
    clock = QElapsedTimer()
    ticker = QTimer(interval=20)
    ticker.timeout.connect(lambda: gaps.append(clock.restart()))
    started = time.perf_counter()
    clock.start()
    ticker.start()
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: 0 < dialog.progress.value() < 100, timeout=30_000)
    wait_generated(qtbot, dialog, timeout=120_000)
    seconds = time.perf_counter() - started
    ticker.stop()
    assert dialog.output is not None and dialog.output.documents >= 500
    # the GUI thread kept ticking while the batch was made: never frozen for a second
    assert len(gaps) > seconds * 5, (len(gaps), seconds)
    assert max(gaps) < 1_000, max(gaps)
    print(
        f"\n{dialog.output.documents} 份送达地址确认书：{seconds:.1f} 秒（界面最长停顿 {max(gaps)} 毫秒）"
    )


@pytest.mark.slow
def test_500_summonses_render_in_the_background_and_the_window_stays_responsive(
    qtbot: QtBot, window: MainWindow
) -> None:
    # Summonses dated 2025-01-01 go to the next hearing after that day: the demo's
    # scheduled hearings give well over 500 parties to summon.
    issued = "2025-01-01"
    ids: list[int] = []
    parties = 0
    with sqlite3.connect(window.ws.path) as conn:
        for case_id, count in conn.execute(
            "SELECT c.id, (SELECT count(*) FROM parties p WHERE p.case_id = c.id) FROM cases c"
            " WHERE c.is_private = 0 AND EXISTS (SELECT 1 FROM hearings h WHERE h.case_id = c.id"
            " AND h.status = 'scheduled' AND h.start_at > ?) ORDER BY c.id",
            (issued,),
        ):
            ids.append(int(case_id))
            parties += int(count)
            if parties >= 560:  # some parties get no 传票 (a margin, not a count)
                break
    assert parties >= 560
    dialog = NoticeDialog(window.ws, window.runner, ids, "", window, kind="summons")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.date_edit.setDate(QDate(2025, 1, 1))
    gaps: list[int] = []
    clock = QElapsedTimer()
    ticker = QTimer(interval=20)
    ticker.timeout.connect(lambda: gaps.append(clock.restart()))
    started = time.perf_counter()
    clock.start()
    ticker.start()
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: 0 < dialog.progress.value() < 100, timeout=30_000)
    wait_generated(qtbot, dialog, timeout=120_000)
    seconds = time.perf_counter() - started
    ticker.stop()
    assert dialog.output is not None, dialog.message.text()
    made = dialog.output.documents
    assert made >= 500, made
    assert len(gaps) > seconds * 5, (len(gaps), seconds)
    assert max(gaps) < 1_000, max(gaps)
    assert pdf_text(dialog.output.pdf).count("被传唤人") >= 500
    print(f"\n{dialog.output.documents} 张传票：{seconds:.1f} 秒（界面最长停顿 {max(gaps)} 毫秒）")


def test_cancelling_a_batch_stops_it_and_keeps_nothing(qtbot: QtBot, window: MainWindow) -> None:
    case_ids = _case_ids_for_documents(window.ws.path, 400)
    dialog = NoticeDialog(
        window.ws, window.runner, case_ids, "", window, kind="address_confirmation"
    )
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=30_000)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已取消" in dialog.message.text(), timeout=30_000)
    assert dialog.output is None and dialog.generate_button.isEnabled()


def test_menu_actions_follow_the_role(window: MainWindow) -> None:
    assert window.notice_action.isEnabled()  # a filing clerk prints notices
    assert not window.template_action.isEnabled()  # but does not edit their wording
    assert not window.notice_settings_action.isEnabled()


def test_the_administrator_edits_a_template_with_its_problems_named(
    qtbot: QtBot, demo_path: Path, runner: TaskRunner
) -> None:
    ws = open_workspace(demo_path, "admin")
    try:
        editor = TemplateEditorDialog(ws, runner)
        qtbot.addWidget(editor)
        editor.show()
        qtbot.waitUntil(lambda: editor.info is not None, timeout=10_000)
        editor.kinds.setCurrentRow(
            next(
                i
                for i in range(editor.kinds.count())
                if editor.kinds.item(i).text() == "应诉通知书"
            )
        )
        qtbot.waitUntil(
            lambda: editor.info is not None and editor.info.kind == "response", timeout=10_000
        )
        assert "随程序附带" in editor.status.text()
        assert editor.fields.count() > 10
        # a typo in a placeholder: refused, named, and the text stays as typed
        cursor = editor.editor.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        editor.editor.setTextCursor(cursor)
        editor.editor.setFocus()
        qtbot.keyClick(editor.editor, Qt.Key.Key_Return)
        type_text(qtbot, editor.editor, "联系邮箱：{法院邮箱}")
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "法院邮箱" in editor.problems.text(), timeout=10_000)
        assert "不是「应诉通知书」可用的字段" in editor.problems.text()
        assert editor.editor.toPlainText().endswith("联系邮箱：{法院邮箱}")
        # fixed: inserting a listed placeholder by double-click, then saved and previewed
        text = editor.editor.toPlainText().replace("联系邮箱：{法院邮箱}", "承办部门：")
        editor.editor.setPlainText(text)
        cursor = editor.editor.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        editor.editor.setTextCursor(cursor)
        item = next(
            editor.fields.item(i)
            for i in range(editor.fields.count())
            if editor.fields.item(i).text().startswith("{承办部门}")
        )
        editor.fields.itemDoubleClicked.emit(item)
        assert editor.editor.toPlainText().endswith("承办部门：{承办部门}")
        with qtbot.waitSignal(editor.saved, timeout=10_000):
            qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
        assert "本院修改" in editor.status.text()
        with qtbot.waitSignal(editor.previewed, timeout=10_000):
            qtbot.mouseClick(editor.preview_button, Qt.MouseButton.LeftButton)
        assert editor.document.pageCount() >= 1
        editor.grab().save(str(demo_path.parent / "template-editor.png"))
        editor.reset()
        qtbot.waitUntil(lambda: editor.info is not None and editor.info.is_default, timeout=10_000)
        runner.wait()
    finally:
        ws.close()


def test_notice_settings_dialog_stores_checked_values(
    qtbot: QtBot, demo_path: Path, runner: TaskRunner
) -> None:
    from courtdesk.services import settings

    ws = open_workspace(demo_path, "admin")
    try:
        dialog = NoticeSettingsDialog(ws, runner)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: bool(dialog._loaded), timeout=10_000)
        dialog.editors["notice.margin.left"].setValue(30)
        dialog.editors["notice.court_phone"].setText("0431-88886666")
        dialog.editors["notice.evidence_days.small_claims"].setValue(30)  # above the law's bound
        dialog.save()
        qtbot.waitUntil(lambda: "小额诉讼程序举证期限" in dialog.problems.text(), timeout=10_000)
        assert settings.get(ws, "notice.court_phone") == ""  # nothing stored
        dialog.editors["notice.evidence_days.small_claims"].setValue(7)
        with qtbot.waitSignal(dialog.saved, timeout=10_000):
            dialog.save()
        assert settings.get(ws, "notice.court_phone") == "0431-88886666"
        assert settings.get(ws, "notice.margin.left") == "30"
        runner.wait()
    finally:
        ws.close()


def test_summons_for_the_cases_hearing_from_the_dialog(qtbot: QtBot, window: MainWindow) -> None:
    case_id, number = first_case_with(
        window.ws.path,
        "SELECT c.id, c.case_number FROM hearings h JOIN cases c ON c.id = h.case_id"
        " WHERE h.status = 'scheduled' AND h.mode = 'room' ORDER BY h.id",
    )
    tab = show(qtbot, window, case_id)
    with qtbot.waitSignal(tab.dialog_opened, timeout=10_000) as opened:
        tab.open_dialog("summons")
    dialog: NoticeDialog = opened.args[0]
    qtbot.addWidget(dialog)
    assert dialog.hearing_box.isVisibleTo(dialog) and not dialog.day_edit.isVisibleTo(dialog)
    qtbot.waitUntil(lambda: dialog.hearing_box.count() >= 2, timeout=10_000)
    dialog.hearing_box.setCurrentIndex(1)  # the scheduled hearing itself, by its time
    qtbot.waitUntil(lambda: dialog.recipient_box.currentData() is not None, timeout=10_000)
    if dialog.recipient_box.findData("all") >= 0:
        dialog.recipient_box.setCurrentIndex(dialog.recipient_box.findData("all"))
    with qtbot.waitSignal(dialog.generated, timeout=20_000):
        qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    text = pdf_text(dialog.output.pdf)  # type: ignore[union-attr]
    assert number in text and "被传唤人" in text and "应到时间" in text
    year, month, day = (int(x) for x in dialog.hearing_box.currentText()[:10].split("-"))
    assert f"应到时间{year}年{month}月{day}日" in text  # the hearing chosen in the dialog


def test_the_schedules_cause_list_prints_through_the_notice_dialog(
    qtbot: QtBot, window: MainWindow
) -> None:
    from datetime import date

    from courtdesk.ui.cause_list_dialog import CauseListDialog

    with sqlite3.connect(window.ws.path) as conn:
        day_text, count = conn.execute(
            "SELECT substr(start_at, 1, 10) AS day, count(*) FROM hearings"
            " WHERE status = 'scheduled' GROUP BY day ORDER BY count(*) DESC"
        ).fetchone()
    day = date.fromisoformat(day_text)
    listing = CauseListDialog(window.ws, window.runner, day, window)
    qtbot.addWidget(listing)
    qtbot.waitUntil(lambda: listing.listing is not None, timeout=10_000)
    assert listing.print_button.isEnabled()
    dialog = listing.open_printable()
    assert isinstance(dialog, NoticeDialog)
    qtbot.addWidget(dialog)
    assert dialog.kind_key == "cause_list" and dialog.day_edit.date().toPython() == day
    assert not dialog.recipient_box.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.generated, timeout=20_000):
        qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    text = pdf_text(dialog.output.pdf)  # type: ignore[union-attr]
    assert f"开庭排期表{day.year}年{day.month}月{day.day}日" in text and f"共{count}件" in text
    listing.kind.setCurrentIndex(listing.kind.findData("announcement"))
    assert not listing.print_button.isEnabled()


def test_notices_for_a_selection_in_the_docket(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtCore import QItemSelectionModel

    page = window.docket_page
    selection = page.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (0, 2, 5):
        selection.select(page.model.index(row, 0), flags)
    expected = [page.model.row_at(row).id for row in (0, 2, 5)]  # type: ignore[union-attr]
    assert page.selected_case_ids() == expected
    dialog = window.open_notice_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.case_ids == expected
    assert dialog.windowTitle() == "生成文书 — 3 件案件"
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("address_confirmation"))
    assert dialog.recipient_box.currentText() == "每件案件的全部收件人（3 件）"
    with qtbot.waitSignal(dialog.generated, timeout=20_000):
        qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    with sqlite3.connect(window.ws.path) as conn:
        parties = conn.execute(
            f"SELECT count(*) FROM parties WHERE case_id IN ({','.join('?' * 3)})", expected
        ).fetchone()[0]
    assert dialog.output is not None and dialog.output.documents == parties
