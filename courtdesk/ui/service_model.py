"""The service desk's queue as a Qt model: tasks filtered and sorted in SQL, fetched by page."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from courtdesk.domain.service import DocumentKind, ServiceMethod, TaskState, receipt_code
from courtdesk.services import service as svc
from courtdesk.services.service import TaskFilter, TaskListRow, TaskSort
from courtdesk.services.workspace import Workspace
from courtdesk.ui.paged_model import PagedTableModel
from courtdesk.ui.tasks import TaskRunner

COLUMNS = (
    "条码",
    "案号",
    "文书",
    "受送达人",
    "送达地址",
    "状态",
    "方式",
    "送达期限",
    "送达日期",
    "承办人",
    "送达人员",
)
CODE, CASE, DOCUMENT, RECIPIENT, ADDRESS, STATE, METHOD, DUE, SERVED, JUDGE, ASSIGNEE = range(
    len(COLUMNS)
)
# Columns the desk can sort by (each has an index in SQL).
SORTABLE = {CODE: TaskSort.CREATED, DUE: TaskSort.DUE}
NEAR_DAYS = 2
OVERDUE = QColor("#b3261e")
NEAR = QColor("#a15c00")
STATE_COLOURS = {
    TaskState.SERVED: QColor("#2e7d32"),
    TaskState.FAILED: QColor("#b3261e"),
    TaskState.PUBLIC_NOTICE: QColor("#6a1b9a"),
    TaskState.WITHDRAWN: QColor("#777777"),
}


class ServiceTaskModel(PagedTableModel[TaskListRow]):
    titles = COLUMNS

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(runner, parent)
        self._ws = ws
        self._filter = TaskFilter(open_only=True)
        self._sort = TaskSort.DUE
        self._descending = False
        self.today = date.today()

    @property
    def task_filter(self) -> TaskFilter:
        return self._filter

    def set_filter(self, flt: TaskFilter) -> None:
        self._filter = flt
        self.refresh()

    def count_rows(self) -> int:
        ws, flt = self._ws, self._filter
        return svc.desk_count(ws, flt)

    def fetch_page(self, offset: int, limit: int) -> list[TaskListRow]:
        return svc.desk_page(self._ws, self._filter, self._sort, self._descending, offset, limit)

    def display(self, row: TaskListRow, column: int) -> str:
        if column == CODE:
            return receipt_code(row.id)
        if column == CASE:
            return row.case_number
        if column == DOCUMENT:
            return row.title or DocumentKind(row.document).label
        if column == RECIPIENT:
            return f"{row.recipient_role} {row.recipient_name}".strip()
        if column == ADDRESS:
            if not row.address:
                return "（无地址）"
            return row.address + ("（已确认）" if row.address_confirmed else "")
        if column == STATE:
            return TaskState(row.state).label
        if column == METHOD:
            return ServiceMethod(row.method).label if row.method else "—"
        if column == DUE:
            # Short enough to fit the column; the tooltip says it in full.
            return row.due_date + ("（庭前）" if self._blocks(row) else "")
        if column == SERVED:
            if row.state == TaskState.PUBLIC_NOTICE.value and row.service_date:
                return f"{row.service_date} 届满"
            return row.service_date or ""
        if column == JUDGE:
            return row.judge_name or "未分配"
        return row.assignee_name or "未分派"

    @staticmethod
    def _open(row: TaskListRow) -> bool:
        return TaskState(row.state).is_open

    def _blocks(self, row: TaskListRow) -> bool:
        return row.blocks_hearing and self._open(row)

    def decorate(self, row: TaskListRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == DUE and self._open(row):
                due = date.fromisoformat(row.due_date)
                if due < self.today:
                    return QBrush(OVERDUE)
                if due <= self.today + timedelta(days=NEAR_DAYS):
                    return QBrush(NEAR)
            if column == STATE:
                colour = STATE_COLOURS.get(TaskState(row.state))
                return QBrush(colour) if colour else None
            if column == ADDRESS and not row.address:
                return QBrush(OVERDUE)
        if role == Qt.ItemDataRole.ToolTipRole and column in (DOCUMENT, ADDRESS, RECIPIENT):
            return self.display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == DUE and self._blocks(row):
            return f"{row.due_date} 前须送达：未送达将阻碍开庭"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORTABLE.get(column)
        if key is None:
            return
        self._sort = key
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()
