"""The notice kinds by key and title, without loading reportlab (for the CLI's parser).

Kept in step with ``notices.catalog.DEFINITIONS`` (a test checks it).
"""

from __future__ import annotations

KIND_TITLES: dict[str, str] = {
    "summons": "传票",
    "appearance": "出庭通知书",
    "response": "应诉通知书",
    "evidence": "举证通知书",
    "receipt": "送达回证",
    "address_confirmation": "送达地址确认书",
    "announcement": "开庭公告",
    "cause_list": "开庭排期表",
    "guardianship": "监护责任告知书",
    "fee": "缴纳诉讼费用通知书",
}
