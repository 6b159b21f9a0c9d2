"""Litigation fees (诉讼费) under 《诉讼费用交纳办法》 (2006), domain-rules.md section 5.

Pure and exact: every amount is a ``Decimal`` of yuan rounded to the fen, never a
float. The result carries the working line by line (band by band for amounts), so
a clerk can read it out to a party and print it for the file.

Choices made where the law leaves room (each is a setting in ``services/fees.py``):
- the amounts inside the ranges of §13(二)(三)(六) and §14(一)1 (divorce 50–300,
  personality rights 100–500, other non-property 50–100, IP without an amount
  500–1,000, a failed jurisdiction objection 50–100, enforcement without an amount
  50–500) are fixed by each province; the defaults are the law's lower bounds;
- whether two grounds for halving stack (summary procedure and mediation, for
  example) differs between courts; the default halves once.
Labour (10) and administrative (100 / 50) fees are fixed by the law itself.

Rounding: every line is rounded to the fen (half up). Only the last, partial band
of an amount can have a fraction of a fen, so the lines always add up to the total.
A halving rounds the halved fee half up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

from courtdesk.domain.money import format_percent, format_yuan, to_yuan
from courtdesk.domain.procedures import PROCEDURES
from courtdesk.errors import FieldProblem, ValidationError

ZERO = Decimal(0)


class FeeKind(StrEnum):
    """What the fee is for: the case categories of §13 and the applications of §14."""

    PROPERTY = "property"  # 财产案件 §13(一)
    DIVORCE = "divorce"  # 离婚案件 §13(二)1
    PERSONALITY = "personality"  # 人格权案件 §13(二)2
    NON_PROPERTY = "non_property"  # 其他非财产案件 §13(二)3
    IP = "ip"  # 知识产权民事案件 §13(三)
    LABOUR = "labour"  # 劳动争议案件 §13(四)
    ADMINISTRATIVE = "administrative"  # 其他行政案件 §13(五)2
    ADMINISTRATIVE_SPECIAL = "administrative_special"  # 商标、专利、海事行政案件 §13(五)1
    JURISDICTION_OBJECTION = "jurisdiction_objection"  # 管辖权异议不成立 §13(六)
    ENFORCEMENT = "enforcement"  # 申请执行 §14(一)
    PRESERVATION = "preservation"  # 申请保全 §14(二)
    PAYMENT_ORDER = "payment_order"  # 申请支付令 §14(三)
    PUBLIC_SUMMONS = "public_summons"  # 申请公示催告 §14(四)
    ARBITRATION = "arbitration"  # 申请撤销仲裁裁决或者认定仲裁协议效力 §14(五)
    BANKRUPTCY = "bankruptcy"  # 破产案件 §14(六)

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def is_case_fee(self) -> bool:
        """A 案件受理费 (halved by §15, §16, §18), as opposed to an application fee of §14."""
        return self in _CASE_FEE_KINDS

    @property
    def amount_label(self) -> str:
        """What the amount means for this kind (the form's field name)."""
        return _AMOUNT_LABELS.get(self, "诉讼标的额")

    @property
    def amount_required(self) -> bool:
        return self in (FeeKind.PROPERTY, FeeKind.PAYMENT_ORDER, FeeKind.BANKRUPTCY)

    @property
    def takes_amount(self) -> bool:
        return self in _AMOUNT_LABELS


_KIND_LABELS = {
    FeeKind.PROPERTY: "财产案件",
    FeeKind.DIVORCE: "离婚案件",
    FeeKind.PERSONALITY: "人格权案件",
    FeeKind.NON_PROPERTY: "其他非财产案件",
    FeeKind.IP: "知识产权民事案件（无争议金额）",
    FeeKind.LABOUR: "劳动争议案件",
    FeeKind.ADMINISTRATIVE: "行政案件",
    FeeKind.ADMINISTRATIVE_SPECIAL: "商标、专利、海事行政案件",
    FeeKind.JURISDICTION_OBJECTION: "管辖权异议不成立",
    FeeKind.ENFORCEMENT: "申请执行",
    FeeKind.PRESERVATION: "申请保全",
    FeeKind.PAYMENT_ORDER: "申请支付令",
    FeeKind.PUBLIC_SUMMONS: "申请公示催告",
    FeeKind.ARBITRATION: "申请撤销仲裁裁决或确认仲裁协议效力",
    FeeKind.BANKRUPTCY: "破产案件",
}
_AMOUNT_LABELS = {
    FeeKind.PROPERTY: "诉讼标的额",
    FeeKind.DIVORCE: "分割财产总额",
    FeeKind.PERSONALITY: "损害赔偿金额",
    FeeKind.ENFORCEMENT: "执行金额",
    FeeKind.PRESERVATION: "保全财产数额",
    FeeKind.PAYMENT_ORDER: "请求给付金额",
    FeeKind.BANKRUPTCY: "破产财产总额",
}
_CASE_FEE_KINDS = frozenset(
    {
        FeeKind.PROPERTY,
        FeeKind.DIVORCE,
        FeeKind.PERSONALITY,
        FeeKind.NON_PROPERTY,
        FeeKind.IP,
        FeeKind.LABOUR,
        FeeKind.ADMINISTRATIVE,
        FeeKind.ADMINISTRATIVE_SPECIAL,
    }
)


class FeeProcedure(StrEnum):
    """The procedure as far as fees care: summary halves (§16), special pays nothing (§8)."""

    ORDINARY = "ordinary"
    SUMMARY = "summary"  # 简易程序, including 小额诉讼 (it is part of the summary procedure)
    SPECIAL = "special"  # 特别程序

    @property
    def label(self) -> str:
        return {
            FeeProcedure.ORDINARY: "普通程序",
            FeeProcedure.SUMMARY: "简易程序",
            FeeProcedure.SPECIAL: "特别程序",
        }[self]

    @classmethod
    def of(cls, value: FeeProcedure | str) -> FeeProcedure:
        """A fee procedure from itself, its name, or a procedure code of ``domain/procedures``."""
        if isinstance(value, FeeProcedure):
            return value
        text = value.strip()
        if text in _PROCEDURE_CODES:
            return _PROCEDURE_CODES[text]
        if text in PROCEDURES:
            return cls.ORDINARY  # every other procedure pays the full fee
        try:
            return cls(text)
        except ValueError:
            raise ValidationError(f"不认识的审理程序「{value}」", "procedure") from None


_PROCEDURE_CODES = {
    "civil_summary": FeeProcedure.SUMMARY,
    "civil_small_claims": FeeProcedure.SUMMARY,
    "small_claims": FeeProcedure.SUMMARY,
    "admin_summary": FeeProcedure.SUMMARY,
    "civil_special": FeeProcedure.SPECIAL,
}


class Exemption(StrEnum):
    """The cases of §8 that pay no 案件受理费 (特别程序 comes from the procedure)."""

    DISMISSED = "dismissed"  # 裁定不予受理、驳回起诉、驳回上诉的案件 §8(二)
    APPEAL_AGAINST_RULING = (
        "appeal_against_ruling"  # 对不予受理、驳回起诉和管辖权异议裁定不服提起上诉 §8(三)
    )
    ADMINISTRATIVE_COMPENSATION = "administrative_compensation"  # 行政赔偿案件 §8(四)

    @property
    def label(self) -> str:
        return {
            Exemption.DISMISSED: "裁定不予受理、驳回起诉、驳回上诉的案件",
            Exemption.APPEAL_AGAINST_RULING: "对不予受理、驳回起诉和管辖权异议裁定不服提起上诉的案件",
            Exemption.ADMINISTRATIVE_COMPENSATION: "行政赔偿案件",
        }[self]

    @property
    def article(self) -> str:
        return {
            Exemption.DISMISSED: "第八条第（二）项",
            Exemption.APPEAL_AGAINST_RULING: "第八条第（三）项",
            Exemption.ADMINISTRATIVE_COMPENSATION: "第八条第（四）项",
        }[self]


@dataclass(frozen=True)
class Range:
    """A range of §13/§14 inside which the province fixes the amount."""

    low: Decimal
    high: Decimal
    what: str  # Chinese, for messages and the settings dialog

    def check(self, value: Decimal) -> str | None:
        if not self.low <= value <= self.high:
            return f"{self.what}应在 {self.low} 至 {self.high} 元之间（《诉讼费用交纳办法》）"
        return None


# The ranges of the law, keyed by the FeeSchedule field that holds the province's figure.
RANGES: dict[str, Range] = {
    "divorce": Range(Decimal(50), Decimal(300), "离婚案件每件"),
    "personality": Range(Decimal(100), Decimal(500), "人格权案件每件"),
    "non_property": Range(Decimal(50), Decimal(100), "其他非财产案件每件"),
    "ip_without_amount": Range(Decimal(500), Decimal(1000), "无争议金额的知识产权案件每件"),
    "jurisdiction_objection": Range(Decimal(50), Decimal(100), "管辖权异议不成立每件"),
    "enforcement_without_amount": Range(Decimal(50), Decimal(500), "无执行金额的执行申请每件"),
}


@dataclass(frozen=True)
class FeeSchedule:
    """The court's province's figures inside the law's ranges, and its halving practice.

    Defaults are the law's lower bounds; ``services/fees.fee_schedule`` reads the
    court's settings.
    """

    divorce: Decimal = Decimal(50)
    personality: Decimal = Decimal(100)
    non_property: Decimal = Decimal(50)
    ip_without_amount: Decimal = Decimal(500)
    jurisdiction_objection: Decimal = Decimal(50)
    enforcement_without_amount: Decimal = Decimal(50)
    halvings_stack: bool = False

    def problems(self) -> list[FieldProblem]:
        return [
            FieldProblem(f"schedule.{name}", problem)
            for name, limits in RANGES.items()
            if (problem := limits.check(getattr(self, name))) is not None
        ]


@dataclass(frozen=True)
class Band:
    """One band of a banded schedule: the part of the amount above ``lower`` up to ``upper``."""

    lower: Decimal
    upper: Decimal | None  # None: no upper end
    rate: Decimal  # a fraction: 0.025 for 2.5 %


def _bands(first: int, rows: Sequence[tuple[int | None, str]]) -> tuple[Band, ...]:
    bands = []
    lower = Decimal(first)
    for upper, percent in rows:
        top = None if upper is None else Decimal(upper)
        bands.append(Band(lower, top, Decimal(percent) / 100))
        if top is not None:
            lower = top
    return tuple(bands)


# §13(一): up to 10,000 yuan 50 per case, then band by band.
PROPERTY_FLAT = (Decimal(10_000), Decimal(50))
PROPERTY_BANDS = _bands(
    10_000,
    (
        (100_000, "2.5"),
        (200_000, "2"),
        (500_000, "1.5"),
        (1_000_000, "1"),
        (2_000_000, "0.9"),
        (5_000_000, "0.8"),
        (10_000_000, "0.7"),
        (20_000_000, "0.6"),
        (None, "0.5"),
    ),
)
# §13(二)1: property in a divorce above 200,000 at 0.5 %.
DIVORCE_BANDS = _bands(200_000, ((None, "0.5"),))
# §13(二)2: damages for personality rights: 1 % from 50,000 to 100,000, 0.5 % above.
PERSONALITY_BANDS = _bands(50_000, ((100_000, "1"), (None, "0.5")))
# §14(一)2: enforcement 50 up to 10,000, then band by band.
ENFORCEMENT_FLAT = (Decimal(10_000), Decimal(50))
ENFORCEMENT_BANDS = _bands(
    10_000, ((500_000, "1.5"), (5_000_000, "1"), (10_000_000, "0.5"), (None, "0.1"))
)
# §14(二): preservation 30 up to 1,000 (or without an amount), 1 % to 100,000, 0.5 % above,
# never more than 5,000 in all.
PRESERVATION_FLAT = (Decimal(1_000), Decimal(30))
PRESERVATION_BANDS = _bands(1_000, ((100_000, "1"), (None, "0.5")))
PRESERVATION_CAP = Decimal(5_000)
BANKRUPTCY_CAP = Decimal(300_000)  # §14(六): half the property fee, at most 300,000
LABOUR_FEE = Decimal(10)  # §13(四)
ADMINISTRATIVE_FEE = Decimal(50)  # §13(五)2
ADMINISTRATIVE_SPECIAL_FEE = Decimal(100)  # §13(五)1
PUBLIC_SUMMONS_FEE = Decimal(100)  # §14(四)
ARBITRATION_FEE = Decimal(400)  # §14(五)


@dataclass(frozen=True)
class FeeLine:
    """One step of the working: ``text`` says it in words, ``amount`` is its (signed) effect."""

    text: str
    amount: Decimal
    base: Decimal | None = None  # the part of the amount a rate applies to
    rate: Decimal | None = None  # as a fraction

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", to_yuan(self.amount))

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "amount": str(self.amount),
            "base": None if self.base is None else str(self.base),
            "rate": None if self.rate is None else _percent(self.rate),
        }


@dataclass(frozen=True)
class FeeResult:
    """A fee and how it was reached; ``total`` is what the party pays."""

    kind: FeeKind
    amount: Decimal | None
    procedure: FeeProcedure
    full_fee: Decimal  # before any halving, cap or exemption
    total: Decimal
    lines: tuple[FeeLine, ...]
    reductions: tuple[str, ...] = ()  # the grounds applied (调解结案 …)
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "full_fee", to_yuan(self.full_fee))
        object.__setattr__(self, "total", to_yuan(self.total))

    @property
    def title(self) -> str:
        return f"{self.kind.label}诉讼费用" if self.kind.is_case_fee else f"{self.kind.label}申请费"

    def explain(self) -> list[str]:
        """The working as lines of text, ending with the total."""
        return [
            *(line.text for line in self.lines),
            f"应交纳 {format_yuan(self.total)} 元",
            *self.notes,
        ]

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "kind_label": self.kind.label,
            "amount": None if self.amount is None else str(self.amount),
            "procedure": self.procedure.value,
            "full_fee": str(self.full_fee),
            "total": str(self.total),
            "lines": [line.to_dict() for line in self.lines],
            "reductions": list(self.reductions),
            "notes": list(self.notes),
        }


def _percent(rate: Decimal) -> str:
    """A fraction as a percentage: 0.025 → "2.5%"."""
    return format_percent(rate * 100)


def _money(value: Decimal) -> str:
    """Whole yuan without decimals (band edges), otherwise to the fen."""
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return format_yuan(value)


def banded(
    amount: Decimal, flat: tuple[Decimal, Decimal] | None, bands: Sequence[Band]
) -> list[FeeLine]:
    """The lines of a banded schedule: an optional flat fee for the first part, then each band."""
    lines = []
    if flat is not None:
        limit, fee = flat
        lines.append(FeeLine(f"不超过 {_money(limit)} 元的部分：每件 {_money(fee)} 元", fee))
    for band in bands:
        if amount <= band.lower:
            break
        top = amount if band.upper is None else min(amount, band.upper)
        portion = top - band.lower
        fee = to_yuan(portion * band.rate)
        upper = f"至 {_money(band.upper)} 元" if band.upper is not None else ""
        lines.append(
            FeeLine(
                f"超过 {_money(band.lower)} 元{upper}的部分 {format_yuan(portion)} 元 × "
                f"{_percent(band.rate)} = {format_yuan(fee)} 元",
                fee,
                portion,
                band.rate,
            )
        )
    return lines


def property_fee(amount: Decimal) -> Decimal:
    """The §13(一) fee for a property claim of ``amount`` yuan (no halving)."""
    return litigation_fee(FeeKind.PROPERTY, amount).total


def check_amount(amount: Decimal | None, kind: FeeKind, field_name: str = "amount") -> None:
    """Refuse amounts the fee cannot be computed from, naming the field."""
    label = kind.amount_label
    if amount is None:
        if kind.amount_required:
            raise ValidationError(f"请填写{label}（{kind.label}按金额计算诉讼费）", field_name)
        return
    if not amount.is_finite():
        raise ValidationError(f"{label}不是有效金额", field_name)
    if amount <= 0:
        hint = "" if kind.amount_required else "；没有金额请留空"
        raise ValidationError(
            f"{label}必须大于零（输入的是 {amount} 元{hint}）",
            field_name,
        )
    if amount != to_yuan(amount):
        raise ValidationError(f"{label}最多保留两位小数（到分）", field_name)


def litigation_fee(
    kind: FeeKind | str,
    amount: Decimal | None = None,
    procedure: FeeProcedure | str = FeeProcedure.ORDINARY,
    *,
    mediated_or_withdrawn: bool = False,
    counterclaim: bool = False,
    exemption: Exemption | None = None,
    schedule: FeeSchedule | None = None,
) -> FeeResult:
    """The fee for one case or application, with the working.

    ``amount``: the amount claimed (财产案件, 知识产权 with an amount → use PROPERTY),
    the property to divide (离婚), the damages claimed (人格权), the amount to enforce,
    to preserve, to order paid, or the bankruptcy estate. ``procedure``: a
    ``FeeProcedure`` or a procedure code (``civil_summary`` …). ``mediated_or_withdrawn``:
    settled by mediation or withdrawn (§15); ``counterclaim``: a counterclaim or a
    third party's independent claim heard together (§18). Halvings apply to case
    fees only (not to the application fees of §14).
    """
    if not isinstance(kind, FeeKind):
        try:
            kind = FeeKind(kind)
        except ValueError:
            raise ValidationError(f"不认识的诉讼费类别「{kind}」", "kind") from None
    procedure = FeeProcedure.of(procedure)
    schedule = schedule or FeeSchedule()
    problems = schedule.problems()
    if problems:
        raise ValidationError(problems)
    check_amount(amount, kind)
    if amount is not None and not kind.takes_amount:
        raise ValidationError(
            f"{kind.label}按件交纳，不按金额计算；请不要填写金额，"
            "有争议金额的知识产权案件请按财产案件计算",
            "amount",
        )

    if exemption is not None and not kind.is_case_fee:
        raise ValidationError(
            f"第八条的免交规定只适用于案件受理费，{kind.label}申请费不能免交", "exemption"
        )
    lines = _full_fee_lines(kind, amount, schedule)
    full_fee = sum((line.amount for line in lines), ZERO)
    notes: list[str] = []
    result = FeeResult(kind, amount, procedure, full_fee, full_fee, tuple(lines))

    if kind is FeeKind.PRESERVATION and full_fee > PRESERVATION_CAP:
        lines.append(
            FeeLine(
                f"保全申请费最多不超过 {_money(PRESERVATION_CAP)} 元（第十四条第（二）项）",
                PRESERVATION_CAP - full_fee,
            )
        )
        return replace(result, total=PRESERVATION_CAP, lines=tuple(lines))
    if kind is FeeKind.BANKRUPTCY:
        return _bankruptcy(result, lines)
    if kind is FeeKind.PAYMENT_ORDER:
        third = to_yuan(full_fee / 3)
        lines.append(
            FeeLine(
                f"支付令申请费按财产案件受理费标准的 1/3 交纳（第十四条第（三）项）："
                f"{format_yuan(full_fee)} ÷ 3 = {format_yuan(third)} 元",
                third - full_fee,
            )
        )
        return replace(result, total=third, lines=tuple(lines))
    if not kind.is_case_fee:
        return replace(result, lines=tuple(lines))

    # §8: no case fee at all.
    why: tuple[str, str] | None = None
    if procedure is FeeProcedure.SPECIAL:
        why = ("依照民事诉讼法规定的特别程序审理的案件", "第八条第（一）项")
    elif exemption is not None:
        why = (exemption.label, exemption.article)
    if why is not None:
        lines.append(FeeLine(f"{why[0]}不交纳案件受理费（{why[1]}）", -full_fee))
        return replace(result, total=ZERO, lines=tuple(lines), reductions=(why[0],))

    # The summary procedure is known at filing, mediation or withdrawal only later, so
    # when halvings do not stack the one shown is the summary procedure's.
    grounds = []
    if procedure is FeeProcedure.SUMMARY:
        grounds.append(("适用简易程序审理", "第十六条"))
    if mediated_or_withdrawn:
        grounds.append(("以调解方式结案或者申请撤诉", "第十五条"))
    if counterclaim:
        grounds.append(("反诉或有独立请求权的第三人提出诉讼请求", "第十八条"))
    if not grounds:
        return replace(result, lines=tuple(lines))
    applied = grounds if schedule.halvings_stack else grounds[:1]
    payable = full_fee
    for reason, article in applied:
        halved = to_yuan(payable / 2)
        lines.append(
            FeeLine(
                f"{reason}，减半交纳（{article}）：{format_yuan(payable)} ÷ 2 = "
                f"{format_yuan(halved)} 元",
                halved - payable,
            )
        )
        payable = halved
    if len(grounds) > len(applied):
        skipped = "、".join(reason for reason, _ in grounds[len(applied) :])
        notes.append(f"同时{skipped}，按本院设置减半只适用一次，不再重复减半")
    return FeeResult(
        kind,
        amount,
        procedure,
        full_fee,
        payable,
        tuple(lines),
        tuple(reason for reason, _ in applied),
        tuple(notes),
    )


def _full_fee_lines(kind: FeeKind, amount: Decimal | None, schedule: FeeSchedule) -> list[FeeLine]:
    """The fee before halvings, caps and exemptions."""
    if kind in (FeeKind.PROPERTY, FeeKind.PAYMENT_ORDER, FeeKind.BANKRUPTCY):
        assert amount is not None  # checked by check_amount
        return banded(amount, PROPERTY_FLAT, PROPERTY_BANDS)
    if kind is FeeKind.DIVORCE:
        lines = [FeeLine(f"离婚案件每件 {_money(schedule.divorce)} 元", schedule.divorce)]
        if amount is not None:
            if amount <= DIVORCE_BANDS[0].lower:
                lines.append(FeeLine("分割财产总额不超过 200,000 元，不另行交纳", ZERO))
            lines += banded(amount, None, DIVORCE_BANDS)
        return lines
    if kind is FeeKind.PERSONALITY:
        lines = [FeeLine(f"人格权案件每件 {_money(schedule.personality)} 元", schedule.personality)]
        if amount is not None:
            if amount <= PERSONALITY_BANDS[0].lower:
                lines.append(FeeLine("损害赔偿金额不超过 50,000 元，不另行交纳", ZERO))
            lines += banded(amount, None, PERSONALITY_BANDS)
        return lines
    if kind is FeeKind.ENFORCEMENT:
        if amount is None:
            fee = schedule.enforcement_without_amount
            return [FeeLine(f"没有执行金额或者价额的，每件 {_money(fee)} 元", fee)]
        return banded(amount, ENFORCEMENT_FLAT, ENFORCEMENT_BANDS)
    if kind is FeeKind.PRESERVATION:
        if amount is None:
            return [FeeLine("不涉及财产数额的，每件 30 元", PRESERVATION_FLAT[1])]
        return banded(amount, PRESERVATION_FLAT, PRESERVATION_BANDS)
    fixed = {
        FeeKind.NON_PROPERTY: ("其他非财产案件", schedule.non_property),
        FeeKind.IP: ("没有争议金额的知识产权民事案件", schedule.ip_without_amount),
        FeeKind.LABOUR: ("劳动争议案件", LABOUR_FEE),
        FeeKind.ADMINISTRATIVE: ("行政案件", ADMINISTRATIVE_FEE),
        FeeKind.ADMINISTRATIVE_SPECIAL: ("商标、专利、海事行政案件", ADMINISTRATIVE_SPECIAL_FEE),
        FeeKind.JURISDICTION_OBJECTION: ("管辖权异议不成立的", schedule.jurisdiction_objection),
        FeeKind.PUBLIC_SUMMONS: ("申请公示催告", PUBLIC_SUMMONS_FEE),
        FeeKind.ARBITRATION: ("申请撤销仲裁裁决或者认定仲裁协议效力", ARBITRATION_FEE),
    }
    what, fee = fixed[kind]
    return [FeeLine(f"{what}每件 {_money(fee)} 元", fee)]


def _bankruptcy(result: FeeResult, lines: list[FeeLine]) -> FeeResult:
    """§14(六): the property fee halved, at most 300,000."""
    half = to_yuan(result.full_fee / 2)
    lines.append(
        FeeLine(
            f"破产案件按财产案件受理费标准减半交纳（第十四条第（六）项）："
            f"{format_yuan(result.full_fee)} ÷ 2 = {format_yuan(half)} 元",
            half - result.full_fee,
        )
    )
    total = half
    if half > BANKRUPTCY_CAP:
        lines.append(FeeLine(f"最高不超过 {_money(BANKRUPTCY_CAP)} 元", BANKRUPTCY_CAP - half))
        total = BANKRUPTCY_CAP
    return replace(result, total=total, lines=tuple(lines))


# Case types and causes the calculator can suggest a kind for (the 立案 form's first guess;
# the clerk can always choose another).
_TYPE_KINDS = {
    "执": FeeKind.ENFORCEMENT,
    "执恢": FeeKind.ENFORCEMENT,
    "财保": FeeKind.PRESERVATION,
    "行保": FeeKind.PRESERVATION,
    "证保": FeeKind.PRESERVATION,
    "民督": FeeKind.PAYMENT_ORDER,
    "民催": FeeKind.PUBLIC_SUMMONS,
    "破申": FeeKind.BANKRUPTCY,
    "破": FeeKind.BANKRUPTCY,
}


def suggest_kind(type_code: str, cause: str = "", has_amount: bool = False) -> FeeKind | None:
    """The fee kind a case of this type and cause most likely needs, or None (no fee known).

    Civil and administrative first instances and appeals follow the cause: 离婚 →
    divorce, 劳动争议 → labour, 人格权/名誉权/肖像权… → personality rights; otherwise
    a claim with an amount is a property case and one without is non-property.
    """
    if type_code in _TYPE_KINDS:
        return _TYPE_KINDS[type_code]
    if type_code.startswith("行"):
        return FeeKind.ADMINISTRATIVE
    if not type_code.startswith("民"):
        return None
    if "离婚" in cause:
        return FeeKind.DIVORCE
    if "劳动" in cause or "人事争议" in cause:
        return FeeKind.LABOUR
    if any(word in cause for word in ("人格权", "姓名权", "名称权", "肖像权", "名誉权", "荣誉权")):
        return FeeKind.PERSONALITY
    return FeeKind.PROPERTY if has_amount else FeeKind.NON_PROPERTY
