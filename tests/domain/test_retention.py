from __future__ import annotations

from datetime import datetime, timedelta

from courtdesk.domain.retention import backups_to_keep


def test_newest_of_each_recent_day_week_and_month_are_kept() -> None:
    start = datetime(2026, 1, 1, 18, 0)
    # Two copies a day (daily at 9:00 and on exit at 18:00) for a year.
    stamps = [start + timedelta(days=d, hours=h) for d in range(365) for h in (-9, 0)]
    keep = backups_to_keep(stamps, daily=7, weekly=5, monthly=12)
    last = max(stamps)
    days = sorted({s.date() for s in keep if (last - s).days < 7})
    assert len(days) == 7
    # Each kept day keeps only its newest copy (the exit copy).
    assert all(s.hour == 18 for s in keep)
    assert len({s.isocalendar()[:2] for s in keep}) >= 5
    assert len({(s.year, s.month) for s in keep}) == 12
    assert len(keep) <= 7 + 5 + 12
    assert last in keep


def test_nothing_to_keep_when_there_are_no_backups() -> None:
    assert backups_to_keep([], 7, 5, 12) == set()


def test_zero_weekly_and_monthly_keep_only_days() -> None:
    stamps = [datetime(2026, 3, d, 12) for d in range(1, 29)]
    keep = backups_to_keep(stamps, daily=3, weekly=0, monthly=0)
    assert keep == {datetime(2026, 3, d, 12) for d in (26, 27, 28)}
