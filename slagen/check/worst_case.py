"""Worst cases computed from a contract with the clock engine, and the assumptions behind them.

Every assumption the checker makes about the world (how long a warranty takes, what counts as
hardware, how long a month is) is data in this module, documented in ``docs/rules.md`` through
``assumptions_markdown()``; the rules only read it.

Worst cases are found by trying logging instants across one representative week: the first
whole week on or after the agreement's effective date with no public holiday, closure or clock
change in it or in the two weeks after it. The worst instant is searched at the edges of every
calendar involved (opening, closing, midnight and cut-off times, and one minute either side),
because every waiting time here is piecewise linear in the logging instant and so takes its
maximum at one of those edges.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from slagen.model.types import WEEKDAYS, Window, format_duration, parse_weekly_hours

if TYPE_CHECKING:
    from pathlib import Path

    from slagen.calendar.clock import Calendar
    from slagen.source.yaml_positions import YamlSource
    from slagen.model import Contract
    from slagen.model.estate import Component

# --------------------------------------------------------------------------------------------
# Assumptions, as data

#: The hardware supplier's working week: Monday to Friday 09:00-17:30 in the contract's time
#: zone, without the public holidays of the contract's holiday calendar.
WARRANTY_DAY = (9 * 60, 17 * 60 + 30)
WARRANTY_DAYS = range(0, 5)


@dataclass(frozen=True)
class WarrantyTerms:
    name: str
    description: str
    business_days: int | None = None  # parts by the close of the Nth business day after the day logged
    hours: timedelta | None = None  # or this much time on ``calendar``
    calendar: str = "business"  # 'business' (the supplier's working week) or 'always'
    same_day_cutoff: int | None = None  # minutes after midnight; before it, the same day counts
    engineer_included: bool = False  # the supplier fits the part; otherwise the provider does


WARRANTIES: dict[str, WarrantyTerms] = {
    "none": WarrantyTerms(
        "none", "No hardware support: parts are bought when needed. Assumed on site by the close of "
        "the fifth business day after the day the fault is logged.", business_days=5),
    "next_business_day": WarrantyTerms(
        "next_business_day", "Replacement parts on site by the close of business (17:30) of the first "
        "business day after the day the fault is logged.", business_days=1),
    "same_day": WarrantyTerms(
        "same_day", "An engineer with parts by the close of business the same day when the fault is logged "
        "on a business day before 13:00; otherwise by the close of the next business day.",
        business_days=1, same_day_cutoff=13 * 60, engineer_included=True),
    "4h_onsite": WarrantyTerms(
        "4h_onsite", "An engineer with parts on site within 4 hours of the supplier's business hours.",
        hours=timedelta(hours=4), engineer_included=True),
    "8h_onsite": WarrantyTerms(
        "8h_onsite", "An engineer with parts on site within 8 hours of the supplier's business hours.",
        hours=timedelta(hours=8), engineer_included=True),
    "24x7_4h": WarrantyTerms(
        "24x7_4h", "An engineer with parts on site within 4 hours, at any hour of any day.",
        hours=timedelta(hours=4), calendar="always", engineer_included=True),
}
#: A component with no warranty stated is assumed to have none.
MISSING_WARRANTY = "none"

#: Component kinds that fail as hardware and need parts and on-site work to repair.
HARDWARE_KINDS = frozenset({"server", "storage", "firewall", "network", "switch", "ups", "virtual_host",
                            "workstation"})
#: Kinds whose repair includes restoring data unless ``holds_data`` says otherwise.
DATA_KINDS = frozenset({"server", "storage", "virtual_host"})

#: The month used for downtime budgets: 30 days of 24 hours.
MONTH_DAYS = 30

#: Regulations with a deadline to tell the regulator of a personal-data breach, from awareness.
REGULATOR_DEADLINES: dict[str, timedelta] = {
    "gdpr": timedelta(hours=72),
    "uk gdpr": timedelta(hours=72),
    "eu gdpr": timedelta(hours=72),
}

#: Queueing: a response target holds if at most this share of tickets wait longer for a person.
RESPONSE_MISS_LIMIT = Decimal("0.05")
#: Utilisation above this is a warning: queues grow sharply as technicians approach full load.
UTILISATION_WARNING = Decimal("0.85")

DATA_LOSS_NOTE = ("Restore time is the estate's data_size_gb divided by restore_rate_gb_per_hour: "
                  "a failed data-holding component is assumed to hold all of it.")


def assumptions_markdown() -> list[str]:
    out = ["## Assumptions", "",
           "Worst cases are computed over one representative week: the first whole week (Monday to",
           "Sunday) on or after the effective date with no public holiday, closure or clock change in it",
           "or the two weeks after it. Logging instants are tried at every opening, closing, midnight and",
           "cut-off of the calendars involved, and one minute either side.",
           "",
           f"The supplier's business days for warranties are {WEEKDAYS[0].title()} to "
           f"{WEEKDAYS[WARRANTY_DAYS[-1]].title()} {_hm(WARRANTY_DAY[0])}-{_hm(WARRANTY_DAY[1])} in the "
           "contract's time zone, without the public holidays of `support_hours.holidays`.",
           "",
           "| Warranty | Worst-case time to parts (or engineer) on site |",
           "|----------|-----------------------------------------------|"]
    for terms in WARRANTIES.values():
        out.append(f"| `{terms.name}` | {terms.description} |")
    out += ["",
            f"- A component with no `warranty` is treated as `{MISSING_WARRANTY}`.",
            f"- Hardware kinds: {', '.join(sorted(HARDWARE_KINDS))}. A component of another kind is "
            "hardware only when it has a warranty.",
            f"- Data-holding kinds (repair includes a restore): {', '.join(sorted(DATA_KINDS))}; "
            "`holds_data` overrides.",
            f"- {DATA_LOSS_NOTE}",
            "- A part is fitted when it has arrived and the site is open (`infrastructure.site_access`);",
            "  a restore starts when the part is fitted and a provider's technician is working (support",
            "  hours, or any hour with `on_call_out_of_hours` or 24x7 support). Fitting takes no time.",
            "- While parts are awaited the clock is paused only if `clock_pauses` lists",
            "  `awaiting_third_party`; while the site is closed, only if it lists `outside_site_access`.",
            f"- Downtime budgets use a {MONTH_DAYS}-day month.",
            "- Breach notification deadlines to the regulator: "
            + ", ".join(f"{name}: {format_duration(value)}" for name, value in REGULATOR_DEADLINES.items()) + ".",
            f"- Queueing (Erlang C): a response target holds when at most {RESPONSE_MISS_LIMIT:%} of tickets "
            "wait longer than it for a technician; all technicians share one queue in support hours.",
            ""]
    return [line.replace("5.00%", "5%") for line in out]


def _hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# --------------------------------------------------------------------------------------------
# Words


def duration(value: timedelta) -> str:
    return format_duration(value) if value > timedelta(0) else "0m"


def a(text: str) -> str:
    """'a 4h' or 'an 8h' (and 'an 11h', 'an 18h', 'an 80h'), as the figure is read aloud."""
    spoken_vowel = text.startswith("8") or text.startswith(("11", "18")) and not text[2:3].isdigit()
    return f"{'an' if spoken_vowel else 'a'} {text}"


def owner(name: str) -> str:
    """'email's', 'files'' as a possessive."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def when(moment: datetime) -> str:
    """'Friday 17:31': the weekday and wall-clock time a message names."""
    return f"{WEEKDAYS[moment.weekday()].title()} {moment:%H:%M}"


def until(start: datetime, end: datetime) -> str:
    """The end instant in words, with its date when it is a week or more after ``start``."""
    if (end.date() - start.date()).days >= 7:
        return f"{when(end)} {end.day} {end:%B}"
    return when(end)


def percent(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return f"{text}%"


# --------------------------------------------------------------------------------------------
# The worst cases of one contract


@dataclass(frozen=True)
class Repair:
    """One failure of a component logged at ``logged``, followed through to the end of its repair."""

    component: "Component"
    logged: datetime
    parts: datetime  # parts (or the supplier's engineer) on site
    fitted: datetime  # the site is open: the part is in
    done: datetime  # and the data restored

    def pauses(self, contract: "Contract") -> list[tuple[datetime, datetime]]:
        reasons = set(contract.clock_pauses or ())
        out = []
        if "awaiting_third_party" in reasons and self.parts > self.logged:
            out.append((self.logged, self.parts))
        if "outside_site_access" in reasons and self.fitted > self.parts:
            out.append((self.parts, self.fitted))
        return out


@dataclass(frozen=True)
class RepairCase:
    repair: Repair
    measured: timedelta  # on the priority's clock, pauses taken off
    unpaused: timedelta  # on the priority's clock, with no pause


class Context:
    """A contract, its source positions and the calendars and worst cases the rules share."""

    def __init__(self, contract: "Contract", doc: "YamlSource", clause_dir: "Path | None" = None):
        self.contract = contract
        self.doc = doc
        self.clause_dir = clause_dir  # the library whose wording the wording rules read (None: the packaged one)
        self.zone = contract.support_hours.timezone
        self._repairs: dict[str, list[Repair]] = {}
        self._measured: dict[tuple[str, str], list[RepairCase]] = {}
        self._next_open: dict[tuple[int, datetime], datetime] = {}
        self._closes: dict[date, datetime | None] = {}
        self.cache: dict[str, dict] = {}  # for rules that share a computation

    # ---- calendars ------------------------------------------------------------------------------

    @cached_property
    def support(self) -> "Calendar":
        from slagen.calendar.clock import Calendar

        hours = self.contract.support_hours
        return Calendar.shared(hours.timezone, hours.weekly.windows,
                               holidays=hours.holidays.choice() if hours.holidays else None,
                               closures=hours.extra_closures)

    @cached_property
    def always(self) -> "Calendar":
        from slagen.calendar.clock import Calendar

        return Calendar.shared(self.zone, parse_weekly_hours("24x7").windows)

    def clock(self, name: str) -> "Calendar":
        return self.always if name == "24x7" else self.support

    @cached_property
    def supplier(self) -> "Calendar":
        from slagen.calendar.clock import Calendar

        hours = self.contract.support_hours
        holidays = (hours.holidays.country, hours.holidays.subdivision) if hours.holidays else None
        windows = [Window(d, *WARRANTY_DAY) for d in WARRANTY_DAYS]
        return Calendar.shared(self.zone, windows, holidays=holidays)

    @cached_property
    def site(self) -> "Calendar":
        from slagen.calendar.clock import Calendar

        infra = self.contract.infrastructure
        if infra is None or infra.site_access is None or infra.site_access.is_always:
            return self.always
        return Calendar.shared(self.zone, infra.site_access.windows)

    @property
    def covered_out_of_hours(self) -> bool:
        staffing = self.contract.staffing
        return self.contract.support_hours.weekly.is_always or bool(staffing and staffing.on_call_out_of_hours)

    @cached_property
    def staff(self) -> "Calendar":
        """When a provider's technician is working."""
        return self.always if self.covered_out_of_hours else self.support

    # ---- the representative week ----------------------------------------------------------------

    @cached_property
    def week(self) -> datetime:
        """Monday 00:00 of the representative week (aware, in the contract's zone)."""
        start = self.contract.agreement.effective_date
        monday = start + timedelta(days=(7 - start.weekday()) % 7)
        for _ in range(52):
            if self._ordinary(monday):
                break
            monday += timedelta(days=7)
        return self.always.aware(datetime(monday.year, monday.month, monday.day))

    def _ordinary(self, monday: date) -> bool:
        """No closure and no clock change from ``monday`` for three weeks, on any calendar used."""
        first = self.always.aware(datetime(monday.year, monday.month, monday.day))
        last = self.always.aware(datetime.combine(monday + timedelta(days=21), datetime.min.time()))
        if first.utcoffset() != last.utcoffset():
            return False
        for cal in (self.support, self.supplier):
            expected = timedelta(minutes=3 * sum(w.minutes for w in cal.windows))
            if cal.elapsed(first, last) != expected:
                return False
        return True

    def local(self, day: int, minutes: int) -> datetime:
        """``minutes`` after midnight of day ``day`` of the representative week, aware."""
        naive = self.week.replace(tzinfo=None) + timedelta(days=day, minutes=minutes)
        return self.always.aware(naive)

    @cached_property
    def candidates(self) -> list[datetime]:
        """Logging instants to try: every calendar edge in the week, and one minute either side."""
        edges = {0, 12 * 60, 13 * 60}
        calendars = [self.support, self.supplier]
        infra = self.contract.infrastructure
        if infra is not None and infra.site_access is not None:
            calendars.append(self.site)
        minutes: set[int] = set()
        for day in range(7):
            for edge in edges:
                minutes.add(day * 1440 + edge)
        for cal in calendars:
            for window in cal.windows:
                minutes.add(window.weekday * 1440 + window.start)
                minutes.add(window.weekday * 1440 + window.end)
        out = set()
        for m in minutes:
            for nudge in (-1, 0, 1):
                out.add((m + nudge) % (7 * 1440))
        return [self.local(0, m) for m in sorted(out)]

    # ---- the estate -------------------------------------------------------------------------------

    @staticmethod
    def is_hardware(component: "Component") -> bool:
        return component.kind in HARDWARE_KINDS or component.warranty is not None

    @staticmethod
    def holds_data(component: "Component") -> bool:
        return component.holds_data if component.holds_data is not None else component.kind in DATA_KINDS

    @cached_property
    def in_scope(self) -> list[tuple[int, "Component"]]:
        """Components a service depends on (all of them when no service names any), with their index."""
        infra = self.contract.infrastructure
        if infra is None:
            return []
        needed = {dep for service in self.contract.services for dep in service.depends_on}
        return [(i, c) for i, c in enumerate(infra.components) if not needed or c.id in needed]

    @cached_property
    def single_points(self) -> list[tuple[int, "Component"]]:
        """Hardware in scope with no spare: one failure stops what depends on it."""
        return [(i, c) for i, c in self.in_scope if self.is_hardware(c) and c.count < 2]

    @cached_property
    def restore_time(self) -> timedelta | None:
        infra = self.contract.infrastructure
        if infra is None or infra.data_size_gb is None or infra.restore_rate_gb_per_hour is None:
            return None
        hours = Decimal(str(infra.data_size_gb)) / Decimal(str(infra.restore_rate_gb_per_hour))
        return timedelta(seconds=int((hours * 3600).to_integral_value()))

    def terms(self, component: "Component") -> WarrantyTerms:
        return WARRANTIES[component.warranty or MISSING_WARRANTY]

    # ---- one failure, followed through ------------------------------------------------------------

    def parts_arrive(self, terms: WarrantyTerms, logged: datetime) -> datetime:
        if terms.hours is not None:
            cal = self.always if terms.calendar == "always" else self.supplier
            return cal.due(logged, terms.hours)
        day = logged.date()
        if terms.same_day_cutoff is not None and logged.hour * 60 + logged.minute < terms.same_day_cutoff:
            close = self._business_close(day)
            if close is not None and close > logged:
                return close
        count = 0
        while True:
            day += timedelta(days=1)
            close = self._business_close(day)
            if close is not None:
                count += 1
                if count == (terms.business_days or 1):
                    return close

    def _business_close(self, day: date) -> datetime | None:
        if day not in self._closes:
            self._closes[day] = self._find_business_close(day)
        return self._closes[day]

    def _find_business_close(self, day: date) -> datetime | None:
        if day.weekday() not in WARRANTY_DAYS:
            return None
        opening = datetime(day.year, day.month, day.day) + timedelta(minutes=WARRANTY_DAY[0] + 1)
        if not self.supplier.is_open(opening):
            return None
        return self.supplier.aware(datetime(day.year, day.month, day.day) + timedelta(minutes=WARRANTY_DAY[1]))

    def next_open(self, cal: "Calendar", moment: datetime) -> datetime:
        """The first instant at or after ``moment`` at which ``cal`` is open."""
        key = (id(cal), moment)
        if key not in self._next_open:
            # The instant one microsecond of open time is used up, less that microsecond: the
            # moment itself when open, else the next opening.
            tick = timedelta(microseconds=1)
            found = moment if cal.is_always else cal.due(moment, tick) - tick
            self._next_open[key] = found
        return self._next_open[key]

    def next_common(self, calendars: list["Calendar"], moment: datetime) -> datetime:
        """The first instant from ``moment`` at which every calendar is open."""
        for _ in range(100):
            start = moment
            for cal in calendars:
                moment = self.next_open(cal, moment)
            if moment == start:
                return moment
        return moment

    def repairs(self, component: "Component") -> list[Repair]:
        """A failure of ``component`` logged at each candidate instant, followed to its end."""
        if component.id in self._repairs:
            return self._repairs[component.id]
        out = [self.follow(component, logged) for logged in self.candidates]
        self._repairs[component.id] = out
        return out

    def follow(self, component: "Component", logged: datetime, called: datetime | None = None) -> Repair:
        """A failure logged at ``logged`` (the supplier called at ``called``), followed to its end."""
        terms = self.terms(component)
        parts = self.parts_arrive(terms, called or logged)
        needed = [self.site] if terms.engineer_included else [self.site, self.staff]
        fitted = self.next_common(needed, parts)
        done = fitted
        restore = self.restore_time if self.holds_data(component) else None
        if restore:
            done = self.next_open(self.staff, fitted) + restore
        return Repair(component, logged, parts, fitted, done)

    def measured(self, component: "Component", clock: str) -> list[RepairCase]:
        """Each candidate failure of ``component`` measured on ``clock``, with and without pauses."""
        key = (component.id, clock)
        if key not in self._measured:
            cal = self.clock(clock)
            repairs = self.repairs(component)
            unpaused = self.elapsed_many(cal, [r.logged for r in repairs], [r.done for r in repairs])
            paused = [timedelta(0)] * len(repairs)
            for slot in range(2):  # at most two pauses: awaiting parts, awaiting the site
                spans = [(r.pauses(self.contract) + [(r.logged, r.logged)] * 2)[slot] for r in repairs]
                for n, used in enumerate(self.elapsed_many(cal, [a for a, _ in spans], [b for _, b in spans])):
                    paused[n] += used
            self._measured[key] = [RepairCase(r, u - p, u) for r, u, p in zip(repairs, unpaused, paused)]
        return self._measured[key]

    @staticmethod
    def elapsed_many(cal: "Calendar", starts: list[datetime], ends: list[datetime]) -> list[timedelta]:
        """``cal.elapsed`` for many pairs, exact to the microsecond (numpy's batch is not, and
        would put a tenth of a second of imports on this command's path)."""
        return cal.elapsed_list(starts, ends)

    def due_many(self, cal: "Calendar", starts: list[datetime], target: timedelta) -> list[datetime]:
        zone = self.always.zone
        return [due.astimezone(zone) for due in cal.due_list(starts, target)]

    def worst_repair(self, component: "Component", clock: str, *, paused: bool = True) -> RepairCase:
        """The failure whose repair takes longest on ``clock``.

        With ``paused`` the time the contract's pauses stop the clock is taken off first; ties go to
        the longer unpaused wait, then to the later logging instant.
        """
        best: tuple | None = None
        for case in self.measured(component, clock):
            key = (case.measured, case.unpaused) if paused else (case.unpaused, case.measured)
            if best is None or key >= best[0]:
                best = (key, case)
        assert best is not None
        return best[1]

    def shifted(self, back: timedelta) -> list[datetime]:
        """The candidates and the instants ``back`` before each: where a wait of ``back`` ends on an edge."""
        out = set(self.candidates)
        out.update(self.always.aware((c - back).replace(tzinfo=None)) for c in self.candidates)
        return sorted(out)

    def describe_repair(self, case: RepairCase, who: str) -> str:
        """'a P1 logged Friday 00:00 waits for parts until Monday 17:30, the restore ends Tuesday 16:30'."""
        r = case.repair
        terms = self.terms(r.component)
        what = "an engineer" if terms.engineer_included else "parts"
        text = f"{who} logged {when(r.logged)} waits for {what} ({terms.name}) until {until(r.logged, r.parts)}"
        if r.fitted > r.parts:
            waiting = "a technician" if self.site.is_open(r.parts) else "the site to open"
            text += f", for {waiting} until {until(r.logged, r.fitted)}"
        if r.done > r.fitted:
            text += f", and its data are restored by {until(r.logged, r.done)}"
        return text

    # ---- positions ----------------------------------------------------------------------------------

    def has(self, loc: tuple) -> bool:
        return tuple(loc) in self.doc.value_at
