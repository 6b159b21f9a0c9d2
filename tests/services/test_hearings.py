"""Scheduling through the services: saved, audited, evented, refused or overridden."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from courtdesk.domain.parties import AgentDraft, PartyDraft
from courtdesk.domain.scheduling import ConflictKind
from courtdesk.errors import PermissionDeniedError, StaleRecordError, ValidationError
from courtdesk.services import cases, courtrooms, events, hearings, settings
from courtdesk.services.cases import CaseDraft
from courtdesk.services.courtrooms import CourtroomDraft
from courtdesk.services.hearings import (
    HearingDraft,
    HearingKind,
    HearingMode,
    HearingStatus,
    SchedulingConflictError,
    SlotRequest,
)
from courtdesk.services.workspace import Workspace, open_workspace
from courtdesk.store import court
from courtdesk.store.audit import now_iso

NOW = datetime(2026, 11, 20, 8, 0)  # a Friday; hearings go on Monday 30th and later
MONDAY = date(2026, 11, 30)
LICENCE = "12201201010000001"
ADDRESS = "吉林省长春市朝阳区人民大街1号"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=hour, minutes=minute)


@dataclass
class Court:
    ws: Workspace  # a filing clerk, who may schedule
    judges: list[int]
    clerks: list[int]
    rooms: list[int]
    path: Path

    def case(
        self, name: str, procedure: str = "civil_summary", lawyer: str = LICENCE, judge: int = 0
    ) -> int:
        agents = (AgentDraft("钱律师", "律师", "吉林功承律师事务所", lawyer),) if lawyer else ()
        draft = CaseDraft(
            "民初",
            procedure,
            "买卖合同纠纷",
            date(2026, 11, 20),
            (
                PartyDraft("原告", f"{name}甲", address=ADDRESS, agents=agents),
                PartyDraft("被告", f"{name}乙", address=ADDRESS),
            ),
            Decimal(1000),
            presiding_judge_id=self.judges[judge],
            clerk_id=self.clerks[judge],
        )
        return cases.register_case(self.ws, draft).id

    def draft(self, case_id: int, start: datetime, hours: int = 1, **kw: Any) -> HearingDraft:
        detail = cases.get_case(self.ws, case_id)
        values: dict[str, Any] = {
            "case_id": case_id,
            "kind": HearingKind.TRIAL,
            "mode": HearingMode.ROOM,
            "start": start,
            "end": start + timedelta(hours=hours),
            "room_id": self.rooms[0],
            "judge_id": detail.presiding_judge_id,
            "clerk_id": detail.clerk_id,
        }
        values.update(kw)
        return HearingDraft(**values)


@pytest.fixture
def setup(empty_path: Path) -> Iterator[Court]:
    system = open_workspace(empty_path)
    with system.db.transaction() as tx:
        stamp = now_iso()
        division = court.insert_division(tx, "民事审判第一庭", "civil", False)
        judges = [
            court.insert_user(tx, f"judge{n}", name, division, ["judge"], stamp)
            for n, name in enumerate(("王法官", "赵法官", "孙法官"))
        ]
        clerks = [
            court.insert_user(tx, f"clerk{n}", name, division, ["clerk"], stamp)
            for n, name in enumerate(("李书记员", "周书记员", "吴书记员"))
        ]
        court.insert_user(tx, "registrar", "立案员", None, ["registrar"], stamp)
        court.insert_user(tx, "reader", "只读", None, ["readonly"], stamp)
    system.close()
    admin = open_workspace(empty_path, "admin")
    rooms = [
        courtrooms.add_courtroom(admin, CourtroomDraft(name, None, 40, True, n == 0))
        for n, name in enumerate(("第一法庭", "第二法庭"))
    ]
    admin.close()
    ws = open_workspace(empty_path, "registrar")
    yield Court(ws, judges, clerks, rooms, empty_path)
    ws.close()


@pytest.fixture(autouse=True)
def _scheduling_rules_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests check scheduling's own rules, so the service module's answer to
    "when can the summons be served" is taken away; the two together are tested in
    the integration tests of scheduling and service."""
    events._load_subscribers()
    monkeypatch.delitem(events._providers, "service.outlook", raising=False)


@pytest.fixture
def published() -> Iterator[list[tuple[str, dict[str, Any]]]]:
    seen: list[tuple[str, dict[str, Any]]] = []
    names = ("hearing.scheduled", "hearing.moved", "hearing.postponed", "hearing.cancelled")
    handlers = {}
    for name in names:

        def handler(
            conn: sqlite3.Connection, actor: object, _name: str = name, **payload: Any
        ) -> None:
            assert conn.in_transaction
            seen.append((_name, payload))

        handlers[name] = handler
        events.subscribe(name, handler)
    yield seen
    for name, handler in handlers.items():
        events._handlers[name].remove(handler)


def audit_rows(ws: Workspace, action: str) -> list[sqlite3.Row]:
    return ws.db.query("SELECT * FROM audit_log WHERE action = ? ORDER BY id", (action,))


def test_schedule_a_hearing_stores_staff_audits_and_publishes(
    setup: Court, published: list[tuple[str, dict[str, Any]]]
) -> None:
    case_id = setup.case("甲")
    draft = setup.draft(case_id, at(MONDAY, 9), panel_ids=(setup.judges[1],))
    view = hearings.schedule_hearing(setup.ws, draft, now=NOW)
    assert view.status is HearingStatus.SCHEDULED
    assert view.place == "第一法庭" and view.judge_name == "王法官"
    assert view.panel == ((setup.judges[1], "赵法官"),)
    staff = setup.ws.db.query(
        "SELECT user_id, role, start_at, active FROM hearing_staff WHERE hearing_id = ? ORDER BY position",
        (view.id,),
    )
    assert [(r[0], r[1]) for r in staff] == [
        (setup.judges[0], "judge"),
        (setup.judges[1], "panel"),
        (setup.clerks[0], "clerk"),
    ]
    assert {r[2] for r in staff} == {"2026-11-30T09:00"}
    assert published == [
        (
            "hearing.scheduled",
            {
                "hearing_id": view.id,
                "case_id": case_id,
                "start": at(MONDAY, 9),
                "end": at(MONDAY, 10),
                "place": "第一法庭",
                "kind": "开庭",
            },
        )
    ]
    (row,) = audit_rows(setup.ws, "hearing.schedule")
    assert row["case_id"] == case_id and row["username"] == "registrar"
    assert hearings.case_hearings(setup.ws, case_id) == [view]


def test_conflicts_refuse_without_a_reason_and_save_with_one(setup: Court) -> None:
    first = setup.case("甲")
    second = setup.case("乙")
    hearings.schedule_hearing(setup.ws, setup.draft(first, at(MONDAY, 9), hours=2), now=NOW)
    clash = setup.draft(second, at(MONDAY, 10))
    with pytest.raises(SchedulingConflictError) as refused:
        hearings.schedule_hearing(setup.ws, clash, now=NOW)
    kinds = {c.kind for c in refused.value.conflicts}
    # The same room, the same judge and clerk (both cases are 王法官's), the same lawyer.
    assert kinds == {
        ConflictKind.ROOM_TAKEN,
        ConflictKind.JUDGE_BUSY,
        ConflictKind.CLERK_BUSY,
        ConflictKind.LAWYER_BUSY,
    }
    assert "请填写理由" in refused.value.message
    assert hearings.case_hearings(setup.ws, second) == []
    saved = hearings.schedule_hearing(setup.ws, clash, "当事人均同意合并审理，连续开庭", now=NOW)
    assert saved.override_reason == "当事人均同意合并审理，连续开庭"
    stored = json.loads(
        setup.ws.db.query_one("SELECT override_conflicts FROM hearings WHERE id = ?", (saved.id,))[
            0
        ]
    )
    assert {c["kind"] for c in stored} == {k.value for k in kinds}
    changes = json.loads(audit_rows(setup.ws, "hearing.schedule")[-1]["changes"])
    assert changes["override_reason"][1] == "当事人均同意合并审理，连续开庭"


def test_touching_hearings_do_not_clash(setup: Court) -> None:
    first = setup.case("甲")
    second = setup.case("乙")
    hearings.schedule_hearing(setup.ws, setup.draft(first, at(MONDAY, 9)), now=NOW)
    outcome = hearings.check_hearing(setup.ws, setup.draft(second, at(MONDAY, 10)), now=NOW)
    assert outcome.conflicts == []


def test_a_lawyer_found_through_the_agents_of_another_case(setup: Court) -> None:
    first = setup.case("甲", judge=0)
    second = setup.case("乙", judge=1)
    unrelated = setup.case("丙", judge=2, lawyer="99999999999999999")
    hearings.schedule_hearing(setup.ws, setup.draft(first, at(MONDAY, 9)), now=NOW)
    other_room = {"room_id": setup.rooms[1]}
    outcome = hearings.check_hearing(
        setup.ws, setup.draft(second, at(MONDAY, 9), **other_room), now=NOW
    )
    assert [c.kind for c in outcome.conflicts] == [ConflictKind.LAWYER_BUSY]
    assert "钱律师" in outcome.conflicts[0].message
    free = hearings.check_hearing(
        setup.ws, setup.draft(unrelated, at(MONDAY, 9), **other_room), now=NOW
    )
    assert free.conflicts == []


def test_move_checks_again_and_updates_the_people_index(
    setup: Court, published: list[tuple[str, dict[str, Any]]]
) -> None:
    first = setup.case("甲", judge=0)
    second = setup.case("乙", judge=1, lawyer="")
    a = hearings.schedule_hearing(setup.ws, setup.draft(first, at(MONDAY, 9)), now=NOW)
    b = hearings.schedule_hearing(
        setup.ws, setup.draft(second, at(MONDAY, 14), room_id=setup.rooms[1]), now=NOW
    )
    with pytest.raises(SchedulingConflictError) as refused:
        hearings.move_hearing(
            setup.ws,
            b.id,
            b.version,
            at(MONDAY, 9),
            at(MONDAY, 10),
            room_id=setup.rooms[0],
            now=NOW,
        )
    assert [c.kind for c in refused.value.conflicts] == [ConflictKind.ROOM_TAKEN]
    moved = hearings.move_hearing(
        setup.ws, b.id, b.version, at(MONDAY, 10), at(MONDAY, 11), room_id=setup.rooms[0], now=NOW
    )
    assert moved.start == at(MONDAY, 10) and moved.room_name == "第一法庭"
    assert published[-1] == (
        "hearing.moved",
        {
            "hearing_id": b.id,
            "case_id": second,
            "old_start": at(MONDAY, 14),
            "new_start": at(MONDAY, 10),
            "end": at(MONDAY, 11),
            "place": "第一法庭",
            "kind": "开庭",
        },
    )
    staff_times = {
        r[0]
        for r in setup.ws.db.query(
            "SELECT start_at FROM hearing_staff WHERE hearing_id = ?", (b.id,)
        )
    }
    assert staff_times == {"2026-11-30T10:00"}
    # The old version is refused, naming who changed it.
    with pytest.raises(StaleRecordError, match="registrar"):
        hearings.move_hearing(setup.ws, b.id, b.version, at(MONDAY, 15), at(MONDAY, 16), now=NOW)
    # Moving a hearing onto itself later in the same room is no clash.
    again = hearings.move_hearing(
        setup.ws, a.id, a.version, at(MONDAY, 8, 30), at(MONDAY, 9, 30), now=NOW
    )
    assert again.start == at(MONDAY, 8, 30)
    (row,) = audit_rows(setup.ws, "hearing.move")[:1]
    assert json.loads(row["changes"])["start_at"] == ["2026-11-30T14:00", "2026-11-30T10:00"]


def test_postpone_links_the_new_hearing_and_enforces_the_limit(
    setup: Court, published: list[tuple[str, dict[str, Any]]]
) -> None:
    case_id = setup.case("甲", procedure="civil_summary")
    first = hearings.schedule_hearing(setup.ws, setup.draft(case_id, at(MONDAY, 9)), now=NOW)
    with pytest.raises(ValidationError, match="延期理由"):
        hearings.postpone_hearing(setup.ws, first.id, first.version, " ", now=NOW)
    old, new = hearings.postpone_hearing(
        setup.ws,
        first.id,
        first.version,
        "被告申请延期举证",
        at(MONDAY + timedelta(days=14), 9),
        at(MONDAY + timedelta(days=14), 10),
        now=NOW,
    )
    assert old.status is HearingStatus.POSTPONED and old.status_reason == "被告申请延期举证"
    assert new is not None and new.postponed_from == old.id
    assert [name for name, _ in published] == [
        "hearing.scheduled",
        "hearing.postponed",
        "hearing.scheduled",
    ]
    assert published[1][1] == {
        "hearing_id": old.id,
        "case_id": case_id,
        "reason": "被告申请延期举证",
        "new_hearing_id": new.id,
    }
    active = setup.ws.db.query(
        "SELECT DISTINCT active FROM hearing_staff WHERE hearing_id = ?", (old.id,)
    )
    assert [r[0] for r in active] == [0]
    # Summary procedure: a second postponement is over the limit and needs a reason.
    outcome = hearings.check_postponement(setup.ws, new.id, now=NOW)
    assert [c.kind for c in outcome.conflicts] == [ConflictKind.POSTPONEMENT_LIMIT]
    assert "简易程序最多延期 1 次" in outcome.conflicts[0].message
    with pytest.raises(SchedulingConflictError):
        hearings.postpone_hearing(setup.ws, new.id, new.version, "原告申请延期", now=NOW)
    again, none = hearings.postpone_hearing(
        setup.ws, new.id, new.version, "原告申请延期", override_reason="院长批准再次延期", now=NOW
    )
    assert again.status is HearingStatus.POSTPONED and none is None
    assert published[-1][1]["new_hearing_id"] is None
    assert audit_rows(setup.ws, "hearing.override")


def test_ordinary_procedure_may_postpone_twice(setup: Court) -> None:
    case_id = setup.case("甲", procedure="civil_ordinary")
    hearing = hearings.schedule_hearing(setup.ws, setup.draft(case_id, at(MONDAY, 9)), now=NOW)
    for week in (2, 4):
        day = MONDAY + timedelta(days=7 * week)
        assert (
            hearings.check_postponement(
                setup.ws, hearing.id, at(day, 9), at(day, 10), now=NOW
            ).conflicts
            == []
        )
        _, new = hearings.postpone_hearing(
            setup.ws, hearing.id, hearing.version, "申请鉴定", at(day, 9), at(day, 10), now=NOW
        )
        assert new is not None
        hearing = new
    kinds = [c.kind for c in hearings.check_postponement(setup.ws, hearing.id, now=NOW).conflicts]
    assert kinds == [ConflictKind.POSTPONEMENT_LIMIT]


def test_cancel_keeps_the_history_and_frees_the_room(
    setup: Court, published: list[tuple[str, dict[str, Any]]]
) -> None:
    first = setup.case("甲")
    second = setup.case("乙", lawyer="")
    hearing = hearings.schedule_hearing(setup.ws, setup.draft(first, at(MONDAY, 9)), now=NOW)
    with pytest.raises(ValidationError, match="取消开庭理由"):
        hearings.cancel_hearing(setup.ws, hearing.id, hearing.version, "")
    cancelled = hearings.cancel_hearing(setup.ws, hearing.id, hearing.version, "原告撤诉")
    assert cancelled.status is HearingStatus.CANCELLED
    assert published[-1] == (
        "hearing.cancelled",
        {"hearing_id": hearing.id, "case_id": first, "reason": "原告撤诉"},
    )
    assert (
        hearings.check_hearing(setup.ws, setup.draft(second, at(MONDAY, 9)), now=NOW).conflicts
        == []
    )
    assert hearings.hearings_between(setup.ws, MONDAY, MONDAY) == []
    with pytest.raises(ValidationError, match="已取消"):
        hearings.cancel_hearing(setup.ws, hearing.id, cancelled.version, "再取消")


def test_three_day_rule_assumes_postal_service_without_a_service_module(setup: Court) -> None:
    case_id = setup.case("甲")
    # Posted on Friday the 20th, a summons arrives on the 23rd: the hearing may be on
    # the 26th (three days later) but not on the 25th.
    thursday = date(2026, 11, 26)
    outcome = hearings.check_hearing(setup.ws, setup.draft(case_id, at(thursday, 9)), now=NOW)
    assert outcome.conflicts == []
    wednesday = date(2026, 11, 25)
    late = hearings.check_hearing(setup.ws, setup.draft(case_id, at(wednesday, 9)), now=NOW)
    assert [c.kind for c in late.conflicts] == [ConflictKind.SUMMONS_TOO_LATE] * 2
    assert "推定邮寄送达 3 日" in late.conflicts[0].message
    assert "甲甲" in late.conflicts[0].message and "甲乙" in late.conflicts[1].message
    admin = open_workspace(setup.path, "admin")
    try:
        settings.put(admin, hearings.ASSUMED_SERVICE_DAYS.key, "5")
    finally:
        admin.close()
    slower = hearings.check_hearing(setup.ws, setup.draft(case_id, at(thursday, 9)), now=NOW)
    assert "推定邮寄送达 5 日" in slower.conflicts[0].message


def test_three_day_rule_asks_the_service_module_when_there_is_one(
    setup: Court, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = setup.case("甲")

    def outlook(conn: sqlite3.Connection, case: int, today: date) -> list[events.ServiceOutlook]:
        assert case == case_id
        return [events.ServiceOutlook(1, "张甲", "电子送达", today, "已确认电子送达地址")]

    monkeypatch.setitem(events._providers, "service.outlook", outlook)
    monday = date(2026, 11, 23)
    result = hearings.check_hearing(setup.ws, setup.draft(case_id, at(monday, 9)), now=NOW)
    assert result.conflicts == []
    assert result.summons_basis == "送达记录中的送达方式"
    friday = date(2026, 11, 20)
    late = hearings.check_hearing(setup.ws, setup.draft(case_id, at(friday, 14)), now=NOW)
    assert [c.kind for c in late.conflicts] == [ConflictKind.SUMMONS_TOO_LATE]
    assert "电子送达" in late.conflicts[0].message


def test_closed_room_and_court_hours_setting(setup: Court) -> None:
    case_id = setup.case("甲")
    admin = open_workspace(setup.path, "admin")
    try:
        courtrooms.close_courtroom(
            admin, setup.rooms[0], MONDAY, MONDAY + timedelta(days=2), "设备检修"
        )
        settings.put(admin, hearings.COURT_HOURS.key, "09:00-12:00,14:00-17:00")
        with pytest.raises(ValidationError, match="开庭时段"):
            settings.put(admin, hearings.COURT_HOURS.key, "9-12")
    finally:
        admin.close()
    outcome = hearings.check_hearing(setup.ws, setup.draft(case_id, at(MONDAY, 8, 30)), now=NOW)
    assert {c.kind for c in outcome.conflicts} == {
        ConflictKind.ROOM_CLOSED,
        ConflictKind.OUTSIDE_HOURS,
    }
    assert any("设备检修" in c.message for c in outcome.conflicts)


def test_refusals_that_are_not_warnings(setup: Court) -> None:
    case_id = setup.case("甲")
    reader = open_workspace(setup.path, "reader")
    try:
        with pytest.raises(PermissionDeniedError, match="排期"):
            hearings.schedule_hearing(reader, setup.draft(case_id, at(MONDAY, 9)), now=NOW)
    finally:
        reader.close()
    with pytest.raises(ValidationError) as invalid:
        hearings.schedule_hearing(
            setup.ws,
            setup.draft(
                case_id,
                at(MONDAY, 9),
                mode=HearingMode.ROOM,
                room_id=None,
                clerk_id=setup.judges[1],
            ),
            now=NOW,
        )
    assert {p.field for p in invalid.value.problems} == {"room", "clerk"}
    online = setup.draft(case_id, at(MONDAY, 9), mode=HearingMode.ONLINE, room_id=None)
    assert hearings.schedule_hearing(setup.ws, online, now=NOW).place == "在线庭审"


def test_find_slots_avoids_the_judge_clerk_and_full_rooms(setup: Court) -> None:
    busy_case = setup.case("甲")
    other = setup.case("乙", judge=1, lawyer="")
    hearings.schedule_hearing(setup.ws, setup.draft(busy_case, at(MONDAY, 8, 30), hours=3), now=NOW)
    hearings.schedule_hearing(
        setup.ws,
        setup.draft(other, at(MONDAY, 13, 30), hours=4, room_id=setup.rooms[1]),
        now=NOW,
    )
    request = SlotRequest(
        judge_id=setup.judges[0],
        clerk_id=setup.clerks[0],
        length=timedelta(hours=1),
        earliest=at(MONDAY, 0),
        limit=3,
    )
    slots = hearings.find_slots(setup.ws, request)
    # The judge sits until 11:30 and an hour no longer fits the morning; in the
    # afternoon the second room is taken, the first is free; then Tuesday.
    assert [(s.start, s.room_name) for s in slots] == [
        (at(MONDAY, 13, 30), "第一法庭"),
        (at(MONDAY + timedelta(days=1), 8, 30), "第一法庭"),
        (at(MONDAY + timedelta(days=1), 13, 30), "第一法庭"),
    ]
    video = hearings.find_slots(setup.ws, replace(request, needs_remote_video=True, limit=1))
    assert video[0].room_name == "第一法庭"
    # For a case, not before its summons can be served three days ahead (posted today,
    # served in 3 days by the assumed postal rule).
    for_case = hearings.find_slots(
        setup.ws, replace(request, earliest=datetime.now(), case_id=busy_case, limit=1)
    )
    assert for_case[0].start.date() >= date.today() + timedelta(days=6)


def test_cause_list_and_announcement(setup: Court) -> None:
    public = setup.case("甲")
    hearings.schedule_hearing(setup.ws, setup.draft(public, at(MONDAY, 9)), now=NOW)
    mediation = setup.case("乙", judge=1, lawyer="")
    hearings.schedule_hearing(
        setup.ws,
        setup.draft(mediation, at(MONDAY, 9), kind=HearingKind.MEDIATION, room_id=setup.rooms[1]),
        now=NOW,
    )
    listing = hearings.cause_list(setup.ws, MONDAY)
    assert [e.kind for e in listing.entries] == ["开庭", "调解"]
    assert hearings.cause_list(setup.ws, MONDAY, setup.rooms[1]).entries[0].kind == "调解"
    notice = hearings.announcement(setup.ws, MONDAY, MONDAY + timedelta(days=6))
    assert [e.case_number for e in notice.entries] == [listing.entries[0].case_number]
    assert notice.court_name == "长春新区人民法院"


def test_courtroom_maintenance_is_validated_and_audited(setup: Court) -> None:
    admin = open_workspace(setup.path, "admin")
    try:
        with pytest.raises(ValidationError) as invalid:
            courtrooms.add_courtroom(admin, CourtroomDraft("第一法庭", 999, -1))
        assert {p.field for p in invalid.value.problems} == {"name", "capacity", "division"}
        room = next(r for r in courtrooms.courtrooms(admin) if r.name == "第二法庭")
        courtrooms.update_courtroom(
            admin,
            room.id,
            room.version,
            CourtroomDraft("第二法庭", None, 60, True, True, False, "改建"),
        )
        updated = next(r for r in courtrooms.courtrooms(admin) if r.id == room.id)
        assert (updated.capacity, updated.equipment, updated.active) == (
            60,
            "录音录像、远程视频",
            False,
        )
        closure = courtrooms.close_courtroom(admin, room.id, MONDAY, MONDAY, "消防检查")
        assert courtrooms.courtrooms(admin, MONDAY)[1].closures[0].reason == "消防检查"
        courtrooms.remove_closure(admin, closure)
        assert courtrooms.courtrooms(admin, MONDAY)[1].closures == ()
        actions = [
            r["action"]
            for r in admin.db.query(
                "SELECT action FROM audit_log WHERE table_name LIKE 'courtroom%'"
            )
        ]
        assert actions == [
            "courtroom.add",
            "courtroom.add",
            "courtroom.update",
            "courtroom.close",
            "courtroom.reopen",
        ]
    finally:
        admin.close()
    with pytest.raises(PermissionDeniedError):
        courtrooms.add_courtroom(setup.ws, CourtroomDraft("第三法庭", None, 40))


def test_a_closed_case_cannot_be_scheduled(setup: Court) -> None:
    case_id = setup.case("甲")
    with setup.ws.db.transaction() as tx:
        tx.execute(
            "UPDATE cases SET status = 'closed', closed_date = '2026-11-21' WHERE id = ?",
            (case_id,),
        )
    with pytest.raises(ValidationError, match="已结案"):
        hearings.schedule_hearing(setup.ws, setup.draft(case_id, at(MONDAY, 9)), now=NOW)


def test_clash_lookups_use_the_indexes(setup: Court) -> None:
    """No lookup may scan the hearings: EXPLAIN QUERY PLAN names an index for each."""
    conn = setup.ws.db.connection
    window = ("2026-11-30T00:00", "2026-11-30T10:00", "2026-11-30T09:00")
    plans = {
        "room": conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM hearings WHERE courtroom_id = ? AND status = 'scheduled'"
            " AND start_at >= ? AND start_at < ? AND end_at > ?",
            (1, *window),
        ).fetchall(),
        "person": conn.execute(
            "EXPLAIN QUERY PLAN SELECT hearing_id FROM hearing_staff WHERE user_id = ? AND active = 1"
            " AND start_at >= ? AND start_at < ? AND end_at > ?",
            (1, *window),
        ).fetchall(),
        "lawyer": conn.execute(
            "EXPLAIN QUERY PLAN SELECT h.id FROM agents a JOIN hearings h ON h.case_id = a.case_id"
            " WHERE (a.licence_number = ?) AND h.status = 'scheduled'"
            " AND h.start_at >= ? AND h.start_at < ? AND h.end_at > ?",
            (LICENCE, *window),
        ).fetchall(),
    }
    for name, rows in plans.items():
        detail = " | ".join(str(r[3]) for r in rows)
        assert "SCAN" not in detail, f"{name}: {detail}"
    assert "hearings_room_time" in " ".join(str(r[3]) for r in plans["room"])
    assert "hearing_staff_busy" in " ".join(str(r[3]) for r in plans["person"])
    assert "agents_by_licence" in " ".join(str(r[3]) for r in plans["lawyer"])


def test_the_checks_own_queries_use_the_indexes(setup: Court) -> None:
    """The statements the check really runs, not copies of them: none scans a big table.

    Every statement of a check and of a find-a-slot search that reads hearings, their
    staff or the agents is traced and explained, so a change to the store's SQL that
    loses an index fails here long before a court has a million hearings.
    """
    first = setup.case("甲", judge=0)
    second = setup.case("乙", judge=1)
    hearings.schedule_hearing(setup.ws, setup.draft(first, at(MONDAY, 9)), now=NOW)
    conn = setup.ws.db.connection
    traced: list[str] = []
    conn.set_trace_callback(traced.append)
    try:
        hearings.check_hearing(setup.ws, setup.draft(second, at(MONDAY, 9)), now=NOW)
        detail = cases.get_case(setup.ws, second)
        hearings.find_slots(
            setup.ws,
            SlotRequest(
                detail.presiding_judge_id, detail.clerk_id, timedelta(hours=1), at(MONDAY, 8)
            ),
        )
    finally:
        conn.set_trace_callback(None)
    big = ("hearings", "hearing_staff", "agents")
    reads = [
        s
        for s in traced
        if s.lstrip().upper().startswith("SELECT") and any(f" {t} " in f" {s} " for t in big)
    ]
    assert any("agents a JOIN hearings" in s for s in reads), "the lawyer lookup was not traced"
    for statement in reads:
        plan = " | ".join(str(r[3]) for r in conn.execute("EXPLAIN QUERY PLAN " + statement))
        scans = [
            step
            for step in plan.split(" | ")
            if step.startswith("SCAN") and any(t in step.split() for t in (*big, "h", "a", "s"))
        ]
        assert not scans, f"{statement}\n→ {plan}"


def test_hearing_kinds_default_lengths_are_court_settings(setup: Court) -> None:
    case_id = setup.case("甲")
    number = cases.get_case(setup.ws, case_id).case_number
    start = at(MONDAY, 9)
    by_default = hearings.draft_by_names(
        setup.ws, number, start, kind=HearingKind.MEDIATION, room="第一法庭"
    )
    assert by_default.end - start == timedelta(minutes=HearingKind.MEDIATION.default_minutes)
    admin = open_workspace(setup.path, "admin")
    try:
        settings.put(admin, hearings.LENGTH_SETTINGS[HearingKind.MEDIATION].key, "45")
        with pytest.raises(ValidationError):
            settings.put(admin, hearings.LENGTH_SETTINGS[HearingKind.TRIAL].key, "5")
    finally:
        admin.close()
    assert hearings.default_minutes(setup.ws)[HearingKind.MEDIATION] == 45
    draft = hearings.draft_by_names(
        setup.ws, number, start, kind=HearingKind.MEDIATION, room="第一法庭"
    )
    assert draft.end - start == timedelta(minutes=45)
    trial = hearings.draft_by_names(setup.ws, number, start, room="第一法庭")
    assert trial.end - start == timedelta(minutes=HearingKind.TRIAL.default_minutes)


def busy_monday(setup: Court, clashes: int = 5) -> HearingDraft:
    """A Monday morning taken many times over, and a proposal that clashes with it all.

    The room, the judge, the clerk, a panel member and the lawyer (by licence, and
    by name and firm without one) are each busy; one hearing only touches the
    proposal and a cancelled one overlaps it, and neither clashes. ``clashes`` more
    hearings of the same judge are stacked on top (each in the same room too).
    """
    reason = "测试：同一时段排满"
    a = setup.case("甲")
    b = setup.case("乙", judge=1)
    c = setup.case("丙", judge=2, lawyer="")
    by_name = CaseDraft(
        "民初",
        "civil_summary",
        "买卖合同纠纷",
        date(2026, 11, 20),
        (
            PartyDraft(
                "原告",
                "丁甲",
                address=ADDRESS,
                agents=(AgentDraft("钱律师", "律师", "吉林功承律师事务所", ""),),
            ),
            PartyDraft("被告", "丁乙", address=ADDRESS),
        ),
        Decimal(1000),
        presiding_judge_id=setup.judges[2],
        clerk_id=setup.clerks[2],
    )
    d = cases.register_case(setup.ws, by_name).id
    e = setup.case("戊", judge=2, lawyer="")
    f = setup.case("己")
    g = setup.case("庚", judge=2, lawyer="")
    second_room = {"room_id": setup.rooms[1]}
    for draft in (
        setup.draft(a, at(MONDAY, 9), hours=2),
        setup.draft(b, at(MONDAY, 9, 30), **second_room),
        setup.draft(c, at(MONDAY, 9), **second_room, end=at(MONDAY, 9, 30)),
        setup.draft(d, at(MONDAY, 8, 30), room_id=None, mode=HearingMode.ONLINE),
        setup.draft(e, at(MONDAY, 10), **second_room),
        setup.draft(
            f, at(MONDAY, 9, 45), room_id=None, mode=HearingMode.OFF_SITE, place="某村委会"
        ),
    ):
        hearings.schedule_hearing(setup.ws, draft, reason, now=NOW)
    cancelled = hearings.schedule_hearing(setup.ws, setup.draft(g, at(MONDAY, 9)), reason, now=NOW)
    hearings.cancel_hearing(setup.ws, cancelled.id, cancelled.version, "当事人撤诉")
    for n in range(clashes):
        more = setup.case(f"多{n}", lawyer="")
        hearings.schedule_hearing(
            setup.ws, setup.draft(more, at(MONDAY, 9, 5 * n), hours=1), reason, now=NOW
        )
    mine = setup.case("辛")
    return setup.draft(mine, at(MONDAY, 9), panel_ids=(setup.judges[1],))


def test_a_busy_day_is_explained_clash_by_clash(setup: Court) -> None:
    """Every clash of a crowded morning, in order and word for word.

    Pinned from the check as it was before its reads were batched (issue 10): reading
    less must not explain less, or differently.
    """
    outcome = hearings.check_hearing(setup.ws, busy_monday(setup, clashes=2), now=NOW)
    assert [(c.kind.value, c.message, c.other_hearing_id) for c in outcome.conflicts] == [
        ("room_taken", "第一法庭 09:00–11:00 已排 （2026）吉0193民初1号开庭", 1),
        ("room_taken", "第一法庭 09:00–10:00 已排 （2026）吉0193民初8号开庭", 8),
        ("room_taken", "第一法庭 09:05–10:05 已排 （2026）吉0193民初9号开庭", 9),
        (
            "judge_busy",
            "审判长王法官同一时间在（2026）吉0193民初1号开庭（第一法庭，09:00–11:00）担任审判长",
            1,
        ),
        (
            "judge_busy",
            "审判长王法官同一时间在（2026）吉0193民初6号开庭（某村委会，09:45–10:45）担任审判长",
            6,
        ),
        (
            "judge_busy",
            "审判长王法官同一时间在（2026）吉0193民初8号开庭（第一法庭，09:00–10:00）担任审判长",
            8,
        ),
        (
            "judge_busy",
            "审判长王法官同一时间在（2026）吉0193民初9号开庭（第一法庭，09:05–10:05）担任审判长",
            9,
        ),
        (
            "panel_busy",
            "合议庭成员赵法官同一时间在（2026）吉0193民初2号开庭（第二法庭，09:30–10:30）担任审判长",
            2,
        ),
        (
            "clerk_busy",
            "书记员李书记员同一时间在（2026）吉0193民初1号开庭（第一法庭，09:00–11:00）担任书记员",
            1,
        ),
        (
            "clerk_busy",
            "书记员李书记员同一时间在（2026）吉0193民初6号开庭（某村委会，09:45–10:45）担任书记员",
            6,
        ),
        (
            "clerk_busy",
            "书记员李书记员同一时间在（2026）吉0193民初8号开庭（第一法庭，09:00–10:00）担任书记员",
            8,
        ),
        (
            "clerk_busy",
            "书记员李书记员同一时间在（2026）吉0193民初9号开庭（第一法庭，09:05–10:05）担任书记员",
            9,
        ),
        (
            "lawyer_busy",
            "辛甲的代理人钱律师（吉林功承律师事务所）同一时间在（2026）吉0193民初1号开庭（第一法庭，09:00–11:00）出庭（执业证号相同）",
            1,
        ),
        (
            "lawyer_busy",
            "辛甲的代理人钱律师（吉林功承律师事务所）同一时间在（2026）吉0193民初2号开庭（第二法庭，09:30–10:30）出庭（执业证号相同）",
            2,
        ),
        (
            "lawyer_busy",
            "辛甲的代理人钱律师（吉林功承律师事务所）同一时间在（2026）吉0193民初4号开庭（在线庭审，08:30–09:30）出庭（姓名和律所相同）",
            4,
        ),
        (
            "lawyer_busy",
            "辛甲的代理人钱律师（吉林功承律师事务所）同一时间在（2026）吉0193民初6号开庭（某村委会，09:45–10:45）出庭（执业证号相同）",
            6,
        ),
    ]


# Statements one check may run, BEGIN and COMMIT included (34 before issue 10). Each
# thing is read once: the case, the room, the people; the clashes in one statement
# with what explains them, however many there are. The holidays and the settings are
# kept by the connection (store.connection): one PRAGMA asks whether the file changed.
CHECK_STATEMENTS = 14


def test_a_checks_statements_have_one_text_whatever_the_proposal(setup: Court) -> None:
    """SQLite prepares a statement once per text: a check whose statements were built to
    fit each proposal (its people, its lawyers, the cases it clashes with) prepared
    new ones for nearly every proposal, and preparing cost more than running them."""
    from courtdesk.domain.scheduling import Lawyer
    from courtdesk.store import hearings as hearing_store

    busy_monday(setup, clashes=6)
    texts: list[set[str]] = []

    class Recorder:
        def __init__(self, conn: sqlite3.Connection, seen: set[str]) -> None:
            self.conn, self.seen = conn, seen

        def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
            self.seen.add(sql)
            return self.conn.execute(sql, params)

    lawyers = [
        Lawyer("钱律师", "吉林功承律师事务所", ""),
        Lawyer("赵律师", "吉林功承律师事务所", "12201201810000001"),
        Lawyer("孙律师", "", "12201201810000002"),
    ]
    for people, lawyer_count, hour in ((2, 1, 9), (4, 3, 9), (3, 2, 10)):
        seen: set[str] = set()
        found = hearing_store.clashing_bookings(
            Recorder(setup.ws.db.connection, seen),  # type: ignore[arg-type]
            at(MONDAY, hour),
            at(MONDAY, hour + 1),
            room_id=setup.rooms[0],
            user_ids=[*setup.judges[:2], *setup.clerks[:2]][:people],
            lawyers=lawyers[:lawyer_count],
        )
        assert found
        texts.append(seen)
    clash_texts = {t for seen in texts for t in seen if t.startswith("SELECT h.id")}
    assert len(clash_texts) == 1
    # The lawyers among the clashing cases: the cases' list comes in a few sizes only.
    among = {t for seen in texts for t in seen if not t.startswith("SELECT h.id")}
    assert all(len(seen) == 2 for seen in texts)
    assert {t.count(":c") for t in among} <= set(hearing_store.CASE_SLOTS)


def test_a_check_reads_each_thing_once_however_busy_the_day(
    setup: Court, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The number of statements of a check is fixed: it does not grow with the clashes.

    With the service module's real summons outlook, as in the program.
    """
    from courtdesk.services import service_events

    proposal = busy_monday(setup, clashes=6)
    monkeypatch.setitem(events._providers, "service.outlook", service_events.service_outlook)
    conn = setup.ws.db.connection

    def statements(draft: HearingDraft) -> tuple[int, int]:
        traced: list[str] = []
        conn.set_trace_callback(traced.append)
        try:
            outcome = hearings.check_hearing(setup.ws, draft, now=NOW)
        finally:
            conn.set_trace_callback(None)
        return len(traced), len(outcome.conflicts)

    hearings.check_hearing(setup.ws, proposal, now=NOW)  # the settings and holidays kept
    busy, clashes = statements(proposal)
    quiet, none = statements(replace(proposal, start=at(MONDAY, 14), end=at(MONDAY, 15)))
    assert clashes > 20 and none == 0
    assert busy <= CHECK_STATEMENTS
    # Only the lookup of the proposal's lawyers among the clashing cases is added.
    assert busy - quiet <= 1
