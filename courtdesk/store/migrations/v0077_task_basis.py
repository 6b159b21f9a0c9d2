"""Version 77: each service task keeps the basis of its state beside the state.

A task's state, method and service date are already derived from its attempts when
an attempt is recorded (or a 公告 period runs) and stored, for the desk's filters.
Its basis, the sentence saying why (「邮寄送达：以回执上注明的收件日期为送达日期」),
was derived again each time a case's service tab listed the task: every attempt of
every task turned into objects and run through the rules, most of the time it took
to open a case at a million cases. Stored with the state, it is written by the same
code that writes the state, so the two cannot disagree.

A 公告's period ends by the court's calendar, so entering a year's holidays can move
the day it serves on (and ends the 「仅按周末计算」 warning in its basis): the tasks a
公告 served or is serving are derived again then, found by a small partial index.
The same index answers the question every read of the service desk asks first
(is a 公告 due to be settled?) without reading a row.

Existing tasks get theirs here: a task nobody tried has the column's default, a
withdrawn one its reason, every other one what the rules derive from its attempts.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from courtdesk.domain.service import NOT_YET_TRIED, Attempt, derive_status, withdrawn_basis
from courtdesk.store.holidays import court_calendar
from courtdesk.store.service import attempt_from_row

# Tasks read per pass: their attempts are held in memory while their bases are written.
BATCH = 20_000


def upgrade(conn: sqlite3.Connection) -> None:
    conn.execute(
        f"ALTER TABLE service_tasks ADD COLUMN basis TEXT NOT NULL DEFAULT '{NOT_YET_TRIED}'"
    )
    conn.execute(
        "CREATE INDEX service_tasks_public_notice ON service_tasks(state, service_date)"
        " WHERE method = 'public_notice' OR state = 'public_notice'"
    )
    conn.executemany(
        "UPDATE service_tasks SET basis = ? WHERE id = ?",
        [
            (withdrawn_basis(reason), task_id)
            for task_id, reason in conn.execute(
                "SELECT id, withdrawn_reason FROM service_tasks WHERE state = 'withdrawn'"
            )
        ],
    )
    calendar = court_calendar(conn)
    today = date.today()
    highest = conn.execute("SELECT coalesce(max(id), 0) FROM service_tasks").fetchone()[0]
    for first in range(1, highest + 1, BATCH):
        attempts: dict[int, tuple[bool, list[Attempt]]] = {}
        for row in conn.execute(
            "SELECT a.*, t.address_confirmed AS task_address_confirmed FROM service_attempts a"
            " JOIN service_tasks t ON t.id = a.task_id"
            " WHERE a.task_id >= ? AND a.task_id < ? AND t.state != 'withdrawn'"
            " ORDER BY a.task_id, a.id",
            (first, first + BATCH),
        ).fetchall():
            entry = attempts.setdefault(row["task_id"], (bool(row["task_address_confirmed"]), []))
            entry[1].append(attempt_from_row(row))
        conn.executemany(
            "UPDATE service_tasks SET basis = ? WHERE id = ?",
            [
                (derive_status(made, confirmed, today, calendar).basis, task_id)
                for task_id, (confirmed, made) in attempts.items()
            ],
        )
