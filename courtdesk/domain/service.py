"""Service of process (送达): documents, methods, attempts and the legal service date.

domain-rules.md sections 3 and 4 (民诉法 §85, §87–§95, §139, §283; 民诉解释 §133,
§140, §227). Everything here is pure: the service desk records *attempts*
(what staff did and what came of it); the task's state and the date on which the
document counts as served follow from those attempts by these rules and are never
typed in.

Choices where the law leaves room (written down here and in the report):
- 邮寄送达 and 法院专递 follow the same rule: a refusal, or a return from the
  address the party itself confirmed (送达地址确认书) because it was wrong, moved
  without notice or not collected, counts as served on the day of return
  (SPC 法院专递规定 §11, 民诉解释 §136-§137); a return from an address the party
  never confirmed is a failure.
- 公告送达 is refused in civil summary and small-claims procedure (民诉解释 §140;
  small claims is a form of summary procedure, 民诉法 §165).
- A 公告 period is a party's period: counted from the day after publication, and
  moved to the next working day when it ends on a rest day (民诉法 §85).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from courtdesk.domain.case_types import Category, RoleSet
from courtdesk.domain.holidays import HolidayCalendar
from courtdesk.domain.periods import PeriodResult, compute_period
from courtdesk.domain.text import free_text_problem
from courtdesk.errors import FieldProblem

# 民诉法 §95: 公告 is deemed served 30 days after publication; §283: 60 days abroad.
PUBLIC_NOTICE_DAYS = 30
PUBLIC_NOTICE_DAYS_ABROAD = 60
# 民诉法 §139, 民诉解释 §227: summons and notices reach people at least 3 days before.
HEARING_NOTICE_DAYS = 3
# 民诉解释 §140 (and §165 for small claims): no 公告送达 in summary procedure.
NO_PUBLIC_NOTICE_PROCEDURES = frozenset({"civil_summary", "civil_small_claims"})
# Parties that are organs of the state, not 当事人 to be summoned: they are notified.
PROSECUTION_ROLES = frozenset({"公诉机关", "原公诉机关", "抗诉机关"})
MAX_TEXT = 300


# ---------------------------------------------------------------------- documents
class DocumentKind(StrEnum):
    COMPLAINT_COPY = "complaint_copy"
    RESPONSE_NOTICE = "response_notice"
    EVIDENCE_NOTICE = "evidence_notice"
    ACCEPTANCE_NOTICE = "acceptance_notice"
    JOINDER_NOTICE = "joinder_notice"
    APPEAL_COPY = "appeal_copy"
    APPLICATION_COPY = "application_copy"
    INDICTMENT_COPY = "indictment_copy"
    PRIVATE_PROSECUTION_COPY = "private_prosecution_copy"
    PRE_MEDIATION_NOTICE = "pre_mediation_notice"
    ENFORCEMENT_NOTICE = "enforcement_notice"
    PROPERTY_REPORT_ORDER = "property_report_order"
    SUMMONS = "summons"
    APPEARANCE_NOTICE = "appearance_notice"
    JUDGMENT = "judgment"
    RULING = "ruling"
    MEDIATION = "mediation"
    DECISION = "decision"
    PAYMENT_ORDER = "payment_order"
    FEE_NOTICE = "fee_notice"
    PANEL_NOTICE = "panel_notice"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _DOCUMENT_LABELS[self]

    @property
    def is_mediation_document(self) -> bool:
        """调解书: may not be left at the address (民诉解释 §133)."""
        return self is DocumentKind.MEDIATION


_DOCUMENT_LABELS = {
    DocumentKind.COMPLAINT_COPY: "起诉状副本",
    DocumentKind.RESPONSE_NOTICE: "应诉通知书",
    DocumentKind.EVIDENCE_NOTICE: "举证通知书",
    DocumentKind.ACCEPTANCE_NOTICE: "受理通知书",
    DocumentKind.JOINDER_NOTICE: "参加诉讼通知书",
    DocumentKind.APPEAL_COPY: "上诉状副本",
    DocumentKind.APPLICATION_COPY: "申请书副本",
    DocumentKind.INDICTMENT_COPY: "起诉书副本",
    DocumentKind.PRIVATE_PROSECUTION_COPY: "自诉状副本",
    DocumentKind.PRE_MEDIATION_NOTICE: "诉前调解告知书",
    DocumentKind.ENFORCEMENT_NOTICE: "执行通知书",
    DocumentKind.PROPERTY_REPORT_ORDER: "报告财产令",
    DocumentKind.SUMMONS: "传票",
    DocumentKind.APPEARANCE_NOTICE: "出庭通知书",
    DocumentKind.JUDGMENT: "判决书",
    DocumentKind.RULING: "裁定书",
    DocumentKind.MEDIATION: "调解书",
    DocumentKind.DECISION: "决定书",
    DocumentKind.PAYMENT_ORDER: "支付令",
    DocumentKind.FEE_NOTICE: "交纳诉讼费用通知书",
    DocumentKind.PANEL_NOTICE: "合议庭组成人员通知书",
    DocumentKind.OTHER: "其他诉讼文书",
}


def registration_documents(
    category: Category, type_code: str, procedure: str, role_set: RoleSet, role: str
) -> tuple[DocumentKind, ...]:
    """What is served on a party of ``role`` when a case is registered (立案).

    Civil and administrative first instance (民诉法 §128, 行诉法 §67): the
    defendant gets the complaint copy, the notice to respond and the notice on
    evidence; the plaintiff the notice of acceptance and the notice on evidence;
    a third party the complaint copy, the notice to join and the notice on
    evidence. Appeals: the appellee gets the appeal copy and the notice to respond,
    the appellant the notice of acceptance. Pre-litigation mediation: the other
    side gets the complaint copy and the mediation notice. Criminal (刑诉法 §187):
    the defendant gets the indictment copy (自诉: the private prosecution copy and
    the private prosecutor the notice of acceptance); the procuratorate is told
    of hearings, not served at filing. Enforcement (民诉法 §251-252): the person
    subject to enforcement gets the enforcement notice and the order to report
    property, the applicant the notice of acceptance. Applications, preservation
    (kept from the respondent until the ruling), bankruptcy and sanctions: the
    applicant gets the notice of acceptance, and an opposing party of an
    ordinary application the application copy (not for preservation).
    """
    d = DocumentKind
    claimant = role in role_set.claimant
    respondent = role in role_set.respondent
    if category is Category.CRIMINAL:
        if role in PROSECUTION_ROLES:
            return ()
        private = procedure == "criminal_private"
        if role == "被告人" and type_code in ("刑初", "刑再"):
            return (d.PRIVATE_PROSECUTION_COPY if private else d.INDICTMENT_COPY,)
        if role == "自诉人":
            return (d.ACCEPTANCE_NOTICE,)
        return ()
    if category is Category.ENFORCEMENT and type_code in ("执", "执恢"):
        if role == "被执行人":
            return (d.ENFORCEMENT_NOTICE, d.PROPERTY_REPORT_ORDER)
        return (d.ACCEPTANCE_NOTICE,) if claimant else ()
    if type_code == "民诉前调":
        return (d.COMPLAINT_COPY, d.PRE_MEDIATION_NOTICE) if respondent else ()
    if category in (Category.CIVIL, Category.ADMINISTRATIVE) and role_set.respondent:
        if role in ("被告",):
            return (d.COMPLAINT_COPY, d.RESPONSE_NOTICE, d.EVIDENCE_NOTICE)
        if role == "原告":
            return (d.ACCEPTANCE_NOTICE, d.EVIDENCE_NOTICE)
        if role == "被上诉人":
            return (d.APPEAL_COPY, d.RESPONSE_NOTICE)
        if role == "上诉人":
            return (d.ACCEPTANCE_NOTICE,)
        if role == "第三人":
            copy = d.APPEAL_COPY if "上诉人" in role_set.roles else d.COMPLAINT_COPY
            return (copy, d.JOINDER_NOTICE, d.EVIDENCE_NOTICE)
        return ()
    if claimant:
        return (d.ACCEPTANCE_NOTICE,)
    if role == "被申请人" and category not in (Category.PRESERVATION, Category.ENFORCEMENT):
        return (d.APPLICATION_COPY,)
    return ()


def hearing_document(role: str) -> DocumentKind:
    """传票 for a party (当事人); 出庭通知书 for everyone else (民诉解释 §227, 刑诉法 §187)."""
    return DocumentKind.APPEARANCE_NOTICE if role in PROSECUTION_ROLES else DocumentKind.SUMMONS


def hearing_due_date(hearing_day: date) -> date:
    """The last day a summons may be served: three days before the hearing (民诉法 §139)."""
    return hearing_day - timedelta(days=HEARING_NOTICE_DAYS)


# ---------------------------------------------------------------------- methods
class ServiceMethod(StrEnum):
    DIRECT = "direct"
    LEFT = "left"
    ELECTRONIC = "electronic"
    POST = "post"
    COURT_EXPRESS = "court_express"
    ENTRUSTED = "entrusted"
    FORWARDED = "forwarded"
    PUBLIC_NOTICE = "public_notice"

    @property
    def label(self) -> str:
        return _METHOD_LABELS[self]

    @property
    def is_postal(self) -> bool:
        return self in (ServiceMethod.POST, ServiceMethod.COURT_EXPRESS)

    @property
    def waits_for_receipt(self) -> bool:
        """Methods whose result comes back later (a return receipt, the other court's report)."""
        return self in _RECEIPT_METHODS


_METHOD_LABELS = {
    ServiceMethod.DIRECT: "直接送达",
    ServiceMethod.LEFT: "留置送达",
    ServiceMethod.ELECTRONIC: "电子送达",
    ServiceMethod.POST: "邮寄送达",
    ServiceMethod.COURT_EXPRESS: "法院专递",
    ServiceMethod.ENTRUSTED: "委托送达",
    ServiceMethod.FORWARDED: "转交送达",
    ServiceMethod.PUBLIC_NOTICE: "公告送达",
}
_RECEIPT_METHODS = frozenset(
    {
        ServiceMethod.POST,
        ServiceMethod.COURT_EXPRESS,
        ServiceMethod.ENTRUSTED,
        ServiceMethod.FORWARDED,
    }
)


class Outcome(StrEnum):
    DELIVERED = "delivered"
    IN_TRANSIT = "in_transit"
    PUBLISHED = "published"
    REFUSED = "refused"
    RETURNED = "returned"
    NOT_FOUND = "not_found"
    ADDRESS_INVALID = "address_invalid"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS = {
    Outcome.DELIVERED: "送达成功",
    Outcome.IN_TRANSIT: "已发出，待回执",
    Outcome.PUBLISHED: "已公告",
    Outcome.REFUSED: "拒绝签收",
    Outcome.RETURNED: "邮件退回",
    Outcome.NOT_FOUND: "查无此人或下落不明",
    Outcome.ADDRESS_INVALID: "地址不详或错误",
    Outcome.FAILED: "未能送达（其他原因）",
}

ALLOWED_OUTCOMES: dict[ServiceMethod, tuple[Outcome, ...]] = {
    ServiceMethod.DIRECT: (
        Outcome.DELIVERED,
        Outcome.REFUSED,
        Outcome.NOT_FOUND,
        Outcome.ADDRESS_INVALID,
        Outcome.FAILED,
    ),
    ServiceMethod.LEFT: (Outcome.DELIVERED,),
    ServiceMethod.ELECTRONIC: (Outcome.DELIVERED, Outcome.FAILED),
    ServiceMethod.POST: (Outcome.IN_TRANSIT, Outcome.DELIVERED, Outcome.REFUSED, Outcome.RETURNED),
    ServiceMethod.COURT_EXPRESS: (
        Outcome.IN_TRANSIT,
        Outcome.DELIVERED,
        Outcome.REFUSED,
        Outcome.RETURNED,
    ),
    ServiceMethod.ENTRUSTED: (
        Outcome.IN_TRANSIT,
        Outcome.DELIVERED,
        Outcome.NOT_FOUND,
        Outcome.FAILED,
    ),
    ServiceMethod.FORWARDED: (
        Outcome.IN_TRANSIT,
        Outcome.DELIVERED,
        Outcome.NOT_FOUND,
        Outcome.FAILED,
    ),
    ServiceMethod.PUBLIC_NOTICE: (Outcome.PUBLISHED,),
}


def outcome_label(method: ServiceMethod, outcome: Outcome) -> str:
    """The outcome as staff say it for this method (直接送达 签收, 电子送达 发送成功 …)."""
    if outcome is Outcome.DELIVERED:
        return {
            ServiceMethod.LEFT: "已留置",
            ServiceMethod.ELECTRONIC: "发送成功",
            ServiceMethod.ENTRUSTED: "受托法院已送达",
            ServiceMethod.FORWARDED: "转交单位已送达",
        }.get(method, "已签收")
    if outcome is Outcome.IN_TRANSIT:
        if method.is_postal:
            return "已寄出，待回执"
        return "已委托，待回证" if method is ServiceMethod.ENTRUSTED else "已交转交单位，待回证"
    return outcome.label


# 直接送达 may be made to these people (民诉法 §88).
RECEIVER_RELATIONS = (
    "本人",
    "同住成年家属",
    "法定代表人或主要负责人",
    "负责收件的人（办公室、收发室）",
    "诉讼代理人",
    "指定代收人",
)
ELECTRONIC_CHANNELS = ("手机短信", "电子邮件", "诉讼服务平台", "微信小程序", "传真")
PUBLIC_NOTICE_PLACES = ("法院公告栏", "受送达人住所地", "报纸", "人民法院公告网", "法院网站")


class ReturnReason(StrEnum):
    ADDRESS_WRONG = "address_wrong"
    NO_SUCH_PERSON = "no_such_person"
    MOVED = "moved"
    UNCLAIMED = "unclaimed"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _RETURN_LABELS[self]

    @property
    def party_is_answerable(self) -> bool:
        """Reasons that arise from the party's own address: served if that address was confirmed."""
        return self is not ReturnReason.OTHER


_RETURN_LABELS = {
    ReturnReason.ADDRESS_WRONG: "地址不详或错误",
    ReturnReason.NO_SUCH_PERSON: "查无此人",
    ReturnReason.MOVED: "迁移新址不明",
    ReturnReason.UNCLAIMED: "逾期未领取",
    ReturnReason.OTHER: "其他原因",
}


# ---------------------------------------------------------------------- attempts
@dataclass(frozen=True)
class Attempt:
    """One attempt to serve, as recorded by the centre's staff.

    ``attempt_date`` is the day of the act: handed over, left, sent, posted,
    entrusted or forwarded, published. ``result_date`` is the day the result is
    known from a receipt that comes back: the date signed on the postal return
    receipt, of the refusal or of the return; the other court's or unit's
    receipt. ``sent_at`` is the court system's "sent successfully" time.
    """

    method: ServiceMethod
    outcome: Outcome
    attempt_date: date
    result_date: date | None = None
    sent_at: datetime | None = None
    receiver_name: str = ""
    receiver_relation: str = ""
    witnesses: str = ""
    record_media: str = ""
    channel: str = ""
    waybill: str = ""
    returned_reason: ReturnReason | None = None
    other_agency: str = ""
    posted_where: str = ""
    abroad: bool = False
    whereabouts_unknown: bool = False
    notes: str = ""


class EffectKind(StrEnum):
    SERVED = "served"
    PENDING = "pending"  # waiting for a receipt
    PUBLISHING = "publishing"  # 公告 period running
    FAILED = "failed"


@dataclass(frozen=True)
class Effect:
    """What one attempt means in law: served (and on which day), pending, publishing, failed."""

    kind: EffectKind
    service_date: date | None
    basis: str  # why, in Chinese


def public_notice_period(
    published: date, abroad: bool, calendar: HolidayCalendar | None = None
) -> PeriodResult:
    """The 公告 period: 30 days (60 abroad) from the day after publication, holiday rule applied."""
    days = PUBLIC_NOTICE_DAYS_ABROAD if abroad else PUBLIC_NOTICE_DAYS
    return compute_period(published, days=days, calendar=calendar)


def public_notice_end(
    published: date, abroad: bool, calendar: HolidayCalendar | None = None
) -> date:
    """The day a 公告 counts as served."""
    return public_notice_period(published, abroad, calendar).last_day


def _uncertainty(period: PeriodResult) -> str:
    years = "、".join(str(y) for y in period.weekends_only_years)
    return f"（{years} 年的法定节假日尚未录入，仅按周末计算，请核实）" if years else ""


def attempt_effect(
    attempt: Attempt, address_confirmed: bool, calendar: HolidayCalendar | None = None
) -> Effect:
    """The legal effect of one attempt (民诉法 §87-§95)."""
    m, o = attempt.method, attempt.outcome
    if o is Outcome.IN_TRANSIT:
        return Effect(EffectKind.PENDING, None, f"{outcome_label(m, o)}")
    if m is ServiceMethod.PUBLIC_NOTICE:
        days = PUBLIC_NOTICE_DAYS_ABROAD if attempt.abroad else PUBLIC_NOTICE_DAYS
        period = public_notice_period(attempt.attempt_date, attempt.abroad, calendar)
        article = "民诉法第283条" if attempt.abroad else "民诉法第95条"
        moved = (
            f"，期间届满日 {period.counted_end.isoformat()} 为休息日，顺延至 {period.last_day.isoformat()}"
            if period.extended
            else ""
        )
        return Effect(
            EffectKind.PUBLISHING,
            period.last_day,
            f"{attempt.attempt_date.isoformat()} 公告，经过{days}日即视为送达（{article}）"
            f"{moved}{_uncertainty(period)}",
        )
    if o is Outcome.DELIVERED:
        if m is ServiceMethod.ELECTRONIC:
            day = attempt.sent_at.date() if attempt.sent_at else attempt.attempt_date
            return Effect(
                EffectKind.SERVED, day, "电子送达：以送达信息到达受送达人特定系统之日为送达日期"
            )
        if m is ServiceMethod.LEFT:
            return Effect(
                EffectKind.SERVED, attempt.attempt_date, "留置送达：文书留在受送达人住所即视为送达"
            )
        if m is ServiceMethod.DIRECT:
            return Effect(
                EffectKind.SERVED, attempt.attempt_date, "直接送达：以受送达人签收之日为送达日期"
            )
        day = attempt.result_date or attempt.attempt_date
        if m.is_postal:
            return Effect(EffectKind.SERVED, day, "邮寄送达：以回执上注明的收件日期为送达日期")
        return Effect(EffectKind.SERVED, day, f"{m.label}：以送达回证上签收的日期为送达日期")
    if m.is_postal and o is Outcome.REFUSED:
        return Effect(
            EffectKind.SERVED,
            attempt.result_date or attempt.attempt_date,
            "受送达人拒绝签收，邮件退回之日视为送达",
        )
    if m.is_postal and o is Outcome.RETURNED:
        reason = attempt.returned_reason or ReturnReason.OTHER
        if address_confirmed and reason.party_is_answerable:
            return Effect(
                EffectKind.SERVED,
                attempt.result_date or attempt.attempt_date,
                f"邮件因「{reason.label}」退回，寄往的是当事人确认的送达地址，退回之日视为送达",
            )
        why = "地址未经当事人确认" if not address_confirmed else "退回原因不属于当事人的责任"
        return Effect(EffectKind.FAILED, None, f"邮件因「{reason.label}」退回，{why}，未送达")
    return Effect(EffectKind.FAILED, None, f"{m.label}未成功：{outcome_label(m, o)}")


class TaskState(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    SERVED = "served"
    FAILED = "failed"
    PUBLIC_NOTICE = "public_notice"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def is_open(self) -> bool:
        """Still needs the centre's work (or waits for a receipt or a 公告 period)."""
        return self not in (TaskState.SERVED, TaskState.WITHDRAWN)


_STATE_LABELS = {
    TaskState.PENDING: "待送达",
    TaskState.IN_PROGRESS: "送达中",
    TaskState.SERVED: "已送达",
    TaskState.FAILED: "送达失败",
    TaskState.PUBLIC_NOTICE: "公告中",
    TaskState.WITHDRAWN: "已撤回",
}
OPEN_STATES = tuple(s for s in TaskState if s.is_open)

# Stored codes to members, for code that turns many rows into views (a case's service,
# the desk's queue): a dict lookup, where Enum's own call costs 0.5 µs. As in
# domain.scheduling (KIND_BY_CODE …).
DOCUMENT_BY_CODE = {d.value: d for d in DocumentKind}
METHOD_BY_CODE = {m.value: m for m in ServiceMethod}
OUTCOME_BY_CODE = {o.value: o for o in Outcome}
REASON_BY_CODE = {r.value: r for r in ReturnReason}
STATE_BY_CODE = {s.value: s for s in TaskState}


@dataclass(frozen=True)
class TaskStatus:
    """A task's state and legal service date, derived from its attempts."""

    state: TaskState
    service_date: date | None  # served: the legal date; 公告中: the day it will count as served
    basis: str
    method: ServiceMethod | None  # the method that served it (or of the latest attempt)


def derive_status(
    attempts: Sequence[Attempt],
    address_confirmed: bool,
    today: date,
    calendar: HolidayCalendar | None = None,
) -> TaskStatus:
    """The task's state from its attempts (section 4): served on the earliest legal date.

    A 公告 whose period has run counts as served on its last day; one still
    running makes the task 公告中 unless another attempt served it first. A receipt
    still out makes it 送达中; attempts that all failed make it 送达失败.
    """
    effects = [(a, attempt_effect(a, address_confirmed, calendar)) for a in attempts]
    served = [
        (e.service_date, a, e)
        for a, e in effects
        if e.service_date is not None
        and (
            e.kind is EffectKind.SERVED
            or (e.kind is EffectKind.PUBLISHING and e.service_date <= today)
        )
    ]
    if served:
        day, attempt, effect = min(served, key=lambda item: item[0])
        return TaskStatus(TaskState.SERVED, day, effect.basis, attempt.method)
    publishing = [(a, e) for a, e in effects if e.kind is EffectKind.PUBLISHING]
    if publishing:
        attempt, effect = max(publishing, key=lambda item: item[1].service_date or today)
        return TaskStatus(
            TaskState.PUBLIC_NOTICE, effect.service_date, effect.basis, attempt.method
        )
    pending = [(a, e) for a, e in effects if e.kind is EffectKind.PENDING]
    if pending:
        attempt, effect = pending[-1]
        return TaskStatus(TaskState.IN_PROGRESS, None, effect.basis, attempt.method)
    if effects:
        attempt, effect = effects[-1]
        return TaskStatus(TaskState.FAILED, None, effect.basis, attempt.method)
    return TaskStatus(TaskState.PENDING, None, NOT_YET_TRIED, None)


# The basis of a task nobody has tried to serve yet, and of a withdrawn one. A task's
# basis is stored beside its state (the case's service tab lists it for every task), so
# these are also what the store writes for a new task and for a withdrawal.
NOT_YET_TRIED = "尚未送达"


def withdrawn_basis(reason: str) -> str:
    return f"已撤回：{reason}"


def attempt_line(
    attempt_date: str,
    method: ServiceMethod,
    outcome: Outcome,
    *,
    receiver_name: str = "",
    receiver_relation: str = "",
    waybill: str = "",
    result_date: str | None = None,
    returned_reason: ReturnReason | None = None,
    channel: str = "",
    witnesses: str = "",
    record_media: str = "",
    other_agency: str = "",
    posted_where: str = "",
    staff_name: str = "",
) -> str:
    """One attempt in one line for lists: date, method, outcome and the particulars that
    matter. Takes the stored values (dates as ISO text), so a list of a case's tasks can
    write each one's latest attempt straight from its row."""
    parts = [attempt_date, method.label, outcome_label(method, outcome)]
    if receiver_name:
        relation = f"（{receiver_relation}）" if receiver_relation else ""
        parts.append(f"签收人 {receiver_name}{relation}")
    if waybill:
        parts.append(f"单号 {waybill}")
    if result_date and result_date != attempt_date:
        parts.append(f"回执 {result_date}")
    if returned_reason:
        parts.append(f"退回原因 {returned_reason.label}")
    if channel:
        parts.append(channel)
    if witnesses:
        parts.append(f"见证人 {witnesses}")
    if record_media:
        parts.append(f"记录 {record_media}")
    if other_agency:
        parts.append(other_agency)
    if posted_where:
        parts.append(f"公告于 {posted_where}")
    if staff_name:
        parts.append(f"经办 {staff_name}")
    return "，".join(parts)


# ---------------------------------------------------------------------- rules
@dataclass(frozen=True)
class ServiceContext:
    """What the rules need to know about the task an attempt is recorded on."""

    document: DocumentKind
    procedure: str
    electronic_consent: bool
    address_confirmed: bool
    earlier: tuple[Attempt, ...]  # the task's other attempts
    today: date
    withdrawn: bool = False
    calendar: HolidayCalendar | None = None


def _text_problems(attempt: Attempt) -> list[FieldProblem]:
    problems = []
    for key, label in (
        ("receiver_name", "签收人"),
        ("receiver_relation", "与受送达人的关系"),
        ("witnesses", "见证人"),
        ("record_media", "拍照录像记录"),
        ("channel", "电子送达渠道"),
        ("waybill", "邮件单号"),
        ("other_agency", "受托法院或转交单位"),
        ("posted_where", "公告地点"),
        ("notes", "备注"),
    ):
        value: str = getattr(attempt, key)
        if len(value) > MAX_TEXT:
            problems.append(FieldProblem(key, f"{label}过长（最多 {MAX_TEXT} 个字）"))
        elif (problem := free_text_problem(value, label)) is not None:
            problems.append(FieldProblem(key, problem))
    if attempt.sent_at is not None and (attempt.sent_at.second or attempt.sent_at.microsecond):
        # Stored to the minute, as the form and the receipt show it: a second would be lost.
        problems.append(FieldProblem("sent_at", "发送成功时间只能精确到分钟（不含秒）"))
    return problems


def check_attempt(attempt: Attempt, ctx: ServiceContext) -> list[FieldProblem]:
    """Every reason section 4 refuses this attempt (empty when it may be recorded)."""
    m, o = attempt.method, attempt.outcome
    problems = _text_problems(attempt)
    if ctx.withdrawn:
        return [FieldProblem("task", "该送达任务已撤回，不能再登记送达")]
    status = derive_status(ctx.earlier, ctx.address_confirmed, ctx.today, ctx.calendar)
    if status.state is TaskState.SERVED:
        served = status.service_date.isoformat() if status.service_date else ""
        return [FieldProblem("task", f"该文书已于 {served} 送达（{status.basis}），无需再送达")]
    if o not in ALLOWED_OUTCOMES[m]:
        allowed = "、".join(outcome_label(m, x) for x in ALLOWED_OUTCOMES[m])
        problems.append(
            FieldProblem("outcome", f"{m.label}的结果只能是：{allowed}（而不是「{o.label}」）")
        )
    if attempt.attempt_date > ctx.today:
        problems.append(FieldProblem("attempt_date", "送达日期不能晚于今天"))
    if attempt.result_date is not None:
        if attempt.result_date > ctx.today:
            problems.append(FieldProblem("result_date", "回执日期不能晚于今天"))
        if attempt.result_date < attempt.attempt_date:
            problems.append(FieldProblem("result_date", "回执日期不能早于寄出（交付）日期"))
    problems += _method_problems(attempt, ctx)
    return problems


def _method_problems(attempt: Attempt, ctx: ServiceContext) -> list[FieldProblem]:
    m, o = attempt.method, attempt.outcome
    problems: list[FieldProblem] = []
    if m is ServiceMethod.DIRECT and o is Outcome.DELIVERED:
        if not attempt.receiver_name:
            problems.append(FieldProblem("receiver_name", "直接送达须写明签收人"))
        if attempt.receiver_relation not in RECEIVER_RELATIONS:
            problems.append(
                FieldProblem(
                    "receiver_relation",
                    f"签收人与受送达人的关系须为：{'、'.join(RECEIVER_RELATIONS)}（民诉法第88条）",
                )
            )
    elif m is ServiceMethod.LEFT:
        if ctx.document.is_mediation_document:
            problems.append(
                FieldProblem("method", "调解书不得留置送达（民诉解释第133条），请改用其他方式")
            )
        if not attempt.witnesses and not attempt.record_media:
            problems.append(
                FieldProblem(
                    "witnesses",
                    "留置送达须有见证人在场，或以拍照、录像记录送达过程（民诉法第89条）",
                )
            )
    elif m is ServiceMethod.ELECTRONIC:
        if not ctx.electronic_consent:
            problems.append(
                FieldProblem(
                    "method",
                    "受送达人未同意电子送达（无送达地址确认书记录），不得电子送达（民诉法第90条）",
                )
            )
        if o is Outcome.DELIVERED:
            if not attempt.channel:
                problems.append(FieldProblem("channel", "电子送达须写明送达渠道"))
            if attempt.sent_at is None:
                problems.append(FieldProblem("sent_at", "电子送达须填写系统显示的发送成功时间"))
            elif attempt.sent_at.date() != attempt.attempt_date:
                problems.append(FieldProblem("sent_at", "发送成功时间应在送达日期当天"))
    elif m.is_postal:
        problems += _postal_problems(attempt, ctx)
    elif m in (ServiceMethod.ENTRUSTED, ServiceMethod.FORWARDED):
        if not attempt.other_agency:
            what = "受托法院" if m is ServiceMethod.ENTRUSTED else "转交单位（部队、监所等）"
            problems.append(FieldProblem("other_agency", f"{m.label}须写明{what}"))
        if o is not Outcome.IN_TRANSIT and attempt.result_date is None:
            problems.append(FieldProblem("result_date", f"{m.label}须填写回证上的签收或退回日期"))
    elif m is ServiceMethod.PUBLIC_NOTICE:
        problems += _public_notice_problems(attempt, ctx)
    return problems


def _postal_problems(attempt: Attempt, ctx: ServiceContext) -> list[FieldProblem]:
    o = attempt.outcome
    problems: list[FieldProblem] = []
    if not attempt.waybill:
        problems.append(FieldProblem("waybill", "邮寄送达须填写邮件单号"))
    if o is not Outcome.IN_TRANSIT and attempt.result_date is None:
        problems.append(FieldProblem("result_date", "请填写回执上的签收、拒收或退回日期"))
    if o is Outcome.DELIVERED and not attempt.receiver_name:
        problems.append(FieldProblem("receiver_name", "请填写回执上的签收人"))
    if o is Outcome.RETURNED and attempt.returned_reason is None:
        problems.append(FieldProblem("returned_reason", "邮件退回须写明退回原因"))
    if o is Outcome.IN_TRANSIT:
        waiting = [a for a in ctx.earlier if a.method.is_postal and a.outcome is Outcome.IN_TRANSIT]
        if waiting:
            problems.append(
                FieldProblem(
                    "waybill",
                    f"邮件 {waiting[-1].waybill} 尚未登记回执，请先登记其签收或退回情况",
                )
            )
    return problems


def _public_notice_problems(attempt: Attempt, ctx: ServiceContext) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if ctx.procedure in NO_PUBLIC_NOTICE_PROCEDURES:
        problems.append(
            FieldProblem(
                "method",
                "简易程序（含小额诉讼）案件不适用公告送达（民诉解释第140条），须先转为普通程序",
            )
        )
    failed = [
        a
        for a in ctx.earlier
        if attempt_effect(a, ctx.address_confirmed, ctx.calendar).kind is EffectKind.FAILED
    ]
    if not failed and not attempt.whereabouts_unknown:
        problems.append(
            FieldProblem(
                "method",
                "公告送达只能在受送达人下落不明或用其他方式无法送达时采用（民诉法第95条）："
                "请先登记其他方式未能送达的记录，或注明受送达人下落不明",
            )
        )
    running = [
        a
        for a in ctx.earlier
        if a.method is ServiceMethod.PUBLIC_NOTICE
        and public_notice_end(a.attempt_date, a.abroad, ctx.calendar) > ctx.today
    ]
    if running:
        problems.append(
            FieldProblem(
                "method", f"已于 {running[-1].attempt_date.isoformat()} 公告，公告期尚未届满"
            )
        )
    if not attempt.posted_where:
        problems.append(
            FieldProblem("posted_where", "请写明公告地点（公告栏、住所地、报纸、网站）")
        )
    return problems


# ---------------------------------------------------------------------- 送达地址确认书
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_POSTCODE = re.compile(r"^[0-9]{6}$")
_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{5,22}[0-9]$")


@dataclass(frozen=True)
class AddressConfirmation:
    """送达地址确认书: where a party accepts documents for the whole case (section 4).

    ``recipient`` is a person the party names to receive for it (代收人);
    ``electronic_address`` is the mobile number or e-mail it consents to be
    served at electronically (民诉法 §90), required when it consents.
    """

    address: str
    confirmed_on: date
    postcode: str = ""
    recipient: str = ""
    phone: str = ""
    electronic_consent: bool = False
    electronic_address: str = ""


def check_confirmation(
    confirmation: AddressConfirmation, today: date, key: str = "", who: str = ""
) -> tuple[AddressConfirmation, list[FieldProblem]]:
    """The confirmation trimmed, and what is wrong with it (``key`` prefixes field names)."""
    c = replace(
        confirmation,
        address=confirmation.address.replace("\u3000", " ").strip(),
        postcode=confirmation.postcode.strip(),
        recipient=confirmation.recipient.strip(),
        phone=confirmation.phone.strip(),
        electronic_address=confirmation.electronic_address.strip(),
    )
    prefix = f"{key}." if key else ""
    problems: list[FieldProblem] = []
    if not c.address:
        problems.append(FieldProblem(f"{prefix}address", f"{who}确认的送达地址不能为空"))
    elif len(c.address) > MAX_TEXT:
        problems.append(
            FieldProblem(f"{prefix}address", f"{who}确认的送达地址过长（最多 {MAX_TEXT} 个字）")
        )
    if problem := free_text_problem(c.address, f"{who}确认的送达地址"):
        problems.append(FieldProblem(f"{prefix}address", problem))
    if c.postcode and not _POSTCODE.match(c.postcode):
        problems.append(FieldProblem(f"{prefix}postcode", f"{who}的邮政编码应为 6 位数字"))
    if c.phone and not _PHONE.match(c.phone):
        problems.append(FieldProblem(f"{prefix}phone", f"{who}的联系电话「{c.phone}」格式不正确"))
    if len(c.recipient) > 100:
        problems.append(FieldProblem(f"{prefix}recipient", f"{who}的代收人姓名过长"))
    elif problem := free_text_problem(c.recipient, f"{who}的代收人姓名"):
        problems.append(FieldProblem(f"{prefix}recipient", problem))
    if c.electronic_consent:
        if not c.electronic_address:
            problems.append(
                FieldProblem(
                    f"{prefix}electronic_address",
                    f"{who}同意电子送达，须填写接收电子送达的手机号码或电子邮箱",
                )
            )
        elif not (_MOBILE.match(c.electronic_address) or _EMAIL.match(c.electronic_address)):
            problems.append(
                FieldProblem(
                    f"{prefix}electronic_address",
                    f"{who}的电子送达地址「{c.electronic_address}」不是手机号码或电子邮箱",
                )
            )
    if c.confirmed_on > today:
        problems.append(FieldProblem(f"{prefix}confirmed_on", f"{who}的确认日期晚于今天"))
    return c, problems


# ---------------------------------------------------------------------- outlook
def earliest_service(
    method: ServiceMethod,
    today: date,
    calendar: HolidayCalendar,
    *,
    post_days: int,
    abroad: bool = False,
) -> tuple[date, str]:
    """By when a document sent today can be served by ``method``, and why (for scheduling).

    Electronic: today, once sent (with consent). Direct: the next working day, a
    staff member must go out. Post: ``post_days`` working days (a court setting:
    the usual time for a 法院专递 to come back signed). 公告: 30 days (60 abroad)
    with the holiday rule. Entrusted or forwarded service takes as long as post.
    """
    if method is ServiceMethod.ELECTRONIC:
        return today, "已同意电子送达：今日发送成功即为送达"
    if method in (ServiceMethod.DIRECT, ServiceMethod.LEFT):
        day = calendar.add_working_days(today, 1)
        return day, f"直接送达：最早于下一个工作日 {day.isoformat()} 送达"
    if method is ServiceMethod.PUBLIC_NOTICE:
        period = public_notice_period(today, abroad, calendar)
        days = PUBLIC_NOTICE_DAYS_ABROAD if abroad else PUBLIC_NOTICE_DAYS
        return (
            period.last_day,
            f"需公告送达：今日公告，经过{days}日至 {period.last_day.isoformat()} 视为送达"
            f"{_uncertainty(period)}",
        )
    day = calendar.add_working_days(today, post_days)
    return day, f"{method.label}：按寄出后 {post_days} 个工作日签收估计，约 {day.isoformat()}"


# ---------------------------------------------------------------------- receipts
RECEIPT_PREFIX = "SD"
RECEIPT_DIGITS = 8


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # a digit doubled, its two digits added


def _luhn_digit(number: int) -> str:
    """The Luhn check digit of ``number`` (leading zeros add nothing). On the integer,
    not its text: a case's service tab writes a code for every task it lists."""
    total, double = 0, True
    while number:
        number, digit = divmod(number, 10)
        total += _DOUBLED[digit] if double else digit
        double = not double
    return str(-total % 10)


def receipt_code(task_id: int) -> str:
    """The barcode on a task's 送达回证: ``SD`` + the task id (8 digits or more) + a Luhn digit.

    Code 128 carries it; the check digit catches a mistyped or misread code
    (every single-digit error and nearly every swap of two neighbours).
    """
    if task_id <= 0:
        raise ValueError("a task id is positive")
    return f"{RECEIPT_PREFIX}{task_id:0{RECEIPT_DIGITS}d}{_luhn_digit(task_id)}"


def parse_receipt_code(text: str) -> int | str:
    """The task id in a scanned code, or a Chinese reason it is not a receipt code.

    Accepts what a USB scanner or a person types: surrounding spaces, lower case.
    """
    code = text.strip().upper().replace(" ", "")
    if not code:
        return "条码为空"
    if not code.startswith(RECEIPT_PREFIX):
        return f"「{text.strip()}」不是送达回证条码（应以 {RECEIPT_PREFIX} 开头）"
    digits = code[len(RECEIPT_PREFIX) :]
    if not digits.isascii() or not digits.isdigit() or len(digits) < RECEIPT_DIGITS + 1:
        return f"「{text.strip()}」不是送达回证条码（{RECEIPT_PREFIX} 后应为至少 {RECEIPT_DIGITS + 1} 位数字）"
    task_id, check = int(digits[:-1]), digits[-1]
    if _luhn_digit(task_id) != check:
        return f"条码「{text.strip()}」校验位不符，请重新扫描"
    if task_id <= 0:
        return f"「{text.strip()}」不是有效的送达回证条码"
    return task_id


def summarise_methods(methods: Iterable[ServiceMethod]) -> str:
    """``邮寄送达、电子送达`` — the methods used, in first-use order, for a case overview."""
    return "、".join(dict.fromkeys(m.label for m in methods))
