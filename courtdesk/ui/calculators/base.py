"""What every calculator dialog shares: problems shown at the top with the fields marked,
data loaded in the background, a live result, and the one-page calculation sheet.

A calculator loads what it needs from the database once (the court's fee figures,
the LPR table, the holiday calendar) through the TaskRunner, then computes on the
GUI thread as the clerk types: the rules are pure and fast, so the answer follows
every keystroke without ever waiting on the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from courtdesk.errors import CourtdeskError, FieldProblem, ValidationError
from courtdesk.services.workspace import Workspace
from courtdesk.ui.pdf_preview import PdfPreviewDialog, open_pdf_preview
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import named

INVALID_STYLE = "border: 1px solid #b3261e; background: #fde2e1;"
INVALID_COLOUR = "#fde2e1"
PROBLEM_STYLE = "color:#b3261e; background:#fdecea; padding:6px;"
WARNING_STYLE = "color:#7a4b00; background:#fff4d6; padding:6px;"
TOTAL_STYLE = "font-size: 16pt; font-weight: bold; color: #1b3a6b;"


def date_edit(name: str, value: date | None = None) -> QDateEdit:
    edit = named(QDateEdit(), name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate.currentDate() if value is None else to_qdate(value))
    return edit


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(edit: QDateEdit) -> date:
    qdate = edit.date()
    return date(qdate.year(), qdate.month(), qdate.day())


class CalculatorDialog(QDialog):
    """A calculator: subclasses build the form, ``compute`` the result, ``sheet`` the PDF data."""

    sheet_saved = Signal(str)  # path of the calculation sheet PDF

    def __init__(
        self,
        ws: Workspace,
        runner: TaskRunner,
        title: str,
        name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName(name)
        self._ws = ws
        self._runner = runner
        self._marked: list[QWidget] = []
        self.result: Any = None
        self.last_sheet_path: Path | None = None
        self.preview_dialog: PdfPreviewDialog | None = None

        self.problems_label = named(QLabel(), "problems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet(PROBLEM_STYLE)
        self.problems_label.hide()
        self.status_label = named(QLabel(), "status")
        self.status_label.setWordWrap(True)
        self.print_button = named(QPushButton("打印计算单(&P)…"), "printSheet")
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self.print_sheet)
        close = named(QPushButton("关闭"), "close")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.status_label, 1)
        self.buttons.addWidget(self.print_button)
        self.buttons.addWidget(close)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.problems_label)

    def finish_layout(self, content: QWidget | QHBoxLayout) -> None:
        if isinstance(content, QWidget):
            self.body.addWidget(content, 1)
        else:
            self.body.addLayout(content, 1)
        self.body.addLayout(self.buttons)

    @property
    def char(self) -> int:
        return self.fontMetrics().horizontalAdvance("中")

    # ------------------------------------------------------------ background work
    def load(self, fn: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        """Run ``fn`` off the GUI thread; a CourtdeskError is shown in the dialog."""
        self._runner.run(fn, on_done, self._failed)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ValidationError):
            self.show_problems(error.problems)
        elif isinstance(error, CourtdeskError):
            self.show_problems([FieldProblem("", error.message)])
        else:
            raise error

    # ------------------------------------------------------------ computing
    def recompute(self) -> None:
        """Compute from the form; problems are shown, the last good result is cleared."""
        self.clear_problems()
        try:
            self.result = self.compute()
        except ValidationError as error:
            self.result = None
            self.show_problems(error.problems)
        except CourtdeskError as error:
            self.result = None
            self.show_problems([FieldProblem("", error.message)])
        self.print_button.setEnabled(self.result is not None)
        self.show_result(self.result)

    def compute(self) -> Any:
        """The result for the form as it is (raise ValidationError naming the fields)."""
        raise NotImplementedError

    def show_result(self, result: Any) -> None:
        raise NotImplementedError

    def field_widgets(self) -> dict[str, QWidget]:
        """Problem field keys → the widgets to mark."""
        return {}

    # ------------------------------------------------------------ problems
    def show_problems(self, problems: Iterable[FieldProblem]) -> None:
        problems = list(problems)
        self.problems_label.setText("\n".join(f"• {p.message}" for p in problems))
        self.problems_label.show()
        widgets = self.field_widgets()
        for problem in problems:
            if self.mark_field(problem.field):
                continue
            widget = widgets.get(problem.field) or widgets.get(problem.field.split(".")[0])
            if widget is not None:
                widget.setStyleSheet(INVALID_STYLE)
                self._marked.append(widget)

    def mark_field(self, field: str) -> bool:
        """Mark a field a subclass shows in its own way (a table row); True if it did."""
        return False

    def unmark_fields(self) -> None:
        """Undo ``mark_field``."""

    def clear_problems(self) -> None:
        self.problems_label.hide()
        self.problems_label.clear()
        for widget in self._marked:
            widget.setStyleSheet("")
        self._marked.clear()
        self.unmark_fields()

    # ------------------------------------------------------------ calculation sheet
    def sheet_name(self) -> str:
        """A file name for the sheet, e.g. 诉讼费计算单-2026-11-20.pdf."""
        return f"{self.windowTitle()}计算单-{date.today().isoformat()}.pdf"

    def render_sheet(self) -> Callable[[], bytes]:
        """A function (run off the GUI thread) that renders the current result as PDF bytes."""
        raise NotImplementedError

    def print_sheet(self) -> None:
        """The sheet of the current result, made in the background and shown to print or save."""
        if self.result is None:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        dialog = open_pdf_preview(
            self._runner,
            self,
            f"{self.windowTitle()}计算单",
            self.sheet_name(),
            self.render_sheet(),
            Path(folder) if folder else None,
        )
        dialog.pane.saved.connect(self._sheet_written)
        dialog.finished.connect(lambda _r: setattr(self, "preview_dialog", None))
        self.preview_dialog = dialog

    def _sheet_written(self, path: str) -> None:
        self.last_sheet_path = Path(path)
        self.status_label.setText(f"计算单已保存：{path}")
        self.sheet_saved.emit(path)
