"""操作记录 read as people read it: who, what, field names in Chinese, old → new."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from courtdesk.domain.parties import PartyDraft, PartyKind
from courtdesk.errors import PermissionDeniedError
from courtdesk.services import accounts, cases, history
from courtdesk.services.accounts import DEMO_PASSWORD, AccountDraft
from courtdesk.services.workspace import Workspace, open_workspace
from tests.services.test_backup_restore import small_case


def test_a_case_history_names_people_fields_and_values(registrar: Workspace) -> None:
    detail = cases.register_case(registrar, small_case("历史"))
    party = detail.parties[1]
    cases.update_party(
        registrar,
        party.id,
        party.version,
        PartyDraft(party.role, "历史丙", PartyKind.PERSON, phone="13800001111"),
    )
    entries = history.case_history(registrar, detail.id)
    who = f"{registrar.actor.display_name}（{registrar.actor.username}）"
    actions = [e.action for e in entries]
    assert actions[:3] == ["立案登记", "添加当事人", "添加当事人"] and actions[-1] == "修改当事人"
    # Registering also hands the complaint copies to the service centre, in the same trail.
    assert "生成送达任务" in actions
    assert all(e.who == who for e in entries)
    for entry in entries:  # every field of every feature's rows reads in Chinese
        for change in entry.changes:
            assert not change.field.isascii(), (entry.action, change.field)
    registered = entries[0]
    fields = {c.field: c for c in registered.changes}
    assert fields["案号"].new == detail.case_number and fields["案号"].old is None
    assert fields["程序"].new == "简易程序"
    assert fields["状态"].new == "待分案"
    assert fields["不公开审理"].new == "否"
    update = entries[-1]
    assert update.what == "当事人「历史丙」"
    assert "姓名或名称：历史乙 → 历史丙" in update.summary()
    assert "电话：（空） → 13800001111" in update.summary()


def test_amounts_and_judges_read_as_money_and_names(registrar: Workspace, demo_path: Path) -> None:
    from decimal import Decimal

    from courtdesk.services.reference import people_with_role

    judge = people_with_role(registrar, "judge")[0]
    draft = small_case("金额")
    detail = cases.register_case(
        registrar,
        cases.CaseDraft(
            draft.type_code,
            draft.procedure,
            draft.cause,
            draft.filing_date,
            draft.parties,
            Decimal("50000.5"),
            presiding_judge_id=judge.id,
        ),
    )
    first = history.case_history(registrar, detail.id)[0]
    fields = {c.field: c.new for c in first.changes}
    assert fields["诉讼标的额"] == "50,000.50 元"
    assert fields["承办人"] == judge.name


def test_the_history_of_a_private_case_is_as_private_as_the_case(
    registrar: Workspace, demo_path: Path
) -> None:
    with sqlite3.connect(demo_path) as conn:
        case_id = conn.execute(
            "SELECT id FROM cases WHERE is_private = 1 AND presiding_judge_id IS NOT NULL LIMIT 1"
        ).fetchone()[0]
    with pytest.raises(PermissionDeniedError, match="不公开审理"):
        history.case_history(registrar, case_id)


def test_the_courtwide_trail_is_for_the_administrator_and_reads_account_changes(
    demo_path: Path, registrar: Workspace
) -> None:
    admin = accounts.sign_in(demo_path, "admin", DEMO_PASSWORD)
    try:
        user_id = accounts.create_account(
            admin, AccountDraft("liuxin", "刘欣", None, ("readonly",)), "first-pass-9"
        )
        account = next(a for a in accounts.list_accounts(admin) if a.id == user_id)
        accounts.update_account(
            admin, user_id, account.version, AccountDraft("liuxin", "刘欣", None, ("clerk",))
        )
        latest = history.recent(admin, 5)
    finally:
        admin.close()
    assert latest[0].action == "修改账户" and latest[0].what == "账户「刘欣（liuxin）」"
    assert "角色：只读 → 书记员" in latest[0].summary()
    assert latest[1].action == "创建账户"
    with pytest.raises(PermissionDeniedError):
        history.recent(registrar)


def test_a_judges_new_name_follows_onto_the_docket(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as conn:
        judge_id, old_name = conn.execute(
            "SELECT presiding_judge_id, judge_name FROM cases WHERE presiding_judge_id IS NOT NULL LIMIT 1"
        ).fetchone()
    admin = accounts.sign_in(demo_path, "admin", DEMO_PASSWORD)
    try:
        account = next(a for a in accounts.list_accounts(admin) if a.id == judge_id)
        accounts.update_account(
            admin,
            judge_id,
            account.version,
            AccountDraft(account.username, "改名法官", account.division_id, account.roles),
        )
    finally:
        admin.close()
    with sqlite3.connect(demo_path) as conn:
        names = {
            r[0]
            for r in conn.execute(
                "SELECT judge_name FROM cases WHERE presiding_judge_id = ?", (judge_id,)
            )
        }
    assert names == {"改名法官"} and old_name not in names
    open_workspace(demo_path).close()


def _audit_calls() -> list[tuple[str, str, str]]:
    """(where, action, table) of every ``audit.record(conn, actor, "action", "table", ...)``."""
    import ast

    found = []
    for source in sorted(Path(history.__file__).parent.parent.rglob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
                and len(node.args) >= 4
            ):
                action, table = node.args[2], node.args[3]
                found.append(
                    (
                        f"{source.name}:{node.lineno}",
                        action.value if isinstance(action, ast.Constant) else "",
                        table.value if isinstance(table, ast.Constant) else "",
                    )
                )
    return found


def test_every_action_and_table_the_code_audits_has_a_chinese_name() -> None:
    calls = _audit_calls()
    assert len(calls) > 40  # the scan finds the calls (it would pass vacuously otherwise)
    for where, action, table in calls:
        if action:
            assert history.action_label(action) != action, f"{where}: {action}"
        if table:
            assert history.table_label(table) != table, f"{where}: {table}"


def test_the_demo_databases_trail_reads_in_chinese(demo_path: Path) -> None:
    import re

    president = people_with_role(demo_path, "president")
    ws = open_workspace(demo_path, president)
    try:
        entries = history.recent(ws, 5_000)
    finally:
        ws.close()
    assert entries
    latin = re.compile(r"[A-Za-z_]{3,}")
    for entry in entries:
        assert not latin.search(entry.action), entry.action
        # Names in 「」 may be Latin (user names); the words around them may not.
        assert not latin.search(re.sub(r"「.*?」", "", entry.what)), entry.what
        for change in entry.changes:
            assert not latin.search(change.field), (entry.action, change.field)


def people_with_role(path: Path, role: str) -> str:
    with sqlite3.connect(path) as conn:
        return str(
            conn.execute(
                "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
                " WHERE r.role = ? ORDER BY u.id LIMIT 1",
                (role,),
            ).fetchone()[0]
        )


def test_codes_in_a_cases_trail_read_as_words(registrar: Workspace, demo_path: Path) -> None:
    """The 操作记录 tab shows 受理通知书 and 立案, never acceptance_notice or registration."""
    import re

    from courtdesk.domain.service import DocumentKind
    from courtdesk.domain.service import Outcome as R
    from courtdesk.domain.service import ServiceMethod as M
    from tests.services.test_service import TODAY, Attempt, civil_case, record, task_for

    case = cases.register_case(registrar, civil_case())
    server = open_workspace(demo_path, people_with_role(demo_path, "service"))
    try:
        task = task_for(server, case, "李四", DocumentKind.COMPLAINT_COPY)
        record(
            server,
            task,
            Attempt(M.DIRECT, R.DELIVERED, TODAY, receiver_name="李四", receiver_relation="本人"),
        )
        entries = history.case_history(registrar, case.id)
    finally:
        server.close()
    code = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
    values = {
        (entry.action, change.field, value)
        for entry in entries
        for change in entry.changes
        for value in (change.old, change.new)
        if value
    }
    leaked = sorted(v for v in values if code.match(v[2]))
    assert not leaked, leaked
    assert ("生成送达任务", "文书", "起诉状副本") in values
    assert ("生成送达任务", "来源", "立案") in values
