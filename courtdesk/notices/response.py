"""应诉通知书: sent to each defendant with the copy of the complaint (民诉法 §128)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from courtdesk.notices.base import (
    CaseFacts,
    NoticeDefinition,
    Recipient,
    chinese_count,
    letter_spec,
    letter_values,
)
from courtdesk.notices.template import Field

# 答辩期: fifteen days from receipt of the complaint (民诉法 §128).
DEFENCE_DAYS = 15


@dataclass(frozen=True)
class ResponseNoticeData:
    case: CaseFacts
    recipient: Recipient
    issued: date
    defence_days: int = DEFENCE_DAYS


SPEC = letter_spec(
    "response",
    "应诉通知书",
    Field("答辩期间", "提交答辩状的期间，例如“十五日”"),
    optional=("送达地址", "书记员"),
    essential=("受送达人",),
)


def values(data: ResponseNoticeData) -> dict[str, str]:
    return letter_values(data) | {"答辩期间": chinese_count(data.defence_days) + "日"}


DEFINITION = NoticeDefinition(SPEC, values)
