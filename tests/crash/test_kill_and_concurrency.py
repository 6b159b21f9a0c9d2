"""Crash and concurrency safety, proven with real processes on a real file.

- A 10,000-case import killed with SIGKILL half-way leaves a sound database
  without a single case of the batch (it is one transaction).
- Two programs writing one file for a while: no error reaches either, no write is lost.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from courtdesk.domain.identity import citizen_id_check_digit
from courtdesk.services import maintenance
from courtdesk.services.accounts import DEMO_PASSWORD
from courtdesk.services.demo import fill_demo

ROOT = Path(__file__).resolve().parents[2]
BATCH = 10_000

pytestmark = pytest.mark.slow


def registrar_of(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(
            conn.execute(
                "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
                " WHERE r.role = 'registrar' ORDER BY u.id LIMIT 1"
            ).fetchone()[0]
        )


def env() -> dict[str, str]:
    return {**os.environ, "COURTDESK_PASSWORD": DEMO_PASSWORD, "PYTHONUNBUFFERED": "1"}


def write_batch(path: Path, rows: int) -> None:
    lines = ["案件类型,程序,案由,立案日期,诉讼标的额,原告,原告证件号,被告"]
    for n in range(rows):
        first17 = f"220104198{n % 10}0{1 + n % 9}1{n % 10}{n % 1000:03d}"[:17]
        lines.append(
            f"民初,简易程序,民间借贷纠纷,2026-03-01,{1000 + n},批量原告{n},"
            f"{first17}{citizen_id_check_digit(first17)},批量被告{n}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def counts(path: Path) -> tuple[int, int, int]:
    with sqlite3.connect(path) as conn:
        return (
            conn.execute("SELECT count(*) FROM cases").fetchone()[0],
            conn.execute("SELECT count(*) FROM parties WHERE name LIKE '批量%'").fetchone()[0],
            conn.execute(
                "SELECT coalesce(max(last_sequence), 0) FROM case_number_counters"
            ).fetchone()[0],
        )


@pytest.mark.parametrize(
    "kill_after",
    [
        "5,000",  # half-way: the batch is inside the one open transaction
        "10,000",  # the last row: the kill lands while the 30 MB commit is being written
    ],
)
def test_sigkill_during_a_10000_case_import_leaves_all_or_nothing(
    tmp_path: Path, kill_after: str
) -> None:
    db = tmp_path / "court.sqlite3"
    fill_demo(db, 0, seed=3)  # the court and its staff (demo passwords), no cases yet
    batch = tmp_path / "batch.csv"
    write_batch(batch, BATCH)
    before = counts(db)
    program = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "courtdesk",
            "import",
            "--db",
            str(db),
            "--user",
            registrar_of(db),
            "--progress",
            str(batch),
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env(),
        cwd=ROOT,
    )
    with program:
        assert program.stderr is not None
        seen = ""
        for line in program.stderr:
            seen = line.strip()
            if seen.startswith(f"已导入 {kill_after}/"):
                break
        assert seen.startswith(f"已导入 {kill_after}/"), seen
        os.kill(program.pid, signal.SIGKILL)
        program.wait(30)
    assert program.returncode == -signal.SIGKILL
    report = maintenance.check_file(db)
    assert report.ok, maintenance.report_lines(report)
    after = counts(db)
    if kill_after != "10,000" or after == before:
        assert after == before  # wholly absent: no case, no party, no number used
        return_to_work(db, batch)
    else:
        assert after == (BATCH, 2 * BATCH, BATCH)  # wholly there


def return_to_work(db: Path, batch: Path) -> None:
    """The file works on: the same import now runs to its end, numbered from 1."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "courtdesk",
            "import",
            "--db",
            str(db),
            "--user",
            registrar_of(db),
            str(batch),
        ],
        capture_output=True,
        text=True,
        env=env(),
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "（2026）吉0193民初1号 至 （2026）吉0193民初10000号" in done.stdout
    assert counts(db) == (BATCH, 2 * BATCH, BATCH)
    assert maintenance.check_file(db).ok


def test_two_programs_writing_one_file_lose_nothing_and_show_no_error(tmp_path: Path) -> None:
    db = tmp_path / "court.sqlite3"
    fill_demo(db, 200, seed=5)
    user = registrar_of(db)
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    programs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.crash.writer", str(db), user, tag, "12"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env(),
            cwd=ROOT,
        )
        for tag in ("甲", "乙")
    ]
    results = [p.communicate(timeout=300) for p in programs]
    for program, (_, err) in zip(programs, results, strict=True):
        assert program.returncode == 0, err
        assert err == ""  # no error, no warning reached the user
    stored = [int(out.strip()) for out, _ in results]
    assert all(n > 5 for n in stored), stored
    with sqlite3.connect(db) as conn:
        total = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        names = {
            r[0] for r in conn.execute("SELECT name FROM parties WHERE name GLOB '[甲乙]原告*'")
        }
        sequences = [
            r[0]
            for r in conn.execute(
                "SELECT sequence FROM cases WHERE year = 2026 AND type_code = '民初' ORDER BY sequence"
            )
        ]
    assert total == before + sum(stored)  # no write lost
    assert names == {
        f"{tag}原告{n}" for tag, count in zip("甲乙", stored, strict=True) for n in range(count)
    }
    assert sequences == list(range(1, len(sequences) + 1))  # 案号 unique and gapless
    report = maintenance.check_file(db)
    assert report.ok, maintenance.report_lines(report)
