"""Realistic, deterministic demo data (``courtdesk demo``).

The same seed and the same ``as_of`` date always give the same database: a
court with its divisions, two people's tribunals, nine courtrooms, judges, clerks
and service staff (more of each for a court with more cases a year: ``staff_scale``),
and cases of every common kind with plausible (invented) Chinese names, Changchun
addresses, valid ID numbers and credit codes, causes and amounts. Dates are spread
back from ``as_of`` so the docket looks like a working court's today: old cases
closed or archived, recent ones pending.

Cases are written in chunks with bulk inserts; each chunk is one transaction
(cases, parties, agents, 案号 counters, search terms and its audit row together).
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import itertools
import json
import os
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from courtdesk.domain.assignment import ASSESSOR, JUDGE_MEMBER, PRESIDING, Bench, default_bench
from courtdesk.domain.case_status import CaseStatus
from courtdesk.domain.case_types import default_catalog
from courtdesk.domain.dates import chinese_number
from courtdesk.domain.identity import citizen_id_check_digit, uscc_check_character
from courtdesk.domain.parties import parties_summary
from courtdesk.domain.procedures import PROCEDURES
from courtdesk.domain.time_limit import add_limit
from courtdesk.errors import CourtdeskError
from courtdesk.resources import resource_path
from courtdesk.services import audit, demo_time_limits, demo_workers
from courtdesk.services.accounts import give_demo_passwords
from courtdesk.services.demo_hearings import HEARING_ROW_COLUMNS, CaseFacts, HearingPlanner
from courtdesk.services.demo_time_limits import CaseSeed, TimeLimitPlanner
from courtdesk.services.service_demo import ServiceDemo, ServiceRows
from courtdesk.services.setup import init_court
from courtdesk.services.workspace import SYSTEM
from courtdesk.store import bulk, court
from courtdesk.store import hearings as hearing_store
from courtdesk.store.audit import now_iso
from courtdesk.store.database import Database
from courtdesk.store.search import SearchDocument, document_columns

CHUNK = 20_000
MAX_DEMO_CASES = 5_000_000
# From this many cases a demo into a new database defers its indexes (store.bulk):
# below it the indexes fit in the page cache and inserting into them costs little.
DEFER_INDEXES_FROM = 100_000
# From this many cases the rows are made in worker processes (services.demo_workers);
# below it starting them (a second or so) costs more than they save.
WORKERS_FROM = 2 * CHUNK

# Share of new cases by type code in a basic court (roughly the seed courts' mix).
TYPE_WEIGHTS = {
    "民初": 50,
    "执": 20,
    "刑初": 7,
    "民诉前调": 6,
    "财保": 4,
    "执异": 3,
    "民特": 3,
    "执恢": 2,
    "行初": 2,
    "民保令": 1,
    "民督": 1,
    "执保": 1,
}
CIVIL_PROCEDURE_WEIGHTS = {"civil_summary": 60, "civil_ordinary": 25, "civil_small_claims": 15}
CRIMINAL_PROCEDURE_WEIGHTS = {
    "criminal_fast_track": 30,
    "criminal_summary": 40,
    "criminal_public": 25,
    "criminal_summary_long": 3,
    "criminal_fast_track_long": 2,
}

DIVISIONS: tuple[tuple[str, str, bool], ...] = (
    ("立案庭", "filing", False),
    ("民事审判第一庭", "civil", False),
    ("民事审判第二庭", "civil", False),
    ("刑事审判庭", "criminal", False),
    ("行政审判庭", "administrative", False),
    ("执行局", "enforcement", False),
    ("审判管理办公室", "office", False),
    ("审判辅助事务集约中心", "office", False),
    ("北湖人民法庭", "tribunal", True),
    ("空港人民法庭", "tribunal", True),
)
# (division, judges with the first as chief, clerks, one role per further staff member)
STAFFING: tuple[tuple[str, int, int, tuple[str, ...]], ...] = (
    ("立案庭", 1, 0, ("registrar",) * 3),
    ("民事审判第一庭", 5, 4, ()),
    ("民事审判第二庭", 4, 3, ()),
    ("刑事审判庭", 3, 2, ()),
    ("行政审判庭", 2, 1, ()),
    ("执行局", 5, 3, ()),
    ("审判管理办公室", 0, 0, ("readonly",)),
    ("审判辅助事务集约中心", 0, 0, ("service",) * 4 + ("clerk",) * 2),
    ("北湖人民法庭", 2, 2, ()),
    ("空港人民法庭", 2, 2, ()),
)
TRIBUNAL_AREAS = {"北湖人民法庭": "北湖科技开发区", "空港人民法庭": "空港经济开发区"}
ASSESSORS = 12  # 人民陪审员, court-wide (no division)
COURTROOMS = 9  # 第一法庭 … 第九法庭, besides one room in each tribunal
# The staff above (29 judges, nine rooms) can sit the calendar of about this many
# demo cases a year (the demo's civil cases sit often: a mediation and one to three
# two-hour trials). A demo of a busier court gets that staff times ``staff_scale``,
# so its calendar is sat without double bookings as a real court of that size
# sits it (10,000 a year for the base staff still overbooked a third of the
# hearings); with the fixed staff a million-case demo booked rooms 19 deep.
CASES_A_YEAR_PER_STAFF = 6_000
# Where the hearings are: a bigger court grows these twice as fast (civil cases are
# over half the caseload and most of the calendar; enforcement seldom sits).
HEARING_HEAVY = frozenset({"民事审判第一庭", "民事审判第二庭", "北湖人民法庭", "空港人民法庭"})


def demo_span_days(total: int) -> int:
    """How far back a demo of ``total`` cases reaches from ``as_of``.

    20k cases a year fills the span: small demos look like a few busy years,
    a million cases like the twenty years a court keeps on file.
    """
    return int(365 * min(20, max(2, total / 40_000)))


def staff_scale(total: int) -> int:
    """How many times the base staff and rooms a court with ``total`` demo cases has."""
    a_year = total / (demo_span_days(total) / 365)
    return max(1, round(a_year / CASES_A_YEAR_PER_STAFF))


def _grown(scale: int, hearing_heavy: bool) -> int:
    """How many times its base staff (or rooms) a division has in a court of ``scale``."""
    return scale * (2 if scale > 1 and hearing_heavy else 1)


@dataclass(frozen=True)
class DemoReport:
    cases: int
    parties: int
    agents: int
    seconds: float
    path: str
    hearings: int = 0
    hearing_overflow: int = 0  # hearings booked over a full calendar (only in huge demos)
    service_tasks: int = 0
    service_attempts: int = 0


@dataclass
class _Staff:
    division_ids: dict[str, int] = field(default_factory=dict)
    judges: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    clerks: dict[str, list[int]] = field(default_factory=dict)
    chiefs: dict[str, int] = field(default_factory=dict)
    president_id: int | None = None
    assessors: list[int] = field(default_factory=list)
    registrars: list[int] = field(default_factory=list)


@cache
def vocabulary() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resource_path("data", "demo.json").read_text(encoding="utf-8")
    )
    return data


def fill_demo(
    path: str | os.PathLike[str],
    cases: int,
    seed: int = 1,
    as_of: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: bool | None = None,
) -> DemoReport:
    """Fill ``path`` with ``cases`` demo cases (creating and initialising it if needed).

    ``workers``: make the rows in worker processes (``demo_workers``); by default
    from ``WORKERS_FROM`` cases. The data is the same either way.

    The court, staff and rooms are created once; running again adds more cases,
    numbered after the ones already there.
    """
    if cases < 0 or cases > MAX_DEMO_CASES:
        raise CourtdeskError(f"演示案件数应在 0 到 {MAX_DEMO_CASES:,} 之间，实际为 {cases}")
    started = time.perf_counter()
    target = Path(path).expanduser().absolute()
    as_of = as_of or date.today()
    vocab = vocabulary()
    if not _is_initialised(target):
        init_court(target, vocab["court"]["name"], vocab["court"]["code"])
    db = Database.open(target)
    try:
        rng = random.Random(seed)
        staff = _ensure_staff(db, rng, staff_scale(cases))
        generator = _CaseGenerator(rng, staff, as_of, _court_code(db), seed)
        # Its own random stream: adding hearings left the generated cases as they were.
        planner = _hearing_planner(db, staff, random.Random(seed * 1_000_003 + 11), as_of)
        service = ServiceDemo(db.connection, seed, as_of)
        # A big demo into a new database builds its indexes once at the end.
        fresh = cases >= DEFER_INDEXES_FROM and bulk.next_id(db.connection, "cases") == 1
        deferred = bulk.deferred_indexes(db.connection) if fresh else contextlib.nullcontext()
        with bulk.loading(db.connection), deferred:
            totals = generator.write(
                db,
                cases,
                planner,
                service,
                progress,
                CHUNK,
                cases >= WORKERS_FROM if workers is None else workers,
            )
    finally:
        db.close()
    return DemoReport(
        totals.cases,
        totals.parties,
        totals.agents,
        time.perf_counter() - started,
        str(target),
        totals.hearings,
        totals.overflow,
        service.tasks,
        service.attempts,
    )


def _hearing_planner(
    db: Database, staff: _Staff, rng: random.Random, as_of: date
) -> HearingPlanner:
    conn = db.connection
    judges: dict[int, list[int]] = {
        staff.division_ids[name]: [judge_id for judge_id, _ in people]
        for name, people in staff.judges.items()
    }
    areas = {
        staff.division_ids[name]: f"长春新区{area}"
        for name, area in TRIBUNAL_AREAS.items()
        if name in staff.division_ids
    }
    rooms = [(int(r["id"]), r["division_id"]) for r in court.courtrooms(conn) if r["active"]]
    planner = HearingPlanner(rng, as_of, rooms, judges, areas, bulk.next_id(conn, "hearings"))
    if planner.next_id > 1:
        planner.load_existing(conn, as_of - timedelta(days=365 * 21))
    else:
        # One room is being refitted around "today", so the calendar shows a closure.
        room = next((r for r in court.courtrooms(conn) if r["name"] == "第九法庭"), None)
        if room is not None:
            first, last = as_of - timedelta(days=3), as_of + timedelta(days=11)
            with db.transaction() as tx:
                closure = hearing_store.insert_closure(
                    tx, int(room["id"]), first, last, "科技法庭设备升级改造", now_iso()
                )
                audit.record(
                    tx,
                    SYSTEM,
                    "courtroom.close",
                    "courtroom_closures",
                    closure,
                    {"courtroom_id": int(room["id"]), "first_day": first.isoformat()},
                )
            planner.closed[int(room["id"])] = (first, last)
    return planner


def _is_initialised(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    db = Database.open(path)
    try:
        return court.get_setting(db.connection, "court_code") is not None
    finally:
        db.close()


def _court_code(db: Database) -> str:
    return court.get_setting(db.connection, "court_code") or vocabulary()["court"]["code"]


# ---------------------------------------------------------------------- names
class _Names:
    def __init__(self, rng: random.Random) -> None:
        vocab = vocabulary()
        self.rng = rng
        self.surnames = vocab["surnames"]
        # Common surnames first: weight falls with rank, as real surname frequencies do.
        self.surname_weights = list(
            itertools.accumulate(1 / (i + 8) for i in range(len(self.surnames)))
        )
        self.male = vocab["given_chars_male"]
        self.female = vocab["given_chars_female"]
        self.rare = vocab["rare_given_chars"]

    def person(self, sex: str | None = None) -> tuple[str, str]:
        rng = self.rng
        sex = sex or rng.choice("男女")
        index = bisect.bisect(self.surname_weights, rng.random() * self.surname_weights[-1])
        surname = self.surnames[min(index, len(self.surnames) - 1)]
        pool = self.male if sex == "男" else self.female
        given = rng.choice(pool) if rng.random() < 0.35 else rng.choice(pool) + rng.choice(pool)
        if rng.random() < 0.004:
            given = given[:-1] + rng.choice(self.rare)
        return surname + given, sex


def _username(name: str, taken: set[str]) -> str:
    from pypinyin import lazy_pinyin  # slow to import; see store.search

    base = "".join(lazy_pinyin(name)) or "user"
    for n in itertools.count(1):
        candidate = base if n == 1 else f"{base}{n}"
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise AssertionError("unreachable")


def _create_staff(db: Database, names: _Names, scale: int) -> None:
    with db.transaction() as tx:
        stamp = now_iso()
        taken = {str(u["username"]) for u in court.all_users(tx)}

        def person(division_id: int | None, roles: list[str]) -> None:
            full_name, _ = names.person()
            court.insert_user(tx, _username(full_name, taken), full_name, division_id, roles, stamp)

        for division_name, kind, tribunal in DIVISIONS:
            area = TRIBUNAL_AREAS.get(division_name, "硅谷大街1188号")
            court.insert_division(tx, division_name, kind, tribunal, f"吉林省长春市长春新区{area}")
        ids = {str(d["name"]): int(d["id"]) for d in court.divisions(tx)}
        person(None, ["judge", "president"])
        for division_name, judges, clerks, others in STAFFING:
            grow = _grown(scale, division_name in HEARING_HEAVY)
            for n in range(judges * grow):
                person(ids[division_name], ["judge", "chief"] if n == 0 else ["judge"])
            for _ in range(clerks * grow):
                person(ids[division_name], ["clerk"])
            # One management office reader whatever the court's size.
            for role in others * (1 if others == ("readonly",) else scale):
                person(ids[division_name], [role])
        # Drawn after everyone else, so adding them left the other names as they were.
        for _ in range(ASSESSORS * scale):
            person(None, ["assessor"])
        for n in range(1, COURTROOMS * scale + 1):
            room_id = court.insert_courtroom(
                tx, f"第{chinese_number(n)}法庭", None, 120 if n <= 2 * scale else 40
            )
            # Every room records (科技法庭); the big ones and one small one in each
            # nine take remote video.
            video = n <= 2 * scale or n % COURTROOMS == 5
            hearing_store.set_equipment(tx, room_id, recording=True, remote_video=video)
        for tribunal_name in TRIBUNAL_AREAS:
            # A tribunal's rooms grow with its judges.
            for n in range(1, _grown(scale, tribunal_name in HEARING_HEAVY) + 1):
                # 北湖人民法庭审判庭, then 北湖人民法庭第二审判庭 …
                label = f"第{chinese_number(n)}" if n > 1 else ""
                room_id = court.insert_courtroom(
                    tx, f"{tribunal_name}{label}审判庭", ids[tribunal_name], 30
                )
                hearing_store.set_equipment(tx, room_id, recording=True, remote_video=True)
        audit.record(
            tx, SYSTEM, "demo.staff", "users", None, {"users": [None, len(court.all_users(tx))]}
        )
        # Demo accounts sign in with the published demo password (shown on the sign-in dialog).
        give_demo_passwords(tx, [int(u["id"]) for u in court.all_users(tx)])


def _ensure_staff(db: Database, rng: random.Random, scale: int) -> _Staff:
    """Divisions, people and rooms, created on the first fill and reused after."""
    staff = _Staff()
    conn = db.connection
    if not court.users_with_role(conn, "judge"):
        _create_staff(db, _Names(random.Random(rng.random())), scale)
    for d in court.divisions(conn):
        staff.division_ids[str(d["name"])] = int(d["id"])
    by_id = {v: k for k, v in staff.division_ids.items()}
    for judge in court.users_with_role(conn, "judge"):
        division = by_id.get(judge["division_id"])
        if division:
            staff.judges.setdefault(division, []).append(
                (int(judge["id"]), str(judge["display_name"]))
            )
    staff.assessors = [int(a["id"]) for a in court.users_with_role(conn, "assessor")]
    staff.registrars = [int(r["id"]) for r in court.users_with_role(conn, "registrar")]
    for clerk in court.users_with_role(conn, "clerk"):
        division = by_id.get(clerk["division_id"])
        if division:
            staff.clerks.setdefault(division, []).append(int(clerk["id"]))
    for chief in court.users_with_role(conn, "chief"):
        division = by_id.get(chief["division_id"])
        if division:
            staff.chiefs.setdefault(division, int(chief["id"]))
    presidents = court.users_with_role(conn, "president")
    staff.president_id = int(presidents[0]["id"]) if presidents else None
    return staff


# ---------------------------------------------------------------------- cases
def _facts(row: tuple[Any, ...]) -> CaseFacts:
    """What the hearing planner needs from a generated case row."""
    c = _COLUMN
    closed = row[c["closed_date"]]
    return CaseFacts(
        case_id=row[c["id"]],
        filed=date.fromisoformat(row[c["filing_date"]]),
        type_code=row[c["type_code"]],
        procedure=row[c["procedure"]],
        status=row[c["status"]],
        closed=date.fromisoformat(closed) if closed else None,
        division_id=row[c["division_id"]],
        judge_id=row[c["presiding_judge_id"]],
        clerk_id=row[c["clerk_id"]],
        is_private=bool(row[c["is_private"]]),
    )


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


CASE_COLUMNS = (
    "id",
    "case_number",
    "year",
    "court_code",
    "special_code",
    "type_code",
    "sequence",
    "category",
    "procedure",
    "cause",
    "filing_date",
    "source",
    "amount_claimed_fen",
    "status",
    "division_id",
    "presiding_judge_id",
    "clerk_id",
    "judge_name",
    "parties_summary",
    "time_limit_expiry",
    "closed_date",
    "is_private",
    "created_at",
    "created_by",
    "updated_at",
    *demo_time_limits.CASE_COLUMNS,
)
# The 审限 facts of each case (extensions, excluded periods, closing …), bulk-loaded.
TIME_LIMIT_TABLES = {
    "time_limit_extensions": demo_time_limits.EXTENSION_COLUMNS,
    "time_limit_exclusions": demo_time_limits.EXCLUSION_COLUMNS,
    "procedure_conversions": demo_time_limits.CONVERSION_COLUMNS,
    "case_closings": demo_time_limits.CLOSING_COLUMNS,
    "case_closing_services": demo_time_limits.SERVICE_COLUMNS,
    "case_archives": demo_time_limits.ARCHIVE_COLUMNS,
}
_COLUMN = {name: index for index, name in enumerate(CASE_COLUMNS)}
PARTY_COLUMNS = (
    "id",
    "case_id",
    "position",
    "role",
    "kind",
    "name",
    "sex",
    "birth_date",
    "id_number",
    "phone",
    "address",
    "credit_code",
    "legal_representative",
)
AGENT_COLUMNS = ("case_id", "party_id", "kind", "name", "law_firm", "licence_number", "phone")


@dataclass(frozen=True)
class _Start:
    """Where a fill begins: read from the database before any worker starts."""

    total: int
    chunk_size: int
    counters: dict[tuple[int, str, str], int]
    next_case: int
    next_party: int
    next_assignment: int


@dataclass
class _Chunk:
    """One chunk of generated cases: all their rows but the hearings and the service."""

    stamp: str
    cases: list[tuple[Any, ...]] = field(default_factory=list)
    parties: list[tuple[Any, ...]] = field(default_factory=list)
    agents: list[tuple[Any, ...]] = field(default_factory=list)
    facts: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    # (case id, 案号, names, codes): made into case_search rows by the calendar stage
    search: list[tuple[Any, ...]] = field(default_factory=list)
    assignments: list[tuple[Any, ...]] = field(default_factory=list)
    members: list[tuple[Any, ...]] = field(default_factory=list)
    counters: dict[tuple[int, str, str], int] = field(default_factory=dict)  # 案号 so far


@dataclass(frozen=True)
class _Scheduled:
    """A chunk's hearings and service rows, and the planner's running totals."""

    hearings: list[tuple[Any, ...]]
    staff: list[tuple[Any, ...]]
    service: ServiceRows
    planned: int
    overflow: int
    search: list[tuple[Any, ...]]  # case_search rows


@dataclass(frozen=True)
class _Totals:
    cases: int
    parties: int
    agents: int
    hearings: int
    overflow: int


class _Calendar:
    """Hearings and service, chunk after chunk: one calendar, so one process, in order."""

    def __init__(self, planner: HearingPlanner, service: ServiceDemo) -> None:
        self.planner = planner
        self.service = service

    def __call__(self, part: tuple[Any, ...]) -> _Scheduled:
        cases, parties, stamp, documents = part
        hearings, staff = self.planner.plan([_facts(row) for row in cases], stamp)
        rows = self.service.rows(cases, parties, stamp, hearings)
        # The search rows are made here rather than with the cases: pairing and spelling
        # the names was a sixth of the case process, the pipeline's slowest stage.
        search = [
            (case_id, *document_columns(SearchDocument(number, names, codes)))
            for case_id, number, names, codes in documents
        ]
        return _Scheduled(hearings, staff, rows, self.planner.total, self.planner.overflow, search)


class _CaseGenerator:
    def __init__(
        self, rng: random.Random, staff: _Staff, as_of: date, court_code: str, seed: int = 1
    ) -> None:
        self.rng = rng
        self.assignments = _AssignmentWriter(staff, as_of, seed)
        self.staff = staff
        self.as_of = as_of
        self.court_code = court_code
        self.names = _Names(rng)
        self.vocab = vocabulary()
        self.catalog = default_catalog()

    def write(
        self,
        db: Database,
        total: int,
        planner: HearingPlanner,
        service: ServiceDemo,
        progress: Callable[[int, int], None] | None,
        chunk_size: int = CHUNK,
        workers: bool = False,
    ) -> _Totals:
        """Generate and store ``total`` cases chunk by chunk, each chunk one transaction.

        With ``workers`` the cases are made in one worker process and their hearings
        and service in another (``demo_workers``) while this process stores the rows;
        the data is the same either way.
        """
        conn = db.connection
        start = _Start(
            total,
            chunk_size,
            bulk.counters(conn, self.court_code),
            bulk.next_id(conn, "cases"),
            bulk.next_id(conn, "parties"),
            bulk.next_id(conn, "case_assignments"),
        )
        done = parties_total = agents_total = hearings_total = overflow = 0
        calendar = _Calendar(planner, service)
        with demo_workers.Pipeline() as pipeline:
            if workers:
                chunks, cases = pipeline.split(functools.partial(self._split, start), 2)
                pairs: Iterable[tuple[_Chunk, _Scheduled]] = zip(
                    chunks, pipeline.then(calendar, cases), strict=True
                )
            else:
                pairs = ((chunk, calendar(part)) for chunk, part in self._split(start))
            for chunk, scheduled in pairs:
                self._store(db, chunk, scheduled, service)
                done += len(chunk.cases)
                parties_total += len(chunk.parties)
                agents_total += len(chunk.agents)
                hearings_total, overflow = scheduled.planned, scheduled.overflow
                if progress:
                    progress(done, total)
        return _Totals(done, parties_total, agents_total, hearings_total, overflow)

    def _split(self, start: _Start) -> Iterator[tuple[_Chunk, tuple[Any, ...]]]:
        """Each chunk, and what the calendar process needs of it."""
        for chunk in self.chunks(start):
            # the search documents go to the calendar stage, which makes their rows
            documents, chunk.search = chunk.search, []
            yield chunk, (chunk.cases, chunk.parties, chunk.stamp, documents)

    def chunks(self, start: _Start) -> Iterator[_Chunk]:
        """The generated cases in chunks: everything of a case but its hearings and service."""
        total = start.total
        span_days = demo_span_days(total)
        first_day = self.as_of - timedelta(days=span_days)
        offsets = sorted(self.rng.randrange(span_days + 1) for _ in range(total))
        counters = dict(start.counters)
        next_case, next_party = start.next_case, start.next_party
        self.assignments.start(start.next_assignment)
        for chunk_start in range(0, total, start.chunk_size):
            stamp = now_iso()
            chunk = _Chunk(stamp, facts={table: [] for table in TIME_LIMIT_TABLES})
            planner = TimeLimitPlanner(self.rng, self.as_of, stamp)
            for offset in offsets[chunk_start : chunk_start + start.chunk_size]:
                filed = first_day + timedelta(days=offset)
                type_code = _weighted(self.rng, TYPE_WEIGHTS)
                key = (filed.year, "", type_code)
                counters[key] = counters.get(key, 0) + 1
                cause, kind = self._cause(type_code)
                case_parties, case_agents = self._parties(type_code, kind)
                row, doc = self._case(
                    next_case,
                    filed,
                    type_code,
                    counters[key],
                    cause,
                    kind,
                    case_parties,
                    stamp,
                    planner,
                    next_party,
                    chunk.facts,
                )
                chunk.cases.append(row)
                self.assignments.add(row)
                names: list[str] = []
                codes: list[str] = []
                for position, party in enumerate(case_parties):
                    chunk.parties.append((next_party, next_case, position, *party))
                    names.append(party[2])
                    codes += [party[5], party[8], party[6]]
                    for agent in case_agents.get(position, []):
                        chunk.agents.append((next_case, next_party, *agent))
                        names += [agent[1], agent[2]] if agent[2] else [agent[1]]
                        codes.append(agent[3])
                    next_party += 1
                chunk.search.append((next_case, doc, tuple(names), tuple(c for c in codes if c)))
                next_case += 1
            chunk.assignments, chunk.members = self.assignments.take()
            chunk.counters = dict(counters)
            yield chunk

    def _store(
        self, db: Database, chunk: _Chunk, scheduled: _Scheduled, service: ServiceDemo
    ) -> None:
        with db.transaction() as tx:
            bulk.insert_rows(tx, "cases", CASE_COLUMNS, chunk.cases)
            bulk.insert_rows(tx, "parties", PARTY_COLUMNS, chunk.parties)
            bulk.insert_rows(tx, "agents", AGENT_COLUMNS, chunk.agents)
            for table, columns in TIME_LIMIT_TABLES.items():
                bulk.insert_rows(tx, table, columns, chunk.facts[table])
            bulk.insert_rows(tx, "hearings", HEARING_ROW_COLUMNS, scheduled.hearings)
            bulk.insert_rows(tx, "hearing_staff", hearing_store.STAFF_COLUMNS, scheduled.staff)
            service.write(tx, scheduled.service)
            bulk.insert_search_rows(tx, scheduled.search)
            bulk.insert_rows(tx, "case_assignments", ASSIGNMENT_COLUMNS, chunk.assignments)
            bulk.insert_rows(tx, "case_panel_members", MEMBER_COLUMNS, chunk.members)
            for (year, special, type_code), last in chunk.counters.items():
                bulk.raise_counter(tx, year, self.court_code, special, type_code, last)
            audit.record(
                tx,
                SYSTEM,
                "demo.cases",
                "cases",
                None,
                {
                    "cases": len(chunk.cases),
                    "parties": len(chunk.parties),
                    "agents": len(chunk.agents),
                    "hearings": len(scheduled.hearings),
                    "first_case_id": chunk.cases[0][0],
                    "last_case_id": chunk.cases[-1][0],
                },
            )

    # -------------------------------------------------------------- one case
    def _case(
        self,
        case_id: int,
        filed: date,
        type_code: str,
        sequence: int,
        cause: str,
        kind: str,
        case_parties: list[tuple[Any, ...]],
        stamp: str,
        planner: TimeLimitPlanner,
        first_party_id: int,
        facts: dict[str, list[tuple[Any, ...]]],
    ) -> tuple[tuple[Any, ...], str]:
        rng = self.rng
        case_type = self.catalog.get(type_code)
        assert case_type is not None
        if type_code == "民初":
            procedure = _weighted(rng, CIVIL_PROCEDURE_WEIGHTS)
        elif type_code == "刑初":
            procedure = _weighted(rng, CRIMINAL_PROCEDURE_WEIGHTS)
        elif type_code == "行初":
            procedure = "admin_summary" if rng.random() < 0.3 else "admin_first"
        else:
            procedure = case_type.procedures[0]
        amount = self._amount(kind)
        division = self._division(case_type.category.value)
        judge: tuple[int, str] | None = rng.choice(self.staff.judges[division])
        clerks = self.staff.clerks.get(division)
        clerk_id: int | None = rng.choice(clerks) if clerks else None
        limit = PROCEDURES[procedure].base_limit
        status, closed = self._status(filed, None if limit is None else add_limit(filed, limit))
        if status is CaseStatus.REGISTERED:
            judge, clerk_id = None, None
        judge_id, judge_name = judge if judge else (None, "")
        plan = planner.plan(
            CaseSeed(
                case_id=case_id,
                type_code=type_code,
                category=case_type.category.value,
                procedure=procedure,
                filed=filed,
                status=status,
                closed=closed,
                judge_id=judge_id,
                clerk_id=clerk_id,
                chief_id=self.staff.chiefs.get(division),
                president_id=self.staff.president_id,
                parties=[(first_party_id + i, p[2]) for i, p in enumerate(case_parties)],
            )
        )
        for table, rows in plan.rows.items():
            facts[table] += rows
        procedure, status, closed, expiry = plan.procedure, plan.status, plan.closed, plan.expiry
        number = f"（{filed.year}）{self.court_code}{type_code}{sequence}号"
        summary = parties_summary([(p[0], p[2]) for p in case_parties], case_type.role_set)
        private = type_code == "民初" and cause in ("离婚纠纷", "抚养费纠纷") and rng.random() < 0.5
        row = (
            case_id,
            number,
            filed.year,
            self.court_code,
            "",
            type_code,
            sequence,
            case_type.category.value,
            procedure,
            cause,
            filed.isoformat(),
            "新收" if rng.random() < 0.97 else "发回重审",
            amount,
            status.value,
            self.staff.division_ids[division],
            judge_id,
            clerk_id,
            judge_name,
            summary,
            expiry.isoformat() if expiry else None,
            closed.isoformat() if closed else None,
            int(private),
            stamp,
            None,
            stamp,
            *plan.case_values,
        )
        return row, number

    def _cause(self, type_code: str) -> tuple[str, str]:
        options = self.vocab["causes"][type_code]
        choice = self.rng.choices(options, weights=[o[1] for o in options])[0]
        return str(choice[0]), str(choice[2])

    def _amount(self, kind: str) -> int | None:
        rng = self.rng
        if kind in ("none",) or (kind.startswith("family") and rng.random() < 0.6):
            return None
        if kind == "labour":
            yuan = rng.randrange(3_000, 90_000)
        elif kind == "bank":
            yuan = int(rng.lognormvariate(10.8, 1.0))
        elif kind == "company":
            yuan = int(rng.lognormvariate(12.8, 1.2))
        else:
            yuan = int(rng.lognormvariate(10.6, 1.1))
        return max(500, yuan) * 100 + rng.choice((0, 0, 0, rng.randrange(100)))

    def _division(self, category: str) -> str:
        rng = self.rng
        if category == "civil":
            roll = rng.random()
            if roll < 0.15:
                return "北湖人民法庭"
            if roll < 0.28:
                return "空港人民法庭"
            return "民事审判第一庭" if roll < 0.66 else "民事审判第二庭"
        if category == "preservation":
            return "立案庭"
        return {
            "criminal": "刑事审判庭",
            "administrative": "行政审判庭",
            "enforcement": "执行局",
        }.get(category, "民事审判第一庭")

    def _status(self, filed: date, expiry: date | None) -> tuple[CaseStatus, date | None]:
        rng = self.rng
        age = (self.as_of - filed).days
        if age <= 2 and rng.random() < 0.6:
            return CaseStatus.REGISTERED, None
        limit_days = (expiry - filed).days if expiry else 90
        if age > limit_days * 1.5:
            closed_share = 0.985
        elif age > limit_days:
            closed_share = 0.9
        else:
            closed_share = 0.75 * age / limit_days
        if rng.random() >= closed_share:
            return (CaseStatus.SUSPENDED if rng.random() < 0.03 else CaseStatus.PENDING), None
        # Most cases close inside their limit; a few run over, as the indicators expect.
        upper = limit_days * (1.25 if rng.random() < 0.06 else 0.97)
        closed = filed + timedelta(days=min(age, max(1, int(rng.uniform(0.1, 1.0) * upper))))
        if (self.as_of - closed).days > 180 and rng.random() < 0.7:
            return CaseStatus.ARCHIVED, closed
        return CaseStatus.CLOSED, closed

    # -------------------------------------------------------------- parties
    def _parties(
        self, type_code: str, kind: str
    ) -> tuple[list[tuple[Any, ...]], dict[int, list[tuple[Any, ...]]]]:
        """Party rows (role, kind, name, sex, birth, id, phone, address, credit, rep) and agents."""
        rng = self.rng
        roles = self.catalog.get(type_code)
        assert roles is not None
        claimant_role = roles.role_set.claimant[0]
        respondent_role = roles.role_set.respondent[0] if roles.role_set.respondent else "被申请人"
        parties: list[tuple[Any, ...]] = []
        if type_code == "刑初":
            parties.append(
                self._organisation(claimant_role, self.vocab["procuratorate"], public=True)
            )
            for _ in range(1 if rng.random() < 0.85 else rng.randrange(2, 4)):
                parties.append(self._person("被告人"))
        elif type_code == "行初":
            parties.append(self._person("原告") if rng.random() < 0.8 else self._company("原告"))
            parties.append(
                self._organisation("被告", rng.choice(self.vocab["agencies"]), public=True)
            )
        elif kind == "none":
            parties.append(self._person(claimant_role))
            if roles.role_set.respondent or rng.random() < 0.5:
                parties.append(self._person(respondent_role))
        else:
            if kind == "bank":
                branch = rng.choice(self.vocab["bank_branches"])
                parties.append(
                    self._organisation(
                        claimant_role, rng.choice(self.vocab["banks"]).format(branch=branch)
                    )
                )
            elif kind in ("property_company", "company") or rng.random() < 0.15:
                parties.append(self._company(claimant_role))
            else:
                parties.append(self._person(claimant_role, elderly=kind == "family_elder"))
            if rng.random() < 0.12 and kind not in ("bank", "property_company"):
                parties.append(self._person(claimant_role))
            for _ in range(1 if rng.random() < 0.7 else rng.randrange(2, 4)):
                if kind in ("company", "labour") or (kind == "property" and rng.random() < 0.2):
                    parties.append(self._company(respondent_role))
                else:
                    parties.append(self._person(respondent_role))
            if rng.random() < 0.05 and type_code == "民初":
                parties.append(self._person("第三人"))
        agents: dict[int, list[tuple[Any, ...]]] = {}
        for position, party in enumerate(parties):
            share = 0.5 if party[0] == "被告人" else 0.9 if party[1] == "organisation" else 0.3
            if party[0] in ("公诉机关",):
                continue
            if rng.random() < share:
                agents[position] = [self._lawyer()]
        return parties, agents

    def _address(self) -> tuple[str, str]:
        rng = self.rng
        code, district = rng.choice(self.vocab["districts"])
        if rng.random() < 0.35:
            district = rng.choice(self.vocab["new_district_areas"])
        street = rng.choice(self.vocab["streets"])
        community = rng.choice(self.vocab["communities"])
        address = (
            f"吉林省长春市{district}{street}{rng.randrange(1, 3999)}号{community}"
            f"{rng.randrange(1, 40)}栋{rng.randrange(1, 7)}单元{rng.randrange(1, 33)}0{rng.randrange(1, 5)}室"
        )
        return code, address

    def _phone(self) -> str:
        rng = self.rng
        return (
            rng.choice(("13", "15", "18", "17", "19"))
            + str(rng.randrange(0, 10))
            + f"{rng.randrange(10**8):08d}"
        )

    def _person(self, role: str, elderly: bool = False) -> tuple[Any, ...]:
        rng = self.rng
        name, sex = self.names.person()
        region, address = self._address()
        year = rng.randrange(1938, 1956) if elderly else rng.randrange(1950, 2005)
        birth = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        serial = rng.randrange(0, 100) * 10 + (rng.randrange(0, 10, 2) + (1 if sex == "男" else 0))
        first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
        id_number = first17 + citizen_id_check_digit(first17)
        return (
            role,
            "person",
            name,
            sex,
            birth.isoformat(),
            id_number,
            self._phone(),
            address,
            "",
            "",
        )

    def _credit_code(self) -> str:
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        rng = self.rng
        body = (
            "91220"
            + rng.choice(("101", "104", "106", "193", "102"))
            + "".join(rng.choice(alphabet) for _ in range(9))
        )
        return body + uscc_check_character(body)

    def _company(self, role: str) -> tuple[Any, ...]:
        rng = self.rng
        v = self.vocab
        name = (
            rng.choice(v["company_prefixes"])
            + rng.choice(v["company_cores"])
            + rng.choice(v["company_trades"])
            + rng.choice(v["company_forms"])
        )
        return self._organisation(role, name)

    def _organisation(self, role: str, name: str, public: bool = False) -> tuple[Any, ...]:
        _, address = self._address()
        representative, _ = self.names.person()
        credit = "" if public else self._credit_code()
        return (
            role,
            "organisation",
            name,
            "",
            None,
            "",
            self._phone() if not public else "",
            address,
            credit,
            representative,
        )

    def _lawyer(self) -> tuple[Any, ...]:
        rng = self.rng
        name, _ = self.names.person()
        licence = f"1220{rng.randrange(2000, 2026)}1{rng.randrange(10**7):07d}"[:17]
        return ("律师", name, rng.choice(self.vocab["law_firms"]), licence, self._phone())


# ---------------------------------------------------------------------- assignments
ASSIGNMENT_COLUMNS = (
    "id",
    "case_id",
    "division_id",
    "presiding_judge_id",
    "clerk_id",
    "bench",
    "method",
    "reason",
    "assigned_at",
    "assigned_by",
    "ended_at",
)
MEMBER_COLUMNS = ("assignment_id", "position", "user_id", "role")
MANUAL_REASONS = (
    "关联案件由同一承办人审理",
    "发回重审案件另行指定承办人",
    "专业化审判团队对口承办",
)
REASSIGN_REASONS = ("原承办人调离本部门", "原承办人申请回避", "均衡办案数量，院庭长批准改派")


class _AssignmentWriter:
    """The assignment history of demo cases, consistent with each case's judge and clerk.

    Most cases were drawn automatically at filing; some were assigned by hand with a
    reason; a few were reassigned (the earlier assignment ended). Panels follow the
    procedure's default bench: the judge as 审判长, one more judge, one 人民陪审员.
    Uses its own random stream, so the cases themselves are the same as without it.
    """

    def __init__(self, staff: _Staff, as_of: date, seed: int) -> None:
        self.rng = random.Random(f"assignments-{seed}")
        self.staff = staff
        self.as_of = as_of
        self.division_names = {v: k for k, v in staff.division_ids.items()}
        self.next_id: int | None = None
        self.rows: list[tuple[Any, ...]] = []
        self.members: list[tuple[Any, ...]] = []

    def add(self, case: tuple[Any, ...]) -> None:
        judge_id, clerk_id, division_id = case[15], case[16], case[14]
        if judge_id is None:
            return
        rng = self.rng
        filed = date.fromisoformat(case[10])
        assigned = min(self.as_of, filed + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3))))
        colleagues = [
            j for j, _ in self.staff.judges.get(self.division_names.get(division_id, ""), [])
        ]
        by = rng.choice(self.staff.registrars) if self.staff.registrars else None
        bench = default_bench(case[8])
        others = [j for j in colleagues if j != judge_id]
        if others and rng.random() < 0.03 and (self.as_of - assigned).days > 10:
            moved = assigned + timedelta(
                days=rng.randrange(5, min(60, (self.as_of - assigned).days))
            )
            self._append(case, rng.choice(others), clerk_id, bench, "auto", "", assigned, by, moved)
            self._append(
                case, judge_id, clerk_id, bench, "manual", rng.choice(REASSIGN_REASONS), moved, by
            )
            return
        if rng.random() < 0.1:
            self._append(
                case, judge_id, clerk_id, bench, "manual", rng.choice(MANUAL_REASONS), assigned, by
            )
        else:
            self._append(case, judge_id, clerk_id, bench, "auto", "", assigned, by)

    def _append(
        self,
        case: tuple[Any, ...],
        judge_id: int,
        clerk_id: int | None,
        bench: Bench,
        method: str,
        reason: str,
        day: date,
        by: int | None,
        ended: date | None = None,
    ) -> None:
        if self.next_id is None:
            raise RuntimeError("flush() sets the first id before cases are added")
        assignment_id = self.next_id
        self.next_id += 1
        self.rows.append(
            (
                assignment_id,
                case[0],
                case[14],
                judge_id,
                clerk_id,
                bench.value,
                method,
                reason,
                f"{day.isoformat()}T09:30:00+08:00",
                by,
                f"{ended.isoformat()}T10:00:00+08:00" if ended else None,
            )
        )
        if bench is Bench.PANEL:
            colleagues = [
                j
                for j, _ in self.staff.judges.get(self.division_names.get(case[14], ""), [])
                if j != judge_id
            ]
            second = self.rng.choice(colleagues) if colleagues else None
            third = self.rng.choice(self.staff.assessors) if self.staff.assessors else None
            seats = [(judge_id, PRESIDING), (second, JUDGE_MEMBER), (third, ASSESSOR)]
            if None not in (second, third):
                for position, (user_id, role) in enumerate(seats):
                    self.members.append((assignment_id, position, user_id, role))

    def start(self, db_next_id: int) -> None:
        if self.next_id is None:
            self.next_id = db_next_id

    def take(self) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """The rows added since the last call (one chunk's assignments and panel seats)."""
        rows, members = self.rows, self.members
        self.rows, self.members = [], []
        return rows, members
