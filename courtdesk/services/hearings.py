"""Scheduling hearings (排期): check, schedule, move, postpone, cancel, find a slot.

Every change checks the proposal with ``courtdesk.domain.scheduling.check``
inside its own write transaction (so two schedulers cannot both take the last
free hour of a room). Conflicts are warnings: the change is refused with
``SchedulingConflictError`` listing them, unless the caller gives a reason to
save anyway, which is stored on the hearing and in the audit trail.

Events published (inside the write transaction; see services/events.py):
``hearing.scheduled``, ``hearing.moved``, ``hearing.postponed`` and
``hearing.cancelled``. The service-of-process module reacts to them (summons
and appearance notices); scheduling never creates service tasks itself.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from courtdesk.domain import scheduling
from courtdesk.domain.case_status import CaseStatus
from courtdesk.domain.holidays import HolidayCalendar
from courtdesk.domain.procedures import PROCEDURES
from courtdesk.domain.scheduling import (
    KIND_BY_CODE,
    MODE_BY_CODE,
    STATUS_BY_CODE,
    CheckContext,
    Conflict,
    CourtHours,
    HearingKind,
    HearingMode,
    HearingStatus,
    Person,
    Proposal,
    RoomSchedule,
    Slot,
    SlotSearch,
    SummonsOutlook,
)
from courtdesk.domain.text import free_text_problem, has_control_characters
from courtdesk.errors import CourtdeskError, FieldProblem, NotFoundError, ValidationError
from courtdesk.services import audit, events, settings
from courtdesk.services.holidays import holiday_calendar
from courtdesk.services.permissions import (
    Permission,
    case_access_of,
    require,
    require_case,
    require_case_id,
)
from courtdesk.services.settings import Setting
from courtdesk.services.workspace import Actor, Workspace
from courtdesk.store import cases as case_store
from courtdesk.store import court
from courtdesk.store import hearings as store
from courtdesk.store.audit import now_iso
from courtdesk.store.records import as_dicts, update_versioned

__all__ = [
    "Conflict",
    "HearingDraft",
    "HearingKind",
    "HearingMode",
    "HearingStatus",
    "HearingView",
    "SchedulingConflictError",
    "Slot",
]


# ---------------------------------------------------------------- settings
def _check_hours(value: str) -> str | None:
    try:
        scheduling.parse_court_hours(value)
    except ValueError as error:
        return str(error)
    return None


COURT_HOURS = settings.declare(
    Setting(
        "hearing.court_hours",
        "法院开庭时段",
        "08:30-12:00,13:30-17:30",
        help="每个工作日可以开庭的时段，用逗号分隔，例如 08:30-12:00,13:30-17:30",
        check=_check_hours,
        group="排期",
    )
)
ASSUMED_SERVICE_DAYS = settings.declare(
    Setting(
        "hearing.assumed_service_days",
        "推定邮寄送达天数",
        "3",
        kind="int",
        help="尚无送达记录可查时，检查“开庭三日前送达传票”按今天寄出、经过此天数送达推算",
        check=settings.int_range(0, 30),
        group="排期",
    )
)
LENGTH_SETTINGS = {
    kind: settings.declare(
        Setting(
            f"hearing.minutes.{kind.value}",
            f"{kind.label}默认时长（分钟）",
            str(kind.default_minutes),
            kind="int",
            check=settings.int_range(10, scheduling.MAX_HEARING_MINUTES),
            group="排期",
        )
    )
    for kind in HearingKind
}


def court_hours(ws: Workspace) -> CourtHours:
    return scheduling.parse_court_hours(settings.get(ws, COURT_HOURS.key))


def default_minutes(ws: Workspace) -> dict[HearingKind, int]:
    return {kind: settings.get_int(ws, s.key) for kind, s in LENGTH_SETTINGS.items()}


# ---------------------------------------------------------------- values
@dataclass(frozen=True)
class HearingDraft:
    """What the schedule dialog (or the CLI) proposes."""

    case_id: int
    kind: HearingKind
    mode: HearingMode
    start: datetime
    end: datetime
    room_id: int | None = None
    place: str = ""
    judge_id: int | None = None
    panel_ids: tuple[int, ...] = ()
    clerk_id: int | None = None
    is_public: bool = True
    note: str = ""


@dataclass(frozen=True)
class HearingView:
    id: int
    case_id: int
    case_number: str
    cause: str
    parties_summary: str
    kind: HearingKind
    mode: HearingMode
    room_id: int | None
    room_name: str
    place: str  # what to print: the room, 在线庭审, or the off-site place
    start: datetime
    end: datetime
    judge_id: int | None
    judge_name: str
    clerk_id: int | None
    clerk_name: str
    panel: tuple[tuple[int, str], ...]
    status: HearingStatus
    status_reason: str
    postponed_from: int | None
    override_reason: str
    is_public: bool
    note: str
    version: int

    @property
    def kind_label(self) -> str:
        return self.kind.label

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def staff_ids(self) -> tuple[int, ...]:
        ids = [i for i in (self.judge_id, self.clerk_id) if i is not None]
        return (*ids, *(p for p, _ in self.panel))

    def draft(self) -> HearingDraft:
        """This hearing as a proposal (for moving it or postponing it to a new time)."""
        return HearingDraft(
            self.case_id,
            self.kind,
            self.mode,
            self.start,
            self.end,
            self.room_id,
            self.place if self.mode is HearingMode.OFF_SITE else "",
            self.judge_id,
            tuple(p for p, _ in self.panel),
            self.clerk_id,
            self.is_public,
            self.note,
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind_label"] = self.kind_label
        data["status_label"] = self.status_label
        return data


class SchedulingConflictError(CourtdeskError):
    """Saving was refused because of conflicts; give a reason to save anyway."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        lines = "；".join(c.message for c in conflicts)
        super().__init__(f"存在 {len(conflicts)} 项排期冲突：{lines}。如确需保存，请填写理由")


@dataclass(frozen=True)
class CheckOutcome:
    conflicts: list[Conflict]
    summons_basis: str
    hours: str
    lawyers: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": not self.conflicts,
            "conflicts": [c.to_dict() for c in self.conflicts],
            "summons_basis": self.summons_basis,
            "court_hours": self.hours,
            "lawyers": self.lawyers,
        }


# ---------------------------------------------------------------- checking
def _case(conn: sqlite3.Connection, case_id: int) -> sqlite3.Row:
    row = case_store.case_row(conn, case_id)
    if row is None:
        raise NotFoundError(f"编号为 {case_id} 的案件不存在")
    return row


Staff = dict[int, tuple[sqlite3.Row, frozenset[str]]]


def _staff_rows(conn: sqlite3.Connection, draft: HearingDraft) -> Staff:
    """The proposed judge, panel and clerk with their roles, read once for the whole check."""
    ids = [i for i in (draft.judge_id, *draft.panel_ids, draft.clerk_id) if i is not None]
    return court.users_by_ids(conn, ids)


def _person(staff: Staff, user_id: int | None) -> Person | None:
    if user_id is None:
        return None
    if user_id not in staff:
        raise ValidationError(f"编号为 {user_id} 的人员不存在", "judge")
    row, _ = staff[user_id]
    return Person(int(row["id"]), str(row["display_name"]))


def _validate_people(draft: HearingDraft, staff: Staff) -> list[FieldProblem]:
    problems = []
    checks = [("judge", draft.judge_id, "judge", "审判长")]
    checks += [("panel", p, "judge", "合议庭成员") for p in draft.panel_ids]
    checks.append(("clerk", draft.clerk_id, "clerk", "书记员"))
    for field_name, user_id, role, label in checks:
        if user_id is None:
            continue
        row, roles = staff.get(user_id, (None, frozenset()))
        if row is None or not row["active"]:
            problems.append(FieldProblem(field_name, f"{label}（编号 {user_id}）不存在或已停用"))
        elif role not in roles:
            problems.append(FieldProblem(field_name, f"{row['display_name']}不是{label}可选的人员"))
    return problems


def _room(conn: sqlite3.Connection, draft: HearingDraft) -> sqlite3.Row | None:
    """The proposed courtroom (None for a hearing online or off-site)."""
    room_id = draft.room_id if draft.mode is HearingMode.ROOM else None
    if room_id is None:
        return None
    room = store.courtroom_row(conn, room_id)
    if room is None:
        raise ValidationError(f"编号为 {room_id} 的法庭不存在", "room")
    return room


def _proposal(
    conn: sqlite3.Connection,
    draft: HearingDraft,
    case: sqlite3.Row,
    hearing_id: int | None,
    postponement: bool,
    *,
    room: sqlite3.Row | None = None,
    staff: Staff | None = None,
) -> Proposal:
    """The draft as the checker sees it; ``room`` and ``staff`` when already read."""
    room = room if room is not None else _room(conn, draft)
    staff = staff if staff is not None else _staff_rows(conn, draft)
    room_id = int(room["id"]) if room is not None else None
    room_name = str(room["name"]) if room is not None else ""
    panel = tuple(p for p in (_person(staff, i) for i in draft.panel_ids) if p is not None)
    return Proposal(
        case_id=int(case["id"]),
        case_number=str(case["case_number"]),
        kind=draft.kind,
        mode=draft.mode,
        start=draft.start,
        end=draft.end,
        room_id=room_id,
        room_name=room_name,
        place=draft.place.strip(),
        judge=_person(staff, draft.judge_id),
        panel=panel,
        clerk=_person(staff, draft.clerk_id),
        lawyers=tuple(store.case_lawyers(conn, int(case["id"]))),
        hearing_id=hearing_id,
        is_postponement=postponement,
    )


def _text_problems(**fields: tuple[str, str]) -> list[FieldProblem]:
    """Free text that cannot be stored (control characters, lone surrogates), by field."""
    return [
        FieldProblem(key, problem)
        for key, (text, what) in fields.items()
        if (problem := free_text_problem(text, what)) is not None
    ]


def _refuse_invalid(draft: HearingDraft, proposal: Proposal, staff: Staff) -> None:
    problems = [FieldProblem(i.field, i.message) for i in scheduling.validate(proposal)]
    problems += _text_problems(place=(draft.place, "开庭地点"), note=(draft.note, "备注"))
    problems += _validate_people(draft, staff)
    if problems:
        raise ValidationError(problems)


def _summons(
    ws: Workspace,
    conn: sqlite3.Connection,
    case_id: int,
    today: date,
    *,
    case: sqlite3.Row | None = None,
    calendar: HolidayCalendar | None = None,
) -> tuple[list[SummonsOutlook], str]:
    """By when each party can be summoned: from the service module, else the assumed rule.

    The case row and the holiday calendar, when the caller has read them, are handed
    on as hints so the service module does not read them again.
    """
    hints = {"case": case, "calendar": calendar}
    answer = events.ask(
        "service.outlook",
        conn,
        case_id,
        today,
        hints={k: v for k, v in hints.items() if v is not None},
    )
    if answer is not None:
        outlook = [
            SummonsOutlook(o.party_name, o.method, o.earliest_service_date, o.reason)
            for o in answer
        ]
        return outlook, "送达记录中的送达方式"
    days = settings.get_int(ws, ASSUMED_SERVICE_DAYS.key)
    outlook = scheduling.assumed_outlook(store.party_names(conn, case_id), today, days)
    return outlook, f"尚无送达记录，按本院设定推定邮寄送达 {days} 日"


def _context(
    ws: Workspace,
    conn: sqlite3.Connection,
    proposal: Proposal,
    case: sqlite3.Row,
    room: sqlite3.Row | None,
    now: datetime,
) -> tuple[CheckContext, str]:
    day = proposal.start.date()
    room_closures: list[scheduling.Closure] = []
    room_active = True
    if proposal.room_id is not None:
        room_active = bool(room and room["active"])
        room_closures = [
            store.closure_values(r)
            for r in store.closures(conn, proposal.room_id, day)
            if store.closure_values(r).covers(day)
        ]
    bookings = store.clashing_bookings(
        conn,
        proposal.start,
        proposal.end,
        room_id=proposal.room_id,
        user_ids=[p.id for p, _ in proposal.people()],
        lawyers=proposal.lawyers,
    )
    calendar = holiday_calendar(ws)
    summons, basis = _summons(ws, conn, proposal.case_id, now.date(), case=case, calendar=calendar)
    procedure = str(case["procedure"])
    ctx = CheckContext(
        now=now,
        calendar=calendar,
        hours=court_hours(ws),
        bookings=bookings,
        room_closures=room_closures,
        room_active=room_active,
        summons=summons,
        summons_basis=basis,
        procedure=procedure,
        procedure_label=PROCEDURES[procedure].label if procedure in PROCEDURES else procedure,
        # Only a postponement is held to the limit: the count is read for it alone.
        postponements_so_far=(
            store.postponement_count(conn, proposal.case_id) if proposal.is_postponement else 0
        ),
    )
    return ctx, basis


def _evaluate(
    ws: Workspace,
    conn: sqlite3.Connection,
    draft: HearingDraft,
    *,
    hearing_id: int | None = None,
    postponement: bool = False,
    now: datetime | None = None,
    case: sqlite3.Row | None = None,
) -> tuple[Proposal, CheckOutcome, sqlite3.Row]:
    """Check ``draft``: each thing it needs (the case, the room, the people) read once."""
    case = case if case is not None else _case(conn, draft.case_id)
    room = _room(conn, draft)
    staff = _staff_rows(conn, draft)
    proposal = _proposal(conn, draft, case, hearing_id, postponement, room=room, staff=staff)
    _refuse_invalid(draft, proposal, staff)
    ctx, basis = _context(ws, conn, proposal, case, room, now or datetime.now())
    outcome = CheckOutcome(
        scheduling.check(proposal, ctx),
        basis,
        str(ctx.hours),
        [lawyer.label for lawyer in proposal.lawyers],
    )
    return proposal, outcome, case


def check_hearing(
    ws: Workspace,
    draft: HearingDraft,
    *,
    hearing_id: int | None = None,
    postponement: bool = False,
    now: datetime | None = None,
) -> CheckOutcome:
    """Every conflict of a proposed hearing, explained; nothing is saved."""
    require(ws.actor, Permission.VIEW_CASES)
    with ws.db.snapshot() as conn:
        case = _permitted_case(conn, ws.actor, Permission.VIEW_CASES, draft.case_id)
        _, outcome, _ = _evaluate(
            ws, conn, draft, hearing_id=hearing_id, postponement=postponement, now=now, case=case
        )
    return outcome


def _permitted_case(
    conn: sqlite3.Connection, actor: Actor, permission: Permission, case_id: int
) -> sqlite3.Row:
    """The case row, once the actor may do ``permission`` to it: read once for both."""
    case = _case(conn, case_id)
    require_case(actor, permission, case_access_of(conn, case))
    return case


def _refuse_closed_case(case: sqlite3.Row) -> None:
    if not CaseStatus(case["status"]).is_open:
        raise ValidationError(
            f"{case['case_number']} {CaseStatus(case['status']).label}，不能再排期", "case"
        )


def _allow(conflicts: list[Conflict], override_reason: str) -> str:
    """The reason to record, or SchedulingConflictError when there are conflicts without one."""
    reason = override_reason.strip()
    if conflicts and not reason:
        raise SchedulingConflictError(conflicts)
    if conflicts and (problem := free_text_problem(reason, "保存理由")) is not None:
        raise ValidationError(problem, "override_reason")
    return reason if conflicts else ""


def _conflicts_json(conflicts: list[Conflict]) -> str:
    return json.dumps([c.to_dict() for c in conflicts], ensure_ascii=False) if conflicts else ""


def _staff(draft: HearingDraft) -> list[tuple[int, str]]:
    staff: list[tuple[int, str]] = []
    if draft.judge_id is not None:
        staff.append((draft.judge_id, "judge"))
    staff += [(p, "panel") for p in draft.panel_ids]
    if draft.clerk_id is not None:
        staff.append((draft.clerk_id, "clerk"))
    return staff


def _insert(
    ws: Workspace,
    conn: sqlite3.Connection,
    draft: HearingDraft,
    proposal: Proposal,
    conflicts: list[Conflict],
    reason: str,
    postponed_from: int | None = None,
) -> int:
    stamp = now_iso()
    values: dict[str, Any] = {
        "case_id": draft.case_id,
        "kind": draft.kind.value,
        "mode": draft.mode.value,
        "courtroom_id": proposal.room_id,
        "place": proposal.place if draft.mode is HearingMode.OFF_SITE else "",
        "start_at": store.stamp(draft.start),
        "end_at": store.stamp(draft.end),
        "presiding_judge_id": draft.judge_id,
        "clerk_id": draft.clerk_id,
        "is_public": int(draft.is_public),
        "status": HearingStatus.SCHEDULED.value,
        "status_reason": "",
        "postponed_from": postponed_from,
        "override_reason": reason,
        "override_conflicts": _conflicts_json(conflicts),
        "note": draft.note.strip(),
        "created_at": stamp,
        "created_by": ws.actor.user_id,
        "updated_at": stamp,
    }
    hearing_id = store.insert_hearing(conn, values)
    store.replace_staff(conn, hearing_id, _staff(draft), draft.start, draft.end)
    logged = {k: v for k, v in values.items() if k not in ("created_at", "updated_at")}
    logged["panel_ids"] = list(draft.panel_ids)
    audit.record(
        conn,
        ws.actor,
        "hearing.schedule",
        "hearings",
        hearing_id,
        audit.created(logged),
        case_id=draft.case_id,
    )
    return hearing_id


def _publish_scheduled(
    ws: Workspace,
    conn: sqlite3.Connection,
    hearing_id: int,
    draft: HearingDraft,
    proposal: Proposal,
) -> None:
    events.publish(
        conn,
        ws.actor,
        "hearing.scheduled",
        hearing_id=hearing_id,
        case_id=draft.case_id,
        start=draft.start,
        end=draft.end,
        place=store.place_label(draft.mode.value, proposal.room_name, proposal.place),
        kind=draft.kind.label,
    )


def schedule_hearing(
    ws: Workspace, draft: HearingDraft, override_reason: str = "", now: datetime | None = None
) -> HearingView:
    """Schedule a hearing of a case; conflicts refuse it unless ``override_reason`` is given."""
    require(ws.actor, Permission.SCHEDULE_HEARING)
    with ws.db.transaction() as conn:
        # A judge or clerk schedules their own cases, 立案 any, a 庭长 the division's.
        case = _permitted_case(conn, ws.actor, Permission.SCHEDULE_HEARING, draft.case_id)
        proposal, outcome, case = _evaluate(ws, conn, draft, now=now, case=case)
        _refuse_closed_case(case)
        reason = _allow(outcome.conflicts, override_reason)
        hearing_id = _insert(ws, conn, draft, proposal, outcome.conflicts, reason)
        _publish_scheduled(ws, conn, hearing_id, draft, proposal)
    return get_hearing(ws, hearing_id)


def _current(conn: sqlite3.Connection, hearing_id: int) -> HearingView:
    row = store.hearing_row(conn, hearing_id)
    if row is None:
        raise NotFoundError(f"编号为 {hearing_id} 的开庭不存在")
    return _views(conn, [row])[0]


def _editable(view: HearingView) -> None:
    if view.status is not HearingStatus.SCHEDULED:
        raise ValidationError(
            f"{view.case_number} {view.start:%m月%d日 %H:%M} 的{view.kind_label}{view.status_label}，不能再更改",
            "hearing",
        )


def move_hearing(
    ws: Workspace,
    hearing_id: int,
    expected_version: int,
    start: datetime,
    end: datetime,
    *,
    room_id: int | None = None,
    mode: HearingMode | None = None,
    override_reason: str = "",
    now: datetime | None = None,
) -> HearingView:
    """Move a hearing to another time (and room): the same checks as scheduling it.

    ``room_id`` None keeps the room; moving into a room makes it a hearing in court.
    """
    require(ws.actor, Permission.SCHEDULE_HEARING)
    with ws.db.transaction() as conn:
        current = _current(conn, hearing_id)
        require_case_id(conn, ws.actor, Permission.SCHEDULE_HEARING, current.case_id)
        _editable(current)
        new_mode = mode or (HearingMode.ROOM if room_id is not None else current.mode)
        new_room = room_id if room_id is not None else current.room_id
        if new_mode is not HearingMode.ROOM:
            new_room = None
        draft = replace(current.draft(), start=start, end=end, room_id=new_room, mode=new_mode)
        proposal, outcome, case = _evaluate(ws, conn, draft, hearing_id=hearing_id, now=now)
        _refuse_closed_case(case)
        reason = _allow(outcome.conflicts, override_reason)
        values = {
            "start_at": store.stamp(start),
            "end_at": store.stamp(end),
            "courtroom_id": new_room,
            "mode": new_mode.value,
            "override_reason": reason,
            "override_conflicts": _conflicts_json(outcome.conflicts),
            "updated_at": now_iso(),
        }
        changed = update_versioned(
            conn,
            "hearings",
            hearing_id,
            expected_version,
            values,
            f"{current.case_number} 的{current.kind_label}",
        )
        store.move_staff(conn, hearing_id, start, end)
        changed.pop("updated_at", None)
        audit.record(
            conn,
            ws.actor,
            "hearing.move",
            "hearings",
            hearing_id,
            {k: list(v) for k, v in changed.items()},
            case_id=current.case_id,
        )
        events.publish(
            conn,
            ws.actor,
            "hearing.moved",
            hearing_id=hearing_id,
            case_id=current.case_id,
            old_start=current.start,
            new_start=start,
            end=end,
            place=store.place_label(new_mode.value, proposal.room_name, proposal.place),
            kind=current.kind.label,
        )
    return get_hearing(ws, hearing_id)


def _close_hearing(
    actor: Actor,
    conn: sqlite3.Connection,
    current: HearingView,
    expected_version: int,
    status: HearingStatus,
    reason: str,
) -> None:
    update_versioned(
        conn,
        "hearings",
        current.id,
        expected_version,
        {"status": status.value, "status_reason": reason, "updated_at": now_iso()},
        f"{current.case_number} 的{current.kind_label}",
    )
    store.release_staff(conn, current.id)
    audit.record(
        conn,
        actor,
        f"hearing.{'postpone' if status is HearingStatus.POSTPONED else 'cancel'}",
        "hearings",
        current.id,
        {"status": [current.status.value, status.value], "status_reason": [None, reason]},
        case_id=current.case_id,
    )


def _reason_required(reason: str, what: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(f"请填写{what}理由", "reason")
    if (problem := free_text_problem(reason, f"{what}理由")) is not None:
        raise ValidationError(problem, "reason")
    return reason


def check_postponement(
    ws: Workspace,
    hearing_id: int,
    new_start: datetime | None = None,
    new_end: datetime | None = None,
    now: datetime | None = None,
) -> CheckOutcome:
    """What postponing would warn about: the limit, and the new time's own conflicts."""
    require(ws.actor, Permission.VIEW_CASES)
    with ws.db.snapshot() as conn:
        current = _current(conn, hearing_id)
        require_case_id(conn, ws.actor, Permission.VIEW_CASES, current.case_id)
        return _postponement_outcome(ws, conn, current, new_start, new_end, now)


def _postponement_outcome(
    ws: Workspace,
    conn: sqlite3.Connection,
    current: HearingView,
    new_start: datetime | None,
    new_end: datetime | None,
    now: datetime | None,
) -> CheckOutcome:
    if new_start is not None and new_end is not None:
        draft = replace(current.draft(), start=new_start, end=new_end)
        # The hearing being postponed still holds its slot: it must not clash with itself.
        _, outcome, _ = _evaluate(
            ws, conn, draft, hearing_id=current.id, postponement=True, now=now
        )
        return outcome
    # No new date yet (延期，另行通知): only the limit applies.
    case = _case(conn, current.case_id)
    procedure = str(case["procedure"])
    ctx = CheckContext(
        now=now or datetime.now(),
        calendar=holiday_calendar(ws),
        hours=court_hours(ws),
        procedure=procedure,
        procedure_label=PROCEDURES[procedure].label if procedure in PROCEDURES else procedure,
        postponements_so_far=store.postponement_count(conn, current.case_id),
    )
    probe = Proposal(
        current.case_id,
        current.case_number,
        current.kind,
        current.mode,
        current.start,
        current.end,
        is_postponement=True,
    )
    return CheckOutcome(scheduling.postponement_conflicts(probe, ctx), "", str(ctx.hours))


def postpone_hearing(
    ws: Workspace,
    hearing_id: int,
    expected_version: int,
    reason: str,
    new_start: datetime | None = None,
    new_end: datetime | None = None,
    *,
    override_reason: str = "",
    now: datetime | None = None,
) -> tuple[HearingView, HearingView | None]:
    """延期: the hearing is marked postponed with its reason; with a new time a new
    hearing (same case, room and people) is scheduled and linked to it.

    The postponement limit and the new time's conflicts are warnings like any other.
    Returns (the postponed hearing, the new one or None).
    """
    require(ws.actor, Permission.SCHEDULE_HEARING)
    reason = _reason_required(reason, "延期")
    if (new_start is None) != (new_end is None):
        raise ValidationError("新的开庭时间需同时填写开始和结束时间", "start")
    with ws.db.transaction() as conn:
        current = _current(conn, hearing_id)
        require_case_id(conn, ws.actor, Permission.SCHEDULE_HEARING, current.case_id)
        _editable(current)
        outcome = _postponement_outcome(ws, conn, current, new_start, new_end, now)
        allowed = _allow(outcome.conflicts, override_reason)
        _close_hearing(ws.actor, conn, current, expected_version, HearingStatus.POSTPONED, reason)
        new_id: int | None = None
        rescheduled: tuple[HearingDraft, Proposal] | None = None
        if new_start is not None and new_end is not None:
            draft = replace(current.draft(), start=new_start, end=new_end)
            case = _case(conn, current.case_id)
            _refuse_closed_case(case)
            proposal = _proposal(conn, draft, case, None, True)
            new_id = _insert(
                ws, conn, draft, proposal, outcome.conflicts, allowed, postponed_from=hearing_id
            )
            rescheduled = (draft, proposal)
        elif allowed:
            audit.record(
                conn,
                ws.actor,
                "hearing.override",
                "hearings",
                hearing_id,
                {"override_reason": allowed, "conflicts": _conflicts_json(outcome.conflicts)},
                case_id=current.case_id,
            )
        events.publish(
            conn,
            ws.actor,
            "hearing.postponed",
            hearing_id=hearing_id,
            case_id=current.case_id,
            reason=reason,
            new_hearing_id=new_id,
        )
        if new_id is not None and rescheduled is not None:
            _publish_scheduled(ws, conn, new_id, *rescheduled)
    return get_hearing(ws, hearing_id), (get_hearing(ws, new_id) if new_id else None)


def cancel_hearing(
    ws: Workspace, hearing_id: int, expected_version: int, reason: str
) -> HearingView:
    """取消开庭 (the case was withdrawn, settled …): kept in the history with the reason."""
    require(ws.actor, Permission.SCHEDULE_HEARING)
    reason = _reason_required(reason, "取消开庭")
    with ws.db.transaction() as conn:
        current = _current(conn, hearing_id)
        require_case_id(conn, ws.actor, Permission.SCHEDULE_HEARING, current.case_id)
        _editable(current)
        _close_hearing(ws.actor, conn, current, expected_version, HearingStatus.CANCELLED, reason)
        events.publish(
            conn,
            ws.actor,
            "hearing.cancelled",
            hearing_id=hearing_id,
            case_id=current.case_id,
            reason=reason,
        )
    return get_hearing(ws, hearing_id)


def on_case_closed(
    conn: sqlite3.Connection,
    actor: Actor,
    case_id: int,
    closed_date: date | None = None,
    **_later: object,
) -> None:
    """A closed case is not heard again: its hearings after the closing day are cancelled.

    They would otherwise keep their courtroom and their judges on the calendar and
    stand in the cause list. The hearing of the closing day itself (often the 宣判)
    stays as it happened. Each cancellation is audited and published like one made
    by hand, so the service centre withdraws its summonses too.
    """
    closed_on = (closed_date or date.today()).isoformat()
    reason = f"案件已于 {closed_on} 结案"
    for view in _views(conn, store.case_hearings(conn, case_id)):
        if view.status is not HearingStatus.SCHEDULED or view.start.date().isoformat() <= closed_on:
            continue
        _close_hearing(actor, conn, view, view.version, HearingStatus.CANCELLED, reason)
        events.publish(
            conn, actor, "hearing.cancelled", hearing_id=view.id, case_id=case_id, reason=reason
        )


events.subscribe("case.closed", on_case_closed)


# ---------------------------------------------------------------- reading
def _view(row: Mapping[str, Any], staff: list[sqlite3.Row]) -> HearingView:
    return HearingView(
        id=int(row["id"]),
        case_id=int(row["case_id"]),
        case_number=str(row["case_number"]),
        cause=str(row["cause"]),
        parties_summary=str(row["parties_summary"]),
        kind=KIND_BY_CODE[row["kind"]],
        mode=MODE_BY_CODE[row["mode"]],
        room_id=row["courtroom_id"],
        room_name=str(row["room_name"] or ""),
        place=store.place_label(row["mode"], row["room_name"], row["place"]),
        start=store.parse(row["start_at"]),
        end=store.parse(row["end_at"]),
        judge_id=row["presiding_judge_id"],
        judge_name=str(row["judge_name"] or ""),
        clerk_id=row["clerk_id"],
        clerk_name=str(row["clerk_name"] or ""),
        panel=tuple(
            (int(s["user_id"]), str(s["display_name"])) for s in staff if s["role"] == "panel"
        ),
        status=STATUS_BY_CODE[row["status"]],
        status_reason=str(row["status_reason"]),
        postponed_from=row["postponed_from"],
        override_reason=str(row["override_reason"]),
        is_public=bool(row["is_public"]) and not bool(row["is_private"]),
        note=str(row["note"]),
        version=int(row["version"]),
    )


def _views(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[HearingView]:
    staff = store.staff_of(conn, [int(r["id"]) for r in rows])
    return [_view(r, staff[r["id"]]) for r in as_dicts(rows)]


def get_hearing(ws: Workspace, hearing_id: int) -> HearingView:
    require(ws.actor, Permission.VIEW_CASES)
    with ws.db.snapshot() as conn:
        view = _current(conn, hearing_id)
        require_case_id(conn, ws.actor, Permission.VIEW_CASES, view.case_id)
        return view


def case_hearings(ws: Workspace, case_id: int) -> list[HearingView]:
    """The case's hearings of every status, oldest first: its scheduling history."""
    require(ws.actor, Permission.VIEW_CASES)
    with ws.db.snapshot() as conn:
        require_case_id(conn, ws.actor, Permission.VIEW_CASES, case_id)
        return hearing_views_of_case(conn, case_id)


def hearing_views_of_case(conn: sqlite3.Connection, case_id: int) -> list[HearingView]:
    """``case_hearings`` on a snapshot the caller holds, access already checked."""
    return _views(conn, store.case_hearings(conn, case_id))


def hearings_between(
    ws: Workspace,
    first: date,
    last: date,
    *,
    room_id: int | None = None,
    user_id: int | None = None,
    public_only: bool = False,
) -> list[HearingView]:
    """Scheduled hearings from ``first`` to ``last`` inclusive, by time."""
    require(ws.actor, Permission.VIEW_CASES)
    begin = datetime.combine(first, datetime.min.time())
    # The calendar's last day has no next midnight: its end is the last minute there is.
    finish = (
        datetime.combine(last + timedelta(days=1), datetime.min.time())
        if last < date.max
        else datetime.max
    )
    with ws.db.snapshot() as conn:
        rows = store.hearings_between(
            conn, begin, finish, room_id=room_id, user_id=user_id, public_only=public_only
        )
        return _views(conn, rows)


# ---------------------------------------------------------------- free slots
@dataclass(frozen=True)
class SlotRequest:
    judge_id: int | None
    clerk_id: int | None
    length: timedelta
    earliest: datetime
    mode: HearingMode = HearingMode.ROOM
    division_id: int | None = None  # rooms of this people's tribunal (None: the main court)
    room_id: int | None = None  # only this room
    min_capacity: int = 0
    needs_remote_video: bool = False
    panel_ids: tuple[int, ...] = ()
    days: int = 60
    limit: int = 8
    case_id: int | None = None  # start no earlier than its summons can be served 3 days ahead


def find_slots(ws: Workspace, request: SlotRequest) -> list[Slot]:
    """The next times when the judge, the clerk (and panel) and a suitable room are all free.

    With a case, the search starts on the first day its parties can have been
    summoned three days before (the same outlook the conflict check uses).
    """
    require(ws.actor, Permission.VIEW_CASES)
    problems = scheduling.slot_search_problems(
        request.earliest, request.length, request.days, request.limit
    )
    with ws.db.snapshot() as conn:
        for key, label, user_id in (
            ("judge_id", "审判长", request.judge_id),
            ("clerk_id", "书记员", request.clerk_id),
            *(("panel_ids", "合议庭成员", i) for i in request.panel_ids),
        ):
            if user_id is not None and court.user_by_id(conn, user_id) is None:
                problems.append(FieldProblem(key, f"{label}：编号为 {user_id} 的人员不存在"))
    if problems:
        raise ValidationError(problems)
    with ws.db.snapshot() as conn:
        if request.case_id is not None:
            outlook, _ = _summons(ws, conn, request.case_id, date.today())
            if outlook:
                latest = max(o.earliest_service_date for o in outlook)
                ready = datetime.combine(
                    latest + timedelta(days=scheduling.NOTICE_DAYS), datetime.min.time()
                )
                request = replace(request, earliest=max(request.earliest, ready))
    first = request.earliest.date()
    last = first + timedelta(days=request.days)
    with ws.db.snapshot() as conn:
        people = [request.judge_id, request.clerk_id, *request.panel_ids]
        busy = {
            str(user_id): store.person_busy(conn, user_id, first, last)
            for user_id in people
            if user_id is not None
        }
        rooms: list[RoomSchedule] | None = None
        if request.mode is HearingMode.ROOM:
            rooms = []
            for row in store.courtroom_rows(conn):
                if not _suitable(row, request):
                    continue
                room_id = int(row["id"])
                rooms.append(
                    RoomSchedule(
                        room_id,
                        str(row["name"]),
                        store.room_busy(conn, room_id, first, last),
                        [store.closure_values(c) for c in store.closures(conn, room_id, first)],
                    )
                )
            if not rooms:
                raise ValidationError("没有符合条件的可用法庭", "room")
    search = SlotSearch(
        earliest=request.earliest,
        length=request.length,
        hours=court_hours(ws),
        calendar=holiday_calendar(ws),
        people_busy=busy,
        rooms=rooms,
        days=request.days,
        limit=request.limit,
    )
    return scheduling.find_slots(search)


def _suitable(row: sqlite3.Row, request: SlotRequest) -> bool:
    if not row["active"]:
        return False
    if request.room_id is not None:
        return int(row["id"]) == request.room_id
    if row["division_id"] != request.division_id:
        return False
    if request.needs_remote_video and not row["has_remote_video"]:
        return False
    return int(row["capacity"]) >= request.min_capacity


# ---------------------------------------------------------------- cause lists
@dataclass(frozen=True)
class CauseListEntry:
    start: datetime
    end: datetime
    case_number: str
    cause: str
    parties: str
    kind: str
    place: str
    judge: str
    panel: str
    clerk: str
    is_public: bool


@dataclass(frozen=True)
class CauseList:
    """开庭排期表 (the day's list) or 开庭公告 (the public hearings of a period): plain data,
    shown on screen and handed to the notices engine for printing."""

    title: str
    court_name: str
    first_day: date
    last_day: date
    room: str  # "" for the whole court
    entries: tuple[CauseListEntry, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _entry(view: HearingView) -> CauseListEntry:
    return CauseListEntry(
        view.start,
        view.end,
        view.case_number,
        view.cause,
        view.parties_summary,
        view.kind_label,
        view.place,
        view.judge_name,
        "、".join(name for _, name in view.panel),
        view.clerk_name,
        view.is_public,
    )


def cause_list(ws: Workspace, day: date, room_id: int | None = None) -> CauseList:
    """开庭排期表: every scheduled hearing of ``day``, for the court or one room."""
    views = hearings_between(ws, day, day, room_id=room_id)
    room = ""
    if room_id is not None:
        row = store.courtroom_row(ws.db.connection, room_id)
        room = str(row["name"]) if row else ""
    return CauseList("开庭排期表", ws.court_name, day, day, room, tuple(_entry(v) for v in views))


def announcement(ws: Workspace, first: date, last: date) -> CauseList:
    """开庭公告: public hearings (not mediation or inquiry, not private cases) in a period.

    民诉法 §139: public hearings are announced in advance with the parties' names,
    the cause, and the time and place.
    """
    views = [
        v for v in hearings_between(ws, first, last, public_only=True) if v.kind in PUBLIC_KINDS
    ]
    return CauseList("开庭公告", ws.court_name, first, last, "", tuple(_entry(v) for v in views))


# 调解 and 询问 are not public hearings; 宣判 is always public (民诉法 §151).
PUBLIC_KINDS = frozenset(
    {HearingKind.TRIAL, HearingKind.HEARING, HearingKind.PRONOUNCEMENT, HearingKind.CIRCUIT}
)


# ---------------------------------------------------------------- by name (CLI)
def _refuse_unreadable(text: str, label: str, field: str) -> None:
    """A name typed with control characters or undecodable bytes (lone surrogates, which
    SQLite cannot even look up) names nobody: say so instead of failing inside the query."""
    if has_control_characters(text):
        raise ValidationError(f"{label}「{text}」含有无法识别的字符", field)


def room_by_name(ws: Workspace, text: str) -> int:
    """A courtroom by its name (or its number as printed in the room list)."""
    _refuse_unreadable(text, "法庭", "room")
    conn = ws.db.connection
    row = store.courtroom_by_name(conn, text.strip())
    if row is None and text.strip().isdigit():
        row = store.courtroom_row(conn, int(text))
    if row is None:
        names = "、".join(str(r["name"]) for r in store.courtroom_rows(conn))
        raise ValidationError(f"法庭「{text}」不存在（本院法庭：{names}）", "room")
    return int(row["id"])


def _user_by_name(ws: Workspace, text: str, label: str) -> int:
    _refuse_unreadable(text, label, label)
    conn = ws.db.connection
    row = court.user_by_username(conn, text)
    if row is None:
        found = [u for u in court.all_users(conn) if u["display_name"] == text]
        if len(found) == 1:
            row = found[0]
    if row is None:
        raise ValidationError(f"{label}「{text}」不存在（可用用户名或姓名）", label)
    return int(row["id"])


def draft_by_names(
    ws: Workspace,
    case_number: str,
    start: datetime,
    end: datetime | None = None,
    *,
    kind: HearingKind = HearingKind.TRIAL,
    room: str | None = None,
    online: bool = False,
    place: str = "",
    judge: str | None = None,
    clerk: str | None = None,
    panel: tuple[str, ...] = (),
) -> HearingDraft:
    """A proposal from what a person types: 案号, room name, user names.

    The judge and clerk default to the case's; the end to the kind's default length.
    """
    from courtdesk.services.cases import find_case

    case = find_case(ws, case_number)
    if online:
        mode, room_id = HearingMode.ONLINE, None
    elif place.strip():
        mode, room_id = HearingMode.OFF_SITE, None
    elif room:
        mode, room_id = HearingMode.ROOM, room_by_name(ws, room)
    else:
        raise ValidationError(
            "请指定法庭（--room），或在线庭审（--online），或巡回审判地点（--place）", "room"
        )
    if end is None:
        end = start + timedelta(minutes=default_minutes(ws)[kind])
    return HearingDraft(
        case_id=case.id,
        kind=kind,
        mode=mode,
        start=start,
        end=end,
        room_id=room_id,
        place=place,
        judge_id=_user_by_name(ws, judge, "审判长") if judge else case.presiding_judge_id,
        panel_ids=tuple(_user_by_name(ws, p, "合议庭成员") for p in panel),
        clerk_id=_user_by_name(ws, clerk, "书记员") if clerk else case.clerk_id,
        is_public=not case.is_private,
    )
