"""Closing (结案), correcting a closed case, and archiving (归档).

The closing date is computed from what happened (domain.closing): the judgment
pronounced, or the document served on the last party by a given method. Closing
ends any excluded period still open on the closing date, withdraws a pending
extension application, and fixes the derived figures the dashboard counts
(closed within the 审限, trial days). After that the case is read-only
(services.case_guard) except for archiving and corrections by an authorised user,
which name their reason and are audited.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from courtdesk.domain.case_status import CaseStatus
from courtdesk.domain.closing import (
    ClosingInputs,
    Delivery,
    Manner,
    PartyService,
    ServiceMethod,
    closing_date,
    describe,
    manners_for,
)
from courtdesk.domain.procedures import procedure
from courtdesk.domain.text import clean_text, free_text_problem
from courtdesk.domain.time_limit import compute
from courtdesk.errors import FieldProblem, PermissionDeniedError, ValidationError
from courtdesk.services import audit, events
from courtdesk.services.case_guard import case_facts, ensure_open
from courtdesk.services.permissions import Permission, require, require_case_id
from courtdesk.services.time_limits import (
    MAX_REASON_LENGTH,
    actor_division,
    end_open_exclusions,
    inputs_for,
    may_close,
    recompute,
    withdraw_pending,
)
from courtdesk.services.workspace import Actor, Workspace
from courtdesk.store import cases as case_store
from courtdesk.store import time_limits as store
from courtdesk.store.audit import now_iso
from courtdesk.store.records import update_versioned

MAX_ARCHIVE_NUMBER = 40


@dataclass(frozen=True)
class ClosingParty:
    id: int
    role: str
    name: str


@dataclass(frozen=True)
class ClosingOptions:
    """What the 结案 dialog offers for one case."""

    case_id: int
    case_number: str
    procedure: str
    procedure_label: str
    filing_date: str
    case_version: int
    expiry: str | None
    manners: tuple[tuple[str, str], ...]
    methods: tuple[tuple[str, str, str], ...]  # code, label, what the date is
    parties: tuple[ClosingParty, ...]


@dataclass(frozen=True)
class ServiceRecord:
    party_id: int
    party: str
    method: str
    method_label: str
    day: str


@dataclass(frozen=True)
class ClosingView:
    case_id: int
    case_number: str
    status: str
    manner: str
    manner_label: str
    delivery: str
    delivery_label: str
    pronounced_on: str | None
    closed_date: str
    note: str
    services: tuple[ServiceRecord, ...]
    recorded_by: str
    recorded_at: str
    version: int
    closed_within_limit: bool | None
    trial_days: int | None
    archived_on: str | None
    archive_number: str
    archived_by: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def closing_options(ws: Workspace, case_id: int) -> ClosingOptions:
    require(ws.actor, Permission.VIEW_CASES)
    with ws.db.snapshot() as conn:
        facts = case_facts(conn, case_id)
        require_case_id(conn, ws.actor, Permission.VIEW_CASES, case_id)
        parties = case_store.party_rows(conn, case_id)
    code = str(facts["procedure"])
    return ClosingOptions(
        case_id=case_id,
        case_number=facts["case_number"],
        procedure=code,
        procedure_label=procedure(code).label,
        filing_date=facts["filing_date"],
        case_version=int(facts["version"]),
        expiry=facts["time_limit_expiry"],
        manners=tuple((m.value, m.label) for m in manners_for(code)),
        methods=tuple((m.value, m.label, m.date_label) for m in ServiceMethod),
        parties=tuple(ClosingParty(int(p["id"]), p["role"], p["name"]) for p in parties),
    )


def closing_record(ws: Workspace, case_id: int) -> ClosingView | None:
    """The closing of a case (None while it is open, or for a case closed before courtdesk)."""
    require(ws.actor, Permission.VIEW_CASES)
    with ws.db.snapshot() as conn:
        require_case_id(conn, ws.actor, Permission.VIEW_CASES, case_id)
        return _view(conn, case_id)


def _view(conn: sqlite3.Connection, case_id: int) -> ClosingView | None:
    row = store.closing(conn, case_id)
    if row is None:
        return None
    facts = case_store.case_row(conn, case_id)
    assert facts is not None  # a closing row exists only for an existing case
    archive = store.archive(conn, case_id)
    manner = Manner(row["manner"])
    delivery = Delivery(row["delivery"])
    return ClosingView(
        case_id=case_id,
        case_number=facts["case_number"],
        status=facts["status"],
        manner=manner.value,
        manner_label=manner.label,
        delivery=delivery.value,
        delivery_label=delivery.label,
        pronounced_on=row["pronounced_on"],
        closed_date=row["closed_date"],
        note=row["note"],
        services=tuple(
            ServiceRecord(
                int(s["party_id"]),
                f"{s['party_role']} {s['party_name']}",
                s["method"],
                ServiceMethod(s["method"]).label,
                s["service_date"],
            )
            for s in store.closing_services(conn, case_id)
        ),
        recorded_by=row["recorded_by_name"] or "",
        recorded_at=row["recorded_at"],
        version=int(row["version"]),
        closed_within_limit=None
        if facts["closed_within_limit"] is None
        else bool(facts["closed_within_limit"]),
        trial_days=facts["trial_days"],
        archived_on=None if archive is None else archive["archived_on"],
        archive_number="" if archive is None else archive["archive_number"],
        archived_by="" if archive is None else archive["archived_by_name"] or "",
    )


def _checked(
    conn: sqlite3.Connection, facts: sqlite3.Row, inputs: ClosingInputs, today: date
) -> tuple[ClosingInputs, date]:
    """The inputs with each party named as the case names it, and the closing date,
    after checking the inputs against the case and its excluded periods."""
    problems: list[FieldProblem] = []
    parties = store.party_ids(conn, int(facts["id"]))
    for index, service in enumerate(inputs.services):
        if service.party_id not in parties:
            problems.append(FieldProblem(f"services.{index}", "所选当事人不属于本案"))
    if problems:
        raise ValidationError(problems)
    inputs = replace(
        inputs,
        services=tuple(replace(s, party_name=parties[s.party_id]) for s in inputs.services),
    )
    closed = closing_date(
        facts["procedure"], inputs, date.fromisoformat(facts["filing_date"]), today, parties
    )
    for row in store.exclusions(conn, int(facts["id"])):
        start = date.fromisoformat(row["start_date"])
        if start > closed:
            problems.append(
                FieldProblem(
                    "closing_date",
                    f"结案日期 {closed.isoformat()} 早于已登记的扣除期间起始日 {row['start_date']}",
                )
            )
        elif row["end_date"] is not None and date.fromisoformat(row["end_date"]) > closed:
            problems.append(
                FieldProblem(
                    "closing_date",
                    f"结案日期 {closed.isoformat()} 早于已登记的扣除期间截止日 {row['end_date']}",
                )
            )
    if problems:
        raise ValidationError(problems)
    return inputs, closed


def _closing_values(inputs: ClosingInputs, closed: date) -> dict[str, Any]:
    return {
        "manner": inputs.manner.value,
        "delivery": inputs.delivery.value,
        "pronounced_on": inputs.pronounced_on.isoformat()
        if inputs.delivery is Delivery.PRONOUNCED and inputs.pronounced_on
        else None,
        "closed_date": closed.isoformat(),
        "note": describe(inputs, closed),
    }


def _service_rows(inputs: ClosingInputs) -> list[tuple[int, str, str]]:
    if inputs.delivery is not Delivery.SERVED:
        return []
    return [(s.party_id, s.method.value, s.day.isoformat()) for s in inputs.services]


def close_case(
    ws: Workspace,
    case_id: int,
    expected_version: int,
    inputs: ClosingInputs,
    today: date | None = None,
) -> ClosingView:
    """结案: record the manner and the inputs of the closing date; the case becomes read-only."""
    require(ws.actor, Permission.CLOSE_CASE)
    today = today or date.today()
    with ws.db.transaction() as conn:
        facts = ensure_open(conn, case_id, "再次结案")
        if not may_close(ws.actor, facts):
            raise PermissionDeniedError("只有本案承办人或书记员可以结案")
        inputs, closed = _checked(conn, facts, inputs, today)
        values = _closing_values(inputs, closed)
        changed = update_versioned(
            conn,
            "cases",
            case_id,
            expected_version,
            {
                "status": CaseStatus.CLOSED.value,
                "closed_date": values["closed_date"],
                "closing_manner": values["manner"],
            },
            f"案件{facts['case_number']}",
        )
        stamp = now_iso()
        store.touch(conn, case_id, stamp)
        closing_id = store.insert_closing(conn, case_id, values, ws.actor.user_id, stamp)
        store.replace_closing_services(conn, case_id, _service_rows(inputs))
        withdraw_pending(conn, ws.actor, case_id, today, "案件已结案，申请终止")
        end_open_exclusions(conn, ws.actor, case_id, closed, today)
        result = recompute(conn, case_id, today)
        audit.record(
            conn,
            ws.actor,
            "case.close",
            "case_closings",
            closing_id,
            {
                **{k: list(v) for k, v in changed.items()},
                **{k: [None, v] for k, v in values.items()},
                "services": _service_rows(inputs),
                "time_limit_state": result.state.value,
            },
            case_id=case_id,
        )
        events.publish(conn, ws.actor, "case.closed", case_id=case_id, closed_date=closed)
        view = _view(conn, case_id)
    assert view is not None
    return view


def correct_closing(
    ws: Workspace,
    case_id: int,
    expected_version: int,
    inputs: ClosingInputs,
    reason: str,
    today: date | None = None,
) -> ClosingView:
    """An authorised correction of a closed case's closing (manner, dates, service)."""
    require(ws.actor, Permission.CORRECT_CLOSED_CASE)
    today = today or date.today()
    reason = clean_text(reason)
    if not reason:
        raise ValidationError("更正已结案件须填写更正理由", "correction_reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(f"更正理由过长（最多 {MAX_REASON_LENGTH} 个字）", "correction_reason")
    if (problem := free_text_problem(reason, "更正理由")) is not None:
        raise ValidationError(problem, "correction_reason")
    with ws.db.transaction() as conn:
        facts = case_facts(conn, case_id)
        if CaseStatus(facts["status"]).is_open:
            raise ValidationError(f"案件{facts['case_number']}尚未结案，无需更正结案信息", "manner")
        _check_corrector(conn, ws.actor, facts)
        current = store.closing(conn, case_id)
        if current is None:
            raise ValidationError(
                f"案件{facts['case_number']}没有结案记录（在本系统之前结案），无法更正", "manner"
            )
        inputs, closed = _checked(conn, facts, inputs, today)
        values = _closing_values(inputs, closed)
        changed = update_versioned(
            conn,
            "case_closings",
            int(current["id"]),
            expected_version,
            values,
            f"案件{facts['case_number']}的结案信息",
        )
        store.replace_closing_services(conn, case_id, _service_rows(inputs))
        store.set_case_fields(
            conn,
            case_id,
            {"closed_date": values["closed_date"], "closing_manner": values["manner"]},
            now_iso(),
        )
        recompute(conn, case_id, today)
        audit.record(
            conn,
            ws.actor,
            "case.closing_correct",
            "case_closings",
            int(current["id"]),
            {
                **{k: list(v) for k, v in changed.items()},
                "services": _service_rows(inputs),
                "correction_reason": reason,
            },
            case_id=case_id,
        )
        view = _view(conn, case_id)
    assert view is not None
    return view


def _check_corrector(conn: sqlite3.Connection, actor: Actor, facts: sqlite3.Row) -> None:
    if "system" in actor.roles or "president" in actor.roles:
        return
    if actor_division(conn, actor) != facts["division_id"]:
        raise PermissionDeniedError("庭长只能更正本庭的已结案件")


def archive_case(
    ws: Workspace,
    case_id: int,
    expected_version: int,
    archived_on: date,
    archive_number: str,
    today: date | None = None,
) -> ClosingView | None:
    """归档 a closed case: the last change a case gets in the ordinary course."""
    require(ws.actor, Permission.ARCHIVE_CASE)
    today = today or date.today()
    archive_number = clean_text(archive_number)
    with ws.db.transaction() as conn:
        facts = case_facts(conn, case_id)
        # A clerk archives the cases they are clerk of.
        require_case_id(conn, ws.actor, Permission.ARCHIVE_CASE, case_id)
        status = CaseStatus(facts["status"])
        if status is CaseStatus.ARCHIVED:
            raise ValidationError(f"案件{facts['case_number']}已归档", "archived_on")
        if status is not CaseStatus.CLOSED:
            raise ValidationError(f"案件{facts['case_number']}尚未结案，不能归档", "archived_on")
        problems: list[FieldProblem] = []
        closed = date.fromisoformat(facts["closed_date"])
        if archived_on < closed:
            problems.append(
                FieldProblem("archived_on", f"归档日期早于结案日期 {closed.isoformat()}")
            )
        if archived_on > today:
            problems.append(FieldProblem("archived_on", "归档日期晚于今天"))
        if len(archive_number) > MAX_ARCHIVE_NUMBER:
            problems.append(
                FieldProblem("archive_number", f"归档号过长（最多 {MAX_ARCHIVE_NUMBER} 个字符）")
            )
        elif (problem := free_text_problem(archive_number, "归档号")) is not None:
            problems.append(FieldProblem("archive_number", problem))
        if problems:
            raise ValidationError(problems)
        changed = update_versioned(
            conn,
            "cases",
            case_id,
            expected_version,
            {"status": CaseStatus.ARCHIVED.value, "archived_date": archived_on.isoformat()},
            f"案件{facts['case_number']}",
        )
        stamp = now_iso()
        store.touch(conn, case_id, stamp)
        store.insert_archive(conn, case_id, archived_on, archive_number, ws.actor.user_id, stamp)
        audit.record(
            conn,
            ws.actor,
            "case.archive",
            "cases",
            case_id,
            {**{k: list(v) for k, v in changed.items()}, "archive_number": archive_number},
            case_id=case_id,
        )
        events.publish(conn, ws.actor, "case.archived", case_id=case_id)
        return _view(conn, case_id)


def expiry_on_closing(ws: Workspace, case_id: int, closed: date) -> str | None:
    """The 审限 expiry a case would have if closed on ``closed`` (for the dialog's warning)."""
    require(ws.actor, Permission.VIEW_CASES)
    with ws.db.snapshot() as conn:
        facts = case_facts(conn, case_id)
        require_case_id(conn, ws.actor, Permission.VIEW_CASES, case_id)
        result = compute(inputs_for(conn, facts), closed)
    return None if result.expiry is None else result.expiry.isoformat()


__all__ = [
    "ClosingInputs",
    "ClosingOptions",
    "ClosingView",
    "Delivery",
    "Manner",
    "PartyService",
    "ServiceMethod",
    "archive_case",
    "close_case",
    "closing_options",
    "closing_record",
    "correct_closing",
]
