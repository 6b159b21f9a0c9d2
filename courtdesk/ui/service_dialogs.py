"""Dialogs of service of process: record an attempt (or a receipt), many at once, hand a
document to the centre, and a party's 送达地址确认书.

Every dialog checks through the services, which apply section 4's rules; each
problem is listed at the top and its field marked, and the dialog keeps what was
typed. The legal effect of what is being entered is previewed live from the
domain rules (pure functions, no database).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from courtdesk.domain.service import (
    ALLOWED_OUTCOMES,
    ELECTRONIC_CHANNELS,
    PUBLIC_NOTICE_PLACES,
    RECEIVER_RELATIONS,
    AddressConfirmation,
    Attempt,
    DocumentKind,
    EffectKind,
    Outcome,
    ReturnReason,
    ServiceMethod,
    attempt_effect,
    check_attempt,
    outcome_label,
)
from courtdesk.errors import CourtdeskError, FieldProblem, ValidationError
from courtdesk.services import service as svc
from courtdesk.services.cases import CaseDetail
from courtdesk.services.service import AttemptEntry, ConfirmationView, TaskDetail, TaskRequest
from courtdesk.services.workspace import Workspace
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import fit_to_screen, named

INVALID_STYLE = "border: 1px solid #b3261e; background: #fde2e1;"
PROBLEM_STYLE = "color:#b3261e; background:#fdecea; padding:6px;"

DATE_LABELS = {
    ServiceMethod.DIRECT: "送达日期",
    ServiceMethod.LEFT: "留置日期",
    ServiceMethod.ELECTRONIC: "发送日期",
    ServiceMethod.POST: "寄出日期",
    ServiceMethod.COURT_EXPRESS: "寄出日期",
    ServiceMethod.ENTRUSTED: "委托日期",
    ServiceMethod.FORWARDED: "交付转交日期",
    ServiceMethod.PUBLIC_NOTICE: "公告日期",
}


def to_date(edit: QDateEdit) -> date:
    q = edit.date()
    return date(q.year(), q.month(), q.day())


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def date_edit(name: str, day: date | None = None) -> QDateEdit:
    edit = named(QDateEdit(), name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(qdate(day or date.today()))
    return edit


def problems_label() -> QLabel:
    label = named(QLabel(), "problems")
    label.setWordWrap(True)
    label.setStyleSheet(PROBLEM_STYLE)
    label.hide()
    return label


def show_problems(label: QLabel, title: str, problems: Sequence[FieldProblem]) -> None:
    label.setText(title + "\n" + "\n".join(f"• {p.message}" for p in problems))
    label.show()


class AttemptForm(QWidget):
    """What staff fill in for an attempt; rows appear as the method and outcome need them.

    ``per_task_fields``: in a batch the waybill and the receiver are typed per task
    in the batch's table, so the form leaves them out.
    """

    changed = Signal()

    def __init__(
        self,
        staff: Sequence[tuple[int, str]],
        current_user: int | None,
        per_task_fields: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._per_task = per_task_fields
        self.method = named(QComboBox(), "method")
        for method in ServiceMethod:
            self.method.addItem(method.label, method.value)
        self.outcome = named(QComboBox(), "outcome")
        self.attempt_date = date_edit("attemptDate")
        self.result_date = date_edit("resultDate")
        self.sent_at = named(QDateTimeEdit(QDateTime.currentDateTime()), "sentAt")
        self.sent_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.sent_at.setCalendarPopup(True)
        self.channel = named(QComboBox(), "channel")
        self.channel.setEditable(True)
        self.channel.addItems(ELECTRONIC_CHANNELS)
        self.receiver = named(QLineEdit(), "receiverName")
        self.relation = named(QComboBox(), "receiverRelation")
        self.relation.addItems(RECEIVER_RELATIONS)
        self.witnesses = named(QLineEdit(), "witnesses")
        self.witnesses.setPlaceholderText("见证人姓名及身份，例如 社区主任王五")
        self.record_media = named(QLineEdit(), "recordMedia")
        self.record_media.setPlaceholderText("拍照、录像记录的编号或存放位置")
        self.waybill = named(QLineEdit(), "waybill")
        self.waybill.setPlaceholderText("邮件详情单号，可扫描")
        self.reason = named(QComboBox(), "returnedReason")
        for reason in ReturnReason:
            self.reason.addItem(reason.label, reason.value)
        self.agency = named(QLineEdit(), "otherAgency")
        self.place = named(QComboBox(), "postedWhere")
        self.place.setEditable(True)
        self.place.addItems(PUBLIC_NOTICE_PLACES)
        self.abroad = named(QCheckBox("受送达人在中华人民共和国领域外（公告期 60 日）"), "abroad")
        self.unknown = named(QCheckBox("受送达人下落不明"), "whereaboutsUnknown")
        self.staff = named(QComboBox(), "staff")
        for user_id, name in staff:
            self.staff.addItem(name, user_id)
        if current_user is not None:
            found = self.staff.findData(current_user)
            self.staff.setCurrentIndex(max(0, found))
        self.notes = named(QLineEdit(), "notes")

        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow("送达方式", self.method)
        self.form.addRow("结果", self.outcome)
        self.form.addRow("送达日期", self.attempt_date)
        self.form.addRow("回执日期", self.result_date)
        self.form.addRow("发送成功时间", self.sent_at)
        self.form.addRow("送达渠道", self.channel)
        self.form.addRow("签收人", self.receiver)
        self.form.addRow("与受送达人关系", self.relation)
        self.form.addRow("见证人", self.witnesses)
        self.form.addRow("拍照录像记录", self.record_media)
        self.form.addRow("邮件单号", self.waybill)
        self.form.addRow("退回原因", self.reason)
        self.form.addRow("受托法院/转交单位", self.agency)
        self.form.addRow("公告地点", self.place)
        self.form.addRow("", self.abroad)
        self.form.addRow("", self.unknown)
        self.form.addRow("经办人", self.staff)
        self.form.addRow("备注", self.notes)

        self.method.currentIndexChanged.connect(self._method_changed)
        self.outcome.currentIndexChanged.connect(self._update)
        for signal in (
            self.attempt_date.dateChanged,
            self.result_date.dateChanged,
            self.sent_at.dateTimeChanged,
            self.reason.currentIndexChanged,
            self.abroad.toggled,
            self.unknown.toggled,  # decides whether 公告 may be used at all
            self.receiver.textChanged,
            self.witnesses.textChanged,
        ):
            signal.connect(self.changed)
        self._excluded: set[Outcome] = set()
        self._method_changed()

    # ------------------------------------------------------------ state
    def current_method(self) -> ServiceMethod:
        return ServiceMethod(self.method.currentData())

    def current_outcome(self) -> Outcome:
        return Outcome(self.outcome.currentData())

    def set_method(self, method: ServiceMethod, fixed: bool = False) -> None:
        self.method.setCurrentIndex(self.method.findData(method.value))
        self.method.setEnabled(not fixed)

    def set_outcome(self, outcome: Outcome) -> None:
        index = self.outcome.findData(outcome.value)
        if index >= 0:
            self.outcome.setCurrentIndex(index)

    def exclude_outcomes(self, outcomes: set[Outcome]) -> None:
        """Offer only results a receipt can bring (no "still in the post")."""
        self._excluded = outcomes
        self._method_changed()

    def _method_changed(self) -> None:
        method = self.current_method()
        current = self.outcome.currentData()
        self.outcome.blockSignals(True)
        self.outcome.clear()
        for outcome in ALLOWED_OUTCOMES[method]:
            if outcome not in self._excluded:
                self.outcome.addItem(outcome_label(method, outcome), outcome.value)
        # Keep the result only while the method stays the same kind (a fixed method's receipt).
        index = self.outcome.findData(current) if not self.method.isEnabled() else -1
        self.outcome.setCurrentIndex(max(0, index))
        self.outcome.blockSignals(False)
        date_label = self.form.labelForField(self.attempt_date)
        if isinstance(date_label, QLabel):
            date_label.setText(DATE_LABELS[method])
        self._update()

    def _update(self) -> None:
        method, outcome = self.current_method(), self.current_outcome()
        postal = method.is_postal
        receipt = method.waits_for_receipt and outcome is not Outcome.IN_TRANSIT
        person = (method is ServiceMethod.DIRECT and outcome is Outcome.DELIVERED) or (
            postal and outcome is Outcome.DELIVERED
        )
        if method in (ServiceMethod.ENTRUSTED, ServiceMethod.FORWARDED):
            person = outcome is Outcome.DELIVERED
        visible = {
            self.result_date: receipt,
            self.sent_at: method is ServiceMethod.ELECTRONIC,
            self.channel: method is ServiceMethod.ELECTRONIC,
            self.receiver: person and not self._per_task,
            self.relation: person,
            self.witnesses: method is ServiceMethod.LEFT,
            self.record_media: method is ServiceMethod.LEFT,
            self.waybill: postal and not self._per_task,
            self.reason: postal and outcome is Outcome.RETURNED,
            self.agency: method in (ServiceMethod.ENTRUSTED, ServiceMethod.FORWARDED),
            self.place: method is ServiceMethod.PUBLIC_NOTICE,
            self.abroad: method is ServiceMethod.PUBLIC_NOTICE,
            self.unknown: method is ServiceMethod.PUBLIC_NOTICE,
        }
        for widget, shown in visible.items():
            self.form.setRowVisible(widget, shown)
        self.changed.emit()

    def attempt(self, waybill: str | None = None, receiver: str | None = None) -> Attempt:
        """The attempt as entered (``waybill``/``receiver`` from a batch's table)."""
        method, outcome = self.current_method(), self.current_outcome()
        visible = self.form.isRowVisible
        qdt = self.sent_at.dateTime()
        sent = datetime(
            qdt.date().year(),
            qdt.date().month(),
            qdt.date().day(),
            qdt.time().hour(),
            qdt.time().minute(),
        )
        electronic = method is ServiceMethod.ELECTRONIC
        return Attempt(
            method=method,
            outcome=outcome,
            attempt_date=sent.date() if electronic else to_date(self.attempt_date),
            result_date=to_date(self.result_date) if visible(self.result_date) else None,
            sent_at=sent if electronic and outcome is Outcome.DELIVERED else None,
            receiver_name=(receiver if receiver is not None else self.receiver.text())
            if visible(self.relation)
            else "",
            receiver_relation=self.relation.currentText() if visible(self.relation) else "",
            witnesses=self.witnesses.text() if visible(self.witnesses) else "",
            record_media=self.record_media.text() if visible(self.record_media) else "",
            channel=self.channel.currentText() if electronic else "",
            waybill=(waybill if waybill is not None else self.waybill.text())
            if method.is_postal
            else "",
            returned_reason=ReturnReason(self.reason.currentData())
            if visible(self.reason)
            else None,
            other_agency=self.agency.text() if visible(self.agency) else "",
            posted_where=self.place.currentText() if visible(self.place) else "",
            abroad=self.abroad.isChecked() if visible(self.abroad) else False,
            whereabouts_unknown=self.unknown.isChecked() if visible(self.unknown) else False,
            notes=self.notes.text(),
        )

    def staff_id(self) -> int | None:
        value = self.staff.currentData()
        return int(value) if value is not None else None

    # ------------------------------------------------------------ problems
    def widget_for(self, field: str) -> QWidget | None:
        return {
            "method": self.method,
            "outcome": self.outcome,
            "attempt_date": self.attempt_date,
            "result_date": self.result_date,
            "sent_at": self.sent_at,
            "channel": self.channel,
            "receiver_name": self.receiver,
            "receiver_relation": self.relation,
            "witnesses": self.witnesses,
            "record_media": self.record_media,
            "waybill": self.waybill,
            "returned_reason": self.reason,
            "other_agency": self.agency,
            "posted_where": self.place,
            "staff_id": self.staff,
            "notes": self.notes,
        }.get(field)

    def mark(self, problems: Sequence[FieldProblem]) -> None:
        for problem in problems:
            widget = self.widget_for(problem.field)
            if widget is not None:
                widget.setStyleSheet(INVALID_STYLE)

    def clear_marks(self) -> None:
        for child in self.findChildren(QWidget):
            if child.styleSheet() == INVALID_STYLE:
                child.setStyleSheet("")


def task_summary_html(task: TaskDetail) -> str:
    """The task as the dialogs show it on top: what, to whom, where, by when."""
    address = task.address or "（无送达地址）"
    confirmed = "已确认" if task.address_confirmed else "未经确认"
    consent = f"已同意（{task.electronic_address}）" if task.electronic_consent else "未同意"
    proxy = f"；代收人：{task.proxy_recipient}" if task.proxy_recipient else ""
    return (
        f"<b>{task.code}</b>　{task.case_number}（{task.procedure_label}）<br>"
        f"<b>{task.title}</b> × {task.copies} → {task.recipient_role} <b>{task.recipient_name}</b><br>"
        f"送达地址：{address}（{confirmed}）{proxy}<br>"
        f"电子送达：{consent}　送达期限：{task.due_date.isoformat()}"
        f"{'（阻碍开庭）' if task.blocks_hearing else ''}　状态：{task.state.label}"
    )


class SubmitDialog(QDialog):
    """A form that submits once through a service in the background and closes when done.

    While the service works the submit button is off (a double click submits once);
    an expected refusal is listed on top and its fields marked, and the form keeps
    what was typed; a bug is raised to be reported.
    """

    failure_title = "未能保存，请修改以下内容："

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._runner = runner
        self._busy = False
        self.problems = problems_label()
        self.buttons = named(QDialogButtonBox(), "buttons")
        self.submit_button = self.buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.submit_button.setObjectName("submit")
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def submit(self) -> None:
        raise NotImplementedError

    def start(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        mark: Callable[[Sequence[FieldProblem]], None] | None = None,
    ) -> None:
        """Run ``work`` off the GUI thread; ``done(result)`` and close, or show why not."""
        if self._busy:
            return
        self.problems.hide()
        self._busy = True
        self.submit_button.setEnabled(False)

        def finished(result: Any) -> None:
            self._busy = False
            done(result)
            self.accept()

        def failed(error: BaseException) -> None:
            self._busy = False
            self.submit_button.setEnabled(True)
            on_error(error, self.problems, self.failure_title, mark)

        self._runner.run(work, finished, failed)


PREVIEW_STYLE = "padding:6px; "
# Fields of the rules' refusals that no further typing cures (the method itself, the task).
REFUSING_FIELDS = frozenset({"method", "task"})


class AttemptDialog(SubmitDialog):
    """登记送达 on one task, or 登记回执 for the letter (or entrusted service) still out."""

    failure_title = "未能登记，请修改以下内容："

    recorded = Signal(object)  # TaskDetail

    def __init__(
        self,
        ws: Workspace,
        runner: TaskRunner,
        task: TaskDetail,
        staff: Sequence[tuple[int, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ws, runner, parent)
        self.setObjectName("attemptDialog")
        self.task = task
        self.pending = task.pending_attempt
        self.setWindowTitle("登记回执" if self.pending else "登记送达")
        self.summary = named(QLabel(task_summary_html(task)), "taskSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.history = named(QLabel(), "history")
        self.history.setWordWrap(True)
        self.history.setStyleSheet("color:#444;")
        lines = [f"{n}. {a.summary()}" for n, a in enumerate(task.attempts, start=1)]
        self.history.setText("此前送达：\n" + "\n".join(lines) if lines else "此前未曾送达。")
        self.form = AttemptForm(staff, ws.actor.user_id)
        self.preview = named(QLabel(), "preview")
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet(PREVIEW_STYLE + "background:#eef4fb;")
        if self.pending is not None:
            out = self.pending.attempt
            self.form.set_method(out.method, fixed=True)
            self.form.exclude_outcomes({Outcome.IN_TRANSIT})
            self.form.attempt_date.setDate(qdate(out.attempt_date))
            self.form.attempt_date.setEnabled(False)
            self.form.waybill.setText(out.waybill)
            self.form.waybill.setReadOnly(True)
            self.form.agency.setText(out.other_agency)
            self.form.receiver.setText(task.recipient_name)
        else:
            self._suggest_method()
            self.form.receiver.setText(task.recipient_name)
        self.submit_button.setText("登记")
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addWidget(self.summary)
        layout.addWidget(self.history)
        layout.addWidget(self.form)
        layout.addWidget(self.preview)
        layout.addWidget(self.buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.submit)
        self.form.changed.connect(self._preview)
        self._preview()
        char = self.fontMetrics().horizontalAdvance("中")
        fit_to_screen(self, char * 46, self.sizeHint().height())

    def _suggest_method(self) -> None:
        """Start from what the task allows: electronic with consent, else the court express."""
        if self.task.electronic_consent:
            self.form.set_method(ServiceMethod.ELECTRONIC)
        else:
            self.form.set_method(ServiceMethod.COURT_EXPRESS)

    def _preview(self) -> None:
        attempt = self.form.attempt()
        # The rules that refuse this method whatever else is typed (留置 of a 调解书, 电子送达
        # without consent, 公告 in summary procedure, a task already served) show before
        # 登记, so the preview never promises "已送达" for an attempt that will be refused.
        pending = self.pending.id if self.pending is not None else None
        refusals = [
            p.message
            for p in check_attempt(attempt, self.task.context(date.today(), leaving_out=pending))
            if p.field in REFUSING_FIELDS
        ]
        if refusals:
            self.preview.setText("不能登记：" + "；".join(refusals))
            self.preview.setStyleSheet(PREVIEW_STYLE + "background:#fdecea; color:#a4262c;")
            return
        self.preview.setStyleSheet(PREVIEW_STYLE + "background:#eef4fb;")
        effect = attempt_effect(attempt, self.task.address_confirmed, self.task.calendar)
        if effect.kind is EffectKind.SERVED and effect.service_date:
            text = f"登记后：已送达，送达日期 {effect.service_date.isoformat()}。{effect.basis}"
        elif effect.kind is EffectKind.PUBLISHING and effect.service_date:
            text = f"登记后：公告中，{effect.service_date.isoformat()} 视为送达。{effect.basis}"
        elif effect.kind is EffectKind.PENDING:
            text = "登记后：送达中，待回执寄回后登记结果。"
        else:
            text = f"登记后：本次未送达。{effect.basis}"
        self.preview.setText(text)

    def submit(self) -> None:
        self.form.clear_marks()
        entry = AttemptEntry(
            self.task.id,
            self.task.version,
            self.form.attempt(),
            self.pending.id if self.pending is not None else None,
        )
        staff = self.form.staff_id()
        ws = self._ws
        self.start(lambda: svc.record_attempt(ws, entry, staff), self.recorded.emit, self.form.mark)


BATCH_CODE, BATCH_RECIPIENT, BATCH_ADDRESS, BATCH_WAYBILL, BATCH_RECEIVER = range(5)


class BatchAttemptDialog(SubmitDialog):
    """登记 the same attempt on many tasks: letters posted today with their waybills,
    electronic service to everyone who consented, or the receipts that came back.

    All or nothing: if any task's attempt is refused, none is stored.
    """

    failure_title = "未能登记（一项也未登记），请修改："

    recorded = Signal(int)

    def __init__(
        self,
        ws: Workspace,
        runner: TaskRunner,
        tasks: Sequence[TaskDetail],
        staff: Sequence[tuple[int, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ws, runner, parent)
        self.setObjectName("batchDialog")
        self.tasks = list(tasks)
        pending = [t.pending_attempt for t in self.tasks]
        self.receipts = all(p is not None for p in pending)
        self.setWindowTitle(
            f"批量登记回执（{len(self.tasks)} 项）"
            if self.receipts
            else f"批量登记送达（{len(self.tasks)} 项）"
        )
        self.form = AttemptForm(staff, ws.actor.user_id, per_task_fields=True)
        if self.receipts:
            first = pending[0]
            assert first is not None
            self.form.set_method(first.attempt.method, fixed=True)
            self.form.exclude_outcomes({Outcome.IN_TRANSIT})
            self.form.attempt_date.setEnabled(False)
        else:
            self.form.set_method(ServiceMethod.COURT_EXPRESS)
            self.form.set_outcome(Outcome.IN_TRANSIT)
        self.table = named(QTableWidget(len(self.tasks), 5), "batchTable")
        self.table.setHorizontalHeaderLabels(["条码", "受送达人", "送达地址", "邮件单号", "签收人"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        for row, task in enumerate(self.tasks):
            out = task.pending_attempt
            values = (
                task.code,
                task.recipient_name,
                task.address,
                out.attempt.waybill if out else "",
                task.recipient_name,
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column < BATCH_WAYBILL or (column == BATCH_WAYBILL and self.receipts):
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        char = self.fontMetrics().horizontalAdvance("中")
        for column, width in enumerate((7, 6, 18, 9, 6)):
            self.table.setColumnWidth(column, char * width + 12)
        header.setSectionResizeMode(BATCH_ADDRESS, QHeaderView.ResizeMode.Stretch)
        self.submit_button.setText("全部登记")
        hint = QLabel(
            "邮件单号可逐行扫描（扫描后回车自动跳到下一行）；任何一项不符合规定时全部不登记。"
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addWidget(self.form)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.form.changed.connect(self._columns)
        self._columns()
        fit_to_screen(self, char * 70, char * 42)

    def _columns(self) -> None:
        method, outcome = self.form.current_method(), self.form.current_outcome()
        self.table.setColumnHidden(BATCH_WAYBILL, not method.is_postal)
        named_receiver = outcome is Outcome.DELIVERED and method in (
            ServiceMethod.DIRECT,
            ServiceMethod.POST,
            ServiceMethod.COURT_EXPRESS,
            ServiceMethod.ENTRUSTED,
            ServiceMethod.FORWARDED,
        )
        self.table.setColumnHidden(BATCH_RECEIVER, not named_receiver)

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item else ""

    def entries(self) -> list[AttemptEntry]:
        entries = []
        for row, task in enumerate(self.tasks):
            attempt = self.form.attempt(
                waybill=self._cell(row, BATCH_WAYBILL), receiver=self._cell(row, BATCH_RECEIVER)
            )
            out = task.pending_attempt
            if self.receipts and out is not None:
                attempt = replace(attempt, attempt_date=out.attempt.attempt_date)
            entries.append(
                AttemptEntry(
                    task.id, task.version, attempt, out.id if self.receipts and out else None
                )
            )
        return entries

    def submit(self) -> None:
        self.form.clear_marks()
        entries = self.entries()
        staff = self.form.staff_id()
        ws = self._ws
        self.start(lambda: svc.record_batch(ws, entries, staff), self.recorded.emit, self.form.mark)


# ---------------------------------------------------------------------- hand a document over
class TaskRequestDialog(SubmitDialog):
    """提交送达: hand a judgment, ruling, mediation document … of a case to the centre."""

    failure_title = "未能提交："

    requested = Signal(object)  # list of task ids

    def __init__(
        self,
        ws: Workspace,
        runner: TaskRunner,
        case: CaseDetail,
        due: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ws, runner, parent)
        self.setObjectName("requestDialog")
        self.setWindowTitle(f"提交送达 — {case.case_number}")
        self.case = case
        self.document = named(QComboBox(), "document")
        for kind in (
            DocumentKind.JUDGMENT,
            DocumentKind.RULING,
            DocumentKind.MEDIATION,
            DocumentKind.DECISION,
            DocumentKind.PAYMENT_ORDER,
            DocumentKind.FEE_NOTICE,
            DocumentKind.PANEL_NOTICE,
            DocumentKind.APPEAL_COPY,
            DocumentKind.EVIDENCE_NOTICE,
            DocumentKind.SUMMONS,
            DocumentKind.APPEARANCE_NOTICE,
            DocumentKind.OTHER,
        ):
            self.document.addItem(kind.label, kind.value)
        self.title = named(QLineEdit(), "title")
        self.title.setPlaceholderText("如 民事判决书；留空则用文书种类名称")
        self.copies = named(QSpinBox(), "copies")
        self.copies.setRange(1, 99)
        self.due = date_edit("dueDate", due)
        self.recipients = named(QListWidget(), "recipients")
        for party in case.parties:
            item = QListWidgetItem(f"{party.role}　{party.name}")
            item.setData(Qt.ItemDataRole.UserRole, ("party", party.id))
            item.setCheckState(Qt.CheckState.Unchecked)
            self.recipients.addItem(item)
            for agent in party.agents:
                sub = QListWidgetItem(
                    f"　　{party.name}的代理人　{agent.name}（{agent.law_firm or agent.kind}）"
                )
                sub.setData(Qt.ItemDataRole.UserRole, ("agent", agent.id))
                sub.setCheckState(Qt.CheckState.Unchecked)
                self.recipients.addItem(sub)
        all_parties = named(QPushButton("选中全部当事人"), "allParties")
        all_parties.clicked.connect(self._check_all_parties)
        form = QFormLayout()
        form.addRow("文书种类", self.document)
        form.addRow("文书名称", self.title)
        form.addRow("份数", self.copies)
        form.addRow("送达期限", self.due)
        self.submit_button.setText("提交")
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(QLabel("受送达人（每人一项送达任务）"))
        row.addStretch(1)
        row.addWidget(all_parties)
        layout.addLayout(row)
        layout.addWidget(self.recipients, 1)
        layout.addWidget(self.buttons)
        char = self.fontMetrics().horizontalAdvance("中")
        fit_to_screen(self, char * 40, char * 30)

    def _check_all_parties(self) -> None:
        for row in range(self.recipients.count()):
            item = self.recipients.item(row)
            if item.data(Qt.ItemDataRole.UserRole)[0] == "party":
                item.setCheckState(Qt.CheckState.Checked)

    def request(self) -> TaskRequest:
        parties: list[int] = []
        agents: list[int] = []
        for row in range(self.recipients.count()):
            item = self.recipients.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                kind, record_id = item.data(Qt.ItemDataRole.UserRole)
                (parties if kind == "party" else agents).append(int(record_id))
        return TaskRequest(
            case_id=self.case.id,
            document=DocumentKind(self.document.currentData()),
            party_ids=tuple(parties),
            agent_ids=tuple(agents),
            title=self.title.text(),
            copies=self.copies.value(),
            due_date=to_date(self.due),
        )

    def submit(self) -> None:
        request = self.request()
        ws = self._ws
        self.start(lambda: svc.request_service(ws, request), self.requested.emit)


def on_error(
    error: BaseException,
    label: QLabel,
    title: str,
    mark: Callable[[Sequence[FieldProblem]], None] | None = None,
) -> None:
    """Show an expected error in ``label`` (and mark fields); a bug is raised to be reported."""
    if isinstance(error, ValidationError):
        show_problems(label, title, error.problems)
        if mark is not None:
            mark(error.problems)
    elif isinstance(error, CourtdeskError):
        show_problems(label, title, [FieldProblem("", error.message)])
    else:
        raise error


# ---------------------------------------------------------------------- 送达地址确认书
class AddressConfirmationDialog(SubmitDialog):
    """A party's 送达地址确认书: the address (and consent to electronic service) for the case."""

    confirmed = Signal(object)  # ConfirmationView

    def __init__(
        self,
        ws: Workspace,
        runner: TaskRunner,
        party_id: int,
        who: str,
        address_on_file: str,
        phone_on_file: str,
        current: ConfirmationView | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ws, runner, parent)
        self.setObjectName("confirmationDialog")
        self.setWindowTitle(f"送达地址确认书 — {who}")
        self.party_id = party_id
        self.current = current
        self.address = named(QLineEdit(current.address if current else address_on_file), "address")
        self.postcode = named(QLineEdit(current.postcode if current else ""), "postcode")
        self.postcode.setMaxLength(6)
        self.recipient = named(QLineEdit(current.recipient if current else ""), "recipient")
        self.recipient.setPlaceholderText("受送达人指定的代收人（可空）")
        self.phone = named(QLineEdit(current.phone if current else phone_on_file), "phone")
        self.consent = named(QCheckBox("同意以电子方式送达诉讼文书"), "consent")
        self.consent.setChecked(bool(current and current.electronic_consent))
        self.electronic = named(
            QLineEdit(current.electronic_address if current else phone_on_file), "electronicAddress"
        )
        self.electronic.setPlaceholderText("接收电子送达的手机号码或电子邮箱")
        self.confirmed_on = date_edit(
            "confirmedOn", date.fromisoformat(current.confirmed_on) if current else date.today()
        )
        form = QFormLayout()
        form.addRow("送达地址", self.address)
        form.addRow("邮政编码", self.postcode)
        form.addRow("代收人", self.recipient)
        form.addRow("联系电话", self.phone)
        form.addRow("", self.consent)
        form.addRow("电子送达地址", self.electronic)
        form.addRow("确认日期", self.confirmed_on)
        note = QLabel(
            "确认的送达地址适用于本案各阶段；邮寄到该地址的文书因地址不实或未及时告知变更而被退回的，"
            "退回之日视为送达。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color:#555;")
        self.submit_button.setText("保存")
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        char = self.fontMetrics().horizontalAdvance("中")
        fit_to_screen(self, char * 40, self.sizeHint().height())

    def confirmation(self) -> AddressConfirmation:
        return AddressConfirmation(
            address=self.address.text(),
            confirmed_on=to_date(self.confirmed_on),
            postcode=self.postcode.text(),
            recipient=self.recipient.text(),
            phone=self.phone.text(),
            electronic_consent=self.consent.isChecked(),
            electronic_address=self.electronic.text(),
        )

    def submit(self) -> None:
        for widget in (self.address, self.postcode, self.phone, self.electronic, self.recipient):
            widget.setStyleSheet("")
        confirmation = self.confirmation()
        version = self.current.version if self.current else None
        ws, party_id = self._ws, self.party_id
        self.start(
            lambda: svc.confirm_address(ws, party_id, confirmation, version),
            self.confirmed.emit,
            self._mark,
        )

    def _mark(self, problems: Sequence[FieldProblem]) -> None:
        widgets = {
            "address": self.address,
            "postcode": self.postcode,
            "phone": self.phone,
            "electronic_address": self.electronic,
            "recipient": self.recipient,
            "confirmed_on": self.confirmed_on,
        }
        for problem in problems:
            widget = widgets.get(problem.field)
            if widget is not None:
                widget.setStyleSheet(INVALID_STYLE)


__all__ = [
    "AddressConfirmationDialog",
    "AttemptDialog",
    "AttemptForm",
    "BatchAttemptDialog",
    "TaskRequestDialog",
    "to_date",
]
