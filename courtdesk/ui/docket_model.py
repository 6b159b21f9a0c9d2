"""The docket's Qt model: a window onto any number of cases, fetched a page at a time.

``rowCount`` is the number of matching cases (counted in SQL on a worker thread).
``data`` answers from the pages already loaded; a row on a page not yet loaded
shows a placeholder and asks for that page in the background, so scrolling to
row 500,000 of a million costs one page query, and the GUI thread never waits on
SQLite. Sorting and filtering re-run the query in SQL; results of an older query
that arrive late are dropped (each query has a generation number).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from courtdesk.domain.case_status import CaseStatus
from courtdesk.services import docket
from courtdesk.services.docket import DocketFilter, DocketRow, SortKey
from courtdesk.services.workspace import Workspace
from courtdesk.ui.paged_model import PAGE_SIZE, PagedTableModel
from courtdesk.ui.tasks import TaskRunner

__all__ = ["COLUMNS", "PAGE_SIZE", "DocketModel"]

NEAR_EXPIRY_DAYS = 15


@dataclass(frozen=True)
class Column:
    title: str
    sort_key: SortKey


COLUMNS = (
    Column("案号", SortKey.CASE_NUMBER),
    Column("案由", SortKey.CAUSE),
    Column("当事人", SortKey.PARTIES),
    Column("承办人", SortKey.JUDGE),
    Column("立案日期", SortKey.FILING_DATE),
    Column("状态", SortKey.STATUS),
    Column("审限届满日", SortKey.EXPIRY),
)
OVERDUE_COLOUR = QColor("#b3261e")
NEAR_COLOUR = QColor("#a15c00")


class DocketModel(PagedTableModel[DocketRow]):
    """The docket: the paged model (``paged_model``) over ``services.docket``."""

    titles = tuple(column.title for column in COLUMNS)

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(runner, parent)
        self._ws = ws
        self._filter = DocketFilter()
        self._sort = SortKey.FILING_DATE
        self._descending = True
        self.today = date.today()
        self.near_days = NEAR_EXPIRY_DAYS  # replaced by the court's setting once read

    # ------------------------------------------------------------ queries
    @property
    def docket_filter(self) -> DocketFilter:
        return self._filter

    @property
    def sort_state(self) -> tuple[SortKey, bool]:
        """The sort column's key and whether it is descending."""
        return self._sort, self._descending

    def ensure_loaded(self, row: int) -> None:
        """Ask for the page holding ``row`` (when jumping to a row not yet on screen)."""
        if 0 <= row < self.total:
            self._request_page(row // PAGE_SIZE)

    def set_filter(self, flt: DocketFilter) -> None:
        self._filter = flt
        self.refresh()

    def count_rows(self) -> int:
        return docket.count(self._ws, self._filter)

    def fetch_page(self, offset: int, limit: int) -> list[DocketRow]:
        return docket.page(self._ws, self._filter, self._sort, self._descending, offset, limit)

    # ------------------------------------------------------------ showing a row
    def display(self, row: DocketRow, column: int) -> str:
        if column == 0:
            return row.case_number
        if column == 1:
            return row.cause
        if column == 2:
            return row.parties_summary
        if column == 3:
            return row.judge_name or "未分配"
        if column == 4:
            return row.filing_date
        if column == 5:
            return CaseStatus(row.status).label
        return row.time_limit_expiry or "—"

    def decorate(self, row: DocketRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column in (1, 2):
            return self.display(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == 6:
            return self._expiry_brush(row)
        return None

    def _expiry_brush(self, item: DocketRow) -> QBrush | None:
        if not item.time_limit_expiry or not CaseStatus(item.status).is_open:
            return None
        expiry = date.fromisoformat(item.time_limit_expiry)
        if expiry < self.today:
            return QBrush(OVERDUE_COLOUR)
        if expiry <= self.today + timedelta(days=self.near_days):
            return QBrush(NEAR_COLOUR)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort = COLUMNS[column].sort_key
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()
