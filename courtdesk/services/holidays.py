"""The court's holiday calendar: the package's years plus the years the court entered."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from courtdesk.domain.holiday_schedule import ScheduleDay, parse_schedule, statutory_days
from courtdesk.domain.holidays import HolidayCalendar
from courtdesk.domain.periods import PeriodKind, PeriodResult, compute_period
from courtdesk.domain.text import free_text_problem
from courtdesk.errors import FieldProblem, ValidationError
from courtdesk.services import audit, events
from courtdesk.services.permissions import Permission, require
from courtdesk.services.workspace import Workspace
from courtdesk.store import holidays as holiday_store
from courtdesk.store.audit import now_iso


def holiday_calendar(ws: Workspace) -> HolidayCalendar:
    return calendar_for(ws.db.connection)


def calendar_for(conn: sqlite3.Connection) -> HolidayCalendar:
    """The court's calendar read on an open connection (for event handlers and providers)."""
    return holiday_store.court_calendar(conn)


def period(
    ws: Workspace | None,
    start: date,
    *,
    days: int = 0,
    months: int = 0,
    kind: PeriodKind = PeriodKind.PARTY,
) -> PeriodResult:
    """A period's last day with the court's calendar (or the package alone without a workspace)."""
    calendar = holiday_calendar(ws) if ws is not None else HolidayCalendar()
    return compute_period(start, days=days, months=months, kind=kind, calendar=calendar)


MAX_DAY_NAME = 40  # 春节, 国庆节 …: the name of a holiday or an adjusted working day


def enter_year(ws: Workspace, year: int, days: Sequence[tuple[date, bool, str]]) -> int:
    """Store the State Council's schedule for ``year``: each holiday and adjusted working day.

    Every other weekday of the year is then a working day and every other weekend
    day a rest day, with no "weekends only" warning.
    """
    require(ws.actor, Permission.MANAGE_COURT)
    problems = [
        FieldProblem("days", f"{d.isoformat()} 不在 {year} 年内")
        for d, _, _ in days
        if d.year != year
    ]
    seen: set[date] = set()
    for d, _, _ in days:
        if d in seen:
            problems.append(FieldProblem("days", f"{d.isoformat()} 重复录入"))
        seen.add(d)
    for d, _, name in days:
        if len(name) > MAX_DAY_NAME:
            problems.append(
                FieldProblem("days", f"{d.isoformat()} 的名称过长（最多 {MAX_DAY_NAME} 个字）")
            )
        elif (problem := free_text_problem(name, f"{d.isoformat()} 的名称")) is not None:
            problems.append(FieldProblem("days", problem))
    if not 2000 <= year <= 2100:
        problems.append(FieldProblem("year", f"年份 {year} 不合理"))
    if problems:
        raise ValidationError(problems)
    with ws.db.transaction() as conn:
        before = [
            (d.isoformat(), w, n) for d, w, n in holiday_store.entered_days(conn) if d.year == year
        ]
        count = holiday_store.replace_year(conn, year, days, ws.actor.username, now_iso())
        audit.record(
            conn,
            ws.actor,
            "holidays.enter_year",
            "court_holidays",
            year,
            {"year": year, "days": [before, [(d.isoformat(), w, n) for d, w, n in days]]},
        )
        events.publish(conn, ws.actor, "holidays.changed", year=year)
    return count


@dataclass(frozen=True)
class YearSchedule:
    """What is known about one year's holidays, for the administrator's screen."""

    year: int
    days: tuple[ScheduleDay, ...]  # the holidays and adjusted working days in force
    source: str  # "court" (entered here), "package" (chinese-calendar) or "none"
    entered_by: str = ""
    entered_at: str = ""

    @property
    def source_label(self) -> str:
        if self.source == "court":
            return f"本院录入（{self.entered_by}，{self.entered_at[:16].replace('T', ' ')}）"
        if self.source == "package":
            return "内置节假日数据（chinese-calendar）"
        return "尚无数据：该年仅按周末计算，涉及该年的期间都会标注"


def year_schedule(ws: Workspace, year: int) -> YearSchedule:
    """The schedule of ``year`` as the program uses it, and where it comes from."""
    require(ws.actor, Permission.USE_CALCULATORS)
    calendar = holiday_calendar(ws)
    days = tuple(statutory_days(calendar, year))
    entry = holiday_store.year_entry(ws.db.connection, year)
    if entry is not None:
        return YearSchedule(year, days, "court", entry[0], entry[1])
    source = "package" if calendar.is_known(year) else "none"
    return YearSchedule(year, days, source)


def import_year(ws: Workspace, year: int, text: str, *, json_format: bool = False) -> int:
    """Read a CSV or JSON schedule for ``year`` (see ``domain/holiday_schedule``) and store it."""
    require(ws.actor, Permission.MANAGE_COURT)
    days = parse_schedule(text, year, json_format=json_format)
    return enter_year(ws, year, [d.as_tuple() for d in days])
