"""Arbitrary input at the court's own records and the registration helpers (hypothesis):
taking a courtroom out of use, entering a year's holidays, and the suggestions and
duplicate warnings the registration form asks for while the clerk types.

A change is either stored faithfully (read back through the service) or refused
with a CourtdeskError in Chinese naming the field, leaving nothing written; a
lookup answers with a list, whatever was typed (a lone surrogate used to escape
from SQLite as UnicodeEncodeError from all three: the closure reason, a holiday's
name and a lookup prefix).
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st

from courtdesk.domain.parties import PartyDraft
from courtdesk.domain.text import clean_text
from courtdesk.errors import CourtdeskError, ValidationError
from courtdesk.services import courtrooms, holidays, lookup
from courtdesk.services.workspace import open_workspace
from tests.properties.conftest import Court, one_field_or_all
from tests.properties.test_bad_input import DATES, FEW, ID_NUMBERS, MANY, TEXT, count
from tests.properties.test_bad_input_features import accepted_or_refused, audit_rows


def refused(error: CourtdeskError, fields: set[str]) -> None:
    assert isinstance(error, ValidationError), error
    assert {p.field for p in error.problems} <= fields, error.problems
    event("refused: " + ", ".join(sorted({p.field for p in error.problems})))


@FEW
@given(
    one_field_or_all(
        {"first": date(2026, 12, 1), "last": date(2026, 12, 3), "reason": "设备检修"},
        {"first": DATES, "last": DATES, "reason": TEXT},
    )
)
def test_closing_a_courtroom_for_any_days_and_reason_stores_it_or_nothing(
    demo_path: Path, values: dict[str, object]
) -> None:
    first, last, reason = values["first"], values["last"], values["reason"]
    assert isinstance(first, date) and isinstance(last, date) and isinstance(reason, str)
    admin = open_workspace(demo_path, "admin")
    try:
        room = courtrooms.courtrooms(admin)[0]
        before = audit_rows(demo_path), count(demo_path, "courtroom_closures")
        result = accepted_or_refused(
            lambda: courtrooms.close_courtroom(admin, room.id, first, last, reason)
        )
        if isinstance(result, CourtdeskError):
            refused(result, {"reason", "last_day"})
            assert (audit_rows(demo_path), count(demo_path, "courtroom_closures")) == before
            return
        event("accepted")
        (stored,) = [
            c
            for r in courtrooms.courtrooms(admin, first)
            if r.id == room.id
            for c in r.closures
            if c.id == result
        ]
        assert (stored.first_day, stored.last_day) == (first, last)
        assert stored.reason == clean_text(reason)
    finally:
        admin.close()


IN_2027 = st.dates(min_value=date(2027, 1, 1), max_value=date(2027, 12, 31))
NAMES = st.one_of(st.sampled_from(["元旦", "春节", "国庆节"]), TEXT)
# Good days of 2027 with any names, or any year with any days.
YEARS = st.one_of(
    st.lists(NAMES, min_size=1, max_size=3).map(
        lambda names: (2027, [(date(2027, 1, 1 + n), n == 1, name) for n, name in enumerate(names)])
    ),
    st.tuples(
        st.one_of(st.just(2027), st.integers(-10, 10**5)),
        st.lists(st.tuples(st.one_of(IN_2027, DATES), st.booleans(), NAMES), max_size=4),
    ),
)


@FEW
@given(YEARS)
def test_entering_any_holiday_year_stores_it_faithfully_or_nothing(
    demo_path: Path, entry: tuple[int, list[tuple[date, bool, str]]]
) -> None:
    year, days = entry
    admin = open_workspace(demo_path, "admin")
    try:
        before = audit_rows(demo_path), count(demo_path, "court_holidays")
        result = accepted_or_refused(lambda: holidays.enter_year(admin, year, days))
        if isinstance(result, CourtdeskError):
            refused(result, {"days", "year"})
            assert (audit_rows(demo_path), count(demo_path, "court_holidays")) == before
            return
        event("accepted")
        assert result == len(days)
        assert holidays.year_schedule(admin, year).source == "court"
        # Stored as entered (the schedule above lists only the days that differ from
        # an ordinary week, so the rows themselves are read).
        with sqlite3.connect(demo_path) as conn:
            rows = conn.execute(
                "SELECT day, working, name FROM court_holidays WHERE day LIKE ?", (f"{year}-%",)
            ).fetchall()
        assert sorted(rows) == sorted((d.isoformat(), int(w), n) for d, w, n in days)
    finally:
        admin.close()


@MANY
@given(TEXT)
def test_any_typed_prefix_gets_suggestions_not_an_error(court: Court, typed: str) -> None:
    for suggest in (lookup.known_parties, lookup.known_lawyers, lookup.known_firms):
        found = accepted_or_refused(lambda s=suggest: s(court.registrar, typed))  # type: ignore[misc]
        assert isinstance(found, list)


@FEW
@given(
    st.one_of(st.just("民间借贷纠纷"), TEXT),
    st.lists(st.builds(PartyDraft, st.sampled_from(["原告", "被告"]), TEXT, id_number=ID_NUMBERS)),
)
def test_any_new_case_gets_its_possible_duplicates_not_an_error(
    court: Court, cause: str, parties: list[PartyDraft]
) -> None:
    court.case()  # 赵堃 v 钱淼, 民间借贷纠纷: one the check may find
    found = accepted_or_refused(lambda: lookup.find_duplicates(court.registrar, cause, parties))
    assert isinstance(found, list)
