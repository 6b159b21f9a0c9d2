"""The calculator commands: fee, lending, period, and the administrator's tables."""

from __future__ import annotations

import json

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
    for argv in (["fee", "--help"],):
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
