"""Dialogs of the 审限 tab: apply for and decide an extension, open and close an excluded
period, convert the procedure, archive. Each runs one service call (ActionDialog)."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from courtdesk.domain.procedures import Limit
from courtdesk.domain.time_limit import CONVERSIONS, ExclusionKind
from courtdesk.errors import ValidationError
from courtdesk.services import closing, reference, time_limits
from courtdesk.services.reference import Person
from courtdesk.services.time_limits import CaseTimeLimit, ExclusionView
from courtdesk.services.workspace import Workspace
from courtdesk.ui.action_dialog import NOTE_STYLE, ActionDialog, date_edit, date_of, inline
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import named


def _note(text: str, warning: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if warning:
        label.setStyleSheet(NOTE_STYLE)
    return label


def _text_box(name: str, lines: int = 3) -> QPlainTextEdit:
    box = named(QPlainTextEdit(), name)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 12)
    return box


class ApplyExtensionDialog(ActionDialog):
    """The presiding judge applies to extend the 审限."""

    def __init__(
        self, ws: Workspace, runner: TaskRunner, view: CaseTimeLimit, parent: QWidget | None = None
    ) -> None:
        super().__init__(runner, f"申请延长审限 — {view.case_number}", "提交申请", parent)
        self.setObjectName("applyExtensionDialog")
        self._ws = ws
        self._view = view
        step = view.next_extension
        result = view.result
        facts = [f"审限届满日：{result.expiry}（{result.state.label}，剩余 {result.days_left} 天）"]
        if step is not None:
            cap = f"，累计最多延长{step.cap}" if step.cap else ""
            facts.append(f"报{step.approver_label}批准{cap}")
            facts.append(step.basis)
        self.body.insertWidget(0, _note("\n".join(facts)))
        if step is not None and step.apply_by and date.today().isoformat() > step.apply_by:
            self.body.insertWidget(
                1,
                _note(
                    f"按规定应在审限届满15日前（{step.apply_by} 前）提出申请，本次申请将标记为逾期申请。",
                    warning=True,
                ),
            )
        self.months = named(QSpinBox(), "monthsSpin")
        self.months.setRange(0, 36)
        self.months.setSuffix(" 个月")
        self.days = named(QSpinBox(), "daysSpin")
        self.days.setRange(0, 365)
        self.days.setSuffix(" 日")
        if step is not None:
            self.months.setValue(step.default_months)
            self.days.setValue(step.default_days)
        self.add_field("length", "延长期限", inline(self.months, self.days))
        self.reason = _text_box("reasonEdit")
        self.add_field("reason", "申请理由", self.reason)

    def call(self) -> Callable[[], Any]:
        ws, case_id = self._ws, self._view.case_id
        limit = Limit(self.months.value(), self.days.value())
        reason = self.reason.toPlainText()
        return lambda: time_limits.apply_for_extension(ws, case_id, limit, reason)


class DecideExtensionDialog(ActionDialog):
    """The president or the division chief approves or refuses an application."""

    def __init__(
        self, ws: Workspace, runner: TaskRunner, view: CaseTimeLimit, parent: QWidget | None = None
    ) -> None:
        super().__init__(runner, f"审批延长审限 — {view.case_number}", "作出决定", parent)
        self.setObjectName("decideExtensionDialog")
        self._ws = ws
        pending = view.pending_extension
        assert pending is not None
        self._pending = pending
        e = html.escape
        lines = [
            f"<b>{e(pending.applied_by)}</b> 于 {pending.applied_on} 申请延长审限 <b>{pending.length}</b>"
            f"（报{e(pending.approver_label)}批准）",
            f"理由：{e(pending.reason)}",
            f"申请时审限届满日：{pending.expiry_when_applied}",
        ]
        info = QLabel("<br>".join(lines))
        info.setWordWrap(True)
        self.body.insertWidget(0, info)
        warnings = []
        if pending.late_application:
            warnings.append("该申请未在审限届满15日前提出（逾期申请）。")
        if view.decide_by and date.today().isoformat() > view.decide_by:
            warnings.append(f"按规定应在审限届满5日前（{view.decide_by} 前）作出决定，现已逾期。")
        if warnings:
            self.body.insertWidget(1, _note("\n".join(warnings), warning=True))
        self.approve = named(QRadioButton("批准"), "approveRadio")
        self.refuse = named(QRadioButton("不予批准"), "refuseRadio")
        self.approve.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.approve)
        group.addButton(self.refuse)
        self.add_field("decision", "决定", inline(self.approve, self.refuse))
        self.note = _text_box("noteEdit", 2)
        self.add_field("note", "审批意见", self.note)
        self.reply = named(QLineEdit(), "replyEdit")
        self.reply.setPlaceholderText("例如（2026）吉01民他12号")
        if pending.approver != "president":
            self.add_field("reply_reference", f"{pending.approver_label}批复文号", self.reply)

    def call(self) -> Callable[[], Any]:
        ws, pending = self._ws, self._pending
        approve = self.approve.isChecked()
        note, reply = self.note.toPlainText(), self.reply.text()
        return lambda: time_limits.decide_extension(
            ws, pending.id, pending.version, approve, note, reply
        )


class OpenExclusionDialog(ActionDialog):
    """The clerk records a period excluded from the 审限 (公告, 鉴定, 中止 …)."""

    def __init__(
        self, ws: Workspace, runner: TaskRunner, view: CaseTimeLimit, parent: QWidget | None = None
    ) -> None:
        super().__init__(runner, f"扣除审限 — {view.case_number}", "登记", parent)
        self.setObjectName("openExclusionDialog")
        self._ws = ws
        self._view = view
        self.body.insertWidget(
            0,
            _note(
                "扣除期间不计入审限（审限规定第9条、民诉解释第243条）。起止日均计入扣除天数；"
                "尚未结束的期间可先登记起始日，结束时再登记截止日。"
            ),
        )
        self.kind = named(QComboBox(), "kindCombo")
        for code, label in view.exclusion_kinds:
            self.kind.addItem(label, code)
        self.add_field("kind", "扣除事由类别", self.kind)
        self.start = date_edit(name="startEdit")
        self.add_field("start", "扣除起始日", self.start)
        self.ended = named(QCheckBox("已结束，截止日："), "endedCheck")
        self.end = date_edit(name="endEdit")
        self.end.setEnabled(False)
        self.ended.toggled.connect(self.end.setEnabled)
        self.fields["end"] = self.end
        self.form.addRow("扣除截止日", inline(self.ended, self.end))
        self.reason = named(QLineEdit(), "reasonEdit")
        self.reason.setPlaceholderText("例如：被告下落不明，公告送达起诉状副本")
        self.add_field("reason", "具体事由", self.reason)
        self.approver = named(QComboBox(), "approverCombo")
        self.approver.addItem("（请选择）", None)
        self.add_field("approved_by", "批准人", self.approver)
        self.document = named(QLineEdit(), "documentEdit")
        self.document.setPlaceholderText("裁定书、审批表或公告的编号（可不填）")
        self.add_field("document_ref", "文书编号", self.document)
        runner.run(lambda: reference.people_with_role(ws, "judge"), self._fill_approvers)

    def _fill_approvers(self, people: list[Person]) -> None:
        for person in people:
            label = f"{person.name}（{person.division}）" if person.division else person.name
            self.approver.addItem(label, person.id)

    def call(self) -> Callable[[], Any]:
        ws, case_id = self._ws, self._view.case_id
        kind = ExclusionKind(self.kind.currentData())
        start = date_of(self.start)
        end = date_of(self.end) if self.ended.isChecked() else None
        reason, document = self.reason.text(), self.document.text()
        approver = self.approver.currentData()
        return lambda: time_limits.open_exclusion(
            ws, case_id, kind, start, end, reason, approver, document
        )


class CloseExclusionDialog(ActionDialog):
    """The clerk records the last day of an open excluded period."""

    def __init__(
        self,
        ws: Workspace,
        runner: TaskRunner,
        view: CaseTimeLimit,
        exclusion: ExclusionView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, f"结束扣除期间 — {view.case_number}", "结束扣除", parent)
        self.setObjectName("closeExclusionDialog")
        self._ws = ws
        self._exclusion = exclusion
        self.body.insertWidget(
            0,
            _note(
                f"{exclusion.kind_label}：自 {exclusion.start} 起，{exclusion.reason}\n"
                "截止日为最后一个扣除日，审限自次日起继续计算。"
            ),
        )
        self.end = date_edit(name="endEdit")
        self.add_field("end", "扣除截止日", self.end)

    def call(self) -> Callable[[], Any]:
        ws, exclusion = self._ws, self._exclusion
        end = date_of(self.end)
        return lambda: time_limits.close_exclusion(ws, exclusion.id, exclusion.version, end)


class ConvertProcedureDialog(ActionDialog):
    """The judge records a ruling that converts the procedure (简易转普通 …)."""

    def __init__(
        self, ws: Workspace, runner: TaskRunner, view: CaseTimeLimit, parent: QWidget | None = None
    ) -> None:
        super().__init__(runner, f"转换审理程序 — {view.case_number}", "转换", parent)
        self.setObjectName("convertProcedureDialog")
        self._ws = ws
        self._view = view
        self.target = named(QComboBox(), "targetCombo")
        for code, label in view.conversion_targets:
            self.target.addItem(label, code)
        self.add_field("procedure", "转为", self.target)
        self.rule = _note("")
        self.body.insertWidget(0, self.rule)
        self.target.currentIndexChanged.connect(self._show_rule)
        self.decided = date_edit(name="decidedEdit")
        self.add_field("decided_on", "裁定日期", self.decided)
        self.reason = named(QLineEdit(), "reasonEdit")
        self.add_field("reason", "转换理由", self.reason)
        self._show_rule()

    def _show_rule(self) -> None:
        code = self.target.currentData()
        rule = CONVERSIONS.get(self._view.result.procedure, {}).get(code)
        if rule is not None:
            self.rule.setText(rule.basis)

    def call(self) -> Callable[[], Any]:
        ws, view = self._ws, self._view
        code = self.target.currentData()
        if code is None:
            raise ValidationError("本案的程序不能转换", "procedure")
        decided, reason = date_of(self.decided), self.reason.text()
        return lambda: time_limits.convert_procedure(
            ws, view.case_id, view.case_version, code, decided, reason
        )


class ArchiveDialog(ActionDialog):
    """归档 a closed case."""

    def __init__(
        self, ws: Workspace, runner: TaskRunner, view: CaseTimeLimit, parent: QWidget | None = None
    ) -> None:
        super().__init__(runner, f"归档 — {view.case_number}", "归档", parent)
        self.setObjectName("archiveDialog")
        self._ws = ws
        self._view = view
        self.body.insertWidget(0, _note("归档后案件不能再修改，只能由有更正权限的人员更正。"))
        self.archived_on = date_edit(name="archivedEdit")
        self.add_field("archived_on", "归档日期", self.archived_on)
        self.number = named(QLineEdit(), "archiveNumberEdit")
        self.number.setPlaceholderText("例如 2026-民-0088（可不填）")
        self.add_field("archive_number", "归档号", self.number)

    def call(self) -> Callable[[], Any]:
        ws, view = self._ws, self._view
        day, number = date_of(self.archived_on), self.number.text()
        return lambda: closing.archive_case(ws, view.case_id, view.case_version, day, number)
