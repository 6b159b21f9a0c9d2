"""Arbitrary input at hearing scheduling (hypothesis): scheduling, moving, postponing
and cancelling, with any times (seconds, year 1, 9999, end before start), places,
notes, override reasons and postponement or cancellation reasons.

Each input is either accepted and stored faithfully (read back through the
service, to the minute as given) or refused with a CourtdeskError in Chinese, and
a refusal leaves nothing half-written: no hearing, no summons task, no audit row,
the hearing as it was. Two bugs these would have caught: a reason with a lone
surrogate escaped from SQLite as UnicodeEncodeError (affb99e), and a time with
seconds was checked as given but stored to the minute (6f33809).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from courtdesk.domain.scheduling import HearingKind, HearingMode, HearingStatus
from courtdesk.errors import CourtdeskError, ValidationError
from courtdesk.services import hearings
from courtdesk.services.hearings import HearingDraft, HearingView, SchedulingConflictError
from tests.properties.conftest import Court, one_field_or_all
from tests.properties.test_bad_input import FEW, MANY, NASTY_TEXT, TEXT, count
from tests.properties.test_bad_input_features import accepted_or_refused, audit_rows

NOW = datetime(2026, 11, 20, 8, 0)  # the demo court's day, a Friday
MONDAY = datetime(2026, 11, 30, 9, 0)
SOME = settings(MANY, max_examples=80)

DAYS = st.dates(min_value=NOW.date(), max_value=NOW.date() + timedelta(days=70))
CLOCKS = st.one_of(
    st.builds(time, st.integers(8, 17), st.sampled_from([0, 15, 30, 45])),
    st.times(),  # with seconds and microseconds
)
STARTS = st.one_of(st.builds(datetime.combine, DAYS, CLOCKS), st.datetimes())
LENGTHS = st.one_of(
    st.sampled_from([timedelta(minutes=30), timedelta(hours=1), timedelta(hours=3)]),
    st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(seconds=59)),
    st.timedeltas(min_value=-timedelta(days=2), max_value=timedelta(days=2)),
)
OVERRIDE = "与当事人协商一致"
TIMES: dict[str, st.SearchStrategy[Any]] = {
    "start": STARTS,
    "length": LENGTHS,
    "end": st.one_of(st.none(), st.datetimes()),  # None: start + length
}
GOOD_TIMES = {"start": MONDAY, "length": timedelta(hours=1), "end": None}


def span(values: dict[str, Any]) -> tuple[datetime, datetime]:
    start: datetime = values["start"]
    if values["end"] is not None:
        return start, values["end"]
    try:
        return start, start + values["length"]
    except OverflowError:
        return start, datetime.max


def tables(court: Court) -> tuple[int, ...]:
    return (
        audit_rows(court.path),
        count(court.path, "hearings"),
        count(court.path, "service_tasks"),
    )


def refused(error: CourtdeskError) -> None:
    """A refusal of a hearing's input says which field, or lists the conflicts."""
    if isinstance(error, ValidationError):
        assert all(p.field for p in error.problems), error.problems
        event("refused: " + ", ".join(sorted({p.field for p in error.problems})))
    else:
        assert isinstance(error, SchedulingConflictError), error
        event("refused: conflicts")


def left_alone(result: object, court: Court, before: tuple[int, ...], hearing: HearingView) -> bool:
    """Whether the change was refused; then nothing was written and the hearing is as it was."""
    if not isinstance(result, CourtdeskError):
        event("accepted")
        return False
    refused(result)
    assert tables(court) == before
    assert hearings.get_hearing(court.judge, hearing.id) == hearing
    return True


def room(court: Court) -> int:
    rows = court.judge.db.query("SELECT id FROM courtrooms WHERE active = 1 ORDER BY id LIMIT 1")
    return int(rows[0][0])


def draft(court: Court, case_id: int, start: datetime, end: datetime, **kw: Any) -> HearingDraft:
    values: dict[str, Any] = {
        "case_id": case_id,
        "kind": HearingKind.TRIAL,
        "mode": HearingMode.ROOM,
        "start": start,
        "end": end,
        "room_id": room(court),
        "judge_id": court.judge.actor.user_id,
        "clerk_id": court.clerk.actor.user_id,
    }
    values.update(kw)
    return HearingDraft(**values)


def scheduled(court: Court) -> HearingView:
    case = court.case()
    return hearings.schedule_hearing(
        court.judge,
        draft(court, case.id, MONDAY, MONDAY + timedelta(hours=1)),
        OVERRIDE,
        now=NOW,
    )


def assert_times(view: HearingView, start: datetime, end: datetime) -> None:
    """Stored as given: to the minute, so a time with seconds cannot have been accepted."""
    assert (view.start, view.end) == (start, end)


def assert_override(view: HearingView, override: str) -> None:
    assert view.override_reason in ("", override.strip())


@SOME
@given(
    one_field_or_all(
        {
            **GOOD_TIMES,
            "mode": HearingMode.ROOM,
            "place": "",
            "note": "",
            "override": OVERRIDE,
            "public": True,
        },
        {
            **TIMES,
            "mode": st.sampled_from(HearingMode),
            "place": TEXT,
            "note": TEXT,
            "override": TEXT,
            "public": st.booleans(),
        },
    )
)
def test_scheduling_any_hearing_stores_it_faithfully_or_not_at_all(
    court: Court, values: dict[str, Any]
) -> None:
    case = court.case()
    start, end = span(values)
    proposal = draft(
        court,
        case.id,
        start,
        end,
        mode=values["mode"],
        room_id=room(court) if values["mode"] is HearingMode.ROOM else None,
        place=values["place"],
        note=values["note"],
        is_public=values["public"],
    )
    before = tables(court)
    result = accepted_or_refused(
        lambda: hearings.schedule_hearing(court.judge, proposal, values["override"], now=NOW)
    )
    if isinstance(result, CourtdeskError):
        refused(result)
        assert tables(court) == before
        assert hearings.case_hearings(court.judge, case.id) == []
        return
    event("accepted")
    (stored,) = hearings.case_hearings(court.judge, case.id)
    assert stored == result
    assert_times(stored, start, end)
    assert (stored.mode, stored.is_public) == (values["mode"], values["public"])
    assert stored.note == values["note"].strip()
    if values["mode"] is HearingMode.OFF_SITE:
        assert stored.place == values["place"].strip()
    assert_override(stored, values["override"])


@FEW
@given(
    st.sampled_from(HearingMode),
    st.one_of(NASTY_TEXT, TEXT),
    st.one_of(NASTY_TEXT, TEXT),
    st.one_of(st.just(OVERRIDE), TEXT),
)
def test_any_place_note_and_override_reason_together_are_stored_or_refused(
    court: Court, mode: HearingMode, place: str, note: str, override: str
) -> None:
    """The free text of a good hearing, often with a nasty character in it."""
    case = court.case()
    proposal = draft(
        court,
        case.id,
        MONDAY,
        MONDAY + timedelta(hours=1),
        mode=mode,
        room_id=room(court) if mode is HearingMode.ROOM else None,
        place=place,
        note=note,
    )
    before = tables(court)
    result = accepted_or_refused(
        lambda: hearings.schedule_hearing(court.judge, proposal, override, now=NOW)
    )
    if isinstance(result, CourtdeskError):
        refused(result)
        assert tables(court) == before
        return
    event("accepted")
    assert hearings.get_hearing(court.judge, result.id) == result
    assert result.note == note.strip()
    if mode is HearingMode.OFF_SITE:
        assert result.place == place.strip()
    assert_override(result, override)


@SOME
@given(
    one_field_or_all(
        {**GOOD_TIMES, "start": MONDAY + timedelta(days=1), "override": OVERRIDE},
        {**TIMES, "override": TEXT},
    )
)
def test_moving_a_hearing_to_any_time_moves_it_or_leaves_it(
    court: Court, values: dict[str, Any]
) -> None:
    hearing = scheduled(court)
    start, end = span(values)
    before = tables(court)
    result = accepted_or_refused(
        lambda: hearings.move_hearing(
            court.judge,
            hearing.id,
            hearing.version,
            start,
            end,
            override_reason=values["override"],
            now=NOW,
        )
    )
    if left_alone(result, court, before, hearing):
        return
    assert hearings.get_hearing(court.judge, hearing.id) == result
    assert_times(result, start, end)
    assert_override(result, values["override"])


@SOME
@given(
    one_field_or_all(
        {**GOOD_TIMES, "start": MONDAY + timedelta(days=7), "reason": "当事人申请延期"},
        {**TIMES, "reason": TEXT},
    ),
    st.booleans(),
    st.one_of(st.just(OVERRIDE), TEXT),
)
def test_postponing_for_any_reason_to_any_time_postpones_it_or_leaves_it(
    court: Court, values: dict[str, Any], new_time: bool, override: str
) -> None:
    hearing = scheduled(court)
    new_start, new_end = span(values) if new_time else (None, None)
    before = tables(court)
    result = accepted_or_refused(
        lambda: hearings.postpone_hearing(
            court.judge,
            hearing.id,
            hearing.version,
            values["reason"],
            new_start,
            new_end,
            override_reason=override,
            now=NOW,
        )
    )
    if left_alone(result, court, before, hearing):
        return
    postponed, later = result
    assert hearings.get_hearing(court.judge, hearing.id) == postponed
    assert postponed.status is HearingStatus.POSTPONED
    assert postponed.status_reason == values["reason"].strip()
    if new_start is None or new_end is None:
        assert later is None
        return
    assert later is not None and later.postponed_from == hearing.id
    assert_times(later, new_start, new_end)
    assert_override(later, override)


@FEW
@given(TEXT)
def test_cancelling_for_any_reason_cancels_it_or_leaves_it(court: Court, reason: str) -> None:
    hearing = scheduled(court)
    before = tables(court)
    result = accepted_or_refused(
        lambda: hearings.cancel_hearing(court.judge, hearing.id, hearing.version, reason)
    )
    if left_alone(result, court, before, hearing):
        return
    assert result.status is HearingStatus.CANCELLED
    assert result.status_reason == reason.strip()
    assert hearings.get_hearing(court.judge, hearing.id) == result
