"""Version 62: the record of every backup made, verified and where it went.

One row per backup copy (daily, on exit, by hand, or the safety copy taken before
a restore): when, which file, its size, and the audit chain's length and head
hash at that moment, so a later restore can say how far back it goes and an
audit trail cut short after the backup can be compared against it.
"""

from __future__ import annotations

import sqlite3

STATEMENTS = (
    """
    CREATE TABLE backups (
        id         INTEGER PRIMARY KEY,
        at         TEXT NOT NULL,
        kind       TEXT NOT NULL CHECK (kind IN ('daily', 'exit', 'manual', 'safety')),
        path       TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        audit_rows INTEGER NOT NULL,
        audit_hash TEXT NOT NULL,
        username   TEXT NOT NULL
    )
    """,
    "CREATE INDEX backups_kind_at ON backups(kind, at)",
)


def upgrade(conn: sqlite3.Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
