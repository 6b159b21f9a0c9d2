"""Version 60: passwords and sign-in state for user accounts.

``credentials`` holds one row per account that has a password: the scrypt hash
(never the password), whether the user must choose a new password at the next
sign-in (after an administrator's reset), the count of wrong tries since the last
good one, and until when the account is locked. An account without a row has no
password yet (a new database's administrator, before the first sign-in sets it).
Kept apart from ``users`` so no query that lists people ever carries a hash.
"""

from __future__ import annotations

import sqlite3

STATEMENTS = (
    """
    CREATE TABLE credentials (
        user_id         INTEGER PRIMARY KEY REFERENCES users(id),
        password_hash   TEXT NOT NULL,
        must_change     INTEGER NOT NULL DEFAULT 0 CHECK (must_change IN (0, 1)),
        failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
        locked_until    TEXT,            -- ISO date-time with offset; NULL: not locked
        changed_at      TEXT NOT NULL,
        last_sign_in_at TEXT
    )
    """,
)


def upgrade(conn: sqlite3.Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
