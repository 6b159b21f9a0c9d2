"""The private-lending interest calculator (民间借贷利息计算器).

The clerk or judge types the loan's terms and repayments; the dialog shows which
cap applies, which part of the agreed interest is supported, the supported
interest period by period with each period's rate and days, and how each
repayment was applied.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from courtdesk.domain.lending import (
    Convention,
    LendingResult,
    LoanTerms,
    Repayment,
    annual_rate_from_monthly,
    compute_interest,
)
from courtdesk.domain.lpr import LprTable
from courtdesk.domain.money import format_percent, format_yuan, parse_amount
from courtdesk.errors import FieldProblem, ValidationError
from courtdesk.services import lending
from courtdesk.services.calculation_sheets import lending_sheet_pdf
from courtdesk.services.workspace import Workspace
from courtdesk.ui.calculators.base import (
    INVALID_COLOUR,
    TOTAL_STYLE,
    CalculatorDialog,
    date_edit,
    from_qdate,
)
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import fit_to_screen, named

PERIOD_COLUMNS = ("期间", "天数", "本金（元）", "阶段", "约定年利率", "支持年利率", "利息（元）")
RATE_UNITS = (("年利率 %", False), ("月利率 %", True))


class RateInput(QWidget):
    """A rate with its unit: 年利率 % or 月利率 % (月息 2 分 = 2 %)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.edit = named(QLineEdit(), name)
        self.unit = named(QComboBox(), f"{name}Unit")
        for label, monthly in RATE_UNITS:
            self.unit.addItem(label, monthly)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.unit)

    def annual(self, label: str, field: str) -> Decimal | None:
        text = self.edit.text().strip().removesuffix("%").removesuffix("％")
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValidationError(f"{label}「{self.edit.text().strip()}」不是数字", field) from None
        if not value.is_finite():
            raise ValidationError(f"{label}「{self.edit.text().strip()}」不是数字", field)
        return annual_rate_from_monthly(value) if self.unit.currentData() else value


class OptionalDate(QWidget):
    """A date that may be absent (还款期限, 起诉日): a check box enabling a date edit."""

    def __init__(self, name: str, label: str) -> None:
        super().__init__()
        self.check = named(QCheckBox(label), f"{name}Given")
        self.edit = date_edit(name)
        self.edit.setEnabled(False)
        self.check.toggled.connect(self.edit.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)

    def value(self) -> date | None:
        return from_qdate(self.edit) if self.check.isChecked() else None


class LendingDialog(CalculatorDialog):
    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ws, runner, "民间借贷利息计算", "lendingDialog", parent)
        self.lpr: LprTable | None = None
        self.convention: Convention | None = None

        self.principal_edit = named(QLineEdit(), "principal")
        self.principal_edit.setPlaceholderText("单位：元")
        self.formed_edit = date_edit("formed")
        self.loan_rate = RateInput("loanRate")
        self.loan_rate.edit.setPlaceholderText("未约定利息请留空")
        self.overdue_rate = RateInput("overdueRate")
        self.overdue_rate.edit.setPlaceholderText("含违约金等；未约定留空")
        self.due = OptionalDate("due", "约定")
        self.start_edit = date_edit("start")
        self.end_edit = date_edit("end")
        self.filed = OptionalDate("filed", "已起诉")
        self.principal_first_check = named(
            QCheckBox("当事人约定还款先抵本金（默认先息后本）"), "principalFirst"
        )

        self.repayments_table = named(QTableWidget(0, 2), "repayments")
        self.repayments_table.setHorizontalHeaderLabels(["还款日（YYYY-MM-DD）", "金额（元）"])
        self.repayments_table.verticalHeader().setVisible(False)
        self.repayments_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch
        )
        add = named(QPushButton("添加还款"), "addRepayment")
        add.setAutoDefault(False)
        add.clicked.connect(lambda: self.add_repayment())
        remove = named(QPushButton("删除所选"), "removeRepayment")
        remove.setAutoDefault(False)
        remove.clicked.connect(self.remove_selected_repayments)
        repayment_buttons = QHBoxLayout()
        repayment_buttons.addWidget(QLabel("还款记录"))
        repayment_buttons.addStretch(1)
        repayment_buttons.addWidget(add)
        repayment_buttons.addWidget(remove)

        form = QFormLayout()
        form.addRow("借款本金", self.principal_edit)
        form.addRow("合同成立日", self.formed_edit)
        form.addRow("借期内利率", self.loan_rate)
        form.addRow("逾期利率", self.overdue_rate)
        form.addRow("还款期限", self.due)
        form.addRow("计息起始日", self.start_edit)
        form.addRow("计算截止日", self.end_edit)
        form.addRow("起诉日", self.filed)
        form.addRow("", self.principal_first_check)
        inputs_layout = QVBoxLayout()
        inputs_layout.addLayout(form)
        inputs_layout.addLayout(repayment_buttons)
        inputs_layout.addWidget(self.repayments_table, 1)
        inputs = QWidget()
        inputs.setLayout(inputs_layout)

        self.total_label = named(QLabel(), "total")
        self.total_label.setStyleSheet(TOTAL_STYLE)
        self.total_label.setWordWrap(True)
        self.caps_label = named(QLabel(), "caps")
        self.caps_label.setWordWrap(True)
        self.caps_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.periods_table = named(QTableWidget(0, len(PERIOD_COLUMNS)), "periods")
        self.periods_table.setHorizontalHeaderLabels(list(PERIOD_COLUMNS))
        self.periods_table.verticalHeader().setVisible(False)
        self.periods_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.periods_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.repayments_label = named(QLabel(), "appliedRepayments")
        self.repayments_label.setWordWrap(True)
        self.notes_label = named(QLabel(), "notes")
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet("color: #555;")
        results_layout = QVBoxLayout()
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.total_label)
        results_layout.addWidget(self.caps_label)
        results_layout.addWidget(self.periods_table, 1)
        results_layout.addWidget(self.repayments_label)
        results_layout.addWidget(self.notes_label)
        results = QWidget()
        results.setLayout(results_layout)

        splitter = QSplitter()
        splitter.addWidget(inputs)
        splitter.addWidget(results)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([self.char * 34, self.char * 66])
        self.finish_layout(splitter)
        fit_to_screen(self, self.char * 104, self.char * 44)

        for edit in (self.principal_edit, self.loan_rate.edit, self.overdue_rate.edit):
            edit.textChanged.connect(self.recompute)
        for combo in (self.loan_rate.unit, self.overdue_rate.unit):
            combo.currentIndexChanged.connect(self.recompute)
        self._start_follows_formed = True
        self.start_edit.setDate(self.formed_edit.date())
        self.formed_edit.dateChanged.connect(self._formed_changed)
        self.start_edit.dateChanged.connect(self._start_changed)
        for date_widget in (self.formed_edit, self.end_edit):
            date_widget.dateChanged.connect(self.recompute)
        for optional in (self.due, self.filed):
            optional.check.toggled.connect(self.recompute)
            optional.edit.dateChanged.connect(self.recompute)
        self.principal_first_check.toggled.connect(self.recompute)
        self.repayments_table.itemChanged.connect(self.recompute)
        self.total_label.setText("正在读取LPR报价表…")
        self.load(lambda: (lending.lpr_table(ws), lending.convention(ws)), self._loaded)

    def _loaded(self, loaded: tuple[LprTable, Convention]) -> None:
        self.lpr, self.convention = loaded
        self.recompute()

    def _formed_changed(self) -> None:
        # Interest usually runs from the day the loan was made: the start date follows
        # the formation date until the user sets a start date of their own.
        if self._start_follows_formed:
            self.start_edit.blockSignals(True)
            self.start_edit.setDate(self.formed_edit.date())
            self.start_edit.blockSignals(False)

    def _start_changed(self) -> None:
        self._start_follows_formed = False
        self.recompute()

    # ------------------------------------------------------------ repayments
    def add_repayment(self, day: str = "", amount: str = "") -> int:
        table = self.repayments_table
        table.blockSignals(True)
        row = table.rowCount()
        table.insertRow(row)
        table.setItem(row, 0, QTableWidgetItem(day))
        table.setItem(row, 1, QTableWidgetItem(amount))
        table.blockSignals(False)
        table.setCurrentCell(row, 0)
        self.recompute()
        return row

    def remove_selected_repayments(self) -> None:
        rows = sorted({i.row() for i in self.repayments_table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.repayments_table.removeRow(row)
        self.recompute()

    def _repayments(self) -> tuple[Repayment, ...]:
        problems: list[FieldProblem] = []
        repayments = []
        for row in range(self.repayments_table.rowCount()):
            cells = [self.repayments_table.item(row, c) for c in (0, 1)]
            day_text, amount_text = (c.text().strip() if c else "" for c in cells)
            if not day_text and not amount_text:
                continue
            field = f"repayments.{row + 1}"
            try:
                day = date.fromisoformat(day_text)
            except ValueError:
                problems.append(
                    FieldProblem(field, f"第 {row + 1} 笔还款日「{day_text}」应写作 YYYY-MM-DD")
                )
                continue
            amount = parse_amount(amount_text)
            if isinstance(amount, str):
                problems.append(FieldProblem(field, f"第 {row + 1} 笔还款金额{amount}"))
                continue
            repayments.append(Repayment(day, amount))
        if problems:
            raise ValidationError(problems)
        return tuple(repayments)

    def mark_field(self, field: str) -> bool:
        # A problem with one repayment marks that row's cells, not the whole table (restyling
        # the table would also disturb the cell the user is typing in).
        name, _, number = field.partition(".")
        if name != "repayments" or not number.isdigit():
            return False
        self._paint_repayment_row(int(number) - 1, QBrush(QColor(INVALID_COLOUR)))
        return True

    def unmark_fields(self) -> None:
        for row in range(self.repayments_table.rowCount()):
            self._paint_repayment_row(row, QBrush())

    def _paint_repayment_row(self, row: int, brush: QBrush) -> None:
        self.repayments_table.blockSignals(True)
        for column in (0, 1):
            item = self.repayments_table.item(row, column)
            if item is not None:
                item.setBackground(brush)
        self.repayments_table.blockSignals(False)

    # ------------------------------------------------------------ computing
    def field_widgets(self) -> dict[str, QWidget]:
        return {
            "principal": self.principal_edit,
            "loan_rate": self.loan_rate.edit,
            "overdue_rate": self.overdue_rate.edit,
            "due": self.due.edit,
            "start": self.start_edit,
            "end": self.end_edit,
            "filed": self.filed.edit,
            "formed": self.formed_edit,
        }

    def terms(self) -> LoanTerms | None:
        """The form as loan terms (None while the principal is empty)."""
        text = self.principal_edit.text().strip()
        if not text:
            return None
        principal = parse_amount(text)
        if isinstance(principal, str):
            raise ValidationError(f"借款本金{principal}", "principal")
        return LoanTerms(
            principal=principal,
            formed=from_qdate(self.formed_edit),
            start=from_qdate(self.start_edit),
            end=from_qdate(self.end_edit),
            loan_rate=self.loan_rate.annual("借期内利率", "loan_rate"),
            overdue_rate=self.overdue_rate.annual("逾期利率", "overdue_rate"),
            due=self.due.value(),
            filed=self.filed.value(),
            repayments=self._repayments(),
            principal_first=self.principal_first_check.isChecked(),
        )

    def compute(self) -> LendingResult | None:
        if self.lpr is None or self.convention is None:
            return None
        terms = self.terms()
        if terms is None:
            return None
        return compute_interest(terms, self.lpr, self.convention)

    def show_result(self, result: LendingResult | None) -> None:
        self.periods_table.setRowCount(0)
        if result is None:
            if self.lpr is not None:
                self.total_label.setText(
                    "请输入借款本金" if self.problems_label.isHidden() else "请先更正上面标出的输入"
                )
            for label in (self.caps_label, self.repayments_label, self.notes_label):
                label.clear()
            return
        self.total_label.setText(
            f"支持的利息 {format_yuan(result.interest_supported)} 元；"
            f"尚欠本息 {format_yuan(result.total_outstanding)} 元"
        )
        self.caps_label.setText("\n".join(result.caps))
        for period in result.periods:
            row = self.periods_table.rowCount()
            self.periods_table.insertRow(row)
            cells = (
                f"{period.first.isoformat()} 至 {period.last.isoformat()}",
                str(period.days),
                format_yuan(period.principal),
                period.phase.label,
                format_percent(period.agreed_rate),
                format_percent(period.supported_rate),
                format_yuan(period.interest),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (1, 2, 4, 5, 6):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.periods_table.setItem(row, column, item)
        self.repayments_label.setText(
            "\n".join([*(r.text for r in result.repayments), *result.summary()])
        )
        self.notes_label.setText("\n".join(result.notes))

    # ------------------------------------------------------------ sheet
    def render_sheet(self) -> Callable[[], bytes]:
        ws, result = self._ws, self.result
        return lambda: lending_sheet_pdf(ws, result)
