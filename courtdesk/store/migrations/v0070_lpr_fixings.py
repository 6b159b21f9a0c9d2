"""Version 70: one-year LPR fixings the court enters after the shipped table (民间借贷).

``lpr_fixings`` holds each fixing an administrator entered: the day it is in force
from, the rate in hundredths of a percent (3.45 % → 345, exact, no floats), and who
entered it when. The shipped table (resources/data/lpr.json) is not copied in; a
court entry for a shipped day replaces it.
"""

from __future__ import annotations

import sqlite3

STATEMENTS = (
    """
    CREATE TABLE lpr_fixings (
        day        TEXT PRIMARY KEY,                        -- ISO date, in force from
        rate_bp    INTEGER NOT NULL CHECK (rate_bp > 0),    -- 3.45 % → 345
        entered_by TEXT NOT NULL,
        entered_at TEXT NOT NULL
    ) WITHOUT ROWID
    """,
)


def upgrade(conn: sqlite3.Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
