"""Hearing scheduling (排期): kinds, court hours, and the conflict checker.

Everything here is pure: the store looks up the hearings that could clash (by
room, by person and by lawyer, through indexes), and this module decides which
of them really do and explains each one in Chinese. Conflicts are warnings, not
refusals: the court may save anyway with a recorded reason (the users of court
systems ask for "warn, and let me override with a note").

Rules and choices:
- Intervals are half-open [start, end): a hearing ending at 10:00 and another
  starting at 10:00 in the same room do not clash.
- A hearing lies within one day; a trial over several days is scheduled as one
  hearing per day, so every lookup is "this room/person on this day".
- Parties are notified at least 3 days before the hearing (民诉法 §139, 民诉解释
  §227): a summons served on day D allows a hearing on D + 3 or later ("开庭三日前"
  counted in calendar days; the hearing day and the service day are not the same
  period as a party's 期间, so holidays do not matter here).
- Postponement limits (最高人民法院关于严格规范民商事案件延长审限和延期开庭问题的规定
  §4, domain-rules.md section 2): at most twice in ordinary procedure, once in
  summary and small-claims procedure. The rule is written for civil and
  commercial cases; appeals are tried by a panel as in ordinary procedure, so
  they get the ordinary limit (a choice: the rule does not name them). Other
  procedures have no limit here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from courtdesk.domain.holidays import HolidayCalendar
from courtdesk.errors import FieldProblem

NOTICE_DAYS = 3  # 民诉法 §139: 开庭三日前通知
MAX_HEARING_MINUTES = 10 * 60
SLOT_STEP = timedelta(minutes=15)


class HearingKind(StrEnum):
    TRIAL = "trial"
    MEDIATION = "mediation"
    HEARING = "hearing"
    INQUIRY = "inquiry"
    PRONOUNCEMENT = "pronouncement"
    CIRCUIT = "circuit"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def default_minutes(self) -> int:
        """The law says nothing; these are common lengths (each a court setting)."""
        return _KIND_MINUTES[self]


_KIND_LABELS = {
    HearingKind.TRIAL: "开庭",
    HearingKind.MEDIATION: "调解",
    HearingKind.HEARING: "听证",
    HearingKind.INQUIRY: "询问",
    HearingKind.PRONOUNCEMENT: "宣判",
    HearingKind.CIRCUIT: "巡回审判",
}
_KIND_MINUTES = {
    HearingKind.TRIAL: 120,
    HearingKind.MEDIATION: 60,
    HearingKind.HEARING: 90,
    HearingKind.INQUIRY: 30,
    HearingKind.PRONOUNCEMENT: 30,
    HearingKind.CIRCUIT: 120,
}


class HearingMode(StrEnum):
    ROOM = "room"  # in a courtroom of the court or of a people's tribunal
    ONLINE = "online"  # 在线庭审: no room needed
    OFF_SITE = "off_site"  # 巡回审判 in a village, a company, a hospital …: a place in words

    @property
    def label(self) -> str:
        return {"room": "法庭", "online": "在线", "off_site": "就地（巡回）"}[self.value]


class HearingStatus(StrEnum):
    SCHEDULED = "scheduled"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"scheduled": "已排期", "postponed": "已延期", "cancelled": "已取消"}[self.value]


# Stored codes to members, for code that turns many rows into views (a day's calendar,
# an overbooked day's clashes): a dict lookup, where Enum's own call costs 0.5 µs.
KIND_BY_CODE = {k.value: k for k in HearingKind}
MODE_BY_CODE = {m.value: m for m in HearingMode}
STATUS_BY_CODE = {s.value: s for s in HearingStatus}


class ConflictKind(StrEnum):
    ROOM_TAKEN = "room_taken"
    ROOM_CLOSED = "room_closed"
    JUDGE_BUSY = "judge_busy"
    PANEL_BUSY = "panel_busy"
    CLERK_BUSY = "clerk_busy"
    LAWYER_BUSY = "lawyer_busy"
    NOT_WORKING_DAY = "not_working_day"
    HOLIDAYS_UNKNOWN = "holidays_unknown"
    OUTSIDE_HOURS = "outside_hours"
    IN_PAST = "in_past"
    SUMMONS_TOO_LATE = "summons_too_late"
    POSTPONEMENT_LIMIT = "postponement_limit"

    @property
    def label(self) -> str:
        return _CONFLICT_LABELS[self]


_CONFLICT_LABELS = {
    ConflictKind.ROOM_TAKEN: "法庭已占用",
    ConflictKind.ROOM_CLOSED: "法庭停用",
    ConflictKind.JUDGE_BUSY: "审判长冲突",
    ConflictKind.PANEL_BUSY: "合议庭成员冲突",
    ConflictKind.CLERK_BUSY: "书记员冲突",
    ConflictKind.LAWYER_BUSY: "律师冲突",
    ConflictKind.NOT_WORKING_DAY: "非工作日",
    ConflictKind.HOLIDAYS_UNKNOWN: "节假日未知",
    ConflictKind.OUTSIDE_HOURS: "超出工作时间",
    ConflictKind.IN_PAST: "时间已过",
    ConflictKind.SUMMONS_TOO_LATE: "传票送达不足三日",
    ConflictKind.POSTPONEMENT_LIMIT: "延期次数已达上限",
}

ROLE_LABELS = {"judge": "审判长", "panel": "合议庭成员", "clerk": "书记员"}
_ROLE_CONFLICT = {
    "judge": ConflictKind.JUDGE_BUSY,
    "panel": ConflictKind.PANEL_BUSY,
    "clerk": ConflictKind.CLERK_BUSY,
}


# ---------------------------------------------------------------- value types
@dataclass(frozen=True)
class Interval:
    """[start, end): touching intervals do not overlap."""

    start: datetime
    end: datetime

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end


def hm(moment: datetime | time) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


@dataclass(frozen=True)
class CourtHours:
    """The sessions of a working day, e.g. 08:30–12:00 and 13:30–17:30."""

    sessions: tuple[tuple[time, time], ...]

    def __str__(self) -> str:
        return "、".join(f"{hm(a)}–{hm(b)}" for a, b in self.sessions)

    @property
    def opens(self) -> time:
        return self.sessions[0][0]

    @property
    def closes(self) -> time:
        return self.sessions[-1][1]

    def contains(self, span: Interval) -> bool:
        """True if the hearing lies inside one session of its day."""
        day = span.start.date()
        return any(
            datetime.combine(day, a) <= span.start and span.end <= datetime.combine(day, b)
            for a, b in self.sessions
        )


_HOURS = re.compile(r"^(\d{1,2}):(\d{2})\s*[-–~～]\s*(\d{1,2}):(\d{2})$")


def parse_court_hours(text: str) -> CourtHours:
    """``"08:30-12:00,13:30-17:30"`` → CourtHours; ValueError (Chinese) when malformed."""
    sessions: list[tuple[time, time]] = []
    for raw in re.split(r"[,，、;；]", text):
        part = raw.strip()
        if not part:
            continue
        match = _HOURS.match(part)
        if not match:
            raise ValueError(f"「{part}」应写作 08:30-12:00")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValueError(f"「{part}」不是有效的时间")
        first, last = time(h1, m1), time(h2, m2)
        if last <= first:
            raise ValueError(f"「{part}」的结束时间应晚于开始时间")
        if sessions and first < sessions[-1][1]:
            raise ValueError(f"「{part}」与前一时段重叠或顺序颠倒")
        sessions.append((first, last))
    if not sessions:
        raise ValueError("至少需要一个工作时段")
    return CourtHours(tuple(sessions))


@dataclass(frozen=True)
class Person:
    id: int
    name: str


@dataclass(frozen=True)
class Lawyer:
    """An agent ad litem with a licence, as recorded on a case."""

    name: str
    law_firm: str
    licence_number: str
    party_name: str = ""

    @property
    def label(self) -> str:
        return f"{self.name}（{self.law_firm}）" if self.law_firm else self.name


def same_lawyer(a: Lawyer, b: Lawyer) -> bool:
    """The same person: by licence number when both have one, else by name and firm.

    Two different licence numbers are two lawyers even with the same name and
    firm; without a firm a name alone is too weak to call a clash.
    """
    if a.licence_number and b.licence_number:
        return a.licence_number == b.licence_number
    return bool(a.law_firm) and a.name == b.name and a.law_firm == b.law_firm


@dataclass(frozen=True)
class Booking:
    """Another hearing that may clash: found by the store through its indexes."""

    hearing_id: int
    case_id: int
    case_number: str
    kind: HearingKind
    start: datetime
    end: datetime
    room_id: int | None
    place: str
    staff: tuple[tuple[int, str], ...] = ()  # (user_id, role)
    lawyers: tuple[Lawyer, ...] = ()

    @property
    def span(self) -> Interval:
        return Interval(self.start, self.end)

    def describe(self) -> str:
        return (
            f"{self.case_number}{self.kind.label}（{self.place}，{hm(self.start)}–{hm(self.end)}）"
        )


@dataclass(frozen=True)
class Closure:
    """A courtroom out of use from ``first_day`` to ``last_day`` inclusive."""

    first_day: date
    last_day: date
    reason: str

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True)
class SummonsOutlook:
    """By when a summons sent today can be served on one party."""

    party_name: str
    method: str
    earliest_service_date: date
    reason: str


@dataclass(frozen=True)
class Proposal:
    """A hearing to check: a new one, or an existing one being moved (``hearing_id``)."""

    case_id: int
    case_number: str
    kind: HearingKind
    mode: HearingMode
    start: datetime
    end: datetime
    room_id: int | None = None
    room_name: str = ""
    place: str = ""
    judge: Person | None = None
    panel: tuple[Person, ...] = ()
    clerk: Person | None = None
    lawyers: tuple[Lawyer, ...] = ()
    hearing_id: int | None = None
    is_postponement: bool = False

    @property
    def span(self) -> Interval:
        return Interval(self.start, self.end)

    def people(self) -> list[tuple[Person, str]]:
        found: list[tuple[Person, str]] = []
        if self.judge:
            found.append((self.judge, "judge"))
        found += [(p, "panel") for p in self.panel]
        if self.clerk:
            found.append((self.clerk, "clerk"))
        return found


@dataclass(frozen=True)
class CheckContext:
    """Everything the checker needs besides the proposal, gathered by the service."""

    now: datetime
    calendar: HolidayCalendar
    hours: CourtHours
    bookings: Sequence[Booking] = ()
    room_closures: Sequence[Closure] = ()
    room_active: bool = True
    summons: Sequence[SummonsOutlook] = ()
    summons_basis: str = ""  # how the outlook was obtained, said in the warning
    procedure: str = ""
    procedure_label: str = ""
    postponements_so_far: int = 0


@dataclass(frozen=True)
class Conflict:
    kind: ConflictKind
    message: str
    other_hearing_id: int | None = None

    @property
    def label(self) -> str:
        return self.kind.label

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "label": self.kind.label,
            "message": self.message,
            "other_hearing_id": self.other_hearing_id,
        }


@dataclass(frozen=True)
class FieldIssue:
    """A proposal that cannot be a hearing at all (refused, not warned)."""

    field: str
    message: str


# ---------------------------------------------------------------- validation
def validate(proposal: Proposal) -> list[FieldIssue]:
    """What makes a proposal impossible (not a conflict, an input error)."""
    issues: list[FieldIssue] = []
    for key, moment, what in (("start", proposal.start, "开始"), ("end", proposal.end, "结束")):
        # Stored to the minute: a second here would be lost, and 9:00:10–9:00:50 be empty.
        if moment.second or moment.microsecond:
            issues.append(FieldIssue(key, f"{what}时间只能精确到分钟（不含秒）"))
    if issues:
        return issues
    if proposal.end <= proposal.start:
        issues.append(FieldIssue("end", "结束时间应晚于开始时间"))
    elif proposal.end.date() != proposal.start.date():
        issues.append(FieldIssue("end", "一次开庭不能跨日；连续多日的庭审请逐日排期"))
    elif proposal.end - proposal.start > timedelta(minutes=MAX_HEARING_MINUTES):
        issues.append(FieldIssue("end", f"一次开庭最长 {MAX_HEARING_MINUTES // 60} 小时"))
    if proposal.mode is HearingMode.ROOM and proposal.room_id is None:
        issues.append(FieldIssue("room", "请选择法庭（在线庭审或巡回审判请改选开庭方式）"))
    if proposal.mode is HearingMode.OFF_SITE and not proposal.place.strip():
        issues.append(FieldIssue("place", "巡回审判请填写开庭地点"))
    if proposal.judge is None:
        issues.append(FieldIssue("judge", "请选择审判长（独任审判员）"))
    ids = [p.id for p, _ in proposal.people()]
    if len(ids) != len(set(ids)):
        issues.append(FieldIssue("panel", "同一人不能在本次开庭中担任两个角色"))
    return issues


# ---------------------------------------------------------------- the checker
def check(proposal: Proposal, ctx: CheckContext) -> list[Conflict]:
    """Every conflict of ``proposal``, each explained; empty when it can be scheduled."""
    conflicts: list[Conflict] = []
    # The hearings that really overlap, found once: a busy day has dozens of them.
    others = _others(proposal, ctx.bookings)
    conflicts += _day_conflicts(proposal, ctx)
    conflicts += _room_conflicts(proposal, ctx, others)
    conflicts += _people_conflicts(proposal, others)
    conflicts += _lawyer_conflicts(proposal, others)
    conflicts += summons_conflicts(proposal.start, ctx.summons, ctx.summons_basis, ctx.now)
    conflicts += postponement_conflicts(proposal, ctx)
    return conflicts


def _day_conflicts(proposal: Proposal, ctx: CheckContext) -> list[Conflict]:
    found: list[Conflict] = []
    day = proposal.start.date()
    if proposal.start < ctx.now:
        found.append(
            Conflict(
                ConflictKind.IN_PAST,
                f"开庭时间 {proposal.start:%Y-%m-%d %H:%M} 已经过去",
            )
        )
    info = ctx.calendar.info(day)
    if not info.working:
        found.append(
            Conflict(
                ConflictKind.NOT_WORKING_DAY,
                f"{day.isoformat()}（{_WEEKDAYS[day.weekday()]}）是{info.name or '休息日'}，不是工作日",
            )
        )
    if not info.known:
        found.append(
            Conflict(
                ConflictKind.HOLIDAYS_UNKNOWN,
                f"{day.year} 年的法定节假日尚未录入，{day.isoformat()} 是否为工作日仅按周末推定，"
                "请在节假日设置中录入该年安排",
            )
        )
    if not ctx.hours.contains(proposal.span):
        found.append(
            Conflict(
                ConflictKind.OUTSIDE_HOURS,
                f"{hm(proposal.start)}–{hm(proposal.end)} 不在法院工作时间（{ctx.hours}）的同一时段内",
            )
        )
    return found


_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def _others(proposal: Proposal, bookings: Iterable[Booking]) -> list[Booking]:
    """Bookings that really overlap and are not the hearing being moved."""
    # Compared field by field: an overbooked day brings dozens of bookings, and making
    # an Interval of each (and of the proposal each time) was a tenth of the check.
    start, end, moved = proposal.start, proposal.end, proposal.hearing_id
    return [b for b in bookings if b.hearing_id != moved and b.start < end and start < b.end]


def _room_conflicts(
    proposal: Proposal, ctx: CheckContext, others: Sequence[Booking]
) -> list[Conflict]:
    if proposal.mode is not HearingMode.ROOM or proposal.room_id is None:
        return []
    found: list[Conflict] = []
    day = proposal.start.date()
    if not ctx.room_active:
        found.append(Conflict(ConflictKind.ROOM_CLOSED, f"{proposal.room_name}已停用"))
    for closure in ctx.room_closures:
        if closure.covers(day):
            found.append(
                Conflict(
                    ConflictKind.ROOM_CLOSED,
                    f"{proposal.room_name}在 {closure.first_day.isoformat()} 至 "
                    f"{closure.last_day.isoformat()} 停用（{closure.reason or '未说明原因'}）",
                )
            )
    taken = [other for other in others if other.room_id == proposal.room_id]
    for other in taken[:DESCRIBED_PER_SUBJECT]:
        found.append(
            Conflict(
                ConflictKind.ROOM_TAKEN,
                f"{proposal.room_name} {hm(other.start)}–{hm(other.end)} 已排 {other.case_number}"
                f"{other.kind.label}",
                other.hearing_id,
            )
        )
    if len(taken) > DESCRIBED_PER_SUBJECT:
        found.append(
            Conflict(
                ConflictKind.ROOM_TAKEN,
                f"{proposal.room_name}同一时段另有 {len(taken) - DESCRIBED_PER_SUBJECT} 场开庭",
            )
        )
    return found


# On an overbooked day one judge, clerk, room or lawyer can clash with dozens of
# hearings. The first few are explained one by one and the rest counted in one line:
# seventy explanations help nobody decide, and writing them out was a quarter of the
# check (the scale benchmark's busiest proposals clash 58–73 times).
DESCRIBED_PER_SUBJECT = 5


def _people_conflicts(proposal: Proposal, others: Sequence[Booking]) -> list[Conflict]:
    found: list[Conflict] = []
    for person, role in proposal.people():
        busy = [
            (other, other_role)
            for other in others
            for user_id, other_role in other.staff
            if user_id == person.id
        ]
        for other, other_role in busy[:DESCRIBED_PER_SUBJECT]:
            found.append(
                Conflict(
                    _ROLE_CONFLICT[role],
                    f"{ROLE_LABELS[role]}{person.name}同一时间在{other.describe()}"
                    f"担任{ROLE_LABELS.get(other_role, other_role)}",
                    other.hearing_id,
                )
            )
        if len(busy) > DESCRIBED_PER_SUBJECT:
            found.append(
                Conflict(
                    _ROLE_CONFLICT[role],
                    f"{ROLE_LABELS[role]}{person.name}同一时间另有 "
                    f"{len(busy) - DESCRIBED_PER_SUBJECT} 场开庭",
                )
            )
    return found


def _lawyer_conflicts(proposal: Proposal, others: Sequence[Booking]) -> list[Conflict]:
    found: list[Conflict] = []
    seen: set[tuple[str, int]] = set()
    more: dict[str, tuple[Lawyer, int]] = {}  # a lawyer's clashes beyond those described
    described: dict[str, int] = {}
    for other in others:
        if other.case_id == proposal.case_id:
            continue  # the same case: the same lawyer naturally attends both
        for mine in proposal.lawyers:
            for theirs in other.lawyers:
                who = mine.licence_number or mine.label
                key = (who, other.hearing_id)
                if key in seen or not same_lawyer(mine, theirs):
                    continue
                seen.add(key)
                if described.get(who, 0) >= DESCRIBED_PER_SUBJECT:
                    more[who] = (mine, more.get(who, (mine, 0))[1] + 1)
                    continue
                described[who] = described.get(who, 0) + 1
                basis = (
                    "执业证号相同"
                    if mine.licence_number and theirs.licence_number
                    else "姓名和律所相同"
                )
                found.append(
                    Conflict(
                        ConflictKind.LAWYER_BUSY,
                        f"{_whose(mine)}{mine.label}同一时间在{other.describe()}出庭（{basis}）",
                        other.hearing_id,
                    )
                )
    for mine, count in more.values():
        found.append(
            Conflict(
                ConflictKind.LAWYER_BUSY, f"{_whose(mine)}{mine.label}同一时间另有 {count} 场开庭"
            )
        )
    return found


def _whose(lawyer: Lawyer) -> str:
    return f"{lawyer.party_name}的代理人" if lawyer.party_name else "代理人"


def summons_conflicts(
    start: datetime, outlook: Sequence[SummonsOutlook], basis: str, now: datetime
) -> list[Conflict]:
    """The 3-day rule: each party whose summons cannot be served by hearing day − 3."""
    if start < now:
        return []
    latest = start.date() - timedelta(days=NOTICE_DAYS)
    found = []
    for party in outlook:
        if party.earliest_service_date > latest:
            found.append(
                Conflict(
                    ConflictKind.SUMMONS_TOO_LATE,
                    f"{party.party_name}：{party.method}最早 {party.earliest_service_date.isoformat()} "
                    f"送达（{party.reason}），晚于开庭三日前（{latest.isoformat()}）"
                    + (f"；依据：{basis}" if basis else ""),
                )
            )
    return found


def assumed_outlook(parties: Iterable[str], today: date, service_days: int) -> list[SummonsOutlook]:
    """The fallback when no service records exist: every summons goes by post and
    takes ``service_days`` days (a court setting)."""
    earliest = today + timedelta(days=service_days)
    return [
        SummonsOutlook(name, "邮寄送达", earliest, f"推定今天寄出、{service_days} 日内送达")
        for name in parties
    ]


def postponement_limit(procedure: str) -> int | None:
    """How often a hearing may be postponed in this procedure (None: no limit here)."""
    if procedure in ("civil_summary", "civil_small_claims"):
        return 1
    if procedure in ("civil_ordinary", "civil_appeal_judgment", "civil_appeal_ruling"):
        return 2
    return None


def postponement_conflicts(proposal: Proposal, ctx: CheckContext) -> list[Conflict]:
    if not proposal.is_postponement:
        return []
    limit = postponement_limit(ctx.procedure)
    if limit is None or ctx.postponements_so_far < limit:
        return []
    return [
        Conflict(
            ConflictKind.POSTPONEMENT_LIMIT,
            f"本案已延期开庭 {ctx.postponements_so_far} 次；{ctx.procedure_label or '本程序'}"
            f"最多延期 {limit} 次（民商事案件延期开庭规定第四条）",
        )
    ]


# ---------------------------------------------------------------- free slots
@dataclass(frozen=True)
class RoomSchedule:
    """A room with what keeps it busy over the searched days."""

    room_id: int
    name: str
    busy: Sequence[Interval] = ()
    closures: Sequence[Closure] = ()

    def free(self, span: Interval) -> bool:
        day = span.start.date()
        if any(c.covers(day) for c in self.closures):
            return False
        return not any(span.overlaps(b) for b in self.busy)


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    room_id: int | None
    room_name: str


@dataclass(frozen=True)
class SlotSearch:
    earliest: datetime
    length: timedelta
    hours: CourtHours
    calendar: HolidayCalendar
    people_busy: Mapping[str, Sequence[Interval]] = field(default_factory=dict)
    rooms: Sequence[RoomSchedule] | None = None  # None: no room needed (online, off-site)
    days: int = 60
    limit: int = 8


MAX_SEARCH_DAYS = 366  # a free-slot search looks at most a year ahead
MAX_SLOTS = 100


def slot_search_problems(
    earliest: datetime, length: timedelta, days: int, limit: int
) -> list[FieldProblem]:
    """What makes a free-slot question unanswerable, by field (empty when it can be asked).

    A hearing lasts whole minutes, up to ``MAX_HEARING_MINUTES``; the search covers
    1 to ``MAX_SEARCH_DAYS`` days, which must end before the calendar does.
    """
    problems: list[FieldProblem] = []
    minutes = length / timedelta(minutes=1)
    if not (0 < minutes <= MAX_HEARING_MINUTES and minutes.is_integer()):
        problems.append(
            FieldProblem("length", f"时长：应为 1 到 {MAX_HEARING_MINUTES} 分钟之间的整分钟数")
        )
    if not 1 <= days <= MAX_SEARCH_DAYS:
        problems.append(FieldProblem("days", f"查找范围：应为 1 到 {MAX_SEARCH_DAYS} 天"))
    elif earliest.date() > date.max - timedelta(days=days + NOTICE_DAYS + 1):
        problems.append(
            FieldProblem("earliest", f"最早时间：{earliest:%Y-%m-%d} 之后的日期无法查找")
        )
    if not 1 <= limit <= MAX_SLOTS:
        problems.append(FieldProblem("limit", f"最多列出：应为 1 到 {MAX_SLOTS} 个时段"))
    return problems


def find_slots(search: SlotSearch) -> list[Slot]:
    """The next free times for everyone at once, at most one per session (morning,
    afternoon), so the list offers real choices rather than 15-minute variations."""
    found: list[Slot] = []
    busy = [b for spans in search.people_busy.values() for b in spans]
    first_day = search.earliest.date()
    for offset in range(search.days):
        day = first_day + timedelta(days=offset)
        if not search.calendar.is_working_day(day):
            continue
        for opens, closes in search.hours.sessions:
            start = max(datetime.combine(day, opens), _round_up(search.earliest))
            session_end = datetime.combine(day, closes)
            while start + search.length <= session_end:
                span = Interval(start, start + search.length)
                blocking = [b for b in busy if b.overlaps(span)]
                if blocking:
                    start = _round_up(max(b.end for b in blocking))
                    continue
                free, room = _free_room(search.rooms, span)
                if free:
                    found.append(
                        Slot(
                            span.start,
                            span.end,
                            room.room_id if room else None,
                            room.name if room else "",
                        )
                    )
                    break
                start += SLOT_STEP
            if len(found) >= search.limit:
                return found
    return found


def _free_room(
    rooms: Sequence[RoomSchedule] | None, span: Interval
) -> tuple[bool, RoomSchedule | None]:
    """(free?, the first free room); no room is needed when ``rooms`` is None."""
    if rooms is None:
        return True, None
    for room in rooms:
        if room.free(span):
            return True, room
    return False, None


def _round_up(moment: datetime) -> datetime:
    step = int(SLOT_STEP.total_seconds() // 60)
    base = moment.replace(second=0, microsecond=0)
    if base < moment:
        base += timedelta(minutes=1)
    extra = (-base.minute) % step
    return base + timedelta(minutes=extra)
