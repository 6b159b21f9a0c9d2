"""The one class that owns a SQLite connection to a courtdesk database.

Court records must survive a power cut and two workstations writing at once, so
every connection runs with WAL, ``synchronous=FULL``, foreign keys and a busy
timeout, and every write goes through ``transaction()`` (``BEGIN IMMEDIATE``: the
write lock is taken up front, so two writers queue instead of failing half-way).

A connection belongs to the thread that opened it; the GUI opens one per worker
thread (see services.workspace).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from courtdesk.errors import DatabaseFileError
from courtdesk.store.connection import CourtConnection
from courtdesk.store.migrations import LATEST_VERSION, MIGRATIONS

# "CDK1": marks the file as courtdesk's, so another program's SQLite file is refused.
APPLICATION_ID = 0x43444B31
BUSY_TIMEOUT_MS = 15_000
STATEMENT_CACHE = 1024  # prepared statements kept per connection (see Database.open)

Params = Sequence[Any] | dict[str, Any]


def applied_migrations(conn: sqlite3.Connection) -> set[int]:
    """The migrations a database has had.

    Recorded in ``schema_migrations`` (the ledger), so a migration merged out of
    numeric order, from a branch developed in parallel, is still applied once. A
    database from before the ledger applied the chain in order up to its
    ``user_version``.
    """
    if conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'schema_migrations'").fetchone():
        return {int(r[0]) for r in conn.execute("SELECT version FROM schema_migrations")}
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    return {v for v, _ in MIGRATIONS if v <= version}


class Database:
    """A courtdesk database file, opened, checked and migrated to the current schema."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._conn = connection
        self._depth = 0
        self._owner = threading.get_ident()

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = False) -> Database:
        """Open (and if needed migrate) a courtdesk database.

        ``create``: make a new, empty courtdesk database if the file does not exist.
        Raises DatabaseFileError with a message naming the file when it is missing,
        not a courtdesk database, written by a newer courtdesk, read-only or locked.
        """
        path = Path(path).expanduser().absolute()
        exists = path.exists() and path.stat().st_size > 0
        if not exists and not create:
            raise DatabaseFileError(f"数据库文件 {path} 不存在", str(path))
        # No peek at the header with open()/close() here: closing any descriptor of
        # the file drops every POSIX lock this process holds on it, including the
        # locks of this program's other connections (SQLite's "how to corrupt" §2.2),
        # and another workstation could then delete the WAL under them. SQLite reads
        # the header itself and a foreign file fails with "file is not a database".
        _check_writable(path, exists)
        try:
            conn = sqlite3.connect(
                str(path),
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                # Use is still confined to the opening thread (_check_thread); only
                # close() may come from another thread, when a workspace shuts down.
                check_same_thread=False,
                # Preparing a statement costs several times running it (a conflict
                # check's: 0.7 ms against 0.2), and the docket, search, service desk
                # and calendar together use more than the default 128 shapes, so with
                # the default each screen pushed the others' statements out.
                cached_statements=STATEMENT_CACHE,
                factory=CourtConnection,  # keeps the settings and holidays once read
            )
        except sqlite3.Error as error:
            raise DatabaseFileError(f"无法打开数据库文件 {path}：{error}", str(path)) from error
        conn.row_factory = sqlite3.Row
        db = cls(path, conn)
        try:
            db._configure()
            db._check_identity(is_new=not exists)
            db._migrate(is_new=not exists)
        except BaseException:
            conn.close()
            raise
        return db

    def _configure(self) -> None:
        with translate_errors(self.path):
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise DatabaseFileError(
                    f"数据库文件 {self.path} 无法切换到 WAL 日志模式（当前 {mode}）", str(self.path)
                )
            self._conn.execute("PRAGMA synchronous = FULL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA temp_store = MEMORY")
            # 64 MB page cache: the docket's sorted pages stay hot while a clerk scrolls.
            self._conn.execute("PRAGMA cache_size = -65536")

    def _check_identity(self, *, is_new: bool) -> None:
        with translate_errors(self.path):
            app_id = self._conn.execute("PRAGMA application_id").fetchone()[0]
            version = self.schema_version
            tables = self._conn.execute(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
            ).fetchone()[0]
        if is_new or (app_id == 0 and version == 0 and tables == 0):
            return
        if app_id != APPLICATION_ID:
            raise DatabaseFileError(
                f"{self.path} 不是 courtdesk 数据库文件（可能是其他程序的数据库）", str(self.path)
            )
        if version > LATEST_VERSION:
            raise DatabaseFileError(
                f"数据库文件 {self.path} 由更新版本的 courtdesk 写入（结构版本 {version}，"
                f"本程序最高支持 {LATEST_VERSION}），请先升级 courtdesk 再打开",
                str(self.path),
            )

    def _applied_migrations(self) -> set[int]:
        return applied_migrations(self._conn)

    @staticmethod
    def needs_upgrade(path: str | os.PathLike[str]) -> bool:
        """Whether opening ``path`` will migrate it: a quick read-only look, so the program
        can say it is upgrading before a long migration starts. False for a missing or
        unreadable file (opening it then says what is wrong)."""
        path = Path(path).expanduser().absolute()
        if not path.exists() or path.stat().st_size == 0:
            return False
        try:
            conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
            try:
                applied = applied_migrations(conn)
            finally:
                conn.close()
        except sqlite3.Error:
            return False
        return any(version not in applied for version, _ in MIGRATIONS)

    def _migrate(self, *, is_new: bool) -> None:
        """Apply every migration this database has not had, in order; a new database gets all.

        An existing database is copied aside first (``name.before-vN.sqlite3``), so a
        failed upgrade never leaves the court without its records.
        """
        with translate_errors(self.path):
            applied = self._applied_migrations()
        unknown = applied - {version for version, _ in MIGRATIONS}
        if unknown:
            raise DatabaseFileError(
                f"数据库文件 {self.path} 含有本程序不认识的结构变更（{sorted(unknown)}），"
                "应由更新版本的 courtdesk 写入，请先升级 courtdesk 再打开",
                str(self.path),
            )
        missing = [(v, m) for v, m in MIGRATIONS if v not in applied]
        if not missing:
            return
        if not is_new and applied:
            self.backup_to(
                self.path.with_name(f"{self.path.stem}.before-v{LATEST_VERSION}.sqlite3")
            )
        for version, migration in missing:
            with self.transaction() as conn:
                # Another program may have migrated while we waited for the write lock.
                # Read what was applied *before* creating the ledger: a database from
                # before it counts by user_version, and that must be written into it,
                # or the next opening would run those migrations a second time.
                done = self._applied_migrations()
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations"
                    " (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
                if not conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]:
                    conn.executemany(
                        "INSERT INTO schema_migrations VALUES (?, 'before the ledger')",
                        [(v,) for v in sorted(done)],
                    )
                if version in done:
                    continue
                migration.upgrade(conn)
                conn.execute(
                    "INSERT INTO schema_migrations VALUES (?, datetime('now'))", (version,)
                )
                conn.execute(f"PRAGMA user_version = {max(version, self.schema_version)}")
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    # ------------------------------------------------------------------ use
    @property
    def schema_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; nested calls become savepoints of the outer one.

        Everything inside commits together or not at all: a case, its parties, its
        number and its audit rows are never half-stored.
        """
        self._check_thread()
        with translate_errors(self.path):
            if self._depth == 0:
                self._conn.execute("BEGIN IMMEDIATE")
            else:
                self._conn.execute(f"SAVEPOINT sp{self._depth}")
            self._depth += 1
            try:
                yield self._conn
            except BaseException:
                self._depth -= 1
                if not self._conn.in_transaction:
                    # SQLite already rolled the whole transaction back itself (it does
                    # on SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM): nothing is left to undo,
                    # and the original error is the one the user must see.
                    raise
                if self._depth == 0:
                    self._conn.execute("ROLLBACK")
                else:
                    self._conn.execute(f"ROLLBACK TO sp{self._depth}")
                    self._conn.execute(f"RELEASE sp{self._depth}")
                raise
            self._depth -= 1
            if self._depth == 0:
                self._conn.execute("COMMIT")
            else:
                self._conn.execute(f"RELEASE sp{self._depth}")

    def _set_reading(self, reading: bool) -> None:
        if isinstance(self._conn, CourtConnection):
            if reading:
                self._conn.begin_reading()
            else:
                self._conn.end_reading()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: several queries see one consistent state of the file."""
        self._check_thread()
        if self._depth:
            yield self._conn
            return
        with translate_errors(self.path):
            self._conn.execute("BEGIN")
            self._depth += 1
            self._set_reading(True)
            try:
                yield self._conn
            finally:
                self._set_reading(False)
                self._depth -= 1
                self._conn.execute("COMMIT")

    def query(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        self._check_thread()
        with translate_errors(self.path):
            return self._conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        self._check_thread()
        with translate_errors(self.path):
            row: sqlite3.Row | None = self._conn.execute(sql, params).fetchone()
            return row

    @property
    def connection(self) -> sqlite3.Connection:
        """The raw connection, for store modules that run their own statements."""
        self._check_thread()
        return self._conn

    def backup_to(self, target: Path) -> None:
        """A consistent copy of the whole database (SQLite's online backup API).

        Written to ``target.part`` and renamed when complete, so a failure (a full
        disk, a network share gone) never leaves a half-written file under the
        real name; the partial file is removed.
        """
        self._check_thread()
        tmp = target.with_name(target.name + ".part")
        with translate_errors(target, file_errors=True):
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                dest = sqlite3.connect(str(tmp))
                try:
                    self._conn.backup(dest)
                    # A backup is one self-contained file: no -wal/-shm beside it, ever.
                    dest.execute("PRAGMA journal_mode = DELETE")
                finally:
                    dest.close()
                shutil.move(str(tmp), str(target))
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise

    def restore_from(self, source: Path) -> None:
        """Replace this database's whole content with ``source``'s, in place.

        The backup API copies the pages into the live file under SQLite's own
        locks, so another program with the file open sees the restored data
        instead of a file swapped away underneath it.
        """
        self._check_thread()
        if self._depth:
            raise RuntimeError("restore_from inside a transaction")
        with translate_errors(self.path, file_errors=True):
            src = sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro", uri=True)
            try:
                src.backup(self._conn)
            finally:
                src.close()
                if isinstance(self._conn, CourtConnection):
                    self._conn.forget()

    def close(self) -> None:
        self._conn.close()

    def _check_thread(self) -> None:
        if threading.get_ident() != self._owner:
            raise RuntimeError("a Database connection is used from a thread that did not open it")

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_writable(path: Path, exists: bool) -> None:
    folder = path.parent
    if not folder.is_dir():
        raise DatabaseFileError(f"数据库文件所在的文件夹 {folder} 不存在", str(path))
    if exists and not os.access(path, os.W_OK):
        raise DatabaseFileError(
            f"数据库文件 {path} 是只读的，courtdesk 无法在其中保存记录", str(path)
        )
    # WAL keeps its -wal and -shm files beside the database, so the folder must be writable too.
    if not os.access(folder, os.W_OK):
        raise DatabaseFileError(
            f"数据库文件所在的文件夹 {folder} 是只读的，courtdesk 无法在其中保存记录", str(path)
        )


_SQLITE_MESSAGES = (
    ("database is locked", "数据库文件 {path} 正被其他程序锁定，请稍后重试"),
    ("database table is locked", "数据库文件 {path} 正被其他程序锁定，请稍后重试"),
    ("readonly database", "数据库文件 {path} 是只读的，本次修改未保存"),
    ("disk is full", "磁盘空间已满，无法写入数据库文件 {path}，本次修改未保存"),
    ("disk i/o error", "读写数据库文件 {path} 时发生磁盘错误，本次修改未保存"),
    ("file is not a database", "{path} 不是 courtdesk 数据库文件（不是 SQLite 格式）"),
    ("database disk image is malformed", "数据库文件 {path} 已损坏，请用备份恢复"),
    ("unable to open database file", "无法打开数据库文件 {path}"),
)


@contextlib.contextmanager
def translate_errors(path: Path, file_errors: bool = False) -> Iterator[None]:
    """Turn SQLite's file-level failures into a clear message naming the file.

    Anything else (a constraint or syntax error) is a programming error and is
    re-raised unchanged so it is seen and fixed, not hidden behind a friendly text.
    ``file_errors`` also translates OSError, for code that only does file work
    (copying a backup); inside a transaction an OSError is the caller's own.
    """
    try:
        yield
    except sqlite3.DatabaseError as error:
        if isinstance(error, sqlite3.IntegrityError | sqlite3.ProgrammingError):
            raise
        translated = _translated(error, path)
        if translated is None:
            raise
        raise translated from error
    except OSError as error:
        if not file_errors:
            raise
        raise DatabaseFileError(
            f"读写数据库文件 {path} 失败：{error.strerror or error}", str(path)
        ) from error


def _translated(error: sqlite3.Error, path: Path) -> DatabaseFileError | None:
    text = str(error).lower()
    for needle, message in _SQLITE_MESSAGES:
        if needle in text:
            return DatabaseFileError(message.format(path=path), str(path))
    return None
