"""The schedule's notices through the notices engine: the PDF text read back."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from courtdesk.domain.parties import AgentDraft, PartyDraft
from courtdesk.errors import ValidationError
from courtdesk.services import cases, hearings, notices
from courtdesk.services.cases import CaseDraft
from courtdesk.services.hearings import HearingKind
from courtdesk.services.notices import NoticeRequest
from tests.services.test_hearings import MONDAY, NOW, Court, _scheduling_rules_alone, at, setup

# The fixtures shared with the scheduling tests (the service module's outlook is set
# aside there: these tests are about the notices, not about serving them).
__all__ = ["_scheduling_rules_alone", "setup"]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    return "".join(text.split())


def test_summons_and_appearance_notices_of_a_hearing(setup: Court) -> None:
    case_id = setup.case("甲")
    hearing = hearings.schedule_hearing(setup.ws, setup.draft(case_id, at(MONDAY, 9)), now=NOW)
    summons = notices.generate(
        setup.ws, "summons", [NoticeRequest(hearing_id=hearing.id, all_recipients=True)]
    )
    assert summons.documents == 2 and summons.subjects == ("原告甲甲", "被告甲乙")
    text = flat(pdf_text(summons.pdf))
    assert "传票" in text and "甲甲" in text and "甲乙" in text
    assert "2026年11月30日" in text and "第一法庭" in text
    # Naming the case instead of the hearing uses its next scheduled hearing after
    # the day the notice bears.
    by_case = notices.generate(
        setup.ws,
        "appearance",
        [NoticeRequest(case_id=case_id, all_recipients=True, issued=NOW.date())],
    )
    assert by_case.subjects == ("原告甲甲的代理人钱律师",)
    assert "出庭通知书" in flat(pdf_text(by_case.pdf))
    # Dated after that hearing, the case has no hearing left to name.
    with pytest.raises(ValidationError, match="没有待开的庭"):
        notices.generate(
            setup.ws,
            "appearance",
            [
                NoticeRequest(
                    case_id=case_id, all_recipients=True, issued=MONDAY + timedelta(days=1)
                )
            ],
        )


def test_no_notices_for_a_postponed_hearing_or_a_case_without_one(setup: Court) -> None:
    case_id = setup.case("甲")
    with pytest.raises(ValidationError, match="请先在排期中安排"):
        notices.generate(setup.ws, "summons", [NoticeRequest(case_id=case_id, all_recipients=True)])
    hearing = hearings.schedule_hearing(setup.ws, setup.draft(case_id, at(MONDAY, 9)), now=NOW)
    hearings.postpone_hearing(setup.ws, hearing.id, hearing.version, "被告申请", now=NOW)
    with pytest.raises(ValidationError, match="已延期"):
        notices.generate(
            setup.ws, "summons", [NoticeRequest(hearing_id=hearing.id, all_recipients=True)]
        )


def test_announcement_only_for_public_hearings(setup: Court) -> None:
    public = setup.case("甲")
    trial = hearings.schedule_hearing(setup.ws, setup.draft(public, at(MONDAY, 9)), now=NOW)
    text = flat(
        pdf_text(
            notices.generate(setup.ws, "announcement", [NoticeRequest(hearing_id=trial.id)]).pdf
        )
    )
    assert "开庭公告" in text and "公开开庭" in text and "买卖合同纠纷" in text
    mediation = hearings.schedule_hearing(
        setup.ws,
        setup.draft(public, at(MONDAY, 14), kind=HearingKind.MEDIATION),
        "同日调解",
        now=NOW,
    )
    with pytest.raises(ValidationError, match="不公开"):
        notices.generate(setup.ws, "announcement", [NoticeRequest(hearing_id=mediation.id)])
    private = cases.register_case(
        setup.ws,
        CaseDraft(
            "民初",
            "civil_summary",
            "离婚纠纷",
            MONDAY - timedelta(days=10),
            (
                PartyDraft("原告", "丙甲", agents=(AgentDraft("孙律师", "律师", "乙所", ""),)),
                PartyDraft("被告", "丙乙"),
            ),
            presiding_judge_id=setup.judges[1],
            clerk_id=setup.clerks[1],
            is_private=True,
        ),
    ).id
    hidden = hearings.schedule_hearing(
        setup.ws, setup.draft(private, at(MONDAY, 9), room_id=setup.rooms[1]), now=NOW
    )
    with pytest.raises(ValidationError, match="不公开"):
        notices.generate(setup.ws, "announcement", [NoticeRequest(hearing_id=hidden.id)])
    # The day's list shows it without the parties' names.
    day_list = flat(
        pdf_text(notices.generate(setup.ws, "cause_list", [NoticeRequest(day=MONDAY)]).pdf)
    )
    assert "开庭排期表" in day_list and "不公开审理" in day_list and "丙甲" not in day_list
    assert "甲甲" in day_list


def test_cause_list_of_one_room(setup: Court) -> None:
    first = setup.case("甲")
    second = setup.case("乙", judge=1, lawyer="")
    hearings.schedule_hearing(setup.ws, setup.draft(first, at(MONDAY, 9)), now=NOW)
    hearings.schedule_hearing(
        setup.ws, setup.draft(second, at(MONDAY, 9), room_id=setup.rooms[1]), now=NOW
    )
    one_room = flat(
        pdf_text(
            notices.generate(
                setup.ws, "cause_list", [NoticeRequest(day=MONDAY, room_id=setup.rooms[1])]
            ).pdf
        )
    )
    assert "乙甲" in one_room and "甲甲" not in one_room and "第二法庭" in one_room
    with pytest.raises(ValidationError, match="没有安排开庭"):
        notices.generate(setup.ws, "cause_list", [NoticeRequest(day=MONDAY + timedelta(days=1))])
