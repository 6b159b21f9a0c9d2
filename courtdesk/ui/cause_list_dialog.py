"""Cause lists on screen: 开庭排期表 (one day, the court or one room) and 开庭公告
(public hearings of the coming days). The printable PDFs come from the notices
engine, which takes the same ``CauseList`` data."""

from __future__ import annotations

import html
from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from courtdesk.domain.dates import chinese_date
from courtdesk.services import courtrooms, hearings
from courtdesk.services.courtrooms import Courtroom
from courtdesk.services.hearings import CauseList
from courtdesk.services.workspace import Workspace
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import fit_to_screen, named

WEEKDAYS = "一二三四五六日"


def cause_list_html(listing: CauseList) -> str:
    """The list as the court posts it: title, then one row per hearing in time order."""
    e = html.escape
    announcement = listing.title == "开庭公告"
    where = f"（{e(listing.room)}）" if listing.room else ""
    first = listing.first_day
    if listing.first_day == listing.last_day:
        period = f"{first.year}年{first.month}月{first.day}日 星期{WEEKDAYS[first.weekday()]}"
    else:
        last = listing.last_day
        period = f"{first.year}年{first.month}月{first.day}日至{last.month}月{last.day}日"
    parts = [
        f"<h2 style='text-align:center;margin:4px'>{e(listing.court_name)}</h2>",
        f"<h3 style='text-align:center;margin:2px'>{e(listing.title)}{where}</h3>",
        f"<p style='text-align:center;color:#444'>{period}</p>",
    ]
    if announcement:
        parts.append(
            "<p>依照《中华人民共和国民事诉讼法》第一百三十九条的规定，本院定于下列时间公开开庭审理"
            "以下案件，欢迎旁听（旁听人员请携带身份证件，提前十五分钟到场）：</p>"
        )
        headers = ["开庭时间", "地点", "案号", "案由", "当事人", "审判长"]
    else:
        headers = [
            "时间",
            "法庭/地点",
            "案号",
            "案由",
            "当事人",
            "类型",
            "审判长",
            "合议庭成员",
            "书记员",
        ]
    head = "".join(f"<th style='background:#eef1f5;padding:4px'>{h}</th>" for h in headers)
    rows = []
    for entry in listing.entries:
        when = (
            f"{entry.start.month}月{entry.start.day}日 {entry.start:%H:%M}"
            if announcement
            else f"{entry.start:%H:%M}–{entry.end:%H:%M}"
        )
        cells = [when, entry.place, entry.case_number, entry.cause, entry.parties]
        if announcement:
            cells.append(entry.judge)
        else:
            cells += [entry.kind, entry.judge, entry.panel or "—", entry.clerk or "—"]
        rows.append(
            "<tr>" + "".join(f"<td style='padding:3px 4px'>{e(c)}</td>" for c in cells) + "</tr>"
        )
    if not rows:
        rows.append(
            f"<tr><td colspan='{len(headers)}' style='padding:8px;color:#666'>（无）</td></tr>"
        )
    parts.append(
        "<table border='1' cellspacing='0' style='border-collapse:collapse;border-color:#b8bec7'"
        f" width='100%'><tr>{head}</tr>{''.join(rows)}</table>"
    )
    if announcement:
        parts.append(
            "<p>特此公告。</p>"
            f"<p style='text-align:right'>{e(listing.court_name)}<br>{chinese_date(date.today())}</p>"
        )
    else:
        parts.append(f"<p style='color:#444'>共 {len(listing.entries)} 次开庭。</p>")
    return "".join(parts)


class CauseListDialog(QDialog):
    def __init__(
        self, ws: Workspace, runner: TaskRunner, day: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("causeListDialog")
        self.setWindowTitle("开庭排期表与开庭公告")
        self._ws = ws
        self._runner = runner
        self._generation = 0
        self.listing: CauseList | None = None
        self.kind = named(QComboBox(), "causeListKind")
        self.kind.addItem("开庭排期表", "list")
        self.kind.addItem("开庭公告", "announcement")
        self.day = named(QDateEdit(), "causeListDate")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setDate(QDate(day.year, day.month, day.day))
        self.room = named(QComboBox(), "causeListRoom")
        self.room.addItem("全院", None)
        self.days = named(QSpinBox(), "announcementDays")
        self.days.setRange(1, 31)
        self.days.setValue(7)
        self.days.setSuffix(" 天")
        self.view = named(QTextBrowser(), "causeListView")
        controls = QHBoxLayout()
        for label, widget in (
            ("", self.kind),
            ("日期", self.day),
            ("法庭", self.room),
            ("公告天数", self.days),
        ):
            if label:
                controls.addWidget(QLabel(label))
            controls.addWidget(widget)
        controls.addStretch(1)
        buttons = QDialogButtonBox()
        # The printable list comes from the notices engine (A4 横向, the court's template).
        self.print_button = named(
            buttons.addButton("打印或存为 PDF(&P)…", QDialogButtonBox.ButtonRole.ActionRole),
            "causeListPrint",
        )
        self.print_button.clicked.connect(self.open_printable)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        char = self.fontMetrics().horizontalAdvance("中")
        fit_to_screen(self, char * 78, char * 46)
        self.kind.currentIndexChanged.connect(self.refresh)
        self.day.dateChanged.connect(self.refresh)
        self.room.currentIndexChanged.connect(self.refresh)
        self.days.valueChanged.connect(self.refresh)
        runner.run(lambda: courtrooms.courtrooms(ws), self._rooms_loaded, self._failed)
        self.refresh()

    def open_printable(self) -> QDialog:
        """The day's 开庭排期表 (of the chosen room) in the notice dialog: preview, print, save."""
        from courtdesk.ui.notice_dialog import open_notice_dialog

        day: date = self.day.date().toPython()  # type: ignore[assignment]
        return open_notice_dialog(
            self._ws,
            self._runner,
            [],
            "",
            self,
            kind="cause_list",
            day=day,
            room_id=self.room.currentData(),
        )

    def _rooms_loaded(self, rooms: list[Courtroom]) -> None:
        self.room.blockSignals(True)
        for room in rooms:
            self.room.addItem(room.name, room.id)
        self.room.blockSignals(False)

    def refresh(self) -> None:
        ws = self._ws
        day: date = self.day.date().toPython()  # type: ignore[assignment]
        announcement = self.kind.currentData() == "announcement"
        self.room.setEnabled(not announcement)
        # 开庭公告 are printed case by case (文书 tab of the case); the list prints as 排期表
        self.print_button.setEnabled(not announcement)
        self.days.setEnabled(announcement)
        room_id = self.room.currentData()
        days = self.days.value()
        self._generation += 1
        generation = self._generation

        def load() -> CauseList:
            if announcement:
                return hearings.announcement(ws, day, day + timedelta(days=days - 1))
            return hearings.cause_list(ws, day, room_id)

        def done(listing: CauseList) -> None:
            if generation == self._generation:
                self.listing = listing
                self.view.setHtml(cause_list_html(listing))

        self._runner.run(load, done, self._failed)

    def _failed(self, error: BaseException) -> None:
        self.view.setPlainText(getattr(error, "message", repr(error)))
        self._runner.unhandled.emit(error)
