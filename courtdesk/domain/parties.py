"""Parties (当事人) and their agents ad litem (诉讼代理人): value types and checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from courtdesk.domain.case_types import RoleSet
from courtdesk.domain.identity import (
    CitizenId,
    check_credit_code,
    normalise_id_number,
    parse_citizen_id,
)
from courtdesk.domain.service import AddressConfirmation, check_confirmation
from courtdesk.domain.text import clean_text, has_control_characters
from courtdesk.errors import FieldProblem

MAX_NAME_LENGTH = 100
MAX_ADDRESS_LENGTH = 300
_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{5,22}[0-9]$")


class PartyKind(StrEnum):
    PERSON = "person"  # 自然人
    ORGANISATION = "organisation"  # 法人或非法人组织

    @property
    def label(self) -> str:
        return "自然人" if self is PartyKind.PERSON else "法人或其他组织"


AGENT_KINDS = ("律师", "基层法律服务工作者", "近亲属", "工作人员", "社区推荐的公民", "其他")


@dataclass(frozen=True)
class AgentDraft:
    name: str
    kind: str = "律师"
    law_firm: str = ""
    licence_number: str = ""
    phone: str = ""


@dataclass(frozen=True)
class PartyDraft:
    role: str
    name: str
    kind: PartyKind = PartyKind.PERSON
    sex: str = ""
    birth_date: date | None = None
    id_number: str = ""
    phone: str = ""
    address: str = ""
    credit_code: str = ""
    legal_representative: str = ""
    agents: tuple[AgentDraft, ...] = field(default_factory=tuple)
    # 送达地址确认书 signed at filing (None: not signed); stored once for the whole case.
    service_address: AddressConfirmation | None = None


def _check_text(
    value: str, key: str, what: str, *, required: bool, limit: int
) -> list[FieldProblem]:
    if required and not value:
        return [FieldProblem(key, f"{what}不能为空")]
    if len(value) > limit:
        return [FieldProblem(key, f"{what}过长（最多 {limit} 个字）")]
    if has_control_characters(value):
        return [FieldProblem(key, f"{what}含有无法显示或打印的控制字符")]
    return []


def name_problems(value: str, key: str, what: str) -> list[FieldProblem]:
    """What is wrong with a person's name typed outside the party form (a guardian
    named on a notice): the same rules as a party's name. ``value`` is already cleaned."""
    return _check_text(value, key, what, required=True, limit=MAX_NAME_LENGTH)


def normalise_party(draft: PartyDraft) -> PartyDraft:
    """Trim every field and upper-case ID letters, so what is stored is what was meant."""
    return replace(
        draft,
        name=clean_text(draft.name),
        id_number=normalise_id_number(draft.id_number),
        phone=clean_text(draft.phone),
        address=clean_text(draft.address),
        credit_code=normalise_id_number(draft.credit_code),
        legal_representative=clean_text(draft.legal_representative),
        agents=tuple(
            replace(
                a,
                name=clean_text(a.name),
                law_firm=clean_text(a.law_firm),
                licence_number=clean_text(a.licence_number),
                phone=clean_text(a.phone),
            )
            for a in draft.agents
        ),
    )


def validate_party(
    draft: PartyDraft, index: int, allowed_roles: tuple[str, ...], today: date | None = None
) -> tuple[PartyDraft, list[FieldProblem]]:
    """Check one party. Returns the draft completed from its ID (sex, birth date) and the problems.

    ``index`` is the party's position in the form; problem keys look like
    ``parties.0.id_number`` and messages name the party ("第1位当事人（原告张三）的…").
    """
    draft = normalise_party(draft)
    key = f"parties.{index}"
    who = f"第{index + 1}位当事人" + (f"（{draft.role}{draft.name}）" if draft.name else "")
    problems: list[FieldProblem] = []
    if draft.service_address is not None:
        confirmation, found = check_confirmation(
            draft.service_address, today or date.today(), f"{key}.service", who
        )
        draft = replace(draft, service_address=confirmation)
        problems += found
    if draft.role not in allowed_roles:
        problems.append(
            FieldProblem(
                f"{key}.role",
                f"{who}的诉讼地位「{draft.role}」不适用于本类案件（可选：{'、'.join(allowed_roles)}）",
            )
        )
    problems += _check_text(
        draft.name, f"{key}.name", f"{who}的名称", required=True, limit=MAX_NAME_LENGTH
    )
    problems += _check_text(
        draft.address, f"{key}.address", f"{who}的地址", required=False, limit=MAX_ADDRESS_LENGTH
    )
    if draft.phone and not _PHONE.match(draft.phone):
        problems.append(FieldProblem(f"{key}.phone", f"{who}的电话「{draft.phone}」格式不正确"))

    if draft.kind is PartyKind.PERSON:
        if draft.sex not in ("", "男", "女"):
            problems.append(FieldProblem(f"{key}.sex", f"{who}的性别只能是男或女"))
        if draft.id_number:
            parsed = parse_citizen_id(draft.id_number, today)
            if isinstance(parsed, CitizenId):
                draft, more = _complete_from_id(draft, parsed, key, who)
                problems += more
            else:
                problems.append(FieldProblem(f"{key}.id_number", f"{who}的身份证号码{parsed}"))
        if draft.birth_date and draft.birth_date > (today or date.today()):
            problems.append(FieldProblem(f"{key}.birth_date", f"{who}的出生日期晚于今天"))
    elif draft.credit_code:
        reason = check_credit_code(draft.credit_code)
        if reason:
            problems.append(FieldProblem(f"{key}.credit_code", f"{who}的统一社会信用代码{reason}"))
    # Checked for every kind: a person's form has the field too (a minor's 法定代理人).
    problems += _check_text(
        draft.legal_representative,
        f"{key}.legal_representative",
        f"{who}的法定代表人",
        required=False,
        limit=MAX_NAME_LENGTH,
    )

    for a_index, agent in enumerate(draft.agents):
        a_key = f"{key}.agents.{a_index}"
        a_who = f"{who}的第{a_index + 1}位代理人"
        problems += _check_text(
            agent.name, f"{a_key}.name", f"{a_who}的姓名", required=True, limit=MAX_NAME_LENGTH
        )
        for field_name, label in (("law_firm", "执业机构"), ("licence_number", "执业证号")):
            problems += _check_text(
                getattr(agent, field_name),
                f"{a_key}.{field_name}",
                f"{a_who}的{label}",
                required=False,
                limit=MAX_NAME_LENGTH,
            )
        if agent.kind not in AGENT_KINDS:
            problems.append(
                FieldProblem(f"{a_key}.kind", f"{a_who}的代理人类型「{agent.kind}」无效")
            )
        if agent.kind == "律师" and not agent.law_firm:
            problems.append(FieldProblem(f"{a_key}.law_firm", f"{a_who}是律师，须填写律师事务所"))
        if agent.phone and not _PHONE.match(agent.phone):
            problems.append(
                FieldProblem(f"{a_key}.phone", f"{a_who}的电话「{agent.phone}」格式不正确")
            )
    return draft, problems


def _complete_from_id(
    draft: PartyDraft, parsed: CitizenId, key: str, who: str
) -> tuple[PartyDraft, list[FieldProblem]]:
    problems: list[FieldProblem] = []
    if draft.sex and draft.sex != parsed.sex:
        problems.append(
            FieldProblem(
                f"{key}.sex", f"{who}的性别「{draft.sex}」与身份证号码（{parsed.sex}）不符"
            )
        )
    if draft.birth_date and draft.birth_date != parsed.birth_date:
        problems.append(
            FieldProblem(
                f"{key}.birth_date",
                f"{who}的出生日期与身份证号码（{parsed.birth_date.isoformat()}）不符",
            )
        )
    return replace(draft, sex=draft.sex or parsed.sex, birth_date=parsed.birth_date), problems


def validate_roles(parties: list[PartyDraft], role_set: RoleSet) -> list[FieldProblem]:
    """The case must have someone bringing it and, where the type requires, someone it is against."""
    roles = {p.role for p in parties}
    problems: list[FieldProblem] = []
    if not parties:
        return [FieldProblem("parties", "至少要登记一位当事人")]
    if role_set.claimant and not roles & set(role_set.claimant):
        problems.append(
            FieldProblem("parties", f"缺少{'或'.join(role_set.claimant)}：请至少登记一位")
        )
    if role_set.respondent and not roles & set(role_set.respondent):
        problems.append(
            FieldProblem("parties", f"缺少{'或'.join(role_set.respondent)}：请至少登记一位")
        )
    return problems


def parties_summary(parties: list[tuple[str, str]], role_set: RoleSet) -> str:
    """The docket's 当事人 column: ``张三 诉 李四、王五`` (claimants 诉 respondents).

    ``parties`` are (role, name) pairs in form order. Cases without an opposing side
    list the applicants; criminal cases list the defendants.
    """
    claimants = [n for r, n in parties if r in role_set.claimant]
    respondents = [n for r, n in parties if r in role_set.respondent]
    if claimants and respondents and "公诉机关" not in {r for r, _ in parties}:
        return f"{_names(claimants)} 诉 {_names(respondents)}"
    if respondents:
        return _names(respondents)
    return _names(claimants or [n for _, n in parties])


def _names(names: list[str], limit: int = 3) -> str:
    shown = "、".join(names[:limit])
    return shown + (f" 等{len(names)}人" if len(names) > limit else "")
