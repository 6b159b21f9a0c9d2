from __future__ import annotations

from datetime import date

from courtdesk.domain.case_types import default_catalog
from courtdesk.domain.parties import (
    AgentDraft,
    PartyDraft,
    PartyKind,
    parties_summary,
    validate_party,
    validate_roles,
)

ROLES = ("原告", "被告", "第三人")


def test_a_person_is_completed_from_the_id_number() -> None:
    party, problems = validate_party(
        PartyDraft("原告", " 张三 ", id_number="11010519491231002x"), 0, ROLES
    )
    assert problems == []
    assert party.name == "张三"
    assert party.sex == "女" and party.birth_date == date(1949, 12, 31)
    assert party.id_number == "11010519491231002X"


def test_problems_name_the_party_and_the_field() -> None:
    _, problems = validate_party(
        PartyDraft("原告", "张三", id_number="110105194912310021", phone="abc"), 2, ROLES
    )
    fields = {p.field for p in problems}
    assert fields == {"parties.2.id_number", "parties.2.phone"}
    assert all("第3位当事人（原告张三）" in p.message for p in problems)


def test_empty_name_wrong_role_and_lawyer_without_firm() -> None:
    draft = PartyDraft("被告人", "", agents=(AgentDraft("李律师"),))
    _, problems = validate_party(draft, 0, ROLES)
    fields = {p.field for p in problems}
    assert {"parties.0.role", "parties.0.name", "parties.0.agents.0.law_firm"} <= fields


def test_sex_contradicting_the_id_is_refused() -> None:
    _, problems = validate_party(
        PartyDraft("原告", "张三", sex="男", id_number="11010519491231002X"), 0, ROLES
    )
    assert [p.field for p in problems] == ["parties.0.sex"]


def test_organisation_credit_code_is_checked() -> None:
    _, problems = validate_party(
        PartyDraft(
            "被告", "长春某公司", kind=PartyKind.ORGANISATION, credit_code="91350100M000100Y44"
        ),
        0,
        ROLES,
    )
    assert [p.field for p in problems] == ["parties.0.credit_code"]


def test_control_characters_are_refused_not_stripped() -> None:
    _, problems = validate_party(PartyDraft("原告", "张\x00三"), 0, ROLES)
    assert "控制字符" in problems[0].message


def test_both_sides_are_required_where_the_type_has_two_sides() -> None:
    role_set = default_catalog().get("民初").role_set  # type: ignore[union-attr]
    problems = validate_roles([PartyDraft("原告", "张三")], role_set)
    assert [p.message for p in problems] == ["缺少被告：请至少登记一位"]
    special = default_catalog().get("民特").role_set  # type: ignore[union-attr]
    assert validate_roles([PartyDraft("申请人", "张三")], special) == []


def test_docket_summary() -> None:
    civil = default_catalog().get("民初").role_set  # type: ignore[union-attr]
    assert (
        parties_summary([("原告", "张三"), ("被告", "李四"), ("被告", "王五")], civil)
        == "张三 诉 李四、王五"
    )
    criminal = default_catalog().get("刑初").role_set  # type: ignore[union-attr]
    assert parties_summary([("公诉机关", "某检察院"), ("被告人", "赵六")], criminal) == "赵六"
    many = [("原告", "甲")] + [("被告", n) for n in "乙丙丁戊"]
    assert parties_summary(many, civil) == "甲 诉 乙、丙、丁 等4人"
