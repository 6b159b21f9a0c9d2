"""The 立案 dialog: register a case with its parties in one go, from the keyboard.

Everything is checked by the registration service; every problem it finds is
listed at the top and its field is marked, and the form keeps what was typed.
Nothing is stored unless everything is right. Open cases with the same cause and
the same parties are shown as a warning while the form is filled in; submitting
while such a case exists asks for one more press of 立案, so a duplicate is a
conscious choice, never a silent one and never a block.
"""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from courtdesk.domain.case_types import CaseType
from courtdesk.domain.fees import FeeResult
from courtdesk.domain.money import format_yuan, parse_amount
from courtdesk.domain.parties import AgentDraft, PartyDraft, PartyKind
from courtdesk.domain.service import AddressConfirmation
from courtdesk.errors import CourtdeskError, FieldProblem, ValidationError
from courtdesk.services import cases, causes, lookup, reference
from courtdesk.services.cases import PROCEDURE_SOURCES, CaseDetail, CaseDraft
from courtdesk.services.lookup import PossibleDuplicate
from courtdesk.services.permissions import Permission, allowed
from courtdesk.services.workspace import Workspace
from courtdesk.ui.cause_picker import CauseEdit, CauseTreeDialog
from courtdesk.ui.party_table import COL, KIND_LABELS, PARTY_COLUMNS, PartyTable
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import fit_to_screen, if_alive, named

__all__ = ["COL", "PARTY_COLUMNS", "RegisterCaseDialog"]

INVALID_BRUSH = QBrush(QColor("#fde2e1"))
INVALID_STYLE = "border: 1px solid #b3261e; background: #fde2e1;"
WARNING_STYLE = "color:#6b4e00; background:#fff4ce; padding:6px; border:1px solid #e0c36b;"
DUPLICATE_CHECK_DELAY_MS = 500
FEE_DELAY_MS = 250


class RegisterCaseDialog(QDialog):
    registered = Signal(object)  # CaseDetail
    duplicates_checked = Signal(int)  # how many possible duplicates were found
    fee_computed = Signal(object)  # FeeResult or None

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("立案登记")
        self.setObjectName("registerDialog")
        self._ws = ws
        self._runner = runner
        self._busy = False
        self._acknowledged: set[int] = set()
        self._fee_request: object = None
        self.duplicates: list[PossibleDuplicate] = []

        self.problems_label = named(QLabel(), "problems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color:#b3261e; background:#fdecea; padding:6px;")
        self.problems_label.hide()

        self.type_combo = named(QComboBox(), "typeCode")
        for case_type in reference.case_types():
            self.type_combo.addItem(f"{case_type.code}　{case_type.name}", case_type.code)
        self.procedure_combo = named(QComboBox(), "procedure")
        self.cause_edit = named(CauseEdit(), "cause")
        self.cause_button = named(QPushButton("案由表…"), "browseCauses")
        self.cause_button.setToolTip("浏览案由表（在案由栏按 F4）")
        self.cause_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cause_hint = named(QLabel(), "causeHint")
        self.cause_hint.setStyleSheet("color:#8a5a00")
        self.filing_date = named(QDateEdit(), "filingDate")
        self.filing_date.setCalendarPopup(True)
        self.filing_date.setDisplayFormat("yyyy-MM-dd")
        self.filing_date.setDate(QDate.currentDate())
        self.source_combo = named(QComboBox(), "source")
        self.source_combo.addItems(PROCEDURE_SOURCES)
        self.amount_edit = named(QLineEdit(), "amount")
        self.amount_edit.setPlaceholderText("非财产案件留空；单位：元")
        self.fee_label = named(QLabel("—"), "fee")
        self.fee_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fee_button = named(QPushButton("计算明细"), "feeWorkingButton")
        self.fee_button.setCheckable(True)
        self.fee_button.setEnabled(False)
        self.fee_button.setToolTip("逐段显示诉讼费的计算过程（《诉讼费用交纳办法》）")
        self.fee_working = named(QLabel(), "feeWorking")
        self.fee_working.setWordWrap(True)
        self.fee_working.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fee_working.setStyleSheet(
            "background:#f4f6f9; border:1px solid #d5dbe3; padding:6px; color:#222;"
        )
        self.fee_working.hide()
        self.fee: FeeResult | None = None
        self.private_check = named(
            QCheckBox("不公开审理（涉及未成年人、隐私或商业秘密）"), "private"
        )
        self.assign_check = named(QCheckBox("立案后立即分案"), "assignAfter")
        can_assign = allowed(ws.actor, Permission.ASSIGN_CASE)
        self.assign_check.setChecked(can_assign)
        self.assign_check.setEnabled(can_assign)

        form = QGridLayout()
        form.setHorizontalSpacing(10)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        form.addWidget(QLabel("案件类型"), 0, 0)
        form.addWidget(self.type_combo, 0, 1)
        form.addWidget(QLabel("审理程序"), 0, 2)
        form.addWidget(self.procedure_combo, 0, 3)
        form.addWidget(QLabel("案由"), 1, 0)
        cause_row = QHBoxLayout()
        cause_row.addWidget(self.cause_edit, 1)
        cause_row.addWidget(self.cause_button)
        form.addLayout(cause_row, 1, 1, 1, 3)
        form.addWidget(self.cause_hint, 2, 1, 1, 3)
        form.addWidget(QLabel("立案日期"), 3, 0)
        form.addWidget(self.filing_date, 3, 1)
        form.addWidget(QLabel("收案来源"), 3, 2)
        form.addWidget(self.source_combo, 3, 3)
        form.addWidget(QLabel("诉讼标的额"), 4, 0)
        form.addWidget(self.amount_edit, 4, 1)
        form.addWidget(QLabel("诉讼费"), 4, 2)
        fee_row = QHBoxLayout()
        fee_row.addWidget(self.fee_label, 1)
        fee_row.addWidget(self.fee_button)
        form.addLayout(fee_row, 4, 3)
        form.addWidget(self.fee_working, 6, 1, 1, 3)
        options = QHBoxLayout()
        options.addWidget(self.private_check)
        options.addSpacing(24)
        options.addWidget(self.assign_check)
        options.addStretch(1)
        form.addLayout(options, 5, 1, 1, 3)

        self.party_table = PartyTable(ws, runner)
        self.party_table.default_role = self._default_role
        add_party = named(QPushButton("添加当事人"), "addParty")
        remove_party = named(QPushButton("删除所选当事人"), "removeParty")
        add_party.clicked.connect(lambda: self.add_party())
        remove_party.clicked.connect(self.party_table.remove_selected)
        party_buttons = QHBoxLayout()
        party_title = QLabel(
            "当事人　<span style='color:#666'>（Tab 换格，Enter 下一位当事人；"
            "姓名、代理人、律所可从已有记录中选择）</span>"
        )
        party_buttons.addWidget(party_title)
        party_buttons.addStretch(1)
        party_buttons.addWidget(add_party)
        party_buttons.addWidget(remove_party)

        self.duplicate_label = named(QLabel(), "duplicateWarning")
        self.duplicate_label.setWordWrap(True)
        self.duplicate_label.setStyleSheet(WARNING_STYLE)
        self.duplicate_label.setTextFormat(Qt.TextFormat.RichText)
        self.duplicate_label.hide()

        self.buttons = named(QDialogButtonBox(), "buttons")
        self.submit_button = self.buttons.addButton("立案", QDialogButtonBox.ButtonRole.AcceptRole)
        self.submit_button.setObjectName("submit")
        self.submit_button.setToolTip("立案（Ctrl+Enter）")
        cancel = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.problems_label)
        layout.addLayout(form)
        layout.addSpacing(4)
        layout.addLayout(party_buttons)
        layout.addWidget(self.party_table, 1)
        layout.addWidget(self.duplicate_label)
        layout.addWidget(self.buttons)
        char = self.fontMetrics().horizontalAdvance("中")
        # As wide as the party grid wants, so a desk screen shows every column
        # without scrolling sideways; a laptop's screen still caps it.
        margins = layout.contentsMargins()
        wanted = self.party_table.full_width + margins.left() + margins.right()
        fit_to_screen(self, max(char * 100, wanted), char * 42)

        for first, second in (
            (self.type_combo, self.procedure_combo),
            (self.procedure_combo, self.cause_edit),
            (self.cause_edit, self.filing_date),
            (self.filing_date, self.source_combo),
            (self.source_combo, self.amount_edit),
            (self.amount_edit, self.fee_button),
            (self.fee_button, self.private_check),
            (self.private_check, self.assign_check),
            (self.assign_check, self.party_table),
            (self.party_table, add_party),
            (add_party, remove_party),
            (remove_party, self.submit_button),
            (self.submit_button, cancel),
        ):
            QWidget.setTabOrder(first, second)

        QShortcut(QKeySequence("Ctrl+Return"), self, self.submit)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.submit)
        self._duplicate_timer = QTimer(self, singleShot=True, interval=DUPLICATE_CHECK_DELAY_MS)
        self._duplicate_timer.timeout.connect(self.check_duplicates)
        self._fee_timer = QTimer(self, singleShot=True, interval=FEE_DELAY_MS)
        self._fee_timer.timeout.connect(self.compute_fee)
        self.fee_button.toggled.connect(self.fee_working.setVisible)
        self.amount_edit.textChanged.connect(lambda _text: self._fee_timer.start())
        self.procedure_combo.currentIndexChanged.connect(lambda _index: self._fee_timer.start())
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self.cause_edit.browse_requested.connect(self.browse_causes)
        self.cause_button.clicked.connect(self.browse_causes)
        self.cause_edit.textChanged.connect(self._cause_changed)
        self.party_table.itemChanged.connect(self._party_changed)
        self._type_changed()
        self.compute_fee()
        self.add_party()
        self.add_party()
        self.party_table.setCurrentCell(0, COL["name"])
        # The cause trees' pinyin is worked out once, off the GUI thread.
        runner.run(causes.load, None, if_alive(self, self._show_error))
        self.type_combo.setFocus()

    # ------------------------------------------------------------ form state
    @property
    def type_code(self) -> str:
        return str(self.type_combo.currentData())

    def _case_type(self) -> CaseType:
        return next(t for t in reference.case_types() if t.code == self.type_code)

    def _type_changed(self) -> None:
        self.procedure_combo.clear()
        for procedure in reference.procedures_for(self.type_code):
            self.procedure_combo.addItem(procedure.label, procedure.code)
        case_type = self._case_type()
        self.party_table.role_delegate.choices = list(case_type.role_set.roles)
        self.cause_edit.set_type(self.type_code)
        for row in range(self.party_table.rowCount()):
            if self.party_table.cell(row, "role") not in case_type.role_set.roles:
                self.party_table.set_cell(row, "role", self._default_role(row))
        self._cause_changed()

    def _default_role(self, row: int) -> str:
        role_set = self._case_type().role_set
        if row == 0 and role_set.claimant:
            return role_set.claimant[0]
        if role_set.respondent:
            return role_set.respondent[0]
        roles = role_set.roles
        return roles[min(row, len(roles) - 1)] if roles else ""

    def add_party(self) -> int:
        return self.party_table.add_party()

    def fill_party(self, row: int, **values: str) -> None:
        """Type values into a party row (used by keyboard macros and tests alike)."""
        self.party_table.fill_party(row, **values)

    def browse_causes(self) -> None:
        dialog = CauseTreeDialog(self.type_code, self.cause_edit.text().strip(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._cause_picked(dialog.chosen))
        dialog.open()

    def _cause_picked(self, name: str) -> None:
        self.cause_edit.setText(name)
        self.cause_edit.setFocus()

    def _cause_changed(self) -> None:
        cause = self.cause_edit.text().strip()
        # Latin letters are pinyin initials being typed, not a cause yet.
        if cause and not cause.isascii() and not causes.is_listed(self.type_code, cause):
            self.cause_hint.setText(f"「{cause}」不在本类案件的案由表中（可以立案，但请核对）")
        else:
            self.cause_hint.setText("")
        self.cause_hint.setVisible(bool(self.cause_hint.text()))
        self._duplicate_timer.start()
        self._fee_timer.start()  # the cause decides the fee kind (离婚, 劳动争议 …)

    def _party_changed(self, item: QTableWidgetItem) -> None:
        if item.column() in (COL["name"], COL["id_number"]):
            self._duplicate_timer.start()

    # ------------------------------------------------------------ fee
    def compute_fee(self) -> None:
        """Work out the litigation fee for what is typed (in the background)."""
        amount: Decimal | None = None
        text = self.amount_edit.text().strip()
        if text:
            parsed = parse_amount(text)
            if isinstance(parsed, str):
                self._show_fee(None, f"诉讼标的额{parsed}")
                return
            amount = parsed
        ws = self._ws
        type_code = self.type_code
        procedure = str(self.procedure_combo.currentData() or "")
        cause = self.cause_edit.text()
        self._fee_request = request = (type_code, procedure, cause, amount)

        def shown(result: FeeResult | None) -> None:
            if request == self._fee_request:
                self._show_fee(result, "本类案件不交纳诉讼费或不在收费表中")

        def failed(error: BaseException) -> None:
            if not isinstance(error, CourtdeskError):
                raise error
            if request == self._fee_request:
                self._show_fee(None, error.message)

        self._runner.run(
            lambda: cases.filing_fee(ws, type_code, procedure, cause, amount),
            if_alive(self, shown),
            if_alive(self, failed),
        )

    def _show_fee(self, result: FeeResult | None, why_none: str) -> None:
        self.fee = result
        if result is None:
            self.fee_label.setText(f"<span style='color:#666'>{html.escape(why_none)}</span>")
            self.fee_working.setText("")
            self.fee_button.setEnabled(False)
            self.fee_button.setChecked(False)
        else:
            reductions = f"，{'、'.join(result.reductions)}" if result.reductions else ""
            self.fee_label.setText(
                f"<b>{format_yuan(result.total)} 元</b>"
                f"<span style='color:#555'>（{html.escape(result.title)}{html.escape(reductions)}）</span>"
            )
            self.fee_working.setText("<br>".join(html.escape(line) for line in result.explain()))
            self.fee_button.setEnabled(True)
        self.fee_computed.emit(result)

    # ------------------------------------------------------------ duplicates
    def _parties_for_check(self) -> list[PartyDraft]:
        return [
            PartyDraft(
                self.party_table.cell(row, "role"),
                self.party_table.cell(row, "name"),
                id_number=self.party_table.cell(row, "id_number"),
            )
            for row in self.party_table.party_rows()
            if self.party_table.cell(row, "name")
        ]

    def check_duplicates(self) -> None:
        """Look for open cases with this cause and these parties (in the background)."""
        cause = self.cause_edit.text().strip()
        parties = self._parties_for_check()
        if not cause or len(parties) < 2:
            self._show_duplicates([])
            return
        ws = self._ws
        self._runner.run(
            lambda: lookup.find_duplicates(ws, cause, parties),
            if_alive(self, self._show_duplicates),
            if_alive(self, self._show_error),
        )

    def _show_duplicates(self, found: list[PossibleDuplicate]) -> None:
        self.duplicates = found
        if not found:
            self.duplicate_label.hide()
            self.submit_button.setText("立案")
        else:
            e = html.escape
            lines = "".join(
                f"<br>• <b>{e(d.case_number)}</b>　{e(d.parties_summary)}　"
                f"立案 {e(d.filing_date)}　{e(d.status_label)}"
                + (f"　承办人 {e(d.judge_name)}" if d.judge_name else "")
                for d in found
            )
            self.duplicate_label.setText(
                f"<b>可能重复立案：</b>已有 {len(found)} 件相同案由、相同当事人的未结案件{lines}"
            )
            self.duplicate_label.show()
            if {d.case_id for d in found} - self._acknowledged:
                self.submit_button.setText("立案")
        self.duplicates_checked.emit(len(found))

    # ------------------------------------------------------------ submit
    def build_draft(self) -> CaseDraft:
        """The form as a CaseDraft; raises ValidationError for text that is not a value."""
        problems: list[FieldProblem] = []
        amount: Decimal | None = None
        amount_text = self.amount_edit.text().strip()
        if amount_text:
            parsed = parse_amount(amount_text)
            if isinstance(parsed, str):
                problems.append(FieldProblem("amount_claimed", f"诉讼标的额{parsed}"))
            else:
                amount = parsed
        table = self.party_table
        parties = []
        for row in table.party_rows():
            kind = KIND_LABELS.get(table.cell(row, "kind"), PartyKind.PERSON)
            identity = table.cell(row, "id_number")
            agents: tuple[AgentDraft, ...] = ()
            agent_name, firm = table.cell(row, "agent_name"), table.cell(row, "agent_firm")
            licence = table.cell(row, "agent_licence")
            if agent_name or firm or licence:
                agents = (
                    AgentDraft(agent_name, "律师" if firm or licence else "其他", firm, licence),
                )
            parties.append(
                PartyDraft(
                    service_address=self._confirmation(row),
                    role=table.cell(row, "role"),
                    name=table.cell(row, "name"),
                    kind=kind,
                    id_number=identity if kind is PartyKind.PERSON else "",
                    credit_code=identity if kind is PartyKind.ORGANISATION else "",
                    phone=table.cell(row, "phone"),
                    address=table.cell(row, "address"),
                    legal_representative=table.cell(row, "legal_representative"),
                    agents=agents,
                )
            )
        if problems:
            raise ValidationError(problems)
        qdate = self.filing_date.date()
        return CaseDraft(
            type_code=self.type_code,
            procedure=self.procedure_combo.currentData() or "",
            cause=self.cause_edit.text(),
            filing_date=date(qdate.year(), qdate.month(), qdate.day()),
            parties=tuple(parties),
            amount_claimed=amount,
            source=self.source_combo.currentText(),
            is_private=self.private_check.isChecked(),
        )

    def _confirmation(self, row: int) -> AddressConfirmation | None:
        """The party's 送达地址确认书 from its two columns, signed on the filing date.

        Either column makes one: a consent alone confirms the address on file.
        """
        table = self.party_table
        confirmed = table.cell(row, "service_address")
        electronic = table.cell(row, "e_service")
        if not confirmed and not electronic:
            return None
        if not confirmed or confirmed == "同上":
            confirmed = table.cell(row, "address")
        qdate = self.filing_date.date()
        return AddressConfirmation(
            address=confirmed,
            confirmed_on=date(qdate.year(), qdate.month(), qdate.day()),
            electronic_consent=bool(electronic),
            electronic_address=electronic,
        )

    def submit(self) -> None:
        if self._busy:
            return
        self._clear_marks()
        try:
            draft = self.build_draft()
        except ValidationError as error:
            self.show_problems(error.problems)
            return
        self._busy = True
        self.submit_button.setEnabled(False)
        self.submit_button.setText("正在立案…")
        ws, acknowledged = self._ws, frozenset(self._acknowledged)

        def work() -> CaseDetail | list[PossibleDuplicate]:
            # Checked again here, on what is submitted, whatever the live check showed.
            found = lookup.find_duplicates(ws, draft.cause, draft.parties)
            if {d.case_id for d in found} - acknowledged:
                return found
            return cases.register_case(ws, draft)

        # Registration itself is reported even if the dialog was closed meanwhile.
        self._runner.run(work, self._done, if_alive(self, self._failed))

    def _done(self, result: CaseDetail | list[PossibleDuplicate]) -> None:
        self._busy = False
        self.submit_button.setEnabled(True)
        if isinstance(result, list):
            self._acknowledged |= {d.case_id for d in result}
            self._show_duplicates(result)
            self.duplicate_label.setText(
                self.duplicate_label.text()
                + "<br>如确认不是重复起诉，请再按一次「仍然立案」（Ctrl+Enter）。"
            )
            self.submit_button.setText("仍然立案")
            return
        self.registered.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.submit_button.setEnabled(True)
        self.submit_button.setText("仍然立案" if self._acknowledged else "立案")
        if isinstance(error, ValidationError):
            self.show_problems(error.problems)
        elif isinstance(error, CourtdeskError):
            self.show_problems([FieldProblem("", error.message)])
        else:
            raise error

    def _show_error(self, error: BaseException) -> None:
        if isinstance(error, CourtdeskError):
            self.show_problems([FieldProblem("", error.message)])
        else:
            raise error

    # ------------------------------------------------------------ problems
    def show_problems(self, problems: tuple[FieldProblem, ...] | list[FieldProblem]) -> None:
        self.problems_label.setText(
            "未能立案，请修改以下内容：\n" + "\n".join(f"• {p.message}" for p in problems)
        )
        self.problems_label.show()
        for problem in problems:
            self._mark(problem.field)

    def _mark(self, field: str) -> None:
        widgets: dict[str, QWidget] = {
            "type_code": self.type_combo,
            "procedure": self.procedure_combo,
            "cause": self.cause_edit,
            "filing_date": self.filing_date,
            "amount_claimed": self.amount_edit,
            "parties": self.party_table,
        }
        if field in widgets:
            widgets[field].setStyleSheet(INVALID_STYLE)
            return
        parts = field.split(".")
        if len(parts) >= 3 and parts[0] == "parties" and parts[1].isdigit():
            rows = self.party_table.party_rows()
            index = int(parts[1])
            key = {"credit_code": "id_number", "sex": "id_number", "birth_date": "id_number"}.get(
                parts[2], parts[2]
            )
            if parts[2] == "agents":
                key = {"law_firm": "agent_firm", "licence_number": "agent_licence"}.get(
                    parts[-1], "agent_name"
                )
            if parts[2] == "service":
                key = "e_service" if parts[-1] == "electronic_address" else "service_address"
            if index < len(rows) and key in COL:
                item = self.party_table.item(rows[index], COL[key])
                if item is not None:
                    item.setBackground(INVALID_BRUSH)

    def _clear_marks(self) -> None:
        self.problems_label.hide()
        for widget in (
            self.type_combo,
            self.procedure_combo,
            self.cause_edit,
            self.filing_date,
            self.amount_edit,
            self.party_table,
        ):
            widget.setStyleSheet("")
        for row in range(self.party_table.rowCount()):
            for column in range(self.party_table.columnCount()):
                item = self.party_table.item(row, column)
                if item is not None:
                    item.setBackground(QBrush())
