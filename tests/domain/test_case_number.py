from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courtdesk.domain.case_number import CaseNumber, is_valid_court_code, parse_case_number
from courtdesk.domain.case_types import default_catalog
from courtdesk.errors import ValidationError


def test_parses_the_official_form() -> None:
    number = parse_case_number("（2026）吉0193民初1234号")
    assert number == CaseNumber(2026, "吉0193", "民初", 1234)
    assert str(number) == "（2026）吉0193民初1234号"


def test_accepts_half_width_parentheses_and_spaces_and_normalises() -> None:
    number = parse_case_number(" (2026) 吉0193执恢 12 号 ")
    assert str(number) == "（2026）吉0193执恢12号"


def test_longest_type_code_wins_over_a_prefix() -> None:
    # 民诉前调 must not be read as 民 + something, nor 执恢 as 执 + 恢.
    assert parse_case_number("（2025）吉0193民诉前调88号").type_code == "民诉前调"
    assert parse_case_number("（2025）吉0193执恢3号").type_code == "执恢"
    assert parse_case_number("（2025）吉0193执3号").type_code == "执"


def test_special_trial_code_is_recognised() -> None:
    number = parse_case_number("（2021）京73知民初1号")
    assert (number.court_code, number.special_code, number.type_code) == ("京73", "知", "民初")
    assert str(number) == "（2021）京73知民初1号"


def test_supreme_court_code() -> None:
    assert parse_case_number("（2019）最高法民终1号").court_code == "最高法"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026吉0193民初1号",
        "（2026）吉0193民初号",
        "（2026）吉0193民初1",
        "（26）吉0193民初1号",
        "（2026）X0193民初1号",
        "（2026）吉0193民初0号",
        "（2026）吉0193火星1号",
        "（1900）吉0193民初1号",
    ],
)
def test_refuses_what_is_not_a_case_number_and_names_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_case_number(text)
    assert caught.value.problems[0].field == "case_number"
    assert "案号" in caught.value.message


def test_court_codes() -> None:
    assert is_valid_court_code("吉0193")
    assert is_valid_court_code("粤0703")
    assert is_valid_court_code("吉01")
    assert not is_valid_court_code("吉019")
    assert not is_valid_court_code("0193")


@given(
    year=st.integers(1990, 2100),
    type_code=st.sampled_from(default_catalog().codes),
    sequence=st.integers(1, 10**6),
    court=st.sampled_from(["吉0193", "吉01", "京73", "粤0703"]),
)
def test_format_then_parse_round_trips(
    year: int, type_code: str, sequence: int, court: str
) -> None:
    number = CaseNumber(year, court, type_code, sequence)
    assert parse_case_number(str(number)) == number
