"""Bulk loading for generated data (demo databases, imports): executemany, no per-row work."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

BULK_TABLES = frozenset(
    {
        "cases",
        "parties",
        "agents",
        "users",
        "user_roles",
        "divisions",
        "courtrooms",
        "case_assignments",
        "case_panel_members",
        "time_limit_extensions",
        "time_limit_exclusions",
        "procedure_conversions",
        "case_closings",
        "case_closing_services",
        "case_archives",
        "hearings",
        "hearing_staff",
        "service_addresses",
        "service_tasks",
        "service_attempts",
    }
)


# A million cases make a database of several gigabytes whose indexes take keys in
# random order; with the everyday 64 MB page cache most inserts then wait on the disk.
LOADING_CACHE_KIB = 1_048_576


@contextlib.contextmanager
def loading(conn: sqlite3.Connection) -> Iterator[None]:
    """Settings for one long bulk load on this connection, put back afterwards.

    A 1 GB page cache keeps the indexes' hot pages in memory, and synchronous=NORMAL
    (still safe in WAL mode: a power cut loses at most the last chunks, never the
    file's integrity) skips the per-chunk fsync of the WAL. Only for generated or
    imported data that can be made again; everyday writes keep synchronous=FULL.
    """
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    synchronous = conn.execute("PRAGMA synchronous").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{LOADING_CACHE_KIB}")
    conn.execute("PRAGMA synchronous = NORMAL")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")
        conn.execute(f"PRAGMA synchronous = {int(synchronous)}")


@contextlib.contextmanager
def deferred_indexes(conn: sqlite3.Connection) -> Iterator[None]:
    """Drop the bulk tables' secondary indexes for a load, and build them again after.

    A B-tree filled with keys in random order (names, causes, dates of a million
    cases into 18 indexes on ``cases`` alone) costs a page write per key once it
    outgrows the cache; built afterwards from the finished table, each index is
    one sort. The indexes are recreated from their own stored SQL, so what comes
    back is exactly what was there, and a UNIQUE index checks its rows as it is
    built. For loading into a new, empty database only: until the load ends,
    queries on these tables are slow, and a load that is killed leaves the file
    without them (delete it and load again).
    """
    tables = sorted(BULK_TABLES)
    saved = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({', '.join('?' * len(tables))}) ORDER BY name",
        tables,
    ).fetchall()
    with _immediate(conn):
        for name, _ in saved:
            conn.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with _immediate(conn):
            for _, sql in saved:
                conn.execute(sql)


@contextlib.contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def insert_rows(
    conn: sqlite3.Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    if table not in BULK_TABLES:
        raise ValueError(f"bulk loading into {table} is not supported")
    placeholders = ", ".join("?" * len(columns))
    conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows)


def insert_search_rows(conn: sqlite3.Connection, rows: Iterable[Sequence[Any]]) -> None:
    """Search index rows ``(case_id, terms, initials, codes)`` from ``search.document_columns``."""
    conn.executemany(
        "INSERT INTO case_search (rowid, terms, initials, codes) VALUES (?, ?, ?, ?)", rows
    )


def raise_counter(
    conn: sqlite3.Connection,
    year: int,
    court_code: str,
    special_code: str,
    type_code: str,
    last: int,
) -> None:
    """Move a 案号 counter up to ``last`` after bulk-inserting numbered cases."""
    conn.execute(
        "INSERT INTO case_number_counters (year, court_code, special_code, type_code, last_sequence)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (year, court_code, special_code, type_code)"
        " DO UPDATE SET last_sequence = max(last_sequence, excluded.last_sequence)",
        (year, court_code, special_code, type_code, last),
    )


def counters(conn: sqlite3.Connection, court_code: str) -> dict[tuple[int, str, str], int]:
    return {
        (int(r[0]), str(r[1]), str(r[2])): int(r[3])
        for r in conn.execute(
            "SELECT year, special_code, type_code, last_sequence FROM case_number_counters"
            " WHERE court_code = ?",
            (court_code,),
        )
    }


def next_id(conn: sqlite3.Connection, table: str) -> int:
    if table not in BULK_TABLES:
        raise ValueError(table)
    return int(conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])
