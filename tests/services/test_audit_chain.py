"""The audit trail is tamper-evident: ``courtdesk check`` names the row an outside edit broke."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from courtdesk.cli import main
from courtdesk.services import maintenance
from courtdesk.store.audit import hashed_fields, row_hash


def check(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, str]:
    code = main(["check", "--db", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out


def audit_rows(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def test_an_untouched_database_passes(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = check(capsys, demo_path)
    assert code == 0
    assert "SQLite 完整性检查：通过" in out
    assert f"操作记录哈希链：{audit_rows(demo_path):,} 条，全部相符" in out
    assert "结论：数据库完好" in out


def test_the_guard_triggers_refuse_edits_and_deletions(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as conn:
        with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
            conn.execute("UPDATE audit_log SET username = 'someone' WHERE id = 2")
        with pytest.raises(sqlite3.IntegrityError, match="cannot be deleted"):
            conn.execute("DELETE FROM audit_log WHERE id = 2")


def tamper(path: Path, *statements: str) -> None:
    """What someone with the sqlite3 module and the file does: drop the guards, edit."""
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_an_update_made_with_the_sqlite3_module_is_found_and_named(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tamper(demo_path, "UPDATE audit_log SET changes = '{\"cases\": 1}' WHERE id = 3")
    code, out = check(capsys, demo_path)
    assert code == 1
    assert "第 3 条操作记录" in out and "的内容与其哈希不符" in out
    assert "触发器 audit_log_no_update 已被删除" in out
    assert "结论：数据库有问题" in out
    # Only that row is named as changed.
    assert out.count("的内容与其哈希不符") == 1


def test_a_forger_who_recomputes_the_rows_hash_breaks_the_next_link(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(demo_path) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute("SELECT * FROM audit_log WHERE id = 2").fetchone()
    forged_user = "forger"
    digest = row_hash(
        row["prev_hash"],
        hashed_fields(
            row["at"],
            row["user_id"],
            forged_user,
            row["action"],
            row["table_name"],
            row["record_id"],
            row["case_id"],
            row["changes"],
        ),
    )
    tamper(
        demo_path,
        f"UPDATE audit_log SET username = '{forged_user}', hash = '{digest}' WHERE id = 2",
    )
    code, out = check(capsys, demo_path)
    assert code == 1
    assert "第 3 条操作记录" in out and "与前一条记录（第 2 条）链接不上" in out


def test_deleting_a_row_in_the_middle_or_at_the_end_is_found(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    end = tmp_path / "end.sqlite3"
    shutil.copyfile(demo_path, end)
    last = audit_rows(demo_path)
    tamper(demo_path, "DELETE FROM audit_log WHERE id = 2")
    code, out = check(capsys, demo_path)
    assert code == 1 and "第 2 条已被删除（编号不连续）" in out
    tamper(end, f"DELETE FROM audit_log WHERE id >= {last - 1}")
    report = maintenance.check_file(end)
    assert not report.ok
    messages = [p.message for p in report.chain.problems]
    assert f"操作记录末尾的第 {last - 1}–{last} 条已被删除（记录的链头为第 {last} 条）" in messages


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="no sqlite3 shell on this machine")
def test_an_update_made_with_the_sqlite3_shell_is_found(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    subprocess.run(
        [
            "sqlite3",
            str(demo_path),
            "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET at = '2020-01-01T00:00:00+08:00' WHERE id = 4;",
        ],
        check=True,
        timeout=60,
    )
    code, out = check(capsys, demo_path)
    assert code == 1 and "第 4 条操作记录" in out


def test_a_damaged_file_is_reported_not_crashed_on(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(demo_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(demo_path.read_bytes())
    # Scribble over a page in the middle of the file (a failing disk).
    middle = (len(data) // page_size // 2) * page_size
    data[middle + 16 : middle + page_size - 16] = b"\xff" * (page_size - 32)
    demo_path.write_bytes(bytes(data))
    code = main(["check", "--db", str(demo_path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out + err
    assert "问题" in out + err or "损坏" in out + err
