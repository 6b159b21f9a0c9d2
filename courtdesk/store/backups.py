"""The record of backups made (table ``backups``)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class BackupRecord:
    id: int
    at: str
    kind: str
    path: str
    size_bytes: int
    audit_rows: int
    audit_hash: str
    username: str


def insert(
    conn: sqlite3.Connection,
    *,
    at: str,
    kind: str,
    path: str,
    size_bytes: int,
    audit_rows: int,
    audit_hash: str,
    username: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO backups (at, kind, path, size_bytes, audit_rows, audit_hash, username)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (at, kind, path, size_bytes, audit_rows, audit_hash, username),
    )
    return int(cursor.lastrowid or 0)


def latest(
    conn: sqlite3.Connection, kinds: tuple[str, ...], limit: int = 100
) -> list[BackupRecord]:
    rows = conn.execute(
        f"SELECT * FROM backups WHERE kind IN ({','.join('?' * len(kinds))})"
        " ORDER BY at DESC, id DESC LIMIT ?",
        (*kinds, limit),
    ).fetchall()
    return [BackupRecord(**dict(r)) for r in rows]
