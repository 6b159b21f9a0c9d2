"""Every notice kind courtdesk prints, by key (``courtdesk notice KIND``)."""

from __future__ import annotations

from courtdesk.notices import (
    address_confirmation,
    announcement,
    appearance,
    cause_list,
    evidence,
    fee,
    guardianship,
    receipt,
    response,
    summons,
)
from courtdesk.notices.base import NoticeDefinition

DEFINITIONS: dict[str, NoticeDefinition] = {
    module.DEFINITION.kind: module.DEFINITION
    for module in (
        summons,
        appearance,
        response,
        evidence,
        receipt,
        address_confirmation,
        announcement,
        cause_list,
        guardianship,
        fee,
    )
}
