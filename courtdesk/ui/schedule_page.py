"""The 排期 page: today's hearings first, and the day or week calendar by room or judge.

Drag a hearing to move it (checked like any scheduling; conflicts ask for a
reason), select one to postpone or cancel it, open the cause lists and the
courtroom list from the toolbar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from courtdesk.services import courtrooms, hearings, reference
from courtdesk.services.hearings import HearingKind, HearingView, SchedulingConflictError
from courtdesk.services.permissions import Permission, allowed
from courtdesk.services.workspace import Workspace
from courtdesk.ui.calendar_grid import KIND_BORDERS, KIND_COLOURS, NO_ROOM, CalendarGrid, Resource
from courtdesk.ui.calendar_grid import tooltip as hearing_tooltip
from courtdesk.ui.cause_list_dialog import CauseListDialog
from courtdesk.ui.courtrooms_dialog import CourtroomsDialog
from courtdesk.ui.hearing_dialogs import HearingDialog, PostponeDialog, ReasonDialog
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import named


@dataclass(frozen=True)
class _Loaded:
    view: str
    group: str
    days: list[date]
    resources: list[Resource]
    hearings: list[HearingView]
    today: list[HearingView]
    opens: time
    closes: time


def _load(ws: Workspace, view: str, group: str, anchor: date, today: date) -> _Loaded:
    """Everything one calendar screen shows, in one background call."""
    if view == "day":
        days = [anchor]
    else:
        monday = anchor - timedelta(days=anchor.weekday())
        days = [monday + timedelta(days=n) for n in range(7)]
    shown = hearings.hearings_between(ws, days[0], days[-1])
    todays = shown if days == [today] else hearings.hearings_between(ws, today, today)
    hours = hearings.court_hours(ws)
    resources: list[Resource] = []
    if group == "room":
        for room in courtrooms.courtrooms(ws, days[0]):
            closed = next((c for d in days if (c := room.closed_on(d))), None)
            if not room.active:
                detail = "已停用"
            elif closed is not None:
                detail = f"停用：{closed.reason or '—'}"
            else:
                detail = f"{room.location}·{room.capacity}座"
            resources.append(Resource(room.id, room.name, detail))
        resources.append(Resource(NO_ROOM, "在线 / 巡回", "无需法庭"))
    else:
        sitting = {i for h in shown for i in (h.judge_id, *(p for p, _ in h.panel)) if i}
        for judge in reference.people_with_role(ws, "judge"):
            if judge.id in sitting:
                resources.append(Resource(judge.id, judge.name, judge.division))
    return _Loaded(view, group, days, resources, shown, todays, hours.opens, hours.closes)


class SchedulePage(QWidget):
    error = Signal(object)
    message = Signal(str)
    changed = Signal()  # hearings were scheduled, moved, postponed or cancelled

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._runner = runner
        self._generation = 0
        self.loaded: _Loaded | None = None
        self.can_schedule = allowed(ws.actor, Permission.SCHEDULE_HEARING)

        self.previous = named(QToolButton(), "previousPeriod")
        self.previous.setText("◀")
        self.next = named(QToolButton(), "nextPeriod")
        self.next.setText("▶")
        self.date_edit = named(QDateEdit(), "calendarDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd dddd")
        self.date_edit.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        today = date.today()
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.today_button = named(QPushButton("今天"), "todayButton")
        self.day_button = named(QPushButton("日"), "dayView")
        self.week_button = named(QPushButton("周"), "weekView")
        self.room_button = named(QPushButton("按法庭"), "byRoom")
        self.judge_button = named(QPushButton("按法官"), "byJudge")
        for group_buttons in (
            (self.day_button, self.week_button),
            (self.room_button, self.judge_button),
        ):
            box = QButtonGroup(self)
            box.setExclusive(True)
            for button in group_buttons:
                button.setCheckable(True)
                box.addButton(button)
            group_buttons[0].setChecked(True)
        self.new_button = named(QPushButton("新排期…"), "newHearing")
        self.postpone_button = named(QPushButton("延期…"), "postponeHearing")
        self.cancel_button = named(QPushButton("取消开庭…"), "cancelHearing")
        self.cause_list_button = named(QPushButton("开庭排期表与公告…"), "causeLists")
        self.rooms_button = named(QPushButton("法庭管理…"), "manageRooms")
        self.new_button.setEnabled(self.can_schedule)
        self.postpone_button.setEnabled(False)
        self.cancel_button.setEnabled(False)

        toolbar = QHBoxLayout()
        for widget in (self.previous, self.date_edit, self.next, self.today_button):
            toolbar.addWidget(widget)
        toolbar.addSpacing(12)
        toolbar.addWidget(self.day_button)
        toolbar.addWidget(self.week_button)
        toolbar.addSpacing(6)
        toolbar.addWidget(self.room_button)
        toolbar.addWidget(self.judge_button)
        self.range_label = named(QLabel(""), "rangeLabel")
        toolbar.addStretch(1)
        toolbar.addWidget(self.range_label)

        # The colours' legend shares its row with the actions: on one row with the
        # navigation they made the page wider than a 1366 × 768 laptop at 125 %.
        legend = QHBoxLayout()
        for kind in HearingKind:
            swatch = QLabel(kind.label)
            swatch.setStyleSheet(
                f"background:{KIND_COLOURS[kind]};border:1px solid {KIND_BORDERS[kind]};"
                "padding:1px 8px;border-radius:3px"
            )
            legend.addWidget(swatch)
        legend.addStretch(1)
        for widget in (
            self.new_button,
            self.postpone_button,
            self.cancel_button,
            self.cause_list_button,
            self.rooms_button,
        ):
            legend.addWidget(widget)

        self.today_title = named(QLabel("今日开庭"), "todayTitle")
        font = self.today_title.font()
        font.setBold(True)
        self.today_title.setFont(font)
        self.today_list = named(QListWidget(), "todayList")
        self.today_list.setWordWrap(True)
        self.details = named(QLabel("选择一次开庭以查看详情"), "hearingDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setFrameShape(QFrame.Shape.StyledPanel)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setMargin(6)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.today_title)
        side_layout.addWidget(self.today_list, 3)
        side_layout.addWidget(self.details, 2)

        self.grid = CalendarGrid()
        self.calendar_scroll = named(QScrollArea(), "calendarScroll")
        self.calendar_scroll.setWidget(self.grid)
        self.calendar_scroll.setWidgetResizable(True)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(side)
        splitter.addWidget(self.calendar_scroll)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        splitter.setChildrenCollapsible(False)
        char = self.fontMetrics().horizontalAdvance("中")
        side.setMinimumWidth(char * 16)
        splitter.setSizes([char * 18, char * 90])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(toolbar)
        layout.addLayout(legend)
        layout.addWidget(splitter, 1)

        self.previous.clicked.connect(lambda: self._step(-1))
        self.next.clicked.connect(lambda: self._step(1))
        self.today_button.clicked.connect(self.go_today)
        self.date_edit.dateChanged.connect(self.refresh)
        for button in (self.day_button, self.week_button, self.room_button, self.judge_button):
            button.toggled.connect(self._toggled)
        self.new_button.clicked.connect(lambda: self.open_schedule_dialog())
        self.postpone_button.clicked.connect(self.postpone_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.cause_list_button.clicked.connect(self.open_cause_lists)
        self.rooms_button.clicked.connect(self.open_courtrooms)
        self.grid.hearing_selected.connect(self.select)
        self.grid.hearing_activated.connect(self.select)
        self.grid.move_requested.connect(self.move_hearing)
        self.today_list.itemClicked.connect(
            lambda item: self.select(item.data(Qt.ItemDataRole.UserRole))
        )

    # ------------------------------------------------------------ state
    @property
    def view(self) -> str:
        return "day" if self.day_button.isChecked() else "week"

    @property
    def group(self) -> str:
        return "room" if self.room_button.isChecked() else "judge"

    @property
    def anchor(self) -> date:
        value: date = self.date_edit.date().toPython()  # type: ignore[assignment]
        return value

    def show_day(self, day: date) -> None:
        self.date_edit.setDate(QDate(day.year, day.month, day.day))

    def go_today(self) -> None:
        today = date.today()
        if self.anchor == today:
            self.refresh()
        else:
            self.show_day(today)

    def _step(self, direction: int) -> None:
        self.show_day(self.anchor + timedelta(days=direction * (1 if self.view == "day" else 7)))

    def _toggled(self, on: bool) -> None:
        if on:
            self.refresh()

    # ------------------------------------------------------------ loading
    def refresh(self) -> None:
        ws, view, group, anchor = self._ws, self.view, self.group, self.anchor
        self._generation += 1
        generation = self._generation
        self.range_label.setText("正在载入…")

        def done(loaded: _Loaded) -> None:
            if generation == self._generation:
                self._show(loaded)

        self._runner.run(
            lambda: _load(ws, view, group, anchor, date.today()), done, self.error.emit
        )

    @property
    def is_loading(self) -> bool:
        return self.range_label.text() == "正在载入…"

    def _show(self, loaded: _Loaded) -> None:
        self.loaded = loaded
        self.grid.set_schedule(
            view=loaded.view,
            group=loaded.group,
            days=loaded.days,
            resources=loaded.resources,
            hearings=loaded.hearings,
            opens=loaded.opens,
            closes=loaded.closes,
            today=date.today(),
        )
        first, last = loaded.days[0], loaded.days[-1]
        period = f"{first:%Y-%m-%d}" if first == last else f"{first:%m-%d} 至 {last:%m-%d}"
        self.range_label.setText(f"{period}　共 {len(loaded.hearings)} 次开庭")
        self.today_title.setText(f"今日开庭（{len(loaded.today)}）")
        self.today_list.clear()
        if not loaded.today:
            self.today_list.addItem("今天没有开庭")
        for hearing in loaded.today:
            item = QListWidgetItem(
                f"{hearing.start:%H:%M}–{hearing.end:%H:%M}　{hearing.place}\n"
                f"{hearing.kind_label}　{hearing.case_number}\n{hearing.parties_summary}"
            )
            item.setData(Qt.ItemDataRole.UserRole, hearing)
            item.setToolTip(hearing_tooltip(hearing))
            item.setBackground(Qt.GlobalColor.white)
            self.today_list.addItem(item)
        if self.grid.selected is not None:
            self.select(self.grid.selected)
        else:
            self.select(None)

    def select(self, hearing: HearingView | None) -> None:
        self.grid.selected = hearing
        self.grid.update()
        editable = (
            hearing is not None and self.can_schedule and hearing.start.date() >= date.today()
        )
        self.postpone_button.setEnabled(editable)
        self.cancel_button.setEnabled(editable)
        if hearing is None:
            self.details.setText("选择一次开庭以查看详情")
            return
        self.details.setText(hearing_tooltip(hearing))

    # ------------------------------------------------------------ actions
    def open_schedule_dialog(self, case: object = None) -> HearingDialog:
        from courtdesk.services.cases import CaseDetail

        dialog = HearingDialog(
            self._ws,
            self._runner,
            self,
            case=case if isinstance(case, CaseDetail) else None,
        )
        dialog.scheduled.connect(self._scheduled)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _scheduled(self, hearing: HearingView) -> None:
        self.message.emit(
            f"已排期：{hearing.case_number} {hearing.start:%m月%d日 %H:%M} {hearing.place}"
        )
        self.changed.emit()
        if self.anchor != hearing.start.date():
            self.show_day(hearing.start.date())
        else:
            self.refresh()

    def move_hearing(
        self,
        hearing: HearingView,
        start: datetime,
        end: datetime,
        room_id: int | None,
        reason: str = "",
    ) -> None:
        """Move by drag: saved at once when there is no conflict, else after a reason."""
        ws = self._ws

        def done(moved: HearingView) -> None:
            self.message.emit(
                f"已改期：{moved.case_number} 改至 {moved.start:%m月%d日 %H:%M} {moved.place}"
            )
            self.grid.selected = moved
            self.changed.emit()
            self.refresh()

        def failed(error: BaseException) -> None:
            if isinstance(error, SchedulingConflictError):
                dialog = ReasonDialog(
                    "改期存在冲突",
                    f"将 {hearing.case_number} 的{hearing.kind_label}改至 "
                    f"{start:%Y-%m-%d %H:%M} 有以下冲突。如确需改期，请填写理由：",
                    self,
                    error.conflicts,
                    "moveConflictDialog",
                )
                dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                dialog.accepted.connect(
                    lambda: self.move_hearing(hearing, start, end, room_id, dialog.reason.text())
                )
                dialog.open()
                self.refresh()
            else:
                self.error.emit(error)
                self.refresh()

        self._runner.run(
            lambda: hearings.move_hearing(
                ws, hearing.id, hearing.version, start, end, room_id=room_id, override_reason=reason
            ),
            done,
            failed,
        )

    def postpone_selected(self) -> PostponeDialog | None:
        hearing = self.grid.selected
        if hearing is None:
            return None
        dialog = PostponeDialog(self._ws, self._runner, hearing, self)
        dialog.postponed.connect(self._postponed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _postponed(self, old: HearingView, new: HearingView | None) -> None:
        after = f"，改至 {new.start:%m月%d日 %H:%M}" if new else "，另行通知"
        self.message.emit(f"已延期：{old.case_number}{after}")
        self.grid.selected = new
        self.changed.emit()
        self.refresh()

    def cancel_selected(self) -> ReasonDialog | None:
        hearing = self.grid.selected
        if hearing is None:
            return None
        dialog = ReasonDialog(
            "取消开庭",
            f"取消 {hearing.case_number} {hearing.start:%Y-%m-%d %H:%M} 的{hearing.kind_label}。"
            "取消后保留在案件的开庭记录中。请填写取消理由：",
            self,
            object_name="cancelDialog",
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._cancel(hearing, dialog.reason.text()))
        dialog.open()
        return dialog

    def _cancel(self, hearing: HearingView, reason: str) -> None:
        ws = self._ws

        def done(view: HearingView) -> None:
            self.message.emit(f"已取消开庭：{view.case_number} {view.start:%m月%d日 %H:%M}")
            self.grid.selected = None
            self.changed.emit()
            self.refresh()

        self._runner.run(
            lambda: hearings.cancel_hearing(ws, hearing.id, hearing.version, reason),
            done,
            self.error.emit,
        )

    def open_cause_lists(self) -> CauseListDialog:
        dialog = CauseListDialog(self._ws, self._runner, self.anchor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_courtrooms(self) -> QDialog:
        dialog = CourtroomsDialog(self._ws, self._runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self.refresh())
        dialog.open()
        return dialog
