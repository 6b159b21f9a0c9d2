"""监护责任告知书: the guardian's duties under the Civil Code (domain-rules.md section 7).

Issued in cases involving elderly people or minors: §26 (parents and children),
§34 (the guardian's duties and liability), §35 (the ward's best interests),
§36 (revocation by the court) and §33 (choosing one's guardian in advance). It
names the case, the ward, the guardian and the court, and closes with the court's
name, the date and room for the seal.
"""

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
from courtdesk.notices.template import Field


@dataclass(frozen=True)
class GuardianshipNoticeData:
    case: CaseFacts
    recipient: Recipient  # the guardian
    ward: str
    issued: date


SPEC = letter_spec(
    "guardianship",
    "监护责任告知书",
    Field("监护人", "监护人（收件人）的姓名", hint="请指定监护人"),
    Field("被监护人", "被监护人的姓名", hint="请指定被监护人"),
    optional=("送达地址", "书记员", "被告", "原告"),
    essential=("监护人", "被监护人"),
)


def values(data: GuardianshipNoticeData) -> dict[str, str]:
    return letter_values(data) | {"监护人": data.recipient.name, "被监护人": data.ward}


DEFINITION = NoticeDefinition(SPEC, values)
