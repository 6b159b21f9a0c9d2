"""法庭管理: the courtrooms (location, seats, equipment, in use or closed for a period),
and the scheduling settings (court hours, default lengths, assumed service days)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from courtdesk.errors import CourtdeskError
from courtdesk.services import courtrooms, hearings, reference, settings
from courtdesk.services.courtrooms import Courtroom, CourtroomDraft
from courtdesk.services.hearings import HearingKind
from courtdesk.services.permissions import Permission, allowed
from courtdesk.services.reference import Division
from courtdesk.services.workspace import Workspace
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import fit_to_screen, named

COLUMNS = ("名称", "所在地", "座位", "设备", "状态")


@dataclass(frozen=True)
class _Loaded:
    rooms: list[Courtroom]
    tribunals: list[Division]
    values: dict[str, str]


def _load(ws: Workspace) -> _Loaded:
    keys = [hearings.COURT_HOURS.key, hearings.ASSUMED_SERVICE_DAYS.key]
    keys += [s.key for s in hearings.LENGTH_SETTINGS.values()]
    return _Loaded(
        courtrooms.courtrooms(ws, date.today()),
        [d for d in reference.divisions(ws) if d.is_tribunal],
        {key: settings.get(ws, key) for key in keys},
    )


class CourtroomsDialog(QDialog):
    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("courtroomsDialog")
        self.setWindowTitle("法庭管理")
        self._ws = ws
        self._runner = runner
        self.rooms: list[Courtroom] = []
        self.can_edit = allowed(ws.actor, Permission.MANAGE_COURTROOMS)
        self.can_configure = allowed(ws.actor, Permission.MANAGE_COURT)

        self.table = named(QTableWidget(0, len(COLUMNS)), "courtroomTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.name = named(QLineEdit(), "roomName")
        self.location = named(QComboBox(), "roomLocation")
        self.capacity = named(QSpinBox(), "roomCapacity")
        self.capacity.setRange(0, courtrooms.MAX_CAPACITY)
        self.recording = named(QCheckBox("录音录像（科技法庭）"), "roomRecording")
        self.video = named(QCheckBox("远程视频"), "roomVideo")
        self.active = named(QCheckBox("在用"), "roomActive")
        self.note = named(QLineEdit(), "roomNote")
        self.add_button = named(QPushButton("新增法庭"), "addRoom")
        self.save_button = named(QPushButton("保存修改"), "saveRoom")
        self.status = named(QLabel(""), "roomStatus")
        self.status.setWordWrap(True)
        editor = QGroupBox("法庭")
        form = QFormLayout(editor)
        form.addRow("名称", self.name)
        form.addRow("所在地", self.location)
        form.addRow("座位数", self.capacity)
        equipment = QHBoxLayout()
        equipment.addWidget(self.recording)
        equipment.addWidget(self.video)
        equipment.addWidget(self.active)
        form.addRow("设备与状态", equipment)
        form.addRow("备注", self.note)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.add_button)
        row.addStretch(1)
        form.addRow("", row)

        self.closures = named(QListWidget(), "closureList")
        self.closure_first = named(QDateEdit(), "closureFirst")
        self.closure_last = named(QDateEdit(), "closureLast")
        today = date.today()
        for edit, day in (
            (self.closure_first, today),
            (self.closure_last, today + timedelta(days=6)),
        ):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate(day.year, day.month, day.day))
        self.closure_reason = named(QLineEdit(), "closureReason")
        self.closure_reason.setPlaceholderText("停用原因，例如 设备检修")
        self.add_closure = named(QPushButton("停用此期间"), "addClosure")
        self.remove_closure = named(QPushButton("撤销所选停用"), "removeClosure")
        closure_box = QGroupBox("停用期间")
        closure_layout = QVBoxLayout(closure_box)
        closure_layout.addWidget(self.closures)
        closure_row = QHBoxLayout()
        closure_row.addWidget(self.closure_first)
        closure_row.addWidget(QLabel("至"))
        closure_row.addWidget(self.closure_last)
        closure_row.addWidget(self.closure_reason, 1)
        closure_row.addWidget(self.add_closure)
        closure_layout.addLayout(closure_row)
        closure_layout.addWidget(self.remove_closure, 0, Qt.AlignmentFlag.AlignRight)

        rooms_tab = QWidget()
        rooms_layout = QVBoxLayout(rooms_tab)
        rooms_layout.addWidget(self.table, 2)
        lower = QHBoxLayout()
        lower.addWidget(editor, 1)
        lower.addWidget(closure_box, 1)
        rooms_layout.addLayout(lower, 1)
        rooms_layout.addWidget(self.status)

        self.hours = named(QLineEdit(), "courtHours")
        self.service_days = named(QSpinBox(), "assumedServiceDays")
        self.service_days.setRange(0, 30)
        self.service_days.setSuffix(" 日")
        self.minutes: dict[HearingKind, QSpinBox] = {}
        settings_tab = QWidget()
        settings_form = QFormLayout(settings_tab)
        settings_form.addRow(hearings.COURT_HOURS.label, self.hours)
        for kind, setting in hearings.LENGTH_SETTINGS.items():
            spin = named(QSpinBox(), f"minutes_{kind.value}")
            spin.setRange(10, 600)
            spin.setSingleStep(15)
            spin.setSuffix(" 分钟")
            self.minutes[kind] = spin
            settings_form.addRow(setting.label.replace("（分钟）", ""), spin)
        settings_form.addRow(hearings.ASSUMED_SERVICE_DAYS.label, self.service_days)
        hint = QLabel(hearings.ASSUMED_SERVICE_DAYS.help)
        hint.setWordWrap(True)
        settings_form.addRow("", hint)
        self.save_settings = named(QPushButton("保存设置"), "saveScheduleSettings")
        self.settings_status = named(QLabel(""), "settingsStatus")
        settings_form.addRow(self.save_settings, self.settings_status)
        if not self.can_configure:
            self.settings_status.setText("只有系统管理员可以修改这些设置")
            for widget in (
                self.hours,
                self.service_days,
                self.save_settings,
                *self.minutes.values(),
            ):
                widget.setEnabled(False)

        tabs = QTabWidget()
        tabs.addTab(rooms_tab, "法庭")
        tabs.addTab(settings_tab, "开庭时段与默认时长")
        buttons = QDialogButtonBox()
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)
        char = self.fontMetrics().horizontalAdvance("中")
        fit_to_screen(self, char * 72, char * 44)

        for widget in (self.add_button, self.save_button, self.add_closure, self.remove_closure):
            widget.setEnabled(self.can_edit)
        if not self.can_edit:
            self.status.setText("只有系统管理员和庭长可以修改法庭")
        self.table.itemSelectionChanged.connect(self._selected)
        self.add_button.clicked.connect(self.add_room)
        self.save_button.clicked.connect(self.save_room)
        self.add_closure.clicked.connect(self.close_room)
        self.remove_closure.clicked.connect(self.reopen)
        self.save_settings.clicked.connect(self.store_settings)
        self.reload()

    # ------------------------------------------------------------ loading
    def reload(self, select: int | None = None) -> None:
        ws = self._ws
        self._runner.run(lambda: _load(ws), lambda loaded: self._show(loaded, select), self._failed)

    def _show(self, loaded: _Loaded, select: int | None) -> None:
        current = select if select is not None else (self.current.id if self.current else None)
        self.rooms = loaded.rooms
        self.location.clear()
        self.location.addItem("院本部", None)
        for tribunal in loaded.tribunals:
            self.location.addItem(tribunal.name, tribunal.id)
        self.table.setRowCount(len(self.rooms))
        for row, room in enumerate(self.rooms):
            state = "在用" if room.active else "已停用"
            closed = room.closed_on(date.today())
            if closed is not None:
                state = f"停用至 {closed.last_day:%m-%d}"
            elif room.closures:
                state += f"（{room.closures[0].first_day:%m-%d} 起停用）"
            for column, text in enumerate(
                (room.name, room.location, str(room.capacity), room.equipment, state)
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.hours.setText(loaded.values[hearings.COURT_HOURS.key])
        self.service_days.setValue(int(loaded.values[hearings.ASSUMED_SERVICE_DAYS.key]))
        for kind, setting in hearings.LENGTH_SETTINGS.items():
            self.minutes[kind].setValue(int(loaded.values[setting.key]))
        index = next((i for i, r in enumerate(self.rooms) if r.id == current), 0)
        if self.rooms:
            self.table.selectRow(index)

    @property
    def current(self) -> Courtroom | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.rooms):
            return None
        return self.rooms[rows[0].row()]

    def _selected(self) -> None:
        room = self.current
        if room is None:
            return
        self.name.setText(room.name)
        self.location.setCurrentIndex(max(0, self.location.findData(room.division_id)))
        self.capacity.setValue(room.capacity)
        self.recording.setChecked(room.has_recording)
        self.video.setChecked(room.has_remote_video)
        self.active.setChecked(room.active)
        self.note.setText(room.note)
        self.closures.clear()
        for closure in room.closures:
            item = QListWidgetItem(closure.label)
            item.setData(Qt.ItemDataRole.UserRole, closure.id)
            self.closures.addItem(item)
        if not room.closures:
            self.closures.addItem("（今后没有停用安排）")

    def _draft(self) -> CourtroomDraft:
        return CourtroomDraft(
            self.name.text(),
            self.location.currentData(),
            self.capacity.value(),
            self.recording.isChecked(),
            self.video.isChecked(),
            self.active.isChecked(),
            self.note.text(),
        )

    # ------------------------------------------------------------ changes
    def _run(self, fn: object, done_text: str, select: int | None = None) -> None:
        def done(result: object) -> None:
            self.status.setText(f"<span style='color:#1b7f3b'>{done_text}</span>")
            self.reload(result if isinstance(result, int) and select is None else select)

        self._runner.run(fn, done, self._failed)  # type: ignore[arg-type]

    def add_room(self) -> None:
        ws, draft = self._ws, self._draft()
        self._run(
            lambda: courtrooms.add_courtroom(ws, draft), f"已新增法庭「{draft.name.strip()}」"
        )

    def save_room(self) -> None:
        room = self.current
        if room is None:
            return
        ws, draft = self._ws, self._draft()
        self._run(
            lambda: courtrooms.update_courtroom(ws, room.id, room.version, draft),
            f"已保存法庭「{draft.name.strip()}」",
            room.id,
        )

    def close_room(self) -> None:
        room = self.current
        if room is None:
            return
        ws = self._ws
        first: date = self.closure_first.date().toPython()  # type: ignore[assignment]
        last: date = self.closure_last.date().toPython()  # type: ignore[assignment]
        reason = self.closure_reason.text()
        self._run(
            lambda: courtrooms.close_courtroom(ws, room.id, first, last, reason),
            f"{room.name}将于 {first.isoformat()} 至 {last.isoformat()} 停用",
            room.id,
        )

    def reopen(self) -> None:
        room = self.current
        item = self.closures.currentItem()
        closure_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        if room is None or closure_id is None:
            self.status.setText("请先在停用期间中选择一项")
            return
        ws = self._ws
        self._run(lambda: courtrooms.remove_closure(ws, int(closure_id)), "已撤销停用", room.id)

    def store_settings(self) -> None:
        ws = self._ws
        values = {
            hearings.COURT_HOURS.key: self.hours.text(),
            hearings.ASSUMED_SERVICE_DAYS.key: str(self.service_days.value()),
        }
        for kind, setting in hearings.LENGTH_SETTINGS.items():
            values[setting.key] = str(self.minutes[kind].value())

        def save() -> None:
            # Checked all first, so a bad value stores none of them.
            for key, value in values.items():
                settings.validate(key, value)
            for key, value in values.items():
                settings.put(ws, key, value)

        def done(_result: object) -> None:
            self.settings_status.setText("<span style='color:#1b7f3b'>已保存</span>")

        def failed(error: BaseException) -> None:
            self.settings_status.setText(
                f"<span style='color:#b00020'>{getattr(error, 'message', error)}</span>"
            )
            if not isinstance(error, CourtdeskError):
                self._runner.unhandled.emit(error)

        self._runner.run(save, done, failed)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, CourtdeskError):
            self.status.setText(f"<span style='color:#b00020'>{error.message}</span>")
        else:
            self._runner.unhandled.emit(error)
