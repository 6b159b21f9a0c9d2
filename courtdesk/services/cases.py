"""Registering cases (立案) and reading them back."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from courtdesk.domain.assignment import Method, default_bench
from courtdesk.domain.case_number import CaseNumber, parse_case_number
from courtdesk.domain.case_status import CaseStatus
from courtdesk.domain.case_types import CaseType, default_catalog
from courtdesk.domain.fees import FeeProcedure, FeeResult, suggest_kind
from courtdesk.domain.money import amount_problem, fen_to_yuan, yuan_to_fen
from courtdesk.domain.parties import (
    PartyDraft,
    PartyKind,
    parties_summary,
    validate_party,
    validate_roles,
)
from courtdesk.domain.procedures import PROCEDURES
from courtdesk.domain.text import clean_text, has_control_characters
from courtdesk.domain.time_limit import base_expiry
from courtdesk.errors import FieldProblem, NotFoundError, ValidationError
from courtdesk.services import audit, events, fees
from courtdesk.services.case_guard import ensure_editable
from courtdesk.services.permissions import Permission, require, require_case, require_case_id
from courtdesk.services.service import store_confirmation
from courtdesk.services.workspace import Workspace
from courtdesk.store import assignments as assignment_store
from courtdesk.store import cases as case_store
from courtdesk.store import court
from courtdesk.store.audit import now_iso
from courtdesk.store.records import update_versioned
from courtdesk.store.search import SearchDocument, collect_codes, index_case

MAX_CAUSE_LENGTH = 100


@dataclass(frozen=True)
class CaseDraft:
    """What the 立案 form collects."""

    type_code: str
    procedure: str
    cause: str
    filing_date: date
    parties: tuple[PartyDraft, ...]
    amount_claimed: Decimal | None = None
    source: str = "新收"
    special_code: str = ""
    division_id: int | None = None
    presiding_judge_id: int | None = None
    clerk_id: int | None = None
    is_private: bool = False


@dataclass(frozen=True)
class AgentView:
    id: int
    kind: str
    name: str
    law_firm: str
    licence_number: str
    phone: str


@dataclass(frozen=True)
class PartyView:
    id: int
    position: int
    role: str
    kind: str
    name: str
    sex: str
    birth_date: str | None
    id_number: str
    phone: str
    address: str
    credit_code: str
    legal_representative: str
    version: int
    agents: tuple[AgentView, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class CaseDetail:
    id: int
    case_number: str
    type_code: str
    type_name: str
    category: str
    procedure: str
    procedure_label: str
    cause: str
    filing_date: str
    source: str
    amount_claimed: str | None  # Decimal as text: exact, and JSON-friendly
    status: str
    status_label: str
    division: str | None
    presiding_judge: str | None
    presiding_judge_id: int | None
    clerk: str | None
    clerk_id: int | None
    time_limit_expiry: str | None
    closed_date: str | None
    is_private: bool
    created_at: str
    created_by: str | None
    version: int
    parties: tuple[PartyView, ...]
    # Who may see and change the case (services.permissions.require_case reads these).
    division_id: int | None = None
    created_by_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


PROCEDURE_SOURCES = ("新收", "旧存", "发回重审", "指令再审", "移送管辖", "提级管辖")


def _validate(ws: Workspace, draft: CaseDraft) -> tuple[CaseType, list[PartyDraft]]:
    problems: list[FieldProblem] = []
    case_type = default_catalog().get(draft.type_code)
    if case_type is None:
        raise ValidationError(f"案件类型「{draft.type_code}」不在本院的案件类型表中", "type_code")
    if draft.procedure not in case_type.procedures:
        allowed = "、".join(PROCEDURES[p].label for p in case_type.procedures)
        problems.append(
            FieldProblem(
                "procedure",
                f"程序「{_procedure_label(draft.procedure)}」不适用于{case_type.name}案件（可选：{allowed}）",
            )
        )
    cause = clean_text(draft.cause)
    if not cause:
        problems.append(FieldProblem("cause", "案由不能为空"))
    elif len(cause) > MAX_CAUSE_LENGTH:
        problems.append(FieldProblem("cause", f"案由过长（最多 {MAX_CAUSE_LENGTH} 个字）"))
    elif has_control_characters(cause):
        problems.append(FieldProblem("cause", "案由含有无法显示或打印的控制字符"))
    today = date.today()
    if draft.filing_date > today:
        problems.append(
            FieldProblem("filing_date", f"立案日期 {draft.filing_date.isoformat()} 晚于今天")
        )
    if draft.filing_date.year < 1949:
        problems.append(FieldProblem("filing_date", "立案日期不合理"))
    if draft.amount_claimed is not None:
        amount_wrong = amount_problem(draft.amount_claimed)
        if amount_wrong:
            problems.append(FieldProblem("amount_claimed", f"诉讼标的额{amount_wrong}"))
    if draft.source not in PROCEDURE_SOURCES:
        problems.append(
            FieldProblem(
                "source",
                f"收案来源「{draft.source}」无效（可选：{'、'.join(PROCEDURE_SOURCES)}）",
            )
        )
    if draft.special_code and draft.special_code not in default_catalog().special_trial_codes:
        problems.append(FieldProblem("special_code", f"专门审判代字「{draft.special_code}」无效"))
    parties: list[PartyDraft] = []
    for index, party in enumerate(draft.parties):
        completed, more = validate_party(party, index, case_type.role_set.roles, today)
        parties.append(completed)
        problems += more
    problems += validate_roles(parties, case_type.role_set)
    conn = ws.db.connection
    for key, user_id, role, label in (
        ("presiding_judge_id", draft.presiding_judge_id, "judge", "承办人"),
        ("clerk_id", draft.clerk_id, "clerk", "书记员"),
    ):
        if user_id is not None and role not in court.roles_of(conn, user_id):
            problems.append(FieldProblem(key, f"所选{label}不是在职的{label}"))
    if problems:
        raise ValidationError(problems)
    return case_type, parties


def _procedure_label(code: str) -> str:
    proc = PROCEDURES.get(code)
    return proc.label if proc else code


def register_case(ws: Workspace, draft: CaseDraft) -> CaseDetail:
    """立案: validate everything, then store the case, its number, parties, agents,
    search terms and audit rows in one transaction.

    The 案号 sequence is allocated inside that transaction, so numbers are unique
    and gapless even with two programs registering into one file.
    """
    require(ws.actor, Permission.REGISTER_CASE)
    case_type, parties = _validate(ws, draft)
    court_code = ws.court_code
    cause = clean_text(draft.cause)
    judge_name = ""
    db = ws.db
    with db.transaction() as conn:
        if draft.presiding_judge_id is not None:
            judge = court.user_by_id(conn, draft.presiding_judge_id)
            judge_name = str(judge["display_name"]) if judge else ""
        number = case_store.allocate_case_number(
            conn, draft.filing_date.year, court_code, draft.special_code, draft.type_code
        )
        status = CaseStatus.PENDING if draft.presiding_judge_id else CaseStatus.REGISTERED
        stamp = now_iso()
        new = case_store.NewCase(
            year=number.year,
            court_code=court_code,
            special_code=draft.special_code,
            type_code=draft.type_code,
            category=case_type.category.value,
            procedure=draft.procedure,
            cause=cause,
            filing_date=draft.filing_date,
            source=draft.source,
            amount_claimed_fen=None
            if draft.amount_claimed is None
            else yuan_to_fen(draft.amount_claimed),
            status=status.value,
            division_id=draft.division_id,
            presiding_judge_id=draft.presiding_judge_id,
            clerk_id=draft.clerk_id,
            judge_name=judge_name,
            parties_summary=parties_summary(
                [(p.role, p.name) for p in parties], case_type.role_set
            ),
            time_limit_expiry=base_expiry(draft.procedure, draft.filing_date),
            is_private=draft.is_private,
            created_at=stamp,
            created_by=ws.actor.user_id,
        )
        case_id = case_store.insert_case(conn, number, new)
        if draft.presiding_judge_id is not None:
            # A judge named at filing is an assignment like any other, so the
            # assignment history starts here (the panel, if any, is formed later).
            assignment_store.insert_assignment(
                conn,
                assignment_store.NewAssignment(
                    case_id=case_id,
                    division_id=draft.division_id,
                    presiding_judge_id=draft.presiding_judge_id,
                    clerk_id=draft.clerk_id,
                    bench=default_bench(draft.procedure).value,
                    method=Method.MANUAL.value,
                    reason="立案时指定承办人",
                    assigned_at=stamp,
                    assigned_by=ws.actor.user_id,
                ),
                [],
            )
        audit.record(
            conn,
            ws.actor,
            "case.register",
            "cases",
            case_id,
            audit.created(
                {
                    "case_number": str(number),
                    "type_code": new.type_code,
                    "procedure": new.procedure,
                    "cause": new.cause,
                    "filing_date": new.filing_date.isoformat(),
                    "amount_claimed_fen": new.amount_claimed_fen,
                    "status": new.status,
                    "presiding_judge_id": new.presiding_judge_id,
                    "clerk_id": new.clerk_id,
                    "is_private": new.is_private,
                }
            ),
            case_id=case_id,
        )
        _store_parties(conn, ws, case_id, parties)
        reindex(conn, case_id)
        events.publish(conn, ws.actor, "case.registered", case_id=case_id)
    return get_case(ws, case_id)


def _store_parties(
    conn: sqlite3.Connection, ws: Workspace, case_id: int, parties: list[PartyDraft]
) -> None:
    for position, party in enumerate(parties):
        values = {
            "role": party.role,
            "kind": party.kind.value,
            "name": party.name,
            "sex": party.sex if party.kind is PartyKind.PERSON else "",
            "birth_date": party.birth_date.isoformat() if party.birth_date else None,
            "id_number": party.id_number,
            "phone": party.phone,
            "address": party.address,
            "credit_code": party.credit_code if party.kind is PartyKind.ORGANISATION else "",
            "legal_representative": party.legal_representative,
        }
        party_id = case_store.insert_party(conn, case_id, position, values)
        if party.service_address is not None:
            # The 送达地址确认书 signed at filing: stored before case.registered, so the
            # 立案 documents already go to the confirmed address.
            store_confirmation(
                conn,
                ws.actor,
                case_id,
                party_id,
                party.service_address,
                None,
                f"{party.role}{party.name}",
            )
        audit.record(
            conn, ws.actor, "party.add", "parties", party_id, audit.created(values), case_id=case_id
        )
        for agent in party.agents:
            agent_values = {
                "kind": agent.kind,
                "name": agent.name,
                "law_firm": agent.law_firm,
                "licence_number": agent.licence_number,
                "phone": agent.phone,
            }
            agent_id = case_store.insert_agent(conn, case_id, party_id, agent_values)
            audit.record(
                conn,
                ws.actor,
                "agent.add",
                "agents",
                agent_id,
                audit.created({**agent_values, "party_id": party_id}),
                case_id=case_id,
            )


def reindex(conn: sqlite3.Connection, case_id: int) -> None:
    """Rebuild a case's search terms from what is stored (call after any change to them)."""
    case_number = case_store.case_number_of(conn, case_id)
    parties = case_store.party_rows(conn, case_id)
    agents = case_store.agent_rows(conn, case_id)
    names = (
        [p["name"] for p in parties]
        + [a["name"] for a in agents]
        + [a["law_firm"] for a in agents if a["law_firm"]]
    )
    codes = collect_codes(
        (p["id_number"] for p in parties),
        (p["credit_code"] for p in parties),
        (a["licence_number"] for a in agents),
        (p["phone"] for p in parties),
    )
    index_case(conn, case_id, SearchDocument(case_number, tuple(names), codes))


def get_case(ws: Workspace, case_id: int) -> CaseDetail:
    require(ws.actor, Permission.VIEW_CASES)
    with ws.db.snapshot() as conn:
        row = case_store.case_row(conn, case_id)
        if row is None:
            raise NotFoundError(f"编号为 {case_id} 的案件不存在")
        require_case_id(conn, ws.actor, Permission.VIEW_CASES, case_id)
        parties = case_store.party_rows(conn, case_id)
        agents = case_store.agent_rows(conn, case_id)
    return detail_of(row, parties, agents)


def detail_of(
    row: sqlite3.Row, parties: Sequence[sqlite3.Row], agents: Sequence[sqlite3.Row]
) -> CaseDetail:
    """A case as ``get_case`` shows it, from its ``case_row`` and its party and agent rows."""
    by_party: dict[int, list[AgentView]] = {}
    for a in agents:
        by_party.setdefault(a["party_id"], []).append(
            AgentView(a["id"], a["kind"], a["name"], a["law_firm"], a["licence_number"], a["phone"])
        )
    case_type = default_catalog().get(row["type_code"])
    return CaseDetail(
        id=row["id"],
        case_number=row["case_number"],
        type_code=row["type_code"],
        type_name=case_type.name if case_type else row["type_code"],
        category=row["category"],
        procedure=row["procedure"],
        procedure_label=_procedure_label(row["procedure"]),
        cause=row["cause"],
        filing_date=row["filing_date"],
        source=row["source"],
        amount_claimed=None
        if row["amount_claimed_fen"] is None
        else str(fen_to_yuan(row["amount_claimed_fen"])),
        status=row["status"],
        status_label=CaseStatus(row["status"]).label,
        division=row["division_name"],
        presiding_judge=row["judge_name"] or None,
        presiding_judge_id=row["presiding_judge_id"],
        clerk=row["clerk_name"],
        clerk_id=row["clerk_id"],
        time_limit_expiry=row["time_limit_expiry"],
        closed_date=row["closed_date"],
        is_private=bool(row["is_private"]),
        created_at=row["created_at"],
        created_by=row["created_by_name"],
        version=row["version"],
        division_id=row["division_id"],
        created_by_id=row["created_by"],
        parties=tuple(
            PartyView(
                p["id"],
                p["position"],
                p["role"],
                p["kind"],
                p["name"],
                p["sex"],
                p["birth_date"],
                p["id_number"],
                p["phone"],
                p["address"],
                p["credit_code"],
                p["legal_representative"],
                p["version"],
                tuple(by_party.get(p["id"], [])),
            )
            for p in parties
        ),
    )


def find_case(ws: Workspace, case_number_text: str) -> CaseDetail:
    """A case by its 案号 as typed (half-width parentheses accepted)."""
    number: CaseNumber = parse_case_number(case_number_text)
    case_id = case_store.case_id_by_number(ws.db.connection, str(number))
    if case_id is None:
        raise NotFoundError(f"案号 {number} 不存在")
    return get_case(ws, case_id)


def update_party(
    ws: Workspace,
    party_id: int,
    expected_version: int,
    draft: PartyDraft,
    correction_reason: str = "",
) -> CaseDetail:
    """Correct a party's particulars (name, ID, phone, address …).

    Refused with the name of whoever changed the party since ``expected_version``
    was read; audited field by field; the case's search terms and docket summary
    follow the change in the same transaction. A closed case is refused
    (services.case_guard) unless an authorised user gives a ``correction_reason``,
    which the audit row keeps.
    """
    # An open case: 修改案件信息 in the actor's scope (立案 anywhere, a judge or clerk their
    # own cases); a closed one: 更正已结案件 (庭长 in the division, 院长) with a reason.
    needed = Permission.CORRECT_CLOSED_CASE if correction_reason.strip() else Permission.EDIT_CASE
    require(ws.actor, needed)
    conn = ws.db.connection
    current = case_store.party_row(conn, party_id)
    if current is None:
        raise NotFoundError(f"编号为 {party_id} 的当事人不存在")
    case_id = int(current["case_id"])
    case_row = case_store.case_row(conn, case_id)
    assert case_row is not None
    require_case(ws.actor, needed, case_row)
    case_type = default_catalog().get(case_row["type_code"])
    assert case_type is not None
    completed, problems = validate_party(draft, int(current["position"]), case_type.role_set.roles)
    if problems:
        raise ValidationError(problems)
    values = {
        "role": completed.role,
        "kind": completed.kind.value,
        "name": completed.name,
        "sex": completed.sex if completed.kind is PartyKind.PERSON else "",
        "birth_date": completed.birth_date.isoformat() if completed.birth_date else None,
        "id_number": completed.id_number,
        "phone": completed.phone,
        "address": completed.address,
        "credit_code": completed.credit_code if completed.kind is PartyKind.ORGANISATION else "",
        "legal_representative": completed.legal_representative,
    }
    with ws.db.transaction() as tx:
        _, correction = ensure_editable(tx, ws.actor, case_id, "修改当事人", correction_reason)
        # Checked again on the row as it is now: a reassignment a moment ago counts.
        require_case(
            ws.actor,
            Permission.CORRECT_CLOSED_CASE if correction else Permission.EDIT_CASE,
            case_store.case_row(tx, case_id),
        )
        changed = update_versioned(
            tx, "parties", party_id, expected_version, values, f"当事人「{completed.name}」"
        )
        if changed:
            changes: dict[str, Any] = {k: list(v) for k, v in changed.items()}
            if correction:
                changes["correction_reason"] = correction
            audit.record(
                tx,
                ws.actor,
                "party.correct" if correction else "party.update",
                "parties",
                party_id,
                changes,
                case_id=case_id,
            )
            parties = case_store.party_rows(tx, case_id)
            summary = parties_summary([(p["role"], p["name"]) for p in parties], case_type.role_set)
            case_store.set_parties_summary(tx, case_id, summary, now_iso())
            reindex(tx, case_id)
    return get_case(ws, case_id)


def filing_fee(
    ws: Workspace, type_code: str, procedure: str, cause: str, amount: Decimal | None
) -> FeeResult | None:
    """The litigation fee a new case owes, with its working, or None when its type has none.

    The fee kind follows the type and cause (离婚 → divorce, 劳动争议 → labour, an
    amount → property …, ``domain.fees.suggest_kind``); the procedure halves it where
    the law says so (简易、小额 §16) and 特别程序 pays nothing (§8). Raises
    ValidationError naming the amount when the kind needs one that is missing.
    """
    kind = suggest_kind(type_code, clean_text(cause), amount is not None)
    if kind is None:
        return None
    try:
        fee_procedure = FeeProcedure.of(procedure)
    except ValidationError:
        fee_procedure = FeeProcedure.ORDINARY  # every other procedure pays in full
    return fees.compute_fee(ws, kind, amount, fee_procedure)
