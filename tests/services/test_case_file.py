"""Opening a case reads its 概要, 开庭, 送达 and 审限 together, as each tab's own service would."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from courtdesk.errors import NotFoundError, PermissionDeniedError
from courtdesk.services import case_file, cases, hearings, time_limits
from courtdesk.services import service as svc
from courtdesk.services.workspace import default_username, open_workspace

TODAY = date(2026, 11, 20)


def busy_case(path: Path) -> int:
    """A case with hearings, service tasks with attempts, and an extension or a conversion."""
    with sqlite3.connect(path) as conn:
        row = conn.execute(
            "SELECT c.id FROM cases c WHERE c.is_private = 0"
            " AND EXISTS (SELECT 1 FROM hearings h WHERE h.case_id = c.id)"
            " AND EXISTS (SELECT 1 FROM service_tasks t JOIN service_attempts a"
            "             ON a.task_id = t.id WHERE t.case_id = c.id)"
            " ORDER BY (SELECT count(*) FROM service_tasks t WHERE t.case_id = c.id) DESC"
            " LIMIT 1"
        ).fetchone()
    assert row is not None, "the demo has a case with hearings and service attempts"
    return int(row[0])


def test_opening_a_case_gives_what_each_tab_would_read_for_itself(demo_path: Path) -> None:
    case_id = busy_case(demo_path)
    probe = open_workspace(demo_path)
    username = default_username(probe)
    probe.close()
    ws = open_workspace(demo_path, username)
    try:
        opened = case_file.open_case(ws, case_id, today=TODAY)
        assert opened.detail == cases.get_case(ws, case_id)
        assert opened.hearings == hearings.case_hearings(ws, case_id)
        assert opened.time_limit == time_limits.case_time_limit(ws, case_id, today=TODAY)
        assert opened.service == svc.case_service(ws, case_id, today=TODAY)
        assert opened.hearings and opened.service
        assert any(t.last_attempt for party in opened.service for t in party.tasks)
    finally:
        ws.close()


def test_opening_a_case_is_one_snapshot_with_one_permission_check(demo_path: Path) -> None:
    case_id = busy_case(demo_path)
    probe = open_workspace(demo_path)
    ws = open_workspace(demo_path, default_username(probe))
    probe.close()
    statements: list[str] = []
    ws.db.connection.set_trace_callback(statements.append)
    try:
        case_file.open_case(ws, case_id, today=TODAY)
    finally:
        ws.db.connection.set_trace_callback(None)
        ws.close()
    assert sum(s.strip() == "BEGIN" for s in statements) == 1
    panel_reads = [s for s in statements if "case_panel_members" in s]
    assert len(panel_reads) == 1, panel_reads
    party_reads = [s for s in statements if s.startswith("SELECT * FROM parties")]
    assert len(party_reads) == 1, party_reads


def test_a_reader_without_service_rights_opens_the_case_without_its_service(
    demo_path: Path,
) -> None:
    case_id = busy_case(demo_path)
    ws = open_workspace(demo_path, "admin")  # 系统管理员: reads cases, not their service
    try:
        opened = case_file.open_case(ws, case_id, today=TODAY)
        assert opened.service is None
        assert opened.detail.id == case_id and opened.hearings
        with pytest.raises(PermissionDeniedError):
            svc.case_service(ws, case_id)
    finally:
        ws.close()


def test_a_missing_case_is_named(demo_path: Path) -> None:
    ws = open_workspace(demo_path, "admin")
    try:
        with pytest.raises(NotFoundError, match="编号为 99999999 的案件不存在"):
            case_file.open_case(ws, 99_999_999)
    finally:
        ws.close()
