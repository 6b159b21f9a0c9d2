"""The calculation sheets (计算单) rendered with the notices engine, read back from the PDF."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from courtdesk.domain.fees import litigation_fee
from courtdesk.domain.lending import LoanTerms, Repayment, compute_interest
from courtdesk.domain.lpr import shipped_table
from courtdesk.domain.periods import compute_period
from courtdesk.notices.calculation_sheet import SheetTable, column_alignments, render_sheet
from courtdesk.notices.fonts import UnprintableCharactersError
from courtdesk.notices.layout import PageSetup
from courtdesk.services.calculation_sheets import fee_sheet, lending_sheet, period_sheet
from tests.notices.helpers import BUNDLED_ONLY, font_descriptors, pdf_pages

COURT = "长春新区人民法院"
ON = date(2026, 11, 20)


def flat(text: str) -> str:
    return "".join(text.split())


def test_the_fee_sheet_shows_the_working_on_one_page() -> None:
    result = litigation_fee("property", Decimal(100_000), "summary")
    pdf = render_sheet(fee_sheet(result, COURT, "王书记员", ON), PageSetup(), BUNDLED_ONLY)
    (page,) = pdf_pages(pdf)
    text = flat(page)
    assert text.startswith("长春新区人民法院诉讼费用计算单")
    assert "诉讼标的额100,000.00元" in text and "审理程序简易程序" in text
    assert "超过10,000元至100,000元的部分90,000.00元×2.5%=2,250.00元" in text
    assert "应交纳案件受理费1,150.00元" in text
    assert "计算人：王书记员" in text and "2026-11-20" in text
    assert all(embedded for _, embedded in font_descriptors(pdf))


def test_columns_of_figures_stand_flush_right() -> None:
    result = litigation_fee("property", Decimal(1_000_000), "summary")
    (section,) = [s for s in fee_sheet(result, COURT, "王书记员", ON).sections if s.table]
    assert section.table is not None
    assert column_alignments(section.table) == ["left", "right"]  # 计算过程 | 金额（元）
    periods = SheetTable(
        ("期间", "天数", "本金", "年利率", "利息"),
        (("2019-03-01至2019-08-31", "184", "100,000.00", "24%", "12,098.63"),),
        (4, 1, 2, 1, 2),
    )
    assert column_alignments(periods) == ["left", "right", "right", "right", "right"]


def test_the_lending_sheet_with_a_transition_and_repayments_fits_one_page() -> None:
    terms = LoanTerms(
        Decimal(100_000),
        date(2019, 3, 1),
        date(2019, 3, 1),
        date(2022, 3, 1),
        Decimal(24),
        Decimal(30),
        date(2020, 3, 1),
        date(2022, 1, 20),
        (
            Repayment(date(2019, 9, 1), Decimal(10_000)),
            Repayment(date(2021, 3, 1), Decimal(20_000)),
        ),
    )
    result = compute_interest(terms, shipped_table())
    (page,) = pdf_pages(
        render_sheet(lending_sheet(result, COURT, "张法官", ON), PageSetup(), BUNDLED_ONLY)
    )
    text = flat(page)
    assert "民间借贷利息计算单" in text
    assert "2020年8月20日起上限年利率14.8%" in text
    assert "2019-03-01至2019-08-31（借期内）" in text and "12,098.63" in text
    assert "2019-09-01还款10,000.00元：抵充利息10,000.00元" in text
    assert "尚欠本息合计128,001.10元" in text


def test_a_long_calculation_continues_on_a_numbered_page() -> None:
    repayments = tuple(
        Repayment(date(2021, 1, 1) + timedelta(days=30 * n), Decimal(500)) for n in range(1, 30)
    )
    terms = LoanTerms(
        Decimal(100_000),
        date(2021, 1, 1),
        date(2021, 1, 1),
        date(2023, 12, 1),
        Decimal(12),
        repayments=repayments,
    )
    result = compute_interest(terms, shipped_table())
    pages = pdf_pages(
        render_sheet(lending_sheet(result, COURT, "张法官", ON), PageSetup(), BUNDLED_ONLY)
    )
    assert len(pages) >= 2
    assert "第1页，共" in pages[0] and "计算人：张法官" in flat(pages[-1])


def test_the_period_sheet_warns_about_a_year_without_holidays() -> None:
    result = compute_period(date(2026, 12, 17), days=15)
    (page,) = pdf_pages(
        render_sheet(period_sheet(result, COURT, "李书记员", ON), PageSetup(), BUNDLED_ONLY)
    )
    text = flat(page)
    assert "期间届满日：2027-01-01（星期五）" in text
    assert "注意：2027年的法定节假日尚未录入，本结果仅按周末计算，请核实" in text


def test_a_character_no_font_has_is_named() -> None:
    result = compute_period(date(2026, 9, 16), days=15)
    sheet = period_sheet(result, COURT, "吉\U00020bb7", ON)  # 𠮷 is not in the bundled face
    with pytest.raises(UnprintableCharactersError, match="𠮷"):
        render_sheet(sheet, PageSetup(), BUNDLED_ONLY)
