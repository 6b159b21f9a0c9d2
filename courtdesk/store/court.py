"""The court itself: settings, divisions (庭室), users and their roles, courtrooms."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from courtdesk.store.connection import read_once
from courtdesk.store.records import SQLITE_INTEGERS


def get_setting(conn: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    return _stored_settings(conn).get(key, default)


def get_settings(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, str]:
    """The stored values of several settings (unset ones are absent)."""
    stored = _stored_settings(conn)
    return {k: stored[k] for k in keys if k in stored}


def all_settings(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(_stored_settings(conn))


def _stored_settings(conn: sqlite3.Connection) -> dict[str, str]:
    """Every stored setting (a few dozen rows), read once per change of the file."""
    return read_once(conn, "settings", _read_settings)


def _read_settings(conn: sqlite3.Connection) -> dict[str, str]:
    return {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM settings")}


def put_setting(conn: sqlite3.Connection, key: str, value: str) -> str | None:
    """Store a setting; returns the old value (for the audit row)."""
    old = get_setting(conn, key)
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
    return old


def insert_division(
    conn: sqlite3.Connection, name: str, kind: str, is_tribunal: bool, address: str = ""
) -> int:
    cursor = conn.execute(
        "INSERT INTO divisions (name, kind, is_tribunal, address) VALUES (?, ?, ?, ?)",
        (name, kind, int(is_tribunal), address),
    )
    return int(cursor.lastrowid or 0)


def divisions(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM divisions ORDER BY is_tribunal, id").fetchall()


def insert_user(
    conn: sqlite3.Connection,
    username: str,
    display_name: str,
    division_id: int | None,
    roles: Iterable[str],
    created_at: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO users (username, display_name, division_id, created_at) VALUES (?, ?, ?, ?)",
        (username, display_name, division_id, created_at),
    )
    user_id = int(cursor.lastrowid or 0)
    conn.executemany(
        "INSERT INTO user_roles (user_id, role) VALUES (?, ?)", [(user_id, r) for r in roles]
    )
    return user_id


def user_by_username(conn: sqlite3.Connection, username: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM users WHERE username = ?", (username,)
    ).fetchone()
    return row


def user_by_id(conn: sqlite3.Connection, user_id: int) -> sqlite3.Row | None:
    if user_id not in SQLITE_INTEGERS:
        return None
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM users WHERE id = ?", (user_id,)
    ).fetchone()
    return row


def users_by_ids(
    conn: sqlite3.Connection, user_ids: Iterable[int]
) -> dict[int, tuple[sqlite3.Row, frozenset[str]]]:
    """Several users with their roles, in one query (those that exist)."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = conn.execute(
        "SELECT u.*, (SELECT group_concat(r.role, ' ') FROM user_roles r WHERE r.user_id = u.id)"
        f" AS role_list FROM users u WHERE u.id IN ({', '.join('?' * len(ids))})",
        ids,
    ).fetchall()
    return {int(r["id"]): (r, frozenset(str(r["role_list"] or "").split())) for r in rows}


def roles_of(conn: sqlite3.Connection, user_id: int) -> list[str]:
    if user_id not in SQLITE_INTEGERS:
        return []
    return [
        str(r[0])
        for r in conn.execute(
            "SELECT role FROM user_roles WHERE user_id = ? ORDER BY role", (user_id,)
        )
    ]


def users_with_role(conn: sqlite3.Connection, role: str) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT u.* FROM users u JOIN user_roles r ON r.user_id = u.id"
        " WHERE r.role = ? AND u.active = 1 ORDER BY u.division_id, u.id",
        (role,),
    ).fetchall()


def all_users(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM users ORDER BY id").fetchall()


def insert_courtroom(
    conn: sqlite3.Connection, name: str, division_id: int | None, capacity: int
) -> int:
    cursor = conn.execute(
        "INSERT INTO courtrooms (name, division_id, capacity) VALUES (?, ?, ?)",
        (name, division_id, capacity),
    )
    return int(cursor.lastrowid or 0)


def courtrooms(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT r.*, d.name AS division_name FROM courtrooms r"
        " LEFT JOIN divisions d ON d.id = r.division_id ORDER BY r.division_id IS NOT NULL, r.id"
    ).fetchall()
