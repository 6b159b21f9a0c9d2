"""我的案件: the signed-in judge's (or clerk's) open cases, by days left of the 审限.

The expiry is the one stored on the case (``cases.time_limit_expiry``, kept up to
date by the time-limit service with extensions and excluded periods), so this list
is as right as the docket and costs one indexed query. A case is 已超审限 once its
expiry has passed, 临近届满 when at most the configured number of days remain
(default 15, a court setting), and a suspended case (中止) is shown as such: its
clock stands still, so it is never marked overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from courtdesk.domain.case_status import CaseStatus
from courtdesk.services import settings
from courtdesk.services.permissions import Permission, require
from courtdesk.services.time_limits import NEAR_EXPIRY_DAYS
from courtdesk.services.workspace import Workspace
from courtdesk.store import docket as docket_store

# One setting for "near expiry" everywhere (审限 tab, docket colours, 我的案件).
NEAR_EXPIRY_KEY = NEAR_EXPIRY_DAYS.key


class Urgency(StrEnum):
    OVERDUE = "overdue"  # 已超审限
    NEAR = "near"  # 临近届满
    NORMAL = "normal"  # 正常
    SUSPENDED = "suspended"  # 中止
    UNTRACKED = "untracked"  # 无审限 (enforcement reviews, preservation …)

    @property
    def label(self) -> str:
        return _URGENCY_LABELS[self]


_URGENCY_LABELS = {
    Urgency.OVERDUE: "已超审限",
    Urgency.NEAR: "临近届满",
    Urgency.NORMAL: "正常",
    Urgency.SUSPENDED: "中止",
    Urgency.UNTRACKED: "无审限",
}


@dataclass(frozen=True)
class MyCase:
    id: int
    case_number: str
    cause: str
    parties_summary: str
    filing_date: str
    status_label: str
    time_limit_expiry: str | None
    days_left: int | None
    urgency: Urgency

    @property
    def days_text(self) -> str:
        """剩余 12 天 / 今日届满 / 超期 3 天 / 中止 / —"""
        if self.urgency is Urgency.SUSPENDED:
            return "中止"
        if self.days_left is None:
            return "—"
        if self.days_left < 0:
            return f"超期 {-self.days_left} 天"
        if self.days_left == 0:
            return "今日届满"
        return f"剩余 {self.days_left} 天"


@dataclass(frozen=True)
class MyCases:
    """The list and its headline figures; ``role`` says whose cases they are (承办/书记员)."""

    user_name: str
    role: str
    today: date
    near_days: int
    cases: tuple[MyCase, ...]

    def count(self, urgency: Urgency) -> int:
        return sum(1 for c in self.cases if c.urgency is urgency)


def urgency(
    status: str, expiry: str | None, today: date, near_days: int
) -> tuple[int | None, Urgency]:
    """Days left and the mark of one open case (domain-rules.md section 2: calendar days)."""
    if expiry is None:
        return None, Urgency.SUSPENDED if status == CaseStatus.SUSPENDED else Urgency.UNTRACKED
    days = (date.fromisoformat(expiry) - today).days
    if status == CaseStatus.SUSPENDED:
        return days, Urgency.SUSPENDED
    if days < 0:
        return days, Urgency.OVERDUE
    if days <= near_days:
        return days, Urgency.NEAR
    return days, Urgency.NORMAL


def my_cases(ws: Workspace, today: date | None = None) -> MyCases:
    """The acting user's open cases, fewest days left first.

    Running cases come first (overdue, then by days left), then suspended ones (their
    clock stands still, so an old expiry does not make them urgent), then cases
    without a tracked 审限.

    A judge sees the cases they preside over (承办); someone who is only a clerk sees
    the cases they are clerk of. Anyone else gets an empty list.
    """
    require(ws.actor, Permission.VIEW_CASES)
    today = today or date.today()
    near_days = settings.get_int(ws, NEAR_EXPIRY_KEY)
    user_id = ws.actor.user_id
    if "judge" in ws.actor.roles:
        column, role = "presiding_judge_id", "承办"
    elif "clerk" in ws.actor.roles:
        column, role = "clerk_id", "书记员"
    else:
        column, role = "", ""
    rows = (
        docket_store.open_cases_of(ws.db.connection, column, user_id)
        if column and user_id is not None
        else []
    )
    cases = []
    for r in rows:
        days, mark = urgency(r.status, r.time_limit_expiry, today, near_days)
        cases.append(
            MyCase(
                r.id,
                r.case_number,
                r.cause,
                r.parties_summary,
                r.filing_date,
                CaseStatus(r.status).label,
                r.time_limit_expiry,
                days,
                mark,
            )
        )
    order = {Urgency.SUSPENDED: 1, Urgency.UNTRACKED: 2}
    cases.sort(key=lambda c: (order.get(c.urgency, 0), c.time_limit_expiry or "", c.id))
    return MyCases(ws.actor.display_name, role, today, near_days, tuple(cases))
