"""Identity numbers: citizen ID (GB 11643) and unified social credit code (GB 32100).

domain-rules.md section 9. Both functions return a problem description in
Chinese, or None when the number is valid, so forms can show every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@dataclass(frozen=True)
class CitizenId:
    number: str
    birth_date: date
    sex: str  # "男" or "女": the 17th digit is odd for men


def normalise_id_number(text: str) -> str:
    """Upper-case the check letter and drop surrounding and inner spaces."""
    return "".join(text.split()).upper()


def citizen_id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def parse_citizen_id(text: str, today: date | None = None) -> CitizenId | str:
    """A valid ID as a CitizenId, or the reason it is not valid."""
    number = normalise_id_number(text)
    if len(number) != 18:
        return f"应为 18 位，实际 {len(number)} 位"
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return "前 17 位须为数字，最后一位为数字或 X"
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return f"第 7–14 位的出生日期 {number[6:14]} 不是有效日期"
    if birth.year < 1900 or birth > (today or date.today()):
        return f"出生日期 {birth.isoformat()} 不合理"
    expected = citizen_id_check_digit(number[:17])
    if number[17] != expected:
        return f"校验位错误（按前 17 位应为 {expected}）"
    sex = "男" if int(number[16]) % 2 == 1 else "女"
    return CitizenId(number, birth, sex)


def uscc_check_character(first17: str) -> str:
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def check_credit_code(text: str) -> str | None:
    """None if ``text`` is a valid unified social credit code, else the reason."""
    code = normalise_id_number(text)
    if len(code) != 18:
        return f"应为 18 位，实际 {len(code)} 位"
    bad = sorted({c for c in code if c not in _USCC_ALPHABET})
    if bad:
        return f"含有不允许的字符 {'、'.join(bad)}（不使用 I、O、Z、S、V）"
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        return f"校验位错误（按前 17 位应为 {expected}）"
    return None
