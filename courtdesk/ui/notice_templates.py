"""文书模板 and 文书设置: the court administrator's editors for notice wording and layout.

The template editor shows one kind at a time: its text (sections in 【】, values in
{}), the sections and placeholders it may use (double-click inserts one at the
cursor), a preview with a made-up case, saving (checked first; a problem is shown
under the text, which stays as typed) and going back to the shipped wording.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from courtdesk.errors import CourtdeskError, FieldProblem, ValidationError
from courtdesk.services import notices
from courtdesk.services import settings as settings_service
from courtdesk.services.notices import TemplateInfo
from courtdesk.services.workspace import Workspace
from courtdesk.ui.notice_print import show_pdf
from courtdesk.ui.pdf_preview import pdf_view
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import fit_to_screen, named


class TemplateEditorDialog(QDialog):
    saved = Signal(object)  # TemplateInfo
    previewed = Signal()

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templateEditor")
        self.setWindowTitle("文书模板")
        self.ws = ws
        self.runner = runner
        self.info: TemplateInfo | None = None

        self.kinds = named(QListWidget(), "templateKinds")
        for notice_kind in notices.kinds():
            item = QListWidgetItem(notice_kind.title)
            item.setData(Qt.ItemDataRole.UserRole, notice_kind.key)
            self.kinds.addItem(item)
        char = self.fontMetrics().horizontalAdvance("中")
        self.kinds.setFixedWidth(char * 10)

        self.status = named(QLabel(), "templateStatus")
        self.editor = named(QPlainTextEdit(), "templateText")
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.problems = named(QLabel(), "templateProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020;")
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fields = named(QListWidget(), "templateFields")
        self.fields.setToolTip("双击插入到光标处")
        self.sections = named(QLabel(), "templateSections")
        self.sections.setWordWrap(True)

        self.document, self.preview = pdf_view(self, "templatePreview")
        self._buffer: QBuffer | None = None

        self.save_button = named(QPushButton("保存(&S)"), "templateSave")
        self.reset_button = named(QPushButton("恢复默认(&D)"), "templateReset")
        self.preview_button = named(QPushButton("预览(&V)"), "templatePreviewButton")
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)

        help_panel = QWidget()
        help_layout = QVBoxLayout(help_panel)
        help_layout.setContentsMargins(0, 0, 0, 0)
        help_layout.addWidget(QLabel("可用的节"))
        help_layout.addWidget(self.sections)
        help_layout.addWidget(QLabel("可用的占位符（双击插入）"))
        help_layout.addWidget(self.fields, 1)

        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.status)
        middle_layout.addWidget(self.editor, 3)
        middle_layout.addWidget(self.problems)
        middle_layout.addWidget(help_panel, 2)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(middle)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        body = QHBoxLayout()
        body.addWidget(self.kinds)
        body.addWidget(splitter, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)
        fit_to_screen(self, char * 100, char * 56)

        self.kinds.currentRowChanged.connect(lambda _row: self.load())
        self.fields.itemDoubleClicked.connect(self._insert_field)
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.confirm_reset)
        self.preview_button.clicked.connect(self.show_preview)
        self.kinds.setCurrentRow(0)

    @property
    def kind_key(self) -> str:
        item = self.kinds.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else ""

    def load(self) -> None:
        ws, key = self.ws, self.kind_key
        self.problems.clear()
        self.runner.run(lambda: notices.template_info(ws, key), self._show, self._failed)

    def _show(self, info: TemplateInfo) -> None:
        if info.kind != self.kind_key:
            return
        self.info = info
        self.editor.setPlainText(info.text)
        self.status.setText(
            "随程序附带的默认措辞"
            if info.is_default
            else f"本院修改的措辞（{info.updated_by}，{info.updated_at[:16].replace('T', ' ')}）"
        )
        self.sections.setText("　".join(f"【{name}】{role}" for name, role in info.sections))
        self.fields.clear()
        for name, help_text, required in info.fields:
            item = QListWidgetItem(f"{{{name}}}　{help_text}" + ("" if required else "（可空）"))
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.fields.addItem(item)
        self.show_preview()

    def _insert_field(self, item: QListWidgetItem) -> None:
        self.editor.insertPlainText("{" + str(item.data(Qt.ItemDataRole.UserRole)) + "}")
        self.editor.setFocus()

    def show_preview(self) -> None:
        self.problems.clear()
        ws, key, text = self.ws, self.kind_key, self.editor.toPlainText()
        self.runner.run(
            lambda: notices.preview_template(ws, key, text), self._previewed, self._failed
        )

    def _previewed(self, pdf: bytes) -> None:
        # problems are not cleared here: a preview may finish after a refused save
        self._buffer = show_pdf(self.document, pdf, self, self._buffer)
        self.previewed.emit()

    def save(self) -> None:
        if self.info is None:
            return
        self.problems.clear()
        ws, key, text, version = (
            self.ws,
            self.kind_key,
            self.editor.toPlainText(),
            self.info.version,
        )

        def done(info: TemplateInfo) -> None:
            self._show(info)
            self.status.setText(self.status.text() + "　已保存")
            self.saved.emit(info)

        self.runner.run(lambda: notices.save_template(ws, key, text, version), done, self._failed)

    def confirm_reset(self) -> None:
        answer = QMessageBox.question(
            self, "恢复默认", "放弃本院修改的措辞，恢复为随程序附带的默认措辞？"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.reset()

    def reset(self) -> None:
        ws, key = self.ws, self.kind_key
        self.runner.run(lambda: notices.reset_template(ws, key), self._show, self._failed)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, CourtdeskError):
            self.problems.setText(error.message.replace("；", "\n"))
        else:
            self.runner.unhandled.emit(error)


class NoticeSettingsDialog(QDialog):
    """文书设置: margins, fonts, contact lines, 举证期限 and the fee account (group 文书)."""

    saved = Signal()

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeSettings")
        self.setWindowTitle("文书设置")
        self.ws = ws
        self.runner = runner
        self.editors: dict[str, Any] = {}
        self.form = QFormLayout()
        for setting in settings_service.declared():
            if setting.group != notices.GROUP:
                continue
            editor: QWidget
            if setting.kind == "int":
                spin = QSpinBox()
                spin.setRange(0, 999)
                editor = spin
            else:
                line = QLineEdit()
                editor = line
                if setting.kind == "path":
                    row = QWidget()
                    row_layout = QHBoxLayout(row)
                    row_layout.setContentsMargins(0, 0, 0, 0)
                    row_layout.addWidget(line, 1)
                    browse = QPushButton("选择…")
                    browse.clicked.connect(lambda _=False, target=line: self._browse(target))
                    row_layout.addWidget(browse)
                    editor.setToolTip(setting.help)
                    self.form.addRow(setting.label, row)
                    self.editors[setting.key] = line
                    continue
            editor.setToolTip(setting.help)
            self.editors[setting.key] = editor
            self.form.addRow(setting.label, editor)
        self.problems = named(QLabel(), "noticeSettingsProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020;")
        save = named(QPushButton("保存(&S)"), "noticeSettingsSave")
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        save.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(save)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problems)
        layout.addLayout(buttons)
        self._loaded: dict[str, str] = {}
        ws_ = ws
        keys = list(self.editors)
        runner.run(
            lambda: {k: settings_service.get(ws_, k) for k in keys}, self._fill, self._failed
        )

    def _browse(self, target: QLineEdit) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "选择字体文件", target.text(), "TrueType 字体 (*.ttf *.ttc)"
        )
        if path:
            target.setText(path)

    def _fill(self, values: dict[str, str]) -> None:
        self._loaded = values
        for key, value in values.items():
            editor = self.editors[key]
            if isinstance(editor, QSpinBox):
                editor.setValue(int(value))
            else:
                editor.setText(value)

    def values(self) -> dict[str, str]:
        return {
            key: str(editor.value()) if isinstance(editor, QSpinBox) else editor.text().strip()
            for key, editor in self.editors.items()
        }

    def save(self) -> None:
        ws = self.ws
        changed = {k: v for k, v in self.values().items() if self._loaded.get(k) != v}

        def store() -> dict[str, str]:
            # every value is checked before any is stored: a bad one stores nothing
            problems: list[FieldProblem] = []
            for key, value in changed.items():
                try:
                    settings_service.validate(key, value)
                except ValidationError as error:
                    problems += error.problems
            if problems:
                raise ValidationError(problems)
            for key, value in changed.items():
                settings_service.put(ws, key, value)
            return changed

        def done(stored: dict[str, str]) -> None:
            self._loaded.update(stored)
            self.problems.setStyleSheet("")
            self.problems.setText(f"已保存 {len(stored)} 项设置" if stored else "没有改动")
            self.saved.emit()

        self.runner.run(store, done, self._failed)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, CourtdeskError):
            self.problems.setStyleSheet("color: #b00020;")
            self.problems.setText(error.message)
        else:
            self.runner.unhandled.emit(error)
