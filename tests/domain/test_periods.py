from __future__ import annotations

from datetime import date

import pytest

from courtdesk.domain.holidays import CourtDay, HolidayCalendar
from courtdesk.domain.periods import PeriodKind, compute_period


def test_a_period_ending_in_the_national_day_week_moves_to_the_next_working_day() -> None:
    # 15 days from 2026-09-16 counts to 2026-10-01, inside the National Day holiday.
    result = compute_period(date(2026, 9, 16), days=15)
    assert result.counted_end == date(2026, 10, 1)
    assert result.last_day == date(2026, 10, 8)
    assert result.extended and not result.uncertain
    assert "国庆节" in result.reasons[-1] and "2026-10-08" in result.reasons[-1]


def test_spring_festival() -> None:
    # 2026 Spring Festival holiday: 15–23 February; 10 days from 5 February ends on the 15th.
    result = compute_period(date(2026, 2, 5), days=10)
    assert result.counted_end == date(2026, 2, 15)
    assert result.last_day == date(2026, 2, 24)
    assert "春节" in result.reasons[-1]


def test_an_adjusted_working_saturday_counts_as_working() -> None:
    cal = HolidayCalendar()
    saturday = date(2026, 2, 14)  # 调休上班 before the 2026 Spring Festival
    assert saturday.weekday() == 5 and cal.is_working_day(saturday)
    result = compute_period(date(2026, 1, 30), days=15, calendar=cal)
    assert result.counted_end == saturday == result.last_day
    assert any("调休上班" in r for r in result.reasons)


def test_an_ordinary_weekend_moves_to_monday() -> None:
    result = compute_period(date(2026, 3, 6), days=15)  # ends Saturday 2026-03-21
    assert result.last_day == date(2026, 3, 23)


def test_court_time_limits_ignore_holidays() -> None:
    result = compute_period(date(2026, 9, 16), days=15, kind=PeriodKind.COURT)
    assert result.last_day == result.counted_end == date(2026, 10, 1)


def test_months_end_on_the_corresponding_day_or_month_end() -> None:
    result = compute_period(date(2026, 8, 31), months=6, kind=PeriodKind.COURT)
    assert result.last_day == date(2027, 2, 28)
    assert any("最后一日" in r for r in result.reasons)


def test_a_year_without_data_is_weekends_only_and_flagged() -> None:
    # 2027-01-01 is a Friday; with no 2027 schedule it is treated as a working day.
    result = compute_period(date(2026, 12, 17), days=15)
    assert result.last_day == date(2027, 1, 1)
    assert result.uncertain and result.weekends_only_years == (2027,)
    assert "2027 年的法定节假日尚未录入" in result.reasons[-1]


def test_a_year_the_court_entered_is_used() -> None:
    entered = {
        date(2027, 1, 1): CourtDay(False, "元旦"),
        date(2027, 1, 2): CourtDay(False, "元旦"),
        date(2027, 1, 3): CourtDay(False, "元旦"),
    }
    cal = HolidayCalendar(entered, frozenset({2027}))
    result = compute_period(date(2026, 12, 17), days=15, calendar=cal)
    assert result.last_day == date(2027, 1, 4)
    assert not result.uncertain


def test_nonsense_periods_are_refused() -> None:
    with pytest.raises(ValueError):
        compute_period(date(2026, 1, 1))
    with pytest.raises(ValueError):
        compute_period(date(2026, 1, 1), days=-1)
