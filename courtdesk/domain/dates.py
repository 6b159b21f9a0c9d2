"""Calendar arithmetic used by time limits and periods (民法典 §201–203)."""

from __future__ import annotations

import calendar
from datetime import date, datetime

_DIGITS = "〇一二三四五六七八九"


def add_months(start: date, months: int) -> date:
    """The corresponding day ``months`` later, or that month's last day if it has none.

    民法典 §202: a period in months ends on the corresponding day of the final month;
    if that month has no such day, on its last day (31 August + 6 months → 28/29 February).
    """
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def chinese_date(day: date) -> str:
    """A date written in Chinese numerals, as on court documents: 二〇二六年十一月二十二日."""
    year = "".join(_DIGITS[int(d)] for d in f"{day.year:04d}")
    return f"{year}年{chinese_number(day.month)}月{chinese_number(day.day)}日"


def document_date(day: date) -> str:
    """2026年11月25日: a date in the body of a court document (domain-rules.md section 8
    puts Chinese numerals only in the date above the seal, ``chinese_date``)."""
    return f"{day.year}年{day.month}月{day.day}日"


def document_clock(moment: datetime) -> str:
    """上午9时00分, 下午2时30分: a time of day as court documents write it."""
    half = "上午" if moment.hour < 12 else "下午"
    hour = moment.hour if moment.hour <= 12 else moment.hour - 12
    return f"{half}{hour}时{moment.minute:02d}分"


def chinese_number(value: int) -> str:
    """1–999 as dates and ordinals write them (十, 十一, 二十一, 一百零五, 一百二十)."""
    if not 0 < value < 1000:
        raise ValueError(f"chinese_number takes 1–999, not {value}")
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    unit = _DIGITS[units] if units else ""
    if hundreds:
        if tens:
            return f"{_DIGITS[hundreds]}百{_DIGITS[tens]}十{unit}"
        return f"{_DIGITS[hundreds]}百" + (f"零{unit}" if unit else "")
    if tens:
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + unit
    return unit
