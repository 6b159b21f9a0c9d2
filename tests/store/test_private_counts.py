"""A reader's docket count is the count of the cases they may open, row by row.

From migration 75 the store counts a reader's docket as the public cases (from
the kept totals or an index) plus their own private ones (from small indexes of
the private cases by judge, clerk, registrar and division, and their panels).
Each such count is checked here against the plain rule applied in Python to every
case: a private case is seen by its judge, clerk and registrar, by the chief of its
division, by the filing desk while it has no judge, and by its panel's members.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from courtdesk.store import docket as docket_store
from courtdesk.store.docket import DocketFilter, Viewer

FILTERS = [
    DocketFilter(),
    DocketFilter(statuses=("pending",)),
    DocketFilter(type_codes=("民初",), statuses=("closed", "archived")),
    DocketFilter(filed_from=date(2024, 1, 1)),
]


@pytest.fixture
def conn(demo_path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(demo_path)
    # Many more private cases than the demo has, with their judges, clerks,
    # registrars, divisions and unassigned ones spread as in the demo.
    connection.execute("UPDATE cases SET is_private = 1 WHERE id % 4 = 0")
    connection.execute(
        "UPDATE cases SET presiding_judge_id = NULL WHERE id % 12 = 0 AND status = 'registered'"
    )
    # The demo's cases were bulk-loaded without a registrar; give some of them one.
    connection.execute("UPDATE cases SET created_by = (SELECT max(id) FROM users) WHERE id % 8 = 0")
    connection.commit()
    return connection


def seen_in_python(conn: sqlite3.Connection, flt: DocketFilter, viewer: Viewer) -> int:
    selection = docket_store.filter_sql(flt)  # the filter alone, without any reader
    assert selection is not None
    source, params = selection
    matching = {row[0] for row in conn.execute(f"SELECT c.id {source}", params)}
    panels = {
        row[0]
        for row in conn.execute(
            "SELECT a.case_id FROM case_panel_members m"
            " JOIN case_assignments a ON a.id = m.assignment_id"
            " WHERE m.user_id = ? AND a.ended_at IS NULL",
            (viewer.user_id,),
        )
    }
    seen = 0
    for case_id, private, judge, clerk, creator, division in conn.execute(
        "SELECT id, is_private, presiding_judge_id, clerk_id, created_by, division_id FROM cases"
    ):
        if case_id not in matching:
            continue
        seen += (
            not private
            or viewer.user_id in (judge, clerk, creator)
            or (viewer.division_id is not None and division == viewer.division_id)
            or (viewer.sees_unassigned and judge is None)
            or case_id in panels
        )
    return seen


def readers(conn: sqlite3.Connection) -> list[Viewer]:
    """A judge, a clerk, a registrar, a chief of each division and a panel member."""

    def first(sql: str) -> int:
        row = conn.execute(sql).fetchone()
        assert row is not None and row[0] is not None, sql
        return int(row[0])

    judge = first(
        "SELECT presiding_judge_id FROM cases WHERE is_private = 1 AND presiding_judge_id > 0"
    )
    clerk = first("SELECT clerk_id FROM cases WHERE is_private = 1 AND clerk_id IS NOT NULL")
    creator = first("SELECT created_by FROM cases WHERE is_private = 1 AND created_by IS NOT NULL")
    member = first("SELECT user_id FROM case_panel_members LIMIT 1")
    divisions = [r[0] for r in conn.execute("SELECT DISTINCT division_id FROM cases")]
    return [
        Viewer(judge, None, False),
        Viewer(clerk, None, False),
        Viewer(creator, None, True),
        Viewer(member, None, False),
        *(Viewer(judge, division, False) for division in divisions),
        Viewer(None, None, True),  # no user at all: only the unassigned and public cases
    ]


@pytest.mark.parametrize("flt", FILTERS)
def test_each_readers_count_is_the_cases_they_may_see(
    conn: sqlite3.Connection, flt: DocketFilter
) -> None:
    private = conn.execute("SELECT count(*) FROM cases WHERE is_private = 1").fetchone()[0]
    assert private > 100
    counts = []
    for viewer in readers(conn):
        expected = seen_in_python(conn, flt, viewer)
        assert docket_store.count(conn, flt, viewer) == expected, viewer
        counts.append(expected)
    everything = docket_store.count(conn, flt)
    assert max(counts) < everything  # each of them has private cases hidden
    assert len(set(counts)) > 2  # and they see different ones
