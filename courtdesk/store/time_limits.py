"""Rows behind trial time limits, closing and archiving: extensions, excluded periods,
procedure conversions, closing records, and the derived columns on ``cases``."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

_USER_NAMES = """
LEFT JOIN users a ON a.id = t.{first}
LEFT JOIN users b ON b.id = t.{second}
"""


def case_facts(conn: sqlite3.Connection, case_id: int) -> sqlite3.Row | None:
    """What the 审限 and closing rules need to know about a case."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT id, case_number, type_code, category, procedure, filing_date, status,"
        " closed_date, division_id, presiding_judge_id, clerk_id, judge_name,"
        " time_limit_expiry, closing_manner, archived_date, version"
        " FROM cases WHERE id = ?",
        (case_id,),
    ).fetchone()
    return row


# ---------------------------------------------------------------- extensions
def extensions(conn: sqlite3.Connection, case_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT t.*, a.display_name AS applied_by_name, b.display_name AS decided_by_name"
        " FROM time_limit_extensions t"
        + _USER_NAMES.format(first="applied_by", second="decided_by")
        + " WHERE t.case_id = ? ORDER BY t.id",
        (case_id,),
    ).fetchall()


def extension(conn: sqlite3.Connection, extension_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM time_limit_extensions WHERE id = ?", (extension_id,)
    ).fetchone()
    return row


def pending_extension_id(conn: sqlite3.Connection, case_id: int) -> int | None:
    row = conn.execute(
        "SELECT id FROM time_limit_extensions WHERE case_id = ? AND status = 'pending'",
        (case_id,),
    ).fetchone()
    return None if row is None else int(row[0])


@dataclass(frozen=True)
class NewExtension:
    case_id: int
    procedure: str
    length_months: int
    length_days: int
    approver: str
    reason: str
    applied_by: int | None
    applied_on: date
    expiry_when_applied: date
    late_application: bool
    created_at: str


def insert_extension(conn: sqlite3.Connection, new: NewExtension) -> int:
    cursor = conn.execute(
        "INSERT INTO time_limit_extensions (case_id, procedure, length_months, length_days,"
        " approver, reason, applied_by, applied_on, expiry_when_applied, late_application,"
        " status, created_at) VALUES (?,?,?,?,?,?,?,?,?,?, 'pending', ?)",
        (
            new.case_id,
            new.procedure,
            new.length_months,
            new.length_days,
            new.approver,
            new.reason,
            new.applied_by,
            new.applied_on.isoformat(),
            new.expiry_when_applied.isoformat(),
            int(new.late_application),
            new.created_at,
        ),
    )
    return int(cursor.lastrowid or 0)


# ---------------------------------------------------------------- excluded periods
def exclusions(conn: sqlite3.Connection, case_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT t.*, a.display_name AS approved_by_name, b.display_name AS opened_by_name,"
        " c.display_name AS closed_by_name"
        " FROM time_limit_exclusions t"
        + _USER_NAMES.format(first="approved_by", second="opened_by")
        + " LEFT JOIN users c ON c.id = t.closed_by"
        " WHERE t.case_id = ? ORDER BY t.start_date, t.id",
        (case_id,),
    ).fetchall()


def exclusion(conn: sqlite3.Connection, exclusion_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM time_limit_exclusions WHERE id = ?", (exclusion_id,)
    ).fetchone()
    return row


@dataclass(frozen=True)
class NewExclusion:
    case_id: int
    kind: str
    start_date: date
    end_date: date | None
    reason: str
    approved_by: int | None
    document_ref: str
    opened_by: int | None
    created_at: str


def insert_exclusion(conn: sqlite3.Connection, new: NewExclusion) -> int:
    cursor = conn.execute(
        "INSERT INTO time_limit_exclusions (case_id, kind, start_date, end_date, reason,"
        " approved_by, document_ref, opened_by, closed_by, created_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        (
            new.case_id,
            new.kind,
            new.start_date.isoformat(),
            None if new.end_date is None else new.end_date.isoformat(),
            new.reason,
            new.approved_by,
            new.document_ref,
            new.opened_by,
            None if new.end_date is None else new.opened_by,
            new.created_at,
        ),
    )
    return int(cursor.lastrowid or 0)


# ---------------------------------------------------------------- conversions
def conversions(conn: sqlite3.Connection, case_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT t.*, u.display_name AS recorded_by_name FROM procedure_conversions t"
        " LEFT JOIN users u ON u.id = t.recorded_by WHERE t.case_id = ? ORDER BY t.id",
        (case_id,),
    ).fetchall()


def insert_conversion(
    conn: sqlite3.Connection,
    case_id: int,
    from_procedure: str,
    to_procedure: str,
    decided_on: date,
    restarts: bool,
    reason: str,
    recorded_by: int | None,
    created_at: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO procedure_conversions (case_id, from_procedure, to_procedure, decided_on,"
        " restarts, reason, recorded_by, created_at) VALUES (?,?,?,?,?,?,?,?)",
        (
            case_id,
            from_procedure,
            to_procedure,
            decided_on.isoformat(),
            int(restarts),
            reason,
            recorded_by,
            created_at,
        ),
    )
    return int(cursor.lastrowid or 0)


# ---------------------------------------------------------------- closing
def closing(conn: sqlite3.Connection, case_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT t.*, u.display_name AS recorded_by_name FROM case_closings t"
        " LEFT JOIN users u ON u.id = t.recorded_by WHERE t.case_id = ?",
        (case_id,),
    ).fetchone()
    return row


def archive(conn: sqlite3.Connection, case_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT t.*, u.display_name AS archived_by_name FROM case_archives t"
        " LEFT JOIN users u ON u.id = t.archived_by WHERE t.case_id = ?",
        (case_id,),
    ).fetchone()
    return row


def insert_archive(
    conn: sqlite3.Connection,
    case_id: int,
    archived_on: date,
    archive_number: str,
    archived_by: int | None,
    created_at: str,
) -> None:
    conn.execute(
        "INSERT INTO case_archives (case_id, archived_on, archive_number, archived_by, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (case_id, archived_on.isoformat(), archive_number, archived_by, created_at),
    )


def closing_services(conn: sqlite3.Connection, case_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT s.*, p.name AS party_name, p.role AS party_role FROM case_closing_services s"
        " JOIN parties p ON p.id = s.party_id WHERE s.case_id = ? ORDER BY p.position",
        (case_id,),
    ).fetchall()


CLOSING_COLUMNS = ("manner", "delivery", "pronounced_on", "closed_date", "note")


def insert_closing(
    conn: sqlite3.Connection,
    case_id: int,
    values: dict[str, Any],
    recorded_by: int | None,
    recorded_at: str,
) -> int:
    cursor = conn.execute(
        f"INSERT INTO case_closings (case_id, {', '.join(CLOSING_COLUMNS)}, recorded_by,"
        f" recorded_at) VALUES (?, {', '.join('?' * len(CLOSING_COLUMNS))}, ?, ?)",
        (case_id, *(values[c] for c in CLOSING_COLUMNS), recorded_by, recorded_at),
    )
    return int(cursor.lastrowid or 0)


def replace_closing_services(
    conn: sqlite3.Connection, case_id: int, services: list[tuple[int, str, str]]
) -> None:
    """(party_id, method, ISO date) rows: the closing document reaching each party."""
    conn.execute("DELETE FROM case_closing_services WHERE case_id = ?", (case_id,))
    conn.executemany(
        "INSERT INTO case_closing_services (case_id, party_id, method, service_date)"
        " VALUES (?, ?, ?, ?)",
        [(case_id, *s) for s in services],
    )


def party_ids(conn: sqlite3.Connection, case_id: int) -> dict[int, str]:
    return {
        int(r[0]): str(r[1])
        for r in conn.execute(
            "SELECT id, name FROM parties WHERE case_id = ? ORDER BY position", (case_id,)
        )
    }


# ---------------------------------------------------------------- derived columns
DERIVED_COLUMNS = (
    "time_limit_expiry",
    "time_limit_paused_since",
    "time_limit_excluded_days",
    "extensions_granted",
    "closed_within_limit",
    "trial_days",
)


def write_derived(conn: sqlite3.Connection, case_id: int, values: dict[str, Any]) -> None:
    """Rewrite the derived 审限 columns of a case (inside the change's transaction)."""
    unknown = set(values) - set(DERIVED_COLUMNS)
    if unknown:
        raise ValueError(f"not derived columns: {sorted(unknown)}")
    assignments = ", ".join(f"{column} = ?" for column in values)
    conn.execute(f"UPDATE cases SET {assignments} WHERE id = ?", (*values.values(), case_id))


def set_case_fields(
    conn: sqlite3.Connection, case_id: int, values: dict[str, Any], stamp: str
) -> None:
    """Status, procedure, closing date and manner, archive date: bump the case's version."""
    allowed = {"status", "closed_date", "closing_manner", "archived_date"}
    if set(values) - allowed:
        raise ValueError(f"not settable here: {sorted(set(values) - allowed)}")
    assignments = ", ".join(f"{column} = ?" for column in values)
    conn.execute(
        f"UPDATE cases SET {assignments}, updated_at = ?, version = version + 1 WHERE id = ?",
        (*values.values(), stamp, case_id),
    )


def touch(conn: sqlite3.Connection, case_id: int, stamp: str) -> None:
    """Mark the case as changed now (after a versioned update of its own columns)."""
    conn.execute("UPDATE cases SET updated_at = ? WHERE id = ?", (stamp, case_id))
