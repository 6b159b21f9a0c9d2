"""The 立案 dialog: register a case with its parties in one go.

Everything is checked by the registration service; every problem it finds is
listed at the top and its field is marked, and the form keeps what was typed.
Nothing is stored unless everything is right.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from courtdesk.domain.money import parse_amount
from courtdesk.domain.parties import AgentDraft, PartyDraft, PartyKind
from courtdesk.errors import CourtdeskError, FieldProblem, ValidationError
from courtdesk.services import cases, reference
from courtdesk.services.cases import PROCEDURE_SOURCES, CaseDetail, CaseDraft
from courtdesk.services.reference import Person
from courtdesk.services.workspace import Workspace
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import named

# Party table columns: (title, key used in problem field names)
PARTY_COLUMNS = (
    ("诉讼地位", "role"),
    ("类别", "kind"),
    ("姓名/名称", "name"),
    ("身份证号/信用代码", "id_number"),
    ("电话", "phone"),
    ("地址", "address"),
    ("法定代表人", "legal_representative"),
    ("代理人", "agent_name"),
    ("律师事务所", "agent_firm"),
)
COL = {key: index for index, (_, key) in enumerate(PARTY_COLUMNS)}
KIND_LABELS = {
    PartyKind.PERSON.label: PartyKind.PERSON,
    PartyKind.ORGANISATION.label: PartyKind.ORGANISATION,
}
INVALID_BRUSH = QBrush(QColor("#fde2e1"))
INVALID_STYLE = "border: 1px solid #b3261e; background: #fde2e1;"

Index = QModelIndex | QPersistentModelIndex


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box editor for a table cell, with choices that may change (roles per type)."""

    def __init__(self, choices: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.addItems(self.choices)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data() or ""))

    def setModelData(self, editor: QWidget, model: object, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        index.model().setData(index, editor.currentText())


class RegisterCaseDialog(QDialog):
    registered = Signal(object)  # CaseDetail

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("立案登记")
        self.setObjectName("registerDialog")
        self._ws = ws
        self._runner = runner
        self._busy = False

        self.problems_label = named(QLabel(), "problems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color:#b3261e; background:#fdecea; padding:6px;")
        self.problems_label.hide()

        self.type_combo = named(QComboBox(), "typeCode")
        for case_type in reference.case_types():
            self.type_combo.addItem(f"{case_type.code}　{case_type.name}", case_type.code)
        self.procedure_combo = named(QComboBox(), "procedure")
        self.cause_edit = named(QLineEdit(), "cause")
        self.cause_edit.setPlaceholderText("例如 民间借贷纠纷")
        self.filing_date = named(QDateEdit(), "filingDate")
        self.filing_date.setCalendarPopup(True)
        self.filing_date.setDisplayFormat("yyyy-MM-dd")
        self.filing_date.setDate(QDate.currentDate())
        self.source_combo = named(QComboBox(), "source")
        self.source_combo.addItems(PROCEDURE_SOURCES)
        self.amount_edit = named(QLineEdit(), "amount")
        self.amount_edit.setPlaceholderText("非财产案件留空；单位：元")
        self.judge_combo = named(QComboBox(), "judge")
        self.judge_combo.addItem("暂不分配", None)
        self.clerk_combo = named(QComboBox(), "clerk")
        self.clerk_combo.addItem("暂不分配", None)
        self.private_check = named(
            QCheckBox("不公开审理（涉及未成年人、隐私或商业秘密）"), "private"
        )

        form = QFormLayout()
        form.addRow("案件类型", self.type_combo)
        form.addRow("审理程序", self.procedure_combo)
        form.addRow("案由", self.cause_edit)
        form.addRow("立案日期", self.filing_date)
        form.addRow("收案来源", self.source_combo)
        form.addRow("诉讼标的额", self.amount_edit)
        people = QHBoxLayout()
        people.addWidget(self.judge_combo, 1)
        people.addWidget(QLabel("书记员"))
        people.addWidget(self.clerk_combo, 1)
        form.addRow("承办人", people)
        form.addRow("", self.private_check)

        self.party_table = named(QTableWidget(0, len(PARTY_COLUMNS)), "parties")
        self.party_table.setHorizontalHeaderLabels([title for title, _ in PARTY_COLUMNS])
        self.party_table.verticalHeader().setVisible(False)
        self.party_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.party_table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        header = self.party_table.horizontalHeader()
        char = self.fontMetrics().horizontalAdvance("中")
        for column, width in enumerate((5, 7, 8, 11, 8, 16, 6, 5, 10)):
            self.party_table.setColumnWidth(column, char * width + 12)
        header.setSectionResizeMode(COL["address"], QHeaderView.ResizeMode.Stretch)
        self.role_delegate = ChoiceDelegate([], self.party_table)
        self.party_table.setItemDelegateForColumn(COL["role"], self.role_delegate)
        self.party_table.setItemDelegateForColumn(
            COL["kind"], ChoiceDelegate(list(KIND_LABELS), self.party_table)
        )
        add_party = named(QPushButton("添加当事人"), "addParty")
        remove_party = named(QPushButton("删除所选当事人"), "removeParty")
        add_party.clicked.connect(lambda: self.add_party())
        remove_party.clicked.connect(self.remove_selected_party)
        party_buttons = QHBoxLayout()
        party_buttons.addWidget(QLabel("当事人（诉讼地位与类别可双击选择；身份证号会校验）"))
        party_buttons.addStretch(1)
        party_buttons.addWidget(add_party)
        party_buttons.addWidget(remove_party)

        self.buttons = named(QDialogButtonBox(), "buttons")
        self.submit_button = self.buttons.addButton("立案", QDialogButtonBox.ButtonRole.AcceptRole)
        self.submit_button.setObjectName("submit")
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.problems_label)
        layout.addLayout(form)
        layout.addLayout(party_buttons)
        layout.addWidget(self.party_table, 1)
        layout.addWidget(self.buttons)
        self.resize(char * 90, char * 45)

        QShortcut(QKeySequence("Ctrl+Return"), self, self.submit)
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self._type_changed()
        self.add_party()
        self.add_party()
        self._load_people()

    # ------------------------------------------------------------ form state
    def _type_changed(self) -> None:
        code = self.type_combo.currentData()
        self.procedure_combo.clear()
        for procedure in reference.procedures_for(code):
            self.procedure_combo.addItem(procedure.label, procedure.code)
        case_type = next(t for t in reference.case_types() if t.code == code)
        self.role_delegate.choices = list(case_type.role_set.roles)
        completer = QCompleter(reference.common_causes(code), self.cause_edit)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.cause_edit.setCompleter(completer)
        for row in range(self.party_table.rowCount()):
            role = self._cell(row, "role")
            if role not in case_type.role_set.roles:
                self._set_cell(row, "role", self._default_role(row))

    def _default_role(self, row: int) -> str:
        roles = self.role_delegate.choices
        code = self.type_combo.currentData()
        case_type = next(t for t in reference.case_types() if t.code == code)
        if row == 0 and case_type.role_set.claimant:
            return case_type.role_set.claimant[0]
        if case_type.role_set.respondent:
            return case_type.role_set.respondent[0]
        return roles[min(row, len(roles) - 1)] if roles else ""

    def add_party(self) -> int:
        row = self.party_table.rowCount()
        self.party_table.insertRow(row)
        for column in range(len(PARTY_COLUMNS)):
            self.party_table.setItem(row, column, QTableWidgetItem(""))
        self._set_cell(row, "role", self._default_role(row))
        self._set_cell(row, "kind", PartyKind.PERSON.label)
        self.party_table.setCurrentCell(row, COL["name"])
        return row

    def remove_selected_party(self) -> None:
        rows = sorted({i.row() for i in self.party_table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.party_table.removeRow(row)

    def _cell(self, row: int, key: str) -> str:
        item = self.party_table.item(row, COL[key])
        return item.text().strip() if item else ""

    def _set_cell(self, row: int, key: str, value: str) -> None:
        item = self.party_table.item(row, COL[key])
        if item is None:
            item = QTableWidgetItem()
            self.party_table.setItem(row, COL[key], item)
        item.setText(value)

    def fill_party(self, row: int, **values: str) -> None:
        """Type values into a party row (used by keyboard macros and tests alike)."""
        for key, value in values.items():
            self._set_cell(row, key, value)

    def _load_people(self) -> None:
        ws = self._ws
        self._runner.run(
            lambda: (
                reference.people_with_role(ws, "judge"),
                reference.people_with_role(ws, "clerk"),
            ),
            self._fill_people,
            self._show_error,
        )

    def _fill_people(self, people: tuple[list[Person], list[Person]]) -> None:
        judges, clerks = people
        for combo, persons in ((self.judge_combo, judges), (self.clerk_combo, clerks)):
            for person in persons:
                label = f"{person.name}（{person.division}）" if person.division else person.name
                combo.addItem(label, person.id)

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
        parties = []
        for row in range(self.party_table.rowCount()):
            if not any(self._cell(row, key) for key in ("name", "id_number", "address", "phone")):
                continue  # an untouched blank row is not a party
            kind = KIND_LABELS.get(self._cell(row, "kind"), PartyKind.PERSON)
            identity = self._cell(row, "id_number")
            agent_name = self._cell(row, "agent_name")
            agents: tuple[AgentDraft, ...] = ()
            if agent_name or self._cell(row, "agent_firm"):
                firm = self._cell(row, "agent_firm")
                agents = (AgentDraft(agent_name, "律师" if firm else "其他", firm),)
            parties.append(
                PartyDraft(
                    role=self._cell(row, "role"),
                    name=self._cell(row, "name"),
                    kind=kind,
                    id_number=identity if kind is PartyKind.PERSON else "",
                    credit_code=identity if kind is PartyKind.ORGANISATION else "",
                    phone=self._cell(row, "phone"),
                    address=self._cell(row, "address"),
                    legal_representative=self._cell(row, "legal_representative"),
                    agents=agents,
                )
            )
        if problems:
            raise ValidationError(problems)
        qdate = self.filing_date.date()
        return CaseDraft(
            type_code=self.type_combo.currentData(),
            procedure=self.procedure_combo.currentData() or "",
            cause=self.cause_edit.text(),
            filing_date=date(qdate.year(), qdate.month(), qdate.day()),
            parties=tuple(parties),
            amount_claimed=amount,
            source=self.source_combo.currentText(),
            presiding_judge_id=self.judge_combo.currentData(),
            clerk_id=self.clerk_combo.currentData(),
            is_private=self.private_check.isChecked(),
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
        ws = self._ws
        self._runner.run(lambda: cases.register_case(ws, draft), self._done, self._failed)

    def _done(self, detail: CaseDetail) -> None:
        self._busy = False
        self.registered.emit(detail)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.submit_button.setEnabled(True)
        self.submit_button.setText("立案")
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
        widgets = {
            "type_code": self.type_combo,
            "procedure": self.procedure_combo,
            "cause": self.cause_edit,
            "filing_date": self.filing_date,
            "amount_claimed": self.amount_edit,
            "presiding_judge_id": self.judge_combo,
            "clerk_id": self.clerk_combo,
            "parties": self.party_table,
        }
        if field in widgets:
            widgets[field].setStyleSheet(INVALID_STYLE)
            return
        parts = field.split(".")
        if len(parts) >= 3 and parts[0] == "parties" and parts[1].isdigit():
            row = self._table_row_of_party(int(parts[1]))
            key = {"credit_code": "id_number", "sex": "id_number", "birth_date": "id_number"}.get(
                parts[2], parts[2]
            )
            if parts[2] == "agents":
                key = "agent_firm" if parts[-1] == "law_firm" else "agent_name"
            if row is not None and key in COL:
                item = self.party_table.item(row, COL[key])
                if item is not None:
                    item.setBackground(INVALID_BRUSH)

    def _table_row_of_party(self, party_index: int) -> int | None:
        """Blank rows are skipped when the draft is built, so map party numbers back to rows."""
        seen = -1
        for row in range(self.party_table.rowCount()):
            if any(self._cell(row, key) for key in ("name", "id_number", "address", "phone")):
                seen += 1
                if seen == party_index:
                    return row
        return None

    def _clear_marks(self) -> None:
        self.problems_label.hide()
        for widget in (
            self.type_combo,
            self.procedure_combo,
            self.cause_edit,
            self.filing_date,
            self.amount_edit,
            self.judge_combo,
            self.clerk_combo,
            self.party_table,
        ):
            widget.setStyleSheet("")
        for row in range(self.party_table.rowCount()):
            for column in range(self.party_table.columnCount()):
                item = self.party_table.item(row, column)
                if item is not None:
                    item.setBackground(QBrush())
