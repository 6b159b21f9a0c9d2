"""What each role may do, enforced here in services so the GUI and the CLI obey alike.

The GUI only hides what a role cannot do; a refused call raises
PermissionDeniedError with a message naming the role and the action.
"""

from __future__ import annotations

from enum import StrEnum

from courtdesk.errors import PermissionDeniedError
from courtdesk.services.workspace import ROLE_LABELS, Actor


class Permission(StrEnum):
    REGISTER_CASE = "register_case"
    ASSIGN_CASE = "assign_case"
    VIEW_CASES = "view_cases"
    MANAGE_COURT = "manage_court"
    USE_CALCULATORS = "use_calculators"


_LABELS = {
    Permission.REGISTER_CASE: "立案登记",
    Permission.ASSIGN_CASE: "分案",
    Permission.VIEW_CASES: "查看案件",
    Permission.MANAGE_COURT: "管理法院设置与账户",
    Permission.USE_CALCULATORS: "使用计算工具",
}

GRANTS: dict[str, frozenset[Permission]] = {
    "admin": frozenset({Permission.MANAGE_COURT}),
    "registrar": frozenset(
        {Permission.REGISTER_CASE, Permission.ASSIGN_CASE, Permission.VIEW_CASES}
    ),
    "judge": frozenset({Permission.VIEW_CASES}),
    "clerk": frozenset({Permission.VIEW_CASES}),
    "service": frozenset({Permission.VIEW_CASES}),
    "chief": frozenset({Permission.ASSIGN_CASE, Permission.VIEW_CASES}),
    "president": frozenset({Permission.ASSIGN_CASE, Permission.VIEW_CASES}),
    "readonly": frozenset({Permission.VIEW_CASES}),
    "assessor": frozenset({Permission.VIEW_CASES}),
}

# Every role may use the calculators (fees, lending interest, periods): they read only
# the court's settings and reference tables, never case data.
GRANTS = {role: granted | {Permission.USE_CALCULATORS} for role, granted in GRANTS.items()}


def allowed(actor: Actor, permission: Permission) -> bool:
    if "system" in actor.roles:
        return True
    return any(permission in GRANTS.get(role, frozenset()) for role in actor.roles)


def require(actor: Actor, permission: Permission) -> None:
    if not allowed(actor, permission):
        roles = "、".join(ROLE_LABELS.get(r, r) for r in sorted(actor.roles)) or "无角色"
        raise PermissionDeniedError(
            f"用户 {actor.display_name}（{roles}）无权进行「{_LABELS[permission]}」"
        )
