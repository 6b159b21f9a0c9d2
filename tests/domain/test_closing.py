"""The closing date rule (审限规定 §10) and the manners each procedure allows."""

from __future__ import annotations

from datetime import date

import pytest

from courtdesk.domain.closing import (
    ClosingInputs,
    Delivery,
    Manner,
    PartyService,
    ServiceMethod,
    closing_date,
    describe,
    manners_for,
)
from courtdesk.errors import ValidationError

FILED = date(2026, 3, 10)
TODAY = date(2026, 11, 20)


def served(
    *services: tuple[int, ServiceMethod, date], manner: Manner = Manner.MEDIATION
) -> ClosingInputs:
    return ClosingInputs(
        manner,
        Delivery.SERVED,
        services=tuple(
            PartyService(pid, f"当事人{pid}", method, day) for pid, method, day in services
        ),
    )


def test_a_pronounced_judgment_closes_on_the_day_it_is_pronounced() -> None:
    inputs = ClosingInputs(Manner.JUDGMENT, Delivery.PRONOUNCED, pronounced_on=date(2026, 6, 1))
    assert closing_date("civil_ordinary", inputs, FILED, TODAY) == date(2026, 6, 1)
    assert "宣判" in describe(inputs, date(2026, 6, 1))


def test_a_mediation_document_closes_when_it_reaches_the_last_party() -> None:
    inputs = served(
        (1, ServiceMethod.DIRECT, date(2026, 6, 1)),  # signed for
        (2, ServiceMethod.POST, date(2026, 6, 3)),  # the day it was posted
        (3, ServiceMethod.NOTICE, date(2026, 6, 2)),  # the day the notice was published
    )
    assert closing_date("civil_ordinary", inputs, FILED, TODAY) == date(2026, 6, 3)
    text = describe(inputs, date(2026, 6, 3))
    assert "当事人2" in text and "邮寄送达" in text and "交邮日期" in text


def test_a_judgment_left_at_the_address_closes_the_day_it_is_left() -> None:
    inputs = served((1, ServiceMethod.LEFT, date(2026, 6, 5)), manner=Manner.JUDGMENT)
    assert closing_date("civil_ordinary", inputs, FILED, TODAY) == date(2026, 6, 5)


def test_mediation_is_never_left_and_summary_procedure_never_uses_public_notice() -> None:
    with pytest.raises(ValidationError, match="调解书不适用留置送达"):
        closing_date(
            "civil_ordinary", served((1, ServiceMethod.LEFT, date(2026, 6, 5))), FILED, TODAY
        )
    with pytest.raises(ValidationError, match="简易程序不适用公告送达"):
        closing_date(
            "civil_summary", served((1, ServiceMethod.NOTICE, date(2026, 6, 5))), FILED, TODAY
        )
    with pytest.raises(ValidationError, match="不能以宣告结案"):
        closing_date(
            "civil_ordinary",
            ClosingInputs(Manner.MEDIATION, Delivery.PRONOUNCED, pronounced_on=date(2026, 6, 1)),
            FILED,
            TODAY,
        )


def test_bad_inputs_name_their_fields() -> None:
    with pytest.raises(ValidationError) as caught:
        closing_date(
            "enforcement",
            ClosingInputs(Manner.MEDIATION, Delivery.SERVED),
            FILED,
            TODAY,
        )
    fields = {p.field for p in caught.value.problems}
    assert fields == {"manner", "services"}
    with pytest.raises(ValidationError, match="早于立案日期"):
        closing_date(
            "civil_ordinary",
            ClosingInputs(Manner.JUDGMENT, Delivery.PRONOUNCED, pronounced_on=date(2026, 3, 1)),
            FILED,
            TODAY,
        )
    with pytest.raises(ValidationError, match="晚于今天"):
        closing_date(
            "civil_ordinary",
            ClosingInputs(Manner.JUDGMENT, Delivery.PRONOUNCED, pronounced_on=date(2026, 12, 1)),
            FILED,
            TODAY,
        )
    with pytest.raises(ValidationError, match="重复"):
        closing_date(
            "civil_ordinary",
            served(
                (1, ServiceMethod.DIRECT, date(2026, 6, 1)),
                (1, ServiceMethod.POST, date(2026, 6, 2)),
            ),
            FILED,
            TODAY,
        )


def test_manners_follow_the_kind_of_case() -> None:
    assert Manner.APPEAL_WITHDRAWN in manners_for("civil_appeal_judgment")
    assert Manner.APPEAL_WITHDRAWN not in manners_for("civil_ordinary")
    assert Manner.MEDIATION in manners_for("criminal_private")
    assert Manner.MEDIATION not in manners_for("criminal_public")
    assert Manner.ROUND_ENDED in manners_for("enforcement")
    assert {
        Manner.JUDGMENT,
        Manner.MEDIATION,
        Manner.WITHDRAWAL,
        Manner.DISMISSAL,
        Manner.TRANSFER,
        Manner.TERMINATION,
    } <= set(manners_for("civil_summary"))


def test_a_served_document_must_have_reached_every_party_of_the_case() -> None:
    """Closing runs from the day the document reached the *last* party: with party 3
    left out, the latest date entered (party 2's) may be too early."""
    inputs = served(
        (1, ServiceMethod.DIRECT, date(2026, 6, 1)), (2, ServiceMethod.POST, date(2026, 6, 3))
    )
    parties = {1: "赵堃", 2: "钱淼", 3: "孙犇"}
    with pytest.raises(ValidationError, match="尚未填写对当事人孙犇的送达") as refusal:
        closing_date("civil_ordinary", inputs, FILED, TODAY, parties)
    assert [p.field for p in refusal.value.problems] == ["services"]
    assert closing_date("civil_ordinary", inputs, FILED, TODAY, {1: "赵堃", 2: "钱淼"}) == date(
        2026, 6, 3
    )
