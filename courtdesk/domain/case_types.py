"""Case type codes (案件类型代字), their categories, procedures and party roles.

The list is data (resources/data/case_types.json, domain-rules.md section 1): a
court may add codes, so nothing here hard-codes the set beyond the categories.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from courtdesk.resources import resource_path


class Category(StrEnum):
    CIVIL = "civil"
    CRIMINAL = "criminal"
    ADMINISTRATIVE = "administrative"
    ENFORCEMENT = "enforcement"
    PRESERVATION = "preservation"
    BANKRUPTCY = "bankruptcy"
    SANCTION = "sanction"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    Category.CIVIL: "民事",
    Category.CRIMINAL: "刑事",
    Category.ADMINISTRATIVE: "行政",
    Category.ENFORCEMENT: "执行",
    Category.PRESERVATION: "保全",
    Category.BANKRUPTCY: "破产",
    Category.SANCTION: "司法制裁",
}


@dataclass(frozen=True)
class RoleSet:
    """The party roles a kind of case has, and which must be present at filing.

    ``claimant`` roles: at least one party must hold one of them (the side that
    brings the case). ``respondent`` roles: likewise for the other side; empty for
    applications that may have no opposing party (宣告失踪, 公示催告).
    """

    roles: tuple[str, ...]
    claimant: tuple[str, ...]
    respondent: tuple[str, ...]


@dataclass(frozen=True)
class CaseType:
    code: str
    name: str
    category: Category
    procedures: tuple[str, ...]
    role_set: RoleSet


@dataclass(frozen=True)
class CaseTypeCatalog:
    types: tuple[CaseType, ...]
    special_trial_codes: dict[str, str]

    def get(self, code: str) -> CaseType | None:
        for case_type in self.types:
            if case_type.code == code:
                return case_type
        return None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.types)


@cache
def default_catalog() -> CaseTypeCatalog:
    """The type codes shipped in resources/data/case_types.json."""
    raw = json.loads(resource_path("data", "case_types.json").read_text(encoding="utf-8"))
    role_sets = {
        key: RoleSet(tuple(v["roles"]), tuple(v["claimant"]), tuple(v["respondent"]))
        for key, v in raw["role_sets"].items()
    }
    types = tuple(
        CaseType(
            code=t["code"],
            name=t["name"],
            category=Category(t["category"]),
            procedures=tuple(t["procedures"]),
            role_set=role_sets[t["role_set"]],
        )
        for t in raw["types"]
    )
    return CaseTypeCatalog(types=types, special_trial_codes=dict(raw["special_trial_codes"]))
