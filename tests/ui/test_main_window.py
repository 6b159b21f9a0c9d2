"""Drive the real main window: docket, filters, sorting, details, 立案."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from courtdesk.ui.docket_model import COLUMNS, DocketModel
from courtdesk.ui.docket_page import SEARCH_MIN_CHARS
from courtdesk.ui.main_window import MainWindow
from courtdesk.ui.tasks import TaskRunner
from tests.conftest import DEMO_CASES
from tests.ui.test_time_limits_ui import select_case
from tests.ui.typing import type_text


def db_count(path: Path, sql: str = "SELECT count(*) FROM cases", *params: object) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(sql, params).fetchone()[0])


# What the window's filing clerk may see: every public case, and private ones
# (不公开审理) only while they still wait for a judge (the clerk must assign them).
VISIBLE = "(is_private = 0 OR presiding_judge_id IS NULL)"


def visible_cases(path: Path) -> int:
    return db_count(path, f"SELECT count(*) FROM cases WHERE {VISIBLE}")


def wait_loaded(qtbot: QtBot, model: DocketModel) -> None:
    qtbot.waitUntil(
        lambda: model.is_counted and (model.total == 0 or model.row_at(0) is not None),
        timeout=10_000,
    )


def test_window_shows_court_file_user_and_the_docket(window: MainWindow) -> None:
    assert window.court_label.text() == "法院：长春新区人民法院（吉0193）"
    assert str(window.ws.path) in window.database_label.text()
    assert "立案" in window.user_label.text()
    nav = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert nav == ["案件", "我的案件", "排期", "送达", "统计"]
    model = window.docket_page.model
    visible = visible_cases(window.ws.path)
    assert DEMO_CASES - 30 < visible < DEMO_CASES  # a few private cases are hidden
    assert model.rowCount() == visible
    assert [model.headerData(i, Qt.Orientation.Horizontal) for i in range(len(COLUMNS))] == [
        "案号",
        "案由",
        "当事人",
        "承办人",
        "立案日期",
        "状态",
        "审限届满日",
    ]
    first = model.index(0, 0).data()
    assert first.startswith("（20") and first.endswith("号")
    assert window.docket_page.count_label.text() == f"共 {visible:,} 件"


def test_docket_model_passes_qt_model_tester(qtmodeltester: object, window: MainWindow) -> None:
    qtmodeltester.check(window.docket_page.model)  # type: ignore[attr-defined]


def test_sorting_by_clicking_a_header(qtbot: QtBot, window: MainWindow) -> None:
    page = window.docket_page
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(4) + header.sectionSize(4) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )
    wait_loaded(qtbot, page.model)
    dates_after_one_click = [page.model.index(r, 4).data() for r in range(20)]
    assert dates_after_one_click == sorted(
        dates_after_one_click
    ) or dates_after_one_click == sorted(dates_after_one_click, reverse=True)
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )
    wait_loaded(qtbot, page.model)
    dates_after_two = [page.model.index(r, 4).data() for r in range(20)]
    assert dates_after_two != dates_after_one_click
    with sqlite3.connect(window.ws.path) as conn:
        oldest = conn.execute("SELECT min(filing_date) FROM cases").fetchone()[0]
        newest = conn.execute("SELECT max(filing_date) FROM cases").fetchone()[0]
    assert {dates_after_one_click[0], dates_after_two[0]} == {oldest, newest}


def test_filters_by_status_judge_type_and_text(qtbot: QtBot, window: MainWindow) -> None:
    page = window.docket_page
    path = window.ws.path
    page.status_filter.setCurrentIndex(page.status_filter.findText("已结案"))
    wait_loaded(qtbot, page.model)
    assert page.model.rowCount() == db_count(
        path, f"SELECT count(*) FROM cases WHERE status = 'closed' AND {VISIBLE}"
    )
    qtbot.waitUntil(lambda: page.judge_filter.count() > 1)
    page.judge_filter.setCurrentIndex(1)
    wait_loaded(qtbot, page.model)
    judge_id = page.judge_filter.currentData()
    expected = db_count(
        path,
        f"SELECT count(*) FROM cases WHERE status = 'closed' AND presiding_judge_id = ? AND {VISIBLE}",
        judge_id,
    )
    assert page.model.rowCount() == expected
    page.status_filter.setCurrentIndex(0)
    page.judge_filter.setCurrentIndex(0)
    page.type_filter.setCurrentIndex(page.type_filter.findData("type:刑初"))
    wait_loaded(qtbot, page.model)
    assert page.model.rowCount() == db_count(
        path, f"SELECT count(*) FROM cases WHERE type_code = '刑初' AND {VISIBLE}"
    )
    page.type_filter.setCurrentIndex(0)
    with sqlite3.connect(path) as conn:
        name, case_id = conn.execute(
            "SELECT p.name, p.case_id FROM parties p JOIN cases c ON c.id = p.case_id"
            " WHERE p.kind = 'person' AND c.is_private = 0 ORDER BY p.id LIMIT 1 OFFSET 17"
        ).fetchone()
    type_text(qtbot, page.search, name)
    qtbot.waitUntil(lambda: page.model.docket_filter.text == name, timeout=5_000)
    wait_loaded(qtbot, page.model)
    ids = {page.model.row_at(r).id for r in range(page.model.rowCount())}  # type: ignore[union-attr]
    assert case_id in ids
    assert page.model.rowCount() < DEMO_CASES


def test_selecting_a_case_shows_its_details(qtbot: QtBot, window: MainWindow) -> None:
    page = window.docket_page
    item = page.model.row_at(3)
    assert item is not None
    rect = page.table.visualRect(page.model.index(3, 1))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(
        lambda: page.detail.case is not None and page.detail.case.id == item.id, timeout=5_000
    )
    text = page.detail.summary.toPlainText()
    assert item.case_number in text and item.cause in text and "当事人" in text


def test_first_run_creates_the_demo_database_and_signs_in_with_a_demo_account(
    qtbot: QtBot, _isolated_home: Path, runner: TaskRunner
) -> None:
    from courtdesk.paths import default_database
    from courtdesk.services.accounts import DEMO_PASSWORD
    from courtdesk.ui.app import FIRST_RUN_DEMO_CASES, Startup

    app = QApplication.instance()
    startup = Startup(app, default_database(), None, demo_first_run=True)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: startup.dialog is not None, timeout=60_000)
    dialog = startup.dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    # The demo database says so, with its password and accounts to try.
    assert dialog.demo_hint.isVisible()
    assert DEMO_PASSWORD in dialog.demo_hint.text() and "admin" in dialog.demo_hint.text()
    president = next(user for role, user, _ in dialog.info.demo_accounts if role == "院长")
    type_text(qtbot, dialog.username_edit, president)
    type_text(qtbot, dialog.password_edit, DEMO_PASSWORD)
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: startup.window is not None, timeout=20_000)
    assert startup.window is not None
    qtbot.addWidget(startup.window)
    model = startup.window.docket_page.model
    qtbot.waitUntil(lambda: model.is_counted, timeout=10_000)
    # The president reads every case, private ones included.
    assert model.rowCount() == FIRST_RUN_DEMO_CASES
    assert default_database().parent == _isolated_home
    startup.window.automatic_backups = False  # not this test's subject (test_backups_gui)
    startup.runner.wait()
    qtbot.waitUntil(lambda: startup.runner.pending == 0, timeout=20_000)
    startup.window.close()


def test_the_window_and_the_register_dialog_fit_a_small_screen(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Qt's offscreen screen is 800 × 800, smaller than the windows' wanted sizes (a
    1366 × 768 laptop at 125 % has about 1090 × 580): nothing opens past the screen's edge."""
    free = window.screen().availableGeometry()
    char = window.fontMetrics().horizontalAdvance("中")
    assert char * 110 > free.width()  # the wanted width would not fit
    assert window.width() <= free.width() and window.height() <= free.height()
    # The filters give way; the search box keeps room to type a case number into.
    page = window.docket_page
    assert page.search.isVisible() and page.search.width() >= char * SEARCH_MIN_CHARS
    dialog = window.open_register_dialog()
    qtbot.waitUntil(dialog.isVisible, timeout=10_000)
    assert dialog.width() <= free.width() and dialog.height() <= free.height()
    dialog.reject()


def test_opening_a_case_fills_its_hearings_service_and_time_limit_tabs_in_one_read(
    qtbot: QtBot, window: MainWindow, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The docket reads the case file once; the tabs show it without asking again."""
    from courtdesk.services import hearings, time_limits
    from courtdesk.services import service as svc
    from courtdesk.ui.hearings_tab import CaseHearingsTab
    from courtdesk.ui.service_case_tab import ServiceCaseTab
    from courtdesk.ui.time_limit_tab import TimeLimitTab

    asked: list[str] = []
    for module, name in (
        (hearings, "case_hearings"),
        (svc, "case_service"),
        (time_limits, "case_time_limit"),
    ):
        real = getattr(module, name)
        monkeypatch.setattr(
            module,
            name,
            lambda *a, _real=real, _name=name, **k: asked.append(_name) or _real(*a, **k),
        )
    case_id, number, hearing_count, party_count = db_one(
        demo_path,
        "SELECT c.id, c.case_number, (SELECT count(*) FROM hearings h WHERE h.case_id = c.id),"
        " (SELECT count(*) FROM parties p WHERE p.case_id = c.id) FROM cases c"
        f" WHERE {VISIBLE} AND EXISTS (SELECT 1 FROM hearings h WHERE h.case_id = c.id)"
        " AND EXISTS (SELECT 1 FROM service_tasks t WHERE t.case_id = c.id) ORDER BY c.id LIMIT 1",
    )
    select_case(qtbot, window, case_id, number)  # typed into the search, clicked, 审限 tab
    detail = window.docket_page.detail
    tabs = {type(t): t for t in detail.tabs}
    hearings_tab, service_tab, limit_tab = (
        tabs[CaseHearingsTab],
        tabs[ServiceCaseTab],
        tabs[TimeLimitTab],
    )
    assert isinstance(hearings_tab, CaseHearingsTab)
    assert isinstance(service_tab, ServiceCaseTab)
    assert isinstance(limit_tab, TimeLimitTab)
    for title in ("开庭", "送达"):  # the other tabs a clerk clicks, each already filled
        bar = detail.tabBar()
        index = next(i for i in range(detail.count()) if detail.tabText(i) == title)
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert hearings_tab.table.rowCount() == hearing_count
    assert service_tab.tree.topLevelItemCount() == party_count
    assert limit_tab.loaded and limit_tab.view is not None
    assert limit_tab.view.case_number == number
    assert asked == []
    # After a change on a tab, it reloads itself through its own service.
    hearings_tab.reload()
    qtbot.waitUntil(lambda: asked == ["case_hearings"], timeout=10_000)


def db_one(path: Path, sql: str) -> tuple[int, str, int, int]:
    with sqlite3.connect(path) as conn:
        case_id, number, hearing_count, party_count = conn.execute(sql).fetchone()
    return int(case_id), str(number), int(hearing_count), int(party_count)


def test_a_case_file_read_before_a_tabs_own_reload_does_not_overwrite_it(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    """Reads can finish out of order: the docket's file, read before a tab reloaded
    itself after a change, must not replace what that later reload shows."""
    from courtdesk.services import case_file
    from courtdesk.ui.hearings_tab import CaseHearingsTab
    from courtdesk.ui.tasks import next_read

    case_id, number, _, _ = db_one(
        demo_path,
        "SELECT c.id, c.case_number, 0, 0 FROM cases c"
        f" WHERE {VISIBLE} AND EXISTS (SELECT 1 FROM hearings h WHERE h.case_id = c.id)"
        " ORDER BY c.id LIMIT 1",
    )
    limit_tab = select_case(qtbot, window, case_id, number)
    detail = window.docket_page.detail
    hearings_tab = next(t for t in detail.tabs if isinstance(t, CaseHearingsTab))
    early = next_read()  # the docket's read starts …
    stale = case_file.open_case(window.ws, case_id)
    limit_tab.load(case_id)  # … then each tab reloads itself, later
    hearings_tab.reload()
    qtbot.waitUntil(lambda: limit_tab.loaded and hearings_tab.hearings != [], timeout=10_000)
    own_view, own_hearings = limit_tab.view, hearings_tab.hearings
    detail.show_case(stale.detail, stale, early)  # … and the docket's answer arrives last
    assert limit_tab.view is own_view and hearings_tab.hearings is own_hearings
    # A file read after the tabs' own reloads is shown.
    fresh = case_file.open_case(window.ws, case_id)
    detail.show_case(fresh.detail, fresh, next_read())
    assert limit_tab.view is fresh.time_limit and hearings_tab.hearings is fresh.hearings
