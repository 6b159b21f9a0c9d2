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


def every_generated_row(path: Path) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Every bulk-loaded row of a demo, the wall-clock times it was written at blanked."""
    from courtdesk.store.bulk import BULK_TABLES

    with sqlite3.connect(path) as conn:
        stamps = {
            stamp: "<written at>"
            for (stamp,) in conn.execute(
                "SELECT created_at FROM cases UNION SELECT created_at FROM users"
            )
        }
        tables = [*sorted(BULK_TABLES), "case_search", "case_number_counters"]
        return [
            (
                table,
                sorted(
                    (
                        tuple(stamps.get(v, v) if isinstance(v, str) else v for v in row)
                        for row in conn.execute(f"SELECT * FROM {table}")
                    ),
                    key=repr,
                ),
            )
            for table in tables
        ]


def test_worker_processes_make_the_same_demo_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big demo's rows are made in worker processes (services.demo_workers); every row
    of every table is what one process makes with the same seed."""
    from courtdesk.services import demo

    as_of = date(2026, 11, 20)
    monkeypatch.setattr(demo, "CHUNK", 120)  # three chunks and a part
    monkeypatch.setattr(demo, "WORKERS_FROM", 10**9)
    alone = tmp_path / "alone.sqlite3"
    fill_demo(alone, 400, seed=5, as_of=as_of)
    monkeypatch.setattr(demo, "WORKERS_FROM", 1)
    started = []
    start = demo.demo_workers.Pipeline._start

    def counted(self: object, *args: object) -> object:
        started.append(args[0])
        return start(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(demo.demo_workers.Pipeline, "_start", counted)
    workers = tmp_path / "workers.sqlite3"
    report = fill_demo(workers, 400, seed=5, as_of=as_of)
    assert len(started) == 2  # the cases process and the service process really ran
    assert report.cases == 400 and report.service_tasks > 400
    rows = every_generated_row(workers)
    assert sum(len(table_rows) for _, table_rows in rows) > 5_000
    assert rows == every_generated_row(alone)


def test_a_failing_or_dying_worker_stops_the_fill_with_the_reason() -> None:
    import functools
    import os

    from courtdesk.services import demo_workers

    def drained(make: object, ways: int = 1) -> None:
        with demo_workers.Pipeline() as pipeline:
            (stream,) = pipeline.split(make, ways)  # type: ignore[arg-type]
            list(pipeline.then(int, stream))

    with pytest.raises(demo_workers.WorkerFailed) as caught:
        drained(functools.partial(int, "not a number"))
    assert "ValueError: invalid literal for int()" in str(caught.value)  # the worker's traceback
    with pytest.raises(demo_workers.WorkerFailed) as caught:
        drained(functools.partial(os._exit, 3))  # the first stage dies: the second can't wait
    assert "退出码 3" in str(caught.value)
    with demo_workers.Pipeline() as pipeline:
        (stream,) = pipeline.split(functools.partial(list, [("12",), ("34",)]), 1)
        assert list(pipeline.then(int, stream)) == [12, 34]
    with pytest.raises(demo_workers.WorkerFailed, match="invalid literal"):
        drained(functools.partial(list, [("12",), ("twelve",)]))  # the second stage raises


def test_the_command_line_can_ask_for_worker_processes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from courtdesk.cli import main

    alone, workers = tmp_path / "alone.sqlite3", tmp_path / "workers.sqlite3"
    common = ["--cases", "250", "--seed", "2", "--as-of", "2026-11-20"]
    assert main(["demo", "--db", str(alone), *common, "--no-workers"]) == 0
    assert main(["demo", "--db", str(workers), *common, "--workers"]) == 0
    assert "生成 250 件演示案件" in capsys.readouterr().out
    assert every_generated_row(workers) == every_generated_row(alone)
