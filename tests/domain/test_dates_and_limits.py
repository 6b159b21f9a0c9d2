from __future__ import annotations

from datetime import date

import pytest

from courtdesk.domain.dates import add_months, chinese_date, chinese_number
from courtdesk.domain.time_limit import base_expiry


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 3, 10), 6, date(2026, 9, 10)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_add_months_uses_the_corresponding_day_or_month_end(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def test_chinese_date_as_on_court_documents() -> None:
    assert chinese_date(date(2026, 11, 22)) == "二〇二六年十一月二十二日"
    assert chinese_date(date(2020, 1, 10)) == "二〇二〇年一月十日"
    assert chinese_date(date(2031, 10, 31)) == "二〇三一年十月三十一日"


def test_chinese_ordinals_as_rooms_are_numbered() -> None:
    written = {1: "一", 10: "十", 19: "十九", 45: "四十五", 100: "一百", 105: "一百零五"}
    written |= {110: "一百一十", 999: "九百九十九"}
    assert {n: chinese_number(n) for n in written} == written
    with pytest.raises(ValueError):
        chinese_number(1000)


@pytest.mark.parametrize(
    ("procedure", "filed", "expected"),
    [
        ("civil_ordinary", date(2026, 8, 31), date(2027, 2, 28)),
        ("civil_summary", date(2026, 3, 10), date(2026, 6, 10)),
        ("civil_small_claims", date(2026, 12, 31), date(2027, 2, 28)),
        ("civil_special", date(2026, 3, 1), date(2026, 3, 31)),
        ("criminal_summary", date(2026, 3, 1), date(2026, 3, 21)),
        ("criminal_summary_long", date(2026, 1, 31), date(2026, 3, 15)),
        ("admin_summary", date(2026, 1, 1), date(2026, 2, 15)),
        ("enforcement", date(2026, 5, 20), date(2026, 11, 20)),
        ("civil_other", date(2026, 5, 20), None),
    ],
)
def test_base_expiry_counts_from_the_day_after_filing(
    procedure: str, filed: date, expected: date | None
) -> None:
    assert base_expiry(procedure, filed) == expected
