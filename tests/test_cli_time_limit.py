"""``courtdesk case time-limit``: the same computation the 审限 tab shows."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from courtdesk.cli import main
from courtdesk.domain.parties import PartyDraft
from courtdesk.domain.time_limit import ExclusionKind
from courtdesk.services import cases, reference, time_limits
from courtdesk.services.cases import CaseDraft
from courtdesk.services.workspace import Workspace, open_workspace


def test_time_limit_as_json_and_text(
    registrar: Workspace,
    demo_path: Path,
    capsys: pytest.CaptureFixture[str],
    cli_sign_in: Callable[..., str],
) -> None:
    president = cli_sign_in(demo_path)
    detail = cases.register_case(
        registrar,
        CaseDraft(
            type_code="民初",
            procedure="civil_summary",
            cause="民间借贷纠纷",
            filing_date=date(2026, 8, 31),
            parties=(PartyDraft("原告", "赵堃"), PartyDraft("被告", "钱淼")),
        ),
    )
    system = open_workspace(demo_path)
    try:
        approver = reference.people_with_role(system, "judge")[0].id
        time_limits.open_exclusion(
            system,
            detail.id,
            ExclusionKind.PUBLIC_NOTICE,
            date(2026, 9, 10),
            date(2026, 10, 9),
            "公告送达",
            approver,
            today=date(2026, 10, 10),
        )
    finally:
        system.close()
    # What the president (the command's user) may do is part of the answer.
    reader = open_workspace(demo_path, president)
    try:
        expected = time_limits.case_time_limit(reader, detail.id, date(2026, 11, 1)).to_dict()
    finally:
        reader.close()
    number = detail.case_number.replace("（", "(").replace("）", ")")
    code = main(
        ["case", "time-limit", "--db", str(demo_path), number, "--as-of", "2026-11-01", "--json"]
    )
    out, _ = capsys.readouterr()
    assert code == 0
    shown = json.loads(out)
    assert shown == json.loads(json.dumps(expected, ensure_ascii=False, default=str))
    assert shown["result"]["expiry"] == "2026-12-30"  # 30 November + 30 days of 公告
    assert shown["result"]["state_label"] == "正常"
    code = main(["case", "time-limit", "--db", str(demo_path), number, "--as-of", "2026-12-20"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "审限状态：临近届满" in out and "审限届满日：2026-12-30" in out
    assert "扣除 2026-09-10 至 2026-10-09，共 30 日" in out


def test_an_unknown_case_is_one_line(
    demo_path: Path, capsys: pytest.CaptureFixture[str], cli_sign_in: Callable[..., str]
) -> None:
    cli_sign_in(demo_path)
    code = main(["case", "time-limit", "--db", str(demo_path), "（2026）吉0193民初99999号"])
    _, err = capsys.readouterr()
    assert code == 1 and err.strip().count("\n") == 0 and "不存在" in err
