"""Autocomplete, duplicate warnings, 我的案件, the docket position and the filing fee."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from courtdesk.domain.parties import PartyDraft
from courtdesk.errors import ValidationError
from courtdesk.services import cases, docket, lookup, my_cases
from courtdesk.services.docket import DocketFilter, SortKey
from courtdesk.services.my_cases import Urgency, urgency
from courtdesk.services.workspace import Workspace, open_workspace
from tests.services.test_register_case import draft


def one(path: Path, sql: str, *params: object) -> tuple[object, ...]:
    with sqlite3.connect(path) as conn:
        return tuple(conn.execute(sql, params).fetchone())


def test_known_parties_lawyers_and_firms_complete_from_a_prefix(registrar: Workspace) -> None:
    name, id_number = one(
        registrar.path,
        "SELECT name, id_number FROM parties WHERE kind = 'person' ORDER BY id LIMIT 1 OFFSET 5",
    )
    found = lookup.known_parties(registrar, str(name)[:2])
    assert found and all(p.name.startswith(str(name)[:2]) for p in found)
    assert any(p.id_number == id_number for p in lookup.known_parties(registrar, str(name), 50))
    lawyer, firm, licence = one(
        registrar.path, "SELECT name, law_firm, licence_number FROM agents LIMIT 1"
    )
    match = [k for k in lookup.known_lawyers(registrar, str(lawyer), 50) if k.law_firm == firm]
    assert match and match[0].licence_number == licence
    assert firm in lookup.known_firms(registrar, str(firm)[:3], 50)
    assert lookup.known_parties(registrar, "  ") == []


def test_duplicates_are_open_cases_with_the_same_cause_and_parties(registrar: Workspace) -> None:
    first = cases.register_case(registrar, draft())
    parties = [PartyDraft(p.role, p.name, id_number=p.id_number) for p in draft().parties]
    found = lookup.find_duplicates(registrar, "民间借贷纠纷", parties)
    assert [d.case_id for d in found] == [first.id]
    assert found[0].case_number == first.case_number and found[0].status_label == "待分案"
    # Another cause, or another defendant, is not a duplicate.
    assert lookup.find_duplicates(registrar, "买卖合同纠纷", parties) == []
    assert (
        lookup.find_duplicates(registrar, "民间借贷纠纷", [*parties, PartyDraft("被告", "路人甲")])
        == []
    )
    # The same person under a different spelling is found by the ID number.
    renamed = [PartyDraft("原告", "赵 堃 ", id_number="11010519491231002x"), parties[1]]
    assert [d.case_id for d in lookup.find_duplicates(registrar, "民间借贷纠纷", renamed)] == [
        first.id
    ]
    with sqlite3.connect(registrar.path) as conn:
        conn.execute("UPDATE cases SET status = 'closed' WHERE id = ?", (first.id,))
    assert lookup.find_duplicates(registrar, "民间借贷纠纷", parties) == []


def test_urgency_marks() -> None:
    today = date(2026, 11, 20)
    assert urgency("pending", "2026-11-19", today, 15) == (-1, Urgency.OVERDUE)
    assert urgency("pending", "2026-11-20", today, 15) == (0, Urgency.NEAR)
    assert urgency("pending", "2026-12-05", today, 15) == (15, Urgency.NEAR)
    assert urgency("pending", "2026-12-06", today, 15) == (16, Urgency.NORMAL)
    assert urgency("suspended", "2026-01-01", today, 15)[1] is Urgency.SUSPENDED
    assert urgency("pending", None, today, 15) == (None, Urgency.UNTRACKED)


def test_my_cases_are_the_judges_open_cases_by_days_left(demo_path: Path) -> None:
    judge_id, username = one(
        demo_path,
        "SELECT c.presiding_judge_id, u.username FROM cases c JOIN users u"
        " ON u.id = c.presiding_judge_id WHERE c.status = 'pending'"
        " GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
    )
    ws = open_workspace(demo_path, str(username))
    try:
        today = date(2026, 11, 20)
        result = my_cases.my_cases(ws, today)
    finally:
        ws.close()
    expected = one(
        demo_path,
        "SELECT count(*) FROM cases WHERE presiding_judge_id = ?"
        " AND status IN ('registered', 'pending', 'suspended')",
        judge_id,
    )[0]
    assert result.role == "承办" and len(result.cases) == expected
    running = [
        c for c in result.cases if c.urgency in (Urgency.OVERDUE, Urgency.NEAR, Urgency.NORMAL)
    ]
    days = [c.days_left for c in running]
    assert days == sorted(days)  # type: ignore[type-var]
    assert result.cases[: len(running)] == tuple(running)
    for case in running:
        assert case.time_limit_expiry is not None
        left = (date.fromisoformat(case.time_limit_expiry) - today).days
        assert case.days_left == left
        assert (case.urgency is Urgency.OVERDUE) == (left < 0)
        assert (case.urgency is Urgency.NEAR) == (0 <= left <= 15)
    assert result.count(Urgency.OVERDUE) > 0 or result.count(Urgency.NEAR) >= 0
    assert all(c.days_text.startswith(("超期", "剩余", "今日")) for c in running)
    assert today + timedelta(days=0) == result.today


def test_a_registrar_has_no_cases_of_their_own(registrar: Workspace) -> None:
    result = my_cases.my_cases(registrar)
    assert result.role == "" and result.cases == ()


@pytest.mark.parametrize("sort", list(SortKey))
def test_position_is_the_row_the_docket_shows(registrar: Workspace, sort: SortKey) -> None:
    flt = DocketFilter(statuses=docket.OPEN_STATUSES)
    for descending in (False, True):
        rows = docket.page(registrar, flt, sort, descending, 0, 1_000)
        for index in (0, 1, len(rows) // 3, len(rows) - 1):
            assert docket.position(registrar, flt, sort, descending, rows[index].id) == index
    closed = one(registrar.path, "SELECT id FROM cases WHERE status = 'closed' LIMIT 1")[0]
    assert docket.position(registrar, flt, sort, False, int(str(closed))) is None


def test_the_filter_in_words(registrar: Workspace) -> None:
    judge_id, name = one(
        registrar.path,
        "SELECT u.id, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id"
        " WHERE r.role = 'judge' LIMIT 1",
    )
    flt = DocketFilter(
        type_codes=("民初",),
        statuses=docket.OPEN_STATUSES,
        judge_id=int(str(judge_id)),
        text="张三",
    )
    text = docket.describe_filter(registrar, flt)
    assert text == f"类型：民初（民事一审）；状态：未结案件；承办人：{name}；搜索：“张三”"
    assert docket.describe_filter(registrar, DocketFilter()) == "全部案件"


def test_the_filing_fee_follows_type_cause_procedure_and_amount(registrar: Workspace) -> None:
    fee = cases.filing_fee(registrar, "民初", "civil_ordinary", "民间借贷纠纷", Decimal(100_000))
    assert fee is not None and fee.total == Decimal("2300.00") and len(fee.lines) == 2
    summary = cases.filing_fee(registrar, "民初", "civil_summary", "民间借贷纠纷", Decimal(100_000))
    assert summary is not None and summary.total == Decimal("1150.00")
    divorce = cases.filing_fee(registrar, "民初", "civil_ordinary", "离婚纠纷", None)
    assert divorce is not None and divorce.total == Decimal("50.00")
    assert cases.filing_fee(registrar, "刑初", "criminal_public", "盗窃罪", None) is None
    with pytest.raises(ValidationError):
        cases.filing_fee(registrar, "民督", "civil_other", "申请支付令", None)


def test_the_near_expiry_window_is_the_courts_setting(demo_path: Path) -> None:
    """临近届满 is 15 days by default and configurable: 我的案件 and the 审限 tab follow it."""
    from courtdesk.domain.time_limit import TimeLimitState
    from courtdesk.services import settings, time_limits

    today = date(2026, 11, 20)
    case_id, username = one(
        demo_path,
        "SELECT c.id, u.username FROM cases c JOIN users u"
        " ON u.id = c.presiding_judge_id WHERE c.status = 'pending'"
        " AND c.time_limit_expiry BETWEEN ? AND ? ORDER BY c.id LIMIT 1",
        (today + timedelta(days=16)).isoformat(),
        (today + timedelta(days=30)).isoformat(),
    )
    judge = open_workspace(demo_path, str(username))
    admin = open_workspace(demo_path)
    try:

        def marks() -> tuple[int, Urgency, TimeLimitState]:
            mine = my_cases.my_cases(judge, today)
            row = next(c for c in mine.cases if c.id == case_id)
            view = time_limits.case_time_limit(judge, int(str(case_id)), today)
            return mine.near_days, row.urgency, view.result.state

        assert marks() == (15, Urgency.NORMAL, TimeLimitState.NORMAL)
        settings.put(admin, time_limits.NEAR_EXPIRY_DAYS.key, "30")
        assert marks() == (30, Urgency.NEAR, TimeLimitState.NEAR)
    finally:
        admin.close()
        judge.close()
