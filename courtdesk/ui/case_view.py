"""The selected case, in tabs: 概要 here; features add their own tabs (hearings, service …).

A tab is any widget with ``show_case(detail)`` and ``clear_case(text)``; each tab
fetches what it needs for the case itself, through its own services, in the
background. When the docket opens a case it reads the 开庭, 送达 and 审限 parts
together with the case (``case_file.open_case``); a tab with ``show_opened(file, read)``
is then shown from that file instead of reading again, unless a read of its own
started after the file's (``tasks.next_read``) has been asked for.
"""

from __future__ import annotations

import html
from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QTextBrowser, QWidget

from courtdesk.services.case_file import CaseFile
from courtdesk.services.cases import CaseDetail
from courtdesk.services.permissions import Permission, allowed
from courtdesk.services.workspace import Workspace
from courtdesk.ui.assignment_tab import AssignmentTab
from courtdesk.ui.history_tab import CaseHistoryTab
from courtdesk.ui.service_case_tab import ServiceCaseTab
from courtdesk.ui.tasks import TaskRunner


class CaseTab(Protocol):
    def show_case(self, case: CaseDetail) -> None: ...

    def clear_case(self, text: str = ...) -> None: ...


def feature_tabs(ws: Workspace, runner: TaskRunner) -> list[tuple[str, QWidget]]:
    """Tabs that features add beside 概要, in order. Each feature adds its line here."""
    from courtdesk.ui.hearings_tab import CaseHearingsTab
    from courtdesk.ui.notice_tab import NoticesTab
    from courtdesk.ui.time_limit_tab import TimeLimitTab

    tabs: list[tuple[str, QWidget]] = [
        ("分案", AssignmentTab(ws, runner)),
        ("开庭", CaseHearingsTab(ws, runner)),
        ("审限", TimeLimitTab(ws, runner)),
    ]
    if allowed(ws.actor, Permission.VIEW_SERVICE):
        tabs.append(("送达", ServiceCaseTab(ws, runner)))
    tabs.append(("文书", NoticesTab(ws, runner)))
    tabs.append(("操作记录", CaseHistoryTab(ws, runner)))
    return tabs


class CaseSummaryTab(QTextBrowser):
    """The selected case: number, cause, people, dates and every party with agents."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseSummary")
        self.setOpenExternalLinks(False)
        self.setMinimumWidth(300)
        self.clear_case()
        self.case: CaseDetail | None = None

    def clear_case(self, text: str = "选择一件案件以查看详情") -> None:
        self.case = None
        self.setHtml(f"<p style='color:#666'>{html.escape(text)}</p>")

    def show_case(self, case: CaseDetail) -> None:
        self.case = case
        e = html.escape
        rows = [
            ("案由", case.cause),
            ("类型", f"{case.type_name}（{case.procedure_label}）"),
            ("状态", case.status_label),
            ("立案日期", case.filing_date),
            ("审限届满日", case.time_limit_expiry or "—"),
            ("承办人", case.presiding_judge or "未分配"),
            ("书记员", case.clerk or "未分配"),
            ("承办部门", case.division or "—"),
        ]
        if case.amount_claimed is not None:
            rows.append(("诉讼标的额", f"{case.amount_claimed} 元"))
        if case.is_private:
            rows.append(("审理方式", "不公开审理"))
        table = "".join(
            f"<tr><td style='color:#555;padding-right:12px'>{e(k)}</td><td>{e(v)}</td></tr>"
            for k, v in rows
        )
        parties = []
        for party in case.parties:
            lines = [f"<b>{e(party.role)}</b>：{e(party.name)}"]
            if party.kind == "person":
                facts = "，".join(x for x in (party.sex, party.birth_date or "") if x)
                if facts:
                    lines.append(e(facts))
                if party.id_number:
                    lines.append(f"身份证号：{e(party.id_number)}")
            else:
                if party.legal_representative:
                    lines.append(f"法定代表人：{e(party.legal_representative)}")
                if party.credit_code:
                    lines.append(f"统一社会信用代码：{e(party.credit_code)}")
            if party.phone:
                lines.append(f"电话：{e(party.phone)}")
            if party.address:
                lines.append(f"地址：{e(party.address)}")
            for agent in party.agents:
                where = agent.law_firm or agent.kind
                lines.append(f"代理人：{e(agent.name)}（{e(where)}）")
            parties.append("<p style='margin:6px 0'>" + "<br>".join(lines) + "</p>")
        self.setHtml(
            f"<h3 style='margin:0'>{e(case.case_number)}</h3>"
            f"<table style='margin-top:6px'>{table}</table>"
            f"<h4 style='margin:10px 0 0 0'>当事人</h4>{''.join(parties)}"
        )


class CaseDetailView(QTabWidget):
    """概要 plus the feature tabs, all following the selected case.

    A tab that changes the case (an extension approved, the case closed …) may
    have a ``case_changed(int)`` signal; the view passes it on, so the docket
    reloads the row and every tab shows the case as it now is.
    """

    case_changed = Signal(int)

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseDetail")
        self.summary = CaseSummaryTab()
        self.addTab(self.summary, "概要")
        self.tabs: list[QWidget] = [self.summary]
        for title, tab in feature_tabs(ws, runner):
            self.addTab(tab, title)
            self.tabs.append(tab)
            changed = getattr(tab, "case_changed", None)
            if changed is not None:
                changed.connect(self.case_changed)

    @property
    def case(self) -> CaseDetail | None:
        return self.summary.case

    def show_case(self, case: CaseDetail, opened: CaseFile | None = None, read: int = 0) -> None:
        """Show ``case`` in every tab; ``opened`` is the case file read as number ``read``
        (``tasks.next_read``), shown by the tabs it covers."""
        for tab in self.tabs:
            show_opened = getattr(tab, "show_opened", None)
            if opened is not None and show_opened is not None:
                show_opened(opened, read)
            else:
                tab.show_case(case)  # type: ignore[attr-defined]

    def clear_case(self, text: str = "选择一件案件以查看详情") -> None:
        for tab in self.tabs:
            tab.clear_case(text)  # type: ignore[attr-defined]

    def toPlainText(self) -> str:
        return self.summary.toPlainText()
