"""Version 10: assignment (分案) history, collegiate panels and the clerk's docket index.

``case_assignments`` keeps every assignment a case has had: the presiding judge
(承办人), the clerk (书记员), whether a sole judge (独任) or a collegiate panel (合议庭)
hears it, whether it was drawn automatically or chosen by hand (with the reason),
who assigned it and when. Reassigning ends the current row (``ended_at``) and adds a
new one, so the history is never overwritten; at most one row per case is current.
``case_panel_members`` lists the members of a panel with their roles (审判长,
审判员, 人民陪审员). ``cases`` keeps the current judge and clerk as before, so the
docket still sorts and filters on them with its indexes; ``cases_clerk`` lets a
clerk's open cases be counted and listed without a scan.
"""

from __future__ import annotations

import sqlite3

SCHEMA = """
CREATE TABLE case_assignments (
    id                 INTEGER PRIMARY KEY,
    case_id            INTEGER NOT NULL REFERENCES cases(id),
    division_id        INTEGER REFERENCES divisions(id),
    presiding_judge_id INTEGER NOT NULL REFERENCES users(id),
    clerk_id           INTEGER REFERENCES users(id),
    bench              TEXT NOT NULL CHECK (bench IN ('sole', 'panel')),
    method             TEXT NOT NULL CHECK (method IN ('auto', 'manual')),
    reason             TEXT NOT NULL DEFAULT '',
    assigned_at        TEXT NOT NULL,
    assigned_by        INTEGER REFERENCES users(id),
    ended_at           TEXT
);
CREATE INDEX case_assignments_case ON case_assignments(case_id, id);
CREATE UNIQUE INDEX case_assignments_current ON case_assignments(case_id) WHERE ended_at IS NULL;

CREATE TABLE case_panel_members (
    assignment_id INTEGER NOT NULL REFERENCES case_assignments(id),
    position      INTEGER NOT NULL,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    role          TEXT NOT NULL,
    PRIMARY KEY (assignment_id, position)
) WITHOUT ROWID;
CREATE INDEX case_panel_members_user ON case_panel_members(user_id);

CREATE INDEX cases_clerk ON cases(clerk_id, status, filing_date, id) WHERE clerk_id IS NOT NULL
"""


def upgrade(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA.split(";\n"):
        if statement.strip():
            conn.execute(statement)
