"""出庭通知书: notice to appear for agents, witnesses, experts and interpreters (民诉解释 §227)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from courtdesk.notices.base import (
    CaseFacts,
    NoticeDefinition,
    Recipient,
    letter_spec,
    letter_values,
)
from courtdesk.notices.hearing import HEARING_FIELDS, HearingFacts
from courtdesk.notices.template import Field


@dataclass(frozen=True)
class AppearanceNoticeData:
    case: CaseFacts
    recipient: Recipient  # role: 原告的诉讼代理人, 证人, 鉴定人 …
    hearing: HearingFacts
    issued: date


SPEC = letter_spec(
    "appearance",
    "出庭通知书",
    *HEARING_FIELDS,
    Field("出庭身份", "收件人出庭的身份，例如原告王某的诉讼代理人、证人"),
    optional=("送达地址", "书记员"),
    essential=("受送达人", "开庭时间", "开庭地点"),
)


def values(data: AppearanceNoticeData) -> dict[str, str]:
    return letter_values(data) | data.hearing.values() | {"出庭身份": data.recipient.role}


DEFINITION = NoticeDefinition(SPEC, values)
