"""Counts and sums over the docket for the 统计 dashboard, always over a DocketFilter
so a figure and the cases it clicks through to are the same cases."""

from __future__ import annotations

import sqlite3
from datetime import date

from courtdesk.store.docket import DocketFilter, filter_sql


def closed_totals(conn: sqlite3.Connection, flt: DocketFilter) -> tuple[int, int, int]:
    """(cases, sum of trial days, cases with trial days) over the filter's cases."""
    selection = filter_sql(flt)
    if selection is None:
        return 0, 0, 0
    source, params = selection
    row = conn.execute(
        f"SELECT count(*), coalesce(sum(c.trial_days), 0), count(c.trial_days) {source}", params
    ).fetchone()
    return int(row[0]), int(row[1]), int(row[2])


_MONTH_COLUMNS = {"filing_date", "closed_date"}


def per_month(conn: sqlite3.Connection, flt: DocketFilter, column: str) -> dict[str, int]:
    """Cases per month ("2026-03" → n) of ``column`` (filing_date or closed_date)."""
    if column not in _MONTH_COLUMNS:
        raise ValueError(column)
    selection = filter_sql(flt)
    if selection is None:
        return {}
    source, params = selection
    rows = conn.execute(
        f"SELECT substr(c.{column}, 1, 7) AS month, count(*) {source} GROUP BY month", params
    ).fetchall()
    return {str(r[0]): int(r[1]) for r in rows}


def extensions_decided(
    conn: sqlite3.Connection,
    start: date,
    end: date,
    division_id: int | None,
    judge_id: int | None,
) -> int:
    """Extensions approved between ``start`` and ``end`` (each approval counts once)."""
    sql = (
        "SELECT count(*) FROM time_limit_extensions t JOIN cases c ON c.id = t.case_id"
        " WHERE t.status = 'approved' AND t.decided_on BETWEEN ? AND ?"
    )
    params: list[object] = [start.isoformat(), end.isoformat()]
    if division_id is not None:
        sql += " AND c.division_id = ?"
        params.append(division_id)
    if judge_id is not None:
        sql += " AND c.presiding_judge_id = ?"
        params.append(judge_id)
    return int(conn.execute(sql, params).fetchone()[0])
