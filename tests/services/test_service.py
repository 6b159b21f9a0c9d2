"""Service of process through the real services on a real demo database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from courtdesk.domain.parties import AgentDraft, PartyDraft, PartyKind
from courtdesk.domain.service import (
    AddressConfirmation,
    Attempt,
    DocumentKind,
    Outcome,
    ReturnReason,
    ServiceMethod,
    TaskState,
    receipt_code,
)
from courtdesk.errors import (
    NotFoundError,
    PermissionDeniedError,
    StaleRecordError,
    ValidationError,
)
from courtdesk.services import cases, events, holidays
from courtdesk.services import service as svc
from courtdesk.services import service_documents as documents
from courtdesk.services.cases import CaseDetail, CaseDraft
from courtdesk.services.service import AttemptEntry, TaskFilter, TaskRequest
from courtdesk.services.service_events import hearing_title
from courtdesk.services.workspace import Workspace, open_workspace
from tests.notices.helpers import pdf_text

TODAY = date(2026, 11, 20)
M, R = ServiceMethod, Outcome


def civil_case(procedure: str = "civil_ordinary", filed: date = date(2026, 11, 18)) -> CaseDraft:
    return CaseDraft(
        "民初",
        procedure,
        "民间借贷纠纷",
        filed,
        (
            PartyDraft(
                "原告", "张三", address="吉林省长春市南关区人民大街1号", phone="13912345678"
            ),
            PartyDraft(
                "被告",
                "李四",
                address="吉林省长春市朝阳区西安大路2号",
                agents=(AgentDraft("王律师", "律师", "吉林某某律师事务所"),),
            ),
            PartyDraft(
                "被告",
                "长春某某商贸有限公司",
                kind=PartyKind.ORGANISATION,
                address="吉林省长春市绿园区青年路3号",
                legal_representative="赵六",
            ),
        ),
        Decimal(50000),
    )


@pytest.fixture
def service_ws(demo_path: Path) -> Iterator[Workspace]:
    with sqlite3.connect(demo_path) as conn:
        name = conn.execute(
            "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id"
            " WHERE r.role = 'service' ORDER BY u.id LIMIT 1"
        ).fetchone()[0]
    ws = open_workspace(demo_path, name)
    yield ws
    ws.close()


def tasks_of(ws: Workspace, case_id: int) -> list[svc.TaskDetail]:
    ids = [
        r[0]
        for r in ws.db.query(
            "SELECT id FROM service_tasks WHERE case_id = ? ORDER BY id", (case_id,)
        )
    ]
    return [svc.get_task(ws, i) for i in ids]


def task_for(
    ws: Workspace, case: CaseDetail, recipient: str, document: DocumentKind
) -> svc.TaskDetail:
    matches = [
        t
        for t in tasks_of(ws, case.id)
        if t.recipient_name == recipient and t.document is document and t.state.is_open
    ]
    assert len(matches) == 1, matches
    return matches[0]


def record(
    ws: Workspace, task: svc.TaskDetail, attempt: Attempt, completes: int | None = None
) -> svc.TaskDetail:
    return svc.record_attempt(
        ws, AttemptEntry(task.id, task.version, attempt, completes), today=TODAY
    )


# ---------------------------------------------------------------------- creation
def test_registration_creates_the_documents_for_each_party(
    registrar: Workspace, service_ws: Workspace
) -> None:
    case = cases.register_case(registrar, civil_case())
    made = tasks_of(service_ws, case.id)
    by_recipient: dict[str, list[str]] = {}
    for task in made:
        by_recipient.setdefault(task.recipient_name, []).append(task.document.label)
        assert task.state is TaskState.PENDING and task.origin == "registration"
        assert task.due_date == date(2026, 11, 23)  # five days from filing (民诉法 §128)
        assert task.code == receipt_code(task.id)
    assert by_recipient == {
        "张三": ["受理通知书", "举证通知书"],
        "李四": ["起诉状副本", "应诉通知书", "举证通知书"],
        "长春某某商贸有限公司": ["起诉状副本", "应诉通知书", "举证通知书"],
    }
    with sqlite3.connect(registrar.path) as conn:
        audited = conn.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'service.task.create' AND case_id = ?",
            (case.id,),
        ).fetchone()[0]
    assert audited == len(made) == 8


def test_criminal_and_enforcement_registration(registrar: Workspace, service_ws: Workspace) -> None:
    criminal = cases.register_case(
        registrar,
        CaseDraft(
            "刑初",
            "criminal_public",
            "盗窃罪",
            TODAY,
            (
                PartyDraft("公诉机关", "长春新区人民检察院", kind=PartyKind.ORGANISATION),
                PartyDraft("被告人", "孙七", address="长春市看守所"),
            ),
        ),
    )
    assert [(t.recipient_name, t.document) for t in tasks_of(service_ws, criminal.id)] == [
        ("孙七", DocumentKind.INDICTMENT_COPY)
    ]
    enforcement = cases.register_case(
        registrar,
        CaseDraft(
            "执",
            "enforcement",
            "民间借贷纠纷",
            TODAY,
            (
                PartyDraft("申请执行人", "张三", address="长春市一号"),
                PartyDraft("被执行人", "李四", address="长春市二号"),
            ),
            Decimal(1000),
        ),
    )
    assert [t.document.label for t in tasks_of(service_ws, enforcement.id)] == [
        "受理通知书",
        "执行通知书",
        "报告财产令",
    ]


def test_a_document_handed_over_by_hand(registrar: Workspace, service_ws: Workspace) -> None:
    case = cases.register_case(registrar, civil_case())
    detail = cases.get_case(registrar, case.id)
    defendants = tuple(p.id for p in detail.parties if p.role == "被告")
    agent = detail.parties[1].agents[0].id
    ids = svc.request_service(
        registrar,
        TaskRequest(
            case.id,
            DocumentKind.JUDGMENT,
            defendants,
            (agent,),
            title="民事判决书",
            copies=2,
        ),
        today=TODAY,
    )
    made = [svc.get_task(service_ws, i) for i in ids]
    assert [t.recipient_name for t in made] == ["李四", "长春某某商贸有限公司", "王律师"]
    assert all(t.due_date == TODAY + timedelta(days=10) and t.copies == 2 for t in made)
    assert made[2].address == "吉林某某律师事务所" and "代理人" in made[2].recipient_role
    with pytest.raises(ValidationError, match="至少选择一位受送达人"):
        svc.request_service(registrar, TaskRequest(case.id, DocumentKind.RULING), today=TODAY)
    with pytest.raises(ValidationError, match="不属于本案"):
        svc.request_service(registrar, TaskRequest(case.id, DocumentKind.RULING, (1,)), today=TODAY)


# ---------------------------------------------------------------------- 送达地址确认书
def test_a_confirmed_address_is_reused_for_later_documents(
    registrar: Workspace, service_ws: Workspace
) -> None:
    case = cases.register_case(registrar, civil_case())
    defendant = cases.get_case(registrar, case.id).parties[1]
    confirmation = AddressConfirmation(
        "吉林省长春市宽城区北京大街9号",
        TODAY,
        "130000",
        electronic_consent=True,
        electronic_address="13800000000",
    )
    view = svc.confirm_address(registrar, defendant.id, confirmation, today=TODAY)
    assert view.electronic_consent and view.version == 1
    # Tasks nobody has tried yet move to the confirmed address.
    for task in tasks_of(service_ws, case.id):
        if task.recipient_name == "李四":
            assert task.address == "吉林省长春市宽城区北京大街9号"
            assert task.address_confirmed and task.electronic_consent
    # And later documents use it.
    (judgment,) = svc.request_service(
        registrar, TaskRequest(case.id, DocumentKind.JUDGMENT, (defendant.id,)), today=TODAY
    )
    assert svc.get_task(service_ws, judgment).address == "吉林省长春市宽城区北京大街9号"
    # A correction names the version it was based on; a stale one is refused.
    corrected = svc.confirm_address(
        registrar, defendant.id, replace(confirmation, postcode="130001"), 1, today=TODAY
    )
    assert corrected.version == 2
    with pytest.raises(StaleRecordError, match="已被"):
        svc.confirm_address(registrar, defendant.id, confirmation, 1, today=TODAY)
    with pytest.raises(ValidationError, match="手机号码或电子邮箱"):
        svc.confirm_address(
            registrar, defendant.id, replace(confirmation, electronic_address=""), 2, today=TODAY
        )


# ---------------------------------------------------------------------- attempts
def test_direct_service_serves_the_task(registrar: Workspace, service_ws: Workspace) -> None:
    case = cases.register_case(registrar, civil_case())
    task = task_for(service_ws, case, "李四", DocumentKind.COMPLAINT_COPY)
    done = record(
        service_ws,
        task,
        Attempt(M.DIRECT, R.DELIVERED, TODAY, receiver_name="李四", receiver_relation="本人"),
    )
    assert done.state is TaskState.SERVED and done.service_date == TODAY
    assert done.method is M.DIRECT and "签收" in done.basis
    assert done.attempts[0].staff_name == service_ws.actor.display_name
    # Once served, a task takes no more attempts.
    with pytest.raises(ValidationError, match="无需再送达"):
        record(service_ws, done, Attempt(M.DIRECT, R.NOT_FOUND, TODAY))
    # And nobody may record over a version they did not see.
    with pytest.raises(StaleRecordError):
        record(service_ws, task, Attempt(M.DIRECT, R.NOT_FOUND, TODAY))


def test_post_then_its_return_receipt(registrar: Workspace, service_ws: Workspace) -> None:
    case = cases.register_case(registrar, civil_case())
    task = task_for(service_ws, case, "李四", DocumentKind.RESPONSE_NOTICE)
    posted = record(
        service_ws,
        task,
        Attempt(M.COURT_EXPRESS, R.IN_TRANSIT, date(2026, 11, 18), waybill=" 1187654321098 "),
    )
    assert posted.state is TaskState.IN_PROGRESS
    pending = posted.pending_attempt
    assert pending is not None and pending.attempt.waybill == "1187654321098"
    # The return: the posting date stays, the date signed on the receipt is the service date.
    back = replace(pending.attempt, outcome=R.DELIVERED, result_date=TODAY, receiver_name="李四")
    with pytest.raises(ValidationError, match="按原送达方式"):
        record(service_ws, posted, replace(back, method=M.POST), completes=pending.id)
    served = record(service_ws, posted, back, completes=pending.id)
    assert served.state is TaskState.SERVED and served.service_date == TODAY
    assert len(served.attempts) == 1 and served.attempts[0].attempt.attempt_date == date(
        2026, 11, 18
    )


def test_refused_post_counts_as_served(registrar: Workspace, service_ws: Workspace) -> None:
    case = cases.register_case(registrar, civil_case())
    task = task_for(service_ws, case, "李四", DocumentKind.EVIDENCE_NOTICE)
    served = record(
        service_ws,
        task,
        Attempt(M.POST, R.REFUSED, date(2026, 11, 18), result_date=TODAY, waybill="XA123456789CN"),
    )
    assert served.state is TaskState.SERVED and "拒绝签收" in served.basis


def test_the_refusals_reach_the_user(registrar: Workspace, service_ws: Workspace) -> None:
    case = cases.register_case(registrar, civil_case("civil_summary"))
    task = task_for(service_ws, case, "李四", DocumentKind.COMPLAINT_COPY)
    with pytest.raises(ValidationError, match="未同意电子送达") as caught:
        record(
            service_ws,
            task,
            Attempt(
                M.ELECTRONIC,
                R.DELIVERED,
                TODAY,
                sent_at=datetime(2026, 11, 20, 9, 0),
                channel="手机短信",
            ),
        )
    assert caught.value.problems[0].field == "method"
    failed = record(service_ws, task, Attempt(M.DIRECT, R.NOT_FOUND, date(2026, 11, 19)))
    assert failed.state is TaskState.FAILED
    with pytest.raises(ValidationError, match="简易程序"):
        record(
            service_ws,
            failed,
            Attempt(M.PUBLIC_NOTICE, R.PUBLISHED, TODAY, posted_where="人民法院公告网"),
        )
    mediation = svc.request_service(
        registrar,
        TaskRequest(case.id, DocumentKind.MEDIATION, (failed.party_id or 0,)),
        today=TODAY,
    )[0]
    with pytest.raises(ValidationError, match="调解书不得留置送达"):
        record(
            service_ws,
            svc.get_task(service_ws, mediation),
            Attempt(M.LEFT, R.DELIVERED, TODAY, witnesses="王五"),
        )
    # Nothing was stored by the refused attempts.
    assert [len(t.attempts) for t in tasks_of(service_ws, case.id) if t.id == task.id] == [1]


def test_public_notice_then_served_after_thirty_days(
    registrar: Workspace, service_ws: Workspace
) -> None:
    case = cases.register_case(registrar, civil_case())
    task = task_for(service_ws, case, "李四", DocumentKind.COMPLAINT_COPY)
    failed = record(service_ws, task, Attempt(M.DIRECT, R.NOT_FOUND, date(2026, 10, 1)))
    published = svc.record_attempt(
        service_ws,
        AttemptEntry(
            failed.id,
            failed.version,
            Attempt(
                M.PUBLIC_NOTICE, R.PUBLISHED, date(2026, 10, 20), posted_where="人民法院公告网"
            ),
        ),
        today=date(2026, 11, 10),
    )
    assert published.state is TaskState.PUBLIC_NOTICE
    assert published.service_date == date(2026, 11, 19)
    # The period ran out yesterday: the desk settles it before reading.
    assert svc.settle_public_notices(service_ws, TODAY) == [task.id]
    settled = svc.get_task(service_ws, task.id)
    assert settled.state is TaskState.SERVED and settled.service_date == date(2026, 11, 19)
    assert svc.settle_public_notices(service_ws, TODAY) == []


def test_entering_a_years_holidays_moves_a_running_public_notice(
    registrar: Workspace, service_ws: Workspace, system_ws: Workspace
) -> None:
    """A 公告 ending in a year the calendar does not know is counted by weekends and says
    so; once the court enters that year, the task's stored service date and basis move."""
    case = cases.register_case(registrar, civil_case())
    task = task_for(service_ws, case, "李四", DocumentKind.COMPLAINT_COPY)
    failed = record(service_ws, task, Attempt(M.DIRECT, R.NOT_FOUND, date(2026, 11, 19)))
    notice = Attempt(M.PUBLIC_NOTICE, R.PUBLISHED, date(2026, 12, 2), posted_where="人民法院公告网")
    published = svc.record_attempt(
        service_ws, AttemptEntry(failed.id, failed.version, notice), today=date(2026, 12, 2)
    )
    assert published.service_date == date(2027, 1, 1)
    assert "2027 年的法定节假日尚未录入" in published.basis
    untouched = task_for(service_ws, case, "张三", DocumentKind.ACCEPTANCE_NOTICE)
    new_year = [(date(2027, 1, d), False, "元旦") for d in (1, 2, 3)]
    holidays.enter_year(system_ws, 2027, new_year)
    moved = svc.get_task(service_ws, task.id)
    assert moved.service_date == date(2027, 1, 4) and "顺延至 2027-01-04" in moved.basis
    assert "尚未录入" not in moved.basis
    listed = {t.id: t for p in svc.case_service(registrar, case.id) for t in p.tasks}
    assert listed[task.id].basis == moved.basis
    assert listed[task.id].service_date == "2027-01-04"
    # Tasks no 公告 touched are not rewritten.
    assert svc.get_task(service_ws, untouched.id).version == untouched.version


def test_only_the_centre_records_attempts(registrar: Workspace, service_ws: Workspace) -> None:
    case = cases.register_case(registrar, civil_case())
    task = task_for(service_ws, case, "李四", DocumentKind.COMPLAINT_COPY)
    with pytest.raises(PermissionDeniedError, match="办理送达"):
        record(registrar, task, Attempt(M.DIRECT, R.NOT_FOUND, TODAY))


def test_a_batch_is_all_or_nothing(registrar: Workspace, service_ws: Workspace) -> None:
    case = cases.register_case(registrar, civil_case())
    made = tasks_of(service_ws, case.id)
    good = [
        AttemptEntry(
            t.id, t.version, Attempt(M.COURT_EXPRESS, R.IN_TRANSIT, TODAY, waybill=f"11{t.id:011d}")
        )
        for t in made[:3]
    ]
    bad = AttemptEntry(made[3].id, made[3].version, Attempt(M.COURT_EXPRESS, R.IN_TRANSIT, TODAY))
    with pytest.raises(ValidationError) as caught:
        svc.record_batch(service_ws, [*good, bad], today=TODAY)
    assert caught.value.problems[0].message.startswith(made[3].code)
    assert all(not t.attempts for t in tasks_of(service_ws, case.id))
    assert svc.record_batch(service_ws, good, today=TODAY) == 3
    states = [t.state for t in tasks_of(service_ws, case.id)]
    assert states[:3] == [TaskState.IN_PROGRESS] * 3 and states[3] is TaskState.PENDING


def test_assigning_and_the_desk_queries(registrar: Workspace, service_ws: Workspace) -> None:
    case = cases.register_case(registrar, civil_case())
    made = tasks_of(service_ws, case.id)
    staff_id = service_ws.actor.user_id
    assert svc.assign(service_ws, [t.id for t in made[:5]], staff_id) == 5
    assert svc.assign(service_ws, [t.id for t in made[:5]], staff_id) == 0
    mine = TaskFilter(case_id=case.id, assignee_id=staff_id)
    assert svc.desk_count(service_ws, mine) == 5
    unassigned = TaskFilter(case_id=case.id, unassigned=True)
    assert svc.desk_count(service_ws, unassigned) == 3
    rows = svc.desk_page(
        service_ws, TaskFilter(case_id=case.id), svc.TaskSort.CREATED, False, 0, 50
    )
    assert [r.id for r in rows] == [t.id for t in made]
    assert rows[0].assignee_name == service_ws.actor.display_name
    counts = svc.desk_state_counts(service_ws, TaskFilter(case_id=case.id, states=("served",)))
    assert counts[TaskState.PENDING] == 8
    with pytest.raises(PermissionDeniedError):
        svc.assign(registrar, [made[0].id], None)


def test_scanning_a_code_finds_its_task(registrar: Workspace, service_ws: Workspace) -> None:
    case = cases.register_case(registrar, civil_case())
    task = tasks_of(service_ws, case.id)[0]
    assert svc.find_by_code(service_ws, f" {task.code.lower()}\n").id == task.id
    with pytest.raises(ValidationError, match="校验位"):
        svc.find_by_code(service_ws, task.code[:-1] + str((int(task.code[-1]) + 1) % 10))
    with pytest.raises(NotFoundError, match="不存在"):
        svc.find_by_code(service_ws, receipt_code(99_999_999))


DIRECT_TO_ZHANG = Attempt(
    M.DIRECT, R.DELIVERED, TODAY, receiver_name="张三", receiver_relation="本人"
)


def test_the_case_overview_party_by_party(registrar: Workspace, service_ws: Workspace) -> None:
    case = cases.register_case(registrar, civil_case())
    task = task_for(service_ws, case, "李四", DocumentKind.COMPLAINT_COPY)
    record(
        service_ws,
        task,
        Attempt(M.DIRECT, R.DELIVERED, TODAY, receiver_name="李四", receiver_relation="本人"),
    )
    overview = svc.case_service(registrar, case.id)
    assert [p.name for p in overview] == ["张三", "李四", "长春某某商贸有限公司"]
    li = overview[1]
    assert li.served == 1 and li.open == 2
    assert li.tasks[0].method == "直接送达" and li.tasks[0].service_date == TODAY.isoformat()
    assert "签收人 李四（本人）" in li.tasks[0].last_attempt
    # Each task is listed with its stored basis and its latest attempt, the way its own
    # page shows them; the earlier attempts are not listed.
    zhang = task_for(service_ws, case, "张三", DocumentKind.ACCEPTANCE_NOTICE)
    returned = Attempt(
        M.POST,
        R.RETURNED,
        date(2026, 11, 18),
        result_date=date(2026, 11, 19),
        returned_reason=ReturnReason.MOVED,
        waybill="1178404940779",
    )
    zhang = record(service_ws, record(service_ws, zhang, returned), DIRECT_TO_ZHANG)
    listed = svc.case_service(registrar, case.id)[0].tasks
    (shown,) = [t for t in listed if t.id == zhang.id]
    assert len(zhang.attempts) == 2
    assert shown.last_attempt == zhang.attempts[-1].summary()
    assert shown.last_attempt.startswith(f"{TODAY.isoformat()}，直接送达")
    assert shown.basis == zhang.basis and "签收" in shown.basis
    assert shown.code == zhang.code and shown.state is TaskState.SERVED
    untried = [t for t in listed if t.id != zhang.id]
    assert untried and all(t.last_attempt == "" and t.basis == "尚未送达" for t in untried)


def test_withdrawing_keeps_history(registrar: Workspace, service_ws: Workspace) -> None:
    case = cases.register_case(registrar, civil_case())
    task = task_for(service_ws, case, "李四", DocumentKind.COMPLAINT_COPY)
    with pytest.raises(ValidationError, match="撤回原因"):
        svc.withdraw(service_ws, task.id, task.version, " ")
    gone = svc.withdraw(service_ws, task.id, task.version, "原告撤诉")
    assert gone.state is TaskState.WITHDRAWN and gone.withdrawn_reason == "原告撤诉"
    with pytest.raises(ValidationError, match="已撤回"):
        record(service_ws, gone, Attempt(M.DIRECT, R.NOT_FOUND, TODAY))


def test_figures(registrar: Workspace, service_ws: Workspace) -> None:
    case = cases.register_case(registrar, civil_case())
    made = tasks_of(service_ws, case.id)
    before = svc.figures(service_ws, today=TODAY)
    record(
        service_ws,
        made[0],
        Attempt(M.DIRECT, R.DELIVERED, TODAY, receiver_name="张三", receiver_relation="本人"),
    )
    record(service_ws, made[1], Attempt(M.DIRECT, R.NOT_FOUND, TODAY))
    after = svc.figures(service_ws, today=TODAY)
    direct_before = next(m for m in before.by_method if m.method == "直接送达")
    direct_after = next(m for m in after.by_method if m.method == "直接送达")
    assert direct_after.attempts == direct_before.attempts + 2
    assert direct_after.served == direct_before.served + 1
    assert after.served_tasks == before.served_tasks + 1
    assert after.need_public_notice == before.need_public_notice + 1
    assert after.total == before.total
    overdue = svc.figures(service_ws, today=date(2026, 11, 24))
    assert overdue.overdue >= 6  # the case's open tasks were due on 23 November


# ---------------------------------------------------------------------- hearings
HEARING = 910_001


def publish(ws: Workspace, name: str, **payload: object) -> None:
    with ws.db.transaction() as conn:
        events.publish(conn, ws.actor, name, **payload)


def schedule(ws: Workspace, case_id: int, start: datetime, place: str, kind: str) -> None:
    """Announce a two-hour hearing of the case, as scheduling does."""
    publish(
        ws,
        "hearing.scheduled",
        hearing_id=HEARING,
        case_id=case_id,
        start=start,
        end=start + timedelta(hours=2),
        place=place,
        kind=kind,
    )


def test_the_receipt_names_a_summons_as_court_documents_write_a_hearing(
    registrar: Workspace, service_ws: Workspace
) -> None:
    """送达文书名称 reads 传票（2026年12月21日上午8时30分在第三法庭开庭）, not 2026-12-21 08:30."""
    case = cases.register_case(registrar, civil_case())
    schedule(registrar, case.id, datetime(2026, 12, 21, 8, 30), "第三法庭", "trial")
    summons = next(t for t in tasks_of(service_ws, case.id) if t.hearing_id == HEARING)
    assert summons.title == "传票（2026年12月21日上午8时30分在第三法庭开庭）"
    text = pdf_text(documents.receipts(service_ws, [summons.id]).pdf)
    assert "送达文书名称及件数传票（2026年12月21日上午8时30分在第三法庭开庭）1份" in text
    assert "2026-12-21" not in text and "08:30" not in text
    # Afternoon, another kind of hearing, no courtroom yet.
    afternoon = datetime(2026, 12, 1, 14, 5)
    assert (
        hearing_title(DocumentKind.SUMMONS, afternoon, "", "pronouncement")
        == "传票（2026年12月1日下午2时05分宣判）"
    )


def test_hearing_events_create_rewrite_and_withdraw_summonses(
    registrar: Workspace, service_ws: Workspace
) -> None:
    case = cases.register_case(registrar, civil_case())
    start = datetime(2026, 12, 10, 9, 0)
    schedule(registrar, case.id, start, "第一法庭", "开庭")
    hearing = [t for t in tasks_of(service_ws, case.id) if t.hearing_id == HEARING]
    assert [(t.recipient_name, t.document.label, t.blocks_hearing) for t in hearing] == [
        ("张三", "传票", True),
        ("李四", "传票", True),
        ("长春某某商贸有限公司", "传票", True),
        ("王律师", "出庭通知书", False),
    ]
    assert all(t.due_date == date(2026, 12, 7) for t in hearing)
    assert hearing[0].title == "传票（2026年12月10日上午9时00分在第一法庭开庭）"
    # One summons is served, one is in the post, two untouched.
    record(
        service_ws,
        hearing[0],
        Attempt(M.DIRECT, R.DELIVERED, TODAY, receiver_name="张三", receiver_relation="本人"),
    )
    record(
        service_ws,
        hearing[1],
        Attempt(M.COURT_EXPRESS, R.IN_TRANSIT, TODAY, waybill="1180000000001"),
    )
    new_start = datetime(2026, 12, 15, 14, 30)
    publish(
        registrar,
        "hearing.moved",
        hearing_id=HEARING,
        case_id=case.id,
        old_start=start,
        new_start=new_start,
        end=new_start + timedelta(hours=2),
        place="第二法庭",
        kind="开庭",
    )
    after = {t.id: t for t in tasks_of(service_ws, case.id) if t.hearing_id == HEARING}
    assert after[hearing[0].id].state is TaskState.SERVED  # history stays
    assert after[hearing[1].id].state is TaskState.WITHDRAWN
    assert "改为 2026-12-15 14:30" in after[hearing[1].id].withdrawn_reason
    assert after[hearing[2].id].title == "传票（2026年12月15日下午2时30分在第二法庭开庭）"
    assert after[hearing[2].id].due_date == date(2026, 12, 12)
    reissued = [t for t in after.values() if t.id > hearing[-1].id]
    assert sorted(t.recipient_name for t in reissued) == ["张三", "李四"]
    assert all(t.due_date == date(2026, 12, 12) and t.state is TaskState.PENDING for t in reissued)
    publish(registrar, "hearing.cancelled", hearing_id=HEARING, case_id=case.id, reason="原告撤诉")
    final = [t for t in tasks_of(service_ws, case.id) if t.hearing_id == HEARING]
    assert {t.state for t in final} == {TaskState.SERVED, TaskState.WITHDRAWN}
    assert sum(t.state is TaskState.SERVED for t in final) == 1
    assert any("原告撤诉" in t.withdrawn_reason for t in final)


def test_the_service_outlook_for_scheduling(registrar: Workspace, service_ws: Workspace) -> None:
    case = cases.register_case(registrar, civil_case("civil_summary"))
    detail = cases.get_case(registrar, case.id)
    plaintiff, _, company = detail.parties
    svc.confirm_address(
        registrar,
        plaintiff.id,
        AddressConfirmation(
            plaintiff.address, TODAY, electronic_consent=True, electronic_address="13912345678"
        ),
        today=TODAY,
    )
    svc.confirm_address(
        registrar, company.id, AddressConfirmation(company.address, TODAY), today=TODAY
    )
    task = task_for(service_ws, case, "李四", DocumentKind.COMPLAINT_COPY)
    record(service_ws, task, Attempt(M.DIRECT, R.NOT_FOUND, TODAY))
    with registrar.db.snapshot() as conn:
        answer = events.ask("service.outlook", conn, case.id, TODAY)
    assert answer is not None
    by_name = {o.party_name: o for o in answer}
    assert by_name["张三"].method == "电子送达" and by_name["张三"].earliest_service_date == TODAY
    assert by_name["长春某某商贸有限公司"].method == "法院专递"
    assert by_name["长春某某商贸有限公司"].earliest_service_date == date(2026, 11, 25)
    assert "已确认送达地址" in by_name["长春某某商贸有限公司"].reason
    assert by_name["李四"].method == "公告送达"
    assert "简易程序不得公告送达" in by_name["李四"].reason
    assert by_name["李四"].earliest_service_date == date(2026, 12, 21)


def test_returned_mail_from_a_confirmed_address_is_served(
    registrar: Workspace, service_ws: Workspace
) -> None:
    case = cases.register_case(registrar, civil_case())
    company = cases.get_case(registrar, case.id).parties[2]
    svc.confirm_address(
        registrar, company.id, AddressConfirmation(company.address, TODAY), today=TODAY
    )
    task = task_for(service_ws, case, "长春某某商贸有限公司", DocumentKind.COMPLAINT_COPY)
    assert task.address_confirmed
    done = record(
        service_ws,
        task,
        Attempt(
            M.COURT_EXPRESS,
            R.RETURNED,
            date(2026, 11, 18),
            result_date=TODAY,
            waybill="1180000000002",
            returned_reason=ReturnReason.MOVED,
        ),
    )
    assert done.state is TaskState.SERVED and done.service_date == TODAY
    other = task_for(service_ws, case, "李四", DocumentKind.COMPLAINT_COPY)
    failed = record(
        service_ws,
        other,
        Attempt(
            M.COURT_EXPRESS,
            R.RETURNED,
            date(2026, 11, 18),
            result_date=TODAY,
            waybill="1180000000003",
            returned_reason=ReturnReason.MOVED,
        ),
    )
    assert failed.state is TaskState.FAILED and "未经当事人确认" in failed.basis


# ---------------------------------------------------------------------- demo data
def test_demo_service_data_follows_the_rules(demo_path: Path) -> None:
    """Every generated task's state is what the domain derives from its attempts, each
    attempt passes the rules in the order it was made, and closed cases are fully served."""
    from tests.conftest import DEMO_AS_OF

    ws = open_workspace(demo_path)
    try:
        conn = ws.db.connection
        tasks = conn.execute(
            "SELECT t.*, c.procedure, c.status AS case_status, c.closed_date,"
            " a.electronic_consent FROM service_tasks t JOIN cases c ON c.id = t.case_id"
            " LEFT JOIN service_addresses a ON a.party_id = t.party_id ORDER BY t.id"
        ).fetchall()
        assert len(tasks) > 2 * 600
        attempts: dict[int, list[Attempt]] = {}
        for row in svc.store.attempt_rows(conn, [int(t["id"]) for t in tasks]):
            attempts.setdefault(int(row["task_id"]), []).append(svc.store.attempt_from_row(row))
        from courtdesk.domain.service import ServiceContext, check_attempt, derive_status

        calendar = holidays.calendar_for(conn)
        states = set()
        for task in tasks:
            done = attempts.get(int(task["id"]), [])
            status = derive_status(done, bool(task["address_confirmed"]), DEMO_AS_OF, calendar)
            assert task["state"] == status.state.value, dict(task)
            assert task["basis"] == status.basis, dict(task)
            assert task["method"] == (status.method.value if status.method else "")
            expected = status.service_date.isoformat() if status.service_date else None
            assert task["service_date"] == expected
            assert task["is_open"] == int(status.state.is_open)
            states.add(status.state)
            for n, attempt in enumerate(done):
                context = ServiceContext(
                    DocumentKind(task["document"]),
                    task["procedure"],
                    bool(task["electronic_consent"]),
                    bool(task["address_confirmed"]),
                    tuple(done[:n]),
                    DEMO_AS_OF,
                )
                assert check_attempt(attempt, context) == [], (dict(task), attempt)
                if attempt.method.is_postal and attempt.result_date is not None:
                    # A letter takes days: none is posted and back on one day (the demo
                    # once squeezed tries up to a closing day that way).
                    assert attempt.result_date > attempt.attempt_date, (dict(task), attempt)
            if task["case_status"] in ("closed", "archived"):
                assert status.state is TaskState.SERVED
                assert task["service_date"] <= task["closed_date"]
        # Work in several states, as a working centre has (the newest cases are still open).
        assert TaskState.SERVED in states and len(states) >= 3, states
    finally:
        ws.close()


# ---------------------------------------------------------------------- 立案 with confirmations
def test_confirmations_signed_at_filing_are_stored_and_used(
    registrar: Workspace, service_ws: Workspace
) -> None:
    draft = civil_case()
    plaintiff, defendant, company = draft.parties
    confirmed = replace(
        plaintiff,
        service_address=AddressConfirmation(
            "吉林省长春市南关区人民大街99号",
            date(2026, 11, 18),
            electronic_consent=True,
            electronic_address="13912345678",
        ),
    )
    case = cases.register_case(registrar, replace(draft, parties=(confirmed, defendant, company)))
    with sqlite3.connect(registrar.path) as conn:
        stored = conn.execute(
            "SELECT a.address, a.electronic_consent, a.electronic_address, a.confirmed_on"
            " FROM service_addresses a JOIN parties p ON p.id = a.party_id WHERE p.case_id = ?",
            (case.id,),
        ).fetchall()
    assert stored == [("吉林省长春市南关区人民大街99号", 1, "13912345678", "2026-11-18")]
    zhang = task_for(service_ws, case, "张三", DocumentKind.ACCEPTANCE_NOTICE)
    assert zhang.address == "吉林省长春市南关区人民大街99号" and zhang.address_confirmed
    assert zhang.electronic_consent
    # A consent without a usable e-mail or mobile refuses the whole registration.
    bad = replace(
        confirmed,
        service_address=AddressConfirmation(
            "长春市一号", date(2026, 11, 18), electronic_consent=True, electronic_address="微信"
        ),
    )
    with pytest.raises(ValidationError) as caught:
        cases.register_case(registrar, replace(draft, parties=(bad, defendant, company)))
    assert [p.field for p in caught.value.problems] == ["parties.0.service.electronic_address"]


def totals_match(path: Path) -> None:
    """The running totals the figures read equal a count of the rows themselves."""
    with sqlite3.connect(path) as conn:
        kept = conn.execute(
            "SELECT month, state, method, tasks, days FROM service_task_stats"
            " WHERE tasks <> 0 ORDER BY 1, 2, 3"
        ).fetchall()
        counted = conn.execute(
            "SELECT substr(created_on, 1, 7), state, method, count(*),"
            " coalesce(sum(CASE WHEN state = 'served' THEN"
            " CAST(julianday(service_date) - julianday(created_on) AS INTEGER) END), 0)"
            " FROM service_tasks GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        ).fetchall()
        assert kept == counted
        kept = conn.execute(
            "SELECT month, method, effect, attempts FROM service_attempt_stats"
            " WHERE attempts <> 0 ORDER BY 1, 2, 3"
        ).fetchall()
        counted = conn.execute(
            "SELECT substr(attempt_date, 1, 7), method, effect, count(*) FROM service_attempts"
            " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        ).fetchall()
        assert kept == counted


def test_the_figures_totals_follow_every_change(
    registrar: Workspace, service_ws: Workspace
) -> None:
    totals_match(registrar.path)  # the demo's bulk totals
    case = cases.register_case(registrar, civil_case())
    made = tasks_of(service_ws, case.id)
    record(
        service_ws, made[0], Attempt(M.COURT_EXPRESS, R.IN_TRANSIT, TODAY, waybill="1100000000077")
    )
    posted = svc.get_task(service_ws, made[0].id)
    assert posted.pending_attempt is not None
    back = replace(
        posted.pending_attempt.attempt, outcome=R.DELIVERED, result_date=TODAY, receiver_name="张三"
    )
    record(service_ws, posted, back, completes=posted.pending_attempt.id)
    record(service_ws, made[1], Attempt(M.DIRECT, R.NOT_FOUND, TODAY))
    svc.withdraw(service_ws, made[2].id, made[2].version, "原告撤诉")
    totals_match(registrar.path)
    figures = svc.figures(service_ws, since=date(2026, 11, 1), today=TODAY)
    assert dict(figures.by_state)["已撤回"] >= 1 and figures.served_tasks >= 1


def test_the_totals_migration_counts_existing_rows(demo_path: Path) -> None:
    from courtdesk.store.migrations import v0041_service_stats

    with sqlite3.connect(demo_path) as conn:
        conn.execute("DROP TABLE service_task_stats")
        conn.execute("DROP TABLE service_attempt_stats")
        conn.execute("DROP INDEX service_attempts_posted")
        conn.execute("CREATE INDEX service_attempts_day ON service_attempts(attempt_date, method)")
        v0041_service_stats.upgrade(conn)
        assert conn.execute("SELECT count(*) FROM service_task_stats").fetchone()[0] > 0
    totals_match(demo_path)


def test_the_basis_migration_derives_each_existing_tasks_basis(
    demo_path: Path, service_ws: Workspace
) -> None:
    """v77 gives every task the basis the rules derive from its attempts (a withdrawn one
    its reason, an untried one 尚未送达), in batches that do not split a task's attempts."""
    from courtdesk.domain.service import derive_status
    from courtdesk.store.migrations import v0077_task_basis

    task = svc.get_task(service_ws, int(service_ws.db.query(
        "SELECT id FROM service_tasks WHERE state = 'pending' ORDER BY id LIMIT 1")[0][0]))  # fmt: skip
    svc.withdraw(service_ws, task.id, task.version, "原告撤诉")
    service_ws.close()
    with sqlite3.connect(demo_path) as conn:
        conn.row_factory = sqlite3.Row
        conn.execute("DROP INDEX service_tasks_public_notice")
        conn.execute("ALTER TABLE service_tasks DROP COLUMN basis")
        original = v0077_task_basis.BATCH
        v0077_task_basis.BATCH = 7  # many batches, most ending inside a case's tasks
        try:
            v0077_task_basis.upgrade(conn)
        finally:
            v0077_task_basis.BATCH = original
        calendar = holidays.calendar_for(conn)
        attempts: dict[int, list[Attempt]] = {}
        for row in conn.execute("SELECT * FROM service_attempts ORDER BY task_id, id"):
            attempts.setdefault(row["task_id"], []).append(svc.store.attempt_from_row(row))
        kinds = set()
        for row in conn.execute("SELECT * FROM service_tasks"):
            if row["state"] == "withdrawn":
                expected = f"已撤回：{row['withdrawn_reason']}"
            else:
                made = attempts.get(row["id"], [])
                confirmed = bool(row["address_confirmed"])
                expected = derive_status(made, confirmed, date.today(), calendar).basis
            assert row["basis"] == expected, dict(row)
            kinds.add(expected.split("：")[0])
        assert {"尚未送达", "已撤回", "邮寄送达"} <= kinds, kinds


def test_closing_a_case_withdraws_what_need_not_be_served(
    registrar: Workspace, service_ws: Workspace
) -> None:
    case = cases.register_case(registrar, civil_case())
    served = task_for(service_ws, case, "李四", DocumentKind.COMPLAINT_COPY)
    record(
        service_ws,
        served,
        Attempt(M.DIRECT, R.DELIVERED, TODAY, receiver_name="李四", receiver_relation="本人"),
    )
    start = datetime(2026, 12, 10, 9, 0)
    publish(registrar, "hearing.scheduled", hearing_id=HEARING + 1, case_id=case.id, start=start,
            end=start + timedelta(hours=1), place="第一法庭", kind="trial")  # fmt: skip
    detail = cases.get_case(registrar, case.id)
    (judgment,) = svc.request_service(
        registrar, TaskRequest(case.id, DocumentKind.RULING, (detail.parties[0].id,)), today=TODAY
    )
    publish(registrar, "case.closed", case_id=case.id, closed_date=TODAY)
    states = {t.id: t for t in tasks_of(service_ws, case.id)}
    assert states[served.id].state is TaskState.SERVED
    assert states[judgment].state is TaskState.PENDING  # the ruling that closed it still goes out
    others = [t for t in states.values() if t.id not in (served.id, judgment)]
    assert others and {t.state for t in others} == {TaskState.WITHDRAWN}
    assert all("结案" in t.withdrawn_reason for t in others)
    assert any(t.origin == "hearing" for t in others)
    totals_match(registrar.path)
