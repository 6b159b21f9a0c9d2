"""The period calculator (期间计算器): the last day of a period, and why.

A party's period (答辩期, 上诉期 …) ends on the next working day when its last day
is a rest day (民诉法 §85); the court's own time limits do not move. A year whose
holidays nobody has entered is computed with weekends only and said so loudly.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from courtdesk.domain.holidays import HolidayCalendar
from courtdesk.domain.periods import PeriodKind, PeriodResult, compute_period
from courtdesk.errors import ValidationError
from courtdesk.services import holidays
from courtdesk.services.calculation_sheets import period_sheet_pdf
from courtdesk.services.workspace import Workspace
from courtdesk.ui.calculators.base import (
    TOTAL_STYLE,
    WARNING_STYLE,
    CalculatorDialog,
    date_edit,
    from_qdate,
)
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import fit_to_screen, named

WEEKDAYS = "一二三四五六日"

# Common periods (domain-rules.md section 3): label, days, months, kind.
PRESETS: tuple[tuple[str, int, int, PeriodKind], ...] = (
    ("答辩期（民诉法第128条）15日", 15, 0, PeriodKind.PARTY),
    ("上诉期·判决（第171条）15日", 15, 0, PeriodKind.PARTY),
    ("上诉期·裁定（第171条）10日", 10, 0, PeriodKind.PARTY),
    ("答辩上诉状 15日", 15, 0, PeriodKind.PARTY),
    ("举证期限·普通程序 15日", 15, 0, PeriodKind.PARTY),
    ("举证期限·小额诉讼 7日", 7, 0, PeriodKind.PARTY),
    ("公告送达（第95条）30日", 30, 0, PeriodKind.PARTY),
    ("公告送达·境外（第283条）60日", 60, 0, PeriodKind.PARTY),
    ("审限·普通程序 6个月", 0, 6, PeriodKind.COURT),
    ("审限·简易程序 3个月", 0, 3, PeriodKind.COURT),
)


class PeriodDialog(CalculatorDialog):
    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ws, runner, "期间计算", "periodDialog", parent)
        self.calendar: HolidayCalendar | None = None

        self.preset_combo = named(QComboBox(), "preset")
        self.preset_combo.addItem("自定义", None)
        for index, (label, *_rest) in enumerate(PRESETS):
            self.preset_combo.addItem(label, index)
        self.start_edit = date_edit("start")
        self.length_spin = named(QSpinBox(), "length")
        self.length_spin.setRange(1, 3650)
        self.length_spin.setValue(15)
        self.unit_combo = named(QComboBox(), "unit")
        self.unit_combo.addItem("日", "days")
        self.unit_combo.addItem("个月", "months")
        length = QHBoxLayout()
        length.addWidget(self.length_spin, 1)
        length.addWidget(self.unit_combo)
        self.party_radio = named(QRadioButton(PeriodKind.PARTY.label), "partyPeriod")
        self.court_radio = named(QRadioButton(PeriodKind.COURT.label), "courtPeriod")
        self.party_radio.setChecked(True)
        kinds = QButtonGroup(self)
        kinds.addButton(self.party_radio)
        kinds.addButton(self.court_radio)

        form = QFormLayout()
        form.addRow("常用期间", self.preset_combo)
        form.addRow("起算日（当日不计）", self.start_edit)
        form.addRow("期间", length)
        form.addRow("类型", self.party_radio)
        form.addRow("", self.court_radio)
        inputs = QWidget()
        inputs.setLayout(form)
        inputs.setFixedWidth(self.char * 30)

        self.last_day_label = named(QLabel(), "lastDay")
        self.last_day_label.setStyleSheet(TOTAL_STYLE)
        self.warning_label = named(QLabel(), "warning")
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(WARNING_STYLE)
        self.warning_label.hide()
        self.reasons_label = named(QLabel(), "reasons")
        self.reasons_label.setWordWrap(True)
        self.reasons_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        results = QVBoxLayout()
        results.addWidget(self.last_day_label)
        results.addWidget(self.warning_label)
        results.addWidget(self.reasons_label)
        results.addStretch(1)

        content = QHBoxLayout()
        content.addWidget(inputs, 0, Qt.AlignmentFlag.AlignTop)
        content.addLayout(results, 1)
        self.finish_layout(content)
        fit_to_screen(self, self.char * 72, self.char * 22)

        self.preset_combo.currentIndexChanged.connect(self._preset_chosen)
        self.start_edit.dateChanged.connect(self.recompute)
        self.length_spin.valueChanged.connect(self._edited)
        self.unit_combo.currentIndexChanged.connect(self._edited)
        self.party_radio.toggled.connect(self._edited)
        self.last_day_label.setText("正在读取节假日安排…")
        self.load(lambda: holidays.holiday_calendar(ws), self._loaded)

    def _loaded(self, calendar: HolidayCalendar) -> None:
        self.calendar = calendar
        self.recompute()

    def _preset_chosen(self) -> None:
        index = self.preset_combo.currentData()
        if index is None:
            return
        _label, days, months, kind = PRESETS[index]
        for widget in (self.length_spin, self.unit_combo, self.party_radio, self.court_radio):
            widget.blockSignals(True)
        self.length_spin.setValue(months or days)
        self.unit_combo.setCurrentIndex(1 if months else 0)
        (self.party_radio if kind is PeriodKind.PARTY else self.court_radio).setChecked(True)
        for widget in (self.length_spin, self.unit_combo, self.party_radio, self.court_radio):
            widget.blockSignals(False)
        self.recompute()

    def _edited(self) -> None:
        # Changing the length or kind by hand makes it a custom period.
        if self.preset_combo.currentData() is not None:
            self.preset_combo.blockSignals(True)
            self.preset_combo.setCurrentIndex(0)
            self.preset_combo.blockSignals(False)
        self.recompute()

    # ------------------------------------------------------------ computing
    def field_widgets(self) -> dict[str, QWidget]:
        return {"start": self.start_edit, "length": self.length_spin}

    def compute(self) -> PeriodResult | None:
        if self.calendar is None:
            return None
        count = self.length_spin.value()
        months = self.unit_combo.currentData() == "months"
        kind = PeriodKind.PARTY if self.party_radio.isChecked() else PeriodKind.COURT
        try:
            return compute_period(
                from_qdate(self.start_edit),
                days=0 if months else count,
                months=count if months else 0,
                kind=kind,
                calendar=self.calendar,
            )
        except ValueError:
            raise ValidationError("期间长度应大于零", "length") from None

    def show_result(self, result: PeriodResult | None) -> None:
        if result is None:
            self.reasons_label.clear()
            self.warning_label.hide()
            return
        day = result.last_day
        self.last_day_label.setText(
            f"期间届满日：{day.isoformat()}（星期{WEEKDAYS[day.weekday()]}）"
        )
        self.reasons_label.setText("\n".join(result.reasons))
        if result.uncertain:
            years = "、".join(str(y) for y in result.weekends_only_years)
            self.warning_label.setText(
                f"注意：{years} 年的法定节假日尚未录入，本结果仅按周末计算，可能不准确。"
                "请系统管理员在「工具 → 节假日安排」中录入该年安排。"
            )
            self.warning_label.show()
        else:
            self.warning_label.hide()

    # ------------------------------------------------------------ sheet
    def render_sheet(self) -> Callable[[], bytes]:
        ws, result = self._ws, self.result
        return lambda: period_sheet_pdf(ws, result)
