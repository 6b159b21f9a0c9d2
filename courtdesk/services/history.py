"""Reading the audit trail as people do: who changed what, field by field, in Chinese.

The 操作记录 tab of a case and the administrator's view of the whole trail come
from here. Audit rows store field names and raw values (ids, codes, fen); this
module turns them into text: ``承办人：（空） → 王建国``, ``诉讼标的额：
50,000.00 元``.

A feature that writes audit rows for its own tables describes them once, at import:

    history.describe_table("hearings", "庭审", {"start": "开庭时间", "room_id": "法庭"})
    history.describe_action("hearing.schedule", "排定庭审")
    history.describe_values("room_id", lambda conn, v: room_name(conn, v))

Anything not described is still shown, under its stored name, so nothing is hidden.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from courtdesk.domain.case_status import CaseStatus
from courtdesk.domain.case_types import default_catalog
from courtdesk.domain.money import fen_to_yuan, format_yuan
from courtdesk.domain.procedures import PROCEDURES
from courtdesk.domain.service import (
    DocumentKind,
    EffectKind,
    Outcome,
    ReturnReason,
    ServiceMethod,
    TaskState,
)
from courtdesk.services import settings
from courtdesk.services.permissions import Permission, require, require_case_id
from courtdesk.services.workspace import ROLE_LABELS, Workspace
from courtdesk.store import audit as audit_store
from courtdesk.store import names

Formatter = Callable[[sqlite3.Connection, Any], str]

_TABLES: dict[str, str] = {}
_FIELDS: dict[tuple[str, str], str] = {}
_ACTIONS: dict[str, str] = {}
_VALUES: dict[str, Formatter] = {}


def describe_table(table: str, label: str, fields: dict[str, str]) -> None:
    """Chinese names for a table and its fields, as the audit rows store them."""
    _TABLES[table] = label
    for field, field_label in fields.items():
        _FIELDS[(table, field)] = field_label


def describe_action(action: str, label: str) -> None:
    _ACTIONS[action] = label


def describe_values(field: str, formatter: Formatter) -> None:
    """How to show the values of ``field`` (in any table): ids as names, codes as labels."""
    _VALUES[field] = formatter


EMPTY = "（空）"


def _user_name(conn: sqlite3.Connection, value: Any) -> str:
    return names.name_of(conn, "users", value) or f"用户 {value}"


def _division_name(conn: sqlite3.Connection, value: Any) -> str:
    return names.name_of(conn, "divisions", value) or f"庭室 {value}"


def _named(conn: sqlite3.Connection, table: str, value: Any, what: str) -> str:
    return names.name_of(conn, table, value) or f"{what} {value}"


def _status(_: sqlite3.Connection, value: Any) -> str:
    try:
        return CaseStatus(value).label
    except ValueError:
        return str(value)


def _procedure(_: sqlite3.Connection, value: Any) -> str:
    found = PROCEDURES.get(str(value))
    return found.label if found else str(value)


def _type_name(_: sqlite3.Connection, value: Any) -> str:
    found = default_catalog().get(str(value))
    return f"{value}（{found.name}）" if found else str(value)


def _fen(_: sqlite3.Connection, value: Any) -> str:
    return f"{format_yuan(fen_to_yuan(int(value)))} 元"


def _yes_no(_: sqlite3.Connection, value: Any) -> str:
    return "是" if value in (True, 1, "1") else "否"


def _party_kind(_: sqlite3.Connection, value: Any) -> str:
    return {"person": "自然人", "organisation": "法人或其他组织"}.get(str(value), str(value))


def _roles(_: sqlite3.Connection, value: Any) -> str:
    if isinstance(value, list):
        return "、".join(ROLE_LABELS.get(str(r), str(r)) for r in value) or EMPTY
    return str(value)


for _field in ("presiding_judge_id", "clerk_id", "created_by", "user_id", "judge_id"):
    describe_values(_field, _user_name)
describe_values("division_id", _division_name)
describe_values("status", _status)
describe_values("procedure", _procedure)
describe_values("type_code", _type_name)
describe_values("amount_claimed_fen", _fen)
describe_values("is_private", _yes_no)
describe_values("active", _yes_no)
describe_values("kind", _party_kind)
describe_values("roles", _roles)

describe_table(
    "cases",
    "案件",
    {
        "case_number": "案号",
        "type_code": "案件类型",
        "procedure": "程序",
        "cause": "案由",
        "filing_date": "立案日期",
        "source": "收案来源",
        "amount_claimed_fen": "诉讼标的额",
        "status": "状态",
        "division_id": "承办部门",
        "presiding_judge_id": "承办人",
        "clerk_id": "书记员",
        "time_limit_expiry": "审限届满日",
        "closed_date": "结案日期",
        "is_private": "不公开审理",
        # Batch rows (demo data, imports) record counts and ranges instead of fields.
        "cases": "案件数",
        "parties": "当事人数",
        "agents": "代理人数",
        "hearings": "开庭次数",
        "first_case_id": "起始编号",
        "last_case_id": "结束编号",
        "file": "文件",
        "first": "第一件",
        "last": "最后一件",
    },
)
describe_table(
    "parties",
    "当事人",
    {
        "role": "诉讼地位",
        "kind": "类型",
        "name": "姓名或名称",
        "sex": "性别",
        "birth_date": "出生日期",
        "id_number": "身份证号",
        "phone": "电话",
        "address": "地址",
        "credit_code": "统一社会信用代码",
        "legal_representative": "法定代表人",
    },
)
describe_table(
    "agents",
    "代理人",
    {
        "kind": "代理人类型",
        "name": "姓名",
        "law_firm": "执业机构",
        "licence_number": "执业证号",
        "phone": "电话",
        "party_id": "被代理人",
    },
)
describe_table(
    "users",
    "账户",
    {
        "username": "用户名",
        "display_name": "姓名",
        "division_id": "庭室",
        "roles": "角色",
        "active": "启用",
        "failed_attempts": "连续密码错误次数",
        "users": "账户数",
    },
)
describe_table("settings", "设置", {"court_name": "法院名称", "court_code": "法院代字"})
describe_table(
    "backups",
    "备份",
    {
        "kind": "类型",
        "path": "文件",
        "size_bytes": "大小（字节）",
        "from": "恢复自",
        "safety_copy": "恢复前副本",
    },
)
# The other features' tables, as their services write them (kept here, beside the
# foundation's, so the 操作记录 tab reads the same whichever feature wrote a row).
for _field in (
    "assigned_by",
    "applied_by",
    "decided_by",
    "approved_by",
    "opened_by",
    "closed_by",
    "recorded_by",
    "updated_by",
    "entered_by",
    "assignee_id",
    "staff_id",
):
    describe_values(_field, _user_name)
describe_values("courtroom_id", lambda conn, v: _named(conn, "courtrooms", v, "法庭"))
describe_values("party_id", lambda conn, v: _named(conn, "parties", v, "当事人"))
describe_values("roles", _roles)


def _coded(labels: Callable[[str], str | None]) -> Formatter:
    """A code shown by its label; a code this version does not know shows as stored."""

    def formatter(_: sqlite3.Connection, value: Any) -> str:
        return labels(str(value)) or str(value)

    return formatter


def _enum_label(*kinds: type[StrEnum]) -> Callable[[str], str | None]:
    def label(code: str) -> str | None:
        for kind in kinds:
            try:
                return str(kind(code).label)  # type: ignore[attr-defined]
            except ValueError:
                continue
        return None

    return label


# The service centre's codes (a field name may mean the same in several tables:
# "method" is an assignment's 自动/指定 as well as a service method).
_ORIGINS = {"registration": "立案", "hearing": "开庭", "manual": "手工添加"}
_ASSIGNMENT_METHODS = {"auto": "自动分案", "manual": "指定分案"}
_EFFECTS: dict[str, str] = {
    EffectKind.SERVED: "已送达",
    EffectKind.PENDING: "待回执",
    EffectKind.PUBLISHING: "公告期间",
    EffectKind.FAILED: "未送达",
}
describe_values("document", _coded(_enum_label(DocumentKind)))
describe_values("origin", _coded(_ORIGINS.get))
describe_values("state", _coded(_enum_label(TaskState)))
describe_values(
    "method",
    _coded(lambda code: _enum_label(ServiceMethod)(code) or _ASSIGNMENT_METHODS.get(code)),
)
describe_values("outcome", _coded(_enum_label(Outcome)))
describe_values("return_reason", _coded(_enum_label(ReturnReason)))
describe_values("effect", _coded(_EFFECTS.get))
_COMMON = {
    "case_id": "案件",
    "reason": "理由",
    "note": "备注",
    "status": "状态",
    "status_reason": "原因",
    "kind": "类型",
    "method": "方式",
    "address": "地址",
    "phone": "电话",
    "start_date": "开始日期",
    "end_date": "结束日期",
    "decided_on": "决定日期",
    "created_by": "创建人",
    "version": "版本",
}
for _table, _label, _fields in (
    (
        "case_assignments",
        "分案",
        {
            "division_id": "承办部门",
            "presiding_judge_id": "承办人",
            "clerk_id": "书记员",
            "bench": "审判组织",
            "method": "分案方式",
            "members": "合议庭成员",
        },
    ),
    (
        "time_limit_extensions",
        "延长审限",
        {
            "length": "延长期限",
            "approver": "审批机关",
            "expiry": "届满日",
            "late_application": "逾期申请",
            "after_expiry": "届满后决定",
        },
    ),
    ("time_limit_exclusions", "扣除审限期间", {"approver": "批准人"}),
    (
        "case_closings",
        "结案",
        {
            "manner": "结案方式",
            "delivery": "送达方式",
            "pronounced_on": "宣判日期",
            "closed_date": "结案日期",
            "time_limit_state": "审限情况",
            "services": "送达情况",
            "archive_number": "归档号",
            "correction_reason": "更正理由",
        },
    ),
    (
        "hearings",
        "庭审",
        {
            "mode": "方式",
            "courtroom_id": "法庭",
            "place": "地点",
            "start_at": "开始时间",
            "end_at": "结束时间",
            "presiding_judge_id": "审判长",
            "clerk_id": "书记员",
            "is_public": "公开审理",
            "override_reason": "冲突仍排期的理由",
            "override_conflicts": "冲突",
            "conflicts": "冲突",
            "panel_ids": "合议庭成员",
            "postponed_from": "原定时间",
        },
    ),
    (
        "courtrooms",
        "法庭",
        {
            "name": "名称",
            "division_id": "所属部门",
            "capacity": "座位数",
            "has_recording": "庭审录音录像",
            "has_remote_video": "远程视频",
            "active": "启用",
        },
    ),
    (
        "courtroom_closures",
        "法庭停用",
        {"courtroom_id": "法庭", "first_day": "起始日", "last_day": "截止日"},
    ),
    (
        "service_tasks",
        "送达任务",
        {
            "document": "文书",
            "title": "文书名称",
            "copies": "份数",
            "recipient_name": "受送达人",
            "recipient_role": "受送达人身份",
            "address_confirmed": "地址已确认",
            "origin": "来源",
            "due_date": "应送达日期",
            "state": "状态",
            "service_date": "送达日期",
            "assignee_id": "承办送达人员",
            "withdrawn_reason": "撤回理由",
            "tasks": "任务数",
            "addresses": "地址确认书数",
            "attempts": "送达记录数",
            "first_task_id": "起始编号",
            "last_task_id": "结束编号",
            "as_of": "截至",
        },
    ),
    (
        "service_attempts",
        "送达记录",
        {
            "outcome": "结果",
            "attempt_date": "送达日期",
            "receiver_name": "签收人",
            "receiver_relation": "与受送达人关系",
            "witnesses": "见证人",
            "waybill": "邮件单号",
            "posted_where": "公告地点",
            "effect": "效力",
            "service_date": "视为送达日期",
        },
    ),
    (
        "service_addresses",
        "送达地址确认书",
        {
            "postcode": "邮编",
            "recipient": "代收人",
            "electronic_consent": "同意电子送达",
            "electronic_address": "电子送达地址",
            "confirmed_on": "确认日期",
        },
    ),
    ("notice_templates", "文书模板", {"body": "正文", "updated_at": "修改时间"}),
    ("lpr_fixings", "LPR 报价", {"day": "报价日", "rate": "一年期 LPR"}),
    ("court_holidays", "节假日安排", {"year": "年度", "days": "天数"}),
):
    describe_table(_table, _label, {**_COMMON, **_fields})
describe_table("cases", "案件", {"file": "文件", "filter": "筛选条件", "rows": "行数"})

for _action, _label in {
    "case.register": "立案登记",
    "case.import": "批量导入",
    "party.add": "添加当事人",
    "party.update": "修改当事人",
    "agent.add": "添加代理人",
    "court.init": "创建数据库",
    "settings.put": "修改设置",
    "user.create": "创建账户",
    "user.update": "修改账户",
    "user.password_set": "设置管理员密码",
    "user.password_change": "修改密码",
    "user.password_reset": "重置密码",
    "user.sign_in_failed": "密码错误",
    "user.lock": "账户锁定",
    "user.unlock": "账户解锁",
    "backup.create": "备份数据库",
    "backup.restore": "从备份恢复",
    "demo.staff": "生成演示人员",
    "demo.cases": "生成演示案件",
    "demo.service": "生成演示送达记录",
    "party.correct": "更正当事人（已结案件）",
    "case.assign": "分案",
    "assignment.add": "分案",
    "case.close": "结案",
    "case.archive": "归档",
    "case.closing_correct": "更正结案信息",
    "case.procedure_convert": "转换审理程序",
    "time_limit.extension_apply": "申请延长审限",
    "time_limit.extension_approve": "批准延长审限",
    "time_limit.extension_refuse": "不批准延长审限",
    "time_limit.extension_withdraw": "撤回延长审限申请",
    "time_limit.exclusion_open": "登记扣除审限期间",
    "time_limit.exclusion_close": "结束扣除审限期间",
    "hearing.schedule": "排期",
    "hearing.move": "改期",
    "hearing.postpone": "延期开庭",
    "hearing.cancel": "撤销开庭",
    "hearing.override": "冲突仍排期",
    "courtroom.add": "新增法庭",
    "courtroom.update": "修改法庭",
    "courtroom.close": "停用法庭",
    "courtroom.reopen": "恢复法庭",
    "service.task.create": "生成送达任务",
    "service.task.assign": "分派送达任务",
    "service.task.readdress": "更改送达地址",
    "service.task.reschedule": "调整送达期限",
    "service.task.state": "送达任务状态变化",
    "service.task.withdraw": "撤回送达任务",
    "service.attempt.record": "登记送达",
    "service.attempt.complete": "送达完成",
    "service.address.confirm": "登记送达地址确认书",
    "service.address.update": "修改送达地址确认书",
    "service.public_notice.matured": "公告送达期满",
    "service.public_notice.recomputed": "节假日变更后重算公告送达日期",
    "notice_template.save": "修改文书模板",
    "notice_template.reset": "恢复默认文书模板",
    "docket.export": "导出案件列表",
    "lpr.enter": "录入 LPR",
    "lpr.delete": "删除 LPR",
    "holidays.enter_year": "录入节假日安排",
}.items():
    describe_action(_action, _label)


def action_label(action: str) -> str:
    """The Chinese name of an audited action (the code itself if none was described)."""
    return _ACTIONS.get(action, action)


def table_label(table: str) -> str:
    return _TABLES.get(table, table)


@dataclass(frozen=True)
class FieldChange:
    field: str  # Chinese label
    old: str | None  # None: the record was created (no old value to show)
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: str  # "2026-11-20 10:15:03"
    who: str  # "王建国（wangjianguo）"
    action: str  # Chinese label
    what: str  # "当事人「张三」", "案件"
    changes: tuple[FieldChange, ...]

    def summary(self) -> str:
        """The changes on one line: ``案由：买卖合同纠纷 → 民间借贷纠纷；电话：… → …``."""
        parts = []
        for change in self.changes:
            if change.old is None:
                parts.append(f"{change.field}：{change.new}")
            else:
                parts.append(f"{change.field}：{change.old} → {change.new}")
        return "；".join(parts)


def _value(conn: sqlite3.Connection, field: str, value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    formatter = _VALUES.get(field)
    if formatter is not None:
        try:
            return formatter(conn, value)
        except (ValueError, TypeError, ArithmeticError):
            return str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        return format_yuan(value)
    return str(value)


def _setting_label(table: str, field: str) -> str:
    if table == "settings":
        try:
            return settings.spec(field).label
        except KeyError:
            pass
    return field


def _order(table: str, field: str) -> tuple[int, str]:
    keys = [f for (t, f) in _FIELDS if t == table]
    return (keys.index(field) if field in keys else len(keys), field)


def _changes(
    conn: sqlite3.Connection, table: str, changes: dict[str, Any]
) -> tuple[FieldChange, ...]:
    result = []
    for field in sorted(changes, key=lambda f: _order(table, f)):
        change = changes[field]
        label = _FIELDS.get((table, field)) or _setting_label(table, field)
        if isinstance(change, list) and len(change) == 2:
            old, new = change
            if old is None and new in (None, "", []):
                continue  # a new record's empty fields say nothing
            result.append(
                FieldChange(
                    label,
                    None if old is None and table != "settings" else _value(conn, field, old),
                    _value(conn, field, new),
                )
            )
        else:
            result.append(FieldChange(label, None, _value(conn, field, change)))
    return tuple(result)


def _what(conn: sqlite3.Connection, table: str, record_id: int | None) -> str:
    label = table_label(table)
    if record_id is None:
        return label
    if table in ("parties", "agents"):
        name = names.name_of(conn, table, record_id)
        return f"{label}「{name}」" if name else label
    if table == "users":
        user = names.user_label(conn, record_id)
        return f"{label}「{user[0]}（{user[1]}）」" if user else label
    return label


def _entries(conn: sqlite3.Connection, raw: list[audit_store.AuditEntry]) -> list[HistoryEntry]:
    display = names.display_names_by_username(conn)
    entries = []
    for entry in raw:
        who = entry.username
        if who in display:
            who = f"{display[who]}（{who}）"
        elif who == "system":
            who = "courtdesk 系统"
        entries.append(
            HistoryEntry(
                id=entry.id,
                at=entry.at[:19].replace("T", " "),
                who=who,
                action=action_label(entry.action),
                what=_what(conn, entry.table_name, entry.record_id),
                changes=_changes(conn, entry.table_name, entry.changes),
            )
        )
    return entries


def case_history(ws: Workspace, case_id: int) -> list[HistoryEntry]:
    """Every audited change to one case, oldest first (the 操作记录 tab)."""
    require(ws.actor, Permission.VIEW_CASES)
    with ws.db.snapshot() as conn:
        require_case_id(conn, ws.actor, Permission.VIEW_CASES, case_id)
        return _entries(conn, audit_store.for_case(conn, case_id))


def recent(ws: Workspace, limit: int = 500, before_id: int | None = None) -> list[HistoryEntry]:
    """The latest changes across the court, newest first (administrator and president)."""
    require(ws.actor, Permission.VIEW_AUDIT)
    with ws.db.snapshot() as conn:
        return _entries(conn, audit_store.latest(conn, limit, before_id))
