"""A year's holiday schedule as the State Council publishes it, read from a file or a table.

The administrator enters or imports the holidays (放假) and adjusted working days
(调休上班) of a year the holiday package does not know yet (domain-rules.md §3).
Two simple file formats are read:

CSV (UTF-8, with or without a header row ``日期,类型,名称``)::

    2027-01-01~2027-01-03,休,元旦
    2027-02-06,班,调休上班

JSON, either a list of rows or holidays by name plus working days::

    [{"date": "2027-01-01", "type": "休", "name": "元旦"}, ...]
    {"holidays": {"元旦": ["2027-01-01~2027-01-03"]}, "workdays": ["2027-02-06"]}

``类型``: 休 / 放假 / holiday / 0 for a rest day, 班 / 上班 / workday / 1 for an
adjusted working day. A date may be a range ``first~last`` (both included). Every
problem is reported with its line, and nothing is half-read.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from courtdesk.domain.holidays import SATURDAY, HolidayCalendar
from courtdesk.errors import FieldProblem, ValidationError

REST_WORDS = frozenset({"休", "休息", "放假", "假", "holiday", "rest", "off", "0"})
WORK_WORDS = frozenset({"班", "上班", "调休上班", "补班", "workday", "work", "1"})
WORKING_DAY_NAME = "调休上班"
MAX_RANGE_DAYS = 31


@dataclass(frozen=True)
class ScheduleDay:
    day: date
    working: bool
    name: str

    @property
    def kind_label(self) -> str:
        return "上班" if self.working else "放假"

    def as_tuple(self) -> tuple[date, bool, str]:
        return (self.day, self.working, self.name)


def _day(text: str, written: str) -> date:
    """One date as YYYY-MM-DD; any other text (or year 0, 2 月 30 日) says so in Chinese."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"日期「{written}」应写作 YYYY-MM-DD") from None


def _dates(text: str) -> list[date]:
    """``2027-01-01`` or a range ``2027-01-01~2027-01-03`` (also ``至`` or ``/``)."""
    cleaned = text.strip().replace("至", "~").replace("/", "~").replace("～", "~")
    if "~" in cleaned:
        first_text, last_text = (part.strip() for part in cleaned.split("~", 1))
        first, last = _day(first_text, text.strip()), _day(last_text, text.strip())
        if last < first:
            raise ValueError(f"日期范围「{text.strip()}」的结束早于开始")
        if (last - first).days >= MAX_RANGE_DAYS:
            raise ValueError(f"日期范围「{text.strip()}」超过 {MAX_RANGE_DAYS} 天")
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [_day(cleaned, text.strip())]


def _working(text: str) -> bool:
    word = text.strip().lower()
    if word in REST_WORDS:
        return False
    if word in WORK_WORDS:
        return True
    raise ValueError(f"类型「{text.strip()}」应为 休 或 班")


def _rows_from_csv(text: str) -> Iterator[tuple[str, list[str]]]:
    # newline="": a lone \r (an old Mac file, or one edited on several systems) ends a
    # line as \n and \r\n do, as the csv module expects of the files it reads.
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for number, row in enumerate(reader, 1):
            cells = [cell.strip() for cell in row]
            if not any(cells) or cells[0].startswith("#"):
                continue
            if number == 1 and cells[0] in ("日期", "date"):
                continue
            yield f"第 {number} 行", cells
    except csv.Error as error:
        # The csv module's reasons are English; the one a real file meets is a cell
        # run past its size limit (an unclosed quote swallowing the rest of the file).
        why = (
            f"有一格超过 {csv.field_size_limit()} 个字符，可能是引号未闭合"
            if "field larger" in str(error)
            else "格式有误"
        )
        raise ValidationError(
            f"文件不是有效的 CSV（第 {reader.line_num} 行{why}）", "file"
        ) from None


def _rows_from_json(data: Any) -> Iterator[tuple[str, list[str]]]:
    if isinstance(data, list):
        for number, item in enumerate(data, 1):
            if not isinstance(item, dict):
                raise ValidationError(f"JSON 第 {number} 项应是对象", "file")
            cells = [
                str(item.get("date", "")),
                str(item.get("type", "")),
                str(item.get("name", "")),
            ]
            yield f"第 {number} 项", cells
        return
    if isinstance(data, dict) and ("holidays" in data or "workdays" in data):
        holidays = data.get("holidays", {})
        workdays = data.get("workdays", [])
        if not isinstance(holidays, dict) or not isinstance(workdays, list):
            raise ValidationError(
                "JSON 的 holidays 应为 {名称: [日期…]}，workdays 应为 [日期…]", "file"
            )
        for name, days in holidays.items():
            for entry in days if isinstance(days, list) else [days]:
                yield f"「{name}」的 {entry}", [str(entry), "休", str(name)]
        for entry in workdays:
            yield f"workdays 的 {entry}", [str(entry), "班", WORKING_DAY_NAME]
        return
    raise ValidationError("JSON 文件应是日期列表，或含 holidays / workdays 的对象", "file")


def parse_schedule(text: str, year: int, *, json_format: bool = False) -> list[ScheduleDay]:
    """The days of ``year`` in a CSV (or JSON) text, sorted; every problem reported at once."""
    if json_format:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError(
                f"文件不是有效的 JSON（第 {error.lineno} 行：{error.msg}）", "file"
            ) from None
        except RecursionError:  # brackets nested thousands deep: no schedule looks like that
            raise ValidationError("文件不是有效的节假日 JSON（括号嵌套层数过多）", "file") from None
        rows: Iterable[tuple[str, list[str]]] = list(_rows_from_json(data))
    else:
        rows = list(_rows_from_csv(text))
    return rows_to_schedule(rows, year)


def rows_to_schedule(rows: Iterable[tuple[str, list[str]]], year: int) -> list[ScheduleDay]:
    """Rows of (where, [date, type, name]) → the checked days; the form uses this too."""
    problems: list[FieldProblem] = []
    days: dict[date, ScheduleDay] = {}
    for where, given in rows:
        cells = [*given, "", "", ""][:3]
        try:
            dates = _dates(cells[0])
            working = _working(cells[1])
        except ValueError as error:
            problems.append(FieldProblem("file", f"{where}：{error}"))
            continue
        name = cells[2] or (WORKING_DAY_NAME if working else "")
        if not working and not name:
            problems.append(FieldProblem("file", f"{where}：放假日需写明节日名称"))
            continue
        for day in dates:
            if day.year != year:
                problems.append(
                    FieldProblem("file", f"{where}：{day.isoformat()} 不在 {year} 年内")
                )
            elif day in days:
                problems.append(FieldProblem("file", f"{where}：{day.isoformat()} 重复"))
            else:
                days[day] = ScheduleDay(day, working, name)
    for entry in days.values():
        weekend = entry.day.weekday() >= SATURDAY
        if entry.working and not weekend:
            problems.append(
                FieldProblem(
                    "file",
                    f"{entry.day.isoformat()} 是工作日（周{'一二三四五'[entry.day.weekday()]}），"
                    "不需要录入为调休上班",
                )
            )
    if problems:
        raise ValidationError(problems)
    if not days:
        raise ValidationError(f"没有读到 {year} 年的任何日期", "file")
    return sorted(days.values(), key=lambda d: d.day)


def statutory_days(calendar: HolidayCalendar, year: int) -> list[ScheduleDay]:
    """The holidays on weekdays and the adjusted working weekend days the calendar knows for ``year``.

    Used to show a year's schedule (and to start a correction from it). Weekend
    days inside a holiday are listed too, so the listing reads like the notice.
    """
    days = []
    day = date(year, 1, 1)
    while day.year == year:
        info = calendar.info(day)
        weekend = day.weekday() >= SATURDAY
        if info.working and weekend:
            days.append(ScheduleDay(day, True, info.name or WORKING_DAY_NAME))
        elif not info.working and info.name not in ("周末", ""):
            days.append(ScheduleDay(day, False, info.name))
        day += timedelta(days=1)
    return days
