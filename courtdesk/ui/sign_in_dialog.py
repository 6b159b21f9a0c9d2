"""The sign-in dialog shown at start-up (and after signing out or a restore).

Three forms of one dialog:
- 登录: user name and password;
- 首次使用: a new database's administrator chooses a password (twice);
- 设置新密码: the password was reset by an administrator, so a new one is chosen
  before the window opens.
Checking a password takes a deliberate tenth of a second (scrypt), so it runs in
the background like every other database call.
"""

from __future__ import annotations

import html
from enum import Enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from courtdesk.errors import CourtdeskError, ValidationError
from courtdesk.services import accounts
from courtdesk.services.accounts import SignInInfo
from courtdesk.services.workspace import Workspace
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import named

ERROR_STYLE = "color:#b3261e; background:#fdecea; padding:6px;"
HINT_STYLE = "color:#3c4043; background:#e8f0fe; padding:6px;"


class Mode(Enum):
    SIGN_IN = "sign_in"
    SET_UP = "set_up"
    CHANGE = "change"


class SignInDialog(QDialog):
    signed_in = Signal(object)  # Workspace

    def __init__(
        self,
        info: SignInInfo,
        runner: TaskRunner,
        username: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setWindowTitle(f"登录 courtdesk — {info.court_name}")
        self.info = info
        self._runner = runner
        self._busy = False

        title = named(QLabel(f"{info.court_name}（{info.court_code}）"), "courtTitle")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        path_label = named(QLabel(f"数据库：{info.path}"), "pathLabel")
        path_label.setStyleSheet("color:#666")
        path_label.setWordWrap(True)

        self.demo_hint = named(QLabel(), "demoHint")
        self.demo_hint.setWordWrap(True)
        self.demo_hint.setStyleSheet(HINT_STYLE)
        self.demo_hint.setTextFormat(Qt.TextFormat.RichText)
        if info.is_demo and info.demo_password:
            cells = [
                f"<td style='padding-right:6px;color:#555'>{html.escape(role)}</td>"
                f"<td nowrap style='padding-right:16px'><b>{html.escape(username)}</b>"
                f"（{html.escape(name)}）</td>"
                for role, username, name in info.demo_accounts
            ]
            rows = "".join(
                "<tr>" + "".join(cells[i : i + 2]) + "</tr>" for i in range(0, len(cells), 2)
            )
            self.demo_hint.setText(
                "<b>演示数据库</b>：所有演示账户的密码均为 "
                f"<b>{html.escape(info.demo_password)}</b>。可试用的账户："
                f"<table style='margin-top:4px'>{rows}</table>"
            )
        else:
            self.demo_hint.hide()

        self.intro = named(QLabel(), "introLabel")
        self.intro.setWordWrap(True)
        self.username_edit = named(QLineEdit(), "usernameEdit")
        self.username_edit.setPlaceholderText("例如 admin")
        self.password_edit = named(QLineEdit(), "passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_password_edit = named(QLineEdit(), "newPasswordEdit")
        self.new_password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_password_edit.setPlaceholderText("至少 8 个字符，不能与用户名相同")
        self.confirm_edit = named(QLineEdit(), "confirmPasswordEdit")
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = named(QLabel(), "messageLabel")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()

        self.form = QFormLayout()
        self.form.addRow("用户名", self.username_edit)
        self.form.addRow("密码", self.password_edit)
        self.form.addRow("新密码", self.new_password_edit)
        self.form.addRow("确认新密码", self.confirm_edit)

        buttons = QDialogButtonBox()
        self.submit_button = buttons.addButton("登录", QDialogButtonBox.ButtonRole.AcceptRole)
        self.submit_button.setObjectName("signInButton")
        self.submit_button.setDefault(True)
        quit_button = buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        quit_button.setObjectName("quitButton")
        # An auto-default 退出 became the dialog's default button: Enter after a wrong
        # password closed the program. Enter is handled by the fields (keyPressEvent).
        quit_button.setAutoDefault(False)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(path_label)
        layout.addWidget(self.demo_hint)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(buttons)
        char = self.fontMetrics().horizontalAdvance("中")
        self.setMinimumWidth(char * 44)

        # Enter moves on from the name and submits from a password field.
        self.username_edit.returnPressed.connect(self._next_field)
        for edit in (self.password_edit, self.new_password_edit, self.confirm_edit):
            edit.returnPressed.connect(self.submit)
        self.username_edit.setText(username or "")
        self.mode = Mode.SIGN_IN
        if info.needs_administrator:
            self._set_mode(Mode.SET_UP)
        else:
            self._set_mode(Mode.SIGN_IN)
        (self.password_edit if username else self.username_edit).setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter belongs to the fields (next field, or submit), never to a button by default.

        QDialog would press its default button after the field has acted: a second
        submission with an empty password, or 退出.
        """
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------ modes
    def _set_mode(self, mode: Mode) -> None:
        self.mode = mode
        changing = mode is not Mode.SIGN_IN
        self.form.setRowVisible(self.new_password_edit, changing)
        self.form.setRowVisible(self.confirm_edit, changing)
        self.form.setRowVisible(self.password_edit, mode is not Mode.SET_UP)
        self.username_edit.setReadOnly(changing)
        self.password_edit.setReadOnly(mode is Mode.CHANGE)
        if mode is Mode.SET_UP:
            self.username_edit.setText(self.info.administrator_username)
            self.intro.setText(
                "首次使用这个数据库：请为系统管理员设置密码。系统管理员负责账户、设置和备份，"
                "请牢记此密码。"
            )
            self.submit_button.setText("设置密码并登录")
            self.new_password_edit.setFocus()
        elif mode is Mode.CHANGE:
            self.intro.setText("您的密码已由系统管理员重置。请设置一个只有您知道的新密码。")
            self.submit_button.setText("设置新密码并登录")
            self.new_password_edit.setFocus()
        else:
            self.intro.setText("请输入用户名和密码。")
            self.submit_button.setText("登录")
        self.intro.setVisible(True)

    def _next_field(self) -> None:
        if self.mode is Mode.SIGN_IN:
            self.password_edit.setFocus()
        else:
            self.new_password_edit.setFocus()

    # ------------------------------------------------------------ submitting
    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def submit(self) -> None:
        if self._busy:
            return
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        new = self.new_password_edit.text()
        if not username:
            self.show_message("请输入用户名")
            self.username_edit.setFocus()
            return
        if self.mode is not Mode.SIGN_IN and new != self.confirm_edit.text():
            self.show_message("两次输入的新密码不一致")
            self.confirm_edit.clear()
            self.confirm_edit.setFocus()
            return
        path = self.info.path
        if self.mode is Mode.SET_UP:

            def work() -> Workspace:
                return accounts.set_up_administrator(path, new)
        elif self.mode is Mode.CHANGE:

            def work() -> Workspace:
                return accounts.sign_in(path, username, password, new_password=new)
        else:

            def work() -> Workspace:
                return accounts.sign_in(path, username, password)

        self._busy = True
        self.submit_button.setEnabled(False)
        self.message.hide()
        self.setCursor(Qt.CursorShape.WaitCursor)
        self._runner.run(work, self._done, self._failed)

    def _done(self, ws: Workspace) -> None:
        self._busy = False
        self.unsetCursor()
        self.signed_in.emit(ws)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.unsetCursor()
        self.submit_button.setEnabled(True)
        if isinstance(error, accounts.PasswordChangeRequired):
            self._set_mode(Mode.CHANGE)
            self.show_message(error.message)
        elif isinstance(error, accounts.AdministratorSetupRequired):
            self._set_mode(Mode.SET_UP)
            self.show_message(error.message)
        elif isinstance(error, ValidationError):
            self.show_message("\n".join(p.message for p in error.problems))
            self.new_password_edit.setFocus()
        elif isinstance(error, CourtdeskError):
            self.show_message(error.message)
            self.password_edit.clear()
            self.password_edit.setFocus()
        else:
            raise error
