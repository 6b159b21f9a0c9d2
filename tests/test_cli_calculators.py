"""The calculator commands: fee, lending, period, and the administrator's tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from courtdesk.cli import build_parser, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse usage errors
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_every_calculator_command_has_help() -> None:
    parser = build_parser()
    for argv in (
        ["fee", "--help"],
        ["lending", "--help"],
        ["period", "--help"],
        ["lpr", "list", "--help"],
        ["lpr", "add", "--help"],
        ["lpr", "delete", "--help"],
        ["holidays", "show", "--help"],
        ["holidays", "import", "--help"],
    ):
        with pytest.raises(SystemExit) as exit_:
            parser.parse_args(argv)
        assert exit_.value.code == 0


def test_fee_prints_the_working(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "fee", "--kind", "property", "--amount", "100000")
    assert code == 0
    assert "超过 10,000 元至 100,000 元的部分 90,000.00 元 × 2.5% = 2,250.00 元" in out
    assert "应交纳 2,300.00 元" in out and "未找到数据库" in err
    code, out, _ = run(
        capsys,
        "fee",
        "--kind",
        "property",
        "--amount",
        "1,000,000",
        "--procedure",
        "summary",
        "--mediated",
        "--json",
    )
    data = json.loads(out)
    assert code == 0 and data["full_fee"] == "13800.00" and data["total"] == "6900.00"


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--amount", "0"], "诉讼标的额必须大于零"),
        (["--amount", "-100"], "诉讼标的额必须大于零"),
        (["--amount", "abc"], "金额「abc」不是有效金额"),
        ([], "请填写诉讼标的额"),
        (["--amount", "5", "--procedure", "fast"], "不认识的审理程序"),
    ],
)
def test_fee_refuses_bad_input_in_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    code, out, err = run(capsys, "fee", "--kind", "property", *argv)
    assert code != 0 and needle in err and not out
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_lending_prints_caps_periods_and_repayments(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "lending",
        "--principal",
        "100000",
        "--formed",
        "2021-03-01",
        "--rate",
        "24%",
        "--overdue-rate",
        "30",
        "--due",
        "2021-09-01",
        "--to",
        "2022-03-01",
        "--repay",
        "2021-06-01:5000",
    ]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert "上限年利率 15.4%" in out and "约定逾期年利率 30%：超过 15.4% 的部分不予支持" in out
    assert "2021-03-01 至 2021-05-31，92 天" in out
    assert "抵充利息 3,881.64 元，抵充本金 1,118.36 元" in out
    code, out, _ = run(capsys, *argv, "--json")
    data = json.loads(out)
    assert data["regime"] == "new" and len(data["periods"]) == 3
    assert data["interest_supported"] == "15271.18"


def test_lending_refuses_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["lending", "--principal", "100000", "--rate", "12", "--to", "2026-01-01"]
    code, _, err = run(capsys, *base, "--formed", "2025-09-01")
    assert code == 1 and "缺少 2025年8月 的报价" in err
    code, _, err = run(capsys, *base, "--formed", "2019-01-01")
    assert code == 1 and "须填写起诉日" in err
    code, _, err = run(capsys, *base, "--formed", "2021-01-01", "--repay", "2021-05-01")
    assert code == 2 and "应写作 日期:金额" in err
    code, _, err = run(capsys, *base[:-2], "--to", "2021-01-01", "--formed", "2021-01-01")
    assert code == 1 and "计算截止日应晚于计息起始日" in err


def test_period_prints_the_last_day_and_why(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "period", "--start", "2026-09-16", "--days", "15")
    assert code == 0 and "期间届满日：2026-10-08（星期四）" in out and "国庆节" in out
    code, out, _ = run(capsys, "period", "--start", "2026-12-17", "--days", "15", "--json")
    data = json.loads(out)
    assert data["last_day"] == "2027-01-01" and data["weekends_only_years"] == [2027]
    code, out, _ = run(capsys, "period", "--start", "2026-12-17", "--days", "15")
    assert "仅按周末计算" in out.splitlines()[0]
    code, out, _ = run(capsys, "period", "--start", "2026-09-16", "--days", "15", "--court")
    assert "2026-10-01" in out.splitlines()[0]
    code, _, err = run(capsys, "period", "--start", "2026-09-16")
    assert code == 1 and "--days" in err


def test_the_administrator_s_tables_from_the_command_line(
    empty_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = str(empty_path)
    # The administrator of a new database chooses a password, then signs in with it.
    from courtdesk.services import accounts

    accounts.set_up_administrator(empty_path, "court-admin-1").close()
    monkeypatch.setenv("COURTDESK_PASSWORD", "court-admin-1")
    schedule = tmp_path / "2027.csv"
    schedule.write_text("日期,类型,名称\n2027-01-01~2027-01-03,休,元旦\n", encoding="utf-8")
    code, out, _ = run(
        capsys, "holidays", "import", "--db", db, "--user", "admin", "--year", "2027", str(schedule)
    )
    assert code == 0 and "3 天" in out
    code, out, _ = run(capsys, "holidays", "show", "--db", db, "--year", "2027")
    assert "本院录入（admin" in out and "2027-01-02" in out
    code, out, _ = run(capsys, "period", "--db", db, "--start", "2026-12-17", "--days", "15")
    assert "期间届满日：2027-01-04" in out
    code, _, err = run(
        capsys,
        "holidays",
        "import",
        "--db",
        db,
        "--user",
        "admin",
        "--year",
        "2027",
        str(tmp_path / "none.csv"),
    )
    assert code == 1 and "无法读取文件" in err
    code, out, _ = run(
        capsys,
        "lpr",
        "add",
        "--db",
        db,
        "--user",
        "admin",
        "--date",
        "2025-08-20",
        "--rate",
        "3.00",
    )
    assert code == 0
    code, out, _ = run(capsys, "lpr", "list", "--db", db, "--all", "--json")
    data = json.loads(out)
    assert data["known_through"] == "2025-09-19"
    assert data["fixings"][-1] == {"date": "2025-08-20", "rate": "3.00", "entered_by": "admin"}
    code, _, err = run(capsys, "lpr", "add", "--db", db, "--date", "2025-09-22", "--rate", "3")
    assert code == 2 and "--user" in err
    code, _, err = run(
        capsys,
        "holidays",
        "import",
        "--db",
        db,
        "--user",
        "nobody",
        "--year",
        "2027",
        str(schedule),
    )
    assert code == 1 and "nobody" in err
    code, out, _ = run(
        capsys, "lpr", "delete", "--db", db, "--user", "admin", "--date", "2025-08-20"
    )
    assert code == 0 and "已删除" in out
