"""A table model over any number of rows, counted and fetched a page at a time off the GUI thread.

The pattern of the docket (``docket_model``) made reusable: ``rowCount`` is the
number of matching rows counted in SQL on a worker thread; ``data`` answers from
the pages already loaded, and a row on a page not loaded yet shows a placeholder
while that page is fetched in the background. A new query (filter, sort) bumps a
generation number so results of an older one that arrive late are dropped.

A subclass says how to count and fetch (``count_rows``, ``fetch_page``: both run
on a worker thread) and how to show a row (``display``, ``decorate``).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from courtdesk.ui.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")

PAGE_SIZE = 200
MAX_CACHED_PAGES = 60


class PagedTableModel(QAbstractTableModel, Generic[Row]):
    count_changed = Signal(int)
    page_loaded = Signal(int)
    failed = Signal(object)

    titles: tuple[str, ...] = ()

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._generation = 0
        self._total = 0
        self._counted = False
        self._pages: OrderedDict[int, list[Row]] = OrderedDict()
        self._pending: set[int] = set()

    # ------------------------------------------------------------ for subclasses
    def count_rows(self) -> int:
        """How many rows the current query has (runs on a worker thread)."""
        raise NotImplementedError

    def fetch_page(self, offset: int, limit: int) -> list[Row]:
        """Rows ``offset`` … ``offset + limit`` of the current query (runs on a worker thread)."""
        raise NotImplementedError

    def display(self, row: Row, column: int) -> str:
        raise NotImplementedError

    def decorate(self, row: Row, column: int, role: int) -> Any:
        """Anything besides the text: colours, tooltips, alignment (None: nothing)."""
        return None

    def row_id(self, row: Row) -> int:
        return int(row.id)  # type: ignore[attr-defined]

    # ------------------------------------------------------------ queries
    @property
    def total(self) -> int:
        return self._total

    @property
    def is_counted(self) -> bool:
        return self._counted

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
        count = self.count_rows
        self._runner.run(count, lambda n: self._counted_rows(generation, n), self._query_failed)
        # The first page is what the user looks at: fetched beside the count, not
        # after it, and shown as soon as it comes (see _page_arrived).
        self._request_page(0)

    def _counted_rows(self, generation: int, total: int) -> None:
        if generation != self._generation:
            return
        self._counted = True
        shown = self._total  # the first page's rows, if it came before the count
        if total > shown:
            self.beginInsertRows(QModelIndex(), shown, total - 1)
            self._total = total
            self.endInsertRows()
        elif total < shown:  # changed in between; the count is the newer answer
            self.beginRemoveRows(QModelIndex(), total, shown - 1)
            self._total = total
            self.endRemoveRows()
        self.count_changed.emit(total)

    def _request_page(self, page: int) -> None:
        if page in self._pages or page in self._pending:
            return
        self._pending.add(page)
        generation = self._generation
        fetch = self.fetch_page
        self._runner.run(
            lambda: fetch(page * PAGE_SIZE, PAGE_SIZE),
            lambda rows: self._page_arrived(generation, page, rows),
            self._query_failed,
        )

    def _page_arrived(self, generation: int, page: int, rows: list[Row]) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page)
        self._pages[page] = rows
        while len(self._pages) > MAX_CACHED_PAGES:
            self._pages.popitem(last=False)
        if not self._counted and page == 0 and len(rows) > self._total:
            # Ahead of the count: show these rows now; the count adds the rest.
            self.beginInsertRows(QModelIndex(), self._total, len(rows) - 1)
            self._total = len(rows)
            self.endInsertRows()
        first = page * PAGE_SIZE
        last = min(first + PAGE_SIZE, self._total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.titles) - 1))
        self.page_loaded.emit(page)

    def _query_failed(self, error: BaseException) -> None:
        self._pending.clear()
        self.failed.emit(error)

    def row_at(self, row: int) -> Row | None:
        """The row's item if its page is loaded (None while it is loading)."""
        number = row // PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            return None
        self._pages.move_to_end(number)
        offset = row % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def find_row(self, item_id: int) -> int | None:
        """The row of an item among the loaded pages, if it is there."""
        for page, rows in self._pages.items():
            for offset, item in enumerate(rows):
                if self.row_id(item) == item_id:
                    return page * PAGE_SIZE + offset
        return None

    # ------------------------------------------------------------ Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.titles)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.titles):
            return self.titles[section]
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._total or index.column() >= len(self.titles):
            return None
        item = self.row_at(index.row())
        if item is None:
            if role == Qt.ItemDataRole.DisplayRole:
                self._request_page(index.row() // PAGE_SIZE)
                return "…" if index.column() == 0 else ""
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(item, index.column())
        if role == Qt.ItemDataRole.UserRole:
            return self.row_id(item)
        return self.decorate(item, index.column(), role)
