"""Arbitrary input at the service desk (hypothesis): attempts, batches, withdrawals,
address confirmations and documents handed over.

Each input is either accepted and stored faithfully (read back through the
service) or refused with a CourtdeskError in Chinese that names the field, and a
refusal leaves nothing half-written: no attempt row, no audit row, the task as it was.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from hypothesis import event, given
from hypothesis import strategies as st

from courtdesk.domain.service import (
    AddressConfirmation,
    Attempt,
    DocumentKind,
    Outcome,
    ReturnReason,
    ServiceMethod,
)
from courtdesk.errors import CourtdeskError, ValidationError
from courtdesk.services import service as svc
from courtdesk.services.service import AttemptEntry, TaskRequest
from tests.properties.conftest import TODAY, Court
from tests.properties.test_bad_input import DATES, FEW, MANY, PHONES, TEXT, count
from tests.properties.test_bad_input_features import accepted_or_refused, audit_rows

M, R = ServiceMethod, Outcome
NEAR = st.dates(min_value=date(2026, 9, 1), max_value=date(2026, 12, 31))
ANY_DAY = st.one_of(NEAR, DATES)
MOMENTS = st.one_of(
    st.datetimes(min_value=datetime(2026, 9, 1), max_value=datetime(2026, 12, 31)),
    st.datetimes(),  # year 1 to 9999, with seconds and microseconds
)

# One attempt the rules accept for each method, on a task of an ordinary civil case
# whose recipient confirmed no address and gave no consent to electronic service.
GOOD = (
    Attempt(M.DIRECT, R.DELIVERED, TODAY, receiver_name="赵堃", receiver_relation="本人"),
    Attempt(M.DIRECT, R.NOT_FOUND, TODAY, notes="多次上门无人"),
    Attempt(M.LEFT, R.DELIVERED, TODAY, witnesses="社区工作人员王某"),
    Attempt(M.POST, R.IN_TRANSIT, TODAY, waybill="1180123456789"),
    Attempt(M.ENTRUSTED, R.IN_TRANSIT, TODAY, other_agency="长春市朝阳区人民法院"),
    Attempt(
        M.PUBLIC_NOTICE,
        R.PUBLISHED,
        TODAY,
        posted_where="人民法院公告网",
        whereabouts_unknown=True,
    ),
)
TEXT_FIELDS = (
    "receiver_name",
    "receiver_relation",
    "witnesses",
    "record_media",
    "channel",
    "waybill",
    "other_agency",
    "posted_where",
    "notes",
)


def _one_field(draw: st.DrawFn, base: Attempt) -> Attempt:
    field = draw(
        st.sampled_from(
            (*TEXT_FIELDS, "method", "outcome", "attempt_date", "result_date", "sent_at", "flags")
        )
    )
    if field in TEXT_FIELDS:
        return replace(base, **{field: draw(TEXT)})
    if field == "method":
        return replace(base, method=draw(st.sampled_from(ServiceMethod)))
    if field == "outcome":
        return replace(base, outcome=draw(st.sampled_from(Outcome)))
    if field == "attempt_date":
        return replace(base, attempt_date=draw(ANY_DAY))
    if field == "result_date":
        return replace(base, result_date=draw(st.one_of(st.none(), ANY_DAY)))
    if field == "sent_at":
        return replace(base, sent_at=draw(st.one_of(st.none(), MOMENTS)))
    return replace(base, abroad=draw(st.booleans()), whereabouts_unknown=draw(st.booleans()))


@st.composite
def attempts(draw: st.DrawFn) -> Attempt:
    """A good attempt with one field made arbitrary, or every field arbitrary."""
    if draw(st.integers(0, 2)):
        return _one_field(draw, draw(st.sampled_from(GOOD)))
    return Attempt(
        method=draw(st.sampled_from(ServiceMethod)),
        outcome=draw(st.sampled_from(Outcome)),
        attempt_date=draw(ANY_DAY),
        result_date=draw(st.one_of(st.none(), ANY_DAY)),
        sent_at=draw(st.one_of(st.none(), MOMENTS)),
        returned_reason=draw(st.one_of(st.none(), st.sampled_from(ReturnReason))),
        abroad=draw(st.booleans()),
        whereabouts_unknown=draw(st.booleans()),
        **{f: draw(st.one_of(st.just(""), TEXT)) for f in TEXT_FIELDS},
    )


def stored_as(attempt: Attempt) -> Attempt:
    """What the desk stores: the text trimmed, the waybill in capitals."""
    texts = {f: getattr(attempt, f).strip() for f in TEXT_FIELDS}
    return replace(attempt, **{**texts, "waybill": texts["waybill"].upper()})


def assert_names_a_field(error: CourtdeskError, fields: set[str]) -> None:
    """A refusal of a form's input says which fields are wrong (the GUI marks them)."""
    assert isinstance(error, ValidationError), error
    assert error.problems and all(p.field for p in error.problems), error.problems
    assert {p.field for p in error.problems} <= fields, error.problems
    event("refused: " + ", ".join(sorted({p.field for p in error.problems})))


def first_task(court: Court) -> svc.TaskDetail:
    case = court.case()
    (task_id,) = court.service.db.query(
        "SELECT min(id) FROM service_tasks WHERE case_id = ?", (case.id,)
    )[0]
    return svc.get_task(court.service, int(task_id))


ATTEMPT_FIELDS = {*TEXT_FIELDS, "method", "outcome", "attempt_date", "result_date", "sent_at"}
ATTEMPT_FIELDS |= {"returned_reason", "task"}


@MANY
@given(attempts())
def test_recording_any_attempt_stores_it_faithfully_or_stores_nothing(
    court: Court, attempt: Attempt
) -> None:
    task = first_task(court)
    before = audit_rows(court.path), count(court.path, "service_attempts")
    result = accepted_or_refused(
        lambda: svc.record_attempt(
            court.service, AttemptEntry(task.id, task.version, attempt), today=TODAY
        )
    )
    if isinstance(result, CourtdeskError):
        assert_names_a_field(result, ATTEMPT_FIELDS)
        assert (audit_rows(court.path), count(court.path, "service_attempts")) == before
        assert svc.get_task(court.service, task.id) == task
        return
    event("accepted")
    (view,) = svc.get_task(court.service, task.id).attempts
    assert view.attempt == stored_as(attempt)
    assert count(court.path, "service_attempts") == before[1] + 1
    view.summary()  # what the desk lists: no error either
    result.to_dict()


@FEW
@given(attempts(), st.booleans())
def test_a_batch_with_any_attempt_in_it_is_recorded_whole_or_not_at_all(
    court: Court, attempt: Attempt, bad_first: bool
) -> None:
    good, other = first_task(court), first_task(court)
    entries = [
        AttemptEntry(good.id, good.version, GOOD[0]),
        AttemptEntry(other.id, other.version, attempt),
    ]
    if bad_first:
        entries.reverse()
    before = audit_rows(court.path), count(court.path, "service_attempts")
    result = accepted_or_refused(lambda: svc.record_batch(court.service, entries, today=TODAY))
    if isinstance(result, CourtdeskError):
        assert isinstance(result, ValidationError)
        assert (audit_rows(court.path), count(court.path, "service_attempts")) == before
        assert svc.get_task(court.service, good.id) == good
        return
    event("accepted")
    assert result == 2
    assert svc.get_task(court.service, other.id).attempts[0].attempt == stored_as(attempt)


@FEW
@given(TEXT)
def test_withdrawing_a_task_for_any_reason_keeps_it_or_changes_nothing(
    court: Court, reason: str
) -> None:
    task = first_task(court)
    before = audit_rows(court.path)
    result = accepted_or_refused(lambda: svc.withdraw(court.service, task.id, task.version, reason))
    if isinstance(result, CourtdeskError):
        assert_names_a_field(result, {"reason"})
        assert audit_rows(court.path) == before
        assert svc.get_task(court.service, task.id) == task
        return
    event("accepted")
    assert result.withdrawn_reason == reason.strip()
    assert result.basis == f"已撤回：{reason.strip()}"


GOOD_CONFIRMATION = AddressConfirmation(
    "吉林省长春市南关区人民大街1号",
    TODAY,
    "130000",
    "赵某",
    "13912345678",
    electronic_consent=True,
    electronic_address="zhao@example.com",
)
CONFIRMATION_FIELDS = {
    "address": TEXT,
    "confirmed_on": ANY_DAY,
    "postcode": st.one_of(st.from_regex(r"[0-9]{6}", fullmatch=True), TEXT),
    "recipient": TEXT,
    "phone": PHONES,
    "electronic_consent": st.booleans(),
    "electronic_address": st.one_of(
        st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.emails(), TEXT
    ),
}
# A good confirmation with one field made arbitrary, or every field arbitrary.
CONFIRMATIONS = st.one_of(
    *(
        st.builds(lambda v, k=key: replace(GOOD_CONFIRMATION, **{k: v}), values)
        for key, values in CONFIRMATION_FIELDS.items()
    ),
    st.builds(AddressConfirmation, **CONFIRMATION_FIELDS),
)


@MANY
@given(CONFIRMATIONS)
def test_any_address_confirmation_is_stored_faithfully_or_not_at_all(
    court: Court, confirmation: AddressConfirmation
) -> None:
    task = first_task(court)
    assert task.party_id is not None
    before = audit_rows(court.path), count(court.path, "service_addresses")
    result = accepted_or_refused(
        lambda: svc.confirm_address(court.clerk, task.party_id or 0, confirmation, today=TODAY)
    )
    if isinstance(result, CourtdeskError):
        assert_names_a_field(
            result,
            {"address", "postcode", "recipient", "phone", "electronic_address", "confirmed_on"},
        )
        assert (audit_rows(court.path), count(court.path, "service_addresses")) == before
        assert svc.get_task(court.service, task.id) == task
        return
    event("accepted")
    assert result.address == confirmation.address.replace("\u3000", " ").strip()
    assert result.postcode == confirmation.postcode.strip()
    assert result.recipient == confirmation.recipient.strip()
    assert result.phone == confirmation.phone.strip()
    assert result.electronic_consent == confirmation.electronic_consent
    if confirmation.electronic_consent:
        assert result.electronic_address == confirmation.electronic_address.strip()
    assert result.confirmed_on == confirmation.confirmed_on.isoformat()
    # The task not yet attempted now goes to the confirmed address.
    assert svc.get_task(court.service, task.id).address == result.address


@FEW
@given(
    TEXT,
    st.one_of(st.integers(min_value=-5, max_value=120), st.integers()),
    st.one_of(st.none(), ANY_DAY),
    st.sampled_from(DocumentKind),
)
def test_handing_over_any_document_makes_its_tasks_or_none(
    court: Court, title: str, copies: int, due: date | None, document: DocumentKind
) -> None:
    case = court.case()
    party = case.parties[0].id
    before = audit_rows(court.path), count(court.path, "service_tasks")
    request = TaskRequest(case.id, document, (party,), (), title, copies, due)
    result = accepted_or_refused(lambda: svc.request_service(court.clerk, request, today=TODAY))
    if isinstance(result, CourtdeskError):
        assert_names_a_field(result, {"title", "copies", "due_date", "recipients"})
        assert (audit_rows(court.path), count(court.path, "service_tasks")) == before
        return
    event("accepted")
    (task_id,) = result
    task = svc.get_task(court.service, task_id)
    assert task.title == (title.strip() or document.label)
    assert task.copies == copies
    assert task.document is document
    assert task.due_date == (due or svc.default_due_date(court.clerk, TODAY))
