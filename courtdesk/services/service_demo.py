"""Demo data for service of process: the 立案 documents of every demo case, served or not.

Written in bulk beside each chunk of demo cases (same transaction), consistent
with the case: the documents ``registration_documents`` gives each party, due
five days after filing; a closed case has everything served before it closed;
an open one shows work in every state (letters in the post, failed visits,
公告 running, documents in summary cases that cannot be published). Every task's
state and service date come from ``domain.service.derive_status`` over its
attempts, exactly as if staff had recorded them one by one.

Documents for one party travel in one envelope: they share the attempts (the
same waybill, the same visit), each task with its own copy of them.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from courtdesk.domain.case_types import Category, default_catalog
from courtdesk.domain.holidays import HolidayCalendar
from courtdesk.domain.service import (
    NO_PUBLIC_NOTICE_PROCEDURES,
    DocumentKind,
    EffectKind,
    Outcome,
    ReturnReason,
    ServiceMethod,
    TaskState,
    public_notice_end,
    registration_documents,
)
from courtdesk.services import audit
from courtdesk.services.holidays import calendar_for
from courtdesk.services.service import REGISTRATION_DUE_DAYS, setting_int
from courtdesk.services.workspace import SYSTEM
from courtdesk.store import bulk, court

M = ServiceMethod
R = Outcome
CLOSED_STATUSES = ("closed", "archived")
CHANNELS = ("手机短信", "诉讼服务平台", "电子邮件")
DETENTION = "长春市看守所"
NOTICE_PLACES = ("人民法院公告网", "法院公告栏", "人民法院报")
RETURN_REASONS = (
    ReturnReason.ADDRESS_WRONG,
    ReturnReason.NO_SUCH_PERSON,
    ReturnReason.MOVED,
    ReturnReason.UNCLAIMED,
    ReturnReason.OTHER,
)
# Column positions in services.demo's case and party rows.
_CASE_ID, _TYPE, _PROCEDURE, _FILED, _STATUS, _CLOSED = 0, 5, 8, 10, 13, 20
_P_ID, _P_CASE, _P_ROLE, _P_KIND, _P_NAME, _P_PHONE, _P_ADDRESS = 0, 1, 3, 4, 5, 9, 10


# Only the columns a generated row fills are bound (the rest take their defaults):
# binding parameters is most of the cost of a bulk insert.
TASK_ROW = (
    "id",
    "case_id",
    "document",
    "title",
    "party_id",
    "recipient_name",
    "recipient_role",
    "address",
    "phone",
    "address_confirmed",
    "origin",
    "due_date",
    "state",
    "is_open",
    "method",
    "service_date",
    "assignee_id",
    "created_on",
    "created_at",
    "updated_at",
)
ADDRESS_ROW = (
    "case_id",
    "party_id",
    "address",
    "phone",
    "electronic_consent",
    "electronic_address",
    "confirmed_on",
    "created_at",
)
ATTEMPT_ROW = (
    "id",
    "task_id",
    "method",
    "outcome",
    "attempt_date",
    "staff_id",
    "effect",
    "service_date",
    "recorded_at",
)
# Attempts come in shapes, each with the particulars its method records.
ATTEMPT_SHAPES: dict[str, tuple[str, ...]] = {
    "plain": (),
    "electronic": ("sent_at", "channel"),
    "person": ("receiver_name", "receiver_relation", "witnesses"),
    "postal": ("result_date", "waybill", "receiver_name", "receiver_relation", "returned_reason"),
    "forwarded": ("result_date", "receiver_name", "receiver_relation", "other_agency"),
    "notice": ("posted_where",),
}


@dataclass
class ServiceRows:
    addresses: list[tuple[Any, ...]]
    tasks: list[tuple[Any, ...]]
    attempts: dict[str, list[tuple[Any, ...]]]

    @property
    def attempt_count(self) -> int:
        return sum(len(rows) for rows in self.attempts.values())


class ServiceDemo:
    """Generates the service rows for chunks of demo cases; deterministic by seed."""

    def __init__(self, conn: sqlite3.Connection, seed: int, as_of: date) -> None:
        self.rng = random.Random(f"service-demo:{seed}")
        self.as_of = as_of
        self.staff: list[int | None] = [
            int(u["id"]) for u in court.users_with_role(conn, "service")
        ] or [None]
        self.next_task = bulk.next_id(conn, "service_tasks")
        self.next_attempt = bulk.next_id(conn, "service_attempts")
        self.due_days = setting_int(conn, REGISTRATION_DUE_DAYS)
        self.calendar: HolidayCalendar = calendar_for(conn)
        self.catalog = default_catalog()
        self._documents: dict[tuple[str, str, str], tuple[DocumentKind, ...]] = {}
        self.tasks = 0
        self.attempts = 0

    # -------------------------------------------------------------- chunks
    def rows(
        self, cases: Sequence[Sequence[Any]], parties: Sequence[Sequence[Any]], stamp: str
    ) -> ServiceRows:
        out = ServiceRows([], [], {shape: [] for shape in ATTEMPT_SHAPES})
        by_case: dict[int, list[Sequence[Any]]] = {}
        for party in parties:
            by_case.setdefault(int(party[_P_CASE]), []).append(party)
        for case in cases:
            self._case(case, by_case.get(int(case[_CASE_ID]), []), stamp, out)
        return out

    def write(self, tx: sqlite3.Connection, rows: ServiceRows) -> None:
        """Insert a chunk's rows (inside the chunk's transaction) with one audit row."""
        bulk.insert_rows(tx, "service_addresses", ADDRESS_ROW, rows.addresses)
        bulk.insert_rows(tx, "service_tasks", TASK_ROW, rows.tasks)
        for shape, extra in ATTEMPT_SHAPES.items():
            bulk.insert_rows(tx, "service_attempts", (*ATTEMPT_ROW, *extra), rows.attempts[shape])
        self.tasks += len(rows.tasks)
        self.attempts += rows.attempt_count
        if rows.tasks:
            audit.record(
                tx,
                SYSTEM,
                "demo.service",
                "service_tasks",
                None,
                {
                    "tasks": len(rows.tasks),
                    "attempts": rows.attempt_count,
                    "addresses": len(rows.addresses),
                    "first_task_id": rows.tasks[0][0],
                    "last_task_id": rows.tasks[-1][0],
                },
            )

    # -------------------------------------------------------------- one case
    def _docs(self, type_code: str, procedure: str, role: str) -> tuple[DocumentKind, ...]:
        key = (type_code, procedure, role)
        docs = self._documents.get(key)
        if docs is None:
            case_type = self.catalog.get(type_code)
            docs = (
                ()
                if case_type is None
                else registration_documents(
                    case_type.category, type_code, procedure, case_type.role_set, role
                )
            )
            self._documents[key] = docs
        return docs

    def _case(
        self, case: Sequence[Any], parties: list[Sequence[Any]], stamp: str, out: ServiceRows
    ) -> None:
        rng = self.rng
        type_code, procedure = str(case[_TYPE]), str(case[_PROCEDURE])
        filed = date.fromisoformat(case[_FILED])
        closed = case[_STATUS] in CLOSED_STATUSES
        limit = date.fromisoformat(case[_CLOSED]) if closed and case[_CLOSED] else self.as_of
        limit = min(limit, self.as_of)
        case_type = self.catalog.get(type_code)
        claimants = case_type.role_set.claimant if case_type else ()
        criminal = case_type is not None and case_type.category is Category.CRIMINAL
        summary = procedure in NO_PUBLIC_NOTICE_PROCEDURES
        due = (filed + timedelta(days=self.due_days)).isoformat()
        created = filed.isoformat()
        case_id = case[_CASE_ID]
        for party in parties:
            role = str(party[_P_ROLE])
            docs = self._docs(type_code, procedure, role)
            if not docs:
                continue
            phone, address = str(party[_P_PHONE]), str(party[_P_ADDRESS])
            confirmed = consent = False
            if role in claimants and address and rng.random() < 0.85:
                confirmed = True
                consent = bool(phone) and rng.random() < 0.55
                out.addresses.append(
                    (
                        case_id,
                        party[_P_ID],
                        address,
                        phone,
                        int(consent),
                        phone if consent else "",
                        created,
                        stamp,
                    )
                )
            staff = self.staff[int(rng.random() * len(self.staff))]
            steps = self._serve(
                filed,
                limit,
                must_succeed=closed,
                consent=consent,
                confirmed=confirmed,
                summary=summary,
                organisation=party[_P_KIND] == "organisation",
                detained=criminal and role == "被告人",
                name=str(party[_P_NAME]),
            )
            state, method, service_date = self._status(steps)
            attempt_values = [
                (
                    _shape(st),
                    st[0].value,
                    st[1].value,
                    st[2].isoformat(),
                    staff,
                    st[13].value,
                    st[14].isoformat() if st[14] else None,
                    stamp,
                    _particulars(st),
                )
                for st in steps
            ]
            common = (
                party[_P_ID],
                party[_P_NAME],
                role,
                address,
                phone,
                int(confirmed),
                "registration",
                due,
                state.value,
                int(state.is_open),
                method,
                service_date,
                staff if steps or rng.random() < 0.6 else None,
                created,
                stamp,
                stamp,
            )
            attempts = out.attempts
            for document in docs:
                task_id = self.next_task
                self.next_task += 1
                out.tasks.append((task_id, case_id, document.value, document.label, *common))
                for shape, *values, extra in attempt_values:
                    attempts[shape].append((self.next_attempt, task_id, *values, *extra))
                    self.next_attempt += 1

    def _status(self, steps: list[_Step]) -> tuple[TaskState, str, str | None]:
        """The task's state, method and service date, as ``derive_status`` gives them.

        Worked out from the effects already known for each step (a test checks
        every demo task against ``derive_status``).
        """
        if not steps:
            return TaskState.PENDING, "", None
        as_of = self.as_of
        served = [
            st
            for st in steps
            if st[13] is EffectKind.SERVED
            or (st[13] is EffectKind.PUBLISHING and st[14] is not None and st[14] <= as_of)
        ]
        if served:
            state = TaskState.SERVED
            deciding = min(served, key=lambda st: st[14] or as_of)
        else:
            publishing = [st for st in steps if st[13] is EffectKind.PUBLISHING]
            pending = [st for st in steps if st[13] is EffectKind.PENDING]
            if publishing:
                state, deciding = TaskState.PUBLIC_NOTICE, publishing[-1]
            elif pending:
                state, deciding = TaskState.IN_PROGRESS, pending[-1]
            else:
                state, deciding = TaskState.FAILED, steps[-1]
        keep_date = state in (TaskState.SERVED, TaskState.PUBLIC_NOTICE)
        day = deciding[14].isoformat() if keep_date and deciding[14] else None
        return state, deciding[0].value, day

    # -------------------------------------------------------------- one party's envelope
    def _serve(
        self,
        filed: date,
        limit: date,
        *,
        must_succeed: bool,
        consent: bool,
        confirmed: bool,
        summary: bool,
        organisation: bool,
        detained: bool,
        name: str,
    ) -> list[_Step]:
        """What the centre did for one party, cut off at ``limit`` (today, or the closing day).

        ``must_succeed``: the case is closed, so its documents were served by then.
        Each step carries its legal effect (section 4), worked out as it is made.
        """
        rnd = self.rng.random
        start = filed + timedelta(days=1 + int(rnd() * 6))  # the centre takes a few days
        if must_succeed:
            start = min(start, limit)
        elif start > limit:
            return []

        def later(day: date, low: int, high: int) -> date:
            moved = day + timedelta(days=low + int(rnd() * (high - low + 1)))
            return min(moved, limit) if must_succeed else moved

        receiver, relation = self._receiver(name, organisation)
        if consent and rnd() < 0.92:
            sent = datetime.combine(start, time(8 + int(rnd() * 10), int(rnd() * 60)))
            channel = CHANNELS[int(rnd() * len(CHANNELS))]
            return [
                _step(M.ELECTRONIC, R.DELIVERED, start, sent_at=sent, channel=channel, served=start)
            ]
        if detained:
            back = later(start, 1, 4)
            if back > limit:
                return [_step(M.FORWARDED, R.IN_TRANSIT, start, agency=DETENTION)]
            return [
                _step(
                    M.FORWARDED,
                    R.DELIVERED,
                    start,
                    result=back,
                    receiver=name,
                    relation="本人",
                    agency=DETENTION,
                    served=back,
                )
            ]
        steps: list[_Step] = []
        roll = rnd()
        if roll < 0.27:
            outcome = rnd()
            if must_succeed or outcome < 0.84:
                return [
                    _step(
                        M.DIRECT,
                        R.DELIVERED,
                        start,
                        receiver=receiver,
                        relation=relation,
                        served=start,
                    )
                ]
            if outcome < 0.9:
                witness, _ = self._receiver("", False)
                return [
                    _step(M.DIRECT, R.REFUSED, start),
                    _step(
                        M.LEFT, R.DELIVERED, start, witnesses=f"社区工作人员{witness}", served=start
                    ),
                ]
            steps.append(_step(M.DIRECT, R.NOT_FOUND, start))
            start = later(start, 3, 8)
            if start > limit:
                return steps
        method = M.POST if roll > 0.9 else M.COURT_EXPRESS
        waybill = f"11{int(rnd() * 10**11):011d}"
        back = later(start, 2, 6)
        if back > limit:
            return [*steps, _step(method, R.IN_TRANSIT, start, waybill=waybill)]
        outcome = rnd()
        if must_succeed or outcome < 0.88:
            return [
                *steps,
                _step(
                    method,
                    R.DELIVERED,
                    start,
                    result=back,
                    waybill=waybill,
                    receiver=receiver,
                    relation=relation,
                    served=back,
                ),
            ]
        if outcome < 0.91:
            return [
                *steps,
                _step(method, R.REFUSED, start, result=back, waybill=waybill, served=back),
            ]
        reason = RETURN_REASONS[int(rnd() * len(RETURN_REASONS))]
        deemed = confirmed and reason.party_is_answerable  # the party's own address: served
        steps.append(
            _step(
                method,
                R.RETURNED,
                start,
                result=back,
                waybill=waybill,
                reason=reason,
                served=back if deemed else None,
            )
        )
        if deemed:
            return steps
        visit = later(back, 2, 7)
        if visit > limit:
            return steps
        if rnd() < 0.5:
            return [
                *steps,
                _step(
                    M.DIRECT, R.DELIVERED, visit, receiver=receiver, relation=relation, served=visit
                ),
            ]
        steps.append(_step(M.DIRECT, R.NOT_FOUND, visit))
        published = later(visit, 5, 15)
        if summary or published > limit:
            return steps  # summary cases wait for conversion; others for the notice
        place = NOTICE_PLACES[int(rnd() * len(NOTICE_PLACES))]
        end = public_notice_end(published, False, self.calendar)
        return [*steps, _step(M.PUBLIC_NOTICE, R.PUBLISHED, published, place=place, publishing=end)]

    def _receiver(self, name: str, organisation: bool) -> tuple[str, str]:
        rnd = self.rng.random
        surname = "王李张刘陈杨赵黄"[int(rnd() * 8)]
        if organisation:
            return surname + ("丽", "静", "伟", "强", "敏")[
                int(rnd() * 5)
            ], "负责收件的人（办公室、收发室）"
        if name and rnd() < 0.8:
            return name, "本人"
        return surname + ("秀英", "桂兰", "建国", "志强", "丽华")[int(rnd() * 5)], "同住成年家属"


# One attempt as the generator builds it: (method, outcome, attempt_date, result_date,
# sent_at, receiver, relation, witnesses, channel, waybill, reason, agency, place,
# effect, service_date) — plain tuples, because a million cases make millions of them.
_Step = tuple[
    ServiceMethod,
    Outcome,
    date,
    date | None,
    datetime | None,
    str,
    str,
    str,
    str,
    str,
    ReturnReason | None,
    str,
    str,
    EffectKind,
    date | None,
]


def _shape(st: _Step) -> str:
    method = st[0]
    if method is ServiceMethod.ELECTRONIC:
        return "electronic"
    if method.is_postal:
        return "postal"
    if method is ServiceMethod.FORWARDED:
        return "forwarded"
    if method is ServiceMethod.PUBLIC_NOTICE:
        return "notice"
    return "person" if st[5] or st[7] else "plain"


def _particulars(st: _Step) -> tuple[Any, ...]:
    """The values of the step's shape's extra columns (ATTEMPT_SHAPES), in order."""
    shape = _shape(st)
    if shape == "electronic":
        return (st[4].isoformat(timespec="minutes") if st[4] else None, st[8])
    if shape == "person":
        return (st[5], st[6], st[7])
    result = st[3].isoformat() if st[3] else None
    if shape == "postal":
        return (result, st[9], st[5], st[6], st[10].value if st[10] else "")
    if shape == "forwarded":
        return (result, st[5], st[6], st[11])
    if shape == "notice":
        return (st[12],)
    return ()


def _step(
    method: ServiceMethod,
    outcome: Outcome,
    day: date,
    *,
    result: date | None = None,
    sent_at: datetime | None = None,
    receiver: str = "",
    relation: str = "",
    witnesses: str = "",
    channel: str = "",
    waybill: str = "",
    reason: ReturnReason | None = None,
    agency: str = "",
    place: str = "",
    served: date | None = None,
    publishing: date | None = None,
) -> _Step:
    if served is not None:
        effect, when = EffectKind.SERVED, served
    elif publishing is not None:
        effect, when = EffectKind.PUBLISHING, publishing
    elif outcome is Outcome.IN_TRANSIT:
        effect, when = EffectKind.PENDING, None
    else:
        effect, when = EffectKind.FAILED, None
    return (
        method,
        outcome,
        day,
        result,
        sent_at,
        receiver,
        relation,
        witnesses,
        channel,
        waybill,
        reason,
        agency,
        place,
        effect,
        when,
    )
