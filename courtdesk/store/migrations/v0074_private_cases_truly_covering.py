"""Version 74: the index of private cases carries ``is_private`` and the sort keys.

Migration 73 meant the private cases' index to answer the docket's "hidden from this
reader" counts alone, but SQLite reads a column named in the query from the table
unless the index holds it, even the ``is_private = 1`` the partial index is made
of: each of the ~20,000 private cases of a million was still read from the table
(EXPLAIN QUERY PLAN said "USING INDEX", not "USING COVERING INDEX"). With
``is_private`` in it, and the sort keys and dates a far page (store.docket._far_page)
compares, the counts read the index alone. It is small: private cases are ~2 %.
"""

from __future__ import annotations

import sqlite3


def upgrade(conn: sqlite3.Connection) -> None:
    conn.execute("DROP INDEX cases_private")
    conn.execute(
        "CREATE INDEX cases_private ON cases(division_id, presiding_judge_id, clerk_id,"
        " created_by, status, type_code, category, filing_date, is_private, year, sequence,"
        " cause, parties_summary, judge_name, time_limit_expiry, closed_date)"
        " WHERE is_private = 1"
    )
