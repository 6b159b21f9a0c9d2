"""Arbitrary files and paths (hypothesis): importing a year's holidays from any CSV or
JSON text, backing up to and restoring from any path, exporting any docket filter
to any file name.

Paths may lead into folders that do not exist, name a file that is not a database
(or not courtdesk's), or hold odd characters (NUL, lone surrogates, spaces, Chinese,
names far too long). Each call either does what was asked faithfully (the holidays
are the file's, the backup is a checked copy, the workbook holds the docket) or is
refused with a CourtdeskError in Chinese, and a refusal leaves no row, no audit row
and no file behind.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from courtdesk.domain.holiday_schedule import parse_schedule
from courtdesk.errors import CourtdeskError, ValidationError
from courtdesk.services import docket, export, holidays, maintenance
from courtdesk.services.docket import DocketFilter, SortKey
from courtdesk.services.workspace import Workspace, open_workspace
from tests.properties.test_bad_input import ANY_TEXT, DATES, FEW, TEXT, count
from tests.properties.test_bad_input_assignment import NOBODY
from tests.properties.test_bad_input_features import accepted_or_refused, audit_rows

FILES = settings(FEW, max_examples=20)  # each example copies or writes a whole database


@pytest.fixture
def admin(demo_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(demo_path, "admin")
    yield ws
    ws.close()


# ---------------------------------------------------------------- holidays
DAY_TEXT = st.one_of(
    st.dates(min_value=date(2027, 1, 1), max_value=date(2027, 12, 31)).map(date.isoformat),
    st.tuples(
        st.dates(min_value=date(2027, 1, 1), max_value=date(2027, 12, 31)), st.integers(0, 40)
    ).map(lambda t: f"{t[0].isoformat()}~{t[0].toordinal() + t[1]}"),
    DATES.map(date.isoformat),
    st.sampled_from(["0000-01-01", "2027-02-30", "2027-1-1", "2027-01-01~", "~", "至"]),
    TEXT,
)
KIND_TEXT = st.one_of(st.sampled_from(["休", "班", "放假", "上班", "holiday", "1", "0"]), TEXT)
NAME_TEXT = st.one_of(st.sampled_from(["元旦", "春节", "国庆节", ""]), TEXT)
ROWS = st.lists(st.lists(st.one_of(DAY_TEXT, KIND_TEXT, NAME_TEXT), max_size=4), max_size=5)


def csv_text(rows: list[list[str]]) -> str:
    return "\n".join(",".join(row) for row in rows)


def json_text(rows: list[list[str]]) -> str:
    items = [dict(zip(("date", "type", "name"), row, strict=False)) for row in rows]
    return json.dumps(items, ensure_ascii=False)


GOOD_ROWS = [["2027-01-01~2027-01-03", "休", "元旦"], ["2027-02-06", "班", ""]]
# The good schedule with one cell made arbitrary, so accepted files are common enough.
ONE_CELL = st.tuples(
    st.integers(0, 1), st.integers(0, 2), st.one_of(DAY_TEXT, KIND_TEXT, NAME_TEXT)
).map(
    lambda t: [
        [t[2] if (r, c) == (t[0], t[1]) else cell for c, cell in enumerate(row)]
        for r, row in enumerate(GOOD_ROWS)
    ]
)
SCHEDULES = st.one_of(
    st.tuples(ONE_CELL.map(csv_text), st.just(False)),
    st.tuples(ONE_CELL.map(json_text), st.just(True)),
    st.tuples(ROWS.map(csv_text), st.just(False)),
    st.tuples(ROWS.map(json_text), st.just(True)),
    st.tuples(ANY_TEXT, st.booleans()),
)


@FEW
@given(st.one_of(st.just(2027), st.just(2027), st.integers(-5, 10**4)), SCHEDULES)
@example(2027, ("[" * 100_000, True))  # nested too deeply for Python's json
@example(2027, ('{"holidays": {"元旦": [["2027-01-01"]]}}', True))
@example(2027, ("0000-01-01,休,元旦", False))
def test_importing_any_holiday_file_stores_what_it_says_or_nothing(
    admin: Workspace, year: int, schedule: tuple[str, bool]
) -> None:
    text, as_json = schedule
    before = audit_rows(admin.path), count(admin.path, "court_holidays")
    result = accepted_or_refused(
        lambda: holidays.import_year(admin, year, text, json_format=as_json)
    )
    if isinstance(result, CourtdeskError):
        event("refused")
        assert (audit_rows(admin.path), count(admin.path, "court_holidays")) == before
        return
    event("accepted")
    days = parse_schedule(text, year, json_format=as_json)
    with sqlite3.connect(admin.path) as conn:
        rows = conn.execute(
            "SELECT day, working, name FROM court_holidays WHERE day LIKE ?", (f"{year}-%",)
        ).fetchall()
    assert sorted(rows) == [(d.day.isoformat(), int(d.working), d.name) for d in days]
    assert result == len(days)


@pytest.mark.parametrize("day", ["0000-01-01", "2027-02-30", "10000-01-01", "２０２７-01-01"])
def test_a_date_python_cannot_read_is_explained_in_chinese(admin: Workspace, day: str) -> None:
    """Year 0 used to be reported in Python's English ("year 0 is out of range")."""
    with pytest.raises(ValidationError) as refused:
        holidays.import_year(admin, 2027, f"{day},休,元旦")
    assert refused.value.message == f"第 1 行：日期「{day}」应写作 YYYY-MM-DD"


# ---------------------------------------------------------------- paths
ODD_NAME = st.one_of(
    st.sampled_from(
        [
            "备份 2026-11-20.sqlite3",
            "a\x00b.sqlite3",
            "\ud800.sqlite3",
            "\udcff.sqlite3",  # a name the disk takes (as byte 0xff) but SQLite cannot record
            "x" * 300,
            " ",
            ".",
            "..",
            "con",
            "a/b/c.sqlite3",
            "新建文件夹/不存在/备份.sqlite3",
        ]
    ),
    st.text(st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=40),
    TEXT,
)


def files_in(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


@FILES
@given(ODD_NAME)
def test_backing_up_to_any_path_makes_a_checked_copy_or_nothing(
    admin: Workspace, tmp_path: Path, name: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir(exist_ok=True)
    before = audit_rows(admin.path), count(admin.path, "backups"), files_in(tmp_path)
    result = accepted_or_refused(lambda: maintenance.backup(admin, folder / name))
    if isinstance(result, CourtdeskError):
        event("refused")
        assert (audit_rows(admin.path), count(admin.path, "backups"), files_in(tmp_path)) == before
        return
    event("accepted")
    assert result.path.is_file() and result.path.stat().st_size == result.size_bytes
    assert maintenance.check_file(result.path).ok
    assert audit_rows(admin.path) == before[0] + 1
    assert count(admin.path, "backups") == before[1] + 1
    result.path.unlink()  # the next example may pick the same name


def not_a_backup(tmp_path: Path, kind: str, name: str) -> Path:
    """A source that must not be restored: missing, a folder, text, an empty or foreign database."""
    path = tmp_path / "sources" / kind / "x"
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "text":
        path.write_text(name or "不是数据库", encoding="utf-8", errors="surrogatepass")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "folder":
        path.mkdir(exist_ok=True)
    elif kind == "foreign":
        path.unlink(missing_ok=True)
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS t (x)")
        conn.close()
    elif kind == "header":
        path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    else:  # a name that does not exist
        return tmp_path / "sources" / "missing" / name
    return path


@FILES
@given(st.sampled_from(["text", "empty", "folder", "foreign", "header", "missing"]), ODD_NAME)
@example("missing", "x" * 300)  # found by this property: OSError (File name too long)
@example("missing", "a\x00b")  # and ValueError (embedded null byte)
def test_restoring_from_anything_but_a_backup_is_refused_and_changes_nothing(
    demo_path: Path, tmp_path: Path, kind: str, name: str
) -> None:
    source = not_a_backup(tmp_path, kind, name)
    ws = open_workspace(demo_path, "admin")
    try:
        before = audit_rows(demo_path), count(demo_path, "backups"), files_in(tmp_path)
        result = accepted_or_refused(lambda: maintenance.restore(ws, source))
        assert isinstance(result, CourtdeskError), f"restored from {kind}"
        event(f"refused: {kind}")
        assert (audit_rows(demo_path), count(demo_path, "backups"), files_in(tmp_path)) == before
    finally:
        ws.close()


# ---------------------------------------------------------------- export
FILTERS = st.builds(
    DocketFilter,
    text=TEXT,
    type_codes=st.lists(st.one_of(st.sampled_from(["民初", "执"]), TEXT), max_size=2).map(tuple),
    judge_id=st.one_of(st.none(), st.integers(1, 60), NOBODY),
    clerk_id=st.one_of(st.none(), NOBODY),
    division_id=st.one_of(st.none(), st.integers(1, 12), NOBODY),
    filed_from=st.one_of(st.none(), DATES),
    filed_to=st.one_of(st.none(), DATES),
)


@FILES
@given(FILTERS, ODD_NAME)
@example(DocketFilter(text="借贷\x01"), "案件.xlsx")  # a control character openpyxl refuses
@example(DocketFilter(judge_id=2**63), "案件.xlsx")  # an id SQLite cannot hold
@example(DocketFilter(), "x" * 250)  # too long once .xlsx is added
@example(DocketFilter(text="0\r0"), "案件.xlsx")  # a CR came back from the cell as LF
@example(DocketFilter(), "/")  # the root has no name to add .xlsx to
def test_exporting_any_filter_to_any_file_writes_the_docket_or_nothing(
    admin: Workspace, tmp_path: Path, flt: DocketFilter, name: str
) -> None:
    from openpyxl import load_workbook

    folder = tmp_path / "out"
    folder.mkdir(exist_ok=True)
    before = audit_rows(admin.path), files_in(tmp_path)
    result = accepted_or_refused(
        lambda: export.export_docket(
            admin, flt, SortKey.FILING_DATE, False, folder / name, today=date(2026, 11, 20)
        )
    )
    if isinstance(result, CourtdeskError):
        event("refused")
        assert (audit_rows(admin.path), files_in(tmp_path)) == before
        return
    event("accepted")
    written = Path(result.path)
    assert result.rows == docket.count(admin, flt)
    assert result.filter_text == docket.describe_filter(admin, flt)
    with written.open(
        "rb"
    ) as file:  # by content: openpyxl judges a name like "...xlsx" by its dots
        sheet = load_workbook(file, read_only=True).active
        assert sheet is not None
        cells = [row[0] for row in sheet.iter_rows(max_col=1, values_only=True)]
    assert cells[1] == f"筛选条件：{result.filter_text}"
    assert len(cells) == export.HEADER_ROWS + 1 + result.rows
    assert audit_rows(admin.path) == before[0] + 1
    written.unlink()


def test_a_real_backup_under_an_odd_name_restores(demo_path: Path, tmp_path: Path) -> None:
    """The other side of the refusals above: a checked copy named with spaces and Chinese
    restores, and the restore is in the audit trail."""
    ws = open_workspace(demo_path, "admin")
    made = maintenance.backup(ws, tmp_path / "备份 文件 (1).sqlite3")
    restored = maintenance.restore(ws, made.path)  # closes ws
    assert restored.source == made.path and restored.safety_copy.is_file()
    assert audit_rows(demo_path) == made.audit_rows + 1
