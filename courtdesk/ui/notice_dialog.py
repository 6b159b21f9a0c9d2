"""生成文书: choose a kind and its recipients, generate in the background, preview, print, save.

Opened from the case view's 文书 tab (one case) or from the 文书 menu on the
docket's selection (one or many cases, every recipient of each, in one PDF).
Generation runs through the TaskRunner with a progress bar and a cancel button;
the result is shown in the program (QtPdf), printed through Qt's print dialog,
or saved as a PDF. A problem (a missing hearing time, an address, a character no
font has) is shown in the dialog in words, and what was chosen stays chosen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from courtdesk.domain.scheduling import HearingStatus
from courtdesk.errors import CourtdeskError
from courtdesk.services import hearings, notices
from courtdesk.services.hearings import HearingView
from courtdesk.services.notices import Cancelled, GeneratedNotices, NoticeRequest, RecipientOption
from courtdesk.services.workspace import Workspace
from courtdesk.ui.notice_print import ProgressRelay
from courtdesk.ui.pdf_preview import PdfPreview, file_name
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import fit_to_screen, named

ALL_RECIPIENTS = "all"


class NoticeDialog(QDialog):
    generated = Signal(object)  # GeneratedNotices
    printed = Signal(int)  # pages
    saved = Signal(str)

    def __init__(
        self,
        ws: Workspace,
        runner: TaskRunner,
        case_ids: list[int],
        case_label: str = "",
        parent: QWidget | None = None,
        kind: str = "",
        day: date | None = None,
        room_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("noticeDialog")
        self.room_id = room_id  # a cause list of one courtroom (from the schedule's list)
        self.ws = ws
        self.runner = runner
        self.case_ids = list(case_ids)
        self.output: GeneratedNotices | None = None
        self._cancel: threading.Event | None = None
        many = len(self.case_ids) > 1
        if many:
            self.setWindowTitle(f"生成文书 — {len(self.case_ids)} 件案件")
        elif self.case_ids:
            self.setWindowTitle(f"生成文书 — {case_label}")
        else:
            self.setWindowTitle("生成文书")

        self.kind_box = named(QComboBox(), "noticeKind")
        for notice_kind in notices.kinds():
            self.kind_box.addItem(notice_kind.title, notice_kind.key)
            index = self.kind_box.count() - 1
            if notice_kind.gather is None:
                item = self.kind_box.model().item(index)  # type: ignore[attr-defined]
                item.setEnabled(False)
                item.setToolTip(notice_kind.unavailable)
        self.recipient_box = named(QComboBox(), "noticeRecipient")
        self.recipient_box.setMinimumContentsLength(16)
        self.guardian_edit = named(QLineEdit(), "noticeGuardian")
        self.guardian_edit.setPlaceholderText("留空：被监护人登记为近亲属的代理人")
        self.guardian_label = QLabel("监护人")
        self.hearing_box = named(QComboBox(), "noticeHearing")
        self.hearing_label = QLabel("开庭")
        self.day_edit = named(QDateEdit(QDate.currentDate().addDays(1)), "noticeDay")
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy年M月d日 dddd")
        if day is not None:
            self.day_edit.setDate(QDate(day.year, day.month, day.day))
        self.day_label = QLabel("开庭日期")
        self.date_edit = named(QDateEdit(QDate.currentDate()), "noticeDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy年M月d日")

        form = QFormLayout()
        form.addRow("文书种类", self.kind_box)
        form.addRow("收件人", self.recipient_box)
        label = form.labelForField(self.recipient_box)
        self.recipient_row_label = label if isinstance(label, QLabel) else None
        form.addRow(self.guardian_label, self.guardian_edit)
        form.addRow(self.hearing_label, self.hearing_box)
        form.addRow(self.day_label, self.day_edit)
        form.addRow("落款日期", self.date_edit)

        self.generate_button = named(QPushButton("生成(&G)"), "noticeGenerate")
        self.generate_button.setDefault(True)
        self.cancel_button = named(QPushButton("取消生成"), "noticeCancel")
        self.cancel_button.setEnabled(False)
        self.progress = named(QProgressBar(), "noticeProgress")
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.progress.setFormat("%p%")
        run_row = QHBoxLayout()
        run_row.addWidget(self.generate_button)
        run_row.addWidget(self.progress, 1)
        run_row.addWidget(self.cancel_button)

        self.message = named(QLabel(""), "noticeMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # The pages, 打印… and 另存为 PDF…: the same pane as every other PDF in the program.
        self.preview = PdfPreview(runner, self, "noticePreview")
        self.preview.view.setMinimumHeight(self.fontMetrics().height() * 24)
        self.document, self.view = self.preview.document, self.preview.view
        self.print_button, self.save_button = self.preview.print_button, self.preview.save_button
        self.preview.hold(True)
        self.preview.add_close_button(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(run_row)
        layout.addWidget(self.message)
        layout.addWidget(self.preview, 1)
        char = self.fontMetrics().horizontalAdvance("中")
        fit_to_screen(self, char * 52, char * 60)

        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        self.generate_button.clicked.connect(self.generate)
        self.cancel_button.clicked.connect(self.cancel)
        self.preview.printed.connect(self.printed)
        self.preview.saved.connect(self.saved)
        self.preview.message.connect(self.show_message)
        self.preview.progress.connect(self._progress)
        self.preview.busy_changed.connect(self._printing)
        if kind:
            self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(kind)))
        else:
            self._select_first_available()
        self._kind_changed()

    # ------------------------------------------------------------ choices
    def _select_first_available(self) -> None:
        model = self.kind_box.model()
        for row in range(self.kind_box.count()):
            if model.item(row).isEnabled():  # type: ignore[attr-defined]
                self.kind_box.setCurrentIndex(row)
                return

    @property
    def kind_key(self) -> str:
        return str(self.kind_box.currentData())

    def _kind_changed(self) -> None:
        key = self.kind_key
        notice_kind = notices.kind(key)
        guardianship = key == "guardianship"
        by_day = notice_kind.source == "day"
        by_hearing = notice_kind.source == "hearing" and len(self.case_ids) == 1
        self.guardian_edit.setVisible(guardianship)
        self.guardian_label.setVisible(guardianship)
        self.hearing_box.setVisible(by_hearing)
        self.hearing_label.setVisible(by_hearing)
        self.day_edit.setVisible(by_day)
        self.day_label.setVisible(by_day)
        self.recipient_box.setVisible(not by_day)
        if self.recipient_row_label is not None:
            self.recipient_row_label.setVisible(not by_day)
            self.recipient_row_label.setText(
                "被监护人"
                if guardianship
                else "送达任务"
                if notice_kind.source == "task"
                else "收件人"
            )
        self.recipient_box.clear()
        self.hearing_box.clear()
        self.show_message("")
        if notice_kind.gather is None:
            self.generate_button.setEnabled(False)
            self.show_message(f"{notice_kind.title}{notice_kind.unavailable}", error=True)
            return
        self.generate_button.setEnabled(True)
        if by_day:
            return
        if not self.case_ids:
            self.generate_button.setEnabled(False)
            self.show_message(f"请先在案件列表中选择案件，再生成{notice_kind.title}", error=True)
            return
        if len(self.case_ids) != 1:
            if guardianship:
                self.generate_button.setEnabled(False)
                self.show_message("监护责任告知书须逐案指定被监护人，请选择一件案件", error=True)
                return
            self.recipient_box.addItem(
                f"每件案件的全部收件人（{len(self.case_ids)} 件）", ALL_RECIPIENTS
            )
            return
        ws, case_id = self.ws, self.case_ids[0]
        if by_hearing:
            self.hearing_box.addItem("本案下一次开庭", None)
            self.runner.run(
                lambda: hearings.case_hearings(ws, case_id),
                lambda views: self._fill_hearings(key, views),
                self._failed,
            )
        if not notice_kind.per_recipient:
            self.recipient_box.addItem("本案", ALL_RECIPIENTS)
            return
        self.recipient_box.addItem("正在读取收件人…", None)
        self.runner.run(
            lambda: notices.recipient_options(ws, key, case_id),
            lambda options: self._fill_recipients(key, options),
            self._failed,
        )

    def _fill_hearings(self, key: str, views: list[HearingView]) -> None:
        if key != self.kind_key:
            return
        for view in views:
            if view.status is HearingStatus.SCHEDULED:
                label = f"{view.start:%Y-%m-%d %H:%M} {view.kind_label} {view.place}"
                self.hearing_box.addItem(label, view.id)

    def _fill_recipients(self, key: str, options: list[RecipientOption]) -> None:
        if key != self.kind_key:
            return  # the choice moved on while we were reading
        self.recipient_box.clear()
        if key != "guardianship" and len(options) > 1:
            self.recipient_box.addItem(f"全部（{len(options)} 人）", ALL_RECIPIENTS)
        for option in options:
            # plain strings survive QVariant: "party:12", "agent:5", "task:9"
            if option.task_id is not None:
                data = f"task:{option.task_id}"
            elif option.agent_id is not None:
                data = f"agent:{option.agent_id}"
            else:
                data = f"party:{option.party_id}"
            self.recipient_box.addItem(option.label, data)
        if not options:
            self.show_message(f"本案没有{notices.kind(key).title}的收件人", error=True)
            self.generate_button.setEnabled(False)

    def requests(self) -> list[NoticeRequest]:
        issued = self.date_edit.date().toPython()
        assert isinstance(issued, date)
        notice_kind = notices.kind(self.kind_key)
        if notice_kind.source == "day":
            day = self.day_edit.date().toPython()
            assert isinstance(day, date)
            return [NoticeRequest(day=day, room_id=self.room_id, issued=issued)]
        hearing = self.hearing_box.currentData() if self.hearing_box.isVisible() else None
        hearing_id = int(hearing) if hearing is not None else None
        choice = self.recipient_box.currentData()
        if len(self.case_ids) != 1 or choice in (ALL_RECIPIENTS, None):
            return [
                NoticeRequest(case_id, hearing_id=hearing_id, all_recipients=True, issued=issued)
                for case_id in self.case_ids
            ]
        what, _, number = str(choice).partition(":")
        ids = {f"{what}_id": int(number)}
        return [
            NoticeRequest(
                self.case_ids[0],
                hearing_id=hearing_id,
                guardian=self.guardian_edit.text().strip(),
                issued=issued,
                **ids,  # type: ignore[arg-type]
            )
        ]

    # ------------------------------------------------------------ generating
    def generate(self) -> None:
        """Generate in the background; progress and cancel stay live."""
        ws, key, requests = self.ws, self.kind_key, self.requests()
        cancel = threading.Event()
        relay = ProgressRelay(cancel)
        relay.progress.connect(self._progress)
        self._relay = relay
        self._cancel = cancel
        self._busy(True, "正在生成…")
        self.runner.run(
            lambda: notices.generate(ws, key, requests, relay), self._generated, self._failed
        )

    def cancel(self) -> None:
        if self.preview.cancel():
            self.cancel_button.setEnabled(False)
        elif self._cancel is not None:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.show_message("正在取消…")

    def _progress(self, done: int, total: int) -> None:
        self.progress.setValue(done * 100 // max(total, 1))

    def _busy(self, busy: bool, text: str = "") -> None:
        self.generate_button.setEnabled(not busy)
        self.kind_box.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.preview.hold(busy)
        if busy:
            self.progress.setValue(0)
        self.show_message(text)

    def _generated(self, result: GeneratedNotices) -> None:
        self.output = result
        self._cancel = None
        self.preview.show_pdf(result.pdf, self._suggested_name())
        self.progress.setValue(100)
        self._busy(False)
        self.show_message(
            f"已生成{result.title} {result.documents} 份，共 {self.document.pageCount()} 页，"
            f"用时 {result.seconds:.1f} 秒"
        )
        self.generated.emit(result)

    def _failed(self, error: BaseException) -> None:
        self._cancel = None
        self._busy(False)
        self.progress.setValue(0)
        if isinstance(error, Cancelled):
            self.show_message("已取消，没有生成任何文书")
        elif isinstance(error, CourtdeskError):
            self.show_message(error.message, error=True)
        else:
            self.runner.unhandled.emit(error)

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setText(text)

    # ------------------------------------------------------------ print and save
    def _suggested_name(self) -> str:
        assert self.output is not None
        title = self.windowTitle().partition("—")[2].strip()
        name = f"{title}{self.output.title}" if len(self.case_ids) == 1 else self.output.title
        name += f"（{self.output.documents}份）" if self.output.documents > 1 else ""
        return file_name(name) + ".pdf"

    def _printing(self, busy: bool) -> None:
        """While the pane prints or saves, nothing new is generated; 取消 stops the print job."""
        self.generate_button.setEnabled(not busy)
        self.kind_box.setEnabled(not busy)
        self.cancel_button.setEnabled(busy and self.preview.printing)
        if busy:
            self.progress.setValue(0)

    def choose_printer(self) -> None:
        self.preview.choose_printer()

    def print_to(self, printer: QPrinter) -> None:
        """Send the pages to ``printer`` in the background (the print dialog has been answered)."""
        self.preview.print_to(printer)

    def choose_file(self) -> None:
        self.preview.choose_file()

    def save_to(self, path: Path) -> None:
        self.preview.save_to(path)


def open_notice_dialog(
    ws: Workspace,
    runner: TaskRunner,
    case_ids: list[int],
    case_label: str,
    parent: QWidget | None,
    kind: str = "",
    on_open: Callable[[NoticeDialog], Any] | None = None,
    day: date | None = None,
    room_id: int | None = None,
) -> NoticeDialog:
    dialog = NoticeDialog(ws, runner, case_ids, case_label, parent, kind, day, room_id)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if on_open is not None:
        on_open(dialog)
    dialog.open()
    return dialog
