"""The docket (案件列表): counts and pages of cases, filtered and sorted in SQL."""

from __future__ import annotations

from courtdesk.domain.case_status import OPEN_STATUSES, CaseStatus
from courtdesk.domain.case_types import Category, default_catalog
from courtdesk.services.permissions import Permission, require, viewer
from courtdesk.services.workspace import Workspace
from courtdesk.store import court
from courtdesk.store import docket as docket_store
from courtdesk.store.docket import DocketFilter, DocketRow, SortKey

__all__ = [
    "OPEN_STATUSES",
    "DocketFilter",
    "DocketRow",
    "SortKey",
    "count",
    "describe_filter",
    "page",
    "position",
]


def count(ws: Workspace, flt: DocketFilter) -> int:
    require(ws.actor, Permission.VIEW_CASES)
    return docket_store.count(ws.db.connection, flt, viewer(ws.actor))


def page(
    ws: Workspace, flt: DocketFilter, sort: SortKey, descending: bool, offset: int, limit: int
) -> list[DocketRow]:
    require(ws.actor, Permission.VIEW_CASES)
    return docket_store.page(
        ws.db.connection, flt, sort, descending, offset, limit, viewer(ws.actor)
    )


def position(
    ws: Workspace, flt: DocketFilter, sort: SortKey, descending: bool, case_id: int
) -> int | None:
    """The row of a case in the filtered, sorted docket (None if the filter hides it)."""
    require(ws.actor, Permission.VIEW_CASES)
    with ws.db.snapshot() as conn:
        return docket_store.position(conn, flt, sort, descending, case_id, viewer(ws.actor))


def describe_filter(ws: Workspace, flt: DocketFilter) -> str:
    """The filter in words, for export headers: ``类型：民初（民事一审）；状态：未结案件``."""
    require(ws.actor, Permission.VIEW_CASES)
    conn = ws.db.connection
    parts: list[str] = []
    catalog = default_catalog()
    if flt.categories:
        parts.append("类别：" + "、".join(Category(c).label for c in flt.categories))
    if flt.type_codes:
        names = []
        for code in flt.type_codes:
            case_type = catalog.get(code)
            names.append(f"{code}（{case_type.name}）" if case_type else code)
        parts.append("类型：" + "、".join(names))
    if flt.statuses:
        if set(flt.statuses) == set(OPEN_STATUSES):
            parts.append("状态：未结案件")
        else:
            parts.append("状态：" + "、".join(CaseStatus(s).label for s in flt.statuses))
    for label, user_id in (("承办人", flt.judge_id), ("书记员", flt.clerk_id)):
        if user_id is not None:
            user = court.user_by_id(conn, user_id)
            parts.append(f"{label}：{user['display_name'] if user else user_id}")
    if flt.division_id is not None:
        names_by_id = {int(d["id"]): str(d["name"]) for d in court.divisions(conn)}
        parts.append(f"部门：{names_by_id.get(flt.division_id, flt.division_id)}")
    if flt.filed_from or flt.filed_to:
        start = flt.filed_from.isoformat() if flt.filed_from else "不限"
        end = flt.filed_to.isoformat() if flt.filed_to else "不限"
        parts.append(f"立案日期：{start} 至 {end}")
    if flt.text.strip():
        # on one line: a pasted line break (or a lone CR, which the workbook's XML turns
        # into LF when read back) would split the export's header cell
        parts.append(f"搜索：“{' '.join(flt.text.split())}”")
    return "；".join(parts) if parts else "全部案件"
