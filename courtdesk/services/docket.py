"""The docket (案件列表): counts and pages of cases, filtered and sorted in SQL."""

from __future__ import annotations

from courtdesk.services.permissions import Permission, require, viewer
from courtdesk.services.workspace import Workspace
from courtdesk.store import docket as docket_store
from courtdesk.store.docket import DocketFilter, DocketRow, SortKey

__all__ = ["DocketFilter", "DocketRow", "SortKey", "count", "page"]


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
