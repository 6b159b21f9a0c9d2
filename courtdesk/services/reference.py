"""Reference lists the forms need: case types, procedures, statuses, people, divisions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from courtdesk.domain.case_status import CaseStatus
from courtdesk.domain.case_types import CaseType, default_catalog
from courtdesk.domain.procedures import PROCEDURES, Procedure
from courtdesk.resources import resource_path
from courtdesk.services.workspace import Workspace
from courtdesk.store import court


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    division_id: int | None
    division: str


@dataclass(frozen=True)
class Division:
    id: int
    name: str
    kind: str
    is_tribunal: bool


def case_types() -> tuple[CaseType, ...]:
    return default_catalog().types


def procedures_for(type_code: str) -> list[Procedure]:
    case_type = default_catalog().get(type_code)
    return [] if case_type is None else [PROCEDURES[p] for p in case_type.procedures]


def statuses() -> list[CaseStatus]:
    return list(CaseStatus)


def people_with_role(ws: Workspace, role: str) -> list[Person]:
    conn = ws.db.connection
    names = {int(d["id"]): str(d["name"]) for d in court.divisions(conn)}
    return [
        Person(
            int(u["id"]), str(u["display_name"]), u["division_id"], names.get(u["division_id"], "")
        )
        for u in court.users_with_role(conn, role)
    ]


def divisions(ws: Workspace) -> list[Division]:
    return [
        Division(int(d["id"]), str(d["name"]), str(d["kind"]), bool(d["is_tribunal"]))
        for d in court.divisions(ws.db.connection)
    ]


def common_causes(type_code: str) -> list[str]:
    """Suggested 案由 for a case type (resources/data/common_causes.json)."""
    return list(_common_causes().get(type_code, []))


@cache
def _common_causes() -> dict[str, list[str]]:
    raw = json.loads(resource_path("data", "common_causes.json").read_text(encoding="utf-8"))
    return {str(k): [str(c) for c in v] for k, v in raw["by_type"].items()}
