"""Dialogs for scheduling: schedule a hearing (with live conflict checks and "find a
slot"), postpone one, cancel one, and confirm a move that has conflicts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from courtdesk.errors import CourtdeskError, ValidationError
from courtdesk.services import cases, courtrooms, hearings, reference
from courtdesk.services.cases import CaseDetail
from courtdesk.services.courtrooms import Courtroom
from courtdesk.services.hearings import (
    Conflict,
    HearingDraft,
    HearingKind,
    HearingMode,
    HearingView,
    SchedulingConflictError,
    Slot,
    SlotRequest,
)
from courtdesk.services.reference import Person
from courtdesk.services.workspace import Workspace
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import fit_to_screen, named

CHECK_DELAY_MS = 250


def room_label(room: Courtroom) -> str:
    extra = [room.location, f"{room.capacity}座"]
    if room.equipment != "—":
        extra.append(room.equipment)
    if not room.active:
        extra.append("已停用")
    return f"{room.name}（{'，'.join(extra)}）"


def fill_conflicts(widget: QListWidget, conflicts: list[Conflict]) -> None:
    widget.clear()
    widget.setSpacing(3)
    widget.setAlternatingRowColors(True)
    for conflict in conflicts:
        item = QListWidgetItem(f"【{conflict.label}】{conflict.message}")
        item.setToolTip(conflict.message)
        item.setForeground(Qt.GlobalColor.darkRed)
        widget.addItem(item)


@dataclass(frozen=True)
class _Reference:
    rooms: list[Courtroom]
    judges: list[Person]
    clerks: list[Person]
    minutes: dict[HearingKind, int]
    opens: time


def _load_reference(ws: Workspace) -> _Reference:
    return _Reference(
        courtrooms.courtrooms(ws, date.today()),
        reference.people_with_role(ws, "judge"),
        reference.people_with_role(ws, "clerk"),
        hearings.default_minutes(ws),
        hearings.court_hours(ws).opens,
    )


class _TimeRow(QWidget):
    """Date, start and end of a hearing."""

    changed = Signal()

    def __init__(self, prefix: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.day = named(QDateEdit(), f"{prefix}Date")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.start = named(QTimeEdit(), f"{prefix}Start")
        self.end = named(QTimeEdit(), f"{prefix}End")
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.day)
        layout.addWidget(QLabel("自"))
        layout.addWidget(self.start)
        layout.addWidget(QLabel("至"))
        layout.addWidget(self.end)
        layout.addStretch(1)
        self.day.dateChanged.connect(self.changed)
        self.start.timeChanged.connect(self.changed)
        self.end.timeChanged.connect(self.changed)

    def set(self, start: datetime, end: datetime) -> None:
        for edit in (self.day, self.start, self.end):
            edit.blockSignals(True)
        self.day.setDate(QDate(start.year, start.month, start.day))
        self.start.setTime(QTime(start.hour, start.minute))
        self.end.setTime(QTime(end.hour, end.minute))
        for edit in (self.day, self.start, self.end):
            edit.blockSignals(False)
        self.changed.emit()

    def values(self) -> tuple[datetime, datetime]:
        day: date = self.day.date().toPython()  # type: ignore[assignment]
        start: time = self.start.time().toPython()  # type: ignore[assignment]
        end: time = self.end.time().toPython()  # type: ignore[assignment]
        return datetime.combine(day, start), datetime.combine(day, end)


class HearingDialog(QDialog):
    """排期: schedule a hearing of a case, checking conflicts as the clerk types."""

    scheduled = Signal(object)  # HearingView

    def __init__(
        self,
        ws: Workspace,
        runner: TaskRunner,
        parent: QWidget | None = None,
        case: CaseDetail | None = None,
        start: datetime | None = None,
        room_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("hearingDialog")
        self.setWindowTitle("排期")
        self._ws = ws
        self._runner = runner
        self.case: CaseDetail | None = None
        self.conflicts: list[Conflict] = []
        self.checked = False
        self._generation = 0
        self._initial_start = start
        self._initial_room = room_id
        self._ref: _Reference | None = None
        self._saving = False

        self.case_edit = named(QLineEdit(), "caseNumber")
        self.case_edit.setPlaceholderText("输入案号，例如（2026）吉0193民初1234号")
        self.find_case_button = named(QPushButton("查找"), "findCase")
        self.case_info = named(QLabel("请先输入案号"), "caseInfo")
        self.case_info.setWordWrap(True)
        self.kind = named(QComboBox(), "hearingKind")
        for kind in HearingKind:
            self.kind.addItem(kind.label, kind.value)
        self.mode = named(QComboBox(), "hearingMode")
        for mode in HearingMode:
            self.mode.addItem(mode.label, mode.value)
        self.when = _TimeRow("hearing")
        self.room = named(QComboBox(), "hearingRoom")
        self.place = named(QLineEdit(), "hearingPlace")
        self.place.setPlaceholderText("巡回审判的开庭地点，例如 北湖街道东湖村村民委员会")
        self.judge = named(QComboBox(), "hearingJudge")
        self.panel = named(QListWidget(), "hearingPanel")
        self.panel.setMaximumHeight(self.fontMetrics().height() * 5)
        self.clerk = named(QComboBox(), "hearingClerk")
        self.public = named(QCheckBox("公开开庭（列入开庭公告）"), "hearingPublic")
        self.public.setChecked(True)
        self.note = named(QLineEdit(), "hearingNote")

        form = QFormLayout()
        case_row = QHBoxLayout()
        case_row.addWidget(self.case_edit, 1)
        case_row.addWidget(self.find_case_button)
        form.addRow("案号", case_row)
        form.addRow("", self.case_info)
        form.addRow("类型", self.kind)
        form.addRow("方式", self.mode)
        form.addRow("时间", self.when)
        form.addRow("法庭", self.room)
        form.addRow("地点", self.place)
        form.addRow("审判长", self.judge)
        form.addRow("合议庭成员", self.panel)
        form.addRow("书记员", self.clerk)
        form.addRow("", self.public)
        form.addRow("备注", self.note)

        self.status = named(QLabel("正在载入…"), "checkStatus")
        self.status.setWordWrap(True)
        self.conflict_list = named(QListWidget(), "conflictList")
        self.conflict_list.setWordWrap(True)
        self.conflict_list.setMinimumHeight(self.fontMetrics().height() * 5)
        self.find_slots_button = named(QPushButton("查找空闲时间"), "findSlots")
        self.slot_list = named(QListWidget(), "slotList")
        self.slot_list.setMaximumHeight(self.fontMetrics().height() * 7)
        self.slot_list.hide()
        self.override = named(QLineEdit(), "overrideReason")
        self.override.setPlaceholderText("存在冲突时，如确需按此排期，请写明理由（记入操作记录）")
        self.override.setEnabled(False)

        checks = QGroupBox("冲突检查")
        check_layout = QVBoxLayout(checks)
        check_layout.addWidget(self.status)
        check_layout.addWidget(self.conflict_list, 1)
        self.needs_video = named(QCheckBox("法庭需有远程视频"), "slotNeedsVideo")
        slot_row = QHBoxLayout()
        slot_row.addWidget(self.find_slots_button)
        slot_row.addWidget(QLabel("审判长、书记员、合议庭和合适的法庭都空闲的时间"), 1)
        slot_row.addWidget(self.needs_video)
        check_layout.addLayout(slot_row)
        check_layout.addWidget(self.slot_list)
        override_row = QHBoxLayout()
        override_row.addWidget(QLabel("仍要排期的理由"))
        override_row.addWidget(self.override, 1)
        check_layout.addLayout(override_row)

        self.buttons = QDialogButtonBox()
        self.save_button = named(
            self.buttons.addButton("保存排期", QDialogButtonBox.ButtonRole.AcceptRole),
            "saveHearing",
        )
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.save_button.setEnabled(False)

        columns = QHBoxLayout()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addStretch(1)
        columns.addWidget(left, 1)
        columns.addWidget(checks, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.buttons)
        char = self.fontMetrics().horizontalAdvance("中")
        fit_to_screen(self, char * 80, char * 42)

        self._timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._timer.timeout.connect(self.run_check)
        self.find_case_button.clicked.connect(self.look_up_case)
        self.case_edit.returnPressed.connect(self.look_up_case)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.when.changed.connect(self._changed)
        for combo in (self.room, self.judge, self.clerk):
            combo.currentIndexChanged.connect(self._changed)
        self.panel.itemChanged.connect(self._changed)
        self.place.textChanged.connect(self._changed)
        self.override.textChanged.connect(self._update_save)
        self.find_slots_button.clicked.connect(self.find_slots)
        self.slot_list.itemClicked.connect(self._apply_slot)
        self._mode_changed()
        self._runner.run(lambda: _load_reference(ws), self._reference_loaded, self._failed)
        self._pending_case: CaseDetail | None = case
        if case is not None:
            self.case_edit.setText(case.case_number)
            self.case_edit.setReadOnly(True)
            self.find_case_button.hide()

    # ------------------------------------------------------------ loading
    def _reference_loaded(self, ref: _Reference) -> None:
        self._ref = ref
        for room in ref.rooms:
            self.room.addItem(room_label(room), room.id)
        for judge in ref.judges:
            label = f"{judge.name}（{judge.division}）" if judge.division else judge.name
            self.judge.addItem(label, judge.id)
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, judge.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.panel.addItem(item)
        self.clerk.addItem("（无）", None)
        for clerk in ref.clerks:
            label = f"{clerk.name}（{clerk.division}）" if clerk.division else clerk.name
            self.clerk.addItem(label, clerk.id)
        start = self._initial_start or _next_working_morning(ref.opens)
        self.when.set(start, start + timedelta(minutes=ref.minutes[self.current_kind()]))
        if self._initial_room is not None:
            self.room.setCurrentIndex(max(0, self.room.findData(self._initial_room)))
        if self._pending_case is not None:
            self.set_case(self._pending_case)
        else:
            self.status.setText("请先输入案号")

    def look_up_case(self) -> None:
        text = self.case_edit.text().strip()
        if not text:
            self.status.setText("请先输入案号")
            return
        ws = self._ws
        self.status.setText("正在查找案件…")
        self._runner.run(lambda: cases.find_case(ws, text), self.set_case, self._failed)

    def set_case(self, case: CaseDetail) -> None:
        self.case = case
        self.case_info.setText(
            f"{case.cause}　{case.status_label}　{case.procedure_label}\n"
            f"当事人：{'、'.join(p.name for p in case.parties)}　承办人：{case.presiding_judge or '未分配'}"
        )
        if case.presiding_judge_id is not None:
            self.judge.setCurrentIndex(max(0, self.judge.findData(case.presiding_judge_id)))
        if case.clerk_id is not None:
            self.clerk.setCurrentIndex(max(0, self.clerk.findData(case.clerk_id)))
        self.public.setChecked(not case.is_private)
        if self._initial_room is None and self._ref is not None and case.division:
            for index, room in enumerate(self._ref.rooms):
                if room.location == case.division:
                    self.room.setCurrentIndex(index)
                    break
        self._changed()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, CourtdeskError):
            self.status.setText(f"<span style='color:#b00020'>{error.message}</span>")
        else:
            self.status.setText("<span style='color:#b00020'>发生意外错误，已记录</span>")
            self._runner.unhandled.emit(error)
        self._saving = False
        self._update_save()

    # ------------------------------------------------------------ values
    def current_kind(self) -> HearingKind:
        return HearingKind(self.kind.currentData())

    def current_mode(self) -> HearingMode:
        return HearingMode(self.mode.currentData())

    def draft(self) -> HearingDraft | None:
        if self.case is None or self._ref is None:
            return None
        start, end = self.when.values()
        panel = tuple(
            int(self.panel.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.panel.count())
            if self.panel.item(i).checkState() == Qt.CheckState.Checked
        )
        mode = self.current_mode()
        return HearingDraft(
            case_id=self.case.id,
            kind=self.current_kind(),
            mode=mode,
            start=start,
            end=end,
            room_id=self.room.currentData() if mode is HearingMode.ROOM else None,
            place=self.place.text() if mode is HearingMode.OFF_SITE else "",
            judge_id=self.judge.currentData(),
            panel_ids=panel,
            clerk_id=self.clerk.currentData(),
            is_public=self.public.isChecked(),
            note=self.note.text(),
        )

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        if kind is HearingKind.CIRCUIT:
            self.mode.setCurrentIndex(self.mode.findData(HearingMode.OFF_SITE.value))
        if self._ref is not None:
            start, _ = self.when.values()
            self.when.set(start, start + timedelta(minutes=self._ref.minutes[kind]))
        self._changed()

    def _mode_changed(self) -> None:
        mode = self.current_mode()
        self.room.setEnabled(mode is HearingMode.ROOM)
        self.place.setEnabled(mode is HearingMode.OFF_SITE)
        self._changed()

    def _changed(self) -> None:
        self.checked = False
        self._generation += 1
        self.save_button.setEnabled(False)
        self._timer.start()

    # ------------------------------------------------------------ checking
    def run_check(self) -> None:
        draft = self.draft()
        if draft is None:
            return
        ws = self._ws
        generation = self._generation
        self.status.setText("正在检查冲突…")

        def done(outcome: hearings.CheckOutcome) -> None:
            if generation == self._generation:
                self._show_outcome(outcome.conflicts, outcome.summons_basis)

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self.conflict_list.clear()
                self.conflicts = []
                self._failed(error)

        self._runner.run(lambda: hearings.check_hearing(ws, draft), done, failed)

    def _show_outcome(self, conflicts: list[Conflict], basis: str = "") -> None:
        self.conflicts = conflicts
        self.checked = True
        fill_conflicts(self.conflict_list, conflicts)
        if conflicts:
            self.status.setText(
                f"<span style='color:#b00020'><b>{len(conflicts)} 项冲突</b></span>："
                "可调整时间、法庭或人员；确需按此排期请填写理由"
            )
        else:
            note = f"（传票送达：{basis}）" if basis else ""
            self.status.setText(f"<span style='color:#1b7f3b'><b>无冲突</b></span>，可以排期{note}")
        self.override.setEnabled(bool(conflicts))
        self._update_save()

    def _update_save(self) -> None:
        ready = self.checked and not self._saving
        if self.conflicts:
            ready = ready and bool(self.override.text().strip())
        self.save_button.setEnabled(ready)
        self.save_button.setText("仍然保存" if self.conflicts else "保存排期")

    # ------------------------------------------------------------ free slots
    def find_slots(self) -> None:
        draft = self.draft()
        if draft is None:
            self.status.setText("请先输入案号")
            return
        room = next(
            (r for r in (self._ref.rooms if self._ref else []) if r.id == draft.room_id), None
        )
        request = SlotRequest(
            judge_id=draft.judge_id,
            clerk_id=draft.clerk_id,
            panel_ids=draft.panel_ids,
            length=draft.end - draft.start if draft.end > draft.start else timedelta(hours=1),
            earliest=max(datetime.now(), draft.start.replace(hour=0, minute=0)),
            mode=draft.mode,
            division_id=room.division_id if room else None,
            needs_remote_video=self.needs_video.isChecked(),
            case_id=draft.case_id,
        )
        ws = self._ws
        self.slot_list.clear()
        self.slot_list.show()
        self.slot_list.addItem("正在查找…")
        self._runner.run(lambda: hearings.find_slots(ws, request), self._show_slots, self._failed)

    def _show_slots(self, slots: list[Slot]) -> None:
        self.slot_list.clear()
        if not slots:
            self.slot_list.addItem("六十天内没有大家都空闲的时间")
        for slot in slots:
            weekday = "一二三四五六日"[slot.start.weekday()]
            where = f"　{slot.room_name}" if slot.room_name else ""
            item = QListWidgetItem(
                f"{slot.start:%Y-%m-%d} 星期{weekday}　{slot.start:%H:%M}–{slot.end:%H:%M}{where}"
            )
            item.setData(Qt.ItemDataRole.UserRole, slot)
            self.slot_list.addItem(item)

    def _apply_slot(self, item: QListWidgetItem) -> None:
        slot = item.data(Qt.ItemDataRole.UserRole)
        if not isinstance(slot, Slot):
            return
        if slot.room_id is not None:
            self.room.setCurrentIndex(max(0, self.room.findData(slot.room_id)))
        self.when.set(slot.start, slot.end)

    # ------------------------------------------------------------ saving
    def save(self) -> None:
        draft = self.draft()
        if draft is None or not self.checked:
            return
        if self.conflicts and not self.override.text().strip():
            self.override.setFocus()
            return
        ws = self._ws
        reason = self.override.text().strip() if self.conflicts else ""
        self._saving = True
        self._update_save()
        self.status.setText("正在保存…")
        self._runner.run(
            lambda: hearings.schedule_hearing(ws, draft, reason), self._saved, self._save_failed
        )

    def _saved(self, view: HearingView) -> None:
        self._saving = False
        self.scheduled.emit(view)
        self.accept()

    def _save_failed(self, error: BaseException) -> None:
        self._saving = False
        if isinstance(error, SchedulingConflictError):
            # Someone booked the slot meanwhile: show the new conflicts, keep the input.
            self._show_outcome(error.conflicts)
            self.override.setFocus()
            return
        self._failed(error)


def _next_working_morning(opens: time) -> datetime:
    day = date.today() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, opens)


class ReasonDialog(QDialog):
    """A reason (required) and, for conflicts, the warnings it overrides."""

    def __init__(
        self,
        title: str,
        prompt: str,
        parent: QWidget | None = None,
        conflicts: list[Conflict] | None = None,
        object_name: str = "reasonDialog",
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        if conflicts:
            self.conflict_list = named(QListWidget(), "conflictList")
            self.conflict_list.setWordWrap(True)
            fill_conflicts(self.conflict_list, conflicts)
            layout.addWidget(self.conflict_list, 1)
        self.reason = named(QLineEdit(), "reason")
        layout.addWidget(self.reason)
        buttons = QDialogButtonBox()
        self.ok = named(
            buttons.addButton("确定", QDialogButtonBox.ButtonRole.AcceptRole), "reasonOk"
        )
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.setEnabled(False)
        self.reason.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        char = self.fontMetrics().horizontalAdvance("中")
        fit_to_screen(self, char * 50, char * (24 if conflicts else 10))


class PostponeDialog(QDialog):
    """延期: the reason, and optionally the new time (checked like any scheduling)."""

    postponed = Signal(object, object)  # the postponed hearing, the new one or None

    def __init__(
        self, ws: Workspace, runner: TaskRunner, hearing: HearingView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("postponeDialog")
        self.setWindowTitle("延期开庭")
        self._ws = ws
        self._runner = runner
        self.hearing = hearing
        self.conflicts: list[Conflict] = []
        self.checked = False
        self._generation = 0

        info = QLabel(
            f"{hearing.case_number}　{hearing.kind_label}\n"
            f"原定 {hearing.start:%Y-%m-%d %H:%M}–{hearing.end:%H:%M}　{hearing.place}"
        )
        self.reason = named(QLineEdit(), "postponeReason")
        self.reason.setPlaceholderText("例如：被告申请延期举证")
        self.new_time = named(QCheckBox("另定开庭时间（不选则“另行通知”）"), "postponeNewTime")
        self.when = _TimeRow("postpone")
        later = hearing.start + timedelta(days=14)
        self.when.set(later, later + (hearing.end - hearing.start))
        self.when.setEnabled(False)
        self.status = named(QLabel(""), "postponeStatus")
        self.status.setWordWrap(True)
        self.conflict_list = named(QListWidget(), "conflictList")
        self.conflict_list.setWordWrap(True)
        self.override = named(QLineEdit(), "overrideReason")
        self.override.setPlaceholderText("存在冲突（如延期次数已达上限）时，仍要延期的理由")
        self.override.setEnabled(False)
        buttons = QDialogButtonBox()
        self.ok = named(
            buttons.addButton("延期", QDialogButtonBox.ButtonRole.AcceptRole), "postponeOk"
        )
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("", info)
        form.addRow("延期理由", self.reason)
        form.addRow("", self.new_time)
        form.addRow("新的时间", self.when)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.conflict_list, 1)
        override_row = QHBoxLayout()
        override_row.addWidget(QLabel("仍要延期的理由"))
        override_row.addWidget(self.override, 1)
        layout.addLayout(override_row)
        layout.addWidget(buttons)
        char = self.fontMetrics().horizontalAdvance("中")
        fit_to_screen(self, char * 56, char * 34)

        self._timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._timer.timeout.connect(self.run_check)
        self.new_time.toggled.connect(self.when.setEnabled)
        self.new_time.toggled.connect(self._changed)
        self.when.changed.connect(self._changed)
        self.reason.textChanged.connect(self._update_ok)
        self.override.textChanged.connect(self._update_ok)
        self._changed()

    def times(self) -> tuple[datetime | None, datetime | None]:
        if not self.new_time.isChecked():
            return None, None
        return self.when.values()

    def _changed(self) -> None:
        self.checked = False
        self._generation += 1
        self._update_ok()
        self._timer.start()

    def run_check(self) -> None:
        ws, hearing_id = self._ws, self.hearing.id
        start, end = self.times()
        generation = self._generation
        self.status.setText("正在检查…")

        def done(outcome: hearings.CheckOutcome) -> None:
            if generation != self._generation:
                return
            self.conflicts = outcome.conflicts
            self.checked = True
            fill_conflicts(self.conflict_list, outcome.conflicts)
            self.status.setText(
                f"<span style='color:#b00020'><b>{len(outcome.conflicts)} 项冲突</b></span>"
                if outcome.conflicts
                else "<span style='color:#1b7f3b'><b>无冲突</b></span>"
            )
            self.override.setEnabled(bool(outcome.conflicts))
            self._update_ok()

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self.status.setText(f"<span style='color:#b00020'>{_message(error)}</span>")
                if not isinstance(error, CourtdeskError):
                    self._runner.unhandled.emit(error)

        self._runner.run(
            lambda: hearings.check_postponement(ws, hearing_id, start, end), done, failed
        )

    def _update_ok(self) -> None:
        ready = self.checked and bool(self.reason.text().strip())
        if self.conflicts:
            ready = ready and bool(self.override.text().strip())
        self.ok.setEnabled(ready)

    def save(self) -> None:
        if not self.ok.isEnabled():
            return
        ws, hearing = self._ws, self.hearing
        start, end = self.times()
        reason = self.reason.text().strip()
        override = self.override.text().strip() if self.conflicts else ""
        self.ok.setEnabled(False)

        def done(result: tuple[HearingView, HearingView | None]) -> None:
            self.postponed.emit(*result)
            self.accept()

        def failed(error: BaseException) -> None:
            if isinstance(error, SchedulingConflictError):
                self.conflicts = error.conflicts
                fill_conflicts(self.conflict_list, error.conflicts)
                self.override.setEnabled(True)
            self.status.setText(f"<span style='color:#b00020'>{_message(error)}</span>")
            self._update_ok()
            if not isinstance(error, CourtdeskError):
                self._runner.unhandled.emit(error)

        self._runner.run(
            lambda: hearings.postpone_hearing(
                ws, hearing.id, hearing.version, reason, start, end, override_reason=override
            ),
            done,
            failed,
        )


def _message(error: BaseException) -> str:
    if isinstance(error, ValidationError | CourtdeskError):
        return error.message
    return f"发生意外错误：{error!r}"
