"""Arbitrary input at the feature entry points (hypothesis): hearings, service
attempts, time limits, closing, and the fee and lending calculators.

The same rule as ``test_bad_input``: each input is either accepted and stored
(or returned) faithfully, or refused with a CourtdeskError whose message is a
Chinese sentence, and a refusal leaves nothing half-written (the audit trail has
not grown). Any other exception would reach the user as an internal error.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from hypothesis import given
from hypothesis import strategies as st

from courtdesk.domain.fees import Exemption, FeeKind, FeeProcedure, litigation_fee
from courtdesk.domain.lending import Convention, LoanTerms, Repayment, compute_interest
from courtdesk.domain.lpr import LprTable, shipped_fixings
from courtdesk.domain.money import to_yuan
from courtdesk.errors import CourtdeskError
from courtdesk.services import fees as fee_service
from courtdesk.services import lending as lending_service
from courtdesk.services.workspace import open_workspace
from tests.properties.test_bad_input import AMOUNTS, DATES, FEW, MANY, TEXT

T = TypeVar("T")
HAN = re.compile(r"[\u4e00-\u9fff]")


def accepted_or_refused(call: Callable[[], T]) -> T | CourtdeskError:
    """Run ``call``; a refusal must be a CourtdeskError saying why in Chinese."""
    try:
        return call()
    except CourtdeskError as error:
        assert error.message.strip(), "a refusal must say why"
        assert HAN.search(error.message), f"a refusal must be in Chinese: {error.message!r}"
        assert "Traceback" not in error.message
        return error


def audit_rows(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])
    finally:
        conn.close()


# ---------------------------------------------------------------- calculators
FEE_KINDS = st.one_of(st.sampled_from(FeeKind), st.sampled_from([k.value for k in FeeKind]), TEXT)
FEE_PROCEDURES = st.one_of(
    st.sampled_from(FeeProcedure),
    st.sampled_from(["civil_summary", "civil_ordinary", "civil_special", "enforcement"]),
    TEXT,
)


@MANY
@given(
    FEE_KINDS,
    AMOUNTS,
    FEE_PROCEDURES,
    st.booleans(),
    st.booleans(),
    st.one_of(st.none(), st.sampled_from(Exemption)),
)
def test_any_fee_question_gets_a_fee_or_an_explanation(
    kind: FeeKind | str,
    amount: Decimal | None,
    procedure: FeeProcedure | str,
    mediated: bool,
    counterclaim: bool,
    exemption: Exemption | None,
) -> None:
    result = accepted_or_refused(
        lambda: litigation_fee(
            kind,
            amount,
            procedure,
            mediated_or_withdrawn=mediated,
            counterclaim=counterclaim,
            exemption=exemption,
        )
    )
    if isinstance(result, CourtdeskError):
        return
    # Accepted: a fee in whole fen, never negative, never more than the full fee,
    # and the working adds up to it.
    assert result.total == to_yuan(result.total) and result.total >= 0
    assert result.total <= result.full_fee
    assert sum((line.amount for line in result.lines), Decimal(0)) == result.total
    assert result.amount == amount


LPR = LprTable.combine(shipped_fixings(), ())
RATES = st.one_of(
    st.none(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=0, max_value=40, places=2),
)
LOAN_DATES = st.one_of(st.dates(min_value=date(2015, 1, 1), max_value=date(2027, 12, 31)), DATES)


@st.composite
def loan_terms(draw: st.DrawFn) -> LoanTerms:
    formed = draw(LOAN_DATES)
    return LoanTerms(
        principal=draw(
            st.one_of(
                st.decimals(allow_nan=True, allow_infinity=True),
                st.decimals(min_value=-1, max_value=10**9, places=2),
            )
        ),
        formed=formed,
        start=draw(st.one_of(st.just(formed), LOAN_DATES)),
        end=draw(LOAN_DATES),
        loan_rate=draw(RATES),
        overdue_rate=draw(RATES),
        due=draw(st.one_of(st.none(), LOAN_DATES)),
        filed=draw(st.one_of(st.none(), LOAN_DATES)),
        repayments=tuple(
            draw(
                st.lists(
                    st.builds(
                        Repayment,
                        LOAN_DATES,
                        st.one_of(
                            st.decimals(allow_nan=True, allow_infinity=True),
                            st.decimals(min_value=-1, max_value=10**8, places=2),
                        ),
                    ),
                    max_size=3,
                )
            )
        ),
        principal_first=draw(st.booleans()),
    )


@MANY
@given(loan_terms(), st.sampled_from([360, 365, 0, 366]), st.booleans())
def test_any_loan_gets_its_interest_or_an_explanation(
    terms: LoanTerms, basis: int, include_end: bool
) -> None:
    result = accepted_or_refused(
        lambda: compute_interest(terms, LPR, Convention(basis, include_end))
    )
    if isinstance(result, CourtdeskError):
        return
    assert result.terms == terms
    assert result.interest_supported >= 0
    assert result.principal_outstanding >= 0
    assert all(p.interest == to_yuan(p.interest) for p in result.periods)
    result.to_dict()  # what the CLI prints and the GUI shows: no error either


@FEW
@given(FEE_KINDS, AMOUNTS, FEE_PROCEDURES)
def test_the_courts_fee_calculator_answers_or_explains(
    demo_path: Path, kind: FeeKind | str, amount: Decimal | None, procedure: FeeProcedure | str
) -> None:
    ws = open_workspace(demo_path, "admin")
    try:
        result = accepted_or_refused(lambda: fee_service.compute_fee(ws, kind, amount, procedure))
        if not isinstance(result, CourtdeskError):
            assert result.amount == amount and result.total >= 0
    finally:
        ws.close()


@FEW
@given(
    st.one_of(st.dates(min_value=date(2019, 8, 1), max_value=date(2030, 12, 31)), DATES),
    st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True),
        st.decimals(min_value=-1, max_value=30, places=3),
    ),
)
def test_entering_any_lpr_fixing_stores_it_or_stores_nothing(
    demo_path: Path, day: date, rate: Decimal
) -> None:
    ws = open_workspace(demo_path, "admin")
    try:
        before = audit_rows(demo_path)
        table_before = lending_service.lpr_table(ws)
        result = accepted_or_refused(lambda: lending_service.enter_lpr(ws, day, rate))
        if isinstance(result, CourtdeskError):
            assert audit_rows(demo_path) == before
            assert lending_service.lpr_table(ws) == table_before
        else:
            from courtdesk.store import lpr as lpr_store

            assert lpr_store.get_fixing(ws.db.connection, day) == rate
            assert audit_rows(demo_path) == before + 1
        # And a court's loan is still computed with whatever table is there.
        terms = LoanTerms(Decimal(10000), date(2024, 1, 1), date(2024, 1, 1), date(2025, 1, 1))
        accepted_or_refused(lambda: lending_service.interest(ws, terms))
    finally:
        ws.close()
