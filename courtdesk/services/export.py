"""Exporting the docket to Excel (.xlsx, openpyxl): whatever the clerk has filtered, in its order.

The sheet opens with the court's name, the filter in words and the export date, so a
printout or a forwarded file says what it is. Rows are streamed from one read
snapshot into openpyxl's write-only workbook, so 200,000 cases need neither the
whole docket in memory nor more than one pass; the file is written beside its
target and moved into place at the end, so a failure never leaves half a file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from courtdesk.domain.case_status import CaseStatus
from courtdesk.domain.case_types import default_catalog
from courtdesk.domain.money import fen_to_yuan
from courtdesk.domain.procedures import PROCEDURES
from courtdesk.domain.text import free_text_problem
from courtdesk.errors import CourtdeskError, FieldProblem, ValidationError
from courtdesk.paths import path_problem
from courtdesk.services import audit
from courtdesk.services.docket import describe_filter
from courtdesk.services.permissions import Permission, require, viewer
from courtdesk.services.workspace import Workspace
from courtdesk.store import docket as docket_store
from courtdesk.store.docket import DocketFilter, SortKey

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# openpyxl is imported where a workbook is written: it takes a quarter of a second
# to import, and start-up does not need it.

Progress = Callable[[int, int], None]
PROGRESS_EVERY = 2_000
HEADER_ROWS = 4  # court, filter, date line, blank; the column titles follow

# (title, width in characters)
COLUMNS: tuple[tuple[str, int], ...] = (
    ("序号", 7),
    ("案号", 26),
    ("案件类型", 12),
    ("审理程序", 12),
    ("案由", 22),
    ("当事人", 36),
    ("承办部门", 16),
    ("承办人", 9),
    ("书记员", 9),
    ("立案日期", 12),
    ("状态", 8),
    ("审限届满日", 12),
    ("结案日期", 12),
    ("诉讼标的额（元）", 16),
)


@dataclass(frozen=True)
class ExportReport:
    path: str
    rows: int
    filter_text: str


def export_docket(
    ws: Workspace,
    flt: DocketFilter,
    sort: SortKey,
    descending: bool,
    path: str | os.PathLike[str],
    today: date | None = None,
    progress: Progress | None = None,
) -> ExportReport:
    """Write the filtered docket to ``path`` (.xlsx) and record the export in the audit trail."""
    require(ws.actor, Permission.VIEW_CASES)
    _check_filter_text(flt)
    target = Path(path).expanduser().absolute()
    if not target.name:  # the root of a drive or of the file system
        raise ValidationError(f"导出文件 {target} 不是文件名，请填写要保存的文件名", "path")
    if target.suffix.lower() != ".xlsx":
        target = target.with_name(target.name + ".xlsx")
    if (problem := path_problem(target, "导出文件")) is not None:
        raise ValidationError(problem, "path")
    if not target.parent.is_dir():
        raise CourtdeskError(f"文件夹 {target.parent} 不存在，无法导出")
    today = today or date.today()
    filter_text = describe_filter(ws, flt)
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("案件列表")
    with ws.db.snapshot() as conn:
        # The same cases the docket shows this user: private ones only for those involved.
        seen_by = viewer(ws.actor)
        total = docket_store.count(conn, flt, seen_by)
        _header(sheet, ws.court_name, filter_text, today, total, ws.actor.display_name)
        written = 0
        for row in docket_store.export_rows(conn, flt, sort, descending, seen_by):
            written += 1
            sheet.append(_cells(sheet, written, row))
            if progress and written % PROGRESS_EVERY == 0:
                progress(written, total)
    partial = target.with_name(f".{target.name}.part")
    try:
        book.save(partial)
        os.replace(partial, target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        reason = error.strerror or str(error)
        raise CourtdeskError(
            f"无法写入文件 {target}：{reason}（若该文件已在 Excel 中打开，请先关闭）"
        ) from error
    if progress:
        progress(written, total)
    with ws.db.transaction() as tx:
        audit.record(
            tx,
            ws.actor,
            "docket.export",
            "cases",
            None,
            {"filter": filter_text, "rows": written, "file": target.name},
        )
    return ExportReport(str(target), written, filter_text)


def _check_filter_text(flt: DocketFilter) -> None:
    """The typed parts of the filter go into the sheet's header, and Excel files cannot
    hold control characters or undecodable text: refused, naming the field, rather
    than the header silently showing something else than what was searched for."""
    problems = [
        FieldProblem(field, problem)
        for field, what, text in (
            ("text", "搜索文字", flt.text),
            *(("type_codes", "案件类型", code) for code in flt.type_codes),
        )
        if (problem := free_text_problem(text, what)) is not None
    ]
    if problems:
        raise ValidationError(problems)


def _header(
    sheet: WriteOnlyWorksheet, court: str, filter_text: str, today: date, total: int, who: str
) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="999999")
    # Write-only sheets take column widths before the first row (the stubs omit the attribute).
    dimensions = sheet.column_dimensions  # type: ignore[attr-defined]
    for index, (_, width) in enumerate(COLUMNS):
        dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = f"C{HEADER_ROWS + 2}"
    title = WriteOnlyCell(sheet, value=f"{court}　案件列表")
    title.font = Font(size=16, bold=True)
    conditions = WriteOnlyCell(sheet, value=f"筛选条件：{filter_text}")
    conditions.alignment = Alignment(wrap_text=False)
    stamp = WriteOnlyCell(
        sheet,
        value=f"导出日期：{today.year}年{today.month}月{today.day}日　导出人：{who}　共 {total:,} 件",
    )
    sheet.append([title])
    sheet.append([conditions])
    sheet.append([stamp])
    sheet.append([])
    titles = []
    for name, _ in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE5F0")
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        titles.append(cell)
    sheet.append(titles)


def _date_cell(sheet: WriteOnlyWorksheet, text: str | None) -> Cell | str:
    from openpyxl.cell import WriteOnlyCell

    if not text:
        return ""
    day = date.fromisoformat(text)
    cell = WriteOnlyCell(sheet, value=datetime(day.year, day.month, day.day))
    cell.number_format = "yyyy-mm-dd"
    return cell


def _cells(sheet: WriteOnlyWorksheet, number: int, row: Any) -> list[Any]:
    case_type = default_catalog().get(row["type_code"])
    procedure = PROCEDURES.get(row["procedure"])
    amount: Cell | str = ""
    if row["amount_claimed_fen"] is not None:
        # openpyxl writes a Decimal's exact digits into the file; the stubs only know float.
        from openpyxl.cell import WriteOnlyCell

        yuan = cast(float, fen_to_yuan(int(row["amount_claimed_fen"])))
        amount = WriteOnlyCell(sheet, value=yuan)
        amount.number_format = "#,##0.00"
    return [
        number,
        row["case_number"],
        case_type.name if case_type else row["type_code"],
        procedure.label if procedure else row["procedure"],
        row["cause"],
        row["parties_summary"],
        row["division_name"] or "",
        row["judge_name"] or "",
        row["clerk_name"] or "",
        _date_cell(sheet, row["filing_date"]),
        CaseStatus(row["status"]).label,
        _date_cell(sheet, row["time_limit_expiry"]),
        _date_cell(sheet, row["closed_date"]),
        amount,
    ]
