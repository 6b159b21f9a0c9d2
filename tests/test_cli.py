from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from courtdesk.cli import build_parser, main
from courtdesk.services.accounts import DEMO_PASSWORD


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def username_with_role(db: str | Path, role: str) -> str:
    with sqlite3.connect(db) as conn:
        return str(
            conn.execute(
                "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
                " WHERE r.role = ? ORDER BY u.id LIMIT 1",
                (role,),
            ).fetchone()[0]
        )


def test_init_demo_and_show(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "c.sqlite3")
    code, out, _ = run(
        capsys, "init", "--db", db, "--court-name", "长春新区人民法院", "--court-code", "吉0193"
    )
    assert code == 0 and "长春新区人民法院" in out
    code, out, _ = run(
        capsys, "demo", "--db", db, "--cases", "50", "--seed", "2", "--as-of", "2026-11-20"
    )
    assert code == 0 and "50 件" in out
    # Reading needs a sign-in too (private cases): the president reads every case.
    monkeypatch.setenv("COURTDESK_PASSWORD", DEMO_PASSWORD)
    monkeypatch.setenv("COURTDESK_USER", username_with_role(db, "president"))
    code, out, _ = run(capsys, "case", "show", "--db", db, "(2026)吉0193民初1号", "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["case_number"] == "（2026）吉0193民初1号"
    assert shown["parties"] and shown["parties"][0]["name"]
    code, out, _ = run(capsys, "case", "show", "--db", db, "（2026）吉0193民初1号")
    assert code == 0 and "承办人" in out and "原告：" in out


def test_db_defaults_to_the_users_database(
    _isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(capsys, "init", "--court-name", "长春新区人民法院", "--court-code", "吉0193")
    assert code == 0
    assert (_isolated_home / "courtdesk.sqlite3").exists()


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (
            ["case", "show", "--db", "{db}", "--user", "admin", "（2026）吉0193民初999999号"],
            "不存在",
        ),
        (["case", "show", "--db", "{db}", "--user", "admin", "2026民初1号"], "格式不正确"),
        (
            ["case", "show", "--db", "{missing}", "--user", "admin", "（2026）吉0193民初1号"],
            "不存在",
        ),
        (["case", "show", "--db", "{db}", "（2026）吉0193民初1号"], "--user"),
        (
            ["init", "--db", "{db}", "--court-name", "长春新区人民法院", "--court-code", "吉0193"],
            "不能重复初始化",
        ),
        (["init", "--db", "{new}", "--court-name", "某法院", "--court-code", "JL0193"], "法院代字"),
        (["demo", "--db", "{db}", "--cases", "-5"], "不能为负数"),
        (
            ["hearing", "list", "--db", "{db}", "--announcement", "--days", "0"],
            "应至少为 1",
        ),
        (["demo", "--db", "{db}"], "缺少必需的参数"),
    ],
)
def test_errors_are_one_line_and_non_zero(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    needle: str,
) -> None:
    db = tmp_path / "c.sqlite3"
    monkeypatch.setenv("COURTDESK_NEW_PASSWORD", "admin-secret-1")
    monkeypatch.setenv("COURTDESK_PASSWORD", "admin-secret-1")
    monkeypatch.delenv("COURTDESK_USER", raising=False)
    main(["init", "--db", str(db), "--court-name", "长春新区人民法院", "--court-code", "吉0193"])
    capsys.readouterr()
    filled = [
        a.format(db=db, missing=tmp_path / "missing.sqlite3", new=tmp_path / "n.sqlite3")
        for a in argv
    ]
    try:
        code = main(filled)
    except SystemExit as exit_:  # argparse usage errors
        code = int(exit_.code or 0)
    _, err = capsys.readouterr()
    assert code != 0
    assert needle in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_every_subcommand_has_help() -> None:
    parser = build_parser()
    for argv in (
        ["--help"],
        ["init", "--help"],
        ["demo", "--help"],
        ["case", "show", "--help"],
        ["gui", "--help"],
        ["check", "--help"],
        ["backup", "--help"],
        ["restore", "--help"],
        ["import", "--help"],
        ["user", "--help"],
        ["user", "list", "--help"],
        ["user", "add", "--help"],
        ["user", "reset-password", "--help"],
        ["user", "unlock", "--help"],
        ["user", "passwd", "--help"],
        ["user", "set-up-admin", "--help"],
    ):
        with pytest.raises(SystemExit) as exit_:
            parser.parse_args(argv)
        assert exit_.value.code == 0


def test_the_installed_command_never_prints_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_bytes(b"\x00" * 100)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "courtdesk",
            "case",
            "show",
            "--db",
            str(bad),
            "--user",
            "admin",
            "（2026）吉0193民初1号",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "COURTDESK_PASSWORD": "x"},
    )
    assert result.returncode == 1
    assert "不是 courtdesk 数据库" in result.stderr
    assert "Traceback" not in result.stderr


def test_undecodable_bytes_in_an_argument_are_shown_escaped_not_crashed_on(
    tmp_path: Path,
) -> None:
    db = tmp_path / "c.sqlite3"
    env = {
        **os.environ,
        "COURTDESK_NEW_PASSWORD": "admin-secret-1",
        "COURTDESK_PASSWORD": "admin-secret-1",
    }
    subprocess.run(
        [
            sys.executable,
            "-m",
            "courtdesk",
            "init",
            "--db",
            str(db),
            "--court-name",
            "长春新区人民法院",
            "--court-code",
            "吉0193",
        ],
        check=True,
        capture_output=True,
        timeout=60,
        env=env,
    )
    result = subprocess.run(
        [
            sys.executable.encode(),
            b"-m",
            b"courtdesk",
            b"case",
            b"show",
            b"--db",
            str(db).encode(),
            b"--user",
            b"admin",
            b"\xff(2026)",
        ],
        capture_output=True,
        timeout=60,
        env=env,
        check=False,
    )
    err = result.stderr.decode("utf-8")
    assert result.returncode == 1
    assert "格式不正确" in err and "\\udcff" in err
    assert "Traceback" not in err


def test_hearing_check_and_list(
    demo_path: Path, capsys: pytest.CaptureFixture[str], cli_sign_in: Callable[..., str]
) -> None:
    cli_sign_in(demo_path, "registrar")
    from courtdesk.services.workspace import open_workspace

    ws = open_workspace(demo_path)
    try:
        hearing = ws.db.query(
            "SELECT c.case_number, r.name, h.start_at, h.end_at FROM hearings h"
            " JOIN cases c ON c.id = h.case_id JOIN courtrooms r ON r.id = h.courtroom_id"
            " WHERE h.status = 'scheduled' AND c.status = 'pending' ORDER BY h.start_at DESC LIMIT 1"
        )[0]
        other = ws.db.query(
            "SELECT case_number FROM cases WHERE status = 'pending' AND type_code = '民初'"
            " AND case_number <> ? LIMIT 1",
            (hearing[0],),
        )[0][0]
    finally:
        ws.close()
    db = str(demo_path)
    args = ("hearing", "check", "--db", db, "--case", other, "--room", hearing[1])
    code, out, _ = run(capsys, *args, "--start", hearing[2], "--end", hearing[3], "--json")
    assert code == 3
    result = json.loads(out)
    assert result["ok"] is False
    room_taken = [c for c in result["conflicts"] if c["kind"] == "room_taken"]
    assert room_taken and hearing[0] in room_taken[0]["message"]
    code, out, _ = run(capsys, *args, "--start", "2026-11-28T09:00")
    assert code == 3 and "[非工作日]" in out and "星期六" in out
    code, _, err = run(capsys, *args[:-2], "--room", "第十九法庭", "--start", "2026-11-30T09:00")
    assert code == 1 and "第十九法庭" in err and "不存在" in err
    with pytest.raises(SystemExit) as usage:
        main([*args, "--start", "明天上午"])
    assert usage.value.code == 2 and "YYYY-MM-DDTHH:MM" in capsys.readouterr().err
    code, out, _ = run(capsys, "hearing", "list", "--db", db, "--day", hearing[2][:10])
    assert code == 0 and "开庭排期表" in out and hearing[0] in out


def test_the_command_line_obeys_the_same_permissions_as_the_window(
    demo_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    cli_sign_in: Callable[..., str],
) -> None:
    """Permissions live in the services: a private case and a registration are refused on the
    command line to whoever may not see or make them, and shown to whoever may."""
    with sqlite3.connect(demo_path) as conn:
        number, judge = conn.execute(
            "SELECT c.case_number, a.presiding_judge_id FROM cases c"
            " JOIN case_assignments a ON a.case_id = c.id AND a.ended_at IS NULL"
            " WHERE c.is_private = 1 ORDER BY c.id LIMIT 1"
        ).fetchone()
        party = conn.execute(
            "SELECT p.name FROM parties p JOIN cases c ON c.id = p.case_id"
            " WHERE c.case_number = ? LIMIT 1",
            (number,),
        ).fetchone()[0]
        outsider = conn.execute(
            "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
            " WHERE r.role = 'judge' AND u.id != ? AND u.id NOT IN"
            " (SELECT user_id FROM user_roles WHERE role IN ('chief', 'president'))"
            " ORDER BY u.id LIMIT 1",
            (judge,),
        ).fetchone()[0]
    cli_sign_in(demo_path, "president")
    code, out, err = run(capsys, "case", "show", "--db", str(demo_path), number, "--json")
    assert code == 0, err
    assert party in out
    monkeypatch.setenv("COURTDESK_USER", outsider)
    code, out, err = run(capsys, "case", "show", "--db", str(demo_path), number, "--json")
    assert code != 0 and party not in out + err
    assert err.strip() and "Traceback" not in err
    cli_sign_in(demo_path, "readonly")
    batch = tmp_path / "one.csv"
    from tests.services.test_import import HEADER

    batch.write_text(
        HEADER + "\n民初,小额诉讼程序,民间借贷纠纷,2026-03-01,800,甲,,乙,,,,\n", encoding="utf-8"
    )
    code, out, err = run(capsys, "import", "--db", str(demo_path), str(batch))
    assert code != 0 and "无权" in err, err
    with sqlite3.connect(demo_path) as conn:
        assert not conn.execute("SELECT 1 FROM parties WHERE name = '甲'").fetchone()


def test_courtdesk_alone_opens_the_gui(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``courtdesk`` with no command opens the window (issue 2), on --db or the user's database."""
    from courtdesk.ui import app

    opened: list[tuple[object, object]] = []

    def fake_gui(database: object = None, username: object = None) -> int:
        opened.append((database, username))
        return 0

    monkeypatch.setattr(app, "run_gui", fake_gui)
    assert main([]) == 0
    db = str(tmp_path / "court.sqlite3")
    assert main(["--db", db, "--user", "clerk1"]) == 0
    assert main(["gui", "--db", db]) == 0
    assert opened == [(None, None), (Path(db), "clerk1"), (Path(db), None)]
