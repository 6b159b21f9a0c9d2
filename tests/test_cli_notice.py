"""``courtdesk notice``: one recipient, all recipients, and one-line errors."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from courtdesk.cli import main
from tests.notices.helpers import pdf_pages


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def a_case_with_two_defendants(db: Path) -> tuple[str, list[str]]:
    with sqlite3.connect(db) as conn:
        for case_id, number in conn.execute(
            "SELECT id, case_number FROM cases WHERE type_code = '民初'"
            " AND presiding_judge_id IS NOT NULL ORDER BY id"
        ):
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM parties WHERE case_id = ? AND role = '被告' ORDER BY position",
                    (case_id,),
                )
            ]
            if len(names) >= 2:
                return str(number), names
    raise AssertionError("the demo has no case with two defendants")


def test_notice_for_one_party_and_for_all(
    demo_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    cli_sign_in: Callable[..., str],
) -> None:
    cli_sign_in(demo_path)
    number, defendants = a_case_with_two_defendants(demo_path)
    half_width = number.replace("（", "(").replace("）", ")")
    one = tmp_path / "one.pdf"
    code, out, err = run(
        capsys, "notice", "response", "--db", str(demo_path), "--case", half_width,
        "--party", defendants[1], "--date", "2026-11-22", "--out", str(one),
    )  # fmt: skip
    assert code == 0, err
    assert f"已生成应诉通知书 1 份（被告{defendants[1]}）" in out
    pages = pdf_pages(one.read_bytes())
    text = "".join(pages)
    assert number in text and f"{defendants[1]}：" in text and "二〇二六年十一月二十二日" in text

    every = tmp_path / "all.pdf"
    code, out, err = run(
        capsys, "notice", "response", "--db", str(demo_path), "--case", number, "--all",
        "--out", str(every),
    )  # fmt: skip
    assert code == 0, err
    text = "".join(pdf_pages(every.read_bytes()))
    for name in defendants:
        assert f"{name}：" in text


def test_notice_errors_are_one_chinese_line(
    demo_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    cli_sign_in: Callable[..., str],
) -> None:
    cli_sign_in(demo_path)
    number, _ = a_case_with_two_defendants(demo_path)
    out_file = str(tmp_path / "x.pdf")
    code, _, err = run(
        capsys, "notice", "response", "--db", str(demo_path), "--case", number, "--out", out_file
    )
    assert code == 1 and "请指定一人或选择全部" in err and err.count("\n") == 1
    code, _, err = run(capsys, "notice", "cause_list", "--db", str(demo_path), "--out", out_file)
    assert code == 1 and "须用 --day 指定开庭日期" in err
    code, _, err = run(
        capsys, "notice", "evidence", "--db", str(demo_path), "--case", number,
        "--party", "查无此人", "--out", out_file,
    )  # fmt: skip
    assert code == 1 and "没有名为「查无此人」的当事人" in err
    assert not Path(out_file).exists()


def test_summons_for_a_hearing_by_its_number(
    demo_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    cli_sign_in: Callable[..., str],
) -> None:
    cli_sign_in(demo_path)
    with sqlite3.connect(demo_path) as conn:
        hearing_id, number = conn.execute(
            "SELECT h.id, c.case_number FROM hearings h JOIN cases c ON c.id = h.case_id"
            " WHERE h.status = 'scheduled' ORDER BY h.id"
        ).fetchone()
        parties = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM parties WHERE case_id = (SELECT case_id FROM hearings WHERE id = ?)"
                " AND role <> '公诉机关'",
                (hearing_id,),
            )
        ]
    out = tmp_path / "summons.pdf"
    code, printed, err = run(
        capsys, "notice", "summons", "--db", str(demo_path), "--hearing", str(hearing_id), "--all",
        "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert f"已生成传票 {len(parties)} 份" in printed
    text = "".join(pdf_pages(out.read_bytes()))
    assert text.count(number) == len(parties)
    for name in parties:
        assert f"被传唤人{name}" in text
