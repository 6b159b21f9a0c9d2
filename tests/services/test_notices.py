"""Notices from real cases in a real database: gathering, templates, settings, messages."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from courtdesk.domain.parties import AgentDraft, PartyDraft, PartyKind
from courtdesk.errors import (
    CourtdeskError,
    PermissionDeniedError,
    StaleRecordError,
    ValidationError,
)
from courtdesk.notices import fonts
from courtdesk.services import cases, notices, settings
from courtdesk.services.cases import CaseDetail, CaseDraft
from courtdesk.services.notices import NoticeRequest
from courtdesk.services.workspace import Workspace, open_workspace
from tests.notices.helpers import FIXTURES, font_descriptors, pdf_pages, pdf_text

ISSUED = date(2026, 11, 22)


def rare_case(ws: Workspace, judge_id: int | None = None, ward_agent: bool = False) -> CaseDetail:
    agents = (AgentDraft("王喆", "近亲属", phone="13700000000"),) if ward_agent else ()
    return cases.register_case(
        ws,
        CaseDraft(
            type_code="民初",
            procedure="civil_summary",
            cause="赡养纠纷",
            filing_date=date(2026, 11, 20),
            amount_claimed=Decimal("100000"),
            presiding_judge_id=judge_id,
            parties=(
                PartyDraft(
                    "原告",
                    "王堃",
                    phone="13800000000",
                    address="吉林省长春市长春新区硅谷大街1号淼园小区3栋2单元101室",
                    agents=agents,
                ),
                PartyDraft("被告", "李喆", address="长春市朝阳区彧昇路8号"),
                PartyDraft("被告", "孙犇", address="长春市南关区人民大街99号"),
                PartyDraft(
                    "被告",
                    "长春恒通商贸有限公司",
                    kind=PartyKind.ORGANISATION,
                    credit_code="91350100M000100Y43",
                    address="长春市绿园区青年路1号",
                ),
            ),
        ),
    )


def a_judge(ws: Workspace) -> int:
    from courtdesk.services import reference

    return reference.people_with_role(ws, "judge")[0].id


def filed_case(
    ws: Workspace,
    kind: tuple[str, str, str],  # type code, procedure, cause
    *parties: PartyDraft,
    amount: str | None = None,
    clerk_id: int | None = None,
) -> CaseDetail:
    """A case of ``kind`` filed 2026-11-20, with a judge."""
    type_code, procedure, cause = kind
    return cases.register_case(
        ws,
        CaseDraft(
            type_code=type_code,
            procedure=procedure,
            cause=cause,
            filing_date=date(2026, 11, 20),
            amount_claimed=None if amount is None else Decimal(amount),
            presiding_judge_id=a_judge(ws),
            clerk_id=clerk_id,
            parties=parties,
        ),
    )


def ordinary_case(ws: Workspace, cause: str, amount: str, *parties: PartyDraft) -> CaseDetail:
    """A first-instance civil case in ordinary procedure, filed 2026-11-20, with a judge."""
    return filed_case(ws, ("民初", "civil_ordinary", cause), *parties, amount=amount)


def admin(ws: Workspace) -> Workspace:
    from courtdesk.services.workspace import load_actor

    return ws.as_user(load_actor(ws, "admin"))


def test_response_notices_for_every_defendant_in_one_pdf(registrar: Workspace) -> None:
    case = rare_case(registrar, a_judge(registrar))
    result = notices.generate(
        registrar,
        "response",
        [NoticeRequest(case.id, all_recipients=True, issued=ISSUED)],
    )
    assert result.documents == 3
    assert result.subjects == ("被告李喆", "被告孙犇", "被告长春恒通商贸有限公司")
    pages = pdf_pages(result.pdf)
    text = "".join(pages)
    assert text.count("应诉通知书") == 3
    assert text.count(case.case_number) == 3
    assert "李喆：" in text and "孙犇：" in text and "长春恒通商贸有限公司：" in text
    assert "原告王堃诉被告李喆、孙犇、长春恒通商贸有限公司赡养纠纷一案" in text
    assert "现随本通知书向你单位送达起诉状副本" in text  # the organisation is 你单位
    assert "二〇二六年十一月二十二日" in text


def test_third_parties_are_named_in_the_case_as_notices_describe_it(registrar: Workspace) -> None:
    detail = ordinary_case(
        registrar,
        "买卖合同纠纷",
        "50000",
        PartyDraft("原告", "王堃", address="长春市朝阳区人民大街1号"),
        PartyDraft("被告", "李喆", address="长春市朝阳区彧昇路8号"),
        PartyDraft("第三人", "周淼", address="长春市南关区人民大街99号"),
    )
    for kind in ("response", "evidence"):
        result = notices.generate(
            registrar, kind, [NoticeRequest(detail.id, all_recipients=True, issued=ISSUED)]
        )
        assert "原告王堃诉被告李喆、第三人周淼买卖合同纠纷一案" in pdf_text(result.pdf), kind
    # without a third party the sentence is as before (rare_case has none)
    plain = rare_case(registrar, a_judge(registrar))
    result = notices.generate(
        registrar, "evidence", [NoticeRequest(plain.id, all_recipients=True, issued=ISSUED)]
    )
    assert "诉被告李喆、孙犇、长春恒通商贸有限公司赡养纠纷一案" in pdf_text(result.pdf)


def test_one_party_by_id_and_a_party_on_the_wrong_side(registrar: Workspace) -> None:
    case = rare_case(registrar, a_judge(registrar))
    plaintiff, defendant = case.parties[0], case.parties[1]
    result = notices.generate(registrar, "response", [NoticeRequest(case.id, defendant.id)])
    assert result.documents == 1 and "李喆：" in pdf_text(result.pdf)
    with pytest.raises(
        ValidationError, match="应诉通知书只发给民事、行政案件的被告或被上诉人，原告王堃不在其列"
    ):
        notices.generate(registrar, "response", [NoticeRequest(case.id, plaintiff.id)])
    with pytest.raises(ValidationError, match=r"有3名可收件的当事人.*请指定一人或选择全部"):
        notices.generate(registrar, "response", [NoticeRequest(case.id)])


def test_enforcement_and_criminal_cases_get_no_notice_to_respond_or_on_evidence(
    registrar: Workspace,
) -> None:
    """应诉通知书 (民诉法 §128) and 举证通知书 belong to civil and administrative suits: an
    enforcement case's 被执行人 gets the 执行通知书, a criminal defendant the 起诉书副本
    (domain.service.registration_documents), and neither is addressed as 原告/被告."""
    enforcement = filed_case(
        registrar,
        ("执", "enforcement", "买卖合同纠纷"),
        PartyDraft("申请执行人", "封裕", address="长春市南关区人民大街1号"),
        PartyDraft("被执行人", "贾荣妹", address="长春市朝阳区红旗街2号"),
        amount="50000",
    )
    criminal = filed_case(
        registrar,
        ("刑初", "criminal_summary", "盗窃罪"),
        PartyDraft("公诉机关", "长春新区人民检察院", kind=PartyKind.ORGANISATION),
        PartyDraft("被告人", "孙七", address="长春市看守所"),
    )
    for key, title in (("response", "应诉通知书"), ("evidence", "举证通知书")):
        assert notices.recipient_options(registrar, key, enforcement.id) == []
        with pytest.raises(
            ValidationError, match=f"首次执行案件 （2026）吉0193执\\d+号 不发{title}"
        ):
            notices.generate(registrar, key, [NoticeRequest(enforcement.id, all_recipients=True)])
        with pytest.raises(ValidationError, match=f"不发{title}"):
            notices.generate(registrar, key, [NoticeRequest(criminal.id, all_recipients=True)])
    debtor = enforcement.parties[1]
    with pytest.raises(ValidationError, match="被执行人贾荣妹不在其列"):
        notices.generate(registrar, "evidence", [NoticeRequest(enforcement.id, debtor.id)])
    # A civil suit's plaintiff and defendants still get the notice on evidence.
    civil = rare_case(registrar, a_judge(registrar))
    result = notices.generate(registrar, "evidence", [NoticeRequest(civil.id, all_recipients=True)])
    assert result.subjects == ("原告王堃", "被告李喆", "被告孙犇", "被告长春恒通商贸有限公司")


def test_missing_values_are_named_not_printed_blank(registrar: Workspace) -> None:
    case = rare_case(registrar)  # no judge assigned
    with pytest.raises(ValidationError) as caught:
        notices.generate(registrar, "response", [NoticeRequest(case.id, all_recipients=True)])
    message = caught.value.message
    assert "无法生成应诉通知书（被告李喆）：缺少承办人（本案尚未分配承办人）" in message
    assert "被告孙犇" in message  # every recipient's problem at once


def test_evidence_notice_prints_the_period_of_the_procedure(registrar: Workspace) -> None:
    case = rare_case(registrar, a_judge(registrar))
    result = notices.generate(registrar, "evidence", [NoticeRequest(case.id, all_recipients=True)])
    assert result.documents == 4
    text = pdf_text(result.pdf)
    assert "本案适用简易程序，举证期限为十五日" in text
    settings.put(admin(registrar), "notice.evidence_days.summary", "10")
    text = pdf_text(
        notices.generate(registrar, "evidence", [NoticeRequest(case.id, case.parties[0].id)]).pdf
    )
    assert "举证期限为十日" in text
    with pytest.raises(ValidationError, match="简易程序举证期限"):
        settings.put(admin(registrar), "notice.evidence_days.summary", "20")


def test_address_confirmation_carries_the_registered_address(registrar: Workspace) -> None:
    case = rare_case(registrar)
    result = notices.generate(
        registrar, "address_confirmation", [NoticeRequest(case.id, case.parties[0].id)]
    )
    text = pdf_text(result.pdf)
    assert "王堃（原告）" in text
    assert "吉林省长春市长春新区硅谷大街1号淼园小区3栋2单元101室" in text
    assert "13800000000" in text


def test_guardianship_notice_names_case_ward_guardian_and_court(registrar: Workspace) -> None:
    case = rare_case(registrar, a_judge(registrar), ward_agent=True)
    ward = case.parties[0]
    result = notices.generate(registrar, "guardianship", [NoticeRequest(case.id, ward.id)])
    text = pdf_text(result.pdf)
    assert text.startswith("长春新区人民法院监护责任告知书")
    assert "王喆：" in text
    assert f"本院在审理{case.case_number}赡养纠纷一案中" in text
    assert "作为王堃的监护人" in text
    for article in ("第二十六条", "第三十四条", "第三十五条", "第三十六条", "第三十三条"):
        assert article in text
    named = notices.generate(
        registrar, "guardianship", [NoticeRequest(case.id, ward.id, guardian="孙犇")]
    )
    assert "孙犇：" in pdf_text(named.pdf)
    other = rare_case(registrar, a_judge(registrar))
    with pytest.raises(ValidationError, match="缺少监护人"):
        notices.generate(registrar, "guardianship", [NoticeRequest(other.id, other.parties[0].id)])


def test_an_unprintable_name_is_reported_and_prints_once_a_font_has_it(
    registrar: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = cases.register_case(
        registrar,
        CaseDraft(
            type_code="民初",
            procedure="civil_summary",
            cause="民间借贷纠纷",
            filing_date=date(2026, 11, 20),
            presiding_judge_id=a_judge(registrar),
            parties=(PartyDraft("原告", "王堃"), PartyDraft("被告", "𠮷大明", address="长春市")),
        ),
    )
    monkeypatch.setattr(fonts, "_installed_index", dict)  # a machine without Ext-B fonts
    with pytest.raises(notices.UnprintableCharactersError, match="U\\+20BB7 𠮷"):
        notices.generate(registrar, "response", [NoticeRequest(case.id)])
    settings.put(admin(registrar), "notice.font.fallback", str(FIXTURES / "hanamin-b-subset.ttf"))
    result = notices.generate(registrar, "response", [NoticeRequest(case.id)])
    assert "𠮷大明：" in pdf_text(result.pdf)
    assert all(embedded for _, embedded in font_descriptors(result.pdf))


def test_a_font_setting_must_be_a_usable_truetype_file(
    registrar: Workspace, tmp_path: Path
) -> None:
    bogus = tmp_path / "fake.ttf"
    bogus.write_bytes(b"not a font")
    with pytest.raises(ValidationError, match="生僻字字体文件：无法使用字体文件"):
        settings.put(admin(registrar), "notice.font.fallback", str(bogus))
    with pytest.raises(ValidationError, match="找不到字体文件"):
        settings.put(admin(registrar), "notice.font.body", str(tmp_path / "none.ttf"))


def test_the_administrator_edits_a_template_and_notices_follow(registrar: Workspace) -> None:
    boss = admin(registrar)
    info = notices.template_info(boss, "response")
    assert info.is_default and info.version == 0
    edited = info.text.replace("【附注】", "【附注】\n本通知书由{法院}立案庭签发。")
    saved = notices.save_template(boss, "response", edited, info.version)
    assert not saved.is_default and saved.version == 1 and saved.updated_by == "系统管理员"
    case = rare_case(registrar, a_judge(registrar))
    text = pdf_text(
        notices.generate(registrar, "response", [NoticeRequest(case.id, case.parties[1].id)]).pdf
    )
    assert "本通知书由长春新区人民法院立案庭签发。" in text
    # someone else saved in between: refused with their name
    with pytest.raises(StaleRecordError, match="模板已被 admin 于"):
        notices.save_template(boss, "response", edited + "\n", info.version)
    back = notices.reset_template(boss, "response")
    assert back.is_default
    with sqlite3.connect(registrar.path) as conn:
        actions = [
            r[0]
            for r in conn.execute(
                "SELECT action FROM audit_log WHERE table_name = 'notice_templates'"
            )
        ]
    assert actions == ["notice_template.save", "notice_template.reset"]


def test_a_bad_template_is_refused_with_every_problem_named(registrar: Workspace) -> None:
    boss = admin(registrar)
    info = notices.template_info(boss, "response")
    bad = info.text.replace("{受送达人}：", "{受送人}：") + "\n【落款】\n{案号\n"
    with pytest.raises(ValidationError) as caught:
        notices.save_template(boss, "response", bad, info.version)
    message = caught.value.message
    assert "占位符“{受送人}”不是「应诉通知书」可用的字段" in message
    assert "没有【落款】这一节" in message
    assert "必须包含占位符“{受送达人}”" in message
    assert notices.template_info(boss, "response").is_default  # nothing stored


def test_only_the_administrator_edits_templates(registrar: Workspace) -> None:
    info = notices.template_info(registrar, "response")  # clerks may read the wording
    with pytest.raises(PermissionDeniedError, match="修改文书模板"):
        notices.save_template(registrar, "response", info.text, info.version)


def test_every_kind_is_wired_and_an_unknown_one_is_named(registrar: Workspace) -> None:
    keys = [k.key for k in notices.kinds()]
    assert keys[:3] == ["summons", "appearance", "response"]
    assert all(k.gather is not None for k in notices.kinds())
    with pytest.raises(ValidationError, match="生成开庭排期表须指定日期"):
        notices.generate(registrar, "cause_list", [NoticeRequest()])
    with pytest.raises(CourtdeskError, match="没有「nonsense」这种文书"):
        notices.generate(registrar, "nonsense", [NoticeRequest(1)])


def test_margins_come_from_the_settings(demo_path: Path) -> None:
    ws = open_workspace(demo_path, "admin")
    try:
        settings.put(ws, "notice.margin.left", "35")
        assert notices.page_setup(ws).left_mm == 35
    finally:
        ws.close()


def test_fee_notice_prints_the_amount_from_the_fee_rules(registrar: Workspace) -> None:
    case = rare_case(registrar, a_judge(registrar))  # 100,000 claimed, summary procedure
    boss = admin(registrar)
    settings.put(boss, "notice.fee.payee", "长春新区人民法院")
    settings.put(boss, "notice.fee.account", "0801 0000 0000 0123")
    result = notices.generate(registrar, "fee", [NoticeRequest(case.id, issued=ISSUED)])
    assert result.subjects == ("原告王堃",)  # the claimant prepays
    text = pdf_text(result.pdf)
    # 100,000 yuan → 2,300 (domain-rules.md section 5), halved in summary procedure
    assert "应当预交案件受理费1,150.00元（大写：壹仟壹佰伍拾元整）" in text
    assert "自收到本通知书次日起七日内交纳" in text
    assert "收款单位：长春新区人民法院" in text and "账号：080100000000" in text
    assert "开户银行" not in text  # not set: the line is left out, not printed blank


def test_the_fee_notice_gives_the_working_in_figures_and_each_rule_by_name() -> None:
    from courtdesk.domain.fees import FeeKind, FeeProcedure, litigation_fee

    summary = FeeProcedure.SUMMARY
    five_bands = litigation_fee(FeeKind.PROPERTY, Decimal("850000"), summary)
    assert notices.fee_basis(five_bands, summary) == (
        "财产案件，简易程序：50.00 + 2,250.00 + 2,000.00 + 4,500.00 + 3,500.00 = 12,300.00 元；"
        "适用简易程序审理，减半交纳（第十六条）"
    )
    one_part = litigation_fee(FeeKind.PROPERTY, Decimal("5000"), summary)
    assert notices.fee_basis(one_part, summary) == (
        "财产案件，简易程序；不超过 10,000 元的部分：每件 50 元；适用简易程序审理，减半交纳（第十六条）"
    )
    # the figures add up to what the notice says is owed before the adjustments
    assert sum(line.amount for line in five_bands.lines if line.amount > 0) == Decimal("12300")


def test_co_plaintiffs_each_get_a_fee_notice_for_the_one_joint_fee(registrar: Workspace) -> None:
    """Three plaintiffs: three notices, each stating the case's fee once, owed jointly."""
    case = ordinary_case(
        registrar,
        "民间借贷纠纷",
        "100000",
        PartyDraft("原告", "王堃", address="长春市南关区人民大街1号"),
        PartyDraft("原告", "赵淼淼", address="长春市朝阳区红旗街2号"),
        PartyDraft(
            "原告",
            "长春恒通商贸有限公司",
            kind=PartyKind.ORGANISATION,
            credit_code="91350100M000100Y43",
            address="长春市绿园区青年路1号",
        ),
        PartyDraft("被告", "李喆", address="长春市朝阳区彧昇路8号"),
    )
    result = notices.generate(
        registrar, "fee", [NoticeRequest(case.id, all_recipients=True, issued=ISSUED)]
    )
    assert result.subjects == ("原告王堃", "原告赵淼淼", "原告长春恒通商贸有限公司")
    pages = pdf_pages(result.pdf)
    assert len(pages) == 3
    payers = "原告王堃、赵淼淼、长春恒通商贸有限公司"
    for page, name in zip(pages, ("王堃", "赵淼淼", "长春恒通商贸有限公司"), strict=True):
        assert f"{name}：" in page
        # 100,000 yuan → 2,300 for the case (domain-rules.md section 5), not for each
        assert f"{payers}应当共同预交案件受理费2,300.00元（大写：贰仟叁佰元整）" in page
        assert "该款为全案总额，共同交纳一次，不是每人各交。" in page
        body = page.split("计算依据")[0]  # the fine print's working ends "= 2,300.00 元"
        assert body.count("2,300.00元") == 1 and "你应当预交" not in page
    # One plaintiff of the three asked for: the notice still names all who owe it jointly.
    (one,) = pdf_pages(
        notices.generate(
            registrar,
            "fee",
            [NoticeRequest(case.id, party_id=case.parties[1].id, issued=ISSUED)],
        ).pdf
    )
    assert "赵淼淼：" in one and f"{payers}应当共同预交" in one


def test_a_fee_notice_with_the_account_lines_stays_on_its_sheet(registrar: Workspace) -> None:
    """Two plaintiffs, a claim of five fee bands and every account setting (as in the demo
    court's 民初15113号): each notice is one sheet, its fine print set smaller to fit."""
    boss = admin(registrar)
    settings.put(boss, "notice.fee.payee", "长春新区人民法院")
    settings.put(boss, "notice.fee.bank", "中国农业银行股份有限公司长春新区支行")
    settings.put(boss, "notice.fee.account", "0712 0101 0400 0123 4")
    settings.put(boss, "notice.court_phone", "0431-81234567")
    from courtdesk.services import reference

    clerk = reference.people_with_role(registrar, "clerk")[0]
    case = filed_case(
        registrar,
        ("民初", "civil_summary", "建设工程施工合同纠纷"),
        PartyDraft(
            "原告",
            "长春宏达信息技术有限公司",
            kind=PartyKind.ORGANISATION,
            credit_code="91350100M000100Y43",
            address="长春市绿园区青年路1号",
        ),
        PartyDraft("原告", "李鸿蓓", address="长春市南关区人民大街1号"),
        PartyDraft("被告", "吉林省博远粮食贸易有限公司", kind=PartyKind.ORGANISATION),
        amount="965545",
        clerk_id=clerk.id,
    )
    result = notices.generate(
        registrar, "fee", [NoticeRequest(case.id, all_recipients=True, issued=ISSUED)]
    )
    pages = pdf_pages(result.pdf)
    assert len(pages) == 2  # one sheet for each plaintiff
    for page in pages:
        assert "原告长春宏达信息技术有限公司、李鸿蓓应当共同预交" in page
        assert "计算依据：财产案件，简易程序" in page
        assert "开户银行：中国农业银行股份有限公司长春新区支行" in page
        assert "账号：0712010104000123" in page.replace(" ", "")
        assert page.endswith(f"联系人：{clerk.name}联系电话：0431-81234567")


@pytest.mark.parametrize("key", [k.key for k in notices.kinds()])
def test_every_kind_previews_with_the_sample_case(registrar: Workspace, key: str) -> None:
    info = notices.template_info(registrar, key)
    text = pdf_text(notices.preview_template(registrar, key, info.text))
    assert f"长春新区人民法院{notices.kind(key).title}" in text
    assert "示例" in text


# ---------------------------------------------------------------- hearings and service tasks
def _one(path: Path, sql: str) -> sqlite3.Row:
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute(sql).fetchone()
    assert row is not None, sql
    return row


def _scheduled(path: Path, where: str = "1") -> sqlite3.Row:
    return _one(
        path,
        "SELECT h.*, c.case_number FROM hearings h JOIN cases c ON c.id = h.case_id"
        f" WHERE h.status = 'scheduled' AND h.mode = 'room' AND {where} ORDER BY h.id",
    )


def test_summons_for_every_party_of_a_hearing(registrar: Workspace) -> None:
    from courtdesk.services import hearings

    row = _scheduled(
        registrar.path,
        "h.case_id IN (SELECT case_id FROM parties GROUP BY case_id HAVING count(*) >= 2)",
    )
    view = hearings.get_hearing(registrar, int(row["id"]))
    result = notices.generate(
        registrar, "summons", [NoticeRequest(view.case_id, hearing_id=view.id, all_recipients=True)]
    )
    detail = cases.get_case(registrar, view.case_id)
    summoned = [p for p in detail.parties if p.role != "公诉机关"]
    assert result.documents == len(summoned)
    pages = pdf_pages(result.pdf)
    start = view.start
    half = "上午" if start.hour < 12 else "下午"
    when = f"应到时间{start.year}年{start.month}月{start.day}日"
    for page, party in zip(pages, summoned, strict=True):
        assert f"被传唤人{party.name}" in page
        assert when in page and half in page
        assert f"应到处所{view.place}" in page
        assert view.case_number in page


def test_summons_without_a_coming_hearing_says_what_is_missing(registrar: Workspace) -> None:
    case = rare_case(registrar, a_judge(registrar))
    with pytest.raises(
        ValidationError, match=r"无法生成传票：缺少开庭时间（案件.*没有待开的庭，请先在排期中安排）"
    ):
        notices.generate(registrar, "summons", [NoticeRequest(case.id, all_recipients=True)])


def test_appearance_notices_go_to_the_agents(registrar: Workspace) -> None:
    row = _scheduled(registrar.path, "h.case_id IN (SELECT case_id FROM agents)")
    result = notices.generate(
        registrar,
        "appearance",
        [NoticeRequest(int(row["case_id"]), hearing_id=int(row["id"]), all_recipients=True)],
    )
    with sqlite3.connect(registrar.path) as conn:
        agents = [
            r[0]
            for r in conn.execute("SELECT name FROM agents WHERE case_id = ?", (row["case_id"],))
        ]
    assert result.documents >= len(agents)
    text = pdf_text(result.pdf)
    for name in agents:
        assert f"{name}：" in text
    assert "的代理人准时出庭" in text


def test_announcement_only_for_public_hearings(registrar: Workspace) -> None:
    public = _scheduled(registrar.path, "h.is_public = 1 AND h.kind = 'trial'")
    text = pdf_text(
        notices.generate(
            registrar,
            "announcement",
            [NoticeRequest(int(public["case_id"]), hearing_id=int(public["id"]))],
        ).pdf
    )
    assert "公开开庭审理" in text and public["case_number"] in text
    with sqlite3.connect(registrar.path) as conn:
        conn.execute("UPDATE hearings SET is_public = 0 WHERE id = ?", (public["id"],))
    with pytest.raises(ValidationError, match="不公开审理"):
        notices.generate(
            registrar,
            "announcement",
            [NoticeRequest(int(public["case_id"]), hearing_id=int(public["id"]))],
        )


def test_cause_list_of_a_day_lists_every_scheduled_hearing(registrar: Workspace) -> None:
    row = _scheduled(registrar.path)
    day = date.fromisoformat(str(row["start_at"])[:10])
    with sqlite3.connect(registrar.path) as conn:
        numbers = [
            r[0]
            for r in conn.execute(
                "SELECT c.case_number FROM hearings h JOIN cases c ON c.id = h.case_id"
                " WHERE h.status = 'scheduled' AND substr(h.start_at, 1, 10) = ?",
                (day.isoformat(),),
            )
        ]
    result = notices.generate(registrar, "cause_list", [NoticeRequest(day=day)])
    text = pdf_text(result.pdf)
    assert f"开庭排期表{day.year}年{day.month}月{day.day}日" in text
    assert f"共{len(numbers)}件" in text
    for number in numbers:
        assert number in text
    assert result.subjects == (f"{day.isoformat()}，{len(numbers)}件",)


def test_receipts_carry_the_task_barcode_documents_and_address(registrar: Workspace) -> None:
    from courtdesk.domain.service import receipt_code

    task = _one(
        registrar.path,
        "SELECT * FROM service_tasks WHERE state IN ('pending', 'in_progress') AND address <> '' ORDER BY id",
    )
    result = notices.generate(registrar, "receipt", [NoticeRequest(task_id=int(task["id"]))])
    text = pdf_text(result.pdf)
    assert receipt_code(int(task["id"])) in text
    assert f"受送达人{task['recipient_name']}" in text
    assert str(task["address"]).replace(" ", "") in text
    assert f"{task['title']}{task['copies']}份" in text
    # every open task of the case, one receipt each
    with sqlite3.connect(registrar.path) as conn:
        open_tasks = conn.execute(
            "SELECT count(*) FROM service_tasks WHERE case_id = ? AND state IN ('pending', 'in_progress', 'failed', 'public_notice')",
            (task["case_id"],),
        ).fetchone()[0]
    every = notices.generate(
        registrar, "receipt", [NoticeRequest(int(task["case_id"]), all_recipients=True)]
    )
    assert every.documents == open_tasks
    assert len(notices.recipient_options(registrar, "receipt", int(task["case_id"]))) == open_tasks
