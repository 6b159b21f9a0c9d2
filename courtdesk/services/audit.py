"""Writing the audit trail from services: who did what, inside the change's transaction.

Every change passes here, so this is also where a session that outlived its
permissions is stopped: if the acting account has been disabled, or has lost a
role it signed in with, since the workspace was opened, the change is refused
(and rolls back with its transaction). Changes to one's own account are exempt,
so an administrator can still step down from a role they hold.

Reading the trail (labels, 操作记录) is ``services.history``.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from courtdesk.errors import PermissionDeniedError
from courtdesk.services.workspace import ROLE_LABELS, Actor
from courtdesk.store import audit, court


def record(
    conn: sqlite3.Connection,
    actor: Actor,
    action: str,
    table_name: str,
    record_id: int | None,
    changes: dict[str, Any],
    case_id: int | None = None,
) -> None:
    """Append one audit row for ``actor``; ``changes`` maps field → [old, new] (or a value)."""
    if actor.user_id is not None and not (table_name == "users" and record_id == actor.user_id):
        _check_still_allowed(conn, actor)
    audit.append(
        conn,
        user_id=actor.user_id,
        username=actor.username,
        action=action,
        table_name=table_name,
        record_id=record_id,
        case_id=case_id,
        changes=changes,
    )


def _check_still_allowed(conn: sqlite3.Connection, actor: Actor) -> None:
    assert actor.user_id is not None
    row = court.user_by_id(conn, actor.user_id)
    if row is None or not row["active"]:
        raise PermissionDeniedError(
            f"账户「{actor.username}」已被系统管理员停用，本次修改未保存；请联系系统管理员"
        )
    lost = actor.roles - set(court.roles_of(conn, actor.user_id))
    if lost:
        labels = "、".join(ROLE_LABELS.get(r, r) for r in sorted(lost))
        raise PermissionDeniedError(
            f"用户 {actor.display_name} 的角色已由系统管理员调整（不再是{labels}），"
            "本次修改未保存；请重新登录"
        )


def created(values: dict[str, Any]) -> dict[str, Any]:
    """The ``changes`` of a new record: every field from nothing to its value."""
    return {k: [None, v] for k, v in values.items()}
