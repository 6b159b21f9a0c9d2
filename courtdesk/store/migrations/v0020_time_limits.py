"""Version 20: trial time limits (审限), closing (结案) and archiving (归档).

New tables: approved and pending extensions, excluded periods, procedure
conversions, the closing record with the service of the closing document on
each party, and the archive record. New columns on ``cases`` are *derived*: services rewrite them in the
transaction of every change to their inputs (see services.time_limits), so the
docket and the 统计 dashboard filter, sort and aggregate them in SQL:

- ``time_limit_expiry`` (existing): base limit + approved extensions + excluded
  periods that have ended; NULL when the procedure has no 审限 or while an
  excluded period is still open (the clock is stopped).
- ``time_limit_paused_since``: first day of the open excluded period, else NULL.
- ``time_limit_excluded_days``: days of the excluded periods that have ended.
- ``extensions_granted``: number of approved extensions.
- ``closing_manner``: the 结案方式 of a closed case.
- ``closed_within_limit``: 1/0 for a closed case with a 审限, else NULL.
- ``trial_days``: closing date − filing date − excluded days (平均审理天数).
- ``archived_date``: the day the file was archived (copied from case_archives).

Existing closed cases are backfilled from what they have (filing, closing and
expiry dates); their manner stays unknown.
"""

from __future__ import annotations

import sqlite3

SCHEMA = """
ALTER TABLE cases ADD COLUMN time_limit_paused_since TEXT;
ALTER TABLE cases ADD COLUMN time_limit_excluded_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN extensions_granted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN closing_manner TEXT;
ALTER TABLE cases ADD COLUMN closed_within_limit INTEGER
    CHECK (closed_within_limit IS NULL OR closed_within_limit IN (0, 1));
ALTER TABLE cases ADD COLUMN trial_days INTEGER;
ALTER TABLE cases ADD COLUMN archived_date TEXT;

-- 延长审限: a judge's application and the decision on it.
CREATE TABLE time_limit_extensions (
    id                  INTEGER PRIMARY KEY,
    case_id             INTEGER NOT NULL REFERENCES cases(id),
    procedure           TEXT NOT NULL,       -- the procedure it was asked under
    length_months       INTEGER NOT NULL DEFAULT 0 CHECK (length_months >= 0),
    length_days         INTEGER NOT NULL DEFAULT 0 CHECK (length_days >= 0),
    approver            TEXT NOT NULL,       -- domain.time_limit.Approver
    reason              TEXT NOT NULL,
    applied_by          INTEGER REFERENCES users(id),
    applied_on          TEXT NOT NULL,
    expiry_when_applied TEXT NOT NULL,
    late_application    INTEGER NOT NULL DEFAULT 0 CHECK (late_application IN (0, 1)),
    status              TEXT NOT NULL
        CHECK (status IN ('pending', 'approved', 'refused', 'withdrawn')),
    decided_by          INTEGER REFERENCES users(id),
    decided_on          TEXT,
    decision_note       TEXT NOT NULL DEFAULT '',
    reply_reference     TEXT NOT NULL DEFAULT '',   -- 上级法院批复文号
    late_decision       INTEGER NOT NULL DEFAULT 0 CHECK (late_decision IN (0, 1)),
    created_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX time_limit_extensions_case ON time_limit_extensions(case_id, id);
CREATE INDEX time_limit_extensions_decided
    ON time_limit_extensions(status, decided_on, case_id);
CREATE UNIQUE INDEX time_limit_extensions_one_pending
    ON time_limit_extensions(case_id) WHERE status = 'pending';

-- 扣除审限的期间: 公告, 鉴定, 中止 … first and last excluded day, end NULL while open.
CREATE TABLE time_limit_exclusions (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    kind         TEXT NOT NULL,              -- domain.time_limit.ExclusionKind
    start_date   TEXT NOT NULL,
    end_date     TEXT CHECK (end_date IS NULL OR end_date >= start_date),
    reason       TEXT NOT NULL,
    approved_by  INTEGER REFERENCES users(id),
    document_ref TEXT NOT NULL DEFAULT '',
    opened_by    INTEGER REFERENCES users(id),
    closed_by    INTEGER REFERENCES users(id),
    created_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX time_limit_exclusions_case ON time_limit_exclusions(case_id, start_date);
CREATE INDEX time_limit_exclusions_open
    ON time_limit_exclusions(case_id) WHERE end_date IS NULL;

-- 程序转换 (简易转普通 …): the decision and whether the count starts again.
CREATE TABLE procedure_conversions (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases(id),
    from_procedure TEXT NOT NULL,
    to_procedure   TEXT NOT NULL,
    decided_on     TEXT NOT NULL,
    restarts       INTEGER NOT NULL CHECK (restarts IN (0, 1)),
    reason         TEXT NOT NULL,
    recorded_by    INTEGER REFERENCES users(id),
    created_at     TEXT NOT NULL
);
CREATE INDEX procedure_conversions_case ON procedure_conversions(case_id, id);

-- 结案: the inputs the closing date is computed from.
CREATE TABLE case_closings (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL UNIQUE REFERENCES cases(id),
    manner         TEXT NOT NULL,            -- domain.closing.Manner
    delivery       TEXT NOT NULL,            -- domain.closing.Delivery
    pronounced_on  TEXT,
    closed_date    TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    recorded_by    INTEGER REFERENCES users(id),
    recorded_at    TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);

-- 归档: when, under which archive number, by whom.
CREATE TABLE case_archives (
    case_id        INTEGER PRIMARY KEY REFERENCES cases(id),
    archived_on    TEXT NOT NULL,
    archive_number TEXT NOT NULL DEFAULT '',
    archived_by    INTEGER REFERENCES users(id),
    created_at     TEXT NOT NULL
);

CREATE TABLE case_closing_services (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    party_id     INTEGER NOT NULL REFERENCES parties(id),
    method       TEXT NOT NULL,              -- domain.closing.ServiceMethod
    service_date TEXT NOT NULL
);
CREATE INDEX case_closing_services_case ON case_closing_services(case_id, party_id);

-- The 统计 dashboard aggregates over these (closed in a period, per division or judge).
-- filing_date is in them so "open on day d" (filed by d, closed after d) is answered
-- from the index alone.
CREATE INDEX cases_closed
    ON cases(closed_date, filing_date, closed_within_limit, trial_days)
    WHERE closed_date IS NOT NULL;
CREATE INDEX cases_division_closed
    ON cases(division_id, closed_date, filing_date, closed_within_limit, trial_days)
    WHERE closed_date IS NOT NULL;
CREATE INDEX cases_judge_closed
    ON cases(presiding_judge_id, closed_date, filing_date, closed_within_limit, trial_days)
    WHERE closed_date IS NOT NULL;
CREATE INDEX cases_division_filing ON cases(division_id, filing_date);
-- Open cases past their expiry (当前已超审限), without walking every expiry date; and
-- a division's open cases by filing date (未结, 旧存, 长期未结 of one division).
CREATE INDEX cases_status_expiry ON cases(status, time_limit_expiry);
CREATE INDEX cases_division_status
    ON cases(division_id, status, filing_date, time_limit_expiry);
CREATE INDEX cases_judge_filing ON cases(presiding_judge_id, filing_date);

UPDATE cases SET
    trial_days = CAST(julianday(closed_date) - julianday(filing_date) AS INTEGER),
    closed_within_limit = CASE WHEN time_limit_expiry IS NULL THEN NULL
                               ELSE closed_date <= time_limit_expiry END
    WHERE closed_date IS NOT NULL
"""


def upgrade(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA.split(";\n"):
        if statement.strip():
            conn.execute(statement)
