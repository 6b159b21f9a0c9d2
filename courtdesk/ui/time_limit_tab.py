"""The 审限 tab of the case view: the time limit now, its timeline, and what may be done.

Shows the state (正常 / 临近届满 / 已超审限 / 中止中 …), expiry, days used and
left, then every event that shaped the limit (filing, conversions, extension
applications and decisions, excluded periods, closing, archiving) with who did
it. The buttons are the acting user's: a judge applies for an extension and
closes, a chief or the president decides, a clerk records excluded periods,
closes and archives. After a change the tab reloads and tells the case view
(``case_changed``) so the docket row and the summary follow.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from courtdesk.domain.procedures import procedure
from courtdesk.domain.time_limit import TimeLimitState
from courtdesk.errors import CourtdeskError
from courtdesk.services import closing, time_limits
from courtdesk.services.case_file import CaseFile
from courtdesk.services.cases import CaseDetail
from courtdesk.services.closing import ClosingOptions, ClosingView
from courtdesk.services.time_limits import CaseTimeLimit
from courtdesk.services.workspace import Workspace
from courtdesk.ui.action_dialog import ActionDialog
from courtdesk.ui.closing_dialog import CloseCaseDialog
from courtdesk.ui.tasks import TaskRunner, next_read
from courtdesk.ui.time_limit_dialogs import (
    ApplyExtensionDialog,
    ArchiveDialog,
    CloseExclusionDialog,
    ConvertProcedureDialog,
    DecideExtensionDialog,
    OpenExclusionDialog,
)
from courtdesk.ui.widgets import named

STATE_COLOURS = {
    TimeLimitState.NORMAL: "#1e6b34",
    TimeLimitState.NEAR: "#a15c00",
    TimeLimitState.OVERDUE: "#b3261e",
    TimeLimitState.PAUSED: "#2f5fa7",
    TimeLimitState.CLOSED_WITHIN: "#1e6b34",
    TimeLimitState.CLOSED_LATE: "#b3261e",
    TimeLimitState.UNTRACKED: "#666666",
}
TONE_COLOURS = {
    "good": "#1e6b34",
    "warning": "#a15c00",
    "danger": "#b3261e",
    "muted": "#777777",
    "future": "#2f5fa7",
}


class TimeLimitTab(QWidget):
    case_changed = Signal(int)  # a change was saved for this case id

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._read = 0  # the number (tasks.next_read) of the read shown or asked for last
        self.setObjectName("timeLimitTab")
        self._ws = ws
        self._runner = runner
        self._case_id: int | None = None
        self._requests = 0  # each load is numbered; only the latest answer is shown
        self._shown = 0
        self.view: CaseTimeLimit | None = None
        self.dialog: ActionDialog | None = None

        self.state_label = named(QLabel(), "timeLimitState")
        self.state_label.setTextFormat(Qt.TextFormat.RichText)
        self.state_label.setWordWrap(True)
        self.facts_label = named(QLabel(), "timeLimitFacts")
        self.facts_label.setTextFormat(Qt.TextFormat.RichText)
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.timeline = named(QTableWidget(0, 3), "timelineTable")
        self.timeline.setHorizontalHeaderLabels(["日期", "事项", "经办人"])
        self.timeline.verticalHeader().setVisible(False)
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline.setWordWrap(True)
        self.timeline.setAlternatingRowColors(True)
        header = self.timeline.horizontalHeader()
        char = self.fontMetrics().horizontalAdvance("中")
        self.timeline.setColumnWidth(0, char * 6)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(lambda *_: self.timeline.resizeRowsToContents())
        self.timeline.setColumnWidth(2, char * 4 + 8)

        self.apply_button = self._button("申请延长…", "applyExtensionButton", self.open_apply)
        self.decide_button = self._button("审批延长…", "decideExtensionButton", self.open_decide)
        self.exclude_button = self._button("扣除审限…", "openExclusionButton", self.open_exclusion)
        self.end_button = named(QToolButton(), "closeExclusionButton")
        self.end_button.setText("结束扣除…")
        self.end_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.end_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.end_menu = QMenu(self.end_button)
        self.end_button.setMenu(self.end_menu)
        self.convert_button = self._button("转换程序…", "convertButton", self.open_convert)
        self.close_button = self._button("结案…", "closeCaseButton", self.open_close)
        self.archive_button = self._button("归档…", "archiveButton", self.open_archive)
        self.correct_button = self._button("更正结案…", "correctClosingButton", self.open_correct)
        self.buttons: list[QWidget] = [
            self.apply_button,
            self.decide_button,
            self.exclude_button,
            self.end_button,
            self.convert_button,
            self.close_button,
            self.archive_button,
            self.correct_button,
        ]
        self.button_grid = QGridLayout()
        self.button_grid.setContentsMargins(0, 0, 0, 0)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.state_label)
        layout.addWidget(self.facts_label)
        layout.addLayout(self.button_grid)
        layout.addWidget(self.timeline, 1)
        self.clear_case()

    def _button(self, text: str, name: str, slot: object) -> QPushButton:
        button = named(QPushButton(text), name)
        button.clicked.connect(slot)
        return button

    # ------------------------------------------------------------ CaseTab
    def clear_case(self, text: str = "选择一件案件以查看审限") -> None:
        self._case_id = None
        self._requests += 1
        self.view = None
        self.state_label.setText(f"<span style='color:#666'>{html.escape(text)}</span>")
        self.facts_label.clear()
        self.timeline.setRowCount(0)
        self._layout_buttons([])

    def show_case(self, case: CaseDetail) -> None:
        self.load(case.id)

    def show_opened(self, opened: CaseFile, read: int) -> None:
        """The case with its 审限 already read (when the docket opens a case)."""
        if self._case_id == opened.detail.id and self._read > read:
            return  # a load of this tab's own, started later, is shown or on its way
        self._case_id = opened.detail.id
        self._read = read
        self._requests += 1  # an answer still on its way is for an earlier request
        self._show(self._requests, opened.time_limit)

    def load(self, case_id: int) -> None:
        self._case_id = case_id
        self._requests += 1
        request = self._requests
        self._read = next_read()
        ws = self._ws
        self._runner.run(
            lambda: time_limits.case_time_limit(ws, case_id),
            lambda view: self._show(request, view),
            self._runner.unhandled.emit,
        )

    @property
    def loaded(self) -> bool:
        """True once the answer to the latest request is shown."""
        return self.view is not None and self._shown == self._requests

    def _show(self, request: int, view: CaseTimeLimit) -> None:
        if request != self._requests:
            return  # an older answer, or one for a case no longer selected
        self._shown = request
        self.view = view
        r = view.result
        colour = STATE_COLOURS[r.state]
        badge = (
            f"<span style='background:{colour};color:white;padding:2px 6px;"
            f"border-radius:3px'>&nbsp;{r.state.label}&nbsp;</span>"
        )
        if r.tracked:
            expiry = r.expiry.isoformat() if r.expiry else "—"
            if r.provisional:
                expiry += "（暂定）"
            summary = f"审限届满日 <b>{expiry}</b>　已用 <b>{r.days_used}</b> 天"
            if r.days_left is not None and r.state in (
                TimeLimitState.NORMAL,
                TimeLimitState.NEAR,
                TimeLimitState.PAUSED,
            ):
                summary += f"　剩余 <b>{r.days_left}</b> 天"
            elif r.state is TimeLimitState.OVERDUE and r.days_left is not None:
                summary += f"　<span style='color:{colour}'>已超 <b>{-r.days_left}</b> 天</span>"
        else:
            summary = "本案程序不计审限"
        self.state_label.setText(f"{badge}　{summary}")
        e = html.escape
        facts = [("程序", f"{e(view.status_label)}，{e(_procedure_label(r.procedure))}")]
        if r.tracked:
            facts.append(("审限", f"自 {r.start.isoformat()} 次日起 {r.limit}"))
            if r.extended_by.months or r.extended_by.days:
                facts.append(("延长", f"{r.extended_by}（基本审限 {r.base_limit}）"))
            if r.excluded_days or r.paused_since:
                paused = f"，自 {r.paused_since} 起暂停计算" if r.paused_since else ""
                facts.append(("扣除", f"{r.excluded_days} 日{paused}"))
            if view.next_extension is not None and view.actions.apply:
                step = view.next_extension
                by = f"，应在 {step.apply_by} 前申请" if step.apply_by else ""
                facts.append(("可延长", f"报{e(step.approver_label)}批准{by}"))
        pending = view.pending_extension
        if pending is not None:
            facts.append(
                (
                    "待审批",
                    f"{e(pending.applied_by)} 申请延长{pending.length}（{pending.applied_on}）",
                )
            )
        self.facts_label.setText(
            "<table>"
            + "".join(
                f"<tr><td style='color:#555;padding-right:10px'>{k}</td><td>{v}</td></tr>"
                for k, v in facts
            )
            + "</table>"
        )
        self._fill_timeline(view)
        self._update_buttons(view)

    def _fill_timeline(self, view: CaseTimeLimit) -> None:
        self.timeline.setRowCount(len(view.timeline))
        for row, entry in enumerate(view.timeline):
            text = entry.title + (f"\n{entry.detail}" if entry.detail else "")
            cells = (entry.day, text, entry.actor)
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                colour = TONE_COLOURS.get(entry.tone)
                if colour and column < 2:
                    item.setForeground(QBrush(QColor(colour)))
                item.setToolTip(text)
                self.timeline.setItem(row, column, item)
        self.timeline.resizeRowsToContents()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.timeline.resizeRowsToContents()

    def showEvent(self, event: QShowEvent) -> None:
        # Rows filled while the tab was hidden were measured at another width.
        super().showEvent(event)
        self.timeline.resizeRowsToContents()

    def _update_buttons(self, view: CaseTimeLimit) -> None:
        a = view.actions
        self.end_menu.clear()
        for exclusion in view.open_exclusions:
            action = self.end_menu.addAction(f"{exclusion.kind_label}（自 {exclusion.start}）")
            action.triggered.connect(lambda _=False, ex=exclusion: self.open_end_exclusion(ex))
        shown = [
            (self.apply_button, a.apply and view.next_extension is not None),
            (self.decide_button, a.decide),
            (self.exclude_button, a.manage_exclusions),
            (self.end_button, a.manage_exclusions and bool(view.open_exclusions)),
            (self.convert_button, a.convert),
            (self.close_button, a.close),
            (self.archive_button, a.archive),
            (self.correct_button, a.correct and view.status == "closed"),
        ]
        self._layout_buttons([button for button, visible in shown if visible])

    def _layout_buttons(self, visible: list[QWidget]) -> None:
        for button in self.buttons:
            self.button_grid.removeWidget(button)
            button.setVisible(False)
        for index, button in enumerate(visible):
            self.button_grid.addWidget(button, index // 3, index % 3)
            button.setVisible(True)

    # ------------------------------------------------------------ actions
    def _run(self, dialog: ActionDialog) -> ActionDialog:
        self.dialog = dialog
        dialog.succeeded.connect(lambda _result: self._changed())
        dialog.open()
        return dialog

    def _changed(self) -> None:
        if self._case_id is not None:
            self.load(self._case_id)
            self.case_changed.emit(self._case_id)

    def open_apply(self) -> None:
        if self.view is not None:
            self._run(ApplyExtensionDialog(self._ws, self._runner, self.view, self))

    def open_decide(self) -> None:
        if self.view is not None:
            self._run(DecideExtensionDialog(self._ws, self._runner, self.view, self))

    def open_exclusion(self) -> None:
        if self.view is not None:
            self._run(OpenExclusionDialog(self._ws, self._runner, self.view, self))

    def open_end_exclusion(self, exclusion: time_limits.ExclusionView) -> None:
        if self.view is not None:
            self._run(CloseExclusionDialog(self._ws, self._runner, self.view, exclusion, self))

    def open_convert(self) -> None:
        if self.view is not None:
            self._run(ConvertProcedureDialog(self._ws, self._runner, self.view, self))

    def open_archive(self) -> None:
        if self.view is not None:
            self._run(ArchiveDialog(self._ws, self._runner, self.view, self))

    def open_close(self) -> None:
        if self.view is None:
            return
        ws, case_id = self._ws, self.view.case_id
        self._runner.run(
            lambda: closing.closing_options(ws, case_id),
            lambda options: self._close_dialog(options, None),
            self._runner.unhandled.emit,
        )

    def open_correct(self) -> None:
        if self.view is None:
            return
        ws, case_id = self._ws, self.view.case_id
        self._runner.run(
            lambda: (closing.closing_options(ws, case_id), closing.closing_record(ws, case_id)),
            lambda pair: self._correct_dialog(*pair),
            self._runner.unhandled.emit,
        )

    def _close_dialog(self, options: ClosingOptions, current: ClosingView | None) -> None:
        if options.case_id == self._case_id:
            self._run(CloseCaseDialog(self._ws, self._runner, options, current, self))

    def _correct_dialog(self, options: ClosingOptions, current: ClosingView | None) -> None:
        if current is None:
            self._runner.unhandled.emit(
                CourtdeskError("本案没有结案记录（在本系统之前结案），无法更正结案信息")
            )
            return
        self._close_dialog(options, current)


def _procedure_label(code: str) -> str:
    return procedure(code).label
