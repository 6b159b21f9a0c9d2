"""Which automatic backups to keep: the newest of each recent day, week and month.

The usual grandfather-father-son rotation: with 7 daily, 5 weekly and 12 monthly
copies a court can go back a week day by day, a month week by week and a year
month by month, in about two dozen files. A copy kept for any reason is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import datetime


def _newest_per_period(
    stamps: list[datetime], count: int, period: Callable[[datetime], Hashable]
) -> set[datetime]:
    kept: set[datetime] = set()
    seen: set[Hashable] = set()
    for stamp in stamps:  # newest first
        key = period(stamp)
        if key in seen:
            continue
        if len(seen) >= count:
            break
        seen.add(key)
        kept.add(stamp)
    return kept


def backups_to_keep(
    stamps: Iterable[datetime], daily: int, weekly: int, monthly: int
) -> set[datetime]:
    """The backup times to keep; every other automatic backup may be deleted."""
    ordered = sorted(set(stamps), reverse=True)
    return (
        _newest_per_period(ordered, daily, lambda s: s.date())
        | _newest_per_period(ordered, weekly, lambda s: s.isocalendar()[:2])
        | _newest_per_period(ordered, monthly, lambda s: (s.year, s.month))
    )
