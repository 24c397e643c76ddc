"""The computed facts the documents quote, typed so a clause can be checked against them.

A contract states its targets; it does not state when a ticket logged at 16:55 on a Friday falls
due, how many minutes of downtime 99.9% allows, or the date a milestone lands. :mod:`slagen.compose.assemble`
works those out once, with the clock engine, into :class:`Facts`, and a clause quotes them as
``facts``. They are frozen dataclasses, not loose dicts, so :mod:`slagen.compose.clause_check` can check
every ``facts.…`` a clause names without a contract to hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from slagen.library.law import Law


@dataclass(frozen=True)
class WorkedExample:
    """One ticket walked through the clock: when it was logged and when each target falls due."""

    priority: str
    name: str
    clock: str  # 24x7 | support_hours
    logged: datetime
    response: timedelta
    response_due: datetime
    resolution: timedelta
    resolution_due: datetime


@dataclass(frozen=True)
class DowntimeAllowance:
    service: str
    target: Decimal
    allowed: timedelta  # per month of ``Facts.month_days`` days


@dataclass(frozen=True)
class CreditExample:
    service: str
    target: Decimal
    measured: Decimal
    downtime: timedelta
    credit: Decimal
    amount: Decimal | None  # None when there is no monthly fee to apply it to


@dataclass(frozen=True)
class MilestoneDate:
    milestone: str
    weeks: int
    due: date


@dataclass(frozen=True)
class ServiceDependency:
    service: str
    components: tuple[str, ...]


@dataclass(frozen=True)
class ClosureDay:
    """A day in the first contract year on which the support calendar is closed."""

    day: date
    reason: str  # the public holiday's name, or "Additional closure"


@dataclass(frozen=True)
class ComponentRow:
    """A component of the customer's estate as the annex prints it: by name, never by its id."""

    name: str
    kind: str  # in words: "internet link"
    count: int
    warranty: str  # in words, "" when none is recorded
    supplier_availability: Decimal | None


@dataclass(frozen=True)
class Platform:
    """A platform the customer licenses from its vendor, and the Services that run on it."""

    name: str
    services: tuple[str, ...]


@dataclass(frozen=True)
class Facts:
    month_days: int
    month_hours: Decimal  # the hours in the month the downtime allowance is a share of
    support_hours: tuple[str, ...]  # "Monday to Friday: 08:30 to 17:30", one line per group of days
    holidays: str  # "" when no public holidays apply
    worked_examples: tuple[WorkedExample, ...]
    downtime: tuple[DowntimeAllowance, ...]
    credit_example: CreditExample | None
    milestones: tuple[MilestoneDate, ...]
    dependencies: tuple[ServiceDependency, ...]
    pause_reasons: tuple[str, ...]  # plain-English reasons the clock stops
    clock_starts: str  # plain-English moment the clock starts
    # Jurisdiction and locale facts: the law's conventions, the zone's name, the closure days.
    law: Law | None = None  # the jurisdiction and its law data (slagen.library.law)
    zone_name: str = ""  # "UK time", "Central Time"
    closures: tuple[ClosureDay, ...] = ()  # the first contract year's, from the clock's calendar
    first_year_end: date | None = None
    components: tuple[ComponentRow, ...] = ()  # the estate, named for the annex
    # The hours in which a notice is received ("9:00 AM" to "5:00 PM" in en_US, "09:00" to "17:00" in en_GB).
    office_opens: str = ""
    office_closes: str = ""
    health_data: bool = False  # the customer's personal data includes health data (HIPAA, special category)

    # The term: when the Initial Term ends and the last day to give notice that stops the first renewal.
    initial_term_end: date | None = None
    non_renewal_notice_by: date | None = None  # None when the agreement does not renew by itself
    platforms: tuple[Platform, ...] = ()  # customer-licensed platforms (third-party platforms clause)


def context_types() -> dict[str, Any]:
    """The names a clause may use, with their types: the contract's sections, and ``facts``."""
    from slagen.model import Contract

    names = {name: field.annotation for name, field in Contract.model_fields.items()}
    names["facts"] = Facts
    names["ref"] = Any  # the clause_reference function: ref("clause-id")
    return names
