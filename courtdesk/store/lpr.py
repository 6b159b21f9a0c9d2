"""The LPR fixings the court entered (the shipped table lives in resources/)."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

from courtdesk.domain.lpr import LprFixing

BASIS_POINTS = Decimal(100)  # the column holds hundredths of a percent


def entered_fixings(conn: sqlite3.Connection) -> list[LprFixing]:
    return [
        LprFixing(date.fromisoformat(r[0]), _rate(r[1]), str(r[2]))
        for r in conn.execute("SELECT day, rate_bp, entered_by FROM lpr_fixings ORDER BY day")
    ]


def get_fixing(conn: sqlite3.Connection, day: date) -> Decimal | None:
    row = conn.execute(
        "SELECT rate_bp FROM lpr_fixings WHERE day = ?", (day.isoformat(),)
    ).fetchone()
    return None if row is None else _rate(row[0])


def put_fixing(
    conn: sqlite3.Connection, day: date, rate: Decimal, entered_by: str, entered_at: str
) -> None:
    conn.execute(
        "INSERT INTO lpr_fixings (day, rate_bp, entered_by, entered_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (day) DO UPDATE SET rate_bp = excluded.rate_bp,"
        " entered_by = excluded.entered_by, entered_at = excluded.entered_at",
        (day.isoformat(), int(rate * BASIS_POINTS), entered_by, entered_at),
    )


def delete_fixing(conn: sqlite3.Connection, day: date) -> bool:
    return conn.execute("DELETE FROM lpr_fixings WHERE day = ?", (day.isoformat(),)).rowcount == 1


def _rate(basis_points: int) -> Decimal:
    return (Decimal(basis_points) / BASIS_POINTS).quantize(Decimal("0.01"))
