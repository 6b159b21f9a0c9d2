"""Shared test data and PDF reading for the notice tests."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path

from pypdf import PdfReader

from courtdesk.notices.base import CaseFacts, Recipient
from courtdesk.notices.fonts import BUNDLED_FONT, FontChoice, FontStack
from courtdesk.notices.hearing import HearingFacts
from courtdesk.resources import resource_path

FIXTURES = Path(__file__).parent / "fixtures"
BUNDLED = FontChoice(resource_path("fonts", BUNDLED_FONT[0]), BUNDLED_FONT[1], "bundled")
# Only the bundled face: what a machine without any Extension-B font has.
BUNDLED_ONLY = FontStack(BUNDLED, BUNDLED, (BUNDLED,))
# The bundled face plus a fallback that has 𠮷 (a three-glyph cut of HanaMinB).
WITH_EXT_B = FontStack(
    BUNDLED, BUNDLED, (FontChoice(FIXTURES / "hanamin-b-subset.ttf", 0, "configured"), BUNDLED)
)

CASE = CaseFacts(
    court_name="长春新区人民法院",
    case_number="（2026）吉0193民初1234号",
    cause="民间借贷纠纷",
    claimants=("王堃", "李喆"),
    respondents=("赵淼淼", "长春市彧昇建筑工程有限责任公司"),
    judge="张犇",
    clerk="刘昇",
    division="民事审判第一庭",
    filing_date=date(2026, 11, 2),
    procedure_label="简易程序",
    court_phone="0431-81234567",
    court_address="长春市新区盛北大街1234号",
)
RECIPIENT = Recipient(
    "赵淼淼",
    "被告",
    "吉林省长春市北湖科技开发区盛北大街3333号长春新区某某小区12栋3单元1502室",
    "13912345678",
)
HEARING = HearingFacts(datetime(2026, 11, 25, 9, 0), "第三法庭", "长春市新区盛北大街1234号三楼")
ISSUED = date(2026, 11, 22)


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, with the layout's spacing removed (justified lines space out)."""
    reader = PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", "", page.extract_text() or "") for page in reader.pages]


def pdf_text(data: bytes) -> str:
    return "".join(pdf_pages(data))


def font_descriptors(data: bytes) -> list[tuple[str, bool]]:
    """(BaseFont, has an embedded TrueType program) for every font the pages use."""
    reader = PdfReader(io.BytesIO(data))
    found: dict[str, bool] = {}
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font")
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            found[str(font["/BaseFont"])] = embedded
    return sorted(found.items())
