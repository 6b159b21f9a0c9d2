"""The engine: court-document layout, fonts embedded as subsets, rare characters."""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from courtdesk.notices import fonts, response, summons
from courtdesk.notices.base import compose_standard, default_template_text, render, yuan_in_capitals
from courtdesk.notices.fonts import FaceChain, UnprintableCharactersError, char_label
from courtdesk.notices.layout import MM, PAGE_WIDTH, DocBuilder, Faces, PageSetup
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

RESPONSE_TEMPLATE = check_template(response.SPEC, default_template_text("response"))


def _response(case=CASE, recipient=RECIPIENT, fonts=BUNDLED_ONLY, setup=None) -> bytes:
    data = response.ResponseNoticeData(case, recipient, ISSUED)
    return render(response.DEFINITION, [data], RESPONSE_TEMPLATE, setup or PageSetup(), fonts)


def test_response_notice_reads_back_with_the_case_data_and_rare_characters() -> None:
    text = pdf_text(_response())
    assert text.startswith("长春新区人民法院应诉通知书（2026）吉0193民初1234号赵淼淼：")
    assert (
        "本院已受理原告王堃、李喆诉被告赵淼淼、长春市彧昇建筑工程有限责任公司民间借贷纠纷一案"
        in text
    )
    assert "十五日内向本院提交答辩状" in text
    assert "由审判员张犇承办" in text
    assert "二〇二六年十一月二十二日" in text  # the closing date in Chinese numerals
    assert "联系人：刘昇" in text and "联系电话：0431-81234567" in text


def test_fonts_are_embedded_as_subsets_and_no_standard_font_is_named() -> None:
    fonts = font_descriptors(_response())
    assert fonts, "the PDF names no fonts"
    for name, embedded in fonts:
        assert embedded, f"{name} is not embedded"
        assert re.match(r"^/[A-Z]{6}\+", name), f"{name} is not a subset"
        assert "Helvetica" not in name and "STSong" not in name


def test_an_extension_b_character_no_font_has_is_reported_by_name() -> None:
    person = replace(RECIPIENT, name="𠮷大明")
    with pytest.raises(UnprintableCharactersError) as caught:
        _response(recipient=person, fonts=BUNDLED_ONLY)
    assert "U+20BB7 𠮷" in caught.value.message
    assert "𠮷大明" in caught.value.message  # where it occurs
    # the faces tried are each named once, not once per role
    assert caught.value.message.count("uming.ttc") == 1
    assert char_label("𠮷") == "U+20BB7 𠮷"


def test_an_extension_b_character_prints_from_the_fallback_face() -> None:
    person = replace(RECIPIENT, name="𠮷大明")
    data = _response(recipient=person, fonts=WITH_EXT_B)
    assert "𠮷大明：" in pdf_text(data)  # extracted back: the ToUnicode map is right
    assert any("HanaMinB" in name for name, _ in font_descriptors(data))


def test_long_addresses_wrap_inside_the_text_block() -> None:
    setup = PageSetup()
    faces = Faces(BUNDLED_ONLY)
    builder = DocBuilder(setup, faces, "传票")
    long_address = (
        "吉林省长春市北湖科技开发区盛北大街3333号" * 8 + "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" * 3
    )
    person = replace(RECIPIENT, address=long_address)
    template = check_template(summons.SPEC, default_template_text("summons"))
    compose_standard(
        builder, summons.SummonsData(CASE, person, HEARING, ISSUED), template, summons.DEFINITION
    )
    document = builder.finish()
    right = PAGE_WIDTH - setup.right_mm * MM
    for page in document.pages:
        for op in page:
            if op[0] != "text":
                continue
            _, x, y, size, runs, char_space = op
            count = sum(len(t) for _, t in runs)
            width = sum(pdfmetrics.stringWidth(t, f, size) for f, t in runs)
            width += char_space * (count - 1)
            assert x >= setup.left - 0.5
            assert x + width <= right + 0.5, f"overflows: {''.join(t for _, t in runs)}"
            assert setup.bottom - 1 <= y <= setup.top


def test_many_parties_run_onto_numbered_second_pages() -> None:
    many = tuple(f"被告{i}号长春市某某贸易有限公司" for i in range(60))
    pages = pdf_pages(_response(case=replace(CASE, respondents=many)))
    assert len(pages) >= 2
    assert f"第1页，共{len(pages)}页" in pages[0]
    assert "被告59号长春市某某贸易有限公司" in "".join(pages)
    assert "二〇二六年十一月二十二日" in pages[-1]


def test_closing_never_stands_alone_on_a_page() -> None:
    for count in range(0, 40, 3):
        parties = tuple(f"被告{i}" for i in range(count))
        pages = pdf_pages(_response(case=replace(CASE, respondents=parties or ("赵淼淼",))))
        last = pages[-1]
        assert last.index("长春新区人民法院二〇二六年") > 0 or "此页无正文" in last


def test_margins_follow_the_setup() -> None:
    wide = PageSetup(left_mm=50, right_mm=45)
    assert wide.problems() == ["左右边距过大：版心宽度不足 120 毫米"]
    assert PageSetup().problems() == []
    assert round(PageSetup().width / MM) == 156


def test_face_chain_uses_the_fallback_only_where_needed() -> None:
    chain = FaceChain(WITH_EXT_B.body, WITH_EXT_B.fallbacks)
    runs = chain.runs("王𠮷明")
    assert [text for _, text in runs] == ["王", "𠮷", "明"]
    assert runs[0][0] == runs[2][0] != runs[1][0]
    assert chain.missing("王𠮷明") == []
    assert FaceChain(BUNDLED_ONLY.body, BUNDLED_ONLY.fallbacks).missing("王𠮷明𠮷") == ["𠮷"]


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        ("2300", "贰仟叁佰元整"),
        ("50", "伍拾元整"),
        ("13800", "壹万叁仟捌佰元整"),
        ("100050.5", "壹拾万零伍拾元伍角"),
        ("1001.05", "壹仟零壹元零伍分"),
        ("0.3", "叁角"),
    ],
)
def test_amounts_in_capitals(amount: str, capitals: str) -> None:
    from decimal import Decimal

    assert yuan_in_capitals(Decimal(amount)) == capitals


def test_amounts_with_thousands_separators_never_break_across_lines() -> None:
    setup = PageSetup()
    builder = DocBuilder(setup, Faces(BUNDLED_ONLY), "传票")
    chain = FaceChain(BUNDLED_ONLY.body, BUNDLED_ONLY.fallbacks)
    amount = "1,234,567.89"
    # Slide the amount across the line end one character at a time.
    for lead in range(8, 30):
        text = "诉" * lead + f"请求判令被告偿还借款本金{amount}元及利息"
        lines = builder.wrap(text, chain, 16, setup.width)
        assert any(amount in line.text for line in lines), [line.text for line in lines]


def test_a_font_is_resolved_configured_then_official_then_bundled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """domain-rules.md section 8: the configured file wins, then an installed official
    face (仿宋_GB2312 for the body, 方正小标宋 for headings), then the bundled font."""
    bundled = fonts.resolve_font()
    installed_dir = tmp_path / "fonts"
    installed_dir.mkdir()
    monkeypatch.setattr(fonts, "font_folders", lambda: [installed_dir])
    fonts._installed_index.cache_clear()
    try:
        assert fonts.resolve_font().origin == "bundled"
        assert fonts.resolve_font(heading=True).path.name == "uming.ttc"
        shutil.copyfile(bundled.path, installed_dir / "simfang.ttf")
        shutil.copyfile(bundled.path, installed_dir / "FZXBSJW.TTF")
        fonts._installed_index.cache_clear()
        body, heading = fonts.resolve_font(), fonts.resolve_font(heading=True)
        assert (body.origin, body.path.name) == ("installed", "simfang.ttf")
        assert (heading.origin, heading.path.name) == ("installed", "FZXBSJW.TTF")
        chosen = tmp_path / "court.ttc"
        shutil.copyfile(bundled.path, chosen)
        configured = fonts.resolve_font(f"{chosen}#1")
        assert (configured.origin, configured.path, configured.subfont_index) == (
            "configured",
            chosen,
            1,
        )
        assert "设置指定" in configured.label
        # A configured file that has gone away falls back down the chain, never to nothing.
        assert fonts.resolve_font(str(tmp_path / "gone.ttf")).origin == "installed"
    finally:
        fonts._installed_index.cache_clear()


@pytest.mark.parametrize(
    "unit", ["元", " 元", "日", "号"], ids=["yuan", "space-yuan", "day", "number"]
)
def test_a_figure_keeps_its_unit_on_its_line(unit: str) -> None:
    setup = PageSetup()
    builder = DocBuilder(setup, Faces(BUNDLED_ONLY), "计算单")
    chain = FaceChain(BUNDLED_ONLY.body, BUNDLED_ONLY.fallbacks)
    for lead in range(8, 30):
        text = "诉" * lead + f"尚欠利息 38,518.36{unit}，本息合计"
        lines = builder.wrap(text, chain, 16, setup.width)
        assert not any(line.text.lstrip().startswith(unit.strip()) for line in lines[1:]), [
            line.text for line in lines
        ]


def test_a_right_aligned_grid_column_ends_its_figures_at_one_edge() -> None:
    setup = PageSetup()
    builder = DocBuilder(setup, Faces(BUNDLED_ONLY), "计算单")
    figures = ["50.00", "2,250.00", "-6,900.00"]
    builder.grid(
        ["计算过程", "金额"], [["甲", f] for f in figures], [3, 1], 10.5, ["left", "right"]
    )
    ends = []
    for op in builder.page:
        if op[0] == "text" and op[4][0][1] in figures:
            width = sum(pdfmetrics.stringWidth(chunk, face, op[3]) for face, chunk in op[4])
            ends.append(round(op[1] + width, 2))
    assert len(ends) == 3 and len(set(ends)) == 1, ends


def test_heading_at_22_pt_and_body_at_16_pt_as_section_8_sets_them() -> None:
    """Court name and title in 二号 (22 pt), case number and body in 三号 (16 pt)."""
    sizes: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        text = text.strip()
        if text and text not in sizes:
            sizes[text] = size * tm[3]  # the size scaled by the text matrix

    PdfReader(io.BytesIO(_response())).pages[0].extract_text(visitor_text=visit)
    assert sizes["长春新区人民法院"] == 22
    assert sizes["应诉通知书"] == 22
    assert sizes["（2026）吉0193民初1234号"] == 16
    assert sizes["赵淼淼："] == 16
    body = [size for text, size in sizes.items() if text.startswith("本院已受理")]
    assert body == [16]
