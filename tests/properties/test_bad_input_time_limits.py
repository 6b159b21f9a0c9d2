"""Arbitrary input at the 审限 and closing entry points (hypothesis): extension
applications and decisions, excluded periods, procedure conversions, closing,
corrections of a closing and archiving.

Each input is either accepted and stored faithfully (read back through the
service) or refused with a CourtdeskError in Chinese, and a refusal leaves nothing
half-written: the audit trail and the tables it would have written to have not grown,
and the case reads as before.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from courtdesk.domain.closing import ClosingInputs, Delivery, Manner, PartyService, ServiceMethod
from courtdesk.domain.procedures import PROCEDURES, Limit
from courtdesk.domain.text import clean_text
from courtdesk.domain.time_limit import ExclusionKind
from courtdesk.errors import CourtdeskError, ValidationError
from courtdesk.services import closing, history, time_limits
from courtdesk.services.cases import CaseDetail
from courtdesk.services.time_limits import CaseTimeLimit
from courtdesk.services.workspace import Workspace
from tests.properties.conftest import FILED, TODAY, Court, one_field_or_all
from tests.properties.test_bad_input import DATES, FEW, MANY, TEXT, count
from tests.properties.test_bad_input_features import accepted_or_refused, audit_rows

# Each example registers a case and reads its 审限 back: 80 of each keep the file quick.
SOME = settings(MANY, max_examples=80)
NEAR = st.dates(min_value=FILED.replace(day=1), max_value=date(2026, 12, 31))
ANY_DAY = st.one_of(NEAR, DATES)
COUNTS = st.one_of(
    st.integers(min_value=-3, max_value=12),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.integers(),
)
REASONS = st.one_of(st.just("需要鉴定，案情复杂"), TEXT)


def refused(error: CourtdeskError, *tables: str, court: Court, before: tuple[int, ...]) -> bool:
    """Check a refusal names its field and wrote nothing; True so a test can return on it."""
    if isinstance(error, ValidationError):
        assert all(p.field for p in error.problems), error.problems
        event("refused: " + ", ".join(sorted({p.field for p in error.problems})))
    else:
        event(f"refused: {type(error).__name__}")
    assert counts(court, *tables) == before
    return True


def counts(court: Court, *tables: str) -> tuple[int, ...]:
    return (audit_rows(court.path), *(count(court.path, t) for t in tables))


def limit_of(court: Court, case: CaseDetail) -> CaseTimeLimit:
    return time_limits.case_time_limit(court.judge, case.id, TODAY)


# ---------------------------------------------------------------- extensions
@SOME
@given(
    one_field_or_all(
        {"months": 6, "days": 0, "reason": "需要鉴定，案情复杂"},
        {"months": COUNTS, "days": COUNTS, "reason": TEXT},
    )
)
def test_applying_for_any_extension_stores_it_faithfully_or_not_at_all(
    court: Court, values: dict[str, Any]
) -> None:
    months, days, reason = values["months"], values["days"], values["reason"]
    case = court.case()
    before = counts(court, "time_limit_extensions")
    length = Limit(months, days)
    result = accepted_or_refused(
        lambda: time_limits.apply_for_extension(court.judge, case.id, length, reason, TODAY)
    )
    if isinstance(result, CourtdeskError):
        refused(result, "time_limit_extensions", court=court, before=before)
        assert limit_of(court, case).extensions == ()
        return
    event("accepted")
    (stored,) = limit_of(court, case).extensions
    assert (stored.id, stored.months, stored.days) == (result, months, days)
    assert stored.reason == clean_text(reason)
    assert stored.status == "pending"


@FEW
@given(st.booleans(), REASONS, st.one_of(st.just(""), TEXT))
def test_deciding_an_application_with_any_note_stores_it_or_leaves_it_pending(
    court: Court, approve: bool, note: str, reply: str
) -> None:
    case = court.case()
    extension = time_limits.apply_for_extension(
        court.judge, case.id, Limit(months=6), "案情复杂，需要鉴定", TODAY
    )
    (pending,) = limit_of(court, case).extensions
    before = counts(court, "time_limit_extensions")
    result = accepted_or_refused(
        lambda: time_limits.decide_extension(
            court.chief, extension, pending.version, approve, note, reply, TODAY
        )
    )
    if isinstance(result, CourtdeskError):
        refused(result, "time_limit_extensions", court=court, before=before)
        assert limit_of(court, case).extensions == (pending,)
        return
    event("accepted")
    (decided,) = limit_of(court, case).extensions
    assert decided.status == ("approved" if approve else "refused")
    assert decided.decision_note == clean_text(note)
    assert decided.reply_reference == clean_text(reply)
    assert limit_of(court, case).result.expiry == result.expiry


# ---------------------------------------------------------------- excluded periods
APPROVERS = st.sampled_from(["judge", "chief", "registrar", "nobody", "none"])


def approver_id(court: Court, who: str) -> int | None:
    people: dict[str, Workspace] = {
        "judge": court.judge,
        "chief": court.chief,
        "registrar": court.registrar,
    }
    if who in people:
        return people[who].actor.user_id
    return None if who == "none" else 10**9


@SOME
@given(
    one_field_or_all(
        {
            "kind": ExclusionKind.APPRAISAL,
            "start": date(2026, 10, 1),
            "end": None,
            "reason": "委托鉴定",
            "approver": "judge",
            "document_ref": "",
        },
        {
            "kind": st.sampled_from(ExclusionKind),
            "start": ANY_DAY,
            "end": st.one_of(st.none(), ANY_DAY),
            "reason": TEXT,
            "approver": APPROVERS,
            "document_ref": TEXT,
        },
    )
)
def test_any_excluded_period_is_stored_faithfully_or_not_at_all(
    court: Court, values: dict[str, Any]
) -> None:
    kind, start, end = values["kind"], values["start"], values["end"]
    reason, approver, document_ref = values["reason"], values["approver"], values["document_ref"]
    case = court.case()
    before = counts(court, "time_limit_exclusions")
    result = accepted_or_refused(
        lambda: time_limits.open_exclusion(
            court.clerk,
            case.id,
            kind,
            start,
            end,
            reason,
            approver_id(court, approver),
            document_ref,
            TODAY,
        )
    )
    if isinstance(result, CourtdeskError):
        refused(result, "time_limit_exclusions", court=court, before=before)
        assert limit_of(court, case).exclusions == ()
        return
    event("accepted")
    (stored,) = limit_of(court, case).exclusions
    assert stored.id == result and stored.kind == kind.value
    assert (stored.start, stored.end) == (start.isoformat(), end and end.isoformat())
    assert stored.reason == clean_text(reason)
    assert stored.document_ref == clean_text(document_ref)
    assert limit_of(court, case).result is not None  # still computed, paused or not


@FEW
@given(ANY_DAY)
def test_ending_an_excluded_period_on_any_day_ends_it_or_leaves_it_open(
    court: Court, end: date
) -> None:
    case = court.case()
    start = date(2026, 10, 10)
    time_limits.open_exclusion(
        court.clerk,
        case.id,
        ExclusionKind.APPRAISAL,
        start,
        None,
        "委托鉴定",
        court.judge.actor.user_id,
        today=TODAY,
    )
    (period,) = limit_of(court, case).exclusions
    before = counts(court, "time_limit_exclusions")
    result = accepted_or_refused(
        lambda: time_limits.close_exclusion(court.clerk, period.id, period.version, end, TODAY)
    )
    if isinstance(result, CourtdeskError):
        refused(result, "time_limit_exclusions", court=court, before=before)
        assert limit_of(court, case).exclusions == (period,)
        return
    event("accepted")
    (closed,) = limit_of(court, case).exclusions
    assert closed.end == end.isoformat()
    assert limit_of(court, case).result == result


@FEW
@given(
    one_field_or_all(
        {"target": "civil_ordinary", "decided_on": date(2026, 11, 2), "reason": "案情复杂"},
        {
            "target": st.one_of(st.sampled_from(sorted(PROCEDURES)), TEXT),
            "decided_on": ANY_DAY,
            "reason": TEXT,
        },
    )
)
def test_converting_to_any_procedure_converts_or_changes_nothing(
    court: Court, values: dict[str, Any]
) -> None:
    target, decided_on, reason = values["target"], values["decided_on"], values["reason"]
    start_in = "civil_summary"
    case = court.case(start_in)
    before = counts(court, "procedure_conversions", "cases")
    result = accepted_or_refused(
        lambda: time_limits.convert_procedure(
            court.judge, case.id, case.version, target, decided_on, reason, TODAY
        )
    )
    if isinstance(result, CourtdeskError):
        refused(result, "procedure_conversions", "cases", court=court, before=before)
        assert limit_of(court, case).conversions == ()
        return
    event("accepted")
    (converted,) = limit_of(court, case).conversions
    assert (converted.from_procedure, converted.to_procedure) == (start_in, target)
    assert converted.decided_on == decided_on.isoformat()
    assert converted.reason == clean_text(reason)


# ---------------------------------------------------------------- closing
def closings(case: CaseDetail) -> st.SearchStrategy[ClosingInputs]:
    """A closing the case allows with one input made arbitrary, or all of them:
    the case's parties or strangers, any manner, method and days."""
    ids = tuple(p.id for p in case.parties)
    served = tuple(
        PartyService(p.id, p.name, ServiceMethod.DIRECT, date(2026, 11, 10 + n))
        for n, p in enumerate(case.parties)
    )
    good = [
        {"manner": Manner.JUDGMENT, "delivery": Delivery.PRONOUNCED},
        {"manner": Manner.MEDIATION, "delivery": Delivery.SERVED},
    ]
    arbitrary = {
        "manner": st.sampled_from(Manner),
        "delivery": st.sampled_from(Delivery),
        "pronounced_on": st.one_of(st.none(), ANY_DAY),
        "services": st.lists(
            st.builds(
                PartyService,
                st.one_of(st.sampled_from(ids), st.integers()),
                TEXT,  # the name the form sent: the case's own is what counts
                st.sampled_from(ServiceMethod),
                ANY_DAY,
            ),
            max_size=3,
        ).map(tuple),
    }
    return st.one_of(
        *(
            one_field_or_all(
                {**values, "pronounced_on": date(2026, 11, 10), "services": served}, arbitrary
            )
            for values in good
        )
    ).map(lambda values: ClosingInputs(**values))


CLOSING_TABLES = ("case_closings", "case_closing_services")


@SOME
@given(st.data())
def test_closing_with_any_inputs_closes_faithfully_or_leaves_the_case_open(
    court: Court, data: st.DataObject
) -> None:
    case = court.case()
    inputs = data.draw(closings(case))
    before = counts(court, *CLOSING_TABLES)
    result = accepted_or_refused(
        lambda: closing.close_case(court.judge, case.id, case.version, inputs, TODAY)
    )
    if isinstance(result, CourtdeskError):
        refused(result, *CLOSING_TABLES, court=court, before=before)
        assert closing.closing_record(court.judge, case.id) is None
        assert limit_of(court, case).status == case.status
        return
    event("accepted")
    assert closing.closing_record(court.judge, case.id) == result
    assert_closing_is(result, inputs, case)


def assert_closing_is(result: closing.ClosingView, inputs: ClosingInputs, case: CaseDetail) -> None:
    assert (result.manner, result.delivery) == (inputs.manner.value, inputs.delivery.value)
    if inputs.delivery is Delivery.PRONOUNCED:
        assert inputs.pronounced_on is not None
        assert result.pronounced_on == result.closed_date == inputs.pronounced_on.isoformat()
        assert result.services == ()
    else:
        # The day it reached the last party: so every party must have been served.
        assert {s.party_id for s in inputs.services} == {p.id for p in case.parties}
        assert result.closed_date == max(s.day for s in inputs.services).isoformat()
        names = {p.id: f"{p.role} {p.name}" for p in case.parties}
        # The note names the party served last as the case has it, whatever name came in.
        last = max(inputs.services, key=lambda s: s.day)
        assert f"送达最后一方当事人{names[last.party_id].split()[1]}（" in result.note
        assert sorted((s.party_id, s.party, s.method, s.day) for s in result.services) == sorted(
            (s.party_id, names[s.party_id], s.method.value, s.day.isoformat())
            for s in inputs.services
        )


def test_a_closing_served_on_only_some_parties_is_refused_naming_the_others(court: Court) -> None:
    """The plaintiff served on the 10th, the defendant's service not entered: the case
    would have closed on the 10th, earlier than the document reached the last party."""
    case = court.case()
    first = case.parties[0]
    inputs = ClosingInputs(
        Manner.MEDIATION,
        Delivery.SERVED,
        services=(PartyService(first.id, first.name, ServiceMethod.DIRECT, date(2026, 11, 10)),),
    )
    before = counts(court, *CLOSING_TABLES)
    with pytest.raises(ValidationError) as refusal:
        closing.close_case(court.judge, case.id, case.version, inputs, TODAY)
    assert [p.field for p in refusal.value.problems] == ["services"]
    assert case.parties[1].name in refusal.value.message and "最后一方" in refusal.value.message
    assert counts(court, *CLOSING_TABLES) == before
    assert closing.closing_record(court.judge, case.id) is None


def closed_case(court: Court) -> tuple[CaseDetail, closing.ClosingView]:
    case = court.case()
    view = closing.close_case(
        court.judge,
        case.id,
        case.version,
        ClosingInputs(Manner.JUDGMENT, Delivery.PRONOUNCED, date(2026, 11, 10)),
        TODAY,
    )
    return case, view


@FEW
@given(st.data(), st.booleans(), TEXT)
def test_correcting_a_closing_with_anything_corrects_it_or_changes_nothing(
    court: Court, data: st.DataObject, vary_reason: bool, any_reason: str
) -> None:
    """Either the reason is arbitrary (the corrected inputs good) or the inputs are."""
    case, view = closed_case(court)
    if vary_reason:
        inputs = ClosingInputs(Manner.JUDGMENT, Delivery.PRONOUNCED, date(2026, 11, 12))
        reason = any_reason
    else:
        inputs, reason = data.draw(closings(case)), "宣判日期登记有误"
    before = counts(court, *CLOSING_TABLES)
    result = accepted_or_refused(
        lambda: closing.correct_closing(court.chief, case.id, view.version, inputs, reason, TODAY)
    )
    if isinstance(result, CourtdeskError):
        refused(result, *CLOSING_TABLES, court=court, before=before)
        assert closing.closing_record(court.judge, case.id) == view
        return
    event("accepted")
    assert closing.closing_record(court.judge, case.id) == result
    assert_closing_is(result, inputs, case)
    # The reason is kept where the correction is shown: the case's 操作记录.
    last = history.case_history(court.judge, case.id)[-1]
    assert clean_text(reason) in [change.new for change in last.changes]


@FEW
@given(
    one_field_or_all(
        {"archived_on": date(2026, 11, 18), "number": "2026-民初-0001"},
        {"archived_on": ANY_DAY, "number": TEXT},
    )
)
def test_archiving_on_any_day_with_any_number_archives_or_changes_nothing(
    court: Court, values: dict[str, Any]
) -> None:
    archived_on, number = values["archived_on"], values["number"]
    case, view = closed_case(court)
    version = limit_of(court, case).case_version
    before = counts(court, "case_archives")
    result = accepted_or_refused(
        lambda: closing.archive_case(court.clerk, case.id, version, archived_on, number, TODAY)
    )
    if isinstance(result, CourtdeskError):
        refused(result, "case_archives", court=court, before=before)
        assert closing.closing_record(court.judge, case.id) == view
        return
    event("accepted")
    assert result is not None
    assert result.archived_on == archived_on.isoformat()
    assert result.archive_number == clean_text(number)
    assert result.status == "archived"
