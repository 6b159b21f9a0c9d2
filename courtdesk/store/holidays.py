"""The court's own holiday entries (for years the holiday package does not cover)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date

from courtdesk.domain.holidays import CourtDay, HolidayCalendar
from courtdesk.store.connection import read_once


def entered_days(conn: sqlite3.Connection) -> list[tuple[date, bool, str]]:
    return [
        (date.fromisoformat(r[0]), bool(r[1]), str(r[2]))
        for r in conn.execute("SELECT day, working, name FROM court_holidays ORDER BY day")
    ]


def entered_years(conn: sqlite3.Connection) -> list[int]:
    return [int(r[0]) for r in conn.execute("SELECT year FROM court_holiday_years ORDER BY year")]


def court_calendar(conn: sqlite3.Connection) -> HolidayCalendar:
    """The package's years with the court's own entries (read once per change of the file)."""
    return read_once(conn, "holidays", _read_calendar)


def _read_calendar(conn: sqlite3.Connection) -> HolidayCalendar:
    days = {d: CourtDay(working, name) for d, working, name in entered_days(conn)}
    return HolidayCalendar(days, frozenset(entered_years(conn)))


def replace_year(
    conn: sqlite3.Connection,
    year: int,
    days: Iterable[tuple[date, bool, str]],
    entered_by: str,
    entered_at: str,
) -> int:
    """Replace every entry of ``year``; returns how many days were stored."""
    conn.execute(
        "DELETE FROM court_holidays WHERE day >= ? AND day <= ?", (f"{year}-01-01", f"{year}-12-31")
    )
    rows = [(d.isoformat(), int(working), name) for d, working, name in days]
    conn.executemany("INSERT INTO court_holidays (day, working, name) VALUES (?, ?, ?)", rows)
    conn.execute(
        "INSERT INTO court_holiday_years (year, entered_by, entered_at) VALUES (?, ?, ?)"
        " ON CONFLICT (year) DO UPDATE SET entered_by = excluded.entered_by,"
        " entered_at = excluded.entered_at",
        (year, entered_by, entered_at),
    )
    return len(rows)


def year_entry(conn: sqlite3.Connection, year: int) -> tuple[str, str] | None:
    """Who entered ``year`` and when (ISO time), or None if the court has not entered it."""
    row = conn.execute(
        "SELECT entered_by, entered_at FROM court_holiday_years WHERE year = ?", (year,)
    ).fetchone()
    return None if row is None else (str(row[0]), str(row[1]))
