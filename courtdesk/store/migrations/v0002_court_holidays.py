"""Version 2: holiday schedules the court enters for years the holiday package does not know.

``court_holidays`` holds each entered day (a holiday or an adjusted working day);
``court_holiday_years`` marks a year as completely entered, so its other weekdays
count as working days without a warning.
"""

from __future__ import annotations

import sqlite3

SCHEMA = """
CREATE TABLE court_holidays (
    day     TEXT PRIMARY KEY,                -- ISO date
    working INTEGER NOT NULL CHECK (working IN (0, 1)),
    name    TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE court_holiday_years (
    year       INTEGER PRIMARY KEY,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL
);
"""


def upgrade(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA.split(";\n"):
        if statement.strip():
            conn.execute(statement)
