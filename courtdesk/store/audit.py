"""The audit trail: one row per change, chained by hash.

Rows are written by services inside the transaction of the change they record, so
a change and its audit row commit or vanish together. Each row's ``hash`` covers
its content and the previous row's hash (SHA-256 over canonical JSON); editing or
deleting a row outside courtdesk breaks the chain at that row.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    username: str
    action: str
    table_name: str
    record_id: int | None
    case_id: int | None
    changes: dict[str, Any]


def now_iso() -> str:
    """Local time with its UTC offset, to the second: what the audit trail records."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def row_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def hashed_fields(
    at: str,
    user_id: int | None,
    username: str,
    action: str,
    table_name: str,
    record_id: int | None,
    case_id: int | None,
    changes_json: str,
) -> dict[str, Any]:
    return {
        "at": at,
        "user_id": user_id,
        "username": username,
        "action": action,
        "table_name": table_name,
        "record_id": record_id,
        "case_id": case_id,
        "changes": changes_json,
    }


def append(
    conn: sqlite3.Connection,
    *,
    user_id: int | None,
    username: str,
    action: str,
    table_name: str,
    record_id: int | None,
    case_id: int | None,
    changes: dict[str, Any],
) -> int:
    """Write one audit row; must run inside the caller's write transaction."""
    if not conn.in_transaction:
        raise RuntimeError("audit rows are written inside the transaction of their change")
    last = conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    prev_hash = last[0] if last else GENESIS_HASH
    at = now_iso()
    changes_json = json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str)
    digest = row_hash(
        prev_hash,
        hashed_fields(at, user_id, username, action, table_name, record_id, case_id, changes_json),
    )
    cursor = conn.execute(
        "INSERT INTO audit_log (at, user_id, username, action, table_name, record_id, case_id,"
        " changes, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (
            at,
            user_id,
            username,
            action,
            table_name,
            record_id,
            case_id,
            changes_json,
            prev_hash,
            digest,
        ),
    )
    return int(cursor.lastrowid or 0)


def last_change(conn: sqlite3.Connection, table_name: str, record_id: int) -> AuditEntry | None:
    row = conn.execute(
        "SELECT * FROM audit_log WHERE table_name = ? AND record_id = ? ORDER BY id DESC LIMIT 1",
        (table_name, record_id),
    ).fetchone()
    return _entry(row) if row else None


def for_case(conn: sqlite3.Connection, case_id: int) -> list[AuditEntry]:
    rows = conn.execute(
        "SELECT * FROM audit_log WHERE case_id = ? ORDER BY id", (case_id,)
    ).fetchall()
    return [_entry(r) for r in rows]


def _entry(row: sqlite3.Row) -> AuditEntry:
    return AuditEntry(
        id=row["id"],
        at=row["at"],
        username=row["username"],
        action=row["action"],
        table_name=row["table_name"],
        record_id=row["record_id"],
        case_id=row["case_id"],
        changes=json.loads(row["changes"]),
    )
