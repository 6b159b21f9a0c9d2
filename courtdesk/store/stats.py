"""Counts over the docket for the statistics page."""

from __future__ import annotations

import sqlite3


def counts_by_category_and_status(conn: sqlite3.Connection) -> list[tuple[str, str, int]]:
    rows = conn.execute(
        "SELECT category, status, count(*) FROM cases GROUP BY category, status"
        " ORDER BY category, status"
    ).fetchall()
    return [(str(r[0]), str(r[1]), int(r[2])) for r in rows]
