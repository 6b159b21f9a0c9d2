"""Section 4's rules: each method, the service date, the refusals, receipts and outlook."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from courtdesk.domain.case_types import Category, default_catalog
from courtdesk.domain.holidays import CourtDay, HolidayCalendar
from courtdesk.domain.service import (
    AddressConfirmation,
    Attempt,
    DocumentKind,
    EffectKind,
    Outcome,
    ReturnReason,
    ServiceContext,
    ServiceMethod,
    TaskState,
    attempt_effect,
    check_attempt,
    check_confirmation,
    derive_status,
    earliest_service,
    hearing_document,
    hearing_due_date,
    parse_receipt_code,
    public_notice_end,
    receipt_code,
    registration_documents,
)

TODAY = date(2026, 11, 20)
M = ServiceMethod
R = Outcome


def ctx(**changes: object) -> ServiceContext:
    base = ServiceContext(
        document=DocumentKind.COMPLAINT_COPY,
        procedure="civil_ordinary",
        electronic_consent=False,
        address_confirmed=False,
        earlier=(),
        today=TODAY,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def fields(attempt: Attempt, context: ServiceContext | None = None) -> set[str]:
    return {p.field for p in check_attempt(attempt, context or ctx())}


def messages(attempt: Attempt, context: ServiceContext | None = None) -> str:
    return "；".join(p.message for p in check_attempt(attempt, context or ctx()))


DIRECT_OK = Attempt(
    M.DIRECT, R.DELIVERED, date(2026, 11, 18), receiver_name="张三", receiver_relation="本人"
)
POSTED = Attempt(M.COURT_EXPRESS, R.IN_TRANSIT, date(2026, 11, 10), waybill="1187654321098")
NOT_FOUND = Attempt(M.DIRECT, R.NOT_FOUND, date(2026, 11, 3))
NOTICE = Attempt(M.PUBLIC_NOTICE, R.PUBLISHED, date(2026, 9, 1), posted_where="人民法院公告网")


# ---------------------------------------------------------------------- 直接送达
def test_direct_service_needs_who_signed_and_their_relation() -> None:
    assert fields(DIRECT_OK) == set()
    assert fields(replace(DIRECT_OK, receiver_name="")) == {"receiver_name"}
    assert fields(replace(DIRECT_OK, receiver_relation="邻居")) == {"receiver_relation"}
    assert fields(replace(DIRECT_OK, receiver_name="", receiver_relation="同住成年家属")) == {
        "receiver_name"
    }
    # An unsuccessful visit needs neither.
    assert fields(replace(NOT_FOUND)) == set()
    effect = attempt_effect(DIRECT_OK, False)
    assert effect.kind is EffectKind.SERVED and effect.service_date == date(2026, 11, 18)
    assert attempt_effect(replace(DIRECT_OK, outcome=R.REFUSED), False).kind is EffectKind.FAILED


def test_dates_may_not_lie_in_the_future_or_before_posting() -> None:
    assert fields(replace(DIRECT_OK, attempt_date=date(2026, 11, 21))) == {"attempt_date"}
    back_early = replace(
        POSTED, outcome=R.DELIVERED, receiver_name="张三", result_date=date(2026, 11, 9)
    )
    assert fields(back_early) == {"result_date"}


# ---------------------------------------------------------------------- 留置送达
def test_leaving_at_the_address_needs_witnesses_or_a_record() -> None:
    left = Attempt(M.LEFT, R.DELIVERED, date(2026, 11, 19), witnesses="社区主任王五")
    assert fields(left) == set()
    assert fields(replace(left, witnesses="", record_media="执法记录仪视频 20261119-01")) == set()
    assert fields(replace(left, witnesses="")) == {"witnesses"}
    effect = attempt_effect(left, False)
    assert effect.kind is EffectKind.SERVED and effect.service_date == date(2026, 11, 19)


def test_a_mediation_document_may_not_be_left() -> None:
    left = Attempt(M.LEFT, R.DELIVERED, date(2026, 11, 19), witnesses="王五")
    refused = messages(left, ctx(document=DocumentKind.MEDIATION))
    assert "调解书不得留置送达" in refused and "第133条" in refused
    assert fields(left, ctx(document=DocumentKind.JUDGMENT)) == set()


# ---------------------------------------------------------------------- 电子送达
def test_electronic_service_only_with_consent() -> None:
    sent = Attempt(
        M.ELECTRONIC,
        R.DELIVERED,
        date(2026, 11, 19),
        sent_at=datetime(2026, 11, 19, 10, 5),
        channel="手机短信",
    )
    assert "未同意电子送达" in messages(sent)
    assert fields(sent, ctx(electronic_consent=True)) == set()
    assert fields(replace(sent, channel="", sent_at=None), ctx(electronic_consent=True)) == {
        "channel",
        "sent_at",
    }
    wrong_day = replace(sent, sent_at=datetime(2026, 11, 18, 23, 59))
    assert fields(wrong_day, ctx(electronic_consent=True)) == {"sent_at"}
    effect = attempt_effect(sent, False)
    assert effect.service_date == date(2026, 11, 19) and "到达" in effect.basis


# ---------------------------------------------------------------------- 邮寄 / 法院专递
def test_post_needs_a_waybill_and_the_receipt_date() -> None:
    assert fields(POSTED) == set()
    assert fields(replace(POSTED, waybill="")) == {"waybill"}
    signed = replace(
        POSTED, outcome=R.DELIVERED, result_date=date(2026, 11, 12), receiver_name="张三"
    )
    assert fields(signed) == set()
    assert fields(replace(signed, result_date=None, receiver_name="")) == {
        "result_date",
        "receiver_name",
    }
    returned = replace(POSTED, outcome=R.RETURNED, result_date=date(2026, 11, 14))
    assert fields(returned) == {"returned_reason"}
    # The posting date is not the service date: the date signed on the receipt is (§91).
    assert attempt_effect(signed, False).service_date == date(2026, 11, 12)
    assert attempt_effect(POSTED, False).kind is EffectKind.PENDING


def test_refusal_and_a_wrong_confirmed_address_count_as_served() -> None:
    for method in (M.POST, M.COURT_EXPRESS):
        posted = replace(POSTED, method=method)
        refused = replace(posted, outcome=R.REFUSED, result_date=date(2026, 11, 13))
        effect = attempt_effect(refused, False)
        assert effect.kind is EffectKind.SERVED and effect.service_date == date(2026, 11, 13)
        returned = replace(
            posted,
            outcome=R.RETURNED,
            result_date=date(2026, 11, 16),
            returned_reason=ReturnReason.ADDRESS_WRONG,
        )
        confirmed = attempt_effect(returned, True)
        assert confirmed.kind is EffectKind.SERVED
        assert confirmed.service_date == date(2026, 11, 16) and "确认的送达地址" in confirmed.basis
        # From an address the party never confirmed, a return is a failure.
        assert attempt_effect(returned, False).kind is EffectKind.FAILED
        # And a return for a reason that is not the party's is a failure either way.
        other = replace(returned, returned_reason=ReturnReason.OTHER)
        assert attempt_effect(other, True).kind is EffectKind.FAILED


def test_a_second_letter_waits_for_the_first_ones_receipt() -> None:
    again = replace(POSTED, waybill="1187654321099", attempt_date=date(2026, 11, 18))
    assert "尚未登记回执" in messages(again, ctx(earlier=(POSTED,)))


# ---------------------------------------------------------------------- 委托 / 转交
def test_entrusted_and_forwarded_service_name_the_other_court_or_unit() -> None:
    for method in (M.ENTRUSTED, M.FORWARDED):
        sent = Attempt(
            method, R.IN_TRANSIT, date(2026, 11, 2), other_agency="吉林省长春市朝阳区人民法院"
        )
        assert fields(sent) == set()
        assert fields(replace(sent, other_agency="")) == {"other_agency"}
        done = replace(sent, outcome=R.DELIVERED)
        assert fields(done) == {"result_date"}
        done = replace(done, result_date=date(2026, 11, 9))
        effect = attempt_effect(done, False)
        assert effect.kind is EffectKind.SERVED and effect.service_date == date(2026, 11, 9)
    wrong = Attempt(M.ENTRUSTED, R.RETURNED, date(2026, 11, 2), other_agency="某法院")
    assert "outcome" in fields(wrong)


# ---------------------------------------------------------------------- 公告送达
def test_public_notice_only_after_other_methods_failed_or_whereabouts_unknown() -> None:
    notice = replace(NOTICE, attempt_date=date(2026, 11, 19))
    refused = messages(notice)
    assert "下落不明" in refused and "第95条" in refused
    assert fields(notice, ctx(earlier=(NOT_FOUND,))) == set()
    assert fields(replace(notice, whereabouts_unknown=True)) == set()
    # A letter still in the post has not failed.
    assert "method" in fields(notice, ctx(earlier=(POSTED,)))
    assert fields(replace(notice, posted_where=""), ctx(earlier=(NOT_FOUND,))) == {"posted_where"}


def test_public_notice_is_refused_in_summary_procedure() -> None:
    notice = replace(NOTICE, attempt_date=date(2026, 11, 19), whereabouts_unknown=True)
    for procedure in ("civil_summary", "civil_small_claims"):
        refused = messages(notice, ctx(procedure=procedure))
        assert "简易程序" in refused and "第140条" in refused
    assert fields(notice, ctx(procedure="civil_ordinary")) == set()


def test_public_notice_is_deemed_served_after_30_days_60_abroad() -> None:
    calendar = HolidayCalendar()
    # 2026-10-20 + 30 days = 2026-11-19, a Thursday.
    assert public_notice_end(date(2026, 10, 20), False, calendar) == date(2026, 11, 19)
    # 2026-03-01 + 60 days = 2026-04-30, a Thursday.
    assert public_notice_end(date(2026, 3, 1), True, calendar) == date(2026, 4, 30)


def test_the_holiday_rule_where_a_public_notice_period_ends() -> None:
    # Day 30 after 2026-09-01 is 1 October: the National Day holiday runs to the 7th.
    assert public_notice_end(date(2026, 9, 1), False) == date(2026, 10, 8)
    # 60 days abroad from 2026-08-02 end on 1 October too.
    assert public_notice_end(date(2026, 8, 2), True) == date(2026, 10, 8)
    # Ending on a Saturday moves to Monday.
    assert public_notice_end(date(2026, 10, 22), False) == date(2026, 11, 23)


def test_a_running_public_notice_makes_the_task_public_notice_then_served() -> None:
    published = replace(NOTICE, attempt_date=date(2026, 11, 2))
    running = derive_status([NOT_FOUND, published], False, TODAY)
    assert running.state is TaskState.PUBLIC_NOTICE
    assert running.service_date == date(2026, 12, 2)
    done = derive_status([NOT_FOUND, published], False, date(2026, 12, 2))
    assert done.state is TaskState.SERVED and done.service_date == date(2026, 12, 2)
    assert "第95条" in done.basis
    abroad = derive_status([NOT_FOUND, replace(published, abroad=True)], False, date(2026, 12, 2))
    assert abroad.state is TaskState.PUBLIC_NOTICE and abroad.service_date == date(2027, 1, 1)
    assert "2027 年的法定节假日尚未录入" in abroad.basis
    # Once the court enters 2027's New Year holiday, the period moves past it.
    entered = HolidayCalendar(
        {date(2027, 1, d): CourtDay(False, "元旦") for d in (1, 2, 3)}, frozenset({2027})
    )
    abroad = derive_status(
        [NOT_FOUND, replace(published, abroad=True)], False, date(2026, 12, 2), entered
    )
    assert abroad.service_date == date(2027, 1, 4) and "顺延至 2027-01-04" in abroad.basis
    assert "尚未录入" not in abroad.basis
    # A second notice while one runs is refused.
    again = replace(NOTICE, attempt_date=date(2026, 11, 19))
    assert "公告期尚未届满" in messages(again, ctx(earlier=(NOT_FOUND, published)))


# ---------------------------------------------------------------------- the task's state
def test_state_follows_the_attempts() -> None:
    assert derive_status([], False, TODAY).state is TaskState.PENDING
    assert derive_status([POSTED], False, TODAY).state is TaskState.IN_PROGRESS
    assert derive_status([NOT_FOUND], False, TODAY).state is TaskState.FAILED
    served = derive_status([NOT_FOUND, DIRECT_OK], False, TODAY)
    assert served.state is TaskState.SERVED and served.method is M.DIRECT
    assert served.service_date == date(2026, 11, 18)


def test_the_earliest_legal_date_wins() -> None:
    # A notice published, then the person turns up and signs: served on the day they signed.
    published = replace(NOTICE, attempt_date=date(2026, 11, 2))
    signed = replace(DIRECT_OK, attempt_date=date(2026, 11, 10))
    status = derive_status([NOT_FOUND, published, signed], False, TODAY)
    assert status.state is TaskState.SERVED and status.service_date == date(2026, 11, 10)


def test_a_served_task_takes_no_more_attempts_and_a_withdrawn_one_none() -> None:
    assert "无需再送达" in messages(NOT_FOUND, ctx(earlier=(DIRECT_OK,)))
    assert "已撤回" in messages(DIRECT_OK, ctx(withdrawn=True))


def test_an_outcome_must_fit_the_method() -> None:
    assert "outcome" in fields(Attempt(M.LEFT, R.REFUSED, TODAY, witnesses="王五"))
    assert "outcome" in fields(
        Attempt(
            M.PUBLIC_NOTICE, R.DELIVERED, TODAY, whereabouts_unknown=True, posted_where="公告栏"
        )
    )


# ---------------------------------------------------------------------- documents
def roles(code: str, role: str, procedure: str = "civil_ordinary") -> tuple[DocumentKind, ...]:
    case_type = default_catalog().get(code)
    assert case_type is not None
    return registration_documents(case_type.category, code, procedure, case_type.role_set, role)


def test_registration_documents_per_case_type() -> None:
    d = DocumentKind
    assert roles("民初", "被告") == (d.COMPLAINT_COPY, d.RESPONSE_NOTICE, d.EVIDENCE_NOTICE)
    assert roles("民初", "原告") == (d.ACCEPTANCE_NOTICE, d.EVIDENCE_NOTICE)
    assert d.JOINDER_NOTICE in roles("民初", "第三人")
    assert roles("行初", "被告", "admin_first")[0] is d.COMPLAINT_COPY
    assert roles("民终", "被上诉人", "civil_appeal_judgment") == (d.APPEAL_COPY, d.RESPONSE_NOTICE)
    assert roles("刑初", "被告人", "criminal_public") == (d.INDICTMENT_COPY,)
    assert roles("刑初", "被告人", "criminal_private") == (d.PRIVATE_PROSECUTION_COPY,)
    assert roles("刑初", "公诉机关", "criminal_public") == ()
    assert roles("执", "被执行人", "enforcement") == (d.ENFORCEMENT_NOTICE, d.PROPERTY_REPORT_ORDER)
    assert roles("执", "申请执行人", "enforcement") == (d.ACCEPTANCE_NOTICE,)
    # Preservation is kept from the respondent until the ruling.
    assert roles("财保", "被申请人", "preservation") == ()
    assert roles("财保", "申请人", "preservation") == (d.ACCEPTANCE_NOTICE,)
    assert roles("民特", "被申请人", "civil_special") == (d.APPLICATION_COPY,)
    assert roles("民诉前调", "被告", "civil_other") == (d.COMPLAINT_COPY, d.PRE_MEDIATION_NOTICE)
    assert roles("民诉前调", "原告", "civil_other") == ()
    assert Category.CIVIL is default_catalog().types[0].category


def test_hearing_documents_and_their_due_date() -> None:
    assert hearing_document("被告") is DocumentKind.SUMMONS
    assert hearing_document("被害人") is DocumentKind.SUMMONS
    assert hearing_document("公诉机关") is DocumentKind.APPEARANCE_NOTICE
    assert hearing_due_date(date(2026, 12, 4)) == date(2026, 12, 1)


# ---------------------------------------------------------------------- receipts
def test_receipt_codes_round_trip_and_catch_misreads() -> None:
    code = receipt_code(1234)
    assert code.startswith("SD00001234") and len(code) == 11
    assert parse_receipt_code(code) == 1234
    assert parse_receipt_code(f"  {code.lower()} ") == 1234
    assert parse_receipt_code(receipt_code(123_456_789)) == 123_456_789
    wrong_digit = code[:5] + str((int(code[5]) + 1) % 10) + code[6:]
    assert "校验位" in str(parse_receipt_code(wrong_digit))
    swapped = code[:8] + code[9] + code[8] + code[10]
    assert "校验位" in str(parse_receipt_code(swapped))
    assert "不是送达回证条码" in str(parse_receipt_code("（2026）吉0193民初1号"))
    assert "不是送达回证条码" in str(parse_receipt_code("SD12"))
    assert parse_receipt_code("") == "条码为空"
    with pytest.raises(ValueError):
        receipt_code(0)


# ---------------------------------------------------------------------- outlook
def test_earliest_service_per_method() -> None:
    calendar = HolidayCalendar()
    friday = date(2026, 11, 20)
    assert earliest_service(M.ELECTRONIC, friday, calendar, post_days=3)[0] == friday
    assert earliest_service(M.DIRECT, friday, calendar, post_days=3)[0] == date(2026, 11, 23)
    day, reason = earliest_service(M.COURT_EXPRESS, friday, calendar, post_days=3)
    assert day == date(2026, 11, 25) and "3 个工作日" in reason
    assert earliest_service(M.PUBLIC_NOTICE, friday, calendar, post_days=3)[0] == date(2026, 12, 21)
    day, reason = earliest_service(M.PUBLIC_NOTICE, friday, calendar, post_days=3, abroad=True)
    assert day == date(2027, 1, 19) and "60日" in reason


# ---------------------------------------------------------------------- 送达地址确认书
def test_address_confirmation_checks() -> None:
    good = AddressConfirmation("吉林省长春市南关区人民大街1号", date(2026, 11, 20), "130000")
    cleaned, problems = check_confirmation(good, TODAY)
    assert problems == [] and cleaned == good
    consent = replace(good, electronic_consent=True)
    assert {p.field for p in check_confirmation(consent, TODAY)[1]} == {"electronic_address"}
    assert check_confirmation(replace(consent, electronic_address="13912345678"), TODAY)[1] == []
    assert check_confirmation(replace(consent, electronic_address="a@b.cn"), TODAY)[1] == []
    bad = replace(consent, electronic_address="qq12345", address=" ", postcode="1300")
    found = {p.field for p in check_confirmation(bad, TODAY, key="parties.1")[1]}
    assert found == {"parties.1.address", "parties.1.postcode", "parties.1.electronic_address"}
    late = replace(good, confirmed_on=date(2026, 11, 21))
    assert {p.field for p in check_confirmation(late, TODAY)[1]} == {"confirmed_on"}
