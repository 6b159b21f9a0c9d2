from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from courtdesk.domain.identity import (
    CitizenId,
    check_credit_code,
    citizen_id_check_digit,
    parse_citizen_id,
    uscc_check_character,
)

# The GB 11643 example number and a known valid credit code.
VALID_ID = "11010519491231002X"
VALID_USCC = "91350100M000100Y43"


def test_valid_citizen_id_gives_birth_date_and_sex() -> None:
    parsed = parse_citizen_id(VALID_ID.lower())
    assert isinstance(parsed, CitizenId)
    assert parsed.number == VALID_ID
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == "女"


def test_wrong_check_digit_is_explained() -> None:
    reason = parse_citizen_id("110105194912310021")
    assert isinstance(reason, str)
    assert "校验位" in reason and "X" in reason


def test_impossible_birth_date_and_wrong_length() -> None:
    assert "出生日期" in str(parse_citizen_id("110105194902300021"))
    assert "18 位" in str(parse_citizen_id("1101051949"))
    assert "数字" in str(parse_citizen_id("11010519491231A02X"))


def test_future_birth_date_is_refused() -> None:
    first17 = "22010420990101001"
    assert "不合理" in str(parse_citizen_id(first17 + citizen_id_check_digit(first17)))


def test_credit_code() -> None:
    assert check_credit_code(VALID_USCC) is None
    assert "校验位" in str(check_credit_code(VALID_USCC[:-1] + "0"))
    assert "不允许" in str(check_credit_code("91350100M000100I43"))
    assert "18 位" in str(check_credit_code("9135"))


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_any_number_with_its_check_digit_passes_the_check(first17: str) -> None:
    result = parse_citizen_id(first17 + citizen_id_check_digit(first17), today=date(2100, 1, 1))
    # Either valid, or refused for its birth date: never for its check digit.
    assert isinstance(result, CitizenId) or "校验位" not in result


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=17, max_size=17))
def test_any_credit_code_with_its_check_character_passes(first17: str) -> None:
    assert check_credit_code(first17 + uscc_check_character(first17)) is None
