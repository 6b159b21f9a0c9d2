"""The litigation-fee calculator (诉讼费计算器): the fee and its working, band by band."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from courtdesk.domain.fees import (
    RANGES,
    Exemption,
    FeeKind,
    FeeProcedure,
    FeeResult,
    FeeSchedule,
    litigation_fee,
)
from courtdesk.domain.money import format_yuan, parse_signed_amount
from courtdesk.errors import ValidationError
from courtdesk.services import fees
from courtdesk.services.calculation_sheets import fee_sheet_pdf
from courtdesk.services.workspace import Workspace
from courtdesk.ui.calculators.base import TOTAL_STYLE, CalculatorDialog
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import fit_to_screen, named

# The province's figure each kind uses, for the hint under the kind (FeeSchedule field).
_SCHEDULE_FIELD = {
    FeeKind.DIVORCE: "divorce",
    FeeKind.PERSONALITY: "personality",
    FeeKind.NON_PROPERTY: "non_property",
    FeeKind.IP: "ip_without_amount",
    FeeKind.JURISDICTION_OBJECTION: "jurisdiction_objection",
    FeeKind.ENFORCEMENT: "enforcement_without_amount",
}


class FeeDialog(CalculatorDialog):
    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ws, runner, "诉讼费计算", "feeDialog", parent)
        self.schedule: FeeSchedule | None = None

        self.kind_combo = named(QComboBox(), "kind")
        for kind in FeeKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.kind_hint = named(QLabel(), "kindHint")
        self.kind_hint.setWordWrap(True)
        self.kind_hint.setStyleSheet("color: #555;")
        self.amount_label = QLabel("诉讼标的额")
        self.amount_edit = named(QLineEdit(), "amount")
        self.amount_edit.setPlaceholderText("单位：元，如 100000 或 1,000,000.50")
        self.procedure_combo = named(QComboBox(), "procedure")
        for procedure in FeeProcedure:
            self.procedure_combo.addItem(procedure.label, procedure.value)
        self.mediated_check = named(QCheckBox("调解结案或申请撤诉（第十五条）"), "mediated")
        self.counterclaim_check = named(
            QCheckBox("反诉或有独立请求权第三人的请求（第十八条）"), "counterclaim"
        )
        self.exemption_combo = named(QComboBox(), "exemption")
        self.exemption_combo.setToolTip("《诉讼费用交纳办法》第八条：不交纳案件受理费的情形")
        self.exemption_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.exemption_combo.setMinimumContentsLength(14)
        self.exemption_combo.addItem("不适用", None)
        for exemption in Exemption:
            self.exemption_combo.addItem(exemption.label, exemption.value)

        form = QFormLayout()
        form.addRow("类别", self.kind_combo)
        form.addRow("", self.kind_hint)
        form.addRow(self.amount_label, self.amount_edit)
        form.addRow("审理程序", self.procedure_combo)
        form.addRow("减半", self.mediated_check)
        form.addRow("", self.counterclaim_check)
        form.addRow("免交", self.exemption_combo)
        inputs = QWidget()
        inputs.setLayout(form)
        inputs.setFixedWidth(self.char * 34)

        self.total_label = named(QLabel(), "total")
        self.total_label.setStyleSheet(TOTAL_STYLE)
        self.lines_table = named(QTableWidget(0, 2), "lines")
        self.lines_table.setHorizontalHeaderLabels(["计算过程", "金额（元）"])
        self.lines_table.verticalHeader().setVisible(False)
        self.lines_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines_table.setWordWrap(True)
        header = self.lines_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.notes_label = named(QLabel(), "notes")
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet("color: #555;")
        results = QVBoxLayout()
        results.addWidget(self.total_label)
        results.addWidget(self.lines_table, 1)
        results.addWidget(self.notes_label)

        content = QHBoxLayout()
        content.addWidget(inputs, 0, Qt.AlignmentFlag.AlignTop)
        content.addLayout(results, 1)
        self.finish_layout(content)
        fit_to_screen(self, self.char * 84, self.char * 26)

        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.amount_edit.textChanged.connect(self.recompute)
        self.procedure_combo.currentIndexChanged.connect(self.recompute)
        self.mediated_check.toggled.connect(self.recompute)
        self.counterclaim_check.toggled.connect(self.recompute)
        self.exemption_combo.currentIndexChanged.connect(self.recompute)
        self.total_label.setText("正在读取本院收费标准…")
        self._kind_changed()
        self.load(lambda: fees.fee_schedule(ws), self._schedule_loaded)

    def _schedule_loaded(self, schedule: FeeSchedule) -> None:
        self.schedule = schedule
        self._kind_changed()

    @property
    def kind(self) -> FeeKind:
        return FeeKind(self.kind_combo.currentData())

    def set_kind(self, kind: FeeKind) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind.value))

    def _kind_changed(self) -> None:
        kind = self.kind
        self.amount_label.setText(kind.amount_label if kind.takes_amount else "金额")
        self.amount_edit.setEnabled(kind.takes_amount)
        if kind.takes_amount:
            self.amount_edit.setPlaceholderText(
                "单位：元" if kind.amount_required else "单位：元；没有可留空"
            )
        else:
            self.amount_edit.setPlaceholderText("按件交纳，不填金额")
        case_fee = kind.is_case_fee
        for widget in (
            self.procedure_combo,
            self.mediated_check,
            self.counterclaim_check,
            self.exemption_combo,
        ):
            widget.setEnabled(case_fee)
        hint = "申请费不适用减半和免交的规定" if not case_fee else ""
        name = _SCHEDULE_FIELD.get(kind)
        if name is not None and self.schedule is not None:
            limits = RANGES[name]
            hint = (
                f"本院标准：{limits.what} {getattr(self.schedule, name)} 元"
                f"（法定 {limits.low}–{limits.high} 元，系统管理员可在设置中修改）"
            )
        self.kind_hint.setText(hint)
        self.kind_hint.setVisible(bool(hint))
        self.recompute()

    # ------------------------------------------------------------ computing
    def field_widgets(self) -> dict[str, QWidget]:
        return {
            "amount": self.amount_edit,
            "procedure": self.procedure_combo,
            "exemption": self.exemption_combo,
        }

    def compute(self) -> FeeResult | None:
        if self.schedule is None:
            return None
        kind = self.kind
        text = self.amount_edit.text().strip() if kind.takes_amount else ""
        amount: Decimal | None = None
        if text:
            parsed = parse_signed_amount(text)
            if isinstance(parsed, str):
                raise ValidationError(f"{kind.amount_label}{parsed}", "amount")
            amount = parsed
        elif kind.amount_required:
            return None  # nothing typed yet: no complaint, just no result
        case_fee = kind.is_case_fee
        exemption = self.exemption_combo.currentData() if case_fee else None
        return litigation_fee(
            kind,
            amount,
            self.procedure_combo.currentData() if case_fee else FeeProcedure.ORDINARY,
            mediated_or_withdrawn=case_fee and self.mediated_check.isChecked(),
            counterclaim=case_fee and self.counterclaim_check.isChecked(),
            exemption=Exemption(exemption) if exemption else None,
            schedule=self.schedule,
        )

    def show_result(self, result: FeeResult | None) -> None:
        self.lines_table.setRowCount(0)
        if result is None:
            if self.schedule is not None:
                self.total_label.setText(
                    f"请输入{self.kind.amount_label}"
                    if self.problems_label.isHidden()
                    else "请先更正上面标出的输入"
                )
            self.notes_label.clear()
            return
        self.total_label.setText(f"应交纳 {format_yuan(result.total)} 元")
        for line in result.lines:
            row = self.lines_table.rowCount()
            self.lines_table.insertRow(row)
            self.lines_table.setItem(row, 0, QTableWidgetItem(line.text))
            money = QTableWidgetItem(format_yuan(line.amount))
            money.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.lines_table.setItem(row, 1, money)
        self.lines_table.resizeRowsToContents()
        self.notes_label.setText("\n".join(result.notes))

    # ------------------------------------------------------------ sheet
    def render_sheet(self) -> Callable[[], bytes]:
        ws, result = self._ws, self.result
        return lambda: fee_sheet_pdf(ws, result)
