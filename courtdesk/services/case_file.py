"""Opening a case: everything the case view shows, read together.

Selecting a case in the docket shows its 概要, 开庭, 送达 and 审限 tabs at once.
Read tab by tab, that is four snapshots, four permission checks (each reading the
case and its panel) and the parties and agents twice. ``open_case`` reads them in
one snapshot with one check, so the tabs also agree with each other: a hearing
scheduled by another clerk in between cannot show on one tab and be missing from
the service it caused on the next. Each tab still reloads itself through its own
service after a change made on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from courtdesk.errors import NotFoundError
from courtdesk.services import cases, hearings, time_limits
from courtdesk.services import service as svc
from courtdesk.services.cases import CaseDetail
from courtdesk.services.hearings import HearingView
from courtdesk.services.permissions import (
    Permission,
    allowed,
    can,
    case_access_of,
    require,
    require_case,
)
from courtdesk.services.service import PartyService
from courtdesk.services.time_limits import CaseTimeLimit
from courtdesk.services.workspace import Workspace
from courtdesk.store import cases as case_store


@dataclass(frozen=True)
class CaseFile:
    """A case as its view opens it: each part as its own tab's service returns it."""

    detail: CaseDetail
    hearings: list[HearingView]
    time_limit: CaseTimeLimit
    # None when the reader may not see this case's service (the 送达 tab then asks
    # its own service, which says why).
    service: list[PartyService] | None


def open_case(ws: Workspace, case_id: int, today: date | None = None) -> CaseFile:
    """The case with its parties and agents, its hearings, its service and its 审限."""
    require(ws.actor, Permission.VIEW_CASES)
    today = today or date.today()
    sees_service = allowed(ws.actor, Permission.VIEW_SERVICE)
    if sees_service:
        # A 公告 whose period ran out is served from today on: settled (a write of
        # its own) before the snapshot, as the service desk does.
        svc.settle_public_notices(ws, today)
    with ws.db.snapshot() as conn:
        row = case_store.case_row(conn, case_id)
        if row is None:
            raise NotFoundError(f"编号为 {case_id} 的案件不存在")
        access = require_case(ws.actor, Permission.VIEW_CASES, case_access_of(conn, row))
        parties = case_store.party_rows(conn, case_id)
        agents = case_store.agent_rows(conn, case_id)
        return CaseFile(
            detail=cases.detail_of(row, parties, agents),
            hearings=hearings.hearing_views_of_case(conn, case_id),
            time_limit=time_limits.time_limit_of(conn, ws, row, today),
            service=svc.party_service(conn, case_id, parties, agents)
            if sees_service and can(ws.actor, Permission.VIEW_SERVICE, access)
            else None,
        )
