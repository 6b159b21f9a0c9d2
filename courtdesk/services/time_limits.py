"""Trial time limits (审限) of a case: read them, extend them, exclude periods, convert.

Every change here runs in one transaction that also writes its audit row and
rewrites the case's derived columns (``recompute``), so the docket's 审限届满日
and the dashboard's figures are never behind the facts.

Extension workflow (SPC 2019 rule: apply at least 15 days before expiry, the
president decides at least 5 days before expiry). How the program holds to it:

- An application is refused once the limit has run out (an expired limit cannot
  be extended after the fact) and while an excluded period stops the clock (the
  expiry is not known yet). An application inside the last 15 days is accepted
  but marked 逾期申请 on the record, the timeline and the approver's dialog; a
  court that wants it refused outright sets ``time_limit.refuse_late_applications``.
- A decision after expiry can only refuse. An approval inside the last 5 days is
  recorded and marked 逾期审批, so the supervision figures can show it.
- The judge presiding over the case applies; the president decides (or a
  division chief for the division's cases, the setting
  ``time_limit.chief_may_approve``, on by default because courts delegate this).
  Extensions only a higher court can grant are recorded by the president with the
  higher court's reply number (批复文号).
- One pending application per case at a time; a procedure conversion or closing
  withdraws a pending one.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from courtdesk.domain.case_status import CaseStatus
from courtdesk.domain.procedures import PROCEDURES, Limit, procedure
from courtdesk.domain.text import clean_text, free_text_problem
from courtdesk.domain.time_limit import (
    CONVERSIONS,
    Approver,
    Exclusion,
    ExclusionKind,
    Extension,
    TimeLimitInputs,
    TimeLimitResult,
    TimeLimitState,
    check_extension,
    compute,
    conversion,
    extension_rule,
    next_step,
    trial_days,
)
from courtdesk.errors import (
    FieldProblem,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from courtdesk.services import audit, events, settings
from courtdesk.services.case_guard import case_facts, ensure_open, is_closed
from courtdesk.services.permissions import Permission, allowed, require, require_case_id
from courtdesk.services.settings import Setting, declare, int_range
from courtdesk.services.workspace import Actor, Workspace
from courtdesk.store import court
from courtdesk.store import time_limits as store
from courtdesk.store.audit import now_iso
from courtdesk.store.records import update_versioned

MAX_REASON_LENGTH = 500

NEAR_EXPIRY_DAYS = declare(
    Setting(
        "time_limit.near_expiry_days",
        "临近届满提示天数",
        "15",
        kind="int",
        check=int_range(1, 90),
        group="审限",
        help="剩余天数不超过此数的未结案件显示为“临近届满”",
    )
)
APPLY_DAYS_BEFORE = declare(
    Setting(
        "time_limit.apply_days_before",
        "延长审限应在届满前几日申请",
        "15",
        kind="int",
        check=int_range(0, 60),
        group="审限",
        help="最高人民法院2019年规定：审限届满十五日前提出",
    )
)
DECIDE_DAYS_BEFORE = declare(
    Setting(
        "time_limit.decide_days_before",
        "延长审限应在届满前几日审批",
        "5",
        kind="int",
        check=int_range(0, 30),
        group="审限",
        help="最高人民法院2019年规定：院长在审限届满五日前作出决定",
    )
)
REFUSE_LATE_APPLICATIONS = declare(
    Setting(
        "time_limit.refuse_late_applications",
        "拒收逾期提出的延长审限申请",
        "0",
        kind="bool",
        group="审限",
        help="0：接收但标记为逾期申请；1：拒绝接收",
    )
)
CHIEF_MAY_APPROVE = declare(
    Setting(
        "time_limit.chief_may_approve",
        "庭长可审批本庭的延长审限申请",
        "1",
        kind="bool",
        group="审限",
        help="法律规定由院长批准；本院授权庭长审批本庭案件时设为1",
    )
)

_EXTENSION_STATUS = {
    "pending": "待审批",
    "approved": "已批准",
    "refused": "不予批准",
    "withdrawn": "已撤回",
}


# ---------------------------------------------------------------- views
@dataclass(frozen=True)
class ExtensionView:
    id: int
    procedure: str
    length: str
    months: int
    days: int
    approver: str
    approver_label: str
    reason: str
    applied_by: str
    applied_by_id: int | None
    applied_on: str
    expiry_when_applied: str
    late_application: bool
    status: str
    status_label: str
    decided_by: str
    decided_on: str | None
    decision_note: str
    reply_reference: str
    late_decision: bool
    version: int


@dataclass(frozen=True)
class ExclusionView:
    id: int
    kind: str
    kind_label: str
    start: str
    end: str | None
    days: int  # so far, for an open period
    reason: str
    approved_by: str
    document_ref: str
    opened_by: str
    closed_by: str
    version: int

    @property
    def is_open(self) -> bool:
        return self.end is None


@dataclass(frozen=True)
class ConversionView:
    id: int
    from_procedure: str
    from_label: str
    to_procedure: str
    to_label: str
    decided_on: str
    restarts: bool
    basis: str
    reason: str
    recorded_by: str


@dataclass(frozen=True)
class TimelineEntry:
    day: str
    title: str
    detail: str
    actor: str
    tone: str = "normal"  # normal, good, warning, danger, muted, future


@dataclass(frozen=True)
class Actions:
    """What the acting user may do with this case here (the GUI enables buttons by it)."""

    apply: bool = False
    decide: bool = False
    manage_exclusions: bool = False
    convert: bool = False
    close: bool = False
    archive: bool = False
    correct: bool = False


@dataclass(frozen=True)
class NextExtension:
    """What an application now would ask for: who approves, the form's proposal."""

    approver: str
    approver_label: str
    default_months: int
    default_days: int
    cap: str | None
    apply_by: str | None  # the last day to apply on time
    basis: str


@dataclass(frozen=True)
class CaseTimeLimit:
    case_id: int
    case_number: str
    status: str
    status_label: str
    filing_date: str
    category: str
    case_version: int
    result: TimeLimitResult
    extensions: tuple[ExtensionView, ...]
    exclusions: tuple[ExclusionView, ...]
    conversions: tuple[ConversionView, ...]
    timeline: tuple[TimelineEntry, ...]
    next_extension: NextExtension | None
    decide_by: str | None
    conversion_targets: tuple[tuple[str, str], ...]  # (code, label)
    exclusion_kinds: tuple[tuple[str, str], ...]  # (code, label) allowed for the category
    actions: Actions = field(default_factory=Actions)

    @property
    def pending_extension(self) -> ExtensionView | None:
        return next((e for e in self.extensions if e.status == "pending"), None)

    @property
    def open_exclusions(self) -> tuple[ExclusionView, ...]:
        return tuple(e for e in self.exclusions if e.is_open)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["result"] = self.result.to_dict()
        return data


# ---------------------------------------------------------------- reading
def inputs_for(conn: sqlite3.Connection, facts: sqlite3.Row) -> TimeLimitInputs:
    case_id = int(facts["id"])
    return _inputs_from(
        facts,
        store.conversions(conn, case_id),
        store.extensions(conn, case_id),
        store.exclusions(conn, case_id),
    )


def _inputs_from(
    facts: sqlite3.Row,
    conversions: Sequence[sqlite3.Row],
    extensions: Sequence[sqlite3.Row],
    exclusions: Sequence[sqlite3.Row],
) -> TimeLimitInputs:
    """The limit's inputs from a case's rows, for callers that show the rows as well."""
    start = date.fromisoformat(facts["filing_date"])
    for row in conversions:
        if row["restarts"]:
            start = date.fromisoformat(row["decided_on"])
    approved = tuple(
        Extension(Limit(r["length_months"], r["length_days"]), Approver(r["approver"]))
        for r in extensions
        if r["status"] == "approved" and r["procedure"] == facts["procedure"]
    )
    excluded = tuple(
        Exclusion(
            ExclusionKind(r["kind"]),
            date.fromisoformat(r["start_date"]),
            None if r["end_date"] is None else date.fromisoformat(r["end_date"]),
        )
        for r in exclusions
    )
    closed = facts["closed_date"]
    return TimeLimitInputs(
        procedure=facts["procedure"],
        start=start,
        extensions=approved,
        exclusions=excluded,
        closed_on=date.fromisoformat(closed) if closed and is_closed(facts) else None,
    )


def recompute(conn: sqlite3.Connection, case_id: int, today: date) -> TimeLimitResult:
    """Rewrite a case's derived 审限 columns from its facts; call inside the change's transaction.

    Derived: ``time_limit_expiry`` (NULL while an excluded period is open or for a
    procedure without 审限), ``time_limit_paused_since``, ``time_limit_excluded_days``
    (ended periods only), ``extensions_granted``, and for a closed case
    ``closed_within_limit`` and ``trial_days``.
    """
    facts = case_facts(conn, case_id)
    inputs = inputs_for(conn, facts)
    result = compute(inputs, today)
    settled = TimeLimitInputs(
        inputs.procedure,
        inputs.start,
        inputs.extensions,
        tuple(e for e in inputs.exclusions if not e.is_open),
        inputs.closed_on,
    )
    counted = compute(settled, today).excluded_days if result.provisional else result.excluded_days
    granted = sum(1 for r in store.extensions(conn, case_id) if r["status"] == "approved")
    within: int | None = None
    days: int | None = None
    if inputs.closed_on is not None:
        if result.tracked:
            within = int(result.state is TimeLimitState.CLOSED_WITHIN)
        filed = date.fromisoformat(facts["filing_date"])
        days = trial_days(filed, inputs.closed_on, inputs.exclusions)
    store.write_derived(
        conn,
        case_id,
        {
            "time_limit_expiry": None
            if result.expiry is None or result.provisional
            else result.expiry.isoformat(),
            "time_limit_paused_since": None
            if result.paused_since is None
            else result.paused_since.isoformat(),
            "time_limit_excluded_days": counted,
            "extensions_granted": granted,
            "closed_within_limit": within,
            "trial_days": days,
        },
    )
    return result


def case_time_limit(ws: Workspace, case_id: int, today: date | None = None) -> CaseTimeLimit:
    """The 审限 of a case as the timeline tab and ``courtdesk case time-limit`` show it."""
    require(ws.actor, Permission.VIEW_CASES)
    with ws.db.snapshot() as conn:
        facts = case_facts(conn, case_id)
        require_case_id(conn, ws.actor, Permission.VIEW_CASES, case_id)
        return time_limit_of(conn, ws, facts, today or date.today())


def time_limit_of(
    conn: sqlite3.Connection, ws: Workspace, facts: sqlite3.Row, today: date
) -> CaseTimeLimit:
    """``case_time_limit`` on a snapshot the caller holds, access checked, from the
    case's row (``case_facts``, or any ``cases`` row with every column)."""
    case_id = int(facts["id"])
    near, apply_days, decide_days = settings.get_ints(
        ws, NEAR_EXPIRY_DAYS.key, APPLY_DAYS_BEFORE.key, DECIDE_DAYS_BEFORE.key
    )
    # Each table read once: for the limit's inputs and for the timeline's rows.
    conversion_rows = store.conversions(conn, case_id)
    extension_rows = store.extensions(conn, case_id)
    exclusion_rows = store.exclusions(conn, case_id)
    inputs = _inputs_from(facts, conversion_rows, extension_rows, exclusion_rows)
    result = compute(inputs, today, near)
    extensions = tuple(_extension_view(r) for r in extension_rows)
    exclusions = tuple(_exclusion_view(r, today) for r in exclusion_rows)
    conversions = tuple(_conversion_view(r) for r in conversion_rows)
    closing = store.closing(conn, case_id)
    archive = store.archive(conn, case_id)
    actions = _actions(conn, ws.actor, facts, extensions)
    status = CaseStatus(facts["status"])
    next_ext: NextExtension | None = None
    if result.tracked and not is_closed(facts):
        step = next_step(inputs.procedure, inputs.start, inputs.extensions)
        if step is not None:
            apply_by = (
                None
                if result.expiry is None or result.provisional
                else (result.expiry - timedelta(days=apply_days)).isoformat()
            )
            next_ext = NextExtension(
                step.approver.value,
                step.approver.label,
                step.default.months,
                step.default.days,
                None if step.cap is None else str(step.cap),
                apply_by,
                extension_rule(inputs.procedure).basis,
            )
    pending = next((e for e in extensions if e.status == "pending"), None)
    decide_by = (
        (result.expiry - timedelta(days=decide_days)).isoformat()
        if pending is not None and result.expiry is not None and not result.provisional
        else None
    )
    category = str(facts["category"])
    return CaseTimeLimit(
        case_id=case_id,
        case_number=facts["case_number"],
        status=status.value,
        status_label=status.label,
        filing_date=facts["filing_date"],
        category=category,
        case_version=int(facts["version"]),
        result=result,
        extensions=extensions,
        exclusions=exclusions,
        conversions=conversions,
        timeline=_timeline(facts, result, extensions, exclusions, conversions, closing, archive),
        next_extension=next_ext,
        decide_by=decide_by,
        conversion_targets=tuple(
            (code, PROCEDURES[code].label) for code in CONVERSIONS.get(inputs.procedure, {})
        ),
        exclusion_kinds=_exclusion_kinds(category),
        actions=actions,
    )


@functools.cache
def _exclusion_kinds(category: str) -> tuple[tuple[str, str], ...]:
    """The 扣除 kinds a case of this category may record: fixed by the rules, so worked
    out once per category, not on every case opened."""
    return tuple((k.value, k.label) for k in ExclusionKind if category in k.categories)


def case_time_limit_by_number(
    ws: Workspace, case_number: str, today: date | None = None
) -> CaseTimeLimit:
    from courtdesk.services.cases import find_case

    return case_time_limit(ws, find_case(ws, case_number).id, today)


def actor_division(conn: sqlite3.Connection, actor: Actor) -> int | None:
    if actor.user_id is None:
        return None
    row = court.user_by_id(conn, actor.user_id)
    return None if row is None or row["division_id"] is None else int(row["division_id"])


def _is_system(actor: Actor) -> bool:
    return "system" in actor.roles


def _actions(
    conn: sqlite3.Connection,
    actor: Actor,
    facts: sqlite3.Row,
    extensions: tuple[ExtensionView, ...],
) -> Actions:
    open_case = not is_closed(facts)
    judge = actor.user_id is not None and actor.user_id == facts["presiding_judge_id"]
    pending = next((e for e in extensions if e.status == "pending"), None)
    may_decide = False
    if pending is not None and open_case:
        try:
            _check_decider(conn, actor, facts, Approver(pending.approver), pending.applied_by_id)
            may_decide = True
        except (PermissionDeniedError, ValidationError):
            may_decide = False
    return Actions(
        apply=open_case
        and pending is None
        and allowed(actor, Permission.APPLY_EXTENSION)
        and (judge or _is_system(actor)),
        decide=may_decide,
        manage_exclusions=open_case and allowed(actor, Permission.MANAGE_EXCLUSIONS),
        convert=open_case
        and bool(CONVERSIONS.get(facts["procedure"]))
        and _may_convert(conn, actor, facts),
        close=open_case and may_close(actor, facts),
        archive=CaseStatus(facts["status"]) is CaseStatus.CLOSED
        and allowed(actor, Permission.ARCHIVE_CASE),
        correct=not open_case and allowed(actor, Permission.CORRECT_CLOSED_CASE),
    )


def _extension_view(row: sqlite3.Row) -> ExtensionView:
    approver = Approver(row["approver"])
    return ExtensionView(
        id=int(row["id"]),
        procedure=row["procedure"],
        length=str(Limit(row["length_months"], row["length_days"])),
        months=int(row["length_months"]),
        days=int(row["length_days"]),
        approver=approver.value,
        approver_label=approver.label,
        reason=row["reason"],
        applied_by=row["applied_by_name"] or "",
        applied_by_id=row["applied_by"],
        applied_on=row["applied_on"],
        expiry_when_applied=row["expiry_when_applied"],
        late_application=bool(row["late_application"]),
        status=row["status"],
        status_label=_EXTENSION_STATUS[row["status"]],
        decided_by=row["decided_by_name"] or "",
        decided_on=row["decided_on"],
        decision_note=row["decision_note"],
        reply_reference=row["reply_reference"],
        late_decision=bool(row["late_decision"]),
        version=int(row["version"]),
    )


def _exclusion_view(row: sqlite3.Row, today: date) -> ExclusionView:
    start = date.fromisoformat(row["start_date"])
    end = None if row["end_date"] is None else date.fromisoformat(row["end_date"])
    return ExclusionView(
        id=int(row["id"]),
        kind=row["kind"],
        kind_label=ExclusionKind(row["kind"]).label,
        start=row["start_date"],
        end=row["end_date"],
        days=max(0, ((end or today) - start).days + 1),
        reason=row["reason"],
        approved_by=row["approved_by_name"] or "",
        document_ref=row["document_ref"],
        opened_by=row["opened_by_name"] or "",
        closed_by=row["closed_by_name"] or "",
        version=int(row["version"]),
    )


def _conversion_view(row: sqlite3.Row) -> ConversionView:
    rule = CONVERSIONS.get(row["from_procedure"], {}).get(row["to_procedure"])
    return ConversionView(
        id=int(row["id"]),
        from_procedure=row["from_procedure"],
        from_label=procedure(row["from_procedure"]).label,
        to_procedure=row["to_procedure"],
        to_label=procedure(row["to_procedure"]).label,
        decided_on=row["decided_on"],
        restarts=bool(row["restarts"]),
        basis=rule.basis if rule else "",
        reason=row["reason"],
        recorded_by=row["recorded_by_name"] or "",
    )


def _timeline(
    facts: sqlite3.Row,
    result: TimeLimitResult,
    extensions: tuple[ExtensionView, ...],
    exclusions: tuple[ExclusionView, ...],
    conversions: tuple[ConversionView, ...],
    closing: sqlite3.Row | None,
    archive: sqlite3.Row | None,
) -> tuple[TimelineEntry, ...]:
    """Everything that shaped the case's 审限, oldest first; the expiry as a marker."""
    first_procedure = conversions[0].from_procedure if conversions else facts["procedure"]
    entries: list[tuple[str, int, TimelineEntry]] = [
        (
            facts["filing_date"],
            0,
            TimelineEntry(
                facts["filing_date"],
                "立案",
                procedure(first_procedure).label,
                "",
            ),
        )
    ]
    for conv in conversions:
        count = (
            f"审限自 {conv.decided_on} 起重新计算" if conv.restarts else "审限仍自立案之日起计算"
        )
        entries.append(
            (
                conv.decided_on,
                1,
                TimelineEntry(
                    conv.decided_on,
                    f"程序转换：{conv.from_label} → {conv.to_label}",
                    f"{conv.reason}；{count}（{conv.basis}）",
                    conv.recorded_by,
                ),
            )
        )
    for ext in extensions:
        late = f"；逾期申请（审限 {ext.expiry_when_applied} 届满）" if ext.late_application else ""
        entries.append(
            (
                ext.applied_on,
                2,
                TimelineEntry(
                    ext.applied_on,
                    f"申请延长审限{ext.length}",
                    f"{ext.reason}（报{ext.approver_label}批准）{late}",
                    ext.applied_by,
                    "warning" if ext.late_application else "normal",
                ),
            )
        )
        if ext.decided_on:
            title = {
                "approved": f"批准延长审限{ext.length}",
                "refused": "不予批准延长审限",
                "withdrawn": "延长审限申请撤回",
            }[ext.status]
            detail = "；".join(
                x
                for x in (
                    ext.decision_note,
                    f"批复文号：{ext.reply_reference}" if ext.reply_reference else "",
                    "逾期审批" if ext.late_decision else "",
                )
                if x
            )
            tone = {"approved": "good", "refused": "danger", "withdrawn": "muted"}[ext.status]
            entries.append(
                (
                    ext.decided_on,
                    3,
                    TimelineEntry(ext.decided_on, title, detail, ext.decided_by, tone),
                )
            )
    for ex in exclusions:
        approver = f"；批准人：{ex.approved_by}" if ex.approved_by else ""
        document = f"；{ex.document_ref}" if ex.document_ref else ""
        entries.append(
            (
                ex.start,
                4,
                TimelineEntry(
                    ex.start,
                    f"开始扣除审限：{ex.kind_label}",
                    f"{ex.reason}{approver}{document}",
                    ex.opened_by,
                    "warning" if ex.is_open else "normal",
                ),
            )
        )
        if ex.end is not None:
            entries.append(
                (
                    ex.end,
                    5,
                    TimelineEntry(
                        ex.end,
                        f"扣除结束：{ex.kind_label}",
                        f"共扣除 {ex.days} 日",
                        ex.closed_by,
                    ),
                )
            )
    closed_tone = "good" if result.state is TimeLimitState.CLOSED_WITHIN else "danger"
    if closing is not None:
        entries.append(
            (
                closing["closed_date"],
                7,
                TimelineEntry(
                    closing["closed_date"],
                    f"结案：{_manner_label(closing['manner'])}",
                    closing["note"],
                    closing["recorded_by_name"] or "",
                    closed_tone,
                ),
            )
        )
    elif is_closed(facts) and facts["closed_date"]:
        entries.append(
            (
                facts["closed_date"],
                7,
                TimelineEntry(facts["closed_date"], "结案", "结案方式未记录", "", closed_tone),
            )
        )
    if archive is not None:
        entries.append(
            (
                archive["archived_on"],
                8,
                TimelineEntry(
                    archive["archived_on"],
                    "归档",
                    f"归档号：{archive['archive_number']}" if archive["archive_number"] else "",
                    archive["archived_by_name"] or "",
                    "muted",
                ),
            )
        )
    if result.expiry is not None:
        day = result.expiry.isoformat()
        if result.provisional:
            title, tone = "审限届满日（暂定，扣除期间结束后顺延）", "warning"
        elif result.state is TimeLimitState.OVERDUE:
            title, tone = "审限届满（已超审限）", "danger"
        elif result.state is TimeLimitState.CLOSED_LATE:
            title, tone = "审限届满（超审限结案）", "danger"
        elif result.state is TimeLimitState.CLOSED_WITHIN:
            title, tone = "审限届满日", "muted"
        else:
            title, tone = (
                "审限届满日",
                "future" if result.state is TimeLimitState.NORMAL else "warning",
            )
        entries.append(
            (
                day,
                6,
                TimelineEntry(
                    day,
                    title,
                    f"{result.limit}"
                    + (f"，扣除 {result.excluded_days} 日" if result.excluded_days else ""),
                    "",
                    tone,
                ),
            )
        )
    entries.sort(key=lambda e: (e[0], e[1]))
    return tuple(e[2] for e in entries)


def _manner_label(code: str) -> str:
    from courtdesk.domain.closing import Manner

    try:
        return Manner(code).label
    except ValueError:
        return code


# ---------------------------------------------------------------- checks shared by the changes
def _reason(text: str, key: str = "reason", what: str = "理由") -> str:
    cleaned = clean_text(text)
    if not cleaned:
        raise ValidationError(f"请填写{what}", key)
    return _text(cleaned, key, what)


def _text(text: str, key: str, what: str) -> str:
    """Optional free text, trimmed; refused when too long or holding what cannot be stored."""
    cleaned = clean_text(text)
    if len(cleaned) > MAX_REASON_LENGTH:
        raise ValidationError(f"{what}过长（最多 {MAX_REASON_LENGTH} 个字）", key)
    if (problem := free_text_problem(cleaned, what)) is not None:
        raise ValidationError(problem, key)
    return cleaned


def _check_decider(
    conn: sqlite3.Connection,
    actor: Actor,
    facts: sqlite3.Row,
    approver: Approver,
    applied_by: int | None,
) -> None:
    """Refuse a decision the actor may not make: role, division, level, own application."""
    require(actor, Permission.DECIDE_EXTENSION)
    if _is_system(actor):
        return
    if actor.user_id is not None and applied_by == actor.user_id:
        raise PermissionDeniedError("不能审批自己提出的延长审限申请")
    if "president" in actor.roles:
        return
    if approver.is_external:
        raise PermissionDeniedError(
            f"本次延长须报请{approver.label}批准，只能由院长登记{approver.label}的批复"
        )
    if "chief" in actor.roles:
        if not _chief_may_approve(conn):
            raise PermissionDeniedError("本院设置为仅院长可审批延长审限申请")
        if actor_division(conn, actor) != facts["division_id"]:
            raise PermissionDeniedError("庭长只能审批本庭案件的延长审限申请")
        return
    raise PermissionDeniedError(f"用户 {actor.display_name} 无权审批延长审限申请")


def _chief_may_approve(conn: sqlite3.Connection) -> bool:
    value = court.get_setting(conn, CHIEF_MAY_APPROVE.key)
    return (CHIEF_MAY_APPROVE.default if value is None else value) == "1"


def _may_convert(conn: sqlite3.Connection, actor: Actor, facts: sqlite3.Row) -> bool:
    if not allowed(actor, Permission.CONVERT_PROCEDURE):
        return False
    if _is_system(actor) or "president" in actor.roles:
        return True
    if actor.user_id is not None and actor.user_id == facts["presiding_judge_id"]:
        return True
    return "chief" in actor.roles and actor_division(conn, actor) == facts["division_id"]


def may_close(actor: Actor, facts: sqlite3.Row) -> bool:
    if not allowed(actor, Permission.CLOSE_CASE):
        return False
    if _is_system(actor):
        return True
    return actor.user_id is not None and actor.user_id in (
        facts["presiding_judge_id"],
        facts["clerk_id"],
    )


def _today(today: date | None) -> date:
    return today or date.today()


def _days_setting(conn: sqlite3.Connection, setting: Setting) -> int:
    value = court.get_setting(conn, setting.key)
    return int(setting.default if value is None else value)


# ---------------------------------------------------------------- extensions
def apply_for_extension(
    ws: Workspace, case_id: int, length: Limit, reason: str, today: date | None = None
) -> int:
    """The presiding judge applies to extend the 审限; returns the application's id."""
    require(ws.actor, Permission.APPLY_EXTENSION)
    today = _today(today)
    reason = _reason(reason, what="延长审限的理由")
    with ws.db.transaction() as conn:
        facts = ensure_open(conn, case_id, "申请延长审限")
        if not _is_system(ws.actor) and ws.actor.user_id != facts["presiding_judge_id"]:
            judge = facts["judge_name"] or "（未分配）"
            raise PermissionDeniedError(f"只有本案承办人{judge}可以申请延长审限")
        if store.pending_extension_id(conn, case_id) is not None:
            raise ValidationError("本案已有待审批的延长审限申请，请等待审批结果", "length")
        inputs = inputs_for(conn, facts)
        result = compute(inputs, today)
        if result.state is TimeLimitState.PAUSED:
            raise ValidationError(
                f"审限自 {result.paused_since} 起处于扣除期间，暂停计算；扣除期间结束后再申请延长",
                "length",
            )
        step = check_extension(inputs.procedure, inputs.start, inputs.extensions, length)
        assert result.expiry is not None
        if result.state is TimeLimitState.OVERDUE:
            raise ValidationError(
                f"本案审限已于 {result.expiry.isoformat()} 届满，不能再申请延长", "length"
            )
        apply_days = _days_setting(conn, APPLY_DAYS_BEFORE)
        apply_by = result.expiry - timedelta(days=apply_days)
        late = today > apply_by
        if late and _days_setting(conn, REFUSE_LATE_APPLICATIONS) == 1:
            raise ValidationError(
                f"延长审限应在审限届满{apply_days}日前（{apply_by.isoformat()} 前）提出；"
                f"本案审限 {result.expiry.isoformat()} 届满，已逾期",
                "length",
            )
        extension_id = store.insert_extension(
            conn,
            store.NewExtension(
                case_id=case_id,
                procedure=inputs.procedure,
                length_months=length.months,
                length_days=length.days,
                approver=step.approver.value,
                reason=reason,
                applied_by=ws.actor.user_id,
                applied_on=today,
                expiry_when_applied=result.expiry,
                late_application=late,
                created_at=now_iso(),
            ),
        )
        audit.record(
            conn,
            ws.actor,
            "time_limit.extension_apply",
            "time_limit_extensions",
            extension_id,
            audit.created(
                {
                    "length": str(length),
                    "approver": step.approver.value,
                    "reason": reason,
                    "expiry": result.expiry.isoformat(),
                    "late_application": late,
                }
            ),
            case_id=case_id,
        )
        events.publish(
            conn,
            ws.actor,
            "time_limit.extension_applied",
            case_id=case_id,
            extension_id=extension_id,
        )
    return extension_id


def decide_extension(
    ws: Workspace,
    extension_id: int,
    expected_version: int,
    approve: bool,
    note: str,
    reply_reference: str = "",
    today: date | None = None,
) -> TimeLimitResult:
    """Approve or refuse an application; returns the case's 审限 after the decision."""
    require(ws.actor, Permission.DECIDE_EXTENSION)
    today = _today(today)
    note = (
        _reason(note, "note", "不予批准的理由") if not approve else _text(note, "note", "审批意见")
    )
    reply_reference = _text(reply_reference, "reply_reference", "批复文号")
    with ws.db.transaction() as conn:
        row = store.extension(conn, extension_id)
        if row is None:
            raise NotFoundError(f"编号为 {extension_id} 的延长审限申请不存在")
        case_id = int(row["case_id"])
        facts = ensure_open(conn, case_id, "审批延长审限")
        if row["status"] != "pending":
            raise ValidationError(
                f"该申请已处理（{_EXTENSION_STATUS[row['status']]}），请刷新后查看", "decision"
            )
        approver = Approver(row["approver"])
        _check_decider(conn, ws.actor, facts, approver, row["applied_by"])
        inputs = inputs_for(conn, facts)
        result = compute(inputs, today)
        late = False
        if approve:
            if row["procedure"] != facts["procedure"]:
                raise ValidationError(
                    f"本案已转为{procedure(facts['procedure']).label}，该申请已失效", "decision"
                )
            if approver.is_external and not reply_reference:
                raise ValidationError(f"请填写{approver.label}的批复文号", "reply_reference")
            if result.state is TimeLimitState.OVERDUE and result.expiry is not None:
                raise ValidationError(
                    f"本案审限已于 {result.expiry.isoformat()} 届满，不能再批准延长，只能不予批准",
                    "decision",
                )
            check_extension(
                inputs.procedure,
                inputs.start,
                inputs.extensions,
                Limit(row["length_months"], row["length_days"]),
            )
            if result.expiry is not None and not result.provisional:
                decide_days = _days_setting(conn, DECIDE_DAYS_BEFORE)
                late = today > result.expiry - timedelta(days=decide_days)
        values = {
            "status": "approved" if approve else "refused",
            "decided_by": ws.actor.user_id,
            "decided_on": today.isoformat(),
            "decision_note": note,
            "reply_reference": reply_reference,
            "late_decision": int(late),
        }
        changed = update_versioned(
            conn,
            "time_limit_extensions",
            extension_id,
            expected_version,
            values,
            f"案件{facts['case_number']}的延长审限申请",
        )
        after = recompute(conn, case_id, today)
        audit.record(
            conn,
            ws.actor,
            "time_limit.extension_approve" if approve else "time_limit.extension_refuse",
            "time_limit_extensions",
            extension_id,
            {
                **{k: list(v) for k, v in changed.items()},
                "time_limit_expiry": [
                    facts["time_limit_expiry"],
                    None if after.expiry is None else after.expiry.isoformat(),
                ],
            },
            case_id=case_id,
        )
        events.publish(
            conn,
            ws.actor,
            "time_limit.extension_decided",
            case_id=case_id,
            extension_id=extension_id,
            approved=approve,
        )
    return after


def withdraw_extension(
    ws: Workspace, extension_id: int, expected_version: int, today: date | None = None
) -> None:
    """The applicant withdraws a pending application."""
    require(ws.actor, Permission.APPLY_EXTENSION)
    today = _today(today)
    with ws.db.transaction() as conn:
        row = store.extension(conn, extension_id)
        if row is None:
            raise NotFoundError(f"编号为 {extension_id} 的延长审限申请不存在")
        if row["status"] != "pending":
            raise ValidationError("该申请已处理，不能撤回", "decision")
        if not _is_system(ws.actor) and row["applied_by"] != ws.actor.user_id:
            raise PermissionDeniedError("只有申请人可以撤回延长审限申请")
        facts = ensure_open(conn, int(row["case_id"]), "撤回延长审限申请")
        _withdraw(conn, ws.actor, row, expected_version, facts, today, "申请人撤回")


def _withdraw(
    conn: sqlite3.Connection,
    actor: Actor,
    row: sqlite3.Row,
    expected_version: int,
    facts: sqlite3.Row,
    today: date,
    why: str,
) -> None:
    changed = update_versioned(
        conn,
        "time_limit_extensions",
        int(row["id"]),
        expected_version,
        {"status": "withdrawn", "decided_on": today.isoformat(), "decision_note": why},
        f"案件{facts['case_number']}的延长审限申请",
    )
    audit.record(
        conn,
        actor,
        "time_limit.extension_withdraw",
        "time_limit_extensions",
        int(row["id"]),
        {k: list(v) for k, v in changed.items()},
        case_id=int(facts["id"]),
    )


def withdraw_pending(
    conn: sqlite3.Connection, actor: Actor, case_id: int, today: date, why: str
) -> None:
    """Withdraw a case's pending application as part of another change (conversion, closing)."""
    extension_id = store.pending_extension_id(conn, case_id)
    if extension_id is None:
        return
    row = store.extension(conn, extension_id)
    assert row is not None
    _withdraw(conn, actor, row, int(row["version"]), case_facts(conn, case_id), today, why)


# ---------------------------------------------------------------- excluded periods
def open_exclusion(
    ws: Workspace,
    case_id: int,
    kind: ExclusionKind,
    start: date,
    end: date | None,
    reason: str,
    approved_by: int | None,
    document_ref: str = "",
    today: date | None = None,
) -> int:
    """Record a period excluded from the 审限 (still open when ``end`` is None).

    An open 中止 puts the case in the 中止 status until the period is closed.
    """
    require(ws.actor, Permission.MANAGE_EXCLUSIONS)
    today = _today(today)
    problems: list[FieldProblem] = []
    cleaned = clean_text(reason)
    if not cleaned:
        problems.append(FieldProblem("reason", "请填写扣除审限的事由"))
    elif len(cleaned) > MAX_REASON_LENGTH:
        problems.append(FieldProblem("reason", f"事由过长（最多 {MAX_REASON_LENGTH} 个字）"))
    elif (problem := free_text_problem(cleaned, "扣除审限的事由")) is not None:
        problems.append(FieldProblem("reason", problem))
    document_ref = clean_text(document_ref)
    if len(document_ref) > MAX_REASON_LENGTH:
        problems.append(FieldProblem("document_ref", "文书编号过长"))
    elif (problem := free_text_problem(document_ref, "文书编号")) is not None:
        problems.append(FieldProblem("document_ref", problem))
    with ws.db.transaction() as conn:
        facts = ensure_open(conn, case_id, "登记扣除审限期间")
        filed = date.fromisoformat(facts["filing_date"])
        if facts["category"] not in kind.categories:
            problems.append(FieldProblem("kind", f"{kind.label}期间不适用于本类案件"))
        if start < filed:
            problems.append(
                FieldProblem(
                    "start", f"扣除起始日 {start.isoformat()} 早于立案日期 {filed.isoformat()}"
                )
            )
        if start > today:
            problems.append(FieldProblem("start", f"扣除起始日 {start.isoformat()} 晚于今天"))
        if end is not None:
            if end < start:
                problems.append(FieldProblem("end", "扣除截止日早于起始日"))
            if end > today:
                problems.append(FieldProblem("end", f"扣除截止日 {end.isoformat()} 晚于今天"))
        if approved_by is None:
            problems.append(FieldProblem("approved_by", "请选择批准人"))
        elif not {"judge", "chief", "president"} & set(court.roles_of(conn, approved_by)):
            problems.append(FieldProblem("approved_by", "批准人应为本院法官、庭长或院长"))
        for other in store.exclusions(conn, case_id):
            if other["kind"] != kind.value:
                continue
            other_start = date.fromisoformat(other["start_date"])
            other_end = (
                date.max if other["end_date"] is None else date.fromisoformat(other["end_date"])
            )
            if start <= other_end and (end or date.max) >= other_start:
                until = other["end_date"] or "今（尚未结束）"
                problems.append(
                    FieldProblem(
                        "start",
                        f"与已登记的{kind.label}期间 {other['start_date']} 至 {until} 重叠",
                    )
                )
        if problems:
            raise ValidationError(problems)
        exclusion_id = store.insert_exclusion(
            conn,
            store.NewExclusion(
                case_id=case_id,
                kind=kind.value,
                start_date=start,
                end_date=end,
                reason=cleaned,
                approved_by=approved_by,
                document_ref=document_ref,
                opened_by=ws.actor.user_id,
                created_at=now_iso(),
            ),
        )
        changes: dict[str, Any] = audit.created(
            {
                "kind": kind.value,
                "start_date": start.isoformat(),
                "end_date": None if end is None else end.isoformat(),
                "reason": cleaned,
                "approved_by": approved_by,
                "document_ref": document_ref,
            }
        )
        if end is None and kind.sets_suspended:
            store.set_case_fields(conn, case_id, {"status": CaseStatus.SUSPENDED.value}, now_iso())
            changes["case_status"] = [facts["status"], CaseStatus.SUSPENDED.value]
        after = recompute(conn, case_id, today)
        changes["time_limit_expiry"] = [
            facts["time_limit_expiry"],
            None if after.expiry is None or after.provisional else after.expiry.isoformat(),
        ]
        audit.record(
            conn,
            ws.actor,
            "time_limit.exclusion_open",
            "time_limit_exclusions",
            exclusion_id,
            changes,
            case_id=case_id,
        )
        events.publish(
            conn,
            ws.actor,
            "time_limit.exclusion_changed",
            case_id=case_id,
            exclusion_id=exclusion_id,
        )
    return exclusion_id


def close_exclusion(
    ws: Workspace,
    exclusion_id: int,
    expected_version: int,
    end: date,
    today: date | None = None,
) -> TimeLimitResult:
    """End an open excluded period on ``end`` (its last excluded day)."""
    require(ws.actor, Permission.MANAGE_EXCLUSIONS)
    today = _today(today)
    with ws.db.transaction() as conn:
        row = store.exclusion(conn, exclusion_id)
        if row is None:
            raise NotFoundError(f"编号为 {exclusion_id} 的扣除期间不存在")
        case_id = int(row["case_id"])
        facts = ensure_open(conn, case_id, "结束扣除审限期间")
        if row["end_date"] is not None:
            raise ValidationError(f"该期间已于 {row['end_date']} 结束", "end")
        if end < date.fromisoformat(row["start_date"]):
            raise ValidationError(
                f"扣除截止日 {end.isoformat()} 早于起始日 {row['start_date']}", "end"
            )
        if end > today:
            raise ValidationError(f"扣除截止日 {end.isoformat()} 晚于今天", "end")
        return _end_exclusion(conn, ws.actor, row, expected_version, end, facts, today)


def _end_exclusion(
    conn: sqlite3.Connection,
    actor: Actor,
    row: sqlite3.Row,
    expected_version: int,
    end: date,
    facts: sqlite3.Row,
    today: date,
    why: str = "",
) -> TimeLimitResult:
    case_id = int(row["case_id"])
    kind = ExclusionKind(row["kind"])
    changed = update_versioned(
        conn,
        "time_limit_exclusions",
        int(row["id"]),
        expected_version,
        {"end_date": end.isoformat(), "closed_by": actor.user_id},
        f"案件{facts['case_number']}的{kind.label}期间",
    )
    changes: dict[str, Any] = {k: list(v) for k, v in changed.items()}
    if why:
        changes["why"] = why
    still_suspended = any(
        r["end_date"] is None and r["kind"] == ExclusionKind.SUSPENSION.value
        for r in store.exclusions(conn, case_id)
    )
    if (
        kind.sets_suspended
        and not still_suspended
        and CaseStatus(facts["status"]) is CaseStatus.SUSPENDED
    ):
        resumed = CaseStatus.PENDING if facts["presiding_judge_id"] else CaseStatus.REGISTERED
        store.set_case_fields(conn, case_id, {"status": resumed.value}, now_iso())
        changes["case_status"] = [facts["status"], resumed.value]
    after = recompute(conn, case_id, today)
    changes["time_limit_expiry"] = [
        facts["time_limit_expiry"],
        None if after.expiry is None or after.provisional else after.expiry.isoformat(),
    ]
    audit.record(
        conn,
        actor,
        "time_limit.exclusion_close",
        "time_limit_exclusions",
        int(row["id"]),
        changes,
        case_id=case_id,
    )
    events.publish(
        conn, actor, "time_limit.exclusion_changed", case_id=case_id, exclusion_id=int(row["id"])
    )
    return after


def end_open_exclusions(
    conn: sqlite3.Connection, actor: Actor, case_id: int, end: date, today: date
) -> None:
    """Close every open excluded period on ``end`` (used when the case is closed)."""
    for row in store.exclusions(conn, case_id):
        if row["end_date"] is None:
            last = max(end, date.fromisoformat(row["start_date"]))
            _end_exclusion(
                conn,
                actor,
                row,
                int(row["version"]),
                last,
                case_facts(conn, case_id),
                today,
                "结案时结束",
            )


# ---------------------------------------------------------------- conversion
def convert_procedure(
    ws: Workspace,
    case_id: int,
    expected_version: int,
    to_procedure: str,
    decided_on: date,
    reason: str,
    today: date | None = None,
) -> TimeLimitResult:
    """程序转换 (简易转普通 …): the 审限 keeps or restarts its start as the law says."""
    require(ws.actor, Permission.CONVERT_PROCEDURE)
    today = _today(today)
    reason = _reason(reason, what="转换程序的理由")
    with ws.db.transaction() as conn:
        facts = ensure_open(conn, case_id, "转换审理程序")
        if not _may_convert(conn, ws.actor, facts):
            raise PermissionDeniedError("只有本案承办人、本庭庭长或院长可以转换审理程序")
        rule = conversion(facts["procedure"], to_procedure)
        filed = date.fromisoformat(facts["filing_date"])
        problems: list[FieldProblem] = []
        if decided_on < filed:
            problems.append(
                FieldProblem("decided_on", f"裁定日期 {decided_on.isoformat()} 早于立案日期")
            )
        if decided_on > today:
            problems.append(
                FieldProblem("decided_on", f"裁定日期 {decided_on.isoformat()} 晚于今天")
            )
        if problems:
            raise ValidationError(problems)
        before = compute(inputs_for(conn, facts), decided_on)
        changed = update_versioned(
            conn,
            "cases",
            case_id,
            expected_version,
            {"procedure": to_procedure},
            f"案件{facts['case_number']}",
        )
        conversion_id = store.insert_conversion(
            conn,
            case_id,
            facts["procedure"],
            to_procedure,
            decided_on,
            rule.restarts,
            reason,
            ws.actor.user_id,
            now_iso(),
        )
        withdraw_pending(conn, ws.actor, case_id, today, "程序转换，原申请失效")
        after = recompute(conn, case_id, today)
        late = before.expiry is not None and not before.provisional and decided_on > before.expiry
        audit.record(
            conn,
            ws.actor,
            "case.procedure_convert",
            "cases",
            case_id,
            {
                **{k: list(v) for k, v in changed.items()},
                "conversion_id": conversion_id,
                "decided_on": decided_on.isoformat(),
                "restarts": rule.restarts,
                "reason": reason,
                "after_expiry": late,
                "time_limit_expiry": [
                    facts["time_limit_expiry"],
                    None if after.expiry is None or after.provisional else after.expiry.isoformat(),
                ],
            },
            case_id=case_id,
        )
        events.publish(
            conn,
            ws.actor,
            "case.procedure_converted",
            case_id=case_id,
            from_procedure=facts["procedure"],
            to_procedure=to_procedure,
        )
    return after
