"""Litigation fees against 《诉讼费用交纳办法》 and the worked values of domain-rules.md §5."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courtdesk.domain.fees import (
    Exemption,
    FeeKind,
    FeeProcedure,
    FeeSchedule,
    litigation_fee,
    property_fee,
    suggest_kind,
)
from courtdesk.errors import ValidationError


def D(text: str | int) -> Decimal:
    return Decimal(str(text))


@pytest.mark.parametrize(
    ("amount", "fee"),
    [
        ("100000", "2300"),  # worked value of domain-rules.md
        ("1000000", "13800"),  # worked value of domain-rules.md
        ("0.01", "50"),
        ("10000", "50"),  # band edge: exactly 10,000 is still the flat fee
        ("10000.01", "50.00"),  # 0.01 × 2.5 % rounds to nothing
        ("10040", "51"),
        ("100000.01", "2300.00"),
        ("200000", "4300"),
        ("500000", "8800"),
        ("2000000", "22800"),
        ("5000000", "46800"),
        ("10000000", "81800"),
        ("20000000", "141800"),  # band edge: exactly 20,000,000
        ("20000100", "141800.50"),
        ("123456.78", "2769.14"),  # 2,300 + 23,456.78 × 2 % = 469.1356 → 469.14
    ],
)
def test_property_fee_band_by_band(amount: str, fee: str) -> None:
    assert property_fee(D(amount)) == D(fee)


def test_the_working_shows_each_band() -> None:
    result = litigation_fee(FeeKind.PROPERTY, D(1_000_000))
    assert [line.amount for line in result.lines] == [
        D(50),
        D(2250),
        D(2000),
        D(4500),
        D(5000),
    ]
    assert sum(line.amount for line in result.lines) == result.total
    assert result.lines[1].base == D(90_000) and result.lines[1].rate == D("0.025")
    text = result.explain()
    assert text[1] == "超过 10,000 元至 100,000 元的部分 90,000.00 元 × 2.5% = 2,250.00 元"
    assert text[-1] == "应交纳 13,800.00 元"
    top = litigation_fee(FeeKind.PROPERTY, D(30_000_000)).lines[-1]
    assert top.text == "超过 20,000,000 元的部分 10,000,000.00 元 × 0.5% = 50,000.00 元"


@pytest.mark.parametrize("amount", ["0", "-1", "-100000", "0.00"])
def test_zero_and_negative_amounts_are_refused(amount: str) -> None:
    with pytest.raises(ValidationError, match="诉讼标的额必须大于零") as caught:
        litigation_fee(FeeKind.PROPERTY, D(amount))
    assert caught.value.problems[0].field == "amount"


def test_a_property_case_needs_an_amount_and_fen_are_the_limit() -> None:
    with pytest.raises(ValidationError, match="请填写诉讼标的额"):
        litigation_fee(FeeKind.PROPERTY, None)
    with pytest.raises(ValidationError, match="两位小数"):
        litigation_fee(FeeKind.PROPERTY, D("100.001"))
    with pytest.raises(ValidationError, match="按件交纳"):
        litigation_fee(FeeKind.LABOUR, D(100))
    with pytest.raises(ValidationError, match="保全财产数额必须大于零"):
        litigation_fee(FeeKind.PRESERVATION, D(0))


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(min_value=D("0.01"), max_value=D("1e11"), places=2),
    st.decimals(min_value=D("0.01"), max_value=D("1e6"), places=2),
)
def test_property_fee_is_continuous_and_never_decreases(amount: Decimal, more: Decimal) -> None:
    lower, higher = property_fee(amount), property_fee(amount + more)
    assert higher >= lower
    # No jump anywhere: a larger claim costs at most 2.5 % of the difference (the
    # steepest band) plus a fen of rounding.
    assert higher - lower <= more * D("0.025") + D("0.01")


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([10_000, 100_000, 200_000, 500_000, 1_000_000, 20_000_000]))
def test_no_step_at_any_band_edge(edge: int) -> None:
    below, at, above = (property_fee(D(edge) + D(delta)) for delta in ("-0.01", "0", "0.01"))
    assert below <= at <= above and above - below <= D("0.01")


def test_halving_for_mediation_summary_procedure_and_counterclaims() -> None:
    assert litigation_fee("property", D(100_000), mediated_or_withdrawn=True).total == D(1150)
    assert litigation_fee("property", D(100_000), "summary").total == D(1150)
    assert litigation_fee("property", D(100_000), "civil_small_claims").total == D(1150)
    assert litigation_fee("property", D(100_000), counterclaim=True).total == D(1150)
    # 50.01 ÷ 2 = 25.005 → 25.01 (half up)
    odd = litigation_fee("property", D("10000.40"), "summary")
    assert odd.full_fee == D("50.01") and odd.total == D("25.01")


def test_two_halvings_do_not_stack_unless_the_court_says_so() -> None:
    once = litigation_fee("property", D(100_000), "summary", mediated_or_withdrawn=True)
    assert once.total == D(1150)
    assert once.reductions == ("适用简易程序审理",)
    assert "只适用一次" in once.notes[0]
    stacked = litigation_fee(
        "property",
        D(100_000),
        "summary",
        mediated_or_withdrawn=True,
        schedule=FeeSchedule(halvings_stack=True),
    )
    assert stacked.total == D(575) and len(stacked.reductions) == 2 and not stacked.notes


def test_no_fee_cases() -> None:
    special = litigation_fee(FeeKind.NON_PROPERTY, None, FeeProcedure.SPECIAL)
    assert special.total == 0 and special.full_fee == D(50)
    assert "第八条第（一）项" in special.lines[-1].text
    dismissed = litigation_fee("property", D(500_000), exemption=Exemption.DISMISSED)
    assert dismissed.total == 0 and "第八条第（二）项" in dismissed.explain()[-2]
    with pytest.raises(ValidationError, match="只适用于案件受理费"):
        litigation_fee(FeeKind.ENFORCEMENT, D(100), exemption=Exemption.DISMISSED)


def test_non_property_cases_use_the_province_figures() -> None:
    schedule = FeeSchedule(
        divorce=D(200), personality=D(300), non_property=D(80), ip_without_amount=D(800)
    )
    assert litigation_fee("divorce", schedule=schedule).total == D(200)
    # divorce: 0.5 % of the property above 200,000
    assert litigation_fee("divorce", D(200_000), schedule=schedule).total == D(200)
    assert litigation_fee("divorce", D(300_000), schedule=schedule).total == D(700)
    # personality: 1 % from 50,000 to 100,000 and 0.5 % above
    assert litigation_fee("personality", D(50_000), schedule=schedule).total == D(300)
    assert litigation_fee("personality", D(80_000), schedule=schedule).total == D(600)
    assert litigation_fee("personality", D(150_000), schedule=schedule).total == D(1050)
    assert litigation_fee("non_property", schedule=schedule).total == D(80)
    assert litigation_fee("ip", schedule=schedule).total == D(800)
    assert litigation_fee("labour").total == D(10)
    assert litigation_fee("labour", procedure="summary").total == D(5)
    assert litigation_fee("administrative").total == D(50)
    assert litigation_fee("administrative_special").total == D(100)
    assert litigation_fee("jurisdiction_objection").total == D(50)


def test_province_figures_outside_the_law_are_refused() -> None:
    with pytest.raises(ValidationError, match="离婚案件每件应在 50 至 300 元之间"):
        litigation_fee("divorce", schedule=FeeSchedule(divorce=D(301)))


@pytest.mark.parametrize(
    ("amount", "fee"),
    [
        (None, "50"),
        ("10000", "50"),
        ("500000", "7400"),  # 50 + 490,000 × 1.5 %
        ("5000000", "52400"),  # + 4,500,000 × 1 %
        ("10000000", "77400"),  # + 5,000,000 × 0.5 %
        ("20000000", "87400"),  # + 10,000,000 × 0.1 %
    ],
)
def test_enforcement_applications(amount: str | None, fee: str) -> None:
    value = None if amount is None else D(amount)
    assert litigation_fee(FeeKind.ENFORCEMENT, value).total == D(fee)
    # applications are not halved by the summary procedure
    assert litigation_fee(FeeKind.ENFORCEMENT, value, "summary").total == D(fee)


@pytest.mark.parametrize(
    ("amount", "fee"),
    [
        (None, "30"),
        ("1000", "30"),
        ("100000", "1020"),  # 30 + 99,000 × 1 %
        ("500000", "3020"),  # + 400,000 × 0.5 %
        ("896000", "5000"),  # exactly reaches the cap
        ("10000000", "5000"),  # capped at 5,000
    ],
)
def test_preservation_is_capped_at_5000(amount: str | None, fee: str) -> None:
    value = None if amount is None else D(amount)
    result = litigation_fee(FeeKind.PRESERVATION, value)
    assert result.total == D(fee)
    assert sum(line.amount for line in result.lines) == result.total


def test_payment_order_public_summons_arbitration_and_bankruptcy() -> None:
    order = litigation_fee(FeeKind.PAYMENT_ORDER, D(100_000))
    assert order.total == D("766.67") and "1/3" in order.lines[-1].text
    assert litigation_fee(FeeKind.PUBLIC_SUMMONS).total == D(100)
    assert litigation_fee(FeeKind.ARBITRATION).total == D(400)
    assert litigation_fee(FeeKind.BANKRUPTCY, D(1_000_000)).total == D(6900)
    assert litigation_fee(FeeKind.BANKRUPTCY, D(200_000_000)).total == D(300_000)


def test_to_dict_is_plain_json() -> None:
    data = litigation_fee("property", D(100_000), "summary").to_dict()
    assert data["total"] == "1150.00" and data["procedure"] == "summary"
    assert data["lines"][1]["rate"] == "2.5%"  # type: ignore[index]


def test_procedure_codes_of_the_case_are_understood() -> None:
    assert FeeProcedure.of("civil_ordinary") is FeeProcedure.ORDINARY
    assert FeeProcedure.of("civil_appeal_judgment") is FeeProcedure.ORDINARY
    assert FeeProcedure.of("civil_small_claims") is FeeProcedure.SUMMARY
    assert FeeProcedure.of("civil_special") is FeeProcedure.SPECIAL
    assert FeeProcedure.of(" summary ") is FeeProcedure.SUMMARY


def test_unknown_procedure_is_refused() -> None:
    with pytest.raises(ValidationError, match="不认识的审理程序"):
        litigation_fee("property", D(1), "fast")


def test_suggested_kinds() -> None:
    assert suggest_kind("民初", "民间借贷纠纷", has_amount=True) is FeeKind.PROPERTY
    assert suggest_kind("民初", "离婚纠纷") is FeeKind.DIVORCE
    assert suggest_kind("民初", "劳动争议") is FeeKind.LABOUR
    assert suggest_kind("民初", "名誉权纠纷") is FeeKind.PERSONALITY
    assert suggest_kind("民初", "相邻关系纠纷") is FeeKind.NON_PROPERTY
    assert suggest_kind("执", "") is FeeKind.ENFORCEMENT
    assert suggest_kind("行初", "") is FeeKind.ADMINISTRATIVE
    assert suggest_kind("刑初", "") is None
