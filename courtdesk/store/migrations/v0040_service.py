"""Version 40: service of process (集约送达): address confirmations, service tasks, attempts.

- ``service_addresses``: a party's 送达地址确认书, one per party, reused for every
  later document of the case (address, recipient, consent to electronic service).
- ``service_tasks``: one document to serve on one recipient at one address, with
  its due date and whether it blocks a hearing. ``state``, ``is_open``,
  ``method`` and ``service_date`` are derived from the attempts by
  ``courtdesk.domain.service`` and stored so the desk filters and sorts in SQL.
- ``service_attempts``: what staff did and what came of it; ``effect`` and
  ``service_date`` are the attempt's legal effect, derived the same way.

``hearing_id`` has no REFERENCES clause on purpose: the hearings table belongs to
the scheduling feature and arrives in its own migration, possibly after this
one, so a foreign key here could name a table that does not exist yet. The
scheduling events carry the id; tasks keep it to find the summons of a hearing
when it is moved or cancelled.
"""

from __future__ import annotations

import sqlite3

SCHEMA = """
CREATE TABLE service_addresses (
    id                 INTEGER PRIMARY KEY,
    case_id            INTEGER NOT NULL REFERENCES cases(id),
    party_id           INTEGER NOT NULL UNIQUE REFERENCES parties(id),
    address            TEXT NOT NULL CHECK (address <> ''),
    postcode           TEXT NOT NULL DEFAULT '',
    recipient          TEXT NOT NULL DEFAULT '',      -- 代收人
    phone              TEXT NOT NULL DEFAULT '',
    electronic_consent INTEGER NOT NULL DEFAULT 0 CHECK (electronic_consent IN (0, 1)),
    electronic_address TEXT NOT NULL DEFAULT '',      -- mobile number or e-mail for 电子送达
    confirmed_on       TEXT NOT NULL,                 -- ISO date the party signed
    created_at         TEXT NOT NULL,
    created_by         INTEGER REFERENCES users(id),
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX service_addresses_case ON service_addresses(case_id);

CREATE TABLE service_tasks (
    id                INTEGER PRIMARY KEY,
    case_id           INTEGER NOT NULL REFERENCES cases(id),
    document          TEXT NOT NULL,                  -- domain.service.DocumentKind
    title             TEXT NOT NULL,                  -- as printed on the receipt
    copies            INTEGER NOT NULL DEFAULT 1 CHECK (copies > 0),
    party_id          INTEGER REFERENCES parties(id),
    agent_id          INTEGER REFERENCES agents(id),
    recipient_name    TEXT NOT NULL CHECK (recipient_name <> ''),
    recipient_role    TEXT NOT NULL DEFAULT '',
    address           TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL DEFAULT '',
    address_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (address_confirmed IN (0, 1)),
    origin            TEXT NOT NULL,                  -- registration, hearing, manual
    hearing_id        INTEGER,                        -- no REFERENCES: see the docstring
    hearing_start     TEXT,                           -- ISO date and time
    blocks_hearing    INTEGER NOT NULL DEFAULT 0 CHECK (blocks_hearing IN (0, 1)),
    due_date          TEXT NOT NULL,
    state             TEXT NOT NULL,
    is_open           INTEGER NOT NULL CHECK (is_open IN (0, 1)),
    method            TEXT NOT NULL DEFAULT '',
    service_date      TEXT,
    assignee_id       INTEGER REFERENCES users(id),
    withdrawn_reason  TEXT NOT NULL DEFAULT '',
    created_on        TEXT NOT NULL,                  -- ISO date, for days-to-service figures
    created_at        TEXT NOT NULL,
    created_by        INTEGER REFERENCES users(id),
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
-- The desk's queue: open tasks by due date; one state by due date; a staff member's tasks.
CREATE INDEX service_tasks_open     ON service_tasks(is_open, due_date, id);
CREATE INDEX service_tasks_state    ON service_tasks(state, due_date, id);
CREATE INDEX service_tasks_assignee ON service_tasks(assignee_id, is_open, due_date, id);
CREATE INDEX service_tasks_case     ON service_tasks(case_id, id);
CREATE INDEX service_tasks_hearing  ON service_tasks(hearing_id) WHERE hearing_id IS NOT NULL;

CREATE TABLE service_attempts (
    id                  INTEGER PRIMARY KEY,
    task_id             INTEGER NOT NULL REFERENCES service_tasks(id),
    method              TEXT NOT NULL,
    outcome             TEXT NOT NULL,
    attempt_date        TEXT NOT NULL,
    result_date         TEXT,
    sent_at             TEXT,
    staff_id            INTEGER REFERENCES users(id),
    receiver_name       TEXT NOT NULL DEFAULT '',
    receiver_relation   TEXT NOT NULL DEFAULT '',
    witnesses           TEXT NOT NULL DEFAULT '',
    record_media        TEXT NOT NULL DEFAULT '',
    channel             TEXT NOT NULL DEFAULT '',
    waybill             TEXT NOT NULL DEFAULT '',
    returned_reason     TEXT NOT NULL DEFAULT '',
    other_agency        TEXT NOT NULL DEFAULT '',
    posted_where        TEXT NOT NULL DEFAULT '',
    abroad              INTEGER NOT NULL DEFAULT 0 CHECK (abroad IN (0, 1)),
    whereabouts_unknown INTEGER NOT NULL DEFAULT 0 CHECK (whereabouts_unknown IN (0, 1)),
    notes               TEXT NOT NULL DEFAULT '',
    effect              TEXT NOT NULL,                -- served, pending, publishing, failed
    service_date        TEXT,
    recorded_at         TEXT NOT NULL,
    recorded_by         INTEGER REFERENCES users(id),
    version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX service_attempts_task    ON service_attempts(task_id, id);
CREATE INDEX service_attempts_day     ON service_attempts(attempt_date, method);
CREATE INDEX service_attempts_waybill ON service_attempts(waybill) WHERE waybill <> '';
"""


def upgrade(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA.split(";\n"):
        if statement.strip():
            conn.execute(statement)
