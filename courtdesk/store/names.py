"""What an id in the audit trail stands for: a person's, a division's, a room's name."""

from __future__ import annotations

import sqlite3

# The tables and columns a name may be read from (fixed, so no caller passes SQL in).
_NAME_COLUMNS = {
    "users": "display_name",
    "divisions": "name",
    "courtrooms": "name",
    "parties": "name",
    "agents": "name",
}


def name_of(conn: sqlite3.Connection, table: str, record_id: object) -> str | None:
    column = _NAME_COLUMNS[table]
    row = conn.execute(f"SELECT {column} FROM {table} WHERE id = ?", (record_id,)).fetchone()
    return None if row is None else str(row[0])


def user_label(conn: sqlite3.Connection, user_id: int) -> tuple[str, str] | None:
    """(display name, username) of an account."""
    row = conn.execute(
        "SELECT display_name, username FROM users WHERE id = ?", (user_id,)
    ).fetchone()
    return None if row is None else (str(row[0]), str(row[1]))


def display_names_by_username(conn: sqlite3.Connection) -> dict[str, str]:
    return {str(r[0]): str(r[1]) for r in conn.execute("SELECT username, display_name FROM users")}
