"""Private-lending interest with the court's LPR table and counting conventions.

The rules are in ``domain/lending.py``; the LPR table is the shipped one
(resources/data/lpr.json) plus the fixings the administrator entered. Courts count
days differently, so the day basis (365 or 360) and whether the end date accrues
interest are settings (defaults: 365, end date not counted — 算头不算尾).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from courtdesk.domain.lending import Convention, LendingResult, LoanTerms, compute_interest
from courtdesk.domain.lpr import LprTable, check_fixing, shipped_fixings
from courtdesk.errors import FieldProblem, NotFoundError, ValidationError
from courtdesk.services import audit, settings
from courtdesk.services.permissions import Permission, require
from courtdesk.services.settings import Setting
from courtdesk.services.workspace import Workspace
from courtdesk.store import lpr as lpr_store
from courtdesk.store.audit import now_iso

GROUP = "民间借贷"
DAY_BASIS = "lending.day_basis"
INCLUDE_END_DAY = "lending.include_end_day"


def _day_basis(value: str) -> str | None:
    return None if value in ("365", "360") else "只能是 365 或 360"


settings.declare(
    Setting(
        DAY_BASIS,
        "年利率折算日利率的天数",
        "365",
        "int",
        help="日利息 = 本金 × 年利率 ÷ 此天数；多数法院用 365，也有用 360 的",
        check=_day_basis,
        group=GROUP,
    )
)
settings.declare(
    Setting(
        INCLUDE_END_DAY,
        "计算截止日当天计息（算头也算尾）",
        "0",
        "bool",
        help="0 = 算头不算尾（3月1日至3月31日计 30 天）；1 = 截止日也计息（31 天）",
        group=GROUP,
    )
)


def convention(ws: Workspace | None) -> Convention:
    if ws is None:
        return Convention()
    return Convention(
        day_basis=settings.get_int(ws, DAY_BASIS),
        include_end_day=settings.get(ws, INCLUDE_END_DAY) == "1",
    )


def lpr_table(ws: Workspace | None) -> LprTable:
    """The shipped LPR table with the court's entries (the shipped one alone without a workspace)."""
    if ws is None:
        return LprTable.combine(shipped_fixings(), ())
    require(ws.actor, Permission.USE_CALCULATORS)
    return LprTable.combine(shipped_fixings(), lpr_store.entered_fixings(ws.db.connection))


def interest(ws: Workspace | None, terms: LoanTerms) -> LendingResult:
    """The supported interest of a private loan with this court's LPR table and conventions."""
    return compute_interest(terms, lpr_table(ws), convention(ws))


def enter_lpr(ws: Workspace, day: date, rate: Decimal) -> None:
    """Store a fixing (in force from ``day``, percent per year); replaces one of the same day."""
    require(ws.actor, Permission.MANAGE_COURT)
    problems = check_fixing(day, rate)
    if problems:
        raise ValidationError([FieldProblem("rate" if "利率" in p else "day", p) for p in problems])
    with ws.db.transaction() as conn:
        old = lpr_store.get_fixing(conn, day)
        lpr_store.put_fixing(conn, day, rate, ws.actor.username, now_iso())
        audit.record(
            conn,
            ws.actor,
            "lpr.enter",
            "lpr_fixings",
            None,
            {"day": day.isoformat(), "rate": [None if old is None else str(old), str(rate)]},
        )


def delete_lpr(ws: Workspace, day: date) -> None:
    """Remove a fixing the court entered (the shipped table cannot be removed)."""
    require(ws.actor, Permission.MANAGE_COURT)
    with ws.db.transaction() as conn:
        old = lpr_store.get_fixing(conn, day)
        if old is None or not lpr_store.delete_fixing(conn, day):
            raise NotFoundError(f"本院没有录入 {day.isoformat()} 的LPR报价（内置数据不能删除）")
        audit.record(
            conn,
            ws.actor,
            "lpr.delete",
            "lpr_fixings",
            None,
            {"day": day.isoformat(), "rate": [str(old), None]},
        )
