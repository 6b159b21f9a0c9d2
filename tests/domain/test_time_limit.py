"""Every row of domain-rules.md section 2, with extensions, excluded periods and conversions.

Expected dates are counted by hand: the limit runs from the day after filing,
months end on the corresponding day or the month's last day (民法典 §202), and an
excluded period pushes the expiry back by its days (first and last day included).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from courtdesk.domain.procedures import PROCEDURES, Limit
from courtdesk.domain.time_limit import (
    EXTENSION_RULES,
    Approver,
    Exclusion,
    ExclusionKind,
    Extension,
    TimeLimitInputs,
    TimeLimitState,
    check_extension,
    compute,
    conversion,
    excluded_days_between,
    next_step,
    trial_days,
)
from courtdesk.errors import ValidationError

FILED_MONTH_END = date(2026, 8, 31)
P, H, HH, S = (
    Approver.PRESIDENT,
    Approver.HIGHER_COURT,
    Approver.HIGH_COURT,
    Approver.SUPREME_COURT,
)
NOTICE = ExclusionKind.PUBLIC_NOTICE

# (procedure, base expiry, [(extension, approver)], expiry after those extensions)
ROWS = [
    ("civil_ordinary", date(2027, 2, 28), [(Limit(months=6), P)], date(2027, 8, 31)),
    ("civil_summary", date(2026, 11, 30), [(Limit(months=1), P)], date(2026, 12, 31)),
    ("civil_small_claims", date(2026, 10, 31), [(Limit(months=1), P)], date(2026, 11, 30)),
    ("civil_appeal_judgment", date(2026, 11, 30), [(Limit(months=3), P)], date(2027, 2, 28)),
    ("civil_appeal_ruling", date(2026, 9, 30), [], date(2026, 9, 30)),
    ("civil_special", date(2026, 9, 30), [(Limit(days=30), P)], date(2026, 10, 30)),
    (
        "criminal_public",
        date(2026, 10, 31),
        [(Limit(months=1), P), (Limit(months=3), H)],
        date(2027, 2, 28),
    ),
    ("criminal_summary", date(2026, 9, 20), [], date(2026, 9, 20)),
    ("criminal_summary_long", date(2026, 10, 15), [], date(2026, 10, 15)),
    ("criminal_fast_track", date(2026, 9, 10), [], date(2026, 9, 10)),
    ("criminal_fast_track_long", date(2026, 9, 15), [], date(2026, 9, 15)),
    ("criminal_appeal", date(2026, 10, 31), [(Limit(months=2), HH)], date(2026, 12, 31)),
    ("admin_first", date(2027, 2, 28), [(Limit(months=3), HH)], date(2027, 5, 31)),
    ("admin_summary", date(2026, 10, 15), [], date(2026, 10, 15)),
    ("admin_appeal", date(2026, 11, 30), [(Limit(months=3), HH)], date(2027, 2, 28)),
    ("enforcement", date(2027, 2, 28), [(Limit(months=3), P)], date(2027, 5, 31)),
]


def result(
    procedure: str,
    extensions=(),
    exclusions=(),
    as_of=FILED_MONTH_END,
    start=FILED_MONTH_END,
    closed=None,
):  # type: ignore[no-untyped-def]
    return compute(
        TimeLimitInputs(procedure, start, tuple(extensions), tuple(exclusions), closed), as_of
    )


@pytest.mark.parametrize(("procedure", "base", "extensions", "extended"), ROWS)
def test_each_row_filed_on_31_august_with_its_extensions_and_a_notice_period(
    procedure: str, base: date, extensions: list[tuple[Limit, Approver]], extended: date
) -> None:
    assert result(procedure).expiry == base
    approved: list[Extension] = []
    for length, approver in extensions:
        step = check_extension(procedure, FILED_MONTH_END, approved, length)
        assert step.approver is approver
        approved.append(Extension(length, approver))
    assert result(procedure, approved).expiry == extended
    # A 30-day 公告 (10 September – 9 October, both counted) moves the expiry 30 days.
    notice = Exclusion(NOTICE, date(2026, 9, 10), date(2026, 10, 9))
    with_notice = result(procedure, approved, [notice], as_of=date(2026, 10, 10))
    assert with_notice.expiry == extended + timedelta(days=30)
    assert with_notice.excluded_days == 30


def test_every_procedure_with_a_limit_has_an_extension_rule() -> None:
    tracked = {code for code, p in PROCEDURES.items() if p.base_limit is not None}
    assert tracked <= set(EXTENSION_RULES)
    assert {r[0] for r in ROWS} | {"criminal_private"} == tracked


@pytest.mark.parametrize(
    "procedure",
    [
        "civil_appeal_ruling",
        "criminal_summary",
        "criminal_summary_long",
        "criminal_fast_track",
        "criminal_fast_track_long",
        "admin_summary",
    ],
)
def test_limits_the_law_does_not_let_anyone_extend(procedure: str) -> None:
    with pytest.raises(ValidationError, match="不能延长"):
        check_extension(procedure, FILED_MONTH_END, [], Limit(days=10))


def test_untracked_procedures_need_no_extension() -> None:
    with pytest.raises(ValidationError, match="不计审限"):
        check_extension("preservation", FILED_MONTH_END, [], Limit(days=10))
    untracked = result("civil_other")
    assert untracked.state is TimeLimitState.UNTRACKED and untracked.expiry is None


def test_summary_procedure_total_never_above_four_months() -> None:
    start = FILED_MONTH_END
    # The president may give 20 days, then at most what is left of the month.
    first = Extension(Limit(days=20), P)
    assert check_extension("civil_summary", start, [], Limit(days=20)).approver is P
    with pytest.raises(ValidationError, match="累计不得超过1个月"):
        check_extension("civil_summary", start, [first], Limit(days=15))
    assert check_extension("civil_summary", start, [first], Limit(days=10)).approver is P
    full = [Extension(Limit(months=1), P)]
    assert next_step("civil_summary", start, full) is None
    with pytest.raises(ValidationError, match="已达上限"):
        check_extension("civil_summary", start, full, Limit(days=1))
    with pytest.raises(ValidationError, match="累计不得超过1个月"):
        check_extension("civil_summary", start, [], Limit(months=2))


def test_ordinary_procedure_president_six_months_then_the_higher_court() -> None:
    start = date(2026, 3, 10)
    assert result("civil_ordinary", start=start).expiry == date(2026, 9, 10)
    with pytest.raises(ValidationError, match="上一级人民法院"):
        check_extension("civil_ordinary", start, [], Limit(months=7))
    half = [Extension(Limit(months=3), P)]
    assert check_extension("civil_ordinary", start, half, Limit(months=3)).approver is P
    used = [Extension(Limit(months=6), P)]
    step = check_extension("civil_ordinary", start, used, Limit(months=3))
    assert step.approver is H and step.approver.is_external
    both = [*used, Extension(Limit(months=3), H)]
    assert result("civil_ordinary", both, start=start).expiry == date(2027, 6, 10)
    # The higher court may extend again, as its reply says.
    assert check_extension("civil_ordinary", start, both, Limit(months=2)).approver is H


def test_criminal_public_two_months_at_most_three_then_higher_court_then_supreme_court() -> None:
    start = date(2026, 1, 31)
    assert result("criminal_public", start=start).expiry == date(2026, 3, 31)
    with pytest.raises(ValidationError, match="上一级人民法院"):
        check_extension("criminal_public", start, [], Limit(months=2))
    one = [Extension(Limit(months=1), P)]
    assert result("criminal_public", one, start=start).expiry == date(2026, 4, 30)
    assert check_extension("criminal_public", start, one, Limit(months=3)).approver is H
    with pytest.raises(ValidationError, match="累计不得超过3个月"):
        check_extension("criminal_public", start, one, Limit(months=4))
    two = [*one, Extension(Limit(months=3), H)]
    assert result("criminal_public", two, start=start).expiry == date(2026, 7, 31)
    assert check_extension("criminal_public", start, two, Limit(months=1)).approver is S


def test_small_claims_and_enforcement_caps() -> None:
    with pytest.raises(ValidationError, match="累计不得超过1个月"):
        check_extension("civil_small_claims", FILED_MONTH_END, [], Limit(days=31))
    assert check_extension("civil_small_claims", FILED_MONTH_END, [], Limit(days=30)).approver is P
    three = [Extension(Limit(months=3), P)]
    with pytest.raises(ValidationError, match="已达上限"):
        check_extension("enforcement", FILED_MONTH_END, three, Limit(days=1))
    with pytest.raises(ValidationError, match="正数"):
        check_extension("enforcement", FILED_MONTH_END, [], Limit())


def test_criminal_appeal_high_court_two_months_then_supreme_court() -> None:
    first = [Extension(Limit(months=2), HH)]
    with pytest.raises(ValidationError, match="累计不得超过2个月"):
        check_extension("criminal_appeal", FILED_MONTH_END, [], Limit(months=3))
    assert check_extension("criminal_appeal", FILED_MONTH_END, first, Limit(months=2)).approver is S


def test_month_end_filings_extend_from_the_filing_date_not_from_the_old_expiry() -> None:
    # Summary case filed 31 August: 3 months end 30 November; extended by one month the
    # limit is 4 months from filing, 31 December (not 30 November + 1 month = 30 December).
    ext = [Extension(Limit(months=1), P)]
    assert result("civil_summary", ext).expiry == date(2026, 12, 31)
    # Ordinary filed 31 August 2027: 6 months end 29 February 2028 (a leap year).
    assert result("civil_ordinary", start=date(2027, 8, 31)).expiry == date(2028, 2, 29)


def test_days_used_left_and_states() -> None:
    filed = date(2026, 3, 10)  # summary: expires 10 June
    normal = result("civil_summary", start=filed, as_of=date(2026, 4, 10))
    assert (normal.state, normal.days_used, normal.days_left) == (TimeLimitState.NORMAL, 31, 61)
    assert normal.days_used + normal.days_left == (date(2026, 6, 10) - filed).days
    near = result("civil_summary", start=filed, as_of=date(2026, 5, 26))
    assert (near.state, near.days_left) == (TimeLimitState.NEAR, 15)
    not_yet = result("civil_summary", start=filed, as_of=date(2026, 5, 25))
    assert (not_yet.state, not_yet.days_left) == (TimeLimitState.NORMAL, 16)
    last_day = result("civil_summary", start=filed, as_of=date(2026, 6, 10))
    assert (last_day.state, last_day.days_left) == (TimeLimitState.NEAR, 0)
    over = result("civil_summary", start=filed, as_of=date(2026, 6, 11))
    assert (over.state, over.days_left) == (TimeLimitState.OVERDUE, -1)
    custom = compute(TimeLimitInputs("civil_summary", filed), date(2026, 5, 20), near_days=30)
    assert custom.state is TimeLimitState.NEAR


def test_an_open_exclusion_stops_the_clock() -> None:
    filed = date(2026, 3, 10)  # summary: expires 10 June
    suspended = Exclusion(ExclusionKind.SUSPENSION, date(2026, 4, 1))
    on_first_day = result(
        "civil_summary", exclusions=[suspended], start=filed, as_of=date(2026, 4, 1)
    )
    later = result("civil_summary", exclusions=[suspended], start=filed, as_of=date(2026, 9, 1))
    assert on_first_day.state is TimeLimitState.PAUSED and later.state is TimeLimitState.PAUSED
    assert on_first_day.paused_since == date(2026, 4, 1) and on_first_day.provisional
    # Days used stop at the day before the period; days left stay the same while it lasts.
    assert on_first_day.days_used == later.days_used == 21
    assert on_first_day.days_left == later.days_left == 71
    assert later.expiry == date(2026, 9, 1) + timedelta(days=71)
    # Closed on 30 April (30 days excluded), the clock runs again from 1 May.
    ended = Exclusion(ExclusionKind.SUSPENSION, date(2026, 4, 1), date(2026, 4, 30))
    resumed = result("civil_summary", exclusions=[ended], start=filed, as_of=date(2026, 5, 1))
    assert resumed.state is TimeLimitState.NORMAL and not resumed.provisional
    assert resumed.expiry == date(2026, 7, 10)
    assert resumed.days_used == 22 and resumed.excluded_days == 30


def test_overlapping_exclusions_count_each_day_once() -> None:
    filed = date(2026, 3, 10)
    notice = Exclusion(NOTICE, date(2026, 4, 1), date(2026, 4, 30))  # 30 days
    appraisal = Exclusion(ExclusionKind.APPRAISAL, date(2026, 4, 21), date(2026, 5, 10))  # 20 days
    merged = result(
        "civil_summary", exclusions=[notice, appraisal], start=filed, as_of=date(2026, 5, 20)
    )
    assert merged.excluded_days == 40  # 1 April – 10 May
    assert merged.expiry == date(2026, 6, 10) + timedelta(days=40)
    assert excluded_days_between([notice, appraisal], filed, date(2026, 4, 25)) == 25


def test_an_exclusion_starting_after_expiry_does_not_rescue_an_overdue_case() -> None:
    filed = date(2026, 3, 10)  # summary: expires 10 June
    late = Exclusion(ExclusionKind.APPRAISAL, date(2026, 6, 20), date(2026, 7, 20))
    late_open = Exclusion(ExclusionKind.SUSPENSION, date(2026, 6, 20))
    for exclusion in (late, late_open):
        r = result("civil_summary", exclusions=[exclusion], start=filed, as_of=date(2026, 7, 25))
        assert r.expiry == date(2026, 6, 10)
        assert r.state is TimeLimitState.OVERDUE
    # A period starting on the last day itself still counts.
    on_last = Exclusion(NOTICE, date(2026, 6, 10), date(2026, 6, 19))
    assert result("civil_summary", exclusions=[on_last], start=filed).expiry == date(2026, 6, 20)


def test_exclusions_before_the_start_are_not_counted() -> None:
    # From the filing day: only the days after it count (the start day is not counted).
    from_filing = Exclusion(NOTICE, FILED_MONTH_END, date(2026, 9, 9))
    assert (
        result("civil_summary", exclusions=[from_filing], as_of=date(2026, 10, 1)).excluded_days
        == 9
    )


def test_closed_cases_within_and_over_the_limit_and_trial_days() -> None:
    filed = date(2026, 3, 10)
    notice = Exclusion(NOTICE, date(2026, 4, 1), date(2026, 4, 30))
    within = result(
        "civil_summary",
        exclusions=[notice],
        start=filed,
        closed=date(2026, 7, 10),
        as_of=date(2026, 12, 1),
    )
    assert within.state is TimeLimitState.CLOSED_WITHIN and within.days_left == 0
    assert within.as_of == date(2026, 7, 10)
    late = result("civil_summary", exclusions=[notice], start=filed, closed=date(2026, 7, 11))
    assert late.state is TimeLimitState.CLOSED_LATE
    assert trial_days(filed, date(2026, 7, 11), [notice]) == 123 - 30


def test_conversions_summary_to_ordinary_keep_the_filing_date() -> None:
    rule = conversion("civil_summary", "civil_ordinary")
    assert not rule.restarts and "258" in rule.basis
    # Converted on 1 November, an ordinary limit still counts from 31 August.
    converted = result("civil_ordinary", as_of=date(2026, 11, 1))
    assert converted.expiry == date(2027, 2, 28)
    assert not conversion("civil_small_claims", "civil_ordinary").restarts
    assert not conversion("admin_summary", "admin_first").restarts
    with pytest.raises(ValidationError, match="不能转为"):
        conversion("civil_ordinary", "civil_summary")
    with pytest.raises(ValidationError, match="本程序不能转换"):
        conversion("enforcement", "civil_ordinary")


def test_criminal_conversions_count_again_from_the_decision() -> None:
    rule = conversion("criminal_summary", "criminal_public")
    assert rule.restarts
    decided = date(2026, 9, 15)
    restarted = result("criminal_public", start=decided, as_of=date(2026, 9, 16))
    assert restarted.expiry == date(2026, 11, 15)
    assert conversion("criminal_fast_track", "criminal_summary").restarts


def test_the_working_is_written_out() -> None:
    ext = [Extension(Limit(months=1), P)]
    notice = Exclusion(NOTICE, date(2026, 9, 10), date(2026, 10, 9))
    r = result("civil_summary", ext, [notice], as_of=date(2026, 10, 20))
    text = "\n".join(r.steps)
    assert "自 2026-08-31 次日起算简易程序审限3个月" in text
    assert "经本院院长批准延长1个月" in text
    assert "扣除 2026-09-10 至 2026-10-09，共 30 日" in text
    data = r.to_dict()
    assert data["expiry"] == "2027-01-30" and data["state"] == "normal"
