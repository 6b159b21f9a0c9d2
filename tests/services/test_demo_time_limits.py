"""Demo 审限 facts look as if entered through the program: statuses agree with the facts,
and every derived column is what the services' own ``recompute`` makes of them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from courtdesk.services.time_limits import recompute
from courtdesk.services.workspace import Workspace
from courtdesk.store.time_limits import DERIVED_COLUMNS
from tests.conftest import DEMO_AS_OF


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return [tuple(r) for r in conn.execute(sql)]


def test_demo_derived_columns_are_what_recompute_derives(system_ws: Workspace) -> None:
    path = system_ws.path
    columns = ", ".join(DERIVED_COLUMNS)
    before = rows(path, f"SELECT id, {columns} FROM cases ORDER BY id")
    with system_ws.db.transaction() as conn:
        for case_id, *_rest in before:
            recompute(conn, int(case_id), DEMO_AS_OF)
    after = rows(path, f"SELECT id, {columns} FROM cases ORDER BY id")
    assert [b for b, a in zip(before, after, strict=True) if a != b] == []
    # The demo has some of everything the dashboard and the timeline show.
    counts = dict(
        rows(
            path,
            "SELECT 'extended', count(*) FROM cases WHERE extensions_granted > 0"
            " UNION ALL SELECT 'paused', count(*) FROM cases WHERE time_limit_paused_since IS NOT NULL"
            " UNION ALL SELECT 'excluded', count(*) FROM cases WHERE time_limit_excluded_days > 0"
            " UNION ALL SELECT 'late', count(*) FROM cases WHERE closed_within_limit = 0"
            " UNION ALL SELECT 'converted', count(*) FROM procedure_conversions",
        )
    )
    assert all(n > 0 for n in counts.values()), counts


def test_demo_statuses_agree_with_the_facts(demo_path: Path) -> None:
    # 中止 status ⇔ an open 中止 period, for open cases.
    assert (
        rows(
            demo_path,
            "SELECT c.id FROM cases c WHERE (c.status = 'suspended') <> EXISTS (SELECT 1 FROM"
            " time_limit_exclusions x WHERE x.case_id = c.id AND x.kind = 'suspension'"
            " AND x.end_date IS NULL)",
        )
        == []
    )
    # Closed and archived cases: a closing record with the same date and manner, no open
    # period, every period inside filing … closing, no pending application.
    assert (
        rows(
            demo_path,
            "SELECT c.id FROM cases c LEFT JOIN case_closings k ON k.case_id = c.id"
            " WHERE c.status IN ('closed', 'archived') AND (k.closed_date IS NOT c.closed_date"
            " OR k.manner IS NOT c.closing_manner)",
        )
        == []
    )
    assert (
        rows(
            demo_path,
            "SELECT x.id FROM time_limit_exclusions x JOIN cases c ON c.id = x.case_id"
            " WHERE x.start_date < c.filing_date OR x.start_date > coalesce(c.closed_date, '2026-11-20')"
            " OR (c.closed_date IS NOT NULL AND (x.end_date IS NULL OR x.end_date > c.closed_date))",
        )
        == []
    )
    assert (
        rows(
            demo_path,
            "SELECT t.id FROM time_limit_extensions t JOIN cases c ON c.id = t.case_id"
            " WHERE t.status = 'pending' AND c.status NOT IN ('pending', 'suspended')",
        )
        == []
    )
    # A served closing document: the closing date is the last party's date.
    assert (
        rows(
            demo_path,
            "SELECT k.case_id FROM case_closings k WHERE k.delivery = 'served' AND k.closed_date <>"
            " (SELECT max(service_date) FROM case_closing_services s WHERE s.case_id = k.case_id)",
        )
        == []
    )
    assert (
        rows(
            demo_path,
            "SELECT c.id FROM cases c LEFT JOIN case_archives a ON a.case_id = c.id"
            " WHERE (c.status = 'archived') <> (a.case_id IS NOT NULL)"
            " OR a.archived_on IS NOT c.archived_date OR a.archived_on < c.closed_date",
        )
        == []
    )
