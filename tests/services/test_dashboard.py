"""The 统计 dashboard against a court whose ten cases are counted by hand.

Period: 2026-01-01 … 2026-06-30, "today" 2026-07-15. Judge A and chief K sit in
民事审判第一庭, judge B in 民事审判第二庭. The cases (民初 unless said):

C1  summary, filed 2025-11-10, judgment 2026-01-20 (expiry 02-10: within; 71 days)
C2  ordinary, filed 2025-12-01, open (expiry 06-01: overdue today)
C3  summary, filed 2026-01-05, 公告 02-01…03-02 (30 days), mediation served 04-28/05-01
    (expiry 04-05 + 30 = 05-05: within; 116 − 30 = 86 days)
C4  summary, filed 2026-02-10, judgment 2026-06-15 (expiry 05-10: late; 125 days)
C5  ordinary, filed 2026-03-01, +6 months approved 06-03, a second application pending
C6  财保 (no 审限), filed 2026-03-10, ruling 03-12 (2 days)
C7  judge B, summary, filed 2026-04-01, open (expiry 07-01: overdue today)
C8  ordinary, filed 2024-05-01, open (over 12 and 18 months at 06-30)
C9  summary, filed 2025-06-01, judgment 2026-07-10 (after the period: open at 06-30,
    over 12 months then)
C10 summary, filed 2026-06-20, 中止 open since 06-25 (paused: no expiry)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from courtdesk.domain.closing import ClosingInputs, Delivery, Manner, PartyService, ServiceMethod
from courtdesk.domain.parties import PartyDraft
from courtdesk.domain.procedures import Limit
from courtdesk.domain.time_limit import ExclusionKind
from courtdesk.errors import PermissionDeniedError, ValidationError
from courtdesk.services import cases, closing, docket, settings, stats, time_limits
from courtdesk.services.cases import CaseDraft
from courtdesk.services.stats import DashboardQuery
from courtdesk.services.workspace import SYSTEM, Workspace, open_workspace
from courtdesk.store import court as court_store
from courtdesk.store.audit import now_iso

START, END, TODAY = date(2026, 1, 1), date(2026, 6, 30), date(2026, 7, 15)


@dataclass
class Fixture:
    path: Path
    numbers: dict[str, str]  # "C1" → 案号
    division_one: int
    judge_a: int


def _users(path: Path) -> tuple[int, int]:
    ws = Workspace(path, SYSTEM)
    try:
        with ws.db.transaction() as conn:
            stamp = now_iso()
            one = court_store.insert_division(conn, "民事审判第一庭", "civil", False)
            two = court_store.insert_division(conn, "民事审判第二庭", "civil", False)
            court_store.insert_user(conn, "reg", "立案员", None, ["registrar"], stamp)
            a = court_store.insert_user(conn, "judge_a", "法官甲", one, ["judge"], stamp)
            court_store.insert_user(conn, "judge_b", "法官乙", two, ["judge"], stamp)
            court_store.insert_user(conn, "chief_k", "庭长丙", one, ["judge", "chief"], stamp)
            court_store.insert_user(conn, "clerk_l", "书记员丁", one, ["clerk"], stamp)
            court_store.insert_user(
                conn, "president", "院长戊", None, ["judge", "president"], stamp
            )
    finally:
        ws.close()
    return one, a


@pytest.fixture(scope="module")
def counted_court(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from courtdesk.services.setup import init_court

    path = tmp_path_factory.mktemp("dashboard") / "court.sqlite3"
    init_court(path, "长春新区人民法院", "吉0193").close()
    one, a = _users(path)
    spaces = {
        n: open_workspace(path, n) for n in ("reg", "judge_a", "judge_b", "chief_k", "clerk_l")
    }
    ids: dict[str, int] = {}
    numbers: dict[str, str] = {}

    def register(
        key: str, type_code: str, procedure: str, filed: date, judge: str = "judge_a"
    ) -> int:
        division = one if judge == "judge_a" else one + 1
        detail = cases.register_case(
            spaces["reg"],
            CaseDraft(
                type_code=type_code,
                procedure=procedure,
                cause="民间借贷纠纷" if type_code == "民初" else "申请诉前财产保全",
                filing_date=filed,
                parties=(
                    PartyDraft("原告" if type_code == "民初" else "申请人", f"{key}原告"),
                    PartyDraft("被告" if type_code == "民初" else "被申请人", f"{key}被告"),
                ),
                division_id=division,
                presiding_judge_id=spaces[judge].actor.user_id,
                clerk_id=spaces["clerk_l"].actor.user_id,
            ),
        )
        ids[key], numbers[key] = detail.id, detail.case_number
        return detail.id

    def version(case_id: int) -> int:
        return cases.get_case(spaces["reg"], case_id).version

    def judgment(key: str, day: date) -> None:
        inputs = ClosingInputs(Manner.JUDGMENT, Delivery.PRONOUNCED, pronounced_on=day)
        closing.close_case(spaces["judge_a"], ids[key], version(ids[key]), inputs, today=TODAY)

    register("C1", "民初", "civil_summary", date(2025, 11, 10))
    register("C2", "民初", "civil_ordinary", date(2025, 12, 1))
    register("C3", "民初", "civil_summary", date(2026, 1, 5))
    register("C4", "民初", "civil_summary", date(2026, 2, 10))
    register("C5", "民初", "civil_ordinary", date(2026, 3, 1))
    register("C6", "财保", "preservation", date(2026, 3, 10))
    register("C7", "民初", "civil_summary", date(2026, 4, 1), judge="judge_b")
    register("C8", "民初", "civil_ordinary", date(2024, 5, 1))
    register("C9", "民初", "civil_summary", date(2025, 6, 1))
    register("C10", "民初", "civil_summary", date(2026, 6, 20))
    judgment("C1", date(2026, 1, 20))
    time_limits.open_exclusion(
        spaces["clerk_l"],
        ids["C3"],
        ExclusionKind.PUBLIC_NOTICE,
        date(2026, 2, 1),
        date(2026, 3, 2),
        "公告送达起诉状",
        a,
        today=date(2026, 3, 3),
    )
    parties = cases.get_case(spaces["reg"], ids["C3"]).parties
    closing.close_case(
        spaces["clerk_l"],
        ids["C3"],
        version(ids["C3"]),
        ClosingInputs(
            Manner.MEDIATION,
            Delivery.SERVED,
            services=(
                PartyService(
                    parties[0].id, parties[0].name, ServiceMethod.DIRECT, date(2026, 4, 28)
                ),
                PartyService(parties[1].id, parties[1].name, ServiceMethod.POST, date(2026, 5, 1)),
            ),
        ),
        today=TODAY,
    )
    judgment("C4", date(2026, 6, 15))
    first = time_limits.apply_for_extension(
        spaces["judge_a"], ids["C5"], Limit(months=6), "案情复杂", date(2026, 6, 1)
    )
    time_limits.decide_extension(spaces["chief_k"], first, 1, True, "同意", today=date(2026, 6, 3))
    time_limits.apply_for_extension(
        spaces["judge_a"], ids["C5"], Limit(months=3), "仍需鉴定", date(2026, 7, 1)
    )
    closing.close_case(
        spaces["judge_a"],
        ids["C6"],
        version(ids["C6"]),
        ClosingInputs(Manner.RULING, Delivery.PRONOUNCED, pronounced_on=date(2026, 3, 12)),
        today=TODAY,
    )
    judgment("C9", date(2026, 7, 10))
    time_limits.open_exclusion(
        spaces["clerk_l"],
        ids["C10"],
        ExclusionKind.SUSPENSION,
        date(2026, 6, 25),
        None,
        "等待另案结果",
        a,
        today=date(2026, 6, 26),
    )
    for ws in spaces.values():
        ws.close()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE test_numbers (key TEXT, number TEXT)")
        conn.executemany("INSERT INTO test_numbers VALUES (?, ?)", numbers.items())
    return path


@pytest.fixture
def fixture(counted_court: Path) -> Iterator[Fixture]:
    with sqlite3.connect(counted_court) as conn:
        numbers = dict(conn.execute("SELECT key, number FROM test_numbers"))
        one = conn.execute("SELECT id FROM divisions WHERE name = '民事审判第一庭'").fetchone()[0]
        a = conn.execute("SELECT id FROM users WHERE username = 'judge_a'").fetchone()[0]
    yield Fixture(counted_court, numbers, one, a)


@pytest.fixture
def president(counted_court: Path) -> Iterator[Workspace]:
    ws = open_workspace(counted_court, "president")
    yield ws
    ws.close()


def cases_behind(ws: Workspace, fixture: Fixture, flt: docket.DocketFilter) -> set[str]:
    by_number = {v: k for k, v in fixture.numbers.items()}
    rows = docket.page(ws, flt, docket.SortKey.FILING_DATE, False, 0, 100)
    return {by_number[r.case_number] for r in rows}


def test_whole_court_figures_match_the_hand_count(president: Workspace, fixture: Fixture) -> None:
    board = stats.dashboard(president, DashboardQuery(START, END), today=TODAY)
    values = {f.key: f.value for f in board.figures}
    assert values == {
        "received": "6",
        "carried": "4",
        "closed": "4",
        "pending": "6",
        "ratio": "66.7%",
        "within_rate": "66.7%",
        "late": "1",
        "average_days": "71.0",
        "extensions": "1",
        "long_12": "2",
        "long_18": "1",
        "long_36": "0",
        "overdue": "3",
        "applications": "1",
    }
    assert board.as_of == END and board.scope_label == "全院"
    expected = {
        "received": {"C3", "C4", "C5", "C6", "C7", "C10"},
        "carried": {"C1", "C2", "C8", "C9"},
        "closed": {"C1", "C3", "C4", "C6"},
        "pending": {"C2", "C5", "C7", "C8", "C9", "C10"},
        "ratio": {"C1", "C3", "C4", "C6"},
        "within_rate": {"C1", "C3"},
        "late": {"C4"},
        "average_days": {"C1", "C3", "C4", "C6"},
        "extensions": {"C5"},
        "long_12": {"C8", "C9"},
        "long_18": {"C8"},
        "long_36": set(),
        "overdue": {"C2", "C7", "C8"},
        "applications": {"C5"},
    }
    for figure in board.figures:
        assert cases_behind(president, fixture, figure.cases) == expected[figure.key], figure.key
    months = {m.month: (m.received, m.closed) for m in board.months}
    assert months == {
        "2026-01": (1, 1),
        "2026-02": (1, 0),
        "2026-03": (2, 1),
        "2026-04": (1, 0),
        "2026-05": (0, 1),
        "2026-06": (1, 1),
    }
    march = board.months[2]
    assert cases_behind(president, fixture, march.received_cases) == {"C5", "C6"}
    assert cases_behind(president, fixture, march.closed_cases) == {"C6"}


def test_one_division_and_one_judge(president: Workspace, fixture: Fixture) -> None:
    for query in (
        DashboardQuery(START, END, division_id=fixture.division_one),
        DashboardQuery(START, END, judge_id=fixture.judge_a),
    ):
        board = stats.dashboard(president, query, today=TODAY)
        values = {f.key: f.value for f in board.figures}
        assert (values["received"], values["pending"], values["overdue"]) == ("5", "5", "2")
        assert cases_behind(president, fixture, board.figure("received").cases) == {
            "C3",
            "C4",
            "C5",
            "C6",
            "C10",
        }
    assert (
        stats.dashboard(
            president, DashboardQuery(START, END, judge_id=fixture.judge_a), today=TODAY
        ).scope_label
        == "法官甲"
    )


def test_thresholds_are_a_setting_and_bad_periods_are_refused(
    president: Workspace, counted_court: Path
) -> None:
    admin = open_workspace(counted_court)
    try:
        with pytest.raises(ValidationError, match="逗号分隔"):
            settings.put(admin, stats.LONG_PENDING_MONTHS.key, "12,abc")
        settings.put(admin, stats.LONG_PENDING_MONTHS.key, "6,24")
        board = stats.dashboard(president, DashboardQuery(START, END), today=TODAY)
        keys = [f.key for f in board.figures if f.group == "长期未结"]
        assert keys == ["long_6", "long_24"]
        assert board.figure("long_6").value == "3"  # C2 (filed 2025-12-01 ≤ 2025-12-29) joins
    finally:
        settings.put(admin, stats.LONG_PENDING_MONTHS.key, "12,18,36")
        admin.close()
    with pytest.raises(ValidationError, match="早于起始日期"):
        stats.dashboard(president, DashboardQuery(END, START))
    clerk = open_workspace(counted_court, "clerk_l")
    try:
        with pytest.raises(PermissionDeniedError):
            stats.dashboard(clerk, DashboardQuery(START, END))
    finally:
        clerk.close()
