"""The holiday schedule of a year (节假日安排): see it, enter it, or import it from a file.

The State Council publishes the next year's holidays each autumn; until the
holiday package knows that year, the administrator types it in or imports a CSV
or JSON file (see ``domain/holiday_schedule``), checks the table, and saves it.
Saving replaces the year in one audited transaction. Other users can look.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from courtdesk.domain.holiday_schedule import ScheduleDay, parse_schedule, rows_to_schedule
from courtdesk.errors import CourtdeskError, FieldProblem, ValidationError
from courtdesk.services import holidays
from courtdesk.services.holidays import YearSchedule
from courtdesk.services.permissions import Permission, allowed
from courtdesk.services.workspace import Workspace
from courtdesk.ui.calculators.base import PROBLEM_STYLE, WARNING_STYLE
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import fit_to_screen, named

WEEKDAYS = "一二三四五六日"
KINDS = ("放假", "上班")


def read_schedule_file(path: Path, year: int) -> list[ScheduleDay]:
    """Read and check a schedule file (runs off the GUI thread)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise CourtdeskError(f"无法读取文件 {path}：{error.strerror}") from None
    except UnicodeDecodeError:
        raise CourtdeskError(f"文件 {path.name} 不是 UTF-8 编码的文本") from None
    return parse_schedule(text, year, json_format=path.suffix.lower() == ".json")


class HolidayYearDialog(QDialog):
    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("节假日安排")
        self.setObjectName("holidayYearDialog")
        self._ws = ws
        self._runner = runner
        self.schedule: YearSchedule | None = None
        self.may_edit = allowed(ws.actor, Permission.MANAGE_COURT)
        char = self.fontMetrics().horizontalAdvance("中")

        self.year_spin = named(QSpinBox(), "year")
        self.year_spin.setRange(2004, 2100)
        self.year_spin.setValue(date.today().year + 1)
        self.source_label = named(QLabel("正在读取…"), "source")
        self.source_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("年份"))
        top.addWidget(self.year_spin)
        top.addWidget(self.source_label, 1)

        self.problems_label = named(QLabel(), "problems")
        self.problems_label.setStyleSheet(PROBLEM_STYLE)
        self.problems_label.setWordWrap(True)
        self.problems_label.hide()
        self.table = named(QTableWidget(0, 4), "days")
        self.table.setHorizontalHeaderLabels(["日期（YYYY-MM-DD）", "星期", "类型", "名称"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._item_changed)

        self.add_button = named(QPushButton("添加一行"), "addDay")
        self.add_button.clicked.connect(lambda: self.add_day())
        self.remove_button = named(QPushButton("删除所选"), "removeDays")
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button = named(QPushButton("从文件导入…"), "importFile")
        self.import_button.clicked.connect(self.import_file)
        self.save_button = named(QPushButton("保存本年安排"), "saveYear")
        self.save_button.clicked.connect(self.save)
        self.status_label = named(QLabel(), "status")
        self.status_label.setWordWrap(True)
        close = named(QPushButton("关闭"), "close")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.import_button):
            button.setAutoDefault(False)
            button.setEnabled(self.may_edit)
            buttons.addWidget(button)
        buttons.addWidget(self.status_label, 1)
        self.save_button.setEnabled(self.may_edit)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        hint = QLabel(
            "录入国务院公布的放假日和调休上班日；其余周一至周五为工作日、周六日为休息日。"
            "导入文件：CSV「日期,类型,名称」（类型为 休 或 班，日期可写 2027-01-01~2027-01-03）或 JSON。"
            + ("" if self.may_edit else " 仅系统管理员可修改。")
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        fit_to_screen(self, char * 64, char * 40)
        self.year_spin.valueChanged.connect(lambda _: self.reload())
        self.reload()

    @property
    def year(self) -> int:
        return self.year_spin.value()

    # ------------------------------------------------------------ loading
    def reload(self) -> None:
        ws, year = self._ws, self.year
        self._runner.run(lambda: holidays.year_schedule(ws, year), self._show, self._failed)

    def _show(self, schedule: YearSchedule) -> None:
        if schedule.year != self.year:
            return  # the user has moved on to another year
        self.schedule = schedule
        self.source_label.setText(f"数据来源：{schedule.source_label}")
        self.source_label.setStyleSheet(WARNING_STYLE if schedule.source == "none" else "")
        self.fill(schedule.days)

    def fill(self, days: tuple[ScheduleDay, ...] | list[ScheduleDay]) -> None:
        self.table.setRowCount(0)
        for day in days:
            self.add_day(day.day.isoformat(), day.working, day.name)

    def add_day(self, day: str = "", working: bool = False, name: str = "") -> int:
        self.table.blockSignals(True)
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(day))
        weekday = QTableWidgetItem(self._weekday(day))
        weekday.setFlags(weekday.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(row, 1, weekday)
        kind = QComboBox()
        kind.addItems(KINDS)
        kind.setCurrentIndex(1 if working else 0)
        kind.setEnabled(self.may_edit)
        self.table.setCellWidget(row, 2, kind)
        self.table.setItem(row, 3, QTableWidgetItem(name))
        if not self.may_edit:
            for column in (0, 3):
                item = self.table.item(row, column)
                if item is not None:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.blockSignals(False)
        return row

    @staticmethod
    def _weekday(text: str) -> str:
        try:
            return "星期" + WEEKDAYS[date.fromisoformat(text.strip()).weekday()]
        except ValueError:
            return ""

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == 0:
            weekday = self.table.item(item.row(), 1)
            if weekday is not None:
                self.table.blockSignals(True)
                weekday.setText(self._weekday(item.text()))
                self.table.blockSignals(False)

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    # ------------------------------------------------------------ import and save
    def choose_import_path(self) -> Path | None:
        """Ask for the file to import (tests replace this)."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _ = QFileDialog.getOpenFileName(
            self, "导入节假日安排", folder, "节假日安排 (*.csv *.json);;所有文件 (*)"
        )
        return Path(path) if path else None

    def import_file(self) -> None:
        path = self.choose_import_path()
        if path is None:
            return
        self._clear()
        year = self.year
        self.status_label.setText(f"正在读取 {path.name}…")

        def read_done(days: list[ScheduleDay]) -> None:
            self.fill(days)
            self.status_label.setText(
                f"已从 {path.name} 读入 {len(days)} 天，请核对后点击「保存本年安排」"
            )

        self._runner.run(lambda: read_schedule_file(path, year), read_done, self._failed)

    def rows(self) -> list[tuple[str, list[str]]]:
        rows = []
        for row in range(self.table.rowCount()):
            day = self.table.item(row, 0)
            name = self.table.item(row, 3)
            kind = self.table.cellWidget(row, 2)
            cells = [
                day.text().strip() if day else "",
                "班" if isinstance(kind, QComboBox) and kind.currentIndex() == 1 else "休",
                name.text().strip() if name else "",
            ]
            if cells[0] or cells[2]:
                rows.append((f"第 {row + 1} 行", cells))
        return rows

    def save(self) -> None:
        self._clear()
        year = self.year
        try:
            days = rows_to_schedule(self.rows(), year)
        except ValidationError as error:
            self._failed(error)
            return
        ws = self._ws
        self.save_button.setEnabled(False)
        self.status_label.setText("正在保存…")

        def saved(count: int) -> None:
            self.save_button.setEnabled(True)
            self.status_label.setText(f"已保存 {year} 年节假日安排 {count} 天")
            self.reload()

        self._runner.run(
            lambda: holidays.enter_year(ws, year, [d.as_tuple() for d in days]),
            saved,
            self._failed,
        )

    def _clear(self) -> None:
        self.problems_label.hide()
        self.status_label.clear()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(self.may_edit)
        self.status_label.clear()
        if isinstance(error, ValidationError):
            problems: list[FieldProblem] = list(error.problems)
        elif isinstance(error, CourtdeskError):
            problems = [FieldProblem("", error.message)]
        else:
            raise error
        self.problems_label.setText("\n".join(f"• {p.message}" for p in problems))
        self.problems_label.show()
