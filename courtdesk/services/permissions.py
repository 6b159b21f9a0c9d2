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
    # 审限、结案与归档 (issue 3)
    APPLY_EXTENSION = "apply_extension"
    DECIDE_EXTENSION = "decide_extension"
    MANAGE_EXCLUSIONS = "manage_exclusions"
    CONVERT_PROCEDURE = "convert_procedure"
    CLOSE_CASE = "close_case"
    ARCHIVE_CASE = "archive_case"
    CORRECT_CLOSED_CASE = "correct_closed_case"
    VIEW_STATISTICS = "view_statistics"
    VIEW_SERVICE = "view_service"
    REQUEST_SERVICE = "request_service"
    MANAGE_SERVICE = "manage_service"
    USE_CALCULATORS = "use_calculators"
    SCHEDULE_HEARING = "schedule_hearing"
    MANAGE_COURTROOMS = "manage_courtrooms"
    PRINT_NOTICES = "print_notices"
    EDIT_NOTICE_TEMPLATES = "edit_notice_templates"


_LABELS = {
    Permission.REGISTER_CASE: "立案登记",
    Permission.ASSIGN_CASE: "分案",
    Permission.VIEW_CASES: "查看案件",
    Permission.MANAGE_COURT: "管理法院设置与账户",
    Permission.APPLY_EXTENSION: "申请延长审限",
    Permission.DECIDE_EXTENSION: "审批延长审限",
    Permission.MANAGE_EXCLUSIONS: "登记扣除审限期间",
    Permission.CONVERT_PROCEDURE: "转换审理程序",
    Permission.CLOSE_CASE: "结案",
    Permission.ARCHIVE_CASE: "归档",
    Permission.CORRECT_CLOSED_CASE: "更正已结案件",
    Permission.VIEW_STATISTICS: "查看统计",
    Permission.VIEW_SERVICE: "查看送达情况",
    Permission.REQUEST_SERVICE: "提交送达任务、登记送达地址确认书",
    Permission.MANAGE_SERVICE: "办理送达（登记送达结果、分派、撤回）",
    Permission.USE_CALCULATORS: "使用计算工具",
    Permission.SCHEDULE_HEARING: "排期",
    Permission.MANAGE_COURTROOMS: "管理法庭",
    Permission.PRINT_NOTICES: "生成和打印文书",
    Permission.EDIT_NOTICE_TEMPLATES: "修改文书模板",
}

# Scope on top of these grants is checked in the services: a judge applies for and
# closes only the cases they preside over, a chief decides only for the division,
# a clerk closes only the cases they are the clerk of.
# 排期 is centralised in the seed courts (审判辅助事务集约中心), but judges, clerks and
# the filing division schedule too; court administrators and division chiefs keep
# the list of courtrooms.
GRANTS: dict[str, frozenset[Permission]] = {
    "admin": frozenset({Permission.MANAGE_COURT, Permission.MANAGE_COURTROOMS}),
    "registrar": frozenset(
        {
            Permission.REGISTER_CASE,
            Permission.ASSIGN_CASE,
            Permission.VIEW_CASES,
            Permission.VIEW_STATISTICS,
            Permission.SCHEDULE_HEARING,
        }
    ),
    "judge": frozenset(
        {
            Permission.VIEW_CASES,
            Permission.APPLY_EXTENSION,
            Permission.CONVERT_PROCEDURE,
            Permission.CLOSE_CASE,
            Permission.VIEW_STATISTICS,
            Permission.SCHEDULE_HEARING,
        }
    ),
    "clerk": frozenset(
        {
            Permission.VIEW_CASES,
            Permission.MANAGE_EXCLUSIONS,
            Permission.CLOSE_CASE,
            Permission.ARCHIVE_CASE,
            Permission.SCHEDULE_HEARING,
        }
    ),
    "service": frozenset({Permission.VIEW_CASES}),
    "chief": frozenset(
        {
            Permission.ASSIGN_CASE,
            Permission.VIEW_CASES,
            Permission.DECIDE_EXTENSION,
            Permission.CONVERT_PROCEDURE,
            Permission.CORRECT_CLOSED_CASE,
            Permission.VIEW_STATISTICS,
            Permission.SCHEDULE_HEARING,
            Permission.MANAGE_COURTROOMS,
        }
    ),
    "president": frozenset(
        {
            Permission.ASSIGN_CASE,
            Permission.VIEW_CASES,
            Permission.DECIDE_EXTENSION,
            Permission.CONVERT_PROCEDURE,
            Permission.CORRECT_CLOSED_CASE,
            Permission.VIEW_STATISTICS,
        }
    ),
    "readonly": frozenset({Permission.VIEW_CASES, Permission.VIEW_STATISTICS}),
    "assessor": frozenset({Permission.VIEW_CASES}),
}

# Service of process: every role that sees cases sees how they were served; those who
# prepare documents (立案, judges, clerks) hand tasks to the centre and record address
# confirmations; the centre's staff (送达) do the serving.
_SERVICE_GRANTS = {
    "registrar": {Permission.VIEW_SERVICE, Permission.REQUEST_SERVICE},
    "judge": {Permission.VIEW_SERVICE, Permission.REQUEST_SERVICE},
    "clerk": {Permission.VIEW_SERVICE, Permission.REQUEST_SERVICE},
    "service": {Permission.VIEW_SERVICE, Permission.REQUEST_SERVICE, Permission.MANAGE_SERVICE},
    "chief": {Permission.VIEW_SERVICE},
    "president": {Permission.VIEW_SERVICE},
    "readonly": {Permission.VIEW_SERVICE},
}
for _role, _extra in _SERVICE_GRANTS.items():
    GRANTS[_role] = GRANTS.get(_role, frozenset()) | _extra

# Notices are printed by whoever works the case (filing, judges, clerks, service
# staff, chiefs); the administrator edits their wording but does not read cases.
_NOTICE_GRANTS = {
    "admin": {Permission.EDIT_NOTICE_TEMPLATES},
    "registrar": {Permission.PRINT_NOTICES},
    "judge": {Permission.PRINT_NOTICES},
    "clerk": {Permission.PRINT_NOTICES},
    "service": {Permission.PRINT_NOTICES},
    "chief": {Permission.PRINT_NOTICES},
    "president": {Permission.PRINT_NOTICES},
}
for _role, _extra in _NOTICE_GRANTS.items():
    GRANTS[_role] = GRANTS.get(_role, frozenset()) | _extra

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
