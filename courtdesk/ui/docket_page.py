"""The 案件 page: filter row, the docket table and the selected case's details."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from courtdesk.domain.case_status import CaseStatus
from courtdesk.domain.case_types import Category
from courtdesk.services import cases, reference
from courtdesk.services.cases import CaseDetail
from courtdesk.services.docket import DocketFilter
from courtdesk.services.reference import Person
from courtdesk.services.workspace import Workspace
from courtdesk.ui.case_view import CaseDetailView
from courtdesk.ui.docket_model import COLUMNS, DocketModel
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import named

OPEN_STATUSES = tuple(s.value for s in CaseStatus if s.is_open)
SEARCH_DELAY_MS = 300


class DocketPage(QWidget):
    case_selected = Signal(object)  # CaseDetail or None
    error = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._runner = runner
        self._select_after_load: int | None = None
        self.model = DocketModel(ws, runner, self)

        self.type_filter = named(QComboBox(), "typeFilter")
        self.type_filter.addItem("全部类型", None)
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
        self.judge_filter.addItem("全部承办人", None)
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

        filters = QHBoxLayout()
        filters.addWidget(QLabel("类型"))
        filters.addWidget(self.type_filter)
        filters.addWidget(QLabel("状态"))
        filters.addWidget(self.status_filter)
        filters.addWidget(QLabel("承办人"))
        filters.addWidget(self.judge_filter)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.count_label)
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
        char = self.fontMetrics().horizontalAdvance("中")
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

        self._load_judges()
        self.model.refresh()

    # ------------------------------------------------------------ filters
    def _load_judges(self) -> None:
        ws = self._ws
        self._runner.run(
            lambda: reference.people_with_role(ws, "judge"), self._fill_judges, self.error.emit
        )

    def _fill_judges(self, judges: list[Person]) -> None:
        current = self.judge_filter.currentData()
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
            judge_id=self.judge_filter.currentData(),
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
        self.model.refresh()

    def _show_count(self, total: int) -> None:
        self.count_label.setText(f"共 {total:,} 件")
        if total == 0:
            self.detail.clear_case("没有符合条件的案件")

    def _after_page(self, _page: int) -> None:
        if self._select_after_load is None:
            return
        row = self.model.find_row(self._select_after_load)
        if row is not None:
            self._select_after_load = None
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

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

        def shown(detail: CaseDetail) -> None:
            if self._pending_detail == detail.id:
                self.detail.show_case(detail)
                self.case_selected.emit(detail)

        self._runner.run(lambda: cases.get_case(ws, case_id), shown, self.error.emit)

    def column_titles(self) -> list[str]:
        return [c.title for c in COLUMNS]
