"""Generated PDFs shown inside the program, printed and saved without an external reader.

``PdfPreview`` is the pane: the pages (QtPdf, every page one under the other,
fitted to the width), how many there are, 打印… (Qt's print dialog, then the pages
drawn onto the printer in the background) and 另存为 PDF…. The notice dialog
embeds it under its own controls; ``PdfPreviewDialog`` wraps it for everything
else that makes a PDF (the service desk's receipts, postal lists and labels, the
calculators' sheets): the dialog opens at once, the PDF is made by the TaskRunner,
and the pages appear when it is ready, so the GUI thread never waits on rendering.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QBuffer, Qt, Signal
from PySide6.QtGui import QPageSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from courtdesk.errors import CourtdeskError
from courtdesk.services.notices import Cancelled
from courtdesk.ui.notice_print import ProgressRelay, print_pdf, save_pdf, show_pdf
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import fit_to_screen, named

ERROR_STYLE = "color: #b00020;"


def pdf_view(owner: QWidget, name: str) -> tuple[QPdfDocument, QPdfView]:
    """A document and the view that shows it: every page, fitted to the width."""
    document = QPdfDocument(owner)
    view = named(QPdfView(), name)
    view.setDocument(document)
    view.setPageMode(QPdfView.PageMode.MultiPage)
    view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
    return document, view


def file_name(text: str) -> str:
    """``text`` made safe as a file name on Windows (the court's desks)."""
    return re.sub(r'[\\/:*?"<>|]', "_", text)


class PdfPreview(QWidget):
    """The pages of one PDF, with 打印… and 另存为 PDF…; printing and saving run in the background."""

    printed = Signal(int)  # pages sent to the printer
    saved = Signal(str)  # the file written
    progress = Signal(int, int)  # pages printed so far, of how many
    busy_changed = Signal(bool)  # a print job or a save has started or ended
    message = Signal(str, bool)  # what happened, and whether it is a problem

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None, name: str = "") -> None:
        super().__init__(parent)
        self.runner = runner
        self.pdf: bytes | None = None
        self.suggested = "文书.pdf"  # a file name, or a path in the folder to offer
        self._buffer: QBuffer | None = None
        self._cancel: threading.Event | None = None
        self._relay: ProgressRelay | None = None
        self._printer: QPrinter | None = None
        self._busy = False
        self._held = False

        self.document, self.view = pdf_view(self, name or "pdfPreview")
        self.view.setMinimumHeight(self.fontMetrics().height() * 20)
        self.pages_label = named(QLabel(""), "pdfPages")
        self.print_button = named(QPushButton("打印(&P)…"), "pdfPrint")
        self.save_button = named(QPushButton("另存为 PDF(&S)…"), "pdfSave")
        self.print_button.clicked.connect(self.choose_printer)
        self.save_button.clicked.connect(self.choose_file)
        # The owner adds its own buttons (关闭) at the end of this row.
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.pages_label)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.print_button)
        self.buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(self.buttons)
        self.document.pageCountChanged.connect(self._page_count_changed)
        self._update_buttons()

    def add_close_button(self, close: Callable[[], object]) -> QPushButton:
        """关闭 at the end of the button row, for the dialog that holds the pane."""
        button = named(QPushButton("关闭"), "pdfClose")
        button.setAutoDefault(False)
        button.clicked.connect(close)
        self.buttons.addWidget(button)
        return button

    # ------------------------------------------------------------ the document
    def show_pdf(self, pdf: bytes, suggested: str) -> None:
        """Show ``pdf``; ``suggested`` is the file name (or path) 另存为 offers."""
        self.pdf = pdf
        self.suggested = suggested
        self._buffer = show_pdf(self.document, pdf, self, self._buffer)
        self._show_page_count()
        self._update_buttons()

    def page_count(self) -> int:
        return self.document.pageCount() if self.pdf is not None else 0

    def _page_count_changed(self, _count: int) -> None:
        # The document closes (and says so) while the pane is being destroyed.
        if shiboken6.isValid(self.document) and shiboken6.isValid(self.pages_label):
            self._show_page_count()

    def _show_page_count(self) -> None:
        count = self.page_count()
        self.pages_label.setText(f"共 {count} 页" if count else "")

    def hold(self, held: bool) -> None:
        """Keep 打印 and 另存为 off while the owner makes a new document."""
        self._held = held
        self._update_buttons()

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def printing(self) -> bool:
        return self._cancel is not None

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()
        self.busy_changed.emit(busy)

    def _update_buttons(self) -> None:
        ready = self.pdf is not None and not self._busy and not self._held
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    # ------------------------------------------------------------ printing
    def choose_printer(self) -> None:
        """Qt's print dialog (on the GUI thread), then the job in the background."""
        if self.pdf is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setDocName(Path(self.suggested).stem)
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, max(1, self.page_count()))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Send the pages to ``printer`` in the background (the print dialog has been answered)."""
        assert self.pdf is not None
        pdf = self.pdf
        cancel = threading.Event()
        relay = ProgressRelay(cancel)
        relay.progress.connect(self.progress)
        self._relay, self._cancel = relay, cancel
        self._printer = printer  # kept alive until the job ends
        self._set_busy(True)
        self.message.emit("正在打印…", False)

        def printed(pages: int) -> None:
            self._finished()
            self.message.emit(f"已送打印机 {pages} 页", False)
            self.printed.emit(pages)

        self.runner.run(lambda: print_pdf(pdf, printer, relay), printed, self._failed)

    def cancel(self) -> bool:
        """Stop a print job after the page being drawn; False if none is running."""
        if self._cancel is None:
            return False
        self._cancel.set()
        self.message.emit("正在取消打印…", False)
        return True

    # ------------------------------------------------------------ saving
    def choose_file(self) -> None:
        if self.pdf is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "另存为 PDF", self.suggested, "PDF 文件 (*.pdf)"
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        assert self.pdf is not None
        pdf = self.pdf
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        self._set_busy(True)

        def saved(target: Path) -> None:
            self._finished()
            self.message.emit(f"已保存：{target}", False)
            self.saved.emit(str(target))

        self.runner.run(lambda: save_pdf(pdf, path), saved, self._failed)

    # ------------------------------------------------------------ endings
    def _finished(self) -> None:
        self._cancel = None
        self._printer = None
        self._set_busy(False)

    def _failed(self, error: BaseException) -> None:
        self._finished()
        if isinstance(error, Cancelled):
            self.message.emit("已取消打印，其余各页没有送打印机", False)
        elif isinstance(error, CourtdeskError):
            self.message.emit(error.message, True)
        else:
            self.runner.unhandled.emit(error)


class PdfPreviewDialog(QDialog):
    """A PDF made in the background, then shown, printed or saved (关闭 when done)."""

    ready = Signal(int)  # the document is shown: its page count

    def __init__(
        self,
        runner: TaskRunner,
        title: str,
        suggested: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreviewDialog")
        self.setWindowTitle(title)
        self.runner = runner
        self.title = title
        self.suggested = suggested

        self.message = named(QLabel(""), "pdfMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = named(QProgressBar(), "pdfProgress")
        self.progress.setRange(0, 100)
        self.progress.setFormat("%p%")
        self.progress.hide()
        self.cancel_button = named(QPushButton("取消打印"), "pdfCancel")
        self.cancel_button.hide()
        status = QHBoxLayout()
        status.addWidget(self.message, 1)
        status.addWidget(self.progress)
        status.addWidget(self.cancel_button)

        self.pane = PdfPreview(runner, self)
        self.close_button = self.pane.add_close_button(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(status)
        layout.addWidget(self.pane, 1)
        char = self.fontMetrics().horizontalAdvance("中")
        fit_to_screen(self, char * 50, char * 62)

        self.pane.message.connect(self.show_message)
        self.pane.progress.connect(self._progress)
        self.pane.busy_changed.connect(self._busy)
        self.cancel_button.clicked.connect(self.pane.cancel)

    # Short names for what callers and tests use most.
    @property
    def print_button(self) -> QPushButton:
        return self.pane.print_button

    @property
    def save_button(self) -> QPushButton:
        return self.pane.save_button

    def make(self, render: Callable[[], bytes]) -> None:
        """Run ``render`` on a worker thread; the pages appear when it is done."""
        self.pane.hold(True)
        self.show_message(f"正在生成{self.title}…")
        self.runner.run(render, self._made, self._failed)

    def _made(self, pdf: bytes) -> None:
        self.pane.hold(False)
        self.pane.show_pdf(pdf, self.suggested)
        self.show_message(f"已生成{self.title}")
        self.ready.emit(self.pane.page_count())

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, CourtdeskError):
            self.show_message(error.message, error=True)
        else:
            self.runner.unhandled.emit(error)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setValue(done * 100 // max(total, 1))

    def _busy(self, busy: bool) -> None:
        printing = busy and self.pane.printing
        self.progress.setVisible(printing)
        self.cancel_button.setVisible(printing)
        if printing:
            self.progress.setValue(0)

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)


def open_pdf_preview(
    runner: TaskRunner,
    parent: QWidget | None,
    title: str,
    name: str,
    render: Callable[[], bytes],
    folder: Path | None = None,
) -> PdfPreviewDialog:
    """Open the preview at once and make the PDF in the background (``render`` runs off the GUI thread).

    ``name`` is the file name 另存为 offers, in ``folder`` if given.
    """
    suggested = file_name(name)
    dialog = PdfPreviewDialog(
        runner, title, str(folder / suggested) if folder else suggested, parent
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    dialog.make(render)
    return dialog
