"""The people of the demo court the feature property tests act as, and a fresh case each.

Each hypothesis example registers its own case (a filing clerk's work, about 30 ms)
so what one example stored cannot make the next one's input refused for another
reason (a task already served, an application already pending).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

from courtdesk.domain.parties import PartyDraft
from courtdesk.services import cases
from courtdesk.services.cases import CaseDetail, CaseDraft
from courtdesk.services.workspace import Workspace, default_username, open_workspace

TODAY = date(2026, 11, 20)  # the demo court's day (tests/conftest.py DEMO_AS_OF)
FILED = date(2026, 9, 1)  # the test cases' filing day: an ordinary 审限 runs to 1 March
DIVISION = "民事审判第一庭"


@dataclass
class Court:
    path: Path
    registrar: Workspace
    judge: Workspace  # presides over the test cases
    clerk: Workspace  # is their clerk
    chief: Workspace  # of the division: decides extensions, corrects closings
    service: Workspace  # the service centre
    division_id: int

    def case(
        self, procedure: str = "civil_ordinary", filed: date = FILED, assigned: bool = True
    ) -> CaseDetail:
        """A new case, heard by ``judge`` with ``clerk``; or waiting to be assigned (待分案)."""
        return cases.register_case(
            self.registrar,
            CaseDraft(
                type_code="民初",
                procedure=procedure,
                cause="民间借贷纠纷",
                filing_date=filed,
                parties=(
                    PartyDraft("原告", "赵堃", address="吉林省长春市南关区人民大街1号"),
                    PartyDraft("被告", "钱淼", address="吉林省长春市朝阳区西安大路2号"),
                ),
                division_id=self.division_id,
                presiding_judge_id=self.judge.actor.user_id if assigned else None,
                clerk_id=self.clerk.actor.user_id if assigned else None,
            ),
        )


def _username(conn: sqlite3.Connection, role: str, division: str | None) -> str:
    sql = (
        "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
        " LEFT JOIN divisions d ON d.id = u.division_id WHERE r.role = ?"
    )
    args: tuple[str, ...] = (role,)
    if division is not None:
        sql += " AND d.name = ?"
        args += (division,)
    if role == "judge":  # a plain judge, not the chief who decides their applications
        sql += " AND NOT EXISTS (SELECT 1 FROM user_roles c WHERE c.user_id = u.id AND c.role = 'chief')"
    return str(conn.execute(sql + " ORDER BY u.id LIMIT 1", args).fetchone()[0])


@pytest.fixture
def court(demo_path: Path) -> Iterator[Court]:
    probe = open_workspace(demo_path)
    registrar = default_username(probe)
    probe.close()
    with sqlite3.connect(demo_path) as conn:
        names = [
            _username(conn, "judge", DIVISION),
            _username(conn, "clerk", DIVISION),
            _username(conn, "chief", DIVISION),
            _username(conn, "service", None),
        ]
        division_id = int(
            conn.execute("SELECT id FROM divisions WHERE name = ?", (DIVISION,)).fetchone()[0]
        )
    opened = [open_workspace(demo_path, n) for n in (registrar, *names)]
    yield Court(demo_path, *opened, division_id=division_id)
    for ws in opened:
        ws.close()


def one_field_or_all(
    good: Mapping[str, Any], arbitrary: Mapping[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    """Inputs that pass the checks with one of them made arbitrary (two times in three),
    or every one arbitrary: so accepted inputs are common enough to be read back,
    and one bad field is seen to be refused on its own."""
    one = st.sampled_from(sorted(arbitrary)).flatmap(
        lambda key: arbitrary[key].map(lambda value: {**good, key: value})
    )
    every = st.fixed_dictionaries(dict(arbitrary)).map(lambda values: {**good, **values})
    return st.one_of(one, one, every)
