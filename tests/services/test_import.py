"""Importing cases from a spreadsheet: all rows or none, every problem listed by line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from courtdesk.cli import main
from courtdesk.domain.identity import citizen_id_check_digit, uscc_check_character
from courtdesk.errors import CourtdeskError, PermissionDeniedError, ValidationError
from courtdesk.services import importer
from courtdesk.services.accounts import DEMO_PASSWORD
from courtdesk.services.reference import people_with_role
from courtdesk.services.workspace import Workspace, open_workspace

HEADER = "案件类型,程序,案由,立案日期,诉讼标的额,原告,原告证件号,被告,被告证件号,被告地址,承办人,不公开审理"


def citizen_id(serial: int) -> str:
    first17 = f"22010419850612{serial:03d}"
    return first17 + citizen_id_check_digit(first17)


def credit_code() -> str:
    body = "91220101MA0000001"
    return body + uscc_check_character(body)


def cases_count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM cases").fetchone()[0])


def test_a_good_file_is_imported_whole(registrar: Workspace, tmp_path: Path) -> None:
    judge = people_with_role(registrar, "judge")[3]
    rows = [
        f'民初,简易程序,民间借贷纠纷,2026-03-01,"12,000.50",张导入,{citizen_id(11)},李导入,,吉林省长春市南关区1号,{judge.name},否',
        f"民初,普通程序,买卖合同纠纷,2026年3月2日,,长春导入有限公司,{credit_code()},王导入、赵导入,{citizen_id(13)}、{citizen_id(15)},,,",
        "执,执行实施,申请执行,2026/03/03,5000,钱导入,,孙导入,,,,是",
    ]
    csv_file = tmp_path / "cases.csv"
    csv_file.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8-sig")
    before = cases_count(registrar.path)
    seen: list[tuple[int, int]] = []
    report = importer.import_cases(
        registrar, csv_file, lambda done, total: seen.append((done, total))
    )
    assert report.cases == 3 and seen[-1] == (3, 3)
    assert cases_count(registrar.path) == before + 3
    with sqlite3.connect(registrar.path) as conn:
        conn.row_factory = sqlite3.Row
        first = conn.execute(
            "SELECT * FROM cases WHERE case_number = ?", (report.first_case_number,)
        ).fetchone()
        assert first["amount_claimed_fen"] == 1_200_050
        assert first["presiding_judge_id"] == judge.id
        kinds = dict(
            conn.execute(
                "SELECT p.name, p.kind FROM parties p JOIN cases c ON c.id = p.case_id"
                " WHERE c.cause = '买卖合同纠纷' AND p.name LIKE '%导入%'"
            ).fetchall()
        )
        assert kinds == {"长春导入有限公司": "organisation", "王导入": "person", "赵导入": "person"}
        private = conn.execute(
            "SELECT is_private FROM cases WHERE case_number = ?", (report.last_case_number,)
        ).fetchone()[0]
        assert private == 1
        assert (
            conn.execute("SELECT count(*) FROM audit_log WHERE action = 'case.import'").fetchone()[
                0
            ]
            == 1
        )


def test_one_bad_row_stores_nothing_and_every_problem_is_listed(
    registrar: Workspace, tmp_path: Path
) -> None:
    rows = [
        "民初,简易程序,民间借贷纠纷,2026-03-01,100,甲一,,乙一,,,,",
        "民初,简易程序,,2026-13-01,-5,甲二,,乙二,,,,",
        "民初,简易程序,民间借贷纠纷,2026-03-01,100,甲三,110105194912310021,乙三,,,不存在的法官,",
        "刑初,简易程序,盗窃罪,2026-03-01,,某检察院,,丙四,,,,也许",
    ]
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text("\n".join([HEADER, *rows]), encoding="utf-8")
    before = cases_count(registrar.path)
    with pytest.raises(ValidationError) as refused:
        importer.import_cases(registrar, csv_file)
    text = refused.value.message
    assert "未导入，任何案件都没有保存" in text
    assert "第 3 行：立案日期「2026-13-01」应写作 2026-11-20" in text
    assert "第 3 行：诉讼标的额不能为负数" in text
    assert "第 4 行：承办人「不存在的法官」不是在职的承办人" in text
    assert "第 5 行：不公开审理应填“是”或“否”" in text
    assert "第 2 行" not in text
    assert cases_count(registrar.path) == before


def test_files_from_excel_on_chinese_windows_read_as_gbk(
    registrar: Workspace, tmp_path: Path
) -> None:
    csv_file = tmp_path / "gbk.csv"
    csv_file.write_bytes(
        (
            HEADER + "\r\n民初,简易程序,物业服务合同纠纷,2026-03-01,800,物业甲,,业主乙,,,,\r\n"
        ).encode("gbk")
    )
    assert importer.import_cases(registrar, csv_file).cases == 1


def test_a_wrong_header_or_a_judge_importing_is_refused(
    registrar: Workspace, tmp_path: Path, demo_path: Path
) -> None:
    csv_file = tmp_path / "odd.csv"
    csv_file.write_text("案件类型,程序,案由,立案时间,原告\n", encoding="utf-8")
    with pytest.raises(CourtdeskError, match=r"缺少列：立案日期.*无法识别的列：立案时间"):
        importer.import_cases(registrar, csv_file)
    judge = open_workspace(demo_path, _judge_username(demo_path))
    try:
        with pytest.raises(PermissionDeniedError, match="批量导入案件"):
            importer.import_cases(judge, csv_file)
    finally:
        judge.close()


def _judge_username(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(
            conn.execute(
                "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
                " WHERE r.role = 'judge' LIMIT 1"
            ).fetchone()[0]
        )


def test_import_from_the_command_line(
    registrar: Workspace,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    csv_file = tmp_path / "cli.csv"
    csv_file.write_text(
        HEADER + "\n民初,小额诉讼程序,民间借贷纠纷,2026-03-01,800,甲,,乙,,,,\n", encoding="utf-8"
    )
    monkeypatch.setenv("COURTDESK_PASSWORD", DEMO_PASSWORD)
    code = main(
        [
            "import",
            "--db",
            str(registrar.path),
            "--user",
            registrar.actor.username,
            "--progress",
            str(csv_file),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "已导入 1 件案件" in out and "已导入 1/1 件" in err
