from __future__ import annotations

from datetime import date

import pytest

from courtdesk.domain.holiday_schedule import parse_schedule, statutory_days
from courtdesk.domain.holidays import HolidayCalendar
from courtdesk.errors import ValidationError

CSV_2027 = """日期,类型,名称
2027-01-01~2027-01-03,休,元旦
# 春节
2027-02-05~2027-02-11,休,春节
2027-02-13,班,
2027-02-14,上班,调休上班
"""


def test_a_csv_schedule_with_ranges() -> None:
    days = parse_schedule(CSV_2027, 2027)
    assert len(days) == 12
    assert days[0].day == date(2027, 1, 1) and not days[0].working and days[0].name == "元旦"
    saturday = next(d for d in days if d.day == date(2027, 2, 13))
    assert saturday.working and saturday.name == "调休上班"


def test_the_two_json_shapes() -> None:
    rows = '[{"date": "2027-01-01", "type": "休", "name": "元旦"}, {"date": "2027-02-13", "type": "班"}]'
    assert [d.day for d in parse_schedule(rows, 2027, json_format=True)] == [
        date(2027, 1, 1),
        date(2027, 2, 13),
    ]
    grouped = '{"holidays": {"元旦": ["2027-01-01~2027-01-03"]}, "workdays": ["2027-02-13"]}'
    days = parse_schedule(grouped, 2027, json_format=True)
    assert len(days) == 4 and days[-1].working


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("2027-13-01,休,元旦", "第 1 行：日期「2027-13-01」应写作 YYYY-MM-DD"),
        ("2027-01-01,休,元旦\n2028-01-01,休,元旦", "第 2 行：2028-01-01 不在 2027 年内"),
        ("2027-01-01,休,元旦\n2027-01-01,休,元旦", "第 2 行：2027-01-01 重复"),
        ("2027-01-01,放,元旦", "类型「放」应为 休 或 班"),
        ("2027-01-01,休,", "放假日需写明节日名称"),
        ("2027-02-08,班,", "2027-02-08 是工作日（周一），不需要录入为调休上班"),
        ("2027-01-03~2027-01-01,休,元旦", "结束早于开始"),
        ("日期,类型,名称\n", "没有读到 2027 年的任何日期"),
    ],
)
def test_every_problem_is_reported_with_its_line(text: str, needle: str) -> None:
    with pytest.raises(ValidationError, match=needle):
        parse_schedule(text, 2027)


def test_all_problems_at_once_and_bad_json() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_schedule("2027-13-01,休,元旦\n2026-01-01,休,元旦", 2027)
    assert len(caught.value.problems) == 2
    with pytest.raises(ValidationError, match="不是有效的 JSON"):
        parse_schedule("{", 2027, json_format=True)
    with pytest.raises(ValidationError, match="日期列表"):
        parse_schedule('{"a": 1}', 2027, json_format=True)


def test_the_package_year_reads_like_the_notice() -> None:
    days = statutory_days(HolidayCalendar(), 2026)
    national = [d.day for d in days if d.name == "国庆节"]
    assert national[0] == date(2026, 10, 1) and national[-1] == date(2026, 10, 7)
    assert any(d.working and d.day == date(2026, 2, 14) for d in days)
    assert statutory_days(HolidayCalendar(), 2031) == []


def test_a_lone_carriage_return_ends_a_line() -> None:
    """Found by the bad-input properties: ``\\r`` inside a file made the csv module raise
    its own English error instead of the schedule being read line by line."""
    old_mac = "2027-01-01,休,元旦\r2027-02-13,班,\r"
    assert [d.day for d in parse_schedule(old_mac, 2027)] == [date(2027, 1, 1), date(2027, 2, 13)]
    with pytest.raises(ValidationError, match="第 2 行：日期「」"):
        parse_schedule("\r,休,元旦\n2027-02-06,班,", 2027)


def test_an_unclosed_quote_is_named_in_chinese() -> None:
    with pytest.raises(ValidationError, match="第 1 行有一格超过 131072 个字符，可能是引号未闭合"):
        parse_schedule('2027-01-01,休,"' + "元旦" * 70_000, 2027)
