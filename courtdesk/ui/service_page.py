"""The 送达 page: the centre's queue (scan, filter, assign, record, batch) and its figures.

The queue is a lazily paged table over the tasks (filtered and sorted in SQL);
the counts per state beside the state buttons follow the other filters. A USB
scanner types a receipt's barcode into the scan field and presses Enter: the
desk opens that task ready to record the return.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from courtdesk.domain.service import ServiceMethod, TaskState
from courtdesk.errors import CourtdeskError
from courtdesk.services import reference
from courtdesk.services import service as svc
from courtdesk.services import service_documents as documents
from courtdesk.services.permissions import Permission, allowed
from courtdesk.services.reference import Division, Person
from courtdesk.services.service import ServiceFigures, TaskDetail, TaskFilter
from courtdesk.services.workspace import Workspace
from courtdesk.ui.pdf_preview import PdfPreviewDialog, open_pdf_preview
from courtdesk.ui.service_dialogs import AttemptDialog, BatchAttemptDialog
from courtdesk.ui.service_model import DUE, ServiceTaskModel
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import named

OPEN_KEY, ALL_KEY = "open", "all"
DOCUMENTS = (
    ("送达回证（PDF）", "receipts"),
    ("邮寄清单（PDF）", "postal_pdf"),
    ("邮寄清单（Excel）", "postal_xlsx"),
    ("地址标签（PDF）", "labels"),
    ("今日全部邮寄清单（PDF）", "day"),
)
DUE_CHOICES = (
    ("全部期限", None),
    ("已逾期", "overdue"),
    ("今日及以前到期", "today"),
    ("三日内到期", "3"),
    ("七日内到期", "7"),
)


def task_detail_html(task: TaskDetail) -> str:
    """The selected task: particulars, legal state and every attempt."""
    e = html.escape
    rows = [
        ("条码", task.code),
        ("案号", f"{task.case_number}（{task.procedure_label}）"),
        ("文书", f"{task.title} × {task.copies}"),
        ("受送达人", f"{task.recipient_role} {task.recipient_name}"),
        ("送达地址", (task.address or "（无）") + ("（已确认）" if task.address_confirmed else "")),
        ("电话", task.phone or "—"),
        (
            "电子送达",
            f"已同意（{task.electronic_address}）" if task.electronic_consent else "未同意",
        ),
        ("送达期限", task.due_date.isoformat() + ("（阻碍开庭）" if task.blocks_hearing else "")),
        ("状态", task.state.label),
        ("送达日期", task.service_date.isoformat() if task.service_date else "—"),
        ("依据", task.basis),
        ("承办人", task.judge_name or "未分配"),
        ("送达人员", task.assignee_name or "未分派"),
    ]
    if task.hearing_start:
        rows.insert(3, ("开庭", task.hearing_start.replace("T", " ")))
    table = "".join(
        f"<tr><td style='color:#555;padding-right:10px;white-space:nowrap'>{e(k)}</td>"
        f"<td>{e(v)}</td></tr>"
        for k, v in rows
    )
    attempts = (
        "".join(f"<li>{e(a.summary())}</li>" for a in task.attempts) or "<li>尚无送达记录</li>"
    )
    return f"<table>{table}</table><h4 style='margin:8px 0 2px 0'>送达记录</h4><ol>{attempts}</ol>"


class ServiceQueue(QWidget):
    """The centre's queue of tasks."""

    error = Signal(object)
    changed = Signal()  # something was recorded or assigned

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._runner = runner
        self._staff: list[tuple[int, str]] = []
        self._detail_for: int | None = None
        self._select_after_load: int | None = None
        self.can_manage = allowed(ws.actor, Permission.MANAGE_SERVICE)
        self.current_task: TaskDetail | None = None
        self.attempt_dialog: AttemptDialog | None = None
        self.batch_dialog: BatchAttemptDialog | None = None
        self.preview_dialog: PdfPreviewDialog | None = None
        self.model = ServiceTaskModel(ws, runner, self)

        # -------------------------------------------------- scanning
        self.scan = named(QLineEdit(), "scanBox")
        self.scan.setPlaceholderText(
            "扫描送达回证条码（或输入 SD 开头的条码）后回车，打开该任务登记回执"
        )
        self.scan.setClearButtonEnabled(True)
        self.scan_status = named(QLabel(), "scanStatus")
        scan_row = QHBoxLayout()
        scan_row.addWidget(QLabel("扫码"))
        scan_row.addWidget(self.scan, 2)
        scan_row.addWidget(self.scan_status, 3)

        # -------------------------------------------------- states with counts
        self.state_group = QButtonGroup(self)
        self.state_group.setExclusive(True)
        self.state_buttons: dict[str, QPushButton] = {}
        states_row = QHBoxLayout()
        for key, label in (
            (OPEN_KEY, "未办结"),
            *((s.value, s.label) for s in TaskState),
            (ALL_KEY, "全部"),
        ):
            button = named(QPushButton(label), f"state_{key}")
            button.setCheckable(True)
            button.setProperty("stateKey", key)
            button.setProperty("label", label)
            self.state_group.addButton(button)
            self.state_buttons[key] = button
            states_row.addWidget(button)
        states_row.addStretch(1)
        self.state_buttons[OPEN_KEY].setChecked(True)
        self.count_label = named(QLabel("正在统计…"), "countLabel")
        states_row.addWidget(self.count_label)

        # -------------------------------------------------- filters
        self.method_filter = named(QComboBox(), "methodFilter")
        self.method_filter.addItem("全部方式", None)
        self.method_filter.addItem("尚未送达", "")
        for method in ServiceMethod:
            self.method_filter.addItem(method.label, method.value)
        self.due_filter = named(QComboBox(), "dueFilter")
        for label, choice in DUE_CHOICES:
            self.due_filter.addItem(label, choice)
        self.division_filter = named(QComboBox(), "divisionFilter")
        self.division_filter.addItem("全部庭室", None)
        self.judge_filter = named(QComboBox(), "judgeFilter")
        self.judge_filter.addItem("全部承办人", None)
        self.assignee_filter = named(QComboBox(), "assigneeFilter")
        self.assignee_filter.addItem("全部送达人员", None)
        self.assignee_filter.addItem("我的任务", "me")
        self.assignee_filter.addItem("未分派", "none")
        self.blocks_filter = named(QCheckBox("只看阻碍开庭的"), "blocksFilter")
        refresh = named(QPushButton("刷新"), "refreshDesk")
        refresh.clicked.connect(self.refresh)
        filters = QHBoxLayout()
        for label, widget in (
            ("方式", self.method_filter),
            ("期限", self.due_filter),
            ("庭室", self.division_filter),
            ("承办人", self.judge_filter),
            ("送达人员", self.assignee_filter),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.blocks_filter)
        filters.addStretch(1)
        filters.addWidget(refresh)

        # -------------------------------------------------- table and detail
        self.table = named(QTableView(), "serviceTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSortIndicator(DUE, Qt.SortOrder.AscendingOrder)
        header.setStretchLastSection(False)
        char = self.fontMetrics().horizontalAdvance("中")
        for column, width in enumerate((6, 12, 7, 7.5, 9.5, 4, 4.5, 8, 5.5, 4, 4)):
            self.table.setColumnWidth(column, int(char * width) + 12)
        header.sortIndicatorChanged.connect(self._sort_changed)

        self.detail = named(QTextBrowser(), "taskDetail")
        self.detail.setMinimumWidth(char * 18)
        self.record_button = named(QPushButton("登记送达…"), "recordButton")
        self.withdraw_button = named(QPushButton("撤回…"), "withdrawButton")
        self.record_button.clicked.connect(self.record_current)
        self.withdraw_button.clicked.connect(self.withdraw_current)
        detail_buttons = QHBoxLayout()
        detail_buttons.addWidget(self.record_button)
        detail_buttons.addWidget(self.withdraw_button)
        detail_box = QWidget()
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail, 1)
        detail_layout.addLayout(detail_buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(detail_box)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([char * 84, char * 20])

        # -------------------------------------------------- batch actions
        self.selection_label = named(QLabel("未选择任务"), "selectionLabel")
        self.assign_target = named(QComboBox(), "assignTarget")
        self.assign_target.addItem("不分派（收回）", None)
        self.assign_target.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.assign_button = named(QPushButton("分派所选"), "assignButton")
        self.assign_button.clicked.connect(self.assign_selected)
        self.batch_button = named(QPushButton("批量登记所选…"), "batchButton")
        self.batch_button.clicked.connect(self.batch_selected)
        self.print_button = named(QToolButton(), "printButton")
        self.print_button.setText("打印与导出")
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.print_button)
        for label, what in DOCUMENTS:
            action = menu.addAction(label)
            action.setData(what)
            action.triggered.connect(lambda _checked=False, w=what: self.export(w))
        self.print_button.setMenu(menu)
        actions = QHBoxLayout()
        actions.addWidget(self.selection_label)
        actions.addStretch(1)
        actions.addWidget(QLabel("分派给"))
        actions.addWidget(self.assign_target)
        actions.addWidget(self.assign_button)
        actions.addWidget(self.batch_button)
        actions.addWidget(self.print_button)
        for button in (
            self.assign_button,
            self.batch_button,
            self.record_button,
            self.withdraw_button,
        ):
            button.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(scan_row)
        layout.addLayout(states_row)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(actions)

        self.scan.returnPressed.connect(self.scan_entered)
        self.state_group.buttonClicked.connect(lambda _b: self.apply_filter())
        for combo in (
            self.method_filter,
            self.due_filter,
            self.division_filter,
            self.judge_filter,
            self.assignee_filter,
        ):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.blocks_filter.toggled.connect(self.apply_filter)
        self.model.count_changed.connect(self._show_count)
        self.model.page_loaded.connect(self._after_page)
        self.model.failed.connect(self.error)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.record_current())
        self._load_people()

    # ------------------------------------------------------------ reference lists
    def _load_people(self) -> None:
        ws = self._ws
        self._runner.run(
            lambda: (
                reference.divisions(ws),
                reference.people_with_role(ws, "judge"),
                svc.service_staff(ws),
            ),
            self._fill_people,
            self.error.emit,
        )

    def _fill_people(
        self, people: tuple[list[Division], list[Person], list[tuple[int, str]]]
    ) -> None:
        divisions, judges, staff = people
        self._staff = staff
        for combo in (self.division_filter, self.judge_filter, self.assignee_filter):
            combo.blockSignals(True)
        for division in divisions:
            if division.kind in (
                "civil",
                "criminal",
                "administrative",
                "enforcement",
                "tribunal",
                "filing",
            ):
                self.division_filter.addItem(division.name, division.id)
        for judge in judges:
            label = f"{judge.name}（{judge.division}）" if judge.division else judge.name
            self.judge_filter.addItem(label, judge.id)
        for user_id, name in staff:
            self.assignee_filter.addItem(name, user_id)
            self.assign_target.addItem(name, user_id)
        for combo in (self.division_filter, self.judge_filter, self.assignee_filter):
            combo.blockSignals(False)

    @property
    def staff(self) -> list[tuple[int, str]]:
        return self._staff

    # ------------------------------------------------------------ filtering
    def current_filter(self) -> TaskFilter:
        button = self.state_group.checkedButton()
        key = str(button.property("stateKey")) if button is not None else OPEN_KEY
        today = date.today()
        due_key = self.due_filter.currentData()
        due_before = today if due_key == "overdue" else None
        due_until = None
        if due_key == "today":
            due_until = today
        elif due_key in ("3", "7"):
            due_until = today + timedelta(days=int(due_key))
        method = self.method_filter.currentData()
        assignee = self.assignee_filter.currentData()
        return TaskFilter(
            states=() if key in (OPEN_KEY, ALL_KEY) else (key,),
            # A due-date filter is about work still to do.
            open_only=key == OPEN_KEY or due_key is not None,
            methods=() if method is None else (str(method),),
            due_before=due_before,
            due_until=due_until,
            division_id=self.division_filter.currentData(),
            judge_id=self.judge_filter.currentData(),
            assignee_id=self._ws.actor.user_id
            if assignee == "me"
            else (assignee if isinstance(assignee, int) else None),
            unassigned=assignee == "none",
            blocks_hearing=self.blocks_filter.isChecked(),
        )

    def apply_filter(self) -> None:
        flt = self.current_filter()
        if flt != self.model.task_filter:
            self.count_label.setText("正在统计…")
            self.model.set_filter(flt)
            self._refresh_counts(flt)

    def refresh(self, select_task: int | None = None) -> None:
        """Count and load again (after a change, or when the page is shown)."""
        self._select_after_load = select_task
        self.count_label.setText("正在统计…")
        self.model.today = date.today()
        flt = self.current_filter()
        if flt != self.model.task_filter:
            self.model.set_filter(flt)
        else:
            self.model.refresh()
        self._refresh_counts(flt)

    def _refresh_counts(self, flt: TaskFilter) -> None:
        # Counted over every state under the other filters (a due-date filter keeps to open work).
        flt = replace(flt, states=(), open_only=self.due_filter.currentData() is not None)
        ws = self._ws
        self._runner.run(
            lambda: svc.desk_state_counts(ws, flt), self._show_state_counts, self.error.emit
        )

    def _show_state_counts(self, counts: dict[TaskState, int]) -> None:
        totals: dict[str, int] = {state.value: n for state, n in counts.items()}
        totals[OPEN_KEY] = sum(n for state, n in counts.items() if state.is_open)
        totals[ALL_KEY] = sum(counts.values())
        for key, button in self.state_buttons.items():
            button.setText(f"{button.property('label')} {totals.get(key, 0):,}")

    def _show_count(self, total: int) -> None:
        self.count_label.setText(f"共 {total:,} 项")
        if total == 0:
            self.detail.setHtml("<p style='color:#666'>没有符合条件的送达任务</p>")
            self.current_task = None
            self._update_buttons()

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        if column not in (0, DUE):
            # Only the barcode (creation order) and the due date sort in SQL.
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(DUE, Qt.SortOrder.AscendingOrder)
            header.blockSignals(False)
            self.model.sort(DUE, Qt.SortOrder.AscendingOrder)

    def _after_page(self, _page: int) -> None:
        if self._select_after_load is None:
            return
        row = self.model.find_row(self._select_after_load)
        if row is not None:
            self._select_after_load = None
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    # ------------------------------------------------------------ selection
    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        ids = []
        for row in rows:
            item = self.model.row_at(row)
            if item is not None:
                ids.append(item.id)
        return ids

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        ids = self.selected_ids()
        self.selection_label.setText(f"已选 {len(ids)} 项" if ids else "未选择任务")
        current = self.table.currentIndex()
        item = self.model.row_at(current.row()) if current.isValid() else None
        if item is not None and (self.current_task is None or self.current_task.id != item.id):
            self.show_task(item.id)
        self._update_buttons()

    def show_task(self, task_id: int, then: Callable[[TaskDetail], object] | None = None) -> None:
        ws = self._ws
        self._detail_for = task_id

        def shown(task: TaskDetail) -> None:
            if self._detail_for == task.id:
                self.current_task = task
                self.detail.setHtml(task_detail_html(task))
                self._update_buttons()
            if then is not None:
                then(task)

        self._runner.run(lambda: svc.get_task(ws, task_id), shown, self.error.emit)

    def _update_buttons(self) -> None:
        task = self.current_task
        selected = bool(self.selected_ids())
        self.assign_button.setEnabled(self.can_manage and selected)
        self.batch_button.setEnabled(self.can_manage and selected)
        for action in self.print_button.menu().actions():
            action.setEnabled(selected or action.data() == "day")
        open_task = task is not None and task.state.is_open
        self.record_button.setEnabled(self.can_manage and open_task)
        self.withdraw_button.setEnabled(self.can_manage and open_task)
        if task is not None:
            self.record_button.setText("登记回执…" if task.pending_attempt else "登记送达…")

    # ------------------------------------------------------------ scanning
    def focus_scan(self) -> None:
        self.scan.setFocus()
        self.scan.selectAll()

    def scan_entered(self) -> None:
        code = self.scan.text().strip()
        if not code:
            return
        ws = self._ws
        self.scan_status.setStyleSheet("")
        self.scan_status.setText(f"正在查找 {code}…")
        self._runner.run(lambda: svc.find_by_code(ws, code), self._scanned, self._scan_failed)

    def _scanned(self, task: TaskDetail) -> None:
        self.scan.clear()
        self.current_task = task
        self._detail_for = task.id
        self.detail.setHtml(task_detail_html(task))
        self._update_buttons()
        if not task.state.is_open:
            self.scan_status.setStyleSheet("color:#a15c00;")
            self.scan_status.setText(
                f"{task.code}：{task.recipient_name} 的{task.title}{task.state.label}，无需登记"
            )
            return
        self.scan_status.setStyleSheet("color:#2e7d32;")
        self.scan_status.setText(f"{task.code}：{task.recipient_name} 的{task.title}")
        self.open_attempt_dialog(task)

    def _scan_failed(self, error: BaseException) -> None:
        if not isinstance(error, CourtdeskError):
            self.error.emit(error)
            return
        self.scan_status.setStyleSheet("color:#b3261e;")
        self.scan_status.setText(error.message)
        self.focus_scan()

    # ------------------------------------------------------------ recording
    def record_current(self) -> None:
        task = self.current_task
        if task is None or not self.can_manage or not task.state.is_open:
            return
        # Read it again: someone may have recorded on it since it was shown.
        self.show_task(task.id, self.open_attempt_dialog)

    def open_attempt_dialog(self, task: TaskDetail) -> AttemptDialog | None:
        if not self.can_manage:
            return None
        dialog = AttemptDialog(self._ws, self._runner, task, self._staff, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.recorded.connect(self._recorded)
        dialog.finished.connect(lambda _r: self._dialog_closed())
        self.attempt_dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self) -> None:
        self.attempt_dialog = None
        self.focus_scan()

    def _recorded(self, task: TaskDetail) -> None:
        self.current_task = task
        self.detail.setHtml(task_detail_html(task))
        self.scan_status.setStyleSheet("color:#2e7d32;")
        state = task.state.label + (
            f"（{task.service_date.isoformat()}）" if task.service_date else ""
        )
        self.scan_status.setText(f"已登记 {task.code}：{state}")
        self.refresh(select_task=task.id)
        self.changed.emit()

    def withdraw_current(self) -> None:
        task = self.current_task
        if task is None:
            return
        reason, ok = QInputDialog.getText(
            self, "撤回送达任务", f"撤回 {task.code}（{task.title}）的原因："
        )
        if ok:
            self.withdraw(task, reason)

    def withdraw(self, task: TaskDetail, reason: str) -> None:
        ws = self._ws
        self._runner.run(
            lambda: svc.withdraw(ws, task.id, task.version, reason), self._recorded, self.error.emit
        )

    # ------------------------------------------------------------ batch
    def assign_selected(self) -> None:
        ids = self.selected_ids()
        target = self.assign_target.currentData()
        ws = self._ws
        name = self.assign_target.currentText()

        def done(changed: int) -> None:
            self.scan_status.setStyleSheet("color:#2e7d32;")
            self.scan_status.setText(
                f"已将 {changed} 项任务分派给{name}" if target else f"已收回 {changed} 项任务"
            )
            self.refresh()
            self.changed.emit()

        self._runner.run(lambda: svc.assign(ws, ids, target), done, self.error.emit)

    def batch_selected(self) -> None:
        ids = self.selected_ids()
        ws = self._ws

        def loaded(tasks: list[TaskDetail]) -> None:
            self.open_batch_dialog(tasks)

        self._runner.run(lambda: [svc.get_task(ws, i) for i in ids], loaded, self.error.emit)

    def open_batch_dialog(self, tasks: list[TaskDetail]) -> BatchAttemptDialog | None:
        waiting = [t for t in tasks if t.pending_attempt is not None]
        closed = [t for t in tasks if not t.state.is_open]
        if closed:
            self.error.emit(
                CourtdeskError(
                    f"所选任务中有 {len(closed)} 项已送达或已撤回（如 {closed[0].code}），请只选未办结的任务"
                )
            )
            return None
        methods = {t.pending_attempt.attempt.method for t in waiting if t.pending_attempt}
        if waiting and (len(waiting) != len(tasks) or len(methods) > 1):
            self.error.emit(
                CourtdeskError(
                    "待登记回执的任务与尚未发出的任务（或不同送达方式的回执）请分开批量登记"
                )
            )
            return None
        dialog = BatchAttemptDialog(self._ws, self._runner, tasks, self._staff, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.recorded.connect(self._batch_recorded)
        dialog.finished.connect(lambda _r: setattr(self, "batch_dialog", None))
        self.batch_dialog = dialog
        dialog.open()
        return dialog

    def _batch_recorded(self, count: int) -> None:
        self.scan_status.setStyleSheet("color:#2e7d32;")
        self.scan_status.setText(f"已批量登记 {count} 项")
        self.refresh()
        self.changed.emit()

    def export(self, what: str) -> None:
        """A PDF of the selected tasks opens in the preview (print or save it there);
        the Excel postal list is only saved, where the clerk chooses."""
        ids = self.selected_ids()
        if not ids and what != "day":
            return
        if what == "postal_xlsx":
            name = f"邮寄清单-{date.today().isoformat()}.xlsx"
            path, _ = QFileDialog.getSaveFileName(self, "保存", name, "Excel 工作簿 (*.xlsx)")
            if path:
                self.save_postal_xlsx(ids, Path(path))
            return
        self.preview_document(what, ids)

    def preview_document(self, what: str, ids: list[int]) -> PdfPreviewDialog:
        """Make a PDF in the background and show it in the program, to print or save."""
        ws, today = self._ws, date.today()
        makers: dict[str, Callable[[], bytes]] = {
            "receipts": lambda: documents.receipts(ws, ids).pdf,
            "postal_pdf": lambda: documents.postal_list_pdf(
                ws, documents.postal_list_of_tasks(ws, ids)
            ),
            "labels": lambda: documents.labels_pdf(ws, ids),
            "day": lambda: documents.postal_list_pdf(ws, documents.postal_list_of_day(ws, today)),
        }
        title = {
            "receipts": "送达回证",
            "postal_pdf": "邮寄清单",
            "labels": "地址标签",
            "day": "当日邮寄清单",
        }[what]
        count = "" if what == "day" else f"（{len(ids)}项）"
        dialog = open_pdf_preview(
            self._runner, self, f"{title}{count}", f"{title}-{today.isoformat()}.pdf", makers[what]
        )
        dialog.pane.saved.connect(lambda path: self._say_saved(title, path))
        dialog.finished.connect(lambda _r: setattr(self, "preview_dialog", None))
        self.preview_dialog = dialog
        return dialog

    def _say_saved(self, title: str, path: str) -> None:
        self.scan_status.setStyleSheet("color:#2e7d32;")
        self.scan_status.setText(f"{title}已保存：{path}")

    def save_postal_xlsx(self, ids: list[int], path: Path) -> None:
        """Save the Excel postal list in the background and say where it went."""
        ws, label = self._ws, "邮寄清单（Excel）"
        self.scan_status.setStyleSheet("")
        self.scan_status.setText(f"正在生成{label}…")
        self._runner.run(
            lambda: documents.save_postal_list(ws, ids, path),
            lambda written: self._say_saved(label, str(written)),
            self.error.emit,
        )


class ServiceFiguresView(QWidget):
    """送达统计: tasks by state and method, success per method, speed and backlog."""

    error = Signal(object)

    # The figures are kept month by month (store.service), so periods start on a month.
    PERIODS = (("全部", None), ("本年", "year"), ("本月", "month"), ("近十二个月", "12"))

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._runner = runner
        self.period = named(QComboBox(), "figuresPeriod")
        for label, key in self.PERIODS:
            self.period.addItem(label, key)
        self.period.currentIndexChanged.connect(self.refresh)
        refresh = named(QPushButton("刷新"), "refreshFigures")
        refresh.clicked.connect(self.refresh)
        self.headline = named(QLabel("正在统计…"), "figuresHeadline")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.by_state = named(QTableWidget(), "figuresByState")
        self.by_method = named(QTableWidget(), "figuresByMethod")
        for table in (self.by_state, self.by_method):
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        top = QHBoxLayout()
        top.addWidget(QLabel("统计期间（按送达任务生成的月份）"))
        top.addWidget(self.period)
        top.addStretch(1)
        top.addWidget(refresh)
        grid = QGridLayout()
        grid.addWidget(QLabel("按状态"), 0, 0)
        grid.addWidget(QLabel("按送达方式"), 0, 1)
        grid.addWidget(self.by_state, 1, 0)
        grid.addWidget(self.by_method, 1, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 5)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.headline)
        layout.addLayout(grid, 1)

    def since(self) -> date | None:
        key = self.period.currentData()
        today = date.today()
        if key == "year":
            return date(today.year, 1, 1)
        if key == "month":
            return today.replace(day=1)
        if key == "12":
            return (
                date(today.year - 1, today.month, 1) if today.month < 12 else date(today.year, 1, 1)
            )
        return None

    def refresh(self) -> None:
        ws, since = self._ws, self.since()
        self.headline.setText("正在统计…")
        self._runner.run(lambda: svc.figures(ws, since), self.show_figures, self.error.emit)

    def show_figures(self, figures: ServiceFigures) -> None:
        average = f"{figures.average_days:.1f} 日" if figures.average_days is not None else "—"
        self.headline.setText(
            f"送达任务 <b>{figures.total:,}</b> 项；已送达 <b>{figures.served_tasks:,}</b> 项，"
            f"从生成到依法送达平均 <b>{average}</b>；"
            f"<span style='color:#b3261e'>逾期未送达 <b>{figures.overdue:,}</b> 项</span>；"
            f"送达失败待公告 <b>{figures.need_public_notice:,}</b> 项；"
            f"简易程序送达失败（不得公告，需转普通程序）<b>{figures.failed_in_summary:,}</b> 项"
        )
        self._fill(self.by_state, ["状态", "任务数"], [[label, n] for label, n in figures.by_state])
        rows: list[list[Any]] = []
        for m in figures.by_method:
            rate = f"{m.success_rate:.1%}" if m.success_rate is not None else "—"
            rows.append([m.method, m.attempts, m.served, rate, m.tasks_served])
        self._fill(
            self.by_method,
            ["送达方式", "有结果的送达次数", "其中成功", "成功率", "以此方式送达的任务"],
            rows,
        )

    @staticmethod
    def _fill(table: QTableWidget, headers: list[str], rows: list[list[Any]]) -> None:
        table.setColumnCount(len(headers))
        table.setRowCount(len(rows))
        table.setHorizontalHeaderLabels(headers)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                text = f"{value:,}" if isinstance(value, int) else str(value)
                item = QTableWidgetItem(text)
                if c > 0:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                table.setItem(r, c, item)


class ServiceDeskPage(QTabWidget):
    """送达: the queue and the figures, in two tabs."""

    error = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serviceDesk")
        self.queue = ServiceQueue(ws, runner)
        self.figures = ServiceFiguresView(ws, runner)
        self.addTab(self.queue, "送达队列")
        self.addTab(self.figures, "送达统计")
        self.queue.error.connect(self.error)
        self.figures.error.connect(self.error)
        self.currentChanged.connect(self._tab_changed)

    def activate(self) -> None:
        """The page was shown: load (or reload) and put the cursor in the scan field."""
        if self.currentWidget() is self.figures:
            self.figures.refresh()
        else:
            self.queue.refresh()
        self.queue.focus_scan()

    def _tab_changed(self, index: int) -> None:
        if self.widget(index) is self.figures:
            self.figures.refresh()
        else:
            self.queue.focus_scan()
