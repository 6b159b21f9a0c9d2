"""The court's edited notice templates (table ``notice_templates``)."""

from __future__ import annotations

import sqlite3


def template_row(conn: sqlite3.Connection, kind: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT t.*, u.display_name AS updated_by_name FROM notice_templates t"
        " LEFT JOIN users u ON u.id = t.updated_by WHERE t.kind = ?",
        (kind,),
    ).fetchone()
    return row


def edited_kinds(conn: sqlite3.Connection) -> set[str]:
    return {str(r[0]) for r in conn.execute("SELECT kind FROM notice_templates")}


def insert_template(
    conn: sqlite3.Connection, kind: str, body: str, updated_at: str, updated_by: int | None
) -> int:
    cursor = conn.execute(
        "INSERT INTO notice_templates (kind, body, updated_at, updated_by) VALUES (?, ?, ?, ?)",
        (kind, body, updated_at, updated_by),
    )
    return int(cursor.lastrowid or 0)


def delete_template(conn: sqlite3.Connection, kind: str) -> int | None:
    """Remove a kind's edited template; returns the removed row's id (None if there was none)."""
    row = conn.execute("SELECT id FROM notice_templates WHERE kind = ?", (kind,)).fetchone()
    if row is None:
        return None
    conn.execute("DELETE FROM notice_templates WHERE id = ?", (row[0],))
    return int(row[0])
