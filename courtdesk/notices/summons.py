"""传票: summons to a party to appear at a hearing (民诉法 §139; 民诉解释 §227).

Parties are summoned by 传票; everyone else by 出庭通知书 (appearance.py).
"""

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
from courtdesk.notices.template import Field, TemplateSpec


@dataclass(frozen=True)
class SummonsData:
    case: CaseFacts
    recipient: Recipient
    hearing: HearingFacts
    issued: date
    reason: str = "开庭审理"  # 传唤事由


SPEC = TemplateSpec(
    kind="summons",
    title="传票",
    sections=("标题", "表格", "注意事项"),
    fields=with_fields(
        *HEARING_FIELDS,
        Field("传唤事由", "传唤的事由，例如开庭审理"),
        optional=("书记员",),
    ),
    required_sections=("标题", "表格"),
    essential=("受送达人", "开庭时间", "开庭地点"),
)


def values(data: SummonsData) -> dict[str, str]:
    return (
        common_values(data.case, data.recipient, data.issued)
        | data.hearing.values()
        | {"传唤事由": data.reason}
    )


DEFINITION = NoticeDefinition(SPEC, values, label_chars=7)
