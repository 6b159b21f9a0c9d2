"""Printing and saving generated PDFs without an external PDF reader.

The pages are drawn by QtPdf (pdfium) at the printer's resolution and painted
onto the QPrinter. Qt allows painting onto a QPrinter from a worker thread, so
a 500-page batch prints in the background while the window stays usable; the
print dialog itself runs on the GUI thread before the job starts.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRect, QSize, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from courtdesk.errors import CourtdeskError
from courtdesk.services.notices import Cancelled

Progress = Callable[[int, int], None]
# Text and rules of court documents are sharp at 300 dpi; a 1200 dpi printer would
# otherwise get 130-megapixel pages that take seconds each to draw and to spool.
RENDER_DPI = 300


class ProgressRelay(QObject):
    """Carries progress from a worker thread to the GUI thread (a queued signal)."""

    progress = Signal(int, int)

    def __init__(self, cancel: threading.Event) -> None:
        super().__init__()
        self.cancel = cancel
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        """The callback handed to the worker: raises Cancelled once the user cancels."""
        if self.cancel.is_set():
            raise Cancelled()
        percent = done * 100 // max(total, 1)
        if percent != self._last:  # a signal per percent, not per page
            self._last = percent
            self.progress.emit(done, total)


def print_pdf(pdf: bytes, printer: QPrinter, progress: Progress | None = None) -> int:
    """Print every page (or the printer's chosen range) of ``pdf``; returns pages printed.

    Runs on a worker thread. ``progress(done, total)`` may raise to cancel; the
    pages already sent stay sent, the rest are not printed.
    """
    handle, name = tempfile.mkstemp(suffix=".pdf", prefix="courtdesk-print-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(pdf)
        document = QPdfDocument()
        error = document.load(name)
        if error != QPdfDocument.Error.None_:
            raise CourtdeskError(f"无法读取要打印的文书：{error.name}")
        first = max(printer.fromPage(), 1) - 1
        last = (printer.toPage() or document.pageCount()) - 1
        last = min(last, document.pageCount() - 1)
        pages = list(range(first, last + 1))
        # The PDF already holds the court's margins: print it 1:1 on the whole sheet.
        printer.setFullPage(True)
        painter = QPainter()
        if not painter.begin(printer):
            raise CourtdeskError("无法开始打印：打印机不可用或已取消")
        try:
            dpi = printer.resolution()
            for index, page in enumerate(pages):
                if index:
                    printer.newPage()
                target = printer.pageLayout().paintRectPixels(dpi)
                size = document.pagePointSize(page)
                scale = min(target.width() / size.width(), target.height() / size.height())
                width, height = int(size.width() * scale), int(size.height() * scale)
                # pdfium draws pixels: at most RENDER_DPI, scaled up by the printer if finer
                factor = min(1.0, RENDER_DPI / dpi)
                image = document.render(page, QSize(int(width * factor), int(height * factor)))
                painter.drawImage(QRect(0, 0, width, height), image)
                if progress is not None:
                    progress(index + 1, len(pages))
        finally:
            painter.end()
            document.close()
        return len(pages)
    finally:
        Path(name).unlink(missing_ok=True)


def save_pdf(pdf: bytes, path: Path) -> Path:
    """Write the PDF (worker thread); a failure names the file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
    except OSError as error:
        raise CourtdeskError(f"无法保存文件 {path}：{error.strerror or error}") from error
    return path


def show_pdf(
    document: QPdfDocument, pdf: bytes, owner: QObject, previous: QBuffer | None
) -> QBuffer:
    """Load ``pdf`` into a QPdfDocument (for its QPdfView); returns the buffer to keep.

    QtPdf reads from the buffer while pages are drawn, so it must outlive the
    load; the previous one is released once the new document has replaced it.
    """
    document.close()
    buffer = QBuffer(owner)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if previous is not None:
        previous.close()
        previous.deleteLater()
    return buffer
