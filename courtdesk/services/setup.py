"""Creating a courtdesk database for a court (``courtdesk init``)."""

from __future__ import annotations

import os
from pathlib import Path

from courtdesk.domain.case_number import is_valid_court_code
from courtdesk.domain.text import clean_text, has_control_characters
from courtdesk.errors import CourtdeskError, FieldProblem, ValidationError
from courtdesk.services import audit
from courtdesk.services.accounts import set_initial_password
from courtdesk.services.workspace import SYSTEM, Workspace
from courtdesk.store import court
from courtdesk.store.audit import now_iso
from courtdesk.store.database import Database

ADMIN_USERNAME = "admin"


def validate_court(name: str, code: str) -> tuple[str, str]:
    name, code = clean_text(name), clean_text(code)
    problems = []
    if not name:
        problems.append(FieldProblem("court_name", "法院名称不能为空"))
    elif len(name) > 60 or has_control_characters(name):
        problems.append(FieldProblem("court_name", f"法院名称「{name}」不合理"))
    elif not name.endswith("法院") and not name.endswith("法庭"):
        problems.append(
            FieldProblem("court_name", f"法院名称「{name}」应以“法院”结尾，例如长春新区人民法院")
        )
    if not is_valid_court_code(code):
        problems.append(
            FieldProblem(
                "court_code", f"法院代字「{code}」格式不正确，应为省份简称加数字，例如吉0193"
            )
        )
    if problems:
        raise ValidationError(problems)
    return name, code


def init_court(
    path: str | os.PathLike[str],
    court_name: str,
    court_code: str,
    admin_password: str | None = None,
) -> Workspace:
    """Create (or finish initialising) a courtdesk database for one court.

    Creates the administrator account ``admin``, with ``admin_password`` if given;
    without one, the first sign-in chooses it (accounts.set_up_administrator).
    Refuses a database that already belongs to a court, so a typo cannot rename a
    court's records.
    """
    name, code = validate_court(court_name, court_code)
    target = Path(path).expanduser().absolute()
    db = Database.open(target, create=True)
    try:
        with db.transaction() as conn:
            existing = court.get_setting(conn, "court_code")
            if existing is not None:
                raise CourtdeskError(
                    f"数据库文件 {target} 已属于 {court.get_setting(conn, 'court_name')}（{existing}），不能重复初始化"
                )
            stamp = now_iso()
            for key, value in (("court_name", name), ("court_code", code), ("created_at", stamp)):
                court.put_setting(conn, key, value)
            audit.record(
                conn,
                SYSTEM,
                "court.init",
                "settings",
                None,
                {"court_name": [None, name], "court_code": [None, code]},
            )
            admin_id = court.insert_user(conn, ADMIN_USERNAME, "系统管理员", None, ["admin"], stamp)
            audit.record(
                conn,
                SYSTEM,
                "user.create",
                "users",
                admin_id,
                audit.created({"username": ADMIN_USERNAME, "roles": ["admin"]}),
            )
            if admin_password is not None:
                set_initial_password(conn, admin_id, admin_password)
    finally:
        db.close()
    return Workspace(target, SYSTEM)
