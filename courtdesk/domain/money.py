"""Money is exact: Decimal yuan in the rules, integer fen in the database."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
MAX_AMOUNT = Decimal(
    "1e15"
)  # a thousand trillion yuan: beyond any claim, inside SQLite's integer fen


def to_yuan(value: Decimal) -> Decimal:
    """Round to the fen, half up, as court fee and interest figures are written."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def yuan_to_fen(value: Decimal) -> int:
    return int(to_yuan(value) * 100)


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(FEN)


def amount_problem(value: Decimal) -> str | None:
    """Why a Decimal amount handed to a service cannot be stored, or None."""
    if not value.is_finite():
        return "不是有效金额"
    if value < 0:
        return "不能为负数"
    if value >= MAX_AMOUNT:
        return "金额过大"
    return None


def parse_amount(text: str) -> Decimal | str:
    """An amount typed by a clerk (``12,345.6`` or ``１２３４５``) or the reason it is not one."""
    cleaned = text.strip().replace(",", "").replace("，", "").replace("元", "")
    cleaned = cleaned.translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
    if not cleaned:
        return "不能为空"
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return f"「{text.strip()}」不是有效金额"
    if not value.is_finite():
        return f"「{text.strip()}」不是有效金额"
    if value < 0:
        return "不能为负数"
    # Checked before rounding: quantizing 1E+100 to the fen overflows the context.
    if value >= MAX_AMOUNT:
        return "金额过大"
    if value != to_yuan(value):
        return "最多保留两位小数（到分）"
    return to_yuan(value)


def format_yuan(value: Decimal) -> str:
    """12345.6 → 12,345.60"""
    return f"{to_yuan(value):,.2f}"


def format_percent(percent: Decimal) -> str:
    """A rate in percent without trailing zeros or exponent: 15.40 → "15.4%", 30 → "30%"."""
    text = format(percent.normalize(), "f")
    return f"{text}%"


def parse_signed_amount(text: str) -> Decimal | str:
    """Like ``parse_amount`` but keeps a minus sign, so a calculator can say why it refuses it."""
    stripped = text.strip()
    negative = stripped.startswith(("-", "－"))
    parsed = parse_amount(stripped[1:] if negative else stripped)
    if isinstance(parsed, str) or not negative:
        return parsed
    return -parsed
