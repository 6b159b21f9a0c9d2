"""The 审限 services on a real database: extensions, excluded periods, conversion, closing.

Each test registers its own case in the demo court and acts as the real people of
that court (judge, chief, president, clerk), passing the day explicitly.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from courtdesk.domain.closing import ClosingInputs, Delivery, Manner, PartyService, ServiceMethod
from courtdesk.domain.parties import PartyDraft
from courtdesk.domain.procedures import Limit
from courtdesk.domain.time_limit import ExclusionKind, TimeLimitState
from courtdesk.errors import PermissionDeniedError, ValidationError
from courtdesk.services import cases, closing, settings, time_limits
from courtdesk.services.case_guard import ClosedCaseError
from courtdesk.services.cases import CaseDraft
from courtdesk.services.workspace import Workspace, open_workspace

FILED = date(2026, 3, 10)  # summary limit ends 10 June, ordinary 10 September


@dataclass
class Court:
    path: Path
    registrar: Workspace
    judge: Workspace  # presides over the test cases (民事审判第一庭)
    other_judge: Workspace
    chief: Workspace  # 民事审判第一庭
    other_chief: Workspace  # 民事审判第二庭
    president: Workspace
    clerk: Workspace
    division_id: int

    def case(self, procedure: str = "civil_summary", filed: date = FILED) -> int:
        detail = cases.register_case(
            self.registrar,
            CaseDraft(
                type_code="民初",
                procedure=procedure,
                cause="民间借贷纠纷",
                filing_date=filed,
                parties=(PartyDraft("原告", "赵堃"), PartyDraft("被告", "钱淼")),
                division_id=self.division_id,
                presiding_judge_id=self.judge.actor.user_id,
                clerk_id=self.clerk.actor.user_id,
            ),
        )
        return detail.id

    def row(self, case_id: int) -> sqlite3.Row:
        with sqlite3.connect(self.path) as conn:
            conn.row_factory = sqlite3.Row
            return conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()

    def actions(self, case_id: int) -> list[str]:
        with sqlite3.connect(self.path) as conn:
            return [
                r[0]
                for r in conn.execute(
                    "SELECT action FROM audit_log WHERE case_id = ? ORDER BY id", (case_id,)
                )
            ]


def _username(path: Path, sql: str) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute(sql).fetchone()[0])


@pytest.fixture
def court(demo_path: Path, registrar: Workspace) -> Iterator[Court]:
    division = "民事审判第一庭"
    people = """
        SELECT u.username FROM users u JOIN divisions d ON d.id = u.division_id
        WHERE d.name = '{division}' AND EXISTS (SELECT 1 FROM user_roles r
              WHERE r.user_id = u.id AND r.role = '{role}') {extra} ORDER BY u.id LIMIT 1 {offset}
    """
    plain = (
        "AND NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'chief')"
    )

    def name(division: str, role: str, extra: str = "", offset: str = "") -> str:
        return _username(
            demo_path, people.format(division=division, role=role, extra=extra, offset=offset)
        )

    opened = [
        open_workspace(demo_path, n)
        for n in (
            name(division, "judge", plain),
            name(division, "judge", plain, "OFFSET 1"),
            name(division, "chief"),
            name("民事审判第二庭", "chief"),
            _username(
                demo_path,
                "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
                " WHERE r.role = 'president'",
            ),
            name(division, "clerk"),
        )
    ]
    with sqlite3.connect(demo_path) as conn:
        division_id = conn.execute(
            "SELECT id FROM divisions WHERE name = ?", (division,)
        ).fetchone()[0]
    yield Court(demo_path, registrar, *opened, division_id=division_id)
    for ws in opened:
        ws.close()


def put_setting(path: Path, key: str, value: str) -> None:
    admin = open_workspace(path)
    try:
        settings.put(admin, key, value)
    finally:
        admin.close()


def pending(court: Court, case_id: int) -> time_limits.ExtensionView:
    view = time_limits.case_time_limit(court.judge, case_id, date(2026, 5, 20)).pending_extension
    assert view is not None
    return view


# ---------------------------------------------------------------- extensions
def test_judge_applies_chief_approves_and_the_docket_expiry_moves(court: Court) -> None:
    case_id = court.case()
    assert court.row(case_id)["time_limit_expiry"] == "2026-06-10"
    ext_id = time_limits.apply_for_extension(
        court.judge, case_id, Limit(months=1), "案情复杂，需要进一步调查", today=date(2026, 5, 20)
    )
    view = time_limits.case_time_limit(court.chief, case_id, date(2026, 5, 20))
    assert view.actions.decide and not view.actions.apply
    assert view.pending_extension is not None and view.pending_extension.id == ext_id
    assert not view.pending_extension.late_application
    assert view.decide_by == "2026-06-05"
    after = time_limits.decide_extension(
        court.chief, ext_id, view.pending_extension.version, True, "同意", today=date(2026, 5, 22)
    )
    assert after.expiry == date(2026, 7, 10)
    row = court.row(case_id)
    assert (row["time_limit_expiry"], row["extensions_granted"]) == ("2026-07-10", 1)
    assert court.actions(case_id)[-2:] == [
        "time_limit.extension_apply",
        "time_limit.extension_approve",
    ]
    shown = time_limits.case_time_limit(court.judge, case_id, date(2026, 5, 22))
    titles = [e.title for e in shown.timeline]
    assert titles == ["立案", "申请延长审限1个月", "批准延长审限1个月", "审限届满日"]
    # Summary procedure: the president's month is used up; no further extension.
    assert shown.next_extension is None
    with pytest.raises(ValidationError, match="已达上限"):
        time_limits.apply_for_extension(
            court.judge, case_id, Limit(days=5), "再延", date(2026, 6, 1)
        )


def test_who_may_apply_and_who_may_decide(court: Court) -> None:
    case_id = court.case()
    day = date(2026, 5, 20)
    with pytest.raises(PermissionDeniedError, match="只有本案承办人"):
        time_limits.apply_for_extension(court.other_judge, case_id, Limit(months=1), "理由", day)
    with pytest.raises(PermissionDeniedError):
        time_limits.apply_for_extension(court.clerk, case_id, Limit(months=1), "理由", day)
    with pytest.raises(ValidationError, match="请填写延长审限的理由"):
        time_limits.apply_for_extension(court.judge, case_id, Limit(months=1), "  ", day)
    ext_id = time_limits.apply_for_extension(court.judge, case_id, Limit(months=1), "理由", day)
    with pytest.raises(ValidationError, match="已有待审批"):
        time_limits.apply_for_extension(court.judge, case_id, Limit(days=10), "理由", day)
    version = pending(court, case_id).version
    with pytest.raises(PermissionDeniedError):
        time_limits.decide_extension(court.judge, ext_id, version, True, "", today=day)
    with pytest.raises(PermissionDeniedError, match="本庭"):
        time_limits.decide_extension(court.other_chief, ext_id, version, True, "", today=day)
    with pytest.raises(ValidationError, match="不予批准的理由"):
        time_limits.decide_extension(court.chief, ext_id, version, False, "", today=day)
    time_limits.decide_extension(court.president, ext_id, version, False, "理由不充分", today=day)
    assert court.row(case_id)["time_limit_expiry"] == "2026-06-10"
    with pytest.raises(ValidationError, match="已处理（不予批准）"):
        time_limits.decide_extension(court.chief, ext_id, version, True, "", today=day)
    # The court may reserve approval to the president.
    put_setting(court.path, time_limits.CHIEF_MAY_APPROVE.key, "0")
    second = time_limits.apply_for_extension(court.judge, case_id, Limit(days=20), "再申请", day)
    with pytest.raises(PermissionDeniedError, match="仅院长"):
        time_limits.decide_extension(court.chief, second, pending(court, case_id).version, True, "")


def test_late_applications_and_decisions_are_marked_or_refused(court: Court) -> None:
    case_id = court.case()  # expires 10 June; apply by 26 May, decide by 5 June
    ext_id = time_limits.apply_for_extension(
        court.judge, case_id, Limit(months=1), "鉴定未完成", date(2026, 5, 30)
    )
    view = pending(court, case_id)
    assert view.late_application
    time_limits.decide_extension(
        court.chief, ext_id, view.version, True, "同意", today=date(2026, 6, 8)
    )
    shown = time_limits.case_time_limit(court.judge, case_id, date(2026, 6, 8))
    approved = shown.extensions[0]
    assert approved.late_decision and approved.status == "approved"
    assert any("逾期申请" in e.detail for e in shown.timeline)
    assert any("逾期审批" in e.detail for e in shown.timeline)

    strict = court.case()
    put_setting(court.path, time_limits.REFUSE_LATE_APPLICATIONS.key, "1")
    with pytest.raises(ValidationError, match="2026-05-26 前"):
        time_limits.apply_for_extension(
            court.judge, strict, Limit(months=1), "理由", date(2026, 5, 27)
        )
    put_setting(court.path, time_limits.REFUSE_LATE_APPLICATIONS.key, "0")
    late_id = time_limits.apply_for_extension(
        court.judge, strict, Limit(months=1), "理由", date(2026, 6, 9)
    )
    with pytest.raises(ValidationError, match="只能不予批准"):
        time_limits.decide_extension(
            court.chief, late_id, pending(court, strict).version, True, "", today=date(2026, 6, 11)
        )
    with pytest.raises(ValidationError, match="已于 2026-06-10 届满"):
        time_limits.apply_for_extension(
            court.judge, court.case(), Limit(days=9), "理由", date(2026, 6, 11)
        )


def test_a_higher_court_extension_is_recorded_by_the_president_with_its_reply(court: Court) -> None:
    case_id = court.case("civil_ordinary")  # expires 10 September
    first = time_limits.apply_for_extension(
        court.judge, case_id, Limit(months=6), "需调取大量证据", date(2026, 8, 1)
    )
    time_limits.decide_extension(
        court.president,
        first,
        pending(court, case_id).version,
        True,
        "同意",
        today=date(2026, 8, 3),
    )
    assert court.row(case_id)["time_limit_expiry"] == "2027-03-10"
    view = time_limits.case_time_limit(court.judge, case_id, date(2026, 8, 3))
    assert view.next_extension is not None
    assert view.next_extension.approver == "higher_court"
    second = time_limits.apply_for_extension(
        court.judge, case_id, Limit(months=3), "仍需鉴定", date(2026, 8, 3)
    )
    version = time_limits.case_time_limit(
        court.judge, case_id, date(2026, 8, 3)
    ).pending_extension.version  # type: ignore[union-attr]
    with pytest.raises(PermissionDeniedError, match="只能由院长登记"):
        time_limits.decide_extension(court.chief, second, version, True, "", today=date(2026, 8, 4))
    with pytest.raises(ValidationError, match="批复文号"):
        time_limits.decide_extension(
            court.president, second, version, True, "", today=date(2026, 8, 4)
        )
    time_limits.decide_extension(
        court.president,
        second,
        version,
        True,
        "上级法院批准",
        "（2026）吉01民他12号",
        date(2026, 8, 4),
    )
    assert court.row(case_id)["time_limit_expiry"] == "2027-06-10"
    assert court.row(case_id)["extensions_granted"] == 2


# ---------------------------------------------------------------- excluded periods
def test_clerk_opens_and_closes_a_suspension(court: Court) -> None:
    case_id = court.case()
    approver = court.chief.actor.user_id
    ex_id = time_limits.open_exclusion(
        court.clerk,
        case_id,
        ExclusionKind.SUSPENSION,
        date(2026, 4, 1),
        None,
        "本案须以另案审理结果为依据",
        approver,
        "（2026）吉0193民初1号之一",
        today=date(2026, 4, 2),
    )
    row = court.row(case_id)
    assert row["status"] == "suspended"
    assert row["time_limit_expiry"] is None and row["time_limit_paused_since"] == "2026-04-01"
    view = time_limits.case_time_limit(court.judge, case_id, date(2026, 9, 1))
    assert view.result.state is TimeLimitState.PAUSED and view.result.days_left == 71
    assert view.open_exclusions[0].days == 154
    with pytest.raises(ValidationError, match="审限自 2026-04-01 起处于扣除期间"):
        time_limits.apply_for_extension(
            court.judge, case_id, Limit(months=1), "理由", date(2026, 5, 1)
        )
    time_limits.close_exclusion(
        court.clerk,
        ex_id,
        view.open_exclusions[0].version,
        date(2026, 4, 30),
        today=date(2026, 5, 1),
    )
    row = court.row(case_id)
    assert (row["status"], row["time_limit_expiry"], row["time_limit_excluded_days"]) == (
        "pending",
        "2026-07-10",
        30,
    )
    assert row["time_limit_paused_since"] is None
    assert court.actions(case_id)[-2:] == [
        "time_limit.exclusion_open",
        "time_limit.exclusion_close",
    ]
    with sqlite3.connect(court.path) as conn:
        changes = json.loads(
            conn.execute(
                "SELECT changes FROM audit_log WHERE action = 'time_limit.exclusion_close'"
                " AND case_id = ?",
                (case_id,),
            ).fetchone()[0]
        )
    assert changes["case_status"] == ["suspended", "pending"]
    assert changes["time_limit_expiry"] == [None, "2026-07-10"]


def test_exclusion_input_is_checked_field_by_field(court: Court) -> None:
    case_id = court.case()
    day = date(2026, 5, 1)
    with pytest.raises(ValidationError) as caught:
        time_limits.open_exclusion(
            court.clerk,
            case_id,
            ExclusionKind.AUCTION,
            date(2026, 3, 1),
            date(2026, 2, 1),
            "",
            court.registrar.actor.user_id,
            today=day,
        )
    fields = {p.field for p in caught.value.problems}
    assert fields == {"reason", "kind", "start", "end", "approved_by"}
    time_limits.open_exclusion(
        court.clerk,
        case_id,
        ExclusionKind.PUBLIC_NOTICE,
        date(2026, 4, 1),
        date(2026, 4, 30),
        "公告送达起诉状",
        court.judge.actor.user_id,
        today=day,
    )
    with pytest.raises(ValidationError, match="重叠"):
        time_limits.open_exclusion(
            court.clerk,
            case_id,
            ExclusionKind.PUBLIC_NOTICE,
            date(2026, 4, 20),
            None,
            "再次公告",
            court.judge.actor.user_id,
            today=day,
        )
    with pytest.raises(PermissionDeniedError):
        time_limits.open_exclusion(
            court.judge,
            case_id,
            ExclusionKind.APPRAISAL,
            date(2026, 4, 20),
            None,
            "鉴定",
            court.judge.actor.user_id,
            today=day,
        )
    # An appraisal overlapping the notice counts its days once.
    time_limits.open_exclusion(
        court.clerk,
        case_id,
        ExclusionKind.APPRAISAL,
        date(2026, 4, 21),
        date(2026, 5, 1),
        "笔迹鉴定",
        court.judge.actor.user_id,
        today=day,
    )
    assert court.row(case_id)["time_limit_excluded_days"] == 31
    assert court.row(case_id)["time_limit_expiry"] == "2026-07-11"


# ---------------------------------------------------------------- conversion
def test_summary_converted_to_ordinary_keeps_the_filing_date(court: Court) -> None:
    case_id = court.case()
    time_limits.apply_for_extension(
        court.judge, case_id, Limit(months=1), "理由", date(2026, 5, 20)
    )
    version = court.row(case_id)["version"]
    after = time_limits.convert_procedure(
        court.judge,
        case_id,
        version,
        "civil_ordinary",
        date(2026, 5, 25),
        "案情复杂",
        date(2026, 5, 25),
    )
    assert after.expiry == date(2026, 9, 10)
    row = court.row(case_id)
    assert (row["procedure"], row["time_limit_expiry"]) == ("civil_ordinary", "2026-09-10")
    view = time_limits.case_time_limit(court.judge, case_id, date(2026, 5, 25))
    assert view.pending_extension is None and view.extensions[0].status == "withdrawn"
    assert view.conversions[0].from_label == "简易程序" and not view.conversions[0].restarts
    assert "程序转换：简易程序 → 普通程序" in [e.title for e in view.timeline]
    with pytest.raises(ValidationError, match="不能转为"):
        time_limits.convert_procedure(
            court.judge,
            case_id,
            row["version"],
            "civil_summary",
            date(2026, 5, 26),
            "x",
            date(2026, 5, 26),
        )
    with pytest.raises(PermissionDeniedError):
        time_limits.convert_procedure(
            court.other_judge,
            court.case(),
            1,
            "civil_ordinary",
            date(2026, 5, 26),
            "x",
            date(2026, 5, 26),
        )


# ---------------------------------------------------------------- closing and after
def mediation(court: Court, case_id: int, *days: date) -> ClosingInputs:
    detail = cases.get_case(court.judge, case_id)
    return ClosingInputs(
        Manner.MEDIATION,
        Delivery.SERVED,
        services=tuple(
            PartyService(p.id, p.name, ServiceMethod.DIRECT if i == 0 else ServiceMethod.POST, d)
            for i, (p, d) in enumerate(zip(detail.parties, days, strict=True))
        ),
    )


def test_closing_records_the_manner_and_the_date_and_locks_the_case(court: Court) -> None:
    case_id = court.case()
    time_limits.open_exclusion(
        court.clerk,
        case_id,
        ExclusionKind.SETTLEMENT,
        date(2026, 5, 1),
        None,
        "双方申请庭外和解",
        court.judge.actor.user_id,
        today=date(2026, 5, 2),
    )
    version = court.row(case_id)["version"]
    view = closing.close_case(
        court.judge,
        case_id,
        version,
        mediation(court, case_id, date(2026, 5, 20), date(2026, 5, 22)),
        today=date(2026, 5, 25),
    )
    assert view.closed_date == "2026-05-22" and view.manner_label == "调解"
    assert "钱淼" in view.note and "交邮日期" in view.note
    row = court.row(case_id)
    assert (row["status"], row["closed_date"], row["closing_manner"]) == (
        "closed",
        "2026-05-22",
        "mediation",
    )
    assert row["closed_within_limit"] == 1
    # The open settlement period ended with the closing: 1–22 May, 22 days.
    assert row["trial_days"] == (date(2026, 5, 22) - FILED).days - 22
    assert "time_limit.exclusion_close" in court.actions(case_id)
    # Closed: read-only.
    party = cases.get_case(court.registrar, case_id).parties[0]
    with pytest.raises(ClosedCaseError, match="已结案，不能修改当事人"):
        cases.update_party(court.registrar, party.id, party.version, PartyDraft("原告", "赵堃堃"))
    with pytest.raises(ClosedCaseError):
        time_limits.open_exclusion(
            court.clerk,
            case_id,
            ExclusionKind.APPRAISAL,
            date(2026, 5, 23),
            None,
            "x",
            court.judge.actor.user_id,
            today=date(2026, 5, 25),
        )
    with pytest.raises(ClosedCaseError):
        closing.close_case(
            court.judge,
            case_id,
            row["version"],
            mediation(court, case_id, date(2026, 5, 20), date(2026, 5, 22)),
        )
    # An authorised correction names its reason and is audited as one.
    with pytest.raises(PermissionDeniedError, match="更正已结案件"):
        cases.update_party(
            court.registrar, party.id, party.version, PartyDraft("原告", "赵堃堃"), "笔误"
        )
    corrected = cases.update_party(
        court.president, party.id, party.version, PartyDraft("原告", "赵堃堃"), "姓名笔误"
    )
    assert corrected.parties[0].name == "赵堃堃"
    assert court.actions(case_id)[-1] == "party.correct"


def test_correcting_the_closing_and_archiving(court: Court) -> None:
    case_id = court.case()
    judgment = ClosingInputs(Manner.JUDGMENT, Delivery.PRONOUNCED, pronounced_on=date(2026, 6, 12))
    view = closing.close_case(
        court.clerk, case_id, court.row(case_id)["version"], judgment, today=date(2026, 6, 15)
    )
    assert court.row(case_id)["closed_within_limit"] == 0  # after 10 June
    with pytest.raises(PermissionDeniedError):
        closing.correct_closing(court.judge, case_id, view.version, judgment, "x")
    with pytest.raises(ValidationError, match="更正理由"):
        closing.correct_closing(court.chief, case_id, view.version, judgment, "")
    fixed = ClosingInputs(Manner.JUDGMENT, Delivery.PRONOUNCED, pronounced_on=date(2026, 6, 9))
    corrected = closing.correct_closing(
        court.chief, case_id, view.version, fixed, "宣判日期录入错误", date(2026, 6, 15)
    )
    assert corrected.closed_date == "2026-06-09" and corrected.closed_within_limit is True
    assert court.row(case_id)["closed_within_limit"] == 1
    assert court.actions(case_id)[-1] == "case.closing_correct"
    with pytest.raises(ValidationError, match="早于结案日期"):
        closing.archive_case(
            court.clerk,
            case_id,
            court.row(case_id)["version"],
            date(2026, 6, 1),
            "",
            date(2026, 7, 1),
        )
    archived = closing.archive_case(
        court.clerk,
        case_id,
        court.row(case_id)["version"],
        date(2026, 7, 1),
        "2026-民-0088",
        date(2026, 7, 1),
    )
    assert archived is not None and archived.archive_number == "2026-民-0088"
    row = court.row(case_id)
    assert (row["status"], row["archived_date"]) == ("archived", "2026-07-01")
    with pytest.raises(ValidationError, match="已归档"):
        closing.archive_case(
            court.clerk, case_id, row["version"], date(2026, 7, 1), "", date(2026, 7, 1)
        )
    timeline = time_limits.case_time_limit(court.judge, case_id, date(2026, 7, 2)).timeline
    titles = [e.title for e in timeline]
    assert titles[-1] == "归档" and titles.index("结案：判决") < titles.index("审限届满日")


def test_only_the_judge_or_clerk_of_the_case_closes_it(court: Court) -> None:
    case_id = court.case()
    judgment = ClosingInputs(Manner.JUDGMENT, Delivery.PRONOUNCED, pronounced_on=date(2026, 6, 1))
    with pytest.raises(PermissionDeniedError, match="承办人或书记员"):
        closing.close_case(court.other_judge, case_id, court.row(case_id)["version"], judgment)
    with pytest.raises(PermissionDeniedError):
        closing.close_case(court.chief, case_id, court.row(case_id)["version"], judgment)
    with pytest.raises(ValidationError, match="不适用于本案"):
        closing.close_case(
            court.judge,
            case_id,
            court.row(case_id)["version"],
            ClosingInputs(Manner.ROUND_ENDED, Delivery.PRONOUNCED, pronounced_on=date(2026, 6, 1)),
        )
