"""Version 61: the audit trail is append-only, and its head is kept apart.

Triggers refuse UPDATE and DELETE on ``audit_log`` from any program, so a slip
with a database tool cannot rewrite history by accident; someone determined can
drop the triggers, and then the hash chain (checked by ``courtdesk check``) shows
where. ``audit_head`` holds the last row's id and hash and the number of rows,
kept by an insert trigger, so removing rows from the end of the chain (which
leaves an intact, shorter chain) is detected too.
"""

from __future__ import annotations

import sqlite3

GENESIS_HASH = "0" * 64

STATEMENTS = (
    """
    CREATE TABLE audit_head (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        last_id   INTEGER NOT NULL,
        last_hash TEXT NOT NULL,
        row_count INTEGER NOT NULL
    )
    """,
    f"""
    INSERT INTO audit_head (singleton, last_id, last_hash, row_count)
    SELECT 1, coalesce(max(id), 0),
           coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '{GENESIS_HASH}'),
           count(*)
    FROM audit_log
    """,
    """
    CREATE TRIGGER audit_log_head AFTER INSERT ON audit_log
    BEGIN
        UPDATE audit_head SET last_id = NEW.id, last_hash = NEW.hash, row_count = row_count + 1;
    END
    """,
    """
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN
        SELECT RAISE(ABORT, 'audit_log rows cannot be changed');
    END
    """,
    """
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN
        SELECT RAISE(ABORT, 'audit_log rows cannot be deleted');
    END
    """,
)


def upgrade(conn: sqlite3.Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
