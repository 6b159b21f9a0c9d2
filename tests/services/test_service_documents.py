"""The printed side of service: receipts whose barcode decodes back to the task, the
postal list (PDF and Excel) and address labels, read back out of the files."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import zxingcpp
from pypdf import PdfReader
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument

from courtdesk.cli import main
from courtdesk.domain.service import (
    AddressConfirmation,
    Attempt,
    Outcome,
    ServiceMethod,
    parse_receipt_code,
    receipt_code,
)
from courtdesk.services import service as svc
from courtdesk.services import service_documents as documents
from courtdesk.services import settings
from courtdesk.services.accounts import DEMO_PASSWORD
from courtdesk.services.service import AttemptEntry
from courtdesk.services.workspace import Workspace, open_workspace
from tests.notices.helpers import pdf_pages, pdf_text

DPI = 200


@pytest.fixture
def centre(demo_path: Path) -> Iterator[Workspace]:
    with sqlite3.connect(demo_path) as conn:
        name = conn.execute(
            "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
            " WHERE r.role = 'service' ORDER BY u.id LIMIT 1"
        ).fetchone()[0]
    ws = open_workspace(demo_path, name)
    yield ws
    ws.close()


def open_tasks(ws: Workspace, count: int, untried: bool = False) -> list[int]:
    """Open tasks of as many different parties (each its own envelope)."""
    rows = ws.db.query(
        "SELECT min(t.id) FROM service_tasks t WHERE t.is_open = 1 AND t.address <> ''"
        " AND t.party_id IS NOT NULL"
        + (
            " AND NOT EXISTS (SELECT 1 FROM service_attempts a WHERE a.task_id = t.id)"
            if untried
            else ""
        )
        + " GROUP BY t.party_id ORDER BY 1 LIMIT ?",
        (count,),
    )
    assert len(rows) == count
    return [int(r[0]) for r in rows]


def page_images(pdf: bytes, tmp_path: Path) -> list[QImage]:
    """Every page rendered as a scanner would see it (QtPdf, {DPI} dpi)."""
    path = tmp_path / "rendered.pdf"
    path.write_bytes(pdf)
    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    images = []
    for page in range(document.pageCount()):
        size = document.pagePointSize(page)
        pixels = QSize(int(size.width() * DPI / 72), int(size.height() * DPI / 72))
        # QtPdf leaves the page transparent; paper is white.
        sheet = QImage(pixels, QImage.Format.Format_RGB32)
        sheet.fill(Qt.GlobalColor.white)
        painter = QPainter(sheet)
        painter.drawImage(0, 0, document.render(page, pixels))
        painter.end()
        images.append(sheet)
    document.close()
    return images


def decoded(image: QImage) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(image)]


def test_the_receipt_barcode_decodes_back_to_its_task(
    qapp: object, centre: Workspace, tmp_path: Path
) -> None:
    task_ids = open_tasks(centre, 2)
    result = documents.receipts(centre, task_ids, issued=date(2026, 11, 22))
    assert result.documents == 2
    pages = pdf_pages(result.pdf)
    images = page_images(result.pdf, tmp_path)
    assert len(pages) == len(images) == 2
    for task_id, text, image in zip(task_ids, pages, images, strict=True):
        task = svc.get_task(centre, task_id)
        assert "送达回证" in text and task.case_number in text
        assert task.recipient_name in text and f"{task.title}1份" in text
        assert task.code in text  # the digits printed under the bars
        codes = decoded(image)
        assert codes == [task.code]
        assert parse_receipt_code(codes[0]) == task_id


def test_the_receipt_from_the_command_line(
    centre: Workspace,
    demo_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COURTDESK_PASSWORD", DEMO_PASSWORD)
    (task_id,) = open_tasks(centre, 1)
    task = svc.get_task(centre, task_id)
    out = tmp_path / "回证.pdf"
    code = main(
        ["notice", "receipt", "--db", str(demo_path), "--user", centre.actor.username,
         "--case", task.case_number, "--task", str(task_id), "--out", str(out)]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert task.code in pdf_text(out.read_bytes())


def post(ws: Workspace, task_id: int, day: date, waybill: str, method: ServiceMethod) -> None:
    """Record the task's letter as handed to the post on ``day`` (in transit)."""
    task = svc.get_task(ws, task_id)
    svc.record_attempt(
        ws,
        AttemptEntry(
            task_id, task.version, Attempt(method, Outcome.IN_TRANSIT, day, waybill=waybill)
        ),
    )


def test_postal_list_pdf_and_excel(centre: Workspace, tmp_path: Path) -> None:
    task_ids = open_tasks(centre, 3, untried=True)
    today = date.today()
    for n, task_id in enumerate(task_ids[:2]):
        post(centre, task_id, today, f"118000000000{n}", ServiceMethod.COURT_EXPRESS)
    pdf = documents.save_postal_list(centre, task_ids, tmp_path / "清单.pdf")
    text = pdf_text(pdf.read_bytes())
    assert "邮寄清单" in text and "共3件" in text
    assert "1180000000000" in text and "1180000000001" in text and "（未寄出）" in text
    for task_id in task_ids:
        assert receipt_code(task_id) in text
    assert "邮政收寄人员" in text
    # Each signature label stands whole on its own line (it used to wrap inside 「日戳」).
    lines = [
        re.sub(r"\s+", "", line)
        for page in PdfReader(pdf).pages
        for line in (page.extract_text() or "").splitlines()
    ]
    assert "交寄人（签名）：" in lines and "邮政收寄人员（签名、日戳）：" in lines, lines[-6:]
    # Landscape, as the workbook: each 案号 stands whole on its line (portrait broke it).
    (page,) = PdfReader(pdf).pages
    assert page.mediabox.width > page.mediabox.height
    numbers = {svc.get_task(centre, t).case_number for t in task_ids}
    assert numbers and all(any(n in line for line in lines) for n in numbers), numbers
    book = documents.save_postal_list(centre, task_ids, tmp_path / "清单.xlsx")
    sheet = openpyxl.load_workbook(book).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert [r[8] for r in rows] == [receipt_code(t) for t in task_ids]
    assert [r[1] for r in rows] == ["1180000000000", "1180000000001", None]
    # The day's list: everything posted today, by anyone.
    day = pdf_text(documents.postal_list_pdf(centre, documents.postal_list_of_day(centre, today)))
    assert "1180000000000" in day and "1180000000001" in day
    with pytest.raises(svc.ValidationError, match=r"\.pdf 或 \.xlsx"):
        documents.save_postal_list(centre, task_ids, tmp_path / "清单.doc")


def test_a_postal_list_of_tasks_gives_the_days_the_letters_went(centre: Workspace) -> None:
    """交寄日期 is when the letters were handed over: today for those going now, the
    recorded day for those posted before, from–to when they differ."""
    from courtdesk.notices.base import date_text

    task_ids = open_tasks(centre, 3, untried=True)
    today = date.today()

    def heading(ids: list[int]) -> str:
        text = pdf_text(
            documents.postal_list_pdf(centre, documents.postal_list_of_tasks(centre, ids))
        )
        return re.sub(r"\s+", "", text).split("交寄日期：")[1].split("共")[0]

    assert heading(task_ids) == date_text(today)  # nothing posted yet: they go today
    earlier = [date.fromordinal(today.toordinal() - days) for days in (9, 4)]
    for n, (task_id, day) in enumerate(zip(task_ids[:2], earlier, strict=True)):
        post(centre, task_id, day, f"119000000000{n}", ServiceMethod.POST)
    assert heading(task_ids[1:2]) == date_text(earlier[1])
    assert heading(task_ids[:2]) == f"{date_text(earlier[0])}至{date_text(earlier[1])}"
    assert heading(task_ids) == f"{date_text(earlier[0])}至{date_text(today)}"


def test_address_labels_on_a_sheet(qapp: object, centre: Workspace, tmp_path: Path) -> None:
    task_ids = open_tasks(centre, 12)
    first = svc.get_task(centre, task_ids[0])
    assert first.party_id is not None
    svc.confirm_address(
        centre, first.party_id, AddressConfirmation(first.address, date.today(), "130012")
    )
    # Two documents for the first party go in one envelope: one label, no single barcode.
    (second,) = [
        int(r[0])
        for r in centre.db.query(
            "SELECT id FROM service_tasks WHERE party_id = ? AND id <> ? LIMIT 1",
            (first.party_id, first.id),
        )
    ] or [0]
    if second:
        both = documents.labels_pdf(centre, [first.id, second])
        assert len(pdf_pages(both)) == 1 and "等2份文书" in pdf_text(both)
        assert decoded(page_images(both, tmp_path)[0]) == []
    # Twelve labels from the sixth place of a 2×7 sheet: five, then seven on a new sheet.
    pdf = documents.labels_pdf(centre, task_ids, skip=5)
    pages = pdf_pages(pdf)
    assert len(pages) == 2
    assert "130012" in pages[0]
    names = [svc.get_task(centre, t).recipient_name for t in task_ids]
    assert all(n in "".join(pages) for n in names)
    assert "长春新区人民法院" in pages[0]
    images = page_images(pdf, tmp_path)
    found = set(decoded(images[0])) | set(decoded(images[1]))
    assert {receipt_code(t) for t in task_ids} == found
    # The court's label stock is a setting: three across leaves the barcode out.
    admin = open_workspace(centre.path, "admin")
    try:
        settings.put(admin, documents.LABEL_SHEET.key, "3x7")
    finally:
        admin.close()
    narrow = documents.labels_pdf(centre, task_ids)
    assert len(pdf_pages(narrow)) == 1
    assert decoded(page_images(narrow, tmp_path)[0]) == []
    with pytest.raises(svc.ValidationError, match="起始位置"):
        documents.labels_pdf(centre, task_ids, skip=21)
