"""The 送达 tab of the selected case: party by party, what was served, how and when.

Each party shows its 送达地址确认书 (or that it has none) and its documents with
state, method and legal service date; its agents' notices follow it. From here a
judge's team hands a document to the centre and records a party's confirmed
address; the centre's staff can record an attempt.
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from courtdesk.domain.service import TaskState
from courtdesk.services import service as svc
from courtdesk.services.case_file import CaseFile
from courtdesk.services.cases import CaseDetail
from courtdesk.services.permissions import Permission, allowed
from courtdesk.services.service import ConfirmationView, PartyService, TaskDetail, TaskSummary
from courtdesk.services.workspace import Workspace
from courtdesk.ui.service_dialogs import (
    AddressConfirmationDialog,
    AttemptDialog,
    TaskRequestDialog,
)
from courtdesk.ui.service_model import STATE_COLOURS
from courtdesk.ui.tasks import TaskRunner, next_read
from courtdesk.ui.widgets import named

ROLE_KIND = Qt.ItemDataRole.UserRole
ROLE_ID = Qt.ItemDataRole.UserRole + 1


def confirmation_text(confirmation: ConfirmationView | None) -> str:
    if confirmation is None:
        return "未签送达地址确认书"
    consent = (
        f"，同意电子送达（{confirmation.electronic_address}）"
        if confirmation.electronic_consent
        else "，未同意电子送达"
    )
    return f"已确认送达地址 {confirmation.address}{consent}"


class ServiceCaseTab(QWidget):
    error = Signal(object)
    changed = Signal()

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._read = 0  # the number (tasks.next_read) of the read shown or asked for last
        self.setObjectName("caseServiceTab")
        self._ws = ws
        self._runner = runner
        self.case: CaseDetail | None = None
        self.parties: list[PartyService] = []
        self._staff: list[tuple[int, str]] = []
        self.can_request = allowed(ws.actor, Permission.REQUEST_SERVICE)
        self.can_manage = allowed(ws.actor, Permission.MANAGE_SERVICE)
        self.summary = named(QLabel(), "caseServiceSummary")
        self.summary.setWordWrap(True)
        self.tree = named(QTreeWidget(), "caseServiceTree")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["受送达人 / 文书", "状态", "方式", "送达日期"])
        self.tree.setRootIsDecorated(True)
        self.tree.setStyleSheet("QTreeView::item { padding: 2px 0; }")
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.detail = named(QLabel(), "caseServiceDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setStyleSheet("color:#333; padding:4px;")
        self.request_button = named(QPushButton("提交送达…"), "requestButton")
        self.confirm_button = named(QPushButton("送达地址确认…"), "confirmButton")
        self.record_button = named(QPushButton("登记送达…"), "caseRecordButton")
        self.request_button.clicked.connect(self.open_request_dialog)
        self.confirm_button.clicked.connect(self.open_confirmation_dialog)
        self.record_button.clicked.connect(self.record_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.request_button)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        self.tree.currentItemChanged.connect(lambda *_: self._selection_changed())
        self.tree.itemDoubleClicked.connect(lambda *_: self.record_selected())
        self.clear_case()
        if self.can_manage:
            runner.run(lambda: svc.service_staff(ws), self._set_staff, self.error.emit)

    def _set_staff(self, staff: list[tuple[int, str]]) -> None:
        self._staff = staff

    # ------------------------------------------------------------ CaseTab protocol
    def clear_case(self, text: str = "选择一件案件以查看送达情况") -> None:
        self.case = None
        self.parties = []
        self.tree.clear()
        self.summary.setText(text)
        self.detail.setText("")
        self._selection_changed()

    def show_case(self, case: CaseDetail) -> None:
        self.case = case
        self.summary.setText("正在读取送达情况…")
        self.reload()

    def show_opened(self, opened: CaseFile, read: int) -> None:
        """The case with its service already read (when the docket opens a case)."""
        if opened.service is None:  # not the reader's to see: its own service says why
            self.show_case(opened.detail)
            return
        if self.case is not None and self.case.id == opened.detail.id and self._read > read:
            return  # a reload of this tab's own, started later, is shown or on its way
        self.case = opened.detail
        self._read = read
        self._show(opened.detail.id, opened.service)

    def reload(self) -> None:
        case = self.case
        if case is None:
            return
        ws = self._ws
        read = self._read = next_read()

        def done(parties: list[PartyService]) -> None:
            if read == self._read:  # not overtaken by a later read
                self._show(case.id, parties)

        self._runner.run(lambda: svc.case_service(ws, case.id), done, self.error.emit)

    # ------------------------------------------------------------ showing
    def _show(self, case_id: int, parties: list[PartyService]) -> None:
        if self.case is None or self.case.id != case_id:
            return  # another case was selected meanwhile
        self.parties = parties
        self.tree.clear()
        total = served = waiting = 0
        for party in parties:
            counts = f"已送达 {party.served}/{len(party.tasks)}" if party.tasks else "无送达任务"
            # Whether the party signed a 送达地址确认书 decides what a returned letter means,
            # so it shows on the party's own line, not only in a tooltip.
            signed = "已签确认书" if party.confirmation is not None else "未签确认书"
            top = QTreeWidgetItem([f"{party.role} {party.name}（{counts}）　{signed}"])
            top.setData(0, ROLE_KIND, "party")
            top.setData(0, ROLE_ID, party.party_id)
            top.setToolTip(0, confirmation_text(party.confirmation))
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)
            for task in (*party.tasks, *party.agent_tasks):
                top.addChild(self._task_item(task, agent=task in party.agent_tasks))
                total += 1
                served += task.state is TaskState.SERVED
                waiting += task.state.is_open
            top.setExpanded(True)
        self.summary.setText(
            f"送达任务 {total} 项：已送达 {served} 项，未办结 {waiting} 项"
            if total
            else "本案尚无送达任务"
        )
        self._selection_changed()

    def _task_item(self, task: TaskSummary, agent: bool) -> QTreeWidgetItem:
        name = f"{task.recipient_name}：{task.title}" if agent else task.title
        when = task.service_date or ""
        if task.state is TaskState.PUBLIC_NOTICE and task.service_date:
            when = f"{task.service_date} 届满"
        # How it was served (or is being tried) stands beside when: the issue asks for both.
        item = QTreeWidgetItem([name, task.state.label, task.method or "—", when])
        item.setData(0, ROLE_KIND, "task")
        item.setData(0, ROLE_ID, task.id)
        colour = STATE_COLOURS.get(task.state)
        if colour is not None:
            item.setForeground(1, QBrush(colour))
        tip = f"{task.code}　期限 {task.due_date}　{task.method or '尚未送达'}\n{task.basis}"
        item.setToolTip(0, tip + (f"\n{task.last_attempt}" if task.last_attempt else ""))
        return item

    def selected(self) -> tuple[str, int] | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        return str(item.data(0, ROLE_KIND)), int(item.data(0, ROLE_ID))

    def _party_of(self, item_id: int, kind: str) -> PartyService | None:
        for party in self.parties:
            if kind == "party" and party.party_id == item_id:
                return party
            if kind == "task" and any(t.id == item_id for t in (*party.tasks, *party.agent_tasks)):
                return party
        return None

    def _task(self, task_id: int) -> TaskSummary | None:
        for party in self.parties:
            for task in (*party.tasks, *party.agent_tasks):
                if task.id == task_id:
                    return task
        return None

    def _selection_changed(self) -> None:
        chosen = self.selected()
        has_case = self.case is not None
        self.request_button.setEnabled(self.can_request and has_case)
        self.confirm_button.setEnabled(False)
        self.record_button.setEnabled(False)
        if chosen is None:
            self.detail.setText("")
            return
        kind, item_id = chosen
        party = self._party_of(item_id, kind)
        self.confirm_button.setEnabled(self.can_request and party is not None)
        e = html.escape
        if kind == "party" and party is not None:
            self.detail.setText(
                f"<b>{e(party.role)} {e(party.name)}</b><br>{e(confirmation_text(party.confirmation))}"
                f"<br>登记地址：{e(party.address_on_file or '（无）')}"
            )
            return
        task = self._task(item_id)
        if task is None:
            return
        self.record_button.setEnabled(self.can_manage and task.state.is_open)
        lines = [
            f"<b>{e(task.code)}</b>　{e(task.title)} → {e(task.recipient_name)}",
            f"地址：{e(task.address or '（无）')}",
            f"期限：{e(task.due_date)}　状态：{e(task.state.label)}　方式：{e(task.method or '—')}",
            e(task.basis),
        ]
        if task.last_attempt:
            lines.append(f"最近一次：{e(task.last_attempt)}")
        self.detail.setText("<br>".join(lines))

    # ------------------------------------------------------------ actions
    def open_request_dialog(self) -> None:
        """Open 提交送达 once the court's default due date is read (off the GUI thread)."""
        case = self.case
        if case is None:
            return
        ws = self._ws
        self._runner.run(
            lambda: svc.default_due_date(ws), lambda due: self._request(case, due), self.error.emit
        )

    def _request(self, case: CaseDetail, due: date) -> None:
        dialog = TaskRequestDialog(self._ws, self._runner, case, due, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.requested.connect(lambda _ids: self._changed())
        self.request_dialog = dialog
        dialog.open()

    def open_confirmation_dialog(self) -> AddressConfirmationDialog | None:
        chosen = self.selected()
        if chosen is None or self.case is None:
            return None
        party = self._party_of(chosen[1], chosen[0])
        if party is None:
            return None
        on_file = next((p for p in self.case.parties if p.id == party.party_id), None)
        dialog = AddressConfirmationDialog(
            self._ws,
            self._runner,
            party.party_id,
            f"{party.role}{party.name}",
            party.address_on_file,
            on_file.phone if on_file else "",
            party.confirmation,
            self.window(),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.confirmed.connect(lambda _view: self._changed())
        self.confirmation_dialog = dialog
        dialog.open()
        return dialog

    def record_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or chosen[0] != "task" or not self.can_manage:
            return
        ws, task_id = self._ws, chosen[1]
        self._runner.run(lambda: svc.get_task(ws, task_id), self._open_attempt, self.error.emit)

    def _open_attempt(self, task: TaskDetail) -> None:
        if not task.state.is_open:
            return
        dialog = AttemptDialog(self._ws, self._runner, task, self._staff, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.recorded.connect(lambda _t: self._changed())
        self.attempt_dialog = dialog
        dialog.open()

    def _changed(self) -> None:
        self.reload()
        self.changed.emit()
