"""Cases, their parties and agents: rows in, rows out."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from courtdesk.domain.case_number import CaseNumber


@dataclass(frozen=True)
class NewCase:
    year: int
    court_code: str
    special_code: str
    type_code: str
    category: str
    procedure: str
    cause: str
    filing_date: date
    source: str
    amount_claimed_fen: int | None
    status: str
    division_id: int | None
    presiding_judge_id: int | None
    clerk_id: int | None
    judge_name: str
    parties_summary: str
    time_limit_expiry: date | None
    is_private: bool
    created_at: str
    created_by: int | None


def allocate_case_number(
    conn: sqlite3.Connection, year: int, court_code: str, special_code: str, type_code: str
) -> CaseNumber:
    """The next 案号 for (year, court, special code, type): call inside the write transaction.

    The counter row is bumped in the transaction that stores the case, so a rolled
    back registration gives its number back and numbers stay gapless; BEGIN IMMEDIATE
    means two programs on one file take turns here instead of reading the same value.
    """
    if not conn.in_transaction:
        raise RuntimeError("case numbers are allocated inside the transaction that stores the case")
    row = conn.execute(
        "INSERT INTO case_number_counters (year, court_code, special_code, type_code, last_sequence)"
        " VALUES (?, ?, ?, ?, 1)"
        " ON CONFLICT (year, court_code, special_code, type_code)"
        " DO UPDATE SET last_sequence = last_sequence + 1"
        " RETURNING last_sequence",
        (year, court_code, special_code, type_code),
    ).fetchone()
    return CaseNumber(year, court_code, type_code, int(row[0]), special_code)


def insert_case(conn: sqlite3.Connection, number: CaseNumber, case: NewCase) -> int:
    cursor = conn.execute(
        "INSERT INTO cases (case_number, year, court_code, special_code, type_code, sequence,"
        " category, procedure, cause, filing_date, source, amount_claimed_fen, status,"
        " division_id, presiding_judge_id, clerk_id, judge_name, parties_summary,"
        " time_limit_expiry, is_private, created_at, created_by, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            str(number),
            number.year,
            number.court_code,
            number.special_code,
            number.type_code,
            number.sequence,
            case.category,
            case.procedure,
            case.cause,
            case.filing_date.isoformat(),
            case.source,
            case.amount_claimed_fen,
            case.status,
            case.division_id,
            case.presiding_judge_id,
            case.clerk_id,
            case.judge_name,
            case.parties_summary,
            case.time_limit_expiry.isoformat() if case.time_limit_expiry else None,
            int(case.is_private),
            case.created_at,
            case.created_by,
            case.created_at,
        ),
    )
    return int(cursor.lastrowid or 0)


PARTY_COLUMNS = (
    "role",
    "kind",
    "name",
    "sex",
    "birth_date",
    "id_number",
    "phone",
    "address",
    "credit_code",
    "legal_representative",
)
AGENT_COLUMNS = ("kind", "name", "law_firm", "licence_number", "phone")


def insert_party(
    conn: sqlite3.Connection, case_id: int, position: int, values: dict[str, Any]
) -> int:
    cursor = conn.execute(
        f"INSERT INTO parties (case_id, position, {', '.join(PARTY_COLUMNS)})"
        f" VALUES (?, ?, {', '.join('?' * len(PARTY_COLUMNS))})",
        (case_id, position, *(values[c] for c in PARTY_COLUMNS)),
    )
    return int(cursor.lastrowid or 0)


def insert_agent(
    conn: sqlite3.Connection, case_id: int, party_id: int, values: dict[str, Any]
) -> int:
    cursor = conn.execute(
        f"INSERT INTO agents (case_id, party_id, {', '.join(AGENT_COLUMNS)})"
        f" VALUES (?, ?, {', '.join('?' * len(AGENT_COLUMNS))})",
        (case_id, party_id, *(values[c] for c in AGENT_COLUMNS)),
    )
    return int(cursor.lastrowid or 0)


CASE_DETAIL_SQL = """
SELECT c.*, d.name AS division_name, k.display_name AS clerk_name,
       u.display_name AS created_by_name
FROM cases c
LEFT JOIN divisions d ON d.id = c.division_id
LEFT JOIN users k ON k.id = c.clerk_id
LEFT JOIN users u ON u.id = c.created_by
"""


def case_row(conn: sqlite3.Connection, case_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        CASE_DETAIL_SQL + " WHERE c.id = ?", (case_id,)
    ).fetchone()
    return row


def case_id_by_number(conn: sqlite3.Connection, case_number: str) -> int | None:
    row = conn.execute("SELECT id FROM cases WHERE case_number = ?", (case_number,)).fetchone()
    return int(row[0]) if row else None


def party_rows(conn: sqlite3.Connection, case_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT * FROM parties WHERE case_id = ? ORDER BY position", (case_id,)
    ).fetchall()


def agent_rows(conn: sqlite3.Connection, case_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT * FROM agents WHERE case_id = ? ORDER BY party_id, id", (case_id,)
    ).fetchall()


def sequences(
    conn: sqlite3.Connection, year: int, court_code: str, type_code: str
) -> Sequence[int]:
    """Every sequence number used for (year, court, type), in order (for checks and tests)."""
    rows = conn.execute(
        "SELECT sequence FROM cases WHERE year = ? AND court_code = ? AND type_code = ?"
        " ORDER BY sequence",
        (year, court_code, type_code),
    ).fetchall()
    return [int(r[0]) for r in rows]


def set_parties_summary(conn: sqlite3.Connection, case_id: int, summary: str, stamp: str) -> None:
    """Keep the docket's 当事人 column in step with the parties (derived, stored for sorting)."""
    conn.execute(
        "UPDATE cases SET parties_summary = ?, updated_at = ? WHERE id = ?",
        (summary, stamp, case_id),
    )


def case_number_of(conn: sqlite3.Connection, case_id: int) -> str:
    row = conn.execute("SELECT case_number FROM cases WHERE id = ?", (case_id,)).fetchone()
    return str(row[0])


def party_row(conn: sqlite3.Connection, party_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM parties WHERE id = ?", (party_id,)
    ).fetchone()
    return row


def rename_judge(conn: sqlite3.Connection, user_id: int, name: str, stamp: str) -> None:
    """A judge's new name follows onto the docket's copy of it (``cases.judge_name``)."""
    conn.execute(
        "UPDATE cases SET judge_name = ?, updated_at = ? WHERE presiding_judge_id = ?"
        " AND judge_name <> ?",
        (name, stamp, user_id, name),
    )
