"""Random calendars and tickets: elapsed, due, elapsed_many, due_many and a slow oracle agree.

The oracle is written here, independently of slagen.calendar.clock, in the plainest way there is: step
through time one UTC minute at a time, read the wall clock in the calendar's zone, and ask
whether that reading falls inside a window opened on a day that is not closed. Every window
bound, zone offset and ticket time is a whole minute, so counting minutes is exact.

Tickets cluster around 2027's DST changes (Europe, the Americas, Australia) and Christmas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import cached_property
from zoneinfo import ZoneInfo

import holidays as holidays_package
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slagen.calendar.clock import Calendar
from slagen.model.types import Window

MINUTE = timedelta(minutes=1)
WEEK = 7 * 1440
# Zones with DST in both hemispheres, half-hour and 45-minute offsets, a 30-minute DST shift
# (Lord Howe), and zones without DST.
ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kolkata",
         "Pacific/Chatham", "America/St_Johns", "UTC"]
ANCHORS = [datetime(2027, 3, 14), datetime(2027, 3, 28), datetime(2027, 4, 4), datetime(2027, 10, 3),
           datetime(2027, 10, 31), datetime(2027, 11, 7), datetime(2027, 12, 27)]
HOLIDAYS = [None, ("GB", "ENG"), ("US", None), ("AU", "NSW")]

settings.register_profile("clock", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
CLOCK = settings.get_profile("clock")


@dataclass
class Spec:
    """A random calendar, and the oracle's plain reading of it."""

    zone: str
    windows: list[Window]
    holidays: tuple[str, str | None] | None
    closures: list[date] = field(default_factory=list)

    @cached_property
    def calendar(self) -> Calendar:
        return Calendar(self.zone, self.windows, holidays=self.holidays, closures=self.closures)

    @cached_property
    def closed_days(self) -> set[date]:
        closed = set(self.closures)
        if self.holidays:
            country, subdivision = self.holidays
            closed |= set(holidays_package.country_holidays(country, subdiv=subdivision, years=[2026, 2027, 2028]))
        return closed

    def open_at(self, minute: int) -> bool:
        """Is the UTC minute starting ``minute`` minutes after the epoch inside a window?"""
        reading = datetime.fromtimestamp(minute * 60, ZoneInfo(self.zone))
        of_day = reading.hour * 60 + reading.minute
        # A window opened yesterday may still be open (past midnight), so look back one day.
        for back in (0, 1):
            opened_on = reading.date() - timedelta(days=back)
            if opened_on in self.closed_days:
                continue
            for window in self.windows:
                if window.weekday == opened_on.weekday() and window.start <= of_day + 1440 * back < window.end:
                    return True
        return False

    def oracle_elapsed(self, start: int, end: int, paused: set[int] = frozenset()) -> int:
        """Open, unpaused minutes in [start, end), all in epoch minutes."""
        return sum(1 for m in range(start, end) if m not in paused and self.open_at(m))

    def oracle_due(self, start: int, target: int, paused: set[int] = frozenset()) -> int:
        """The end of the minute in which the ``target``-th open, unpaused minute is counted."""
        if target == 0:
            return start
        counted, m = 0, start
        while True:
            if m not in paused and self.open_at(m):
                counted += 1
                if counted == target:
                    return m + 1
            m += 1


@st.composite
def specs(draw) -> Spec:
    """Windows laid on a circular week so they never overlap; some run past midnight."""
    if draw(st.integers(0, 9)) == 0:
        windows = [Window(d, 0, 1440) for d in range(7)]  # 24x7
    else:
        origin = draw(st.integers(0, WEEK - 1))
        points = sorted(draw(st.sets(st.integers(0, WEEK - 1), min_size=2, max_size=16)))
        windows = []
        for begin, finish in zip(points[0::2], points[1::2]):
            begin_at = (origin + begin) % WEEK
            length = min(finish - begin, 1439)  # a window is shorter than a day
            windows.append(Window(begin_at // 1440, begin_at % 1440, begin_at % 1440 + length))
    closures = draw(st.lists(st.dates(date(2027, 3, 1), date(2027, 12, 31)), max_size=30))
    return Spec(draw(st.sampled_from(ZONES)), windows, draw(st.sampled_from(HOLIDAYS)), closures)


@st.composite
def tickets(draw, max_days: int = 3) -> tuple[int, int]:
    """A ticket (start, end) in epoch minutes, whole minutes, near a DST change or Christmas."""
    anchor = int(draw(st.sampled_from(ANCHORS)).replace(tzinfo=timezone.utc).timestamp()) // 60
    start = anchor + draw(st.integers(-2 * 1440, 2 * 1440))
    return start, start + draw(st.integers(0, max_days * 1440))


def dt(minute: int) -> datetime:
    return datetime.fromtimestamp(minute * 60, timezone.utc)


def minutes_of(moment: datetime) -> int:
    seconds = (moment - datetime(1970, 1, 1, tzinfo=timezone.utc)).total_seconds()
    assert seconds % 60 == 0
    return int(seconds) // 60


@CLOCK
@given(specs(), tickets())
def test_elapsed_matches_the_oracle(spec, ticket):
    start, end = ticket
    assert spec.calendar.elapsed(dt(start), dt(end)) == spec.oracle_elapsed(start, end) * MINUTE


@CLOCK
@given(specs(), tickets(), st.integers(0, 3 * 1440))
def test_due_matches_the_oracle(spec, ticket, target):
    start, _ = ticket
    # Keep the target within what the week ahead holds, so the oracle need not search further.
    target = min(target, spec.oracle_elapsed(start, start + WEEK))
    found = spec.calendar.due(dt(start), target * MINUTE)
    assert minutes_of(found) == spec.oracle_due(start, target)


@CLOCK
@given(specs(), tickets())
def test_due_of_elapsed_is_the_earliest_instant_with_that_much_time(spec, ticket):
    start, end = ticket
    cal = spec.calendar
    spent = cal.elapsed(dt(start), dt(end))
    due = cal.due(dt(start), spent)
    # Due comes no later than the end, has used up exactly the same business time, and is the
    # earliest such instant: unless it is the start, the minute just before it was open.
    assert dt(start) <= due <= dt(end)
    assert cal.elapsed(dt(start), due) == spent
    if due > dt(start):
        assert spec.open_at(minutes_of(due) - 1)


@CLOCK
@given(specs(), st.lists(tickets(max_days=60), min_size=1, max_size=40))
def test_many_agree_with_one_at_a_time(spec, batch):
    cal = spec.calendar
    starts = np.array([s * 60 for s, _ in batch], "datetime64[s]")
    ends = np.array([e * 60 for _, e in batch], "datetime64[s]")
    spent = cal.elapsed_many(starts, ends)
    assert spent.tolist() == [int(cal.elapsed(dt(s), dt(e)).total_seconds()) for s, e in batch]
    due = cal.due_many(starts, spent)
    assert due.tolist() == [_naive_utc(cal.due(dt(s), timedelta(seconds=int(n)))) for (s, _), n in zip(batch, spent)]
    assert (due <= ends).all()
    assert (cal.elapsed_many(starts, due) == spent).all()


@CLOCK
@given(specs(), st.lists(tickets(), min_size=1, max_size=20), st.integers(0, 2 * 1440))
def test_exact_lists_match_the_oracle(spec, batch, target):
    """elapsed_list and due_list (the checker's exact batch questions) answer each ticket as the
    oracle does, with the timeline covered once for the whole list."""
    cal = Calendar(spec.zone, spec.windows, holidays=spec.holidays, closures=spec.closures)
    spent = cal.elapsed_list([dt(s) for s, _ in batch], [dt(e) for _, e in batch])
    assert spent == [spec.oracle_elapsed(s, e) * MINUTE for s, e in batch]
    target = min([target] + [spec.oracle_elapsed(s, s + WEEK) for s, _ in batch])
    due = cal.due_list([dt(s) for s, _ in batch], target * MINUTE)
    assert [minutes_of(d) for d in due] == [spec.oracle_due(s, target) for s, _ in batch]


def test_shared_calendars_are_one_instance_per_definition():
    windows = [Window(d, 9 * 60, 17 * 60) for d in range(5)]
    first = Calendar.shared("Europe/London", windows, holidays=("GB", "ENG"))
    assert Calendar.shared("Europe/London", list(reversed(windows)), holidays=("GB", "ENG")) is first
    assert Calendar.shared("Europe/London", windows) is not first
    assert Calendar.shared("Europe/Paris", windows, holidays=("GB", "ENG")) is not first


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


@st.composite
def paused_tickets(draw):
    start, end = draw(tickets())
    pauses = []
    for _ in range(draw(st.integers(0, 3))):
        a = draw(st.integers(start - 600, end + 600))
        pauses.append((a, a + draw(st.integers(0, 2 * 1440))))
    return start, end, pauses


@CLOCK
@given(specs(), paused_tickets())
def test_pauses_match_the_oracle(spec, ticket):
    start, end, pauses = ticket
    cal = spec.calendar
    paused = {m for a, b in pauses for m in range(a, b)}
    as_datetimes = [(dt(a), dt(b)) for a, b in pauses]
    counted = spec.oracle_elapsed(start, end, paused)
    assert cal.elapsed(dt(start), dt(end), as_datetimes) == counted * MINUTE
    # The same business time, counted with the same pauses, is used up no later than ``end``
    # and at exactly the minute the oracle finds.
    due = cal.due(dt(start), counted * MINUTE, as_datetimes)
    assert minutes_of(due) == spec.oracle_due(start, counted, paused)
    assert due <= dt(end)
