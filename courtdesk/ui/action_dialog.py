"""A small form dialog that runs one service call in the background.

The service checks everything; every problem it reports is listed at the top of
the dialog, the fields it names are marked, and the form keeps what was typed.
On success the dialog emits ``succeeded`` with the service's result and closes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from courtdesk.errors import CourtdeskError, ValidationError
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import named

INVALID_STYLE = "border: 1px solid #b3261e; background: #fde2e1;"
PROBLEM_STYLE = "color: #b3261e; background: #fdf0ef; padding: 6px; border-radius: 3px;"
NOTE_STYLE = "color: #5f4b00; background: #fff6d6; padding: 6px; border-radius: 3px;"


def date_edit(initial: date | None = None, name: str = "") -> QDateEdit:
    """A calendar-popup date field in ISO form, starting on ``initial`` (or today)."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    day = initial or date.today()
    edit.setDate(QDate(day.year, day.month, day.day))
    if name:
        edit.setObjectName(name)
    return edit


def inline(*widgets: QWidget, stretch: bool = True) -> QWidget:
    """Widgets side by side in one form row (a pair of radio buttons, a number and its unit)."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    if stretch:
        layout.addStretch(1)
    return row


def date_of(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


class ActionDialog(QDialog):
    succeeded = Signal(object)  # the service's result

    def __init__(
        self, runner: TaskRunner, title: str, submit_text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.setWindowTitle(title)
        self.setModal(True)
        self.fields: dict[str, QWidget] = {}
        self.problems_label = named(QLabel(), "problemsLabel")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet(PROBLEM_STYLE)
        self.problems_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_label.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.buttons = QDialogButtonBox()
        self.submit_button: QPushButton = self.buttons.addButton(
            submit_text, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.submit_button.setObjectName("submitButton")
        self.submit_button.setDefault(True)
        cancel = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.clicked.connect(self.reject)
        self.submit_button.clicked.connect(self.submit)
        # Notes about the case go in ``body``, above the fields.
        self.body = QVBoxLayout()
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.problems_label)
        self.layout_.addLayout(self.body)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.buttons)
        char = self.fontMetrics().horizontalAdvance("中")
        self.setMinimumWidth(char * 34)

    def add_field(self, key: str, label: str, widget: QWidget) -> QWidget:
        self.fields[key] = widget
        self.form.addRow(label, widget)
        return widget

    def call(self) -> Callable[[], Any]:
        """The service call to run (raise ValidationError for input that cannot be read)."""
        raise NotImplementedError

    def submit(self) -> None:
        self._clear_marks()
        try:
            fn = self.call()
        except ValidationError as error:
            self.show_problems(error)
            return
        self.submit_button.setEnabled(False)
        self._runner.run(fn, self._succeeded, self._failed)

    def _succeeded(self, result: object) -> None:
        self.submit_button.setEnabled(True)
        self.succeeded.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.submit_button.setEnabled(True)
        if isinstance(error, CourtdeskError):
            self.show_problems(error)
        else:
            self._runner.unhandled.emit(error)

    def show_problems(self, error: CourtdeskError) -> None:
        if isinstance(error, ValidationError):
            lines = [p.message for p in error.problems]
            for problem in error.problems:
                widget = self.fields.get(problem.field.split(".")[0])
                if widget is not None:
                    widget.setStyleSheet(INVALID_STYLE)
        else:
            lines = [error.message]
        self.problems_label.setText("\n".join(f"• {line}" for line in lines))
        self.problems_label.show()

    def _clear_marks(self) -> None:
        self.problems_label.hide()
        for widget in self.fields.values():
            widget.setStyleSheet("")
