"""The docket's Qt model: a window onto any number of cases, fetched a page at a time.

``rowCount`` is the number of matching cases (counted in SQL on a worker thread).
``data`` answers from the pages already loaded; a row on a page not yet loaded
shows a placeholder and asks for that page in the background, so scrolling to
row 500,000 of a million costs one page query, and the GUI thread never waits on
SQLite. Sorting and filtering re-run the query in SQL; results of an older query
that arrive late are dropped (each query has a generation number).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from courtdesk.domain.case_status import CaseStatus
from courtdesk.services import docket
from courtdesk.services.docket import DocketFilter, DocketRow, SortKey
from courtdesk.services.workspace import Workspace
from courtdesk.ui.tasks import TaskRunner

PAGE_SIZE = 200
MAX_CACHED_PAGES = 60
NEAR_EXPIRY_DAYS = 15

Index = QModelIndex | QPersistentModelIndex


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


class DocketModel(QAbstractTableModel):
    count_changed = Signal(int)  # the number of matching cases, once counted
    page_loaded = Signal(int)  # page number, after its rows arrived
    failed = Signal(object)  # an exception from a background query

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._runner = runner
        self._filter = DocketFilter()
        self._sort = SortKey.FILING_DATE
        self._descending = True
        self._generation = 0
        self._total = 0
        self._counted = False
        self._pages: OrderedDict[int, list[DocketRow]] = OrderedDict()
        self._pending: set[int] = set()
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
        if 0 <= row < self._total:
            self._request_page(row // PAGE_SIZE)

    @property
    def total(self) -> int:
        return self._total

    @property
    def is_counted(self) -> bool:
        return self._counted

    def set_filter(self, flt: DocketFilter) -> None:
        self._filter = flt
        self.refresh()

    def refresh(self) -> None:
        """Drop what is loaded and count again (after a filter, a sort or a change)."""
        self._generation += 1
        generation = self._generation
        self.beginResetModel()
        self._pages.clear()
        self._pending.clear()
        self._total = 0
        self._counted = False
        self.endResetModel()
        ws, flt = self._ws, self._filter
        self._runner.run(
            lambda: docket.count(ws, flt),
            lambda n: self._counted_rows(generation, n),
            self._query_failed,
        )

    def _counted_rows(self, generation: int, total: int) -> None:
        if generation != self._generation:
            return
        # Ask for the first page straight away: it is what the user looks at.
        self._request_page(0)
        self._counted = True
        if total:
            self.beginInsertRows(QModelIndex(), 0, total - 1)
            self._total = total
            self.endInsertRows()
        self.count_changed.emit(total)

    def _request_page(self, page: int) -> None:
        if page in self._pages or page in self._pending:
            return
        self._pending.add(page)
        generation = self._generation
        ws, flt, sort, desc = self._ws, self._filter, self._sort, self._descending
        self._runner.run(
            lambda: docket.page(ws, flt, sort, desc, page * PAGE_SIZE, PAGE_SIZE),
            lambda rows: self._page_arrived(generation, page, rows),
            self._query_failed,
        )

    def _page_arrived(self, generation: int, page: int, rows: list[DocketRow]) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page)
        self._pages[page] = rows
        while len(self._pages) > MAX_CACHED_PAGES:
            self._pages.popitem(last=False)
        first = page * PAGE_SIZE
        last = min(first + PAGE_SIZE, self._total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        self.page_loaded.emit(page)

    def _query_failed(self, error: BaseException) -> None:
        self._pending.clear()
        self.failed.emit(error)

    def row_at(self, row: int) -> DocketRow | None:
        """The case on ``row`` if its page is loaded (None while it is loading)."""
        number = row // PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            return None
        self._pages.move_to_end(number)
        offset = row % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def find_row(self, case_id: int) -> int | None:
        """The row of a case among the loaded pages, if it is there."""
        for page, rows in self._pages.items():
            for offset, item in enumerate(rows):
                if item.id == case_id:
                    return page * PAGE_SIZE + offset
        return None

    # ------------------------------------------------------------ Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section].title
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._total or index.column() >= len(COLUMNS):
            return None
        item = self.row_at(index.row())
        if item is None:
            if role == Qt.ItemDataRole.DisplayRole:
                self._request_page(index.row() // PAGE_SIZE)
                return "…" if index.column() == 0 else ""
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (1, 2):
            return self._display(item, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == 6:
            return self._expiry_brush(item)
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        return None

    def _display(self, item: DocketRow, column: int) -> str:
        if column == 0:
            return item.case_number
        if column == 1:
            return item.cause
        if column == 2:
            return item.parties_summary
        if column == 3:
            return item.judge_name or "未分配"
        if column == 4:
            return item.filing_date
        if column == 5:
            return CaseStatus(item.status).label
        return item.time_limit_expiry or "—"

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
