"""The administrator's 账户管理: list accounts, create, edit roles, reset passwords, unlock.

And the 修改密码 dialog every user has for their own password.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from courtdesk.errors import CourtdeskError, ValidationError
from courtdesk.services import accounts, reference
from courtdesk.services.accounts import Account, AccountDraft
from courtdesk.services.workspace import Workspace
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import fit_to_screen, named

ERROR_STYLE = "color:#b3261e; background:#fdecea; padding:6px;"
COLUMNS = ("用户名", "姓名", "角色", "庭室", "状态", "最近登录")
ROLES_COLUMN = COLUMNS.index("角色")


def _password_field(name: str) -> QLineEdit:
    edit = named(QLineEdit(), name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class _FormDialog(QDialog):
    """A small form that saves in the background and shows refusals above its buttons."""

    saved = Signal()

    def __init__(self, runner: TaskRunner, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.message = named(QLabel(), "messageLabel")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveButton")
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def submit(self) -> None:
        raise NotImplementedError

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _run(self, work: object) -> None:
        self.save_button.setEnabled(False)
        self.message.hide()
        self._runner.run(work, self._done, self._failed)  # type: ignore[arg-type]

    def _done(self, _: object) -> None:
        self.saved.emit()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError):
            self.show_message("\n".join(p.message for p in error.problems))
        elif isinstance(error, CourtdeskError):
            self.show_message(error.message)
        else:
            raise error


class ChangePasswordDialog(_FormDialog):
    """The signed-in user changes their own password."""

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("changePasswordDialog")
        self.setWindowTitle("修改密码")
        self._ws = ws
        self.old_edit = _password_field("oldPasswordEdit")
        self.new_edit = _password_field("newPasswordEdit")
        self.confirm_edit = _password_field("confirmPasswordEdit")
        form = QFormLayout()
        form.addRow("用户", QLabel(f"{ws.actor.display_name}（{ws.actor.username}）"))
        form.addRow("原密码", self.old_edit)
        form.addRow("新密码", self.new_edit)
        form.addRow("确认新密码", self.confirm_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def submit(self) -> None:
        if self.new_edit.text() != self.confirm_edit.text():
            self.show_message("两次输入的新密码不一致")
            return
        ws, old, new = self._ws, self.old_edit.text(), self.new_edit.text()
        self._run(lambda: accounts.change_password(ws, old, new))


class ResetPasswordDialog(_FormDialog):
    """The administrator sets a temporary password for someone (changed at their next sign-in)."""

    def __init__(
        self, ws: Workspace, runner: TaskRunner, account: Account, parent: QWidget | None = None
    ) -> None:
        super().__init__(runner, parent)
        self.setObjectName("resetPasswordDialog")
        self.setWindowTitle(f"重置密码：{account.display_name}")
        self._ws = ws
        self._account = account
        self.new_edit = _password_field("newPasswordEdit")
        self.confirm_edit = _password_field("confirmPasswordEdit")
        note = QLabel(
            f"为 {account.display_name}（{account.username}）设置临时密码并解除锁定。"
            "请当面告知本人；本人下次登录时必须改为只有自己知道的密码。"
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("临时密码", self.new_edit)
        form.addRow("确认临时密码", self.confirm_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def submit(self) -> None:
        if self.new_edit.text() != self.confirm_edit.text():
            self.show_message("两次输入的临时密码不一致")
            return
        ws, user_id, password = self._ws, self._account.id, self.new_edit.text()
        self._run(lambda: accounts.reset_password(ws, user_id, password))


class AccountEditDialog(_FormDialog):
    """Create an account, or change one's name, 庭室, roles and whether it is enabled."""

    def __init__(
        self,
        ws: Workspace,
        runner: TaskRunner,
        divisions: list[reference.Division],
        account: Account | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, parent)
        self.setObjectName("accountEditDialog")
        self.setWindowTitle("修改账户" if account else "新建账户")
        self._ws = ws
        self._account = account
        self.username_edit = named(QLineEdit(account.username if account else ""), "usernameEdit")
        self.username_edit.setPlaceholderText("小写拼音或字母数字，例如 zhangsan")
        self.name_edit = named(QLineEdit(account.display_name if account else ""), "nameEdit")
        self.division_combo = named(QComboBox(), "divisionCombo")
        self.division_combo.addItem("（无）", None)
        for division in divisions:
            self.division_combo.addItem(division.name, division.id)
        if account and account.division_id is not None:
            self.division_combo.setCurrentIndex(self.division_combo.findData(account.division_id))
        self.role_checks: dict[str, QCheckBox] = {}
        roles = QGridLayout()
        for n, (code, label) in enumerate(accounts.role_choices()):
            check = named(QCheckBox(label), f"role_{code}")
            check.setChecked(bool(account and code in account.roles))
            self.role_checks[code] = check
            roles.addWidget(check, n // 4, n % 4)
        self.active_check = named(QCheckBox("启用（可以登录）"), "activeCheck")
        self.active_check.setChecked(account.active if account else True)
        self.password_edit = _password_field("passwordEdit")
        self.confirm_edit = _password_field("confirmPasswordEdit")

        form = QFormLayout()
        form.addRow("用户名", self.username_edit)
        form.addRow("姓名", self.name_edit)
        form.addRow("庭室", self.division_combo)
        form.addRow("角色", roles)
        form.addRow("", self.active_check)
        if account is None:
            form.addRow("初始密码", self.password_edit)
            form.addRow("确认初始密码", self.confirm_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def draft(self) -> AccountDraft:
        return AccountDraft(
            username=self.username_edit.text(),
            display_name=self.name_edit.text(),
            division_id=self.division_combo.currentData(),
            roles=tuple(code for code, check in self.role_checks.items() if check.isChecked()),
            active=self.active_check.isChecked(),
        )

    def submit(self) -> None:
        ws, draft, account = self._ws, self.draft(), self._account
        if account is None:
            if self.password_edit.text() != self.confirm_edit.text():
                self.show_message("两次输入的初始密码不一致")
                return
            password = self.password_edit.text()
            self._run(lambda: accounts.create_account(ws, draft, password))
        else:
            self._run(lambda: accounts.update_account(ws, account.id, account.version, draft))


class AccountsDialog(QDialog):
    """Every account, with the actions an administrator takes on them."""

    error = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountsDialog")
        self.setWindowTitle("账户管理")
        self._ws = ws
        self._runner = runner
        self.accounts: list[Account] = []
        self.divisions: list[reference.Division] = []
        self._loading = 0

        self.table = named(QTableWidget(0, len(COLUMNS)), "accountsTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # The roles column takes what is left: it holds the longest text (several roles).
        header.setSectionResizeMode(ROLES_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.doubleClicked.connect(lambda: self.edit_selected())

        self.new_button = named(QPushButton("新建账户…"), "newAccountButton")
        self.edit_button = named(QPushButton("修改…"), "editAccountButton")
        self.reset_button = named(QPushButton("重置密码…"), "resetPasswordButton")
        self.unlock_button = named(QPushButton("解除锁定"), "unlockButton")
        self.new_button.clicked.connect(lambda: self.create_account())
        self.edit_button.clicked.connect(lambda: self.edit_selected())
        self.reset_button.clicked.connect(lambda: self.reset_selected())
        self.unlock_button.clicked.connect(self.unlock_selected)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.reset_button, self.unlock_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        self.status = named(QLabel("正在读取账户…"), "accountsStatus")

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        char = self.fontMetrics().horizontalAdvance("中")
        fit_to_screen(self, char * 64, char * 34)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self._selection_changed()
        self.refresh()

    @property
    def loaded(self) -> bool:
        """No reload is in flight (the last one showed its accounts or its failure)."""
        return self._loading == 0

    def refresh(self) -> None:
        ws = self._ws
        self._loading += 1
        self.status.setText("正在读取账户…")
        self._runner.run(
            lambda: (accounts.list_accounts(ws), reference.divisions(ws)),
            self._fill,
            self._load_failed,
        )

    def _load_failed(self, error: BaseException) -> None:
        self._loading = max(0, self._loading - 1)
        if self._loading == 0:
            message = error.message if isinstance(error, CourtdeskError) else str(error)
            self.status.setText(f"未能读取账户：{message}")
        self.error.emit(error)

    def _fill(self, loaded: tuple[list[Account], list[reference.Division]]) -> None:
        self._loading = max(0, self._loading - 1)
        if self._loading:
            return  # a newer reload is on its way; show that one
        self.accounts, self.divisions = loaded
        self.table.setRowCount(len(self.accounts))
        for row, account in enumerate(self.accounts):
            values = (
                account.username,
                account.display_name,
                account.roles_label,
                account.division or "—",
                account.state_label,
                (account.last_sign_in_at or "从未登录")[:16].replace("T", " "),
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 4 and account.state_label != "正常":
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, column, item)
        self.status.setText(f"共 {len(self.accounts)} 个账户")
        self._selection_changed()

    def select(self, username: str) -> None:
        for row, account in enumerate(self.accounts):
            if account.username == username:
                self.table.selectRow(row)
                return

    def selected(self) -> Account | None:
        rows = self.table.selectionModel().selectedRows()
        return self.accounts[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        account = self.selected()
        for button in (self.edit_button, self.reset_button):
            button.setEnabled(account is not None)
        self.unlock_button.setEnabled(account is not None and account.failed_attempts > 0)

    def create_account(self) -> AccountEditDialog:
        dialog = AccountEditDialog(self._ws, self._runner, self.divisions, None, self)
        dialog.saved.connect(self.refresh)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def edit_selected(self) -> AccountEditDialog | None:
        account = self.selected()
        if account is None:
            return None
        dialog = AccountEditDialog(self._ws, self._runner, self.divisions, account, self)
        dialog.saved.connect(self.refresh)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def reset_selected(self) -> ResetPasswordDialog | None:
        account = self.selected()
        if account is None:
            return None
        dialog = ResetPasswordDialog(self._ws, self._runner, account, self)
        dialog.saved.connect(self.refresh)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def unlock_selected(self) -> None:
        account = self.selected()
        if account is None:
            return
        ws = self._ws
        self._runner.run(
            lambda: accounts.unlock_account(ws, account.id),
            lambda _: self.refresh(),
            self._refused,
        )

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, CourtdeskError):
            QMessageBox.warning(self, "账户管理", error.message)
        else:
            raise error
