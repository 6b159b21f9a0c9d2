"""The notices that come from the schedule: 传票, 出庭通知书, 开庭公告 and 开庭排期表.

The notices engine owns their layouts and wording; this module gives it the data
(``notices.register_kind`` replaces the engine's "not wired yet" entries when the
registry is first read). A hearing-based notice names a hearing, or a case, whose
next scheduled hearing is then used; a postponed or cancelled hearing gets none.

Who gets what (民诉法 §139, 民诉解释 §227): every party a 传票, except the public
prosecution, which like each agent ad litem gets a 出庭通知书.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from courtdesk.domain.service import PROSECUTION_ROLES
from courtdesk.errors import FieldProblem, ValidationError
from courtdesk.notices import announcement, appearance, summons
from courtdesk.notices import cause_list as cause_list_notice
from courtdesk.notices.base import Recipient
from courtdesk.notices.catalog import DEFINITIONS
from courtdesk.notices.hearing import HearingFacts
from courtdesk.services import hearings, notices, settings
from courtdesk.services.cases import CaseDetail, get_case
from courtdesk.services.hearings import PUBLIC_KINDS, HearingMode, HearingStatus, HearingView
from courtdesk.services.notices import NoticeKind, NoticeRequest, RecipientOption
from courtdesk.services.workspace import Workspace
from courtdesk.store import court
from courtdesk.store import hearings as hearing_store


def _hearing(ws: Workspace, request: NoticeRequest, title: str) -> HearingView:
    """The hearing a request names, or the case's next scheduled one."""
    if request.hearing_id is not None:
        view = hearings.get_hearing(ws, request.hearing_id)
    elif request.case_id is not None:
        scheduled = [
            h
            for h in hearings.case_hearings(ws, request.case_id)
            if h.status is HearingStatus.SCHEDULED
        ]
        upcoming = [h for h in scheduled if h.start >= datetime.now()]
        if not scheduled:
            raise ValidationError(
                [FieldProblem("hearing", f"本案尚未安排开庭，无法生成{title}，请先在排期中安排")]
            )
        view = (upcoming or scheduled[-1:])[0]
    else:
        raise ValidationError([FieldProblem("hearing", f"生成{title}须指定开庭或案件")])
    if view.status is not HearingStatus.SCHEDULED:
        raise ValidationError(
            [
                FieldProblem(
                    "hearing",
                    f"{view.case_number} {view.start:%Y-%m-%d %H:%M} 的{view.kind_label}"
                    f"{view.status_label}，不能生成{title}",
                )
            ]
        )
    return view


def hearing_facts(ws: Workspace, view: HearingView) -> HearingFacts:
    """When and where, with the address of the building the room is in."""
    address = ""
    if view.mode is HearingMode.ROOM and view.room_id is not None:
        conn = ws.db.connection
        room = hearing_store.courtroom_row(conn, view.room_id)
        division = room["division_id"] if room is not None else None
        if division is not None:
            address = next(
                (str(d["address"]) for d in court.divisions(conn) if d["id"] == division), ""
            )
        else:
            address = settings.get(ws, "notice.court_address")
    return HearingFacts(view.start, view.place, address, view.is_public)


def _reason(view: HearingView) -> str:
    return "开庭审理" if view.kind.label == "开庭" else f"{view.kind.label}"


def _gather_summons(ws: Workspace, request: NoticeRequest) -> list[Any]:
    view = _hearing(ws, request, "传票")
    detail = get_case(ws, view.case_id)
    facts = notices.case_facts(ws, detail)
    hearing = hearing_facts(ws, view)
    parties = [p for p in detail.parties if p.role not in PROSECUTION_ROLES]
    if request.party_id is not None:
        parties = [p for p in parties if p.id == request.party_id]
        if not parties:
            raise ValidationError(
                [FieldProblem("party", "传票只发给当事人；公诉机关和诉讼代理人发出庭通知书")]
            )
    elif not request.all_recipients and len(parties) > 1:
        names = "、".join(f"{p.role}{p.name}" for p in parties)
        raise ValidationError(
            [
                FieldProblem(
                    "party", f"本案有{len(parties)}名当事人（{names}），请指定一人或选择全部"
                )
            ]
        )
    return [
        summons.SummonsData(
            facts, notices.party_recipient(p), hearing, request.issue_date, _reason(view)
        )
        for p in parties
    ]


def _appearance_recipients(detail: CaseDetail) -> list[tuple[int, Recipient]]:
    """(party id, recipient): the prosecution, and every agent ad litem."""
    found: list[tuple[int, Recipient]] = []
    for party in detail.parties:
        if party.role in PROSECUTION_ROLES:
            found.append(
                (party.id, Recipient(party.name, party.role, party.address, party.phone, True))
            )
        for agent in party.agents:
            role = f"{party.role}{party.name}的诉讼代理人"
            found.append((party.id, Recipient(agent.name, role, "", agent.phone)))
    return found


def _gather_appearance(ws: Workspace, request: NoticeRequest) -> list[Any]:
    view = _hearing(ws, request, "出庭通知书")
    detail = get_case(ws, view.case_id)
    facts = notices.case_facts(ws, detail)
    hearing = hearing_facts(ws, view)
    recipients = _appearance_recipients(detail)
    if request.party_id is not None:
        recipients = [r for r in recipients if r[0] == request.party_id]
    if not recipients:
        raise ValidationError(
            [
                FieldProblem(
                    "party", f"{detail.case_number} 没有诉讼代理人或公诉机关，无需出庭通知书"
                )
            ]
        )
    if not request.all_recipients and request.party_id is None and len(recipients) > 1:
        names = "、".join(r.name for _, r in recipients)
        raise ValidationError(
            [
                FieldProblem(
                    "party", f"本案有{len(recipients)}名收件人（{names}），请指定一方或选择全部"
                )
            ]
        )
    return [
        appearance.AppearanceNoticeData(facts, recipient, hearing, request.issue_date)
        for _, recipient in recipients
    ]


def _gather_announcement(ws: Workspace, request: NoticeRequest) -> list[Any]:
    view = _hearing(ws, request, "开庭公告")
    if not view.is_public or view.kind not in PUBLIC_KINDS:
        raise ValidationError(
            [
                FieldProblem(
                    "hearing",
                    f"{view.case_number} 的{view.kind_label}不公开进行，依法不发开庭公告",
                )
            ]
        )
    detail = get_case(ws, view.case_id)
    return [
        announcement.AnnouncementData(
            notices.case_facts(ws, detail), hearing_facts(ws, view), request.issue_date
        )
    ]


def _gather_cause_list(ws: Workspace, request: NoticeRequest) -> list[Any]:
    day: date | None = request.day
    if day is None:
        raise ValidationError([FieldProblem("day", "生成开庭排期表须指定日期")])
    listing = hearings.cause_list(ws, day, request.courtroom_id)
    entries = tuple(
        cause_list_notice.CauseListEntry(
            e.start, e.place, e.case_number, e.cause, e.parties, e.judge, e.clerk, e.is_public
        )
        for e in listing.entries
    )
    return [
        cause_list_notice.CauseListData(
            ws.court_name, day, entries, request.issue_date, division=listing.room
        )
    ]


def _party_options(ws: Workspace, case_id: int) -> list[RecipientOption]:
    detail = get_case(ws, case_id)
    return [
        RecipientOption(p.id, f"{p.role} {p.name}")
        for p in detail.parties
        if p.role not in PROSECUTION_ROLES
    ]


def _appearance_options(ws: Workspace, case_id: int) -> list[RecipientOption]:
    detail = get_case(ws, case_id)
    return [RecipientOption(pid, f"{r.role} {r.name}") for pid, r in _appearance_recipients(detail)]


def register() -> None:
    """Wire the four kinds to the schedule (idempotent)."""
    for key, gather, per_recipient, options in (
        ("summons", _gather_summons, True, _party_options),
        ("appearance", _gather_appearance, True, _appearance_options),
        ("announcement", _gather_announcement, False, None),
        ("cause_list", _gather_cause_list, False, None),
    ):
        notices.register_kind(
            NoticeKind(
                DEFINITIONS[key],
                gather,
                source="day" if key == "cause_list" else "hearing",
                per_recipient=per_recipient,
                recipients=options,
            )
        )


register()
