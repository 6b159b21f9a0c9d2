"""The 结案 dialog: the manner, how the closing document took effect, and the closing
date that follows from it (审限规定 §10), computed as the clerk types.

Also used for an authorised correction of a closed case, with a reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from courtdesk.domain.closing import (
    ClosingInputs,
    Delivery,
    Manner,
    PartyService,
    ServiceMethod,
    closing_date,
    describe,
)
from courtdesk.errors import ValidationError
from courtdesk.services import closing
from courtdesk.services.closing import ClosingOptions, ClosingView
from courtdesk.services.workspace import Workspace
from courtdesk.ui.action_dialog import NOTE_STYLE, ActionDialog, date_edit, date_of, inline
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import named

PARTY, METHOD, DAY, MEANING = range(4)


def _qdate(iso: str) -> QDate:
    day = date.fromisoformat(iso)
    return QDate(day.year, day.month, day.day)


class CloseCaseDialog(ActionDialog):
    def __init__(
        self,
        ws: Workspace,
        runner: TaskRunner,
        options: ClosingOptions,
        correcting: ClosingView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        verb = "更正结案信息" if correcting else "结案"
        super().__init__(runner, f"{verb} — {options.case_number}", verb, parent)
        self.setObjectName("closeCaseDialog")
        self._ws = ws
        self.options = options
        self.correcting = correcting
        char = self.fontMetrics().horizontalAdvance("中")
        self.setMinimumWidth(char * 58)
        header = QLabel(
            f"<b>{options.case_number}</b>　{options.procedure_label}　立案 {options.filing_date}"
            + (f"　审限届满 {options.expiry}" if options.expiry else "")
        )
        self.body.insertWidget(0, header)

        self.manner = named(QComboBox(), "mannerCombo")
        for code, label in options.manners:
            self.manner.addItem(label, code)
        self.add_field("manner", "结案方式", self.manner)

        self.pronounced = named(QRadioButton("宣判（宣告）"), "pronouncedRadio")
        self.served = named(QRadioButton("送达各方当事人"), "servedRadio")
        self.pronounced.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.pronounced)
        group.addButton(self.served)
        self.add_field("delivery", "文书生效方式", inline(self.pronounced, self.served))
        self.pronounced_on = date_edit(name="pronouncedEdit")
        self.add_field("pronounced_on", "宣判日期", self.pronounced_on)

        self.services = named(QTableWidget(len(options.parties), 4), "servicesTable")
        self.services.setHorizontalHeaderLabels(["当事人", "送达方式", "日期", "以何日为准"])
        self.services.verticalHeader().setVisible(False)
        self.services.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.services.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.services.setWordWrap(False)
        self.services.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header_view = self.services.horizontalHeader()
        header_view.setSectionResizeMode(PARTY, QHeaderView.ResizeMode.Stretch)
        for column, width in ((METHOD, 7), (DAY, 8), (MEANING, 9)):
            self.services.setColumnWidth(column, char * width)
        self.services.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        self._method_boxes: list[QComboBox] = []
        self._meanings: list[QTableWidgetItem] = []
        self._day_edits = []
        for index, party in enumerate(options.parties):
            item = QTableWidgetItem(f"{party.role}　{party.name}")
            item.setData(Qt.ItemDataRole.UserRole, party.id)
            self.services.setItem(index, PARTY, item)
            box = named(QComboBox(), f"method{index}")
            for code, label, _meaning in options.methods:
                box.addItem(label, code)
            box.currentIndexChanged.connect(self._update)
            self.services.setCellWidget(index, METHOD, box)
            edit = date_edit(name=f"day{index}")
            edit.dateChanged.connect(self._update)
            self.services.setCellWidget(index, DAY, edit)
            meaning = QTableWidgetItem("")
            self.services.setItem(index, MEANING, meaning)
            self._meanings.append(meaning)
            self._method_boxes.append(box)
            self._day_edits.append(edit)
        rows = max(2, len(options.parties))
        self.services.setFixedHeight(
            self.services.horizontalHeader().sizeHint().height()
            + self.services.verticalHeader().defaultSectionSize() * min(rows, 6)
            + 4
        )
        self.fields["services"] = self.services
        self.form.addRow("文书送达", self.services)

        self.result_label = named(QLabel(), "closingDateLabel")
        self.result_label.setWordWrap(True)
        self.result_label.setMinimumWidth(char * 40)
        self.result_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.result_label.setStyleSheet("padding: 6px; background: #eef4fb; border-radius: 3px;")
        self.fields["closing_date"] = self.result_label
        self.form.addRow("结案日期", self.result_label)

        self.reason = named(QLineEdit(), "correctionReasonEdit")
        if correcting is not None:
            self.add_field("correction_reason", "更正理由", self.reason)
            self._load(correcting)

        self.manner.currentIndexChanged.connect(self._update)
        self.pronounced.toggled.connect(self._update)
        self.pronounced_on.dateChanged.connect(self._update)
        self._update()

    def _load(self, view: ClosingView) -> None:
        self.manner.setCurrentIndex(max(0, self.manner.findData(view.manner)))
        if view.delivery == Delivery.SERVED.value:
            self.served.setChecked(True)
            by_party = {s.party_id: s for s in view.services}
            for index in range(self.services.rowCount()):
                record = by_party.get(self.options.parties[index].id)
                if record is not None:
                    box = self._method_boxes[index]
                    box.setCurrentIndex(box.findData(record.method))
                    self._day_edits[index].setDate(_qdate(record.day))
        elif view.pronounced_on:
            self.pronounced_on.setDate(_qdate(view.pronounced_on))

    def inputs(self) -> ClosingInputs:
        manner = Manner(self.manner.currentData())
        if self.pronounced.isChecked():
            return ClosingInputs(
                manner, Delivery.PRONOUNCED, pronounced_on=date_of(self.pronounced_on)
            )
        services = tuple(
            PartyService(
                self.options.parties[i].id,
                self.options.parties[i].name,
                ServiceMethod(self._method_boxes[i].currentData()),
                date_of(self._day_edits[i]),
            )
            for i in range(self.services.rowCount())
        )
        return ClosingInputs(manner, Delivery.SERVED, services=services)

    def _update(self) -> None:
        """Recompute the closing date as the form changes, and say where it comes from."""
        mediation = self.manner.currentData() == Manner.MEDIATION.value
        if mediation and self.pronounced.isChecked():
            self.served.setChecked(True)
        self.pronounced.setEnabled(not mediation)
        served = self.served.isChecked()
        self.pronounced_on.setEnabled(not served)
        self.services.setEnabled(served)
        meanings = {code: meaning for code, _label, meaning in self.options.methods}
        for index, box in enumerate(self._method_boxes):
            self._meanings[index].setText(meanings.get(box.currentData(), ""))
        try:
            inputs = self.inputs()
            day = closing_date(
                self.options.procedure,
                inputs,
                date.fromisoformat(self.options.filing_date),
                date.today(),
                {p.id: p.name for p in self.options.parties},
            )
        except ValidationError as error:
            self.result_label.setText("；".join(p.message for p in error.problems))
            self.result_label.setStyleSheet(NOTE_STYLE)
            return
        text = f"<b>{day.isoformat()}</b>　{describe(inputs, day)}"
        if self.options.expiry and day.isoformat() > self.options.expiry:
            text += f"<br><span style='color:#b3261e'>晚于审限届满日 {self.options.expiry}，将计为超审限结案</span>"
        self.result_label.setText(text)
        self.result_label.setStyleSheet("padding: 6px; background: #eef4fb; border-radius: 3px;")

    def call(self) -> Callable[[], Any]:
        ws, options = self._ws, self.options
        inputs = self.inputs()
        if self.correcting is not None:
            version, reason = self.correcting.version, self.reason.text()
            return lambda: closing.correct_closing(ws, options.case_id, version, inputs, reason)
        return lambda: closing.close_case(ws, options.case_id, options.case_version, inputs)
