"""The smallest and largest value the contract format accepts for every number, date and list.

Each limit is far outside any real managed-service contract, so no honest contract meets one,
and each is small enough that nothing downstream (the business-time clock, the feasibility
checker, the document writers) has to handle a value it was not built for. A value beyond a
limit is a typing mistake (an extra zero, a date with the wrong century) far more often than a
real term, so ``slagen validate`` refuses it at its line and column and says the range.

A :class:`Limit` goes into a field's ``Annotated`` metadata: pydantic applies its bounds, the
JSON Schema shows them as ``minimum``/``maximum``, and ``slagen.model.plain_errors`` finds the limit
again to word its message ("tier1 must be between 0 and 10,000 technicians"). The limits that
are not a number's range (durations, money, dates, list lengths, clause text) are constants
here, used by the types and models that check them. ``docs/format.md`` lists every one of them
with its reason (:func:`limits_table`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Iterator

import annotated_types

_TEN_YEARS_DAYS = 3653  # 10 x 365 days, plus the leap days ten years always hold (two or three)


@dataclass(frozen=True)
class Limit(annotated_types.GroupedMetadata):
    """An inclusive range ``low..high`` of ``unit``, with the reason it is what it is."""

    low: int | float
    high: int | float
    unit: str
    why: str

    def __iter__(self) -> Iterator[object]:
        from pydantic.types import AllowInfNan

        yield annotated_types.Ge(self.low)
        yield annotated_types.Le(self.high)
        if isinstance(self.low, float) or isinstance(self.high, float):
            yield AllowInfNan(False)  # .inf and .nan are YAML numbers, never a real quantity

    def words(self) -> str:
        """'between 0 and 10,000 technicians'."""
        return f"between {number_words(self.low)} and {number_words(self.high)} {self.unit}"


def number_words(value: int | float | Decimal) -> str:
    """1234567 -> '1,234,567'; 0.1 -> '0.1': how a person writes a limit."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,}"
    return f"{int(value):,}"


# --------------------------------------------------------------------------------------------
# Numbers (each the range of one kind of field)

TECHNICIANS = Limit(0, 10_000, "technicians",
                    "the largest service desks employ a few thousand people; the queueing estimate "
                    "in `check` works technician by technician")
TICKETS_PER_DAY = Limit(0.1, 500.0, "tickets a day",
                        "one person cannot close more than a few hundred tickets in a day, and fewer than "
                        "one every ten days is a typing mistake that makes every queue endless")
TICKETS_PER_MONTH = Limit(0, 1_000_000, "tickets a month",
                          "a million tickets a month is beyond the largest desks")
COMPONENT_COUNT = Limit(1, 10_000, "items",
                        "an estate surveyed for one contract does not hold more of one kind of component")
DATA_SIZE_GB = Limit(0.0, 10_000_000.0, "GB",
                     "10 PB; a managed-service customer's restorable data is far smaller")
RESTORE_RATE_GB_PER_HOUR = Limit(0.1, 100_000.0, "GB an hour",
                                 "100 GB a second is faster than any restore; below 0.1 GB an hour a "
                                 "restore never ends in any time a contract can name")
DAYS = Limit(0, _TEN_YEARS_DAYS, "days",
             "notice, cure, payment, data-return and exit periods longer than ten years are mistakes")
RETENTION_DAYS = Limit(1, 36_525, "days",
                       "100 years: records kept by law for a lifetime fit, longer does not")
RETENTION_MONTHS = Limit(0, 1_200, "months", "100 years, as for retention in days")
TERM_MONTHS = Limit(1, 120, "months", "terms of up to ten years; longer terms are renewals")
BREACH_COUNT = Limit(1, 1_000, "breaches", "more than a thousand breaches is no longer a threshold")
DUE_WEEKS = Limit(0, 522, "weeks",
                  "ten years, the longest term: a milestone after the agreement can end is a mistake")

# --------------------------------------------------------------------------------------------
# Durations, money and dates (checked by their types in slagen.model.types)

LONGEST_DURATION = timedelta(hours=8760)
LONGEST_DURATION_WHY = (
    "one year (8760h): no response, resolution, notice, backup interval or recovery objective in a "
    "service agreement is longer, and the business-time clock works out due times by searching the "
    "calendar ahead, so an absurd target would make it search for centuries"
)
LARGEST_AMOUNT = Decimal(1_000_000_000_000)
LARGEST_AMOUNT_WHY = (
    "a million million in the agreement's currency: room for any fee even in currencies with small "
    "units (IDR, VND), while the documents still print it exactly"
)
EARLIEST_DATE, LATEST_DATE = date(1990, 1, 1), date(2200, 12, 31)
DATES_WHY = (
    "agreements and closures are dated between 1990 and 2200: a date outside is a mistyped year, and "
    "the clock keeps public holidays and time-zone rules only for real years"
)

# --------------------------------------------------------------------------------------------
# Lengths of lists and clause texts (resource limits: each bounds the work of check and render)

MOST_SERVICES = 200
MOST_PRIORITIES = 20
MOST_COMPONENTS = 200
MOST_CLOSURES = 1_000
MOST_CLAUSE_CHANGES = 100
SERVICES_WHY = "far more than one agreement covers; each is printed and checked against its dependencies"
PRIORITIES_WHY = "real matrices have three to six; each priority is checked against every other"
COMPONENTS_WHY = (
    "one entry stands for many alike (`count`); `check` follows a repair of every component from every "
    "logging instant of a week, so 200 components take it a few seconds"
)
CLOSURES_WHY = "a few a year; each is a closed day the clock and the checker step over"
CLAUSE_CHANGES_WHY = (
    "a contract that changes more than 100 clauses needs its own clause library; each change is a "
    "section of the document"
)
LONGEST_CLAUSE_TEXT = 20_000
MOST_PAGE_BREAKS_PER_CLAUSE = 10
MOST_PAGE_BREAKS = 20
CLAUSE_TEXT_WHY = (
    "an added or replaced clause of 20,000 characters fills about eight pages; ten page breaks in "
    "one clause, or twenty in all, are already unusual (each '---' line starts a new page: 20 KB of "
    "them made a 2,000-page PDF)"
)
# A support-hours target must be used up within this many years of the weekly hours: far beyond
# any real target, and well inside the 200 years the clock engine counts over at a time.
TARGET_YEARS = 100
LONGEST_LINE = 300
LINE_WHY = (
    "a party's name or address, the title, a reference or a version is printed on the cover, in every "
    "running header, in the signature blocks or inside a sentence; 300 characters is four lines, longer "
    "than any registered name or address, and a value longer than a page cannot be laid out there"
)
MOST_TEXT = 300_000
CHARACTERS_PER_PAGE = 2_500
TEXT_WHY = (
    "all the text a contract holds (names, descriptions, lists, clause changes) together: about 120 "
    "printed pages besides the clause library's own text, so a document renders in seconds; more is "
    "text pasted in by mistake"
)


def limits_table() -> list[tuple[str, str, str]]:
    """(what, range, why) for docs/format.md."""
    numbers = [
        ("technicians per tier (`staffing.technicians`)", TECHNICIANS),
        ("`staffing.tickets_per_day`", TICKETS_PER_DAY),
        ("`staffing.expected_tickets_per_month`", TICKETS_PER_MONTH),
        ("`infrastructure.components[].count`", COMPONENT_COUNT),
        ("`infrastructure.data_size_gb`", DATA_SIZE_GB),
        ("`infrastructure.restore_rate_gb_per_hour`", RESTORE_RATE_GB_PER_HOUR),
        ("periods in days (`notice_days`, `cure_days`, `payment_terms_days`, ...)", DAYS),
        ("`data_protection.backup.retention_days`", RETENTION_DAYS),
        ("`data_protection.record_retention_months`", RETENTION_MONTHS),
        ("terms in months (`initial_term_months`, `renewal.term_months`, `within_months`)", TERM_MONTHS),
        ("`termination.for_cause.repeated_breach.count`", BREACH_COUNT),
        ("`sow.onboarding[].due_weeks`", DUE_WEEKS),
    ]
    rows = [(what, limit.words(), limit.why) for what, limit in numbers]
    rows += [
        ("every duration", f"more than 0 and at most {int(LONGEST_DURATION.total_seconds()) // 3600}h",
         LONGEST_DURATION_WHY),
        ("`availability.maintenance_windows[].duration`", "at most 168h",
         "the window comes back every week; a longer one would overlap its own next turn"),
        ("every amount of money", f"0 to {number_words(LARGEST_AMOUNT)}", LARGEST_AMOUNT_WHY),
        ("every date", f"{EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}", DATES_WHY),
        ("percentages", "0% to 100%", "a share of a whole"),
        ("a restore (`data_size_gb` / `restore_rate_gb_per_hour`)", "at most 8760h",
         "each number may be in range while the restore takes millennia; no recovery estimate can hold that"),
        ("a target on the `support_hours` clock", f"used up within {TARGET_YEARS} years of the weekly hours",
         "a calendar open a minute a week makes 8760h of support hours last 10,000 years"),
        ("`services`", f"at most {MOST_SERVICES:,}", SERVICES_WHY),
        ("`priorities`", f"at most {MOST_PRIORITIES:,}", PRIORITIES_WHY),
        ("`infrastructure.components`", f"at most {MOST_COMPONENTS:,}", COMPONENTS_WHY),
        ("`support_hours.extra_closures`", f"at most {MOST_CLOSURES:,}", CLOSURES_WHY),
        ("`clauses` (changes to the clause library)", f"at most {MOST_CLAUSE_CHANGES:,}", CLAUSE_CHANGES_WHY),
        ("the text of an added or replaced clause",
         f"at most {LONGEST_CLAUSE_TEXT:,} characters and {MOST_PAGE_BREAKS_PER_CLAUSE} page breaks; "
         f"{MOST_PAGE_BREAKS} page breaks in all clause changes together", CLAUSE_TEXT_WHY),
        ("names, addresses, the title, references and versions (`provider.name`, `customer.address`, "
         "`agreement.title`, `agreement.reference`, `sow.reference`, ...)",
         f"at most {LONGEST_LINE:,} characters", LINE_WHY),
        ("all the text in a contract", f"at most {MOST_TEXT:,} characters", TEXT_WHY),
    ]
    return rows
