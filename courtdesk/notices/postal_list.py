"""The postal list (邮寄清单): what the centre hands to the post office, as an Excel workbook.

One row per item posted (or to be posted), with the waybill, the recipient and
address, the case and the document, and the receipt's barcode so a returned
receipt can be matched to its row. Takes plain data; never touches the database.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter


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
class PostalList:
    court_name: str
    title: str  # 邮寄清单（2026-11-20）
    items: tuple[PostalItem, ...]


HEADERS = (
    ("序号", 6),
    ("邮件单号", 16),
    ("收件人", 16),
    ("收件地址", 46),
    ("电话", 14),
    ("案号", 24),
    ("文书", 24),
    ("份数", 6),
    ("回证条码", 14),
    ("寄出日期", 12),
    ("方式", 10),
)


def postal_list_xlsx(postal: PostalList) -> bytes:
    """The list as an .xlsx workbook (A4 landscape, headers repeated on every printed page)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "邮寄清单"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.cell(1, 1, f"{postal.court_name}　{postal.title}").font = Font(size=14, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet.cell(2, 1, f"共 {len(postal.items)} 件")
    for column, (title, width) in enumerate(HEADERS, start=1):
        cell = sheet.cell(3, column, title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        cell.border = border
        sheet.column_dimensions[get_column_letter(column)].width = width
    for number, item in enumerate(postal.items, start=1):
        values = (
            number,
            item.waybill,
            item.recipient,
            item.address,
            item.phone,
            item.case_number,
            item.document,
            item.copies,
            item.code,
            item.posted,
            item.method,
        )
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(number + 3, column, value)
            cell.border = border
            # Waybills, phones and codes are text: Excel must not turn them into numbers.
            if column in (2, 5, 9):
                cell.number_format = "@"
            if column == 4:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
