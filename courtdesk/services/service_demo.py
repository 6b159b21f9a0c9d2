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
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from courtdesk.domain.case_types import Category, default_catalog
from courtdesk.domain.holidays import HolidayCalendar
from courtdesk.domain.service import (
    NO_PUBLIC_NOTICE_PROCEDURES,
    NOT_YET_TRIED,
    Attempt,
    DocumentKind,
    EffectKind,
    Outcome,
    ReturnReason,
    ServiceMethod,
    TaskState,
    attempt_effect,
    hearing_document,
    hearing_due_date,
    public_notice_end,
    registration_documents,
)
from courtdesk.services import audit
from courtdesk.services.holidays import calendar_for
from courtdesk.services.service import REGISTRATION_DUE_DAYS, setting_int
from courtdesk.services.service_events import hearing_title
from courtdesk.services.workspace import SYSTEM
from courtdesk.store import bulk, court
from courtdesk.store import service as store
from courtdesk.store.hearings import HEARING_COLUMNS, place_label

M = ServiceMethod
R = Outcome
CLOSED_STATUSES = ("closed", "archived")
CHANNELS = ("手机短信", "诉讼服务平台", "电子邮件")
DETENTION = "长春市看守所"
COURTS = (
    "吉林省吉林市船营区人民法院",
    "吉林省四平市铁西区人民法院",
    "黑龙江省哈尔滨市南岗区人民法院",
)
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
# ... and in services.demo_hearings' hearing rows (id, then store.hearings.HEARING_COLUMNS).
_H = {name: index for index, name in enumerate(("id", *HEARING_COLUMNS))}
_H_ID, _H_CASE, _H_KIND, _H_MODE = _H["id"], _H["case_id"], _H["kind"], _H["mode"]
_H_ROOM, _H_PLACE, _H_START, _H_STATUS = (
    _H["courtroom_id"],
    _H["place"],
    _H["start_at"],
    _H["status"],
)
# Summonses are generated for hearings from this many days before ``as_of`` on: what
# the desk works on. Older hearings' summonses are left out, which keeps a million-case
# demo near the benchmark's four attempts a case.
HEARING_HISTORY_DAYS = 60


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
    "basis",
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


HEARING_TASK_ROW = (*TASK_ROW, "hearing_id", "hearing_start", "blocks_hearing")


@dataclass
class ServiceRows:
    addresses: list[tuple[Any, ...]]
    tasks: list[tuple[Any, ...]]
    hearing_tasks: list[tuple[Any, ...]]
    attempts: dict[str, list[tuple[Any, ...]]]
    # The running totals the figures read (store.service), added up as rows are made.
    task_totals: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)
    attempt_totals: dict[tuple[str, str, str], int] = field(default_factory=dict)

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
        self.rooms = {int(r["id"]): str(r["name"]) for r in court.courtrooms(conn)}
        # The chunk being generated: each case's facts and each party's confirmation,
        # so its hearings' summonses go out the way its 立案 documents did.
        self._cases: dict[int, tuple[bool, bool, bool, date]] = {}
        self._parties: dict[int, tuple[Sequence[Any], bool, bool]] = {}
        self._case_parties: dict[int, list[int]] = {}
        self.tasks = 0
        self.attempts = 0
        self._bases: dict[tuple[Any, ...], str] = {}

    # -------------------------------------------------------------- chunks
    def rows(
        self,
        cases: Sequence[Sequence[Any]],
        parties: Sequence[Sequence[Any]],
        stamp: str,
        hearings: Sequence[Sequence[Any]] = (),
    ) -> ServiceRows:
        """The service rows of one chunk of demo cases (and of their recent hearings)."""
        out = ServiceRows([], [], [], {shape: [] for shape in ATTEMPT_SHAPES})
        by_case: dict[int, list[Sequence[Any]]] = {}
        for party in parties:
            by_case.setdefault(int(party[_P_CASE]), []).append(party)
        self._cases.clear()
        self._parties.clear()
        self._case_parties = {
            case_id: [int(p[_P_ID]) for p in rows] for case_id, rows in by_case.items()
        }
        for case in cases:
            self._case(case, by_case.get(int(case[_CASE_ID]), []), stamp, out)
        for hearing in hearings:
            self._hearing(hearing, stamp, out)
        return out

    def write(self, tx: sqlite3.Connection, rows: ServiceRows) -> None:
        """Insert a chunk's rows (inside the chunk's transaction) with one audit row."""
        bulk.insert_rows(tx, "service_addresses", ADDRESS_ROW, rows.addresses)
        bulk.insert_rows(tx, "service_tasks", TASK_ROW, rows.tasks)
        bulk.insert_rows(tx, "service_tasks", HEARING_TASK_ROW, rows.hearing_tasks)
        for shape, extra in ATTEMPT_SHAPES.items():
            bulk.insert_rows(tx, "service_attempts", (*ATTEMPT_ROW, *extra), rows.attempts[shape])
        store.add_task_totals(tx, [(*key, n, days) for key, (n, days) in rows.task_totals.items()])
        store.add_attempt_totals(tx, [(*key, n) for key, n in rows.attempt_totals.items()])
        self.tasks += len(rows.tasks) + len(rows.hearing_tasks)
        self.attempts += rows.attempt_count
        if rows.tasks or rows.hearing_tasks:
            audit.record(
                tx,
                SYSTEM,
                "demo.service",
                "service_tasks",
                None,
                {
                    "tasks": len(rows.tasks) + len(rows.hearing_tasks),
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
        self._cases[int(case_id)] = (criminal, summary, closed, limit)
        for party in parties:
            role = str(party[_P_ROLE])
            docs = self._docs(type_code, procedure, role)
            phone, address = str(party[_P_PHONE]), str(party[_P_ADDRESS])
            confirmed = consent = False
            if docs and role in claimants and address and rng.random() < 0.85:
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
            self._parties[int(party[_P_ID])] = (party, confirmed, consent)
            if not docs:
                continue
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
            documents = [(d, d.label) for d in docs]
            self._emit(out, case_id, party, confirmed, documents, steps, due, created, stamp, None)

    def _emit(
        self,
        out: ServiceRows,
        case_id: int,
        party: Sequence[Any],
        confirmed: bool,
        documents: list[tuple[DocumentKind, str]],
        steps: list[_Step],
        due: str,
        created: str,
        stamp: str,
        hearing: tuple[int, str] | None,
    ) -> None:
        """The rows of the documents one envelope carried to a party, each with its attempts."""
        staff = self.staff[int(self.rng.random() * len(self.staff))]
        state, method, service_date, basis = self._status(steps, confirmed)
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
            party[_P_ROLE],
            party[_P_ADDRESS],
            party[_P_PHONE],
            int(confirmed),
            "registration" if hearing is None else "hearing",
            due,
            state.value,
            int(state.is_open),
            method,
            service_date,
            basis,
            staff if steps or self.rng.random() < 0.6 else None,
            created,
            stamp,
            stamp,
        )
        attempts = out.attempts
        count = len(documents)
        totals = out.task_totals.setdefault((created[:7], state.value, method), [0, 0])
        totals[0] += count
        if state is TaskState.SERVED and service_date:
            totals[1] += (
                count * (date.fromisoformat(service_date) - date.fromisoformat(created)).days
            )
        for made in attempt_values:  # (shape, method, outcome, date, staff, effect, …)
            key = (made[3][:7], made[1], made[5])
            out.attempt_totals[key] = out.attempt_totals.get(key, 0) + count
        for document, title in documents:
            task_id = self.next_task
            self.next_task += 1
            if hearing is None:
                out.tasks.append((task_id, case_id, document.value, title, *common))
            else:
                out.hearing_tasks.append(
                    (task_id, case_id, document.value, title, *common, *hearing, 1)
                )
            for shape, *values, extra in attempt_values:
                attempts[shape].append((self.next_attempt, task_id, *values, *extra))
                self.next_attempt += 1

    def _hearing(self, hearing: Sequence[Any], stamp: str, out: ServiceRows) -> None:
        """The summonses (and the procuratorate's notice) of a demo hearing, like the handler's."""
        if hearing[_H_STATUS] != "scheduled":
            return  # postponed or cancelled: its summonses were withdrawn (not generated)
        start = datetime.fromisoformat(hearing[_H_START])
        if start.date() < self.as_of - timedelta(days=HEARING_HISTORY_DAYS):
            return
        case_id = int(hearing[_H_CASE])
        facts = self._cases.get(case_id)
        if facts is None:
            return
        criminal, summary, closed, case_limit = facts
        if closed and start.date() > case_limit:
            return  # a hearing after the closing day: its summonses were withdrawn
        place = place_label(
            str(hearing[_H_MODE]), self.rooms.get(hearing[_H_ROOM]), str(hearing[_H_PLACE] or "")
        )
        day = start.date()
        due = hearing_due_date(day)
        held = day <= self.as_of
        # Issued one to three weeks ahead; a hearing already held had its summonses served
        # by three days before it (the scheduling check saw to that).
        issued = day - timedelta(days=7 + int(self.rng.random() * 15))
        limit = min(due, case_limit) if held else self.as_of
        issued = min(issued, limit)
        for party_id in self._case_parties.get(case_id, ()):
            party, confirmed, consent = self._parties[party_id]
            document = hearing_document(str(party[_P_ROLE]))
            steps = self._serve(
                issued,
                limit,
                must_succeed=held,
                consent=consent,
                confirmed=confirmed,
                summary=summary,
                organisation=party[_P_KIND] == "organisation",
                detained=criminal and party[_P_ROLE] == "被告人",
                name=str(party[_P_NAME]),
            )
            title = hearing_title(document, start, place, str(hearing[_H_KIND]))
            self._emit(
                out,
                case_id,
                party,
                confirmed,
                [(document, title)],
                steps,
                due.isoformat(),
                issued.isoformat(),
                stamp,
                (int(hearing[_H_ID]), start.isoformat(timespec="minutes")),
            )

    def _status(
        self, steps: list[_Step], confirmed: bool
    ) -> tuple[TaskState, str, str | None, str]:
        """The task's state, method, service date and basis, as ``derive_status`` gives them.

        Worked out from the effects already known for each step (a test checks
        every demo task against ``derive_status``).
        """
        if not steps:
            return TaskState.PENDING, "", None, NOT_YET_TRIED
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
        return state, deciding[0].value, day, self._basis(deciding, confirmed)

    def _basis(self, step: _Step, confirmed: bool) -> str:
        """The deciding attempt's basis, in ``attempt_effect``'s words.

        Only a 公告's basis names a date; every other one depends on the method, the
        outcome, the return reason and the address's confirmation alone, so each is
        worked out once (a million cases make four million tasks).
        """
        method = step[0]
        day = step[2] if method is ServiceMethod.PUBLIC_NOTICE else None
        key = (method, step[1], step[10], confirmed, day)
        basis = self._bases.get(key)
        if basis is None:
            attempt = Attempt(
                method=method,
                outcome=step[1],
                attempt_date=step[2],
                result_date=step[3],
                sent_at=step[4],
                receiver_name=step[5],
                receiver_relation=step[6],
                witnesses=step[7],
                channel=step[8],
                waybill=step[9],
                returned_reason=step[10],
                other_agency=step[11],
                posted_where=step[12],
            )
            basis = self._bases[key] = attempt_effect(attempt, confirmed, self.calendar).basis
        return basis

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

        Up to three tries by post, in person or through another court; then 公告
        (not in summary procedure). ``must_succeed``: the case is closed, so its
        documents were served by then (at the latest in person at the court on
        the closing day). Each step carries its legal effect (section 4),
        worked out as it is made.
        """
        rnd = self.rng.random
        day = filed + timedelta(days=1 + int(rnd() * 6))  # the centre takes a few days
        if must_succeed:
            day = min(day, limit)
        elif day > limit:
            return []

        def later(start: date, low: int, high: int) -> date:
            return start + timedelta(days=low + int(rnd() * (high - low + 1)))

        receiver, relation = self._receiver(name, organisation)

        def came_to_court() -> _Step:
            """A try that would end after ``limit`` when the case cannot wait: the party
            was served in person at the court by then. (Squeezing the tries up to the
            limit instead gave letters posted, returned and posted again on one day.)"""
            return _step(
                M.DIRECT, R.DELIVERED, limit, receiver=receiver, relation=relation, served=limit
            )

        if consent and rnd() < 0.92:
            sent = datetime.combine(day, time(8 + int(rnd() * 10), int(rnd() * 60)))
            channel = CHANNELS[int(rnd() * len(CHANNELS))]
            return [
                _step(M.ELECTRONIC, R.DELIVERED, day, sent_at=sent, channel=channel, served=day)
            ]
        if detained:
            back = later(day, 1, 4)
            if back > limit and must_succeed:
                back = limit  # handed over at the detention house in time
            elif back > limit:
                return [_step(M.FORWARDED, R.IN_TRANSIT, day, agency=DETENTION)]
            return [
                _step(
                    M.FORWARDED,
                    R.DELIVERED,
                    day,
                    result=back,
                    receiver=name,
                    relation="本人",
                    agency=DETENTION,
                    served=back,
                )
            ]
        steps: list[_Step] = []
        for _ in range(3):
            roll = rnd()
            outcome = rnd()
            if roll < 0.25:  # in person
                if outcome < 0.78:
                    return [
                        *steps,
                        _step(
                            M.DIRECT,
                            R.DELIVERED,
                            day,
                            receiver=receiver,
                            relation=relation,
                            served=day,
                        ),
                    ]
                if outcome < 0.84:
                    witness, _ = self._receiver("", False)
                    return [
                        *steps,
                        _step(M.DIRECT, R.REFUSED, day),
                        _step(
                            M.LEFT, R.DELIVERED, day, witnesses=f"社区工作人员{witness}", served=day
                        ),
                    ]
                steps.append(_step(M.DIRECT, R.NOT_FOUND, day))
                back = day
            elif roll < 0.29:  # through the court where the party lives
                court = COURTS[int(rnd() * len(COURTS))]
                back = later(day, 5, 15)
                if back > limit and must_succeed:
                    return [*steps, came_to_court()]
                if back > limit:
                    return [*steps, _step(M.ENTRUSTED, R.IN_TRANSIT, day, agency=court)]
                if outcome < 0.85:
                    return [
                        *steps,
                        _step(
                            M.ENTRUSTED,
                            R.DELIVERED,
                            day,
                            result=back,
                            receiver=receiver,
                            relation=relation,
                            agency=court,
                            served=back,
                        ),
                    ]
                steps.append(_step(M.ENTRUSTED, R.NOT_FOUND, day, result=back, agency=court))
            else:  # by post: mostly EMS 法院专递
                method = M.POST if roll > 0.92 else M.COURT_EXPRESS
                waybill = f"11{int(rnd() * 10**11):011d}"
                back = later(day, 2, 6)
                if back > limit and must_succeed:
                    return [*steps, came_to_court()]
                if back > limit:
                    return [*steps, _step(method, R.IN_TRANSIT, day, waybill=waybill)]
                if outcome < 0.8:
                    signed = _step(
                        method,
                        R.DELIVERED,
                        day,
                        result=back,
                        waybill=waybill,
                        receiver=receiver,
                        relation=relation,
                        served=back,
                    )
                    return [*steps, signed]
                if outcome < 0.83:
                    refused = _step(
                        method, R.REFUSED, day, result=back, waybill=waybill, served=back
                    )
                    return [*steps, refused]
                reason = RETURN_REASONS[int(rnd() * len(RETURN_REASONS))]
                deemed = confirmed and reason.party_is_answerable  # the party's own address
                steps.append(
                    _step(
                        method,
                        R.RETURNED,
                        day,
                        result=back,
                        waybill=waybill,
                        reason=reason,
                        served=back if deemed else None,
                    )
                )
                if deemed:
                    return steps
            day = later(back, 2, 7)
            if day > limit:
                return [*steps, came_to_court()] if must_succeed else steps
        published = later(day, 3, 10)
        end = public_notice_end(published, False, self.calendar)
        if not summary and published <= limit and (not must_succeed or end <= limit):
            place = NOTICE_PLACES[int(rnd() * len(NOTICE_PLACES))]
            return [
                *steps,
                _step(M.PUBLIC_NOTICE, R.PUBLISHED, published, place=place, publishing=end),
            ]
        if must_succeed:  # the party came to the court before the case closed
            return [*steps, came_to_court()]
        return steps  # summary cases wait for conversion; others for the notice

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
    if method in (ServiceMethod.FORWARDED, ServiceMethod.ENTRUSTED):
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
