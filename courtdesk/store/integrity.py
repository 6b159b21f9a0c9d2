"""Checking a database file without changing it: SQLite's integrity and foreign-key
checks and the audit chain, on a read-only connection.

``courtdesk check`` and the checks before and after a backup or restore use this, so
a suspect file (a tampered database, a backup from a failing disk) is read but never
migrated or written.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from courtdesk.domain.case_status import CaseStatus
from courtdesk.errors import DatabaseFileError
from courtdesk.store import audit
from courtdesk.store.database import APPLICATION_ID, translate_errors
from courtdesk.store.migrations import LATEST_VERSION

MAX_MESSAGES = 50


@dataclass(frozen=True)
class FileReport:
    path: Path
    schema_version: int
    integrity: tuple[str, ...]  # ("ok",) when sound
    foreign_keys: tuple[str, ...]
    chain: audit.ChainReport
    court_code: str | None
    # The kept case totals (migration 71) that differ from a fresh count.
    tallies: tuple[str, ...] = ()

    @property
    def sound(self) -> bool:
        return self.integrity == ("ok",) and not self.foreign_keys and not self.tallies

    @property
    def ok(self) -> bool:
        return self.sound and self.chain.ok


def _read_only(path: Path) -> sqlite3.Connection:
    # The file is never opened outside SQLite (see Database.open: closing another
    # descriptor of it would drop this program's other connections' locks).
    if not path.is_file():
        raise DatabaseFileError(f"数据库文件 {path} 不存在", str(path))
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def inspect(path: Path) -> FileReport:
    """Run every check on ``path`` (read-only) and report what was found."""
    conn = _read_only(path)
    try:
        with translate_errors(path):
            app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if app_id != APPLICATION_ID:
                raise DatabaseFileError(f"{path} 不是 courtdesk 数据库文件", str(path))
            if version > LATEST_VERSION:
                raise DatabaseFileError(
                    f"{path} 由更新版本的 courtdesk 写入（结构版本 {version}）", str(path)
                )
            integrity = tuple(
                str(r[0])
                for r in conn.execute(f"PRAGMA integrity_check({MAX_MESSAGES})").fetchall()
            )
            foreign = tuple(
                f"表 {r[0]} 第 {r[1]} 行引用的 {r[2]} 记录不存在"
                for r in conn.execute("PRAGMA foreign_key_check").fetchmany(MAX_MESSAGES)
            )
            chain = audit.verify_chain(conn)
            tallies = _tally_differences(conn, version) if version >= TALLIES_VERSION else ()
            row = conn.execute("SELECT value FROM settings WHERE key = 'court_code'").fetchone()
    except sqlite3.DatabaseError as error:
        # A file too damaged to read at all is reported, not raised past the check.
        return FileReport(
            path, 0, (f"无法读取：{error}",), (), audit.ChainReport(0, audit.GENESIS_HASH, ()), None
        )
    finally:
        conn.close()
    return FileReport(
        path, version, integrity, foreign, chain, str(row[0]) if row else None, tallies
    )


TALLIES_VERSION = 71
# From version 75 the totals are kept per is_private as well (a reader's count is
# public + their own private cases); an older file is checked by its own key.
PRIVATE_TALLIES_VERSION = 75


def _tally_check(version: int) -> str:
    key, private = "category, type_code, status", "0"
    if version >= PRIVATE_TALLIES_VERSION:
        key, private = key + ", is_private", "is_private"
    return f"""
SELECT type_code, status, sum(kept), sum(counted), {private} FROM (
    SELECT {key}, cases AS kept, 0 AS counted FROM case_tallies
    UNION ALL
    SELECT {key}, 0, count(*) FROM cases GROUP BY {key}
) GROUP BY {key} HAVING sum(kept) <> sum(counted)
"""


def _tally_differences(conn: sqlite3.Connection, version: int) -> tuple[str, ...]:
    """The docket's kept totals that a fresh count of the cases contradicts."""
    labels = {status.value: status.label for status in CaseStatus}
    return tuple(
        f"{r[0]}（{labels.get(r[1], r[1])}{'，不公开审理' if r[4] else ''}）案件数："
        f"记为 {r[2]} 件，实有 {r[3]} 件"
        for r in conn.execute(_tally_check(version)).fetchmany(MAX_MESSAGES)
    )
