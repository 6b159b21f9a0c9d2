"""A fictional case filled into each kind, for the template editor's preview."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from courtdesk.notices import (
    address_confirmation,
    announcement,
    appearance,
    cause_list,
    evidence,
    fee,
    guardianship,
    postal_list,
    receipt,
    response,
    summons,
)
from courtdesk.notices.base import CaseFacts, Recipient
from courtdesk.notices.hearing import HearingFacts


def sample(kind: str, court_name: str, today: date) -> Any:
    """Plain data for ``kind`` about a made-up case of ``court_name`` (示例 in every name)."""
    case = CaseFacts(
        court_name=court_name,
        case_number=f"（{today.year}）示例民初1号",
        cause="民间借贷纠纷",
        claimants=("王示例",),
        respondents=("李示例", "示例商贸有限公司"),
        judge="张法官",
        clerk="刘书记员",
        division="民事审判第一庭",
        filing_date=today,
        procedure_label="简易程序",
        court_phone="0431-0000000",
        court_address="示例市示例大街1号",
    )
    person = Recipient("李示例", "被告", "示例市示例区示例路8号", "13800000000")
    start = datetime.combine(today + timedelta(days=10), datetime.min.time()).replace(hour=9)
    hearing = HearingFacts(start, "第一法庭", "示例市示例大街1号")
    makers: dict[str, Callable[[], Any]] = {
        "summons": lambda: summons.SummonsData(case, person, hearing, today),
        "appearance": lambda: appearance.AppearanceNoticeData(
            case, Recipient("钱示例", "原告王示例的诉讼代理人"), hearing, today
        ),
        "response": lambda: response.ResponseNoticeData(case, person, today),
        "evidence": lambda: evidence.EvidenceNoticeData(case, person, today, 15),
        "receipt": lambda: receipt.ReceiptData(
            case, person, today, "SD0000000001", (("传票", 1), ("应诉通知书", 1)), "直接送达"
        ),
        "address_confirmation": lambda: address_confirmation.AddressConfirmationData(
            case, person, today
        ),
        "announcement": lambda: announcement.AnnouncementData(case, hearing, today),
        "postal_list": lambda: postal_list.PostalList(
            court_name,
            "邮寄清单",
            (
                postal_list.PostalItem(
                    "SD000000018",
                    "1100000000000",
                    person.name,
                    person.address,
                    person.phone,
                    case.case_number,
                    "起诉状副本",
                    1,
                    today.isoformat(),
                    "法院专递",
                ),
            ),
            day=today,
            issued=today,
            court_address=case.court_address,
            court_phone=case.court_phone,
        ),
        "cause_list": lambda: cause_list.CauseListData(
            court_name,
            start.date(),
            (
                cause_list.CauseListEntry(
                    start, "第一法庭", case.case_number, case.cause, "王示例 诉 李示例", "张法官"
                ),
            ),
            today,
        ),
        "guardianship": lambda: guardianship.GuardianshipNoticeData(
            case, Recipient("王示例之子", "近亲属"), "王示例", today
        ),
        "fee": lambda: fee.FeeNoticeData(
            case,
            Recipient("王示例", "原告"),
            today,
            Decimal("1150"),
            basis="财产案件，简易程序减半",
        ),
    }
    return makers[kind]()
