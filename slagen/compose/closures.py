"""The days the support desk is closed in the first contract year, named for the reader.

The list comes from the same calendar the clock counts with (``Calendar.closed_days_between``),
so the table in the agreement can never disagree with a worked example or an attainment figure.
"""

from __future__ import annotations

from datetime import date, timedelta

from slagen.compose.facts import ClosureDay

ADDITIONAL_CLOSURE = "Additional closure"


def first_year_end(effective: date) -> date:
    """The last day of the first contract year: the day before the effective date's anniversary."""
    try:
        anniversary = effective.replace(year=effective.year + 1)
    except ValueError:  # 29 February: the year ends on 28 February of the next year
        anniversary = date(effective.year + 1, 3, 1)
    return anniversary - timedelta(days=1)


def first_year_closures(contract) -> tuple[ClosureDay, ...]:
    from slagen.calendar.clock import Calendar
    from slagen.model.holiday_choice import printed_names

    hours = contract.support_hours
    start = contract.agreement.effective_date
    end = first_year_end(start)
    closed = Calendar.from_support_hours(hours).closed_days_between(start, end)
    names: dict[date, str] = {}
    if hours.holidays is not None:
        names = printed_names(hours.holidays.country, hours.holidays.subdivision, range(start.year, end.year + 1))
    extra = set(hours.extra_closures)
    return tuple(
        ClosureDay(day, names[day] if day in names and day not in extra else
                   ADDITIONAL_CLOSURE if day not in names else f"{names[day]}; {ADDITIONAL_CLOSURE.lower()}")
        for day in closed
    )
