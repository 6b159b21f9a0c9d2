"""Arbitrary input at case assignment (分案, hypothesis): any division, bench, judge,
clerk, panel and reason, by draw or by choice, for a new case or a reassignment.

The people named may not exist, may hold the wrong role (a clerk as 承办法官, a
judge as 书记员), or have ids no database row can have. Each request is either
carried out and stored faithfully (read back through the service's history) or
refused with a CourtdeskError in Chinese, and a refusal leaves the case, its
assignments, its panel and the audit trail as they were.
"""

from __future__ import annotations

import random
from typing import Any

from hypothesis import event, given
from hypothesis import strategies as st

from courtdesk.domain.assignment import (
    ASSESSOR,
    JUDGE_MEMBER,
    PRESIDING,
    Bench,
    Method,
    PanelMember,
)
from courtdesk.domain.text import clean_text
from courtdesk.errors import CourtdeskError, ValidationError
from courtdesk.services import assignment, cases
from courtdesk.services.assignment import AssignmentRequest
from tests.properties.conftest import Court
from tests.properties.test_bad_input import FEW, TEXT, count
from tests.properties.test_bad_input_features import accepted_or_refused, audit_rows

REASON = "承办法官回避"
# Ids of nobody, and ids no SQLite integer can hold.
NOBODY = st.one_of(
    st.integers(-3, 0), st.integers(10**6, 10**7), st.sampled_from([2**63, -(2**63) - 1])
)


def people(court: Court) -> dict[str, list[int]]:
    """The demo court's staff by role: who an assignment may name, and who it may not."""
    rows = court.registrar.db.query("SELECT user_id, role FROM user_roles ORDER BY user_id")
    found: dict[str, list[int]] = {}
    for user_id, role in rows:
        found.setdefault(str(role), []).append(int(user_id))
    return found


def someone(court: Court) -> st.SearchStrategy[int]:
    staff = people(court)
    return st.one_of(
        st.sampled_from(staff["judge"]),
        st.sampled_from(staff["clerk"]),
        st.sampled_from(staff["assessor"] + staff["registrar"]),
        NOBODY,
    )


def divisions(court: Court) -> st.SearchStrategy[int | None]:
    ids = [int(r[0]) for r in court.registrar.db.query("SELECT id FROM divisions")]
    return st.one_of(st.just(court.division_id), st.none(), st.sampled_from(ids), NOBODY)


def panels(court: Court) -> st.SearchStrategy[tuple[PanelMember, ...]]:
    member = st.builds(
        PanelMember,
        someone(court),
        st.one_of(st.sampled_from([PRESIDING, JUDGE_MEMBER, ASSESSOR]), TEXT),
    )
    return st.lists(member, max_size=4).map(tuple)


def tables(court: Court) -> tuple[int, ...]:
    return (
        audit_rows(court.path),
        count(court.path, "case_assignments"),
        count(court.path, "case_panel_members"),
    )


@st.composite
def requests(draw: st.DrawFn, court: Court) -> tuple[bool, dict[str, Any]]:
    """Whether the case is already assigned, and the request: a good manual one with one
    field made arbitrary (two times in three), or every field arbitrary."""
    judge, clerk = court.judge.actor.user_id, court.clerk.actor.user_id
    good: dict[str, Any] = {
        "method": Method.MANUAL,
        "division_id": court.division_id,
        "bench": Bench.SOLE,
        "presiding_judge_id": judge,
        "clerk_id": clerk,
        "members": (),
        "reason": REASON,
    }
    arbitrary: dict[str, st.SearchStrategy[Any]] = {
        "method": st.sampled_from(Method),
        "division_id": divisions(court),
        "bench": st.sampled_from(Bench),
        "presiding_judge_id": st.one_of(st.none(), someone(court)),
        "clerk_id": st.one_of(st.none(), someone(court)),
        "members": panels(court),
        "reason": st.one_of(st.just(""), TEXT),
    }
    if draw(st.integers(0, 2)):
        key = draw(st.sampled_from(sorted(arbitrary)))
        values = {**good, key: draw(arbitrary[key])}
    else:
        values = {key: draw(strategy) for key, strategy in arbitrary.items()}
    return draw(st.booleans()), values


def check_stored(court: Court, case_id: int, values: dict[str, Any], view: Any) -> None:
    """The assignment the service answered is the case's current one, as asked."""
    history = assignment.history(court.registrar, case_id)
    assert history[0] == view and view.is_current
    assert view.bench is values["bench"] and view.method is values["method"]
    assert view.reason == clean_text(values["reason"])
    staff = people(court)
    assert view.presiding_judge_id in staff["judge"]
    if values["method"] is Method.MANUAL:
        assert view.presiding_judge_id == values["presiding_judge_id"]
    if values["clerk_id"] is not None:
        assert view.clerk_id == values["clerk_id"]
    assert view.clerk_id is None or view.clerk_id in staff["clerk"]
    if values["bench"] is Bench.SOLE:
        assert view.members == ()
    elif values["method"] is Method.MANUAL:
        assert [(m.user_id, m.role) for m in view.members] == [
            (m.user_id, m.role) for m in values["members"]
        ]
    detail = cases.get_case(court.registrar, case_id)
    assert detail.presiding_judge_id == view.presiding_judge_id
    assert detail.clerk_id == view.clerk_id
    assert detail.division_id == values["division_id"]


@FEW
@given(st.data())
def test_assigning_anyone_for_any_reason_assigns_faithfully_or_changes_nothing(
    court: Court, data: st.DataObject
) -> None:
    assigned, values = data.draw(requests(court))
    case = court.case(assigned=assigned)
    before = tables(court), cases.get_case(court.registrar, case.id)
    history = assignment.history(court.registrar, case.id)
    request = AssignmentRequest(case.id, case.version, **values)
    result = accepted_or_refused(
        lambda: assignment.assign(court.registrar, request, random.Random(7))
    )
    if isinstance(result, CourtdeskError):
        if isinstance(result, ValidationError):
            assert all(p.field for p in result.problems), result.problems
            event("refused: " + ", ".join(sorted({p.field for p in result.problems})))
        else:
            event(f"refused: {type(result).__name__}")
        assert (tables(court), cases.get_case(court.registrar, case.id)) == before
        assert assignment.history(court.registrar, case.id) == history
        return
    event("accepted")
    check_stored(court, case.id, values, result)


def refused_leaving_nothing(court: Court, field: str, **request: Any) -> None:
    """A good manual assignment of a new case with ``request`` changed is refused naming ``field``."""
    case = court.case(assigned=False)
    values: dict[str, Any] = {
        "division_id": court.division_id,
        "presiding_judge_id": court.judge.actor.user_id,
        "clerk_id": court.clerk.actor.user_id,
        "reason": REASON,
        **request,
    }
    asked = AssignmentRequest(case.id, case.version, Method.MANUAL, bench=Bench.SOLE, **values)
    before = tables(court), cases.get_case(court.registrar, case.id)
    result = accepted_or_refused(lambda: assignment.assign(court.registrar, asked))
    assert isinstance(result, ValidationError), result
    assert [p.field for p in result.problems] == [field]
    assert (tables(court), cases.get_case(court.registrar, case.id)) == before


def test_a_clerk_id_no_row_can_have_is_refused_naming_the_clerk(court: Court) -> None:
    """Found by the property above: it escaped from SQLite as OverflowError."""
    refused_leaving_nothing(court, "clerk_id", clerk_id=2**63)


def test_a_division_that_does_not_exist_is_refused_naming_the_division(court: Court) -> None:
    """Found by the property above: stored, it broke the foreign key (IntegrityError)."""
    refused_leaving_nothing(court, "division_id", division_id=10**6)
