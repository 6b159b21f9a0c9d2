"""A page far down a viewer's docket is the same however the store finds it.

From ``store.docket.SKIP_FROM`` rows on, a viewer's page is found by jumping among
all the filter's rows and then skipping the hidden private cases counted apart
(``_far_page``). Checked here against the usual walk for every sort, both
directions, the filters a clerk uses and viewers who see more or fewer private cases.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from courtdesk.services import docket
from courtdesk.services.docket import DocketFilter, SortKey
from courtdesk.services.workspace import Workspace, open_workspace
from courtdesk.store import docket as docket_store

FILTERS = (
    DocketFilter(),
    DocketFilter(statuses=("pending", "suspended")),
    DocketFilter(type_codes=("民初",), categories=("civil",)),
)


def _usernames(path: Path) -> list[str]:
    """A judge, a chief and a clerk of the civil division with private cases, and a registrar."""
    with sqlite3.connect(path) as conn:
        judge = conn.execute(
            "SELECT u.username FROM cases c JOIN users u ON u.id = c.presiding_judge_id"
            " WHERE c.is_private = 1 GROUP BY u.id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        clerk = conn.execute(
            "SELECT u.username FROM cases c JOIN users u ON u.id = c.clerk_id"
            " WHERE c.is_private = 1 GROUP BY u.id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        others = [
            conn.execute(
                "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
                " WHERE r.role = ? ORDER BY u.id LIMIT 1",
                (role,),
            ).fetchone()[0]
            for role in ("chief", "registrar")
        ]
    return [judge, clerk, *others]


@pytest.fixture
def viewers(demo_path: Path) -> Iterator[list[Workspace]]:
    opened = [open_workspace(demo_path, name) for name in _usernames(demo_path)]
    try:
        yield opened
    finally:
        for ws in opened:
            ws.close()


@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("descending", [False, True])
def test_far_pages_are_the_pages_of_the_usual_walk(
    viewers: list[Workspace],
    system_ws: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    sort: SortKey,
    descending: bool,
) -> None:
    with sqlite3.connect(system_ws.db.path) as conn:
        private = conn.execute("SELECT count(*) FROM cases WHERE is_private = 1").fetchone()[0]
    assert private >= 20  # enough hidden cases for the count apart to matter

    def pages(ws: Workspace, flt: DocketFilter, total: int) -> list[list[int]]:
        offsets = (1, 37, total // 3, total // 2, total - 25, total - 1, total, total + 40)
        return [
            [row.id for row in docket.page(ws, flt, sort, descending, offset, 30)]
            for offset in offsets
        ]

    for ws in viewers:
        for flt in FILTERS:
            total = docket.count(ws, flt)
            assert total > 40
            monkeypatch.setattr(docket_store, "SKIP_FROM", 10**9)
            walked = pages(ws, flt, total)
            monkeypatch.setattr(docket_store, "SKIP_FROM", 0)
            assert pages(ws, flt, total) == walked, (ws.user, flt)
            assert [len(p) for p in walked][-4:] == [25, 1, 0, 0]
    # A viewer who sees fewer cases than all of them really was skipped past some.
    everyone = docket.count(system_ws, DocketFilter())
    assert min(docket.count(ws, DocketFilter()) for ws in viewers) < everyone


def test_private_cases_are_counted_from_their_indexes_alone(
    viewers: list[Workspace], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A far page counts the hidden private cases from the private cases' covering
    index alone (migration 74); a count reads the public total from the kept totals
    and the reader's own private cases from the small indexes of the private cases
    and the cases' ids (migration 75), never walking all cases of a status."""
    monkeypatch.setattr(docket_store, "SKIP_FROM", 0)

    def plan(conn: sqlite3.Connection, sql: str) -> list[str]:
        return [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]

    for ws in viewers:
        conn = ws.db.connection
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        try:
            for sort in (SortKey.FILING_DATE, SortKey.PARTIES, SortKey.CASE_NUMBER):
                docket.page(ws, FILTERS[1], sort, True, 30, 10)
            paged = len(statements)
            docket.count(ws, FILTERS[1])
        finally:
            conn.set_trace_callback(None)

        private = [s for s in statements[:paged] if "INDEXED BY cases_private " in s]
        assert len(private) == 3
        for sql in private:
            assert "COVERING INDEX cases_private" in " ".join(plan(conn, sql)), sql
        counts = [s for s in statements[paged:] if "count(*)" in s or "case_tallies" in s]
        assert any("case_tallies" in sql for sql in counts)
        for sql in counts:
            for step in plan(conn, sql):
                if step.split()[:2] in (
                    ["SEARCH", "c"],
                    ["SEARCH", "cases"],
                    ["SCAN", "c"],
                    ["SCAN", "cases"],
                ):
                    assert "cases_private" in step or "PRIMARY KEY" in step, (sql, step)
