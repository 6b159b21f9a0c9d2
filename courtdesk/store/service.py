"""Service of process: address confirmations, tasks and attempts; the desk's queries.

The desk filters and sorts in SQL on stored, derived columns (``state``,
``is_open``, ``method``, ``due_date``), each with an index ending in ``id``; a page
is a covering-index subquery of ids joined for display afterwards, as the docket
does, so a queue of millions of tasks opens as fast as one of a hundred.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple

from courtdesk.domain.service import (
    METHOD_BY_CODE,
    OUTCOME_BY_CODE,
    REASON_BY_CODE,
    Attempt,
)
from courtdesk.store.records import SQLITE_INTEGERS

TASK_COLUMNS = (
    "case_id",
    "document",
    "title",
    "copies",
    "party_id",
    "agent_id",
    "recipient_name",
    "recipient_role",
    "address",
    "phone",
    "address_confirmed",
    "origin",
    "hearing_id",
    "hearing_start",
    "blocks_hearing",
    "due_date",
    "state",
    "is_open",
    "method",
    "service_date",
    "assignee_id",
    "created_on",
    "created_at",
    "created_by",
    "updated_at",
)
ATTEMPT_COLUMNS = (
    "task_id",
    "method",
    "outcome",
    "attempt_date",
    "result_date",
    "sent_at",
    "staff_id",
    "receiver_name",
    "receiver_relation",
    "witnesses",
    "record_media",
    "channel",
    "waybill",
    "returned_reason",
    "other_agency",
    "posted_where",
    "abroad",
    "whereabouts_unknown",
    "notes",
    "effect",
    "service_date",
    "recorded_at",
    "recorded_by",
)
ADDRESS_COLUMNS = (
    "case_id",
    "party_id",
    "address",
    "postcode",
    "recipient",
    "phone",
    "electronic_consent",
    "electronic_address",
    "confirmed_on",
    "created_at",
    "created_by",
)


def _insert(
    conn: sqlite3.Connection, table: str, columns: Sequence[str], values: Mapping[str, Any]
) -> int:
    cursor = conn.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        tuple(values[c] for c in columns),
    )
    return int(cursor.lastrowid or 0)


# ---------------------------------------------------------------------- running totals
# The centre's figures come from totals kept beside the rows (v0041): every function
# here that adds a task or attempt or changes its state or effect moves them, in the
# same transaction. Demo data adds its own totals in bulk (add_task_totals).
def _days(created_on: str, state: str, service_date: str | None) -> int:
    if state != "served" or not service_date:
        return 0
    return (date.fromisoformat(service_date) - date.fromisoformat(created_on)).days


def add_task_totals(
    conn: sqlite3.Connection, rows: Iterable[tuple[str, str, str, int, int]]
) -> None:
    """Add (month, state, method, tasks, days) to the task totals (negative to take away)."""
    conn.executemany(
        "INSERT INTO service_task_stats (month, state, method, tasks, days) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (month, state, method) DO UPDATE"
        " SET tasks = tasks + excluded.tasks, days = days + excluded.days",
        rows,
    )


def add_attempt_totals(conn: sqlite3.Connection, rows: Iterable[tuple[str, str, str, int]]) -> None:
    """Add (month, method, effect, attempts) to the attempt totals."""
    conn.executemany(
        "INSERT INTO service_attempt_stats (month, method, effect, attempts) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (month, method, effect) DO UPDATE SET attempts = attempts + excluded.attempts",
        rows,
    )


RowLike = Mapping[str, Any] | sqlite3.Row


def _task_total(row: RowLike, sign: int) -> tuple[str, str, str, int, int]:
    created = str(row["created_on"])
    state = str(row["state"])
    return (
        created[:7],
        state,
        str(row["method"]),
        sign,
        sign * _days(created, state, row["service_date"]),
    )


def task_state_changed(conn: sqlite3.Connection, before: RowLike, after: RowLike) -> None:
    """Move the totals for a task whose state, method or service date changed."""
    add_task_totals(conn, [_task_total(before, -1), _task_total(after, 1)])


def attempt_effect_changed(conn: sqlite3.Connection, before: RowLike, after: RowLike) -> None:
    add_attempt_totals(
        conn,
        [
            (str(before["attempt_date"])[:7], str(before["method"]), str(before["effect"]), -1),
            (str(after["attempt_date"])[:7], str(after["method"]), str(after["effect"]), 1),
        ],
    )


# ---------------------------------------------------------------------- tasks
def insert_task(conn: sqlite3.Connection, values: Mapping[str, Any]) -> int:
    task_id = _insert(conn, "service_tasks", TASK_COLUMNS, values)
    add_task_totals(conn, [_task_total(values, 1)])
    return task_id


TASK_DETAIL_SQL = """
SELECT t.*, c.case_number, c.cause, c.procedure, c.type_code, c.category, c.status AS case_status,
       c.judge_name, c.presiding_judge_id, d.name AS division_name,
       u.display_name AS assignee_name, p.kind AS party_kind, p.role AS party_role
FROM service_tasks t
JOIN cases c ON c.id = t.case_id
LEFT JOIN divisions d ON d.id = c.division_id
LEFT JOIN users u ON u.id = t.assignee_id
LEFT JOIN parties p ON p.id = t.party_id
"""


def task_row(conn: sqlite3.Connection, task_id: int) -> sqlite3.Row | None:
    if task_id not in SQLITE_INTEGERS:  # a scanned code can name a number no row has
        return None
    row: sqlite3.Row | None = conn.execute(
        TASK_DETAIL_SQL + " WHERE t.id = ?", (task_id,)
    ).fetchone()
    return row


def task_rows_for_case(conn: sqlite3.Connection, case_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        TASK_DETAIL_SQL + " WHERE t.case_id = ? ORDER BY t.id", (case_id,)
    ).fetchall()


class CaseTask(NamedTuple):
    """A task as the case's own service tab lists it, with its latest attempt (the
    ``last_*`` fields, all None when no attempt was made)."""

    id: int
    party_id: int | None
    agent_id: int | None
    document: str
    title: str
    recipient_name: str
    recipient_role: str
    address: str
    state: str
    method: str
    due_date: str
    service_date: str | None
    basis: str
    blocks_hearing: int
    version: int
    last_attempt_date: str | None
    last_method: str | None
    last_outcome: str | None
    last_receiver_name: str | None
    last_receiver_relation: str | None
    last_waybill: str | None
    last_result_date: str | None
    last_returned_reason: str | None
    last_channel: str | None
    last_witnesses: str | None
    last_record_media: str | None
    last_other_agency: str | None
    last_posted_where: str | None
    last_staff_name: str | None


_TASK_FIELDS = [f for f in CaseTask._fields if not f.startswith("last_")]
_CASE_TASKS_SQL = (
    "SELECT "
    + ", ".join(f"t.{f}" for f in _TASK_FIELDS)
    + ", "
    + ", ".join(f"a.{f.removeprefix('last_')}" for f in CaseTask._fields[len(_TASK_FIELDS) : -1])
    + ", s.display_name FROM service_tasks t"
    " LEFT JOIN service_attempts a"
    " ON a.id = (SELECT max(id) FROM service_attempts WHERE task_id = t.id)"
    " LEFT JOIN users s ON s.id = a.staff_id"
    " WHERE t.case_id = ? ORDER BY t.id"
)


def case_tasks(conn: sqlite3.Connection, case_id: int) -> list[CaseTask]:
    """A case's tasks with their latest attempts, for the case's own service tab.

    It lists each task with its stored state and basis and its latest attempt, so the
    other attempts are not read, nor the case, division and party columns
    ``task_rows_for_case`` joins (the same on every row). Named tuples, not
    ``sqlite3.Row``: a Row finds a column by comparing its name with each column's in
    turn, which for a row this wide cost more than the rest of listing the task.
    """
    cursor = conn.cursor()
    cursor.row_factory = None
    return [CaseTask._make(r) for r in cursor.execute(_CASE_TASKS_SQL, (case_id,))]


def task_states_for_case(conn: sqlite3.Connection, case_id: int) -> list[tuple[int, str]]:
    """(party_id, state) of the case's tasks addressed to a party: all the outlook needs."""
    return [
        (int(party_id), str(state))
        for party_id, state in conn.execute(
            "SELECT party_id, state FROM service_tasks WHERE case_id = ? AND party_id IS NOT NULL",
            (case_id,),
        )
    ]


def task_rows_for_hearing(conn: sqlite3.Connection, hearing_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT * FROM service_tasks WHERE hearing_id = ? ORDER BY id", (hearing_id,)
    ).fetchall()


def task_rows_by_ids(conn: sqlite3.Connection, task_ids: Sequence[int]) -> list[sqlite3.Row]:
    rows: list[sqlite3.Row] = []
    for chunk in _chunks(task_ids):
        rows += conn.execute(
            TASK_DETAIL_SQL + f" WHERE t.id IN ({','.join('?' * len(chunk))})", tuple(chunk)
        ).fetchall()
    order = {task_id: n for n, task_id in enumerate(task_ids)}
    return sorted(rows, key=lambda r: order[int(r["id"])])


def unattempted_tasks_of_party(
    conn: sqlite3.Connection, case_id: int, party_id: int
) -> list[sqlite3.Row]:
    """The party's tasks nobody has tried to serve yet (their address may still change)."""
    return conn.execute(
        "SELECT t.* FROM service_tasks t WHERE t.case_id = ? AND t.party_id = ?"
        " AND t.state = 'pending'"
        " AND NOT EXISTS (SELECT 1 FROM service_attempts a WHERE a.task_id = t.id)",
        (case_id, party_id),
    ).fetchall()


def set_task_status(
    conn: sqlite3.Connection,
    task_id: int,
    *,
    state: str,
    is_open: bool,
    method: str,
    service_date: str | None,
    basis: str,
    stamp: str,
) -> None:
    """Store the status derived from the attempts (and bump the version: the task changed)."""
    before = conn.execute(
        "SELECT created_on, state, method, service_date FROM service_tasks WHERE id = ?",
        (task_id,),
    ).fetchone()
    after = {
        "created_on": before["created_on"],
        "state": state,
        "method": method,
        "service_date": service_date,
    }
    task_state_changed(conn, before, after)
    conn.execute(
        "UPDATE service_tasks SET state = ?, is_open = ?, method = ?, service_date = ?,"
        " basis = ?, updated_at = ?, version = version + 1 WHERE id = ?",
        (state, int(is_open), method, service_date, basis, stamp, task_id),
    )


def public_notices_due(conn: sqlite3.Connection, today: date) -> list[int]:
    """Tasks in 公告中 whose 公告 period has run by ``today``."""
    return [
        int(r[0])
        for r in conn.execute(
            "SELECT id FROM service_tasks WHERE state = 'public_notice' AND service_date <= ?",
            (today.isoformat(),),
        )
    ]


def public_notice_tasks(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Tasks a 公告 served or is serving, oldest first.

    Read through the partial index service_tasks_public_notice, named: with an ORDER BY
    id the planner walked the whole table instead (seconds at a million cases).
    """
    rows = conn.execute(
        "SELECT * FROM service_tasks INDEXED BY service_tasks_public_notice"
        " WHERE method = 'public_notice' OR state = 'public_notice'"
    ).fetchall()
    return sorted(rows, key=lambda r: int(r["id"]))


def has_public_notices_due(conn: sqlite3.Connection, today: date) -> bool:
    # Answered from service_tasks_public_notice (state, service_date) alone.
    row = conn.execute(
        "SELECT 1 FROM service_tasks WHERE state = 'public_notice' AND service_date <= ? LIMIT 1",
        (today.isoformat(),),
    ).fetchone()
    return row is not None


# ---------------------------------------------------------------------- attempts
def insert_attempt(conn: sqlite3.Connection, values: Mapping[str, Any]) -> int:
    attempt_id = _insert(conn, "service_attempts", ATTEMPT_COLUMNS, values)
    month = str(values["attempt_date"])[:7]
    add_attempt_totals(conn, [(month, str(values["method"]), str(values["effect"]), 1)])
    return attempt_id


def attempt_from_row(row: sqlite3.Row) -> Attempt:
    """An attempt as the rules see it, from its stored row."""
    result_date, sent_at, reason = row["result_date"], row["sent_at"], row["returned_reason"]
    return Attempt(
        method=METHOD_BY_CODE[row["method"]],
        outcome=OUTCOME_BY_CODE[row["outcome"]],
        attempt_date=date.fromisoformat(row["attempt_date"]),
        result_date=date.fromisoformat(result_date) if result_date else None,
        sent_at=datetime.fromisoformat(sent_at) if sent_at else None,
        receiver_name=row["receiver_name"],
        receiver_relation=row["receiver_relation"],
        witnesses=row["witnesses"],
        record_media=row["record_media"],
        channel=row["channel"],
        waybill=row["waybill"],
        returned_reason=REASON_BY_CODE[reason] if reason else None,
        other_agency=row["other_agency"],
        posted_where=row["posted_where"],
        abroad=bool(row["abroad"]),
        whereabouts_unknown=bool(row["whereabouts_unknown"]),
        notes=row["notes"],
    )


ATTEMPT_SQL = """
SELECT a.*, s.display_name AS staff_name FROM service_attempts a
LEFT JOIN users s ON s.id = a.staff_id
"""


def attempt_rows(conn: sqlite3.Connection, task_ids: Sequence[int]) -> list[sqlite3.Row]:
    """Attempts of the given tasks, oldest first within each task."""
    rows: list[sqlite3.Row] = []
    for chunk in _chunks(task_ids):
        rows += conn.execute(
            ATTEMPT_SQL + f" WHERE a.task_id IN ({','.join('?' * len(chunk))})"
            " ORDER BY a.task_id, a.id",
            tuple(chunk),
        ).fetchall()
    return rows


def attempt_row(conn: sqlite3.Connection, attempt_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        ATTEMPT_SQL + " WHERE a.id = ?", (attempt_id,)
    ).fetchone()
    return row


def attempts_by_waybill(conn: sqlite3.Connection, waybill: str) -> list[sqlite3.Row]:
    return conn.execute(ATTEMPT_SQL + " WHERE a.waybill = ? ORDER BY a.id", (waybill,)).fetchall()


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


# ---------------------------------------------------------------------- addresses
def address_rows_for_case(conn: sqlite3.Connection, case_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT * FROM service_addresses WHERE case_id = ? ORDER BY party_id", (case_id,)
    ).fetchall()


def address_row(conn: sqlite3.Connection, party_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM service_addresses WHERE party_id = ?", (party_id,)
    ).fetchone()
    return row


def insert_address(conn: sqlite3.Connection, values: Mapping[str, Any]) -> int:
    return _insert(conn, "service_addresses", ADDRESS_COLUMNS, values)


# ---------------------------------------------------------------------- the desk
class TaskSort(StrEnum):
    DUE = "due"
    CREATED = "created"


@dataclass(frozen=True)
class TaskFilter:
    """What the desk shows. Empty values mean "any"."""

    states: tuple[str, ...] = ()
    open_only: bool = False
    methods: tuple[str, ...] = ()  # the task's method ('' = none tried yet)
    due_before: date | None = None  # due_date < this (overdue: today)
    due_until: date | None = None  # due_date <= this
    division_id: int | None = None
    judge_id: int | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    case_id: int | None = None
    blocks_hearing: bool = False


@dataclass(frozen=True)
class TaskListRow:
    id: int
    case_id: int
    case_number: str
    document: str
    title: str
    recipient_name: str
    recipient_role: str
    address: str
    address_confirmed: bool
    state: str
    method: str
    due_date: str
    service_date: str | None
    judge_name: str
    division_name: str | None
    assignee_name: str | None
    blocks_hearing: bool
    hearing_start: str | None
    version: int


def _where(flt: TaskFilter, with_states: bool = True) -> tuple[list[str], list[Any], bool]:
    """SQL conditions, their parameters, and whether the cases table must be joined."""
    clauses: list[str] = []
    params: list[Any] = []
    if flt.open_only:
        clauses.append("t.is_open = 1")
    if with_states and flt.states:
        clauses.append(f"t.state IN ({','.join('?' * len(flt.states))})")
        params += flt.states
    if flt.methods:
        clauses.append(f"t.method IN ({','.join('?' * len(flt.methods))})")
        params += flt.methods
    if flt.due_before is not None:
        clauses.append("t.due_date < ?")
        params.append(flt.due_before.isoformat())
    if flt.due_until is not None:
        clauses.append("t.due_date <= ?")
        params.append(flt.due_until.isoformat())
    if flt.assignee_id is not None:
        clauses.append("t.assignee_id = ?")
        params.append(flt.assignee_id)
    elif flt.unassigned:
        clauses.append("t.assignee_id IS NULL")
    if flt.case_id is not None:
        clauses.append("t.case_id = ?")
        params.append(flt.case_id)
    if flt.blocks_hearing:
        clauses.append("t.blocks_hearing = 1")
    join = False
    if flt.division_id is not None:
        clauses.append("c.division_id = ?")
        params.append(flt.division_id)
        join = True
    if flt.judge_id is not None:
        clauses.append("c.presiding_judge_id = ?")
        params.append(flt.judge_id)
        join = True
    return clauses, params, join


def _from(join: bool) -> str:
    return "service_tasks t JOIN cases c ON c.id = t.case_id" if join else "service_tasks t"


def count_tasks(conn: sqlite3.Connection, flt: TaskFilter) -> int:
    clauses, params, join = _where(flt)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return int(conn.execute(f"SELECT count(*) FROM {_from(join)}{where}", params).fetchone()[0])


def counts_by_state(conn: sqlite3.Connection, flt: TaskFilter) -> dict[str, int]:
    """How many tasks match the filter in each state (the filter's own states ignored)."""
    clauses, params, join = _where(flt, with_states=False)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = conn.execute(
        f"SELECT t.state, count(*) FROM {_from(join)}{where} GROUP BY t.state", params
    ).fetchall()
    return {str(r[0]): int(r[1]) for r in rows}


_ORDER = {TaskSort.DUE: ("due_date",), TaskSort.CREATED: ()}


def page_tasks(
    conn: sqlite3.Connection,
    flt: TaskFilter,
    sort: TaskSort,
    descending: bool,
    offset: int,
    limit: int,
) -> list[TaskListRow]:
    clauses, params, join = _where(flt)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    direction = "DESC" if descending else "ASC"
    order = ", ".join(f"t.{col} {direction}" for col in (*_ORDER[sort], "id"))
    ids_sql = f"SELECT t.id FROM {_from(join)}{where} ORDER BY {order} LIMIT ? OFFSET ?"
    sql = (
        "SELECT t.id, t.case_id, c.case_number, t.document, t.title, t.recipient_name,"
        " t.recipient_role, t.address, t.address_confirmed, t.state, t.method, t.due_date,"
        " t.service_date, c.judge_name, d.name, u.display_name, t.blocks_hearing,"
        " t.hearing_start, t.version"
        f" FROM ({ids_sql}) AS p JOIN service_tasks t ON t.id = p.id"
        " JOIN cases c ON c.id = t.case_id LEFT JOIN divisions d ON d.id = c.division_id"
        f" LEFT JOIN users u ON u.id = t.assignee_id ORDER BY {order}"
    )
    rows = conn.execute(sql, [*params, limit, offset]).fetchall()
    return [
        TaskListRow(
            id=r[0],
            case_id=r[1],
            case_number=r[2],
            document=r[3],
            title=r[4],
            recipient_name=r[5],
            recipient_role=r[6],
            address=r[7],
            address_confirmed=bool(r[8]),
            state=r[9],
            method=r[10],
            due_date=r[11],
            service_date=r[12],
            judge_name=r[13],
            division_name=r[14],
            assignee_name=r[15],
            blocks_hearing=bool(r[16]),
            hearing_start=r[17],
            version=r[18],
        )
        for r in rows
    ]


def assign_tasks(
    conn: sqlite3.Connection, task_ids: Sequence[int], assignee_id: int | None, stamp: str
) -> dict[int, int | None]:
    """Set the assignee of every task; returns each changed task's previous assignee."""
    before: dict[int, int | None] = {}
    for chunk in _chunks(task_ids):
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
            f"SELECT id, assignee_id FROM service_tasks WHERE id IN ({marks})", tuple(chunk)
        ):
            if row[1] != assignee_id:
                before[int(row[0])] = row[1]
    changed = list(before)
    for chunk in _chunks(changed):
        marks = ",".join("?" * len(chunk))
        conn.execute(
            f"UPDATE service_tasks SET assignee_id = ?, updated_at = ?, version = version + 1"
            f" WHERE id IN ({marks})",
            (assignee_id, stamp, *chunk),
        )
    return before


# ---------------------------------------------------------------------- figures
def counts_by_state_and_method(
    conn: sqlite3.Connection, since: date | None
) -> list[tuple[str, str, int]]:
    """(state, method, tasks) for tasks created from the month of ``since`` on (the totals)."""
    rows = conn.execute(
        "SELECT state, method, sum(tasks) FROM service_task_stats WHERE month >= ?"
        " GROUP BY state, method HAVING sum(tasks) <> 0",
        (_month(since),),
    ).fetchall()
    return [(str(r[0]), str(r[1]), int(r[2])) for r in rows]


def attempt_effects_by_method(
    conn: sqlite3.Connection, since: date | None
) -> list[tuple[str, str, int]]:
    """(method, effect, attempts) over attempts whose result is known."""
    rows = conn.execute(
        "SELECT method, effect, sum(attempts) FROM service_attempt_stats"
        " WHERE month >= ? AND effect <> 'pending'"
        " GROUP BY method, effect HAVING sum(attempts) <> 0",
        (_month(since),),
    ).fetchall()
    return [(str(r[0]), str(r[1]), int(r[2])) for r in rows]


def average_days_to_service(
    conn: sqlite3.Connection, since: date | None
) -> tuple[float | None, int]:
    row = conn.execute(
        "SELECT sum(days), sum(tasks) FROM service_task_stats WHERE state = 'served' AND month >= ?",
        (_month(since),),
    ).fetchone()
    served = int(row[1] or 0)
    return (int(row[0]) / served if served else None), served


def _month(since: date | None) -> str:
    """The totals are kept by month: a period starts with the month ``since`` falls in."""
    return "" if since is None else since.isoformat()[:7]


def overdue_count(conn: sqlite3.Connection, today: date) -> int:
    row = conn.execute(
        "SELECT count(*) FROM service_tasks WHERE is_open = 1 AND due_date < ?",
        (today.isoformat(),),
    ).fetchone()
    return int(row[0])


def failed_by_procedure(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """Failed tasks (every attempt failed) per case procedure: candidates for 公告."""
    rows = conn.execute(
        "SELECT c.procedure, count(*) FROM service_tasks t JOIN cases c ON c.id = t.case_id"
        " WHERE t.state = 'failed' GROUP BY c.procedure"
    ).fetchall()
    return [(str(r[0]), int(r[1])) for r in rows]


# ---------------------------------------------------------------------- postal list
POSTAL_SQL = """
SELECT a.id AS attempt_id, a.waybill, a.attempt_date, a.method, t.id AS task_id, t.title,
       t.document, t.copies, t.recipient_name, t.address, t.phone, c.case_number
FROM service_attempts a
JOIN service_tasks t ON t.id = a.task_id
JOIN cases c ON c.id = t.case_id
"""


def postal_rows_for_day(conn: sqlite3.Connection, day: date) -> list[sqlite3.Row]:
    """Every item posted on ``day`` (邮寄送达 and 法院专递), in the order they were recorded."""
    return conn.execute(
        POSTAL_SQL + " WHERE a.attempt_date = ? AND a.method IN ('post', 'court_express')"
        " ORDER BY a.id",
        (day.isoformat(),),
    ).fetchall()
