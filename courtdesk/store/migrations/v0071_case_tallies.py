"""Version 71: how many cases there are of each type and status, kept as they change.

The docket shows its count with its first page. Counted with ``count(*)`` that is
a walk over an index of every case: a tenth of a second at a million cases, on
every opening of the docket and every change of a type or status filter. These
totals answer the same question from a few hundred rows.

Triggers keep them, so every way a case is inserted, changed or deleted (the
services, imports, the demo's bulk loading) moves them in the same transaction;
nothing in Python has to remember to. ``courtdesk check`` compares them with a
fresh count. Existing cases are counted once here.
"""

from __future__ import annotations

import sqlite3

STATEMENTS = (
    """
    CREATE TABLE case_tallies (
        category  TEXT NOT NULL,
        type_code TEXT NOT NULL,
        status    TEXT NOT NULL,
        cases     INTEGER NOT NULL,
        PRIMARY KEY (category, type_code, status)
    ) WITHOUT ROWID
    """,
    """
    INSERT INTO case_tallies (category, type_code, status, cases)
    SELECT category, type_code, status, count(*) FROM cases GROUP BY 1, 2, 3
    """,
    """
    CREATE TRIGGER case_tallies_insert AFTER INSERT ON cases BEGIN
        INSERT INTO case_tallies (category, type_code, status, cases)
        VALUES (new.category, new.type_code, new.status, 1)
        ON CONFLICT (category, type_code, status) DO UPDATE SET cases = cases + 1;
    END
    """,
    """
    CREATE TRIGGER case_tallies_delete AFTER DELETE ON cases BEGIN
        UPDATE case_tallies SET cases = cases - 1
        WHERE category = old.category AND type_code = old.type_code AND status = old.status;
    END
    """,
    """
    CREATE TRIGGER case_tallies_update AFTER UPDATE OF category, type_code, status ON cases
    WHEN old.category IS NOT new.category OR old.type_code IS NOT new.type_code
        OR old.status IS NOT new.status
    BEGIN
        UPDATE case_tallies SET cases = cases - 1
        WHERE category = old.category AND type_code = old.type_code AND status = old.status;
        INSERT INTO case_tallies (category, type_code, status, cases)
        VALUES (new.category, new.type_code, new.status, 1)
        ON CONFLICT (category, type_code, status) DO UPDATE SET cases = cases + 1;
    END
    """,
)


def upgrade(conn: sqlite3.Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
