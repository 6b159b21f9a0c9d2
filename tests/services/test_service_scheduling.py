"""Scheduling and service together: hearings make summonses, moves and cancellations
follow through, and the 3-day rule reads how each party can really be served."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from courtdesk.domain.scheduling import ConflictKind
from courtdesk.domain.service import (
    AddressConfirmation,
    Attempt,
    DocumentKind,
    Outcome,
    ServiceMethod,
    TaskState,
)
from courtdesk.services import hearings
from courtdesk.services import service as svc
from courtdesk.services.service import AttemptEntry
from courtdesk.services.workspace import Workspace, open_workspace
from courtdesk.store import court
from courtdesk.store.audit import now_iso
from tests.services.test_hearings import NOW, Court, at, setup

__all__ = ["setup"]  # the scheduling tests' court, used here as a fixture
MONDAY = date(2026, 11, 30)


@pytest.fixture
def centre(setup: Court) -> Iterator[Workspace]:
    """A member of the service centre in the same court."""
    system = open_workspace(setup.path)
    with system.db.transaction() as tx:
        court.insert_user(tx, "server", "送达员", None, ["service"], now_iso())
    system.close()
    ws = open_workspace(setup.path, "server")
    yield ws
    ws.close()


def hearing_tasks(ws: Workspace, hearing_id: int) -> list[svc.TaskDetail]:
    rows = ws.db.query(
        "SELECT id FROM service_tasks WHERE hearing_id = ? ORDER BY id", (hearing_id,)
    )
    return [svc.get_task(ws, int(r[0])) for r in rows]


def test_scheduling_creates_summonses_and_notices(setup: Court, centre: Workspace) -> None:
    case_id = setup.case("甲")
    hearing = hearings.schedule_hearing(setup.ws, setup.draft(case_id, at(MONDAY, 9)), now=NOW)
    made = hearing_tasks(centre, hearing.id)
    assert [(t.recipient_name, t.document, t.blocks_hearing) for t in made] == [
        ("甲甲", DocumentKind.SUMMONS, True),
        ("甲乙", DocumentKind.SUMMONS, True),
        ("钱律师", DocumentKind.APPEARANCE_NOTICE, False),
    ]
    assert {t.title for t in made[:2]} == {"传票（2026年11月30日上午9时00分在第一法庭开庭）"}
    assert all(t.due_date == date(2026, 11, 27) for t in made)
    assert all(t.origin == "hearing" and t.state is TaskState.PENDING for t in made)


def test_the_three_day_rule_reads_the_service_records(setup: Court, centre: Workspace) -> None:
    case_id = setup.case("乙", lawyer="")
    plaintiff, defendant = (p.party_id for p in svc.case_service(centre, case_id))
    svc.confirm_address(
        setup.ws,
        plaintiff,
        AddressConfirmation(
            "长春市南关区一号",
            NOW.date(),
            electronic_consent=True,
            electronic_address="13900000001",
        ),
        today=NOW.date(),
    )
    svc.confirm_address(
        setup.ws, defendant, AddressConfirmation("长春市朝阳区二号", NOW.date()), today=NOW.date()
    )
    # Sent on Friday the 20th: the plaintiff is served that day electronically, the
    # defendant by 法院专递 three working days later (Wednesday the 25th), so a
    # hearing on Friday the 27th is too soon for the defendant only.
    friday = date(2026, 11, 27)
    outcome = hearings.check_hearing(setup.ws, setup.draft(case_id, at(friday, 9)), now=NOW)
    assert outcome.summons_basis == "送达记录中的送达方式"
    late = [c for c in outcome.conflicts if c.kind is ConflictKind.SUMMONS_TOO_LATE]
    assert len(late) == 1 and "乙乙" in late[0].message and "法院专递" in late[0].message
    fine = hearings.check_hearing(setup.ws, setup.draft(case_id, at(MONDAY, 9)), now=NOW)
    assert not [c for c in fine.conflicts if c.kind is ConflictKind.SUMMONS_TOO_LATE]


def test_moving_postponing_and_cancelling_follow_through(setup: Court, centre: Workspace) -> None:
    case_id = setup.case("丙")
    hearing = hearings.schedule_hearing(setup.ws, setup.draft(case_id, at(MONDAY, 9)), now=NOW)
    plaintiff, defendant, lawyer = hearing_tasks(centre, hearing.id)
    today = date.today()
    svc.record_attempt(
        centre,
        AttemptEntry(
            plaintiff.id,
            plaintiff.version,
            Attempt(
                ServiceMethod.DIRECT,
                Outcome.DELIVERED,
                today,
                receiver_name="丙甲",
                receiver_relation="本人",
            ),
        ),
    )
    svc.record_attempt(
        centre,
        AttemptEntry(
            defendant.id,
            defendant.version,
            Attempt(
                ServiceMethod.COURT_EXPRESS, Outcome.IN_TRANSIT, today, waybill="1100000000009"
            ),
        ),
    )
    # Moved to Tuesday afternoon: the untried notice is rewritten; the one in the post is
    # withdrawn and issued again; the served summons stays served and a new one is issued.
    tuesday = MONDAY + timedelta(days=1)
    view = hearings.get_hearing(setup.ws, hearing.id)
    hearings.move_hearing(
        setup.ws, hearing.id, view.version, at(tuesday, 14), at(tuesday, 15), now=NOW
    )
    after = {t.id: t for t in hearing_tasks(centre, hearing.id)}
    assert after[plaintiff.id].state is TaskState.SERVED
    assert after[defendant.id].state is TaskState.WITHDRAWN
    assert "2026-12-01 14:00" in after[defendant.id].withdrawn_reason
    assert after[lawyer.id].state is TaskState.PENDING
    assert after[lawyer.id].title == "出庭通知书（2026年12月1日下午2时00分在第一法庭开庭）"
    new = [t for t in after.values() if t.id > lawyer.id]
    assert sorted(t.recipient_name for t in new) == ["丙乙", "丙甲"]
    assert all(t.due_date == date(2026, 11, 28) for t in new)
    # Postponed to a new date: everything unserved of the old hearing is withdrawn,
    # and the new hearing has its own summonses.
    view = hearings.get_hearing(setup.ws, hearing.id)
    wednesday = MONDAY + timedelta(days=9)
    _, moved_to = hearings.postpone_hearing(
        setup.ws,
        hearing.id,
        view.version,
        "当事人申请延期举证",
        at(wednesday, 9),
        at(wednesday, 10),
        now=NOW,
    )
    assert moved_to is not None
    old = hearing_tasks(centre, hearing.id)
    assert {t.state for t in old} == {TaskState.SERVED, TaskState.WITHDRAWN}
    assert any("延期" in t.withdrawn_reason for t in old)
    fresh = hearing_tasks(centre, moved_to.id)
    assert len(fresh) == 3 and {t.state for t in fresh} == {TaskState.PENDING}
    # Cancelled: its summonses are withdrawn with the reason; nothing is deleted.
    before = centre.db.query("SELECT count(*) FROM service_tasks")[0][0]
    hearings.cancel_hearing(
        setup.ws, moved_to.id, hearings.get_hearing(setup.ws, moved_to.id).version, "原告撤诉"
    )
    cancelled = hearing_tasks(centre, moved_to.id)
    assert {t.state for t in cancelled} == {TaskState.WITHDRAWN}
    assert all("原告撤诉" in t.withdrawn_reason for t in cancelled)
    assert centre.db.query("SELECT count(*) FROM service_tasks")[0][0] == before
    with sqlite3.connect(setup.path) as conn:
        audited = conn.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'service.task.withdraw'"
        ).fetchone()[0]
    assert audited == 1 + 3 + 3  # moved, postponed, cancelled


def test_closing_a_case_cancels_its_later_hearings_and_their_summonses(
    setup: Court, centre: Workspace
) -> None:
    from courtdesk.domain.closing import Delivery, Manner, PartyService
    from courtdesk.domain.closing import ServiceMethod as Handed
    from courtdesk.services import cases, closing
    from courtdesk.services.closing import ClosingInputs

    case_id = setup.case("结")
    later = hearings.schedule_hearing(setup.ws, setup.draft(case_id, at(MONDAY, 9)), now=NOW)
    other = hearings.schedule_hearing(
        setup.ws, setup.draft(setup.case("续"), at(MONDAY, 14)), now=NOW
    )
    judge = open_workspace(setup.path, "judge0")
    try:
        detail = cases.get_case(judge, case_id)
        settled = ClosingInputs(
            Manner.MEDIATION,
            Delivery.SERVED,
            services=tuple(
                PartyService(p.id, p.name, Handed.DIRECT, date(2026, 11, 21))
                for p in detail.parties
            ),
        )
        closing.close_case(judge, case_id, detail.version, settled, today=date(2026, 11, 23))
    finally:
        judge.close()
    cancelled = hearings.get_hearing(setup.ws, later.id)
    assert cancelled.status is hearings.HearingStatus.CANCELLED
    assert "2026-11-21 结案" in cancelled.status_reason
    assert {t.state for t in hearing_tasks(centre, later.id)} == {TaskState.WITHDRAWN}
    # Another case's hearing that afternoon is untouched, and the room is free again.
    assert hearings.get_hearing(setup.ws, other.id).status is hearings.HearingStatus.SCHEDULED
    again = hearings.check_hearing(setup.ws, setup.draft(setup.case("新"), at(MONDAY, 9)), now=NOW)
    assert not [c for c in again.conflicts if c.kind is ConflictKind.ROOM_TAKEN]
