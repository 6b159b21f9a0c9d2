"""One-page calculation sheets (计算单) for the case file: fees, lending interest, periods.

Each calculator's result becomes a ``CalculationSheet`` (plain data: what was
given, the working, the conclusion, the notes), which ``notices.calculation_sheet``
lays out on the court-document page. The sheet names the court, who computed it
and when, so a printed sheet in the file can be traced.
"""

from __future__ import annotations

from datetime import date

from courtdesk.domain.fees import FeeResult
from courtdesk.domain.lending import LendingResult
from courtdesk.domain.money import format_percent, format_yuan
from courtdesk.domain.periods import PeriodResult
from courtdesk.notices.calculation_sheet import (
    CalculationSheet,
    SheetSection,
    SheetTable,
    render_sheet,
)
from courtdesk.services.notices import font_stack, page_setup
from courtdesk.services.permissions import Permission, require
from courtdesk.services.workspace import Workspace

WEEKDAYS = "一二三四五六日"


def _weekday(day: date) -> str:
    return f"{day.isoformat()}（星期{WEEKDAYS[day.weekday()]}）"


def fee_sheet(result: FeeResult, court_name: str, prepared_by: str, on: date) -> CalculationSheet:
    facts = [("类别", result.kind.label)]
    if result.amount is not None:
        facts.append((result.kind.amount_label, f"{format_yuan(result.amount)} 元"))
    if result.kind.is_case_fee:
        facts.append(("审理程序", result.procedure.label))
    if result.reductions:
        facts.append(("减免事由", "、".join(result.reductions)))
    table = SheetTable(
        ("计算过程", "金额（元）"),
        tuple((line.text, format_yuan(line.amount)) for line in result.lines),
        (6.2, 1.0),
    )
    return CalculationSheet(
        court_name,
        "诉讼费用计算单",
        tuple(facts),
        (SheetSection("计算过程（《诉讼费用交纳办法》）", table=table),),
        f"应交纳{'案件受理费' if result.kind.is_case_fee else '申请费'} "
        f"{format_yuan(result.total)} 元",
        prepared_by,
        on,
        result.notes,
    )


def lending_sheet(
    result: LendingResult, court_name: str, prepared_by: str, on: date
) -> CalculationSheet:
    terms = result.terms
    loan_rate = "未约定" if terms.loan_rate is None else format_percent(terms.loan_rate)
    overdue_rate = "未约定" if terms.overdue_rate is None else format_percent(terms.overdue_rate)
    due = "未约定还款期限" if terms.due is None else f"还款期限 {terms.due.isoformat()}"
    filed = "" if terms.filed is None else f"；{terms.filed.isoformat()} 起诉"
    facts = (
        ("借款本金", f"{format_yuan(terms.principal)} 元"),
        ("合同与起诉", f"{terms.formed.isoformat()} 合同成立{filed}"),
        ("约定", f"借期内年利率 {loan_rate}；逾期年利率 {overdue_rate}；{due}"),
        ("计息期间", f"{terms.start.isoformat()} 至 {terms.end.isoformat()}"),
    )
    periods = SheetTable(
        ("期间", "天数", "本金", "约定", "支持", "利息"),
        tuple(
            (
                f"{p.first.isoformat()}至{p.last.isoformat()}（{p.phase.label}）",
                str(p.days),
                format_yuan(p.principal),
                format_percent(p.agreed_rate),
                format_percent(p.supported_rate),
                format_yuan(p.interest),
            )
            for p in result.periods
        ),
        (3.6, 0.7, 1.5, 0.8, 0.8, 1.3),
    )
    # The first cap line names the regime, which the lines after it spell out with
    # their articles; the sheet keeps only those to stay on one page.
    sections = [
        SheetSection("利率上限（民间借贷规定）", result.caps[1:]),
        SheetSection("分段计算（年利率，利息单位：元）", table=periods)
        if result.periods
        else SheetSection("分段计算", ("没有支持的利息",)),
    ]
    if result.repayments:
        sections.append(SheetSection("还款抵充", tuple(r.text for r in result.repayments)))
    sections.append(SheetSection("结果", tuple(result.summary())))
    return CalculationSheet(
        court_name,
        "民间借贷利息计算单",
        facts,
        tuple(sections),
        f"尚欠本息合计 {format_yuan(result.total_outstanding)} 元",
        prepared_by,
        on,
        result.notes,
    )


def period_sheet(
    result: PeriodResult, court_name: str, prepared_by: str, on: date
) -> CalculationSheet:
    length = "".join(
        part
        for part in (
            f"{result.months}个月" if result.months else "",
            f"{result.days}日" if result.days else "",
        )
        if part
    )
    facts = (
        ("起算日", f"{_weekday(result.start)}，当日不计入"),
        ("期间", length),
        ("类型", result.kind.label),
    )
    warning = ""
    if result.uncertain:
        years = "、".join(str(y) for y in result.weekends_only_years)
        warning = f"注意：{years} 年的法定节假日尚未录入，本结果仅按周末计算，请核实"
    return CalculationSheet(
        court_name,
        "期间计算单",
        facts,
        (SheetSection("计算过程", result.reasons),),
        f"期间届满日：{_weekday(result.last_day)}",
        prepared_by,
        on,
        (),
        warning,
    )


def _render(ws: Workspace, sheet: CalculationSheet) -> bytes:
    """On the court's page with the court's fonts (the notices settings)."""
    return render_sheet(sheet, page_setup(ws), font_stack(ws))


def fee_sheet_pdf(ws: Workspace, result: FeeResult) -> bytes:
    """The fee calculation sheet as PDF bytes."""
    require(ws.actor, Permission.USE_CALCULATORS)
    return _render(ws, fee_sheet(result, ws.court_name, ws.actor.display_name, date.today()))


def lending_sheet_pdf(ws: Workspace, result: LendingResult) -> bytes:
    """The lending interest calculation sheet as PDF bytes."""
    require(ws.actor, Permission.USE_CALCULATORS)
    return _render(ws, lending_sheet(result, ws.court_name, ws.actor.display_name, date.today()))


def period_sheet_pdf(ws: Workspace, result: PeriodResult) -> bytes:
    """The period calculation sheet as PDF bytes."""
    require(ws.actor, Permission.USE_CALCULATORS)
    return _render(ws, period_sheet(result, ws.court_name, ws.actor.display_name, date.today()))
