"""Drive the 审限 tab, the closing dialog and the 统计 dashboard through the real windows,
each signed in as the person who does it in court: the judge applies, the chief
approves, the clerk records an excluded period, the judge closes, the president
reads the dashboard."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from courtdesk.domain.dates import add_months
from courtdesk.domain.parties import PartyDraft
from courtdesk.services import cases
from courtdesk.services.cases import CaseDraft
from courtdesk.services.workspace import Workspace
from courtdesk.ui.app import open_database
from courtdesk.ui.closing_dialog import CloseCaseDialog
from courtdesk.ui.main_window import MainWindow
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.time_limit_dialogs import (
    ApplyExtensionDialog,
    CloseExclusionDialog,
    DecideExtensionDialog,
    OpenExclusionDialog,
)
from courtdesk.ui.time_limit_tab import TimeLimitTab
from tests.ui.typing import type_text

TODAY = date.today()
WAIT = 20_000


def query(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return [tuple(r) for r in conn.execute(sql, params)]


def username(path: Path, role: str, division: str = "民事审判第一庭", plain: bool = True) -> str:
    extra = (
        " AND NOT EXISTS (SELECT 1 FROM user_roles x WHERE x.user_id = u.id AND x.role = 'chief')"
        if plain
        else ""
    )
    return str(
        query(
            path,
            "SELECT u.username FROM users u JOIN divisions d ON d.id = u.division_id"
            " JOIN user_roles r ON r.user_id = u.id WHERE d.name = ? AND r.role = ?"
            + extra
            + " ORDER BY u.id LIMIT 1",
            division,
            role,
        )[0][0]
    )


@pytest.fixture
def open_window(
    qtbot: QtBot, demo_path: Path, runner: TaskRunner
) -> Iterator[Callable[[str], MainWindow]]:
    def opened(name: str) -> MainWindow:
        window = MainWindow(open_database(demo_path, name), runner)
        qtbot.addWidget(window)
        window.show()
        model = window.docket_page.model
        qtbot.waitUntil(lambda: model.is_counted and model.row_at(0) is not None, timeout=WAIT)
        return window

    yield opened
    runner.wait()


@pytest.fixture
def new_case(registrar: Workspace, demo_path: Path) -> Callable[..., tuple[int, str]]:
    """Register a case for the first plain judge and clerk of 民事审判第一庭."""

    def register(procedure: str, filed: date) -> tuple[int, str]:
        judge = query(
            demo_path, "SELECT id FROM users WHERE username = ?", username(demo_path, "judge")
        )
        clerk = query(
            demo_path, "SELECT id FROM users WHERE username = ?", username(demo_path, "clerk")
        )
        division = query(demo_path, "SELECT id FROM divisions WHERE name = '民事审判第一庭'")
        detail = cases.register_case(
            registrar,
            CaseDraft(
                type_code="民初",
                procedure=procedure,
                cause="民间借贷纠纷",
                filing_date=filed,
                parties=(PartyDraft("原告", "司马淼"), PartyDraft("被告", "欧阳喆")),
                division_id=int(division[0][0]),  # type: ignore[call-overload]
                presiding_judge_id=int(judge[0][0]),  # type: ignore[call-overload]
                clerk_id=int(clerk[0][0]),  # type: ignore[call-overload]
            ),
        )
        return detail.id, detail.case_number

    return register


def select_case(qtbot: QtBot, window: MainWindow, case_id: int, number: str) -> TimeLimitTab:
    """Find the case by typing its number, click its row, then click the 审限 tab."""
    page = window.docket_page
    type_text(qtbot, page.search, number)
    model = page.model
    qtbot.waitUntil(
        lambda: (
            model.docket_filter.text == number and model.is_counted and model.row_at(0) is not None
        ),
        timeout=WAIT,
    )
    assert model.row_at(0).id == case_id  # type: ignore[union-attr]
    rect = page.table.visualRect(model.index(0, 1))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    detail = page.detail
    qtbot.waitUntil(lambda: detail.case is not None and detail.case.id == case_id, timeout=WAIT)
    bar = detail.tabBar()
    index = next(i for i in range(detail.count()) if detail.tabText(i) == "审限")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    tab = detail.currentWidget()
    assert isinstance(tab, TimeLimitTab)
    qtbot.waitUntil(lambda: tab.loaded, timeout=WAIT)
    return tab


def click(qtbot: QtBot, widget: object) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def submit(qtbot: QtBot, tab: TimeLimitTab, case_id: int) -> None:
    dialog = tab.dialog
    assert dialog is not None
    with qtbot.waitSignal(tab.case_changed, timeout=WAIT):
        click(qtbot, dialog.submit_button)
    assert not dialog.isVisible(), dialog.problems_label.text()
    qtbot.waitUntil(lambda: tab.loaded, timeout=WAIT)


def test_judge_applies_and_the_chief_approves_an_extension(
    qtbot: QtBot,
    open_window: Callable[[str], MainWindow],
    new_case: Callable[..., tuple[int, str]],
    demo_path: Path,
) -> None:
    filed = TODAY - timedelta(days=20)
    case_id, number = new_case("civil_ordinary", filed)
    judge = open_window(username(demo_path, "judge"))
    tab = select_case(qtbot, judge, case_id, number)
    assert tab.apply_button.isVisible() and not tab.decide_button.isVisible()
    click(qtbot, tab.apply_button)
    dialog = tab.dialog
    assert isinstance(dialog, ApplyExtensionDialog)
    assert dialog.months.value() == 6  # the president may grant up to six months
    type_text(qtbot, dialog.reason, "案情复杂，需要委托鉴定")
    submit(qtbot, tab, case_id)
    assert "待审批" in tab.facts_label.text()
    assert query(
        demo_path,
        "SELECT status, length_months FROM time_limit_extensions WHERE case_id = ?",
        case_id,
    ) == [("pending", 6)]
    judge.close()

    chief = open_window(username(demo_path, "chief", plain=False))
    tab = select_case(qtbot, chief, case_id, number)
    assert tab.decide_button.isVisible() and not tab.apply_button.isVisible()
    click(qtbot, tab.decide_button)
    dialog = tab.dialog
    assert isinstance(dialog, DecideExtensionDialog) and dialog.approve.isChecked()
    type_text(qtbot, dialog.note, "同意延长")
    submit(qtbot, tab, case_id)
    expiry = add_months(filed, 12).isoformat()
    assert query(
        demo_path, "SELECT time_limit_expiry, extensions_granted FROM cases WHERE id = ?", case_id
    ) == [(expiry, 1)]
    assert expiry in tab.state_label.text()
    titles = [tab.timeline.item(r, 1).text().split("\n")[0] for r in range(tab.timeline.rowCount())]
    assert "申请延长审限6个月" in titles and "批准延长审限6个月" in titles
    actions = [
        r[0]
        for r in query(
            demo_path, "SELECT action FROM audit_log WHERE case_id = ? ORDER BY id", case_id
        )
    ]
    assert actions[-2:] == ["time_limit.extension_apply", "time_limit.extension_approve"]
    # The docket row follows: its 审限届满日 column shows the new expiry.
    model = chief.docket_page.model
    qtbot.waitUntil(
        lambda: model.row_at(0) is not None and model.index(0, 6).data() == expiry, timeout=WAIT
    )


def test_the_chief_refuses_an_extension_with_a_reason(
    qtbot: QtBot,
    open_window: Callable[[str], MainWindow],
    new_case: Callable[..., tuple[int, str]],
    demo_path: Path,
) -> None:
    filed = TODAY - timedelta(days=20)
    case_id, number = new_case("civil_summary", filed)
    judge = open_window(username(demo_path, "judge"))
    tab = select_case(qtbot, judge, case_id, number)
    click(qtbot, tab.apply_button)
    assert isinstance(tab.dialog, ApplyExtensionDialog)
    type_text(qtbot, tab.dialog.reason, "需要补充鉴定")
    submit(qtbot, tab, case_id)
    judge.close()

    chief = open_window(username(demo_path, "chief", plain=False))
    tab = select_case(qtbot, chief, case_id, number)
    click(qtbot, tab.decide_button)
    dialog = tab.dialog
    assert isinstance(dialog, DecideExtensionDialog)
    click(qtbot, dialog.refuse)
    click(qtbot, dialog.submit_button)  # refusing needs a reason: refused, nothing stored
    qtbot.waitUntil(lambda: "不予批准的理由" in dialog.problems_label.text(), timeout=WAIT)
    assert dialog.isVisible()
    type_text(qtbot, dialog.note, "理由不充分")
    submit(qtbot, tab, case_id)
    base = add_months(filed, 3).isoformat()
    assert query(
        demo_path,
        "SELECT e.status, c.time_limit_expiry, c.extensions_granted FROM time_limit_extensions e"
        " JOIN cases c ON c.id = e.case_id WHERE e.case_id = ?",
        case_id,
    ) == [("refused", base, 0)]
    titles = [tab.timeline.item(r, 1).text().split("\n")[0] for r in range(tab.timeline.rowCount())]
    assert any(t.startswith("不予批准延长审限") for t in titles), titles
    assert query(
        demo_path,
        "SELECT action FROM audit_log WHERE case_id = ? ORDER BY id DESC LIMIT 1",
        case_id,
    ) == [("time_limit.extension_refuse",)]


def test_clerk_opens_and_closes_a_suspension(
    qtbot: QtBot,
    open_window: Callable[[str], MainWindow],
    new_case: Callable[..., tuple[int, str]],
    demo_path: Path,
) -> None:
    case_id, number = new_case("civil_summary", TODAY - timedelta(days=30))
    clerk = open_window(username(demo_path, "clerk"))
    tab = select_case(qtbot, clerk, case_id, number)
    assert tab.exclude_button.isVisible() and not tab.end_button.isVisible()
    click(qtbot, tab.exclude_button)
    dialog = tab.dialog
    assert isinstance(dialog, OpenExclusionDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("suspension"))
    type_text(qtbot, dialog.reason, "须以另案审理结果为依据")
    click(qtbot, dialog.submit_button)  # no approver chosen yet: refused, nothing stored
    qtbot.waitUntil(lambda: "请选择批准人" in dialog.problems_label.text(), timeout=WAIT)
    assert dialog.isVisible() and dialog.reason.text() == "须以另案审理结果为依据"
    assert query(
        demo_path, "SELECT count(*) FROM time_limit_exclusions WHERE case_id = ?", case_id
    ) == [(0,)]
    qtbot.waitUntil(lambda: dialog.approver.count() > 1, timeout=WAIT)
    dialog.approver.setCurrentIndex(1)
    submit(qtbot, tab, case_id)
    assert query(
        demo_path,
        "SELECT status, time_limit_expiry, time_limit_paused_since FROM cases WHERE id = ?",
        case_id,
    ) == [("suspended", None, TODAY.isoformat())]
    assert "中止中" in tab.state_label.text()
    assert tab.end_button.isVisible()
    tab.end_menu.actions()[0].trigger()
    dialog = tab.dialog
    assert isinstance(dialog, CloseExclusionDialog)
    submit(qtbot, tab, case_id)
    row = query(
        demo_path,
        "SELECT status, time_limit_paused_since, time_limit_excluded_days FROM cases WHERE id = ?",
        case_id,
    )
    assert row == [("pending", None, 1)]
    assert "正常" in tab.state_label.text() or "临近届满" in tab.state_label.text()
    titles = [tab.timeline.item(r, 1).text().split("\n")[0] for r in range(tab.timeline.rowCount())]
    assert "开始扣除审限：中止" in titles and "扣除结束：中止" in titles


def test_judge_closes_a_case_by_mediation(
    qtbot: QtBot,
    open_window: Callable[[str], MainWindow],
    new_case: Callable[..., tuple[int, str]],
    demo_path: Path,
) -> None:
    case_id, number = new_case("civil_summary", TODAY - timedelta(days=10))
    judge = open_window(username(demo_path, "judge"))
    tab = select_case(qtbot, judge, case_id, number)
    click(qtbot, tab.close_button)
    qtbot.waitUntil(lambda: isinstance(tab.dialog, CloseCaseDialog), timeout=WAIT)
    dialog = tab.dialog
    assert isinstance(dialog, CloseCaseDialog)
    dialog.manner.setCurrentIndex(dialog.manner.findData("mediation"))
    assert dialog.served.isChecked() and not dialog.pronounced.isEnabled()
    for index, days_ago in enumerate((2, 1)):
        day = TODAY - timedelta(days=days_ago)
        dialog._day_edits[index].setDate(QDate(day.year, day.month, day.day))
    dialog._method_boxes[1].setCurrentIndex(dialog._method_boxes[1].findData("post"))
    last = (TODAY - timedelta(days=1)).isoformat()
    assert last in dialog.result_label.text() and "交邮日期" in dialog.result_label.text()
    submit(qtbot, tab, case_id)
    assert query(
        demo_path,
        "SELECT status, closed_date, closing_manner, closed_within_limit FROM cases WHERE id = ?",
        case_id,
    ) == [("closed", last, "mediation", 1)]
    assert query(
        demo_path, "SELECT count(*) FROM case_closing_services WHERE case_id = ?", case_id
    ) == [(2,)]
    assert "审限内结案" in tab.state_label.text()
    assert not tab.close_button.isVisible() and not tab.apply_button.isVisible()
    page = judge.docket_page
    qtbot.waitUntil(
        lambda: page.model.row_at(0) is not None and page.model.index(0, 5).data() == "已结案",
        timeout=WAIT,
    )


def test_dashboard_figures_click_through_to_their_cases(
    qtbot: QtBot, open_window: Callable[[str], MainWindow], demo_path: Path
) -> None:
    president = query(
        demo_path,
        "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'president'",
    )[0][0]
    window = open_window(str(president))
    nav = window.navigation
    item = next(nav.item(i) for i in range(nav.count()) if nav.item(i).text() == "统计")
    click_at = nav.visualItemRect(item).center()
    page = window.stats_page
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=click_at)
    page.preset.setCurrentText("上年")
    qtbot.waitUntil(
        lambda: page.dashboard is not None and page.dashboard.query.start.year == TODAY.year - 1,
        timeout=WAIT,
    )
    card = page.cards["closed"]
    closed = int(card.value_label.text().replace(",", ""))
    year = TODAY.year - 1
    assert (
        closed
        == query(
            demo_path,
            "SELECT count(*) FROM cases WHERE closed_date BETWEEN ? AND ?",
            f"{year}-01-01",
            f"{year}-12-31",
        )[0][0]
    )
    click(qtbot, card)
    assert window.current_page_key == "cases"
    docket = window.docket_page
    assert docket.drill_row.isVisible() and "结案" in docket.drill_label.text()
    qtbot.waitUntil(lambda: docket.model.is_counted and docket.model.total == closed, timeout=WAIT)
    # A bar of the chart: March's received cases.
    window.show_page("stats")
    assert page.received_set is not None
    page.received_set.clicked.emit(2)
    march = query(
        demo_path,
        "SELECT count(*) FROM cases WHERE filing_date BETWEEN ? AND ?",
        f"{year}-03-01",
        f"{year}-03-31",
    )[0][0]
    qtbot.waitUntil(
        lambda: (
            docket.model.is_counted
            and docket.model.total == march
            and "3月" in docket.drill_label.text()
        ),
        timeout=WAIT,
    )
    click(qtbot, docket.drill_clear)
    qtbot.waitUntil(
        lambda: docket.model.is_counted and not docket.drill_row.isVisible(), timeout=WAIT
    )
