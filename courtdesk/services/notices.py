"""Printable notices: the registry of kinds, gathering their data, templates, rendering.

A notice kind is registered here as ``NoticeKind(key, definition, gather)``:
``gather(ws, request)`` reads what the notice needs (the case, its parties, a
hearing, a service task) and returns plain data, one item per recipient;
``notices.base.render`` turns the items into one PDF. Features add their own
kinds with ``register_kind`` (the hearings feature wires 传票, 出庭通知书, 开庭公告
and 开庭排期表 to its hearings; the service feature wires 送达回证 to its tasks).

The wording of each kind is a template: the court's edited text when the
administrator has saved one (table ``notice_templates``), else the shipped
default (resources/notices/KIND.txt). Saving checks the template against the
kind (unknown placeholders, sections, braces); generating checks every value
the template uses, so a missing hearing time or address is a clear message.

Court settings declared here (group 文书): page margins, the body, heading and
fallback fonts, the court's phone and address as notices print them, the 举证期限
per procedure and the fee account.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from courtdesk.domain.case_types import default_catalog
from courtdesk.domain.fees import FeeProcedure, FeeResult
from courtdesk.domain.money import format_yuan
from courtdesk.domain.parties import name_problems
from courtdesk.domain.service import DocumentKind, registration_documents
from courtdesk.domain.text import clean_text
from courtdesk.errors import CourtdeskError, FieldProblem, NotFoundError, ValidationError
from courtdesk.notices import (
    address_confirmation,
    announcement,
    appearance,
    cause_list,
    evidence,
    fee,
    guardianship,
    receipt,
    response,
    summons,
)
from courtdesk.notices.base import (
    CaseFacts,
    NoticeDefinition,
    Recipient,
    default_template_text,
    render,
)
from courtdesk.notices.catalog import DEFINITIONS
from courtdesk.notices.fonts import FontStack, UnprintableCharactersError, register, resolve_fonts
from courtdesk.notices.hearing import HearingFacts
from courtdesk.notices.layout import Cancelled, PageSetup
from courtdesk.notices.template import SECTION_ROLES, Template, check_template
from courtdesk.services import audit, events
from courtdesk.services import settings as settings_service
from courtdesk.services.cases import CaseDetail, PartyView, get_case
from courtdesk.services.permissions import Permission, allowed, require, require_case_id
from courtdesk.services.settings import Setting, declare, int_range
from courtdesk.services.workspace import Workspace
from courtdesk.store import notices as notice_store
from courtdesk.store.audit import now_iso
from courtdesk.store.records import update_versioned

if TYPE_CHECKING:
    from courtdesk.services.hearings import HearingView

__all__ = [
    "Cancelled",
    "GeneratedNotices",
    "NoticeKind",
    "NoticeRequest",
    "RecipientOption",
    "TemplateInfo",
    "UnprintableCharactersError",
    "active_template",
    "font_stack",
    "generate",
    "kind",
    "kinds",
    "page_setup",
    "recipient_options",
    "register_kind",
    "reset_template",
    "save_template",
    "template_info",
]

GROUP = "文书"


def _font_check(value: str) -> str | None:
    if not value:
        return None
    path = Path(value.partition("#")[0]).expanduser()
    if not path.is_file():
        return f"：找不到字体文件 {path}"
    from courtdesk.notices.fonts import FontChoice

    index = value.partition("#")[2]
    try:
        register(FontChoice(path, int(index) if index.isdigit() else 0, "configured"))
    except CourtdeskError as error:
        return f"：{error.message}"
    return None


for _key, _label, _default in (
    ("notice.margin.top", "上边距（毫米）", "37"),
    ("notice.margin.bottom", "下边距（毫米）", "35"),
    ("notice.margin.left", "左边距（毫米）", "28"),
    ("notice.margin.right", "右边距（毫米）", "26"),
):
    declare(
        Setting(
            _key,
            _label,
            _default,
            "int",
            help="公文版心约为 156 × 225 毫米（上 37、下 35、左 28、右 26）",
            check=int_range(5, 60),
            group=GROUP,
        )
    )
for _key, _label, _help in (
    (
        "notice.font.body",
        "正文字体文件",
        "留空：本机的仿宋_GB2312（simfang.ttf），否则随程序附带的 AR PL UMing",
    ),
    ("notice.font.heading", "标题字体文件", "留空：本机的方正小标宋，否则随程序附带的 AR PL UMing"),
    (
        "notice.font.fallback",
        "生僻字字体文件",
        "正文和标题字体缺字时使用，例如 SimSun-ExtB（simsunb.ttf）或花园明朝 HanaMinB.ttf；"
        "留空时自动查找本机安装的这两种字体",
    ),
):
    declare(Setting(_key, _label, "", "path", help=_help, check=_font_check, group=GROUP))
declare(Setting("notice.court_phone", "文书上的联系电话", "", help="印在通知书附注中", group=GROUP))
declare(
    Setting("notice.court_address", "文书上的法院地址", "", help="印在通知书附注中", group=GROUP)
)
# 举证期限 (民诉解释 §99, §266, §275): the court fixes the days within these bounds.
declare(
    Setting(
        "notice.evidence_days.ordinary",
        "普通程序举证期限（日）",
        "15",
        "int",
        help="第一审普通程序不得少于十五日",
        check=int_range(15, 90),
        group=GROUP,
    )
)
declare(
    Setting(
        "notice.evidence_days.summary",
        "简易程序举证期限（日）",
        "15",
        "int",
        help="简易程序不得超过十五日",
        check=int_range(1, 15),
        group=GROUP,
    )
)
declare(
    Setting(
        "notice.evidence_days.small_claims",
        "小额诉讼程序举证期限（日）",
        "7",
        "int",
        help="小额诉讼程序一般不超过七日",
        check=int_range(1, 15),
        group=GROUP,
    )
)
declare(Setting("notice.fee.payee", "诉讼费收款单位", "", group=GROUP))
declare(Setting("notice.fee.bank", "诉讼费开户银行", "", group=GROUP))
declare(Setting("notice.fee.account", "诉讼费收款账号", "", group=GROUP))


# ------------------------------------------------------------------ registry
@dataclass(frozen=True)
class NoticeRequest:
    """What to generate: for a case (one party, or all recipients), a hearing, a task, a day.

    ``party_id`` picks one recipient; ``all_recipients`` asks for every one; with
    neither, a case with a single recipient gets that one and otherwise the
    caller is asked to choose. ``guardian`` names the guardian for 监护责任告知书
    (the ward is ``party_id``). ``issued`` is the date the notice bears (today).
    """

    case_id: int | None = None
    party_id: int | None = None
    agent_id: int | None = None
    all_recipients: bool = False
    hearing_id: int | None = None
    task_id: int | None = None
    day: date | None = None
    room_id: int | None = None  # the cause list of one courtroom
    guardian: str = ""
    issued: date | None = None

    @property
    def issue_date(self) -> date:
        return self.issued or date.today()


Gather = Callable[[Workspace, NoticeRequest], list[Any]]


@dataclass(frozen=True)
class NoticeKind:
    """A registered kind: its definition (template spec, layout) and where its data comes from.

    ``source`` says what a request must name: "case", "hearing", "task" or "day".
    ``gather`` is None while the feature its data comes from is not there yet;
    ``unavailable`` then says why, in the words the clerk sees.
    """

    definition: NoticeDefinition
    gather: Gather | None
    source: str = "case"
    per_recipient: bool = True
    unavailable: str = ""
    recipients: Callable[[Workspace, int], list[RecipientOption]] | None = None

    @property
    def key(self) -> str:
        return self.definition.kind

    @property
    def title(self) -> str:
        return self.definition.title


_KINDS: dict[str, NoticeKind] = {}


def register_kind(notice_kind: NoticeKind) -> None:
    """Add (or replace) a kind; features call this at import to wire their data."""
    _KINDS[notice_kind.key] = notice_kind


def kinds() -> list[NoticeKind]:
    """Every kind, in the catalogue's order."""
    events.load_subscribers()  # features wire their kinds' data when imported
    order = list(DEFINITIONS)
    return sorted(_KINDS.values(), key=lambda k: order.index(k.key) if k.key in order else 99)


def kind(key: str) -> NoticeKind:
    events.load_subscribers()  # features wire their kinds' data when imported
    try:
        return _KINDS[key]
    except KeyError:
        names = "、".join(f"{k.key}（{k.title}）" for k in kinds())
        raise CourtdeskError(f"没有「{key}」这种文书（可选：{names}）") from None


# ------------------------------------------------------------------ settings → layout
def page_setup(ws: Workspace) -> PageSetup:
    return PageSetup(
        top_mm=settings_service.get_int(ws, "notice.margin.top"),
        bottom_mm=settings_service.get_int(ws, "notice.margin.bottom"),
        left_mm=settings_service.get_int(ws, "notice.margin.left"),
        right_mm=settings_service.get_int(ws, "notice.margin.right"),
    )


def font_stack(ws: Workspace) -> FontStack:
    return resolve_fonts(
        body=settings_service.get(ws, "notice.font.body"),
        heading=settings_service.get(ws, "notice.font.heading"),
        fallback=settings_service.get(ws, "notice.font.fallback"),
    )


# ------------------------------------------------------------------ templates
@dataclass(frozen=True)
class TemplateInfo:
    """A kind's template as the editor shows it."""

    kind: str
    title: str
    text: str
    is_default: bool
    version: int  # 0: the shipped default (no stored row)
    updated_by: str
    updated_at: str
    sections: tuple[tuple[str, str], ...]  # (section, what it is for)
    fields: tuple[tuple[str, str, bool], ...]  # (placeholder, what it is, required)


def template_info(ws: Workspace, key: str) -> TemplateInfo:
    if not allowed(ws.actor, Permission.EDIT_NOTICE_TEMPLATES):
        require(ws.actor, Permission.PRINT_NOTICES)  # clerks may read the wording
    definition = kind(key).definition
    row = notice_store.template_row(ws.db.connection, key)
    spec = definition.spec
    return TemplateInfo(
        kind=key,
        title=definition.title,
        text=default_template_text(key) if row is None else str(row["body"]),
        is_default=row is None,
        version=0 if row is None else int(row["version"]),
        updated_by="" if row is None else str(row["updated_by_name"] or ""),
        updated_at="" if row is None else str(row["updated_at"]),
        sections=tuple((s, SECTION_ROLES.get(s, "")) for s in spec.sections),
        fields=tuple((f.name, f.help, f.required) for f in spec.fields),
    )


def active_template(ws: Workspace, key: str) -> Template:
    """The template in force for a kind (the court's, else the shipped default), checked."""
    definition = kind(key).definition
    row = notice_store.template_row(ws.db.connection, key)
    text = default_template_text(key) if row is None else str(row["body"])
    try:
        return check_template(definition.spec, text)
    except ValidationError as error:
        where = "本院修改的" if row is not None else "随程序附带的"
        raise CourtdeskError(
            f"{where}「{definition.title}」模板有误，请管理员在「文书模板」中修改或恢复默认：{error.message}"
        ) from error


def save_template(ws: Workspace, key: str, text: str, expected_version: int) -> TemplateInfo:
    """Store the court's wording of a kind after checking it; audited; refuses stale edits.

    ``expected_version`` is the version the editor loaded (0: it showed the default).
    """
    require(ws.actor, Permission.EDIT_NOTICE_TEMPLATES)
    definition = kind(key).definition
    text = text.replace("\r\n", "\n").strip() + "\n"
    check_template(definition.spec, text)
    what = f"「{definition.title}」模板"
    with ws.db.transaction() as conn:
        row = notice_store.template_row(conn, key)
        if row is None:
            if expected_version != 0:
                raise ValidationError(
                    [FieldProblem("template", f"{what}已被他人恢复为默认，请重新打开后再保存")]
                )
            record_id = notice_store.insert_template(conn, key, text, now_iso(), ws.actor.user_id)
            audit.record(
                conn,
                ws.actor,
                "notice_template.save",
                "notice_templates",
                record_id,
                audit.created({"kind": key, "body": text}),
            )
        else:
            changed = update_versioned(
                conn,
                "notice_templates",
                int(row["id"]),
                expected_version,
                {"body": text, "updated_at": now_iso(), "updated_by": ws.actor.user_id},
                what,
            )
            if "body" in changed:
                audit.record(
                    conn,
                    ws.actor,
                    "notice_template.save",
                    "notice_templates",
                    int(row["id"]),
                    {"kind": key, "body": list(changed["body"])},
                )
    return template_info(ws, key)


def reset_template(ws: Workspace, key: str) -> TemplateInfo:
    """Go back to the shipped wording (the court's edited text is removed, and audited)."""
    require(ws.actor, Permission.EDIT_NOTICE_TEMPLATES)
    kind(key)
    with ws.db.transaction() as conn:
        row = notice_store.template_row(conn, key)
        if row is not None:
            notice_store.delete_template(conn, key)
            audit.record(
                conn,
                ws.actor,
                "notice_template.reset",
                "notice_templates",
                int(row["id"]),
                {"kind": key, "body": [str(row["body"]), None]},
            )
    return template_info(ws, key)


def edited_kinds(ws: Workspace) -> set[str]:
    return notice_store.edited_kinds(ws.db.connection)


# ------------------------------------------------------------------ gathering: cases
def case_facts(ws: Workspace, detail: CaseDetail) -> CaseFacts:
    """The case as notices name it, with the court's name, phone and address."""
    case_type = default_catalog().get(detail.type_code)
    claimant_roles = set(case_type.role_set.claimant) if case_type else set()
    respondent_roles = set(case_type.role_set.respondent) if case_type else set()
    return CaseFacts(
        court_name=ws.court_name,
        case_number=detail.case_number,
        cause=detail.cause,
        claimants=tuple(p.name for p in detail.parties if p.role in claimant_roles),
        respondents=tuple(p.name for p in detail.parties if p.role in respondent_roles),
        third_parties=tuple(p.name for p in detail.parties if p.role == "第三人"),
        judge=detail.presiding_judge or "",
        clerk=detail.clerk or "",
        division=detail.division or "",
        filing_date=date.fromisoformat(detail.filing_date),
        procedure_label=detail.procedure_label,
        court_phone=settings_service.get(ws, "notice.court_phone"),
        court_address=settings_service.get(ws, "notice.court_address"),
    )


def party_recipient(party: PartyView) -> Recipient:
    return Recipient(
        name=party.name,
        role=party.role,
        address=party.address,
        phone=party.phone,
        is_organisation=party.kind == "organisation",
    )


@dataclass(frozen=True)
class RecipientOption:
    """Someone (or one service task) a notice can be addressed to, for the GUI's choice."""

    label: str  # 被告 赵淼淼
    party_id: int | None = None
    agent_id: int | None = None
    task_id: int | None = None


def _roles(detail: CaseDetail, side: str) -> set[str] | None:
    """The claimant side's roles, or None for every party."""
    if side == "all":
        return None
    case_type = default_catalog().get(detail.type_code)
    if case_type is None:
        return None
    return set(case_type.role_set.claimant)


# Who a case notice goes to: the claimant side (the fee), every party, or those the
# law serves a document on at filing (应诉通知书, 举证通知书).
Side = Literal["claimant", "all"] | DocumentKind


def _candidates(detail: CaseDetail, side: Side) -> list[PartyView]:
    if isinstance(side, DocumentKind):
        return _served_at_filing(detail, side)
    roles = _roles(detail, side)
    return [p for p in detail.parties if roles is None or p.role in roles]


def _served_at_filing(detail: CaseDetail, document: DocumentKind) -> list[PartyView]:
    """The parties the law serves ``document`` on at filing (domain.service), in order.

    An 应诉通知书 goes to the defendant of a civil or administrative case, not to
    the person subject to enforcement or a criminal defendant; a 举证通知书 to the
    parties of a first-instance civil or administrative case only.
    """
    case_type = default_catalog().get(detail.type_code)
    if case_type is None:
        return []
    return [
        p
        for p in detail.parties
        if document
        in registration_documents(
            case_type.category, case_type.code, detail.procedure, case_type.role_set, p.role
        )
    ]


_SIDE_LABEL: dict[Side, str] = {
    "claimant": "原告一方",
    "all": "当事人",
    DocumentKind.RESPONSE_NOTICE: "民事、行政案件的被告或被上诉人",
    DocumentKind.EVIDENCE_NOTICE: "一审民事、行政案件的原告、被告和第三人",
}


def _chosen_parties(
    detail: CaseDetail, request: NoticeRequest, side: Side, title: str
) -> list[PartyView]:
    """The parties a case notice goes to: the one asked for, or all, or the only one."""
    candidates = _candidates(detail, side)
    if request.party_id is not None:
        for party in detail.parties:
            if party.id == request.party_id:
                if party not in candidates:
                    raise ValidationError(
                        [
                            FieldProblem(
                                "party",
                                f"{title}只发给{_SIDE_LABEL[side]}，"
                                f"{party.role}{party.name}不在其列",
                            )
                        ]
                    )
                return [party]
        raise NotFoundError(f"案件 {detail.case_number} 没有编号为 {request.party_id} 的当事人")
    if not candidates:
        problem = f"案件 {detail.case_number} 没有{_SIDE_LABEL[side]}，无法生成{title}"
        if isinstance(side, DocumentKind):  # an enforcement or criminal case
            case = f"{detail.type_name}案件 {detail.case_number}"
            problem = f"{title}只发给{_SIDE_LABEL[side]}，{case} 不发{title}"
        raise ValidationError([FieldProblem("party", problem)])
    if request.all_recipients or len(candidates) == 1:
        return candidates
    names = "、".join(f"{p.role}{p.name}" for p in candidates)
    raise ValidationError(
        [
            FieldProblem(
                "party",
                f"案件 {detail.case_number} 有{len(candidates)}名可收件的当事人（{names}），"
                "请指定一人或选择全部",
            )
        ]
    )


def _case(ws: Workspace, request: NoticeRequest, title: str) -> CaseDetail:
    if request.case_id is None:
        raise ValidationError([FieldProblem("case", f"生成{title}须指定案件")])
    return get_case(ws, request.case_id)


def _party_gatherer(
    side: Side, make: Callable[[Workspace, CaseFacts, Recipient, NoticeRequest, CaseDetail], Any]
) -> Callable[[str], Gather]:
    def for_title(title: str) -> Gather:
        def gather(ws: Workspace, request: NoticeRequest) -> list[Any]:
            detail = _case(ws, request, title)
            facts = case_facts(ws, detail)
            return [
                make(ws, facts, party_recipient(p), request, detail)
                for p in _chosen_parties(detail, request, side, title)
            ]

        return gather

    return for_title


def _options(side: Side) -> Callable[[Workspace, int], list[RecipientOption]]:
    def options(ws: Workspace, case_id: int) -> list[RecipientOption]:
        detail = get_case(ws, case_id)
        return [RecipientOption(f"{p.role} {p.name}", p.id) for p in _candidates(detail, side)]

    return options


def _evidence_days(ws: Workspace, procedure: str) -> int:
    if procedure == "civil_small_claims":
        return settings_service.get_int(ws, "notice.evidence_days.small_claims")
    if procedure == "civil_summary":
        return settings_service.get_int(ws, "notice.evidence_days.summary")
    return settings_service.get_int(ws, "notice.evidence_days.ordinary")


def _gather_guardianship(ws: Workspace, request: NoticeRequest) -> list[Any]:
    """The ward is the party asked for; the guardian is named, or the ward's close relatives.

    The parties table has no guardianship relation, so the guardian comes from the
    request (a party or agent of the case, or any name typed by the clerk); with
    none named, every agent of the ward registered as 近亲属 is taken as guardian.
    """
    title = "监护责任告知书"
    detail = _case(ws, request, title)
    if request.party_id is None:
        raise ValidationError([FieldProblem("party", f"生成{title}须指定被监护人（本案当事人）")])
    ward = next((p for p in detail.parties if p.id == request.party_id), None)
    if ward is None:
        raise NotFoundError(f"案件 {detail.case_number} 没有编号为 {request.party_id} 的当事人")
    facts = case_facts(ws, detail)
    guardians: list[Recipient] = []
    wanted = clean_text(request.guardian)
    if wanted:
        # Typed by the clerk and printed as given: checked like a party's name.
        if problems := name_problems(wanted, "guardian", "监护人的姓名"):
            raise ValidationError(problems)
        party = next((p for p in detail.parties if p.name == wanted and p.id != ward.id), None)
        guardians.append(
            party_recipient(party) if party else Recipient(wanted, f"{ward.name}的监护人")
        )
    else:
        guardians = [
            Recipient(agent.name, f"{ward.name}的近亲属", phone=agent.phone)
            for agent in ward.agents
            if agent.kind == "近亲属"
        ]
    if not guardians:
        raise ValidationError(
            [
                FieldProblem(
                    "guardian",
                    f"无法生成{title}：缺少监护人（{ward.role}{ward.name}没有登记为近亲属的代理人，请指定监护人）",
                )
            ]
        )
    return [
        guardianship.GuardianshipNoticeData(facts, g, ward.name, request.issue_date)
        for g in guardians
    ]


def _guardianship_options(ws: Workspace, case_id: int) -> list[RecipientOption]:
    detail = get_case(ws, case_id)
    return [RecipientOption(f"{p.role} {p.name}", p.id) for p in detail.parties]


def fee_basis(result: FeeResult, procedure: FeeProcedure) -> str:
    """The fee's working as the notice's fine print: its parts summed as figures, then
    each adjustment by its rule, e.g. ``财产案件，简易程序：50.00 + 2,250.00 = 2,300.00 元；
    适用简易程序审理，减半交纳（第十六条）``.

    The notice gives the working, not every band in words: written out, five bands took
    five lines of fine print, and with the account and contact lines the notice ran onto a
    second sheet. The 诉讼费用计算单 sets each band out in full.
    """
    parts = [line for line in result.lines if line.amount > 0]
    adjustments = [line for line in result.lines if line.amount <= 0]
    if len(parts) > 1:
        subtotal = sum((line.amount for line in parts), Decimal(0))
        working = " + ".join(format_yuan(line.amount) for line in parts)
        working = f"{working} = {format_yuan(subtotal)} 元"
    else:
        working = parts[0].text if parts else ""
    rules = [line.text.partition("：")[0] for line in adjustments]
    head = f"{result.kind.label}，{procedure.label}"
    if len(parts) > 1:
        head = f"{head}：{working}"
    elif working:  # a single part says itself in words: 离婚案件每件 50 元
        rules.insert(0, working)
    return "；".join([head, *rules])


def _fee_notice(
    ws: Workspace,
    facts: CaseFacts,
    recipient: Recipient,
    request: NoticeRequest,
    detail: CaseDetail,
) -> fee.FeeNoticeData:
    """The case acceptance fee the claimant side prepays, from the fee rules (domain.fees)."""
    from courtdesk.domain.fees import suggest_kind
    from courtdesk.services.fees import compute_fee

    amount = None if detail.amount_claimed is None else Decimal(detail.amount_claimed)
    fee_kind = suggest_kind(detail.type_code, detail.cause, amount is not None)
    if fee_kind is None:
        raise ValidationError(
            [
                FieldProblem(
                    "fee",
                    f"无法生成缴纳诉讼费用通知书：{detail.type_name}案件（{detail.case_number}）"
                    "没有适用的诉讼费标准",
                )
            ]
        )
    try:
        procedure = FeeProcedure.of(detail.procedure)
    except ValidationError:
        procedure = FeeProcedure.ORDINARY  # ordinary first instance and appeals pay in full
    result = compute_fee(ws, fee_kind, amount, procedure)
    basis = fee_basis(result, procedure)
    # One fee for the case, prepaid jointly by the whole claimant side (notices.fee).
    payers = tuple((p.role, p.name) for p in _candidates(detail, "claimant"))
    return fee.FeeNoticeData(
        facts,
        recipient,
        request.issue_date,
        result.total,
        payers=payers,
        basis=basis,
        payee=settings_service.get(ws, "notice.fee.payee"),
        bank=settings_service.get(ws, "notice.fee.bank"),
        account=settings_service.get(ws, "notice.fee.account"),
    )


register_kind(
    NoticeKind(
        fee.DEFINITION,
        _party_gatherer("claimant", _fee_notice)("缴纳诉讼费用通知书"),
        recipients=_options("claimant"),
    )
)


register_kind(
    NoticeKind(
        response.DEFINITION,
        _party_gatherer(
            DocumentKind.RESPONSE_NOTICE,
            lambda ws, facts, r, req, d: response.ResponseNoticeData(facts, r, req.issue_date),
        )("应诉通知书"),
        recipients=_options(DocumentKind.RESPONSE_NOTICE),
    )
)
register_kind(
    NoticeKind(
        evidence.DEFINITION,
        _party_gatherer(
            DocumentKind.EVIDENCE_NOTICE,
            lambda ws, facts, r, req, d: evidence.EvidenceNoticeData(
                facts, r, req.issue_date, _evidence_days(ws, d.procedure)
            ),
        )("举证通知书"),
        recipients=_options(DocumentKind.EVIDENCE_NOTICE),
    )
)
register_kind(
    NoticeKind(
        address_confirmation.DEFINITION,
        _party_gatherer(
            "all",
            lambda ws, facts, r, req, d: address_confirmation.AddressConfirmationData(
                facts, r, req.issue_date
            ),
        )("送达地址确认书"),
        recipients=_options("all"),
    )
)
register_kind(
    NoticeKind(guardianship.DEFINITION, _gather_guardianship, recipients=_guardianship_options)
)


# ------------------------------------------------------------------ gathering: hearings
def _hearing(ws: Workspace, request: NoticeRequest, title: str) -> HearingView:
    """The hearing asked for, else the case's next scheduled one."""
    from courtdesk.domain.scheduling import HearingStatus
    from courtdesk.services import hearings

    if request.hearing_id is not None:
        view = hearings.get_hearing(ws, request.hearing_id)
        if request.case_id is not None and view.case_id != request.case_id:
            raise ValidationError(
                [FieldProblem("hearing", f"编号为 {request.hearing_id} 的开庭不属于所选案件")]
            )
    else:
        detail = _case(ws, request, title)
        # "Next" is counted from the day the notice bears: a notice dated ahead of
        # time (or reprinted for the file) names the hearing that follows that day.
        since = (
            datetime.combine(request.issued, datetime.min.time())
            if request.issued is not None
            else datetime.now()
        )
        upcoming = [
            v
            for v in hearings.case_hearings(ws, detail.id)
            if v.status is HearingStatus.SCHEDULED and v.start >= since
        ]
        if not upcoming:
            raise ValidationError(
                [
                    FieldProblem(
                        "hearing",
                        f"无法生成{title}：缺少开庭时间（案件 {detail.case_number} 没有待开的庭，请先在排期中安排）",
                    )
                ]
            )
        view = min(upcoming, key=lambda v: v.start)
    if view.status is not HearingStatus.SCHEDULED:
        raise ValidationError(
            [
                FieldProblem(
                    "hearing",
                    f"无法生成{title}：{view.case_number} 于 {view.start:%Y-%m-%d %H:%M} 的{view.kind_label}"
                    f"{view.status_label}",
                )
            ]
        )
    return view


def hearing_facts(view: HearingView) -> HearingFacts:
    return HearingFacts(view.start, view.place, is_public=view.is_public)


def _hearing_recipients(
    ws: Workspace, case_id: int
) -> tuple[list[tuple[int, Recipient]], list[tuple[int, Recipient]]]:
    """Parties (id, recipient) and agents (id, recipient) at the addresses service uses.

    A party's confirmed address (送达地址确认书) comes before the one on file, as
    the service centre's tasks do; an agent is reached at the law firm.
    """
    from courtdesk.services.service import case_recipients

    with ws.db.snapshot() as conn:
        party_rows, agent_list = case_recipients(conn, case_id)
    parties = [
        (
            int(row["id"]),
            Recipient(
                r.name, r.role, r.address, r.phone, is_organisation=row["kind"] == "organisation"
            ),
        )
        for row, r in party_rows
    ]
    agents = [
        (int(r.agent_id or 0), Recipient(r.name, r.role, r.address, r.phone)) for r in agent_list
    ]
    return parties, agents


# 公诉机关 is notified to appear, not summoned (民诉解释 §227 by analogy; as service does).
NOT_SUMMONED = frozenset({"公诉机关"})


def _choose(
    options: list[tuple[int, Recipient]],
    wanted: int | None,
    request: NoticeRequest,
    title: str,
    case_number: str,
) -> list[Recipient]:
    if wanted is not None:
        chosen = [r for i, r in options if i == wanted]
        if not chosen:
            raise ValidationError(
                [FieldProblem("party", f"所选收件人不是{title}的收件人（案件 {case_number}）")]
            )
        return chosen
    if not options:
        raise ValidationError([FieldProblem("party", f"案件 {case_number} 没有{title}的收件人")])
    if request.all_recipients or len(options) == 1:
        return [r for _, r in options]
    names = "、".join(r.label for _, r in options)
    raise ValidationError(
        [
            FieldProblem(
                "party",
                f"案件 {case_number} 有{len(options)}名{title}的收件人（{names}），请指定一人或选择全部",
            )
        ]
    )


def _gather_summons(ws: Workspace, request: NoticeRequest) -> list[Any]:
    view = _hearing(ws, request, "传票")
    detail = get_case(ws, view.case_id)
    facts = case_facts(ws, detail)
    parties, _ = _hearing_recipients(ws, view.case_id)
    summoned = [(i, r) for i, r in parties if r.role not in NOT_SUMMONED]
    reason = _SUMMONS_REASONS.get(view.kind.value, view.kind_label)
    return [
        summons.SummonsData(facts, r, hearing_facts(view), request.issue_date, reason)
        for r in _choose(summoned, request.party_id, request, "传票", detail.case_number)
    ]


# 传唤事由 by the kind of hearing
_SUMMONS_REASONS = {
    "trial": "开庭审理",
    "mediation": "调解",
    "hearing": "听证",
    "inquiry": "询问",
    "pronouncement": "宣判",
    "circuit": "巡回审判",
}


def _gather_appearance(ws: Workspace, request: NoticeRequest) -> list[Any]:
    view = _hearing(ws, request, "出庭通知书")
    detail = get_case(ws, view.case_id)
    facts = case_facts(ws, detail)
    parties, agents = _hearing_recipients(ws, view.case_id)
    # keys: agents by their id, the procuratorate by its party id (negative: one key space)
    options = [(-i, r) for i, r in parties if r.role in NOT_SUMMONED] + agents
    wanted = (
        request.agent_id
        if request.agent_id is not None
        else (-request.party_id if request.party_id is not None else None)
    )
    return [
        appearance.AppearanceNoticeData(facts, r, hearing_facts(view), request.issue_date)
        for r in _choose(options, wanted, request, "出庭通知书", detail.case_number)
    ]


def _gather_announcement(ws: Workspace, request: NoticeRequest) -> list[Any]:
    from courtdesk.services.hearings import PUBLIC_KINDS

    view = _hearing(ws, request, "开庭公告")
    if not view.is_public or view.kind not in PUBLIC_KINDS:
        why = "不公开审理" if not view.is_public else f"{view.kind_label}不公开进行"
        raise ValidationError(
            [
                FieldProblem(
                    "hearing",
                    f"无法生成开庭公告：{view.case_number} 的这次{view.kind_label}{why}（民诉法第一百三十九条只要求公告公开审理）",
                )
            ]
        )
    facts = case_facts(ws, get_case(ws, view.case_id))
    return [announcement.AnnouncementData(facts, hearing_facts(view), request.issue_date)]


def _gather_cause_list(ws: Workspace, request: NoticeRequest) -> list[Any]:
    from courtdesk.services import hearings

    if request.day is None:
        raise ValidationError([FieldProblem("day", "生成开庭排期表须指定日期")])
    listing = hearings.cause_list(ws, request.day, request.room_id)
    entries = tuple(
        cause_list.CauseListEntry(
            e.start, e.place, e.case_number, e.cause, e.parties, e.judge, e.clerk, e.is_public
        )
        for e in listing.entries
    )
    return [
        cause_list.CauseListData(
            listing.court_name, request.day, entries, request.issue_date, listing.room
        )
    ]


def _hearing_options(kind_key: str) -> Callable[[Workspace, int], list[RecipientOption]]:
    def options(ws: Workspace, case_id: int) -> list[RecipientOption]:
        parties, agents = _hearing_recipients(ws, case_id)
        if kind_key == "summons":
            return [
                RecipientOption(f"{r.role} {r.name}", party_id=i)
                for i, r in parties
                if r.role not in NOT_SUMMONED
            ]
        return [
            RecipientOption(f"{r.role} {r.name}", party_id=i)
            for i, r in parties
            if r.role in NOT_SUMMONED
        ] + [RecipientOption(f"{r.role} {r.name}", agent_id=i) for i, r in agents]

    return options


# ------------------------------------------------------------------ gathering: service tasks
def _receipt(ws: Workspace, task_id: int, facts: CaseFacts | None, issued: date) -> Any:
    from courtdesk.domain.service import TaskState
    from courtdesk.services import service

    task = service.get_task(ws, task_id)
    if task.state is TaskState.WITHDRAWN:
        raise ValidationError(
            [FieldProblem("task", f"送达任务 {task.code} 已撤回，不再打印送达回证")]
        )
    if facts is None or facts.case_number != task.case_number:
        facts = case_facts(ws, get_case(ws, task.case_id))
    recipient = Recipient(
        task.recipient_name,
        task.recipient_role,
        task.address,
        task.phone,
        task.recipient_is_organisation,
    )
    return receipt.ReceiptData(
        facts,
        recipient,
        issued,
        task_code=task.code,
        documents=((task.title or task.document.label, task.copies),),
        method=task.method.label if task.method else "",
        issuer=task.judge_name,
        server=task.assignee_name or "",
        # The recipient's own choice of who receives for it (送达地址确认书).
        remarks=f"受送达人指定代收人：{task.proxy_recipient}" if task.proxy_recipient else "",
    )


def _open_tasks(ws: Workspace, case_id: int) -> list[tuple[int, str, int | None]]:
    """(task id, label, party id) of the case's open service tasks, party by party."""
    from courtdesk.services import service

    found: list[tuple[int, str, int | None]] = []
    for party in service.case_service(ws, case_id):
        for task in (*party.tasks, *party.agent_tasks):
            if task.state.is_open:
                found.append(
                    (
                        task.id,
                        f"{task.recipient_role} {task.recipient_name} — {task.title}（{task.code}）",
                        party.party_id,
                    )
                )
    return found


def _gather_receipts(ws: Workspace, request: NoticeRequest) -> list[Any]:
    if request.task_id is not None:
        return [_receipt(ws, request.task_id, None, request.issue_date)]
    detail = _case(ws, request, "送达回证")
    facts = case_facts(ws, detail)
    tasks = _open_tasks(ws, detail.id)
    if request.party_id is not None:
        tasks = [t for t in tasks if t[2] == request.party_id]
    if not tasks:
        raise ValidationError(
            [
                FieldProblem(
                    "task", f"案件 {detail.case_number} 没有待送达的送达任务，无法生成送达回证"
                )
            ]
        )
    if len(tasks) > 1 and not request.all_recipients:
        raise ValidationError(
            [
                FieldProblem(
                    "task",
                    f"案件 {detail.case_number} 有{len(tasks)}个待送达的送达任务，请指定一个或选择全部",
                )
            ]
        )
    return [_receipt(ws, task_id, facts, request.issue_date) for task_id, _, _ in tasks]


def _task_options(ws: Workspace, case_id: int) -> list[RecipientOption]:
    return [
        RecipientOption(label, task_id=task_id) for task_id, label, _ in _open_tasks(ws, case_id)
    ]


register_kind(
    NoticeKind(
        summons.DEFINITION,
        _gather_summons,
        source="hearing",
        recipients=_hearing_options("summons"),
    )
)
register_kind(
    NoticeKind(
        appearance.DEFINITION,
        _gather_appearance,
        source="hearing",
        recipients=_hearing_options("appearance"),
    )
)
register_kind(
    NoticeKind(announcement.DEFINITION, _gather_announcement, source="hearing", per_recipient=False)
)
register_kind(
    NoticeKind(cause_list.DEFINITION, _gather_cause_list, source="day", per_recipient=False)
)
register_kind(
    NoticeKind(receipt.DEFINITION, _gather_receipts, source="task", recipients=_task_options)
)


# ------------------------------------------------------------------ generating
@dataclass(frozen=True)
class GeneratedNotices:
    """One PDF holding every document asked for."""

    kind: str
    title: str
    pdf: bytes
    documents: int
    seconds: float
    subjects: tuple[str, ...] = field(default_factory=tuple)


Progress = Callable[[int, int], None]


def _subject(item: Any) -> str:
    """Whom or what one document is for, as the summary names it."""
    if getattr(item, "recipient", None) is not None:
        return str(item.recipient.label)
    if isinstance(item, cause_list.CauseListData):
        return f"{item.day.isoformat()}，{len(item.entries)}件"
    return str(item.case.case_number)


def recipient_options(ws: Workspace, key: str, case_id: int) -> list[RecipientOption]:
    """Who a kind can be addressed to in a case (for choosing one, or all)."""
    require(ws.actor, Permission.PRINT_NOTICES)
    require_case_id(ws.db.connection, ws.actor, Permission.PRINT_NOTICES, case_id)
    notice_kind = kind(key)
    if notice_kind.recipients is None:
        return []
    return notice_kind.recipients(ws, case_id)


def generate(
    ws: Workspace,
    key: str,
    requests: Sequence[NoticeRequest],
    progress: Progress | None = None,
) -> GeneratedNotices:
    """Gather and render every request of one kind into one PDF.

    Several requests (a selection in the docket) make one PDF with each case's
    documents in order. Every missing value of every document is reported at
    once, before anything is drawn; ``progress(done, total)`` may raise
    ``Cancelled`` to stop a batch.
    """
    require(ws.actor, Permission.PRINT_NOTICES)
    notice_kind = kind(key)
    if notice_kind.gather is None:
        raise CourtdeskError(f"{notice_kind.title}{notice_kind.unavailable}")
    started = time.perf_counter()
    template = active_template(ws, key)
    items: list[Any] = []
    problems: list[FieldProblem] = []
    steps = len(requests)
    for index, request in enumerate(requests):
        case_id = getattr(request, "case_id", None)
        if case_id is not None:
            # Notices are printed by whoever works the case, within their scope.
            require_case_id(ws.db.connection, ws.actor, Permission.PRINT_NOTICES, case_id)
        try:
            items += notice_kind.gather(ws, request)
        except ValidationError as error:
            problems += error.problems
        if progress is not None:
            progress(index + 1, steps * 5)  # gathering is the first fifth of the work
    if problems:
        raise ValidationError(problems)

    def rendering(done: int, total: int) -> None:
        if progress is not None:
            progress(steps + (steps * 4 * done) // max(total, 1), steps * 5)

    pdf = render(
        notice_kind.definition,
        items,
        template,
        page_setup(ws),
        font_stack(ws),
        rendering,
    )
    subjects = tuple(_subject(item) for item in items)
    return GeneratedNotices(
        kind=key,
        title=notice_kind.title,
        pdf=pdf,
        documents=len(items),
        seconds=time.perf_counter() - started,
        subjects=subjects,
    )


def request_for_case(
    ws: Workspace,
    case_number: str,
    party_name: str = "",
    *,
    all_recipients: bool = False,
    guardian: str = "",
    hearing_id: int | None = None,
    task_id: int | None = None,
    issued: date | None = None,
) -> NoticeRequest:
    """A request naming the case by its 案号 and the party by name (the command line's way)."""
    from courtdesk.services.cases import find_case

    detail = find_case(ws, case_number)
    party_id: int | None = None
    agent_id: int | None = None
    name = party_name.strip()
    if name:
        # a party by name, else an agent ad litem (出庭通知书 goes to agents)
        matches = [p for p in detail.parties if p.name == name]
        agents = [a for p in detail.parties for a in p.agents if a.name == name]
        if matches:
            party_id = matches[0].id
        elif agents:
            agent_id = agents[0].id
        else:
            names = "、".join(f"{p.role}{p.name}" for p in detail.parties)
            raise NotFoundError(
                f"案件 {detail.case_number} 没有名为「{name}」的当事人或代理人（本案当事人：{names}）"
            )
    return NoticeRequest(
        case_id=detail.id,
        party_id=party_id,
        agent_id=agent_id,
        all_recipients=all_recipients,
        hearing_id=hearing_id,
        task_id=task_id,
        guardian=guardian,
        issued=issued,
    )


def preview_template(ws: Workspace, key: str, text: str) -> bytes:
    """The template as typed, checked and filled with a made-up case (for the editor)."""
    from courtdesk.notices.samples import sample

    if not allowed(ws.actor, Permission.EDIT_NOTICE_TEMPLATES):
        require(ws.actor, Permission.PRINT_NOTICES)
    definition = kind(key).definition
    template = check_template(definition.spec, text)
    item = sample(key, ws.court_name, date.today())
    return render(definition, [item], template, page_setup(ws), font_stack(ws))
