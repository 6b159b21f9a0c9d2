from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

import pytest

from courtdesk.domain.lending import LoanTerms
from courtdesk.domain.lpr import LprUnknownError
from courtdesk.errors import NotFoundError, PermissionDeniedError, ValidationError
from courtdesk.services import holidays, lending, settings
from courtdesk.services.workspace import Workspace


def late_loan() -> LoanTerms:
    return LoanTerms(
        Decimal(100_000), date(2025, 8, 25), date(2025, 8, 25), date(2026, 8, 25), Decimal(20)
    )


def audit_actions(ws: Workspace) -> list[str]:
    with sqlite3.connect(ws.path) as conn:
        return [r[0] for r in conn.execute("SELECT action FROM audit_log ORDER BY id")]


def test_the_administrator_extends_the_lpr_table(
    system_ws: Workspace, registrar: Workspace
) -> None:
    with pytest.raises(LprUnknownError, match="缺少 2025年8月 的报价"):
        lending.interest(registrar, late_loan())
    with pytest.raises(PermissionDeniedError):
        lending.enter_lpr(registrar, date(2025, 8, 20), Decimal("3.00"))
    lending.enter_lpr(system_ws, date(2025, 8, 20), Decimal("2.90"))
    result = lending.interest(registrar, late_loan())
    assert result.periods[0].cap.rate == Decimal("11.60")
    assert lending.lpr_table(registrar).known_through == date(2025, 9, 19)
    # replace, then delete: each audited
    lending.enter_lpr(system_ws, date(2025, 8, 20), Decimal("3.00"))
    assert lending.lpr_table(registrar).last_fixing.rate == Decimal("3.00")
    lending.delete_lpr(system_ws, date(2025, 8, 20))
    assert audit_actions(system_ws)[-3:] == ["lpr.enter", "lpr.enter", "lpr.delete"]
    with pytest.raises(NotFoundError, match="内置数据不能删除"):
        lending.delete_lpr(system_ws, date(2025, 5, 20))


def test_bad_fixings_are_refused(system_ws: Workspace) -> None:
    with pytest.raises(ValidationError, match="LPR 每月 20 日") as caught:
        lending.enter_lpr(system_ws, date(2025, 8, 5), Decimal("3.00"))
    assert caught.value.problems[0].field == "day"
    with pytest.raises(ValidationError, match="不合理"):
        lending.enter_lpr(system_ws, date(2025, 8, 20), Decimal("30"))
    with pytest.raises(ValidationError, match="两位小数"):
        lending.enter_lpr(system_ws, date(2025, 8, 20), Decimal("3.001"))


def test_the_court_s_counting_convention(system_ws: Workspace, registrar: Workspace) -> None:
    terms = LoanTerms(
        Decimal(100_000), date(2021, 1, 1), date(2021, 1, 1), date(2021, 1, 31), Decimal(12)
    )
    assert lending.interest(registrar, terms).periods[0].days == 30
    settings.put(system_ws, lending.INCLUDE_END_DAY, "1")
    settings.put(system_ws, lending.DAY_BASIS, "360")
    period = lending.interest(registrar, terms).periods[0]
    assert period.days == 31 and period.interest == Decimal("1033.33")  # × 31 / 360
    with pytest.raises(ValidationError, match="只能是 365 或 360"):
        settings.put(system_ws, lending.DAY_BASIS, "300")


def test_importing_a_year_and_showing_it(system_ws: Workspace, registrar: Workspace) -> None:
    before = holidays.year_schedule(registrar, 2027)
    assert before.source == "none" and before.days == ()
    assert "仅按周末计算" in before.source_label
    assert holidays.year_schedule(registrar, 2026).source == "package"
    text = "2027-01-01~2027-01-03,休,元旦\n"
    with pytest.raises(PermissionDeniedError):
        holidays.import_year(registrar, 2027, text)
    with pytest.raises(ValidationError, match="第 1 行"):
        holidays.import_year(system_ws, 2027, "2027-01-0x,休,元旦")
    assert holidays.year_schedule(registrar, 2027).source == "none"  # nothing half-stored
    assert holidays.import_year(system_ws, 2027, text) == 3
    after = holidays.year_schedule(registrar, 2027)
    assert after.source == "court" and len(after.days) == 3
    assert "本院录入" in after.source_label
    result = holidays.period(registrar, date(2026, 12, 17), days=15)
    assert result.last_day == date(2027, 1, 4) and not result.uncertain
    assert "holidays.enter_year" in audit_actions(system_ws)
