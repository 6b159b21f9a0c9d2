"""The 案件 page: filter row, the docket table and the selected case's details."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QItemSelection, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from courtdesk.domain.case_status import OPEN_STATUSES, CaseStatus
from courtdesk.domain.case_types import Category
from courtdesk.errors import NotFoundError
from courtdesk.services import case_file, docket, my_cases, reference, settings
from courtdesk.services.case_file import CaseFile
from courtdesk.services.docket import DocketFilter
from courtdesk.services.permissions import Permission, allowed
from courtdesk.services.reference import Person
from courtdesk.services.workspace import Workspace
from courtdesk.ui.case_view import CaseDetailView
from courtdesk.ui.docket_model import COLUMNS, PAGE_SIZE, DocketModel
from courtdesk.ui.tasks import TaskRunner, next_read
from courtdesk.ui.widgets import NO_ID, combo_id, if_alive, named

SEARCH_DELAY_MS = 300
SEARCH_MIN_CHARS = 8  # room for a case number such as 民初1234 and a name


class DocketPage(QWidget):
    case_selected = Signal(object)  # CaseDetail or None
    error = Signal(object)
    assign_requested = Signal(int)  # case id, from the context menu
    located = Signal(int)  # case id, once it is selected after show_in_docket

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._runner = runner
        self._select_after_load: int | None = None
        self.model = DocketModel(ws, runner, self)

        self.type_filter = named(QComboBox(), "typeFilter")
        self.type_filter.addItem("全部类型", "")
        for category in Category:
            codes = [t for t in reference.case_types() if t.category is category]
            if codes:
                self.type_filter.addItem(f"{category.label}（全部）", f"category:{category.value}")
                for case_type in codes:
                    self.type_filter.addItem(
                        f"　{case_type.code}　{case_type.name}", f"type:{case_type.code}"
                    )
        self.status_filter = named(QComboBox(), "statusFilter")
        self.status_filter.addItem("全部状态", ())
        self.status_filter.addItem("未结案件", OPEN_STATUSES)
        for status in CaseStatus:
            self.status_filter.addItem(status.label, (status.value,))
        self.judge_filter = named(QComboBox(), "judgeFilter")
        self.judge_filter.addItem("全部承办人", NO_ID)
        self.judge_filter.setMinimumContentsLength(6)
        # A filter from elsewhere (a 统计 figure clicked): shown as a banner until cleared.
        self.drill_filter: DocketFilter | None = None
        self.drill_label = named(QLabel(), "drillLabel")
        self.drill_label.setStyleSheet(
            "background:#eef4fb; border:1px solid #c5d6ea; border-radius:3px; padding:3px 6px;"
        )
        self.drill_clear = named(QPushButton("清除"), "drillClear")
        self.drill_clear.clicked.connect(self.clear_drill)
        self.search = named(QLineEdit(), "searchBox")
        self.search.setPlaceholderText("搜索：案号、当事人、拼音首字母、身份证号、律师、律所")
        self.search.setClearButtonEnabled(True)
        self.count_label = named(QLabel("正在统计…"), "countLabel")
        self.export_button = named(QPushButton("导出 Excel…"), "exportButton")
        self.export_button.setToolTip("把当前筛选出的案件导出为 Excel 文件（Ctrl+E）")

        # On a narrow window the combo boxes give way down to a few characters (their
        # lists still open at full width), never the search box, which would otherwise
        # shrink to nothing.
        char = self.fontMetrics().horizontalAdvance("中")
        for combo, chars in (
            (self.type_filter, 6),
            (self.status_filter, 6),
            (self.judge_filter, 7),
        ):
            combo.setMinimumWidth(char * chars)  # 全部类型, 全部承办人 and the arrow
        self.search.setMinimumWidth(char * SEARCH_MIN_CHARS)

        filters = QHBoxLayout()
        filters.addWidget(QLabel("类型"))
        filters.addWidget(self.type_filter)
        filters.addWidget(QLabel("状态"))
        filters.addWidget(self.status_filter)
        filters.addWidget(QLabel("承办人"))
        filters.addWidget(self.judge_filter)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.count_label)
        filters.addWidget(self.export_button)
        drill = QHBoxLayout()
        drill.addWidget(self.drill_label, 1)
        drill.addWidget(self.drill_clear)
        self.drill_row = QWidget()
        self.drill_row.setLayout(drill)
        drill.setContentsMargins(0, 0, 0, 0)
        self.drill_row.hide()

        self.table = named(QTableView(), "docketTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several cases may be selected (Ctrl/Shift-click) to print their notices in one go.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSortIndicator(4, Qt.SortOrder.DescendingOrder)
        header.setStretchLastSection(False)
        for column, width in enumerate((13.5, 9, 16, 4, 6, 4, 6)):
            self.table.setColumnWidth(column, int(char * width) + 12)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        self.detail = CaseDetailView(ws, runner)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(filters)
        layout.addWidget(self.drill_row)
        layout.addWidget(splitter, 1)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.apply_filter)
        for combo in (self.type_filter, self.status_filter, self.judge_filter):
            combo.currentIndexChanged.connect(self._combo_changed)
        self.detail.case_changed.connect(self._case_changed)
        self.model.count_changed.connect(self._show_count)
        self.model.page_loaded.connect(self._after_page)
        self.model.failed.connect(self.error)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

        self._locate_row: int | None = None
        self._load_judges()
        self._load_settings()
        self.model.refresh()

    # ------------------------------------------------------------ filters
    def _load_judges(self) -> None:
        ws = self._ws
        self._runner.run(
            lambda: reference.people_with_role(ws, "judge"), self._fill_judges, self.error.emit
        )

    def _fill_judges(self, judges: list[Person]) -> None:
        current = combo_id(self.judge_filter)
        self.judge_filter.blockSignals(True)
        for judge in judges:
            label = f"{judge.name}（{judge.division}）" if judge.division else judge.name
            self.judge_filter.addItem(label, judge.id)
        if current is not None:
            self.judge_filter.setCurrentIndex(max(0, self.judge_filter.findData(current)))
        self.judge_filter.blockSignals(False)

    def show_filter(self, flt: DocketFilter, title: str) -> None:
        """Show exactly the cases of ``flt`` (from a 统计 figure), named by ``title``."""
        self.drill_filter = flt
        self.drill_label.setText(f"统计穿透：{title}")
        self.drill_row.show()
        for combo in (self.type_filter, self.status_filter, self.judge_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.apply_filter()

    def clear_drill(self) -> None:
        self.drill_filter = None
        self.drill_row.hide()
        self.apply_filter()

    def _combo_changed(self) -> None:
        # Choosing a filter here leaves the figure's list behind.
        self.drill_filter = None
        self.drill_row.hide()
        self.apply_filter()

    def _case_changed(self, case_id: int) -> None:
        self.refresh(select_case_id=case_id)
        self.show_case(case_id)

    def clear_search(self) -> None:
        """Empty the search box without starting a delayed search (the caller refreshes)."""
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._search_timer.stop()

    def current_filter(self) -> DocketFilter:
        if self.drill_filter is not None:
            return replace(self.drill_filter, text=self.search.text().strip())
        # Items carry "type:民初" or "category:civil" (plain strings survive QVariant).
        kind, _, value = str(self.type_filter.currentData() or "").partition(":")
        type_codes = (value,) if kind == "type" else ()
        categories = (value,) if kind == "category" else ()
        return DocketFilter(
            type_codes=type_codes,
            categories=categories,
            statuses=tuple(self.status_filter.currentData() or ()),
            judge_id=combo_id(self.judge_filter),
            text=self.search.text().strip(),
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        flt = self.current_filter()
        if flt != self.model.docket_filter:
            self.count_label.setText("正在统计…")
            self.model.set_filter(flt)

    def refresh(self, select_case_id: int | None = None) -> None:
        """Reload the docket; optionally select a case once its row is on screen."""
        self._select_after_load = select_case_id
        self.count_label.setText("正在统计…")
        self.model.set_filter(self.current_filter())  # what the filter row shows now

    def _show_count(self, total: int) -> None:
        self.count_label.setText(f"共 {total:,} 件")
        if total == 0:
            self.detail.clear_case("没有符合条件的案件")
        self._scroll_to_located()

    def _after_page(self, _page: int) -> None:
        if self._select_after_load is None:
            return
        case_id = self._select_after_load
        row = self.model.find_row(case_id)
        if row is not None:
            self._select_after_load = None
            self._locate_row = None
            self.table.selectRow(row)
            self.table.scrollTo(
                self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter
            )
            self.table.setFocus()
            self.located.emit(case_id)

    # ------------------------------------------------------------ jumping to a case
    def show_in_docket(self, case_id: int) -> None:
        """Select a case in the docket: in the current filter if it is there, else in all cases.

        Its row is found in SQL (how many cases sort before it), so only that row's
        page is loaded, however deep in the docket it is.
        """
        ws, flt = self._ws, self.current_filter()
        sort, descending = self.model.sort_state

        def find() -> tuple[bool, int | None]:
            row = docket.position(ws, flt, sort, descending, case_id)
            if row is not None:
                return True, row
            return False, docket.position(ws, DocketFilter(), sort, descending, case_id)

        def found(result: tuple[bool, int | None]) -> None:
            kept, row = result
            if row is None:
                self.error.emit(NotFoundError(f"编号为 {case_id} 的案件不存在"))
                return
            self._select_after_load = case_id
            self._locate_row = row
            if kept and self.model.docket_filter == flt and self.model.is_counted:
                self._scroll_to_located()
            else:
                self._clear_filters()

        self._runner.run(find, found, self.error.emit)

    def _clear_filters(self) -> None:
        for combo in (self.type_filter, self.status_filter, self.judge_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.clear_search()
        self.count_label.setText("正在统计…")
        self.model.set_filter(self.current_filter())

    def _scroll_to_located(self) -> None:
        row = self._locate_row
        if row is None or not self.model.is_counted or row >= self.model.rowCount():
            return
        self.table.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        self.model.ensure_loaded(row)
        self._after_page(row // PAGE_SIZE)

    # ------------------------------------------------------------ settings, menus
    def _load_settings(self) -> None:
        ws = self._ws

        def apply(days: int) -> None:
            self.model.near_days = days
            self.table.viewport().update()

        self._runner.run(
            lambda: settings.get_int(ws, my_cases.NEAR_EXPIRY_KEY), apply, self.error.emit
        )

    def _context_menu(self, point: QPoint) -> None:
        index = self.table.indexAt(point)
        item = self.model.row_at(index.row()) if index.isValid() else None
        if item is None:
            return
        menu = QMenu(self)
        assign = menu.addAction("改派…" if item.judge_name else "分案…")
        assign.setEnabled(
            CaseStatus(item.status).is_open and allowed(self._ws.actor, Permission.ASSIGN_CASE)
        )
        assign.triggered.connect(lambda: self.assign_requested.emit(item.id))
        viewport = self.table.viewport()
        menu.popup(viewport.mapToGlobal(point))

    def selected_case_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.model.row_at(rows[0].row())
        return item.id if item else None

    # ------------------------------------------------------------ details
    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        item = self.model.row_at(indexes[0].row())
        if item is None:
            return
        self.show_case(item.id)

    def selected_case_ids(self) -> list[int]:
        """The cases selected in the docket, in table order."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        items = (self.model.row_at(row) for row in rows)
        return [item.id for item in items if item is not None]

    def show_case(self, case_id: int) -> None:
        ws = self._ws
        self._pending_detail = case_id

        read = next_read()

        def shown(opened: CaseFile) -> None:
            if self._pending_detail == opened.detail.id:
                self.detail.show_case(opened.detail, opened, read)
                self.case_selected.emit(opened.detail)

        # One read for 概要, 开庭, 送达 and 审限 together (see services/case_file.py).
        self._runner.run(
            lambda: case_file.open_case(ws, case_id), if_alive(self, shown), self.error.emit
        )

    def column_titles(self) -> list[str]:
        return [c.title for c in COLUMNS]
