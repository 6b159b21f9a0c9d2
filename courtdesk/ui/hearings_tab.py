"""The case's 开庭 tab: every hearing it has had or will have, with postponements and
cancellations and their reasons, and the buttons to schedule, postpone or cancel."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from courtdesk.services import hearings
from courtdesk.services.case_file import CaseFile
from courtdesk.services.cases import CaseDetail
from courtdesk.services.hearings import HearingStatus, HearingView
from courtdesk.services.permissions import Permission, allowed
from courtdesk.services.workspace import Workspace
from courtdesk.ui.hearing_dialogs import HearingDialog, PostponeDialog, ReasonDialog
from courtdesk.ui.tasks import TaskRunner, next_read
from courtdesk.ui.widgets import if_alive, named

COLUMNS = ("时间", "类型", "地点", "审判长", "状态", "说明")


def status_text(hearing: HearingView) -> str:
    if hearing.status is HearingStatus.SCHEDULED:
        return "已开庭" if hearing.end.date() < date.today() else "已排期"
    return hearing.status_label


def remark(hearing: HearingView) -> str:
    parts = []
    if hearing.status_reason:
        parts.append(hearing.status_reason)
    if hearing.postponed_from:
        parts.append("延期后重新排期")
    if hearing.override_reason:
        parts.append(f"冲突排期理由：{hearing.override_reason}")
    return "；".join(parts)


class CaseHearingsTab(QWidget):
    changed = Signal()

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._read = 0  # the number (tasks.next_read) of the read shown or asked for last
        self.setObjectName("caseHearings")
        self._ws = ws
        self._runner = runner
        self.case: CaseDetail | None = None
        self.hearings: list[HearingView] = []
        self._generation = 0
        can = allowed(ws.actor, Permission.SCHEDULE_HEARING)
        self.info = named(QLabel("选择一件案件以查看开庭记录"), "caseHearingsInfo")
        self.table = named(QTableWidget(0, len(COLUMNS)), "caseHearingsTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.schedule_button = named(QPushButton("排期…"), "caseSchedule")
        self.postpone_button = named(QPushButton("延期…"), "casePostpone")
        self.cancel_button = named(QPushButton("取消开庭…"), "caseCancel")
        self.summons_button = named(QPushButton("打印传票…"), "caseSummons")
        self.summons_button.setToolTip("预览、打印传票或存为 PDF")
        self.summons_button.setEnabled(False)
        self.schedule_button.setEnabled(False)
        self.postpone_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self._can = can
        buttons = QHBoxLayout()
        buttons.addWidget(self.schedule_button)
        buttons.addWidget(self.postpone_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.summons_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.schedule_button.clicked.connect(self.open_schedule)
        self.postpone_button.clicked.connect(self.open_postpone)
        self.cancel_button.clicked.connect(self.open_cancel)
        self.summons_button.clicked.connect(self.print_summons)
        self.table.itemSelectionChanged.connect(self._update_buttons)

    def clear_case(self, text: str = "选择一件案件以查看开庭记录") -> None:
        self.case = None
        self.hearings = []
        self._generation += 1
        self.table.setRowCount(0)
        self.info.setText(text)
        self._update_buttons()

    def show_case(self, case: CaseDetail) -> None:
        self.case = case
        self.reload()

    def show_opened(self, opened: CaseFile, read: int) -> None:
        """The case with its hearings already read (when the docket opens a case)."""
        if self.case is not None and self.case.id == opened.detail.id and self._read > read:
            return  # a reload of this tab's own, started later, is shown or on its way
        self.case = opened.detail
        self._read = read
        self._generation += 1  # an answer still on its way is for an earlier case
        self._show(opened.hearings)

    def reload(self) -> None:
        if self.case is None:
            return
        ws, case_id = self._ws, self.case.id
        self._generation += 1
        generation = self._generation
        self._read = next_read()
        self.info.setText("正在载入开庭记录…")

        def done(found: list[HearingView]) -> None:
            if generation == self._generation:
                self._show(found)

        # The tab may be gone when a late result arrives (the window closed meanwhile).
        self._runner.run(lambda: hearings.case_hearings(ws, case_id), if_alive(self, done))

    def _show(self, found: list[HearingView]) -> None:
        self.hearings = found
        self.table.setRowCount(len(found))
        postponed = sum(1 for h in found if h.status is HearingStatus.POSTPONED)
        for row, hearing in enumerate(found):
            cells = (
                f"{hearing.start:%Y-%m-%d %H:%M}–{hearing.end:%H:%M}",
                hearing.kind_label,
                hearing.place,
                hearing.judge_name,
                status_text(hearing),
                remark(hearing),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if hearing.status is not HearingStatus.SCHEDULED:
                    item.setForeground(Qt.GlobalColor.gray)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        assert self.case is not None
        summary = f"{self.case.case_number}：共 {len(found)} 次开庭记录"
        if postponed:
            summary += f"，已延期 {postponed} 次"
        self.info.setText(summary if found else f"{self.case.case_number}：尚未排期")
        upcoming = next(
            (
                i
                for i, h in enumerate(found)
                if h.status is HearingStatus.SCHEDULED and h.start.date() >= date.today()
            ),
            None,
        )
        if upcoming is not None:
            self.table.selectRow(upcoming)
        self._update_buttons()

    @property
    def selected(self) -> HearingView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.hearings):
            return None
        return self.hearings[rows[0].row()]

    def _update_buttons(self) -> None:
        from courtdesk.domain.case_status import CaseStatus

        open_case = self.case is not None and CaseStatus(self.case.status).is_open
        self.schedule_button.setEnabled(self._can and open_case)
        hearing = self.selected
        editable = (
            self._can
            and hearing is not None
            and hearing.status is HearingStatus.SCHEDULED
            and hearing.start.date() >= date.today()
        )
        self.postpone_button.setEnabled(editable)
        self.cancel_button.setEnabled(editable)
        self.summons_button.setEnabled(
            editable and allowed(self._ws.actor, Permission.PRINT_NOTICES)
        )

    def print_summons(self) -> None:
        """传票 for this case in the notice dialog (preview, print, save as PDF)."""
        from courtdesk.ui.notice_dialog import open_notice_dialog

        if self.case is None:
            return
        open_notice_dialog(
            self._ws, self._runner, [self.case.id], self.case.case_number, self, kind="summons"
        )

    def _after_change(self, *_args: object) -> None:
        self.reload()
        self.changed.emit()

    def open_schedule(self) -> HearingDialog | None:
        if self.case is None:
            return None
        dialog = HearingDialog(self._ws, self._runner, self, case=self.case)
        dialog.scheduled.connect(self._after_change)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_postpone(self) -> PostponeDialog | None:
        hearing = self.selected
        if hearing is None:
            return None
        dialog = PostponeDialog(self._ws, self._runner, hearing, self)
        dialog.postponed.connect(self._after_change)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_cancel(self) -> ReasonDialog | None:
        hearing = self.selected
        if hearing is None:
            return None
        dialog = ReasonDialog(
            "取消开庭",
            f"取消 {hearing.start:%Y-%m-%d %H:%M} 的{hearing.kind_label}，请填写理由：",
            self,
            object_name="cancelDialog",
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ws, runner = self._ws, self._runner

        def cancel() -> None:
            reason = dialog.reason.text()
            runner.run(
                lambda: hearings.cancel_hearing(ws, hearing.id, hearing.version, reason),
                self._after_change,
            )

        dialog.accepted.connect(cancel)
        dialog.open()
        return dialog
