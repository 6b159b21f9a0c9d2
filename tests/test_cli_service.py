"""``courtdesk service``: list, show, record (and a receipt), stats, and clear refusals."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from courtdesk.cli import main
from courtdesk.domain.service import receipt_code
from courtdesk.services.accounts import DEMO_PASSWORD


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as usage:  # argparse refuses bad arguments with exit status 2
        code = int(usage.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def service_username(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(
            conn.execute(
                "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
                " WHERE r.role = 'service' ORDER BY u.id LIMIT 1"
            ).fetchone()[0]
        )


@pytest.fixture(autouse=True)
def signed_in(demo_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command signs in: as the service centre unless ``--user`` says otherwise."""
    monkeypatch.setenv("COURTDESK_USER", service_username(demo_path))
    monkeypatch.setenv("COURTDESK_PASSWORD", DEMO_PASSWORD)


def test_list_by_state_as_text_and_json(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(demo_path)
    with sqlite3.connect(demo_path) as conn:
        served = conn.execute(
            "SELECT count(*) FROM service_tasks WHERE state = 'served'"
        ).fetchone()[0]
    code, out, _ = run(capsys, "service", "list", "--db", db, "--state", "已送达", "--json")
    assert code == 0
    listed = json.loads(out)
    assert listed["total"] == served
    assert len(listed["tasks"]) == 100
    assert {t["state"] for t in listed["tasks"]} == {"served"}
    assert listed["tasks"][0]["code"].startswith("SD")
    code, out, _ = run(capsys, "service", "list", "--db", db, "--state", "open", "--limit", "3")
    assert code == 0 and out.startswith("共 ") and out.count("SD") == 3
    code, _, err = run(capsys, "service", "list", "--db", db, "--state", "大概送到了")
    assert code == 2 and "无效" in err


def test_record_post_then_its_receipt_then_show(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, user = str(demo_path), service_username(demo_path)
    with sqlite3.connect(demo_path) as conn:
        task_id = conn.execute(
            "SELECT id FROM service_tasks WHERE state = 'pending' ORDER BY id LIMIT 1"
        ).fetchone()[0]
    code = receipt_code(task_id)
    today = date.today().isoformat()
    status, out, err = run(
        capsys,
        "service",
        "record",
        "--db",
        db,
        "--user",
        user,
        "--task",
        code,
        "--method",
        "法院专递",
        "--date",
        today,
        "--outcome",
        "in_transit",
    )
    assert status == 1 and "邮件单号" in err and out == ""
    status, out, _ = run(
        capsys,
        "service",
        "record",
        "--db",
        db,
        "--user",
        user,
        "--task",
        str(task_id),
        "--method",
        "court_express",
        "--date",
        today,
        "--outcome",
        "已寄出，待回执",
        "--waybill",
        "1187654321098",
    )
    assert status == 0 and "送达中" in out
    status, out, _ = run(
        capsys,
        "service",
        "record",
        "--db",
        db,
        "--user",
        user,
        "--task",
        code,
        "--method",
        "法院专递",
        "--date",
        today,
        "--outcome",
        "已签收",
        "--receiver",
        "张三",
    )
    assert status == 0 and "已登记回执" in out and f"送达日期 {today}" in out
    status, out, _ = run(capsys, "service", "show", "--db", db, "--task", code, "--json")
    shown = json.loads(out)
    assert shown["state"] == "served" and len(shown["attempts"]) == 1
    assert shown["attempts"][0]["waybill"] == "1187654321098"
    assert shown["attempts"][0]["receiver_name"] == "张三"
    with sqlite3.connect(demo_path) as conn:
        who = conn.execute(
            "SELECT DISTINCT username FROM audit_log WHERE action LIKE 'service.attempt.%'"
        ).fetchall()
    assert who == [(user,)]


def test_the_rules_refuse_with_one_line(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, user = str(demo_path), service_username(demo_path)
    with sqlite3.connect(demo_path) as conn:
        task_id = conn.execute(
            "SELECT t.id FROM service_tasks t WHERE t.state = 'pending' AND NOT EXISTS"
            " (SELECT 1 FROM service_addresses a WHERE a.party_id = t.party_id"
            " AND a.electronic_consent = 1) ORDER BY t.id LIMIT 1"
        ).fetchone()[0]
    today = date.today().isoformat()
    status, _, err = run(
        capsys,
        "service",
        "record",
        "--db",
        db,
        "--user",
        user,
        "--task",
        str(task_id),
        "--method",
        "电子送达",
        "--date",
        today,
        "--outcome",
        "delivered",
        "--sent-at",
        f"{today} 09:30",
        "--channel",
        "手机短信",
    )
    assert status == 1 and "未同意电子送达" in err and len(err.strip().splitlines()) == 1
    status, _, err = run(
        capsys,
        "service",
        "record",
        "--db",
        db,
        "--user",
        user,
        "--task",
        "SD000000012",
        "--method",
        "direct",
        "--date",
        today,
        "--outcome",
        "delivered",
    )
    assert status == 2 and "校验位" in err
    status, _, err = run(capsys, "service", "show", "--db", db, "--task", "99999999")
    assert status == 1 and "不存在" in err


def test_stats(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "service", "stats", "--db", str(demo_path), "--json")
    figures = json.loads(out)
    assert status == 0 and figures["served_tasks"] > 0
    assert {m["method"] for m in figures["by_method"]} >= {"直接送达", "法院专递", "公告送达"}
    status, out, _ = run(capsys, "service", "stats", "--db", str(demo_path))
    assert status == 0 and "法院专递" in out and "平均" in out


def test_every_service_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("list", "show", "record", "stats"):
        with pytest.raises(SystemExit) as done:
            main(["service", command, "--help"])
        assert done.value.code == 0
        assert "--db" in capsys.readouterr().out
