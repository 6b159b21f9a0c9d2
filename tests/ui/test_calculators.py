"""Drive the 工具 menu's calculators in the real main window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialog, QTableWidget
from pytestqt.qtbot import QtBot

from courtdesk.services.workspace import Workspace, open_workspace
from courtdesk.ui.calculators.base import CalculatorDialog
from courtdesk.ui.calculators.fee_dialog import FeeDialog
from courtdesk.ui.calculators.holiday_year_dialog import HolidayYearDialog
from courtdesk.ui.calculators.lending_dialog import LendingDialog
from courtdesk.ui.calculators.lpr_dialog import LprDialog
from courtdesk.ui.calculators.period_dialog import PeriodDialog
from courtdesk.ui.main_window import MainWindow
from courtdesk.ui.tasks import TaskRunner
from tests.notices.helpers import pdf_pages
from tests.ui.pdf_preview import print_through_the_button, save_through_the_button, wait_for_pages
from tests.ui.typing import type_text

D = TypeVar("D", bound=QDialog)
WAIT = 15_000


def open_tool(qtbot: QtBot, window: MainWindow, action_name: str, kind: type[D]) -> D:
    action = next(a for a in window.tools.menu.actions() if a.objectName() == action_name)
    assert action.isEnabled()
    action.trigger()
    qtbot.waitUntil(lambda: bool(window.findChildren(kind)), timeout=WAIT)
    dialog = window.findChildren(kind)[-1]
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    return dialog


def column(table: QTableWidget, index: int) -> list[str]:
    return [table.item(row, index).text() for row in range(table.rowCount())]  # type: ignore[union-attr]


def type_into_cell(qtbot: QtBot, table: QTableWidget, row: int, col: int, text: str) -> None:
    table.setFocus()
    table.setCurrentCell(row, col)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not table
    type_text(qtbot, editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)


def save_sheet(qtbot: QtBot, dialog: CalculatorDialog, target: Path) -> str:
    """Click 打印计算单: the sheet opens in the preview; save it to ``target`` there, print it,
    and read the PDF's text back."""
    assert dialog.print_button.isEnabled()
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview_dialog is not None, timeout=WAIT)
    preview = dialog.preview_dialog
    assert preview is not None and wait_for_pages(qtbot, preview) == 1
    assert preview.windowTitle() == f"{dialog.windowTitle()}计算单"
    with pytest.MonkeyPatch.context() as patch:
        data = save_through_the_button(qtbot, preview.pane, target, patch)
        printed = target.with_name(f"printed-{target.name}")
        assert print_through_the_button(qtbot, preview.pane, printed, patch) == 1
    assert dialog.status_label.text() == f"计算单已保存：{target}"
    preview.close()
    qtbot.waitUntil(lambda: dialog.preview_dialog is None, timeout=WAIT)
    (page,) = pdf_pages(data)
    return page


# ---------------------------------------------------------------- fees
def test_fee_calculator_shows_the_working_band_by_band(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    qtbot.keyClick(
        window,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: bool(window.findChildren(FeeDialog)), timeout=WAIT)
    dialog = window.findChildren(FeeDialog)[-1]
    qtbot.waitUntil(lambda: dialog.schedule is not None, timeout=WAIT)
    assert dialog.total_label.text() == "请输入诉讼标的额" and dialog.problems_label.isHidden()
    qtbot.keyClicks(dialog.amount_edit, "1,000,000")
    assert dialog.total_label.text() == "应交纳 13,800.00 元"
    assert column(dialog.lines_table, 1) == [
        "50.00",
        "2,250.00",
        "2,000.00",
        "4,500.00",
        "5,000.00",
    ]
    dialog.procedure_combo.setCurrentIndex(dialog.procedure_combo.findData("summary"))
    qtbot.mouseClick(dialog.mediated_check, Qt.MouseButton.LeftButton)
    assert dialog.total_label.text() == "应交纳 6,900.00 元"
    assert "只适用一次" in dialog.notes_label.text()
    assert "第十六条" in column(dialog.lines_table, 0)[-1]

    text = save_sheet(qtbot, dialog, tmp_path / "fee.pdf")
    assert "长春新区人民法院" in text and "诉讼费用计算单" in text
    assert "超过10,000元至100,000元的部分90,000.00元×2.5%=2,250.00元" in text
    assert "应交纳案件受理费6,900.00元" in text


def test_fee_calculator_refuses_zero_and_negative_amounts(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_tool(qtbot, window, "feeAction", FeeDialog)
    qtbot.waitUntil(lambda: dialog.schedule is not None, timeout=WAIT)
    qtbot.keyClicks(dialog.amount_edit, "0")
    assert not dialog.problems_label.isHidden()
    assert "诉讼标的额必须大于零" in dialog.problems_label.text()
    assert "fde2e1" in dialog.amount_edit.styleSheet()
    assert not dialog.print_button.isEnabled() and dialog.lines_table.rowCount() == 0
    dialog.amount_edit.clear()
    qtbot.keyClicks(dialog.amount_edit, "-100")
    assert "必须大于零（输入的是 -100.00 元）" in dialog.problems_label.text()
    assert dialog.amount_edit.text() == "-100"  # what was typed is kept
    dialog.amount_edit.clear()
    qtbot.keyClicks(dialog.amount_edit, "20000000")
    assert dialog.problems_label.isHidden() and dialog.amount_edit.styleSheet() == ""
    assert dialog.total_label.text() == "应交纳 141,800.00 元"


def test_fee_calculator_other_kinds(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_tool(qtbot, window, "feeAction", FeeDialog)
    qtbot.waitUntil(lambda: dialog.schedule is not None, timeout=WAIT)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("divorce"))
    assert "本院标准：离婚案件每件 50 元" in dialog.kind_hint.text()
    assert dialog.total_label.text() == "应交纳 50.00 元"
    qtbot.keyClicks(dialog.amount_edit, "300000")
    assert dialog.total_label.text() == "应交纳 550.00 元"
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("preservation"))
    assert not dialog.procedure_combo.isEnabled()  # applications are never halved
    dialog.amount_edit.setText("2000000")
    assert dialog.total_label.text() == "应交纳 5,000.00 元"
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("labour"))
    assert not dialog.amount_edit.isEnabled()
    assert dialog.total_label.text() == "应交纳 10.00 元"


# ---------------------------------------------------------------- lending
def test_lending_calculator_with_repayments(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = open_tool(qtbot, window, "lendingAction", LendingDialog)
    qtbot.waitUntil(lambda: dialog.lpr is not None, timeout=WAIT)
    qtbot.keyClicks(dialog.principal_edit, "100000")
    dialog.formed_edit.setDate(QDate(2021, 3, 1))
    assert dialog.start_edit.date() == QDate(2021, 3, 1)  # follows the formation date
    dialog.end_edit.setDate(QDate(2022, 3, 1))
    qtbot.keyClicks(dialog.loan_rate.edit, "2")
    dialog.loan_rate.unit.setCurrentIndex(1)  # 月利率 2 % = 年 24 %
    qtbot.keyClicks(dialog.overdue_rate.edit, "30")
    qtbot.mouseClick(dialog.due.check, Qt.MouseButton.LeftButton)
    dialog.due.edit.setDate(QDate(2021, 9, 1))
    qtbot.mouseClick(
        dialog.findChild(type(dialog.print_button), "addRepayment"), Qt.MouseButton.LeftButton
    )
    type_into_cell(qtbot, dialog.repayments_table, 0, 0, "2021-06-01")
    type_into_cell(qtbot, dialog.repayments_table, 0, 1, "5000")

    assert dialog.problems_label.isHidden(), dialog.problems_label.text()
    assert "上限年利率 15.4%" in dialog.caps_label.text()
    assert "约定借期内年利率 24%：超过 15.4% 的部分不予支持" in dialog.caps_label.text()
    assert column(dialog.periods_table, 1) == ["92", "93", "180"]
    assert column(dialog.periods_table, 6) == ["3,881.64", "3,879.95", "7,509.59"]
    assert "抵充利息 3,881.64 元，抵充本金 1,118.36 元" in dialog.repayments_label.text()
    assert dialog.total_label.text() == "支持的利息 15,271.18 元；尚欠本息 110,271.18 元"

    text = save_sheet(qtbot, dialog, tmp_path / "lending.pdf")
    assert "民间借贷利息计算单" in text and "3,881.64" in text and "110,271.18" in text


def test_lending_calculator_explains_refusals(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_tool(qtbot, window, "lendingAction", LendingDialog)
    qtbot.waitUntil(lambda: dialog.lpr is not None, timeout=WAIT)
    qtbot.keyClicks(dialog.principal_edit, "50000")
    qtbot.keyClicks(dialog.loan_rate.edit, "10")
    dialog.formed_edit.setDate(QDate(2019, 5, 1))
    dialog.end_edit.setDate(QDate(2021, 5, 1))
    assert "须填写起诉日" in dialog.problems_label.text()
    assert "fde2e1" in dialog.filed.edit.styleSheet()
    qtbot.mouseClick(dialog.filed.check, Qt.MouseButton.LeftButton)
    dialog.filed.edit.setDate(QDate(2025, 9, 25))
    assert "缺少 2025年8月至2025年9月 的报价" in dialog.problems_label.text()
    dialog.filed.edit.setDate(QDate(2021, 6, 1))
    assert dialog.problems_label.isHidden()
    assert column(dialog.periods_table, 0)[0] == "2019-05-01 至 2020-08-19"
    dialog.principal_edit.setText("十万")
    assert "借款本金「十万」不是有效金额" in dialog.problems_label.text()


# ---------------------------------------------------------------- periods
def test_period_calculator(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = open_tool(qtbot, window, "periodAction", PeriodDialog)
    qtbot.waitUntil(lambda: dialog.calendar is not None, timeout=WAIT)
    dialog.preset_combo.setCurrentIndex(2)  # 上诉期·判决 15日
    dialog.start_edit.setDate(QDate(2026, 9, 16))
    assert dialog.last_day_label.text() == "期间届满日：2026-10-08（星期四）"
    assert "国庆节" in dialog.reasons_label.text() and dialog.warning_label.isHidden()
    qtbot.mouseClick(dialog.court_radio, Qt.MouseButton.LeftButton)
    assert dialog.last_day_label.text() == "期间届满日：2026-10-01（星期四）"
    assert dialog.preset_combo.currentIndex() == 0  # now a custom period
    qtbot.mouseClick(dialog.party_radio, Qt.MouseButton.LeftButton)
    dialog.start_edit.setDate(QDate(2026, 12, 17))
    assert dialog.last_day_label.text() == "期间届满日：2027-01-01（星期五）"
    assert not dialog.warning_label.isHidden() and "2027 年" in dialog.warning_label.text()

    text = save_sheet(qtbot, dialog, tmp_path / "period.pdf")
    assert "期间计算单" in text and "2027-01-01" in text and "仅按周末计算" in text


# ---------------------------------------------------------------- administrator's tables
@pytest.fixture
def admin(demo_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(demo_path, "admin")
    yield ws
    ws.close()


def test_others_can_look_at_the_tables_but_not_change_them(
    qtbot: QtBot, window: MainWindow
) -> None:
    lpr = open_tool(qtbot, window, "lprAction", LprDialog)
    qtbot.waitUntil(lambda: lpr.table.rowCount() > 0, timeout=WAIT)
    assert lpr.table.item(0, 0).text() == "2025-07-21"  # type: ignore[union-attr]
    assert not lpr.enter_button.isEnabled()
    holidays = open_tool(qtbot, window, "holidaysAction", HolidayYearDialog)
    assert not holidays.save_button.isEnabled() and not holidays.import_button.isEnabled()


def test_the_administrator_enters_an_lpr_fixing(
    qtbot: QtBot, admin: Workspace, runner: TaskRunner
) -> None:
    dialog = LprDialog(admin, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=WAIT)
    assert "报价已知至 2025-08-19" in dialog.known_label.text()
    dialog.day_edit.setDate(QDate(2025, 8, 20))
    qtbot.keyClicks(dialog.rate_edit, "abc")
    qtbot.mouseClick(dialog.enter_button, Qt.MouseButton.LeftButton)
    assert "不是数字" in dialog.problems_label.text()
    dialog.rate_edit.clear()
    qtbot.keyClicks(dialog.rate_edit, "2.95")
    qtbot.mouseClick(dialog.enter_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "报价已知至 2025-09-19" in dialog.known_label.text(), timeout=WAIT)
    assert [dialog.table.item(0, c).text() for c in range(4)] == [  # type: ignore[union-attr]
        "2025-08-20",
        "2.95%",
        "11.80%",
        "本院录入（admin）",
    ]
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "报价已知至 2025-08-19" in dialog.known_label.text(), timeout=WAIT)


def test_the_administrator_imports_and_saves_a_holiday_year(
    qtbot: QtBot, admin: Workspace, runner: TaskRunner, tmp_path: Path
) -> None:
    dialog = HolidayYearDialog(admin, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.year_spin.setValue(2027)
    qtbot.waitUntil(lambda: "尚无数据" in dialog.source_label.text(), timeout=WAIT)
    bad = tmp_path / "bad.csv"
    bad.write_text("2027-01-01,休,元旦\n2026-10-01,休,国庆节\n", encoding="utf-8")
    dialog.choose_import_path = lambda: bad  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.problems_label.isHidden(), timeout=WAIT)
    assert "第 2 行：2026-10-01 不在 2027 年内" in dialog.problems_label.text()
    assert dialog.table.rowCount() == 0

    good = tmp_path / "2027.json"
    good.write_text(
        '{"holidays": {"元旦": ["2027-01-01~2027-01-03"]}, "workdays": ["2027-02-06"]}',
        encoding="utf-8",
    )
    dialog.choose_import_path = lambda: good  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 4, timeout=WAIT)
    assert "读入 4 天" in dialog.status_label.text()
    assert dialog.table.item(3, 1).text() == "星期六"  # type: ignore[union-attr]
    # a row typed by hand, checked before saving
    row = dialog.add_day()
    type_into_cell(qtbot, dialog.table, row, 0, "2027-02-08")
    dialog.table.cellWidget(row, 2).setCurrentIndex(1)  # type: ignore[union-attr]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "2027-02-08 是工作日（周一）" in dialog.problems_label.text()
    dialog.table.selectRow(row)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "本院录入（admin" in dialog.source_label.text(), timeout=WAIT)
    assert dialog.table.rowCount() == 4
    from courtdesk.services.holidays import period

    assert period(admin, date(2026, 12, 17), days=15).last_day == date(2027, 1, 4)
