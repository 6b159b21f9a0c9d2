"""The selected case's 分案 tab: who hears it now, and every earlier assignment."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from courtdesk.domain.case_status import CaseStatus
from courtdesk.services import assignment
from courtdesk.services.assignment import AssignmentView
from courtdesk.services.cases import CaseDetail
from courtdesk.services.permissions import Permission, allowed
from courtdesk.services.workspace import Workspace
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import if_alive, named


class AssignmentTab(QWidget):
    assign_requested = Signal(int)  # case id
    error = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assignmentTab")
        self._ws = ws
        self._runner = runner
        self.case: CaseDetail | None = None
        self.text = named(QTextBrowser(), "assignmentHistory")
        self.button = named(QPushButton("分案…"), "assignButton")
        self.button.setToolTip("分案或改派（Ctrl+D）")
        self.button.clicked.connect(self._request)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)
        self.clear_case()

    def clear_case(self, text: str = "选择一件案件以查看分案记录") -> None:
        self.case = None
        self.button.setEnabled(False)
        self.text.setHtml(f"<p style='color:#666'>{html.escape(text)}</p>")

    def show_case(self, case: CaseDetail) -> None:
        self.case = case
        is_open = CaseStatus(case.status).is_open
        self.button.setEnabled(is_open and allowed(self._ws.actor, Permission.ASSIGN_CASE))
        self.button.setText("改派…" if case.presiding_judge_id else "分案…")
        ws, case_id = self._ws, case.id
        self._runner.run(
            lambda: assignment.history(ws, case_id),
            if_alive(self, lambda views: self._show(case_id, views)),
            if_alive(self, self.error.emit),
        )

    def _show(self, case_id: int, views: list[AssignmentView]) -> None:
        if self.case is None or self.case.id != case_id:
            return  # another case was selected meanwhile
        e = html.escape
        if not views:
            self.text.setHtml("<p>尚未分案。</p>")
            return
        parts = []
        for view in views:
            title = "现分案" if view.is_current else f"已于 {e(view.ended_at or '')[:10]} 改派"
            lines = [
                f"<b>{title}</b>　{e(view.assigned_at[:16].replace('T', ' '))}"
                f"　{e(view.method.label)}　经办：{e(view.assigned_by or '系统')}",
                f"承办人：{e(view.presiding_judge)}　书记员：{e(view.clerk or '未指定')}"
                + (f"　部门：{e(view.division)}" if view.division else ""),
                e(view.bench_text),
            ]
            if view.reason:
                lines.append(f"理由：{e(view.reason)}")
            colour = "#000" if view.is_current else "#666"
            parts.append(f"<p style='margin:6px 0;color:{colour}'>" + "<br>".join(lines) + "</p>")
        self.text.setHtml("".join(parts))

    def _request(self) -> None:
        if self.case is not None:
            self.assign_requested.emit(self.case.id)
