"""Roles, per-case scopes and private cases, checked against the issue's role list."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from courtdesk.domain.parties import PartyDraft, PartyKind
from courtdesk.errors import PermissionDeniedError
from courtdesk.services import cases, docket, permissions
from courtdesk.services.docket import DocketFilter, SortKey
from courtdesk.services.permissions import (
    CASE_CHANGES,
    GRANTS,
    Permission,
    can,
    case_access,
    require_case,
)
from courtdesk.services.workspace import ROLE_LABELS, Workspace, open_workspace


def test_every_permission_is_granted_and_the_administrator_edits_no_case() -> None:
    granted = set().union(*GRANTS.values())
    assert set(Permission) <= granted, set(Permission) - granted
    assert not GRANTS["admin"] & CASE_CHANGES
    read_only = {
        Permission.VIEW_CASES,
        Permission.VIEW_SERVICE,
        Permission.VIEW_STATISTICS,
        Permission.USE_CALCULATORS,
    }
    assert GRANTS["readonly"] <= read_only
    assert GRANTS["assessor"] <= read_only
    assert set(ROLE_LABELS) <= set(GRANTS)
    for role in ("registrar",):
        assert {Permission.REGISTER_CASE, Permission.ASSIGN_CASE} <= GRANTS[role]
    for role in ("chief", "president"):
        assert Permission.ASSIGN_CASE in GRANTS[role]
        assert Permission.REGISTER_CASE not in GRANTS[role]


def people(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {
            role: int(user_id)
            for role, user_id in conn.execute(
                "SELECT role, min(user_id) FROM user_roles GROUP BY role"
            )
        }


@pytest.fixture
def private_case(demo_path: Path) -> dict[str, int]:
    """A private case with a judge and a clerk, and people inside and outside it."""
    with sqlite3.connect(demo_path) as conn:
        case_id, judge, clerk, division = conn.execute(
            "SELECT id, presiding_judge_id, clerk_id, division_id FROM cases"
            " WHERE is_private = 1 AND presiding_judge_id IS NOT NULL AND clerk_id IS NOT NULL"
            " AND status = 'pending' ORDER BY id LIMIT 1"
        ).fetchone()
        chief = conn.execute(
            "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id"
            " WHERE r.role = 'chief' AND u.division_id = ?",
            (division,),
        ).fetchone()[0]
        other_judge = conn.execute(
            "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id"
            " WHERE r.role = 'judge' AND u.id NOT IN (?, ?) AND u.division_id IS NOT ?"
            " AND u.id NOT IN (SELECT user_id FROM user_roles WHERE role IN ('chief', 'president'))",
            (judge, chief, division),
        ).fetchone()[0]
        other_chief = conn.execute(
            "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id"
            " WHERE r.role = 'chief' AND u.division_id IS NOT ?",
            (division,),
        ).fetchone()[0]
    return {
        "case": case_id,
        "judge": judge,
        "clerk": clerk,
        "chief": chief,
        "other_judge": other_judge,
        "other_chief": other_chief,
        **{f"role:{k}": v for k, v in people(demo_path).items()},
    }


def as_user(path: Path, user_id: int) -> Workspace:
    with sqlite3.connect(path) as conn:
        name = conn.execute("SELECT username FROM users WHERE id = ?", (user_id,)).fetchone()[0]
    return open_workspace(path, name)


@pytest.fixture
def sessions(demo_path: Path, private_case: dict[str, int]) -> Iterator[dict[str, Workspace]]:
    opened = {
        key: as_user(demo_path, user_id) for key, user_id in private_case.items() if key != "case"
    }
    yield opened
    for ws in opened.values():
        ws.close()


def test_a_private_case_is_seen_only_by_the_people_assigned_and_their_chiefs(
    sessions: dict[str, Workspace], private_case: dict[str, int]
) -> None:
    case_id = private_case["case"]
    for who in ("judge", "clerk", "chief", "role:president"):
        assert cases.get_case(sessions[who], case_id).id == case_id, who
    for who in (
        "other_judge",
        "other_chief",
        "role:admin",
        "role:readonly",
        "role:service",
        "role:registrar",
    ):
        with pytest.raises(PermissionDeniedError, match="不公开审理"):
            cases.get_case(sessions[who], case_id)


def visible_ids(ws: Workspace, flt: DocketFilter | None = None) -> set[int]:
    flt = flt or DocketFilter()
    rows = docket.page(ws, flt, SortKey.FILING_DATE, True, 0, 10_000)
    assert docket.count(ws, flt) == len(rows)
    return {row.id for row in rows}


def test_the_docket_hides_exactly_the_private_cases_one_may_not_see(
    sessions: dict[str, Workspace], demo_path: Path
) -> None:
    with sqlite3.connect(demo_path) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute("SELECT * FROM cases").fetchall()
    assert any(r["is_private"] for r in rows)
    panels = {r["id"]: case_access(sessions["judge"].db.connection, r["id"]) for r in rows}
    for who, ws in sessions.items():
        expected = {r["id"] for r in rows if permissions.can_view(ws.actor, panels[r["id"]])}
        assert visible_ids(ws) == expected, who
        # The same rule holds with filters and with a text search.
        flt = DocketFilter(statuses=("pending",))
        assert visible_ids(ws, flt) == {
            r["id"] for r in rows if r["status"] == "pending" and r["id"] in expected
        }, who
    president = sessions["role:president"]
    assert len(visible_ids(president)) == len(rows)
    assert len(visible_ids(sessions["other_judge"])) < len(rows)


def test_a_search_for_a_private_partys_name_finds_nothing_for_others(
    sessions: dict[str, Workspace], private_case: dict[str, int], demo_path: Path
) -> None:
    with sqlite3.connect(demo_path) as conn:
        name = conn.execute(
            "SELECT name FROM parties WHERE case_id = ? ORDER BY position LIMIT 1",
            (private_case["case"],),
        ).fetchone()[0]
    flt = DocketFilter(text=name)
    assert private_case["case"] in visible_ids(sessions["judge"], flt)
    assert private_case["case"] not in visible_ids(sessions["other_judge"], flt)


def test_judges_and_clerks_change_only_their_own_cases(
    sessions: dict[str, Workspace], private_case: dict[str, int], demo_path: Path
) -> None:
    with sqlite3.connect(demo_path) as conn:
        conn.row_factory = sqlite3.Row
        public = conn.execute(
            "SELECT * FROM cases WHERE is_private = 0 AND presiding_judge_id = ?",
            (private_case["other_judge"],),
        ).fetchone()
    judge = sessions["judge"].actor
    assert can(sessions["other_judge"].actor, Permission.EDIT_CASE, public)
    assert can(judge, Permission.VIEW_CASES, public)  # reading a public case is open
    with pytest.raises(PermissionDeniedError, match="法官只能办理自己承办的案件"):
        require_case(judge, Permission.EDIT_CASE, public)
    with pytest.raises(PermissionDeniedError, match="书记员只能办理自己担任书记员的案件"):
        require_case(sessions["clerk"].actor, Permission.EDIT_CASE, public)
    # The registrar corrects registrations anywhere (public cases); the administrator never.
    assert can(sessions["role:registrar"].actor, Permission.EDIT_CASE, public)
    with pytest.raises(PermissionDeniedError, match="修改案件信息"):
        require_case(sessions["role:admin"].actor, Permission.EDIT_CASE, public)


def test_chiefs_reassign_in_their_division_and_the_president_everywhere(
    sessions: dict[str, Workspace], private_case: dict[str, int]
) -> None:
    ws = sessions["judge"]
    access = case_access(ws.db.connection, private_case["case"])
    assert can(sessions["chief"].actor, Permission.ASSIGN_CASE, access)
    assert can(sessions["role:president"].actor, Permission.ASSIGN_CASE, access)
    with pytest.raises(PermissionDeniedError):
        require_case(sessions["other_chief"].actor, Permission.ASSIGN_CASE, access)
    with pytest.raises(PermissionDeniedError, match="分案"):
        require_case(ws.actor, Permission.ASSIGN_CASE, access)


def test_update_party_obeys_the_case_scope(
    sessions: dict[str, Workspace], private_case: dict[str, int]
) -> None:
    detail = cases.get_case(sessions["judge"], private_case["case"])
    party = detail.parties[0]
    draft = PartyDraft(
        party.role,
        party.name,
        phone="13912345678",
        address=party.address,
        id_number=party.id_number,
        kind=PartyKind(party.kind),
        credit_code=party.credit_code,
        legal_representative=party.legal_representative,
    )
    with pytest.raises(PermissionDeniedError):
        cases.update_party(sessions["other_judge"], party.id, party.version, draft)
    updated = cases.update_party(sessions["clerk"], party.id, party.version, draft)
    assert updated.parties[0].phone == "13912345678"


def test_the_service_desk_works_on_private_cases_without_reading_them(
    sessions: dict[str, Workspace], private_case: dict[str, int]
) -> None:
    service = sessions["role:service"]
    access = case_access(service.db.connection, private_case["case"])
    assert not can(service.actor, Permission.VIEW_CASES, access)
    for permission in permissions.GRANTS["service"] - {
        Permission.VIEW_CASES,
        Permission.USE_CALCULATORS,
    }:
        assert can(service.actor, permission, access)


def test_registrars_see_an_unassigned_private_case_until_it_has_a_judge(
    registrar: Workspace,
) -> None:
    from datetime import date

    detail = cases.register_case(
        registrar,
        cases.CaseDraft(
            "民初",
            "civil_summary",
            "离婚纠纷",
            date(2026, 11, 20),
            (PartyDraft("原告", "私甲"), PartyDraft("被告", "私乙")),
            is_private=True,
        ),
    )
    # The clerk who registered it sees it (and so does every registrar while it waits).
    assert cases.get_case(registrar, detail.id).is_private


def test_a_peoples_assessor_reads_only_the_cases_of_their_panels(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as conn:
        assessor, username = conn.execute(
            "SELECT u.id, u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
            " WHERE r.role = 'assessor' AND EXISTS (SELECT 1 FROM case_panel_members m"
            " JOIN case_assignments a ON a.id = m.assignment_id"
            " WHERE m.user_id = u.id AND a.ended_at IS NULL) LIMIT 1"
        ).fetchone()
        panels = {
            r[0]
            for r in conn.execute(
                "SELECT a.case_id FROM case_panel_members m JOIN case_assignments a"
                " ON a.id = m.assignment_id WHERE m.user_id = ? AND a.ended_at IS NULL",
                (assessor,),
            )
        }
        other = conn.execute(
            f"SELECT id FROM cases WHERE id NOT IN ({','.join('?' * len(panels))}) LIMIT 1",
            tuple(panels),
        ).fetchone()[0]
    ws = open_workspace(demo_path, username)
    try:
        assert visible_ids(ws) == panels
        for case_id in panels:
            assert cases.get_case(ws, case_id).id == case_id
        with pytest.raises(PermissionDeniedError, match="人民陪审员"):
            cases.get_case(ws, other)
    finally:
        ws.close()


def test_every_feature_of_a_private_case_is_closed_to_outsiders(
    sessions: dict[str, Workspace], private_case: dict[str, int]
) -> None:
    from courtdesk.services import case_file, closing, hearings, service, time_limits

    case_id = private_case["case"]
    reads = (
        lambda ws: case_file.open_case(ws, case_id),
        lambda ws: hearings.case_hearings(ws, case_id),
        lambda ws: time_limits.case_time_limit(ws, case_id),
        lambda ws: closing.closing_options(ws, case_id),
        lambda ws: service.case_service(ws, case_id),
    )
    for read in reads:
        read(sessions["judge"])  # the people on the case read every tab
        read(sessions["chief"])
        with pytest.raises(PermissionDeniedError, match="不公开审理"):
            read(sessions["other_judge"])


def test_a_judge_schedules_hearings_only_for_their_own_cases(
    sessions: dict[str, Workspace], private_case: dict[str, int], demo_path: Path
) -> None:
    from datetime import datetime

    from courtdesk.services import hearings

    with sqlite3.connect(demo_path) as conn:
        public = conn.execute(
            "SELECT id FROM cases WHERE is_private = 0 AND status = 'pending'"
            " AND presiding_judge_id = ? LIMIT 1",
            (private_case["other_judge"],),
        ).fetchone()[0]
    draft = hearings.HearingDraft(
        case_id=public,
        kind=next(iter(hearings.HearingKind)),
        mode=hearings.HearingMode.ROOM,
        start=datetime(2027, 3, 2, 9, 0),
        end=datetime(2027, 3, 2, 10, 0),
        judge_id=private_case["other_judge"],
    )
    with pytest.raises(PermissionDeniedError):
        hearings.schedule_hearing(sessions["judge"], draft)
