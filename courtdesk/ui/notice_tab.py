"""The 文书 tab of the selected case: every notice kind, one click from its dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from courtdesk.services import notices
from courtdesk.services.cases import CaseDetail
from courtdesk.services.permissions import Permission, allowed
from courtdesk.services.workspace import Workspace
from courtdesk.ui.notice_dialog import NoticeDialog, open_notice_dialog
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import named


class NoticesTab(QWidget):
    """Lists the kinds; double-click or 生成… opens the dialog for this case and that kind."""

    dialog_opened = Signal(object)  # NoticeDialog

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticesTab")
        self.ws = ws
        self.runner = runner
        self.case: CaseDetail | None = None
        self.heading = named(QLabel(), "noticesHeading")
        self.heading.setWordWrap(True)
        self.list = named(QListWidget(), "noticeKinds")
        self.list.setSpacing(2)
        for notice_kind in notices.kinds():
            item = QListWidgetItem(notice_kind.title)
            item.setData(Qt.ItemDataRole.UserRole, notice_kind.key)
            if notice_kind.gather is None:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                item.setToolTip(notice_kind.unavailable)
            self.list.addItem(item)
        self.open_button = named(QPushButton("生成文书(&W)…"), "noticesOpen")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.open_button)
        self.open_button.clicked.connect(lambda: self.open_dialog())
        self.list.itemDoubleClicked.connect(
            lambda item: self.open_dialog(item.data(Qt.ItemDataRole.UserRole))
        )
        self.can_print = allowed(ws.actor, Permission.PRINT_NOTICES)
        self.clear_case()

    def show_case(self, case: CaseDetail) -> None:
        self.case = case
        self.heading.setText(f"{case.case_number}：选择文书，为一名或全部收件人生成")
        self.open_button.setEnabled(self.can_print)
        self.list.setEnabled(self.can_print)

    def clear_case(self, text: str = "选择一件案件以生成文书") -> None:
        self.case = None
        self.heading.setText(text)
        self.open_button.setEnabled(False)
        self.list.setEnabled(False)

    def open_dialog(self, kind: str = "") -> NoticeDialog | None:
        if self.case is None:
            return None
        if not kind and self.list.currentItem() is not None:
            kind = str(self.list.currentItem().data(Qt.ItemDataRole.UserRole) or "")
        dialog = open_notice_dialog(
            self.ws, self.runner, [self.case.id], self.case.case_number, self.window(), kind
        )
        self.dialog_opened.emit(dialog)
        return dialog
