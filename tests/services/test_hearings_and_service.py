"""Scheduling and service of process together (runs once the service module is merged).

Scheduling never creates service tasks itself: it publishes events and the service
module issues the summons (传票) and appearance notices (出庭通知书), rewrites them
when the hearing moves and withdraws them when it is cancelled.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from courtdesk.services import hearings

pytest.importorskip("courtdesk.services.service_events", reason="the service module is not merged")

from tests.services.test_hearings import MONDAY, NOW, Court, at, setup

__all__ = ["setup"]  # the fixture, shared with the scheduling tests


def tasks(court: Court, hearing_id: int) -> list[tuple[str, str, str]]:
    return [
        (str(r[0]), str(r[1]), str(r[2]))
        for r in court.ws.db.query(
            "SELECT recipient_name, state, title FROM service_tasks WHERE hearing_id = ?"
            " ORDER BY id",
            (hearing_id,),
        )
    ]


def test_scheduling_moving_and_cancelling_drive_the_summons(setup: Court) -> None:
    case_id = setup.case("甲")
    hearing = hearings.schedule_hearing(setup.ws, setup.draft(case_id, at(MONDAY, 9)), now=NOW)
    issued = tasks(setup, hearing.id)
    recipients = {name for name, _, _ in issued}
    assert {"甲甲", "甲乙"} <= recipients  # a summons for each party
    assert all("2026年11月30日上午9时00分" in title for _, _, title in issued)
    later = MONDAY + timedelta(days=2)
    moved = hearings.move_hearing(
        setup.ws, hearing.id, hearing.version, at(later, 14), at(later, 15), now=NOW
    )
    live = [t for t in tasks(setup, hearing.id) if t[1] != "withdrawn"]
    assert live and all("2026年12月2日下午2时00分" in title for _, _, title in live)
    hearings.cancel_hearing(setup.ws, moved.id, moved.version, "原告撤诉")
    assert {state for _, state, _ in tasks(setup, hearing.id)} == {"withdrawn"}


def test_the_three_day_rule_uses_the_service_outlook(setup: Court) -> None:
    case_id = setup.case("甲")
    outcome = hearings.check_hearing(
        setup.ws, setup.draft(case_id, at(date(2026, 11, 23), 9)), now=NOW
    )
    assert outcome.summons_basis == "送达记录中的送达方式"


def test_postponing_withdraws_the_old_summons_and_issues_new_ones(setup: Court) -> None:
    case_id = setup.case("甲")
    hearing = hearings.schedule_hearing(setup.ws, setup.draft(case_id, at(MONDAY, 9)), now=NOW)
    later = MONDAY + timedelta(days=14)
    old, new = hearings.postpone_hearing(
        setup.ws,
        hearing.id,
        hearing.version,
        "被告申请延期举证",
        at(later, 9),
        at(later, 10),
        now=NOW,
    )
    assert new is not None
    assert {state for _, state, _ in tasks(setup, old.id)} == {"withdrawn"}
    issued = tasks(setup, new.id)
    assert issued and all("2026年12月14日上午9时00分" in title for _, _, title in issued)
