"""A full disk: the user gets a clear message and the database stays intact."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from courtdesk.domain.parties import PartyDraft
from courtdesk.errors import DatabaseFileError
from courtdesk.services import accounts, cases, maintenance
from courtdesk.services.accounts import DEMO_PASSWORD
from courtdesk.services.cases import CaseDraft
from courtdesk.services.demo import fill_demo
from courtdesk.services.workspace import Workspace
from tests.crash.small_disk import fill_up, small_disk

__all__ = ["small_disk"]


def draft(name: str) -> CaseDraft:
    return CaseDraft(
        "民初",
        "civil_summary",
        "买卖合同纠纷",
        date(2026, 11, 20),
        (PartyDraft("原告", f"{name}甲"), PartyDraft("被告", f"{name}乙")),
        # A long address makes each case big enough to need new pages.
    )


def case_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM cases").fetchone()[0])
    finally:
        conn.close()


def test_a_database_that_cannot_grow_refuses_clearly_and_stays_intact(
    registrar: Workspace,
) -> None:
    # Simulated with SQLite's own limit: the same SQLITE_FULL a full disk gives.
    conn = registrar.db.connection
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    before = case_count(registrar.path)
    with pytest.raises(DatabaseFileError, match=r"磁盘空间已满.*本次修改未保存") as refused:
        for n in range(200):
            cases.register_case(registrar, draft(f"满{n}"))
    assert str(registrar.path) in refused.value.message
    stored = case_count(registrar.path)
    conn.execute(f"PRAGMA max_page_count = {pages * 10}")
    assert maintenance.check_file(registrar.path).ok
    # Every case either fully stored (with its parties) or not at all; work goes on.
    with sqlite3.connect(registrar.path) as check:
        orphans = check.execute(
            "SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM parties p WHERE p.case_id = c.id)"
        ).fetchone()[0]
    assert orphans == 0 and stored >= before
    cases.register_case(registrar, draft("恢复后"))
    assert case_count(registrar.path) == stored + 1


def test_a_really_full_file_system(small_disk: Path, tmp_path: Path) -> None:
    template = tmp_path / "court.sqlite3"
    fill_demo(template, 0, seed=2)
    path = small_disk / "court.sqlite3"
    shutil.copyfile(template, path)
    with sqlite3.connect(path) as conn:
        registrar = conn.execute(
            "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
            " WHERE r.role = 'registrar' LIMIT 1"
        ).fetchone()[0]
    ws = accounts.sign_in(path, registrar, DEMO_PASSWORD)
    try:
        cases.register_case(ws, draft("空间足够"))
        filler = fill_up(small_disk)
        before = case_count(path)
        with pytest.raises(DatabaseFileError, match="磁盘空间已满") as refused:
            for n in range(500):
                cases.register_case(ws, draft(f"磁盘满{n}" + "长" * 90))
        assert "本次修改未保存" in refused.value.message
        stored = case_count(path)
        assert stored >= before
        filler.unlink()
        report = maintenance.check_file(path)
        assert report.ok, maintenance.report_lines(report)
        cases.register_case(ws, draft("腾出空间后"))
        assert case_count(path) == stored + 1
    finally:
        ws.close()


def test_a_backup_to_a_full_disk_leaves_no_half_file_and_says_why(
    small_disk: Path, demo_path: Path
) -> None:
    admin = accounts.sign_in(demo_path, "admin", DEMO_PASSWORD)
    try:
        fill_up(small_disk)
        target = small_disk / "backup.sqlite3"
        with pytest.raises(DatabaseFileError, match="所在的磁盘空间已满，数据库本身未受影响"):
            maintenance.backup(admin, target)
        assert not target.exists()
        assert not list(small_disk.glob("*.part"))
        assert maintenance.check_file(demo_path).ok
    finally:
        admin.close()
