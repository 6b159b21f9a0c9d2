"""The 统计 page: the president's dashboard for a period and a division or judge.

Every figure is a card that opens the docket filtered to exactly the cases behind
it (``open_cases``), and so is every bar of the monthly received / closed chart.
The figures are computed in SQL on a worker thread (services.stats.dashboard).
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QDate, QMargins, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from courtdesk.domain.dates import add_months
from courtdesk.services import reference, stats
from courtdesk.services.permissions import Permission, allowed
from courtdesk.services.reference import Division, Person
from courtdesk.services.stats import Dashboard, DashboardQuery, Figure
from courtdesk.services.workspace import Workspace
from courtdesk.ui.action_dialog import date_edit, date_of
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import named

GROUPS = ("收结存", "效率", "长期未结", "当前")
PRESETS = ("本年", "上年", "本季度", "上季度", "本月", "近12个月", "自定义")
RECEIVED_COLOUR = QColor("#3b6fb6")
CLOSED_COLOUR = QColor("#4f9a5d")
CARD_STYLE = """
QFrame#figureCard { background: white; border: 1px solid #d5dbe3; border-radius: 4px; }
QFrame#figureCard:hover { border-color: #3b6fb6; background: #f5f9ff; }
QFrame#figureCard:focus { border: 2px solid #3b6fb6; }
"""


def preset_range(name: str, today: date) -> tuple[date, date] | None:
    """The period a preset names, or None for 自定义."""
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    if name == "本年":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if name == "上年":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if name == "本季度":
        return quarter_start, add_months(quarter_start, 3) - timedelta(days=1)
    if name == "上季度":
        first = add_months(quarter_start, -3)
        return first, quarter_start - timedelta(days=1)
    if name == "本月":
        first = today.replace(day=1)
        return first, add_months(first, 1) - timedelta(days=1)
    if name == "近12个月":
        return add_months(today, -12) + timedelta(days=1), today
    return None


class FigureCard(QFrame):
    """A number, what it is, and how it was counted; click (or Enter) to see the cases."""

    clicked = Signal()

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.key = key
        self.figure: Figure | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("点击查看这些案件")
        self.value_label = named(QLabel("—"), f"figure_{key}")
        font = self.value_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        self.value_label.setFont(font)
        self.title_label = QLabel()
        title_font = self.title_label.font()
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.detail_label = QLabel()
        self.detail_label.setWordWrap(True)
        self.detail_label.setStyleSheet("color: #5b6573;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(2)
        layout.addWidget(self.title_label)
        layout.addWidget(self.value_label)
        layout.addWidget(self.detail_label)
        layout.addStretch(1)
        char = self.fontMetrics().horizontalAdvance("中")
        self.setMinimumWidth(char * 11)

    def set_figure(self, figure: Figure) -> None:
        self.figure = figure
        self.title_label.setText(figure.label)
        self.value_label.setText(figure.value)
        self.detail_label.setText(figure.detail)
        colour = "#b3261e" if figure.key in ("late", "overdue") and figure.number else "#1f2a37"
        self.value_label.setStyleSheet(f"color: {colour};")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


class DashboardPage(QWidget):
    error = Signal(object)
    open_cases = Signal(object, str)  # DocketFilter, the banner title
    loaded = Signal()

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardPage")
        self._ws = ws
        self._runner = runner
        self._generation = 0
        self._judges: list[Person] = []
        self.dashboard: Dashboard | None = None
        self.cards: dict[str, FigureCard] = {}
        self.setStyleSheet(CARD_STYLE)
        today = date.today()

        self.preset = named(QComboBox(), "presetCombo")
        self.preset.addItems(PRESETS)
        start, end = preset_range("本年", today) or (today, today)
        self.start_edit = date_edit(start, "startEdit")
        self.end_edit = date_edit(end, "endEdit")
        self.division = named(QComboBox(), "divisionCombo")
        self.division.addItem("全院", None)
        self.judge = named(QComboBox(), "judgeCombo")
        self.judge.addItem("全部承办人", None)
        self.judge.setMinimumContentsLength(8)
        self.refresh_button = named(QPushButton("刷新"), "refreshStats")
        self.timing_label = named(QLabel(), "timingLabel")
        self.timing_label.setStyleSheet("color: #5b6573;")

        controls = QHBoxLayout()
        controls.addWidget(QLabel("统计期间"))
        controls.addWidget(self.preset)
        controls.addWidget(self.start_edit)
        controls.addWidget(QLabel("至"))
        controls.addWidget(self.end_edit)
        controls.addSpacing(12)
        controls.addWidget(QLabel("部门"))
        controls.addWidget(self.division)
        controls.addWidget(QLabel("承办人"))
        controls.addWidget(self.judge)
        controls.addStretch(1)
        controls.addWidget(self.timing_label)
        controls.addWidget(self.refresh_button)

        self.title = named(QLabel(), "statsTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)

        self.group_boxes: dict[str, QGroupBox] = {}
        self.group_grids: dict[str, QGridLayout] = {}
        groups = QGridLayout()
        groups.setHorizontalSpacing(10)
        groups.setVerticalSpacing(10)
        for index, name in enumerate(GROUPS):
            box = QGroupBox(name)
            grid = QGridLayout(box)
            grid.setSpacing(8)
            self.group_boxes[name] = box
            self.group_grids[name] = grid
            row, column, span = ((0, 0, 2), (1, 0, 2), (2, 0, 1), (2, 1, 1))[index]
            groups.addWidget(box, row, column, 1, span)

        self.chart = QChart()
        self.chart.setTitle("每月收案与结案（点击柱形查看案件）")
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart_view = named(QChartView(self.chart), "monthlyChart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(self.fontMetrics().height() * 16)
        # The chart takes the room left under the cards, not the room it would like.
        self.chart_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.received_set: QBarSet | None = None
        self.closed_set: QBarSet | None = None

        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.title)
        body.addLayout(groups)
        body.addWidget(self.chart_view, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(controls)
        layout.addWidget(scroll, 1)

        self.preset.currentTextChanged.connect(self._preset_chosen)
        self.start_edit.dateChanged.connect(self._dates_edited)
        self.end_edit.dateChanged.connect(self._dates_edited)
        self.division.currentIndexChanged.connect(self._division_chosen)
        self.judge.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button.clicked.connect(lambda: self.refresh())
        self._allowed = allowed(ws.actor, Permission.VIEW_STATISTICS)
        if self._allowed:
            self._load_choices()
        else:
            self.title.setText("当前用户无权查看统计")

    # ------------------------------------------------------------ choices
    def _load_choices(self) -> None:
        ws = self._ws
        self._runner.run(
            lambda: (reference.divisions(ws), reference.people_with_role(ws, "judge")),
            self._fill_choices,
            self.error.emit,
        )

    def _fill_choices(self, choices: tuple[list[Division], list[Person]]) -> None:
        divisions, judges = choices
        self._judges = judges
        self.division.blockSignals(True)
        for division in divisions:
            if any(j.division_id == division.id for j in judges):
                self.division.addItem(division.name, division.id)
        self.division.blockSignals(False)
        self._fill_judges()

    def _fill_judges(self) -> None:
        division_id = self.division.currentData()
        self.judge.blockSignals(True)
        self.judge.clear()
        self.judge.addItem("全部承办人", None)
        for judge in self._judges:
            if division_id is None or judge.division_id == division_id:
                self.judge.addItem(judge.name, judge.id)
        self.judge.blockSignals(False)

    def _preset_chosen(self, name: str) -> None:
        period = preset_range(name, date.today())
        if period is None:
            return
        for edit, day in zip((self.start_edit, self.end_edit), period, strict=True):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        self.refresh()

    def _dates_edited(self) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentText("自定义")
        self.preset.blockSignals(False)
        self.refresh()

    def _division_chosen(self) -> None:
        self._fill_judges()
        self.refresh()

    def query(self) -> DashboardQuery:
        return DashboardQuery(
            start=date_of(self.start_edit),
            end=date_of(self.end_edit),
            division_id=self.division.currentData(),
            judge_id=self.judge.currentData(),
        )

    # ------------------------------------------------------------ figures
    def refresh(self) -> None:
        if not self._allowed:
            return
        self._generation += 1
        generation = self._generation
        ws, query = self._ws, self.query()
        self.timing_label.setText("正在统计…")
        self._runner.run(
            lambda: stats.dashboard(ws, query),
            lambda result: self._show(generation, result),
            self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        self.timing_label.setText("")
        self.error.emit(error)

    def _show(self, generation: int, dashboard: Dashboard) -> None:
        if generation != self._generation:
            return  # a newer question is on its way
        self.dashboard = dashboard
        q = dashboard.query
        self.title.setText(
            f"{self._ws.court_name}　{dashboard.scope_label}　{q.start.isoformat()} 至 {q.end.isoformat()}"
        )
        self.timing_label.setText(f"用时 {dashboard.milliseconds:.0f} 毫秒")
        placed: dict[str, int] = dict.fromkeys(GROUPS, 0)
        for figure in dashboard.figures:
            card = self.cards.get(figure.key)
            if card is None:
                card = FigureCard(figure.key)
                card.clicked.connect(lambda key=figure.key: self.open_figure(key))
                self.cards[figure.key] = card
            grid = self.group_grids[figure.group]
            index = placed[figure.group]
            per_row = 5 if figure.group in ("收结存", "效率") else 3
            grid.addWidget(card, index // per_row, index % per_row)
            placed[figure.group] += 1
            card.set_figure(figure)
            card.show()
        shown = {f.key for f in dashboard.figures}
        for key, card in self.cards.items():
            if key not in shown:
                card.hide()
        self._show_chart(dashboard)
        self.loaded.emit()

    def _show_chart(self, dashboard: Dashboard) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        received = QBarSet("收案")
        closed = QBarSet("结案")
        received.setColor(RECEIVED_COLOUR)
        closed.setColor(CLOSED_COLOUR)
        one_year = len({m.month[:4] for m in dashboard.months}) == 1
        labels = []
        top = 0
        for month in dashboard.months:
            received.append(month.received)
            closed.append(month.closed)
            top = max(top, month.received, month.closed)
            labels.append(f"{int(month.month[5:])}月" if one_year else month.month)
        series = QBarSeries()
        series.append(received)
        series.append(closed)
        self.chart.addSeries(series)
        x_axis = QBarCategoryAxis()
        x_axis.append(labels)
        y_axis = QValueAxis()
        y_axis.setLabelFormat("%d")
        y_axis.setRange(0, max(10, int(top * 1.1) + 1))
        y_axis.applyNiceNumbers()
        self.chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
        received.clicked.connect(lambda index: self.open_month(index, "received"))
        closed.clicked.connect(lambda index: self.open_month(index, "closed"))
        self.received_set, self.closed_set = received, closed

    # ------------------------------------------------------------ click-through
    def open_figure(self, key: str) -> None:
        if self.dashboard is None:
            return
        figure = self.dashboard.figure(key)
        scope = self.dashboard.scope_label
        self.open_cases.emit(figure.cases, f"{figure.title}，{scope}")

    def open_month(self, index: int, which: str) -> None:
        if self.dashboard is None or not 0 <= index < len(self.dashboard.months):
            return
        month = self.dashboard.months[index]
        year, number = month.month.split("-")
        label = f"{year}年{int(number)}月"
        scope = self.dashboard.scope_label
        if which == "received":
            self.open_cases.emit(month.received_cases, f"收案（{label}），{scope}")
        else:
            self.open_cases.emit(month.closed_cases, f"结案（{label}），{scope}")
