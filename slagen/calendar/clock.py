"""SLA clocks: business-time arithmetic on a support calendar, exact to the microsecond and fast.

How it works (the zendesk/biz idea, as interval arithmetic):

* A calendar's open time is a sorted list of disjoint intervals in UTC, held as integer epoch
  seconds, ``starts`` and ``ends``. They are built a calendar year at a time, only for the years a
  question needs, and kept.
* ``before[i]`` is the open time before interval ``i``. The open time between a fixed origin and
  any instant ``t`` is then ``before[i] + min(t - starts[i], length[i])`` where ``i`` is the last
  interval starting at or before ``t``: one binary search (``bisect`` for one ticket,
  ``numpy.searchsorted`` for many).
* Business time from ``a`` to ``b`` is ``open(b) - open(a)``. A due instant is the inverse: find
  the first interval whose cumulative end reaches ``open(start) + target``, another searchsorted.

Nothing steps through time minute by minute or day by day, so a million tickets take a few
searchsorted calls. numpy is imported only by the many-ticket functions: commands that ask
about a handful of instants (check, render) do not pay for loading it. The rules (past-midnight windows, holidays, DST, naive times, pauses,
closing time) are described in docs/clock.md; the short version is in each docstring below.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import accumulate
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterable
from zoneinfo import ZoneInfo

from slagen.errors import SlagenError
from slagen.model.holiday_choice import HolidayChoice, closed_days
from slagen.calendar.zone_offsets import offset_stretches
from slagen.model.base import Section
from slagen.model.hours import SupportHours
from slagen.model.types import MINUTES_PER_DAY, Window, parse_weekly_hours
from slagen.source.words import count

if TYPE_CHECKING:
    import numpy as np

    from slagen.model import Contract

__all__ = ["Calendar", "CalendarFile", "Pause"]

Pause = tuple[datetime, datetime]

_DAY = 86_400
_US = 1_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_EPOCH_DATE = date(1970, 1, 1)
# Every real UTC offset is well within a day of UTC, so a day's margin is enough everywhere.
_OFFSET_MARGIN = _DAY
# Years the engine will build. datetime stops at 9999 and a margin is needed on either side.
_FIRST_YEAR, _LAST_YEAR = 1900, 9998
# The most years one calendar builds. Each year takes a few milliseconds to build, so a question
# spanning millennia (a pause to the year 9990, a target no calendar could use up) would take
# minutes; no ticket, contract or export spans more than a couple of centuries.
MOST_YEARS = 200
class CalendarFile(Section):
    """A file that holds only a calendar: exactly one key, ``support_hours``."""

    support_hours: SupportHours


# --------------------------------------------------------------------------------------------
# Small conversions


_ONE_US = timedelta(microseconds=1)


def _epoch_us(moment: datetime) -> int:
    """Exact microseconds since the epoch of an aware datetime (no float rounding)."""
    return (moment - _EPOCH) // _ONE_US


def _from_epoch_us(micros: int, zone: ZoneInfo) -> datetime:
    # astimezone from UTC sets fold=1 on the second reading of a repeated hour, so the result
    # names the right instant when printed with its offset.
    return (_EPOCH + timedelta(microseconds=micros)).astimezone(zone)


def _local_seconds(day: date, minutes: int) -> int:
    """A wall-clock reading, ``minutes`` after midnight of ``day``, as seconds on a naive axis."""
    return (day - _EPOCH_DATE).days * _DAY + minutes * 60


def _year_of(epoch_seconds: int) -> int:
    return (_EPOCH_DATE + timedelta(days=epoch_seconds // _DAY)).year


def _jan1(year: int) -> int:
    return _local_seconds(date(year, 1, 1), 0)


def _merge(starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
    """Union of intervals [start, end): sorted, disjoint, with touching intervals joined."""
    merged_starts: list[int] = []
    merged_ends: list[int] = []
    for start, end in sorted(zip(starts, ends)):
        if merged_ends and start <= merged_ends[-1]:
            merged_ends[-1] = max(merged_ends[-1], end)
        else:
            merged_starts.append(start)
            merged_ends.append(end)
    return merged_starts, merged_ends


# --------------------------------------------------------------------------------------------
# The intervals behind one calendar


@dataclass(frozen=True)
class _Timeline:
    """Open intervals for whole years ``first..last`` and their cumulative open seconds."""

    first: int
    last: int
    starts: list[int]  # UTC epoch seconds; starts[0] is a zero-length sentinel
    ends: list[int]
    before: list[int]  # open seconds before each interval
    through: list[int]  # open seconds up to the end of each interval
    # The instants whose open time is fully known, [low, high] in UTC seconds. A window opened on
    # a day may run up to two days past that day's midnight (past-midnight windows), and a
    # reading is within a day of UTC, so three days in from the first year is safe. Kept as fields
    # because every question asks for them.
    low: int = field(init=False)
    high: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "low", _jan1(self.first) + 3 * _DAY)
        object.__setattr__(self, "high", _jan1(self.last + 1) - _OFFSET_MARGIN)

    def first_reaching(self, goal: int) -> int:
        """Index of the first interval whose cumulative open time reaches ``goal``."""
        return bisect_left(self.through, goal)

    # Many instants: the same searches on numpy arrays, made once per timeline.

    @cached_property
    def arrays(self) -> tuple["np.ndarray", "np.ndarray", "np.ndarray", "np.ndarray"]:
        import numpy as np

        starts = np.array(self.starts, np.int64)
        ends = np.array(self.ends, np.int64)
        return starts, ends - starts, np.array(self.before, np.int64), np.array(self.through, np.int64)

    def open_before(self, t: "np.ndarray") -> "np.ndarray":
        """Open seconds from the origin up to each instant (int64 seconds)."""
        import numpy as np

        starts, lengths, before, _ = self.arrays
        i = np.searchsorted(starts, t, side="right") - 1
        return before[i] + np.minimum(t - starts[i], lengths[i])

    def instant_at(self, goal: "np.ndarray") -> "np.ndarray":
        """The earliest instant at which the open time since the origin reaches ``goal``.

        ``side="left"`` picks the first interval that reaches the goal, so a goal reached
        exactly at a closing time gives that closing time, not the next opening.
        """
        import numpy as np

        starts, _, before, through = self.arrays
        j = np.minimum(np.searchsorted(through, goal, side="left"), len(starts) - 1)
        return np.where(goal <= through[j], starts[j] + goal - before[j], np.iinfo(np.int64).max)


def _timeline(first: int, last: int, chunks: dict[int, tuple[list[int], list[int]]]) -> _Timeline:
    starts = [t for y in range(first, last + 1) for t in chunks[y][0]]
    ends = [t for y in range(first, last + 1) for t in chunks[y][1]]
    # Windows opened late on 31 December run into January: joining the years may join intervals.
    starts, ends = _merge(starts, ends)
    sentinel = _jan1(first) - 2 * _DAY  # before any window opened in ``first``
    starts, ends = [sentinel, *starts], [sentinel, *ends]
    through = list(accumulate(end - start for start, end in zip(starts, ends)))
    before = [total - (end - start) for total, start, end in zip(through, starts, ends)]
    return _Timeline(first, last, starts, ends, before, through)


# --------------------------------------------------------------------------------------------
# Calendar


class Calendar:
    """When a clock runs: weekly windows in a time zone, less public holidays and closures.

    A window covers exactly the instants whose local wall clock reads inside it, on a day that
    is not closed. Windows past midnight belong to the day they open on. Naive datetimes given
    to any method are read in the calendar's zone: a repeated reading (autumn) means its first
    occurrence, and a reading that does not exist (spring) is moved forward by the length of the
    gap, exactly as Python's ``zoneinfo`` does with ``fold=0``.
    """

    def __init__(
        self,
        timezone: str,
        windows: Iterable[Window],
        *,
        holidays: HolidayChoice | tuple[str, str | None] | None = None,
        closures: Iterable[date] = (),
    ):
        try:
            self.zone = ZoneInfo(timezone)
        # ZoneInfoNotFoundError is a KeyError; a name too long for a file name is an OSError.
        except (KeyError, ValueError, OSError):
            raise SlagenError(f"error: '{timezone}' is not a time zone: use an IANA name such as Europe/London") from None
        self.timezone = timezone
        self.windows = tuple(sorted(windows))
        # A (country, subdivision) pair is every public holiday of the region.
        self.holidays = HolidayChoice(*holidays) if isinstance(holidays, tuple) else holidays
        self.closures = frozenset(closures)
        self._by_weekday: list[list[Window]] = [[] for _ in range(7)]
        for window in self.windows:
            self._by_weekday[window.weekday].append(window)
        self._chunks: dict[int, tuple[list[int], list[int]]] = {}
        self._line: _Timeline | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (f"Calendar({self.timezone!r}, {len(self.windows)} windows, holidays={self.holidays!r}, "
                f"{len(self.closures)} closures)")

    # ---- construction -----------------------------------------------------------------------

    @classmethod
    def shared(cls, timezone: str, windows: Iterable[Window], *, holidays: HolidayChoice | tuple[str, str | None] | None = None,
               closures: Iterable[date] = ()) -> "Calendar":
        """The same calendar as ``Calendar(...)``, one instance per definition for the process.

        A calendar builds its years lazily, and building them is most of the cost of a check; the
        workspace re-checks the same contract on every keystroke, so the built years are kept.
        Sharing is safe: a calendar's answers depend only on its definition, and building is
        locked.
        """
        holidays = HolidayChoice(*holidays) if isinstance(holidays, tuple) else holidays
        return _shared_calendar(timezone, tuple(sorted(windows)), holidays, frozenset(closures))

    @classmethod
    def from_support_hours(cls, hours: SupportHours) -> "Calendar":
        holidays = hours.holidays.choice() if hours.holidays else None
        return cls(hours.timezone, hours.weekly.windows, holidays=holidays, closures=hours.extra_closures)

    @classmethod
    def always(cls, timezone: str = "UTC") -> "Calendar":
        """A 24x7 clock: every instant counts, holidays included; the zone only reads naive times."""
        return cls(timezone, parse_weekly_hours("24x7").windows)

    @classmethod
    def for_clock(cls, contract: "Contract", clock: str) -> "Calendar":
        """The calendar a priority's ``clock`` names: '24x7' or 'support_hours'."""
        if clock == "24x7":
            return cls.always(contract.support_hours.timezone)
        if clock == "support_hours":
            return cls.from_support_hours(contract.support_hours)
        raise SlagenError(f"error: '{clock}' is not a clock: use 24x7 or support_hours")

    @classmethod
    def load(cls, path: str | Path) -> "Calendar":
        """The support-hours calendar of a contract, or of a file holding only ``support_hours:``.

        Mistakes raise ``InvalidInput`` with FILE:LINE:COL, like ``slagen validate``.
        """
        from slagen.library.contracts import contract_from_source, validate_document
        from slagen.source.yaml_positions import read_yaml

        doc = read_yaml(path)  # read once: CAL may be a pipe
        if isinstance(doc.data, dict) and "slagen" in doc.data:
            return cls.from_support_hours(contract_from_source(doc).support_hours)
        calendar_file = validate_document(doc, CalendarFile)
        return cls.from_support_hours(calendar_file.support_hours)  # type: ignore[attr-defined]

    @property
    def is_always(self) -> bool:
        return (sum(w.minutes for w in self.windows) == 7 * MINUTES_PER_DAY
                and not self.holidays and not self.closures)

    # ---- instants ---------------------------------------------------------------------------

    def aware(self, moment: datetime) -> datetime:
        """``moment`` as an aware datetime; a naive one is read in the calendar's zone (fold=0)."""
        if not isinstance(moment, datetime):
            raise TypeError(f"expected a datetime, got {type(moment).__name__}")
        if moment.tzinfo is None or moment.utcoffset() is None:
            return moment.replace(tzinfo=self.zone, fold=0)
        return moment

    def _us(self, moment: datetime) -> int:
        return _epoch_us(self.aware(moment))

    # ---- building the timeline ----------------------------------------------------------------

    def closed_days_between(self, start: date, end: date) -> list[date]:
        """Every local date from ``start`` to ``end`` (inclusive) on which this calendar is closed."""
        return sorted(day for day in self._closed_days(start.year, end.year) if start <= day <= end)

    def _closed_days(self, first: int, last: int) -> set[date]:
        closed = {d for d in self.closures if first <= d.year <= last}
        if self.holidays:
            closed |= closed_days(self.holidays, range(first, last + 1))
        return closed

    def _build_years(self, first: int, last: int) -> None:
        """Open intervals (UTC) of every window opened on a local date in years first..last."""
        closed = self._closed_days(first, last)
        for year in range(first, last + 1):
            local_starts, local_ends = [], []
            day = date(year, 1, 1)
            while day.year == year:
                if day not in closed:
                    for window in self._by_weekday[day.weekday()]:
                        local_starts.append(_local_seconds(day, window.start))
                        local_ends.append(_local_seconds(day, window.end))
                day += timedelta(days=1)
            self._chunks[year] = self._to_utc(local_starts, local_ends, year)

    def _to_utc(self, local_starts: list[int], local_ends: list[int], year: int) -> tuple[list[int], list[int]]:
        """The instants whose wall clock reads inside each [local_start, local_end).

        Within a stretch of constant offset the reading is ``t + offset``, so the instants are
        ``[local_start - offset, local_end - offset)`` cut to the stretch. Where the clock jumps
        forward the missing readings simply have no instants (a 01:00-05:00 window on that night
        lasts 3 hours); where it falls back, the repeated readings are counted twice (5 hours).
        """
        if not local_starts:
            return [], []
        low = _jan1(year) - 2 * _OFFSET_MARGIN
        high = _jan1(year + 1) + 2 * _DAY + 2 * _OFFSET_MARGIN
        starts, ends = [], []
        for piece_start, piece_end, offset in offset_stretches(self.timezone, low, high):
            for local_start, local_end in zip(local_starts, local_ends):
                a, b = max(piece_start, local_start - offset), min(piece_end, local_end - offset)
                if a < b:
                    starts.append(a)
                    ends.append(b)
        return _merge(starts, ends)

    def _cover(self, low: int, high: int) -> _Timeline:
        """A timeline whose known range holds the UTC seconds [low, high]; built as needed."""
        line = self._line
        if line is not None and line.low <= low and high <= line.high:
            return line
        with self._lock:
            try:
                # Years already built that hold an end need no margin: growing forward must not
                # also creep back a year each time.
                first = line.first if line is not None and low >= line.low else _year_of(low - 4 * _DAY)
                last = line.last if line is not None and high <= line.high else _year_of(high + 2 * _DAY)
            except OverflowError:  # past the years a datetime can hold
                first, last = _FIRST_YEAR - 1, _LAST_YEAR + 1
            if line is not None:
                first, last = min(first, line.first), max(last, line.last)
            if first < _FIRST_YEAR or last > _LAST_YEAR:
                raise SlagenError(f"error: clocks are kept for the years {_FIRST_YEAR + 1} to {_LAST_YEAR - 1} only")
            if last - first > MOST_YEARS:  # MOST_YEARS, and the year of margin at one end
                raise SlagenError(f"error: the times given span the years {first} to {last}; a clock counts "
                                  f"over at most {MOST_YEARS} years at a time")
            missing = [y for y in range(first, last + 1) if y not in self._chunks]
            if missing:
                self._build_years(min(missing), max(missing))
            self._line = _timeline(first, last, self._chunks)
            return self._line

    def _grow_forward(self, line: _Timeline) -> _Timeline:
        """The timeline reaching twice as many years ahead: a due instant lies further on."""
        if not any(self._by_weekday):
            raise SlagenError("error: the calendar has no open hours, so no target can ever be used up")
        years = line.last - line.first + 1
        last = min(line.last + years, _LAST_YEAR, line.first + MOST_YEARS - 1)
        if last <= line.last:
            limit = min(_LAST_YEAR - 1, line.first + MOST_YEARS - 1)
            raise SlagenError(f"error: the target is not used up before the end of the year {limit} (a clock "
                              f"counts over at most {MOST_YEARS} years, and only up to {_LAST_YEAR - 1})")
        return self._cover(line.low, _jan1(last + 1) - _OFFSET_MARGIN)

    # ---- one ticket ---------------------------------------------------------------------------

    def _open_us(self, line: _Timeline, t_us: int) -> int:
        """Open microseconds from the origin to ``t_us``; interval bounds are whole seconds."""
        i = bisect_right(line.starts, t_us // _US) - 1
        start, length = line.starts[i], line.ends[i] - line.starts[i]
        return line.before[i] * _US + min(t_us - start * _US, length * _US)

    def _instant_us(self, line: _Timeline, goal_us: int) -> int | None:
        """Earliest instant (µs) where the open time reaches ``goal_us``; None past the timeline."""
        j = line.first_reaching(-(-goal_us // _US))
        if j == len(line.starts):
            return None
        instant = line.starts[j] * _US + goal_us - line.before[j] * _US
        return instant if instant <= line.high * _US else None

    def _pauses_us(self, pauses: Iterable[Pause], low: int, high: int | None = None) -> list[tuple[int, int]]:
        """Pauses as merged, sorted µs intervals cut to [low, high)."""
        spans = []
        for number, pause in enumerate(pauses, 1):
            try:
                first, second = pause
            except (TypeError, ValueError):
                raise TypeError("a pause is a pair (start, end) of datetimes") from None
            a, b = self._us(first), self._us(second)
            if b < a:
                raise SlagenError(f"error: pause {number} ends ({second.isoformat()}) before it starts "
                                  f"({first.isoformat()})")
            a, b = max(a, low), b if high is None else min(b, high)
            if a < b:
                spans.append((a, b))
        merged: list[tuple[int, int]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        return merged

    def elapsed(self, start: datetime, end: datetime, pauses: Iterable[Pause] = ()) -> timedelta:
        """Business time in [start, end), less the business time inside any pause.

        Pauses may overlap each other, closed hours, or lie partly outside [start, end); only
        their union within [start, end) is taken off. ``end`` before ``start`` is an error.
        """
        s, e = self._us(start), self._us(end)
        if e < s:
            raise SlagenError(f"error: the end ({end.isoformat()}) is before the start ({start.isoformat()})")
        if not pauses:  # the common case, asked thousands of times by one check
            line = self._cover(s // _US, -(-e // _US))
            return timedelta(microseconds=self._open_us(line, e) - self._open_us(line, s))
        paused = self._pauses_us(pauses, s, e)
        line = self._cover(s // _US, -(-e // _US))
        total = self._open_us(line, e) - self._open_us(line, s)
        total -= sum(self._open_us(line, b) - self._open_us(line, a) for a, b in paused)
        return timedelta(microseconds=total)

    def due(self, start: datetime, target: timedelta, pauses: Iterable[Pause] = ()) -> datetime:
        """The instant at which ``target`` of business time since ``start`` is used up.

        It is the earliest such instant: a target used up exactly at closing time is due at
        closing time, not at the next opening. A zero target is due at ``start`` itself. Each
        pause that begins before the instant found so far pushes it out by the business time
        inside that pause. The result is in the calendar's zone.
        """
        if target < timedelta(0):
            raise SlagenError(f"error: the target must not be negative, got {target}")
        s = self._us(start)
        if target == timedelta(0):
            return _from_epoch_us(s, self.zone)
        return self._due_each([s], target // _ONE_US, self._pauses_us(pauses, s))[0]

    def _due_each(self, s_us: list[int], target_us: int, paused: list[tuple[int, int]]) -> list[datetime]:
        """The due instant of a positive target from each start (µs), the timeline covered once
        for them all and grown forward while an answer lies past it."""
        line = self._cover(min(s_us) // _US, -(-max(s_us) // _US))
        out = []
        for s in s_us:
            found = self._due_us(line, s, target_us, paused)
            while found is None:
                line = self._grow_forward(line)
                found = self._due_us(line, s, target_us, paused)
            out.append(_from_epoch_us(found, self.zone))
        return out

    def _due_us(self, line: _Timeline, s: int, target_us: int, paused: list[tuple[int, int]]) -> int | None:
        goal = self._open_us(line, s) + target_us
        instant = self._instant_us(line, goal)
        for a, b in paused:
            if instant is None:
                return None  # the answer lies past the years built so far: grow and retry
            if a >= instant:  # the target is used up before this pause (and every later one) begins
                break
            if b > line.high * _US:
                return None  # this pause runs past the years built so far: grow and retry
            # The pause began before the target was used up: its business time does not count.
            goal += self._open_us(line, b) - self._open_us(line, a)
            instant = self._instant_us(line, goal)
        return instant

    # ---- many instants, exactly -------------------------------------------------------------
    # ``elapsed`` and ``due`` for lists of datetimes, with the same microsecond-exact answers: the
    # timeline is covered once for the whole list instead of once per question. The checker
    # asks thousands of these per contract; numpy (``elapsed_many``) would be quicker still but
    # costs a tenth of a second to import on a command that must stay light.

    def elapsed_list(self, starts: list[datetime], ends: list[datetime]) -> list[timedelta]:
        """``[elapsed(s, e) for s, e in zip(starts, ends)]``, without pauses."""
        s_us = [self._us(moment) for moment in starts]
        e_us = [self._us(moment) for moment in ends]
        if len(s_us) != len(e_us):
            raise ValueError("elapsed_list needs as many ends as starts")
        if not s_us:
            return []
        for n, (s, e) in enumerate(zip(s_us, e_us)):
            if e < s:
                raise SlagenError(f"error: the end ({ends[n].isoformat()}) is before the start "
                                  f"({starts[n].isoformat()})")
        line = self._cover(min(s_us) // _US, -(-max(e_us) // _US))
        open_us = self._open_us
        return [timedelta(microseconds=open_us(line, e) - open_us(line, s)) for s, e in zip(s_us, e_us)]

    def due_list(self, starts: list[datetime], target: timedelta) -> list[datetime]:
        """``[due(s, target) for s in starts]``, without pauses."""
        if target < timedelta(0):
            raise SlagenError(f"error: the target must not be negative, got {target}")
        s_us = [self._us(moment) for moment in starts]
        if not s_us:
            return []
        if target == timedelta(0):
            return [_from_epoch_us(s, self.zone) for s in s_us]
        return self._due_each(s_us, target // _ONE_US, [])

    def is_open(self, moment: datetime) -> bool:
        t = self._us(moment) // _US
        line = self._cover(t, t)
        i = bisect_right(line.starts, t) - 1
        return t < line.ends[i]

    def open_intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """The open stretches within [start, end), cut to it, as aware datetimes in the zone."""
        s, e = self._us(start), self._us(end)
        if e <= s:
            return []
        line = self._cover(s // _US, -(-e // _US))
        first = bisect_right(line.ends, s // _US)
        last = bisect_left(line.starts, -(-e // _US))
        out = []
        for open_s, close_s in zip(line.starts[first:last], line.ends[first:last]):
            a, b = max(open_s * _US, s), min(close_s * _US, e)
            if a < b:
                out.append((_from_epoch_us(a, self.zone), _from_epoch_us(b, self.zone)))
        return out

    # ---- many tickets ---------------------------------------------------------------------------

    def elapsed_many(self, starts: "np.ndarray", ends: "np.ndarray") -> "np.ndarray":
        """Business seconds in [start, end) for each pair, as int64.

        Inputs are numpy datetime64 arrays in UTC, of any unit; they are floored to whole
        seconds first (``elapsed`` is exact to the microsecond, this is exact to the second).
        """
        import numpy as np

        s = _seconds(starts, "starts")
        e = _seconds(ends, "ends")
        s, e = np.broadcast_arrays(s, e)
        backwards = np.flatnonzero(e < s)
        if len(backwards):
            raise SlagenError(f"error: {count(len(backwards), 'end')} {'comes' if len(backwards) == 1 else 'come'} before "
                              "their start; the first is "
                              f"at position {int(backwards[0])}")
        if s.size == 0:
            return np.zeros(s.shape, np.int64)
        line = self._cover(int(s.min()), int(e.max()))
        return line.open_before(e) - line.open_before(s)

    def due_many(self, starts: "np.ndarray", targets: "np.ndarray") -> "np.ndarray":
        """The due instant (datetime64[s], UTC) of each start plus its target of business time.

        ``starts`` is a datetime64 array in UTC; ``targets`` is a timedelta64 array or int
        seconds (either may be a scalar). Same rules as ``due``: closing time, zero target.
        """
        import numpy as np

        s = _seconds(starts, "starts")
        t = np.asarray(targets)
        t = t.astype("timedelta64[s]").astype(np.int64) if t.dtype.kind == "m" else t.astype(np.int64)
        s, t = np.broadcast_arrays(s, t)
        if (t < 0).any():
            raise SlagenError("error: a target must not be negative")
        if s.size == 0:
            return np.zeros(s.shape, "datetime64[s]")
        line = self._cover(int(s.min()), int(s.max()))
        while True:
            goal = line.open_before(s) + t
            found = np.where(t == 0, s, line.instant_at(goal))
            if int(found.max()) <= line.high:
                return found.astype("datetime64[s]")
            line = self._grow_forward(line)


@lru_cache(maxsize=32)
def _shared_calendar(timezone: str, windows: tuple[Window, ...], holidays: HolidayChoice | None,
                     closures: frozenset[date]) -> Calendar:
    return Calendar(timezone, windows, holidays=holidays, closures=closures)


def _seconds(values: "np.ndarray", name: str) -> "np.ndarray":
    """A datetime64 array (UTC, any unit) as int64 epoch seconds, floored."""
    import numpy as np

    array = np.asarray(values)
    if array.dtype.kind != "M":
        raise TypeError(f"{name} must be a numpy datetime64 array (UTC), got dtype {array.dtype}")
    if np.isnat(array).any():
        raise SlagenError(f"error: {name} holds {count(int(np.isnat(array).sum()), 'missing time')} (NaT); "
                          "leave those tickets out")
    return array.astype("datetime64[s]").astype(np.int64)
