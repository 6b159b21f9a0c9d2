"""Version 63: an index over the cases heard in private (不公开审理).

The docket hides private cases from everyone but the people assigned and their
chiefs. Private cases are few, so the hidden ones are found through this small
partial index (it covers every column the visibility rule looks at) and the
docket's sorted index walks stay covering and fast at any size.
"""

from __future__ import annotations

import sqlite3


def upgrade(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE INDEX cases_private ON cases(division_id, presiding_judge_id, clerk_id, created_by)"
        " WHERE is_private = 1"
    )
