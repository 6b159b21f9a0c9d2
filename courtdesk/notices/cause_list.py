"""开庭排期表: the day's cause list, posted outside the courtrooms and at the entrance.

One row per hearing, in order of time and room. Hearings not held in public are
listed without the parties' names, as the list is posted where anyone can read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from courtdesk.errors import FieldProblem, ValidationError
from courtdesk.notices.base import (
    CaseFacts,
    NoticeDefinition,
    Recipient,
    date_text,
    says_something,
    who,
)
from courtdesk.notices.layout import DocBuilder
from courtdesk.notices.template import Field, Template, TemplateSpec, fill

NOT_PUBLIC = "不公开审理"
_WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class CauseListEntry:
    start: datetime
    courtroom: str
    case_number: str
    cause: str
    parties: str  # 王某 诉 李某
    judge: str
    clerk: str = ""
    is_public: bool = True


@dataclass(frozen=True)
class CauseListData:
    court_name: str
    day: date
    entries: tuple[CauseListEntry, ...]
    issued: date
    division: str = ""  # a tribunal's own list: 北湖人民法庭
    recipient: Recipient | None = None

    @property
    def case(self) -> CaseFacts:
        return CaseFacts(self.court_name, "", "")


COLUMNS = ("时间", "法庭", "案号", "案由", "当事人", "承办人", "书记员")
# Printed landscape (A4 横向, a 225 mm line), at 五号: the 案号 on one line.
WIDTHS = (36, 62, 140, 90, 200, 50, 50)

SPEC = TemplateSpec(
    kind="cause_list",
    title="开庭排期表",
    sections=("标题", "说明", "注意事项"),
    fields=(
        Field("法院", "本院名称"),
        Field("日期", "开庭日期，例如2026年11月25日（星期三）"),
        Field("庭室", "排期表所属的庭室或人民法庭", required=False),
        Field("件数", "当日开庭的案件数"),
    ),
    required_sections=("标题",),
)


def values(data: CauseListData) -> dict[str, str]:
    return {
        "法院": data.court_name,
        "日期": f"{date_text(data.day)}（星期{_WEEKDAYS[data.day.weekday()]}）",
        "庭室": data.division,
        "件数": str(len(data.entries)),
    }


def compose(
    builder: DocBuilder, data: Any, template: Template, definition: NoticeDefinition
) -> None:
    """Title and day, then the ruled list; the header row repeats on each page."""
    assert isinstance(data, CauseListData)
    label = who(definition, data)
    vals = values(data)
    if not data.entries:
        raise ValidationError(
            [FieldProblem("notice", f"{vals['日期']}没有安排开庭，无法生成开庭排期表")]
        )
    title = " ".join(fill(SPEC, line, vals, label) for line in template.lines("标题"))
    intro = [
        fill(SPEC, line, vals, label)
        for line in template.lines("说明")
        if says_something(SPEC, line, vals)  # the room line only for one room's list
    ]
    notes = [fill(SPEC, line, vals, label) for line in template.lines("注意事项")]
    builder.heading(data.court_name, title)
    for paragraph in intro:
        builder.aligned(paragraph, align="center")
    builder.space(builder.setup.line_height * 0.3)
    rows = [
        [
            f"{e.start.hour}:{e.start.minute:02d}",
            e.courtroom,
            e.case_number,
            e.cause,
            e.parties if e.is_public else NOT_PUBLIC,
            e.judge,
            e.clerk,
        ]
        for e in sorted(data.entries, key=lambda e: (e.start, e.courtroom, e.case_number))
    ]
    builder.grid(list(COLUMNS), rows, list(WIDTHS), builder.setup.list_size)
    # A posted list: the court and the day head it; no closing or seal (they would
    # push a page of its own for two lines).
    builder.notes("", notes, size=builder.setup.small_size)


DEFINITION = NoticeDefinition(SPEC, values, compose=compose, landscape=True)
