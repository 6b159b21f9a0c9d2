"""Assignment (分案): who hears a case, and how a judge is drawn automatically.

A case gets a presiding judge (承办人), a clerk (书记员) and a bench: a sole judge
(独任审判) or a collegiate panel (合议庭) whose members each have a role.

Which bench a procedure allows is not in domain-rules.md; the choices below follow
the procedure laws and are written down here:
- civil summary and small-claims procedure: a sole judge only (民诉法 §40 ②, §160);
- civil ordinary first instance: a panel by default, a sole judge allowed for clear
  cases (民诉法 §40 ②, 2021 amendment);
- civil appeal: a panel, a sole judge allowed for simple appeals against summary
  judgments and rulings (民诉法 §41);
- civil special procedure: a sole judge, a panel allowed for major or difficult
  cases (民诉法 §185);
- criminal first instance by public prosecution: a panel (刑诉法 §183); summary
  procedure where the sentence may exceed three years: a panel (§216); other
  summary and fast-track cases: a sole judge by default (§216, §222);
- administrative first instance and appeal: a panel (行诉法 §68, §86);
  administrative summary procedure: a sole judge (行诉法 §83);
- everything else (enforcement, preservation, applications): a sole judge by
  default, a panel allowed.

Automatic assignment draws at random among the candidate judges, each weighted by
how far their open caseload is below the busiest candidate's, plus one:
``weight = max_load - load + 1``. The lightest-loaded judge is the likeliest pick,
equal loads draw evenly, and nobody is ever certain or excluded, so parties cannot
predict who will hear a case (随机分案) while caseloads are levelled over time
(均衡分案).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from courtdesk.errors import FieldProblem


class Bench(StrEnum):
    SOLE = "sole"  # 独任审判
    PANEL = "panel"  # 合议庭

    @property
    def label(self) -> str:
        return "独任审判" if self is Bench.SOLE else "合议庭"


class Method(StrEnum):
    AUTO = "auto"  # 随机分案
    MANUAL = "manual"  # 指定分案

    @property
    def label(self) -> str:
        return "随机分案" if self is Method.AUTO else "指定分案"


# Panel roles, in the order members are listed.
PRESIDING = "审判长"
JUDGE_MEMBER = "审判员"
ASSESSOR = "人民陪审员"
PANEL_ROLES = (PRESIDING, JUDGE_MEMBER, ASSESSOR)
PANEL_SIZES = (3, 5, 7)

_SOLE_ONLY = frozenset(
    {
        "civil_summary",
        "civil_small_claims",
        "criminal_fast_track",
        "criminal_fast_track_long",
        "admin_summary",
    }
)
_PANEL_ONLY = frozenset(
    {"criminal_public", "criminal_summary_long", "criminal_appeal", "admin_first", "admin_appeal"}
)
_PANEL_BY_DEFAULT = frozenset(
    {"civil_ordinary", "civil_appeal_judgment", "civil_appeal_ruling", "criminal_private"}
)


def allowed_benches(procedure: str) -> tuple[Bench, ...]:
    """The benches a procedure allows, the default first."""
    if procedure in _SOLE_ONLY:
        return (Bench.SOLE,)
    if procedure in _PANEL_ONLY:
        return (Bench.PANEL,)
    if procedure in _PANEL_BY_DEFAULT:
        return (Bench.PANEL, Bench.SOLE)
    return (Bench.SOLE, Bench.PANEL)


def default_bench(procedure: str) -> Bench:
    return allowed_benches(procedure)[0]


@dataclass(frozen=True)
class Candidate:
    """A person who could be drawn, with the number of open cases they already carry."""

    user_id: int
    name: str
    open_cases: int


def weights(candidates: Sequence[Candidate]) -> list[int]:
    """Each candidate's weight in the draw: ``busiest load - own load + 1``."""
    if not candidates:
        return []
    busiest = max(c.open_cases for c in candidates)
    return [busiest - c.open_cases + 1 for c in candidates]


def draw(candidates: Sequence[Candidate], rng: random.Random) -> Candidate:
    """Draw one candidate at random, weighted towards the lightest caseload."""
    if not candidates:
        raise ValueError("no candidates to draw from")
    return rng.choices(list(candidates), weights=weights(candidates))[0]


@dataclass(frozen=True)
class PanelMember:
    user_id: int
    role: str


def check_bench(
    procedure: str,
    bench: Bench,
    presiding_judge_id: int,
    members: Sequence[PanelMember],
    judges: frozenset[int],
    assessors: frozenset[int],
    names: dict[int, str],
) -> list[FieldProblem]:
    """Problems with a bench: allowed for the procedure, panel size and roles.

    ``judges`` and ``assessors`` are the user ids that hold those roles; ``names``
    names people in messages.
    """
    problems: list[FieldProblem] = []
    allowed = allowed_benches(procedure)
    if bench not in allowed:
        problems.append(
            FieldProblem(
                "bench", f"本案程序只能{'、'.join(b.label for b in allowed)}，不能{bench.label}"
            )
        )
    if presiding_judge_id not in judges:
        problems.append(
            FieldProblem("presiding_judge_id", "承办人必须是在职法官（具有法官角色的用户）")
        )
    if bench is Bench.SOLE:
        return problems
    size = len(members)
    if size not in PANEL_SIZES:
        problems.append(FieldProblem("members", f"合议庭应由 3、5 或 7 人组成，现有 {size} 人"))
    ids = [m.user_id for m in members]
    repeated = sorted({names.get(i, str(i)) for i in ids if ids.count(i) > 1})
    if repeated:
        problems.append(FieldProblem("members", f"合议庭成员重复：{'、'.join(repeated)}"))
    presiding = [m for m in members if m.role == PRESIDING]
    if len(presiding) != 1:
        problems.append(FieldProblem("members", f"合议庭应有一名审判长，现有 {len(presiding)} 名"))
    if presiding_judge_id not in ids:
        problems.append(FieldProblem("members", "承办人应是合议庭成员"))
    for member in members:
        who = names.get(member.user_id, str(member.user_id))
        if member.role not in PANEL_ROLES:
            problems.append(FieldProblem("members", f"{who}的合议庭角色「{member.role}」无效"))
        elif member.role == ASSESSOR and member.user_id not in assessors:
            problems.append(FieldProblem("members", f"{who}不是人民陪审员"))
        elif member.role != ASSESSOR and member.user_id not in judges:
            # 人民陪审员不得担任审判长（人民陪审员法第十四条）; 审判员 must be judges.
            problems.append(FieldProblem("members", f"{who}不是法官，不能担任{member.role}"))
    return problems
