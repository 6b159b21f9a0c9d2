"""Databases written by earlier courtdesk versions open and migrate (Anki keeps old
databases as fixtures for the same reason): tests/fixtures/courtdesk-vN.sqlite3 were
made by the courtdesk of schema version N. Add one whenever the schema changes."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from courtdesk.services import cases, docket
from courtdesk.services.docket import DocketFilter
from courtdesk.services.workspace import open_workspace
from courtdesk.store.migrations import LATEST_VERSION, MIGRATIONS

FIXTURES = sorted((Path(__file__).parent.parent / "fixtures").glob("courtdesk-v*.sqlite3"))


def test_there_is_a_fixture_for_an_older_schema() -> None:
    assert FIXTURES, "keep at least one database made by an earlier schema version"


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_an_old_database_opens_migrates_and_keeps_its_records(
    fixture: Path, tmp_path: Path
) -> None:
    copy = tmp_path / fixture.name
    shutil.copyfile(fixture, copy)
    with sqlite3.connect(copy) as raw:
        old_version = raw.execute("PRAGMA user_version").fetchone()[0]
        before = raw.execute("SELECT count(*) FROM cases").fetchone()[0]
        number = raw.execute("SELECT case_number FROM cases ORDER BY id LIMIT 1").fetchone()[0]
        names = [
            r[0]
            for r in raw.execute(
                "SELECT name FROM parties WHERE case_id = (SELECT min(id) FROM cases) ORDER BY position"
            )
        ]
    ws = open_workspace(copy)
    try:
        assert ws.db.schema_version == LATEST_VERSION
        assert docket.count(ws, DocketFilter()) == before
        detail = cases.find_case(ws, number)
        assert [p.name for p in detail.parties] == names
    finally:
        ws.close()
    if old_version < LATEST_VERSION:
        assert list(tmp_path.glob(f"{copy.stem}.before-v*.sqlite3")), (
            "a safety copy is kept before migrating"
        )
    # Opened again, nothing is migrated twice: the ledger kept the old history.
    again = open_workspace(copy)
    try:
        assert cases.find_case(again, number).case_number == number
        ledger = {r[0] for r in again.db.query("SELECT version FROM schema_migrations")}
        assert ledger == {version for version, _ in MIGRATIONS}
    finally:
        again.close()


def test_a_schema_76_database_gets_each_service_tasks_basis(tmp_path: Path) -> None:
    """v77 stores each task's basis beside its state: a file made by the courtdesk of
    schema 76 (a small demo court) gets the basis the rules derive from its attempts."""
    from datetime import date

    from courtdesk.domain.service import NOT_YET_TRIED, derive_status, withdrawn_basis
    from courtdesk.services.holidays import calendar_for
    from courtdesk.store.service import attempt_from_row

    copy = tmp_path / "court.sqlite3"
    shutil.copyfile(Path(__file__).parent.parent / "fixtures" / "courtdesk-v76.sqlite3", copy)
    ws = open_workspace(copy)
    try:
        conn = ws.db.connection
        calendar = calendar_for(conn)
        tasks = conn.execute("SELECT * FROM service_tasks").fetchall()
        tried = 0
        for task in tasks:
            attempts = [
                attempt_from_row(a)
                for a in conn.execute(
                    "SELECT * FROM service_attempts WHERE task_id = ? ORDER BY id", (task["id"],)
                )
            ]
            confirmed = bool(task["address_confirmed"])
            expected = (
                withdrawn_basis(task["withdrawn_reason"])
                if task["state"] == "withdrawn"
                else derive_status(attempts, confirmed, date.today(), calendar).basis
            )
            assert task["basis"] == expected, dict(task)
            tried += bool(attempts)
        assert tried and tried < len(tasks)  # both kinds were in the file
        assert any(t["basis"] == NOT_YET_TRIED for t in tasks)
    finally:
        ws.close()
