"""Version 41: running totals of service tasks and attempts, month by month.

The centre's figures (tasks by state and method, success per method, days to
service) over millions of rows would take seconds as GROUP BY scans, so the
store keeps them as totals that every change of a task's state or an attempt's
effect moves (``store.service``): ``service_task_stats`` by the month a task was
created, ``service_attempt_stats`` by the month of the attempt. ``days`` is the
sum, over served tasks, of the days from creation to the legal service date.
Existing rows are counted once here. And the day's postal list needs only the
letters, so the index of attempts by day keeps to them.
"""

from __future__ import annotations

import sqlite3

SCHEMA = """
CREATE TABLE service_task_stats (
    month  TEXT NOT NULL,                -- YYYY-MM of created_on
    state  TEXT NOT NULL,
    method TEXT NOT NULL,
    tasks  INTEGER NOT NULL,
    days   INTEGER NOT NULL,
    PRIMARY KEY (month, state, method)
) WITHOUT ROWID;

CREATE TABLE service_attempt_stats (
    month    TEXT NOT NULL,              -- YYYY-MM of attempt_date
    method   TEXT NOT NULL,
    effect   TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    PRIMARY KEY (month, method, effect)
) WITHOUT ROWID;

INSERT INTO service_task_stats (month, state, method, tasks, days)
SELECT substr(created_on, 1, 7), state, method, count(*),
       coalesce(sum(CASE WHEN state = 'served' AND service_date IS NOT NULL
                THEN CAST(julianday(service_date) - julianday(created_on) AS INTEGER) END), 0)
FROM service_tasks GROUP BY 1, 2, 3;

INSERT INTO service_attempt_stats (month, method, effect, attempts)
SELECT substr(attempt_date, 1, 7), method, effect, count(*)
FROM service_attempts GROUP BY 1, 2, 3;

DROP INDEX service_attempts_day;
CREATE INDEX service_attempts_posted ON service_attempts(attempt_date)
    WHERE method IN ('post', 'court_express')
"""


def upgrade(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA.split(";\n"):
        if statement.strip():
            conn.execute(statement)
