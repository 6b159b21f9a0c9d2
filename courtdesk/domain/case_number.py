"""案号: parse, normalise and format case numbers (domain-rules.md section 1).

Shape: ``（收案年度）`` + court code + [special-trial code] + type code + sequence + ``号``,
for example ``（2026）吉0193民初1234号``. Full-width parentheses are the official form;
half-width ones and stray spaces are accepted on input and normalised.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from courtdesk.domain.case_types import default_catalog
from courtdesk.errors import ValidationError

# Province-level abbreviations used in court codes, plus 兵 for the XPCC courts.
PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新兵"
_COURT_CODE = re.compile(rf"^(?:最高法|[{PROVINCES}](?:\d{{2}}|\d{{4}}))$")
_SHAPE = re.compile(
    rf"^[（(]\s*(?P<year>\d{{4}})\s*[）)]\s*"
    rf"(?P<court>最高法|[{PROVINCES}]\d{{2}}(?:\d{{2}})?)"
    r"(?P<letters>[\u4e00-\u9fff]+?)"
    r"(?P<seq>\d+)\s*号$"
)
MIN_YEAR = 1949


@dataclass(frozen=True, order=True)
class CaseNumber:
    year: int
    court_code: str
    type_code: str
    sequence: int
    special_code: str = ""

    def __str__(self) -> str:
        return (
            f"（{self.year}）{self.court_code}{self.special_code}{self.type_code}{self.sequence}号"
        )


def is_valid_court_code(code: str) -> bool:
    """吉0193 (basic court), 吉01 (intermediate court), 最高法."""
    return bool(_COURT_CODE.match(code))


def parse_case_number(
    text: str,
    type_codes: Collection[str] | None = None,
    special_codes: Mapping[str, str] | None = None,
) -> CaseNumber:
    """Parse a 案号, accepting half-width parentheses and spaces.

    Raises ValidationError naming the 案号 field when the text does not have the
    official shape or uses a type code the court has not configured.
    """
    catalog = default_catalog()
    known_types = set(type_codes if type_codes is not None else catalog.codes)
    specials = special_codes if special_codes is not None else catalog.special_trial_codes
    cleaned = "".join(text.split())  # clerks type spaces anywhere; a 案号 has none
    match = _SHAPE.match(cleaned)
    if not match:
        raise ValidationError(
            f"案号「{text.strip()}」格式不正确，应为“（年度）法院代字 类型代字 序号 号”，"
            "例如（2026）吉0193民初1234号",
            field="case_number",
        )
    year = int(match["year"])
    if year < MIN_YEAR:
        raise ValidationError(f"案号「{text.strip()}」的年度 {year} 不合理", field="case_number")
    letters = match["letters"]
    special = ""
    if letters not in known_types and letters[:1] in specials and letters[1:] in known_types:
        special, letters = letters[:1], letters[1:]
    if letters not in known_types:
        raise ValidationError(
            f"案号「{text.strip()}」中的类型代字「{letters}」不在本院的案件类型表中",
            field="case_number",
        )
    sequence = int(match["seq"])
    if sequence < 1:
        raise ValidationError(f"案号「{text.strip()}」的序号必须从 1 开始", field="case_number")
    return CaseNumber(year, match["court"], letters, sequence, special)
