"""The hearing calendar: a day grid (time down, rooms or judges across) and a week grid
(rooms or judges down, days across), painted by hand so a hearing can be dragged.

Dropping a hearing asks for a move (``move_requested``); the page checks it with the
same rules as scheduling and saves it, so the grid itself never changes data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from courtdesk.services.hearings import HearingKind, HearingMode, HearingView

# Colour by hearing type (fill, text); light enough to read black text on.
KIND_COLOURS: dict[HearingKind, str] = {
    HearingKind.TRIAL: "#cfe2ff",
    HearingKind.MEDIATION: "#d1f0d6",
    HearingKind.HEARING: "#ffe3c2",
    HearingKind.INQUIRY: "#e6dcfa",
    HearingKind.PRONOUNCEMENT: "#f8d3d6",
    HearingKind.CIRCUIT: "#e8e0c8",
}
KIND_BORDERS: dict[HearingKind, str] = {
    HearingKind.TRIAL: "#3d7bd9",
    HearingKind.MEDIATION: "#2f9e4f",
    HearingKind.HEARING: "#d98a1f",
    HearingKind.INQUIRY: "#7a5cc7",
    HearingKind.PRONOUNCEMENT: "#c8414f",
    HearingKind.CIRCUIT: "#8c7340",
}
WEEKDAYS = "一二三四五六日"
SNAP_MINUTES = 15
NO_ROOM = -1  # the column for online and off-site hearings in the room view


@dataclass(frozen=True)
class Resource:
    """A column (day view) or a row (week view): a room, a judge, or 在线/巡回."""

    key: int
    label: str
    detail: str = ""


@dataclass(frozen=True)
class Placed:
    hearing: HearingView
    rect: QRect
    resource: int


class CalendarGrid(QWidget):
    move_requested = Signal(object, object, object, object)  # hearing, start, end, room id | None
    hearing_selected = Signal(object)  # HearingView | None
    hearing_activated = Signal(object)  # double click

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarGrid")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.view = "day"
        self.group = "room"
        self.days: list[date] = [date.today()]
        self.resources: list[Resource] = []
        self.hearings: list[HearingView] = []
        self.opens = time(8, 0)
        self.closes = time(18, 0)
        self.today = date.today()
        self.placed: list[Placed] = []
        self.selected: HearingView | None = None
        self._drag: HearingView | None = None
        self._press: QPoint | None = None
        self._offset = QPoint()
        self._drop: QRect | None = None
        metrics = self.fontMetrics()
        self.char = metrics.horizontalAdvance("中")
        self.line = metrics.height()
        self.header = self.line * 2 + 8
        self.axis = self.char * 4
        self.px_per_minute = max(1.1, self.line * 2.4 / 60)
        self.min_column = self.char * 10
        self.week_label = self.char * 10
        self.chip = self.line + 6
        # Hearings are written a little smaller than the headers, so a column holds
        # "08:30–10:30 开庭" and a week cell "08:30 开庭 民初578号".
        self.small = QFont(self.font())
        self.small.setPointSizeF(self.font().pointSizeF() * 0.9)
        self.small_line = QFontMetrics(self.small).height()

    # ------------------------------------------------------------ data
    def set_schedule(
        self,
        *,
        view: str,
        group: str,
        days: list[date],
        resources: list[Resource],
        hearings: list[HearingView],
        opens: time,
        closes: time,
        today: date,
    ) -> None:
        self.view, self.group, self.days = view, group, days
        self.resources, self.hearings, self.today = resources, hearings, today
        # The axis covers the court hours and any hearing outside them.
        first = min([opens, *(h.start.time() for h in hearings)])
        last = max([closes, *(h.end.time() for h in hearings)])
        self.opens = time(first.hour, 0)
        self.closes = time(min(23, last.hour + (1 if last.minute else 0)), 0)
        if self.selected and not any(h.id == self.selected.id for h in hearings):
            self.selected = None
        self._layout()
        self.updateGeometry()
        self.update()

    def resource_of(self, hearing: HearingView) -> list[int]:
        """The columns/rows a hearing appears in: its room, or each judge who sits."""
        if self.group == "room":
            return [hearing.room_id if hearing.room_id is not None else NO_ROOM]
        return [i for i in (hearing.judge_id, *(p for p, _ in hearing.panel)) if i is not None]

    # ------------------------------------------------------------ geometry
    def _minutes(self, moment: time) -> int:
        return moment.hour * 60 + moment.minute - (self.opens.hour * 60 + self.opens.minute)

    def _span_minutes(self) -> int:
        return self._minutes(self.closes)

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()

    def minimumSizeHint(self) -> QSize:
        if self.view == "day":
            width = self.axis + max(1, len(self.resources)) * self.min_column
            height = self.header + int(self._span_minutes() * self.px_per_minute) + 8
        else:
            width = self.week_label + len(self.days) * self.char * 10
            height = self.header + sum(self._row_heights()) + 8
        return QSize(width, height)

    def _column_width(self) -> float:
        count = max(1, len(self.resources) if self.view == "day" else len(self.days))
        left = self.axis if self.view == "day" else self.week_label
        return max(float(self.min_column), (self.width() - left - 1) / count)

    def _cell_hearings(self) -> dict[tuple[int, date], list[HearingView]]:
        cells: dict[tuple[int, date], list[HearingView]] = {}
        for hearing in self.hearings:
            for key in self.resource_of(hearing):
                cells.setdefault((key, hearing.start.date()), []).append(hearing)
        return cells

    def _row_heights(self) -> list[int]:
        cells = self._cell_hearings()
        heights = []
        for resource in self.resources:
            most = max([len(cells.get((resource.key, d), [])) for d in self.days] + [1])
            heights.append(max(2, most) * (self.chip + 2) + 8)
        return heights

    def _layout(self) -> None:
        self.placed = []
        known = {r.key for r in self.resources}
        if self.view == "day":
            width = self._column_width()
            by_column: dict[int, list[HearingView]] = {}
            for hearing in self.hearings:
                for key in self.resource_of(hearing):
                    if key in known:
                        by_column.setdefault(key, []).append(hearing)
            for index, resource in enumerate(self.resources):
                items = sorted(by_column.get(resource.key, []), key=lambda h: (h.start, h.id))
                lanes = _lanes(items)
                count = max([lane for lane, _ in lanes] + [0]) + 1
                for lane, hearing in lanes:
                    left = self.axis + index * width + 2 + lane * (width - 4) / count
                    top = self.header + self._minutes(hearing.start.time()) * self.px_per_minute
                    bottom = self.header + self._minutes(hearing.end.time()) * self.px_per_minute
                    rect = QRectF(left, top + 1, (width - 4) / count - 2, bottom - top - 2)
                    self.placed.append(Placed(hearing, rect.toRect(), resource.key))
        else:
            width = self._column_width()
            cells = self._cell_hearings()
            top = self.header
            for resource, height in zip(self.resources, self._row_heights(), strict=True):
                for column, day in enumerate(self.days):
                    items = sorted(
                        cells.get((resource.key, day), []), key=lambda h: (h.start, h.id)
                    )
                    for n, hearing in enumerate(items):
                        chip = QRect(
                            int(self.week_label + column * width + 3),
                            top + 4 + n * (self.chip + 2),
                            int(width - 6),
                            self.chip,
                        )
                        self.placed.append(Placed(hearing, chip, resource.key))
                top += height

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._layout()

    # ------------------------------------------------------------ hit tests
    def placed_at(self, point: QPoint) -> Placed | None:
        for placed in reversed(self.placed):
            if placed.rect.contains(point):
                return placed
        return None

    def rect_of(self, hearing_id: int) -> QRect | None:
        """Where a hearing is drawn (its first appearance); for tests and screenshots."""
        return next((p.rect for p in self.placed if p.hearing.id == hearing_id), None)

    def slot_at(self, point: QPoint) -> tuple[int, date, time | None] | None:
        """(resource key, day, time or None in the week view) under a point."""
        width = self._column_width()
        if self.view == "day":
            column = int((point.x() - self.axis) // width)
            if point.x() < self.axis or not 0 <= column < len(self.resources):
                return None
            minutes = (point.y() - self.header) / self.px_per_minute
            minutes = max(0, round(minutes / SNAP_MINUTES) * SNAP_MINUTES)
            base = self.opens.hour * 60 + self.opens.minute + int(minutes)
            base = min(base, 23 * 60 + 45)
            return self.resources[column].key, self.days[0], time(base // 60, base % 60)
        column = int((point.x() - self.week_label) // width)
        if point.x() < self.week_label or not 0 <= column < len(self.days):
            return None
        top = self.header
        for resource, height in zip(self.resources, self._row_heights(), strict=True):
            if top <= point.y() < top + height:
                return resource.key, self.days[column], None
            top += height
        return None

    def point_for(self, key: int, day: date, at: time | None = None) -> QPoint:
        """The centre of a slot (the inverse of slot_at); for tests that drag."""
        width = self._column_width()
        if self.view == "day":
            column = [r.key for r in self.resources].index(key)
            minutes = self._minutes(at or self.opens)
            return QPoint(
                int(self.axis + column * width + width / 2),
                int(self.header + minutes * self.px_per_minute) + 1,
            )
        row = [r.key for r in self.resources].index(key)
        top = self.header + sum(self._row_heights()[:row])
        column = self.days.index(day)
        return QPoint(int(self.week_label + column * width + width / 2), top + 6)

    # ------------------------------------------------------------ mouse
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = event.position().toPoint()
        placed = self.placed_at(point)
        self.selected = placed.hearing if placed else None
        self.hearing_selected.emit(self.selected)
        if placed is not None and placed.hearing.start.date() >= self.today:
            self._drag = placed.hearing
            self._press = point
            self._offset = point - placed.rect.topLeft()
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        if self._drag is None or self._press is None:
            placed = self.placed_at(point)
            self.setCursor(Qt.CursorShape.OpenHandCursor if placed else Qt.CursorShape.ArrowCursor)
            return
        self.setCursor(Qt.CursorShape.ClosedHandCursor)
        rect = next(p.rect for p in self.placed if p.hearing.id == self._drag.id)
        self._drop = QRect(point - self._offset, rect.size())
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        hearing, press = self._drag, self._press
        self._drag, self._press, self._drop = None, None, None
        self.setCursor(Qt.CursorShape.ArrowCursor)
        self.update()
        if hearing is None or press is None or event.button() != Qt.MouseButton.LeftButton:
            return
        point = event.position().toPoint()
        if (point - press).manhattanLength() < 6:
            return  # a click, not a drag
        anchor = point - self._offset + QPoint(1, 1) if self.view == "day" else point
        slot = self.slot_at(anchor)
        if slot is None:
            return
        key, day, at = slot
        length = hearing.end - hearing.start
        start = datetime.combine(day, at or hearing.start.time())
        room: int | None = None
        if self.group == "room" and key not in (NO_ROOM, hearing.room_id):
            room = key
        if start == hearing.start and room is None:
            return
        self.move_requested.emit(hearing, start, start + length, room)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        placed = self.placed_at(event.position().toPoint())
        if placed is not None:
            self.hearing_activated.emit(placed.hearing)

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            placed = self.placed_at(event.pos())
            if placed is not None:
                QToolTip.showText(event.globalPos(), tooltip(placed.hearing), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    # ------------------------------------------------------------ painting
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        if self.view == "day":
            self._paint_day(painter)
        else:
            self._paint_week(painter)
        for placed in self.placed:
            self._paint_hearing(painter, placed)
        if self._drop is not None and self._drag is not None:
            painter.setPen(QPen(QColor("#1f5fbf"), 2, Qt.PenStyle.DashLine))
            painter.setBrush(QColor(31, 95, 191, 40))
            painter.drawRoundedRect(self._drop, 4, 4)
        if not self.resources:
            painter.setPen(QColor("#777777"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "没有可显示的法庭或法官")
        painter.end()

    def _paint_header_cell(self, painter: QPainter, rect: QRect, title: str, detail: str) -> None:
        painter.fillRect(rect, QColor("#f1f3f6"))
        painter.setPen(QColor("#c9ced6"))
        painter.drawRect(rect)
        painter.setPen(QColor("#222222"))
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        top = QRect(rect.left() + 2, rect.top() + 3, rect.width() - 4, self.line)
        painter.drawText(top, Qt.AlignmentFlag.AlignCenter, _elide(self, title, top.width()))
        painter.setFont(self.font())
        painter.setPen(QColor("#666666"))
        bottom = QRect(rect.left() + 2, rect.top() + 3 + self.line, rect.width() - 4, self.line)
        painter.drawText(bottom, Qt.AlignmentFlag.AlignCenter, _elide(self, detail, bottom.width()))

    def _paint_day(self, painter: QPainter) -> None:
        width = self._column_width()
        height = self.header + int(self._span_minutes() * self.px_per_minute)
        for index, resource in enumerate(self.resources):
            rect = QRect(int(self.axis + index * width), 0, int(width), self.header)
            self._paint_header_cell(painter, rect, resource.label, resource.detail)
        start = self.opens.hour
        for hour in range(start, self.closes.hour + 1):
            y = self.header + int((hour - start) * 60 * self.px_per_minute)
            painter.setPen(QColor("#d5d9e0"))
            painter.drawLine(self.axis, y, self.width(), y)
            painter.setPen(QColor("#555555"))
            painter.drawText(
                QRect(0, y - self.line // 2, self.axis - 6, self.line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{hour:02d}:00",
            )
            half = y + int(30 * self.px_per_minute)
            if hour < self.closes.hour:
                painter.setPen(QPen(QColor("#eceef2"), 1, Qt.PenStyle.DotLine))
                painter.drawLine(self.axis, half, self.width(), half)
        painter.setPen(QColor("#d5d9e0"))
        for index in range(len(self.resources) + 1):
            x = int(self.axis + index * width)
            painter.drawLine(x, self.header, x, height)
        if self.days and self.days[0] == self.today:
            now = datetime.now().time()
            if self.opens <= now <= self.closes:
                y = self.header + int(self._minutes(now) * self.px_per_minute)
                painter.setPen(QPen(QColor("#d33"), 2))
                painter.drawLine(self.axis, y, self.width(), y)

    def _paint_week(self, painter: QPainter) -> None:
        width = self._column_width()
        for column, day in enumerate(self.days):
            rect = QRect(int(self.week_label + column * width), 0, int(width), self.header)
            self._paint_header_cell(
                painter, rect, f"{day.month}月{day.day}日", f"星期{WEEKDAYS[day.weekday()]}"
            )
            if day == self.today:
                painter.fillRect(
                    QRect(rect.left(), self.header, rect.width(), self.height()),
                    QColor("#fff8dc"),
                )
        top = self.header
        for resource, height in zip(self.resources, self._row_heights(), strict=True):
            rect = QRect(0, top, self.week_label, height)
            painter.fillRect(rect, QColor("#f7f8fa"))
            painter.setPen(QColor("#222222"))
            label = QRect(6, top + 4, self.week_label - 10, self.line)
            painter.drawText(
                label, Qt.AlignmentFlag.AlignLeft, _elide(self, resource.label, label.width())
            )
            painter.setPen(QColor("#777777"))
            detail = QRect(6, top + 4 + self.line, self.week_label - 10, self.line)
            painter.drawText(
                detail, Qt.AlignmentFlag.AlignLeft, _elide(self, resource.detail, detail.width())
            )
            painter.setPen(QColor("#d5d9e0"))
            painter.drawLine(0, top + height, self.width(), top + height)
            top += height
        for column in range(len(self.days) + 1):
            x = int(self.week_label + column * width)
            painter.drawLine(x, self.header, x, top)

    def _paint_hearing(self, painter: QPainter, placed: Placed) -> None:
        hearing, rect = placed.hearing, placed.rect
        fill = QColor(KIND_COLOURS[hearing.kind])
        if hearing.start.date() < self.today:
            fill = fill.lighter(108)
        painter.setBrush(fill)
        border = QColor(KIND_BORDERS[hearing.kind])
        chosen = self.selected is not None and self.selected.id == hearing.id
        painter.setPen(QPen(border.darker(130) if chosen else border, 2.5 if chosen else 1))
        painter.drawRoundedRect(rect, 3, 3)
        painter.setPen(QColor("#1d1d1d"))
        painter.setFont(self.small)
        inner = rect.adjusted(4, 1, -3, -1)
        short = short_number(hearing.case_number)
        if self.view == "day":
            lines = [
                f"{hearing.start:%H:%M}–{hearing.end:%H:%M} {hearing.kind_label}",
                short,
                hearing.parties_summary,
                hearing.judge_name if self.group == "room" else hearing.place,
            ]
            fitting = max(1, inner.height() // self.small_line)
            text = "\n".join(_elide_small(self, line, inner.width()) for line in lines[:fitting])
            painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, text)
        else:
            text = f"{hearing.start:%H:%M} {hearing.kind_label} {short}"
            painter.drawText(
                inner,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                _elide_small(self, text, inner.width()),
            )
        painter.setFont(self.font())


def _elide(widget: QWidget, text: str, width: int) -> str:
    return widget.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, max(0, width))


def _elide_small(grid: CalendarGrid, text: str, width: int) -> str:
    return QFontMetrics(grid.small).elidedText(text, Qt.TextElideMode.ElideRight, max(0, width))


_COURT_PREFIX = re.compile(r"^（\d{4}）\D\d+")


def short_number(case_number: str) -> str:
    """（2026）吉0193民初578号 → 民初578号: the court's own code is the same on every chip."""
    return _COURT_PREFIX.sub("", case_number) or case_number


def _lanes(items: list[HearingView]) -> list[tuple[int, HearingView]]:
    """Side-by-side lanes for hearings that overlap in one column (double bookings show)."""
    ends: list[datetime] = []
    placed = []
    for hearing in items:
        for lane, end in enumerate(ends):
            if end <= hearing.start:
                ends[lane] = hearing.end
                placed.append((lane, hearing))
                break
        else:
            ends.append(hearing.end)
            placed.append((len(ends) - 1, hearing))
    return placed


def tooltip(hearing: HearingView) -> str:
    lines = [
        f"{hearing.case_number}　{hearing.kind_label}",
        f"{hearing.start:%Y-%m-%d %H:%M}–{hearing.end:%H:%M}　{hearing.place}",
        f"{hearing.cause}：{hearing.parties_summary}",
        f"审判长：{hearing.judge_name or '—'}　书记员：{hearing.clerk_name or '—'}",
    ]
    if hearing.panel:
        lines.append("合议庭：" + "、".join(name for _, name in hearing.panel))
    if hearing.mode is HearingMode.ONLINE:
        lines.append("在线庭审")
    if hearing.override_reason:
        lines.append(f"排期说明：{hearing.override_reason}")
    return "\n".join(lines)
