"""Trial time limits (审限), domain-rules.md section 2.

What a case's 审限 is on any day: the base limit of its procedure, the extensions
approved so far, the periods excluded from it (公告, 鉴定, 中止 …) and procedure
conversions. Pure functions over plain values; the services load the facts and
store the answers the docket sorts on.

Rules and the readings chosen where the table is terse (each is a comment below
too, and listed in the report of the issue):

- Counted from the day after filing (审限规定 §8) — or, for a criminal conversion,
  from the day after the decision to convert (see CONVERSIONS) — in calendar
  days; holidays never extend it. Months follow 民法典 §201–203 (``add_months``).
- An extension lengthens the limit itself: a summary case (3 months) extended by
  1 month has a 4-month limit counted from filing, so a case filed on 31 August
  ends on 31 December, not on 30 December (the old expiry 30 November + 1 month).
  This is what "total never above 4 months" measures, and it keeps month-end
  cases from losing a day at every extension.
- An excluded period is given by its first and last excluded day, both included:
  a 公告 of 30 days published on 1 March is entered as 2 March – 31 March.
  Overlapping periods count once (the union of their days). A period only stops
  the clock if it begins on or before the expiry reached so far: a period that
  begins after the limit has already run out does not rescue an overdue case.
- While an excluded period is still open the clock is stopped: the expiry is
  provisional (computed as if the period ended on the day asked about) and the
  state is 中止中; the days left stay the same every day until it is closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from courtdesk.domain.dates import add_months
from courtdesk.domain.procedures import PROCEDURES, Limit, procedure
from courtdesk.errors import ValidationError

DEFAULT_NEAR_EXPIRY_DAYS = 15
# SPC 2019 rule on extensions: apply at least 15 days before expiry, and the
# president decides at least 5 days before expiry (both are settings too).
DEFAULT_APPLY_DAYS_BEFORE = 15
DEFAULT_DECIDE_DAYS_BEFORE = 5


def add_limit(start: date, limit: Limit) -> date:
    """The last day of a ``limit`` counted from the day after ``start``.

    Months follow 民法典 §202 (corresponding day, or the month's last day);
    days are counted from the day after ``start``, so 30 days from 1 March ends
    on 31 March.
    """
    return add_months(start, limit.months) + timedelta(days=limit.days)


def base_expiry(procedure_code: str, filing_date: date) -> date | None:
    """The 审限 expiry before extensions and excluded periods, or None if untracked."""
    limit = procedure(procedure_code).base_limit
    return None if limit is None else add_limit(filing_date, limit)


def plus(*limits: Limit) -> Limit:
    """Limits added up: months with months, days with days (1个月 + 15日 stays that)."""
    return Limit(sum(x.months for x in limits), sum(x.days for x in limits))


# ---------------------------------------------------------------- extensions
class Approver(StrEnum):
    """Who may approve an extension (each step of a rule names one)."""

    PRESIDENT = "president"  # 本院院长 (or whom the court authorises: a setting)
    HIGHER_COURT = "higher_court"  # 上一级人民法院
    HIGH_COURT = "high_court"  # 高级人民法院
    SUPREME_COURT = "supreme_court"  # 最高人民法院

    @property
    def label(self) -> str:
        return _APPROVER_LABELS[self]

    @property
    def is_external(self) -> bool:
        """Approved outside this court: the court records the reply (批复) it received."""
        return self is not Approver.PRESIDENT


_APPROVER_LABELS = {
    Approver.PRESIDENT: "本院院长",
    Approver.HIGHER_COURT: "上一级人民法院",
    Approver.HIGH_COURT: "高级人民法院",
    Approver.SUPREME_COURT: "最高人民法院",
}


@dataclass(frozen=True)
class ExtensionStep:
    """One rung of an extension rule: who approves, and how much in all at most.

    ``cap`` None: the law sets no amount, the approval states it (a form proposes
    ``default``).
    """

    approver: Approver
    cap: Limit | None
    default: Limit


@dataclass(frozen=True)
class ExtensionRule:
    """How a procedure's limit may be extended, rung by rung.

    Extensions are granted by the first rung whose cap is not used up; once the
    president's months are used, further time needs the higher court. ``total_cap``
    bounds the whole limit (base plus every extension), as in summary procedure.
    """

    steps: tuple[ExtensionStep, ...]
    basis: str
    total_cap: Limit | None = None

    @property
    def extendable(self) -> bool:
        return bool(self.steps)


_P, _H, _HH, _S = (
    Approver.PRESIDENT,
    Approver.HIGHER_COURT,
    Approver.HIGH_COURT,
    Approver.SUPREME_COURT,
)
_NONE = ExtensionRule((), "")

# Every row of domain-rules.md section 2. Readings where the table is terse:
# - civil ordinary: the president grants up to 6 months in all (in one or more
#   approvals); beyond that each extension is the higher court's, as long as its
#   reply says (no statutory amount; the form proposes 3 months).
# - civil summary: +1 month by the president and the whole limit never above 4
#   months; a case needing more is converted to ordinary procedure (民诉解释 §258).
# - civil appeals against judgments and special procedure: "by the president"
#   with no amount in the law, so the approval states it.
# - criminal public prosecution: "2 months, at most 3" is read as the court's own
#   one further month, approved by the president; then +3 months with the higher
#   court's approval (cases that may bring a death sentence, with a civil claim,
#   or under 刑诉法 §158), and beyond that only the Supreme People's Court.
# - criminal appeal: +2 months by the provincial high court, then the SPC.
# - administrative first instance: the table says "by the higher court"; 行诉法
#   §81 names the high court (高级人民法院), which is what is recorded.
# - administrative appeal: the table is silent; 行诉法 §88 lets the high court
#   extend it, so that rung is offered.
# - criminal summary / fast-track and administrative summary: no extension; a
#   case that cannot finish is converted (see CONVERSIONS).
# - private prosecution (自诉): the table is silent; no extension is offered.
EXTENSION_RULES: dict[str, ExtensionRule] = {
    "civil_ordinary": ExtensionRule(
        (
            ExtensionStep(_P, Limit(months=6), Limit(months=6)),
            ExtensionStep(_H, None, Limit(months=3)),
        ),
        "民诉法第152条：经本院院长批准可以延长六个月；还需要延长的，报请上级人民法院批准",
    ),
    "civil_summary": ExtensionRule(
        (ExtensionStep(_P, Limit(months=1), Limit(months=1)),),
        "民诉法第164条、民诉解释第258条：经本院院长批准可以延长一个月，累计不得超过四个月",
        total_cap=Limit(months=4),
    ),
    "civil_small_claims": ExtensionRule(
        (ExtensionStep(_P, Limit(months=1), Limit(months=1)),),
        "民诉法第168条：经本院院长批准可以延长一个月",
    ),
    "civil_appeal_judgment": ExtensionRule(
        (ExtensionStep(_P, None, Limit(months=3)),),
        "民诉法第183条：有特殊情况需要延长的，由本院院长批准",
    ),
    "civil_appeal_ruling": ExtensionRule((), "民诉法第183条：对裁定的上诉案件审限不得延长"),
    "civil_special": ExtensionRule(
        (ExtensionStep(_P, None, Limit(days=30)),),
        "民诉法第187条：有特殊情况需要延长的，由本院院长批准",
    ),
    "criminal_public": ExtensionRule(
        (
            ExtensionStep(_P, Limit(months=1), Limit(months=1)),
            ExtensionStep(_H, Limit(months=3), Limit(months=3)),
            ExtensionStep(_S, None, Limit(months=3)),
        ),
        "刑诉法第208条：二个月以内宣判，至迟不得超过三个月；经上一级人民法院批准可以延长三个月；"
        "因特殊情况还需要延长的，报请最高人民法院批准",
    ),
    "criminal_summary": ExtensionRule((), "刑诉法第220条：简易程序审限不得延长"),
    "criminal_summary_long": ExtensionRule((), "刑诉法第220条：简易程序审限不得延长"),
    "criminal_fast_track": ExtensionRule((), "刑诉法第225条：速裁程序审限不得延长"),
    "criminal_fast_track_long": ExtensionRule((), "刑诉法第225条：速裁程序审限不得延长"),
    "criminal_private": ExtensionRule((), "刑诉法第212条：自诉案件审限（本表未规定延长）"),
    "criminal_appeal": ExtensionRule(
        (
            ExtensionStep(_HH, Limit(months=2), Limit(months=2)),
            ExtensionStep(_S, None, Limit(months=2)),
        ),
        "刑诉法第243条：经省、自治区、直辖市高级人民法院批准可以延长二个月；"
        "因特殊情况还需要延长的，报请最高人民法院批准",
    ),
    "admin_first": ExtensionRule(
        (ExtensionStep(_HH, None, Limit(months=3)),),
        "行诉法第81条：有特殊情况需要延长的，由高级人民法院批准",
    ),
    "admin_summary": ExtensionRule((), "行诉法第83条：简易程序审限不得延长，可转为普通程序"),
    "admin_appeal": ExtensionRule(
        (ExtensionStep(_HH, None, Limit(months=3)),),
        "行诉法第88条：有特殊情况需要延长的，由高级人民法院批准",
    ),
    "enforcement": ExtensionRule(
        (ExtensionStep(_P, Limit(months=3), Limit(months=3)),),
        "执行案件六个月内执结；有特殊情况的，经本院院长批准可以延长三个月",
    ),
}


def extension_rule(procedure_code: str) -> ExtensionRule:
    return EXTENSION_RULES.get(procedure_code, _NONE)


@dataclass(frozen=True)
class Extension:
    """An approved extension: how long, and on whose approval."""

    length: Limit
    approver: Approver


def _within(start: date, granted: Limit, cap: Limit) -> bool:
    # Compared as dates from the same start: "1 month" and "30 days" are not
    # comparable numbers, but the days they end on are.
    return add_limit(start, granted) <= add_limit(start, cap)


def next_step(
    procedure_code: str, start: date, approved: Sequence[Extension]
) -> ExtensionStep | None:
    """The rung the next extension falls on, or None when no more is possible."""
    for step in extension_rule(procedure_code).steps:
        if step.cap is None:
            return step
        used = plus(*(e.length for e in approved if e.approver is step.approver))
        if not _within(start, plus(used, Limit(days=1)), step.cap):
            continue
        return step
    return None


MAX_EXTENSION_MONTHS = 36  # what the application form offers at most
MAX_EXTENSION_DAYS = 365


def check_extension(
    procedure_code: str, start: date, approved: Sequence[Extension], requested: Limit
) -> ExtensionStep:
    """The rung a requested extension falls on; raises ValidationError if the law refuses it.

    ``approved``: the extensions already granted under this procedure.
    """
    proc = procedure(procedure_code)
    rule = extension_rule(procedure_code)
    if requested.months < 0 or requested.days < 0 or (requested.months, requested.days) == (0, 0):
        raise ValidationError("延长期限应为正数（月数或天数）", "length")
    if requested.months > MAX_EXTENSION_MONTHS or requested.days > MAX_EXTENSION_DAYS:
        # Far beyond any rung of the law (and, counted on, beyond the calendar's last year).
        raise ValidationError(
            f"延长期限过长（每次最多 {MAX_EXTENSION_MONTHS} 个月又 {MAX_EXTENSION_DAYS} 日）",
            "length",
        )
    if proc.base_limit is None:
        raise ValidationError(f"{proc.label}不计审限，无需延长", "length")
    if not rule.extendable:
        raise ValidationError(f"{proc.label}的审限不能延长（{rule.basis}）", "length")
    step = next_step(procedure_code, start, approved)
    if step is None:
        raise ValidationError(
            f"{proc.label}的审限延长已达上限，不能再延长（{rule.basis}）", "length"
        )
    if step.cap is not None:
        used = plus(*(e.length for e in approved if e.approver is step.approver))
        if not _within(start, plus(used, requested), step.cap):
            message = f"经{step.approver.label}批准的延长累计不得超过{step.cap}"
            if used != Limit():
                message += f"（已延长{used}）"
            later = rule.steps[rule.steps.index(step) + 1 :]
            if later:
                message += f"；更长的延长须报请{later[0].approver.label}批准，请分次申请"
            raise ValidationError(message, "length")
    if rule.total_cap is not None:
        total = plus(proc.base_limit, *(e.length for e in approved), requested)
        if not _within(start, total, rule.total_cap):
            raise ValidationError(
                f"{proc.label}延长后的审限累计不得超过{rule.total_cap}（{rule.basis}）；"
                "仍需更长时间的，应裁定转为普通程序",
                "length",
            )
    return step


# ---------------------------------------------------------------- excluded periods
class ExclusionKind(StrEnum):
    """Periods not counted in the 审限 (审限规定 §9, 民诉解释 §243)."""

    PUBLIC_NOTICE = "public_notice"  # 公告期间
    APPRAISAL = "appraisal"  # 鉴定期间
    JURISDICTION = "jurisdiction"  # 管辖异议、管辖争议
    AUDIT = "audit"  # 审计、评估、清算
    SUSPENSION = "suspension"  # 中止诉讼（执行）至恢复
    SETTLEMENT = "settlement"  # 当事人和解期间
    ENFORCEMENT_SETTLEMENT = "enforcement_settlement"  # 执行和解
    ENFORCEMENT_STAY = "enforcement_stay"  # 暂缓执行
    AUCTION = "auction"  # 拍卖、变卖

    @property
    def label(self) -> str:
        return _EXCLUSION_LABELS[self][0]

    @property
    def categories(self) -> frozenset[str]:
        """The case categories (Category values) the period can occur in."""
        return _EXCLUSION_LABELS[self][1]

    @property
    def sets_suspended(self) -> bool:
        """An open 中止 puts the case itself in the 中止 status (the docket shows it)."""
        return self is ExclusionKind.SUSPENSION


_TRIAL = frozenset({"civil", "criminal", "administrative"})
_ENF = frozenset({"enforcement"})
_EXCLUSION_LABELS: dict[ExclusionKind, tuple[str, frozenset[str]]] = {
    ExclusionKind.PUBLIC_NOTICE: ("公告", _TRIAL | _ENF),
    ExclusionKind.APPRAISAL: ("鉴定", _TRIAL | _ENF),
    ExclusionKind.JURISDICTION: ("管辖异议、管辖争议", frozenset({"civil", "administrative"})),
    ExclusionKind.AUDIT: ("审计、评估、清算", _TRIAL | _ENF),
    ExclusionKind.SUSPENSION: ("中止", _TRIAL | _ENF),
    ExclusionKind.SETTLEMENT: ("当事人和解", frozenset({"civil", "administrative"})),
    ExclusionKind.ENFORCEMENT_SETTLEMENT: ("执行和解", _ENF),
    ExclusionKind.ENFORCEMENT_STAY: ("暂缓执行", _ENF),
    ExclusionKind.AUCTION: ("拍卖、变卖", _ENF),
}


@dataclass(frozen=True)
class Exclusion:
    """A period not counted: first and last excluded day (both included); end None = still open."""

    kind: ExclusionKind
    start: date
    end: date | None = None

    @property
    def is_open(self) -> bool:
        return self.end is None


@dataclass(frozen=True)
class _Span:
    start: date
    end: date
    open: bool

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _spans(exclusions: Iterable[Exclusion], after: date, until: date) -> list[_Span]:
    """The excluded days in (after, until] as disjoint, ordered spans (overlaps merged)."""
    clipped: list[_Span] = []
    for ex in exclusions:
        first = max(ex.start, after + timedelta(days=1))
        last = until if ex.end is None else min(ex.end, until)
        if first <= last:
            clipped.append(_Span(first, last, ex.end is None))
    clipped.sort(key=lambda s: (s.start, s.end))
    merged: list[_Span] = []
    for span in clipped:
        if merged and span.start <= merged[-1].end + timedelta(days=1):
            prev = merged[-1]
            merged[-1] = _Span(prev.start, max(prev.end, span.end), prev.open or span.open)
        else:
            merged.append(span)
    return merged


def excluded_days_between(exclusions: Iterable[Exclusion], after: date, until: date) -> int:
    """Days in (after, until] inside any excluded period (each day once)."""
    return sum(s.days for s in _spans(exclusions, after, until))


def trial_days(filed: date, closed: date, exclusions: Iterable[Exclusion]) -> int:
    """审理天数 for 平均审理天数: filing to closing, excluded periods removed."""
    return (closed - filed).days - excluded_days_between(exclusions, filed, closed)


# ---------------------------------------------------------------- conversions
@dataclass(frozen=True)
class Conversion:
    """A procedure change allowed by law, and whether the count starts again."""

    restarts: bool
    basis: str


_KEEP_CIVIL = Conversion(False, "民诉解释第258条：转为普通程序的，审理期限自立案之日起计算")
_KEEP_SMALL = Conversion(False, "民诉法第170条、民诉解释第281条：审理期限自立案之日起计算")
_KEEP_ADMIN = Conversion(False, "行诉法解释第105条：转为普通程序的，审理期限自立案之日起计算")
_RESTART_SUMMARY = Conversion(
    True, "刑诉法解释第368条：转为普通程序审理的，审理期限从作出决定之日起计算"
)
_RESTART_FAST = Conversion(
    True, "刑诉法解释第377条：转为普通程序或简易程序审理的，审理期限从作出决定之日起计算"
)
# from → to → rule. Civil and administrative conversions keep the filing date as the
# start; criminal ones count afresh from the decision (the 2021 criminal interpretation).
CONVERSIONS: dict[str, dict[str, Conversion]] = {
    "civil_small_claims": {"civil_summary": _KEEP_SMALL, "civil_ordinary": _KEEP_SMALL},
    "civil_summary": {"civil_ordinary": _KEEP_CIVIL},
    "admin_summary": {"admin_first": _KEEP_ADMIN},
    "criminal_summary": {"criminal_public": _RESTART_SUMMARY},
    "criminal_summary_long": {"criminal_public": _RESTART_SUMMARY},
    "criminal_fast_track": {
        "criminal_summary": _RESTART_FAST,
        "criminal_summary_long": _RESTART_FAST,
        "criminal_public": _RESTART_FAST,
    },
    "criminal_fast_track_long": {
        "criminal_summary": _RESTART_FAST,
        "criminal_summary_long": _RESTART_FAST,
        "criminal_public": _RESTART_FAST,
    },
}


def conversion(from_code: str, to_code: str) -> Conversion:
    """The rule for converting ``from_code`` to ``to_code``; ValidationError if not allowed."""
    rule = CONVERSIONS.get(from_code, {}).get(to_code)
    if rule is None:
        allowed = "、".join(PROCEDURES[p].label for p in CONVERSIONS.get(from_code, {}))
        source = procedure(from_code).label
        target = PROCEDURES[to_code].label if to_code in PROCEDURES else to_code
        hint = f"（可转为：{allowed}）" if allowed else "（本程序不能转换）"
        raise ValidationError(f"{source}不能转为{target}{hint}", "procedure")
    return rule


# ---------------------------------------------------------------- the computation
class TimeLimitState(StrEnum):
    NORMAL = "normal"  # 正常
    NEAR = "near"  # 临近届满
    OVERDUE = "overdue"  # 已超审限
    PAUSED = "paused"  # 中止中 (an excluded period is open)
    CLOSED_WITHIN = "closed_within"  # 审限内结案
    CLOSED_LATE = "closed_late"  # 超审限结案
    UNTRACKED = "untracked"  # 不计审限

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    TimeLimitState.NORMAL: "正常",
    TimeLimitState.NEAR: "临近届满",
    TimeLimitState.OVERDUE: "已超审限",
    TimeLimitState.PAUSED: "中止中",
    TimeLimitState.CLOSED_WITHIN: "审限内结案",
    TimeLimitState.CLOSED_LATE: "超审限结案",
    TimeLimitState.UNTRACKED: "不计审限",
}


@dataclass(frozen=True)
class TimeLimitInputs:
    """The facts of one case the 审限 depends on."""

    procedure: str
    start: date  # filing date, or the decision date of a conversion that restarts the count
    extensions: tuple[Extension, ...] = ()  # approved under the current procedure
    exclusions: tuple[Exclusion, ...] = ()
    closed_on: date | None = None


@dataclass(frozen=True)
class TimeLimitResult:
    """The answers, as of ``as_of`` (or the closing date for a closed case)."""

    procedure: str
    start: date
    as_of: date
    state: TimeLimitState
    base_limit: Limit | None
    extended_by: Limit
    limit: Limit | None  # base plus extensions
    limit_end: date | None  # where the limit ends before excluded periods
    excluded_days: int  # excluded days that moved the expiry (so far)
    expiry: date | None
    provisional: bool  # an open excluded period: expiry moves on while it stays open
    paused_since: date | None
    days_used: int
    days_left: int | None
    steps: tuple[str, ...] = field(default=())  # the working, in Chinese

    @property
    def tracked(self) -> bool:
        return self.state is not TimeLimitState.UNTRACKED

    def to_dict(self) -> dict[str, object]:
        def iso(d: date | None) -> str | None:
            return None if d is None else d.isoformat()

        return {
            "procedure": self.procedure,
            "procedure_label": procedure(self.procedure).label,
            "start": iso(self.start),
            "as_of": iso(self.as_of),
            "state": self.state.value,
            "state_label": self.state.label,
            "base_limit": None if self.base_limit is None else str(self.base_limit),
            "extended_by": str(self.extended_by) if self.extended_by != Limit() else None,
            "limit": None if self.limit is None else str(self.limit),
            "limit_end": iso(self.limit_end),
            "excluded_days": self.excluded_days,
            "expiry": iso(self.expiry),
            "provisional": self.provisional,
            "paused_since": iso(self.paused_since),
            "days_used": self.days_used,
            "days_left": self.days_left,
            "steps": list(self.steps),
        }


def compute(
    inputs: TimeLimitInputs, as_of: date, near_days: int = DEFAULT_NEAR_EXPIRY_DAYS
) -> TimeLimitResult:
    """The 审限 of a case on ``as_of``: expiry, days used and left, and its state.

    A closed case is measured at its closing date whatever ``as_of`` says.
    """
    proc = procedure(inputs.procedure)
    reference = inputs.closed_on or as_of
    start = inputs.start
    spans = _spans(inputs.exclusions, start, max(reference, start))
    elapsed = max(0, (reference - start).days)
    if proc.base_limit is None:
        excluded = sum(s.days for s in spans)
        return TimeLimitResult(
            inputs.procedure,
            start,
            reference,
            TimeLimitState.UNTRACKED,
            None,
            Limit(),
            None,
            None,
            excluded,
            None,
            False,
            None,
            elapsed - excluded,
            None,
            (f"{proc.label}不计审限",),
        )
    extended_by = plus(*(e.length for e in inputs.extensions))
    limit = plus(proc.base_limit, extended_by)
    limit_end = add_limit(start, limit)
    steps = [
        f"自 {start.isoformat()} 次日起算{proc.label}审限{proc.base_limit}（{proc.basis}），"
        f"计至 {add_limit(start, proc.base_limit).isoformat()}"
    ]
    for ext in inputs.extensions:
        steps.append(f"经{ext.approver.label}批准延长{ext.length}")
    if inputs.extensions:
        steps.append(f"延长后审限共{limit}，计至 {limit_end.isoformat()}")
    expiry = limit_end
    counted = 0
    paused_since: date | None = None
    for span in spans:
        if span.start > expiry:
            steps.append(
                f"{span.start.isoformat()} 起的扣除期间开始时审限已届满，不再顺延审限届满日"
            )
            break
        expiry += timedelta(days=span.days)
        counted += span.days
        end_text = f"至今（{span.end.isoformat()}）仍在进行" if span.open else span.end.isoformat()
        steps.append(
            f"扣除 {span.start.isoformat()} 至 {end_text}，共 {span.days} 日，顺延至 {expiry.isoformat()}"
        )
        if span.open and inputs.closed_on is None:
            paused_since = span.start
    days_used = elapsed - counted
    days_left = (expiry - reference).days
    if inputs.closed_on is not None:
        state = (
            TimeLimitState.CLOSED_WITHIN
            if inputs.closed_on <= expiry
            else TimeLimitState.CLOSED_LATE
        )
        steps.append(f"{inputs.closed_on.isoformat()} 结案，{state.label}")
    elif paused_since is not None:
        state = TimeLimitState.PAUSED
        steps.append("扣除期间尚未结束，审限暂停计算；结束后自次日继续计算")
    elif reference > expiry:
        state = TimeLimitState.OVERDUE
    elif days_left <= near_days:
        state = TimeLimitState.NEAR
    else:
        state = TimeLimitState.NORMAL
    return TimeLimitResult(
        procedure=inputs.procedure,
        start=start,
        as_of=reference,
        state=state,
        base_limit=proc.base_limit,
        extended_by=extended_by,
        limit=limit,
        limit_end=limit_end,
        excluded_days=counted,
        expiry=expiry,
        provisional=paused_since is not None,
        paused_since=paused_since,
        days_used=days_used,
        days_left=days_left,
        steps=tuple(steps),
    )
