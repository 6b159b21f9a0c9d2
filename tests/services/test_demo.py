from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from courtdesk.domain.identity import CitizenId, check_credit_code, parse_citizen_id
from courtdesk.services.demo import fill_demo


def digest(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT c.case_number, c.cause, c.status, c.judge_name, p.name, p.id_number, p.address"
            " FROM cases c JOIN parties p ON p.case_id = c.id ORDER BY c.id, p.position"
        ).fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_same_seed_same_data(tmp_path: Path) -> None:
    as_of = date(2026, 11, 20)
    fill_demo(tmp_path / "a.sqlite3", 300, seed=3, as_of=as_of)
    fill_demo(tmp_path / "b.sqlite3", 300, seed=3, as_of=as_of)
    fill_demo(tmp_path / "c.sqlite3", 300, seed=4, as_of=as_of)
    assert digest(tmp_path / "a.sqlite3") == digest(tmp_path / "b.sqlite3")
    assert digest(tmp_path / "a.sqlite3") != digest(tmp_path / "c.sqlite3")


def test_demo_data_is_plausible(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as conn:
        assert conn.execute("SELECT count(*) FROM courtrooms").fetchone()[0] == 11
        tribunals = conn.execute("SELECT count(*) FROM divisions WHERE is_tribunal = 1").fetchone()[
            0
        ]
        assert tribunals == 2
        roles = {r[0] for r in conn.execute("SELECT DISTINCT role FROM user_roles")}
        assert {"judge", "clerk", "registrar", "service", "chief", "president"} <= roles
        categories = {r[0] for r in conn.execute("SELECT DISTINCT category FROM cases")}
        assert {"civil", "criminal", "administrative", "enforcement"} <= categories
        for (number,) in conn.execute("SELECT id_number FROM parties WHERE id_number <> ''"):
            assert isinstance(parse_citizen_id(number), CitizenId), number
        for (code,) in conn.execute("SELECT credit_code FROM parties WHERE credit_code <> ''"):
            assert check_credit_code(code) is None, code
        # Numbers per (year, type) run 1..n without gaps, and counters agree.
        for year, type_code, count, top in conn.execute(
            "SELECT year, type_code, count(*), max(sequence) FROM cases GROUP BY year, type_code"
        ):
            assert count == top, (year, type_code)
            counter = conn.execute(
                "SELECT last_sequence FROM case_number_counters WHERE year = ? AND type_code = ?",
                (year, type_code),
            ).fetchone()[0]
            assert counter == top
        assert (
            conn.execute("SELECT count(*) FROM cases WHERE closed_date < filing_date").fetchone()[0]
            == 0
        )
        assert (
            conn.execute("SELECT count(*) FROM case_search").fetchone()[0]
            == conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        )


def test_filling_again_continues_the_numbers(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite3"
    fill_demo(path, 100, seed=1, as_of=date(2026, 11, 20))
    fill_demo(path, 100, seed=2, as_of=date(2026, 11, 20))
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 200
        assert conn.execute("SELECT count(DISTINCT case_number) FROM cases").fetchone()[0] == 200
        assert (
            conn.execute("SELECT count(*) FROM users WHERE username <> 'admin'").fetchone()[0] > 20
        )


def test_a_big_demo_builds_its_indexes_at_the_end_and_gets_the_same_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deferring the indexes (store.bulk.deferred_indexes) changes nothing but the speed:
    the same rows, every index back as it was defined, and a sound file."""
    from courtdesk.services import demo, maintenance

    as_of = date(2026, 11, 20)
    usual = tmp_path / "usual.sqlite3"
    deferred = tmp_path / "deferred.sqlite3"
    fill_demo(usual, 300, seed=3, as_of=as_of)
    monkeypatch.setattr(demo, "DEFER_INDEXES_FROM", 1)
    seen_during_load: set[str] = set()
    insert_rows = demo.bulk.insert_rows

    def watched(conn: sqlite3.Connection, table: str, *args: object) -> None:
        seen_during_load.update(
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        )
        insert_rows(conn, table, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(demo.bulk, "insert_rows", watched)
    fill_demo(deferred, 300, seed=3, as_of=as_of)
    assert "cases_filing" not in seen_during_load  # the index really was gone meanwhile

    def indexes(path: Path) -> list[tuple[str, str]]:
        with sqlite3.connect(path) as conn:
            return conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
            ).fetchall()

    assert indexes(deferred) == indexes(usual)
    assert digest(deferred) == digest(usual)
    assert maintenance.check_file(deferred).ok
