"""Service of process reacting to the rest of courtdesk, and answering scheduling.

Subscribed (inside the publishing change's transaction, so tasks commit or roll
back with it):
- ``case.registered``: the documents of 立案 for each party (see
  ``domain.service.registration_documents``), due within the configured days of
  filing (民诉法 §128: five).
- ``hearing.scheduled``: a 传票 for every party (当事人) and a 出庭通知书 for the
  procuratorate and for every agent ad litem, due three days before the hearing
  (民诉法 §139). Summonses and the procuratorate's notice block the hearing; an
  agent's notice does not (the party it acts for is summoned). Witnesses, experts
  and interpreters are not on file in courtdesk yet: their notices are handed to
  the centre by hand.
- ``hearing.moved``: a summons nobody has tried to serve yet is rewritten for the
  new time; one already under way is withdrawn (history kept) and a new one
  issued; one already served stays on record and a new one is issued.
- ``hearing.cancelled`` and ``hearing.postponed``: every unserved summons and
  notice of the hearing is withdrawn with the reason; served ones stay on record
  (a postponement to a new date is followed by that hearing's own
  ``hearing.scheduled``, which issues the new summonses).
- ``case.closed``: the 立案 documents not served yet and the summonses of hearings
  after the closing day are withdrawn; documents handed over by hand (the
  judgment or ruling that closed the case) are still served.

Provided:
- ``service.outlook`` (conn, case_id, today): for each party a summons would go
  to, the method on record and the earliest day a document sent today can be
  served, with the reason in Chinese.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from courtdesk.domain.case_types import default_catalog
from courtdesk.domain.dates import document_clock, document_date
from courtdesk.domain.holidays import HolidayCalendar
from courtdesk.domain.scheduling import HearingKind
from courtdesk.domain.service import (
    NO_PUBLIC_NOTICE_PROCEDURES,
    DocumentKind,
    ServiceMethod,
    TaskState,
    earliest_service,
    hearing_document,
    hearing_due_date,
    receipt_code,
    registration_documents,
)
from courtdesk.services import audit, events
from courtdesk.services.holidays import calendar_for
from courtdesk.services.service import (
    DEFAULT_METHOD,
    POST_DAYS,
    REGISTRATION_DUE_DAYS,
    Recipient,
    case_recipients,
    create_task,
    rederive_public_notices,
    setting_int,
    setting_text,
    withdraw_task,
)
from courtdesk.services.workspace import Actor
from courtdesk.store import cases as case_store
from courtdesk.store import service as store
from courtdesk.store.audit import now_iso
from courtdesk.store.records import update_versioned


# ---------------------------------------------------------------------- 立案
def on_case_registered(
    conn: sqlite3.Connection, actor: Actor, case_id: int, **_later: object
) -> None:
    """Create the 立案 documents' tasks (payload keys added later are ignored)."""
    case = case_store.case_row(conn, case_id)
    if case is None:
        return
    case_type = default_catalog().get(case["type_code"])
    if case_type is None:
        return
    filed = date.fromisoformat(case["filing_date"])
    due = filed + timedelta(days=setting_int(conn, REGISTRATION_DUE_DAYS))
    parties, _ = case_recipients(conn, case_id)
    for party, recipient in parties:
        for document in registration_documents(
            case_type.category, case_type.code, case["procedure"], case_type.role_set, party["role"]
        ):
            create_task(
                conn,
                actor,
                case_id,
                recipient,
                document,
                title=document.label,
                due=due,
                origin="registration",
            )


# ---------------------------------------------------------------------- hearings
def hearing_title(document: DocumentKind, start: datetime, place: str, kind: str) -> str:
    """传票（2026年12月1日上午9时00分在第一法庭开庭） — what is printed as the document served.

    Written as court documents write a hearing (定于……在……开庭), in the body's date
    style (domain-rules.md section 8): the receipt's 送达文书名称 is read by the
    recipient, not by a computer. ``kind`` is a HearingKind value ("trial"); a label
    already in Chinese is kept.
    """
    try:
        what = HearingKind(kind).label
    except ValueError:
        what = kind or "开庭"
    where = f"在{place}" if place else ""
    when = f"{document_date(start.date())}{document_clock(start)}"
    return f"{document.label}（{when}{where}{what}）"


def _hearing_recipients(
    conn: sqlite3.Connection, case_id: int
) -> list[tuple[Recipient, DocumentKind, bool]]:
    """(recipient, document, blocks the hearing) for everyone a hearing is notified to."""
    parties, agents = case_recipients(conn, case_id)
    chosen = [(r, hearing_document(p["role"]), True) for p, r in parties]
    chosen += [(r, DocumentKind.APPEARANCE_NOTICE, False) for r in agents]
    return chosen


def _issue(
    conn: sqlite3.Connection,
    actor: Actor,
    hearing_id: int,
    case_id: int,
    start: datetime,
    place: str,
    kind: str,
    recipients: Iterable[tuple[Recipient, DocumentKind, bool]],
) -> None:
    for recipient, document, blocks in recipients:
        create_task(
            conn,
            actor,
            case_id,
            recipient,
            document,
            title=hearing_title(document, start, place, kind),
            due=hearing_due_date(start.date()),
            origin="hearing",
            hearing_id=hearing_id,
            hearing_start=start,
            blocks_hearing=blocks,
        )


def on_hearing_scheduled(
    conn: sqlite3.Connection,
    actor: Actor,
    hearing_id: int,
    case_id: int,
    start: datetime,
    end: datetime | None = None,
    place: str = "",
    kind: str = "",
    **_later: object,
) -> None:
    """Summons and notices for a new hearing."""
    _issue(conn, actor, hearing_id, case_id, start, place, kind, _hearing_recipients(conn, case_id))


def _latest_per_recipient(rows: list[sqlite3.Row]) -> list[sqlite3.Row]:
    """The newest task of the hearing for each recipient and document (older ones are history)."""
    latest: dict[tuple[object, object, str], sqlite3.Row] = {}
    for row in rows:
        latest[(row["party_id"], row["agent_id"], row["document"])] = row
    return list(latest.values())


def on_hearing_moved(
    conn: sqlite3.Connection,
    actor: Actor,
    hearing_id: int,
    case_id: int,
    old_start: datetime,
    new_start: datetime,
    end: datetime | None = None,
    place: str = "",
    kind: str = "",
    **_later: object,
) -> None:
    """Rewrite untried summonses; withdraw and reissue the rest (served ones stay on record)."""
    reason = f"开庭时间由 {old_start:%Y-%m-%d %H:%M} 改为 {new_start:%Y-%m-%d %H:%M}，原文书撤回并重新送达"
    current = {
        (r.party_id, r.agent_id): (r, document, blocks)
        for r, document, blocks in _hearing_recipients(conn, case_id)
    }
    reissue: list[tuple[Recipient, DocumentKind, bool]] = []
    for row in _latest_per_recipient(store.task_rows_for_hearing(conn, hearing_id)):
        if row["state"] == TaskState.WITHDRAWN.value:
            continue
        key = (row["party_id"], row["agent_id"])
        document = DocumentKind(row["document"])
        untried = row["state"] == TaskState.PENDING.value and not store.attempt_rows(
            conn, [int(row["id"])]
        )
        if untried:
            values = {
                "title": hearing_title(document, new_start, place, kind),
                "due_date": hearing_due_date(new_start.date()).isoformat(),
                "hearing_start": new_start.isoformat(timespec="minutes"),
                "updated_at": now_iso(),
            }
            changed = update_versioned(
                conn,
                "service_tasks",
                int(row["id"]),
                int(row["version"]),
                values,
                f"送达任务 {receipt_code(int(row['id']))}",
            )
            audit.record(
                conn,
                actor,
                "service.task.reschedule",
                "service_tasks",
                int(row["id"]),
                {k: list(v) for k, v in changed.items() if k != "updated_at"},
                case_id=case_id,
            )
            continue
        if row["state"] != TaskState.SERVED.value:
            withdraw_task(conn, actor, row, reason)
        if key in current:
            reissue.append(current[key])
        else:  # the party or agent is no longer on the case's list: keep the old particulars
            reissue.append(
                (
                    Recipient(
                        row["recipient_name"],
                        row["recipient_role"],
                        row["address"],
                        row["phone"],
                        bool(row["address_confirmed"]),
                        row["party_id"],
                        row["agent_id"],
                    ),
                    document,
                    bool(row["blocks_hearing"]),
                )
            )
    _issue(conn, actor, hearing_id, case_id, new_start, place, kind, reissue)


def _withdraw_hearing(conn: sqlite3.Connection, actor: Actor, hearing_id: int, text: str) -> None:
    for row in store.task_rows_for_hearing(conn, hearing_id):
        if row["state"] not in (TaskState.SERVED.value, TaskState.WITHDRAWN.value):
            withdraw_task(conn, actor, row, text)


def on_hearing_cancelled(
    conn: sqlite3.Connection,
    actor: Actor,
    hearing_id: int,
    case_id: int,
    reason: str = "",
    **_later: object,
) -> None:
    """Withdraw the hearing's unserved summonses and notices, keeping their history."""
    _withdraw_hearing(conn, actor, hearing_id, f"开庭已取消：{reason}" if reason else "开庭已取消")


def on_hearing_postponed(
    conn: sqlite3.Connection,
    actor: Actor,
    hearing_id: int,
    case_id: int,
    reason: str = "",
    new_hearing_id: int | None = None,
    **_later: object,
) -> None:
    """延期: the postponed hearing's unserved documents are withdrawn; the new hearing's
    own ``hearing.scheduled`` (same transaction) issues new ones."""
    then = "，另行通知开庭时间" if new_hearing_id is None else "，已按新的开庭时间重新出具"
    _withdraw_hearing(conn, actor, hearing_id, f"开庭延期（{reason}）{then}")


def on_case_closed(
    conn: sqlite3.Connection,
    actor: Actor,
    case_id: int,
    closed_date: date | None = None,
    **_later: object,
) -> None:
    """Withdraw what need not be served once a case is closed: the 立案 documents not yet
    served (a withdrawn or settled case) and the summonses of hearings after closing.
    Documents handed over by hand (the judgment, the ruling that closes it) still go out."""
    closed_on = closed_date or date.today()
    reason = f"案件已于 {closed_on.isoformat()} 结案，无需再送达"
    for row in store.task_rows_for_case(conn, case_id):
        if row["state"] in (TaskState.SERVED.value, TaskState.WITHDRAWN.value):
            continue
        later_hearing = (
            row["origin"] == "hearing"
            and row["hearing_start"] is not None
            and row["hearing_start"][:10] > closed_on.isoformat()
        )
        if row["origin"] == "registration" or later_hearing:
            withdraw_task(conn, actor, row, reason)


# ---------------------------------------------------------------------- outlook
def service_outlook(
    conn: sqlite3.Connection,
    case_id: int,
    today: date,
    *,
    case: sqlite3.Row | None = None,
    calendar: HolidayCalendar | None = None,
) -> list[events.ServiceOutlook]:
    """For each party a summons would go to: the method on record and the earliest service day.

    Electronic service with a recorded consent; 公告 when every earlier attempt
    on the party failed (refused in summary procedure: the reason says the case
    must be converted first); otherwise the court's usual method (setting
    ``service.default_method``), warning when the party has no address on file.
    ``case`` (its ``cases`` row) and ``calendar``, when the asker has read them, are
    not read again.
    """
    case = case if case is not None else case_store.case_row(conn, case_id)
    if case is None:
        return []
    calendar = calendar if calendar is not None else calendar_for(conn)
    post_days = setting_int(conn, POST_DAYS)
    usual = ServiceMethod(setting_text(conn, DEFAULT_METHOD))
    confirmations = {int(r["party_id"]): r for r in store.address_rows_for_case(conn, case_id)}
    states: dict[int, set[str]] = {}
    for party_id, state in store.task_states_for_case(conn, case_id):
        states.setdefault(party_id, set()).add(state)
    answers = []
    for party in case_store.party_rows(conn, case_id):
        if hearing_document(party["role"]) is not DocumentKind.SUMMONS:
            continue
        confirmation = confirmations.get(int(party["id"]))
        seen = states.get(int(party["id"]), set())
        lost = bool(seen & {TaskState.FAILED.value, TaskState.PUBLIC_NOTICE.value}) and (
            TaskState.SERVED.value not in seen
        )
        address = confirmation["address"] if confirmation is not None else party["address"]
        if confirmation is not None and confirmation["electronic_consent"]:
            method = ServiceMethod.ELECTRONIC
            why = (
                f"{confirmation['confirmed_on']} 送达地址确认书同意电子送达"
                f"（{confirmation['electronic_address']}）"
            )
        elif lost:
            method = ServiceMethod.PUBLIC_NOTICE
            why = "此前送达均未成功，下落不明"
            if case["procedure"] in NO_PUBLIC_NOTICE_PROCEDURES:
                why += "；简易程序不得公告送达（民诉解释第140条），须先转为普通程序"
        else:
            method = usual
            if confirmation is not None:
                why = "已确认送达地址，拒收或地址不实退回亦视为送达"
            elif address:
                why = "送达地址未经当事人确认，邮件退回不视为送达"
            else:
                # No address on file is not yet "cannot be found": the centre looks for it first.
                why = "尚未登记送达地址，须先查明地址，否则可能需要公告送达"
        day, reason = earliest_service(method, today, calendar, post_days=post_days)
        answers.append(
            events.ServiceOutlook(
                party_id=int(party["id"]),
                party_name=party["name"],
                method=method.label,
                earliest_service_date=day,
                reason=f"{why}；{reason}",
            )
        )
    return answers


def on_holidays_changed(conn: sqlite3.Connection, actor: Actor, year: int) -> None:
    """A year's holidays were entered: the 公告 periods the calendar decides, again."""
    rederive_public_notices(conn, actor, date.today())


events.subscribe("case.registered", on_case_registered)
events.subscribe("hearing.scheduled", on_hearing_scheduled)
events.subscribe("hearing.moved", on_hearing_moved)
events.subscribe("hearing.cancelled", on_hearing_cancelled)
events.subscribe("hearing.postponed", on_hearing_postponed)
events.subscribe("case.closed", on_case_closed)
events.subscribe("holidays.changed", on_holidays_changed)
events.provide("service.outlook", service_outlook)
