"""The main window: menu bar, navigation, pages, and a status bar naming court, file and user."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from courtdesk import __version__
from courtdesk.errors import CourtdeskError
from courtdesk.services import maintenance
from courtdesk.services.cases import CaseDetail
from courtdesk.services.maintenance import BackupResult, RestoreResult
from courtdesk.services.permissions import Permission, allowed
from courtdesk.services.workspace import Workspace
from courtdesk.ui.accounts_dialog import AccountsDialog, ChangePasswordDialog
from courtdesk.ui.docket_page import DocketPage
from courtdesk.ui.history_tab import AuditDialog
from courtdesk.ui.register_dialog import RegisterCaseDialog
from courtdesk.ui.restore_dialog import RestoreDialog
from courtdesk.ui.settings_dialog import SettingsDialog
from courtdesk.ui.stats_page import StatsPage
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import named

log = logging.getLogger(__name__)

# How often the window checks whether today's automatic backup is still to be made.
DAILY_BACKUP_CHECK_MS = 30 * 60 * 1000


class MainWindow(QMainWindow):
    signed_out = Signal()  # 注销: the start-up shows the sign-in dialog again
    restored = Signal(object)  # RestoreResult: everyone signs in again
    closed = Signal()  # the program is quitting (after the exit backup)

    def __init__(self, ws: Workspace, runner: TaskRunner, automatic_backups: bool = False) -> None:
        """``automatic_backups``: the daily and on-exit copies (the real program turns them on;
        tests that are not about backups leave them off)."""
        super().__init__()
        self.ws = ws
        self.runner = runner
        self.automatic_backups = automatic_backups
        self._exit_backup = "none"  # none → running → done
        self._leaving = False  # signing out or restored: no exit backup, no quitting
        self.setObjectName("mainWindow")
        self.setWindowTitle(f"courtdesk — {ws.court_name}")
        self.runner.unhandled.connect(self.show_error)

        self.navigation = named(QListWidget(), "navigation")
        self.navigation.setIconSize(QSize(20, 20))
        self.navigation.setFixedWidth(self.fontMetrics().horizontalAdvance("中") * 6)
        self.pages = named(QStackedWidget(), "pages")
        self._page_keys: list[str] = []

        self.docket_page = DocketPage(ws, runner)
        self.docket_page.error.connect(self.show_error)
        self.add_page("cases", "案件", self.docket_page)
        self.add_page("schedule", "排期", None)
        self.add_page("service", "送达", None)
        self.stats_page = StatsPage(ws, runner)
        self.stats_page.error.connect(self.show_error)
        self.add_page("stats", "统计", self.stats_page)
        self.navigation.currentRowChanged.connect(self._page_changed)
        self.navigation.setCurrentRow(0)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self._build_status_bar()
        char = self.fontMetrics().horizontalAdvance("中")
        self.resize(char * 110, char * 55)

        self.backup_timer = QTimer(self, interval=DAILY_BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.run_daily_backup)
        if automatic_backups:
            self.backup_timer.start()
            QTimer.singleShot(0, self.run_daily_backup)
        self.network_warning: str | None = None
        self.runner.run(lambda: maintenance.network_warning(ws), self._network_checked)

    # ------------------------------------------------------------ pages
    def add_page(self, key: str, title: str, widget: QWidget | None) -> None:
        """Add a navigation entry; an entry without a page yet is shown disabled."""
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setSizeHint(QSize(0, self.fontMetrics().height() * 2 + 6))
        if widget is None:
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            item.setToolTip(f"{title}模块尚未启用")
            widget = QWidget()
        self.navigation.addItem(item)
        self.pages.addWidget(widget)
        self._page_keys.append(key)

    def show_page(self, key: str) -> None:
        self.navigation.setCurrentRow(self._page_keys.index(key))

    @property
    def current_page_key(self) -> str:
        return self._page_keys[self.pages.currentIndex()]

    def _page_changed(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        if self._page_keys[row] == "stats":
            self.stats_page.refresh()

    # ------------------------------------------------------------ menus
    def _build_menus(self) -> None:
        actor = self.ws.actor
        menu = self.menuBar()
        file_menu = menu.addMenu("文件(&F)")
        self.refresh_action = QAction(
            "刷新(&R)", self, shortcut=QKeySequence(QKeySequence.StandardKey.Refresh)
        )
        self.refresh_action.triggered.connect(lambda: self.docket_page.refresh())
        file_menu.addAction(self.refresh_action)
        file_menu.addSeparator()
        self.backup_action = self._action("备份数据库(&B)…", "backupAction", self.backup_now)
        self.restore_action = self._action(
            "从备份恢复(&E)…", "restoreAction", lambda: self.open_restore_dialog()
        )
        for action, permission in (
            (self.backup_action, Permission.BACKUP_DATABASE),
            (self.restore_action, Permission.RESTORE_DATABASE),
        ):
            action.setVisible(allowed(actor, permission))
            file_menu.addAction(action)
        file_menu.addSeparator()
        self.password_action = self._action(
            "修改密码(&P)…", "changePasswordAction", lambda: self.open_change_password()
        )
        self.password_action.setVisible(actor.user_id is not None)
        file_menu.addAction(self.password_action)
        self.sign_out_action = self._action("注销(&L)", "signOutAction", self.sign_out)
        file_menu.addAction(self.sign_out_action)
        quit_action = QAction("退出(&X)", self, shortcut=QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        case_menu = menu.addMenu("案件(&C)")
        self.register_action = QAction("立案登记(&N)…", self, shortcut=QKeySequence("Ctrl+N"))
        self.register_action.setObjectName("registerAction")
        self.register_action.triggered.connect(self.open_register_dialog)
        may_register = allowed(actor, Permission.REGISTER_CASE)
        self.register_action.setEnabled(may_register)
        self.register_action.setVisible(may_register)
        case_menu.addAction(self.register_action)
        find_action = QAction(
            "查找案件(&F)", self, shortcut=QKeySequence(QKeySequence.StandardKey.Find)
        )
        find_action.triggered.connect(self._focus_search)
        case_menu.addAction(find_action)

        # 管理: only the roles that administer see it at all.
        self.admin_menu = menu.addMenu("管理(&M)")
        self.admin_menu.setObjectName("adminMenu")
        self.accounts_action = self._action(
            "账户管理(&A)…", "accountsAction", lambda: self.open_accounts_dialog()
        )
        self.settings_action = self._action(
            "设置(&S)…", "settingsAction", lambda: self.open_settings_dialog()
        )
        self.audit_action = self._action(
            "全院操作记录与数据库检查(&K)…", "auditAction", lambda: self.open_audit_dialog()
        )
        for action, permission in (
            (self.accounts_action, Permission.MANAGE_ACCOUNTS),
            (self.settings_action, Permission.MANAGE_COURT),
            (self.audit_action, Permission.VIEW_AUDIT),
        ):
            action.setVisible(allowed(actor, permission))
            self.admin_menu.addAction(action)
        self.admin_menu.menuAction().setVisible(
            any(a.isVisible() for a in self.admin_menu.actions())
        )

        help_menu = menu.addMenu("帮助(&H)")
        about = QAction("关于 courtdesk(&A)", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _action(self, text: str, name: str, slot: object) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.triggered.connect(slot)
        return action

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.court_label = named(
            QLabel(f"法院：{self.ws.court_name}（{self.ws.court_code}）"), "courtLabel"
        )
        self.database_label = named(QLabel(f"数据库：{self.ws.path}"), "databaseLabel")
        self.user_label = named(
            QLabel(f"用户：{self.ws.actor.display_name}（{self.ws.actor.roles_label}）"),
            "userLabel",
        )
        self.backup_label = named(QLabel(), "backupLabel")
        self.backup_label.hide()
        self.network_label = named(QLabel("⚠ 数据库在网络共享上"), "networkLabel")
        self.network_label.setStyleSheet("color:#b3261e")
        self.network_label.hide()
        for label in (
            self.network_label,
            self.backup_label,
            self.court_label,
            self.database_label,
            self.user_label,
        ):
            bar.addPermanentWidget(label)

    # ------------------------------------------------------------ actions
    def open_register_dialog(self) -> RegisterCaseDialog:
        dialog = RegisterCaseDialog(self.ws, self.runner, self)
        dialog.registered.connect(self._case_registered)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _case_registered(self, detail: CaseDetail) -> None:
        self.statusBar().showMessage(f"已立案：{detail.case_number}", 10_000)
        self.show_page("cases")
        self.docket_page.search.clear()
        self.docket_page.refresh(select_case_id=detail.id)
        self.docket_page.detail.show_case(detail)

    def _focus_search(self) -> None:
        self.show_page("cases")
        self.docket_page.search.setFocus()
        self.docket_page.search.selectAll()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "关于 courtdesk",
            f"courtdesk {__version__}\n基层人民法院案件管理\n\n中文字体：AR PL UMing（Arphic Public License）",
        )

    def show_error(self, error: object) -> None:
        """Show an error to the user: a clear message for expected ones, and log real bugs."""
        if isinstance(error, CourtdeskError):
            QMessageBox.warning(self, "courtdesk", error.message)
            return
        log.error(
            "unexpected error in a background task",
            exc_info=error if isinstance(error, BaseException) else None,
        )
        QMessageBox.critical(
            self, "courtdesk 内部错误", f"发生了意外错误，已记录到日志：\n{error!r}"
        )

    # ------------------------------------------------------------ administration
    def _open_dialog(self, dialog: QWidget) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()  # type: ignore[attr-defined]

    def open_accounts_dialog(self) -> AccountsDialog:
        dialog = AccountsDialog(self.ws, self.runner, self)
        dialog.error.connect(self.show_error)
        self._open_dialog(dialog)
        return dialog

    def open_settings_dialog(self) -> SettingsDialog:
        dialog = SettingsDialog(self.ws, self.runner, self)
        dialog.saved.connect(
            lambda keys: self.statusBar().showMessage(
                f"已保存 {len(keys)} 项设置" if keys else "设置没有变化", 10_000
            )
        )
        self._open_dialog(dialog)
        return dialog

    def open_audit_dialog(self) -> AuditDialog:
        dialog = AuditDialog(self.ws, self.runner, self.show_error, self)
        self._open_dialog(dialog)
        return dialog

    def open_change_password(self) -> ChangePasswordDialog:
        dialog = ChangePasswordDialog(self.ws, self.runner, self)
        dialog.saved.connect(lambda: self.statusBar().showMessage("密码已修改", 10_000))
        self._open_dialog(dialog)
        return dialog

    def open_restore_dialog(self) -> RestoreDialog:
        dialog = RestoreDialog(self.ws, self.runner, self)
        dialog.restored.connect(self._restored)
        self._open_dialog(dialog)
        return dialog

    def _restored(self, result: RestoreResult) -> None:
        self._leaving = True
        self.close()
        self.restored.emit(result)

    def backup_now(self, target: Path | None = None) -> None:
        """文件 → 备份数据库: a verified copy where the administrator chooses."""
        if target is None:
            suggested = maintenance_default_name(self.ws)
            name, _ = QFileDialog.getSaveFileName(
                self, "备份数据库", str(suggested), "courtdesk 数据库 (*.sqlite3)"
            )
            if not name:
                return
            target = Path(name)
        ws, chosen = self.ws, target
        self.statusBar().showMessage(f"正在备份到 {chosen} …")
        self.runner.run(lambda: maintenance.backup(ws, chosen), self._backed_up, self.show_error)

    def _backed_up(self, result: BackupResult) -> None:
        self.statusBar().showMessage(
            f"已备份到 {result.path}（{result.size_bytes / 1_048_576:,.1f} MB），校验通过", 15_000
        )

    def run_daily_backup(self) -> None:
        ws = self.ws
        self.runner.run(
            lambda: maintenance.auto_backup(ws, "daily"), self._auto_done, self._auto_failed
        )

    def _auto_done(self, result: BackupResult | None) -> None:
        if result is None:
            return
        self.backup_label.setStyleSheet("")
        self.backup_label.setText(f"已自动备份（{datetime.now():%H:%M}）")
        self.backup_label.setToolTip(str(result.path))
        self.backup_label.show()

    def _auto_failed(self, error: BaseException) -> None:
        if not isinstance(error, CourtdeskError):
            self.show_error(error)
            return
        # Shown, not hidden: a court that stops getting backups must see it every day.
        self.backup_label.setStyleSheet("color:#b3261e")
        self.backup_label.setText("⚠ 自动备份失败")
        self.backup_label.setToolTip(error.message)
        self.backup_label.show()
        self.statusBar().showMessage(error.message, 30_000)

    def _network_checked(self, warning: str | None) -> None:
        self.network_warning = warning
        if not warning:
            return
        self.network_label.setToolTip(warning)
        self.network_label.show()
        if allowed(self.ws.actor, Permission.MANAGE_COURT):
            box = QMessageBox(QMessageBox.Icon.Warning, "数据库位于网络共享", warning, parent=self)
            box.setObjectName("networkWarning")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def sign_out(self) -> None:
        self._leaving = True
        self.close()
        self.signed_out.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._exit_backup == "running":
            event.ignore()
            return
        if self.automatic_backups and not self._leaving and self._exit_backup == "none":
            # Back up first, then close for real (_exit_backup_done calls close again).
            event.ignore()
            self._exit_backup = "running"
            self.setEnabled(False)
            self.statusBar().showMessage("正在备份数据库，完成后退出…")
            ws = self.ws
            self.runner.run(
                lambda: maintenance.auto_backup(ws, "exit"),
                self._exit_backup_done,
                self._exit_backup_failed,
            )
            return
        self.backup_timer.stop()
        self.runner.wait()
        self.ws.close()
        super().closeEvent(event)
        if not self._leaving:
            self.closed.emit()

    def _exit_backup_done(self, _: object) -> None:
        self._exit_backup = "done"
        self.close()

    def _exit_backup_failed(self, error: BaseException) -> None:
        message = error.message if isinstance(error, CourtdeskError) else repr(error)
        if not isinstance(error, CourtdeskError):
            log.error("exit backup failed", exc_info=error)
        self.setEnabled(True)
        answer = QMessageBox.question(
            self,
            "退出时备份失败",
            f"{message}\n\n仍然退出吗？（数据库本身未受影响）",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._exit_backup = "done"
            self.close()
        else:
            self._exit_backup = "none"


def maintenance_default_name(ws: Workspace) -> Path:
    return ws.path.parent / f"{ws.path.stem}-备份-{datetime.now():%Y%m%d-%H%M}.sqlite3"
