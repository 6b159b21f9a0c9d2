"""Names already in the database, for the 立案 form: autocomplete and duplicate checks.

Every query walks an index from a prefix (``name >= '张' AND name < '张\\U0010ffff'``)
or looks names up by equality, and stops at its LIMIT, so it costs the same at
200,000 cases as at 200.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from courtdesk.domain.case_status import OPEN_STATUSES

_AFTER_EVERYTHING = "\U0010ffff"


def _prefix_range(prefix: str) -> tuple[str, str]:
    return prefix, prefix + _AFTER_EVERYTHING


def known_parties(conn: sqlite3.Connection, prefix: str, limit: int) -> list[sqlite3.Row]:
    """Distinct parties (by name and ID) whose name starts with ``prefix``, each as last entered.

    Parties of cases heard in private (minors, family matters) are never suggested:
    their names and ID numbers are not the filing desk's to see.
    """
    low, high = _prefix_range(prefix)
    return conn.execute(
        "SELECT p.* FROM parties p JOIN ("
        "  SELECT max(id) AS id FROM parties WHERE name >= ? AND name < ?"
        "  AND case_id NOT IN (SELECT id FROM cases INDEXED BY cases_private WHERE is_private = 1)"
        "  GROUP BY name, id_number, credit_code ORDER BY name LIMIT ?"
        ") AS latest ON latest.id = p.id ORDER BY p.name, p.id DESC",
        (low, high, limit),
    ).fetchall()


def known_lawyers(conn: sqlite3.Connection, prefix: str, limit: int) -> list[sqlite3.Row]:
    """Distinct agents (by name, firm and licence) whose name starts with ``prefix``."""
    low, high = _prefix_range(prefix)
    return conn.execute(
        "SELECT a.* FROM agents a JOIN ("
        "  SELECT max(id) AS id FROM agents WHERE name >= ? AND name < ?"
        "  GROUP BY name, law_firm, licence_number ORDER BY name LIMIT ?"
        ") AS latest ON latest.id = a.id ORDER BY a.name, a.id DESC",
        (low, high, limit),
    ).fetchall()


def known_firms(conn: sqlite3.Connection, prefix: str, limit: int) -> list[str]:
    """Distinct law firms whose name starts with ``prefix``."""
    low, high = _prefix_range(prefix)
    rows = conn.execute(
        "SELECT DISTINCT law_firm FROM agents WHERE law_firm >= ? AND law_firm < ?"
        " ORDER BY law_firm LIMIT ?",
        (low, high, limit),
    )
    return [str(r[0]) for r in rows]


def open_cases_with_party(
    conn: sqlite3.Connection, cause: str, name: str, id_number: str
) -> set[int]:
    """Open cases with this cause that have a party of this name (or this ID number)."""
    statuses = ",".join("?" * len(OPEN_STATUSES))
    sql = (
        "SELECT p.case_id FROM parties p JOIN cases c ON c.id = p.case_id"
        f" WHERE p.name = ? AND c.cause = ? AND c.status IN ({statuses})"
    )
    params: list[object] = [name, cause, *OPEN_STATUSES]
    if id_number:
        sql += (
            " UNION SELECT p.case_id FROM parties p JOIN cases c ON c.id = p.case_id"
            f" WHERE p.id_number = ? AND p.id_number <> '' AND c.cause = ? AND c.status IN ({statuses})"
        )
        params += [id_number, cause, *OPEN_STATUSES]
    return {int(r[0]) for r in conn.execute(sql, params)}


def case_briefs(conn: sqlite3.Connection, case_ids: Sequence[int]) -> list[sqlite3.Row]:
    if not case_ids:
        return []
    return conn.execute(
        "SELECT id, case_number, cause, parties_summary, filing_date, status, judge_name"
        f" FROM cases WHERE id IN ({','.join('?' * len(case_ids))}) ORDER BY filing_date DESC, id",
        tuple(case_ids),
    ).fetchall()
