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


@dataclass(frozen=True)
class ChainProblem:
    """One place where the audit trail no longer matches its hash chain."""

    audit_id: int | None
    message: str  # Chinese, names the row


@dataclass(frozen=True)
class ChainReport:
    rows: int
    head_hash: str
    problems: tuple[ChainProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


GUARDED_SINCE = 61  # the schema version that added audit_head and the guard triggers
GUARD_TRIGGERS = ("audit_log_head", "audit_log_no_update", "audit_log_no_delete")
MAX_REPORTED = 50


def _describe(row: sqlite3.Row) -> str:
    return f"第 {row['id']} 条操作记录（{row['at'][:19].replace('T', ' ')}，{row['username']}，{row['action']}）"


def verify_chain(conn: sqlite3.Connection) -> ChainReport:
    """Recompute every audit row's hash and follow the chain; name each row that breaks.

    Finds a row whose content was changed (its hash no longer fits), a row whose
    stored hash was recomputed after a change (the next row no longer points at
    it), rows deleted from the middle (a gap in the ids and a broken link) and rows
    deleted from the end (the chain is shorter than its recorded head).
    """
    problems: list[ChainProblem] = []

    def problem(audit_id: int | None, message: str) -> None:
        if len(problems) < MAX_REPORTED:
            problems.append(ChainProblem(audit_id, message))

    prev_hash = GENESIS_HASH
    prev_id = 0
    rows = 0
    cursor = conn.execute(
        "SELECT id, at, user_id, username, action, table_name, record_id, case_id, changes,"
        " prev_hash, hash FROM audit_log ORDER BY id"
    )
    for row in cursor:
        rows += 1
        audit_id = int(row["id"])
        if audit_id != prev_id + 1:
            first, last = prev_id + 1, audit_id - 1
            span = f"第 {first} 条" if first == last else f"第 {first}–{last} 条"
            problem(audit_id, f"操作记录{span}已被删除（编号不连续）")
        if row["prev_hash"] != prev_hash:
            problem(
                audit_id,
                f"{_describe(row)}与前一条记录（第 {prev_id} 条）链接不上：其间的记录被删除或改动过",
            )
        expected = row_hash(
            row["prev_hash"],
            hashed_fields(
                row["at"],
                row["user_id"],
                row["username"],
                row["action"],
                row["table_name"],
                row["record_id"],
                row["case_id"],
                row["changes"],
            ),
        )
        if expected != row["hash"]:
            problem(
                audit_id, f"{_describe(row)}的内容与其哈希不符：该记录在 courtdesk 之外被改动过"
            )
        prev_hash = str(row["hash"])
        prev_id = audit_id
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) < GUARDED_SINCE:
        # Written before the head and the guard triggers existed: the links are all there is.
        return ChainReport(rows, prev_hash, tuple(problems))
    head = _head(conn)
    if head is None:
        problem(None, "操作记录的链头（audit_head）缺失")
    else:
        last_id, last_hash, count = head
        if last_id > prev_id:
            problem(
                None,
                f"操作记录末尾的第 {prev_id + 1}–{last_id} 条已被删除（记录的链头为第 {last_id} 条）",
            )
        elif last_id == prev_id and last_hash != prev_hash:
            problem(prev_id or None, f"最后一条操作记录（第 {prev_id} 条）与记录的链头不符")
        elif last_id < prev_id:
            problem(last_id + 1, f"第 {last_id + 1} 条以后的操作记录不是由 courtdesk 写入的")
        if count != rows and not problems:
            problem(None, f"操作记录应有 {count} 条，实有 {rows} 条")
    present = {
        str(r[0]) for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger'")
    }
    for trigger in GUARD_TRIGGERS:
        if trigger not in present:
            problem(None, f"保护操作记录的触发器 {trigger} 已被删除")
    return ChainReport(rows, prev_hash, tuple(problems))


def _head(conn: sqlite3.Connection) -> tuple[int, str, int] | None:
    try:
        row = conn.execute("SELECT last_id, last_hash, row_count FROM audit_head").fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else (int(row[0]), str(row[1]), int(row[2]))


def head(conn: sqlite3.Connection) -> tuple[int, str]:
    """The number of audit rows and the last row's hash (recorded with each backup)."""
    found = _head(conn)
    return (0, GENESIS_HASH) if found is None else (found[2], found[1])


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


def latest(conn: sqlite3.Connection, limit: int, before_id: int | None = None) -> list[AuditEntry]:
    """The newest rows first (keyset paging by ``before_id``)."""
    rows = conn.execute(
        "SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?",
        (before_id if before_id is not None else 2**62, limit),
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
