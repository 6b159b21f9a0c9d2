"""The administrator's 设置 dialog: every setting declared through ``services.settings``.

Settings are grouped (one tab per group) and edited with a widget fitting their
kind: a check box for yes/no, a folder chooser for paths, a text field otherwise.
Other features' settings appear here as soon as they are declared; nothing in
this dialog names a particular setting. Saving checks every value first and
stores all or none; a refused value is explained beside its field and kept as typed.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from courtdesk.errors import CourtdeskError, ValidationError
from courtdesk.services import settings
from courtdesk.services.settings import Setting
from courtdesk.services.workspace import Workspace
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import fit_to_screen, named

ERROR_STYLE = "color:#b3261e;"
INVALID_STYLE = "border: 1px solid #b3261e; background: #fdecea;"


class _Field:
    """One setting's editor, its help and its problem label."""

    def __init__(self, setting: Setting, parent: QWidget) -> None:
        self.setting = setting
        self.problem = named(QLabel(), f"problem_{setting.key}")
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.check: QCheckBox | None = None
        self.edit: QLineEdit | None = None
        if setting.kind == "bool":
            self.check = named(QCheckBox(setting.label), f"setting_{setting.key}")
            self.widget: QWidget = self.check
        else:
            self.edit = named(QLineEdit(), f"setting_{setting.key}")
            if setting.kind == "path":
                self.edit.setPlaceholderText("留空使用默认位置")
                browse = named(QPushButton("选择…"), f"browse_{setting.key}")
                browse.clicked.connect(lambda: self._browse(parent))
                row = QWidget()
                box = QHBoxLayout(row)
                box.setContentsMargins(0, 0, 0, 0)
                box.addWidget(self.edit, 1)
                box.addWidget(browse)
                self.widget = row
            else:
                if setting.kind == "int":
                    char = self.edit.fontMetrics().horizontalAdvance("0")
                    self.edit.setMaximumWidth(char * 12 + 16)
                self.widget = self.edit
        self.widget.setToolTip(setting.help)

    def _browse(self, parent: QWidget) -> None:
        assert self.edit is not None
        folder = QFileDialog.getExistingDirectory(parent, self.setting.label, self.edit.text())
        if folder:
            self.edit.setText(folder)

    def set_value(self, value: str) -> None:
        if self.check is not None:
            self.check.setChecked(value == "1")
        elif self.edit is not None:
            self.edit.setText(value)

    def value(self) -> str:
        if self.check is not None:
            return "1" if self.check.isChecked() else "0"
        assert self.edit is not None
        return self.edit.text()

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        target = self.edit or self.check
        if target is not None:
            target.setStyleSheet(INVALID_STYLE if text else "")


class SettingsDialog(QDialog):
    saved = Signal(list)  # keys that changed

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("设置")
        self._ws = ws
        self._runner = runner
        self.fields: dict[str, _Field] = {}
        self.tabs = named(QTabWidget(), "settingsTabs")
        groups: dict[str, QFormLayout] = {}
        for setting in settings.declared():
            form = groups.get(setting.group)
            if form is None:
                page = QWidget()
                form = QFormLayout(page)
                form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
                scroll = QScrollArea()
                scroll.setWidgetResizable(True)
                scroll.setWidget(page)
                self.tabs.addTab(scroll, setting.group)
                groups[setting.group] = form
            field = _Field(setting, self)
            self.fields[setting.key] = field
            form.addRow("" if setting.kind == "bool" else setting.label, field.widget)
            if setting.help and setting.kind != "bool":
                help_label = QLabel(setting.help)
                help_label.setWordWrap(True)
                help_label.setStyleSheet("color:#666")
                form.addRow("", help_label)
            form.addRow("", field.problem)
        self.message = named(QLabel(), "messageLabel")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#b3261e; background:#fdecea; padding:6px;")
        self.message.hide()
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveButton")
        self.save_button.setEnabled(False)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        char = self.fontMetrics().horizontalAdvance("中")
        fit_to_screen(self, char * 46, char * 30)
        self.loaded = False
        self._runner.run(lambda: settings.current(ws), self._fill, self._failed)

    def _fill(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            if key in self.fields:
                self.fields[key].set_value(value)
        self.loaded = True
        self.save_button.setEnabled(True)

    def values(self) -> dict[str, str]:
        return {key: field.value() for key, field in self.fields.items()}

    def submit(self) -> None:
        for field in self.fields.values():
            field.show_problem("")
        self.message.hide()
        self.save_button.setEnabled(False)
        ws, values = self._ws, self.values()
        self._runner.run(lambda: settings.put_many(ws, values), self._done, self._failed)

    def _done(self, changed: list[str]) -> None:
        self.saved.emit(changed)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(self.loaded)
        if isinstance(error, ValidationError):
            first_tab = None
            for problem in error.problems:
                field = self.fields.get(problem.field)
                if field is None:
                    continue
                field.show_problem(problem.message)
                if first_tab is None:
                    first_tab = field.setting.group
            self.message.setText(
                "未保存，请修改标红的设置：\n" + "\n".join(p.message for p in error.problems)
            )
            self.message.show()
            if first_tab is not None:
                for index in range(self.tabs.count()):
                    if self.tabs.tabText(index) == first_tab:
                        self.tabs.setCurrentIndex(index)
        elif isinstance(error, CourtdeskError):
            self.message.setText(error.message)
            self.message.show()
        else:
            raise error
