"""Writing the audit trail from services: who did what, inside the change's transaction."""

from __future__ import annotations

import sqlite3
from typing import Any

from courtdesk.services.workspace import Actor
from courtdesk.store import audit


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


def created(values: dict[str, Any]) -> dict[str, Any]:
    """The ``changes`` of a new record: every field from nothing to its value."""
    return {k: [None, v] for k, v in values.items()}
