"""Working days and holidays (domain-rules.md section 3).

Statutory holidays and adjusted working days (调休) come from the
``chinese-calendar`` package for the years it knows (2004–2026). The State Council
publishes each new year's schedule in the autumn, so the court can enter a year
itself (stored in the database and passed in here). For a year known to neither,
only weekends are rest days, and every answer says so (``DayInfo.known`` is
False), so a date that depends on it can be flagged wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
SATURDAY = 5


@dataclass(frozen=True)
class CourtDay:
    """A day the court entered for a year the package does not know."""

    working: bool
    name: str = ""  # holiday name, or "调休上班" for an adjusted working day


@dataclass(frozen=True)
class DayInfo:
    day: date
    working: bool
    name: str  # 国庆节, 周末, 调休上班, or "" for an ordinary working day
    known: bool  # False: the year's holidays are not known; weekends only


@dataclass(frozen=True)
class HolidayCalendar:
    """Answers "is this a working day?" for any date.

    ``court_days``: days the court entered (holidays and adjusted working days);
    ``court_years``: years the court has entered completely. Court entries win
    over the package, so a court can also correct a year.
    """

    court_days: Mapping[date, CourtDay] = field(default_factory=dict)
    court_years: frozenset[int] = frozenset()

    def info(self, day: date) -> DayInfo:
        entered = self.court_days.get(day)
        if entered is not None:
            return DayInfo(day, entered.working, entered.name, True)
        weekend = day.weekday() >= SATURDAY
        if day.year in self.court_years:
            return DayInfo(day, not weekend, "周末" if weekend else "", True)
        known, on_holiday, name = _package_day(day)
        if not known:
            return DayInfo(day, not weekend, "周末" if weekend else "", False)
        if on_holiday:
            label = HOLIDAY_NAMES.get(str(name), str(name)) if name else "周末"
            return DayInfo(day, False, label, True)
        return DayInfo(day, True, "调休上班" if weekend else "", True)

    def is_working_day(self, day: date) -> bool:
        return self.info(day).working

    def is_known(self, year: int) -> bool:
        """True if the year's holidays are known (package or court entry)."""
        return year in self.court_years or self.info(date(year, 7, 1)).known

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (day itself not counted)."""
        while count > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def rest_days_between(self, first: date, last: date) -> list[DayInfo]:
        """The non-working days from ``first`` to ``last`` inclusive."""
        days = []
        day = first
        while day <= last:
            info = self.info(day)
            if not info.working:
                days.append(info)
            day += timedelta(days=1)
        return days


@lru_cache(maxsize=8192)
def _package_day(day: date) -> tuple[bool, bool, str | None]:
    """(known, on holiday, holiday name) from chinese-calendar, remembered.

    The package validates each date against the min and max of its whole table
    (about 60 µs a call); service deadlines and the hearing check count working
    days one by one, thousands of lookups a second, so the answers are kept.
    """
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return False, False, None
    return True, bool(on_holiday), None if name is None else str(name)
