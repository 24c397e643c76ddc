"""How fast is slagen.calendar.clock on a million tickets, against businesstimedelta on a sample?

Run:  .venv/bin/python benchmarks/clock.py [--tickets N] [--sample N] [--seed N]

The calendar is Europe/London (a DST zone), Monday to Friday 09:00-17:00, with the English
bank holidays. Tickets start anywhere in 2026-2027 (whole seconds, so weekends, holidays and both
DST changes are all crossed) and stay open up to 60 days.

businesstimedelta (benchmark-only dependency) is given the same calendar: a WorkDayRule in
the pytz zone and a HolidayRule with the same holidays. Its semantics match ours on this
calendar: a holiday closes its whole local date, the windows never touch a DST change
(those happen at 01:00-02:00), and the tickets are whole seconds (it drops fractions). So both
must agree on every sampled ticket, to the second.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, time as clock_time, timezone
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slagen.calendar.clock import Calendar  # noqa: E402
from slagen.model.types import parse_weekly_hours  # noqa: E402

ZONE = "Europe/London"
HOLIDAYS = ("GB", "ENG")
FIRST, LAST = np.datetime64("2026-01-01T00:00:00"), np.datetime64("2028-01-01T00:00:00")
MAX_SPAN = 60 * 86_400


def tickets(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    span = int((LAST - FIRST).astype(np.int64))
    starts = FIRST + rng.integers(0, span, count).astype("timedelta64[s]")
    ends = starts + rng.integers(0, MAX_SPAN + 1, count).astype("timedelta64[s]")
    return starts, ends


def best_of(runs: int, job) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        job()
        times.append(time.perf_counter() - began)
    return min(times)


def peer_elapsed(starts: np.ndarray, ends: np.ndarray) -> tuple[list[int], float]:
    """businesstimedelta's answer (whole seconds) for each ticket, and the seconds it took."""
    import businesstimedelta
    import holidays
    import pytz

    zone = pytz.timezone(ZONE)
    workdays = businesstimedelta.WorkDayRule(start_time=clock_time(9), end_time=clock_time(17),
                                             working_days=[0, 1, 2, 3, 4], tz=zone)
    closed = holidays.country_holidays(HOLIDAYS[0], subdiv=HOLIDAYS[1], years=range(2025, 2029))
    rules = businesstimedelta.Rules([workdays, businesstimedelta.HolidayRule(closed, tz=zone)])
    pairs = [(pytz.utc.localize(s.astype(datetime)), pytz.utc.localize(e.astype(datetime)))
             for s, e in zip(starts, ends)]
    began = time.perf_counter()
    answers = [int(rules.difference(s, e).timedelta.total_seconds()) for s, e in pairs]
    return answers, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args()

    starts, ends = tickets(args.tickets, args.seed)
    calendar = Calendar(ZONE, parse_weekly_hours({"monday-friday": "09:00-17:00"}).windows, holidays=HOLIDAYS)

    print(f"calendar: {ZONE}, Mon-Fri 09:00-17:00, {HOLIDAYS[0]}-{HOLIDAYS[1]} holidays")
    print(f"tickets:  {args.tickets:,}, starting {FIRST} .. {LAST}, open up to 60 days")
    began = time.perf_counter()
    calendar.elapsed_many(starts[:1], ends[:1])  # builds the years asked about, once per calendar
    calendar.elapsed_many(np.array([starts.min()]), np.array([ends.max()]))
    print(f"build:    {time.perf_counter() - began:.3f} s (open intervals for the years used; once per calendar)")

    ours = calendar.elapsed_many(starts, ends)
    total = best_of(5, lambda: calendar.elapsed_many(starts, ends))
    per_ticket = total / args.tickets
    print(f"slagen elapsed_many: {total:.3f} s for {args.tickets:,} tickets "
          f"({args.tickets / total:,.0f} tickets/s, {per_ticket * 1e9:,.0f} ns per ticket)")
    due_total = best_of(3, lambda: calendar.due_many(starts, ours))
    print(f"slagen due_many:     {due_total:.3f} s for {args.tickets:,} tickets "
          f"({args.tickets / due_total:,.0f} tickets/s)")
    round_trip = calendar.due_many(starts, ours)
    assert (round_trip <= ends).all() and (calendar.elapsed_many(starts, round_trip) == ours).all()

    sample = min(args.sample, args.tickets)
    theirs, peer_total = peer_elapsed(starts[:sample], ends[:sample])
    peer_per_ticket = peer_total / sample
    print(f"businesstimedelta:   {peer_total:.3f} s for a sample of {sample:,} tickets "
          f"({peer_per_ticket * 1e6:,.0f} µs per ticket)")
    disagree = [i for i in range(sample) if theirs[i] != int(ours[i])]
    if disagree:
        i = disagree[0]
        print(f"AGREEMENT: FAILED on {len(disagree)} of {sample:,} tickets; first: {starts[i]} -> {ends[i]}: "
              f"slagen {int(ours[i])} s, businesstimedelta {theirs[i]} s")
        sys.exit(1)
    print(f"agreement: all {sample:,} sampled tickets equal to the second")
    print(f"ratio:     slagen is {peer_per_ticket / per_ticket:,.0f}x faster per ticket")


if __name__ == "__main__":
    main()
