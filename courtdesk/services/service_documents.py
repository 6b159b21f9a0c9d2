"""The printed side of service: 送达回证 for tasks, the postal list and address labels.

- 送达回证 is the notices engine's document (``notices.receipt``, wired to the
  tasks in ``services.notices``, with the task's barcode); here, receipts for a
  selection of tasks at once.
- 邮寄清单: the day's items posted, or a selection of tasks, as a PDF (a notice
  kind with an editable template, ``postal_list``) and as an Excel workbook.
- 地址标签: A4 label sheets (the sheet is the court setting ``service.label_sheet``).

Imported through ``events.SUBSCRIBER_MODULES``, so the postal list kind is wired
wherever notices are printed (the GUI and ``courtdesk notice postal_list --day``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from courtdesk.domain.service import DocumentKind, ServiceMethod, receipt_code
from courtdesk.errors import CourtdeskError, FieldProblem, ValidationError
from courtdesk.notices import labels, postal_list
from courtdesk.notices.base import render
from courtdesk.notices.postal_list import PostalItem, PostalList, postal_list_xlsx
from courtdesk.services import notices, settings
from courtdesk.services import service as svc
from courtdesk.services.notices import GeneratedNotices, NoticeKind, NoticeRequest
from courtdesk.services.permissions import Permission, require
from courtdesk.services.workspace import Workspace
from courtdesk.store import service as store


def _sheet_check(value: str) -> str | None:
    if value in labels.SHEETS:
        return None
    return "只能是 " + "、".join(f"{k}（{s.name}）" for k, s in labels.SHEETS.items())


LABEL_SHEET = settings.declare(
    settings.Setting(
        "service.label_sheet",
        "地址标签纸规格",
        "2x7",
        "text",
        help="；".join(f"{k}：{s.name}" for k, s in labels.SHEETS.items()),
        check=_sheet_check,
        group="送达",
    )
)


# ---------------------------------------------------------------------- 送达回证
def receipts(
    ws: Workspace, task_ids: Sequence[int], issued: date | None = None
) -> GeneratedNotices:
    """The 送达回证 of the chosen tasks, one per task, in one PDF."""
    require(ws.actor, Permission.VIEW_SERVICE)
    if not task_ids:
        raise ValidationError("没有选择送达任务", "tasks")
    return notices.generate(
        ws, "receipt", [NoticeRequest(task_id=task_id, issued=issued) for task_id in task_ids]
    )


# ---------------------------------------------------------------------- 邮寄清单
def _item(task_id: int, row: sqlite3.Row, letter: sqlite3.Row | None) -> PostalItem:
    return PostalItem(
        code=receipt_code(task_id),
        waybill=letter["waybill"] if letter is not None else "",
        recipient=row["recipient_name"],
        address=row["address"],
        phone=row["phone"],
        case_number=row["case_number"],
        document=row["title"] or DocumentKind(row["document"]).label,
        copies=int(row["copies"]),
        posted=letter["attempt_date"] if letter is not None else "",
        method=ServiceMethod(letter["method"]).label if letter is not None else "",
    )


def _postal(ws: Workspace, items: list[PostalItem], day: date | None, title: str) -> PostalList:
    return PostalList(
        court_name=ws.court_name,
        title=title,
        items=tuple(items),
        day=day,
        issued=date.today(),
        court_address=settings.get(ws, "notice.court_address"),
        court_phone=settings.get(ws, "notice.court_phone"),
    )


def postal_list_of_tasks(ws: Workspace, task_ids: Sequence[int]) -> PostalList:
    """The chosen tasks as a postal list, each with the waybill of its latest letter."""
    require(ws.actor, Permission.VIEW_SERVICE)
    if not task_ids:
        raise ValidationError("没有选择送达任务", "tasks")
    with ws.db.snapshot() as conn:
        rows = store.task_rows_by_ids(conn, list(task_ids))
        attempts = store.attempt_rows(conn, list(task_ids))
    letters: dict[int, sqlite3.Row] = {}
    for attempt in attempts:
        if ServiceMethod(attempt["method"]).is_postal:
            letters[int(attempt["task_id"])] = attempt
    items = [_item(int(row["id"]), row, letters.get(int(row["id"]))) for row in rows]
    return _postal(ws, items, None, f"邮寄清单（{date.today().isoformat()}）")


def postal_list_of_day(ws: Workspace, day: date) -> PostalList:
    """Everything posted on ``day`` (邮寄送达 and 法院专递), in the order it was recorded."""
    require(ws.actor, Permission.VIEW_SERVICE)
    rows = store.postal_rows_for_day(ws.db.connection, day)
    items = [_item(int(row["task_id"]), row, row) for row in rows]
    return _postal(ws, items, day, f"邮寄清单（{day.isoformat()}）")


def _gather_day(ws: Workspace, request: NoticeRequest) -> list[PostalList]:
    if request.day is None:
        raise ValidationError("生成邮寄清单须指定交寄日期（--day）", "day")
    return [postal_list_of_day(ws, request.day)]


def postal_list_pdf(ws: Workspace, postal: PostalList) -> bytes:
    """The list as a PDF, in the court's wording of the ``postal_list`` template."""
    require(ws.actor, Permission.PRINT_NOTICES)
    return render(
        postal_list.DEFINITION,
        [postal],
        notices.active_template(ws, "postal_list"),
        notices.page_setup(ws),
        notices.font_stack(ws),
        title=f"{postal.court_name} {postal.title}",
    )


# ---------------------------------------------------------------------- 地址标签
def labels_pdf(ws: Workspace, task_ids: Sequence[int], skip: int = 0) -> bytes:
    """Address labels for the chosen tasks on the court's label sheet, from label ``skip``."""
    require(ws.actor, Permission.PRINT_NOTICES)
    if not task_ids:
        raise ValidationError("没有选择送达任务", "tasks")
    sheet = labels.SHEETS[settings.get(ws, LABEL_SHEET.key)]
    court_address = settings.get(ws, "notice.court_address")
    sender = f"{ws.court_name} {court_address}".strip()
    # One label an envelope: the documents for one recipient at one address in one case.
    envelopes: dict[tuple[str, str, int], list[svc.TaskDetail]] = {}
    for task_id in task_ids:
        task = svc.get_task(ws, task_id)
        envelopes.setdefault((task.recipient_name, task.address, task.case_id), []).append(task)
    items = []
    for group in envelopes.values():
        first = group[0]
        what = first.title if len(group) == 1 else f"{first.title}等{len(group)}份文书"
        items.append(
            labels.AddressLabel(
                postcode=first.postcode,
                address=first.address,
                recipient=first.recipient_name,
                phone=first.phone,
                sender=sender,
                reference=f"{first.case_number} {what}",
                # A single document's receipt code; an envelope of several has one per receipt.
                code=first.code if len(group) == 1 else "",
            )
        )
    return labels.labels_pdf(
        items, sheet, notices.font_stack(ws), f"{ws.court_name} 地址标签", ws.court_name, skip
    )


# ---------------------------------------------------------------------- files
def save(path: Path, data: bytes) -> Path:
    """Write a generated document; a clear message if the folder or disk refuses."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as error:
        raise CourtdeskError(f"无法保存文件 {path}：{error.strerror or error}") from error
    return path


def save_postal_list(ws: Workspace, task_ids: Sequence[int], path: Path) -> Path:
    """The chosen tasks' postal list: PDF or Excel by the file's suffix."""
    postal = postal_list_of_tasks(ws, task_ids)
    if path.suffix.lower() == ".xlsx":
        return save(path, postal_list_xlsx(postal))
    if path.suffix.lower() != ".pdf":
        raise ValidationError([FieldProblem("path", "邮寄清单只能保存为 .pdf 或 .xlsx 文件")])
    return save(path, postal_list_pdf(ws, postal))


notices.register_kind(
    NoticeKind(postal_list.DEFINITION, _gather_day, source="day", per_recipient=False)
)
