"""Assignments (分案) of cases to judges, clerks and panels: rows in, rows out."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from courtdesk.domain.case_status import OPEN_STATUSES

_LOAD_COLUMNS = frozenset({"presiding_judge_id", "clerk_id"})


@dataclass(frozen=True)
class NewAssignment:
    case_id: int
    division_id: int | None
    presiding_judge_id: int
    clerk_id: int | None
    bench: str
    method: str
    reason: str
    assigned_at: str
    assigned_by: int | None


def open_caseloads(
    conn: sqlite3.Connection, user_ids: Iterable[int], column: str = "presiding_judge_id"
) -> dict[int, int]:
    """Open cases per person, as presiding judge or as clerk (an index range per person)."""
    if column not in _LOAD_COLUMNS:
        raise ValueError(column)
    ids = list(dict.fromkeys(user_ids))
    loads = dict.fromkeys(ids, 0)
    if not ids:
        return loads
    statuses = ",".join("?" * len(OPEN_STATUSES))
    rows = conn.execute(
        f"SELECT {column}, count(*) FROM cases"
        f" WHERE {column} IN ({','.join('?' * len(ids))}) AND status IN ({statuses})"
        f" GROUP BY {column}",
        (*ids, *OPEN_STATUSES),
    )
    for user_id, n in rows:
        loads[int(user_id)] = int(n)
    return loads


def end_current(conn: sqlite3.Connection, case_id: int, stamp: str) -> int | None:
    """Close the case's current assignment (if any); returns its id."""
    row = conn.execute(
        "UPDATE case_assignments SET ended_at = ? WHERE case_id = ? AND ended_at IS NULL"
        " RETURNING id",
        (stamp, case_id),
    ).fetchone()
    return int(row[0]) if row else None


def insert_assignment(
    conn: sqlite3.Connection, new: NewAssignment, members: Sequence[tuple[int, str]]
) -> int:
    """Store an assignment and its panel members (user id, role) in order."""
    cursor = conn.execute(
        "INSERT INTO case_assignments (case_id, division_id, presiding_judge_id, clerk_id, bench,"
        " method, reason, assigned_at, assigned_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new.case_id,
            new.division_id,
            new.presiding_judge_id,
            new.clerk_id,
            new.bench,
            new.method,
            new.reason,
            new.assigned_at,
            new.assigned_by,
        ),
    )
    assignment_id = int(cursor.lastrowid or 0)
    conn.executemany(
        "INSERT INTO case_panel_members (assignment_id, position, user_id, role)"
        " VALUES (?, ?, ?, ?)",
        [(assignment_id, n, user_id, role) for n, (user_id, role) in enumerate(members)],
    )
    return assignment_id


_HISTORY_SQL = """
SELECT a.*, j.display_name AS judge_name, k.display_name AS clerk_name,
       b.display_name AS assigned_by_name, d.name AS division_name
FROM case_assignments a
JOIN users j ON j.id = a.presiding_judge_id
LEFT JOIN users k ON k.id = a.clerk_id
LEFT JOIN users b ON b.id = a.assigned_by
LEFT JOIN divisions d ON d.id = a.division_id
WHERE a.case_id = ?
ORDER BY a.id DESC
"""


def history(conn: sqlite3.Connection, case_id: int) -> list[sqlite3.Row]:
    """Every assignment of a case, newest first (the current one has no ``ended_at``)."""
    return conn.execute(_HISTORY_SQL, (case_id,)).fetchall()


def members_of(conn: sqlite3.Connection, assignment_ids: Sequence[int]) -> list[sqlite3.Row]:
    if not assignment_ids:
        return []
    return conn.execute(
        "SELECT m.assignment_id, m.position, m.user_id, m.role, u.display_name AS name"
        " FROM case_panel_members m JOIN users u ON u.id = m.user_id"
        f" WHERE m.assignment_id IN ({','.join('?' * len(assignment_ids))})"
        " ORDER BY m.assignment_id, m.position",
        tuple(assignment_ids),
    ).fetchall()


def people_in(conn: sqlite3.Connection, role: str) -> list[sqlite3.Row]:
    """Active users holding ``role``, with their division's name and kind."""
    return conn.execute(
        "SELECT u.id, u.display_name, u.division_id, d.name AS division_name, d.kind"
        " FROM users u JOIN user_roles r ON r.user_id = u.id"
        " LEFT JOIN divisions d ON d.id = u.division_id"
        " WHERE r.role = ? AND u.active = 1 ORDER BY u.division_id, u.id",
        (role,),
    ).fetchall()


def panel_loads(conn: sqlite3.Connection, user_ids: Iterable[int]) -> dict[int, int]:
    """Open cases on whose current panel each person sits (by the members' index)."""
    ids = list(dict.fromkeys(user_ids))
    loads = dict.fromkeys(ids, 0)
    if not ids:
        return loads
    statuses = ",".join("?" * len(OPEN_STATUSES))
    rows = conn.execute(
        "SELECT m.user_id, count(*) FROM case_panel_members m"
        " JOIN case_assignments a ON a.id = m.assignment_id AND a.ended_at IS NULL"
        f" JOIN cases c ON c.id = a.case_id AND c.status IN ({statuses})"
        f" WHERE m.user_id IN ({','.join('?' * len(ids))}) GROUP BY m.user_id",
        (*OPEN_STATUSES, *ids),
    )
    for user_id, n in rows:
        loads[int(user_id)] = int(n)
    return loads
