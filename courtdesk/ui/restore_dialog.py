"""从备份恢复: pick a recorded backup (or any file), confirm, restore.

The service checks the file and keeps a safety copy of the current database
before anything is replaced; afterwards everyone signs in again, since the
accounts in the backup may differ.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from courtdesk.errors import CourtdeskError
from courtdesk.services import maintenance
from courtdesk.services.maintenance import BackupRecord, RestoreResult
from courtdesk.services.workspace import Workspace
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import fit_to_screen, named

KIND_LABELS = {"daily": "每日自动", "exit": "退出时自动", "manual": "手动", "safety": "恢复前副本"}
COLUMNS = ("时间", "类型", "大小", "文件")


class RestoreDialog(QDialog):
    restored = Signal(object)  # RestoreResult

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle("从备份恢复数据库")
        self._ws = ws
        self._runner = runner
        self.records: list[BackupRecord] = []
        self.chosen: Path | None = None

        intro = QLabel(
            "恢复会用所选备份替换整个数据库：备份之后的所有修改都将不再存在。"
            "恢复前会先检查备份文件，并把当前数据库另存一份安全副本。恢复后所有用户需重新登录。"
        )
        intro.setWordWrap(True)
        self.table = named(QTableWidget(0, len(COLUMNS)), "backupsTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        char = self.fontMetrics().horizontalAdvance("中")
        for column, width in enumerate((11, 5, 5)):
            self.table.setColumnWidth(column, char * width + 12)
        self.table.itemSelectionChanged.connect(self._selected)
        self.file_label = named(QLabel("未选择备份"), "chosenFile")
        self.file_label.setWordWrap(True)
        other = named(QPushButton("选择其他备份文件…"), "chooseFileButton")
        other.clicked.connect(self._choose_file)
        self.confirm = named(QCheckBox("我明白：恢复后，备份之后的修改将不复存在"), "confirmCheck")
        self.confirm.toggled.connect(self._update)
        self.message = named(QLabel(), "messageLabel")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#b3261e; background:#fdecea; padding:6px;")
        self.message.hide()
        self.restore_button = named(QPushButton("恢复"), "restoreButton")
        self.restore_button.clicked.connect(self.submit)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(other)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.file_label)
        layout.addWidget(self.confirm)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        char = self.fontMetrics().horizontalAdvance("中")
        fit_to_screen(self, char * 62, char * 32)
        self.loaded = False
        self._update()
        runner.run(lambda: maintenance.recent_backups(ws), self._fill, self._failed)

    def _fill(self, records: list[BackupRecord]) -> None:
        self.records = records
        self.table.setRowCount(len(records))
        for row, record in enumerate(records):
            values = (
                record.at[:19].replace("T", " "),
                KIND_LABELS.get(record.kind, record.kind),
                f"{record.size_bytes / 1_048_576:,.1f} MB",
                record.path,
            )
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.loaded = True

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.choose(Path(self.records[rows[0].row()].path))

    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "选择备份文件",
            str(self._ws.path.parent),
            "courtdesk 数据库 (*.sqlite3);;所有文件 (*)",
        )
        if name:
            self.table.clearSelection()
            self.choose(Path(name))

    def choose(self, path: Path) -> None:
        self.chosen = path
        self.file_label.setText(f"将恢复：{path}")
        self._update()

    def _update(self) -> None:
        self.restore_button.setEnabled(self.chosen is not None and self.confirm.isChecked())

    def submit(self) -> None:
        if self.chosen is None or not self.confirm.isChecked():
            return
        self.restore_button.setEnabled(False)
        self.message.hide()
        self.file_label.setText(f"正在检查并恢复 {self.chosen} …")
        ws, source = self._ws, self.chosen
        self._runner.run(lambda: maintenance.restore(ws, source), self._done, self._failed)

    def _done(self, result: RestoreResult) -> None:
        self.restored.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._update()
        if not isinstance(error, CourtdeskError):
            raise error
        self.message.setText(error.message)
        self.message.show()
