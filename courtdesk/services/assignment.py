"""Assigning cases (分案): automatic draws, manual choices with reasons, reassignment history.

Every assignment is a row of ``case_assignments``; reassigning ends the current row
and adds a new one, so who heard a case when is never lost. An automatic draw
happens inside the transaction that stores it (the caseloads it was weighted by
are written to the audit row), so nobody can draw again until a judge they like
comes up. Assigning a 待分案 case moves it to 审理中.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field

from courtdesk.domain.assignment import (
    ASSESSOR,
    JUDGE_MEMBER,
    PRESIDING,
    Bench,
    Candidate,
    Method,
    PanelMember,
    allowed_benches,
    check_bench,
    draw,
    weights,
)
from courtdesk.domain.case_status import CaseStatus
from courtdesk.domain.case_types import Category, default_catalog
from courtdesk.domain.procedures import PROCEDURES
from courtdesk.domain.text import clean_text, has_control_characters
from courtdesk.errors import CourtdeskError, FieldProblem, NotFoundError, ValidationError
from courtdesk.services import audit, events
from courtdesk.services.permissions import Permission, require, require_case_id
from courtdesk.services.workspace import Workspace
from courtdesk.store import assignments as store
from courtdesk.store import cases as case_store
from courtdesk.store import court
from courtdesk.store.audit import now_iso
from courtdesk.store.records import update_versioned

__all__ = [
    "AssignmentOptions",
    "AssignmentRequest",
    "AssignmentView",
    "Bench",
    "MemberView",
    "Method",
    "PanelMember",
    "StaffMember",
    "assign",
    "history",
    "options",
]

MAX_REASON_LENGTH = 200
PANEL_SIZE = 3

# Which kind of division hears which category of case, for the default in the dialog
# and the draw (tribunals hear civil cases; preservation is done at the filing division).
_DIVISION_KINDS: dict[Category, tuple[str, ...]] = {
    Category.CIVIL: ("civil", "tribunal"),
    Category.CRIMINAL: ("criminal",),
    Category.ADMINISTRATIVE: ("administrative",),
    Category.ENFORCEMENT: ("enforcement",),
    Category.PRESERVATION: ("filing", "enforcement"),
    Category.BANKRUPTCY: ("civil",),
    Category.SANCTION: ("civil", "criminal"),
}


@dataclass(frozen=True)
class StaffMember:
    """A judge, clerk or assessor who can be assigned, with their open cases."""

    id: int
    name: str
    division_id: int | None
    division: str
    open_cases: int


@dataclass(frozen=True)
class DivisionChoice:
    id: int
    name: str
    kind: str


@dataclass(frozen=True)
class MemberView:
    user_id: int
    name: str
    role: str


@dataclass(frozen=True)
class AssignmentView:
    id: int
    case_id: int
    division: str | None
    presiding_judge_id: int
    presiding_judge: str
    clerk_id: int | None
    clerk: str | None
    bench: Bench
    method: Method
    reason: str
    assigned_at: str
    assigned_by: str | None
    ended_at: str | None
    members: tuple[MemberView, ...] = ()

    @property
    def is_current(self) -> bool:
        return self.ended_at is None

    @property
    def bench_text(self) -> str:
        """独任审判, or the panel with each member's role (成员待定 when not yet formed)."""
        if self.bench is Bench.SOLE:
            return f"独任审判：{self.presiding_judge}"
        if not self.members:
            return "合议庭（成员待定）"
        return "合议庭：" + "、".join(f"{m.role}{m.name}" for m in self.members)


@dataclass(frozen=True)
class AssignmentOptions:
    """What the assignment dialog offers for one case."""

    case_id: int
    case_number: str
    cause: str
    procedure_label: str
    status: str
    version: int
    division_id: int | None
    divisions: tuple[DivisionChoice, ...]
    benches: tuple[Bench, ...]
    judges: tuple[StaffMember, ...]
    clerks: tuple[StaffMember, ...]
    assessors: tuple[StaffMember, ...]
    current: AssignmentView | None
    history: tuple[AssignmentView, ...] = ()  # newest first, the current one included

    def judges_in(self, division_id: int | None) -> list[StaffMember]:
        return [j for j in self.judges if j.division_id == division_id]

    def clerks_in(self, division_id: int | None) -> list[StaffMember]:
        return [c for c in self.clerks if c.division_id == division_id]

    def chances(self, division_id: int | None) -> dict[int, float]:
        """Each judge's chance in an automatic draw for ``division_id`` (for display)."""
        judges = self.judges_in(division_id)
        w = weights([Candidate(j.id, j.name, j.open_cases) for j in judges])
        total = sum(w)
        return {j.id: weight / total for j, weight in zip(judges, w, strict=True)} if total else {}


@dataclass(frozen=True)
class AssignmentRequest:
    """An assignment as the dialog (or the CLI) asks for it.

    ``method`` AUTO draws the presiding judge among the division's judges and, for
    a panel, the other members; MANUAL takes ``presiding_judge_id`` (and
    ``members`` for a panel) and needs a ``reason``. ``clerk_id`` None draws the
    division's clerk with the fewest open cases first (either method).
    """

    case_id: int
    expected_version: int
    method: Method
    division_id: int | None
    bench: Bench
    presiding_judge_id: int | None = None
    clerk_id: int | None = None
    members: tuple[PanelMember, ...] = field(default_factory=tuple)
    reason: str = ""


# ---------------------------------------------------------------------- reading
def options(ws: Workspace, case_id: int) -> AssignmentOptions:
    """Everything the assignment dialog needs for a case, read in one snapshot."""
    require(ws.actor, Permission.VIEW_CASES)
    with ws.db.snapshot() as conn:
        row = case_store.case_row(conn, case_id)
        if row is None:
            raise NotFoundError(f"编号为 {case_id} 的案件不存在")
        require_case_id(conn, ws.actor, Permission.VIEW_CASES, case_id)
        divisions = tuple(
            DivisionChoice(int(d["id"]), str(d["name"]), str(d["kind"]))
            for d in court.divisions(conn)
        )
        judges = _staff(conn, "judge", "presiding_judge_id")
        clerks = _staff(conn, "clerk", "clerk_id")
        assessors = _staff(conn, "assessor", None)
        views = _history(conn, case_id)
    category = _category(str(row["type_code"]))
    division_id = row["division_id"]
    if division_id is None:
        division_id = _default_division(divisions, judges, category)
    return AssignmentOptions(
        case_id=case_id,
        case_number=str(row["case_number"]),
        cause=str(row["cause"]),
        procedure_label=_procedure_label(str(row["procedure"])),
        status=str(row["status"]),
        version=int(row["version"]),
        division_id=division_id,
        divisions=divisions,
        benches=allowed_benches(str(row["procedure"])),
        judges=judges,
        clerks=clerks,
        assessors=assessors,
        current=next((v for v in views if v.is_current), None),
        history=tuple(views),
    )


def history(ws: Workspace, case_id: int) -> list[AssignmentView]:
    """Every assignment of a case, newest first."""
    require(ws.actor, Permission.VIEW_CASES)
    with ws.db.snapshot() as conn:
        require_case_id(conn, ws.actor, Permission.VIEW_CASES, case_id)
        return _history(conn, case_id)


def _history(conn: sqlite3.Connection, case_id: int) -> list[AssignmentView]:
    rows = store.history(conn, case_id)
    members: dict[int, list[MemberView]] = {}
    for m in store.members_of(conn, [int(r["id"]) for r in rows]):
        members.setdefault(int(m["assignment_id"]), []).append(
            MemberView(int(m["user_id"]), str(m["name"]), str(m["role"]))
        )
    return [
        AssignmentView(
            id=int(r["id"]),
            case_id=int(r["case_id"]),
            division=r["division_name"],
            presiding_judge_id=int(r["presiding_judge_id"]),
            presiding_judge=str(r["judge_name"]),
            clerk_id=r["clerk_id"],
            clerk=r["clerk_name"],
            bench=Bench(r["bench"]),
            method=Method(r["method"]),
            reason=str(r["reason"]),
            assigned_at=str(r["assigned_at"]),
            assigned_by=r["assigned_by_name"],
            ended_at=r["ended_at"],
            members=tuple(members.get(int(r["id"]), [])),
        )
        for r in rows
    ]


def _staff(conn: sqlite3.Connection, role: str, load_column: str | None) -> tuple[StaffMember, ...]:
    people = store.people_in(conn, role)
    ids = [int(p["id"]) for p in people]
    if load_column is None:
        loads = store.panel_loads(conn, ids)
    else:
        loads = store.open_caseloads(conn, ids, load_column)
    return tuple(
        StaffMember(
            int(p["id"]),
            str(p["display_name"]),
            p["division_id"],
            str(p["division_name"] or ""),
            loads.get(int(p["id"]), 0),
        )
        for p in people
    )


def _category(type_code: str) -> Category:
    case_type = default_catalog().get(type_code)
    return case_type.category if case_type else Category.CIVIL


def _default_division(
    divisions: Sequence[DivisionChoice], judges: Sequence[StaffMember], category: Category
) -> int | None:
    """The first division of the right kind that has judges (民事 → the civil divisions …)."""
    staffed = {j.division_id for j in judges}
    for kind in _DIVISION_KINDS.get(category, ()):
        for division in divisions:
            if division.kind == kind and division.id in staffed:
                return division.id
    return None


def _procedure_label(code: str) -> str:
    proc = PROCEDURES.get(code)
    return proc.label if proc else code


# ---------------------------------------------------------------------- writing
def assign(
    ws: Workspace, request: AssignmentRequest, rng: random.Random | None = None
) -> AssignmentView:
    """Assign (or reassign) a case, in one transaction with its audit rows.

    ``rng`` is for tests; by default the draw uses the operating system's randomness.
    Refused for closed cases, for a stale ``expected_version`` (naming who changed
    the case), for a manual choice or a reassignment without a reason, and for a
    bench the procedure does not allow.
    """
    require(ws.actor, Permission.ASSIGN_CASE)
    rng = rng or random.SystemRandom()
    reason = clean_text(request.reason)
    if len(reason) > MAX_REASON_LENGTH or has_control_characters(reason):
        raise ValidationError(f"理由过长或含有控制字符（最多 {MAX_REASON_LENGTH} 个字）", "reason")
    with ws.db.transaction() as conn:
        row = case_store.case_row(conn, request.case_id)
        if row is None:
            raise NotFoundError(f"编号为 {request.case_id} 的案件不存在")
        # 立案 assigns anywhere, a 庭长 in the division, the 院长 everywhere.
        require_case_id(conn, ws.actor, Permission.ASSIGN_CASE, request.case_id)
        number = str(row["case_number"])
        status = CaseStatus(row["status"])
        if not status.is_open:
            raise CourtdeskError(f"案件{number}{status.label}，不能再分案")
        previous = next((v for v in _history(conn, request.case_id) if v.is_current), None)
        problems: list[FieldProblem] = []
        if request.method is Method.MANUAL and not reason:
            problems.append(FieldProblem("reason", "指定分案须写明理由"))
        if previous is not None and not reason:
            problems.append(
                FieldProblem("reason", f"案件已由{previous.presiding_judge}承办，改派须写明理由")
            )
        if request.division_id is None:
            problems.append(FieldProblem("division_id", "请选择承办部门"))
        elif request.division_id not in {int(d["id"]) for d in court.divisions(conn)}:
            # Checked against the list, not looked up: an id SQLite cannot hold is no division either.
            problems.append(FieldProblem("division_id", "承办部门：所选部门不存在"))
        if problems:
            raise ValidationError(problems)
        picked = _complete(conn, request, str(row["procedure"]), rng)
        stamp = now_iso()
        judge = court.user_by_id(conn, picked.presiding_judge_id)
        assert judge is not None
        changed = update_versioned(
            conn,
            "cases",
            request.case_id,
            request.expected_version,
            {
                "presiding_judge_id": picked.presiding_judge_id,
                "clerk_id": picked.clerk_id,
                "judge_name": str(judge["display_name"]),
                "division_id": request.division_id,
                "status": CaseStatus.PENDING.value
                if status is CaseStatus.REGISTERED
                else status.value,
                "updated_at": stamp,
            },
            f"案件{number}",
        )
        store.end_current(conn, request.case_id, stamp)
        assignment_id = store.insert_assignment(
            conn,
            store.NewAssignment(
                case_id=request.case_id,
                division_id=request.division_id,
                presiding_judge_id=picked.presiding_judge_id,
                clerk_id=picked.clerk_id,
                bench=request.bench.value,
                method=request.method.value,
                reason=reason,
                assigned_at=stamp,
                assigned_by=ws.actor.user_id,
            ),
            [(m.user_id, m.role) for m in picked.members],
        )
        audit.record(
            conn,
            ws.actor,
            "case.assign",
            "cases",
            request.case_id,
            {k: list(v) for k, v in changed.items() if k != "updated_at"},
            case_id=request.case_id,
        )
        audit.record(
            conn,
            ws.actor,
            "assignment.add",
            "case_assignments",
            assignment_id,
            audit.created(
                {
                    "presiding_judge_id": picked.presiding_judge_id,
                    "clerk_id": picked.clerk_id,
                    "division_id": request.division_id,
                    "bench": request.bench.value,
                    "method": request.method.value,
                    "reason": reason,
                    "members": [[m.user_id, m.role] for m in picked.members],
                    "replaces": previous.id if previous else None,
                    # The loads an automatic draw was weighted by, so it can be checked later.
                    "candidates": [[c.user_id, c.open_cases] for c in picked.candidates],
                }
            ),
            case_id=request.case_id,
        )
        events.publish(
            conn,
            ws.actor,
            "case.assigned",
            case_id=request.case_id,
            assignment_id=assignment_id,
            presiding_judge_id=picked.presiding_judge_id,
            previous_judge_id=previous.presiding_judge_id if previous else None,
        )
        views = _history(conn, request.case_id)
    return views[0]


@dataclass(frozen=True)
class _Picked:
    presiding_judge_id: int
    clerk_id: int | None
    members: tuple[PanelMember, ...]
    candidates: tuple[Candidate, ...]


def _complete(
    conn: sqlite3.Connection, request: AssignmentRequest, procedure: str, rng: random.Random
) -> _Picked:
    """Fill in what an automatic assignment draws, then check the whole bench."""
    judges = store.people_in(conn, "judge")
    assessors = store.people_in(conn, "assessor")
    names = {int(p["id"]): str(p["display_name"]) for p in (*judges, *assessors)}
    division_judges = [int(j["id"]) for j in judges if j["division_id"] == request.division_id]
    candidates: tuple[Candidate, ...] = ()
    if request.method is Method.AUTO:
        if not division_judges:
            raise ValidationError("所选部门没有在职法官，无法随机分案", "division_id")
        loads = store.open_caseloads(conn, division_judges)
        candidates = tuple(Candidate(i, names[i], loads[i]) for i in division_judges)
        presiding = draw(candidates, rng).user_id
    elif request.presiding_judge_id is None:
        raise ValidationError("指定分案须选择承办人", "presiding_judge_id")
    else:
        presiding = request.presiding_judge_id
    members = request.members
    if request.bench is Bench.PANEL and request.method is Method.AUTO:
        members = _draw_panel(conn, presiding, division_judges, assessors, rng)
    elif request.bench is Bench.SOLE:
        members = ()
    clerk = request.clerk_id
    if clerk is None:
        clerks = [
            int(c["id"])
            for c in store.people_in(conn, "clerk")
            if c["division_id"] == request.division_id
        ]
        if clerks:
            loads = store.open_caseloads(conn, clerks, "clerk_id")
            clerk = draw([Candidate(i, "", loads[i]) for i in clerks], rng).user_id
    elif clerk not in {int(c["id"]) for c in store.people_in(conn, "clerk")}:
        raise ValidationError("书记员：所选人员不是在职的书记员", "clerk_id")
    problems = check_bench(
        procedure,
        request.bench,
        presiding,
        members,
        frozenset(int(j["id"]) for j in judges),
        frozenset(int(a["id"]) for a in assessors),
        names,
    )
    if problems:
        raise ValidationError(problems)
    return _Picked(presiding, clerk, tuple(members), candidates)


def _draw_panel(
    conn: sqlite3.Connection,
    presiding: int,
    division_judges: Sequence[int],
    assessors: Sequence[sqlite3.Row],
    rng: random.Random,
) -> tuple[PanelMember, ...]:
    """承办人 as 审判长, one more judge of the division, one 人民陪审员 (a judge if none).

    Each further seat is drawn like the presiding judge: weighted towards whoever
    sits on the fewest open cases' panels. This mix (审判员 + 人民陪审员) is the usual
    three-member panel of a basic court.
    """
    members = [PanelMember(presiding, PRESIDING)]
    other_judges = [j for j in division_judges if j != presiding]
    assessor_ids = [int(a["id"]) for a in assessors]
    # Each seat: the pools to try in order, with the role a member of that pool takes.
    judge_pool = (other_judges, JUDGE_MEMBER)
    assessor_pool = (assessor_ids, ASSESSOR)
    for preferences in ((judge_pool, assessor_pool), (assessor_pool, judge_pool)):
        for pool, role in preferences:
            chosen = _draw_seat(conn, pool, members, rng)
            if chosen is not None:
                members.append(PanelMember(chosen, role))
                break
        else:
            raise ValidationError(
                "本部门的法官和人民陪审员不足三人，无法随机组成合议庭，请指定分案", "members"
            )
    return tuple(members)


def _draw_seat(
    conn: sqlite3.Connection, pool: Sequence[int], taken: Sequence[PanelMember], rng: random.Random
) -> int | None:
    free = [i for i in pool if i not in {m.user_id for m in taken}]
    if not free:
        return None
    loads = store.panel_loads(conn, free)
    return draw([Candidate(i, "", loads[i]) for i in free], rng).user_id
