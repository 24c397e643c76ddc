"""When an agreement renews, and the last day either party can still stop it renewing.

An agreement runs from ``effective_date`` for ``initial_term_months``; with an automatic
renewal it then runs on for ``renewal.term_months`` at a time. Notice of ``notice_days``
given on day D expires on D + notice_days, and it must expire no later than the day the next
term would start, so the last day to give it is that day less ``notice_days``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


def add_months(start: date, months: int) -> date:
    """``start`` moved on by whole months; a day the month lacks becomes its last day (31 Jan + 1 = 28 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class RenewalDates:
    term_end: date  # the day the first term is over (the next term, if any, starts on it)
    renewal_date: date | None  # the next automatic renewal that notice can still stop
    notice_deadline: date | None  # the last day to give notice before ``renewal_date``


def renewal_dates(effective_date: date, initial_term_months: int, renewal_term_months: int | None,
                  automatic: bool, notice_days: int, today: date) -> RenewalDates:
    """The next renewal that can still be stopped on ``today``, and the last day to give notice.

    Each renewal date is counted from the effective date (never from the previous renewal), so
    an agreement starting on the 31st does not drift to the 28th after one February.
    """
    term_end = add_months(effective_date, initial_term_months)
    if not automatic or not renewal_term_months:
        return RenewalDates(term_end, None, None)
    terms = 0
    while True:
        renews = add_months(effective_date, initial_term_months + terms * renewal_term_months)
        deadline = renews - timedelta(days=notice_days)
        if deadline >= today:
            return RenewalDates(term_end, renews, deadline)
        terms += 1


def contract_renewal_dates(contract, today: date) -> RenewalDates:
    """``renewal_dates`` with the values of a loaded Contract."""
    a = contract.agreement
    return renewal_dates(a.effective_date, a.initial_term_months, a.renewal.term_months if a.renewal else None,
                         bool(a.renewal and a.renewal.automatic), contract.termination.notice_days, today)
