"""Service of process (集约送达): what the centre and the people who hand it work can do.

Tasks (one document for one recipient at one address) are created when a case is
registered and when hearings are scheduled (see ``services.service_events``) and
by hand for any other document. Staff record attempts; the task's state and legal
service date follow from them by ``courtdesk.domain.service`` and are stored so
the desk filters in SQL. Every change runs in one transaction with its audit rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from courtdesk.domain.holidays import HolidayCalendar
from courtdesk.domain.procedures import PROCEDURES
from courtdesk.domain.service import (
    DOCUMENT_BY_CODE,
    MAX_TEXT,
    METHOD_BY_CODE,
    NO_PUBLIC_NOTICE_PROCEDURES,
    OPEN_STATES,
    OUTCOME_BY_CODE,
    REASON_BY_CODE,
    STATE_BY_CODE,
    AddressConfirmation,
    Attempt,
    DocumentKind,
    EffectKind,
    Outcome,
    ServiceContext,
    ServiceMethod,
    TaskState,
    TaskStatus,
    attempt_effect,
    attempt_line,
    check_attempt,
    check_confirmation,
    derive_status,
    outcome_label,
    parse_receipt_code,
    receipt_code,
    withdrawn_basis,
)
from courtdesk.domain.text import free_text_problem
from courtdesk.errors import (
    CourtdeskError,
    FieldProblem,
    NotFoundError,
    StaleRecordError,
    ValidationError,
)
from courtdesk.services import audit, settings
from courtdesk.services.holidays import calendar_for
from courtdesk.services.permissions import Permission, require, require_case_id
from courtdesk.services.workspace import Actor, Workspace
from courtdesk.store import cases as case_store
from courtdesk.store import court
from courtdesk.store import service as store
from courtdesk.store.audit import now_iso
from courtdesk.store.records import stale_message, update_versioned
from courtdesk.store.service import TaskFilter, TaskListRow, TaskSort
from courtdesk.store.service import attempt_from_row as _attempt_from_row

__all__ = ["TaskFilter", "TaskListRow", "TaskSort"]

# ---------------------------------------------------------------------- settings
_METHOD_CHOICES = (ServiceMethod.COURT_EXPRESS, ServiceMethod.POST, ServiceMethod.DIRECT)


def _method_choice(value: str) -> str | None:
    if value in {m.value for m in _METHOD_CHOICES}:
        return None
    return "只能是 " + "、".join(f"{m.value}（{m.label}）" for m in _METHOD_CHOICES)


POST_DAYS = settings.declare(
    settings.Setting(
        "service.post_days",
        "邮寄送达预计签收所需工作日",
        "3",
        "int",
        help="排期时估计传票最早送达日期用：寄出后第几个工作日签收",
        check=settings.int_range(1, 30),
        group="送达",
    )
)
DEFAULT_METHOD = settings.declare(
    settings.Setting(
        "service.default_method",
        "当事人未同意电子送达时的通常送达方式",
        ServiceMethod.COURT_EXPRESS.value,
        "text",
        help="court_express（法院专递）、post（邮寄送达）或 direct（直接送达）",
        check=_method_choice,
        group="送达",
    )
)
REGISTRATION_DUE_DAYS = settings.declare(
    settings.Setting(
        "service.registration_due_days",
        "立案时生成的文书须在立案后几日内送达",
        "5",
        "int",
        help="民诉法第128条：起诉状副本在立案之日起五日内发送被告",
        check=settings.int_range(1, 30),
        group="送达",
    )
)
MANUAL_DUE_DAYS = settings.declare(
    settings.Setting(
        "service.manual_due_days",
        "手工提交的文书默认送达期限（日）",
        "10",
        "int",
        help="民诉法第151条：当庭宣判的，十日内发送判决书",
        check=settings.int_range(1, 60),
        group="送达",
    )
)


def setting_int(conn: sqlite3.Connection, spec: settings.Setting) -> int:
    """A court setting read on an open connection (event handlers have no workspace)."""
    value = court.get_setting(conn, spec.key)
    return int(value if value is not None else spec.default)


def setting_text(conn: sqlite3.Connection, spec: settings.Setting) -> str:
    value = court.get_setting(conn, spec.key)
    return value if value is not None else spec.default


# ---------------------------------------------------------------------- views
@dataclass(frozen=True)
class AttemptView:
    id: int
    attempt: Attempt
    staff_id: int | None
    staff_name: str
    effect: str
    service_date: str | None
    recorded_at: str
    version: int

    @property
    def method_label(self) -> str:
        return self.attempt.method.label

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.attempt.method, self.attempt.outcome)

    @property
    def is_pending(self) -> bool:
        return self.attempt.outcome is Outcome.IN_TRANSIT

    def summary(self) -> str:
        """One line for lists: date, method, outcome and the particulars that matter."""
        a = self.attempt
        return attempt_line(
            a.attempt_date.isoformat(),
            a.method,
            a.outcome,
            receiver_name=a.receiver_name,
            receiver_relation=a.receiver_relation,
            waybill=a.waybill,
            result_date=a.result_date.isoformat() if a.result_date else None,
            returned_reason=a.returned_reason,
            channel=a.channel,
            witnesses=a.witnesses,
            record_media=a.record_media,
            other_agency=a.other_agency,
            posted_where=a.posted_where,
            staff_name=self.staff_name,
        )

    def to_dict(self) -> dict[str, Any]:
        values = asdict(self.attempt)
        values.update(
            id=self.id,
            method_label=self.method_label,
            outcome_label=self.outcome_label,
            staff=self.staff_name,
            effect=self.effect,
            service_date=self.service_date,
            version=self.version,
        )
        return values


@dataclass(frozen=True)
class TaskDetail:
    id: int
    code: str  # the receipt barcode
    case_id: int
    case_number: str
    cause: str
    procedure: str
    procedure_label: str
    document: DocumentKind
    title: str
    copies: int
    party_id: int | None
    agent_id: int | None
    recipient_name: str
    recipient_role: str
    address: str
    phone: str
    address_confirmed: bool
    electronic_consent: bool
    electronic_address: str
    proxy_recipient: str  # 代收人 named in the address confirmation
    postcode: str  # from the address confirmation
    recipient_is_organisation: bool
    origin: str
    hearing_id: int | None
    hearing_start: str | None
    blocks_hearing: bool
    due_date: date
    state: TaskState
    method: ServiceMethod | None
    service_date: date | None
    basis: str
    assignee_id: int | None
    assignee_name: str | None
    judge_name: str
    division_name: str | None
    withdrawn_reason: str
    created_on: date
    version: int
    attempts: tuple[AttemptView, ...] = field(default_factory=tuple)
    # The court's holiday calendar (with the years it entered itself), so a window that
    # previews a 公告's end date counts it as the service will when it stores it.
    calendar: HolidayCalendar | None = field(default=None, repr=False, compare=False)

    @property
    def pending_attempt(self) -> AttemptView | None:
        """The attempt whose receipt is still out (a posted letter, an entrusted service)."""
        waiting = [a for a in self.attempts if a.is_pending]
        return waiting[-1] if waiting else None

    def context(self, today: date, leaving_out: int | None = None) -> ServiceContext:
        """What the rules need to check a new attempt (or the completion of ``leaving_out``)."""
        return ServiceContext(
            document=self.document,
            procedure=self.procedure,
            electronic_consent=self.electronic_consent,
            address_confirmed=self.address_confirmed,
            earlier=tuple(a.attempt for a in self.attempts if a.id != leaving_out),
            today=today,
            withdrawn=self.state is TaskState.WITHDRAWN,
            calendar=self.calendar,
        )

    def to_dict(self) -> dict[str, Any]:
        plain = replace(self, attempts=(), calendar=None)
        values = {k: v for k, v in asdict(plain).items() if k not in ("attempts", "calendar")}
        values.update(
            document_label=self.document.label,
            state_label=self.state.label,
            method_label=self.method.label if self.method else "",
            attempts=[a.to_dict() for a in self.attempts],
        )
        return values


def _attempt_view(row: sqlite3.Row, attempt: Attempt | None = None) -> AttemptView:
    return AttemptView(
        id=int(row["id"]),
        attempt=attempt or _attempt_from_row(row),
        staff_id=row["staff_id"],
        staff_name=row["staff_name"] or "",
        effect=row["effect"],
        service_date=row["service_date"],
        recorded_at=row["recorded_at"],
        version=int(row["version"]),
    )


def _detail(
    row: sqlite3.Row,
    attempts: Sequence[sqlite3.Row],
    confirmation: sqlite3.Row | None,
    calendar: HolidayCalendar,
) -> TaskDetail:
    procedure = PROCEDURES.get(row["procedure"])
    views = tuple(_attempt_view(a) for a in attempts)
    consent = bool(confirmation["electronic_consent"]) if confirmation is not None else False
    return TaskDetail(
        id=int(row["id"]),
        code=receipt_code(int(row["id"])),
        case_id=int(row["case_id"]),
        case_number=row["case_number"],
        cause=row["cause"],
        procedure=row["procedure"],
        procedure_label=procedure.label if procedure else row["procedure"],
        document=DocumentKind(row["document"]),
        title=row["title"],
        copies=int(row["copies"]),
        party_id=row["party_id"],
        agent_id=row["agent_id"],
        recipient_name=row["recipient_name"],
        recipient_role=row["recipient_role"],
        address=row["address"],
        phone=row["phone"],
        address_confirmed=bool(row["address_confirmed"]),
        electronic_consent=consent,
        electronic_address=confirmation["electronic_address"] if consent and confirmation else "",
        proxy_recipient=confirmation["recipient"] if confirmation is not None else "",
        postcode=confirmation["postcode"] if confirmation is not None else "",
        recipient_is_organisation=row["party_kind"] == "organisation",
        origin=row["origin"],
        hearing_id=row["hearing_id"],
        hearing_start=row["hearing_start"],
        blocks_hearing=bool(row["blocks_hearing"]),
        due_date=date.fromisoformat(row["due_date"]),
        state=TaskState(row["state"]),
        method=ServiceMethod(row["method"]) if row["method"] else None,
        service_date=date.fromisoformat(row["service_date"]) if row["service_date"] else None,
        basis=row["basis"],
        assignee_id=row["assignee_id"],
        assignee_name=row["assignee_name"],
        judge_name=row["judge_name"],
        division_name=row["division_name"],
        withdrawn_reason=row["withdrawn_reason"],
        created_on=date.fromisoformat(row["created_on"]),
        version=int(row["version"]),
        attempts=views,
        calendar=calendar,
    )


def _load_detail(conn: sqlite3.Connection, task_id: int) -> TaskDetail:
    row = store.task_row(conn, task_id)
    if row is None:
        raise NotFoundError(f"编号为 {task_id} 的送达任务不存在")
    confirmation = store.address_row(conn, row["party_id"]) if row["party_id"] else None
    return _detail(row, store.attempt_rows(conn, [task_id]), confirmation, calendar_for(conn))


# ---------------------------------------------------------------------- creating tasks
@dataclass(frozen=True)
class Recipient:
    """Who a task is for and where: a party (at its confirmed address if any) or an agent."""

    name: str
    role: str
    address: str
    phone: str
    confirmed: bool
    party_id: int | None = None
    agent_id: int | None = None


def party_recipient(party: sqlite3.Row, confirmation: sqlite3.Row | None) -> Recipient:
    """A party at the address it confirmed (送达地址确认书), else at the address on file."""
    if confirmation is not None:
        return Recipient(
            party["name"],
            party["role"],
            confirmation["address"],
            confirmation["phone"] or party["phone"],
            True,
            party_id=int(party["id"]),
        )
    return Recipient(
        party["name"], party["role"], party["address"], party["phone"], False, int(party["id"])
    )


def agent_recipient(agent: sqlite3.Row, party: sqlite3.Row) -> Recipient:
    """An agent ad litem, reached at the law firm (agents have no address of their own on file)."""
    return Recipient(
        agent["name"],
        f"{party['role']}{party['name']}的代理人",
        agent["law_firm"],
        agent["phone"],
        False,
        agent_id=int(agent["id"]),
    )


def case_recipients(
    conn: sqlite3.Connection, case_id: int
) -> tuple[list[tuple[sqlite3.Row, Recipient]], list[Recipient]]:
    """The case's parties (row, recipient) and its agents as recipients."""
    parties = case_store.party_rows(conn, case_id)
    confirmations = {int(r["party_id"]): r for r in store.address_rows_for_case(conn, case_id)}
    by_id = {int(p["id"]): p for p in parties}
    party_list = [(p, party_recipient(p, confirmations.get(int(p["id"])))) for p in parties]
    agents = [
        agent_recipient(a, by_id[int(a["party_id"])])
        for a in case_store.agent_rows(conn, case_id)
        if int(a["party_id"]) in by_id
    ]
    return party_list, agents


def create_task(
    conn: sqlite3.Connection,
    actor: Actor,
    case_id: int,
    recipient: Recipient,
    document: DocumentKind,
    *,
    title: str,
    due: date,
    origin: str,
    copies: int = 1,
    hearing_id: int | None = None,
    hearing_start: datetime | None = None,
    blocks_hearing: bool = False,
    today: date | None = None,
) -> int:
    """Store one new task (待送达) and its audit row; call inside the change's transaction."""
    stamp = now_iso()
    values = {
        "case_id": case_id,
        "document": document.value,
        "title": title,
        "copies": copies,
        "party_id": recipient.party_id,
        "agent_id": recipient.agent_id,
        "recipient_name": recipient.name,
        "recipient_role": recipient.role,
        "address": recipient.address,
        "phone": recipient.phone,
        "address_confirmed": int(recipient.confirmed),
        "origin": origin,
        "hearing_id": hearing_id,
        "hearing_start": hearing_start.isoformat(timespec="minutes") if hearing_start else None,
        "blocks_hearing": int(blocks_hearing),
        "due_date": due.isoformat(),
        "state": TaskState.PENDING.value,
        "is_open": 1,
        "method": "",
        "service_date": None,
        "assignee_id": None,
        "created_on": (today or date.today()).isoformat(),
        "created_at": stamp,
        "created_by": actor.user_id,
        "updated_at": stamp,
    }
    task_id = store.insert_task(conn, values)
    audit.record(
        conn,
        actor,
        "service.task.create",
        "service_tasks",
        task_id,
        audit.created(
            {
                k: values[k]
                for k in (
                    "document",
                    "title",
                    "recipient_name",
                    "address",
                    "origin",
                    "hearing_id",
                    "due_date",
                )
            }
        ),
        case_id=case_id,
    )
    return task_id


@dataclass(frozen=True)
class TaskRequest:
    """A document handed to the centre by hand (判决书, 裁定书, 调解书 …)."""

    case_id: int
    document: DocumentKind
    party_ids: tuple[int, ...] = ()
    agent_ids: tuple[int, ...] = ()
    title: str = ""
    copies: int = 1
    due_date: date | None = None


def default_due_date(ws: Workspace, today: date | None = None) -> date:
    return (today or date.today()) + timedelta(days=settings.get_int(ws, MANUAL_DUE_DAYS.key))


def request_service(ws: Workspace, request: TaskRequest, today: date | None = None) -> list[int]:
    """Hand a document to the centre: one task per chosen party or agent, in one transaction."""
    require(ws.actor, Permission.REQUEST_SERVICE)
    today = today or date.today()
    problems: list[FieldProblem] = []
    title = request.title.strip() or request.document.label
    if len(title) > 100:
        problems.append(FieldProblem("title", "文书名称过长（最多 100 个字）"))
    elif (problem := free_text_problem(title, "文书名称")) is not None:
        problems.append(FieldProblem("title", problem))
    if not request.party_ids and not request.agent_ids:
        problems.append(FieldProblem("recipients", "请至少选择一位受送达人"))
    if not 1 <= request.copies <= 99:
        problems.append(FieldProblem("copies", "份数应在 1 到 99 之间"))
    due = request.due_date or default_due_date(ws, today)
    if due < today:
        problems.append(FieldProblem("due_date", "送达期限不能早于今天"))
    if problems:
        raise ValidationError(problems)
    with ws.db.transaction() as conn:
        if case_store.case_row(conn, request.case_id) is None:
            raise NotFoundError(f"编号为 {request.case_id} 的案件不存在")
        # Whoever works the case hands its documents over: a judge or clerk their own.
        require_case_id(conn, ws.actor, Permission.REQUEST_SERVICE, request.case_id)
        parties, agents = case_recipients(conn, request.case_id)
        by_party = {r.party_id: r for _, r in parties}
        by_agent = {r.agent_id: r for r in agents}
        chosen: list[Recipient] = []
        for party_id in request.party_ids:
            if party_id not in by_party:
                raise ValidationError("所选当事人不属于本案", "recipients")
            chosen.append(by_party[party_id])
        for agent_id in request.agent_ids:
            if agent_id not in by_agent:
                raise ValidationError("所选代理人不属于本案", "recipients")
            chosen.append(by_agent[agent_id])
        missing = [r.name for r in chosen if not r.address]
        if missing:
            raise ValidationError(
                f"{'、'.join(missing)} 没有送达地址，请先登记送达地址确认书或补充地址", "recipients"
            )
        return [
            create_task(
                conn,
                ws.actor,
                request.case_id,
                recipient,
                request.document,
                title=title,
                due=due,
                origin="manual",
                copies=request.copies,
                today=today,
            )
            for recipient in chosen
        ]


# ---------------------------------------------------------------------- status
def _stored_form(status: TaskStatus) -> tuple[str, str, str | None, str]:
    """(state, method, service_date, basis) as the task's row keeps them."""
    return (
        status.state.value,
        status.method.value if status.method else "",
        status.service_date.isoformat() if status.service_date else None,
        status.basis,
    )


def _store_status(conn: sqlite3.Connection, task_id: int, status: TaskStatus, stamp: str) -> None:
    state, method, service_date, basis = _stored_form(status)
    store.set_task_status(
        conn,
        task_id,
        state=state,
        is_open=status.state.is_open,
        method=method,
        service_date=service_date,
        basis=basis,
        stamp=stamp,
    )


def settle_public_notices(ws: Workspace, today: date | None = None) -> list[int]:
    """Tasks whose 公告 period has run become 已送达 (on the period's last day).

    The state is stored for the desk's SQL filters, so time moving on is a change
    too: run before the desk reads, cheap when there is nothing to settle.
    """
    today = today or date.today()
    conn = ws.db.connection
    if not store.has_public_notices_due(conn, today):
        return []
    with ws.db.transaction() as tx:
        calendar = calendar_for(tx)
        settled = []
        stamp = now_iso()
        for task_id in store.public_notices_due(tx, today):
            row = store.task_row(tx, task_id)
            assert row is not None
            attempts = [_attempt_from_row(a) for a in store.attempt_rows(tx, [task_id])]
            status = derive_status(attempts, bool(row["address_confirmed"]), today, calendar)
            _store_status(tx, task_id, status, stamp)
            settled.append(task_id)
        if settled:
            audit.record(
                tx,
                ws.actor,
                "service.public_notice.matured",
                "service_tasks",
                None,
                {"tasks": settled, "as_of": today.isoformat()},
            )
    return settled


def rederive_public_notices(conn: sqlite3.Connection, actor: Actor, today: date) -> list[int]:
    """Tasks a 公告 served or is serving, derived again after the court's calendar changed.

    A 公告's period ends by the calendar, so entering a year's holidays can move the
    day it serves on, and ends the 「仅按周末计算」 warning its basis carries. Only the
    tasks whose stored status changes are written.
    """
    calendar = calendar_for(conn)
    stamp = now_iso()
    changed = []
    for row in store.public_notice_tasks(conn):
        attempts = [_attempt_from_row(a) for a in store.attempt_rows(conn, [row["id"]])]
        status = derive_status(attempts, bool(row["address_confirmed"]), today, calendar)
        stored = (row["state"], row["method"], row["service_date"], row["basis"])
        if _stored_form(status) != stored:
            _store_status(conn, row["id"], status, stamp)
            changed.append(row["id"])
    if changed:
        audit.record(
            conn,
            actor,
            "service.public_notice.recomputed",
            "service_tasks",
            None,
            {"tasks": changed, "as_of": today.isoformat()},
        )
    return changed


# ---------------------------------------------------------------------- reading
def get_task(ws: Workspace, task_id: int) -> TaskDetail:
    require(ws.actor, Permission.VIEW_SERVICE)
    with ws.db.snapshot() as conn:
        detail = _load_detail(conn, task_id)
        require_case_id(conn, ws.actor, Permission.VIEW_SERVICE, detail.case_id)
        return detail


def find_by_code(ws: Workspace, code: str) -> TaskDetail:
    """The task whose receipt barcode was scanned (or typed)."""
    require(ws.actor, Permission.VIEW_SERVICE)
    parsed = parse_receipt_code(code)
    if isinstance(parsed, str):
        raise ValidationError(parsed, "code")
    try:
        return get_task(ws, parsed)
    except NotFoundError:
        raise NotFoundError(f"条码 {code.strip().upper()} 对应的送达任务不存在") from None


def desk_count(ws: Workspace, flt: TaskFilter) -> int:
    require(ws.actor, Permission.VIEW_SERVICE)
    settle_public_notices(ws)
    return store.count_tasks(ws.db.connection, flt)


def desk_state_counts(ws: Workspace, flt: TaskFilter) -> dict[TaskState, int]:
    """Tasks per state under the desk's other filters (the counts beside the state filter)."""
    require(ws.actor, Permission.VIEW_SERVICE)
    raw = store.counts_by_state(ws.db.connection, flt)
    return {state: raw.get(state.value, 0) for state in TaskState}


def desk_page(
    ws: Workspace, flt: TaskFilter, sort: TaskSort, descending: bool, offset: int, limit: int
) -> list[TaskListRow]:
    require(ws.actor, Permission.VIEW_SERVICE)
    return store.page_tasks(ws.db.connection, flt, sort, descending, offset, limit)


# ---------------------------------------------------------------------- recording
def _check_staff(conn: sqlite3.Connection, staff_id: int | None) -> None:
    if staff_id is None:
        return
    user = court.user_by_id(conn, staff_id)
    if user is None or not user["active"]:
        raise ValidationError("所选经办人不是在职人员", "staff_id")


def _attempt_values(
    attempt: Attempt, effect_kind: EffectKind, service_date: date | None
) -> dict[str, Any]:
    return {
        "method": attempt.method.value,
        "outcome": attempt.outcome.value,
        "attempt_date": attempt.attempt_date.isoformat(),
        "result_date": attempt.result_date.isoformat() if attempt.result_date else None,
        "sent_at": attempt.sent_at.isoformat(timespec="minutes") if attempt.sent_at else None,
        "receiver_name": attempt.receiver_name,
        "receiver_relation": attempt.receiver_relation,
        "witnesses": attempt.witnesses,
        "record_media": attempt.record_media,
        "channel": attempt.channel,
        "waybill": attempt.waybill,
        "returned_reason": attempt.returned_reason.value if attempt.returned_reason else "",
        "other_agency": attempt.other_agency,
        "posted_where": attempt.posted_where,
        "abroad": int(attempt.abroad),
        "whereabouts_unknown": int(attempt.whereabouts_unknown),
        "notes": attempt.notes,
        "effect": effect_kind.value,
        "service_date": service_date.isoformat() if service_date else None,
    }


def _clean(attempt: Attempt) -> Attempt:
    return replace(
        attempt,
        receiver_name=attempt.receiver_name.strip(),
        receiver_relation=attempt.receiver_relation.strip(),
        witnesses=attempt.witnesses.strip(),
        record_media=attempt.record_media.strip(),
        channel=attempt.channel.strip(),
        waybill=attempt.waybill.strip().upper(),
        other_agency=attempt.other_agency.strip(),
        posted_where=attempt.posted_where.strip(),
        notes=attempt.notes.strip(),
    )


@dataclass(frozen=True)
class AttemptEntry:
    """One attempt to record on one task, as read at ``expected_version``.

    ``completes``: the id of the task's attempt whose receipt this records (a
    letter posted earlier comes back signed, refused or returned); that attempt
    is completed instead of a new one being added.
    """

    task_id: int
    expected_version: int
    attempt: Attempt
    completes: int | None = None


def _record_one(
    conn: sqlite3.Connection,
    actor: Actor,
    entry: AttemptEntry,
    staff_id: int | None,
    today: date,
    stamp: str,
    who: str = "",
) -> None:
    """Check and store one attempt and the task's new status; raises ValidationError."""
    row = store.task_row(conn, entry.task_id)
    if row is None:
        raise NotFoundError(f"编号为 {entry.task_id} 的送达任务不存在")
    what = f"送达任务 {receipt_code(entry.task_id)}（{row['recipient_name']}）"
    if int(row["version"]) != entry.expected_version:
        raise StaleRecordError(stale_message(conn, "service_tasks", entry.task_id, what))
    confirmation = store.address_row(conn, row["party_id"]) if row["party_id"] else None
    calendar = calendar_for(conn)
    detail = _detail(row, store.attempt_rows(conn, [entry.task_id]), confirmation, calendar)
    attempt = _clean(entry.attempt)
    ctx = replace(detail.context(today, leaving_out=entry.completes), calendar=calendar)
    problems: list[FieldProblem] = []
    completed: AttemptView | None = None
    if entry.completes is not None:
        completed = next((a for a in detail.attempts if a.id == entry.completes), None)
        if completed is None or not completed.is_pending:
            problems.append(FieldProblem("task", f"{what}没有待登记回执的送达记录"))
        elif completed.attempt.method is not attempt.method:
            problems.append(
                FieldProblem("method", f"回执须按原送达方式（{completed.method_label}）登记")
            )
        elif attempt.outcome is Outcome.IN_TRANSIT:
            problems.append(FieldProblem("outcome", "请登记回执的结果（签收、拒收或退回）"))
    problems += check_attempt(attempt, ctx)
    if problems:
        if who:
            problems = [FieldProblem(p.field, f"{who}：{p.message}") for p in problems]
        raise ValidationError(problems)
    effect = attempt_effect(attempt, detail.address_confirmed, calendar)
    values = _attempt_values(attempt, effect.kind, effect.service_date)
    if completed is not None:
        before = store.attempt_row(conn, completed.id)
        assert before is not None
        changed = update_versioned(
            conn,
            "service_attempts",
            completed.id,
            completed.version,
            {**values, "staff_id": staff_id},
            f"{what}的送达记录",
        )
        store.attempt_effect_changed(conn, before, values)
        audit.record(
            conn,
            actor,
            "service.attempt.complete",
            "service_attempts",
            completed.id,
            {k: list(v) for k, v in changed.items()},
            case_id=detail.case_id,
        )
    else:
        values.update(
            task_id=entry.task_id, staff_id=staff_id, recorded_at=stamp, recorded_by=actor.user_id
        )
        attempt_id = store.insert_attempt(conn, values)
        audit.record(
            conn,
            actor,
            "service.attempt.record",
            "service_attempts",
            attempt_id,
            audit.created({k: v for k, v in values.items() if v not in ("", None, 0)}),
            case_id=detail.case_id,
        )
    attempts = [_attempt_from_row(a) for a in store.attempt_rows(conn, [entry.task_id])]
    status = derive_status(attempts, detail.address_confirmed, today, calendar)
    _store_status(conn, entry.task_id, status, stamp)
    if status.state is not detail.state:
        audit.record(
            conn,
            actor,
            "service.task.state",
            "service_tasks",
            entry.task_id,
            {
                "state": [detail.state.value, status.state.value],
                "service_date": [
                    None,
                    status.service_date.isoformat() if status.service_date else None,
                ],
            },
            case_id=detail.case_id,
        )


def record_attempt(
    ws: Workspace,
    entry: AttemptEntry,
    staff_id: int | None = None,
    today: date | None = None,
) -> TaskDetail:
    """Record what was done to serve a task (or the receipt of an earlier attempt).

    Refused, with every reason, when section 4 does not allow it: 公告 in summary
    procedure or before other methods failed, 留置 of a mediation document,
    electronic service without consent, a missing receiver, waybill or witness.
    ``staff_id``: who served (default: the acting user).
    """
    require(ws.actor, Permission.MANAGE_SERVICE)
    today = today or date.today()
    staff = staff_id if staff_id is not None else ws.actor.user_id
    with ws.db.transaction() as conn:
        _check_staff(conn, staff)
        _record_one(conn, ws.actor, entry, staff, today, now_iso())
    return get_task(ws, entry.task_id)


def record_batch(
    ws: Workspace,
    entries: Sequence[AttemptEntry],
    staff_id: int | None = None,
    today: date | None = None,
) -> int:
    """Record attempts on many tasks at once: all of them, or (if any is refused) none."""
    require(ws.actor, Permission.MANAGE_SERVICE)
    if not entries:
        raise ValidationError("没有选择送达任务", "tasks")
    today = today or date.today()
    staff = staff_id if staff_id is not None else ws.actor.user_id
    problems: list[FieldProblem] = []
    with ws.db.transaction() as conn:
        _check_staff(conn, staff)
        stamp = now_iso()
        for entry in entries:
            who = receipt_code(entry.task_id)
            try:
                with ws.db.transaction() as savepoint:
                    _record_one(savepoint, ws.actor, entry, staff, today, stamp, who)
            except ValidationError as error:
                problems += error.problems
        if problems:
            raise ValidationError(problems)
    return len(entries)


def assign(ws: Workspace, task_ids: Sequence[int], assignee_id: int | None) -> int:
    """Give tasks to a member of the centre (None: take them back to the shared queue)."""
    require(ws.actor, Permission.MANAGE_SERVICE)
    if not task_ids:
        raise ValidationError("没有选择送达任务", "tasks")
    with ws.db.transaction() as conn:
        if assignee_id is not None:
            user = court.user_by_id(conn, assignee_id)
            if user is None or not user["active"]:
                raise ValidationError("所选送达人员不是在职人员", "assignee_id")
        before = store.assign_tasks(conn, list(task_ids), assignee_id, now_iso())
        if before:
            audit.record(
                conn,
                ws.actor,
                "service.task.assign",
                "service_tasks",
                None,
                {
                    "tasks": sorted(before),
                    "assignee_id": [sorted(set(before.values()), key=str), assignee_id],
                },
            )
    return len(before)


def withdraw(ws: Workspace, task_id: int, expected_version: int, reason: str) -> TaskDetail:
    """Withdraw a task that need not be served any more; its history stays."""
    require(ws.actor, Permission.MANAGE_SERVICE)
    reason = reason.strip()
    if not reason:
        raise ValidationError("请写明撤回原因", "reason")
    if len(reason) > MAX_TEXT:
        raise ValidationError(f"撤回原因过长（最多 {MAX_TEXT} 个字）", "reason")
    if (problem := free_text_problem(reason, "撤回原因")) is not None:
        raise ValidationError(problem, "reason")
    with ws.db.transaction() as conn:
        row = store.task_row(conn, task_id)
        if row is None:
            raise NotFoundError(f"编号为 {task_id} 的送达任务不存在")
        withdraw_task(conn, ws.actor, row, reason, expected_version)
    return get_task(ws, task_id)


def withdraw_task(
    conn: sqlite3.Connection,
    actor: Actor,
    row: sqlite3.Row,
    reason: str,
    expected_version: int | None = None,
) -> None:
    """Mark an unserved task withdrawn (inside the caller's transaction); served ones are refused."""
    what = f"送达任务 {receipt_code(int(row['id']))}（{row['recipient_name']}）"
    if row["state"] == TaskState.SERVED.value:
        raise CourtdeskError(f"{what}已送达，不能撤回")
    if row["state"] == TaskState.WITHDRAWN.value:
        return
    version = int(row["version"]) if expected_version is None else expected_version
    before = {k: row[k] for k in ("created_on", "state", "method", "service_date")}
    changed = update_versioned(
        conn,
        "service_tasks",
        int(row["id"]),
        version,
        {
            "state": TaskState.WITHDRAWN.value,
            "is_open": 0,
            "withdrawn_reason": reason,
            "basis": withdrawn_basis(reason),
            "updated_at": now_iso(),
        },
        what,
    )
    audit.record(
        conn,
        actor,
        "service.task.withdraw",
        "service_tasks",
        int(row["id"]),
        # The basis is derived from the reason: the reason alone is the change.
        {k: list(v) for k, v in changed.items() if k not in ("updated_at", "basis")},
        case_id=int(row["case_id"]),
    )
    store.task_state_changed(conn, before, {**before, "state": TaskState.WITHDRAWN.value})


# ---------------------------------------------------------------------- 送达地址确认书
@dataclass(frozen=True)
class ConfirmationView:
    party_id: int
    address: str
    postcode: str
    recipient: str
    phone: str
    electronic_consent: bool
    electronic_address: str
    confirmed_on: str
    version: int


def _confirmation_view(row: sqlite3.Row) -> ConfirmationView:
    return ConfirmationView(
        int(row["party_id"]),
        row["address"],
        row["postcode"],
        row["recipient"],
        row["phone"],
        bool(row["electronic_consent"]),
        row["electronic_address"],
        row["confirmed_on"],
        int(row["version"]),
    )


def store_confirmation(
    conn: sqlite3.Connection,
    actor: Actor,
    case_id: int,
    party_id: int,
    confirmation: AddressConfirmation,
    expected_version: int | None,
    what: str,
) -> None:
    """Insert or update a party's confirmation, and move its unattempted tasks to that address.

    Called inside the caller's transaction (立案 stores the confirmations of new
    parties this way). The confirmation must already be checked.
    """
    values = {
        "address": confirmation.address,
        "postcode": confirmation.postcode,
        "recipient": confirmation.recipient,
        "phone": confirmation.phone,
        "electronic_consent": int(confirmation.electronic_consent),
        "electronic_address": confirmation.electronic_address
        if confirmation.electronic_consent
        else "",
        "confirmed_on": confirmation.confirmed_on.isoformat(),
    }
    existing = store.address_row(conn, party_id)
    if existing is None:
        if expected_version is not None:
            raise StaleRecordError(f"{what}的送达地址确认书已被他人删除，请重新打开")
        record_id = store.insert_address(
            conn,
            {
                **values,
                "case_id": case_id,
                "party_id": party_id,
                "created_at": now_iso(),
                "created_by": actor.user_id,
            },
        )
        changes = audit.created(values)
        action = "service.address.confirm"
    else:
        record_id = int(existing["id"])
        version = int(existing["version"]) if expected_version is None else expected_version
        changed = update_versioned(
            conn, "service_addresses", record_id, version, values, f"{what}的送达地址确认书"
        )
        changes = {k: list(v) for k, v in changed.items()}
        action = "service.address.update"
    if changes:
        audit.record(conn, actor, action, "service_addresses", record_id, changes, case_id=case_id)
    for task in store.unattempted_tasks_of_party(conn, case_id, party_id):
        moved = update_versioned(
            conn,
            "service_tasks",
            int(task["id"]),
            int(task["version"]),
            {
                "address": confirmation.address,
                "phone": confirmation.phone or task["phone"],
                "address_confirmed": 1,
            },
            f"送达任务 {receipt_code(int(task['id']))}",
        )
        if moved:
            audit.record(
                conn,
                actor,
                "service.task.readdress",
                "service_tasks",
                int(task["id"]),
                {k: list(v) for k, v in moved.items()},
                case_id=case_id,
            )


def confirm_address(
    ws: Workspace,
    party_id: int,
    confirmation: AddressConfirmation,
    expected_version: int | None = None,
    today: date | None = None,
) -> ConfirmationView:
    """Record (or correct) a party's 送达地址确认书; later documents of the case use it.

    ``expected_version``: the version of the confirmation the form was opened on
    (None for a new one); a change made meanwhile by someone else is refused.
    """
    require(ws.actor, Permission.REQUEST_SERVICE)
    today = today or date.today()
    conn = ws.db.connection
    party = case_store.party_row(conn, party_id)
    if party is None:
        raise NotFoundError(f"编号为 {party_id} 的当事人不存在")
    who = f"{party['role']}{party['name']}"
    cleaned, problems = check_confirmation(confirmation, today, who=who)
    if problems:
        raise ValidationError(problems)
    with ws.db.transaction() as tx:
        require_case_id(tx, ws.actor, Permission.REQUEST_SERVICE, int(party["case_id"]))
        store_confirmation(
            tx, ws.actor, int(party["case_id"]), party_id, cleaned, expected_version, who
        )
        row = store.address_row(tx, party_id)
        assert row is not None
        return _confirmation_view(row)


# ---------------------------------------------------------------------- a case's service
@dataclass(frozen=True)
class TaskSummary:
    id: int
    code: str
    document: str  # label
    title: str
    recipient_name: str
    recipient_role: str
    address: str
    state: TaskState
    method: str  # label
    due_date: str
    service_date: str | None
    basis: str
    blocks_hearing: bool
    last_attempt: str  # one-line summary
    version: int


@dataclass(frozen=True)
class PartyService:
    """One party of a case: its confirmation, and what was served on it and its agents."""

    party_id: int
    role: str
    name: str
    address_on_file: str
    confirmation: ConfirmationView | None
    tasks: tuple[TaskSummary, ...]
    agent_tasks: tuple[TaskSummary, ...]

    @property
    def served(self) -> int:
        return sum(1 for t in self.tasks if t.state is TaskState.SERVED)

    @property
    def open(self) -> int:
        return sum(1 for t in self.tasks if t.state.is_open)


def case_service(ws: Workspace, case_id: int, today: date | None = None) -> list[PartyService]:
    """Party by party, what has been served on the case, how and when."""
    require(ws.actor, Permission.VIEW_SERVICE)
    today = today or date.today()
    settle_public_notices(ws, today)
    with ws.db.snapshot() as conn:
        require_case_id(conn, ws.actor, Permission.VIEW_SERVICE, case_id)
        parties = case_store.party_rows(conn, case_id)
        agents = case_store.agent_rows(conn, case_id)
        return party_service(conn, case_id, parties, agents)


def _latest_attempt_line(task: store.CaseTask) -> str:
    """The line of a task's latest attempt ("" when none was made)."""
    if task.last_attempt_date is None or task.last_method is None or task.last_outcome is None:
        return ""
    reason = task.last_returned_reason
    return attempt_line(
        task.last_attempt_date,
        METHOD_BY_CODE[task.last_method],
        OUTCOME_BY_CODE[task.last_outcome],
        receiver_name=task.last_receiver_name or "",
        receiver_relation=task.last_receiver_relation or "",
        waybill=task.last_waybill or "",
        result_date=task.last_result_date,
        returned_reason=REASON_BY_CODE[reason] if reason else None,
        channel=task.last_channel or "",
        witnesses=task.last_witnesses or "",
        record_media=task.last_record_media or "",
        other_agency=task.last_other_agency or "",
        posted_where=task.last_posted_where or "",
        staff_name=task.last_staff_name or "",
    )


def party_service(
    conn: sqlite3.Connection,
    case_id: int,
    parties: Sequence[sqlite3.Row],
    agent_rows: Sequence[sqlite3.Row],
) -> list[PartyService]:
    """``case_service`` on a snapshot the caller holds, access checked and public notices
    settled, with the case's party and agent rows it has already read."""
    agents = {a["id"]: a["party_id"] for a in agent_rows}
    confirmations = {
        r["party_id"]: _confirmation_view(r) for r in store.address_rows_for_case(conn, case_id)
    }
    # Each task with its stored state and basis and its latest attempt only: the tab
    # lists no other attempt, and the rules ran when the attempts were recorded.
    summaries: dict[int, list[TaskSummary]] = {}
    agent_summaries: dict[int, list[TaskSummary]] = {}
    for task in store.case_tasks(conn, case_id):
        summary = TaskSummary(
            id=task.id,
            code=receipt_code(task.id),
            document=DOCUMENT_BY_CODE[task.document].label,
            title=task.title,
            recipient_name=task.recipient_name,
            recipient_role=task.recipient_role,
            address=task.address,
            state=STATE_BY_CODE[task.state],
            method=METHOD_BY_CODE[task.method].label if task.method else "",
            due_date=task.due_date,
            service_date=task.service_date,
            basis=task.basis,
            blocks_hearing=bool(task.blocks_hearing),
            last_attempt=_latest_attempt_line(task),
            version=task.version,
        )
        if task.party_id is not None:
            summaries.setdefault(task.party_id, []).append(summary)
        elif task.agent_id is not None and task.agent_id in agents:
            agent_summaries.setdefault(agents[task.agent_id], []).append(summary)
    return [
        PartyService(
            party_id=int(p["id"]),
            role=p["role"],
            name=p["name"],
            address_on_file=p["address"],
            confirmation=confirmations.get(int(p["id"])),
            tasks=tuple(summaries.get(int(p["id"]), [])),
            agent_tasks=tuple(agent_summaries.get(int(p["id"]), [])),
        )
        for p in parties
    ]


# ---------------------------------------------------------------------- figures
@dataclass(frozen=True)
class MethodFigures:
    method: str  # label
    attempts: int  # attempts whose result is known
    served: int  # of which served (or 公告 published)
    tasks_served: int  # tasks served by this method

    @property
    def success_rate(self) -> float | None:
        return self.served / self.attempts if self.attempts else None


@dataclass(frozen=True)
class ServiceFigures:
    since: date | None
    by_state: tuple[tuple[str, int], ...]  # (state label, tasks)
    by_method: tuple[MethodFigures, ...]
    average_days: float | None  # from creation to legal service, over served tasks
    served_tasks: int
    overdue: int
    need_public_notice: int  # failed, 公告 allowed
    failed_in_summary: int  # failed, summary procedure: no 公告 without conversion

    @property
    def total(self) -> int:
        return sum(n for _, n in self.by_state)


def figures(ws: Workspace, since: date | None = None, today: date | None = None) -> ServiceFigures:
    """The centre's figures: tasks by state and method, success per method, speed, backlog.

    ``since``: only tasks created (attempts made) on or after that day.
    """
    require(ws.actor, Permission.VIEW_SERVICE)
    today = today or date.today()
    settle_public_notices(ws, today)
    with ws.db.snapshot() as conn:
        by_state_method = store.counts_by_state_and_method(conn, since)
        effects = store.attempt_effects_by_method(conn, since)
        average, served = store.average_days_to_service(conn, since)
        overdue = store.overdue_count(conn, today)
        failed = store.failed_by_procedure(conn)
    states = dict.fromkeys(TaskState, 0)
    served_by_method: dict[str, int] = {}
    for state, method, n in by_state_method:
        states[TaskState(state)] += n
        if state == TaskState.SERVED.value and method:
            served_by_method[method] = served_by_method.get(method, 0) + n
    attempts_by_method: dict[str, list[int]] = {}
    for method, effect, n in effects:
        counts = attempts_by_method.setdefault(method, [0, 0])
        counts[0] += n
        if effect in (EffectKind.SERVED.value, EffectKind.PUBLISHING.value):
            counts[1] += n
    by_method = tuple(
        MethodFigures(
            m.label,
            attempts_by_method.get(m.value, [0, 0])[0],
            attempts_by_method.get(m.value, [0, 0])[1],
            served_by_method.get(m.value, 0),
        )
        for m in ServiceMethod
    )
    return ServiceFigures(
        since=since,
        by_state=tuple((s.label, states[s]) for s in TaskState),
        by_method=by_method,
        average_days=average,
        served_tasks=served,
        overdue=overdue,
        need_public_notice=sum(n for p, n in failed if p not in NO_PUBLIC_NOTICE_PROCEDURES),
        failed_in_summary=sum(n for p, n in failed if p in NO_PUBLIC_NOTICE_PROCEDURES),
    )


def open_states() -> tuple[TaskState, ...]:
    return OPEN_STATES


def service_staff(ws: Workspace) -> list[tuple[int, str]]:
    """The centre's staff (role 送达), for assignment and as servers."""
    require(ws.actor, Permission.VIEW_SERVICE)
    return [
        (int(u["id"]), str(u["display_name"]))
        for u in court.users_with_role(ws.db.connection, "service")
    ]
