from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from courtdesk.domain.parties import AgentDraft, PartyDraft, PartyKind
from courtdesk.errors import PermissionDeniedError, StaleRecordError, ValidationError
from courtdesk.services import cases, docket, reference
from courtdesk.services.cases import CaseDraft
from courtdesk.services.docket import DocketFilter, SortKey
from courtdesk.services.workspace import Workspace, open_workspace

PLAINTIFF = PartyDraft(
    "原告",
    "赵堃",
    id_number="11010519491231002X",
    phone="13800000000",
    address="吉林省长春市长春新区硅谷大街1号",
    agents=(AgentDraft("钱律师", "律师", "吉林功承律师事务所", "12201201010000001"),),
)
DEFENDANT = PartyDraft(
    "被告",
    "长春恒通商贸有限公司",
    kind=PartyKind.ORGANISATION,
    credit_code="91350100M000100Y43",
    legal_representative="孙某",
)


def draft(**changes: object) -> CaseDraft:
    base = CaseDraft(
        type_code="民初",
        procedure="civil_summary",
        cause="民间借贷纠纷",
        filing_date=date(2026, 11, 20),
        parties=(PLAINTIFF, DEFENDANT),
        amount_claimed=Decimal("123456.78"),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def table_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("cases", "parties", "agents", "audit_log", "case_search")
        }


def test_registering_stores_everything_with_the_next_number(registrar: Workspace) -> None:
    before = docket.count(registrar, DocketFilter(type_codes=("民初",)))
    detail = cases.register_case(registrar, draft())
    number = detail.case_number
    assert number.startswith("（2026）吉0193民初") and number.endswith("号")
    assert detail.status == "registered" and detail.presiding_judge is None
    assert detail.amount_claimed == "123456.78"
    assert detail.time_limit_expiry == "2027-02-20"
    assert [p.name for p in detail.parties] == ["赵堃", "长春恒通商贸有限公司"]
    assert detail.parties[0].sex == "女" and detail.parties[0].birth_date == "1949-12-31"
    assert detail.parties[0].agents[0].law_firm == "吉林功承律师事务所"
    assert docket.count(registrar, DocketFilter(type_codes=("民初",))) == before + 1
    # Found by a two-character name, pinyin initials, ID prefix, lawyer and number fragment.
    for text in ("赵堃", "zk", "110105194912", "钱律师", "功承律师", number[6:]):
        rows = docket.page(registrar, DocketFilter(text=text), SortKey.FILING_DATE, True, 0, 50)
        assert detail.id in [r.id for r in rows], text


def test_numbers_are_gapless_per_year_and_type(registrar: Workspace) -> None:
    first = cases.register_case(registrar, draft())
    second = cases.register_case(registrar, draft())
    other_type = cases.register_case(
        registrar,
        draft(
            type_code="民特",
            procedure="civil_special",
            cause="申请宣告自然人失踪",
            parties=(replace(PLAINTIFF, role="申请人"),),
            amount_claimed=None,
        ),
    )
    new_year = cases.register_case(registrar, draft(filing_date=date(2025, 12, 31)))

    def seq(d: cases.CaseDetail) -> int:
        return int(d.case_number.split("民初")[-1].rstrip("号")) if "民初" in d.case_number else 0

    assert seq(second) == seq(first) + 1
    assert "民特" in other_type.case_number
    assert new_year.case_number.startswith("（2025）")


def test_every_change_is_audited_with_the_acting_user(registrar: Workspace) -> None:
    detail = cases.register_case(registrar, draft())
    with sqlite3.connect(registrar.path) as conn:
        rows = conn.execute(
            "SELECT username, action, table_name, changes FROM audit_log WHERE case_id = ? ORDER BY id",
            (detail.id,),
        ).fetchall()
    # Features that react to the registration (service tasks …) audit their own rows after these.
    own = [r[1] for r in rows if not r[1].startswith("service.")]
    assert own == ["case.register", "party.add", "agent.add", "party.add"]
    assert {r[0] for r in rows} == {registrar.actor.username}
    assert json.loads(rows[0][3])["cause"] == [None, "民间借贷纠纷"]


def test_bad_input_reports_every_problem_and_stores_nothing(registrar: Workspace) -> None:
    before = table_counts(registrar.path)
    bad = draft(
        cause="  ",
        parties=(replace(PLAINTIFF, id_number="110105194912310021"), replace(DEFENDANT, name="")),
        filing_date=date(2099, 1, 1),
    )
    with pytest.raises(ValidationError) as caught:
        cases.register_case(registrar, bad)
    fields = {p.field for p in caught.value.problems}
    assert {"cause", "filing_date", "parties.0.id_number", "parties.1.name"} <= fields
    assert table_counts(registrar.path) == before


def test_a_failure_inside_the_transaction_leaves_no_trace_and_no_gap(
    registrar: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cases.register_case(registrar, draft())
    before = table_counts(registrar.path)
    from courtdesk.services import cases as cases_module

    def explode(*_args: object) -> None:
        raise OSError("disk went away")

    monkeypatch.setattr(cases_module, "reindex", explode)
    with pytest.raises(OSError):
        cases.register_case(registrar, draft())
    monkeypatch.undo()
    assert table_counts(registrar.path) == before
    after = cases.register_case(registrar, draft())

    def n(d: cases.CaseDetail) -> int:
        return int(d.case_number.split("民初")[-1].rstrip("号"))

    assert n(after) == n(first) + 1


def test_assigning_a_judge_on_registration(registrar: Workspace) -> None:
    judge = reference.people_with_role(registrar, "judge")[0]
    clerk = reference.people_with_role(registrar, "clerk")[0]
    detail = cases.register_case(registrar, draft(presiding_judge_id=judge.id, clerk_id=clerk.id))
    assert detail.presiding_judge == judge.name and detail.status == "pending"
    with pytest.raises(ValidationError, match="承办人"):
        cases.register_case(registrar, draft(presiding_judge_id=clerk.id))


def test_roles_other_than_filing_cannot_register(demo_path: Path, registrar: Workspace) -> None:
    judge = reference.people_with_role(registrar, "judge")[1]
    with sqlite3.connect(demo_path) as conn:
        username = conn.execute("SELECT username FROM users WHERE id = ?", (judge.id,)).fetchone()[
            0
        ]
    judge_ws = open_workspace(demo_path, username)
    try:
        with pytest.raises(PermissionDeniedError, match="立案登记"):
            cases.register_case(judge_ws, draft())
    finally:
        judge_ws.close()


def test_saving_over_a_newer_version_is_refused_naming_who_changed_it(registrar: Workspace) -> None:
    detail = cases.register_case(registrar, draft())
    party = detail.parties[0]
    changed = PartyDraft(
        party.role, party.name, id_number=party.id_number, phone="13900000001", address="新地址"
    )
    cases.update_party(registrar, party.id, party.version, changed)
    with pytest.raises(StaleRecordError) as caught:
        cases.update_party(
            registrar, party.id, party.version, replace(changed, phone="13900000002")
        )
    assert registrar.actor.username in caught.value.message
    assert cases.get_case(registrar, detail.id).parties[0].phone == "13900000001"


def test_renaming_a_party_updates_the_docket_and_search(registrar: Workspace) -> None:
    detail = cases.register_case(registrar, draft())
    party = detail.parties[1]
    renamed = PartyDraft(
        party.role,
        "长春瑞丰物流有限公司",
        kind=PartyKind.ORGANISATION,
        credit_code=party.credit_code,
    )
    cases.update_party(registrar, party.id, party.version, renamed)
    rows = docket.page(registrar, DocketFilter(text="瑞丰物流"), SortKey.FILING_DATE, True, 0, 50)
    assert detail.id in [r.id for r in rows]
    row = next(r for r in rows if r.id == detail.id)
    assert row.parties_summary == "赵堃 诉 长春瑞丰物流有限公司"


def test_find_case_accepts_half_width_input(registrar: Workspace) -> None:
    detail = cases.register_case(registrar, draft())
    typed = detail.case_number.replace("（", "(").replace("）", ")")
    assert cases.find_case(registrar, typed).id == detail.id
