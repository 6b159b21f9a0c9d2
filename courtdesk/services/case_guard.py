"""The one check every service that edits a case calls first: is the case still open?

A closed (已结案) or archived (已归档) case is read-only. Only archiving and
authorised corrections may touch it, and a correction names its reason and is
audited as such. Registration, assignment, party edits, hearings, service …
call ``ensure_open`` (or ``ensure_editable`` where a correction is possible)
inside their write transaction, so the refusal and the change can never race.
"""

from __future__ import annotations

import sqlite3

from courtdesk.domain.case_status import CaseStatus
from courtdesk.domain.text import clean_text
from courtdesk.errors import CourtdeskError, NotFoundError
from courtdesk.services.permissions import Permission, allowed
from courtdesk.services.workspace import Actor
from courtdesk.store import time_limits as store


class ClosedCaseError(CourtdeskError):
    """The case is closed or archived; the change was refused."""


def case_facts(conn: sqlite3.Connection, case_id: int) -> sqlite3.Row:
    row = store.case_facts(conn, case_id)
    if row is None:
        raise NotFoundError(f"编号为 {case_id} 的案件不存在")
    return row


def is_closed(row: sqlite3.Row) -> bool:
    return not CaseStatus(row["status"]).is_open


def ensure_open(conn: sqlite3.Connection, case_id: int, action: str) -> sqlite3.Row:
    """The case's facts if it is open; ClosedCaseError naming the case and ``action`` if not.

    ``action`` is what was attempted, in Chinese ("修改当事人", "排期" …).
    """
    row = case_facts(conn, case_id)
    if is_closed(row):
        status = CaseStatus(row["status"]).label
        raise ClosedCaseError(
            f"案件{row['case_number']}{status}，不能{action}；"
            "结案后的案件只能归档，或由有更正权限的人员填写理由后更正"
        )
    return row


def ensure_editable(
    conn: sqlite3.Connection, actor: Actor, case_id: int, action: str, correction_reason: str
) -> tuple[sqlite3.Row, str]:
    """Like ``ensure_open``, but a closed case may be corrected by an authorised user.

    Returns the case's facts and the cleaned correction reason ("" for an open
    case). For a closed case the actor needs the 更正已结案件 permission and a
    reason; the caller records the reason in its audit row.
    """
    row = case_facts(conn, case_id)
    reason = clean_text(correction_reason)
    if is_closed(row) and reason and allowed(actor, Permission.CORRECT_CLOSED_CASE):
        return row, reason
    return ensure_open(conn, case_id, action), ""
