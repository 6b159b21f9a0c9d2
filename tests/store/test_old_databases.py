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
from courtdesk.store.migrations import LATEST_VERSION

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
