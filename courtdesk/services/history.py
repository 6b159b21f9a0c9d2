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
from typing import Any

from courtdesk.domain.case_status import CaseStatus
from courtdesk.domain.case_types import default_catalog
from courtdesk.domain.money import fen_to_yuan, format_yuan
from courtdesk.domain.procedures import PROCEDURES
from courtdesk.services import settings
from courtdesk.services.permissions import Permission, case_access, require, require_case
from courtdesk.services.workspace import ROLE_LABELS, Workspace
from courtdesk.store import audit as audit_store

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
    row = conn.execute("SELECT display_name FROM users WHERE id = ?", (value,)).fetchone()
    return str(row[0]) if row else f"用户 {value}"


def _division_name(conn: sqlite3.Connection, value: Any) -> str:
    row = conn.execute("SELECT name FROM divisions WHERE id = ?", (value,)).fetchone()
    return str(row[0]) if row else f"庭室 {value}"


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
}.items():
    describe_action(_action, _label)


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
    label = _TABLES.get(table, table)
    if record_id is None:
        return label
    if table == "parties":
        row = conn.execute("SELECT name FROM parties WHERE id = ?", (record_id,)).fetchone()
        return f"{label}「{row[0]}」" if row else label
    if table == "agents":
        row = conn.execute("SELECT name FROM agents WHERE id = ?", (record_id,)).fetchone()
        return f"{label}「{row[0]}」" if row else label
    if table == "users":
        row = conn.execute(
            "SELECT display_name, username FROM users WHERE id = ?", (record_id,)
        ).fetchone()
        return f"{label}「{row[0]}（{row[1]}）」" if row else label
    return label


def _entries(conn: sqlite3.Connection, raw: list[audit_store.AuditEntry]) -> list[HistoryEntry]:
    names = {str(r[0]): str(r[1]) for r in conn.execute("SELECT username, display_name FROM users")}
    entries = []
    for entry in raw:
        who = entry.username
        if who in names:
            who = f"{names[who]}（{who}）"
        elif who == "system":
            who = "courtdesk 系统"
        entries.append(
            HistoryEntry(
                id=entry.id,
                at=entry.at[:19].replace("T", " "),
                who=who,
                action=_ACTIONS.get(entry.action, entry.action),
                what=_what(conn, entry.table_name, entry.record_id),
                changes=_changes(conn, entry.table_name, entry.changes),
            )
        )
    return entries


def case_history(ws: Workspace, case_id: int) -> list[HistoryEntry]:
    """Every audited change to one case, oldest first (the 操作记录 tab)."""
    require(ws.actor, Permission.VIEW_CASES)
    with ws.db.snapshot() as conn:
        require_case(ws.actor, Permission.VIEW_CASES, case_access(conn, case_id))
        return _entries(conn, audit_store.for_case(conn, case_id))


def recent(ws: Workspace, limit: int = 500, before_id: int | None = None) -> list[HistoryEntry]:
    """The latest changes across the court, newest first (administrator and president)."""
    require(ws.actor, Permission.VIEW_AUDIT)
    with ws.db.snapshot() as conn:
        return _entries(conn, audit_store.latest(conn, limit, before_id))
