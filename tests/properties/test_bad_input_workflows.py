"""Arbitrary input at two administrator entry points (hypothesis): a notice template
and a courtroom. (Service attempts, 审限 applications, excluded periods, closing,
hearings and address confirmations have their own files beside this one.)

The rule of ``test_bad_input``: each input is either accepted and stored faithfully,
or refused with a CourtdeskError saying why in Chinese, and a refusal leaves nothing
half-written (no row and no audit row was added).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from courtdesk.domain.text import clean_text
from courtdesk.errors import CourtdeskError
from tests.properties.test_bad_input import FEW, PLAUSIBLE_TEXT, TEXT
from tests.properties.test_bad_input_features import accepted_or_refused, audit_rows


def rows(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def counts(path: Path, *tables: str) -> tuple[int, ...]:
    return (audit_rows(path), *(rows(path, t) for t in tables))


def untouched(path: Path, before: tuple[int, ...], *tables: str) -> bool:
    return counts(path, *tables) == before


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
