"""The settings and holidays a connection keeps once read are read again after any change.

Another connection's commit (another workstation, another worker thread), this
connection's own commit and a rolled-back write must all show at the next read,
and an unchanged file must not be read again.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from courtdesk.store import court
from courtdesk.store import holidays as holiday_store
from courtdesk.store.database import Database


def _statements(db: Database) -> list[str]:
    seen: list[str] = []
    db.connection.set_trace_callback(seen.append)
    return seen


def test_an_unchanged_file_is_not_read_again(tmp_path: Path) -> None:
    with Database.open(tmp_path / "court.sqlite3", create=True) as db:
        with db.transaction() as tx:
            court.put_setting(tx, "hearing.court_hours", "08:30-12:00,13:30-17:30")
        assert court.get_setting(db.connection, "hearing.court_hours") == "08:30-12:00,13:30-17:30"
        court_calendar = holiday_store.court_calendar(db.connection)
        seen = _statements(db)
        with db.snapshot() as conn:
            assert court.get_setting(conn, "hearing.court_hours") == "08:30-12:00,13:30-17:30"
            assert court.get_settings(conn, ["hearing.court_hours", "unset"]) == {
                "hearing.court_hours": "08:30-12:00,13:30-17:30"
            }
            assert holiday_store.court_calendar(conn) is court_calendar
        assert not [s for s in seen if "settings" in s or "holiday" in s]
        # nothing can change under a snapshot: the file's counter is asked once in it
        assert sum("data_version" in s for s in seen) == 1


def test_a_commit_by_another_connection_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "court.sqlite3"
    with Database.open(path, create=True) as db, Database.open(path) as other:
        assert court.get_setting(db.connection, "service.post_days") is None
        assert not holiday_store.court_calendar(db.connection).is_known(2031)
        with other.transaction() as tx:
            court.put_setting(tx, "service.post_days", "5")
            holiday_store.replace_year(
                tx, 2031, [(date(2031, 1, 1), False, "元旦")], "admin", "2031-01-01T00:00"
            )
        assert court.get_setting(db.connection, "service.post_days") == "5"
        calendar = holiday_store.court_calendar(db.connection)
        assert calendar.is_known(2031) and not calendar.is_working_day(date(2031, 1, 1))


def test_a_commit_by_another_process_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "court.sqlite3"
    with Database.open(path, create=True) as db:
        assert court.get_setting(db.connection, "service.post_days") is None
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from courtdesk.store.database import Database;"
                " from courtdesk.store import court\n"
                "with Database.open(sys.argv[1]) as db, db.transaction() as tx:\n"
                "    court.put_setting(tx, 'service.post_days', '6')",
                str(path),
            ],
            check=True,
            timeout=60,
        )
        assert court.get_setting(db.connection, "service.post_days") == "6"


def test_this_connections_own_writes_and_rollbacks_are_seen(tmp_path: Path) -> None:
    with Database.open(tmp_path / "court.sqlite3", create=True) as db:
        with db.transaction() as tx:
            court.put_setting(tx, "service.post_days", "3")
        assert court.get_setting(db.connection, "service.post_days") == "3"
        with pytest.raises(RuntimeError), db.transaction() as tx:
            court.put_setting(tx, "service.post_days", "9")
            assert court.get_setting(tx, "service.post_days") == "9"  # inside: the new value
            raise RuntimeError("rolled back")
        assert court.get_setting(db.connection, "service.post_days") == "3"
        with db.transaction() as tx:
            court.put_setting(tx, "service.post_days", "4")
        assert court.get_setting(db.connection, "service.post_days") == "4"


def test_a_restored_backup_is_seen(tmp_path: Path) -> None:
    with Database.open(tmp_path / "court.sqlite3", create=True) as db:
        with db.transaction() as tx:
            court.put_setting(tx, "service.post_days", "3")
        db.backup_to(tmp_path / "backup.sqlite3")
        with db.transaction() as tx:
            court.put_setting(tx, "service.post_days", "8")
        assert court.get_setting(db.connection, "service.post_days") == "8"
        db.restore_from(tmp_path / "backup.sqlite3")
        assert court.get_setting(db.connection, "service.post_days") == "3"
