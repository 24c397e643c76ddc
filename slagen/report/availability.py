"""Outages -> availability per service over the contract's measurement window, and credits due.

Rules (docs/report.md):

* The measurement window is the contract's ``availability.measured_over`` (calendar month or
  quarter, on the contract's wall clock); every window that overlaps the report period is
  measured, cut at the period's end (a cut window is marked ``to date``).
* Measured time is every hour (``hours: all``) or the support hours (``hours: support_hours``,
  holidays closed) of the window.
* Downtime is the union of a service's outages within measured time (overlapping outages are
  counted once). A *planned* outage does not count while it is inside an agreed maintenance
  window; the part of it outside the windows (an overrun) does. An unplanned outage always
  counts, maintenance window or not. An outage with no end is still going on: it runs to the
  window's end.
* *Emergency* maintenance (``planned`` = ``emergency``) is left out, as the maintenance clause
  words it, up to ``availability.emergency_maintenance.cap_per_month`` in total in each calendar
  month: the month's emergency work, all services together and at any hour (the cap limits the
  work, not one service's figure), is taken in the order it happened, and the part beyond the
  cap counts in full. Without that term in the contract, emergency work is an unplanned outage.
* Availability = (measured - downtime) / measured, exactly.
* Service credit, as the service-credits clause words it: of the tiers whose ``below`` the
  availability falls strictly under, the one with the lowest threshold applies. The tiers are
  the contract's, for every service: a service that meets a 99.5 % target at 99.7 % is still
  below a 99.9 % tier. The credits of all services in one measurement window are limited *in
  total* to ``credit_cap``. With a monthly fee in the statement of work and monthly
  measurement, amounts are fee x credit, to the penny (half up).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from slagen.errors import InvalidInput, Problem
from slagen.report.csv_rows import column_index, missing_column, read_csv_columns
from slagen.report.times import parse_times
from slagen.report.zone import Zone

if TYPE_CHECKING:
    from slagen.model import Contract
    from slagen.report.attainment import Period

__all__ = ["Outage", "read_outages", "WindowFigures", "ServiceAvailability", "CreditTotal", "availability_figures",
           "credit_for", "credit_totals"]

Interval = tuple[int, int]  # UTC epoch seconds [start, end)

_TRUE = {"true", "yes", "y", "1", "planned", "scheduled", "maintenance"}
_FALSE = {"false", "no", "n", "0", "unplanned", "unscheduled", ""}
_EMERGENCY = {"emergency", "emergency maintenance", "urgent"}
_KINDS = {**{w: "planned" for w in _TRUE}, **{w: "unplanned" for w in _FALSE}, **{w: "emergency" for w in _EMERGENCY}}


@dataclass(frozen=True)
class Outage:
    service: str  # the contract's service id
    start: int  # UTC epoch seconds
    end: int | None  # None: still going on
    kind: str  # 'planned', 'unplanned' or 'emergency' (maintenance)
    line: int


def read_outages(path: str | Path, contract: "Contract", zone: Zone, *, strict: bool = False, table=None
                 ) -> tuple[list[Outage], list[Problem]]:
    """Outages from a CSV with the columns ``service, start, end, planned``; bad rows reported.
    ``table``: (header, rows, lines) already read from ``path`` (a portfolio's one outage file,
    this customer's rows)."""
    file = str(path)
    header, rows, lines = table if table is not None else read_csv_columns(path)
    fields = ("service", "start", "end", "planned")
    index = {}
    missing = []
    for name in fields:
        at = column_index(header, name)
        if at is None and name != "planned":
            missing.append(missing_column(file, header, name, name))
        index[name] = at
    if missing:
        raise InvalidInput(file, missing)
    width = max(v for v in index.values() if v is not None) + 1
    rows = [r + [""] * (width - len(r)) if len(r) < width else r for r in rows]
    services = {}
    for s in contract.services:
        services[s.name.casefold()] = s.id
    for s in contract.services:
        services[s.id.casefold()] = s.id
    untargeted = {s.id for s in contract.services if s.availability is None}
    starts, _, start_empty = parse_times([r[index["start"]] for r in rows], zone)
    ends, _, end_empty = parse_times([r[index["end"]] for r in rows], zone)
    start_bad = np.isnat(starts)
    end_bad = np.isnat(ends) & ~end_empty
    problems: list[Problem] = []
    outages: list[Outage] = []

    def problem(r: int, field: str, message: str) -> None:
        k = index[field]
        problems.append(Problem(file, int(lines[r]), (k or 0) + 1, header[k] if k is not None else field, message))

    for r, row in enumerate(rows):
        before = len(problems)
        service = services.get(row[index["service"]].strip().casefold())
        if service is None:
            problem(r, "service", f"'{row[index['service']].strip()}' is not a service of the contract "
                                  f"({', '.join(s.id for s in contract.services)})")
        elif service in untargeted:  # measured nowhere: say so rather than drop the row unseen
            problem(r, "service", f"the service '{service}' has no availability target in the contract, so its "
                                  "outages are not measured; give it `availability:` or leave it out of the file")
        if start_bad[r]:
            text = row[index["start"]].strip()
            problem(r, "start", "the start time is missing" if start_empty[r] else
                    f"'{text}' is not a time: write it as 2027-03-01T09:30 or 2027-03-01T09:30+00:00")
        if end_bad[r]:
            problem(r, "end", f"'{row[index['end']].strip()}' is not a time: write it as 2027-03-01T09:30 or "
                              "2027-03-01T09:30+00:00 (leave it empty while the outage goes on)")
        planned_text = row[index["planned"]].strip().casefold() if index["planned"] is not None else ""
        if planned_text not in _KINDS:
            problem(r, "planned", f"'{planned_text}' is not yes, no or emergency (for emergency maintenance)")
        if not start_bad[r] and not end_bad[r] and not end_empty[r] and ends[r] < starts[r]:
            problem(r, "end", "the outage ends before it starts")
        if len(problems) == before:
            outages.append(Outage(service, int(starts[r].astype(np.int64)),
                                  None if end_empty[r] else int(ends[r].astype(np.int64)),
                                  _KINDS[planned_text], int(lines[r])))
    if strict and problems:
        raise InvalidInput(file, problems)
    return outages, problems


# --------------------------------------------------------------------------------------------
# Interval sets: a handful of intervals per service, so plain Python


def union(intervals) -> list[Interval]:
    merged: list[Interval] = []
    for a, b in sorted(i for i in intervals if i[0] < i[1]):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def intersect(first: list[Interval], second: list[Interval]) -> list[Interval]:
    out, i, j = [], 0, 0
    while i < len(first) and j < len(second):
        a, b = max(first[i][0], second[j][0]), min(first[i][1], second[j][1])
        if a < b:
            out.append((a, b))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(first: list[Interval], second: list[Interval]) -> list[Interval]:
    out = []
    for a, b in first:
        cursor = a
        for c, d in second:
            if d <= cursor or c >= b:
                continue
            if c > cursor:
                out.append((cursor, c))
            cursor = max(cursor, d)
        if cursor < b:
            out.append((cursor, b))
    return out


def total(intervals: list[Interval]) -> int:
    return sum(b - a for a, b in intervals)


# --------------------------------------------------------------------------------------------
# Figures


@dataclass(frozen=True)
class WindowFigures:
    label: str  # '2027-03' or '2027-Q1'
    start: int
    end: int
    to_date: bool  # cut at the report period's end
    measured_seconds: int
    downtime_seconds: int
    unplanned_seconds: int  # downtime from unplanned outages
    overrun_seconds: int  # downtime from planned work outside the maintenance windows
    excluded_seconds: int  # maintenance not counted: planned work in the windows, emergency work within the cap
    emergency_excluded_seconds: int  # of which emergency maintenance within the monthly cap
    emergency_counted_seconds: int  # downtime from emergency maintenance beyond the monthly cap
    outages: int
    availability: Fraction  # percent
    target: Decimal
    met: bool
    credit: Decimal  # percent of the fee, after the cap
    credit_amount: Decimal | None


@dataclass(frozen=True)
class ServiceAvailability:
    id: str
    name: str
    target: Decimal
    windows: tuple[WindowFigures, ...]


def credit_for(availability: Fraction, contract: "Contract") -> Decimal:
    """The credit (% of the fee) the tiers give for ``availability`` (%), limited by the cap."""
    terms = contract.availability
    if terms is None:
        return Decimal(0)
    crossed = [t for t in terms.service_credits if availability < Fraction(t.below)]
    # The agreement: "only the Service Credit for the lowest of those thresholds applies".
    credit = min(crossed, key=lambda t: t.below).credit if crossed else Decimal(0)
    if terms.credit_cap is not None:
        credit = min(credit, terms.credit_cap)
    return credit


def _windows(period: "Period", measured_over: str, zone: Zone, step: int | None = None
             ) -> list[tuple[str, int, int, bool]]:
    """(label, start, end, to_date) of each measurement window overlapping the period, or of each
    calendar month in those windows (``step`` 1)."""
    from slagen.report.attainment import month_start

    quarterly = measured_over == "calendar_quarter"
    step = step or (3 if quarterly else 1)
    first = period.first_month
    if quarterly:
        first = np.datetime64(f"{str(first)[:4]}-{(int(str(first)[5:7]) - 1) // 3 * 3 + 1:02d}", "M")
    out = []
    month = first
    while month < period.first_month + period.months:
        start = int(month_start(month, zone).astype(np.int64))
        end = int(month_start(month + step, zone).astype(np.int64))
        period_end = int(period.end.astype(np.int64))
        label = str(month) if step == 1 else f"{str(month)[:4]}-Q{(int(str(month)[5:7]) - 1) // 3 + 1}"
        out.append((label, start, min(end, period_end), end > period_end))
        month = month + step
    return out


def emergency_allowance(outages: list[Outage], months: list[tuple[int, int]], cap_seconds: int) -> list[Interval]:
    """The emergency maintenance the cap leaves out: in each calendar month [start, end), the first
    ``cap_seconds`` of the month's emergency work, every service's together (work that takes two
    services down at once is the same work, counted once), in the order it happened."""
    allowed: list[Interval] = []
    for start, end in months:
        left = cap_seconds
        for a, b in union((max(o.start, start), min(end if o.end is None else o.end, end))
                          for o in outages if o.kind == "emergency"):
            if left <= 0:
                break
            allowed.append((a, min(b, a + left)))
            left -= min(b, a + left) - a
    return allowed


def _utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


def availability_figures(contract: "Contract", outages: list[Outage], period: "Period", zone: Zone
                         ) -> list[ServiceAvailability]:
    """Availability and credit per service with a target, per measurement window."""
    from slagen.calendar.clock import Calendar
    from slagen.model.types import Window

    terms = contract.availability
    measured_over = (terms.measured_over if terms and terms.measured_over else "calendar_month")
    hours = (terms.hours if terms and terms.hours else "all")
    support = Calendar.from_support_hours(contract.support_hours) if hours == "support_hours" else None
    maintenance_windows = [Window(w.day, w.start, w.start + int(w.duration.total_seconds() // 60))
                           for w in (terms.maintenance_windows if terms else [])]
    maintenance = Calendar(contract.support_hours.timezone, maintenance_windows) if maintenance_windows else None
    fee = contract.sow.fees.monthly if contract.sow is not None else None
    emergency = terms.emergency_maintenance if terms else None
    months = [(start, end) for _, start, end, _ in _windows(period, measured_over, zone, step=1)]
    allowance = emergency_allowance(outages, months, int(emergency.cap_per_month.total_seconds())) if emergency else []

    results = []
    for service in contract.services:
        if service.availability is None:
            continue
        mine = [o for o in outages if o.service == service.id]
        windows = []
        for label, start, end, to_date in _windows(period, measured_over, zone):
            if support is not None:
                measured = [(int(a.timestamp()), int(b.timestamp()))
                            for a, b in support.open_intervals(_utc(start), _utc(end))]
            else:
                measured = [(start, end)] if start < end else []
            agreed = ([(int(a.timestamp()), int(b.timestamp()))
                       for a, b in maintenance.open_intervals(_utc(start), _utc(end))] if maintenance else [])

            def clipped(kind: str) -> list[Interval]:
                return union((max(o.start, start), min(end if o.end is None else o.end, end))
                             for o in mine if o.kind == kind)

            unplanned = clipped("unplanned")
            planned = clipped("planned")
            urgent = clipped("emergency")
            overrun = subtract(planned, agreed)
            beyond_cap = subtract(urgent, allowance)
            counted = union(unplanned + overrun + beyond_cap)
            down = intersect(counted, measured)
            within_cap = intersect(subtract(intersect(urgent, allowance), counted), measured)
            excluded = intersect(subtract(union(intersect(planned, agreed) + within_cap), counted), measured)
            measured_s = total(measured)
            down_s = total(down)
            share = Fraction(100 * (measured_s - down_s), measured_s) if measured_s else Fraction(100)
            credit = credit_for(share, contract)
            amount = None
            if fee is not None and measured_over == "calendar_month":
                amount = (fee * credit / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            windows.append(WindowFigures(
                label=label, start=start, end=end, to_date=to_date, measured_seconds=measured_s,
                downtime_seconds=down_s, unplanned_seconds=total(intersect(unplanned, measured)),
                overrun_seconds=total(intersect(subtract(overrun, unplanned), measured)),
                excluded_seconds=total(excluded), emergency_excluded_seconds=total(within_cap),
                emergency_counted_seconds=total(intersect(subtract(beyond_cap, union(unplanned + overrun)), measured)),
                outages=sum(1 for o in mine if o.start < end and (o.end is None or o.end > start)),
                availability=share, target=service.availability,
                met=share >= Fraction(service.availability), credit=credit, credit_amount=amount,
            ))
        results.append(ServiceAvailability(service.id, service.name, service.availability, tuple(windows)))
    return results


@dataclass(frozen=True)
class CreditTotal:
    """The credits of every service in one measurement window, and what is due after the cap."""

    label: str
    credits: Decimal  # the sum of the services' credits, % of the monthly fee
    due: Decimal  # after the cap
    amount: Decimal | None


def credit_totals(services: list[ServiceAvailability], contract: "Contract") -> list[CreditTotal]:
    terms = contract.availability
    cap = terms.credit_cap if terms is not None else None
    fee = contract.sow.fees.monthly if contract.sow is not None else None
    labels: dict[str, list[WindowFigures]] = {}
    for service in services:
        for window in service.windows:
            labels.setdefault(window.label, []).append(window)
    out = []
    for label, windows in labels.items():
        summed = sum((w.credit for w in windows), Decimal(0))
        due = summed if cap is None else min(summed, cap)
        amount = None
        if all(w.credit_amount is not None for w in windows) and fee is not None:
            amount = (fee * due / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        out.append(CreditTotal(label, summed, due, amount))
    return out
