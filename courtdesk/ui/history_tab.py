"""操作记录: who changed what in the selected case, and (for the administrator) in the court.

Each row is one audited change: when, who, what was done, and the fields that
changed, named in Chinese, as ``原值 → 新值``.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from courtdesk.errors import CourtdeskError
from courtdesk.services import history, maintenance
from courtdesk.services.cases import CaseDetail
from courtdesk.services.history import HistoryEntry
from courtdesk.services.workspace import Workspace
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import fit_to_screen, named

COLUMNS = ("时间", "操作人", "操作", "内容")
AUDIT_LIMIT = 500  # the audit dialog shows at most this many of the latest changes


class HistoryTable(QTableWidget):
    """A read-only table of history entries, the changes one per line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(COLUMNS)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(True)
        header = self.horizontalHeader()
        char = self.fontMetrics().horizontalAdvance("中")
        for column, width in enumerate((10, 8, 6)):
            self.setColumnWidth(column, char * width + 12)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.entries: list[HistoryEntry] = []

    def fill(self, entries: list[HistoryEntry]) -> None:
        self.entries = entries
        self.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            lines = _entry_lines(entry)
            for column, text in enumerate((entry.at, entry.who, entry.action, "\n".join(lines))):
                self.setItem(row, column, QTableWidgetItem(text))
        self.resizeRowsToContents()

    def text_of(self, row: int) -> str:
        return " | ".join(
            item.text() if (item := self.item(row, c)) is not None else ""
            for c in range(self.columnCount())
        )


def _entry_lines(entry: HistoryEntry) -> list[str]:
    lines = [entry.what + "：" if entry.changes else entry.what]
    for change in entry.changes:
        if change.old is None:
            lines.append(f"　{change.field}：{change.new}")
        else:
            lines.append(f"　{change.field}：{change.old} → {change.new}")
    return lines


class HistoryView(QTextBrowser):
    """History entries as short paragraphs: fits the narrow case panel, wraps long values."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.entries: list[HistoryEntry] = []

    def fill(self, entries: list[HistoryEntry]) -> None:
        self.entries = entries
        e = html.escape
        blocks = []
        for entry in entries:
            changes = "".join(
                f"<div style='margin-left:1em'>{e(line.strip())}</div>"
                for line in _entry_lines(entry)[1:]
            )
            blocks.append(
                "<div style='margin:4px 0 8px 0'>"
                f"<span style='color:#666'>{e(entry.at[:16])}</span>　"
                f"<b>{e(entry.who)}</b>　<span style='color:#1a5fb4'>{e(entry.action)}</span>"
                f"<div>{e(entry.what)}</div>{changes}</div>"
            )
        self.setHtml("".join(blocks))

    def rowCount(self) -> int:
        return len(self.entries)

    def text_of(self, row: int) -> str:
        entry = self.entries[row]
        return " | ".join([entry.at, entry.who, entry.action, "\n".join(_entry_lines(entry))])


class CaseHistoryTab(QWidget):
    """The 操作记录 tab of the selected case (loads in the background)."""

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseHistory")
        self._ws = ws
        self._runner = runner
        self._case_id: int | None = None
        self.status = named(QLabel(), "historyStatus")
        self.status.setWordWrap(True)
        self.table = named(HistoryView(), "historyView")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        self.clear_case()

    @property
    def loaded_case_id(self) -> int | None:
        return self._case_id if self.status.text() != "正在读取操作记录…" else None

    def clear_case(self, text: str = "选择一件案件以查看其操作记录") -> None:
        self._case_id = None
        self.table.fill([])
        self.status.setText(text)

    def show_case(self, case: CaseDetail) -> None:
        self._case_id = case.id
        self.status.setText("正在读取操作记录…")
        ws, case_id = self._ws, case.id
        self._runner.run(
            lambda: history.case_history(ws, case_id),
            lambda entries: self._show(case_id, entries),
            lambda error: self._failed(case_id, error),
        )

    def _show(self, case_id: int, entries: list[HistoryEntry]) -> None:
        if case_id != self._case_id:
            return  # another case was selected meanwhile
        self.table.fill(entries)
        self.status.setText(f"共 {len(entries)} 条操作记录（最早的在上）")

    def _failed(self, case_id: int, error: BaseException) -> None:
        if case_id != self._case_id:
            return
        if not isinstance(error, CourtdeskError):
            raise error
        self.table.fill([])
        self.status.setText(error.message)


class AuditDialog(QDialog):
    """全院操作记录 and the database check, for the administrator and the president."""

    def __init__(
        self,
        ws: Workspace,
        runner: TaskRunner,
        on_error: Callable[[BaseException], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("auditDialog")
        self.setWindowTitle("全院操作记录与数据库检查")
        self._ws = ws
        self._runner = runner
        self._on_error = on_error
        self.table = named(HistoryTable(), "auditTable")
        self.report = named(QPlainTextEdit(), "checkReport")
        self.report.setReadOnly(True)
        self.report.setPlaceholderText("点击“检查数据库”核对完整性与操作记录哈希链")
        self.report.setMaximumHeight(self.fontMetrics().height() * 9)
        self.check_button = named(QPushButton("检查数据库"), "checkButton")
        self.check_button.clicked.connect(self.run_check)
        self.status = named(QLabel("正在读取…"), "auditStatus")
        self.heading = named(QLabel("正在读取操作记录…"), "auditHeading")
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.check_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.report)
        layout.addLayout(buttons)
        char = self.fontMetrics().horizontalAdvance("中")
        fit_to_screen(self, char * 80, char * 44)
        self.checked = False
        # One more than is shown, to know whether older changes are left out.
        limit = AUDIT_LIMIT
        runner.run(lambda: history.recent(ws, limit + 1), lambda e: self._fill(e, limit), on_error)

    def _fill(self, entries: list[HistoryEntry], limit: int) -> None:
        shown = entries[:limit]
        self.table.fill(shown)
        if len(entries) <= limit:
            self.heading.setText(f"全院操作记录共 {len(shown)} 条（最新的在上）")
        else:
            self.heading.setText(f"最近 {limit} 条操作记录（最新的在上，更早的未显示）")
        self.status.setText(f"已显示 {len(shown)} 条")

    def run_check(self) -> None:
        self.check_button.setEnabled(False)
        self.report.setPlainText("正在检查（大型数据库需要一些时间）…")
        path = self._ws.path
        self._runner.run(
            lambda: maintenance.report_lines(maintenance.check_file(path)),
            self._checked,
            self._check_failed,
        )

    def _checked(self, lines: list[str]) -> None:
        self.check_button.setEnabled(True)
        self.report.setPlainText("\n".join(lines))
        self.checked = True

    def _check_failed(self, error: BaseException) -> None:
        self.check_button.setEnabled(True)
        if isinstance(error, CourtdeskError):
            self.report.setPlainText(error.message)
            self.checked = True
        else:
            self._on_error(error)
