"""What each role may do, enforced here in services so the GUI and the CLI obey alike.

The GUI only hides what a role cannot do; a refused call raises
PermissionDeniedError with a message naming the user, the role and the action.

Two questions are asked:

- ``require(actor, permission)``: may this user do this kind of thing at all
  (``GRANTS``: role → permissions)?
- ``require_case(actor, permission, case)``: may this user do it *to this case*?
  Each role works within a scope (``ROLE_SCOPES``): a 法官 acts on the cases they
  preside over, a 书记员 on the cases they are clerk of, a 庭长 on the cases of their
  庭室, a 院长 on the whole court, and the desks (立案, 送达, 系统管理员, 只读) on
  the whole court. Cases heard in private (不公开审理) are further restricted:
  only the people assigned (承办人, 书记员, the 立案 clerk who registered it, and
  立案 staff while it has no judge yet, so it can be assigned), the 庭长 of its
  庭室 and the 院长 may see it. The 送达 desk may serve its documents without
  reading the file (a summons in a private case must still reach the parties).

Features add ``Permission`` members, their labels, and grants here; the role list
in the issue (accounts and roles) is the rule every grant follows, and
``tests/services/test_permissions.py`` checks that every permission is granted
to some role and that the administrator never edits a case.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from courtdesk.errors import NotFoundError, PermissionDeniedError
from courtdesk.services.workspace import GUEST_ROLE, ROLE_LABELS, Actor
from courtdesk.store import docket as docket_store
from courtdesk.store.docket import Viewer


class Permission(StrEnum):
    # Cases
    REGISTER_CASE = "register_case"
    ASSIGN_CASE = "assign_case"
    VIEW_CASES = "view_cases"
    EDIT_CASE = "edit_case"
    IMPORT_CASES = "import_cases"
    # 审限、结案与归档 (issue 3)
    APPLY_EXTENSION = "apply_extension"
    DECIDE_EXTENSION = "decide_extension"
    MANAGE_EXCLUSIONS = "manage_exclusions"
    CONVERT_PROCEDURE = "convert_procedure"
    CLOSE_CASE = "close_case"
    ARCHIVE_CASE = "archive_case"
    CORRECT_CLOSED_CASE = "correct_closed_case"
    VIEW_STATISTICS = "view_statistics"
    # 送达
    VIEW_SERVICE = "view_service"
    REQUEST_SERVICE = "request_service"
    MANAGE_SERVICE = "manage_service"
    # 排期
    SCHEDULE_HEARING = "schedule_hearing"
    MANAGE_COURTROOMS = "manage_courtrooms"
    # 文书
    PRINT_NOTICES = "print_notices"
    EDIT_NOTICE_TEMPLATES = "edit_notice_templates"
    # Tools
    USE_CALCULATORS = "use_calculators"
    # The court and its data
    MANAGE_COURT = "manage_court"
    MANAGE_ACCOUNTS = "manage_accounts"
    BACKUP_DATABASE = "backup_database"
    RESTORE_DATABASE = "restore_database"
    VIEW_AUDIT = "view_audit"


_LABELS: dict[Permission, str] = {
    Permission.REGISTER_CASE: "立案登记",
    Permission.ASSIGN_CASE: "分案或调整承办人",
    Permission.VIEW_CASES: "查看案件",
    Permission.EDIT_CASE: "修改案件信息",
    Permission.IMPORT_CASES: "批量导入案件",
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
    Permission.SCHEDULE_HEARING: "排期",
    Permission.MANAGE_COURTROOMS: "管理法庭",
    Permission.PRINT_NOTICES: "生成和打印文书",
    Permission.EDIT_NOTICE_TEMPLATES: "修改文书模板",
    Permission.USE_CALCULATORS: "使用计算工具",
    Permission.MANAGE_COURT: "管理法院设置",
    Permission.MANAGE_ACCOUNTS: "管理用户账户",
    Permission.BACKUP_DATABASE: "备份数据库",
    Permission.RESTORE_DATABASE: "从备份恢复数据库",
    Permission.VIEW_AUDIT: "查看全院操作记录",
}

# Permissions that change a case (the administrator holds none of these).
CASE_CHANGES: frozenset[Permission] = frozenset(
    {
        Permission.REGISTER_CASE,
        Permission.ASSIGN_CASE,
        Permission.EDIT_CASE,
        Permission.IMPORT_CASES,
        Permission.APPLY_EXTENSION,
        Permission.DECIDE_EXTENSION,
        Permission.MANAGE_EXCLUSIONS,
        Permission.CONVERT_PROCEDURE,
        Permission.CLOSE_CASE,
        Permission.ARCHIVE_CASE,
        Permission.CORRECT_CLOSED_CASE,
        Permission.REQUEST_SERVICE,
        Permission.MANAGE_SERVICE,
        Permission.SCHEDULE_HEARING,
    }
)

P = Permission
# The role list, role by role; the scope each role works in is ROLE_SCOPES.
# 排期 is centralised in the seed courts (审判辅助事务集约中心), but judges, clerks and
# the filing division schedule too; administrators and division chiefs keep the list
# of courtrooms. Notices are printed by whoever works the case.
GRANTS: dict[str, frozenset[Permission]] = {
    # 系统管理员: accounts, settings, templates, courtrooms, backups. Reads public cases
    # (to help users with what they see) but changes none, and sees no private case.
    "admin": frozenset(
        {
            P.VIEW_CASES,
            P.MANAGE_COURT,
            P.MANAGE_ACCOUNTS,
            P.MANAGE_COURTROOMS,
            P.EDIT_NOTICE_TEMPLATES,
            P.BACKUP_DATABASE,
            P.RESTORE_DATABASE,
            P.VIEW_AUDIT,
        }
    ),
    # 立案: registers and assigns; corrects what was registered; imports batches.
    "registrar": frozenset(
        {
            P.VIEW_CASES,
            P.REGISTER_CASE,
            P.ASSIGN_CASE,
            P.EDIT_CASE,
            P.IMPORT_CASES,
            P.SCHEDULE_HEARING,
            P.VIEW_SERVICE,
            P.REQUEST_SERVICE,
            P.PRINT_NOTICES,
            P.VIEW_STATISTICS,
        }
    ),
    # 法官: their own cases — hearings, time-limit applications, closing.
    "judge": frozenset(
        {
            P.VIEW_CASES,
            P.EDIT_CASE,
            P.SCHEDULE_HEARING,
            P.APPLY_EXTENSION,
            P.CONVERT_PROCEDURE,
            P.CLOSE_CASE,
            P.VIEW_SERVICE,
            P.REQUEST_SERVICE,
            P.PRINT_NOTICES,
            P.VIEW_STATISTICS,
        }
    ),
    # 书记员: the cases they are clerk of.
    "clerk": frozenset(
        {
            P.VIEW_CASES,
            P.EDIT_CASE,
            P.SCHEDULE_HEARING,
            P.MANAGE_EXCLUSIONS,
            P.CLOSE_CASE,
            P.ARCHIVE_CASE,
            P.VIEW_SERVICE,
            P.REQUEST_SERVICE,
            P.PRINT_NOTICES,
        }
    ),
    # 送达: the service desk.
    "service": frozenset(
        {P.VIEW_CASES, P.VIEW_SERVICE, P.REQUEST_SERVICE, P.MANAGE_SERVICE, P.PRINT_NOTICES}
    ),
    # 庭长: reads everything in the division; approves extensions and reassignments.
    "chief": frozenset(
        {
            P.VIEW_CASES,
            P.ASSIGN_CASE,
            P.DECIDE_EXTENSION,
            P.CONVERT_PROCEDURE,
            P.CORRECT_CLOSED_CASE,
            P.SCHEDULE_HEARING,
            P.MANAGE_COURTROOMS,
            P.VIEW_SERVICE,
            P.PRINT_NOTICES,
            P.VIEW_STATISTICS,
        }
    ),
    # 院长: the same for the whole court, and the court-wide audit trail.
    "president": frozenset(
        {
            P.VIEW_CASES,
            P.ASSIGN_CASE,
            P.DECIDE_EXTENSION,
            P.CONVERT_PROCEDURE,
            P.CORRECT_CLOSED_CASE,
            P.VIEW_SERVICE,
            P.PRINT_NOTICES,
            P.VIEW_STATISTICS,
            P.VIEW_AUDIT,
        }
    ),
    # 只读
    "readonly": frozenset({P.VIEW_CASES, P.VIEW_SERVICE, P.VIEW_STATISTICS}),
    # 人民陪审员: reads the cases of the panels they sit on (scope PANEL), nothing else.
    "assessor": frozenset({P.VIEW_CASES}),
    # Not a role anyone is given: a command-line tool used without signing in (the
    # calculators). It may do only what every role may, and read no case.
    GUEST_ROLE: frozenset(),
}

# Every role may use the calculators (fees, lending interest, periods): they read only
# the court's settings and reference tables, never case data.
GRANTS = {role: granted | {Permission.USE_CALCULATORS} for role, granted in GRANTS.items()}


class Scope(StrEnum):
    COURT = "court"  # every case (private ones only for the people involved)
    DIVISION = "division"  # the cases of the actor's 庭室, private ones included
    PRESIDING = "presiding"  # the cases the actor presides over
    CLERK = "clerk"  # the cases the actor is clerk of
    PANEL = "panel"  # the cases whose current panel the actor sits on


ROLE_SCOPES: dict[str, Scope] = {
    "admin": Scope.COURT,
    "registrar": Scope.COURT,
    "judge": Scope.PRESIDING,
    "clerk": Scope.CLERK,
    "service": Scope.COURT,
    "chief": Scope.DIVISION,
    "president": Scope.COURT,
    "readonly": Scope.COURT,
    "assessor": Scope.PANEL,
    GUEST_ROLE: Scope.COURT,
}

_SCOPE_REASONS = {
    Scope.PRESIDING: "法官只能办理自己承办的案件",
    Scope.CLERK: "书记员只能办理自己担任书记员的案件",
    Scope.DIVISION: "庭长只能处理本庭的案件",
    Scope.PANEL: "人民陪审员只能查看自己参加合议庭的案件",
    Scope.COURT: "",
}

# Desk roles whose work on a private case does not open its file (see module docstring).
_PRIVATE_DESK_WORK = frozenset({"service"})


def label(permission: Permission) -> str:
    return _LABELS.get(permission, str(permission))


def allowed(actor: Actor, permission: Permission) -> bool:
    if "system" in actor.roles:
        return True
    return any(permission in GRANTS.get(role, frozenset()) for role in actor.roles)


def _roles_text(actor: Actor) -> str:
    return "、".join(ROLE_LABELS.get(r, r) for r in sorted(actor.roles)) or "无角色"


def require(actor: Actor, permission: Permission) -> None:
    if not allowed(actor, permission):
        if GUEST_ROLE in actor.roles:
            raise PermissionDeniedError(
                f"「{label(permission)}」需要登录：请用 --user 指定用户名（密码取自环境变量"
                " COURTDESK_PASSWORD 或在终端中输入）"
            )
        raise PermissionDeniedError(
            f"用户 {actor.display_name}（{_roles_text(actor)}）无权进行「{label(permission)}」"
        )


# ------------------------------------------------------------------ per case
@dataclass(frozen=True)
class CaseAccess:
    """The facts about a case that decide who may see or change it."""

    id: int
    case_number: str
    presiding_judge_id: int | None
    clerk_id: int | None
    division_id: int | None
    created_by: int | None
    is_private: bool
    # The current panel's members (合议庭); known when loaded with case_access().
    panel_member_ids: frozenset[int] = frozenset()

    @classmethod
    def of(
        cls,
        case: CaseAccess | Mapping[str, Any] | sqlite3.Row | Any,
        panel_member_ids: frozenset[int] = frozenset(),
    ) -> CaseAccess:
        """From a ``cases`` row (sqlite3.Row or mapping), a CaseDetail, or a CaseAccess."""
        if isinstance(case, CaseAccess):
            return case.with_panel(panel_member_ids) if panel_member_ids else case
        # sqlite3.Row has no __contains__ for its keys, and keys() makes a new list each time.
        row_keys = frozenset(case.keys()) if isinstance(case, sqlite3.Row) else frozenset()

        def get(name: str, *aliases: str) -> Any:
            for key in (name, *aliases):
                if isinstance(case, sqlite3.Row):
                    if key in row_keys:
                        return case[key]
                elif isinstance(case, Mapping):
                    if key in case:
                        return case[key]
                elif hasattr(case, key):
                    return getattr(case, key)
            raise KeyError(f"case record has no {name}")

        return cls(
            id=int(get("id")),
            case_number=str(get("case_number")),
            presiding_judge_id=get("presiding_judge_id"),
            clerk_id=get("clerk_id"),
            division_id=get("division_id"),
            created_by=get("created_by", "created_by_id"),
            is_private=bool(get("is_private")),
            panel_member_ids=panel_member_ids,
        )

    def with_panel(self, member_ids: frozenset[int]) -> CaseAccess:
        return replace(self, panel_member_ids=member_ids)


def case_access(conn: sqlite3.Connection, case_id: int) -> CaseAccess:
    """Load the access facts of one case, panel included (NotFoundError if there is none)."""
    row = docket_store.access_row(conn, case_id)
    if row is None:
        raise NotFoundError(f"编号为 {case_id} 的案件不存在")
    return case_access_of(conn, row)


def case_access_of(conn: sqlite3.Connection, case: sqlite3.Row) -> CaseAccess:
    """The access facts of a ``cases`` row already read, panel included.

    For a service that needs the whole row anyway: the case is read once, not once
    for the permission check and again for the work.
    """
    return CaseAccess.of(case, docket_store.panel_member_ids(conn, int(case["id"])))


def involved(actor: Actor, case: CaseAccess) -> bool:
    """Whether the actor may see this case even if it is heard in private."""
    if "system" in actor.roles or "president" in actor.roles:
        return True
    uid = actor.user_id
    if uid is not None and uid in (case.presiding_judge_id, case.clerk_id, case.created_by):
        return True
    if uid is not None and uid in case.panel_member_ids:
        return True
    if "chief" in actor.roles and case.division_id is not None:
        return case.division_id == actor.division_id or _unassigned_for_registrar(actor, case)
    return _unassigned_for_registrar(actor, case)


def _unassigned_for_registrar(actor: Actor, case: CaseAccess) -> bool:
    # 立案 staff must see a private case until it has a judge, or nobody could assign it.
    return "registrar" in actor.roles and case.presiding_judge_id is None


def _role_covers(role: str, actor: Actor, case: CaseAccess, permission: Permission) -> bool:
    scope = ROLE_SCOPES.get(role)
    if scope is Scope.PRESIDING:
        return actor.user_id is not None and case.presiding_judge_id == actor.user_id
    if scope is Scope.CLERK:
        return actor.user_id is not None and case.clerk_id == actor.user_id
    if scope is Scope.DIVISION:
        return case.division_id is not None and case.division_id == actor.division_id
    if scope is Scope.PANEL:
        return actor.user_id is not None and actor.user_id in case.panel_member_ids
    if scope is Scope.COURT:
        if not case.is_private or role == "president":
            return True
        if role in _PRIVATE_DESK_WORK and permission is not Permission.VIEW_CASES:
            return True
        return involved(actor, case)
    return False


def can_view(actor: Actor, case: CaseAccess | Mapping[str, Any] | Any) -> bool:
    """Whether the actor may read this case (public cases: anyone who reads cases)."""
    access = CaseAccess.of(case)
    if "system" in actor.roles:
        return True
    readers = [r for r in actor.roles if Permission.VIEW_CASES in GRANTS.get(r, frozenset())]
    if not readers:
        return False
    if all(ROLE_SCOPES.get(r) is Scope.PANEL for r in readers):
        # 人民陪审员 read only the cases of their panels, public or not.
        return actor.user_id is not None and actor.user_id in access.panel_member_ids
    return not access.is_private or involved(actor, access)


def can(actor: Actor, permission: Permission, case: CaseAccess | Mapping[str, Any] | Any) -> bool:
    """Whether the actor may do ``permission`` to this case (the GUI hides what this refuses)."""
    access = CaseAccess.of(case)
    if "system" in actor.roles:
        return True
    if permission is Permission.VIEW_CASES:
        return can_view(actor, access)
    return any(
        permission in GRANTS.get(role, frozenset())
        and _role_covers(role, actor, access, permission)
        for role in actor.roles
    )


def require_case(
    actor: Actor, permission: Permission, case: CaseAccess | Mapping[str, Any] | Any
) -> CaseAccess:
    """Refuse unless the actor may do ``permission`` to this case; returns its access facts.

    ``case`` is a ``cases`` row (sqlite3.Row or mapping), a CaseDetail or a
    CaseAccess. Call it inside the transaction that changes the case, with the row
    read there, so a reassignment made a moment ago is respected.
    """
    access = CaseAccess.of(case)
    require(actor, permission)
    if can(actor, permission, access):
        return access
    who = f"用户 {actor.display_name}（{_roles_text(actor)}）"
    if access.is_private and not involved(actor, access):
        raise PermissionDeniedError(
            f"{who}无权查看或办理案件 {access.case_number}：该案不公开审理，"
            "仅承办人员及其庭长、院长可以查看"
        )
    reasons = [
        _SCOPE_REASONS[ROLE_SCOPES[role]]
        for role in sorted(actor.roles)
        if permission in GRANTS.get(role, frozenset())
        and role in ROLE_SCOPES
        and _SCOPE_REASONS[ROLE_SCOPES[role]]
    ]
    why = f"：{'；'.join(reasons)}" if reasons else ""
    raise PermissionDeniedError(
        f"{who}无权对案件 {access.case_number} 进行「{label(permission)}」{why}"
    )


def require_case_id(
    conn: sqlite3.Connection, actor: Actor, permission: Permission, case_id: int
) -> CaseAccess:
    """``require_case`` for a case known by id: loads its facts (panel included) on ``conn``.

    The simplest call for a service: ``require_case_id(conn, ws.actor, Permission.X, case_id)``
    inside the transaction (or snapshot) that then reads or changes the case.
    """
    return require_case(actor, permission, case_access(conn, case_id))


def viewer(actor: Actor) -> Viewer | None:
    """The docket restriction for ``actor``; None when they may see every case."""
    if "system" in actor.roles or "president" in actor.roles:
        return None
    readers = [r for r in actor.roles if Permission.VIEW_CASES in GRANTS.get(r, frozenset())]
    return Viewer(
        user_id=actor.user_id,
        division_id=actor.division_id if "chief" in actor.roles else None,
        sees_unassigned="registrar" in actor.roles,
        panel_only=bool(readers) and all(ROLE_SCOPES.get(r) is Scope.PANEL for r in readers),
    )
