"""Version 76: the room index of scheduled hearings carries their end as well.

A conflict check asks for the room's hearings that start before the proposal ends
and end after it starts. With ``(courtroom_id, start_at)`` alone, every hearing of
the room earlier that day had its row read to learn its end: at a million cases,
a dozen scattered pages for an afternoon proposal, most of the check's time when
those pages are not yet in memory. With the end in the index, only the real
clashes are read (and the free-slot finder reads no rows at all).
"""

from __future__ import annotations

import sqlite3

STATEMENTS = (
    "DROP INDEX hearings_room_time",
    "CREATE INDEX hearings_room_time ON hearings(courtroom_id, start_at, end_at)"
    " WHERE status = 'scheduled'",
)


def upgrade(conn: sqlite3.Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
