"""The main window: menu bar, navigation, pages, and a status bar naming court, file and user."""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from courtdesk import __version__
from courtdesk.errors import CourtdeskError
from courtdesk.services import export, maintenance
from courtdesk.services.assignment import AssignmentView
from courtdesk.services.cases import CaseDetail
from courtdesk.services.docket import DocketFilter, SortKey
from courtdesk.services.export import ExportReport
from courtdesk.services.maintenance import BackupResult, RestoreResult
from courtdesk.services.permissions import Permission, allowed
from courtdesk.services.workspace import Workspace
from courtdesk.ui.accounts_dialog import AccountsDialog, ChangePasswordDialog
from courtdesk.ui.assign_dialog import AssignDialog
from courtdesk.ui.assignment_tab import AssignmentTab
from courtdesk.ui.calculators.menu import ToolsMenu
from courtdesk.ui.dashboard_page import DashboardPage
from courtdesk.ui.docket_page import DocketPage
from courtdesk.ui.history_tab import AuditDialog
from courtdesk.ui.my_cases_page import MyCasesPage
from courtdesk.ui.register_dialog import RegisterCaseDialog
from courtdesk.ui.restore_dialog import RestoreDialog
from courtdesk.ui.schedule_page import SchedulePage
from courtdesk.ui.service_page import ServiceDeskPage
from courtdesk.ui.settings_dialog import SettingsDialog
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import fit_to_screen, named

if TYPE_CHECKING:
    from courtdesk.ui.notice_dialog import NoticeDialog
    from courtdesk.ui.notice_templates import NoticeSettingsDialog, TemplateEditorDialog

log = logging.getLogger(__name__)

# How often the window checks whether today's automatic backup is still to be made.
DAILY_BACKUP_CHECK_MS = 30 * 60 * 1000


class ExportProgress(QObject):
    """Carries progress from the export worker to the status bar (a queued signal)."""

    changed = Signal(int, int)  # rows written, rows in all


class PageStack(QStackedWidget):
    """The pages, sized by the page on show rather than by the widest of them.

    A plain QStackedWidget is at least as wide as its widest page, so one wide page
    (the hearing calendar's tool row) made the window wider than a laptop screen
    even on the docket.
    """

    def __init__(self) -> None:
        super().__init__()
        layout = self.layout()
        assert layout is not None
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()


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
        self.last_export: ExportReport | None = None
        self.setObjectName("mainWindow")
        self.setWindowTitle(f"courtdesk — {ws.court_name}")
        self.runner.unhandled.connect(self.show_error)

        self.navigation = named(QListWidget(), "navigation")
        self.navigation.setIconSize(QSize(20, 20))
        self.navigation.setFixedWidth(self.fontMetrics().horizontalAdvance("中") * 6)
        self.pages = named(PageStack(), "pages")
        self._page_keys: list[str] = []

        self.docket_page = DocketPage(ws, runner)
        self.docket_page.error.connect(self.show_error)
        self.add_page("cases", "案件", self.docket_page)
        self.my_cases_page = MyCasesPage(ws, runner)
        self.my_cases_page.error.connect(self.show_error)
        self.my_cases_page.open_case.connect(self.show_case_in_docket)
        self.add_page("mine", "我的案件", self.my_cases_page)
        self.schedule_page = SchedulePage(ws, runner)
        self.schedule_page.error.connect(self.show_error)
        self.schedule_page.message.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.add_page("schedule", "排期", self.schedule_page)
        self.service_page: ServiceDeskPage | None = None
        if allowed(ws.actor, Permission.VIEW_SERVICE):
            self.service_page = ServiceDeskPage(ws, runner)
            self.service_page.error.connect(self.show_error)
        self.add_page("service", "送达", self.service_page)
        self.stats_page = DashboardPage(ws, runner)
        self.stats_page.error.connect(self.show_error)
        self.stats_page.open_cases.connect(self.show_cases)
        self.add_page(
            "stats",
            "统计",
            self.stats_page if allowed(ws.actor, Permission.VIEW_STATISTICS) else None,
        )
        if not allowed(ws.actor, Permission.VIEW_STATISTICS):
            self.navigation.item(self.navigation.count() - 1).setToolTip("当前用户无权查看统计")
        self.navigation.currentRowChanged.connect(self._page_changed)
        self.navigation.setCurrentRow(0)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.docket_page.assign_requested.connect(self.open_assign_dialog)
        self.docket_page.export_button.clicked.connect(self.export_docket)
        for tab in self.docket_page.detail.tabs:
            if isinstance(tab, AssignmentTab):
                tab.assign_requested.connect(self.open_assign_dialog)
                tab.error.connect(self.show_error)
        self._export_progress = ExportProgress(self)
        self._export_progress.changed.connect(self._show_export_progress)

        self._build_menus()
        self._build_status_bar()
        char = self.fontMetrics().horizontalAdvance("中")
        fit_to_screen(self, char * 110, char * 55)

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
        if self._page_keys[row] == "service" and self.service_page is not None:
            self.service_page.activate()
        if self._page_keys[row] == "schedule":
            self.schedule_page.refresh()
        elif self._page_keys[row] == "mine":
            self.my_cases_page.refresh()

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
        self.export_action = QAction(
            "导出当前列表到 Excel(&E)…", self, shortcut=QKeySequence("Ctrl+E")
        )
        self.export_action.setObjectName("exportAction")
        self.export_action.triggered.connect(self.export_docket)
        file_menu.addAction(self.export_action)
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
        self.assign_action = QAction("分案 / 改派(&D)…", self, shortcut=QKeySequence("Ctrl+D"))
        self.assign_action.setObjectName("assignAction")
        self.assign_action.triggered.connect(self._assign_selected)
        self.assign_action.setEnabled(allowed(self.ws.actor, Permission.ASSIGN_CASE))
        case_menu.addAction(self.assign_action)
        mine_action = QAction("我的案件(&M)", self, shortcut=QKeySequence("Ctrl+M"))
        mine_action.triggered.connect(lambda: self.show_page("mine"))
        case_menu.addAction(mine_action)
        find_action = QAction(
            "查找案件(&F)", self, shortcut=QKeySequence(QKeySequence.StandardKey.Find)
        )
        find_action.triggered.connect(self._focus_search)
        case_menu.addAction(find_action)

        schedule_menu = menu.addMenu("排期(&S)")
        self.schedule_action = QAction("新排期(&N)…", self, shortcut=QKeySequence("Ctrl+Shift+N"))
        self.schedule_action.setObjectName("scheduleAction")
        self.schedule_action.triggered.connect(self.open_schedule_dialog)
        self.schedule_action.setEnabled(allowed(self.ws.actor, Permission.SCHEDULE_HEARING))
        schedule_menu.addAction(self.schedule_action)
        calendar_action = QAction("开庭日历(&C)", self)
        calendar_action.triggered.connect(lambda: self.show_page("schedule"))
        schedule_menu.addAction(calendar_action)
        lists_action = QAction("开庭排期表与公告(&L)…", self)
        lists_action.triggered.connect(lambda: self.schedule_page.open_cause_lists())
        schedule_menu.addAction(lists_action)
        rooms_action = QAction("法庭管理(&R)…", self)
        rooms_action.triggered.connect(lambda: self.schedule_page.open_courtrooms())
        schedule_menu.addAction(rooms_action)

        self.tools = ToolsMenu(self, self.ws, self.runner, menu)

        if self.service_page is not None:
            service_menu = menu.addMenu("送达(&G)")
            scan_action = QAction("扫描送达回证(&B)", self, shortcut=QKeySequence("F9"))
            scan_action.setObjectName("scanAction")
            scan_action.triggered.connect(self.scan_receipt)
            service_menu.addAction(scan_action)

        self._build_notice_menu()

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

    def _build_notice_menu(self) -> None:
        notice_menu = self.menuBar().addMenu("文书(&D)")
        self.notice_action = QAction("生成文书(&G)…", self, shortcut=QKeySequence("Ctrl+P"))
        self.notice_action.setObjectName("noticeAction")
        self.notice_action.setToolTip("为案件列表中选中的一件或多件案件生成文书")
        self.notice_action.triggered.connect(self.open_notice_dialog)
        self.notice_action.setEnabled(allowed(self.ws.actor, Permission.PRINT_NOTICES))
        notice_menu.addAction(self.notice_action)
        self.cause_list_action = QAction("开庭排期表(&L)…", self)
        self.cause_list_action.setObjectName("causeListNoticeAction")
        self.cause_list_action.triggered.connect(self.open_cause_list_dialog)
        self.cause_list_action.setEnabled(self.notice_action.isEnabled())
        notice_menu.addAction(self.cause_list_action)
        notice_menu.addSeparator()
        admin = allowed(self.ws.actor, Permission.EDIT_NOTICE_TEMPLATES)
        self.template_action = QAction("文书模板(&T)…", self)
        self.template_action.setObjectName("templateAction")
        self.template_action.triggered.connect(self.open_template_editor)
        self.template_action.setEnabled(admin)
        notice_menu.addAction(self.template_action)
        self.notice_settings_action = QAction("文书设置(&S)…", self)
        self.notice_settings_action.setObjectName("noticeSettingsAction")
        self.notice_settings_action.triggered.connect(self.open_notice_settings)
        self.notice_settings_action.setEnabled(allowed(self.ws.actor, Permission.MANAGE_COURT))
        notice_menu.addAction(self.notice_settings_action)

    # The notice dialogs are imported when first opened: they bring reportlab, a
    # fifth of the program's import time, which the docket does not need to appear.
    def open_notice_dialog(self) -> NoticeDialog | None:
        """Notices for the cases selected in the docket (or the case shown)."""
        from courtdesk.ui.notice_dialog import open_notice_dialog

        case_ids = self.docket_page.selected_case_ids()
        shown = self.docket_page.detail.case
        if not case_ids and shown is not None:
            case_ids = [shown.id]
        if not case_ids:
            QMessageBox.information(self, "生成文书", "请先在案件列表中选择一件或多件案件")
            return None
        label = shown.case_number if shown is not None and case_ids == [shown.id] else ""
        return open_notice_dialog(self.ws, self.runner, case_ids, label, self)

    def open_cause_list_dialog(self) -> NoticeDialog | None:
        from courtdesk.ui.notice_dialog import open_notice_dialog

        return open_notice_dialog(self.ws, self.runner, [], "", self, kind="cause_list")

    def open_template_editor(self) -> TemplateEditorDialog:
        from courtdesk.ui.notice_templates import TemplateEditorDialog

        dialog = TemplateEditorDialog(self.ws, self.runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_notice_settings(self) -> NoticeSettingsDialog:
        from courtdesk.ui.notice_templates import NoticeSettingsDialog

        dialog = NoticeSettingsDialog(self.ws, self.runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

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
        dialog.registered.connect(
            lambda detail: self._case_registered(detail, dialog.assign_check.isChecked())
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_schedule_dialog(self) -> None:
        """排期 for the case selected in the docket, or for a case number typed in."""
        self.schedule_page.open_schedule_dialog(self.docket_page.detail.case)

    def _case_registered(self, detail: CaseDetail, assign_next: bool = False) -> None:
        self.statusBar().showMessage(f"已立案：{detail.case_number}", 10_000)
        self.show_page("cases")
        self.docket_page.clear_search()
        self.docket_page.refresh(select_case_id=detail.id)
        self.docket_page.detail.show_case(detail)
        if assign_next:
            self.open_assign_dialog(detail.id)

    def open_assign_dialog(self, case_id: int) -> AssignDialog:
        dialog = AssignDialog(self.ws, self.runner, case_id, self)
        dialog.assigned.connect(self._case_assigned)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _assign_selected(self) -> None:
        case_id = self.docket_page.selected_case_id()
        if case_id is None:
            QMessageBox.information(self, "分案", "请先在案件列表中选择一件案件")
            return
        self.open_assign_dialog(case_id)

    def _case_assigned(self, view: AssignmentView) -> None:
        self.statusBar().showMessage(
            f"已分案：承办人 {view.presiding_judge}（{view.method.label}，{view.bench.label}）",
            10_000,
        )
        self.docket_page.refresh(select_case_id=view.case_id)
        self.docket_page.show_case(view.case_id)

    def show_case_in_docket(self, case_id: int) -> None:
        """Open a case in the docket (from 我的案件 and other lists)."""
        self.show_page("cases")
        self.docket_page.show_in_docket(case_id)

    # ------------------------------------------------------------ export
    def export_docket(self) -> QFileDialog:
        """Ask where to save, then export the docket as filtered now (in the background)."""
        flt = self.docket_page.current_filter()
        sort, descending = self.docket_page.model.sort_state
        folder = Path.home()
        name = f"案件列表_{date.today():%Y%m%d}.xlsx"
        dialog = QFileDialog(self, "导出案件列表", str(folder / name), "Excel 工作簿 (*.xlsx)")
        dialog.setObjectName("exportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("xlsx")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self.start_export(flt, sort, descending, path))
        dialog.open()
        return dialog

    def start_export(self, flt: DocketFilter, sort: SortKey, descending: bool, path: str) -> None:
        ws, progress = self.ws, self._export_progress.changed.emit
        self.export_action.setEnabled(False)
        self.docket_page.export_button.setEnabled(False)
        self.statusBar().showMessage("正在导出…")
        self.runner.run(
            lambda: export.export_docket(ws, flt, sort, descending, path, progress=progress),
            self._exported,
            self._export_failed,
        )

    def _show_export_progress(self, done: int, total: int) -> None:
        self.statusBar().showMessage(f"正在导出… {done:,} / {total:,} 件")

    def _exported(self, report: ExportReport) -> None:
        self.export_action.setEnabled(True)
        self.docket_page.export_button.setEnabled(True)
        self.statusBar().showMessage(f"已导出 {report.rows:,} 件到 {report.path}", 15_000)
        self.last_export = report

    def _export_failed(self, error: BaseException) -> None:
        self.export_action.setEnabled(True)
        self.docket_page.export_button.setEnabled(True)
        self.statusBar().clearMessage()
        self.show_error(error)

    def scan_receipt(self) -> None:
        """Show the service desk with the cursor in the scan field, ready for the scanner."""
        if self.service_page is None:
            return
        self.show_page("service")
        self.service_page.setCurrentWidget(self.service_page.queue)
        self.service_page.queue.focus_scan()

    def show_cases(self, flt: DocketFilter, title: str) -> None:
        """The docket, filtered to exactly the cases behind a 统计 figure."""
        self.show_page("cases")
        self.docket_page.show_filter(flt, title)

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
