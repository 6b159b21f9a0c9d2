from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from courtdesk.errors import DatabaseFileError
from courtdesk.store.database import APPLICATION_ID, Database
from courtdesk.store.migrations import LATEST_VERSION, MIGRATIONS


def test_new_database_runs_the_whole_chain_with_safe_pragmas(tmp_path: Path) -> None:
    with Database.open(tmp_path / "new.sqlite3", create=True) as db:
        conn = db.connection
        assert db.schema_version == LATEST_VERSION == MIGRATIONS[-1][0]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DatabaseFileError, match="不存在") as caught:
        Database.open(tmp_path / "nope.sqlite3")
    assert "nope.sqlite3" in caught.value.message


def test_a_text_file_is_not_a_courtdesk_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(DatabaseFileError, match="不是 courtdesk 数据库"):
        Database.open(path)


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE t (x)")
    other.commit()
    other.close()
    with pytest.raises(DatabaseFileError, match="不是 courtdesk 数据库"):
        Database.open(path)


def test_a_database_from_a_newer_courtdesk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    Database.open(path, create=True).close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    raw.close()
    with pytest.raises(DatabaseFileError, match="更新版本的 courtdesk") as caught:
        Database.open(path)
    assert str(LATEST_VERSION + 1) in caught.value.message


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite3"
    Database.open(path, create=True).close()
    path.chmod(stat.S_IRUSR)
    with pytest.raises(DatabaseFileError, match="只读"):
        Database.open(path)


def test_read_only_folder_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root can write anywhere, so simulate the permission answer the OS would give a clerk.
    path = tmp_path / "court.sqlite3"
    Database.open(path, create=True).close()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == tmp_path else real_access(p, mode)
    )
    with pytest.raises(DatabaseFileError, match=r"文件夹.*只读"):
        Database.open(path)


def test_a_locked_database_gets_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.sqlite3"
    Database.open(path, create=True).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Database.open(path) as db:
            db.connection.execute("PRAGMA busy_timeout = 50")
            with pytest.raises(DatabaseFileError, match="锁定"), db.transaction() as conn:
                conn.execute("INSERT INTO settings VALUES ('k', 'v')")
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_transaction_rolls_back_everything_on_error(tmp_path: Path) -> None:
    with Database.open(tmp_path / "t.sqlite3", create=True) as db:
        with pytest.raises(RuntimeError), db.transaction() as conn:
            conn.execute("INSERT INTO settings VALUES ('a', '1')")
            raise RuntimeError("boom")
        assert db.query("SELECT * FROM settings") == []


def test_nested_transaction_is_a_savepoint(tmp_path: Path) -> None:
    with Database.open(tmp_path / "t.sqlite3", create=True) as db:
        with db.transaction() as conn:
            conn.execute("INSERT INTO settings VALUES ('outer', '1')")
            with pytest.raises(ValueError), db.transaction() as inner:
                inner.execute("INSERT INTO settings VALUES ('inner', '1')")
                raise ValueError
        assert [r[0] for r in db.query("SELECT key FROM settings")] == ["outer"]


def test_migrating_an_old_database_keeps_a_copy_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An existing database at an older version is backed up before the chain continues."""
    from courtdesk.store import database as database_module

    path = tmp_path / "old.sqlite3"
    # Build the database as a courtdesk with one migration fewer would have.
    first = MIGRATIONS[:1]
    monkeypatch.setattr(database_module, "MIGRATIONS", first)
    monkeypatch.setattr(database_module, "LATEST_VERSION", first[-1][0])
    Database.open(path, create=True).close()
    extra = type(
        "Extra", (), {"upgrade": staticmethod(lambda c: c.execute("CREATE TABLE extra (x)"))}
    )
    chain = (*first, (first[-1][0] + 1, extra))
    assert not Database.needs_upgrade(path)
    monkeypatch.setattr(database_module, "MIGRATIONS", chain)
    monkeypatch.setattr(database_module, "LATEST_VERSION", chain[-1][0])
    assert Database.needs_upgrade(path)
    assert not Database.needs_upgrade(tmp_path / "missing.sqlite3")
    with Database.open(path) as db:
        assert db.schema_version == chain[-1][0]
        assert db.query("SELECT name FROM sqlite_schema WHERE name = 'extra'")
    assert not Database.needs_upgrade(path)
    backups = list(tmp_path.glob("old.before-v*.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as copy:
        assert copy.execute("PRAGMA user_version").fetchone()[0] == first[-1][0]


def test_a_connection_refuses_other_threads(tmp_path: Path) -> None:
    import threading

    db = Database.open(tmp_path / "t.sqlite3", create=True)
    errors: list[BaseException] = []

    def use() -> None:
        try:
            db.query("SELECT 1")
        except RuntimeError as error:
            errors.append(error)

    thread = threading.Thread(target=use)
    thread.start()
    thread.join()
    db.close()
    assert errors


def test_read_only_file_is_named_even_for_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ro.sqlite3"
    Database.open(path, create=True).close()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == path else real_access(p, mode)
    )
    with pytest.raises(DatabaseFileError, match="只读") as caught:
        Database.open(path)
    assert str(path) in caught.value.message


def test_opening_another_connection_never_drops_this_programs_locks(tmp_path: Path) -> None:
    """Closing any descriptor of the file drops every POSIX lock the process holds on it.

    If opening a second connection peeked at the file with open()/close(), the first
    connection's locks would vanish, and another program closing its connection
    would think it was the last one and delete the WAL that still holds our data.
    """
    import subprocess
    import sys

    path = tmp_path / "court.sqlite3"
    first = Database.open(path, create=True)
    with first.transaction() as tx:
        tx.execute("INSERT INTO settings (key, value) VALUES ('k', 'v')")
    Database.open(path).close()  # another worker thread of this program comes and goes
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
            " c.execute('SELECT count(*) FROM settings').fetchone(); c.close()",
            str(path),
        ],
        check=True,
        timeout=60,
    )
    # We still hold the file open: the other program was not the last one out.
    assert path.with_name(path.name + "-wal").exists()
    assert first.query_one("SELECT value FROM settings WHERE key = 'k'")[0] == "v"  # type: ignore[index]
    first.close()


def test_a_migration_merged_out_of_order_is_still_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Branches developed in parallel land in any order: the ledger, not the highest
    number, decides what a database still needs."""
    from courtdesk.store import database as database_module

    path = tmp_path / "court.sqlite3"
    base = MIGRATIONS[:1]
    later = type(
        "Later", (), {"upgrade": staticmethod(lambda c: c.execute("CREATE TABLE later (x)"))}
    )
    early = type(
        "Early", (), {"upgrade": staticmethod(lambda c: c.execute("CREATE TABLE early (x)"))}
    )
    monkeypatch.setattr(database_module, "MIGRATIONS", (*base, (50, later)))
    monkeypatch.setattr(database_module, "LATEST_VERSION", 50)
    Database.open(path, create=True).close()
    monkeypatch.setattr(database_module, "MIGRATIONS", (*base, (20, early), (50, later)))
    with Database.open(path) as db:
        assert db.query("SELECT name FROM sqlite_schema WHERE name = 'early'")
        assert [
            r[0] for r in db.query("SELECT version FROM schema_migrations ORDER BY version")
        ] == [1, 20, 50]
        assert db.schema_version == 50
    # A program that does not know migration 50 refuses the file.
    monkeypatch.setattr(database_module, "MIGRATIONS", (*base, (20, early)))
    monkeypatch.setattr(database_module, "LATEST_VERSION", 20)
    with pytest.raises(DatabaseFileError, match="更新版本"):
        Database.open(path)


def test_an_old_database_migrates_once_and_opens_again(tmp_path: Path) -> None:
    """A database from before the migration ledger keeps its history in the ledger."""
    import shutil

    fixture = sorted((Path(__file__).parents[1] / "fixtures").glob("courtdesk-v*.sqlite3"))[0]
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(fixture, path)
    Database.open(path).close()
    with Database.open(path) as db:  # the second opening must not migrate again
        applied = {int(r[0]) for r in db.query("SELECT version FROM schema_migrations")}
    assert applied == {version for version, _ in MIGRATIONS}
