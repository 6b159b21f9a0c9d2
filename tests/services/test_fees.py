from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from courtdesk.errors import PermissionDeniedError, ValidationError
from courtdesk.services import settings
from courtdesk.services.fees import HALVINGS_STACK, compute_fee, fee_schedule
from courtdesk.services.workspace import Workspace


def test_the_law_s_lower_bounds_are_the_defaults(registrar: Workspace) -> None:
    schedule = fee_schedule(registrar)
    assert schedule.divorce == 50 and schedule.personality == 100
    assert not schedule.halvings_stack
    assert compute_fee(registrar, "divorce").total == Decimal(50)
    assert compute_fee(None, "property", Decimal(100_000)).total == Decimal(2300)


def test_the_court_sets_its_province_s_figures(system_ws: Workspace, registrar: Workspace) -> None:
    settings.put(system_ws, "fees.divorce", "200")
    settings.put(system_ws, HALVINGS_STACK, "1")
    assert compute_fee(registrar, "divorce").total == Decimal(200)
    both = compute_fee(
        registrar, "property", Decimal(100_000), "civil_summary", mediated_or_withdrawn=True
    )
    assert both.total == Decimal(575)
    with pytest.raises(ValidationError, match="离婚案件每件（元）应在 50 至 300 元之间"):
        settings.put(system_ws, "fees.divorce", "400")
    with pytest.raises(ValidationError, match="不是金额"):
        settings.put(system_ws, "fees.divorce", "两百")
    with pytest.raises(PermissionDeniedError):
        settings.put(registrar, "fees.divorce", "100")
    with sqlite3.connect(system_ws.path) as conn:
        audited = conn.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'settings.put'"
        ).fetchone()[0]
    assert audited == 2
