"""送达地址确认书: the address a party confirms for the whole case (domain-rules.md section 4).

Printed with what the court already knows (the registered address and phone)
for the party to confirm or correct and sign; an unknown address is left blank
for the party to write in, so it is not a missing value here.
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
from courtdesk.notices.template import TemplateSpec


@dataclass(frozen=True)
class AddressConfirmationData:
    case: CaseFacts
    recipient: Recipient
    issued: date


SPEC = TemplateSpec(
    kind="address_confirmation",
    title="送达地址确认书",
    sections=("标题", "说明", "表格", "注意事项"),
    fields=with_fields(optional=("送达地址", "书记员", "被告", "原告")),
    required_sections=("标题", "表格"),
    essential=("受送达人",),
)


def values(data: AddressConfirmationData) -> dict[str, str]:
    return common_values(data.case, data.recipient, data.issued)


# Labels of eight characters: 是否同意电子送达 on one line, so the form and its
# 告知事项 fit one sheet.
DEFINITION = NoticeDefinition(
    SPEC, values, closing=False, notes_heading="告知事项：", label_chars=8
)
