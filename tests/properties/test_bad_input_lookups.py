"""Arbitrary questions to the read-only entry points (hypothesis): free hearing slots
for any people, room, length, start and search window; the cause list of any day
and room; the public announcement of any period; the service task of any scanned
receipt code.

Nothing is written, so the rule is: an answer that is true to the question (every
slot is free, as long as asked, on a working day, after the earliest time; every
hearing listed is on the day, in the room, public) or a CourtdeskError in Chinese
naming the field, and never another exception or an answer that never comes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from courtdesk.domain.scheduling import HearingMode
from courtdesk.domain.service import receipt_code
from courtdesk.errors import CourtdeskError, NotFoundError, ValidationError
from courtdesk.services import courtrooms, hearings
from courtdesk.services import service as svc
from courtdesk.services.hearings import CauseList, SlotRequest
from courtdesk.services.holidays import holiday_calendar
from tests.properties.conftest import Court, one_field_or_all
from tests.properties.test_bad_input import DATES, FEW, TEXT
from tests.properties.test_bad_input_assignment import NOBODY
from tests.properties.test_bad_input_features import accepted_or_refused

NOW = datetime(2026, 11, 20, 8, 0)
# Days of the demo's hearings (2024-11 to 2026-12), the busiest first.
BUSY_DAYS = st.sampled_from(
    [date(2026, 10, 8), date(2025, 10, 9), date(2025, 2, 5), date(2026, 5, 6), date(2026, 6, 1)]
)
NEAR_DAYS = st.dates(min_value=date(2024, 11, 1), max_value=date(2027, 1, 31))
ANY_DAY = st.one_of(BUSY_DAYS, NEAR_DAYS, DATES, st.sampled_from([date.min, date.max]))


def rooms(court: Court) -> list[int]:
    return [int(r[0]) for r in court.judge.db.query("SELECT id FROM courtrooms ORDER BY id")]


def refused(error: CourtdeskError, fields: set[str]) -> None:
    assert isinstance(error, ValidationError), error
    assert {p.field for p in error.problems} <= fields, error.problems
    event("refused: " + ", ".join(sorted({p.field for p in error.problems})))


# ---------------------------------------------------------------- free slots
def slot_values(court: Court) -> st.SearchStrategy[dict[str, Any]]:
    people = [court.judge.actor.user_id, court.clerk.actor.user_id, court.chief.actor.user_id]
    person = st.one_of(st.none(), st.sampled_from(people), NOBODY)
    return one_field_or_all(
        {
            "judge_id": court.judge.actor.user_id,
            "clerk_id": court.clerk.actor.user_id,
            "length": timedelta(hours=1),
            "earliest": NOW,
            "mode": HearingMode.ROOM,
            "room_id": None,
            "min_capacity": 0,
            "panel_ids": (),
            "days": 30,
            "limit": 4,
        },
        {
            "judge_id": person,
            "clerk_id": person,
            "length": st.one_of(
                st.sampled_from([timedelta(minutes=m) for m in (15, 45, 90, 240)]),
                st.timedeltas(min_value=-timedelta(days=3), max_value=timedelta(days=3)),
                st.sampled_from([timedelta(0), timedelta.max, timedelta.min]),
            ),
            "earliest": st.one_of(
                st.datetimes(min_value=NOW, max_value=NOW + timedelta(days=60)),
                st.datetimes(),
                st.sampled_from([datetime.min, datetime.max]),
            ),
            "mode": st.sampled_from(HearingMode),
            "room_id": st.one_of(st.none(), st.sampled_from(rooms(court)), NOBODY),
            "min_capacity": st.integers(-10, 10**4),
            "panel_ids": st.lists(st.sampled_from(people) | NOBODY, max_size=3).map(tuple),
            "days": st.one_of(st.integers(-5, 400), st.sampled_from([10**6, 10**12])),
            "limit": st.one_of(st.integers(-5, 50), st.just(10**9)),
        },
    )


@FEW
@given(st.data())
def test_any_free_slot_question_gets_true_slots_or_says_which_field_is_wrong(
    court: Court, data: st.DataObject
) -> None:
    check_slots(court, data.draw(slot_values(court)))


def check_slots(court: Court, values: dict[str, Any]) -> None:
    request = SlotRequest(**values)
    result = accepted_or_refused(lambda: hearings.find_slots(court.judge, request))
    if isinstance(result, CourtdeskError):
        refused(result, set(values) | {"room"})
        return
    event(f"answered: {'some' if result else 'none'}")
    calendar = holiday_calendar(court.judge)
    last = request.earliest + timedelta(days=request.days + 1)
    assert len(result) <= request.limit
    for slot in result:
        assert request.earliest <= slot.start < last
        assert slot.end - slot.start == request.length
        assert (slot.start.second, slot.start.microsecond, slot.end.second) == (0, 0, 0)
        assert calendar.is_working_day(slot.start.date())
        assert (slot.room_id is not None) == (request.mode is HearingMode.ROOM)
        if request.room_id is not None and request.mode is HearingMode.ROOM:
            assert slot.room_id == request.room_id
        for user_id in (request.judge_id, request.clerk_id, *request.panel_ids):
            if user_id is None:
                continue
            busy = hearings.hearings_between(
                court.judge, slot.start.date(), slot.start.date(), user_id=user_id
            )
            assert not [h for h in busy if h.start < slot.end and slot.start < h.end]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("days", 10**12),  # searched day after day for ever
        ("length", timedelta.max),  # OverflowError
        ("length", timedelta(seconds=90)),  # slots ending at seconds no hearing can have
        ("earliest", datetime(9999, 12, 30)),  # OverflowError
        ("judge_id", 2**63),  # OverflowError
    ],
)
def test_a_free_slot_question_found_unanswerable_says_which_field(
    court: Court, field: str, value: Any
) -> None:
    """Found by the property above; each used to hang or raise, or answer nonsense."""
    values = {"judge_id": None, "clerk_id": None, "length": timedelta(hours=1), "earliest": NOW}
    request = SlotRequest(**{**values, field: value})
    with pytest.raises(ValidationError) as refusal:
        hearings.find_slots(court.judge, request)
    assert [p.field for p in refusal.value.problems] == [field]


# ---------------------------------------------------------------- cause lists
def listed(call: Callable[[], CauseList], fields: set[str]) -> CauseList | None:
    """The list asked for, or None when it was refused naming one of ``fields``."""
    result = accepted_or_refused(call)
    if isinstance(result, CourtdeskError):
        refused(result, fields)
        return None
    event(f"answered: {'some' if result.entries else 'none'}")
    return result


@FEW
@given(ANY_DAY, st.one_of(st.none(), st.integers(1, 12), NOBODY))
@example(date.max, None)
def test_the_cause_list_of_any_day_and_room_lists_that_days_hearings_or_explains(
    court: Court, day: date, room_id: int | None
) -> None:
    result = listed(lambda: hearings.cause_list(court.judge, day, room_id), {"day", "room"})
    if result is None:
        return
    assert result.first_day == result.last_day == day
    for entry in result.entries:
        assert entry.start.date() == day
    if room_id is not None:
        known = {r.id: r.name for r in courtrooms.courtrooms(court.judge)}
        assert result.room == known.get(room_id, "")
        assert all(e.place == result.room for e in result.entries)


@FEW
@given(ANY_DAY, ANY_DAY)
@example(date(2026, 11, 1), date.max)
@example(date(1, 1, 1), date(999, 1, 1))  # found by this property: the hearings of 2024 were listed
def test_the_announcement_of_any_period_lists_its_public_hearings_or_explains(
    court: Court, first: date, last: date
) -> None:
    result = listed(
        lambda: hearings.announcement(court.judge, first, last), {"first_day", "last_day"}
    )
    if result is None:
        return
    assert (result.first_day, result.last_day) == (first, last)
    for entry in result.entries:
        assert first <= entry.start.date() <= last and entry.is_public


# ---------------------------------------------------------------- scanned codes
@st.composite
def scanned(draw: st.DrawFn, task_ids: list[int]) -> tuple[str, int | None]:
    """A code as a scanner or a person gives it, and the task it names (None: no task)."""
    kind = draw(st.integers(0, 3))
    if kind == 0:
        task = draw(st.sampled_from(task_ids))
        code = receipt_code(task)
        return draw(
            st.sampled_from([code, code.lower(), f"  {code}\n", code[:2] + " " + code[2:]])
        ), task
    if kind == 1:  # well formed, naming nobody (or a number too large to be a row)
        return receipt_code(draw(st.one_of(st.integers(10**6, 10**8), st.just(2**63)))), None
    if kind == 2:  # one digit wrong
        code = receipt_code(draw(st.sampled_from(task_ids)))
        i = draw(st.integers(2, len(code) - 1))
        digit = draw(st.sampled_from("0123456789").filter(lambda d: d != code[i]))
        return code[:i] + digit + code[i + 1 :], None
    return draw(st.one_of(TEXT, st.from_regex(r"SD[0-9０-９]{0,12}", fullmatch=True))), None


def test_a_code_naming_a_number_too_large_for_a_row_is_not_found(court: Court) -> None:
    """Found by the property below: it escaped from SQLite as OverflowError."""
    with pytest.raises(NotFoundError):
        svc.find_by_code(court.service, receipt_code(2**63))


@FEW
@given(st.data())
def test_any_scanned_code_finds_its_task_or_says_why(court: Court, data: st.DataObject) -> None:
    task_ids = [int(r[0]) for r in court.service.db.query("SELECT id FROM service_tasks LIMIT 50")]
    code, task = data.draw(scanned(task_ids))
    result = accepted_or_refused(lambda: svc.find_by_code(court.service, code))
    if isinstance(result, CourtdeskError):
        assert task is None, f"{code!r} names task {task}: {result.message}"
        if isinstance(result, ValidationError):
            refused(result, {"code"})
        else:
            assert isinstance(result, NotFoundError), result
            event("refused: no such task")
        return
    event("found")
    assert task is not None and result.id == task and result.code == receipt_code(task)
