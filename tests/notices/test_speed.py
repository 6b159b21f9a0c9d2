"""Speed: the scale target is at least 100 summonses a second (one PDF, one page each)."""

from __future__ import annotations

import io
import re
import time
from dataclasses import replace

import pytest
from pypdf import PdfReader

from courtdesk.notices import summons
from courtdesk.notices.base import default_template_text, render
from courtdesk.notices.layout import PageSetup
from courtdesk.notices.template import check_template
from tests.notices.helpers import BUNDLED_ONLY, CASE, HEARING, ISSUED, RECIPIENT


@pytest.mark.slow
def test_500_summonses_render_fast_into_one_pdf() -> None:
    template = check_template(summons.SPEC, default_template_text("summons"))
    people = [
        replace(RECIPIENT, name=f"王堃{i}", address=f"吉林省长春市长春新区硅谷大街{i}号")
        for i in range(500)
    ]
    items = [summons.SummonsData(CASE, person, HEARING, ISSUED) for person in people]
    render(summons.DEFINITION, items[:1], template, PageSetup(), BUNDLED_ONLY)  # fonts loaded
    started = time.perf_counter()
    pdf = render(summons.DEFINITION, items, template, PageSetup(), BUNDLED_ONLY)
    seconds = time.perf_counter() - started
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 500
    first, last = (re.sub(r"\s+", "", reader.pages[i].extract_text()) for i in (0, -1))
    assert "被传唤人王堃0" in first and "被传唤人王堃499" in last
    print(f"\n500 张传票：{seconds:.2f} 秒，每秒 {500 / seconds:.0f} 张，{len(pdf) // 1024} KB")
    # ~250 a second on the 2-core build machine under load; the bound leaves room for CI
    assert 500 / seconds >= 60
