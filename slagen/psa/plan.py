"""The contract's clocks in the terms every PSA shares: one business-hours calendar, targets, pauses.

    plan = sla_plan(contract, positions)       # positions: the YamlSource of load_with_positions
    plan.settings.hours[0]                     # Monday's open windows, minutes after local midnight
    plan.settings.holidays                     # every closed day of each year of the term, with its name
    plan.where("holiday", day)                 # the (line, column) of the contract value behind it

A tool's export writes these settings in its own shape and units; a tool's configuration read
back is turned into the same ``Settings`` so ``audit`` compares like with like. Every value keeps
the YAML path of the contract value it comes from, so a difference can point at its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from slagen.errors import Problem
from slagen.model.types import MINUTES_PER_DAY, WEEKDAYS

if TYPE_CHECKING:
    from slagen.model import Contract
    from slagen.source.yaml_positions import YamlSource

__all__ = ["Settings", "Target", "SlaPlan", "sla_plan", "MEASURES", "PAUSE_WORDS", "term_years"]

MEASURES = ("response", "resolution", "update")
# The contract's pause reasons in words a service desk names its statuses with.
PAUSE_WORDS = {
    "awaiting_customer": "Waiting on customer",
    "awaiting_third_party": "Waiting on third party",
    "scheduled_at_customer_request": "Scheduled at customer's request",
    "customer_unreachable": "Customer unreachable",
    "outside_site_access": "Outside site access hours",
}


@dataclass(frozen=True)
class Target:
    """One target: its length in whole minutes and whether it runs on business hours only."""

    minutes: int
    business_hours: bool


@dataclass
class Settings:
    """What a tool needs to measure the contract: the same shape whether written or read back.

    ``zone`` is an IANA name; ``hours`` maps a weekday (0 = Monday) to its open windows as
    (start, end) minutes after local midnight, an end past 1440 closing the next morning;
    ``targets`` maps (priority id, measure) to its ``Target``; ``pauses`` are the contract's
    pause reasons the tool stops the clock for.
    """

    zone: str | None  # None: the tool keeps no zone with these settings (not compared)
    hours: dict[int, tuple[tuple[int, int], ...]]
    holidays: dict[date, str] | None  # None: the tool's API does not return them (not compared)
    targets: dict[tuple[str, str], Target]
    pauses: frozenset[str] | None = frozenset()  # None: not in the configuration given (not compared)


@dataclass
class SlaPlan:
    contract: "Contract"
    settings: Settings
    file: str
    years: range
    locs: dict[tuple, tuple] = field(default_factory=dict)  # (kind, key) -> YAML path
    positions: "YamlSource | None" = None

    def problem(self, kind: str, key, message: str) -> Problem:
        """A difference at the contract value it contradicts (FILE:LINE:COL)."""
        loc = self.locs.get((kind, key)) or self.locs.get((kind, None)) or ()
        if self.positions is None:
            return Problem(self.file, 1, 1, "", message)
        return self.positions.problem(loc, message)

    @property
    def priorities(self):
        return self.contract.priorities


def term_years(contract: "Contract") -> range:
    """Every calendar year the initial term touches: the holidays a tool needs loaded."""
    from slagen.model.term_dates import add_months

    a = contract.agreement
    last = add_months(a.effective_date, a.initial_term_months) - timedelta(days=1)
    return range(a.effective_date.year, max(last.year, a.effective_date.year) + 1)


def _minutes(duration: timedelta) -> int:
    return int(duration.total_seconds()) // 60


def sla_plan(contract: "Contract", positions: "YamlSource | None" = None, file: str = "") -> SlaPlan:
    """The contract's calendar, targets and pauses, each with the YAML path it comes from."""
    from slagen.calendar.clock import Calendar
    from slagen.model.holiday_choice import printed_names
    from slagen.model.types import _parse_days

    hours_model = contract.support_hours
    years = term_years(contract)
    locs: dict[tuple, tuple] = {("zone", None): ("support_hours", "timezone")}

    hours: dict[int, list[tuple[int, int]]] = {d: [] for d in range(7)}
    for window in hours_model.weekly.windows:
        hours[window.weekday].append((window.start, window.end))
    weekly_text = hours_model.weekly.text
    if isinstance(weekly_text, dict):
        for key in weekly_text:
            try:
                days = _parse_days(str(key))
            except ValueError:
                continue
            for day in days:
                locs[("hours", day)] = ("support_hours", "weekly", str(key))
    locs[("hours", None)] = ("support_hours", "weekly")

    calendar = Calendar.from_support_hours(hours_model)
    closed = calendar.closed_days_between(date(years.start, 1, 1), date(years.stop - 1, 12, 31))
    names = printed_names(hours_model.holidays.country, hours_model.holidays.subdivision, years) \
        if hours_model.holidays else {}
    extra = {day: i for i, day in enumerate(hours_model.extra_closures)}
    holidays: dict[date, str] = {}
    for day in closed:
        if day in names:
            holidays[day] = names[day]
            locs[("holiday", day)] = ("support_hours", "holidays")
        else:
            holidays[day] = "Closed (agreed closure)"
        if day in extra:
            locs[("holiday", day)] = ("support_hours", "extra_closures", extra[day])
    locs[("holiday", None)] = ("support_hours", "holidays") if hours_model.holidays else ("support_hours",)

    targets: dict[tuple[str, str], Target] = {}
    for i, p in enumerate(contract.priorities):
        business = p.clock == "support_hours"
        for measure, value in (("response", p.response), ("resolution", p.resolution),
                               ("update", p.update_every)):
            if value is None:
                continue
            targets[(p.id, measure)] = Target(_minutes(value), business)
            locs[("target", (p.id, measure))] = ("priorities", i, "update_every" if measure == "update" else measure)
        locs[("clock", p.id)] = ("priorities", i, "clock")
    pauses = frozenset(contract.clock_pauses or ())
    locs[("pause", None)] = ("clock_pauses",)
    for j, reason in enumerate(contract.clock_pauses or ()):
        locs[("pause", reason)] = ("clock_pauses", j)

    settings = Settings(zone=hours_model.timezone, hours={d: tuple(w) for d, w in hours.items()},
                        holidays=holidays, targets=targets, pauses=pauses)
    return SlaPlan(contract, settings, file or (positions.file if positions else ""), years, locs, positions)


def hhmm(minutes: int) -> str:
    """540 -> '09:00'; 1440 -> '24:00'."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def day_name(weekday: int) -> str:
    return WEEKDAYS[weekday].capitalize()


def split_at_midnight(hours: dict[int, tuple[tuple[int, int], ...]]) -> dict[int, list[tuple[int, int]]]:
    """Windows past midnight split into the part before and the part after it, for tools whose
    intervals cannot span calendar days (Zendesk). The part after midnight belongs to the next day."""
    out: dict[int, list[tuple[int, int]]] = {d: [] for d in range(7)}
    for day, windows in hours.items():
        for start, end in windows:
            if end <= MINUTES_PER_DAY:
                out[day].append((start, end))
            else:
                out[day].append((start, MINUTES_PER_DAY))
                out[(day + 1) % 7].append((0, end - MINUTES_PER_DAY))
    return {d: sorted(w) for d, w in out.items()}
