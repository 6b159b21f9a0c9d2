"""Litigation fees with the court's own figures (domain-rules.md section 5).

The rules are in ``domain/fees.py``; this module declares the settings a province
fixes inside the law's ranges (defaults: the law's lower bounds) and whether two
grounds for halving stack (default: halve once), reads them, and computes a fee.

For the 立案 form and other features::

    from courtdesk.services.fees import compute_fee
    result = compute_fee(ws, "property", Decimal("100000"), "civil_summary")
    result.total    # Decimal("1150.00")
    result.lines    # the working, band by band
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from courtdesk.domain.fees import (
    RANGES,
    Exemption,
    FeeKind,
    FeeProcedure,
    FeeResult,
    FeeSchedule,
    litigation_fee,
)
from courtdesk.services import settings
from courtdesk.services.permissions import Permission, require
from courtdesk.services.settings import Check, Setting
from courtdesk.services.workspace import Workspace

GROUP = "诉讼费"
HALVINGS_STACK = "fees.halvings_stack"


def _within(name: str) -> Check:
    limits = RANGES[name]

    def check(value: str) -> str | None:
        try:
            amount = Decimal(value)
        except InvalidOperation:
            return f"「{value}」不是金额"
        if not amount.is_finite():
            return f"「{value}」不是金额"
        # Out of range first: quantize() itself fails on a figure like 1E100.
        if limits.check(amount) is not None:
            return f"应在 {limits.low} 至 {limits.high} 元之间"
        if amount != amount.quantize(Decimal("0.01")):
            return f"「{value}」不是金额"
        return None

    return check


# The province's figure inside each range of the law, keyed by FeeSchedule field.
_RANGE_SETTINGS = {
    name: settings.declare(
        Setting(
            f"fees.{name}",
            f"{limits.what}（元）",
            str(limits.low),
            "decimal",
            help=f"《诉讼费用交纳办法》规定 {limits.low}–{limits.high} 元，由本省规定具体标准",
            check=_within(name),
            group=GROUP,
        )
    )
    for name, limits in RANGES.items()
}
settings.declare(
    Setting(
        HALVINGS_STACK,
        "两项减半事由可以叠加减半",
        "0",
        "bool",
        help="例如适用简易程序又调解结案：0 = 只减半一次（多数法院做法），1 = 再减半",
        group=GROUP,
    )
)


def fee_schedule(ws: Workspace | None) -> FeeSchedule:
    """The court's fee figures (the law's defaults without a workspace)."""
    if ws is None:
        return FeeSchedule()
    require(ws.actor, Permission.USE_CALCULATORS)
    values = {name: Decimal(settings.get(ws, s.key)) for name, s in _RANGE_SETTINGS.items()}
    return FeeSchedule(**values, halvings_stack=settings.get(ws, HALVINGS_STACK) == "1")


def compute_fee(
    ws: Workspace | None,
    kind: FeeKind | str,
    amount: Decimal | None = None,
    procedure: FeeProcedure | str = FeeProcedure.ORDINARY,
    *,
    mediated_or_withdrawn: bool = False,
    counterclaim: bool = False,
    exemption: Exemption | None = None,
) -> FeeResult:
    """The fee with this court's figures; see ``domain.fees.litigation_fee`` for the arguments."""
    return litigation_fee(
        kind,
        amount,
        procedure,
        mediated_or_withdrawn=mediated_or_withdrawn,
        counterclaim=counterclaim,
        exemption=exemption,
        schedule=fee_schedule(ws),
    )
