"""Private-lending interest caps (民间借贷规定 2020) and repayments, domain-rules.md §6."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from courtdesk.domain.lending import (
    Convention,
    LoanTerms,
    Phase,
    Regime,
    Repayment,
    compute_interest,
    regime_of,
)
from courtdesk.domain.lpr import LprFixing, LprTable, LprUnknownError, shipped_table
from courtdesk.errors import ValidationError

LPR = shipped_table()
LATE = date(2025, 12, 1)


def D(text: str | int) -> Decimal:
    return Decimal(str(text))


def loan(**changes: object) -> LoanTerms:
    values: dict[str, object] = {
        "principal": D(100_000),
        "formed": date(2021, 1, 1),
        "start": date(2021, 1, 1),
        "end": date(2022, 1, 1),
        "loan_rate": D(12),
    }
    values.update(changes)
    return LoanTerms(**values)  # type: ignore[arg-type]


def test_a_whole_year_below_the_cap() -> None:
    result = compute_interest(loan(), LPR)
    assert result.regime is Regime.NEW
    (period,) = result.periods
    assert (period.first, period.last, period.days) == (date(2021, 1, 1), date(2021, 12, 31), 365)
    assert period.supported_rate == 12 and period.interest == D("12000.00")
    assert result.total_outstanding == D("112000.00")
    assert "约定借期内年利率 12% 未超过上限，全部支持" in result.caps[-1]


def test_the_cap_is_four_times_the_lpr_at_formation() -> None:
    result = compute_interest(loan(loan_rate=D(24)), LPR)
    (period,) = result.periods
    # 2021-01-01: LPR 3.85 % (since 2020-04-20) → cap 15.4 %
    assert period.cap.rate == D("15.40") and period.supported_rate == D("15.40")
    assert period.interest == D("15400.00")
    assert "超过 15.4% 的部分不予支持" in result.caps[-1]
    assert "2020-04-20" in result.caps[1]


@pytest.mark.parametrize(
    ("formed", "cap"),
    [
        (date(2021, 12, 19), "15.40"),  # the day before a change: 3.85 %
        (date(2021, 12, 20), "15.20"),  # formed on the change date: the new 3.80 %
        (date(2022, 8, 21), "14.80"),
        (date(2022, 8, 22), "14.60"),  # 2022-08-22 change (the 20th was a Saturday)
        (date(2025, 5, 20), "12.00"),
    ],
)
def test_a_contract_formed_on_an_lpr_change_date_takes_the_new_rate(formed: date, cap: str) -> None:
    result = compute_interest(loan(formed=formed, start=formed, end=date(2025, 8, 1)), LPR)
    assert {p.cap.rate for p in result.periods} == {D(cap)}


def test_the_transition_dates() -> None:
    before = loan(formed=date(2020, 8, 19), start=date(2020, 8, 19), filed=date(2021, 6, 1))
    after = loan(formed=date(2020, 8, 20), start=date(2020, 8, 20))
    assert regime_of(before) is Regime.TRANSITION
    assert regime_of(after) is Regime.NEW
    assert regime_of(loan(formed=date(2020, 1, 1), filed=date(2020, 8, 19))) is Regime.OLD


def test_an_older_contract_sued_later_is_split_on_2020_08_20() -> None:
    terms = loan(
        formed=date(2020, 1, 1),
        start=date(2020, 1, 1),
        end=date(2021, 1, 1),
        loan_rate=D(30),
        filed=date(2022, 1, 20),  # LPR 3.70 % from that very day → cap 14.8 %
    )
    result = compute_interest(terms, LPR)
    old, new = result.periods
    assert (old.first, old.last, old.days) == (date(2020, 1, 1), date(2020, 8, 19), 232)
    assert (new.first, new.last, new.days) == (date(2020, 8, 20), date(2020, 12, 31), 134)
    assert old.supported_rate == 24 and new.supported_rate == D("14.80")
    assert old.interest == D("15254.79")  # 100,000 × 24 % × 232 / 365 = 15,254.794…
    assert old.voluntary_interest == D("3813.70")  # the 24–36 % zone: 6 % × 232 / 365
    assert new.interest == D("5433.42")  # 100,000 × 14.8 % × 134 / 365 = 5,433.424…
    assert new.voluntary_interest == 0
    assert result.interest_supported == D("20688.21")
    assert "起诉日 2022-01-20 一年期LPR 3.7%" in "".join(result.caps)


def test_the_old_rule_voids_interest_above_36_percent() -> None:
    terms = loan(
        formed=date(2019, 1, 1),
        start=date(2019, 1, 1),
        end=date(2020, 1, 1),
        loan_rate=D(40),
        filed=date(2020, 3, 1),
    )
    result = compute_interest(terms, LPR)
    assert result.regime is Regime.OLD
    (period,) = result.periods
    assert period.interest == D(24_000) and period.voluntary_interest == D(12_000)
    assert "超过 36% 的部分无效" in "".join(result.caps)


def test_an_older_contract_needs_the_filing_date() -> None:
    with pytest.raises(ValidationError, match="须填写起诉日") as caught:
        compute_interest(loan(formed=date(2020, 1, 1), start=date(2020, 1, 1)), LPR)
    assert caught.value.problems[0].field == "filed"
    # …unless every day is before 2020-08-20
    early = loan(formed=date(2020, 1, 1), start=date(2020, 1, 1), end=date(2020, 8, 20))
    assert compute_interest(early, LPR).periods[-1].last == date(2020, 8, 19)


def test_no_agreed_interest_means_none() -> None:
    result = compute_interest(loan(loan_rate=None), LPR)
    assert result.periods == () and result.interest_supported == 0
    assert any("第二十四条" in note for note in result.notes)


def test_overdue_interest_after_the_due_date() -> None:
    terms = loan(loan_rate=D(10), overdue_rate=D(20), due=date(2021, 6, 30))
    result = compute_interest(terms, LPR)
    loan_period, overdue = result.periods
    assert (loan_period.last, loan_period.phase) == (date(2021, 6, 30), Phase.LOAN)
    assert (overdue.first, overdue.phase) == (date(2021, 7, 1), Phase.OVERDUE)
    assert loan_period.days + overdue.days == 365
    assert overdue.agreed_rate == 20 and overdue.supported_rate == D("15.40")
    # without an agreed overdue rate the loan-period rate continues (§28)
    without_due = compute_interest(loan(loan_rate=D(10), overdue_rate=D(20)), LPR)
    assert len(without_due.periods) == 1 and any("未填写还款期限" in n for n in without_due.notes)
    plain = compute_interest(loan(loan_rate=D(10), due=date(2021, 6, 30)), LPR)
    assert plain.periods[1].supported_rate == 10
    assert any("按借期内利率" in note for note in plain.notes)


def test_repayments_pay_interest_first_then_principal() -> None:
    terms = loan(
        repayments=(
            Repayment(date(2021, 7, 1), D(10_000)),  # interest 1.1–30.6: 181 days = 5,950.68
            Repayment(date(2021, 10, 1), D(2_000)),  # interest 1.7–30.9 on 95,950.68
        )
    )
    result = compute_interest(terms, LPR)
    first, second = result.repayments
    assert first.to_interest == D("5950.68") and first.to_principal == D("4049.32")
    assert first.principal_after == D("95950.68")
    # 95,950.68 × 12 % × 92 / 365 = 2,902.16…
    assert second.to_interest == D("2000.00") and second.to_principal == 0
    assert [p.days for p in result.periods] == [181, 92, 92]
    assert result.periods[2].principal == D("95950.68")
    assert result.interest_outstanding == result.interest_supported - D("7950.68")
    assert result.principal_outstanding == D("95950.68")
    assert "抵充利息 5,950.68 元，抵充本金 4,049.32 元" in first.text


def test_principal_first_when_the_parties_agreed() -> None:
    terms = loan(repayments=(Repayment(date(2021, 7, 1), D(10_000)),), principal_first=True)
    (applied,) = compute_interest(terms, LPR).repayments
    assert applied.to_principal == D(10_000) and applied.to_interest == 0
    assert applied.principal_after == D(90_000)


def test_paying_everything_stops_the_interest_and_overpayment_is_shown() -> None:
    terms = loan(repayments=(Repayment(date(2021, 7, 1), D(110_000)),))
    result = compute_interest(terms, LPR)
    (applied,) = result.repayments
    assert applied.principal_after == 0 and applied.overpaid == D("4049.32")
    assert len(result.periods) == 1 and result.total_outstanding == 0
    assert "多付 4,049.32 元" in applied.text


def test_paying_above_the_cap_reduces_the_principal() -> None:
    # 24 % agreed, 15.4 % supported: what was paid as interest beyond the cap goes to principal.
    terms = loan(loan_rate=D(24), repayments=(Repayment(date(2021, 2, 1), D(2_000)),))
    (applied,) = compute_interest(terms, LPR).repayments
    assert applied.to_interest == D("1307.95")  # 100,000 × 15.4 % × 31 / 365
    assert applied.to_principal == D("692.05")


def test_old_rule_voluntary_interest_is_kept_when_paid() -> None:
    terms = loan(
        formed=date(2019, 1, 1),
        start=date(2019, 1, 1),
        end=date(2020, 1, 1),
        loan_rate=D(30),
        filed=date(2020, 3, 1),
        repayments=(Repayment(date(2019, 7, 1), D(20_000)),),
    )
    (applied,) = compute_interest(terms, LPR).repayments
    # 181 days: 24 % → 11,901.37, 24–30 % → 2,975.34, the rest to principal
    assert applied.to_interest == D("11901.37") and applied.to_voluntary == D("2975.34")
    assert applied.to_principal == D("5123.29")


def test_conventions_day_basis_and_end_day() -> None:
    terms = loan(end=date(2021, 1, 31))
    assert compute_interest(terms, LPR).periods[0].days == 30
    counted = compute_interest(terms, LPR, Convention(include_end_day=True))
    assert counted.periods[0].days == 31
    basis = compute_interest(loan(), LPR, Convention(day_basis=360))
    assert basis.periods[0].interest == D("12166.67")  # 100,000 × 12 % × 365 / 360


def test_a_date_after_the_last_known_lpr_names_the_missing_month() -> None:
    late = loan(formed=date(2025, 9, 25), start=date(2025, 9, 25), end=date(2025, 12, 1))
    with pytest.raises(LprUnknownError, match="缺少 2025年8月至2025年9月 的报价"):
        compute_interest(late, LPR)
    with pytest.raises(LprUnknownError, match="缺少 2025年8月 的报价"):
        compute_interest(loan(formed=date(2025, 8, 20), start=date(2025, 8, 20), end=LATE), LPR)
    # the last covered day works
    ok = loan(formed=date(2025, 8, 19), start=date(2025, 8, 19), end=date(2025, 9, 1))
    assert compute_interest(ok, LPR).periods[0].cap.rate == 12
    # once the court enters the August fixing, the date is known
    extended = LprTable.combine(LPR.fixings, [LprFixing(date(2025, 8, 20), D("2.95"), "admin")])
    result = compute_interest(
        loan(formed=date(2025, 8, 20), start=date(2025, 8, 20), end=LATE), extended
    )
    assert result.periods[0].cap.rate == D("11.80")


@pytest.mark.parametrize(
    ("changes", "field", "needle"),
    [
        ({"principal": D(0)}, "principal", "借款本金必须大于零"),
        ({"principal": D(-5)}, "principal", "借款本金必须大于零"),
        ({"end": date(2021, 1, 1)}, "end", "计算截止日应晚于计息起始日"),
        ({"start": date(2020, 12, 1)}, "start", "计息起始日不能早于合同成立日"),
        ({"loan_rate": D(-1)}, "loan_rate", "借期内年利率"),
        (
            {"repayments": (Repayment(date(2023, 1, 1), D(5)),)},
            "repayments.1",
            "不在计息期间",
        ),
        ({"repayments": (Repayment(date(2021, 5, 1), D(0)),)}, "repayments.1", "大于零"),
        # Too large to round to the fen (found by tests/properties): refused, not a crash.
        ({"principal": D("1E+26")}, "principal", "借款本金金额过大"),
        (
            {"repayments": (Repayment(date(2021, 5, 1), D("1E+26")),)},
            "repayments.1",
            "还款金额过大",
        ),
    ],
)
def test_bad_terms_are_refused_naming_the_field(
    changes: dict[str, object], field: str, needle: str
) -> None:
    with pytest.raises(ValidationError, match=needle) as caught:
        compute_interest(loan(**changes), LPR)
    assert field in {p.field for p in caught.value.problems}
