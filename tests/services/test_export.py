"""Export of the filtered docket to .xlsx, read back with openpyxl."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from courtdesk.errors import CourtdeskError
from courtdesk.services import docket, export
from courtdesk.services.docket import DocketFilter, SortKey
from courtdesk.services.workspace import Workspace


def test_export_writes_header_and_every_filtered_case_in_order(
    registrar: Workspace, tmp_path: Path
) -> None:
    flt = DocketFilter(type_codes=("民初",), statuses=docket.OPEN_STATUSES)
    seen: list[tuple[int, int]] = []
    report = export.export_docket(
        registrar,
        flt,
        SortKey.FILING_DATE,
        True,
        tmp_path / "民初未结",
        today=date(2026, 11, 20),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert report.path.endswith("民初未结.xlsx") and report.rows == docket.count(registrar, flt)
    assert seen[-1] == (report.rows, report.rows)
    sheet = openpyxl.load_workbook(report.path).active
    assert sheet["A1"].value == "长春新区人民法院　案件列表"
    assert sheet["A2"].value == "筛选条件：类型：民初（民事一审）；状态：未结案件"
    assert str(sheet["A3"].value).startswith("导出日期：2026年11月20日")
    assert f"共 {report.rows:,} 件" in str(sheet["A3"].value)
    titles = [c.value for c in sheet[5]]
    assert titles[:3] == ["序号", "案号", "案件类型"] and "诉讼标的额（元）" in titles
    numbers = [row[1] for row in sheet.iter_rows(min_row=6, values_only=True)]
    expected = [
        r.case_number for r in docket.page(registrar, flt, SortKey.FILING_DATE, True, 0, 10_000)
    ]
    assert numbers == expected
    first = next(sheet.iter_rows(min_row=6, max_row=6, values_only=True))
    with sqlite3.connect(registrar.path) as conn:
        filed, fen = conn.execute(
            "SELECT filing_date, amount_claimed_fen FROM cases WHERE case_number = ?", (first[1],)
        ).fetchone()
    assert first[0] == 1 and first[2] == "民事一审" and first[10] in ("待分案", "审理中", "中止")
    assert isinstance(first[9], datetime) and first[9].date().isoformat() == filed
    assert (first[13] is None and fen is None) or round(first[13] * 100) == fen


def test_export_to_a_missing_folder_is_refused_clearly(
    registrar: Workspace, tmp_path: Path
) -> None:
    with pytest.raises(CourtdeskError, match="不存在"):
        export.export_docket(
            registrar, DocketFilter(), SortKey.FILING_DATE, True, tmp_path / "无" / "x.xlsx"
        )
