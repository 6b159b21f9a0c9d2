"""举证通知书: the burden of proof and the time limit for evidence, to every party.

民诉法 §67–68; 民诉解释 §99: at least 15 days in ordinary first instance, at most
15 in summary procedure, generally at most 7 in small claims (§266, §275). The
days are court settings within those bounds (services.notices).
"""

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


@dataclass(frozen=True)
class EvidenceNoticeData:
    case: CaseFacts
    recipient: Recipient
    issued: date
    evidence_days: int


SPEC = letter_spec(
    "evidence",
    "举证通知书",
    Field("举证期限", "举证期限，例如“十五日”"),
    optional=("送达地址", "书记员", "被告"),
    essential=("举证期限",),
)


def values(data: EvidenceNoticeData) -> dict[str, str]:
    return letter_values(data) | {"举证期限": chinese_count(data.evidence_days) + "日"}


DEFINITION = NoticeDefinition(SPEC, values)
