"""A self-check of an installed courtdesk, without a screen (``courtdesk --self-check``).

IT staff run it after copying the program onto a court PC, and the build test runs
it inside the frozen program, so a missing data file, font or hidden import shows
up as a failed step instead of a clerk's crash.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from courtdesk.domain.case_types import default_catalog
from courtdesk.domain.parties import PartyDraft
from courtdesk.resources import resource_path
from courtdesk.services import accounts, cases, docket
from courtdesk.services.cases import CaseDraft
from courtdesk.services.demo import fill_demo
from courtdesk.services.docket import DocketFilter, SortKey
from courtdesk.services.workspace import Workspace, default_username, open_workspace


@dataclass(frozen=True)
class Step:
    name: str
    ok: bool
    detail: str


def run_self_check(
    extra_steps: list[tuple[str, Callable[[Path], str]]] | None = None,
) -> list[Step]:
    """Run every step in a temporary folder; a step's exception is its failure, reported."""
    steps: list[Step] = []
    with tempfile.TemporaryDirectory(prefix="courtdesk-check-") as folder:
        path = Path(folder) / "check.sqlite3"
        checks: list[tuple[str, Callable[[Path], str]]] = [
            ("数据文件", _resources),
            ("新建数据库并生成演示数据", _database),
            ("立案登记", _register),
            ("生成文书 PDF（应诉通知书）", _notice),
            ("各种文书的版式", _notices),
            *(extra_steps or []),
        ]
        for name, check in checks:
            try:
                steps.append(Step(name, True, check(path)))
            except Exception as error:  # each failure is reported, the rest still run
                steps.append(Step(name, False, f"{type(error).__name__}: {error}"))
    return steps


def _resources(_path: Path) -> str:
    font = resource_path("fonts", "uming.ttc")
    if not font.is_file():
        raise FileNotFoundError(font)
    return f"{len(default_catalog().types)} 种案件类型，字体 {font.name}"


def _database(path: Path) -> str:
    report = fill_demo(path, 20, seed=1)
    return f"{report.cases} 件演示案件"


def _signed_in(path: Path) -> Workspace:
    probe = open_workspace(path)
    try:
        username = default_username(probe)
    finally:
        probe.close()
    # Signing in runs scrypt, which needs the OpenSSL the frozen program must carry.
    return accounts.sign_in(path, username, accounts.DEMO_PASSWORD)


def _notice(path: Path) -> str:
    """Fonts, templates and reportlab (barcodes included) as the frozen program has them."""
    from courtdesk.services import notices

    ws = _signed_in(path)
    try:
        case_id = docket.page(
            ws,
            DocketFilter(type_codes=("民初",), statuses=("pending",)),
            SortKey.FILING_DATE,
            True,
            0,
            1,
        )[0].id
        result = notices.generate(
            ws, "response", [notices.NoticeRequest(case_id, all_recipients=True)]
        )
    finally:
        ws.close()
    if not (result.pdf.startswith(b"%PDF") and b"%%EOF" in result.pdf[-1024:]):
        raise RuntimeError("生成的文件不是完整的 PDF")
    return f"{result.documents} 份，{len(result.pdf) // 1024} KB"


def _register(path: Path) -> str:
    ws = _signed_in(path)
    try:
        detail = cases.register_case(
            ws,
            CaseDraft(
                type_code="民初",
                procedure="civil_summary",
                cause="民间借贷纠纷",
                filing_date=date.today(),
                amount_claimed=Decimal("10000"),
                parties=(PartyDraft("原告", "自检原告"), PartyDraft("被告", "自检被告")),
            ),
        )
        return detail.case_number
    finally:
        ws.close()


def _notices(_path: Path) -> str:
    """Every kind of notice drawn with the fonts this machine resolves (barcode included)."""
    from courtdesk.notices.base import default_template_text, render
    from courtdesk.notices.catalog import DEFINITIONS
    from courtdesk.notices.fonts import resolve_fonts
    from courtdesk.notices.layout import PageSetup
    from courtdesk.notices.samples import sample
    from courtdesk.notices.template import check_template

    fonts = resolve_fonts()
    size = 0
    for key, definition in DEFINITIONS.items():
        template = check_template(definition.spec, default_template_text(key))
        item = sample(key, "自检人民法院", date.today())
        size += len(render(definition, [item], template, PageSetup(), fonts))
    return f"{len(DEFINITIONS)} 种文书，{size // 1024} KB，正文字体 {fonts.body.path.name}"
