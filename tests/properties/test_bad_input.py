"""Arbitrary input at every validator and service entry point (hypothesis).

The rule for each: the input is either accepted and stored (or returned)
faithfully, or refused with a CourtdeskError whose message is a clear sentence.
Nothing else may escape: any other exception would reach the user as an
internal error.
"""

from __future__ import annotations

import sqlite3
import string
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from courtdesk.domain.case_number import parse_case_number
from courtdesk.domain.identity import (
    CitizenId,
    check_credit_code,
    citizen_id_check_digit,
    parse_citizen_id,
)
from courtdesk.domain.money import parse_amount, to_yuan
from courtdesk.domain.parties import AgentDraft, PartyDraft, PartyKind, validate_party
from courtdesk.domain.passwords import password_problems
from courtdesk.errors import CourtdeskError, ValidationError
from courtdesk.services import accounts, cases, docket, importer
from courtdesk.services import settings as court_settings
from courtdesk.services.accounts import AccountDraft
from courtdesk.services.cases import CaseDraft
from courtdesk.services.docket import DocketFilter, SortKey
from courtdesk.services.workspace import Workspace, open_workspace

T = TypeVar("T")

# Any text, including what a broken input method or a bad file can produce:
# control characters, lone surrogates, full-width forms, emoji, rare CJK.
ANY_CHAR = st.one_of(
    st.characters(codec=None, exclude_categories=()),
    st.characters(categories=["Cs"]),  # lone surrogates: what undecodable bytes become
)
ANY_TEXT = st.text(ANY_CHAR, max_size=120)
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
PLAUSIBLE_TEXT = st.text(st.one_of(CJK, st.sampled_from(string.printable)), max_size=40)
# Plausible text with one nasty character inside: NUL, a lone surrogate, a
# right-to-left override, an escape, a byte-order mark, full-width and other spaces.
NASTY = st.sampled_from(
    ["\x00", "\ud800", "\udcff", "\u202e", "\x1b", "\ufeff", "\u3000", "\n", "\t", "\x7f"]
)
NASTY_TEXT = st.builds(lambda a, b, c: a + b + c, PLAUSIBLE_TEXT, NASTY, PLAUSIBLE_TEXT)
TEXT = st.one_of(PLAUSIBLE_TEXT, ANY_TEXT, NASTY_TEXT)
DATES = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
AMOUNTS = st.one_of(
    st.none(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=-1, max_value=10**13, places=2),
)


@st.composite
def citizen_ids(draw: st.DrawFn) -> str:
    """Mostly well-formed IDs (valid or off by one digit), sometimes any text."""
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)))
    first17 = f"{draw(st.sampled_from(['220104', '110105', '440305']))}{birth:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    check = citizen_id_check_digit(first17)
    wrong = draw(st.booleans())
    digit = draw(st.sampled_from("0123456789X").filter(lambda c: c != check)) if wrong else check
    spaced = draw(st.booleans())
    number = first17 + digit
    return " ".join(number[i : i + 6] for i in range(0, 18, 6)) if spaced else number.lower()


ID_NUMBERS = st.one_of(st.just(""), citizen_ids(), TEXT)
PHONES = st.one_of(st.just(""), st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), TEXT)

MANY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FEW = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def accepted_or_refused(call: Callable[[], T]) -> T | CourtdeskError:
    """Run ``call``; a CourtdeskError must carry a real sentence. Anything else fails the test."""
    try:
        return call()
    except CourtdeskError as error:
        assert error.message.strip(), "a refusal must say why"
        assert "Traceback" not in error.message
        return error


# ---------------------------------------------------------------- validators
@given(TEXT)
def test_amounts_are_parsed_or_explained(text: str) -> None:
    result = parse_amount(text)
    if isinstance(result, Decimal):
        assert result.is_finite() and result >= 0 and result == to_yuan(result)
    else:
        assert result


@given(
    st.one_of(
        TEXT,
        st.from_regex(r"[（(]20[0-9]{2}[)）]吉0193[民刑执行][初终]?[0-9]{1,6}号", fullmatch=True),
    )
)
def test_case_numbers_are_parsed_or_explained(text: str) -> None:
    result = accepted_or_refused(lambda: parse_case_number(text))
    if not isinstance(result, CourtdeskError):
        # Accepted: printing and parsing again gives the same number.
        assert parse_case_number(str(result)) == result


@given(ID_NUMBERS)
def test_citizen_ids_are_parsed_or_explained(text: str) -> None:
    result = parse_citizen_id(text)
    if isinstance(result, CitizenId):
        assert len(result.number) == 18 and result.sex in ("男", "女")
        assert result.number[-1] == citizen_id_check_digit(result.number[:17])
    else:
        assert result


@given(TEXT)
def test_credit_codes_are_checked_or_explained(text: str) -> None:
    result = check_credit_code(text)
    assert result is None or result


@st.composite
def party_drafts(draw: st.DrawFn, roles: tuple[str, ...] = ("原告", "被告")) -> PartyDraft:
    kind = draw(st.sampled_from(PartyKind))
    return PartyDraft(
        role=draw(st.one_of(st.sampled_from(roles), TEXT)),
        name=draw(TEXT),
        kind=kind,
        sex=draw(st.sampled_from(["", "男", "女", "未知"])),
        birth_date=draw(st.one_of(st.none(), DATES)),
        id_number=draw(ID_NUMBERS) if kind is PartyKind.PERSON else "",
        phone=draw(PHONES),
        address=draw(TEXT),
        credit_code=draw(TEXT) if kind is PartyKind.ORGANISATION else "",
        legal_representative=draw(TEXT),
        agents=tuple(
            draw(
                st.lists(
                    st.builds(
                        AgentDraft,
                        name=TEXT,
                        kind=st.one_of(st.sampled_from(["律师", "近亲属"]), TEXT),
                        law_firm=TEXT,
                        licence_number=TEXT,
                        phone=PHONES,
                    ),
                    max_size=2,
                )
            )
        ),
    )


@given(party_drafts())
def test_party_validation_completes_or_explains(draft: PartyDraft) -> None:
    completed, problems = validate_party(draft, 0, ("原告", "被告"), date(2026, 11, 20))
    assert all(p.message and p.field.startswith("parties.0") for p in problems)
    if not problems and completed.kind is PartyKind.PERSON and completed.id_number:
        assert completed.birth_date is not None and completed.sex in ("男", "女")


@given(TEXT, TEXT)
def test_password_rules_explain_or_accept(password: str, username: str) -> None:
    problems = password_problems(password, username)
    assert all(problems)
    if not problems:
        assert len(password) >= 8 and password.strip() == password


@given(st.sampled_from([s.key for s in court_settings.declared()]), TEXT)
# Found by the property below: Decimal.quantize raised on a fee figure this large.
@example("fees.divorce", "1E100")
def test_every_declared_setting_validates_or_explains(key: str, value: str) -> None:
    result = accepted_or_refused(lambda: court_settings.validate(key, value))
    if isinstance(result, ValidationError):
        assert result.problems[0].field == key
        assert court_settings.spec(key).label in result.message


# ---------------------------------------------------------------- services
@MANY
@given(st.sampled_from([s.key for s in court_settings.declared()]), TEXT)
def test_every_setting_is_stored_faithfully_or_refused(
    demo_path: Path, key: str, value: str
) -> None:
    admin = open_workspace(demo_path, "admin")
    try:
        result = accepted_or_refused(lambda: court_settings.put_many(admin, {key: value}))
        if not isinstance(result, CourtdeskError):
            assert court_settings.get(admin, key) == value.strip()
    finally:
        admin.close()


@pytest.fixture
def clerk(demo_path: Path) -> Iterator[Workspace]:
    from courtdesk.services.workspace import default_username

    probe = open_workspace(demo_path)
    name = default_username(probe)
    probe.close()
    ws = open_workspace(demo_path, name)
    yield ws
    ws.close()


def count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


@st.composite
def case_drafts(draw: st.DrawFn) -> CaseDraft:
    return CaseDraft(
        type_code=draw(st.one_of(st.sampled_from(["民初", "执", "刑初"]), TEXT)),
        procedure=draw(
            st.sampled_from(
                ["civil_summary", "civil_ordinary", "enforcement", "criminal_public", "nonsense"]
            )
        ),
        cause=draw(st.one_of(st.sampled_from(["民间借贷纠纷", "买卖合同纠纷"]), TEXT)),
        filing_date=draw(
            st.one_of(st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 11, 20)), DATES)
        ),
        parties=tuple(
            draw(
                st.lists(
                    party_drafts(("原告", "被告", "申请执行人", "被执行人")), min_size=0, max_size=3
                )
            )
        ),
        amount_claimed=draw(AMOUNTS),
        source=draw(st.sampled_from(["新收", "旧存"])),
        is_private=draw(st.booleans()),
    )


@MANY
@given(case_drafts())
def test_registering_any_case_stores_it_faithfully_or_stores_nothing(
    clerk: Workspace, draft: CaseDraft
) -> None:
    before = count(clerk.path, "cases"), count(clerk.path, "parties")
    result = accepted_or_refused(lambda: cases.register_case(clerk, draft))
    if isinstance(result, CourtdeskError):
        assert isinstance(result, ValidationError)
        assert (count(clerk.path, "cases"), count(clerk.path, "parties")) == before
        return
    stored = cases.get_case(clerk, result.id)
    assert stored == result
    assert stored.cause == draft.cause.replace("\u3000", " ").strip()
    assert stored.filing_date == draft.filing_date.isoformat()
    assert stored.is_private == draft.is_private
    if draft.amount_claimed is None:
        assert stored.amount_claimed is None
    else:
        assert Decimal(stored.amount_claimed or "0") == to_yuan(draft.amount_claimed)
    assert [p.name for p in stored.parties] == [
        p.name.replace("\u3000", " ").strip() for p in draft.parties
    ]


@MANY
@given(TEXT)
def test_any_search_text_gives_a_docket_not_an_error(clerk: Workspace, text: str) -> None:
    flt = DocketFilter(text=text)
    total = docket.count(clerk, flt)
    rows = docket.page(clerk, flt, SortKey.FILING_DATE, True, 0, 20)
    assert len(rows) == min(total, 20)


@MANY
@given(TEXT)
def test_finding_any_case_number_finds_it_or_says_why(clerk: Workspace, text: str) -> None:
    accepted_or_refused(lambda: cases.find_case(clerk, text))


@MANY
@given(party_drafts(("原告", "被告")))
def test_correcting_a_party_with_anything_stores_it_or_nothing(
    clerk: Workspace, draft: PartyDraft
) -> None:
    detail = cases.register_case(
        clerk,
        CaseDraft(
            "民初",
            "civil_summary",
            "买卖合同纠纷",
            date(2026, 11, 20),
            (PartyDraft("原告", "原甲"), PartyDraft("被告", "被乙")),
        ),
    )
    party = detail.parties[0]
    result = accepted_or_refused(lambda: cases.update_party(clerk, party.id, party.version, draft))
    after = cases.get_case(clerk, detail.id).parties[0]
    if isinstance(result, CourtdeskError):
        assert after == party
    else:
        assert after.name == draft.name.replace("\u3000", " ").strip()


@FEW
@given(TEXT, TEXT)
def test_signing_in_with_anything_signs_in_or_refuses(
    demo_path: Path, username: str, password: str
) -> None:
    result = accepted_or_refused(lambda: accounts.sign_in(demo_path, username, password))
    assert isinstance(result, CourtdeskError)


@MANY
@given(
    TEXT, TEXT, st.lists(st.one_of(st.sampled_from(["clerk", "judge", "admin"]), TEXT), max_size=3)
)
def test_creating_an_account_from_anything_creates_it_or_explains(
    demo_path: Path, username: str, name: str, roles: list[str]
) -> None:
    admin = open_workspace(demo_path, "admin")
    try:
        before = count(demo_path, "users")
        result = accepted_or_refused(
            lambda: accounts.create_account(
                admin, AccountDraft(username, name, None, tuple(roles)), "temporary-password-1"
            )
        )
        if isinstance(result, CourtdeskError):
            assert count(demo_path, "users") == before
        else:
            stored = next(a for a in accounts.list_accounts(admin) if a.id == result)
            assert stored.username == username.strip().lower()
            assert stored.display_name == name.replace("\u3000", " ").strip()
    finally:
        admin.close()


CSV_CELL = st.one_of(
    st.sampled_from(["民初", "简易程序", "2026-03-01", "1000", "甲", "是", ""]), TEXT
)


@MANY
@given(st.lists(st.lists(CSV_CELL, min_size=0, max_size=14), max_size=4), st.booleans())
def test_importing_any_spreadsheet_imports_all_or_nothing(
    clerk: Workspace, tmp_path: Path, rows: list[list[str]], with_header: bool
) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if with_header:
        writer.writerow(importer.COLUMNS[:14])
    for row in rows:
        writer.writerow(row)
    path = tmp_path / "any.csv"
    try:
        path.write_text(buffer.getvalue(), encoding="utf-8", errors="surrogatepass")
    except UnicodeEncodeError:
        assume(False)
    before = count(clerk.path, "cases")
    result = accepted_or_refused(lambda: importer.import_cases(clerk, path))
    if isinstance(result, CourtdeskError):
        assert count(clerk.path, "cases") == before
    else:
        assert count(clerk.path, "cases") == before + result.cases


def check_no_escape(call: Callable[[], Any]) -> None:
    accepted_or_refused(call)


def valid_case(**overrides: Any) -> CaseDraft:
    values: dict[str, Any] = {
        "type_code": "民初",
        "procedure": "civil_summary",
        "cause": "民间借贷纠纷",
        "filing_date": date(2026, 11, 20),
        "parties": (
            PartyDraft("原告", "原告甲", address="吉林省长春市1号", phone="13812345678"),
            PartyDraft(
                "被告",
                "被告乙有限公司",
                PartyKind.ORGANISATION,
                agents=(AgentDraft("代理人丙", "律师", "某律师事务所", "12201201010000001"),),
            ),
        ),
        "amount_claimed": Decimal("1000"),
    }
    values.update(overrides)
    return CaseDraft(**values)


def with_party_field(field: str, value: Any) -> CaseDraft:
    base = valid_case()
    from dataclasses import replace

    return valid_case(parties=(replace(base.parties[0], **{field: value}), base.parties[1]))


def with_agent_field(field: str, value: Any) -> CaseDraft:
    base = valid_case()
    from dataclasses import replace

    agent = replace(base.parties[1].agents[0], **{field: value})
    return valid_case(parties=(base.parties[0], replace(base.parties[1], agents=(agent,))))


ONE_FIELD = st.one_of(
    st.builds(lambda v: valid_case(cause=v), TEXT),
    st.builds(lambda v: valid_case(type_code=v), TEXT),
    st.builds(lambda v: valid_case(procedure=v), TEXT),
    st.builds(lambda v: valid_case(source=v), TEXT),
    st.builds(lambda v: valid_case(special_code=v), TEXT),
    st.builds(lambda v: valid_case(filing_date=v), DATES),
    st.builds(lambda v: valid_case(amount_claimed=v), AMOUNTS),
    *(
        st.builds(lambda v, f=field: with_party_field(f, v), TEXT)
        for field in ("name", "role", "sex", "phone", "address", "legal_representative")
    ),
    st.builds(lambda v: with_party_field("id_number", v), ID_NUMBERS),
    st.builds(lambda v: with_party_field("birth_date", v), st.one_of(st.none(), DATES)),
    *(
        st.builds(lambda v, f=field: with_agent_field(f, v), TEXT)
        for field in ("name", "kind", "law_firm", "licence_number", "phone")
    ),
)


@MANY
@given(ONE_FIELD)
def test_one_bad_field_in_a_good_case_is_stored_faithfully_or_refused(
    clerk: Workspace, draft: CaseDraft
) -> None:
    before = count(clerk.path, "cases"), count(clerk.path, "parties"), count(clerk.path, "agents")
    result = accepted_or_refused(lambda: cases.register_case(clerk, draft))
    if isinstance(result, CourtdeskError):
        assert isinstance(result, ValidationError), result
        after = (
            count(clerk.path, "cases"),
            count(clerk.path, "parties"),
            count(clerk.path, "agents"),
        )
        assert after == before
        return
    stored = cases.get_case(clerk, result.id)
    assert stored.cause == draft.cause.replace("\u3000", " ").strip()
    assert stored.source == draft.source
    for got, sent in zip(stored.parties, draft.parties, strict=True):
        assert got.name == sent.name.replace("\u3000", " ").strip()
        assert got.address == sent.address.replace("\u3000", " ").strip()
        for agent, sent_agent in zip(got.agents, sent.agents, strict=True):
            assert agent.law_firm == sent_agent.law_firm.replace("\u3000", " ").strip()
            assert agent.licence_number == sent_agent.licence_number.replace("\u3000", " ").strip()


# ---------------------------------------------------------------- periods (期间计算)
@FEW
@given(
    DATES,
    st.integers(min_value=0, max_value=10**8),
    st.integers(min_value=0, max_value=10**6),
    st.booleans(),
)
def test_any_period_from_any_day_ends_on_a_day_or_is_explained(
    start: date, days: int, months: int, court: bool
) -> None:
    """Even a period that would end after 9999-12-31 is refused in words, not an OverflowError."""
    from courtdesk.domain.periods import PeriodKind
    from courtdesk.services.holidays import period

    assume(days or months)
    kind = PeriodKind.COURT if court else PeriodKind.PARTY
    result = accepted_or_refused(lambda: period(None, start, days=days, months=months, kind=kind))
    if not isinstance(result, CourtdeskError):
        assert result.last_day > start
