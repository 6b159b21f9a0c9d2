"""送达回证: the service receipt the recipient signs (民诉法 §87; domain-rules.md section 4).

Fields: court; title; 案由; 案号; the documents served and their number; the
recipient; the address; signature or seal and date; proxy recipient and reason;
remarks; issuer; server. The service task's number is printed as a Code 128
barcode at the top, so the returned receipt is booked by scanning it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from courtdesk.notices.base import (
    CaseFacts,
    NoticeDefinition,
    Recipient,
    common_values,
    date_text,
    with_fields,
)
from courtdesk.notices.template import Field, TemplateSpec


@dataclass(frozen=True)
class ReceiptData:
    case: CaseFacts
    recipient: Recipient
    issued: date
    task_code: str  # the service task's number, printed as the barcode
    documents: tuple[tuple[str, int], ...]  # (document title, copies)
    method: str = ""  # 直接送达, 邮寄送达 …
    issuer: str = ""  # 签发人
    server: str = ""  # 送达人
    remarks: str = ""


SPEC = TemplateSpec(
    kind="receipt",
    title="送达回证",
    sections=("标题", "表格", "注意事项"),
    fields=with_fields(
        Field("送达文书", "送达的文书名称及件数", hint="送达任务没有列出文书"),
        Field("送达方式", "送达方式", required=False),
        Field("签发人", "签发人", required=False),
        Field("签发日期", "签发日期"),
        Field("送达人", "送达人", required=False),
        Field("备注", "备注", required=False),
        Field("条码号", "送达任务的条码号"),
        optional=("书记员",),
    ),
    required_sections=("标题", "表格"),
    essential=("受送达人", "送达地址", "送达文书"),
)


def values(data: ReceiptData) -> dict[str, str]:
    documents = "、".join(f"{title}{copies}份" for title, copies in data.documents)
    return common_values(data.case, data.recipient, data.issued) | {
        "送达文书": documents,
        "送达方式": data.method,
        "签发人": data.issuer,
        "签发日期": date_text(data.issued),
        "送达人": data.server,
        "备注": data.remarks,
        "条码号": data.task_code,
    }


DEFINITION = NoticeDefinition(
    SPEC,
    values,
    closing=False,
    barcode=lambda data: data.task_code,
    notes_heading="说明：",
    label_chars=7,
    number_line=False,
)
