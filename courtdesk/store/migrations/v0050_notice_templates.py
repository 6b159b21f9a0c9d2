"""Version 50: the court's own wording of its notices.

``notice_templates`` holds a template the court administrator has edited, one row
per notice kind (``summons``, ``response`` …), as the template text with its
【节】 sections. A kind without a row uses the wording shipped in
resources/notices/; restoring the default deletes the row. Rows carry a version
so two administrators editing at once cannot overwrite each other unnoticed.
"""

from __future__ import annotations

import sqlite3

SCHEMA = """
CREATE TABLE notice_templates (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL UNIQUE,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    version    INTEGER NOT NULL DEFAULT 1
);
"""


def upgrade(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA.split(";\n"):
        if statement.strip():
            conn.execute(statement)
