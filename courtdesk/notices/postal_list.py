"""The postal list (邮寄清单): what the centre hands to the post office, as PDF and Excel.

One row per item posted (or to be posted), with the waybill, the recipient and
address, the case and the document, and the receipt's barcode so a returned
receipt can be matched to its row. The PDF ends with lines for the clerk who
hands the items over and the post office's acceptance (the proof that a document
was posted in time, 民诉法 §85). Takes plain data; never touches the database.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from courtdesk.domain.dates import chinese_date
from courtdesk.errors import FieldProblem, ValidationError
from courtdesk.notices.base import CaseFacts, NoticeDefinition, Recipient, date_text, who
from courtdesk.notices.layout import DocBuilder
from courtdesk.notices.template import Field, Template, TemplateSpec, fill


@dataclass(frozen=True)
class PostalItem:
    code: str  # the receipt barcode (SD…)
    waybill: str
    recipient: str
    address: str
    phone: str
    case_number: str
    document: str
    copies: int
    posted: str  # ISO date, or "" when not posted yet
    method: str  # 法院专递 / 邮寄送达 / "" when not chosen yet


@dataclass(frozen=True)
class Envelope:
    """What goes out in one envelope: every document for one recipient at one address."""

    waybill: str
    recipient: str
    address: str
    phone: str
    case_number: str
    documents: tuple[tuple[str, int], ...]  # (title, copies)
    codes: tuple[str, ...]  # one receipt (and barcode) per document
    posted: str
    method: str

    @property
    def contents(self) -> str:
        return "、".join(f"{title}{copies}份" for title, copies in self.documents)


def envelopes(items: tuple[PostalItem, ...]) -> list[Envelope]:
    """Items grouped into envelopes: the same waybill (or, not posted yet, the same
    recipient, address and case), in the order their first item was listed."""
    groups: dict[tuple[str, ...], list[PostalItem]] = {}
    for item in items:
        key = (
            (item.waybill,)
            if item.waybill
            else ("", item.recipient, item.address, item.case_number)
        )
        groups.setdefault(key, []).append(item)
    return [
        Envelope(
            waybill=group[0].waybill,
            recipient=group[0].recipient,
            address=group[0].address,
            phone=group[0].phone,
            case_number=group[0].case_number,
            documents=tuple((i.document, i.copies) for i in group),
            codes=tuple(i.code for i in group),
            posted=group[0].posted,
            method=group[0].method,
        )
        for group in groups.values()
    ]


@dataclass(frozen=True)
class PostalList:
    court_name: str
    title: str  # 邮寄清单（2026-11-20）
    items: tuple[PostalItem, ...]
    day: date | None = None  # the day's list; None for a selection of tasks
    issued: date = date(2000, 1, 1)
    court_address: str = ""
    court_phone: str = ""
    recipient: Recipient | None = None

    @property
    def case(self) -> CaseFacts:
        """The notices engine names a document's court (and its subject) through its case."""
        return CaseFacts(self.court_name, self.title, "")


# ---------------------------------------------------------------------- PDF
PDF_COLUMNS = ("序号", "邮件单号", "收件人", "收件地址", "电话", "案号及文书", "回证条码")
# Points across the landscape line (A4 横向, 225 mm) at 小五 (9 pt): a 13-digit
# waybill, an 11-digit phone, an SD code and a 案号 each fit on one line, an address
# on two. Portrait (156 mm) wrapped every row to five lines: a day's 433 letters
# took 58 pages.
PDF_WIDTHS = (22, 66, 70, 168, 58, 182, 68)
PDF_SIZE = 9.0

SPEC = TemplateSpec(
    kind="postal_list",
    title="邮寄清单",
    sections=("标题", "说明", "注意事项"),
    fields=(
        Field("法院", "本院名称"),
        Field("日期", "交寄日期，例如2026年11月25日"),
        Field("件数", "邮件件数"),
        Field("法院地址", "法院地址（文书设置）", required=False),
        Field("联系电话", "法院联系电话（文书设置）", required=False),
    ),
    required_sections=("标题",),
)


def posting_days(data: PostalList) -> str:
    """交寄日期: the day of a day's list; for chosen tasks, the days their letters went.

    A letter not posted yet goes with this list, so on the day it is printed; letters
    posted earlier keep their own day, and a list spanning days says from when to when.
    """
    if data.day is not None:
        return date_text(data.day)
    days = sorted(
        {
            date.fromisoformat(item.posted[:10]) if item.posted else data.issued
            for item in data.items
        }
        or {data.issued}
    )
    if len(days) == 1:
        return date_text(days[0])
    return f"{date_text(days[0])}至{date_text(days[-1])}"


def values(data: PostalList) -> dict[str, str]:
    return {
        "法院": data.court_name,
        "日期": posting_days(data),
        "件数": str(len(envelopes(data.items))),
        "法院地址": data.court_address,
        "联系电话": data.court_phone,
    }


def compose(
    builder: DocBuilder, data: Any, template: Template, definition: NoticeDefinition
) -> None:
    """Title, the day and count, the ruled list (header on every page), the signature lines."""
    assert isinstance(data, PostalList)
    label = who(definition, data)
    vals = values(data)
    if not data.items:
        raise ValidationError(
            [FieldProblem("notice", f"{vals['日期']}没有邮寄的文书，无法生成邮寄清单")]
        )
    title = " ".join(fill(SPEC, line, vals, label) for line in template.lines("标题"))
    intro = [fill(SPEC, line, vals, label) for line in template.lines("说明")]
    notes = [fill(SPEC, line, vals, label) for line in template.lines("注意事项")]
    builder.heading(data.court_name, title)
    for paragraph in intro:
        builder.aligned(paragraph, align="center")
    builder.space(builder.setup.line_height * 0.3)
    rows = [
        [
            str(number),
            item.waybill or "（未寄出）",
            item.recipient,
            item.address or "（无地址）",
            item.phone,
            f"{item.case_number}\n{item.contents}",
            "\n".join(item.codes),
        ]
        for number, item in enumerate(envelopes(data.items), start=1)
    ]
    builder.grid(list(PDF_COLUMNS), rows, list(PDF_WIDTHS), PDF_SIZE)
    builder.notes("", notes, size=builder.setup.small_size)
    builder.space(builder.setup.line_height * 0.5)
    # Two lines: at the body size one line of both wrapped in the middle of 「日戳」.
    builder.aligned("交寄人（签名）：")
    builder.space(builder.setup.line_height * 0.5)
    builder.aligned("邮政收寄人员（签名、日戳）：")
    builder.aligned(chinese_date(data.issued), align="right", right_indent_chars=4)


DEFINITION = NoticeDefinition(SPEC, values, compose=compose, closing=False, landscape=True)


HEADERS = (
    ("序号", 6),
    ("邮件单号", 16),
    ("收件人", 16),
    ("收件地址", 46),
    ("电话", 14),
    ("案号", 24),
    ("文书及份数", 30),
    ("件数", 6),
    ("回证条码", 14),
    ("寄出日期", 12),
    ("方式", 10),
)


def postal_list_xlsx(postal: PostalList) -> bytes:
    """The list as an .xlsx workbook (A4 landscape, headers repeated on every printed page)."""
    # openpyxl is imported here, not at the top: it is slow to import and the
    # program's start-up needs none of it.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "邮寄清单"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.cell(1, 1, f"{postal.court_name}　{postal.title}").font = Font(size=14, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    mail = envelopes(postal.items)
    sheet.cell(2, 1, f"共 {len(mail)} 件邮件（{len(postal.items)} 份文书）")
    for column, (title, width) in enumerate(HEADERS, start=1):
        cell = sheet.cell(3, column, title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        cell.border = border
        sheet.column_dimensions[get_column_letter(column)].width = width
    for number, item in enumerate(mail, start=1):
        values: tuple[str | int, ...] = (
            number,
            item.waybill,
            item.recipient,
            item.address,
            item.phone,
            item.case_number,
            item.contents,
            len(item.documents),
            "、".join(item.codes),
            item.posted,
            item.method,
        )
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(number + 3, column, value)
            cell.border = border
            # Waybills, phones and codes are text: Excel must not turn them into numbers.
            if column in (2, 5, 9):
                cell.number_format = "@"
            if column in (4, 7, 9):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
