"""Figures for court leaders: how many cases, of what kind, in what state."""

from __future__ import annotations

from dataclasses import dataclass

from courtdesk.domain.case_status import CaseStatus
from courtdesk.domain.case_types import Category
from courtdesk.services.permissions import Permission, require
from courtdesk.services.workspace import Workspace
from courtdesk.store import stats as stats_store


@dataclass(frozen=True)
class StatusTable:
    """Cases per category (rows) and status (columns), with totals."""

    categories: tuple[str, ...]  # labels
    statuses: tuple[str, ...]  # labels
    counts: tuple[tuple[int, ...], ...]

    @property
    def total(self) -> int:
        return sum(sum(row) for row in self.counts)


def status_table(ws: Workspace) -> StatusTable:
    require(ws.actor, Permission.VIEW_CASES)
    raw = stats_store.counts_by_category_and_status(ws.db.connection)
    categories = [c for c in Category if any(r[0] == c.value for r in raw)]
    statuses = list(CaseStatus)
    lookup = {(c, s): n for c, s, n in raw}
    return StatusTable(
        categories=tuple(c.label for c in categories),
        statuses=tuple(s.label for s in statuses),
        counts=tuple(
            tuple(lookup.get((c.value, s.value), 0) for s in statuses) for c in categories
        ),
    )
