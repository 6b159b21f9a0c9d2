"""Version 1: the court, its people and rooms, cases with parties and agents,
case-number counters, the full-text search index and the chained audit trail."""

from __future__ import annotations

import sqlite3

SCHEMA = """
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- 庭室: divisions of the court, including the people's tribunals (人民法庭).
CREATE TABLE divisions (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,          -- filing, civil, criminal, administrative, enforcement, tribunal, office
    is_tribunal INTEGER NOT NULL DEFAULT 0 CHECK (is_tribunal IN (0, 1)),
    address     TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE users (
    id           INTEGER PRIMARY KEY,
    username     TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    division_id  INTEGER REFERENCES divisions(id),
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users(id),
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
) WITHOUT ROWID;
CREATE INDEX user_roles_role ON user_roles(role, user_id);

CREATE TABLE courtrooms (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    division_id INTEGER REFERENCES divisions(id),   -- NULL: the main court building
    capacity    INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1
);

-- The last 案号 sequence handed out per (year, court, special-trial code, type code).
-- Bumped in the same transaction that inserts the case, so numbers are gapless.
CREATE TABLE case_number_counters (
    year          INTEGER NOT NULL,
    court_code    TEXT NOT NULL,
    special_code  TEXT NOT NULL,
    type_code     TEXT NOT NULL,
    last_sequence INTEGER NOT NULL,
    PRIMARY KEY (year, court_code, special_code, type_code)
) WITHOUT ROWID;

CREATE TABLE cases (
    id                 INTEGER PRIMARY KEY,
    case_number        TEXT NOT NULL UNIQUE,
    year               INTEGER NOT NULL,
    court_code         TEXT NOT NULL,
    special_code       TEXT NOT NULL DEFAULT '',
    type_code          TEXT NOT NULL,
    sequence           INTEGER NOT NULL,
    category           TEXT NOT NULL,
    procedure          TEXT NOT NULL,
    cause              TEXT NOT NULL,           -- 案由
    filing_date        TEXT NOT NULL,           -- ISO date
    source             TEXT NOT NULL DEFAULT '',
    amount_claimed_fen INTEGER CHECK (amount_claimed_fen IS NULL OR amount_claimed_fen >= 0),
    status             TEXT NOT NULL,
    division_id        INTEGER REFERENCES divisions(id),
    presiding_judge_id INTEGER REFERENCES users(id),
    clerk_id           INTEGER REFERENCES users(id),
    -- The presiding judge's name, copied here so the docket sorts on it with an
    -- index; services rewrite it whenever the judge or the judge's name changes.
    judge_name         TEXT NOT NULL DEFAULT '',
    parties_summary    TEXT NOT NULL DEFAULT '',
    -- Derived by courtdesk.domain.time_limit and stored so the docket can sort and
    -- filter on it in SQL; rewritten whenever an input to it changes.
    time_limit_expiry  TEXT,
    closed_date        TEXT,
    is_private         INTEGER NOT NULL DEFAULT 0 CHECK (is_private IN (0, 1)),
    created_at         TEXT NOT NULL,
    created_by         INTEGER REFERENCES users(id),
    updated_at         TEXT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    UNIQUE (year, court_code, special_code, type_code, sequence)
);
-- One index per sortable docket column, each ending in id so equal keys page stably.
CREATE INDEX cases_filing      ON cases(filing_date, id);
CREATE INDEX cases_expiry      ON cases(time_limit_expiry, id);
CREATE INDEX cases_status      ON cases(status, filing_date, id);
CREATE INDEX cases_judge       ON cases(presiding_judge_id, status, filing_date, id);
CREATE INDEX cases_judge_name  ON cases(judge_name, id);
CREATE INDEX cases_type        ON cases(type_code, filing_date, id);
CREATE INDEX cases_cause       ON cases(cause, id);
CREATE INDEX cases_parties     ON cases(parties_summary, id);
CREATE INDEX cases_number_sort ON cases(year, type_code, sequence, id);

CREATE TABLE parties (
    id                   INTEGER PRIMARY KEY,
    case_id              INTEGER NOT NULL REFERENCES cases(id),
    position             INTEGER NOT NULL,
    role                 TEXT NOT NULL,
    kind                 TEXT NOT NULL CHECK (kind IN ('person', 'organisation')),
    name                 TEXT NOT NULL CHECK (name <> ''),
    sex                  TEXT NOT NULL DEFAULT '',
    birth_date           TEXT,
    id_number            TEXT NOT NULL DEFAULT '',
    phone                TEXT NOT NULL DEFAULT '',
    address              TEXT NOT NULL DEFAULT '',
    credit_code          TEXT NOT NULL DEFAULT '',
    legal_representative TEXT NOT NULL DEFAULT '',
    version              INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX parties_case ON parties(case_id, position);
CREATE INDEX parties_name ON parties(name);
CREATE INDEX parties_id_number ON parties(id_number) WHERE id_number <> '';

CREATE TABLE agents (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases(id),
    party_id       INTEGER NOT NULL REFERENCES parties(id),
    kind           TEXT NOT NULL,
    name           TEXT NOT NULL CHECK (name <> ''),
    law_firm       TEXT NOT NULL DEFAULT '',
    licence_number TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX agents_party ON agents(party_id);
CREATE INDEX agents_case ON agents(case_id);
CREATE INDEX agents_name ON agents(name);
CREATE INDEX agents_firm ON agents(law_firm);

-- Search terms per case (rowid = cases.id), built by courtdesk.store.search:
-- terms: overlapping character pairs of the 案号 and of every name, so a
-- two-character name is one token and longer text is a phrase of pairs;
-- initials: pinyin initials of names; codes: ID numbers, credit codes, licences.
CREATE VIRTUAL TABLE case_search USING fts5(
    terms, initials, codes, tokenize = 'unicode61 remove_diacritics 0'
);

-- Every change, who made it and what it was. Rows are chained: hash covers the
-- row's content and the previous row's hash, so an edit made outside courtdesk shows.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    user_id     INTEGER REFERENCES users(id),
    username    TEXT NOT NULL,
    action      TEXT NOT NULL,
    table_name  TEXT NOT NULL,
    record_id   INTEGER,
    case_id     INTEGER,
    changes     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_record ON audit_log(table_name, record_id);
CREATE INDEX audit_case ON audit_log(case_id) WHERE case_id IS NOT NULL;
"""


def upgrade(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA.split(";\n"):
        if statement.strip():
            conn.execute(statement)
