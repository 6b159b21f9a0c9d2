"""Version 72: every docket index carries ``is_private``.

The docket hides the private cases (不公开审理) a reader is not assigned to. With
``is_private`` in the index the docket walks, a public case, nearly every case,
passes that test from the index entry alone; only a private case's row is read
(see ``store.docket._visibility``). Without it every row of a walk was probed
against a list of the hidden cases, built anew for every query: at a million
cases that was most of the time of a sorted page and of a deep scroll.

The indexes are rebuilt with the same names and the same leading columns, so
every query that used one uses it still.
"""

from __future__ import annotations

import sqlite3

INDEXES = (
    ("cases_filing", "filing_date, id"),
    ("cases_expiry", "time_limit_expiry, id"),
    ("cases_status", "status, filing_date, id"),
    ("cases_judge", "presiding_judge_id, status, filing_date, id"),
    ("cases_judge_name", "judge_name, id"),
    ("cases_type", "type_code, filing_date, id"),
    ("cases_cause", "cause, id"),
    ("cases_parties", "parties_summary, id"),
    ("cases_number_sort", "year, type_code, sequence, id"),
)


def upgrade(conn: sqlite3.Connection) -> None:
    for name, columns in INDEXES:
        conn.execute(f"DROP INDEX {name}")
        conn.execute(f"CREATE INDEX {name} ON cases({columns}, is_private)")
    conn.execute("DROP INDEX cases_clerk")
    conn.execute(
        "CREATE INDEX cases_clerk ON cases(clerk_id, status, filing_date, id, is_private)"
        " WHERE clerk_id IS NOT NULL"
    )
