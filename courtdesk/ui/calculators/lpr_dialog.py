"""The LPR table (LPR 报价表): every one-year LPR fixing the lending calculator knows.

Everyone can look; the administrator enters each new monthly fixing (or only the
changes) and may remove one the court entered by mistake. The shipped fixings
cannot be removed, only replaced by an entry for the same day.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from courtdesk.domain.lpr import LprTable
from courtdesk.errors import CourtdeskError, ValidationError
from courtdesk.services import lending
from courtdesk.services.permissions import Permission, allowed
from courtdesk.services.workspace import Workspace
from courtdesk.ui.calculators.base import INVALID_STYLE, PROBLEM_STYLE, date_edit, from_qdate
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import fit_to_screen, named


class LprDialog(QDialog):
    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("一年期LPR报价表")
        self.setObjectName("lprDialog")
        self._ws = ws
        self._runner = runner
        self.table_data: LprTable | None = None
        char = self.fontMetrics().horizontalAdvance("中")

        self.known_label = named(QLabel("正在读取…"), "knownThrough")
        self.known_label.setWordWrap(True)
        self.problems_label = named(QLabel(), "problems")
        self.problems_label.setStyleSheet(PROBLEM_STYLE)
        self.problems_label.setWordWrap(True)
        self.problems_label.hide()
        self.table = named(QTableWidget(0, 4), "fixings")
        self.table.setHorizontalHeaderLabels(
            ["起适用日", "一年期LPR", "四倍（借贷利率上限）", "来源"]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        may_edit = allowed(ws.actor, Permission.MANAGE_COURT)
        self.day_edit = date_edit("fixingDay")
        self.rate_edit = named(QLineEdit(), "fixingRate")
        self.rate_edit.setPlaceholderText("年利率 %，如 3.00")
        self.enter_button = named(QPushButton("录入报价"), "enterFixing")
        self.enter_button.clicked.connect(self.enter_fixing)
        self.delete_button = named(QPushButton("删除所选（仅本院录入）"), "deleteFixing")
        self.delete_button.clicked.connect(self.delete_selected)
        entry = QHBoxLayout()
        entry.addWidget(QLabel("报价日"))
        entry.addWidget(self.day_edit)
        entry.addWidget(QLabel("年利率"))
        entry.addWidget(self.rate_edit)
        entry.addWidget(self.enter_button)
        entry.addStretch(1)
        entry.addWidget(self.delete_button)
        for widget in (self.day_edit, self.rate_edit, self.enter_button, self.delete_button):
            widget.setEnabled(may_edit)
        close = named(QPushButton("关闭"), "close")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        footer = QHBoxLayout()
        hint = QLabel(
            "LPR 每月20日（遇节假日顺延）发布；仅系统管理员可录入。"
            if not may_edit
            else "LPR 每月20日（遇节假日顺延）发布；可逐月录入，或只录入变动的报价。"
        )
        hint.setStyleSheet("color: #555;")
        footer.addWidget(hint, 1)
        footer.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.known_label)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(entry)
        layout.addLayout(footer)
        fit_to_screen(self, char * 62, char * 36)
        self.reload()

    def reload(self) -> None:
        ws = self._ws
        self._runner.run(lambda: lending.lpr_table(ws), self._show, self._failed)

    def _show(self, table: LprTable) -> None:
        self.table_data = table
        self.known_label.setText(
            f"报价已知至 {table.known_through.isoformat()}（最近一次报价 "
            f"{table.last_fixing.day.isoformat()}，{table.last_fixing.rate:.2f}%）；"
            "此后的借贷合同或起诉日须先录入当月报价。"
        )
        self.table.setRowCount(0)
        for fixing in reversed(table.fixings):
            row = self.table.rowCount()
            self.table.insertRow(row)
            source = f"本院录入（{fixing.entered_by}）" if fixing.entered_by else "内置"
            cells = (
                fixing.day.isoformat(),
                f"{fixing.rate:.2f}%",
                f"{fixing.cap:.2f}%",
                source,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (1, 2):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                item.setData(Qt.ItemDataRole.UserRole, fixing.day)
                self.table.setItem(row, column, item)

    def _failed(self, error: BaseException) -> None:
        self.enter_button.setEnabled(True)
        if not isinstance(error, CourtdeskError):
            raise error
        self.problems_label.setText(error.message)
        self.problems_label.show()
        if isinstance(error, ValidationError):
            for problem in error.problems:
                widget = self.rate_edit if problem.field == "rate" else self.day_edit
                widget.setStyleSheet(INVALID_STYLE)

    def _clear(self) -> None:
        self.problems_label.hide()
        self.rate_edit.setStyleSheet("")
        self.day_edit.setStyleSheet("")

    def enter_fixing(self) -> None:
        self._clear()
        text = self.rate_edit.text().strip().removesuffix("%")
        try:
            rate = Decimal(text)
        except InvalidOperation:
            self._failed(ValidationError(f"年利率「{self.rate_edit.text()}」不是数字", "rate"))
            return
        ws, day = self._ws, from_qdate(self.day_edit)
        self.enter_button.setEnabled(False)

        def done(_: object) -> None:
            self.enter_button.setEnabled(True)
            self.rate_edit.clear()
            self.reload()

        self._runner.run(lambda: lending.enter_lpr(ws, day, rate), done, self._failed)

    def delete_selected(self) -> None:
        self._clear()
        item = self.table.item(self.table.currentRow(), 0)
        if item is None:
            return
        ws, day = self._ws, item.data(Qt.ItemDataRole.UserRole)
        self._runner.run(lambda: lending.delete_lpr(ws, day), lambda _: self.reload(), self._failed)
