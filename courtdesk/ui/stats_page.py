"""The 统计 page: cases by category and status."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from courtdesk.services import stats
from courtdesk.services.stats import StatusTable
from courtdesk.services.workspace import Workspace
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import named


class StatsPage(QWidget):
    error = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._runner = runner
        self.title = named(QLabel("案件状态统计"), "statsTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.title.setFont(font)
        self.table = named(QTableWidget(), "statusTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        refresh = named(QPushButton("刷新"), "refreshStats")
        refresh.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(refresh, 0, Qt.AlignmentFlag.AlignRight)

    def refresh(self) -> None:
        ws = self._ws
        self._runner.run(lambda: stats.status_table(ws), self._show, self.error.emit)

    def _show(self, table: StatusTable) -> None:
        headers = [*table.statuses, "合计"]
        self.table.setColumnCount(len(headers))
        self.table.setRowCount(len(table.categories) + 1)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setVerticalHeaderLabels([*table.categories, "合计"])
        for row, counts in enumerate(table.counts):
            for column, value in enumerate([*counts, sum(counts)]):
                self._put(row, column, value)
        for column in range(len(table.statuses)):
            self._put(len(table.categories), column, sum(r[column] for r in table.counts))
        self._put(len(table.categories), len(table.statuses), table.total)

    def _put(self, row: int, column: int, value: int) -> None:
        item = QTableWidgetItem(f"{value:,}")
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, column, item)
