"""Arbitrary requests for notices (hypothesis): any kind, a guardian's name typed by the
clerk (lone surrogates, control characters, emoji, rare CJK, thousands of characters),
a party, hearing, task or courtroom that is not there, any issue date or day.

Each request either gives a PDF of the documents asked for (one per recipient, each
named in the summary as given) or is refused with a CourtdeskError in Chinese; and
printing writes nothing to the database either way.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from courtdesk.domain.text import clean_text, has_control_characters
from courtdesk.errors import CourtdeskError, ValidationError
from courtdesk.notices.kinds import KIND_TITLES
from courtdesk.services import notices
from courtdesk.services.notices import NoticeRequest
from tests.properties.conftest import Court, one_field_or_all
from tests.properties.test_bad_input import DATES, FEW, TEXT, count
from tests.properties.test_bad_input_assignment import NOBODY
from tests.properties.test_bad_input_features import accepted_or_refused, audit_rows

PDFS = settings(FEW, max_examples=30)  # each accepted example renders a PDF
RARE = st.sampled_from(["堃", "喆", "淼", "犇", "彧", "昇", "𠮷", "😀", "\u200b", "ᠮ"])
GUARDIANS = st.one_of(
    st.just("孙犇"),
    TEXT,
    st.builds(lambda a, b: a + b, st.just("王"), RARE),
    st.sampled_from(["王" * 5000, "\ud800", "张\x00三", "  "]),
)
ISSUE_DAYS = st.one_of(st.none(), st.just(date(2026, 11, 20)), DATES)


def tables(court: Court) -> tuple[int, ...]:
    return audit_rows(court.path), count(court.path, "service_tasks")


GOOD = {"kind": "guardianship", "guardian": "孙犇", "party": "ward", "issued": None}


@PDFS
@given(st.data())
def test_any_notice_request_gives_its_documents_or_says_why(
    court: Court, data: st.DataObject
) -> None:
    values = data.draw(
        one_field_or_all(
            GOOD,
            {
                "kind": st.one_of(st.sampled_from(sorted(KIND_TITLES)), TEXT),
                "guardian": GUARDIANS,
                "party": st.one_of(st.sampled_from(["ward", "none"]), NOBODY),
                "issued": ISSUE_DAYS,
            },
        )
    )
    check_notice(court, values)


def check_notice(court: Court, values: dict[str, Any]) -> CourtdeskError | None:
    case = court.case()
    party = values["party"]
    party_id = {"ward": case.parties[0].id, "none": None}.get(party, party)
    request = NoticeRequest(
        case_id=case.id, party_id=party_id, guardian=values["guardian"], issued=values["issued"]
    )
    before = tables(court)
    result = accepted_or_refused(lambda: notices.generate(court.judge, values["kind"], [request]))
    assert tables(court) == before
    if isinstance(result, CourtdeskError):
        event(f"refused: {type(result).__name__}")
        return result
    event(f"accepted: {values['kind']}")
    assert result.pdf.startswith(b"%PDF") and result.documents == len(result.subjects) >= 1
    if values["kind"] == "guardianship":
        # 「赵堃的监护人孙犇」: the guardian as typed, trimmed.
        (subject,) = result.subjects
        assert subject.endswith(clean_text(values["guardian"])), subject
        # Printed as a name: nothing a party's name could not hold.
        assert not has_control_characters(subject) and len(clean_text(values["guardian"])) <= 100
    return None


@pytest.mark.parametrize("guardian", ["张\x00三", "王" * 5000, "王\ud800", "李\u202e四"])
def test_a_guardian_name_no_party_could_have_is_refused_naming_the_guardian(
    court: Court, guardian: str
) -> None:
    """Found by the property above: a NUL or 5,000 characters were printed as the name
    (and a lone surrogate was reported as unprintable, the surrogate in the message)."""
    case = court.case()
    request = NoticeRequest(case_id=case.id, party_id=case.parties[0].id, guardian=guardian)
    with pytest.raises(ValidationError) as refusal:
        notices.generate(court.judge, "guardianship", [request])
    assert [p.field for p in refusal.value.problems] == ["guardian"]
    assert "监护人的姓名" in refusal.value.message
