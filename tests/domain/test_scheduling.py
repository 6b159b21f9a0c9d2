"""The pure conflict checker: every conflict kind, each explained."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from courtdesk.domain.holidays import CourtDay, HolidayCalendar
from courtdesk.domain.scheduling import (
    Booking,
    CheckContext,
    Closure,
    ConflictKind,
    CourtHours,
    HearingKind,
    HearingMode,
    Interval,
    Lawyer,
    Person,
    Proposal,
    RoomSchedule,
    SlotSearch,
    SummonsOutlook,
    assumed_outlook,
    check,
    find_slots,
    parse_court_hours,
    postponement_limit,
    same_lawyer,
    validate,
)

HOURS = parse_court_hours("08:30-12:00,13:30-17:30")
NOW = datetime(2026, 11, 16, 8, 0)  # a Monday
JUDGE = Person(1, "王法官")
CLERK = Person(2, "李书记员")
PANEL = Person(3, "赵审判员")
LAWYER = Lawyer("钱律师", "吉林功承律师事务所", "12201201010000001", "张三")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute)


def proposal(start: datetime, end: datetime, **kw: object) -> Proposal:
    values: dict[str, object] = {
        "case_id": 10,
        "case_number": "（2026）吉0193民初100号",
        "kind": HearingKind.TRIAL,
        "mode": HearingMode.ROOM,
        "start": start,
        "end": end,
        "room_id": 5,
        "room_name": "第五法庭",
        "judge": JUDGE,
        "clerk": CLERK,
        "panel": (PANEL,),
        "lawyers": (LAWYER,),
    }
    values.update(kw)
    return Proposal(**values)  # type: ignore[arg-type]


def booking(start: datetime, end: datetime, **kw: object) -> Booking:
    values: dict[str, object] = {
        "hearing_id": 99,
        "case_id": 20,
        "case_number": "（2026）吉0193民初200号",
        "kind": HearingKind.TRIAL,
        "start": start,
        "end": end,
        "room_id": 7,
        "place": "第七法庭",
    }
    values.update(kw)
    return Booking(**values)  # type: ignore[arg-type]


def ctx(**kw: object) -> CheckContext:
    values: dict[str, object] = {"now": NOW, "calendar": HolidayCalendar(), "hours": HOURS}
    values.update(kw)
    return CheckContext(**values)  # type: ignore[arg-type]


def kinds(conflicts: list) -> list[ConflictKind]:  # type: ignore[type-arg]
    return [c.kind for c in conflicts]


def test_a_free_slot_on_a_working_day_has_no_conflicts() -> None:
    assert check(proposal(at(23, 9), at(23, 11)), ctx()) == []


@pytest.mark.parametrize(
    ("start", "end", "clash"),
    [
        (at(23, 9), at(23, 11), True),  # the same time
        (at(23, 10), at(23, 12), True),  # overlapping the end
        (at(23, 8, 30), at(23, 9, 30), True),  # overlapping the start
        (at(23, 9, 30), at(23, 10), True),  # inside
        (at(23, 11), at(23, 12), False),  # touching after: not a conflict
        (at(23, 8, 30), at(23, 9), False),  # touching before: not a conflict
    ],
)
def test_room_overlap_and_touching(start: datetime, end: datetime, clash: bool) -> None:
    other = booking(at(23, 9), at(23, 11), room_id=5, place="第五法庭")
    conflicts = check(proposal(start, end), ctx(bookings=[other]))
    assert (ConflictKind.ROOM_TAKEN in kinds(conflicts)) is clash
    if clash:
        message = next(c for c in conflicts if c.kind is ConflictKind.ROOM_TAKEN).message
        assert "第五法庭" in message and "民初200号" in message and "09:00–11:00" in message


def test_interval_overlap_is_half_open() -> None:
    a = Interval(at(23, 9), at(23, 10))
    assert not a.overlaps(Interval(at(23, 10), at(23, 11)))
    assert a.overlaps(Interval(at(23, 9, 59), at(23, 11)))


def test_the_hearing_being_moved_does_not_clash_with_itself() -> None:
    other = booking(at(23, 9), at(23, 11), hearing_id=42, room_id=5, staff=((1, "judge"),))
    moved = proposal(at(23, 10), at(23, 12), hearing_id=42)
    assert check(moved, ctx(bookings=[other])) == []


@pytest.mark.parametrize(
    ("user_id", "kind", "words"),
    [
        (1, ConflictKind.JUDGE_BUSY, "审判长王法官"),
        (3, ConflictKind.PANEL_BUSY, "合议庭成员赵审判员"),
        (2, ConflictKind.CLERK_BUSY, "书记员李书记员"),
    ],
)
def test_people_elsewhere(user_id: int, kind: ConflictKind, words: str) -> None:
    other = booking(at(23, 10), at(23, 12), staff=((user_id, "clerk"),))
    conflicts = check(proposal(at(23, 9), at(23, 11)), ctx(bookings=[other]))
    assert kinds(conflicts) == [kind]
    assert words in conflicts[0].message and "第七法庭" in conflicts[0].message
    assert "担任书记员" in conflicts[0].message
    assert conflicts[0].other_hearing_id == 99


def test_an_overbooked_subject_has_its_first_clashes_explained_and_the_rest_counted() -> None:
    """Eight hearings in the same room with the same judge and lawyer: five explained each,
    the other three in one line, for the room, the judge and the lawyer alike."""
    from courtdesk.domain.scheduling import DESCRIBED_PER_SUBJECT

    assert DESCRIBED_PER_SUBJECT == 5
    others = [
        booking(
            at(23, 9),
            at(23, 11),
            hearing_id=100 + n,
            case_id=200 + n,
            case_number=f"（2026）吉0193民初{300 + n}号",
            room_id=5,
            staff=((1, "judge"),),
            lawyers=(LAWYER,),
        )
        for n in range(8)
    ]
    conflicts = check(proposal(at(23, 10), at(23, 12)), ctx(bookings=others))
    for kind, line in (
        (ConflictKind.ROOM_TAKEN, "第五法庭同一时段另有 3 场开庭"),
        (ConflictKind.JUDGE_BUSY, "审判长王法官同一时间另有 3 场开庭"),
        (ConflictKind.LAWYER_BUSY, "张三的代理人钱律师（吉林功承律师事务所）同一时间另有 3 场开庭"),
    ):
        mine = [c for c in conflicts if c.kind is kind]
        assert len(mine) == 6, (kind, mine)
        assert [c.other_hearing_id for c in mine[:5]] == [100, 101, 102, 103, 104]
        assert mine[5].message == line and mine[5].other_hearing_id is None
    # Five or fewer are all explained: nothing is counted away.
    few = check(proposal(at(23, 10), at(23, 12)), ctx(bookings=others[:5]))
    assert sum(c.kind is ConflictKind.JUDGE_BUSY for c in few) == 5
    assert not any("另有" in c.message for c in few)


def test_a_lawyer_matched_by_licence_number() -> None:
    same_licence = Lawyer("钱某", "另一律所", "12201201010000001")
    other = booking(at(23, 10), at(23, 12), lawyers=(same_licence,))
    conflicts = check(proposal(at(23, 9), at(23, 11)), ctx(bookings=[other]))
    assert kinds(conflicts) == [ConflictKind.LAWYER_BUSY]
    assert "张三的代理人钱律师" in conflicts[0].message
    assert "执业证号相同" in conflicts[0].message


def test_a_lawyer_without_licence_matched_by_name_and_firm() -> None:
    unlicensed = Lawyer("钱律师", "吉林功承律师事务所", "")
    other = booking(at(23, 10), at(23, 12), lawyers=(unlicensed,))
    conflicts = check(proposal(at(23, 9), at(23, 11)), ctx(bookings=[other]))
    assert kinds(conflicts) == [ConflictKind.LAWYER_BUSY]
    assert "姓名和律所相同" in conflicts[0].message


def test_lawyer_identity_rules() -> None:
    assert not same_lawyer(LAWYER, Lawyer("钱律师", "吉林功承律师事务所", "99999999999999999"))
    assert not same_lawyer(Lawyer("钱律师", "", ""), Lawyer("钱律师", "", ""))
    assert same_lawyer(Lawyer("钱律师", "甲所", ""), Lawyer("钱律师", "甲所", "123"))


def test_the_same_lawyer_in_the_same_case_is_no_clash() -> None:
    other = booking(at(23, 10), at(23, 12), case_id=10, lawyers=(LAWYER,))
    assert check(proposal(at(23, 9), at(23, 11)), ctx(bookings=[other])) == []


def test_weekend_and_statutory_holiday() -> None:
    saturday = check(proposal(at(21, 9), at(21, 11)), ctx())
    assert kinds(saturday) == [ConflictKind.NOT_WORKING_DAY]
    assert "星期六" in saturday[0].message and "周末" in saturday[0].message
    national_day = proposal(datetime(2026, 10, 2, 9), datetime(2026, 10, 2, 11))
    conflicts = check(national_day, ctx(now=datetime(2026, 9, 1)))
    assert kinds(conflicts) == [ConflictKind.NOT_WORKING_DAY]
    assert "国庆节" in conflicts[0].message


def test_an_adjusted_working_saturday_is_a_working_day() -> None:
    # 2026-09-20 (Sunday) and 2026-10-10 (Saturday) are 调休 working days in the package.
    calendar = HolidayCalendar()
    day = next(
        d
        for d in (date(2026, 9, 20), date(2026, 10, 10), date(2026, 2, 14), date(2026, 2, 28))
        if d.weekday() >= 5 and calendar.is_working_day(d)
    )
    start = datetime.combine(day, datetime.min.time()) + timedelta(hours=9)
    assert check(proposal(start, start + timedelta(hours=2)), ctx(now=datetime(2026, 1, 1))) == []


def test_a_court_entered_holiday_and_an_unknown_year() -> None:
    entered = HolidayCalendar({date(2026, 11, 23): CourtDay(False, "本院停电")})
    conflicts = check(proposal(at(23, 9), at(23, 11)), ctx(calendar=entered))
    assert kinds(conflicts) == [ConflictKind.NOT_WORKING_DAY]
    assert "本院停电" in conflicts[0].message
    later = proposal(datetime(2031, 3, 4, 9), datetime(2031, 3, 4, 11))
    unknown = check(later, ctx())
    assert kinds(unknown) == [ConflictKind.HOLIDAYS_UNKNOWN]
    assert "2031 年" in unknown[0].message


@pytest.mark.parametrize(
    ("start", "end", "outside"),
    [
        (at(23, 8, 30), at(23, 12), False),
        (at(23, 13, 30), at(23, 17, 30), False),
        (at(23, 8), at(23, 9), True),  # before the court opens
        (at(23, 17), at(23, 18), True),  # after it closes
        (at(23, 11, 30), at(23, 14), True),  # across the lunch break
    ],
)
def test_court_hours(start: datetime, end: datetime, outside: bool) -> None:
    conflicts = check(proposal(start, end), ctx())
    assert (ConflictKind.OUTSIDE_HOURS in kinds(conflicts)) is outside
    if outside:
        assert "08:30–12:00、13:30–17:30" in conflicts[0].message


def test_court_hours_parsing() -> None:
    assert str(parse_court_hours("9:00-12:00，14:00-17:00")) == "09:00–12:00、14:00–17:00"
    for bad in ("", "9-12", "12:00-09:00", "08:00-12:00,11:00-13:00", "25:00-26:00"):
        with pytest.raises(ValueError):
            parse_court_hours(bad)


def test_a_time_in_the_past() -> None:
    conflicts = check(proposal(at(16, 7), at(16, 7, 30)), ctx(now=at(16, 8)))
    assert ConflictKind.IN_PAST in kinds(conflicts)


def test_three_day_rule_from_the_service_outlook() -> None:
    outlook = [
        SummonsOutlook("张三", "电子送达", date(2026, 11, 16), "已同意电子送达"),
        SummonsOutlook("李四", "邮寄送达", date(2026, 11, 19), "法院专递约三日"),
    ]
    # 11-22 is three days after 11-19: enough for 李四 (Sunday, so use a weekday later).
    ok = check(proposal(at(23, 9), at(23, 11)), ctx(summons=outlook, summons_basis="送达记录"))
    assert ok == []
    at_limit = proposal(datetime(2026, 11, 22, 9), datetime(2026, 11, 22, 11))
    assert ConflictKind.SUMMONS_TOO_LATE not in kinds(check(at_limit, ctx(summons=outlook)))
    late = check(proposal(at(20, 9), at(20, 11)), ctx(summons=outlook, summons_basis="送达记录"))
    assert kinds(late) == [ConflictKind.SUMMONS_TOO_LATE]
    assert "李四" in late[0].message and "2026-11-17" in late[0].message
    assert "依据：送达记录" in late[0].message


def test_assumed_postal_service_when_no_service_records() -> None:
    outlook = assumed_outlook(["张三", "李四"], date(2026, 11, 16), 3)
    assert {o.earliest_service_date for o in outlook} == {date(2026, 11, 19)}
    late = check(
        proposal(at(20, 9), at(20, 11)),
        ctx(summons=outlook, summons_basis="推定邮寄送达 3 日"),
    )
    assert kinds(late) == [ConflictKind.SUMMONS_TOO_LATE] * 2
    assert "推定邮寄送达 3 日" in late[0].message


@pytest.mark.parametrize(
    ("procedure", "before", "warned"),
    [
        ("civil_summary", 0, False),
        ("civil_summary", 1, True),
        ("civil_small_claims", 1, True),
        ("civil_ordinary", 1, False),
        ("civil_ordinary", 2, True),
        ("criminal_public", 5, False),
    ],
)
def test_postponement_limits(procedure: str, before: int, warned: bool) -> None:
    postponed = proposal(at(23, 9), at(23, 11), is_postponement=True)
    conflicts = check(postponed, ctx(procedure=procedure, postponements_so_far=before))
    assert (ConflictKind.POSTPONEMENT_LIMIT in kinds(conflicts)) is warned
    # An ordinary new hearing is never a postponement.
    assert check(proposal(at(23, 9), at(23, 11)), ctx(procedure=procedure)) == []


def test_postponement_limit_values() -> None:
    assert postponement_limit("civil_ordinary") == 2
    assert postponement_limit("civil_summary") == 1
    assert postponement_limit("enforcement") is None


def test_room_closed_for_a_period_or_out_of_use() -> None:
    closure = Closure(date(2026, 11, 20), date(2026, 11, 30), "装修")
    conflicts = check(proposal(at(23, 9), at(23, 11)), ctx(room_closures=[closure]))
    assert kinds(conflicts) == [ConflictKind.ROOM_CLOSED]
    assert "装修" in conflicts[0].message
    assert kinds(check(proposal(at(23, 9), at(23, 11)), ctx(room_active=False))) == [
        ConflictKind.ROOM_CLOSED
    ]


def test_online_hearings_need_no_room() -> None:
    online = proposal(at(23, 9), at(23, 11), mode=HearingMode.ONLINE, room_id=None)
    assert validate(online) == []
    other = booking(at(23, 9), at(23, 11), room_id=None)
    assert check(online, ctx(bookings=[other], room_active=False)) == []


def test_validation_refuses_impossible_hearings() -> None:
    fields = {i.field for i in validate(proposal(at(23, 11), at(23, 9)))}
    assert fields == {"end"}
    across = validate(proposal(at(23, 16), datetime(2026, 11, 24, 9)))
    assert "跨日" in across[0].message
    off_site = proposal(at(23, 9), at(23, 11), mode=HearingMode.OFF_SITE, place=" ", room_id=None)
    assert {i.field for i in validate(off_site)} == {"place"}
    twice = proposal(at(23, 9), at(23, 11), panel=(JUDGE,))
    assert {i.field for i in validate(twice)} == {"panel"}


def test_every_conflict_kind_is_covered_by_a_test() -> None:
    # The kinds above, named here so a new kind without a test fails this file.
    tested = {
        ConflictKind.ROOM_TAKEN,
        ConflictKind.ROOM_CLOSED,
        ConflictKind.JUDGE_BUSY,
        ConflictKind.PANEL_BUSY,
        ConflictKind.CLERK_BUSY,
        ConflictKind.LAWYER_BUSY,
        ConflictKind.NOT_WORKING_DAY,
        ConflictKind.HOLIDAYS_UNKNOWN,
        ConflictKind.OUTSIDE_HOURS,
        ConflictKind.IN_PAST,
        ConflictKind.SUMMONS_TOO_LATE,
        ConflictKind.POSTPONEMENT_LIMIT,
    }
    assert tested == set(ConflictKind)


# ---------------------------------------------------------------- free slots
def test_find_slots_skips_busy_people_full_rooms_weekends_and_closures() -> None:
    judge_busy = [Interval(at(20, 8, 30), at(20, 10))]
    clerk_busy = [Interval(at(20, 13, 30), at(20, 17, 30))]
    room_a = RoomSchedule(1, "第一法庭", busy=[Interval(at(20, 10), at(20, 11))])
    room_b = RoomSchedule(
        2, "第二法庭", closures=[Closure(date(2026, 11, 1), date(2026, 11, 30), "")]
    )
    slots = find_slots(
        SlotSearch(
            earliest=at(20, 8),
            length=timedelta(hours=1),
            hours=HOURS,
            calendar=HolidayCalendar(),
            people_busy={"1": judge_busy, "2": clerk_busy},
            rooms=[room_a, room_b],
            limit=3,
        )
    )
    # Friday 20th: judge free at 10:00 but room A taken until 11:00; afternoon the clerk
    # sits all day; the weekend is skipped; Monday 23rd morning and afternoon.
    assert [(s.start, s.room_name) for s in slots] == [
        (at(20, 11), "第一法庭"),
        (at(23, 8, 30), "第一法庭"),
        (at(23, 13, 30), "第一法庭"),
    ]


def test_find_slots_for_online_hearings_needs_no_room_and_respects_earliest() -> None:
    slots = find_slots(
        SlotSearch(
            earliest=at(23, 9, 5),
            length=timedelta(minutes=30),
            hours=CourtHours(parse_court_hours("08:30-12:00").sessions),
            calendar=HolidayCalendar(),
            rooms=None,
            limit=2,
        )
    )
    assert [(s.start, s.room_id) for s in slots] == [(at(23, 9, 15), None), (at(24, 8, 30), None)]
