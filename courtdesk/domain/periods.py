"""Periods (期间): when a deadline ends, and why (domain-rules.md sections 2 and 3).

Two kinds:
- a party's period (答辩期, 举证期限, 上诉期 …, 民诉法 §85): the start day is not
  counted; if the last day is a rest day (statutory holiday or weekend; an
  adjusted working Saturday counts as working) it ends on the next working day;
- the court's own time limit (审限): calendar days, never extended by holidays.

Months follow 民法典 §201–203 (corresponding day, or the month's last day).
Travel time (在途时间) is not counted, and a document posted before the deadline
is on time: both are facts of a case, not of the calendar, so they are left to
the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from courtdesk.domain.dates import add_months
from courtdesk.domain.holidays import HolidayCalendar
from courtdesk.errors import ValidationError


class PeriodKind(StrEnum):
    PARTY = "party"  # holiday rule applies
    COURT = "court"  # calendar days only

    @property
    def label(self) -> str:
        return (
            "当事人期间（节假日顺延）" if self is PeriodKind.PARTY else "法院期限（不因节假日顺延）"
        )


@dataclass(frozen=True)
class PeriodResult:
    start: date
    days: int
    months: int
    kind: PeriodKind
    counted_end: date  # the last day by counting alone
    last_day: date  # the day the period really ends
    reasons: tuple[str, ...]  # why, in Chinese, step by step
    weekends_only_years: tuple[int, ...]  # years computed without holiday data

    @property
    def extended(self) -> bool:
        return self.last_day != self.counted_end

    @property
    def uncertain(self) -> bool:
        """True if the answer depends on a year whose holidays nobody has entered."""
        return bool(self.weekends_only_years)

    def to_dict(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(),
            "days": self.days,
            "months": self.months,
            "kind": self.kind.value,
            "counted_end": self.counted_end.isoformat(),
            "last_day": self.last_day.isoformat(),
            "extended": self.extended,
            "reasons": list(self.reasons),
            "weekends_only_years": list(self.weekends_only_years),
        }


def compute_period(
    start: date,
    *,
    days: int = 0,
    months: int = 0,
    kind: PeriodKind = PeriodKind.PARTY,
    calendar: HolidayCalendar | None = None,
) -> PeriodResult:
    """The last day of a period of ``months`` and/or ``days`` starting on ``start``.

    A period that would end after 9999-12-31 (the last day a date can hold) is
    refused with a ValidationError rather than an OverflowError.
    """
    if days < 0 or months < 0 or (days == 0 and months == 0):
        raise ValueError("a period needs a positive number of days or months")
    try:
        return _compute(start, days, months, kind, calendar or HolidayCalendar())
    except (OverflowError, ValueError) as error:  # date arithmetic past year 9999
        raise ValidationError(
            f"自 {start.isoformat()} 起算的期间届满日超出了公历 9999 年，无法计算；请核对起算日和期间长度"
        ) from error


def _compute(
    start: date, days: int, months: int, kind: PeriodKind, calendar: HolidayCalendar
) -> PeriodResult:
    counted = add_months(start, months) + timedelta(days=days)
    length = "".join(
        part for part in (f"{months}个月" if months else "", f"{days}日" if days else "") if part
    )
    reasons = [f"自 {start.isoformat()} 次日起算 {length}，计至 {counted.isoformat()}"]
    if months and add_months(start, months).day != start.day:
        reasons.append(f"{add_months(start, months):%Y-%m} 没有对应日，以该月最后一日为准")
    if kind is PeriodKind.COURT:
        reasons.append("法院期限按日历计算，不因节假日顺延")
        return PeriodResult(start, days, months, kind, counted, counted, tuple(reasons), ())
    last = calendar.next_working_day(counted)
    unknown = sorted({d.year for d in (counted, last) if not calendar.is_known(d.year)})
    if last != counted:
        rest = calendar.rest_days_between(counted, last - timedelta(days=1))
        names = "、".join(dict.fromkeys(d.name or "休息日" for d in rest))
        reasons.append(
            f"{counted.isoformat()} 至 {(last - timedelta(days=1)).isoformat()} 为{names}，"
            f"顺延至节假日后第一个工作日 {last.isoformat()}（民诉法第85条）"
        )
    else:
        info = calendar.info(counted)
        if info.name == "调休上班":
            reasons.append(f"{counted.isoformat()} 为调休上班日，按工作日计算")
    for year in unknown:
        reasons.append(f"{year} 年的法定节假日尚未录入，仅按周末计算，请核实")
    return PeriodResult(start, days, months, kind, counted, last, tuple(reasons), tuple(unknown))
