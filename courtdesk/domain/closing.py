"""Closing a case (结案): the manner and the closing date (审限规定 §10, domain-rules.md §2).

The closing date is not typed in: it follows from how the closing document took
effect, and the inputs are what is recorded.

- A judgment or ruling pronounced (宣判、宣告): the day it is pronounced.
- A document served on the parties (a mediation document always; a judgment or
  ruling that was not pronounced): the day it reached the *last* party, where
  "reached" depends on the method — 直接/委托/转交: the day signed for;
  留置: the day it is left; 邮寄: the day it is posted; 公告: the day the notice is
  published; 电子: the day it arrives in the recipient's system.
- A mediation document is never served by 留置 (民诉解释 §133), and nothing is
  served by 公告 in summary procedure (民诉解释 §140).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from courtdesk.errors import FieldProblem, ValidationError


class Manner(StrEnum):
    """结案方式."""

    JUDGMENT = "judgment"
    MEDIATION = "mediation"
    WITHDRAWAL = "withdrawal"
    DISMISSAL = "dismissal"
    APPEAL_WITHDRAWN = "appeal_withdrawn"
    UPHELD = "upheld"
    REMAND = "remand"
    TRANSFER = "transfer"
    TERMINATION = "termination"
    TRIAL_TERMINATED = "trial_terminated"
    RULING = "ruling"
    APPLICATION_REJECTED = "application_rejected"
    APPLICATION_WITHDRAWN = "application_withdrawn"
    ENFORCED = "enforced"
    ROUND_ENDED = "round_ended"
    ENFORCEMENT_ENDED = "enforcement_ended"
    NOT_ENFORCED = "not_enforced"
    CANCELLED = "cancelled"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _MANNER_LABELS[self]


_MANNER_LABELS = {
    Manner.JUDGMENT: "判决",
    Manner.MEDIATION: "调解",
    Manner.WITHDRAWAL: "撤诉",
    Manner.DISMISSAL: "驳回起诉",
    Manner.APPEAL_WITHDRAWN: "准予撤回上诉",
    Manner.UPHELD: "驳回上诉、维持原判",
    Manner.REMAND: "发回重审",
    Manner.TRANSFER: "移送",
    Manner.TERMINATION: "终结",
    Manner.TRIAL_TERMINATED: "终止审理",
    Manner.RULING: "裁定",
    Manner.APPLICATION_REJECTED: "驳回申请",
    Manner.APPLICATION_WITHDRAWN: "撤回申请",
    Manner.ENFORCED: "执行完毕",
    Manner.ROUND_ENDED: "终结本次执行程序",
    Manner.ENFORCEMENT_ENDED: "终结执行",
    Manner.NOT_ENFORCED: "不予执行",
    Manner.CANCELLED: "销案",
    Manner.OTHER: "其他",
}

_M = Manner
_CIVIL_FIRST = (
    _M.JUDGMENT,
    _M.MEDIATION,
    _M.WITHDRAWAL,
    _M.DISMISSAL,
    _M.TRANSFER,
    _M.TERMINATION,
    _M.OTHER,
)
_APPEAL = (
    _M.JUDGMENT,
    _M.UPHELD,
    _M.MEDIATION,
    _M.APPEAL_WITHDRAWN,
    _M.REMAND,
    _M.DISMISSAL,
    _M.TERMINATION,
    _M.OTHER,
)
_CRIMINAL_FIRST = (_M.JUDGMENT, _M.WITHDRAWAL, _M.TRIAL_TERMINATED, _M.TRANSFER, _M.OTHER)
_CRIMINAL_APPEAL = (
    _M.JUDGMENT,
    _M.UPHELD,
    _M.REMAND,
    _M.APPEAL_WITHDRAWN,
    _M.TRIAL_TERMINATED,
    _M.OTHER,
)
_APPLICATION = (
    _M.RULING,
    _M.APPLICATION_REJECTED,
    _M.APPLICATION_WITHDRAWN,
    _M.TERMINATION,
    _M.OTHER,
)
_ENFORCEMENT = (
    _M.ENFORCED,
    _M.ROUND_ENDED,
    _M.ENFORCEMENT_ENDED,
    _M.NOT_ENFORCED,
    _M.APPLICATION_REJECTED,
    _M.CANCELLED,
    _M.TRANSFER,
    _M.OTHER,
)

# The manners each procedure allows. 调解 is possible in civil cases, private
# prosecutions (刑诉法 §212), administrative compensation and the like
# (行诉法 §60), and pre-litigation mediation (诉前调解, a civil_other case).
MANNERS_BY_PROCEDURE: dict[str, tuple[Manner, ...]] = {
    "civil_ordinary": _CIVIL_FIRST,
    "civil_summary": _CIVIL_FIRST,
    "civil_small_claims": _CIVIL_FIRST,
    "civil_appeal_judgment": _APPEAL,
    "civil_appeal_ruling": (_M.UPHELD, _M.RULING, _M.APPEAL_WITHDRAWN, _M.TERMINATION, _M.OTHER),
    "civil_special": (_M.JUDGMENT, *_APPLICATION),
    "civil_other": (_M.MEDIATION, *_APPLICATION),
    "criminal_public": _CRIMINAL_FIRST,
    "criminal_summary": _CRIMINAL_FIRST,
    "criminal_summary_long": _CRIMINAL_FIRST,
    "criminal_fast_track": _CRIMINAL_FIRST,
    "criminal_fast_track_long": _CRIMINAL_FIRST,
    "criminal_private": (_M.JUDGMENT, _M.MEDIATION, *_CRIMINAL_FIRST[1:]),
    "criminal_appeal": _CRIMINAL_APPEAL,
    "criminal_other": _APPLICATION,
    "admin_first": _CIVIL_FIRST,
    "admin_summary": _CIVIL_FIRST,
    "admin_appeal": _APPEAL,
    "admin_other": _APPLICATION,
    "enforcement": _ENFORCEMENT,
    "enforcement_other": _APPLICATION,
    "preservation": _APPLICATION,
    "bankruptcy": _APPLICATION,
    "sanction": _APPLICATION,
}


def manners_for(procedure_code: str) -> tuple[Manner, ...]:
    return MANNERS_BY_PROCEDURE.get(procedure_code, _APPLICATION)


class Delivery(StrEnum):
    """How the closing document took effect."""

    PRONOUNCED = "pronounced"  # 宣判、宣告
    SERVED = "served"  # 送达最后一方当事人

    @property
    def label(self) -> str:
        return "当庭或定期宣判、宣告" if self is Delivery.PRONOUNCED else "送达最后一方当事人"


class ServiceMethod(StrEnum):
    DIRECT = "direct"
    ENTRUSTED = "entrusted"
    TRANSFERRED = "transferred"
    LEFT = "left"
    POST = "post"
    NOTICE = "notice"
    ELECTRONIC = "electronic"

    @property
    def label(self) -> str:
        return _METHOD_LABELS[self][0]

    @property
    def date_label(self) -> str:
        """What the date entered for this method is (审限规定 §10)."""
        return _METHOD_LABELS[self][1]


_METHOD_LABELS = {
    ServiceMethod.DIRECT: ("直接送达", "签收日期"),
    ServiceMethod.ENTRUSTED: ("委托送达", "签收日期"),
    ServiceMethod.TRANSFERRED: ("转交送达", "送达回证签收日期"),
    ServiceMethod.LEFT: ("留置送达", "留置日期"),
    ServiceMethod.POST: ("邮寄送达", "交邮日期"),
    ServiceMethod.NOTICE: ("公告送达", "公告刊登日期"),
    ServiceMethod.ELECTRONIC: ("电子送达", "到达日期"),
}

SUMMARY_PROCEDURES = frozenset({"civil_summary", "civil_small_claims"})


@dataclass(frozen=True)
class PartyService:
    """The closing document reaching one party: how, and the date that counts."""

    party_id: int
    party_name: str
    method: ServiceMethod
    day: date


@dataclass(frozen=True)
class ClosingInputs:
    manner: Manner
    delivery: Delivery
    pronounced_on: date | None = None
    services: tuple[PartyService, ...] = ()


def closing_date(
    procedure_code: str,
    inputs: ClosingInputs,
    filing_date: date,
    today: date,
    parties: Mapping[int, str] | None = None,
) -> date:
    """The 结案日期 the inputs give, or ValidationError naming each wrong field.

    ``parties`` (id → name) are the case's parties: a served document must then have
    reached every one of them, since the closing date is the day it reached the last.
    """
    problems: list[FieldProblem] = []
    if inputs.manner not in manners_for(procedure_code):
        allowed = "、".join(m.label for m in manners_for(procedure_code))
        problems.append(
            FieldProblem(
                "manner", f"结案方式「{inputs.manner.label}」不适用于本案（可选：{allowed}）"
            )
        )
    day: date | None = None
    if inputs.delivery is Delivery.PRONOUNCED:
        if inputs.manner is Manner.MEDIATION:
            problems.append(
                FieldProblem("delivery", "调解书以送达最后一方当事人之日为结案日期，不能以宣告结案")
            )
        if inputs.pronounced_on is None:
            problems.append(FieldProblem("pronounced_on", "请填写宣判（宣告）日期"))
        day = inputs.pronounced_on
    else:
        day = _last_service(procedure_code, inputs, problems, parties)
    if day is not None:
        if day < filing_date:
            problems.append(
                FieldProblem(
                    "closing_date",
                    f"结案日期 {day.isoformat()} 早于立案日期 {filing_date.isoformat()}",
                )
            )
        if day > today:
            problems.append(FieldProblem("closing_date", f"结案日期 {day.isoformat()} 晚于今天"))
    if problems:
        raise ValidationError(problems)
    assert day is not None
    return day


def _last_service(
    procedure_code: str,
    inputs: ClosingInputs,
    problems: list[FieldProblem],
    parties: Mapping[int, str] | None,
) -> date | None:
    if not inputs.services:
        problems.append(FieldProblem("services", "请填写文书送达各方当事人的方式和日期"))
        return None
    # 审限规定 §10 and domain-rules.md §2: a served document takes effect, and the case
    # closes, on the day it reaches the *last* party. A party left out has not been
    # served yet (or their date is missing), so the latest date entered could be too
    # early, and with it every period that runs from the closing: refused, naming them.
    unserved = [
        name
        for party_id, name in (parties or {}).items()
        if party_id not in {s.party_id for s in inputs.services}
    ]
    if unserved:
        problems.append(
            FieldProblem(
                "services",
                f"送达日期：尚未填写对当事人{'、'.join(unserved)}的送达；"
                "结案日期是文书送达最后一方当事人之日，须填写每一方的送达方式和日期",
            )
        )
    seen: set[int] = set()
    for index, service in enumerate(inputs.services):
        where = f"services.{index}"
        if service.party_id in seen:
            problems.append(FieldProblem(where, f"当事人{service.party_name}重复填写"))
        seen.add(service.party_id)
        if inputs.manner is Manner.MEDIATION and service.method is ServiceMethod.LEFT:
            problems.append(
                FieldProblem(
                    where,
                    f"调解书不适用留置送达（民诉解释第133条），请改正对{service.party_name}的送达方式",
                )
            )
        if procedure_code in SUMMARY_PROCEDURES and service.method is ServiceMethod.NOTICE:
            problems.append(
                FieldProblem(
                    where,
                    f"简易程序不适用公告送达（民诉解释第140条），请改正对{service.party_name}的送达方式",
                )
            )
    return max(s.day for s in inputs.services)


def describe(inputs: ClosingInputs, closed_on: date) -> str:
    """One line saying where the closing date came from, for the timeline and the record."""
    if inputs.delivery is Delivery.PRONOUNCED:
        return f"{inputs.manner.label}，{closed_on.isoformat()} 宣判（宣告），以宣判之日为结案日期"
    last = max(inputs.services, key=lambda s: s.day)
    return (
        f"{inputs.manner.label}，文书于 {closed_on.isoformat()} 送达最后一方当事人"
        f"{last.party_name}（{last.method.label}，以{last.method.date_label}为准）"
    )
