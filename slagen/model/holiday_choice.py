"""Which public holidays close the desk: all of a country's, or a chosen few.

A provider in Illinois may close on the federal holidays but not on Lincoln's Birthday or
Casimir Pulaski Day, which the holidays package also lists for the state. The contract chooses
by the package's own names (``only:`` or ``except:``); a day the package marks "(observed)"
follows the holiday it stands in for, so excluding "Christmas Day" also keeps the desk open on
the Monday that observes it.

Names are asked of the holidays package directly, which is slower than the cached dates in
``holiday_dates``, so this module is used only when a contract makes a choice, and when a
document lists the closure days by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from slagen.model.holiday_dates import public_holidays

_OBSERVED = " (observed)"
# Years over which the names a country uses are collected for checking a contract's choice:
# some holidays are new (Juneteenth from 2021) or renamed, so one year is not enough.
NAME_YEARS = range(2015, 2041)


@dataclass(frozen=True)
class HolidayChoice:
    country: str
    subdivision: str | None = None
    only: frozenset[str] | None = None  # None: every holiday the package lists
    excluded: frozenset[str] = frozenset()

    @property
    def chooses(self) -> bool:
        return self.only is not None or bool(self.excluded)

    def closes_on(self, names: list[str]) -> bool:
        """Whether a day with these holiday names closes the desk."""
        kept = [name for name in names if name not in self.excluded]
        if self.only is not None:
            kept = [name for name in kept if name in self.only]
        return bool(kept)


def base_name(name: str) -> str:
    """The holiday a day stands for: "Christmas Day (observed)" -> "Christmas Day"."""
    return name[: -len(_OBSERVED)] if name.endswith(_OBSERVED) else name


def holiday_names(country: str, subdivision: str | None, years: range) -> dict[date, list[str]]:
    """Every public holiday in ``years`` with its names (base names, observed days folded in)."""
    return {day: [base_name(name) for name in names]
            for day, names in _names(country, subdivision, years.start, years.stop)}


def printed_names(country: str, subdivision: str | None, years: range) -> dict[date, str]:
    """Every public holiday in ``years`` named as a reader should see it ("Christmas Day (observed)")."""
    return {day: " and ".join(names) for day, names in _names(country, subdivision, years.start, years.stop)}


@lru_cache(maxsize=64)
def _names(country: str, subdivision: str | None, first: int, stop: int) -> tuple[tuple[date, list[str]], ...]:
    import holidays

    found = holidays.country_holidays(country, subdiv=subdivision, years=range(first, stop))
    # The package joins the names of holidays that fall on one day with "; ".
    return tuple((day, [part.strip() for part in found[day].split(";")]) for day in sorted(found))


@lru_cache(maxsize=64)
def known_names(country: str, subdivision: str | None) -> tuple[str, ...]:
    """The holiday names a contract may choose from for this country and region."""
    names = {name for _, day_names in _names(country, subdivision, NAME_YEARS.start, NAME_YEARS.stop)
             for name in day_names}
    return tuple(sorted(names))


def closed_days(choice: HolidayChoice, years: range) -> set[date]:
    """The days in ``years`` on which the chosen public holidays close the desk."""
    days = public_holidays(choice.country, choice.subdivision, years)
    if not choice.chooses:
        return days
    named = holiday_names(choice.country, choice.subdivision, years)
    return {day for day in days if choice.closes_on(named.get(day, []))}
