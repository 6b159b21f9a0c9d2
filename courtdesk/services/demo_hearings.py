"""Demo hearings for the demo cases, planned in bulk (part of ``courtdesk demo``).

Each case gets the hearings its type and procedure would have (trials, mediation,
hearings on enforcement objections, pronouncements …), dated after filing, before
closing for closed cases, only in the past for suspended ones, and at most one
upcoming hearing for pending ones. Every hearing is booked on a working day inside
court hours with "next free minute" pointers per room, judge, panel member and
clerk and day, so the calendar has no double bookings while the staff can carry
the load (``demo.staff_scale`` sizes the staff and rooms to the caseload). Where
no free hour is found within ``SEARCH_DAYS`` (a few per cent at scale, mostly
cases closed within weeks of filing) the hearing is booked anyway and counted
in ``overflow``, so a huge demo still has every case's hearings.

The planner has its own random stream, so adding hearings did not change the
generated cases.
"""

from __future__ import annotations

import random
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from courtdesk.domain.holidays import HolidayCalendar
from courtdesk.domain.scheduling import HearingKind
from courtdesk.store import hearings as hearing_store

MORNING = (8 * 60 + 30, 12 * 60)
AFTERNOON = (13 * 60 + 30, 17 * 60 + 30)
SEARCH_DAYS = 8
OPEN_CASE_SEARCH = 4  # times as many days for an open case's hearing (``_find``)

HEARING_ROW_COLUMNS = ("id", *hearing_store.HEARING_COLUMNS)
POSTPONE_REASONS = (
    "当事人申请延期举证",
    "被告提出管辖权异议后申请延期",
    "原告委托的代理人因另案开庭冲突申请延期",
    "需要通知新的证人到庭",
    "当事人申请鉴定",
    "被告因病不能到庭，提交了医院证明",
)
CANCEL_REASONS = ("原告撤诉", "双方庭外和解，原告撤诉", "案件已调解结案", "当事人自动履行完毕")
VILLAGES = ("西营城村", "东湖村", "双德村", "长德村", "兰家村", "奢岭村", "英俊村", "卡伦村")


@dataclass(frozen=True)
class CaseFacts:
    case_id: int
    filed: date
    type_code: str
    procedure: str
    status: str
    closed: date | None
    division_id: int | None
    judge_id: int | None
    clerk_id: int | None
    is_private: bool


@dataclass
class _Plan:
    kind: HearingKind
    day: date
    postponed: bool = False
    cancelled: bool = False


class HearingPlanner:
    def __init__(
        self,
        rng: random.Random,
        as_of: date,
        rooms: Sequence[tuple[int, int | None]],  # (room id, division id)
        judges_by_division: dict[int, list[int]],
        tribunal_areas: dict[int, str],
        first_id: int,
    ) -> None:
        self.rng = rng
        self.as_of = as_of
        self.rooms_by_division: dict[int | None, list[int]] = defaultdict(list)
        for room_id, division_id in rooms:
            self.rooms_by_division[division_id].append(room_id)
        self.judges_by_division = judges_by_division
        self.tribunal_areas = tribunal_areas
        self.next_id = first_id
        self.busy: dict[tuple[date, str, int], int] = {}  # (day, "r"/"u", id) -> next free minute
        self._working: dict[date, bool] = {}
        self._calendar = HolidayCalendar()
        self.overflow = 0
        self.total = 0
        self.closed: dict[int, tuple[date, date]] = {}  # room -> first and last day out of use

    # ------------------------------------------------------------ existing data
    def load_existing(self, conn: sqlite3.Connection, since: date) -> None:
        """Respect hearings already in the database (a second ``courtdesk demo`` run)."""
        rooms, people = hearing_store.booked_since(conn, since)
        for start, end, room in rooms:
            self._reserve_until(start, end, "r", room)
        for start, end, user in people:
            self._reserve_until(start, end, "u", user)

    def _reserve_until(self, start: str, end: str, what: str, key: int) -> None:
        day = date.fromisoformat(start[:10])
        finish = int(end[11:13]) * 60 + int(end[14:16])
        slot = (day, what, key)
        self.busy[slot] = max(self.busy.get(slot, 0), finish)

    # ------------------------------------------------------------ planning
    def plan(
        self, cases: Sequence[CaseFacts], stamp: str
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        hearings: list[tuple[Any, ...]] = []
        staff: list[tuple[Any, ...]] = []
        for case in cases:
            if case.judge_id is None or case.status == "registered":
                continue
            for plan in self._plans(case):
                self._book(case, plan, stamp, hearings, staff)
        return hearings, staff

    def _plans(self, case: CaseFacts) -> list[_Plan]:
        rng = self.rng
        kinds = self._kinds(case)
        if not kinds:
            return []
        plans: list[_Plan] = []
        if case.type_code == "刑初" and case.procedure.startswith("criminal_fast"):
            day = case.filed + timedelta(days=rng.randint(3, 7))
        elif kinds[0] is HearingKind.MEDIATION:
            day = case.filed + timedelta(days=rng.randint(5, 20))
        else:
            day = case.filed + timedelta(days=rng.randint(20, 45))
        limit = _postponement_allowance(case.procedure)
        for kind in kinds:
            if kind is HearingKind.TRIAL and limit and rng.random() < 0.07:
                limit -= 1
                plans.append(_Plan(kind, day, postponed=True))
                day += timedelta(days=rng.randint(14, 30))
            plans.append(_Plan(kind, day))
            day += timedelta(
                days=rng.randint(7, 20)
                if kind is HearingKind.TRIAL and len(plans) == len(kinds)
                else rng.randint(14, 40)
            )
        if case.closed is not None:
            plans = _fit_before(plans, case.filed, case.closed)
            if case.status in ("closed", "archived") and rng.random() < 0.05:
                cancelled_day = case.closed + timedelta(days=rng.randint(3, 20))
                plans.append(_Plan(HearingKind.TRIAL, cancelled_day, cancelled=True))
        else:
            # Open cases: the past as it happened, and at most the next hearing ahead.
            kept: list[_Plan] = []
            for plan in plans:
                if plan.day <= self.as_of:
                    kept.append(plan)
                elif case.status == "pending" and not any(p.day > self.as_of for p in kept):
                    plan.day = min(plan.day, self.as_of + timedelta(days=rng.randint(1, 40)))
                    kept.append(plan)
            plans = kept
        return plans

    def _kinds(self, case: CaseFacts) -> list[HearingKind]:
        rng = self.rng
        t = case.type_code
        trial, mediation = HearingKind.TRIAL, HearingKind.MEDIATION
        if t == "民初":
            kinds = [mediation] if rng.random() < 0.35 else []
            trials = 1 + (rng.random() < 0.55)
            if case.procedure == "civil_ordinary":
                trials += rng.random() < 0.5
            if case.division_id in self.tribunal_areas and rng.random() < 0.12:
                kinds.append(HearingKind.CIRCUIT)
                trials -= 1
            kinds += [trial] * trials
            if rng.random() < (0.3 if case.procedure == "civil_ordinary" else 0.1):
                kinds.append(HearingKind.PRONOUNCEMENT)
            return kinds
        if t == "刑初":
            kinds = [trial]
            if not case.procedure.startswith("criminal_fast") and rng.random() < 0.5:
                kinds.append(HearingKind.PRONOUNCEMENT)
            return kinds
        if t == "行初":
            return [trial] * (1 + (rng.random() < 0.5)) + (
                [HearingKind.PRONOUNCEMENT] if rng.random() < 0.3 else []
            )
        chance = {"执异": (1.0, HearingKind.HEARING), "民诉前调": (0.8, mediation)}
        chance |= {
            "执": (0.4, HearingKind.INQUIRY),
            "民特": (0.5, HearingKind.HEARING),
            "执恢": (0.3, HearingKind.INQUIRY),
        }
        if t in chance and rng.random() < chance[t][0]:
            return [chance[t][1]]
        return []

    # ------------------------------------------------------------ booking
    def _working_day(self, day: date) -> bool:
        known = self._working.get(day)
        if known is None:
            known = self._working[day] = self._calendar.is_working_day(day)
        return known

    def _book(
        self,
        case: CaseFacts,
        plan: _Plan,
        stamp: str,
        hearings: list[tuple[Any, ...]],
        staff: list[tuple[Any, ...]],
    ) -> None:
        rng = self.rng
        assert case.judge_id is not None
        minutes = plan.kind.default_minutes
        if plan.kind is HearingKind.TRIAL and case.procedure in ("civil_small_claims",):
            minutes = 60
        mode = "room"
        if plan.kind is HearingKind.CIRCUIT:
            mode = "off_site"
        elif plan.kind in (HearingKind.INQUIRY, HearingKind.MEDIATION) or rng.random() < 0.15:
            mode = "online" if rng.random() < 0.5 else "room"
        people = [case.judge_id]
        panel: list[int] = []
        if case.procedure in ("civil_ordinary", "criminal_public", "admin_first") and (
            plan.kind in (HearingKind.TRIAL, HearingKind.PRONOUNCEMENT)
        ):
            # A standing panel (合议庭): the two judges after the presiding one in the
            # division's list, so every judge sits on panels as often as the others.
            # (Always the division's first two made them the calendar's bottleneck.)
            division = self.judges_by_division.get(case.division_id or 0, [])
            at = division.index(case.judge_id) if case.judge_id in division else -1
            panel = [division[(at + k) % len(division)] for k in (1, 2) if k < len(division)]
        people += panel
        if case.clerk_id is not None:
            people.append(case.clerk_id)
        rooms = self.rooms_by_division.get(case.division_id) or self.rooms_by_division.get(None, [])
        booked = self._find(
            plan.day, minutes, people, rooms if mode == "room" else [], case.closed, case.filed
        )
        if booked is None:
            day_or_none = next(
                (
                    d
                    for d in self._candidate_days(plan.day, case.closed)
                    if d > case.filed and self._working_day(d)
                ),
                None,
            )
            if day_or_none is None or (
                case.closed is not None and (case.closed - case.filed).days <= SEARCH_DAYS
            ):
                # Closed within days of filing and no free hour before that: the case
                # was settled without this hearing.
                return
            # The staff's calendar is full (only in demos far beyond the staff's size).
            self.overflow += 1
            day = day_or_none
            usable = [r for r in rooms if not self._closed_on(r, day)] or rooms
            room = usable[self.total % len(usable)] if mode == "room" and rooms else None
            # Spread over the day's half-hours, as an overbooked court would, not all at 08:30.
            opens, closes = MORNING if rng.random() < 0.55 else AFTERNOON
            start_minute = opens + 30 * rng.randrange(max(1, (closes - opens - minutes) // 30 + 1))
        else:
            day, start_minute, room = booked
        if not (plan.postponed or plan.cancelled):
            self._reserve(day, start_minute + minutes, people, room)
        # The stored text form, written directly: strftime per row was a tenth of the run.
        finish = start_minute + minutes
        start_text = f"{day.isoformat()}T{start_minute // 60:02d}:{start_minute % 60:02d}"
        end_text = f"{day.isoformat()}T{finish // 60:02d}:{finish % 60:02d}"
        hearing_id = self.next_id
        self.next_id += 1
        self.total += 1
        status, reason, postponed_from = "scheduled", "", None
        if plan.postponed:
            status, reason = "postponed", rng.choice(POSTPONE_REASONS)
        elif plan.cancelled:
            status, reason = "cancelled", rng.choice(CANCEL_REASONS)
        if hearings and hearings[-1][1] == case.case_id and hearings[-1][11] == "postponed":
            postponed_from = hearings[-1][0]
        public = (
            plan.kind not in (HearingKind.MEDIATION, HearingKind.INQUIRY) and not case.is_private
        )
        place = ""
        if mode == "off_site":
            area = self.tribunal_areas.get(case.division_id or 0, "长春新区")
            place = f"{area}{rng.choice(VILLAGES)}村民委员会"
        hearings.append(
            (
                hearing_id,
                case.case_id,
                plan.kind.value,
                mode,
                room,
                place,
                start_text,
                end_text,
                case.judge_id,
                case.clerk_id,
                int(public),
                status,
                reason,
                postponed_from,
                "",
                "",
                "",
                stamp,
                None,
                stamp,
            )
        )
        active = int(status == "scheduled")
        roles = [(case.judge_id, "judge"), *((p, "panel") for p in panel)]
        if case.clerk_id is not None:
            roles.append((case.clerk_id, "clerk"))
        for position, (user_id, role) in enumerate(roles):
            staff.append(
                (
                    hearing_id,
                    user_id,
                    role,
                    position,
                    start_text,
                    end_text,
                    active,
                )
            )

    def _find(
        self,
        wanted: date,
        minutes: int,
        people: list[int],
        rooms: list[int],
        closed: date | None,
        filed: date,
    ) -> tuple[date, int, int | None] | None:
        """The first working day from ``wanted`` with a start where everyone (and a room) is free."""
        tried = 0
        # Once most bookings overflow (a demo far beyond the staff), searching many
        # days is wasted: look at two and move on.
        limit = SEARCH_DAYS if self.overflow * 3 < self.total else 2
        if closed is None:
            # An open case's next hearing has no closing date to meet: the clerk books
            # the first free day however far ahead, as the calendar ahead must be sat.
            limit *= OPEN_CASE_SEARCH
        for day in self._candidate_days(wanted, closed):
            if day <= filed:
                break
            if not self._working_day(day):
                continue
            tried += 1
            found = self._fit(day, minutes, people, rooms)
            if found is not None:
                return day, found[0], found[1]
            if tried >= limit:
                break
        return None

    @staticmethod
    def _candidate_days(wanted: date, closed: date | None) -> Iterator[date]:
        """Forward from the wanted day; a closed case never past its closing, so then backwards."""
        one = timedelta(days=1)
        day = wanted
        for _ in range(SEARCH_DAYS * 2 * (OPEN_CASE_SEARCH if closed is None else 1)):
            if closed is not None and day > closed:
                break
            yield day
            day += one
        if closed is not None:
            day = min(wanted, closed)
            for _ in range(SEARCH_DAYS * 2):
                day -= one
                yield day

    def _fit(
        self, day: date, minutes: int, people: list[int], rooms: list[int]
    ) -> tuple[int, int | None] | None:
        busy = self.busy
        ready = max([busy.get((day, "u", p), 0) for p in people] + [MORNING[0]])
        start = _session_start(ready, minutes)
        if start is None or not rooms:
            return None if start is None else (start, None)
        best: tuple[int, int | None] | None = None
        # Start the round at a different room each time, so bookings spread over the rooms.
        turn = self.total % len(rooms)
        for room in rooms[turn:] + rooms[:turn]:
            if self._closed_on(room, day):
                continue
            start = _session_start(max(ready, busy.get((day, "r", room), 0)), minutes)
            if start is not None and (best is None or start < best[0]):
                best = (start, room)
                if start == ready:
                    break
        return best

    def _closed_on(self, room: int, day: date) -> bool:
        closed = self.closed.get(room)
        return closed is not None and closed[0] <= day <= closed[1]

    def _reserve(self, day: date, until: int, people: list[int], room: int | None) -> None:
        busy = self.busy
        for key in [(day, "u", p) for p in people] + ([(day, "r", room)] if room else []):
            busy[key] = max(busy.get(key, 0), until)


def _session_start(ready: int, minutes: int) -> int | None:
    for opens, closes in (MORNING, AFTERNOON):
        start = max(ready, opens)
        if start + minutes <= closes:
            return start
    return None


def _postponement_allowance(procedure: str) -> int:
    if procedure in ("civil_summary", "civil_small_claims"):
        return 1
    if procedure == "civil_ordinary":
        return 2
    return 0


def _fit_before(plans: list[_Plan], filed: date, closed: date) -> list[_Plan]:
    """Squeeze a closed case's hearings between filing and closing, in order."""
    span = max(1, (closed - filed).days)
    if plans and plans[-1].day > closed:
        count = len(plans)
        for index, plan in enumerate(plans):
            plan.day = filed + timedelta(days=max(1, span * (index + 1) // (count + 1)))
    return [p for p in plans if p.day <= closed]
