"""Private-lending interest (民间借贷利息), domain-rules.md section 6.

The 2020 revision of the SPC's private-lending provisions (民间借贷规定):
- contracts formed on or after 2020-08-20: interest above 4 × the one-year LPR in
  force when the contract was formed is not supported (§25); overdue interest,
  penalties and fees together are capped the same way (§28–29), so the overdue
  rate entered here is the combined rate the lender claims;
- contracts formed before 2020-08-20 in a suit filed on or after that day (§31):
  interest up to 2020-08-19 under the old rule (up to 24 % a year supported;
  24–36 % not supported, but what the borrower has already paid in that zone is
  not returned; above 36 % void), interest from 2020-08-20 capped at 4 × the LPR
  in force when the suit was filed;
- such contracts in a suit filed before 2020-08-20: the old rule throughout;
- no agreed loan-period interest (or an unclear agreement between natural
  persons, §24): none. No agreed overdue rate but an agreed loan-period rate: the
  loan-period rate from the day after the due date (§28(二)2). Neither agreed: no
  interest is computed; §28(二)1 lets the lender claim overdue interest at the
  LPR, which the judge decides and this calculator leaves out (it says so).

Conventions (courts differ; both are settings in ``services/lending.py``):
- interest for a day = principal outstanding that day × annual rate ÷ day basis
  (365 by default, 360 if the court uses it);
- days are counted from the start date and, by default, not the end date
  (算头不算尾): interest "from 1 March to 31 March" is 30 days. A repayment takes
  effect at the start of its day, so that day accrues on the reduced principal.
  With ``include_end_day`` the end date counts too and a repayment takes effect
  at the end of its day.
- repayments pay the supported interest accrued so far, then (old-rule days
  only) the 24–36 % interest the borrower may pay voluntarily, then principal,
  unless the parties agreed that principal is paid first (民法典 §561).
- each period's interest is rounded to the fen, and totals add the rounded figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from courtdesk.domain.lpr import LprTable
from courtdesk.domain.money import MAX_AMOUNT, format_percent, format_yuan, to_yuan
from courtdesk.errors import FieldProblem, ValidationError

NEW_RULE_FROM = date(2020, 8, 20)  # 民间借贷规定 (2020 revision) in force
OLD_RULE_LAST_DAY = NEW_RULE_FROM - timedelta(days=1)
OLD_SUPPORTED = Decimal(24)  # percent per year
OLD_VOID_ABOVE = Decimal(36)
ZERO = Decimal(0)


class Regime(StrEnum):
    NEW = "new"  # formed on or after 2020-08-20
    TRANSITION = "transition"  # formed before, filed on or after 2020-08-20 (§31)
    OLD = "old"  # formed and filed before 2020-08-20

    @property
    def label(self) -> str:
        return {
            Regime.NEW: "合同成立于 2020年8月20日 以后：以合同成立时一年期LPR的四倍为上限（第二十五条）",
            Regime.TRANSITION: "合同成立于 2020年8月20日 之前、此后起诉：2020年8月19日 前按原规定"
            "（24% / 36%），2020年8月20日 起以起诉时一年期LPR的四倍为上限（第三十一条）",
            Regime.OLD: "合同成立和起诉均在 2020年8月20日 之前：按原规定，年利率 24% 以内支持，"
            "超过 36% 的部分无效",
        }[self]


class Phase(StrEnum):
    LOAN = "loan"  # 借期内
    OVERDUE = "overdue"  # 逾期

    @property
    def label(self) -> str:
        return "借期内" if self is Phase.LOAN else "逾期"


@dataclass(frozen=True)
class Repayment:
    day: date
    amount: Decimal


@dataclass(frozen=True)
class LoanTerms:
    """What the parties agreed and what happened; rates are percent per year."""

    principal: Decimal
    formed: date  # 合同成立日 (for a loan between natural persons: the day the money was delivered)
    start: date  # interest from (计息起始日)
    end: date  # interest up to (计算截止日)
    loan_rate: Decimal | None = None  # 借期内年利率 (%), None: no agreed interest
    overdue_rate: Decimal | None = None  # 逾期年利率 (%) incl. penalties and fees (§29)
    due: date | None = None  # 还款期限; None: no fixed term, no overdue phase
    filed: date | None = None  # 起诉日
    repayments: tuple[Repayment, ...] = ()
    principal_first: bool = False  # the parties agreed repayments pay principal first


@dataclass(frozen=True)
class Convention:
    """How the court counts (settings)."""

    day_basis: int = 365
    include_end_day: bool = False


@dataclass(frozen=True)
class Cap:
    """The cap on one stretch of days and where it comes from."""

    rate: Decimal  # percent per year supported at most
    basis: str  # Chinese
    void_above: Decimal | None = None  # old rule: above this the agreement is void


@dataclass(frozen=True)
class InterestPeriod:
    """Days ``first``..``last`` (both accruing) on one principal at one rate."""

    first: date
    last: date
    days: int
    principal: Decimal
    phase: Phase
    agreed_rate: Decimal
    cap: Cap
    supported_rate: Decimal
    interest: Decimal  # supported, rounded to the fen
    voluntary_interest: Decimal  # old rule 24–36 %: not supported, kept if paid

    def to_dict(self) -> dict[str, object]:
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "days": self.days,
            "principal": str(self.principal),
            "phase": self.phase.value,
            "phase_label": self.phase.label,
            "agreed_rate": format_percent(self.agreed_rate),
            "cap": format_percent(self.cap.rate),
            "cap_basis": self.cap.basis,
            "supported_rate": format_percent(self.supported_rate),
            "interest": str(self.interest),
            "voluntary_interest": str(self.voluntary_interest),
        }


@dataclass(frozen=True)
class AppliedRepayment:
    day: date
    amount: Decimal
    to_interest: Decimal
    to_voluntary: Decimal  # old-rule 24–36 % interest the borrower paid (not returned)
    to_principal: Decimal
    overpaid: Decimal
    principal_after: Decimal

    @property
    def text(self) -> str:
        parts = [f"{self.day.isoformat()} 还款 {format_yuan(self.amount)} 元："]
        pieces = []
        if self.to_interest:
            pieces.append(f"抵充利息 {format_yuan(self.to_interest)} 元")
        if self.to_voluntary:
            pieces.append(
                f"抵充年利率 24%–36% 部分的利息 {format_yuan(self.to_voluntary)} 元（已付不予返还）"
            )
        if self.to_principal:
            pieces.append(f"抵充本金 {format_yuan(self.to_principal)} 元")
        if self.overpaid:
            pieces.append(f"多付 {format_yuan(self.overpaid)} 元")
        parts.append("，".join(pieces) or "无可抵充")
        parts.append(f"；剩余本金 {format_yuan(self.principal_after)} 元")
        return "".join(parts)

    def to_dict(self) -> dict[str, object]:
        return {
            "date": self.day.isoformat(),
            "amount": str(self.amount),
            "to_interest": str(self.to_interest),
            "to_voluntary_interest": str(self.to_voluntary),
            "to_principal": str(self.to_principal),
            "overpaid": str(self.overpaid),
            "principal_after": str(self.principal_after),
            "text": self.text,
        }


@dataclass(frozen=True)
class LendingResult:
    terms: LoanTerms
    convention: Convention
    regime: Regime
    caps: tuple[str, ...]  # which cap applies, and which part of the agreed interest is supported
    periods: tuple[InterestPeriod, ...]
    repayments: tuple[AppliedRepayment, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def interest_supported(self) -> Decimal:
        """All supported interest accrued from the start to the end date."""
        return sum((p.interest for p in self.periods), ZERO)

    @property
    def interest_paid(self) -> Decimal:
        return sum((r.to_interest for r in self.repayments), ZERO)

    @property
    def interest_outstanding(self) -> Decimal:
        return self.interest_supported - self.interest_paid

    @property
    def principal_outstanding(self) -> Decimal:
        return self.repayments[-1].principal_after if self.repayments else self.terms.principal

    @property
    def overpaid(self) -> Decimal:
        return sum((r.overpaid for r in self.repayments), ZERO)

    @property
    def total_outstanding(self) -> Decimal:
        return self.principal_outstanding + self.interest_outstanding

    def summary(self) -> list[str]:
        lines = [
            f"计至 {self.terms.end.isoformat()}：支持的利息共 {format_yuan(self.interest_supported)} 元，"
            f"已还利息 {format_yuan(self.interest_paid)} 元，"
            f"尚欠利息 {format_yuan(self.interest_outstanding)} 元",
            f"尚欠本金 {format_yuan(self.principal_outstanding)} 元，"
            f"本息合计 {format_yuan(self.total_outstanding)} 元",
        ]
        if self.overpaid:
            lines.append(f"借款人多付 {format_yuan(self.overpaid)} 元")
        return lines

    def to_dict(self) -> dict[str, object]:
        t = self.terms
        return {
            "principal": str(t.principal),
            "formed": t.formed.isoformat(),
            "from": t.start.isoformat(),
            "to": t.end.isoformat(),
            "due": None if t.due is None else t.due.isoformat(),
            "filed": None if t.filed is None else t.filed.isoformat(),
            "loan_rate": None if t.loan_rate is None else format_percent(t.loan_rate),
            "overdue_rate": None if t.overdue_rate is None else format_percent(t.overdue_rate),
            "day_basis": self.convention.day_basis,
            "include_end_day": self.convention.include_end_day,
            "regime": self.regime.value,
            "regime_label": self.regime.label,
            "caps": list(self.caps),
            "periods": [p.to_dict() for p in self.periods],
            "repayments": [r.to_dict() for r in self.repayments],
            "interest_supported": str(self.interest_supported),
            "interest_paid": str(self.interest_paid),
            "interest_outstanding": str(self.interest_outstanding),
            "principal_outstanding": str(self.principal_outstanding),
            "total_outstanding": str(self.total_outstanding),
            "overpaid": str(self.overpaid),
            "summary": self.summary(),
            "notes": list(self.notes),
        }


def check_terms(terms: LoanTerms, convention: Convention) -> None:
    """Refuse what cannot be computed, naming every field that is wrong."""
    problems: list[FieldProblem] = []

    def problem(name: str, message: str) -> None:
        problems.append(FieldProblem(name, message))

    if not terms.principal.is_finite() or terms.principal <= 0:
        problem("principal", f"借款本金必须大于零（输入的是 {terms.principal} 元）")
    elif terms.principal >= MAX_AMOUNT:  # before rounding: 1E+26 to the fen overflows
        problem("principal", f"借款本金金额过大（输入的是 {terms.principal} 元）")
    elif terms.principal != to_yuan(terms.principal):
        problem("principal", "借款本金最多保留两位小数（到分）")
    for name, label, rate in (
        ("loan_rate", "借期内年利率", terms.loan_rate),
        ("overdue_rate", "逾期年利率", terms.overdue_rate),
    ):
        if rate is not None and (not rate.is_finite() or rate < 0 or rate > 1000):
            problem(name, f"{label}应在 0 至 1000 之间（单位 %，输入的是 {rate}）")
    if terms.start < terms.formed:
        problem("start", "计息起始日不能早于合同成立日")
    if terms.end <= terms.start:
        problem("end", "计算截止日应晚于计息起始日")
    if terms.due is not None and terms.due < terms.formed:
        problem("due", "还款期限不能早于合同成立日")
    if terms.filed is not None and terms.filed < terms.formed:
        problem("filed", "起诉日不能早于合同成立日")
    if (
        terms.formed < NEW_RULE_FROM
        and terms.filed is None
        and _last_day(terms, convention) >= (NEW_RULE_FROM)
    ):
        problem(
            "filed",
            "合同成立于 2020年8月20日 之前，须填写起诉日：2020年8月20日 以后的利息"
            "以起诉时一年期LPR的四倍为上限（民间借贷规定第三十一条）",
        )
    for index, repayment in enumerate(terms.repayments, 1):
        if not repayment.amount.is_finite() or repayment.amount <= 0:
            problem(f"repayments.{index}", f"第 {index} 笔还款金额必须大于零")
        elif repayment.amount >= MAX_AMOUNT:
            problem(f"repayments.{index}", f"第 {index} 笔还款金额过大")
        elif repayment.amount != to_yuan(repayment.amount):
            problem(f"repayments.{index}", f"第 {index} 笔还款金额最多保留两位小数")
        if not terms.start <= repayment.day <= terms.end:
            problem(
                f"repayments.{index}",
                f"第 {index} 笔还款日 {repayment.day.isoformat()} 不在计息期间"
                f"（{terms.start.isoformat()} 至 {terms.end.isoformat()}）内",
            )
    if convention.day_basis not in (360, 365):
        problem("day_basis", "计息天数基准只能是 365 或 360")
    if problems:
        raise ValidationError(problems)


def _last_day(terms: LoanTerms, convention: Convention) -> date:
    return terms.end if convention.include_end_day else terms.end - timedelta(days=1)


def regime_of(terms: LoanTerms) -> Regime:
    if terms.formed >= NEW_RULE_FROM:
        return Regime.NEW
    if terms.filed is not None and terms.filed < NEW_RULE_FROM:
        return Regime.OLD
    return Regime.TRANSITION


@dataclass(frozen=True)
class _Rules:
    """The caps of one contract, day by day."""

    regime: Regime
    new_cap: Cap | None  # the 4 × LPR cap of the new rule (NEW, or TRANSITION from 2020-08-20)
    old_cap: Cap

    def cap_on(self, day: date) -> Cap:
        if self.regime is Regime.OLD or (self.regime is Regime.TRANSITION and day < NEW_RULE_FROM):
            return self.old_cap
        assert self.new_cap is not None
        return self.new_cap


def _rules(terms: LoanTerms, lpr: LprTable) -> _Rules:
    regime = regime_of(terms)
    old_cap = Cap(
        OLD_SUPPORTED,
        "原民间借贷规定：年利率 24% 以内支持，24%–36% 部分已付不予返还，超过 36% 部分无效",
        OLD_VOID_ABOVE,
    )
    new_cap: Cap | None = None
    if regime is Regime.NEW:
        fixing = lpr.rate_on(terms.formed, "合同成立日")
        new_cap = Cap(
            fixing.cap,
            f"合同成立日 {terms.formed.isoformat()} 一年期LPR {format_percent(fixing.rate)}"
            f"（{fixing.day.isoformat()} 起适用）的四倍（第二十五条）",
        )
    elif regime is Regime.TRANSITION and terms.filed is not None:
        fixing = lpr.rate_on(terms.filed, "起诉日")
        new_cap = Cap(
            fixing.cap,
            f"起诉日 {terms.filed.isoformat()} 一年期LPR {format_percent(fixing.rate)}"
            f"（{fixing.day.isoformat()} 起适用）的四倍（第三十一条）",
        )
    return _Rules(regime, new_cap, old_cap)


def _agreed_rate(terms: LoanTerms, phase: Phase) -> Decimal:
    if phase is Phase.LOAN:
        return terms.loan_rate or ZERO
    if terms.overdue_rate is not None:
        return terms.overdue_rate
    return terms.loan_rate or ZERO


def _breaks(terms: LoanTerms, first: date, last: date) -> list[date]:
    """The days within first..last on which a new period must start (rate or cap changes)."""
    days = []
    if terms.due is not None:
        days.append(terms.due + timedelta(days=1))
    days.append(NEW_RULE_FROM)
    return sorted(d for d in set(days) if first < d <= last)


def compute_interest(
    terms: LoanTerms, lpr: LprTable, convention: Convention | None = None
) -> LendingResult:
    """The supported interest period by period, with repayments applied, up to ``terms.end``."""
    convention = convention or Convention()
    check_terms(terms, convention)
    rules = _rules(terms, lpr)
    last_day = _last_day(terms, convention)
    # A repayment on day r takes effect before day r accrues (or after, counting the end day).
    shift = 0 if convention.include_end_day else 1
    cuts = sorted(terms.repayments, key=lambda r: r.day)

    periods: list[InterestPeriod] = []
    applied: list[AppliedRepayment] = []
    principal = terms.principal
    owed_interest = ZERO
    owed_voluntary = ZERO
    cursor = terms.start

    def accrue(through: date) -> None:
        nonlocal cursor, owed_interest, owed_voluntary
        if through < cursor or principal <= 0:
            cursor = max(cursor, through + timedelta(days=1))
            return
        stops = [*_breaks(terms, cursor, through), through + timedelta(days=1)]
        for stop in stops:
            first, last = cursor, stop - timedelta(days=1)
            days = (last - first).days + 1
            phase = Phase.OVERDUE if terms.due is not None and first > terms.due else Phase.LOAN
            agreed = _agreed_rate(terms, phase)
            cap = rules.cap_on(first)
            supported = min(agreed, cap.rate)
            voluntary_rate = ZERO
            if cap.void_above is not None:
                voluntary_rate = min(agreed, cap.void_above) - supported
            interest = to_yuan(principal * supported / 100 * days / convention.day_basis)
            voluntary = to_yuan(principal * voluntary_rate / 100 * days / convention.day_basis)
            if agreed > 0:
                periods.append(
                    InterestPeriod(
                        first,
                        last,
                        days,
                        principal,
                        phase,
                        agreed,
                        cap,
                        supported,
                        interest,
                        voluntary,
                    )
                )
            owed_interest += interest
            owed_voluntary += voluntary
            cursor = stop

    for repayment in cuts:
        accrue(repayment.day - timedelta(days=shift))
        amount = repayment.amount
        if terms.principal_first:
            to_principal = min(amount, principal)
            to_interest = min(amount - to_principal, owed_interest)
            to_voluntary = min(amount - to_principal - to_interest, owed_voluntary)
        else:
            to_interest = min(amount, owed_interest)
            to_voluntary = min(amount - to_interest, owed_voluntary)
            to_principal = min(amount - to_interest - to_voluntary, principal)
        overpaid = amount - to_interest - to_voluntary - to_principal
        owed_interest -= to_interest
        owed_voluntary -= to_voluntary
        principal -= to_principal
        applied.append(
            AppliedRepayment(
                repayment.day,
                amount,
                to_interest,
                to_voluntary,
                to_principal,
                overpaid,
                principal,
            )
        )
    accrue(last_day)

    return LendingResult(
        terms,
        convention,
        rules.regime,
        tuple(_cap_lines(terms, rules)),
        tuple(periods),
        tuple(applied),
        tuple(_notes(terms, convention)),
    )


def _cap_lines(terms: LoanTerms, rules: _Rules) -> list[str]:
    """Which cap applies and which part of each agreed rate is supported."""
    lines = [rules.regime.label]
    caps = []
    if rules.regime is not Regime.NEW:
        caps.append(
            ("2020年8月19日 以前" if rules.regime is Regime.TRANSITION else "", rules.old_cap)
        )
    if rules.new_cap is not None:
        caps.append(
            ("2020年8月20日 起" if rules.regime is Regime.TRANSITION else "", rules.new_cap)
        )
    for when, cap in caps:
        lines.append(f"{when}上限年利率 {format_percent(cap.rate)}：{cap.basis}")
        for label, rate in (("借期内", terms.loan_rate), ("逾期", terms.overdue_rate)):
            if rate is None:
                continue
            if rate <= cap.rate:
                lines.append(f"  约定{label}年利率 {format_percent(rate)} 未超过上限，全部支持")
            elif cap.void_above is not None and rate > cap.void_above:
                lines.append(
                    f"  约定{label}年利率 {format_percent(rate)}：{format_percent(cap.rate)} 以内支持，"
                    f"超过 {format_percent(cap.void_above)} 的部分无效"
                )
            else:
                lines.append(
                    f"  约定{label}年利率 {format_percent(rate)}：超过 {format_percent(cap.rate)} 的部分不予支持"
                )
    return lines


def _notes(terms: LoanTerms, convention: Convention) -> list[str]:
    notes = []
    if terms.loan_rate is None:
        notes.append("未约定借期内利息（或自然人之间约定不明）：借期内不支持利息（第二十四条）")
    if terms.due is not None and terms.overdue_rate is None:
        if terms.loan_rate is not None:
            notes.append("未约定逾期利率：逾期利息按借期内利率计算（第二十八条第二款第二项）")
        else:
            notes.append(
                "既未约定借期内利率也未约定逾期利率：出借人可主张自逾期还款之日起"
                "参照当时一年期LPR计算的逾期利息（第二十八条第二款第一项），本计算未包括"
            )
    if terms.due is None and terms.overdue_rate is not None:
        notes.append("未填写还款期限：约定的逾期利率没有适用的期间，未计算逾期利息")
    end_rule = (
        "算头也算尾（含截止日）" if convention.include_end_day else "算头不算尾（不含截止日）"
    )
    notes.append(
        f"计息方法：本金 × 年利率 ÷ {convention.day_basis} × 天数，{end_rule}；每段利息四舍五入到分"
    )
    if terms.repayments:
        order = (
            "先本后息（当事人约定）"
            if terms.principal_first
            else "先息后本（民法典第五百六十一条）"
        )
        notes.append(f"还款抵充顺序：{order}")
    return notes


def annual_rate_from_monthly(monthly_percent: Decimal) -> Decimal:
    """月利率 → 年利率 (× 12): 月息 2 分 (2 %) is 24 % a year."""
    return monthly_percent * 12
