"""Driving the program's PDF preview as a clerk does: 另存为 PDF… and 打印… clicked.

The file dialog and the print dialog are native and modal, so each is answered
in place: the file dialog with a path, the print dialog with 打印 to a PDF file
(QPrinter's PdfFormat), which shows how many pages reached the printer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from courtdesk.ui.pdf_preview import PdfPreview, PdfPreviewDialog

WAIT = 20_000


def wait_for_pages(qtbot: QtBot, dialog: PdfPreviewDialog) -> int:
    """Wait until the PDF made in the background is shown; its page count."""
    qtbot.waitUntil(lambda: dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(
        lambda: dialog.pane.pdf is not None or dialog.message.styleSheet() != "", timeout=WAIT
    )
    assert dialog.pane.pdf is not None, dialog.message.text()
    return dialog.pane.page_count()


def has_ink(widget: QWidget) -> bool:
    """Whether the widget shows any dark pixel yet (a page drawn, not just blank paper)."""
    image = widget.grab().toImage()
    return any(
        image.pixelColor(x, y).lightness() < 96
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
    )


def save_through_the_button(
    qtbot: QtBot, preview: PdfPreview, target: Path, monkeypatch: pytest.MonkeyPatch
) -> bytes:
    """Click 另存为 PDF…, answering the file dialog with ``target``; the file's bytes."""
    offered: list[str] = []

    def answer(_parent: object, _caption: str, name: str, _filter: str) -> tuple[str, str]:
        offered.append(name)
        return str(target), "PDF 文件 (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    with qtbot.waitSignal(preview.saved, timeout=WAIT):
        qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    assert offered and offered[0].endswith(".pdf")
    return target.read_bytes()


def print_through_the_button(
    qtbot: QtBot, preview: PdfPreview, target: Path, monkeypatch: pytest.MonkeyPatch
) -> int:
    """Click 打印…; the print dialog is answered with 打印 to a PDF file. Pages in the file."""

    def accept(print_dialog: QPrintDialog) -> int:
        printer = print_dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    with qtbot.waitSignal(preview.printed, timeout=60_000) as printed:
        qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    assert printed.args[0] == preview.page_count()
    return len(PdfReader(target).pages)
