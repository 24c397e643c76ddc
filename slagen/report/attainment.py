"""Tickets -> response and resolution attainment per priority, on each priority's own clock.

Rules (docs/report.md says the same for customers):

* A ticket belongs to the period its ``logged_at`` falls in, on the contract's wall clock.
* Business time runs from ``logged_at`` on the priority's clock (24x7 or support hours, with
  holidays and DST) and pauses are taken off: the business time inside each pause, cut to the
  ticket's span, overlapping pauses merged first.
* Everything is judged **as at the end of the period**: a response or resolution after the
  period's end has not happened yet. A ticket whose target is still running then is *pending*
  (neither met nor breached and left out of the percentage); one whose business time already
  exceeds its target is *breached*.
* Met means business time <= target. Attainment = met / (met + breached).
* A ticket resolved with no first response recorded was answered when it was resolved.
* Median is the usual median; the 90th percentile is the nearest-rank value (the smallest
  time that at least 90 % of tickets did not exceed), both over tickets that completed.
* Overall attainment counts every response and resolution target together, and is placed in
  the bands the field uses: above 90 % world-class, 75-90 % average, 50-75 % below average,
  50 % and below underperforming.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from slagen.errors import UsageError
from slagen.report.tickets import TicketSet
from slagen.report.times import NAT
from slagen.report.zone import Zone

if TYPE_CHECKING:
    from slagen.calendar.clock import Calendar
    from slagen.model import Contract

__all__ = ["Period", "TargetFigures", "PriorityFigures", "Breach", "TrendPoint", "Outcome", "evaluate",
           "priority_figures", "overall", "band", "BANDS", "trend"]

# (lowest attainment, strictly above?, name): the first band whose floor the figure passes.
BANDS = (
    (Fraction(90), True, "world-class"),
    (Fraction(75), False, "average"),
    (Fraction(50), True, "below average"),
    (Fraction(0), False, "underperforming"),
)


def band(attainment: Fraction | None) -> str | None:
    """'world-class' above 90 %, 'average' from 75 %, 'below average' above 50 %, else 'underperforming'."""
    if attainment is None:
        return None
    for floor, strictly, name in BANDS:
        if attainment > floor if strictly else attainment >= floor:
            return name
    return "underperforming"


# --------------------------------------------------------------------------------------------
# Periods

# ASCII digits only: '２０２７-０３' (full-width) is not a period, however \d may read it.
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$", re.ASCII)
_QUARTER = re.compile(r"^([0-9]{4})-?Q([1-4])$", re.IGNORECASE | re.ASCII)
_YEAR = re.compile(r"^([0-9]{4})$", re.ASCII)
_PERIOD_HINT = "write a month (2027-03), a quarter (2027-Q1) or a year (2027)"


@dataclass(frozen=True)
class Period:
    """A calendar month, quarter or year on the contract's wall clock, with its UTC bounds."""

    label: str
    first_month: np.datetime64  # datetime64[M], local
    months: int
    start: np.datetime64  # datetime64[s] UTC, local midnight on the first day
    end: np.datetime64  # datetime64[s] UTC, local midnight after the last day

    @classmethod
    def parse(cls, text: str, zone: Zone) -> "Period":
        from slagen.report.times import FIRST_YEAR, LAST_YEAR

        value = text.strip()
        year_text = value[:4]
        if year_text.isascii() and year_text.isdigit() and not FIRST_YEAR <= int(year_text) < LAST_YEAR:
            raise UsageError(f"error: --period '{text}' is in the year {year_text}; tickets are read from "
                             f"{FIRST_YEAR} to {LAST_YEAR - 1}, so {_PERIOD_HINT}")
        if m := _MONTH.match(value):
            if not 1 <= int(m[2]) <= 12:
                raise UsageError(f"error: --period '{text}' has no month {m[2]}: months are 01 to 12; write it "
                                 "like 2027-03")
            first, months, label = np.datetime64(f"{m[1]}-{m[2]}", "M"), 1, value
        elif m := _QUARTER.match(value):
            first = np.datetime64(f"{m[1]}-{(int(m[2]) - 1) * 3 + 1:02d}", "M")
            months, label = 3, f"{m[1]}-Q{m[2]}"
        elif m := _YEAR.match(value):
            first, months, label = np.datetime64(f"{m[1]}-01", "M"), 12, value
        else:
            raise UsageError(f"error: --period '{text}' is not a period: {_PERIOD_HINT}, in plain digits")
        return cls(label, first, months, month_start(first, zone), month_start(first + months, zone))

    @property
    def month_list(self) -> list[np.datetime64]:
        return [self.first_month + i for i in range(self.months)]

    @property
    def last_day(self) -> np.datetime64:
        return (self.first_month + self.months).astype("datetime64[D]") - 1


def month_start(month: np.datetime64, zone: Zone) -> np.datetime64:
    """Local midnight on the first of ``month`` as UTC datetime64[s]."""
    return zone.midnight_utc(np.datetime64(month, "M").astype("datetime64[D]"))


# --------------------------------------------------------------------------------------------
# Per-ticket outcomes


@dataclass
class Outcome:
    """Per-ticket results for one cut-off, as arrays parallel to the ticket set."""

    response_seconds: np.ndarray  # business seconds to the response, or to the cut-off if none yet
    response_done: np.ndarray  # responded by the cut-off
    response_met: np.ndarray
    response_breached: np.ndarray
    resolution_seconds: np.ndarray
    resolution_done: np.ndarray
    resolution_met: np.ndarray
    resolution_breached: np.ndarray


def calendars(contract: "Contract") -> dict[str, "Calendar"]:
    from slagen.calendar.clock import Calendar

    return {clock: Calendar.for_clock(contract, clock) for clock in sorted({p.clock for p in contract.priorities})}


def evaluate(tickets: TicketSet, contract: "Contract", cutoff: np.ndarray, rows: np.ndarray,
             clocks: dict[str, "Calendar"] | None = None) -> Outcome:
    """See ``_evaluate``; without response data (``tickets.no_response``) no response is judged."""
    outcome = _evaluate(tickets, contract, cutoff, rows, clocks)
    if tickets.no_response:
        blank = np.zeros(len(tickets), bool)
        outcome.response_seconds = np.zeros(len(tickets), np.int64)
        outcome.response_done = outcome.response_met = outcome.response_breached = blank
    return outcome


def _evaluate(tickets: TicketSet, contract: "Contract", cutoff: np.ndarray, rows: np.ndarray,
              clocks: dict[str, "Calendar"] | None = None) -> Outcome:
    """Outcomes of the tickets at positions ``rows``, each judged as at its ``cutoff`` (UTC).

    Arrays in the result are full length (one entry per ticket); entries outside ``rows`` are
    zero/False.
    """
    clocks = clocks or calendars(contract)
    n = len(tickets)
    full_cut = np.full(n, NAT)
    full_cut[rows] = cutoff
    in_scope = np.zeros(n, bool)
    in_scope[rows] = True
    logged = tickets.logged
    responded = np.where(np.isnat(tickets.responded), tickets.resolved, tickets.responded)

    # The priorities that run on the same clock are measured together: one pass of the clock's
    # vectorised arithmetic per clock (response and resolution together), not one per priority.
    clock_names = sorted({p.clock for p in contract.priorities})
    clock_of = np.array([clock_names.index(p.clock) for p in contract.priorities] or [0], np.int64)
    ticket_clock = clock_of[tickets.priority] if n else np.zeros(0, np.int64)
    kinds = (("response", responded), ("resolution", tickets.resolved))
    done, end = {}, {}
    for kind, done_at in kinds:
        with np.errstate(invalid="ignore"):
            done[kind] = in_scope & ~np.isnat(done_at) & (done_at < full_cut)
        end[kind] = np.where(done[kind], done_at, full_cut)
    seconds = {kind: np.zeros(n, np.int64) for kind, _ in kinds}
    for c, name in enumerate(clock_names):
        group = np.flatnonzero(in_scope & (ticket_clock == c))
        if group.size == 0:
            continue
        calendar = clocks[name]
        # Both kinds in one pass of the clock: the same pairs as one call per kind, half the calls.
        ends = [end[kind][group] for kind, _ in kinds]
        spent = calendar.elapsed_many(np.concatenate([logged[group]] * len(kinds)), np.concatenate(ends))
        for k, ((kind, _), paused) in enumerate(zip(kinds, _paused_kinds(tickets, calendar, group,
                                                                          [end[kind] for kind, _ in kinds]))):
            seconds[kind][group] = spent[k * group.size:(k + 1) * group.size] - paused
    results = {}
    for kind, _ in kinds:
        targets = np.array([int(getattr(p, kind).total_seconds()) for p in contract.priorities] or [0], np.int64)
        target = targets[tickets.priority] if n else np.zeros(0, np.int64)
        met = in_scope & done[kind] & (seconds[kind] <= target)
        breached = in_scope & (seconds[kind] > target)
        results[kind] = (seconds[kind], done[kind], met, breached)
    return Outcome(*results["response"], *results["resolution"])


def _paused_kinds(tickets: TicketSet, calendar: "Calendar", group: np.ndarray, ends: list[np.ndarray]
                  ) -> list[np.ndarray]:
    """For each of ``ends``: business seconds inside each ticket's pauses, cut to [logged, end),
    for the tickets in ``group`` (every end in one pass of the clock).

    The pauses are already merged per ticket, so their business times simply add up.
    """
    nothing = [np.zeros(group.size, np.int64) for _ in ends]
    if tickets.pause_ticket.size == 0:
        return nothing
    member = np.zeros(len(tickets), bool)
    member[group] = True
    sel = np.flatnonzero(member[tickets.pause_ticket])
    if sel.size == 0:
        return nothing
    owner = tickets.pause_ticket[sel]
    a = np.maximum(tickets.pause_start[sel], tickets.logged[owner])
    b_raw = tickets.pause_end[sel]
    cuts = []
    for end in ends:
        b = np.where(np.isnat(b_raw), end[owner], np.minimum(b_raw, end[owner]))
        cuts.append((a < b, b))
    if not any(keep.any() for keep, _ in cuts):
        return nothing
    spent = calendar.elapsed_many(np.concatenate([a[keep] for keep, _ in cuts]),
                                  np.concatenate([b[keep] for keep, b in cuts]))
    out, at = [], 0
    for keep, _ in cuts:
        size = int(np.count_nonzero(keep))
        if size == 0:
            out.append(np.zeros(group.size, np.int64))
            continue
        total = np.bincount(owner[keep], weights=spent[at:at + size].astype(np.float64), minlength=len(tickets))
        at += size
        out.append(np.rint(total[group]).astype(np.int64))
    return out


# --------------------------------------------------------------------------------------------
# Figures


@dataclass(frozen=True)
class TargetFigures:
    target_seconds: int
    met: int
    breached: int
    pending: int  # open at the cut-off and not yet past its target
    median_seconds: float | None  # over tickets that completed
    p90_seconds: int | None
    measured_at_all: bool = True  # False: the export has no data for this target (no response times)

    @property
    def measured(self) -> int:
        return self.met + self.breached

    @property
    def attainment(self) -> Fraction | None:
        return Fraction(100 * self.met, self.measured) if self.measured else None


@dataclass(frozen=True)
class PriorityFigures:
    id: str
    name: str
    clock: str
    tickets: int
    response: TargetFigures
    resolution: TargetFigures


_BITS = 42  # business seconds take fewer bits than this (2**41 s is some 70,000 years)
_SPAN = 1 << (_BITS - 1)


def nearest_rank(values: np.ndarray, percent: int) -> int | None:
    if values.size == 0:
        return None
    ordered = np.sort(values)
    return int(ordered[max(math.ceil(percent * values.size / 100) - 1, 0)])


def priority_figures(tickets: TicketSet, contract: "Contract", outcome: Outcome, rows: np.ndarray
                     ) -> list[PriorityFigures]:
    """Each priority's figures over the tickets at ``rows`` (positions, each at most once): counts
    by ``bincount`` and the medians and 90th percentiles from one sort, for every priority at once
    (``_target`` gives the same figures for one priority and mask)."""
    count = len(contract.priorities)
    rows = np.asarray(rows, np.int64)
    priority = tickets.priority[rows]
    tickets_per = np.bincount(priority, minlength=count)

    def targets(seconds, done, met, breached, kind: str, recorded: bool = True) -> list[TargetFigures]:
        if not recorded:
            return [TargetFigures(int(getattr(p, kind).total_seconds()), 0, 0, 0, None, None, measured_at_all=False)
                    for p in contract.priorities]
        met, breached, done = met[rows], breached[rows], done[rows]
        # Met, breached and neither, per priority, from one count of (priority, met, breached).
        states = np.bincount(priority * 4 + met + 2 * breached, minlength=4 * count).reshape(count, 4)
        met_per, breached_per, pending_per = states[:, 1] + states[:, 3], states[:, 2] + states[:, 3], states[:, 0]
        finished_priority, finished = priority[done], seconds[rows][done]
        if finished.size and -_SPAN < finished.min() and finished.max() < _SPAN:
            # By priority, then by time: one sort of both in one integer (the priority above the
            # time's bits) rather than a two-key lexsort.
            ordered = np.sort((finished_priority << _BITS) + (finished + _SPAN))
            ordered = (ordered & (_SPAN * 2 - 1)) - _SPAN
        else:
            ordered = finished[np.lexsort((finished, finished_priority))]
        bounds = [0, *np.cumsum(np.bincount(finished_priority, minlength=count)).tolist()]
        out = []
        for k, p in enumerate(contract.priorities):
            mine = ordered[bounds[k]:bounds[k + 1]]
            size = mine.size
            median = None
            if size:
                middle = size // 2
                median = float(mine[middle]) if size % 2 else (float(mine[middle - 1]) + float(mine[middle])) / 2
            out.append(TargetFigures(
                target_seconds=int(getattr(p, kind).total_seconds()), met=int(met_per[k]),
                breached=int(breached_per[k]), pending=int(pending_per[k]), median_seconds=median,
                p90_seconds=int(mine[max(math.ceil(90 * size / 100) - 1, 0)]) if size else None))
        return out

    response = targets(outcome.response_seconds, outcome.response_done, outcome.response_met,
                       outcome.response_breached, "response", recorded=not tickets.no_response)
    resolution = targets(outcome.resolution_seconds, outcome.resolution_done, outcome.resolution_met,
                         outcome.resolution_breached, "resolution")
    return [PriorityFigures(id=p.id, name=p.name, clock=p.clock, tickets=int(tickets_per[k]),
                            response=response[k], resolution=resolution[k])
            for k, p in enumerate(contract.priorities)]


def overall(figures: list[PriorityFigures]) -> tuple[int, int, Fraction | None]:
    """(targets met, targets measured, attainment %) over every response and resolution target."""
    met = sum(f.response.met + f.resolution.met for f in figures)
    measured = sum(f.response.measured + f.resolution.measured for f in figures)
    return met, measured, (Fraction(100 * met, measured) if measured else None)


@dataclass(frozen=True)
class Breach:
    ticket: str
    priority: str
    target: str  # response | resolution
    business_seconds: int
    target_seconds: int
    open: bool  # still open at the period's end
    line: int
    logged: np.datetime64


def breaches(tickets: TicketSet, contract: "Contract", outcome: Outcome, rows: np.ndarray, limit: int
             ) -> tuple[list[Breach], int]:
    """The breached targets in priority then logging order (at most ``limit``), and how many in all."""
    in_scope = np.zeros(len(tickets), bool)
    in_scope[rows] = True
    kinds = (("response", outcome.response_seconds, outcome.response_done, outcome.response_breached),
             ("resolution", outcome.resolution_seconds, outcome.resolution_done, outcome.resolution_breached))
    found_at = [np.flatnonzero(in_scope & hit) for _, _, _, hit in kinds]
    total = sum(idx.size for idx in found_at)
    # Priority, then logging time, then response before resolution (a ticket breaching both is
    # listed twice, response first), then the export's order: one stable sort of both kinds'
    # breaches, and Breach objects made only for the first ``limit``.
    idx = np.concatenate(found_at)
    kind_of = np.repeat(np.arange(len(kinds)), [a.size for a in found_at])
    order = np.lexsort((kind_of, tickets.logged[idx], tickets.priority[idx]))[:max(limit, 0)]
    found = []
    for i, k in zip(idx[order].tolist(), kind_of[order].tolist()):
        kind, seconds, done, _ = kinds[k]
        p = contract.priorities[int(tickets.priority[i])]
        found.append(Breach(tickets.ids[i], p.id, kind, int(seconds[i]), int(getattr(p, kind).total_seconds()),
                            not bool(done[i]), int(tickets.lines[i]), tickets.logged[i]))
    return found, total


# --------------------------------------------------------------------------------------------
# Trend


@dataclass(frozen=True)
class TrendPoint:
    month: str  # 'YYYY-MM'
    tickets: int
    response: Fraction | None
    resolution: Fraction | None
    overall: Fraction | None
    priorities: tuple[PriorityFigures, ...] = ()  # the month's figures per priority (termination risk)


def local_months(tickets: TicketSet, zone: Zone) -> np.ndarray:
    """The local calendar month (datetime64[M]) each ticket was logged in."""
    return zone.local_datetime64(tickets.logged).astype("datetime64[M]")


def month_cutoffs(months: np.ndarray, zone: Zone) -> np.ndarray:
    """For each month, local midnight after its last day, in UTC."""
    distinct = np.unique(months)
    # Local midnight on the first of each next month, read in the zone at once (``month_start``
    # for every month in one ``to_utc``).
    local = (distinct + 1).astype("datetime64[D]").astype("datetime64[s]").astype(np.int64)
    ends = zone.to_utc(local).astype("datetime64[s]")
    return ends[np.searchsorted(distinct, months)]


def trend(tickets: TicketSet, contract: "Contract", outcome: Outcome, rows: np.ndarray, months: np.ndarray,
          known: tuple[np.ndarray, list[PriorityFigures]] | None = None) -> list[TrendPoint]:
    """Attainment per month, each month judged as at its own end (what that month's report said).

    ``known``: (rows, their ``priority_figures`` under ``outcome``) already computed, used for the
    month whose rows they are rather than computed again."""
    points = []
    for month in np.unique(months[rows]).tolist():
        month64 = np.datetime64(month, "M")
        sub = rows[months[rows] == month64]
        if known is not None and np.array_equal(sub, known[0]):
            figs = list(known[1])
        else:
            figs = priority_figures(tickets, contract, outcome, sub)

        def share(kind: str) -> Fraction | None:
            met = sum(getattr(f, kind).met for f in figs)
            measured = sum(getattr(f, kind).measured for f in figs)
            return Fraction(100 * met, measured) if measured else None

        points.append(TrendPoint(str(month64), int(sub.size), share("response"), share("resolution"),
                                 overall(figs)[2], tuple(figs)))
    return points
