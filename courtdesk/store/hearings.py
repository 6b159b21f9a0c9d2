"""Hearings, who sits in them, and the lookups the conflict checker needs.

Times are ISO text in local court time (``2026-11-23T09:00``). A hearing lies in
one day, so every clash lookup is a range scan over one day of one room or one
person: ``start_at >= day start AND start_at < proposed end AND end_at > proposed
start`` on an index that begins with the room or person.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from courtdesk.domain.scheduling import (
    KIND_BY_CODE,
    Booking,
    Closure,
    Interval,
    Lawyer,
)
from courtdesk.store.records import SQLITE_INTEGERS


def stamp(moment: datetime) -> str:
    # Not strftime: %Y gives "999" for the year 999, which sorts after "2026" as text, so
    # a period starting before the year 1000 found hearings outside it.
    # (Nor isoformat: it would append the offset of an aware time.)
    return f"{moment.year:04d}-{moment:%m-%dT%H:%M}"


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _day_start(moment: datetime) -> str:
    return stamp(datetime.combine(moment.date(), datetime.min.time()))


HEARING_COLUMNS = (
    "case_id",
    "kind",
    "mode",
    "courtroom_id",
    "place",
    "start_at",
    "end_at",
    "presiding_judge_id",
    "clerk_id",
    "is_public",
    "status",
    "status_reason",
    "postponed_from",
    "override_reason",
    "override_conflicts",
    "note",
    "created_at",
    "created_by",
    "updated_at",
)
STAFF_COLUMNS = ("hearing_id", "user_id", "role", "position", "start_at", "end_at", "active")


# ---------------------------------------------------------------- writing
def insert_hearing(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    cursor = conn.execute(
        f"INSERT INTO hearings ({', '.join(HEARING_COLUMNS)})"
        f" VALUES ({', '.join('?' * len(HEARING_COLUMNS))})",
        tuple(values.get(c) for c in HEARING_COLUMNS),
    )
    return int(cursor.lastrowid or 0)


def replace_staff(
    conn: sqlite3.Connection,
    hearing_id: int,
    staff: Sequence[tuple[int, str]],
    start: datetime,
    end: datetime,
) -> None:
    """Who sits: (user_id, role) in order; the hearing's time is copied for the index."""
    conn.execute("DELETE FROM hearing_staff WHERE hearing_id = ?", (hearing_id,))
    conn.executemany(
        f"INSERT INTO hearing_staff ({', '.join(STAFF_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, 1)",
        [
            (hearing_id, user_id, role, position, stamp(start), stamp(end))
            for position, (user_id, role) in enumerate(staff)
        ],
    )


def move_staff(conn: sqlite3.Connection, hearing_id: int, start: datetime, end: datetime) -> None:
    conn.execute(
        "UPDATE hearing_staff SET start_at = ?, end_at = ? WHERE hearing_id = ?",
        (stamp(start), stamp(end), hearing_id),
    )


def release_staff(conn: sqlite3.Connection, hearing_id: int) -> None:
    """A postponed or cancelled hearing no longer keeps anyone busy."""
    conn.execute("UPDATE hearing_staff SET active = 0 WHERE hearing_id = ?", (hearing_id,))


# ---------------------------------------------------------------- reading
HEARING_SQL = """
SELECT h.*, c.case_number, c.cause, c.procedure, c.parties_summary, c.is_private,
       c.status AS case_status, r.name AS room_name, j.display_name AS judge_name,
       k.display_name AS clerk_name
FROM hearings h
JOIN cases c ON c.id = h.case_id
LEFT JOIN courtrooms r ON r.id = h.courtroom_id
LEFT JOIN users j ON j.id = h.presiding_judge_id
LEFT JOIN users k ON k.id = h.clerk_id
"""


def hearing_row(conn: sqlite3.Connection, hearing_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        HEARING_SQL + " WHERE h.id = ?", (hearing_id,)
    ).fetchone()
    return row


def staff_of(conn: sqlite3.Connection, hearing_ids: Sequence[int]) -> dict[int, list[sqlite3.Row]]:
    """Staff rows (with names) of several hearings, each list in seating order."""
    found: dict[int, list[sqlite3.Row]] = {h: [] for h in hearing_ids}
    for chunk in _chunks(hearing_ids):
        for row in conn.execute(
            "SELECT s.*, u.display_name FROM hearing_staff s JOIN users u ON u.id = s.user_id"
            f" WHERE s.hearing_id IN ({', '.join('?' * len(chunk))})"
            " ORDER BY s.hearing_id, s.position",
            chunk,
        ):
            found[int(row["hearing_id"])].append(row)
    return found


def case_hearings(conn: sqlite3.Connection, case_id: int) -> list[sqlite3.Row]:
    """The case's hearings, every status, oldest first (its scheduling history)."""
    return conn.execute(
        HEARING_SQL + " WHERE h.case_id = ? ORDER BY h.start_at, h.id", (case_id,)
    ).fetchall()


def postponement_count(conn: sqlite3.Connection, case_id: int) -> int:
    row = conn.execute(
        "SELECT count(*) FROM hearings WHERE case_id = ? AND status = 'postponed'", (case_id,)
    ).fetchone()
    return int(row[0])


def hearings_between(
    conn: sqlite3.Connection,
    first: datetime,
    last: datetime,
    *,
    room_id: int | None = None,
    user_id: int | None = None,
    public_only: bool = False,
) -> list[sqlite3.Row]:
    """Scheduled hearings starting in [first, last), by time (calendars and cause lists)."""
    if (room_id is not None and room_id not in SQLITE_INTEGERS) or (
        user_id is not None and user_id not in SQLITE_INTEGERS
    ):
        return []  # nobody has an id SQLite cannot hold
    params: list[Any] = [stamp(first), stamp(last)]
    where = "h.status = 'scheduled' AND h.start_at >= ? AND h.start_at < ?"
    if room_id is not None:
        where += " AND h.courtroom_id = ?"
        params.append(room_id)
    if user_id is not None:
        where += (
            " AND h.id IN (SELECT hearing_id FROM hearing_staff WHERE active = 1 AND user_id = ?"
            " AND start_at >= ? AND start_at < ?)"
        )
        params += [user_id, stamp(first), stamp(last)]
    if public_only:
        where += " AND h.is_public = 1 AND c.is_private = 0"
    return conn.execute(
        HEARING_SQL + f" WHERE {where} ORDER BY h.start_at, r.name, h.id", params
    ).fetchall()


def case_lawyers(conn: sqlite3.Connection, case_id: int) -> list[Lawyer]:
    """The case's agents who can be told apart as lawyers (a licence or a firm)."""
    return lawyers_of(conn, [case_id]).get(case_id, [])


def lawyers_of(conn: sqlite3.Connection, case_ids: Sequence[int]) -> dict[int, list[Lawyer]]:
    """The lawyers of several cases, in one query per 500 cases."""
    found: dict[int, list[Lawyer]] = {}
    for chunk in _chunks(case_ids):
        for r in conn.execute(
            "SELECT a.case_id, a.name, a.law_firm, a.licence_number, p.name AS party_name"
            " FROM agents a JOIN parties p ON p.id = a.party_id"
            f" WHERE a.case_id IN ({', '.join('?' * len(chunk))})"
            " AND (a.licence_number <> '' OR a.law_firm <> '')"
            " ORDER BY a.case_id, p.position, a.id",
            chunk,
        ):
            found.setdefault(int(r["case_id"]), []).append(_lawyer(r))
    return found


def party_names(conn: sqlite3.Connection, case_id: int) -> list[str]:
    return [
        str(r[0])
        for r in conn.execute(
            "SELECT name FROM parties WHERE case_id = ? ORDER BY position", (case_id,)
        )
    ]


# A conflict check's statements have one text whatever the proposal (how many people
# and lawyers, how many clashing cases), so SQLite prepares each once per connection:
# lists are padded with NULLs (which match nothing) to a fixed number of slots. Built
# to fit each proposal, a check ran a new text for nearly every proposal, and preparing
# one cost more than running it (0.42 ms a statement against 0.17 ms at a million cases).
PEOPLE_SLOTS = 8
LAWYER_SLOTS = 8
CASE_SLOTS = (8, 16, 32, 64, 128, 256, 512)  # the clashing cases, in a few sizes


def _padded(values: Sequence[Any], step: int) -> list[Any]:
    """``values`` followed by NULLs up to a multiple of ``step`` (``step`` at the least)."""
    size = max(step, -(-len(values) // step) * step)
    return [*values, *([None] * (size - len(values)))]


def _lawyer_slots(lawyers: Sequence[Lawyer]) -> list[list[tuple[str | None, ...]]]:
    """The proposal's lawyers as (licence, name, firm) slots, LAWYER_SLOTS to a group.

    ``same_lawyer``'s rule: the same licence number, or (when either has none) the
    same name at the same firm. A lawyer with neither licence nor firm matches nobody.
    """
    slots = [
        (
            lawyer.licence_number or None,
            lawyer.name if lawyer.law_firm else None,
            lawyer.law_firm or None,
        )
        for lawyer in lawyers
        if lawyer.licence_number or lawyer.law_firm
    ]
    padded = _padded(slots, LAWYER_SLOTS) if slots else []
    empty = (None, None, None)
    return [
        [slot or empty for slot in padded[i : i + LAWYER_SLOTS]]
        for i in range(0, len(padded), LAWYER_SLOTS)
    ]


def _lawyer_match(params: dict[str, Any], prefix: str, group: Sequence[tuple[Any, ...]]) -> str:
    """SQL over ``agents a`` for the agents that are one of ``group``'s lawyers."""
    terms = []
    for k, (licence, name, firm) in enumerate(group):
        lic, nm, fm = f"{prefix}lic{k}", f"{prefix}nm{k}", f"{prefix}fm{k}"
        params.update({lic: licence, nm: name, fm: firm})
        # An agent without a licence number is matched by name and firm; so is any
        # agent when the proposal's lawyer has none. (Each term is an index lookup.)
        terms.append(
            f"a.licence_number = :{lic} OR (a.name = :{nm} AND a.law_firm = :{fm}"
            f" AND (:{lic} IS NULL OR a.licence_number = ''))"
        )
    return " OR ".join(f"({t})" for t in terms)


def clashing_bookings(
    conn: sqlite3.Connection,
    start: datetime,
    end: datetime,
    *,
    room_id: int | None,
    user_ids: Iterable[int],
    lawyers: Sequence[Lawyer],
) -> list[Booking]:
    """Scheduled hearings overlapping [start, end) that share the room, a person or a lawyer.

    One statement finds them (three index range scans: the room, the people, the
    lawyers through their cases) with what describes them and the proposal's
    people among their staff; one more finds the proposal's lawyers among their
    cases' agents. That is all the domain checker needs to explain each clash: a
    busy day clashes with dozens of hearings, and loading all their staff and all
    their lawyers cost more than the whole check should.
    """
    people = sorted(set(user_ids))
    groups = _lawyer_slots(lawyers)
    window = {"day": _day_start(start), "end": stamp(end), "start": stamp(start)}
    in_window = "start_at >= :day AND start_at < :end AND end_at > :start"
    branches: list[str] = []
    params: dict[str, Any] = dict(window)
    if room_id is not None:
        branches.append(
            "SELECT id FROM hearings WHERE courtroom_id = :room AND status = 'scheduled'"
            f" AND {in_window}"
        )
        params["room"] = room_id
    # Who of the proposal's people sits in each found hearing, as "user_id:role,…"
    # (at most one row per person and hearing: the table's primary key).
    staff_sql = "''"
    if people:
        names = _named(params, "u", _padded(people, PEOPLE_SLOTS))
        branches.append(
            "SELECT hearing_id FROM hearing_staff"
            f" WHERE user_id IN ({names}) AND active = 1 AND {in_window}"
        )
        staff_sql = (
            "(SELECT group_concat(s.user_id || ':' || s.role) FROM hearing_staff s"
            f" WHERE s.hearing_id = h.id AND s.user_id IN ({names}))"
        )
    for n, group in enumerate(groups):
        branches.append(
            "SELECT h.id FROM agents a JOIN hearings h ON h.case_id = a.case_id"
            f" WHERE ({_lawyer_match(params, f'l{n}', group)}) AND h.status = 'scheduled'"
            " AND h.start_at >= :day AND h.start_at < :end AND h.end_at > :start"
        )
    if not branches:
        return []
    rows = conn.execute(
        "SELECT h.id, h.case_id, c.case_number, h.kind, h.start_at, h.end_at,"
        f" h.courtroom_id, h.mode, h.place, r.name AS room_name, {staff_sql} AS staff"
        " FROM hearings h JOIN cases c ON c.id = h.case_id"
        " LEFT JOIN courtrooms r ON r.id = h.courtroom_id"
        f" WHERE h.id IN ({' UNION '.join(branches)}) ORDER BY h.id",
        params,
    ).fetchall()
    if not rows:
        return []
    their = _lawyers_among(conn, sorted({int(r["case_id"]) for r in rows}), groups)
    # Unpacked by position: an overbooked day returns dozens of clashes, and looking
    # each column up by name cost about a tenth of such a check (1.66 → 1.54 ms).
    return [
        Booking(
            hearing_id=hearing_id,
            case_id=case_id,
            case_number=case_number,
            kind=KIND_BY_CODE[kind],
            start=parse(start_at),
            end=parse(end_at),
            room_id=room_id,
            place=place_label(mode, room_name, place),
            staff=_staff_list(staff),
            lawyers=tuple(their.get(case_id, ())),
        )
        for (
            hearing_id,
            case_id,
            case_number,
            kind,
            start_at,
            end_at,
            room_id,
            mode,
            place,
            room_name,
            staff,
        ) in rows
    ]


def _named(params: dict[str, Any], prefix: str, values: Sequence[Any]) -> str:
    """Named placeholders for an IN list, their values added to ``params``."""
    names = [f"{prefix}{n}" for n in range(len(values))]
    params.update(zip(names, values, strict=True))
    return ", ".join(f":{name}" for name in names)


@lru_cache(maxsize=4096)
def _staff_list(text: str | None) -> tuple[tuple[int, str], ...]:
    """``"11:judge,12:clerk"`` → ((11, "judge"), (12, "clerk")).

    Kept per text: a day's clashes repeat the same few judge and clerk pairs.
    """
    if not text:
        return ()
    return tuple((int(u), role) for u, _, role in (p.partition(":") for p in text.split(",")))


def _lawyers_among(
    conn: sqlite3.Connection,
    case_ids: Sequence[int],
    groups: Sequence[Sequence[tuple[str | None, ...]]],
) -> dict[int, list[Lawyer]]:
    """The agents of these cases who are one of the proposal's lawyers, in the order
    ``lawyers_of`` lists them (the first that matches decides how a clash is explained)."""
    found: dict[int, list[Lawyer]] = {}
    if not groups:
        return found
    lawyer_params: dict[str, Any] = {}
    match = " OR ".join(_lawyer_match(lawyer_params, f"l{n}", g) for n, g in enumerate(groups))
    for chunk in _chunks(case_ids, CASE_SLOTS[-1]):
        size = next(n for n in CASE_SLOTS if n >= len(chunk))
        params = dict(lawyer_params)
        cases = _named(params, "c", [*chunk, *([None] * (size - len(chunk)))])
        for r in conn.execute(
            # By the cases found (a few dozen), not by the lawyers: a busy lawyer has
            # agents in thousands of cases.
            "SELECT a.case_id, a.name, a.law_firm, a.licence_number, p.name AS party_name"
            " FROM agents a INDEXED BY agents_case JOIN parties p ON p.id = a.party_id"
            f" WHERE a.case_id IN ({cases}) AND ({match})"
            " ORDER BY a.case_id, p.position, a.id",
            params,
        ):
            found.setdefault(int(r["case_id"]), []).append(_lawyer(r))
    return found


def _lawyer(row: sqlite3.Row) -> Lawyer:
    return Lawyer(
        str(row["name"]), str(row["law_firm"]), str(row["licence_number"]), str(row["party_name"])
    )


def place_label(mode: str, room_name: str | None, place: str) -> str:
    if mode == "online":
        return "在线庭审"
    if mode == "off_site":
        return place or "巡回审判"
    return room_name or place or "法庭"


def person_busy(conn: sqlite3.Connection, user_id: int, first: date, last: date) -> list[Interval]:
    """When a person sits in hearings from ``first`` to ``last`` inclusive."""
    return [
        Interval(parse(a), parse(b))
        for a, b in conn.execute(
            "SELECT start_at, end_at FROM hearing_staff WHERE user_id = ? AND active = 1"
            " AND start_at >= ? AND start_at < ? ORDER BY start_at",
            (user_id, first.isoformat(), (last + timedelta(days=1)).isoformat()),
        )
    ]


def room_busy(conn: sqlite3.Connection, room_id: int, first: date, last: date) -> list[Interval]:
    return [
        Interval(parse(a), parse(b))
        for a, b in conn.execute(
            "SELECT start_at, end_at FROM hearings WHERE courtroom_id = ? AND status = 'scheduled'"
            " AND start_at >= ? AND start_at < ? ORDER BY start_at",
            (room_id, first.isoformat(), (last + timedelta(days=1)).isoformat()),
        )
    ]


# ---------------------------------------------------------------- courtrooms
def courtroom_rows(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT r.*, d.name AS division_name FROM courtrooms r"
        " LEFT JOIN divisions d ON d.id = r.division_id"
        " ORDER BY r.division_id IS NOT NULL, r.division_id, r.id"
    ).fetchall()


def courtroom_row(conn: sqlite3.Connection, room_id: int) -> sqlite3.Row | None:
    if room_id not in SQLITE_INTEGERS:
        return None
    row: sqlite3.Row | None = conn.execute(
        "SELECT r.*, d.name AS division_name FROM courtrooms r"
        " LEFT JOIN divisions d ON d.id = r.division_id WHERE r.id = ?",
        (room_id,),
    ).fetchone()
    return row


def courtroom_by_name(conn: sqlite3.Connection, name: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM courtrooms WHERE name = ?", (name,)
    ).fetchone()
    return row


def insert_courtroom(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    cursor = conn.execute(
        "INSERT INTO courtrooms (name, division_id, capacity, has_recording, has_remote_video,"
        " active, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            values["name"],
            values["division_id"],
            values["capacity"],
            values["has_recording"],
            values["has_remote_video"],
            values["active"],
            values["note"],
        ),
    )
    return int(cursor.lastrowid or 0)


def set_equipment(
    conn: sqlite3.Connection, room_id: int, *, recording: bool, remote_video: bool
) -> None:
    conn.execute(
        "UPDATE courtrooms SET has_recording = ?, has_remote_video = ? WHERE id = ?",
        (int(recording), int(remote_video), room_id),
    )


def closures(
    conn: sqlite3.Connection, room_id: int | None = None, from_day: date | None = None
) -> list[sqlite3.Row]:
    """Closures, optionally of one room and only those not over before ``from_day``."""
    where: list[str] = []
    params: list[Any] = []
    if room_id is not None:
        where.append("courtroom_id = ?")
        params.append(room_id)
    if from_day is not None:
        where.append("last_day >= ?")
        params.append(from_day.isoformat())
    sql = "SELECT * FROM courtroom_closures"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return conn.execute(sql + " ORDER BY courtroom_id, first_day", params).fetchall()


def closure_values(row: sqlite3.Row) -> Closure:
    return Closure(
        date.fromisoformat(row["first_day"]), date.fromisoformat(row["last_day"]), row["reason"]
    )


def insert_closure(
    conn: sqlite3.Connection, room_id: int, first: date, last: date, reason: str, created_at: str
) -> int:
    cursor = conn.execute(
        "INSERT INTO courtroom_closures (courtroom_id, first_day, last_day, reason, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (room_id, first.isoformat(), last.isoformat(), reason, created_at),
    )
    return int(cursor.lastrowid or 0)


def closure_row(conn: sqlite3.Connection, closure_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM courtroom_closures WHERE id = ?", (closure_id,)
    ).fetchone()
    return row


def delete_closure(conn: sqlite3.Connection, closure_id: int) -> None:
    conn.execute("DELETE FROM courtroom_closures WHERE id = ?", (closure_id,))


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[list[int]]:
    items = list(ids)
    for i in range(0, len(items), size):
        yield items[i : i + size]


def booked_since(
    conn: sqlite3.Connection, since: date
) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int]]]:
    """Scheduled (start, end, room) and active (start, end, person) bookings from ``since``."""
    rooms = [
        (str(start), str(end), int(room))
        for start, end, room in conn.execute(
            "SELECT start_at, end_at, courtroom_id FROM hearings WHERE status = 'scheduled'"
            " AND start_at >= ? AND courtroom_id IS NOT NULL",
            (since.isoformat(),),
        )
    ]
    people = [
        (str(start), str(end), int(user))
        for start, end, user in conn.execute(
            "SELECT start_at, end_at, user_id FROM hearing_staff WHERE active = 1 AND start_at >= ?",
            (since.isoformat(),),
        )
    ]
    return rooms, people
