"""The docket query: filter and sort in SQL, fetch one page at a time.

Every sortable column has an index ending in ``id``; a page is found with a
covering-index subquery (the ids of the page) and only then joined for display,
so a page deep in a million rows costs an index walk, not a million row reads.
A text filter starts from the full-text index instead, whose hits are few.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from courtdesk.store.search import match_expression, matching_ids_sql


class SortKey(StrEnum):
    CASE_NUMBER = "case_number"
    CAUSE = "cause"
    PARTIES = "parties"
    JUDGE = "judge"
    FILING_DATE = "filing_date"
    STATUS = "status"
    EXPIRY = "expiry"


_ORDER_COLUMNS: dict[SortKey, tuple[str, ...]] = {
    SortKey.CASE_NUMBER: ("year", "type_code", "sequence"),
    SortKey.CAUSE: ("cause",),
    SortKey.PARTIES: ("parties_summary",),
    SortKey.JUDGE: ("judge_name",),
    SortKey.FILING_DATE: ("filing_date",),
    SortKey.STATUS: ("status", "filing_date"),
    SortKey.EXPIRY: ("time_limit_expiry",),
}


@dataclass(frozen=True)
class DocketFilter:
    type_codes: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    judge_id: int | None = None
    division_id: int | None = None
    filed_from: date | None = None
    filed_to: date | None = None
    text: str = ""


@dataclass(frozen=True)
class Viewer:
    """Who reads the docket, for the SQL that hides the private cases they may not see.

    Built by ``services.permissions.viewer``; None there means "sees every case".
    """

    user_id: int | None
    division_id: int | None  # set for a 庭长: their 庭室's private cases are visible
    sees_unassigned: bool  # 立案 staff: private cases without a judge yet


def _hidden_ids(viewer: Viewer) -> tuple[str, list[Any]]:
    """SQL for the ids of the private cases ``viewer`` may not see, with its parameters.

    It reads only the small partial index ``cases_private`` (private cases only);
    SQLite keeps the result as an ephemeral table, so ``c.id NOT IN (…)`` leaves the
    docket's walk over a sort index covering: the test is on ``id``, which every
    index carries.
    """
    allowed = ["presiding_judge_id IS ?", "clerk_id IS ?", "created_by IS ?"]
    params: list[Any] = [viewer.user_id] * 3
    if viewer.division_id is not None:
        allowed.append("division_id IS ?")
        params.append(viewer.division_id)
    if viewer.sees_unassigned:
        allowed.append("presiding_judge_id IS NULL")
    sql = (
        "SELECT id FROM cases INDEXED BY cases_private"
        f" WHERE is_private = 1 AND NOT ({' OR '.join(allowed)})"
    )
    return sql, params


@dataclass(frozen=True)
class DocketRow:
    id: int
    case_number: str
    cause: str
    parties_summary: str
    judge_name: str
    filing_date: str
    status: str
    time_limit_expiry: str | None
    type_code: str
    procedure: str
    version: int


def _where(
    flt: DocketFilter, viewer: Viewer | None = None
) -> tuple[list[str], list[Any], str | None]:
    clauses: list[str] = []
    params: list[Any] = []
    if viewer is not None:
        hidden, hidden_params = _hidden_ids(viewer)
        clauses.append(f"c.id NOT IN ({hidden})")
        params += hidden_params
    if flt.type_codes:
        clauses.append(f"c.type_code IN ({','.join('?' * len(flt.type_codes))})")
        params += flt.type_codes
    if flt.categories:
        clauses.append(f"c.category IN ({','.join('?' * len(flt.categories))})")
        params += flt.categories
    if flt.statuses:
        clauses.append(f"c.status IN ({','.join('?' * len(flt.statuses))})")
        params += flt.statuses
    if flt.judge_id is not None:
        clauses.append("c.presiding_judge_id = ?")
        params.append(flt.judge_id)
    if flt.division_id is not None:
        clauses.append("c.division_id = ?")
        params.append(flt.division_id)
    if flt.filed_from is not None:
        clauses.append("c.filing_date >= ?")
        params.append(flt.filed_from.isoformat())
    if flt.filed_to is not None:
        clauses.append("c.filing_date <= ?")
        params.append(flt.filed_to.isoformat())
    match = match_expression(flt.text) if flt.text.strip() else None
    return clauses, params, match


def _source(match: str | None) -> str:
    # With a text filter the full-text hits drive the loop (CROSS JOIN fixes the order).
    if match is not None:
        return f"({matching_ids_sql()}) AS hits CROSS JOIN cases c ON c.id = hits.rowid"
    return "cases c"


def count(conn: sqlite3.Connection, flt: DocketFilter, viewer: Viewer | None = None) -> int:
    """How many cases match ``flt`` among those ``viewer`` may see (None: every case)."""
    # Counted as (all matches) − (hidden matches): SQLite answers the first from an
    # index alone, and the second walks only the few private cases, where a single
    # count with NOT IN would visit every row.
    clauses, params, match = _where(flt)
    if flt.text.strip() and match is None:
        return 0
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    head = [match] if match else []
    total = int(
        conn.execute(f"SELECT count(*) FROM {_source(match)}{where}", head + params).fetchone()[0]
    )
    if viewer is None or total == 0:
        return total
    hidden, hidden_params = _hidden_ids(viewer)
    hidden_where = " AND ".join([f"c.id IN ({hidden})", *clauses])
    sql = f"SELECT count(*) FROM {_source(match)} WHERE {hidden_where}"
    return total - int(conn.execute(sql, head + hidden_params + params).fetchone()[0])


def page(
    conn: sqlite3.Connection,
    flt: DocketFilter,
    sort: SortKey,
    descending: bool,
    offset: int,
    limit: int,
    viewer: Viewer | None = None,
) -> list[DocketRow]:
    clauses, params, match = _where(flt, viewer)
    if flt.text.strip() and match is None:
        return []
    direction = "DESC" if descending else "ASC"
    order = ", ".join(f"c.{col} {direction}" for col in (*_ORDER_COLUMNS[sort], "id"))
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    ids_sql = f"SELECT c.id FROM {_source(match)}{where} ORDER BY {order} LIMIT ? OFFSET ?"
    sql = (
        "SELECT c.id, c.case_number, c.cause, c.parties_summary, c.judge_name, c.filing_date,"
        " c.status, c.time_limit_expiry, c.type_code, c.procedure, c.version"
        f" FROM ({ids_sql}) AS p JOIN cases c ON c.id = p.id ORDER BY {order}"
    )
    rows = conn.execute(sql, ([match] if match else []) + params + [limit, offset]).fetchall()
    return [DocketRow(*tuple(r)) for r in rows]
