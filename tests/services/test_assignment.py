"""分案: the weighted draw, manual choices with reasons, panels, reassignment history."""

from __future__ import annotations

import json
import random
import sqlite3
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from courtdesk.domain.assignment import (
    ASSESSOR,
    JUDGE_MEMBER,
    PRESIDING,
    Bench,
    Candidate,
    PanelMember,
    allowed_benches,
    check_bench,
    draw,
    weights,
)
from courtdesk.errors import (
    CourtdeskError,
    PermissionDeniedError,
    StaleRecordError,
    ValidationError,
)
from courtdesk.services import assignment, cases
from courtdesk.services.assignment import AssignmentRequest, Method
from courtdesk.services.workspace import Workspace, open_workspace
from tests.services.test_register_case import draft


def test_weights_favour_the_lightest_caseload_but_exclude_nobody() -> None:
    people = [Candidate(1, "甲", 10), Candidate(2, "乙", 4), Candidate(3, "丙", 10)]
    assert weights(people) == [1, 7, 1]
    assert weights([Candidate(1, "甲", 5), Candidate(2, "乙", 5)]) == [1, 1]

    def draws(seed: int) -> Counter[int]:
        rng = random.Random(seed)
        return Counter(draw(people, rng).user_id for _ in range(9_000))

    drawn = draws(2026)
    # Expected shares 1/9, 7/9, 1/9; a seeded RNG makes the counts exact and repeatable.
    assert drawn == draws(2026) and drawn != draws(2027)
    assert 6_700 < drawn[2] < 7_300 and 800 < drawn[1] < 1_200 and 800 < drawn[3] < 1_200


def test_benches_follow_the_procedure() -> None:
    assert allowed_benches("civil_summary") == (Bench.SOLE,)
    assert allowed_benches("civil_ordinary") == (Bench.PANEL, Bench.SOLE)
    assert allowed_benches("criminal_public") == (Bench.PANEL,)
    assert allowed_benches("admin_summary") == (Bench.SOLE,)
    judges, assessors = frozenset({1, 2, 3}), frozenset({9})
    names = {1: "甲", 2: "乙", 3: "丙", 9: "陪"}
    good = [PanelMember(1, PRESIDING), PanelMember(2, JUDGE_MEMBER), PanelMember(9, ASSESSOR)]
    assert check_bench("civil_ordinary", Bench.PANEL, 1, good, judges, assessors, names) == []
    bad = [PanelMember(9, PRESIDING), PanelMember(2, JUDGE_MEMBER)]
    messages = " ".join(
        p.message
        for p in check_bench("civil_ordinary", Bench.PANEL, 1, bad, judges, assessors, names)
    )
    assert "3、5 或 7 人" in messages and "承办人应是合议庭成员" in messages
    assert "陪不是法官，不能担任审判长" in messages
    sole = check_bench("civil_summary", Bench.PANEL, 1, good, judges, assessors, names)
    assert "只能独任审判" in sole[0].message


def _registered(ws: Workspace, **changes: object) -> int:
    return cases.register_case(ws, draft(**changes)).id


def _rows(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return [tuple(r) for r in conn.execute(sql, params)]


def test_automatic_assignment_draws_in_the_division_and_moves_the_case_on(
    registrar: Workspace,
) -> None:
    case_id = _registered(registrar)
    options = assignment.options(registrar, case_id)
    assert options.status == "registered" and options.current is None
    judges = options.judges_in(options.division_id)
    assert len(judges) >= 2 and abs(sum(options.chances(options.division_id).values()) - 1) < 1e-9
    view = assignment.assign(
        registrar,
        AssignmentRequest(case_id, options.version, Method.AUTO, options.division_id, Bench.SOLE),
        random.Random(7),
    )
    assert view.presiding_judge_id in {j.id for j in judges}
    assert view.clerk_id in {c.id for c in options.clerks_in(options.division_id)}
    detail = cases.get_case(registrar, case_id)
    assert detail.status == "pending" and detail.presiding_judge == view.presiding_judge
    # The same seed draws the same judge: the draw is the service's, not the caller's.
    path = registrar.path
    audit = _rows(
        path,
        "SELECT changes FROM audit_log WHERE action = 'assignment.add' AND record_id = ?",
        view.id,
    )
    loads = json.loads(str(audit[0][0]))["candidates"][1]
    assert {judge_id for judge_id, _ in loads} == {j.id for j in judges}


def test_manual_choice_needs_a_reason_and_reassignment_keeps_the_history(
    registrar: Workspace,
) -> None:
    case_id = _registered(registrar, procedure="civil_ordinary")
    options = assignment.options(registrar, case_id)
    judges = options.judges_in(options.division_id)
    first, second = judges[0], judges[1]
    request = AssignmentRequest(
        case_id, options.version, Method.MANUAL, options.division_id, Bench.SOLE, first.id
    )
    with pytest.raises(ValidationError, match="指定分案须写明理由"):
        assignment.assign(registrar, request)
    assignment.assign(
        registrar,
        AssignmentRequest(
            case_id,
            options.version,
            Method.MANUAL,
            options.division_id,
            Bench.SOLE,
            first.id,
            reason="关联案件由同一承办人审理",
        ),
    )
    with pytest.raises(StaleRecordError):  # the case moved on since options were read
        assignment.assign(registrar, replace(request, reason="重复提交"))
    options = assignment.options(registrar, case_id)
    with pytest.raises(ValidationError, match="改派须写明理由"):
        assignment.assign(
            registrar,
            AssignmentRequest(
                case_id, options.version, Method.AUTO, options.division_id, Bench.PANEL
            ),
        )
    assessor = options.assessors[0].id
    panel = (
        PanelMember(second.id, PRESIDING),
        PanelMember(first.id, JUDGE_MEMBER),
        PanelMember(assessor, ASSESSOR),
    )
    view = assignment.assign(
        registrar,
        AssignmentRequest(
            case_id,
            options.version,
            Method.MANUAL,
            options.division_id,
            Bench.PANEL,
            second.id,
            members=panel,
            reason="原承办人回避",
        ),
    )
    history = assignment.history(registrar, case_id)
    assert [h.presiding_judge_id for h in history] == [second.id, first.id]
    assert history[0].is_current and history[1].ended_at is not None
    assert [m.user_id for m in history[0].members] == [second.id, first.id, assessor]
    assert view.bench_text.startswith("合议庭：审判长")
    rows = _rows(
        registrar.path,
        "SELECT count(*) FROM case_assignments WHERE case_id = ? AND ended_at IS NULL",
        case_id,
    )
    assert rows == [(1,)]
    actions = _rows(
        registrar.path, "SELECT action FROM audit_log WHERE case_id = ? ORDER BY id", case_id
    )
    assert [a for (a,) in actions].count("case.assign") == 2


def test_an_automatic_panel_draws_a_judge_and_an_assessor(registrar: Workspace) -> None:
    case_id = _registered(registrar, procedure="civil_ordinary")
    options = assignment.options(registrar, case_id)
    view = assignment.assign(
        registrar,
        AssignmentRequest(case_id, options.version, Method.AUTO, options.division_id, Bench.PANEL),
        random.Random(1),
    )
    roles = [m.role for m in view.members]
    assert roles == [PRESIDING, JUDGE_MEMBER, ASSESSOR]
    assert view.members[0].user_id == view.presiding_judge_id
    assert view.members[2].user_id in {a.id for a in options.assessors}


def test_closed_cases_and_unauthorised_users_are_refused(
    registrar: Workspace, demo_path: Path
) -> None:
    closed = _rows(demo_path, "SELECT id, version FROM cases WHERE status = 'closed' LIMIT 1")[0]
    options = assignment.options(registrar, int(str(closed[0])))
    with pytest.raises(CourtdeskError, match="已结案，不能再分案"):
        assignment.assign(
            registrar,
            AssignmentRequest(
                options.case_id, options.version, Method.AUTO, options.division_id, Bench.SOLE
            ),
        )
    clerk = _rows(
        demo_path,
        "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
        " WHERE r.role = 'clerk' LIMIT 1",
    )[0][0]
    ws = open_workspace(demo_path, str(clerk))
    try:
        with pytest.raises(PermissionDeniedError, match="分案"):
            assignment.assign(
                ws,
                AssignmentRequest(
                    options.case_id, options.version, Method.AUTO, options.division_id, Bench.SOLE
                ),
            )
    finally:
        ws.close()


def test_demo_assignments_match_the_cases(demo_path: Path) -> None:
    mismatched = _rows(
        demo_path,
        "SELECT count(*) FROM cases c JOIN case_assignments a ON a.case_id = c.id"
        " AND a.ended_at IS NULL WHERE a.presiding_judge_id IS NOT c.presiding_judge_id",
    )
    assert mismatched == [(0,)]
    unassigned = _rows(
        demo_path,
        "SELECT count(*) FROM cases c WHERE c.presiding_judge_id IS NOT NULL AND NOT EXISTS"
        " (SELECT 1 FROM case_assignments a WHERE a.case_id = c.id AND a.ended_at IS NULL)",
    )
    assert unassigned == [(0,)]
    panels = _rows(
        demo_path,
        "SELECT count(*) FROM case_assignments a WHERE a.bench = 'panel' AND"
        " (SELECT count(*) FROM case_panel_members m WHERE m.assignment_id = a.id) <> 3",
    )
    assert panels == [(0,)]
    assert _rows(
        demo_path, "SELECT count(*) > 0 FROM case_assignments WHERE ended_at IS NOT NULL"
    ) == [(1,)]
