"""Each document from plain data, read back out of the PDF.

传票, 出庭通知书, 开庭公告, 开庭排期表 and 送达回证 get their data from hearings and
service tasks; these tests give them plain data, as those features will.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from courtdesk.errors import ValidationError
from courtdesk.notices import (
    address_confirmation,
    announcement,
    appearance,
    cause_list,
    fee,
    receipt,
    summons,
)
from courtdesk.notices.base import Recipient, default_template_text, render
from courtdesk.notices.catalog import DEFINITIONS
from courtdesk.notices.hearing import HearingFacts
from courtdesk.notices.layout import PageSetup
from courtdesk.notices.template import check_template
from tests.notices.helpers import (
    BUNDLED_ONLY,
    CASE,
    HEARING,
    ISSUED,
    RECIPIENT,
    WITH_EXT_B,
    font_descriptors,
    pdf_pages,
    pdf_text,
)


def make(kind: str, *items: object, fonts=BUNDLED_ONLY) -> bytes:
    definition = DEFINITIONS[kind]
    template = check_template(definition.spec, default_template_text(kind))
    return render(definition, list(items), template, PageSetup(), fonts)


def test_summons_is_one_page_with_every_field() -> None:
    pages = pdf_pages(make("summons", summons.SummonsData(CASE, RECIPIENT, HEARING, ISSUED)))
    assert len(pages) == 1
    text = pages[0]
    assert text.startswith("长春新区人民法院传票（2026）吉0193民初1234号")
    for expected in (
        "案由民间借贷纠纷",
        "被传唤人赵淼淼",
        "工作单位或住址吉林省长春市北湖科技开发区盛北大街3333号",
        "传唤事由开庭审理",
        "应到时间2026年11月25日（星期三）上午9时00分",
        "应到处所第三法庭（长春市新区盛北大街1234号三楼）",
        "承办人张犇书记员：刘昇",
        "二〇二六年十一月二十二日",
        "无正当理由拒不到庭的，可以缺席判决",
    ):
        assert expected in text, expected


def test_a_summons_without_a_hearing_time_or_address_is_refused_by_name() -> None:
    no_time = replace(HEARING, start=None)
    no_address = replace(RECIPIENT, address="")
    with pytest.raises(ValidationError) as caught:
        make("summons", summons.SummonsData(CASE, no_address, no_time, ISSUED))
    message = caught.value.message
    assert "无法生成传票（被告赵淼淼）：缺少" in message
    assert "开庭时间（本案尚未安排开庭，请先在排期中安排）" in message
    assert "送达地址（请先在当事人信息中填写地址）" in message


LONG_ADDRESS = (
    "吉林省长春市长春新区北湖科技开发区盛北大街与福祉大路交汇处东北角中海国际社区紫御华府"
    "二期B区第十七栋二单元一千七百零三室（原长春市宽城区兰家镇团山村三社老供销社院内东侧第二户）"
)


def test_a_summons_to_a_long_address_keeps_its_notes_on_the_one_page() -> None:
    # a four-line address used to push the last note alone onto a second page
    person = replace(RECIPIENT, address=LONG_ADDRESS)
    pages = pdf_pages(make("summons", summons.SummonsData(CASE, person, HEARING, ISSUED)))
    assert len(pages) == 1
    assert "四、如有正当理由不能按时到庭" in pages[0]
    assert "团山村三社老供销社院内东侧第二户" in pages[0]


def test_address_confirmation_is_one_page_with_all_its_notes() -> None:
    data = address_confirmation.AddressConfirmationData(CASE, RECIPIENT, ISSUED)
    pages = pdf_pages(make("address_confirmation", data))
    assert len(pages) == 1, "the form and its 告知事项 belong on one sheet"
    text = pages[0]
    assert text.startswith("长春新区人民法院送达地址确认书（2026）吉0193民初1234号")
    assert "受送达人赵淼淼（被告）" in text
    # A bank branch suing on a loan (a common plaintiff): its name and address take two
    # lines each, and the 告知事项 are set at 小五 rather than run onto a second sheet.
    bank = Recipient(
        "中国邮政储蓄银行股份有限公司长春市绿园支行",
        "原告",
        "吉林省长春市德惠市蔚山路1928号长影世纪村32栋6单元2401室",
        "15342211172",
    )
    (page,) = pdf_pages(make("address_confirmation", replace(data, recipient=bank)))
    assert "受送达人中国邮政储蓄银行股份有限公司长春市绿园支行（原告）" in page
    assert page.endswith("文书到达该地址即视为送达。")
    assert "告知事项：一、当事人应当如实提供确切的送达地址" in text
    assert "四、同意电子送达的" in text and text.endswith("即视为送达。")


@pytest.mark.parametrize("extra", [24, 48, 96, 160])
def test_notes_that_run_on_never_split_a_short_item_or_leave_their_heading(extra: int) -> None:
    person = replace(RECIPIENT, address=LONG_ADDRESS + "某" * extra)
    data = address_confirmation.AddressConfirmationData(CASE, person, ISSUED)
    pages = pdf_pages(make("address_confirmation", data))
    assert len(pages) == 2
    items = [
        "告知事项：一、当事人应当如实提供确切的送达地址",
        "二、送达地址需要变更的",
        "三、因受送达人",
        "四、同意电子送达的",
    ]
    ends = ["执行程序。", "依法送达。", "送达之日。", "即视为送达。"]
    for start, end in zip(items, ends, strict=True):
        (page,) = [p for p in pages if start in p]
        assert end in page[page.index(start) :], f"{start}… is split across the pages"


def test_appearance_notice_names_the_role_time_and_place() -> None:
    agent = replace(RECIPIENT, name="钱彧", role="原告王堃的诉讼代理人")
    text = pdf_text(
        make("appearance", appearance.AppearanceNoticeData(CASE, agent, HEARING, ISSUED))
    )
    assert "钱彧：" in text
    assert "定于2026年11月25日（星期三）上午9时00分在第三法庭" in text
    assert "通知你作为原告王堃的诉讼代理人准时出庭" in text


def test_receipt_carries_the_barcode_documents_and_address() -> None:
    data = receipt.ReceiptData(
        CASE,
        RECIPIENT,
        ISSUED,
        task_code="SD2026000123",
        documents=(("传票", 1), ("应诉通知书", 1), ("起诉状副本", 1)),
        method="直接送达",
        issuer="张犇",
    )
    pages = pdf_pages(make("receipt", data))
    assert len(pages) == 1
    text = pages[0]
    assert "SD2026000123" in text  # the digits under the bars
    assert "送达文书名称及件数传票1份、应诉通知书1份、起诉状副本1份" in text
    assert "受送达人赵淼淼" in text
    assert "送达地址吉林省长春市北湖科技开发区盛北大街3333号" in text
    assert "签发人张犇2026年11月22日" in text
    with pytest.raises(ValidationError, match="送达回证（被告赵淼淼）：缺少送达地址"):
        make("receipt", replace(data, recipient=replace(RECIPIENT, address="")))


def test_announcement_of_a_public_hearing() -> None:
    text = pdf_text(make("announcement", announcement.AnnouncementData(CASE, HEARING, ISSUED)))
    assert text.startswith("长春新区人民法院开庭公告")
    assert "本院定于2026年11月25日（星期三）上午9时00分在第三法庭" in text
    assert (
        "公开开庭审理原告王堃、李喆诉被告赵淼淼、长春市彧昇建筑工程有限责任公司民间借贷纠纷一案"
        in text
    )
    assert "特此公告。" in text


def test_cause_list_runs_over_pages_with_its_header_and_hides_private_parties() -> None:
    entries = tuple(
        cause_list.CauseListEntry(
            datetime(2026, 11, 25, 8 + i % 9, 30 * (i % 2)),
            f"第{i % 6 + 1}法庭",
            f"（2026）吉0193民初{2000 + i}号",
            "民间借贷纠纷",
            f"王堃{i} 诉 长春市彧昇建筑工程有限责任公司",
            "张犇",
            "刘昇",
            is_public=i != 3,
        )
        for i in range(60)
    )
    data = cause_list.CauseListData("长春新区人民法院", date(2026, 11, 25), entries, ISSUED)
    pages = pdf_pages(make("cause_list", data))
    assert len(pages) >= 2
    assert pages[0].startswith("长春新区人民法院开庭排期表2026年11月25日（星期三）共60件")
    for page in pages:
        assert "时间法庭案号案由当事人承办人书记员" in page  # the header repeats
    text = "".join(pages)
    assert text.count("吉0193民初2") == 60
    assert "王堃3诉" not in text and "不公开审理" in text
    with pytest.raises(ValidationError, match="没有安排开庭"):
        make("cause_list", replace(data, entries=()))


def test_fee_notice_from_plain_data() -> None:
    data = fee.FeeNoticeData(
        CASE, replace(RECIPIENT, name="王堃", role="原告"), ISSUED, Decimal("13800")
    )
    text = pdf_text(make("fee", data))
    assert "应当预交案件受理费13,800.00元（大写：壹万叁仟捌佰元整）" in text


def test_a_fee_notice_to_one_of_several_plaintiffs_states_the_joint_total() -> None:
    """The fee is one sum for the case, prepaid jointly (《诉讼费用交纳办法》§13, §20)."""
    payers = (("原告", "王堃"), ("原告", "李喆"), ("原告", "长春恒通商贸有限公司"))
    data = fee.FeeNoticeData(
        CASE, replace(RECIPIENT, name="李喆", role="原告"), ISSUED, Decimal("13800"), payers
    )
    (page,) = pdf_pages(make("fee", data))
    assert "李喆：" in page
    assert (
        "原告王堃、李喆、长春恒通商贸有限公司应当共同预交案件受理费13,800.00元"
        "（大写：壹万叁仟捌佰元整）" in page
    )
    assert "该款为全案总额，共同交纳一次，不是每人各交。" in page
    assert "你应当预交" not in page
    # A sole plaintiff is told plainly, without the joint wording.
    alone = replace(data, payers=(("原告", "李喆"),))
    text = pdf_text(make("fee", alone))
    assert "你应当预交案件受理费13,800.00元" in text and "共同" not in text
    assert (
        fee.role_names((("原告", "甲"), ("原告", "乙"), ("第三人", "丙"))) == "原告甲、乙、第三人丙"
    )


def test_a_fee_notice_with_its_working_and_every_account_line_is_one_sheet() -> None:
    """The working, the account and the contact lines are fine print after the seal; set
    closer when need be, they stay on the notice's one sheet (at 小四 with its usual
    spacing, five bands written out in words spilled onto a second one)."""
    basis = "；".join(
        (
            "财产案件，普通程序",
            "不超过 10,000 元的部分：每件 50 元",
            "超过 10,000 元至 100,000 元的部分 90,000.00 元 × 2.5% = 2,250.00 元",
            "超过 100,000 元至 200,000 元的部分 100,000.00 元 × 2% = 2,000.00 元",
            "超过 200,000 元至 500,000 元的部分 300,000.00 元 × 1.5% = 4,500.00 元",
            "超过 500,000 元至 1,000,000 元的部分 350,000.00 元 × 1% = 3,500.00 元",
        )
    )
    company = replace(RECIPIENT, name="长春恒通商贸有限公司", role="原告")
    data = fee.FeeNoticeData(
        CASE,
        company,
        ISSUED,
        Decimal("12300"),
        (("原告", "长春恒通商贸有限公司"),),
        basis=basis,
        payee="长春新区人民法院",
        bank="中国农业银行股份有限公司长春新区支行",
        account="0712 0101 0400 0123 4",
    )
    (page,) = pdf_pages(make("fee", data))
    assert "350,000.00元×1%=3,500.00元" in page  # the working's last band, read back
    assert "开户银行：中国农业银行股份有限公司长春新区支行" in page
    assert page.endswith("联系人：刘昇联系电话：0431-81234567")


def test_a_batch_of_summonses_is_one_pdf_with_every_recipient() -> None:
    people = [
        replace(RECIPIENT, name=name) for name in ("王堃", "李喆", "赵淼淼", "孙犇", "钱彧", "周昇")
    ]
    data = [summons.SummonsData(CASE, person, HEARING, ISSUED) for person in people]
    pages = pdf_pages(make("summons", *data))
    assert len(pages) == 6
    for page, person in zip(pages, people, strict=True):
        assert f"被传唤人{person.name}" in page


def test_rare_extension_b_name_on_a_summons_with_the_fallback_face() -> None:
    person = replace(RECIPIENT, name="𠮷大明")
    data = make("summons", summons.SummonsData(CASE, person, HEARING, ISSUED), fonts=WITH_EXT_B)
    assert "被传唤人𠮷大明" in pdf_text(data)
    assert all(embedded for _, embedded in font_descriptors(data))


def test_hearing_facts_place_text() -> None:
    assert HearingFacts(None, "第三法庭").place == "第三法庭"
    assert HearingFacts(None, "").values() == {"开庭时间": "", "开庭地点": ""}
