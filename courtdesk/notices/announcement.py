"""开庭公告: the public announcement of a public hearing (民诉法 §139: 公开审理的，
应当公告当事人姓名、案由和开庭的时间、地点). Hearings not held in public get none."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from courtdesk.notices.base import (
    CaseFacts,
    NoticeDefinition,
    Recipient,
    common_values,
    with_fields,
)
from courtdesk.notices.hearing import HEARING_FIELDS, HearingFacts
from courtdesk.notices.template import TemplateSpec


@dataclass(frozen=True)
class AnnouncementData:
    case: CaseFacts
    hearing: HearingFacts
    issued: date
    recipient: Recipient | None = None  # posted, not addressed


SPEC = TemplateSpec(
    kind="announcement",
    title="开庭公告",
    sections=("标题", "正文"),
    fields=tuple(
        f
        for f in with_fields(*HEARING_FIELDS, optional=("书记员", "被告"))
        if f.name not in ("受送达人", "诉讼地位", "送达地址", "受送达人电话")
    ),
    required_sections=("标题", "正文"),
    essential=("开庭时间", "开庭地点", "案由"),
)


def values(data: AnnouncementData) -> dict[str, str]:
    return common_values(data.case, None, data.issued) | data.hearing.values()


DEFINITION = NoticeDefinition(SPEC, values)
