"""Courtrooms (法庭): where they are, what they hold, and when they are out of use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from courtdesk.domain.text import clean_text, free_text_problem
from courtdesk.errors import FieldProblem, NotFoundError, ValidationError
from courtdesk.services import audit
from courtdesk.services.permissions import Permission, allowed, require
from courtdesk.services.workspace import Workspace
from courtdesk.store import court
from courtdesk.store import hearings as store
from courtdesk.store.audit import now_iso
from courtdesk.store.records import update_versioned

MAX_CAPACITY = 2000
MAX_CLOSURE_REASON = 200


@dataclass(frozen=True)
class ClosureView:
    id: int
    first_day: date
    last_day: date
    reason: str

    @property
    def label(self) -> str:
        return (
            f"{self.first_day.isoformat()} 至 {self.last_day.isoformat()}：{self.reason or '停用'}"
        )


@dataclass(frozen=True)
class Courtroom:
    id: int
    name: str
    division_id: int | None  # None: the main court building; else its people's tribunal
    location: str
    capacity: int
    has_recording: bool
    has_remote_video: bool
    active: bool
    note: str
    version: int
    closures: tuple[ClosureView, ...] = ()

    @property
    def equipment(self) -> str:
        items = [
            label
            for present, label in (
                (self.has_recording, "录音录像"),
                (self.has_remote_video, "远程视频"),
            )
            if present
        ]
        return "、".join(items) or "—"

    def closed_on(self, day: date) -> ClosureView | None:
        return next((c for c in self.closures if c.first_day <= day <= c.last_day), None)


@dataclass(frozen=True)
class CourtroomDraft:
    name: str
    division_id: int | None
    capacity: int
    has_recording: bool = False
    has_remote_video: bool = False
    active: bool = True
    note: str = ""


def courtrooms(ws: Workspace, from_day: date | None = None) -> list[Courtroom]:
    """Every courtroom, main court first, with closures not over before ``from_day``."""
    if not allowed(ws.actor, Permission.MANAGE_COURTROOMS):
        require(ws.actor, Permission.VIEW_CASES)
    with ws.db.snapshot() as conn:
        rows = store.courtroom_rows(conn)
        closures = store.closures(conn, None, from_day)
    by_room: dict[int, list[ClosureView]] = {}
    for c in closures:
        by_room.setdefault(int(c["courtroom_id"]), []).append(
            ClosureView(
                int(c["id"]),
                date.fromisoformat(c["first_day"]),
                date.fromisoformat(c["last_day"]),
                str(c["reason"]),
            )
        )
    return [
        Courtroom(
            id=int(r["id"]),
            name=str(r["name"]),
            division_id=r["division_id"],
            location=str(r["division_name"] or "院本部"),
            capacity=int(r["capacity"]),
            has_recording=bool(r["has_recording"]),
            has_remote_video=bool(r["has_remote_video"]),
            active=bool(r["active"]),
            note=str(r["note"]),
            version=int(r["version"]),
            closures=tuple(by_room.get(int(r["id"]), [])),
        )
        for r in rows
    ]


def _validate(ws: Workspace, draft: CourtroomDraft, room_id: int | None) -> CourtroomDraft:
    conn = ws.db.connection
    name = clean_text(draft.name)
    problems = [
        FieldProblem(key, problem)
        for key, text, label in (("name", draft.name, "法庭名称"), ("note", draft.note, "备注"))
        if (problem := free_text_problem(text, label)) is not None
    ]
    if any(p.field == "name" for p in problems):
        pass  # a name SQLite cannot even look up
    elif not name:
        problems.append(FieldProblem("name", "法庭名称不能为空"))
    elif len(name) > 30:
        problems.append(FieldProblem("name", "法庭名称过长（最多 30 个字）"))
    else:
        other = store.courtroom_by_name(conn, name)
        if other is not None and int(other["id"]) != room_id:
            problems.append(FieldProblem("name", f"已有名为「{name}」的法庭"))
    if not 0 <= draft.capacity <= MAX_CAPACITY:
        problems.append(FieldProblem("capacity", f"座位数应在 0 到 {MAX_CAPACITY} 之间"))
    if draft.division_id is not None:
        tribunals = {int(d["id"]) for d in court.divisions(conn) if d["is_tribunal"]}
        if draft.division_id not in tribunals:
            problems.append(FieldProblem("division", "法庭所在地应为院本部或某个人民法庭"))
    if problems:
        raise ValidationError(problems)
    return CourtroomDraft(
        name,
        draft.division_id,
        draft.capacity,
        draft.has_recording,
        draft.has_remote_video,
        draft.active,
        clean_text(draft.note),
    )


def _values(draft: CourtroomDraft) -> dict[str, object]:
    return {
        "name": draft.name,
        "division_id": draft.division_id,
        "capacity": draft.capacity,
        "has_recording": int(draft.has_recording),
        "has_remote_video": int(draft.has_remote_video),
        "active": int(draft.active),
        "note": draft.note,
    }


def add_courtroom(ws: Workspace, draft: CourtroomDraft) -> int:
    require(ws.actor, Permission.MANAGE_COURTROOMS)
    draft = _validate(ws, draft, None)
    values = _values(draft)
    with ws.db.transaction() as conn:
        room_id = store.insert_courtroom(conn, values)
        audit.record(conn, ws.actor, "courtroom.add", "courtrooms", room_id, audit.created(values))
    return room_id


def update_courtroom(
    ws: Workspace, room_id: int, expected_version: int, draft: CourtroomDraft
) -> None:
    require(ws.actor, Permission.MANAGE_COURTROOMS)
    draft = _validate(ws, draft, room_id)
    with ws.db.transaction() as conn:
        changed = update_versioned(
            conn, "courtrooms", room_id, expected_version, _values(draft), f"法庭「{draft.name}」"
        )
        if changed:
            audit.record(
                conn,
                ws.actor,
                "courtroom.update",
                "courtrooms",
                room_id,
                {k: list(v) for k, v in changed.items()},
            )


def close_courtroom(ws: Workspace, room_id: int, first: date, last: date, reason: str) -> int:
    """Take a room out of use from ``first`` to ``last`` (inclusive); hearings already
    booked there then show the closure as a conflict when checked or moved."""
    require(ws.actor, Permission.MANAGE_COURTROOMS)
    reason = clean_text(reason)
    problems = []
    if last < first:
        problems.append(FieldProblem("last_day", "停用结束日期不能早于开始日期"))
    if not reason:
        problems.append(FieldProblem("reason", "请填写停用原因"))
    elif len(reason) > MAX_CLOSURE_REASON:
        problems.append(FieldProblem("reason", f"停用原因过长（最多 {MAX_CLOSURE_REASON} 个字）"))
    elif (problem := free_text_problem(reason, "停用原因")) is not None:
        problems.append(FieldProblem("reason", problem))
    if problems:
        raise ValidationError(problems)
    with ws.db.transaction() as conn:
        if store.courtroom_row(conn, room_id) is None:
            raise NotFoundError(f"编号为 {room_id} 的法庭不存在")
        closure_id = store.insert_closure(conn, room_id, first, last, reason, now_iso())
        audit.record(
            conn,
            ws.actor,
            "courtroom.close",
            "courtroom_closures",
            closure_id,
            audit.created(
                {
                    "courtroom_id": room_id,
                    "first_day": first.isoformat(),
                    "last_day": last.isoformat(),
                    "reason": reason,
                }
            ),
        )
    return closure_id


def remove_closure(ws: Workspace, closure_id: int) -> None:
    require(ws.actor, Permission.MANAGE_COURTROOMS)
    with ws.db.transaction() as conn:
        row = store.closure_row(conn, closure_id)
        if row is None:
            raise NotFoundError("该停用记录不存在或已被删除")
        store.delete_closure(conn, closure_id)
        audit.record(
            conn,
            ws.actor,
            "courtroom.reopen",
            "courtroom_closures",
            closure_id,
            {k: [row[k], None] for k in ("courtroom_id", "first_day", "last_day", "reason")},
        )
