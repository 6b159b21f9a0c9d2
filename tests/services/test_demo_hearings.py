"""Demo hearings are consistent with their cases, the rooms and the people."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import DEMO_AS_OF


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def test_demo_hearings_are_consistent(demo_template: Path) -> None:
    (total,) = query(demo_template, "SELECT count(*) FROM hearings")[0]
    (cases,) = query(demo_template, "SELECT count(*) FROM cases")[0]
    assert total > cases  # about one and a half per case
    kinds = {k for (k,) in query(demo_template, "SELECT DISTINCT kind FROM hearings")}
    assert {"trial", "mediation", "inquiry", "hearing", "pronouncement"} <= kinds
    statuses = {s for (s,) in query(demo_template, "SELECT DISTINCT status FROM hearings")}
    assert statuses == {"scheduled", "postponed", "cancelled"}
    # No room and no person is booked twice at once.
    assert query(
        demo_template,
        "SELECT count(*) FROM hearings a JOIN hearings b ON a.courtroom_id = b.courtroom_id"
        " AND a.id < b.id AND a.status = 'scheduled' AND b.status = 'scheduled'"
        " AND a.start_at < b.end_at AND b.start_at < a.end_at",
    ) == [(0,)]
    assert query(
        demo_template,
        "SELECT count(*) FROM hearing_staff a JOIN hearing_staff b ON a.user_id = b.user_id"
        " AND a.hearing_id < b.hearing_id AND a.active AND b.active"
        " AND a.start_at < b.end_at AND b.start_at < a.end_at",
    ) == [(0,)]
    # Held after filing and, for closed cases, by the closing date.
    assert query(
        demo_template,
        "SELECT count(*) FROM hearings h JOIN cases c ON c.id = h.case_id"
        " WHERE h.status = 'scheduled' AND (substr(h.start_at, 1, 10) <= c.filing_date"
        " OR (c.closed_date IS NOT NULL AND substr(h.start_at, 1, 10) > c.closed_date))",
    ) == [(0,)]
    # Only pending cases have hearings ahead, at most one each, inside court hours.
    ahead = query(
        demo_template,
        "SELECT c.status, count(*) FROM hearings h JOIN cases c ON c.id = h.case_id"
        f" WHERE h.status = 'scheduled' AND h.start_at > '{DEMO_AS_OF.isoformat()}T23:59'"
        " GROUP BY h.case_id",
    )
    assert ahead and {status for status, _ in ahead} == {"pending"}
    assert max(count for _, count in ahead) == 1  # type: ignore[type-var]
    assert query(
        demo_template,
        "SELECT min(substr(start_at, 12)), max(substr(end_at, 12)) FROM hearings",
    ) == [("08:30", "17:30")]
    # A postponement that was rescheduled points back to it; rooms are only for room hearings.
    assert query(
        demo_template,
        "SELECT count(*) FROM hearings n JOIN hearings o ON o.id = n.postponed_from"
        " WHERE o.status <> 'postponed' OR o.case_id <> n.case_id",
    ) == [(0,)]
    assert query(
        demo_template,
        "SELECT count(*) FROM hearings WHERE (mode = 'room') <> (courtroom_id IS NOT NULL)",
    ) == [(0,)]
    # The room being refitted around "today" has nothing booked while it is closed.
    assert query(demo_template, "SELECT count(*) FROM courtroom_closures") == [(1,)]
    assert query(
        demo_template,
        "SELECT count(*) FROM hearings h JOIN courtroom_closures c"
        " ON c.courtroom_id = h.courtroom_id WHERE h.status = 'scheduled'"
        " AND substr(h.start_at, 1, 10) BETWEEN c.first_day AND c.last_day",
    ) == [(0,)]


def test_a_busier_court_gets_the_staff_and_rooms_to_sit_its_calendar(tmp_path: Path) -> None:
    from courtdesk.services.demo import fill_demo, staff_scale

    # 24,000 cases over two years: 12,000 a year, twice the base staff's caseload.
    assert staff_scale(24_000) == 2 and staff_scale(10_000) == 1
    assert staff_scale(1_000_000) == 8  # 50,000 cases a year over twenty years
    path = tmp_path / "busy.sqlite3"
    report = fill_demo(path, 24_000, as_of=DEMO_AS_OF, workers=False)
    rooms = [name for (name,) in query(path, "SELECT name FROM courtrooms ORDER BY id")]
    assert len(rooms) == len(set(rooms)) == 9 * 2 + 2 * 4
    assert rooms[9:11] == ["第十法庭", "第十一法庭"]
    assert "北湖人民法庭第四审判庭" in rooms
    (judges,) = query(path, "SELECT count(*) FROM user_roles WHERE role = 'judge'")[0]
    # the president, then the filing division, the hearing-heavy ones twice over, the rest
    assert judges == 1 + 1 * 2 + (5 + 4 + 2 + 2) * 2 * 2 + (3 + 2 + 5) * 2
    # The calendar is sat, not overbooked: a few hearings of cases closed within
    # weeks of filing find no free hour in time; nothing ahead of today does.
    assert report.hearing_overflow < report.hearings * 0.06
    (clashing,) = query(
        path,
        "SELECT count(*) FROM hearings a JOIN hearings b ON a.courtroom_id = b.courtroom_id"
        " AND a.id < b.id AND a.status = 'scheduled' AND b.status = 'scheduled'"
        f" AND a.start_at > '{DEMO_AS_OF.isoformat()}T23:59'"
        " AND a.start_at < b.end_at AND b.start_at < a.end_at",
    )[0]
    assert clashing == 0
