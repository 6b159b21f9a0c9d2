"""Saving a notice as a PDF from a view: ask where, then render and write in the background."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from courtdesk.errors import CourtdeskError
from courtdesk.services import notices
from courtdesk.services.notices import GeneratedNotices, NoticeRequest
from courtdesk.services.workspace import Workspace
from courtdesk.ui.tasks import TaskRunner


def save_notice_pdf(
    parent: QWidget,
    ws: Workspace,
    runner: TaskRunner,
    kind: str,
    requests: Sequence[NoticeRequest],
    suggested_name: str,
    done: Callable[[str], None],
    failed: Callable[[BaseException], None],
) -> bool:
    """Ask for a file name, then generate ``kind`` for ``requests`` into it.

    ``done`` gets a sentence for the status bar; returns False when the user
    cancelled the file dialog.
    """
    start = str(Path.home() / suggested_name)
    path, _ = QFileDialog.getSaveFileName(parent, "保存 PDF", start, "PDF 文件 (*.pdf)")
    if not path:
        return False
    target = Path(path if path.lower().endswith(".pdf") else f"{path}.pdf")

    def work() -> GeneratedNotices:
        result = notices.generate(ws, kind, list(requests))
        try:
            target.write_bytes(result.pdf)
        except OSError as error:
            raise CourtdeskError(f"无法写入文件 {target}：{error.strerror or error}") from error
        return result

    runner.run(
        work,
        lambda result: done(f"已生成{result.title} {result.documents} 份：{target}"),
        failed,
    )
    return True
