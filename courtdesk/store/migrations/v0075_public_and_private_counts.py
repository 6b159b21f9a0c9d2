"""Version 75: the docket counts a reader's cases as public + their own private ones.

Until now a reader's count was (all matches) − (hidden private matches), and the
second term walked every private case of the file (~20,000 of a million) on each
count: 9 ms for the whole docket where the kept totals alone take 1, and as much
again under any filter. A reader sees every public case and only a handful of
private ones (their own as judge, clerk or registrar, their division's, the
unassigned ones at the filing desk, their panels), so it is quicker to count
those few directly:

- ``case_tallies`` keeps its totals per ``is_private`` as well, so the public
  share of a type/status count is read from the totals;
- three small indexes of the private cases by judge, clerk and registrar find a
  reader's own private cases; each carries ``is_private`` only so that the
  planner sees it need not read the case row to test it. A division's private
  cases come from the covering ``cases_private`` index (migration 74), which
  leads with the division.
"""

from __future__ import annotations

import sqlite3

_KEY = "category, type_code, status, is_private"
_MATCH = (
    "category = old.category AND type_code = old.type_code AND status = old.status"
    " AND is_private = old.is_private"
)

STATEMENTS = (
    "DROP TRIGGER case_tallies_insert",
    "DROP TRIGGER case_tallies_delete",
    "DROP TRIGGER case_tallies_update",
    "DROP TABLE case_tallies",
    f"""
    CREATE TABLE case_tallies (
        category   TEXT NOT NULL,
        type_code  TEXT NOT NULL,
        status     TEXT NOT NULL,
        is_private INTEGER NOT NULL,
        cases      INTEGER NOT NULL,
        PRIMARY KEY ({_KEY})
    ) WITHOUT ROWID
    """,
    f"""
    INSERT INTO case_tallies ({_KEY}, cases)
    SELECT {_KEY}, count(*) FROM cases GROUP BY 1, 2, 3, 4
    """,
    f"""
    CREATE TRIGGER case_tallies_insert AFTER INSERT ON cases BEGIN
        INSERT INTO case_tallies ({_KEY}, cases)
        VALUES (new.category, new.type_code, new.status, new.is_private, 1)
        ON CONFLICT ({_KEY}) DO UPDATE SET cases = cases + 1;
    END
    """,
    f"""
    CREATE TRIGGER case_tallies_delete AFTER DELETE ON cases BEGIN
        UPDATE case_tallies SET cases = cases - 1 WHERE {_MATCH};
    END
    """,
    f"""
    CREATE TRIGGER case_tallies_update AFTER UPDATE OF {_KEY} ON cases
    WHEN old.category IS NOT new.category OR old.type_code IS NOT new.type_code
        OR old.status IS NOT new.status OR old.is_private IS NOT new.is_private
    BEGIN
        UPDATE case_tallies SET cases = cases - 1 WHERE {_MATCH};
        INSERT INTO case_tallies ({_KEY}, cases)
        VALUES (new.category, new.type_code, new.status, new.is_private, 1)
        ON CONFLICT ({_KEY}) DO UPDATE SET cases = cases + 1;
    END
    """,
    "CREATE INDEX cases_private_judge ON cases(presiding_judge_id, is_private) WHERE is_private = 1",
    "CREATE INDEX cases_private_clerk ON cases(clerk_id, is_private) WHERE is_private = 1",
    "CREATE INDEX cases_private_creator ON cases(created_by, is_private) WHERE is_private = 1",
)


def upgrade(conn: sqlite3.Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
