"""Arbitrary input at the workflow entry points (hypothesis): a service attempt, an
application to extend the 审限, a period excluded from it, and closing a case.

The rule of ``test_bad_input``: each input is either accepted and stored
faithfully (read back through the service, it is what was given, cleaned the
documented way), or refused with a CourtdeskError saying why in Chinese, and a
refusal leaves nothing half-written (no row and no audit row was added). Any
other exception would reach the user as an internal error.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courtdesk.domain.closing import ClosingInputs, Delivery, Manner, PartyService
from courtdesk.domain.closing import ServiceMethod as ClosingService
from courtdesk.domain.parties import clean_text
from courtdesk.domain.procedures import Limit
from courtdesk.domain.service import Attempt, Outcome, ReturnReason, ServiceMethod
from courtdesk.domain.time_limit import ExclusionKind
from courtdesk.errors import CourtdeskError
from courtdesk.services import closing, hearings, time_limits
from courtdesk.services import service as svc
from courtdesk.services.service import AttemptEntry
from courtdesk.services.workspace import Workspace
from tests.properties.test_bad_input import DATES, FEW, PLAUSIBLE_TEXT, TEXT
from tests.properties.test_bad_input_features import accepted_or_refused, audit_rows
from tests.services.test_hearings import Court as HearingCourt
from tests.services.test_hearings import setup  # noqa: F401 (fixture)
from tests.services.test_service import civil_case, service_ws  # noqa: F401 (fixture)
from tests.services.test_time_limits import FILED, Court, court  # noqa: F401 (fixture)

TODAY = date(2026, 11, 25)
NEAR_DATES = st.one_of(st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 6, 30)), DATES)
OPTIONAL_DATES = st.one_of(st.none(), NEAR_DATES)


def rows(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def untouched(path: Path, before: tuple[int, ...], *tables: str) -> bool:
    return (audit_rows(path), *(rows(path, t) for t in tables)) == before


def counts(path: Path, *tables: str) -> tuple[int, ...]:
    return (audit_rows(path), *(rows(path, t) for t in tables))


# ---------------------------------------------------------------- service attempts
@st.composite
def attempts(draw: st.DrawFn) -> Attempt:
    sent = draw(
        st.one_of(
            st.none(), st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 1, 1))
        )
    )
    return Attempt(
        method=draw(st.sampled_from(ServiceMethod)),
        outcome=draw(st.sampled_from(Outcome)),
        attempt_date=draw(NEAR_DATES),
        result_date=draw(OPTIONAL_DATES),
        sent_at=sent,
        receiver_name=draw(TEXT),
        receiver_relation=draw(TEXT),
        witnesses=draw(TEXT),
        record_media=draw(TEXT),
        channel=draw(TEXT),
        waybill=draw(st.one_of(st.from_regex(r"[0-9A-Z]{8,14}", fullmatch=True), TEXT)),
        returned_reason=draw(st.one_of(st.none(), st.sampled_from(ReturnReason))),
        other_agency=draw(TEXT),
        posted_where=draw(TEXT),
        abroad=draw(st.booleans()),
        whereabouts_unknown=draw(st.booleans()),
        notes=draw(TEXT),
    )


@FEW
@given(attempts())
def test_any_service_attempt_is_stored_faithfully_or_refused(
    service_ws: Workspace,  # noqa: F811
    registrar: Workspace,
    attempt: Attempt,
) -> None:
    from courtdesk.services import cases

    case = cases.register_case(registrar, civil_case())
    task = svc.get_task(service_ws, svc.case_service(service_ws, case.id)[0].tasks[0].id)
    before = counts(service_ws.path, "service_attempts")
    result = accepted_or_refused(
        lambda: svc.record_attempt(
            service_ws, AttemptEntry(task.id, task.version, attempt), today=TODAY
        )
    )
    if isinstance(result, CourtdeskError):
        assert untouched(service_ws.path, before, "service_attempts")
        return
    stored = result.attempts[-1].attempt
    expected = svc._clean(attempt)
    if expected.sent_at is not None:  # kept to the minute, as the court system shows it
        expected = replace(expected, sent_at=expected.sent_at.replace(second=0, microsecond=0))
    assert stored == expected
    assert audit_rows(service_ws.path) > before[0]


# ---------------------------------------------------------------- time limits
@FEW
@given(
    months=st.integers(-3, 400),
    days=st.integers(-30, 100_000),
    reason=TEXT,
    today=NEAR_DATES,
)
def test_any_extension_application_is_stored_faithfully_or_refused(
    court: Court,  # noqa: F811
    months: int,
    days: int,
    reason: str,
    today: date,
) -> None:
    case_id = court.case("civil_ordinary")
    before = counts(court.path, "time_limit_extensions")
    result = accepted_or_refused(
        lambda: time_limits.apply_for_extension(
            court.judge, case_id, Limit(months, days), reason, today=today
        )
    )
    if isinstance(result, CourtdeskError):
        assert untouched(court.path, before, "time_limit_extensions")
        return
    view = time_limits.case_time_limit(court.judge, case_id, today=max(today, FILED))
    (stored,) = [e for e in view.extensions if e.id == result]
    assert (stored.months, stored.days) == (months, days)
    assert stored.reason == reason.strip()
    assert stored.applied_on == today.isoformat()
    assert stored.status == "pending"


@FEW
@given(
    kind=st.sampled_from(ExclusionKind),
    start=NEAR_DATES,
    end=OPTIONAL_DATES,
    reason=TEXT,
    document_ref=TEXT,
    approved=st.booleans(),
)
def test_any_excluded_period_is_stored_faithfully_or_refused(
    court: Court,  # noqa: F811
    kind: ExclusionKind,
    start: date,
    end: date | None,
    reason: str,
    document_ref: str,
    approved: bool,
) -> None:
    case_id = court.case("civil_ordinary")
    approver = court.chief.actor.user_id if approved else None
    before = counts(court.path, "time_limit_exclusions")
    result = accepted_or_refused(
        lambda: time_limits.open_exclusion(
            court.judge, case_id, kind, start, end, reason, approver, document_ref, today=TODAY
        )
    )
    if isinstance(result, CourtdeskError):
        assert untouched(court.path, before, "time_limit_exclusions")
        return
    view = time_limits.case_time_limit(court.judge, case_id, today=TODAY)
    (stored,) = [e for e in view.exclusions if e.id == result]
    assert (stored.kind, stored.start) == (kind.value, start.isoformat())
    assert stored.end == (end.isoformat() if end else None)
    assert stored.reason == reason.strip()
    assert stored.document_ref == document_ref.strip()


# ---------------------------------------------------------------- closing
@st.composite
def closing_inputs(draw: st.DrawFn, parties: list[tuple[int, str]]) -> ClosingInputs:
    services = draw(
        st.lists(
            st.builds(
                PartyService,
                party_id=st.one_of(st.sampled_from([p for p, _ in parties]), st.integers()),
                party_name=st.one_of(st.sampled_from([n for _, n in parties]), TEXT),
                method=st.sampled_from(ClosingService),
                day=NEAR_DATES,
            ),
            max_size=3,
        )
    )
    return ClosingInputs(
        manner=draw(st.sampled_from(Manner)),
        delivery=draw(st.sampled_from(Delivery)),
        pronounced_on=draw(OPTIONAL_DATES),
        services=tuple(services),
    )


@FEW
@given(data=st.data())
def test_any_closing_is_recorded_faithfully_or_refused(
    court: Court,  # noqa: F811
    data: st.DataObject,
) -> None:
    case_id = court.case("civil_ordinary")
    with sqlite3.connect(court.path) as conn:
        parties = [
            (int(r[0]), str(r[1]))
            for r in conn.execute("SELECT id, name FROM parties WHERE case_id = ?", (case_id,))
        ]
    inputs = data.draw(closing_inputs(parties))
    version = int(court.row(case_id)["version"])
    before = counts(court.path, "case_closings", "case_closing_services")
    result = accepted_or_refused(
        lambda: closing.close_case(court.judge, case_id, version, inputs, today=TODAY)
    )
    if isinstance(result, CourtdeskError):
        assert untouched(court.path, before, "case_closings", "case_closing_services")
        assert court.row(case_id)["status"] != "closed"
        return
    stored = closing.closing_record(court.judge, case_id)
    assert stored is not None and stored == result
    assert court.row(case_id)["status"] == "closed"
    assert (stored.manner, stored.delivery) == (inputs.manner.value, inputs.delivery.value)
    assert stored.closed_date <= TODAY.isoformat()
    assert stored.closed_date >= FILED.isoformat()


# ---------------------------------------------------------------- hearings
# Times with seconds (commit 6f33809: 9:00:10–9:00:50 passed the checks and then broke
# the end > start constraint) and reasons with lone surrogates (commit affb99e: the
# insert raised) both once escaped as internal errors.
HEARING_TIMES = st.datetimes(min_value=datetime(2026, 11, 23), max_value=datetime(2027, 3, 1))


@FEW
@given(
    start=HEARING_TIMES,
    minutes=st.integers(-90, 600),
    seconds=st.integers(0, 59),
    override=TEXT,
    place=TEXT,
    note=TEXT,
)
def test_any_hearing_is_scheduled_faithfully_or_refused(
    hearing_court: HearingCourt,
    start: datetime,
    minutes: int,
    seconds: int,
    override: str,
    place: str,
    note: str,
) -> None:
    case_id = hearing_court.case("某")
    draft = replace(
        hearing_court.draft(case_id, start),
        end=start + timedelta(minutes=minutes, seconds=seconds),
        place=place,
        note=note,
    )
    path = hearing_court.path
    before = counts(path, "hearings", "hearing_staff")
    now = datetime(2026, 11, 20, 8)
    result = accepted_or_refused(
        lambda: hearings.schedule_hearing(hearing_court.ws, draft, override, now=now)
    )
    if isinstance(result, CourtdeskError):
        assert untouched(path, before, "hearings", "hearing_staff")
        return
    assert (result.start, result.end) == (draft.start, draft.end)
    assert result.note == note.strip()


@FEW
@given(reason=TEXT, override=TEXT, days=st.integers(-3, 60))
def test_any_postponement_or_cancellation_reason_is_kept_or_refused(
    hearing_court: HearingCourt, reason: str, override: str, days: int
) -> None:
    case_id = hearing_court.case("某")
    start = datetime(2026, 12, 1, 9)
    first = hearings.schedule_hearing(
        hearing_court.ws, hearing_court.draft(case_id, start), "测试", now=datetime(2026, 11, 20, 8)
    )
    path = hearing_court.path
    before = counts(path, "hearings")
    later = start + timedelta(days=days)
    moved = accepted_or_refused(
        lambda: hearings.postpone_hearing(
            hearing_court.ws,
            first.id,
            first.version,
            reason,
            later,
            later + timedelta(hours=1),
            override_reason=override,
            now=datetime(2026, 11, 20, 8),
        )
    )
    if isinstance(moved, CourtdeskError):
        assert untouched(path, before, "hearings")
        cancelled = accepted_or_refused(
            lambda: hearings.cancel_hearing(hearing_court.ws, first.id, first.version, reason)
        )
        if not isinstance(cancelled, CourtdeskError):
            assert cancelled.status_reason == reason.strip()
        return
    old, new = moved
    assert old.status_reason == reason.strip()
    assert new is not None and new.start == later


@pytest.fixture
def hearing_court(setup: HearingCourt) -> HearingCourt:  # noqa: F811
    return setup


# ---------------------------------------------------------------- address, templates, rooms
@FEW
@given(
    address=TEXT,
    confirmed_on=NEAR_DATES,
    postcode=st.one_of(st.from_regex(r"[0-9]{6}", fullmatch=True), TEXT),
    recipient=TEXT,
    phone=st.one_of(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), TEXT),
    consent=st.booleans(),
    electronic=TEXT,
)
def test_any_address_confirmation_is_stored_faithfully_or_refused(
    registrar: Workspace,
    address: str,
    confirmed_on: date,
    postcode: str,
    recipient: str,
    phone: str,
    consent: bool,
    electronic: str,
) -> None:
    from courtdesk.domain.service import AddressConfirmation
    from courtdesk.services import cases

    case = cases.register_case(registrar, civil_case())
    party_id = case.parties[0].id
    before = counts(registrar.path, "service_addresses")
    form = AddressConfirmation(
        address, confirmed_on, postcode, recipient, phone, consent, electronic
    )
    result = accepted_or_refused(
        lambda: svc.confirm_address(registrar, party_id, form, today=TODAY)
    )
    if isinstance(result, CourtdeskError):
        assert untouched(registrar.path, before, "service_addresses")
        return
    assert result.address == address.replace("\u3000", " ").strip()
    assert result.confirmed_on == confirmed_on.isoformat()
    assert result.electronic_consent == consent


@FEW
@given(
    text=st.one_of(
        TEXT,
        st.builds(lambda a, b: a + "{" + b + "}", PLAUSIBLE_TEXT, PLAUSIBLE_TEXT),
    )
)
def test_any_notice_template_is_saved_faithfully_or_refused(demo_path: Path, text: str) -> None:
    from courtdesk.services import notices
    from courtdesk.services.workspace import open_workspace

    admin = open_workspace(demo_path, "admin")
    try:
        default = notices.template_info(admin, "summons")
        # The shipped wording with anything appended to its notes.
        changed = default.text.rstrip("\n") + "\n" + text
        before = counts(demo_path)
        result = accepted_or_refused(
            lambda: notices.save_template(admin, "summons", changed, default.version)
        )
        if isinstance(result, CourtdeskError):
            assert untouched(demo_path, before)
            return
        assert result.text == changed.replace("\r\n", "\n").strip() + "\n"
        assert notices.template_info(admin, "summons").text == result.text
    finally:
        admin.close()


@FEW
@given(name=TEXT, capacity=st.integers(-10, 10**9), note=TEXT)
def test_any_courtroom_is_stored_faithfully_or_refused(
    demo_path: Path, name: str, capacity: int, note: str
) -> None:
    from courtdesk.services import courtrooms
    from courtdesk.services.courtrooms import CourtroomDraft
    from courtdesk.services.workspace import open_workspace

    admin = open_workspace(demo_path, "admin")
    try:
        before = counts(demo_path, "courtrooms")
        draft = CourtroomDraft(name, None, capacity, note=note)
        result = accepted_or_refused(lambda: courtrooms.add_courtroom(admin, draft))
        if isinstance(result, CourtdeskError):
            assert untouched(demo_path, before, "courtrooms")
            return
        (room,) = [r for r in courtrooms.courtrooms(admin) if r.id == result]
        assert (room.name, room.capacity) == (clean_text(name), capacity)
        assert room.note == clean_text(note)
    finally:
        admin.close()
