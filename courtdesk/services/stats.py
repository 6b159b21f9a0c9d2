"""The 统计 dashboard: the president's figures for a period, a division or a judge.

Every figure is counted over a DocketFilter, and that filter is what the figure
clicks through to, so the number on the dashboard and the cases the docket then
lists are the same cases by construction. Formulas (domain-rules.md §2, all
over cases of the chosen division or judge):

- 收案: filed in the period. 旧存: open at the end of the day before it.
- 结案: closed in the period. 未结: open at the end of the period (or today).
- 结收比 = 结案 ÷ 收案.
- 审限内结案率 = closed within their 审限 ÷ closed cases that have a 审限
  (procedures without a 审限, such as preservation, are left out of both).
- 平均审理天数 = mean over cases closed in the period of (closing date − filing
  date − excluded days).
- 长期未结: open at the end of the period and filed more than N months before it
  (N from the setting ``stats.long_pending_months``, default 12, 18, 36).
- 延长审限: extensions approved in the period (the cases behind it: those with an
  approval in the period).
- 当前已超审限 and 待审批延长申请 are today's, whatever the period.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, replace
from datetime import date, timedelta

from courtdesk.domain.case_status import CaseStatus
from courtdesk.domain.dates import add_months
from courtdesk.errors import FieldProblem, ValidationError
from courtdesk.services import settings
from courtdesk.services.permissions import Permission, require
from courtdesk.services.settings import Setting, declare
from courtdesk.services.workspace import Workspace
from courtdesk.store import court
from courtdesk.store import docket as docket_store
from courtdesk.store import stats as stats_store
from courtdesk.store.docket import DocketFilter

MAX_PERIOD_DAYS = 366 * 20


def _month_list(value: str) -> str | None:
    parts = [p.strip() for p in value.replace("，", ",").split(",") if p.strip()]
    if not parts or not all(p.isdigit() and 1 <= int(p) <= 240 for p in parts):
        return "应为逗号分隔的月数，例如 12,18,36"
    return None


LONG_PENDING_MONTHS = declare(
    Setting(
        "stats.long_pending_months",
        "长期未结案件的月数界限",
        "12,18,36",
        check=_month_list,
        group="统计",
        help="未结案件自立案起超过这些月数即计入长期未结，逗号分隔",
    )
)


@dataclass(frozen=True)
class DashboardQuery:
    start: date
    end: date
    division_id: int | None = None
    judge_id: int | None = None


@dataclass(frozen=True)
class Figure:
    """One number on the dashboard and the cases behind it."""

    key: str
    label: str
    value: str  # as shown: "1,234", "85.3%", "63.2"
    number: float | None  # the raw value (None: nothing to divide by)
    detail: str
    cases: DocketFilter  # the docket filter it clicks through to
    title: str  # the docket's banner when clicked through
    group: str  # 收结存, 效率, 长期未结, 当前


@dataclass(frozen=True)
class MonthBar:
    month: str  # "2026-03"
    received: int
    closed: int
    received_cases: DocketFilter
    closed_cases: DocketFilter


@dataclass(frozen=True)
class Dashboard:
    query: DashboardQuery
    as_of: date
    scope_label: str
    figures: tuple[Figure, ...]
    months: tuple[MonthBar, ...]
    milliseconds: float

    def figure(self, key: str) -> Figure:
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(key)


def long_pending_thresholds(ws: Workspace) -> tuple[int, ...]:
    raw = settings.get(ws, LONG_PENDING_MONTHS.key)
    return tuple(sorted({int(p) for p in raw.replace("，", ",").split(",") if p.strip()}))


def _count(value: int) -> str:
    return f"{value:,}"


def _percent(part: int, whole: int) -> tuple[str, float | None]:
    if whole == 0:
        return "—", None
    ratio = part / whole
    return f"{ratio * 100:.1f}%", ratio


def _months(start: date, end: date) -> list[tuple[date, date]]:
    months: list[tuple[date, date]] = []
    first = start.replace(day=1)
    while first <= end:
        following = add_months(first, 1)
        months.append((max(first, start), min(following - timedelta(days=1), end)))
        first = following
    return months


def dashboard(ws: Workspace, query: DashboardQuery, today: date | None = None) -> Dashboard:
    """All the dashboard's figures for ``query``, aggregated in SQL over indexed columns."""
    require(ws.actor, Permission.VIEW_STATISTICS)
    started = time.perf_counter()
    today = today or date.today()
    problems: list[FieldProblem] = []
    if query.end < query.start:
        problems.append(FieldProblem("end", "统计截止日期早于起始日期"))
    elif (query.end - query.start).days > MAX_PERIOD_DAYS:
        problems.append(FieldProblem("end", "统计期间不能超过二十年"))
    if problems:
        raise ValidationError(problems)
    thresholds = long_pending_thresholds(ws)
    start, end = query.start, query.end
    as_of = min(end, today)
    scope = DocketFilter(division_id=query.division_id, judge_id=query.judge_id)
    period = f"{start.isoformat()} 至 {end.isoformat()}"
    open_statuses = tuple(s.value for s in CaseStatus if s.is_open)
    filters = {
        "received": replace(scope, filed_from=start, filed_to=end),
        "carried": replace(scope, open_on=start - timedelta(days=1)),
        "closed": replace(scope, closed_from=start, closed_to=end),
        "pending": replace(scope, open_on=as_of),
        "within": replace(scope, closed_from=start, closed_to=end, closed_within_limit=True),
        "late": replace(scope, closed_from=start, closed_to=end, closed_within_limit=False),
        "extended": replace(scope, extended_from=start, extended_to=end),
        "overdue": replace(scope, statuses=open_statuses, expiry_before=today),
        "applications": replace(scope, statuses=open_statuses, extension_pending=True),
    }
    for months in thresholds:
        cutoff = add_months(as_of, -months) - timedelta(days=1)
        filters[f"long_{months}"] = replace(scope, open_on=as_of, filed_to=cutoff)
    with ws.db.snapshot() as conn:
        counts = {
            key: docket_store.count(conn, flt) for key, flt in filters.items() if key != "closed"
        }
        closed, trial_sum, trial_n = stats_store.closed_totals(conn, filters["closed"])
        extensions = stats_store.extensions_decided(
            conn, start, end, query.division_id, query.judge_id
        )
        received_by_month = stats_store.per_month(conn, filters["received"], "filing_date")
        closed_by_month = stats_store.per_month(conn, filters["closed"], "closed_date")
        scope_label = _scope_label(conn, query)
    received = counts["received"]
    within, late = counts["within"], counts["late"]
    ratio_text, ratio = _percent(closed, received)
    rate_text, rate = _percent(within, within + late)
    average = trial_sum / trial_n if trial_n else None
    figures = [
        Figure(
            "received",
            "收案",
            _count(received),
            received,
            f"{period}立案",
            filters["received"],
            f"收案（{period}）",
            "收结存",
        ),
        Figure(
            "carried",
            "旧存",
            _count(counts["carried"]),
            counts["carried"],
            f"{start.isoformat()} 前立案、尚未审结",
            filters["carried"],
            f"旧存（{start.isoformat()} 前未结）",
            "收结存",
        ),
        Figure(
            "closed",
            "结案",
            _count(closed),
            closed,
            f"{period}结案",
            filters["closed"],
            f"结案（{period}）",
            "收结存",
        ),
        Figure(
            "pending",
            "未结",
            _count(counts["pending"]),
            counts["pending"],
            f"截至 {as_of.isoformat()}",
            filters["pending"],
            f"未结（截至 {as_of.isoformat()}）",
            "收结存",
        ),
        Figure(
            "ratio",
            "结收比",
            ratio_text,
            ratio,
            f"结案 {closed:,} ÷ 收案 {received:,}",
            filters["closed"],
            f"结案（{period}）",
            "效率",
        ),
        Figure(
            "within_rate",
            "审限内结案率",
            rate_text,
            rate,
            f"审限内结案 {within:,} ÷ 计审限的结案 {within + late:,}",
            filters["within"],
            f"审限内结案（{period}）",
            "效率",
        ),
        Figure(
            "late",
            "超审限结案",
            _count(late),
            late,
            "结案时已超过审限",
            filters["late"],
            f"超审限结案（{period}）",
            "效率",
        ),
        Figure(
            "average_days",
            "平均审理天数",
            "—" if average is None else f"{average:.1f}",
            average,
            f"{trial_n:,} 件结案，已扣除审限扣除期间",
            filters["closed"],
            f"结案（{period}）",
            "效率",
        ),
        Figure(
            "extensions",
            "延长审限",
            _count(extensions),
            extensions,
            f"批准 {extensions:,} 次，涉及 {counts['extended']:,} 件",
            filters["extended"],
            f"批准延长审限的案件（{period}）",
            "效率",
        ),
    ]
    for months in thresholds:
        key = f"long_{months}"
        figures.append(
            Figure(
                key,
                f"未结超{months}个月",
                _count(counts[key]),
                counts[key],
                f"截至 {as_of.isoformat()}，立案已超过{months}个月",
                filters[key],
                f"长期未结：超过{months}个月（截至 {as_of.isoformat()}）",
                "长期未结",
            )
        )
    figures += [
        Figure(
            "overdue",
            "已超审限未结",
            _count(counts["overdue"]),
            counts["overdue"],
            f"截至今天（{today.isoformat()}）",
            filters["overdue"],
            "已超审限的未结案件",
            "当前",
        ),
        Figure(
            "applications",
            "待审批延长申请",
            _count(counts["applications"]),
            counts["applications"],
            "等待院长或庭长审批",
            filters["applications"],
            "延长审限申请待审批的案件",
            "当前",
        ),
    ]
    bars = tuple(
        MonthBar(
            first.strftime("%Y-%m"),
            received_by_month.get(first.strftime("%Y-%m"), 0),
            closed_by_month.get(first.strftime("%Y-%m"), 0),
            replace(scope, filed_from=first, filed_to=last),
            replace(scope, closed_from=first, closed_to=last),
        )
        for first, last in _months(start, end)
    )
    return Dashboard(
        query=query,
        as_of=as_of,
        scope_label=scope_label,
        figures=tuple(figures),
        months=bars,
        milliseconds=(time.perf_counter() - started) * 1000,
    )


def _scope_label(conn: sqlite3.Connection, query: DashboardQuery) -> str:
    parts = []
    if query.division_id is not None:
        names = {int(d["id"]): str(d["name"]) for d in court.divisions(conn)}
        parts.append(names.get(query.division_id, "（未知部门）"))
    if query.judge_id is not None:
        judge = court.user_by_id(conn, query.judge_id)
        parts.append(str(judge["display_name"]) if judge else "（未知法官）")
    return "、".join(parts) or "全院"
