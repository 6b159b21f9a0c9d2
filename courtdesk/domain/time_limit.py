"""Trial time limits (审限): the base expiry from procedure and filing date.

审限 is counted from the day after filing (SPC 审限规定 §8) in calendar days;
holidays do not extend it, because it is the court's own deadline.
"""

from __future__ import annotations

from datetime import date, timedelta

from courtdesk.domain.dates import add_months
from courtdesk.domain.procedures import Limit, procedure


def add_limit(start: date, limit: Limit) -> date:
    """The last day of a ``limit`` counted from the day after ``start``.

    Months follow 民法典 §202 (corresponding day, or the month's last day);
    days are counted from the day after ``start``, so 30 days from 1 March ends
    on 31 March.
    """
    return add_months(start, limit.months) + timedelta(days=limit.days)


def base_expiry(procedure_code: str, filing_date: date) -> date | None:
    """The 审限 expiry before extensions and excluded periods, or None if untracked."""
    limit = procedure(procedure_code).base_limit
    return None if limit is None else add_limit(filing_date, limit)
