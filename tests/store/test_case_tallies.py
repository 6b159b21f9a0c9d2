"""The docket's kept case totals (migration 71): always equal to a fresh count.

The docket counts by type and status from ``case_tallies`` instead of walking an
index of every case. Triggers keep the totals, so they must stay right whatever
writes the cases: the demo's bulk loading, a registration through the services,
or an UPDATE and DELETE from outside courtdesk. ``courtdesk check`` catches a
total that was edited by hand.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from courtdesk.domain.case_status import OPEN_STATUSES
from courtdesk.services import cases, docket, maintenance
from courtdesk.services.docket import DocketFilter
from courtdesk.services.workspace import Workspace
from tests.services.test_register_case import draft

Totals = dict[tuple[str, str, str, int], int]
KEY = "category, type_code, status, is_private"  # public and private apart (migration 75)


def totals(path: Path, sql: str) -> Totals:
    with sqlite3.connect(path) as conn:
        return {(r[0], r[1], r[2], r[3]): r[4] for r in conn.execute(sql)}


def counted(path: Path) -> Totals:
    return totals(path, f"SELECT {KEY}, count(*) FROM cases GROUP BY {KEY}")


def kept(path: Path) -> Totals:
    return totals(path, f"SELECT {KEY}, cases FROM case_tallies WHERE cases <> 0")


def test_the_totals_follow_bulk_loading_registration_and_outside_changes(
    registrar: Workspace, demo_path: Path
) -> None:
    assert sum(counted(demo_path).values()) > 500  # the demo's bulk-loaded cases
    assert kept(demo_path) == counted(demo_path)

    registered = DocketFilter(statuses=("registered",))
    before = docket.count(registrar, registered)
    detail = cases.register_case(registrar, draft())
    assert docket.count(registrar, registered) == before + 1
    assert kept(demo_path) == counted(demo_path)

    # Written by another program with no courtdesk code involved: the triggers still count.
    with sqlite3.connect(demo_path) as conn:
        conn.execute("UPDATE cases SET status = 'closed' WHERE id = ?", (detail.id,))
        conn.execute(
            "UPDATE cases SET type_code = '民终', category = 'civil' WHERE id = ?", (detail.id,)
        )
        conn.execute("UPDATE cases SET cause = '借款合同纠纷' WHERE id = ?", (detail.id,))
        conn.execute("UPDATE cases SET is_private = 1 WHERE id = ?", (detail.id,))
        conn.execute(
            "DELETE FROM cases WHERE id = (SELECT max(id) FROM cases"
            " WHERE status = 'archived' AND id <> ?)",
            (detail.id,),
        )
    assert kept(demo_path) == counted(demo_path)
    assert docket.count(registrar, registered) == before


@pytest.mark.parametrize(
    "flt",
    [
        DocketFilter(),
        DocketFilter(statuses=tuple(OPEN_STATUSES)),
        DocketFilter(statuses=("closed", "archived")),
        DocketFilter(type_codes=("民初",)),
        DocketFilter(type_codes=("民初", "刑初"), statuses=("pending",)),
        DocketFilter(categories=("civil",)),
    ],
)
def test_a_count_by_type_and_status_is_the_count_of_the_cases_shown(
    registrar: Workspace, flt: DocketFilter
) -> None:
    # The same cases through the index walk: a filing-date bound no case is outside.
    walked = replace(flt, filed_from=date(1900, 1, 1))
    assert docket.count(registrar, flt) == docket.count(registrar, walked) > 0


def test_check_reports_a_total_changed_by_hand(demo_path: Path) -> None:
    assert maintenance.check_file(demo_path).ok
    with sqlite3.connect(demo_path) as conn:
        conn.execute(
            "UPDATE case_tallies SET cases = cases + 3"
            " WHERE type_code = '民初' AND status = 'pending'"
        )
    report = maintenance.check_file(demo_path)
    assert not report.ok
    lines = maintenance.report_lines(report)
    assert "案件数统计：与案件记录不符" in lines
    assert any("民初（审理中）案件数：记为" in line for line in lines), lines
