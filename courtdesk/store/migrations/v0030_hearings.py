"""Version 30: hearing scheduling (排期).

- ``courtrooms`` gains its equipment (recording, remote video), whether it is in
  use at all, and a note; its location stays ``division_id`` (NULL: the main court
  building, else the people's tribunal it belongs to).
- ``courtroom_closures``: a room out of use for a period (renovation, a trial
  that needs it all week …).
- ``hearings``: one sitting of one case on one day, in a room, online or off-site.
  Times are local court times as ISO text (``2026-11-23T09:00``). A postponed or
  cancelled hearing stays as history with its reason; ``postponed_from`` links the
  new hearing to the one it replaces. ``override_reason`` / ``override_conflicts``
  record why it was saved despite warnings.
- ``hearing_staff``: who sits (presiding judge, panel members, clerk), with the
  hearing's time copied in so "is this person free?" is one index range scan on
  (user_id, start_at) however many hearings the person has ever had. ``active``
  is 0 once the hearing is postponed or cancelled.
- Lawyers are found through ``agents`` (so a lawyer added to a case later is
  still seen): an index on licence numbers joins them to their cases' hearings.
"""

from __future__ import annotations

import sqlite3

STATEMENTS = (
    "ALTER TABLE courtrooms ADD COLUMN has_recording INTEGER NOT NULL DEFAULT 0"
    " CHECK (has_recording IN (0, 1))",
    "ALTER TABLE courtrooms ADD COLUMN has_remote_video INTEGER NOT NULL DEFAULT 0"
    " CHECK (has_remote_video IN (0, 1))",
    "ALTER TABLE courtrooms ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))",
    "ALTER TABLE courtrooms ADD COLUMN note TEXT NOT NULL DEFAULT ''",
    """
    CREATE TABLE courtroom_closures (
        id           INTEGER PRIMARY KEY,
        courtroom_id INTEGER NOT NULL REFERENCES courtrooms(id),
        first_day    TEXT NOT NULL,
        last_day     TEXT NOT NULL,
        reason       TEXT NOT NULL DEFAULT '',
        created_at   TEXT NOT NULL,
        CHECK (last_day >= first_day)
    )
    """,
    "CREATE INDEX courtroom_closures_room ON courtroom_closures(courtroom_id, last_day)",
    """
    CREATE TABLE hearings (
        id                 INTEGER PRIMARY KEY,
        case_id            INTEGER NOT NULL REFERENCES cases(id),
        kind               TEXT NOT NULL,
        mode               TEXT NOT NULL CHECK (mode IN ('room', 'online', 'off_site')),
        courtroom_id       INTEGER REFERENCES courtrooms(id),
        place              TEXT NOT NULL DEFAULT '',
        start_at           TEXT NOT NULL,
        end_at             TEXT NOT NULL,
        presiding_judge_id INTEGER REFERENCES users(id),
        clerk_id           INTEGER REFERENCES users(id),
        is_public          INTEGER NOT NULL DEFAULT 1 CHECK (is_public IN (0, 1)),
        status             TEXT NOT NULL DEFAULT 'scheduled'
                           CHECK (status IN ('scheduled', 'postponed', 'cancelled')),
        status_reason      TEXT NOT NULL DEFAULT '',
        postponed_from     INTEGER REFERENCES hearings(id),
        override_reason    TEXT NOT NULL DEFAULT '',
        override_conflicts TEXT NOT NULL DEFAULT '',
        note               TEXT NOT NULL DEFAULT '',
        created_at         TEXT NOT NULL,
        created_by         INTEGER REFERENCES users(id),
        updated_at         TEXT NOT NULL,
        version            INTEGER NOT NULL DEFAULT 1,
        CHECK (end_at > start_at),
        CHECK (mode <> 'room' OR courtroom_id IS NOT NULL)
    )
    """,
    # Room clashes: one range scan per room and day.
    "CREATE INDEX hearings_room_time ON hearings(courtroom_id, start_at)"
    " WHERE status = 'scheduled'",
    # A case's history, and the lawyers' other cases joined to their hearings.
    "CREATE INDEX hearings_case ON hearings(case_id, start_at)",
    # Calendars and cause lists: the scheduled hearings of a day or a week.
    "CREATE INDEX hearings_time ON hearings(start_at) WHERE status = 'scheduled'",
    """
    CREATE TABLE hearing_staff (
        hearing_id INTEGER NOT NULL REFERENCES hearings(id),
        user_id    INTEGER NOT NULL REFERENCES users(id),
        role       TEXT NOT NULL CHECK (role IN ('judge', 'panel', 'clerk')),
        position   INTEGER NOT NULL DEFAULT 0,
        start_at   TEXT NOT NULL,
        end_at     TEXT NOT NULL,
        active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        PRIMARY KEY (hearing_id, user_id)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX hearing_staff_busy ON hearing_staff(user_id, start_at, end_at) WHERE active = 1",
    "CREATE INDEX agents_by_licence ON agents(licence_number)",
)


def upgrade(conn: sqlite3.Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
