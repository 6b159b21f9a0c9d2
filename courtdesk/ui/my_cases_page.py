"""The 我的案件 page: the signed-in judge's open cases, fewest days of the 审限 left first.

Overdue rows are red, near-expiry rows amber, suspended cases say 中止. Double-click
or Enter opens the case in the docket. The list reloads whenever the page is shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from courtdesk.services import my_cases
from courtdesk.services.my_cases import MyCase, MyCases, Urgency
from courtdesk.services.workspace import Workspace
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import if_alive, named

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("案号", "案由", "当事人", "立案日期", "状态", "审限届满日", "剩余期限")
ROW_COLOURS = {
    Urgency.OVERDUE: (QColor("#fde2e1"), QColor("#8c1d18")),
    Urgency.NEAR: (QColor("#fff1d6"), QColor("#7a4a00")),
    Urgency.SUSPENDED: (QColor("#eceff3"), QColor("#4a5563")),
}


class MyCasesModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cases: tuple[MyCase, ...] = ()

    def set_cases(self, cases: tuple[MyCase, ...]) -> None:
        self.beginResetModel()
        self.cases = cases
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cases)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.cases):
            return None
        case = self.cases[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (
                case.case_number,
                case.cause,
                case.parties_summary,
                case.filing_date,
                case.status_label,
                case.time_limit_expiry or "—",
                case.days_text
                if case.urgency is not Urgency.NEAR
                else f"{case.days_text}（临近届满）",
            )
            return values[column]
        colours = ROW_COLOURS.get(case.urgency)
        if role == Qt.ItemDataRole.BackgroundRole and colours:
            return QBrush(colours[0])
        if role == Qt.ItemDataRole.ForegroundRole and colours:
            return QBrush(colours[1])
        if role == Qt.ItemDataRole.FontRole and column == 6 and case.urgency is Urgency.OVERDUE:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (3, 5, 6):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.UserRole:
            return case.id
        return None


class _Table(QTableView):
    open_requested = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                self.open_requested.emit(int(index.data(Qt.ItemDataRole.UserRole)))
                return
        super().keyPressEvent(event)


class MyCasesPage(QWidget):
    open_case = Signal(int)  # case id, to be shown in the docket
    loaded = Signal()
    error = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._runner = runner
        self.result: MyCases | None = None
        self.title = named(QLabel("我的案件"), "myCasesTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = named(QLabel("正在读取…"), "myCasesSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        refresh = named(QPushButton("刷新"), "refreshMyCases")
        refresh.clicked.connect(self.refresh)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addSpacing(16)
        head.addWidget(self.summary, 1)
        head.addWidget(refresh)

        self.model = MyCasesModel(self)
        self.table = named(_Table(), "myCasesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        char = self.fontMetrics().horizontalAdvance("中")
        for column, width in enumerate((13.5, 9, 16, 6, 4, 6, 9)):
            self.table.setColumnWidth(column, int(char * width) + 16)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(
            lambda index: self.open_case.emit(int(index.data(Qt.ItemDataRole.UserRole)))
        )
        self.table.open_requested.connect(self.open_case)
        self.hint = QLabel("双击或按 Enter 在案件列表中打开；红色：已超审限，黄色：临近届满。")
        self.hint.setStyleSheet("color:#666")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(head)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)

    def refresh(self) -> None:
        ws = self._ws
        self._runner.run(
            lambda: my_cases.my_cases(ws),
            if_alive(self, self._show),
            if_alive(self, self.error.emit),
        )

    def _show(self, result: MyCases) -> None:
        self.result = result
        self.model.set_cases(result.cases)
        if not result.role:
            self.title.setText("我的案件")
            self.summary.setText(
                f"<span style='color:#666'>{result.user_name} 不是法官或书记员，没有承办的案件。</span>"
            )
        else:
            self.title.setText(f"我的案件 — {result.user_name}（{result.role}）")
            overdue = result.count(Urgency.OVERDUE)
            near = result.count(Urgency.NEAR)
            suspended = result.count(Urgency.SUSPENDED)
            self.summary.setText(
                f"未结 <b>{len(result.cases)}</b> 件　"
                f"<span style='color:#8c1d18'>已超审限 <b>{overdue}</b> 件</span>　"
                f"<span style='color:#7a4a00'>{result.near_days} 日内届满 <b>{near}</b> 件</span>　"
                f"中止 {suspended} 件"
            )
        if result.cases and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self.loaded.emit()
