"""Account credentials and sign-in state: rows in, rows out (no policy here)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from courtdesk.store.records import SQLITE_INTEGERS


@dataclass(frozen=True)
class Credential:
    user_id: int
    password_hash: str
    must_change: bool
    failed_attempts: int
    locked_until: str | None
    changed_at: str
    last_sign_in_at: str | None


def credential(conn: sqlite3.Connection, user_id: int) -> Credential | None:
    if user_id not in SQLITE_INTEGERS:
        return None
    row = conn.execute("SELECT * FROM credentials WHERE user_id = ?", (user_id,)).fetchone()
    if row is None:
        return None
    return Credential(
        user_id=int(row["user_id"]),
        password_hash=str(row["password_hash"]),
        must_change=bool(row["must_change"]),
        failed_attempts=int(row["failed_attempts"]),
        locked_until=row["locked_until"],
        changed_at=str(row["changed_at"]),
        last_sign_in_at=row["last_sign_in_at"],
    )


def set_password(
    conn: sqlite3.Connection, user_id: int, password_hash: str, must_change: bool, stamp: str
) -> None:
    """Store a new hash; clears wrong tries and any lock (a reset is how a locked user gets back in)."""
    conn.execute(
        "INSERT INTO credentials (user_id, password_hash, must_change, failed_attempts,"
        " locked_until, changed_at) VALUES (?, ?, ?, 0, NULL, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash,"
        " must_change = excluded.must_change, failed_attempts = 0, locked_until = NULL,"
        " changed_at = excluded.changed_at",
        (user_id, password_hash, int(must_change), stamp),
    )


def set_passwords(
    conn: sqlite3.Connection, user_ids: Iterable[int], password_hash: str, stamp: str
) -> None:
    """The same hash for many accounts (demo databases only: their password is published)."""
    conn.executemany(
        "INSERT OR IGNORE INTO credentials (user_id, password_hash, must_change, changed_at)"
        " VALUES (?, ?, 0, ?)",
        [(user_id, password_hash, stamp) for user_id in user_ids],
    )


def record_failure(conn: sqlite3.Connection, user_id: int, locked_until: str | None) -> int:
    """Count one more wrong try (and lock until ``locked_until`` if given); returns the count."""
    row = conn.execute(
        "UPDATE credentials SET failed_attempts = failed_attempts + 1,"
        " locked_until = coalesce(?, locked_until) WHERE user_id = ? RETURNING failed_attempts",
        (locked_until, user_id),
    ).fetchone()
    return int(row[0]) if row else 0


def record_success(conn: sqlite3.Connection, user_id: int, stamp: str) -> None:
    conn.execute(
        "UPDATE credentials SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = ?"
        " WHERE user_id = ?",
        (stamp, user_id),
    )


def unlock(conn: sqlite3.Connection, user_id: int) -> None:
    conn.execute(
        "UPDATE credentials SET failed_attempts = 0, locked_until = NULL WHERE user_id = ?",
        (user_id,),
    )


def users_without_password(conn: sqlite3.Connection, role: str) -> list[int]:
    return [
        int(r[0])
        for r in conn.execute(
            "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id"
            " LEFT JOIN credentials c ON c.user_id = u.id"
            " WHERE r.role = ? AND u.active = 1 AND c.user_id IS NULL ORDER BY u.id",
            (role,),
        )
    ]


def has_active_password(conn: sqlite3.Connection, role: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM users u JOIN user_roles r ON r.user_id = u.id"
        " JOIN credentials c ON c.user_id = u.id WHERE r.role = ? AND u.active = 1 LIMIT 1",
        (role,),
    ).fetchone()
    return row is not None


@dataclass(frozen=True)
class AccountRow:
    id: int
    username: str
    display_name: str
    division_id: int | None
    division: str
    active: bool
    version: int
    roles: tuple[str, ...]
    has_password: bool
    must_change: bool
    failed_attempts: int
    locked_until: str | None
    last_sign_in_at: str | None


def accounts(conn: sqlite3.Connection) -> list[AccountRow]:
    """Every account with its roles and sign-in state, in one query (the accounts dialog)."""
    rows = conn.execute(
        "SELECT u.id, u.username, u.display_name, u.division_id, coalesce(d.name, '') AS division,"
        " u.active, u.version, (SELECT group_concat(role, ',') FROM"
        " (SELECT role FROM user_roles WHERE user_id = u.id ORDER BY role)) AS roles,"
        " c.user_id IS NOT NULL AS has_password, coalesce(c.must_change, 0) AS must_change,"
        " coalesce(c.failed_attempts, 0) AS failed_attempts, c.locked_until, c.last_sign_in_at"
        " FROM users u LEFT JOIN divisions d ON d.id = u.division_id"
        " LEFT JOIN credentials c ON c.user_id = u.id ORDER BY u.active DESC, u.division_id, u.id"
    ).fetchall()
    return [
        AccountRow(
            id=int(r["id"]),
            username=str(r["username"]),
            display_name=str(r["display_name"]),
            division_id=r["division_id"],
            division=str(r["division"]),
            active=bool(r["active"]),
            version=int(r["version"]),
            roles=tuple(str(r["roles"]).split(",")) if r["roles"] else (),
            has_password=bool(r["has_password"]),
            must_change=bool(r["must_change"]),
            failed_attempts=int(r["failed_attempts"]),
            locked_until=r["locked_until"],
            last_sign_in_at=r["last_sign_in_at"],
        )
        for r in rows
    ]


def set_roles(conn: sqlite3.Connection, user_id: int, roles: Iterable[str]) -> None:
    conn.execute("DELETE FROM user_roles WHERE user_id = ?", (user_id,))
    conn.executemany(
        "INSERT INTO user_roles (user_id, role) VALUES (?, ?)", [(user_id, r) for r in roles]
    )


def count_active_with_role(conn: sqlite3.Connection, role: str) -> int:
    row = conn.execute(
        "SELECT count(*) FROM users u JOIN user_roles r ON r.user_id = u.id"
        " WHERE r.role = ? AND u.active = 1",
        (role,),
    ).fetchone()
    return int(row[0])


def set_active(conn: sqlite3.Connection, user_id: int, active: bool) -> None:
    conn.execute("UPDATE users SET active = ? WHERE id = ?", (int(active), user_id))


def bump_version(conn: sqlite3.Connection, user_id: int) -> None:
    """A change kept outside the row itself (its roles) still moves the row's version."""
    conn.execute("UPDATE users SET version = version + 1 WHERE id = ?", (user_id,))
