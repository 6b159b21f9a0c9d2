from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

import pytest

from courtdesk.domain.parties import PartyDraft
from courtdesk.errors import PermissionDeniedError, ValidationError
from courtdesk.services import cases, events, holidays, settings
from courtdesk.services.cases import CaseDraft
from courtdesk.services.workspace import Workspace


def small_case() -> CaseDraft:
    return CaseDraft(
        "民初",
        "civil_summary",
        "买卖合同纠纷",
        date(2026, 11, 20),
        (PartyDraft("原告", "甲"), PartyDraft("被告", "乙")),
        Decimal(1000),
    )


def test_a_subscriber_runs_inside_the_transaction_and_can_veto(registrar: Workspace) -> None:
    seen: list[int] = []

    def record(conn: sqlite3.Connection, actor: object, case_id: int) -> None:
        assert conn.in_transaction
        seen.append(case_id)

    def veto(conn: sqlite3.Connection, actor: object, case_id: int) -> None:
        raise RuntimeError("refused")

    events.subscribe("case.registered", record)
    try:
        detail = cases.register_case(registrar, small_case())
        assert seen == [detail.id]
        events.subscribe("case.registered", veto)
        with sqlite3.connect(registrar.path) as conn:
            before = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        with pytest.raises(RuntimeError):
            cases.register_case(registrar, small_case())
        with sqlite3.connect(registrar.path) as conn:
            assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == before
    finally:
        events.unsubscribe("case.registered", record)
        events.unsubscribe("case.registered", veto)


def test_settings_are_checked_audited_and_need_the_administrator(
    system_ws: Workspace, registrar: Workspace
) -> None:
    settings.declare(
        settings.Setting("test.days", "测试天数", "15", "int", check=settings.int_range(1, 90))
    )
    assert settings.get_int(system_ws, "test.days") == 15
    settings.put(system_ws, "test.days", " 20 ")
    assert settings.get_int(system_ws, "test.days") == 20
    with pytest.raises(ValidationError, match="测试天数应在 1 到 90 之间"):
        settings.put(system_ws, "test.days", "0")
    with pytest.raises(ValidationError, match="不是整数"):
        settings.put(system_ws, "test.days", "abc")
    with pytest.raises(PermissionDeniedError):
        settings.put(registrar, "test.days", "30")
    with sqlite3.connect(system_ws.path) as conn:
        rows = conn.execute(
            "SELECT changes FROM audit_log WHERE action = 'settings.put'"
        ).fetchall()
    assert len(rows) == 1 and '"20"' in rows[0][0]


def test_court_entered_holiday_year(system_ws: Workspace) -> None:
    before = holidays.period(system_ws, date(2026, 12, 17), days=15)
    assert before.uncertain
    days = [
        (date(2027, 1, 1), False, "元旦"),
        (date(2027, 1, 2), False, "元旦"),
        (date(2027, 1, 3), False, "元旦"),
    ]
    assert holidays.enter_year(system_ws, 2027, days) == 3
    after = holidays.period(system_ws, date(2026, 12, 17), days=15)
    assert after.last_day == date(2027, 1, 4) and not after.uncertain
    with pytest.raises(ValidationError, match="不在 2027 年内"):
        holidays.enter_year(system_ws, 2027, [(date(2028, 1, 1), False, "元旦")])


def test_every_declaring_module_is_listed() -> None:
    """The settings dialog lists declared settings; a module missing from SETTING_MODULES
    would leave its settings out whenever its screen had not been opened yet."""
    import ast
    from pathlib import Path

    import courtdesk

    package = Path(courtdesk.__file__).parent
    declaring = set()
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", "")) == "declare"
            ):
                module = ".".join(path.relative_to(package.parent).with_suffix("").parts)
                if module != "courtdesk.services.settings":
                    declaring.add(module)
    assert declaring <= set(settings.SETTING_MODULES)
    keys = {s.key for s in settings.declared()}
    assert {"fees.halvings_stack", "time_limit.near_expiry_days"} <= keys
