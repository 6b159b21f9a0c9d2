"""Versioned updates: saving over a record someone else changed is refused.

Every table that users edit has a ``version`` column. An update names the version
it was based on; if the row has moved on, the update is refused with a message
saying who changed it and when (from the audit trail).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from courtdesk.errors import NotFoundError, StaleRecordError
from courtdesk.store import audit

# Tables whose rows carry a version; the names are fixed here so no caller can pass
# arbitrary SQL through a table name.
VERSIONED_TABLES = frozenset(
    {
        "cases",
        "parties",
        "agents",
        "users",
        "divisions",
        "courtrooms",
        "hearings",
        "time_limit_extensions",
        "time_limit_exclusions",
        "case_closings",
        "service_tasks",
        "service_attempts",
        "service_addresses",
        "notice_templates",
    }
)


# The integers a SQLite column can hold. An id outside them (typed, or from a corrupt
# file) names no row; binding it raises OverflowError, so lookups answer "none" instead.
SQLITE_INTEGERS = range(-(2**63), 2**63)


def as_dicts(rows: Sequence[sqlite3.Row]) -> list[dict[str, Any]]:
    """Rows of one query as dicts, for code that reads many columns of many rows.

    ``sqlite3.Row`` finds a column by comparing its name with each column's in turn
    (case-insensitively): at 30-odd columns a late one costs ten times an index, and
    turning a row into a view reads most of them. A dict costs one pass to build.
    """
    if not rows:
        return []
    names = rows[0].keys()
    return [dict(zip(names, row, strict=True)) for row in rows]


def update_versioned(
    conn: sqlite3.Connection,
    table: str,
    record_id: int,
    expected_version: int,
    values: Mapping[str, Any],
    what: str,
) -> dict[str, tuple[Any, Any]]:
    """Apply ``values`` to one row if it is still at ``expected_version``.

    Returns ``{column: (old, new)}`` for the columns that really changed, for the
    audit row. ``what`` names the record for messages ("案件（2026）吉0193民初1号").
    """
    if table not in VERSIONED_TABLES:
        raise ValueError(f"{table} is not a versioned table")
    row = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (record_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"{what}不存在或已被删除")
    if row["version"] != expected_version:
        raise StaleRecordError(stale_message(conn, table, record_id, what))
    changed = {k: (row[k], v) for k, v in values.items() if row[k] != v}
    if not changed:
        return {}
    assignments = ", ".join(f"{column} = ?" for column in changed)
    cursor = conn.execute(
        f"UPDATE {table} SET {assignments}, version = version + 1 WHERE id = ? AND version = ?",
        (*[new for _, new in changed.values()], record_id, expected_version),
    )
    if cursor.rowcount != 1:
        raise StaleRecordError(stale_message(conn, table, record_id, what))
    return changed


def stale_message(conn: sqlite3.Connection, table: str, record_id: int, what: str) -> str:
    last = audit.last_change(conn, table, record_id)
    if last is None:
        return f"{what}已被他人修改，请重新打开后再保存"
    return (
        f"{what}已被 {last.username} 于 {last.at[:16].replace('T', ' ')} 修改，请重新打开后再保存"
    )
