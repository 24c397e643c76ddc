"""Text times -> datetime64[s] UTC, a whole column at a time.

    values, bad, empty = parse_times(column, zone)      # bad: not a time; empty: no text

Times are parsed as whole columns with numpy, not row by row: the strings become a byte array,
the offset suffix (``Z``, ``+01:00``, ``+0100``) is read from the bytes as digits, and so is the
ISO text before it, a character position at a time. numpy's own text-to-datetime cast is
deliberately not used: numpy 2.x crashed the whole process, instead of raising, when a large
byte-string array held an impossible date or time-zone text. Naive times are read in the
zone with Python's ``fold=0`` rule (see ``Zone.to_utc``). Only values the fast path cannot
read go through ``datetime.fromisoformat`` one by one, so a bad value costs time only for
itself. A ``strptime`` format, when an export needs one, is applied value by value.

A time outside the years ``FIRST_YEAR``..``LAST_YEAR`` is a typo, not a ticket: it is bad.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Sequence

import numpy as np

from slagen.report.zone import FIRST_YEAR, LAST_YEAR, Zone

__all__ = ["parse_times", "NAT", "FIRST_YEAR", "LAST_YEAR", "SheetCells"]

NAT = np.datetime64("NaT", "s")

_DIGIT0 = ord("0")


class SheetCells(list):
    """A column of spreadsheet cells: text, or ``datetime`` objects for date cells (wall time).

    Date cells are read from their fields, never written out as text and parsed back: a
    workbook's times cost one small sum each.
    """


_EPOCH_DAY = datetime(1970, 1, 1).toordinal()


def _parse_cells(values: SheetCells, zone: Zone, time_format: str | None, layout):
    """Date cells to UTC by their fields; any text cells as text."""
    n = len(values)
    out = np.full(n, NAT)
    bad = np.zeros(n, bool)
    empty = np.zeros(n, bool)
    at = [i for i, v in enumerate(values) if type(v) is datetime]
    if at:
        local = np.array([(d.toordinal() - _EPOCH_DAY) * 86_400 + d.hour * 3600 + d.minute * 60 + d.second
                          + (d.microsecond >= 500_000) for d in (values[i] for i in at)], np.int64)
        out[at] = zone.to_utc(local).astype("datetime64[s]")
    rest = [i for i, v in enumerate(values) if type(v) is not datetime]
    if rest:
        t, b, e = parse_times([values[i] if isinstance(values[i], str) else str(values[i]) for i in rest], zone,
                              time_format, layout)
        out[rest], bad[rest], empty[rest] = t, b, e
    return out, bad | _implausible(out), empty


def parse_times(values: Sequence[str], zone: Zone, time_format: str | None = None, layout=None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Text times -> (datetime64[s] UTC, bad mask, empty mask), one array pass per column.

    Accepted: ISO 8601 date and time to at least the minute (``T`` or a space between them),
    optional seconds and fractions (floored), optional offset ``Z``, ``+01:00`` or ``+0100``.
    Without an offset a time is read in ``zone``. With ``time_format`` every value is read
    with ``datetime.strptime`` instead; with ``layout`` (``time_formats.Layout``, found from the
    export) with its ``parse``.
    """
    n = len(values)
    if n == 0:
        return np.full(0, NAT), np.zeros(0, bool), np.zeros(0, bool)
    if isinstance(values, SheetCells):
        return _parse_cells(values, zone, time_format, layout)
    if time_format is not None:
        def read(text: str):
            try:
                return datetime.strptime(text, time_format)
            except ValueError:
                return None
        return _parse_each(values, zone, read)
    if layout is not None:
        return _parse_each(values, zone, layout.parse)
    return read_wall_times(values).in_zone(zone)


class WallTimes:
    """ISO text times read as far as they can be without knowing the zone.

    ``seconds`` holds each time written with an offset as UTC seconds, and each naive one as
    its wall-clock reading (seconds on a naive axis); ``naive`` tells which. A portfolio reads
    a shared export's time columns once into this form and gives each contract its rows, read
    in its own zone by ``in_zone``: the same answer as ``parse_times`` on those rows alone.
    """

    __slots__ = ("seconds", "naive", "bad", "empty")

    def __init__(self, seconds: np.ndarray, naive: np.ndarray, bad: np.ndarray, empty: np.ndarray):
        self.seconds, self.naive, self.bad, self.empty = seconds, naive, bad, empty

    def __len__(self) -> int:
        return len(self.seconds)

    def take(self, rows) -> "WallTimes":
        """The times of ``rows`` (an index array or a slice)."""
        return WallTimes(self.seconds[rows], self.naive[rows], self.bad[rows], self.empty[rows])

    def in_zone(self, zone: Zone) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(datetime64[s] UTC, bad mask, empty mask) with the naive times read in ``zone``."""
        if self.naive.all() and not self.bad.any() and not self.empty.any():
            # The usual column: every value a naive time. The same steps without the masks.
            out = zone.to_utc(self.seconds).astype("datetime64[s]")
            return out, _implausible(out), self.empty.copy()
        good = ~self.bad & ~self.empty
        local = self.seconds.copy()
        naive = good & self.naive
        if naive.any():
            local[naive] = zone.to_utc(local[naive])
        out = np.full(len(local), NAT)
        out[good] = local[good].astype("datetime64[s]")
        return out, self.bad | _implausible(out), self.empty.copy()


def read_wall_times(values: Sequence[str], matrix: tuple[np.ndarray, np.ndarray] | None = None) -> WallTimes:
    """ISO text times -> ``WallTimes``; see ``parse_times`` for what is accepted.

    ``matrix`` is the column already as bytes, (rows x width uint8, length of each row), as a
    columnar reader can give it without making a string per row; ``values`` must then still
    answer ``values[i]`` (the text of row i) for the few rows the byte reader leaves over.
    """
    n = len(values)
    if n == 0:
        return WallTimes(np.zeros(0, np.int64), np.zeros(0, bool), np.zeros(0, bool), np.zeros(0, bool))
    if matrix is None:
        try:
            raw = np.array(values, dtype="S")
        except UnicodeEncodeError:  # not ASCII: nothing numpy can parse; the slow path names it
            return _wall_slowly(values, np.arange(n), WallTimes(np.zeros(n, np.int64), np.zeros(n, bool),
                                                                 np.zeros(n, bool), np.zeros(n, bool)))
        width = raw.dtype.itemsize
        if width == 0:
            return WallTimes(np.zeros(n, np.int64), np.zeros(n, bool), np.zeros(n, bool), np.ones(n, bool))
        u = raw.view(np.uint8).reshape(n, width)
        length = width - np.argmax(u[:, ::-1] != 0, axis=1)
        length[u.max(axis=1) == 0] = 0
    else:
        u, length = matrix
        width = u.shape[1]
        if width == 0:
            return WallTimes(np.zeros(n, np.int64), np.zeros(n, bool), np.zeros(n, bool), np.ones(n, bool))
    empty = length == 0
    if matrix is not None and width in (16, 19) and (length == width).all():
        # The usual export: every time written in one plain ISO layout without an offset. Such
        # text has no offset suffix and no stray space to look for (its first and last bytes are
        # digits), so when every row has exactly that shape it is read straight away.
        every = np.arange(n)
        if _plain_iso_shape(u, every, width).all():
            seconds, real = _iso_seconds(u, every, width)
            walls = WallTimes(seconds, np.ones(n, bool), np.zeros(n, bool), empty)
            if not real.all():  # 2027-02-30 or 25:00: the slow path names it as a bad time
                walls.seconds[~real] = 0
                _wall_slowly(values, np.flatnonzero(~real), walls)
            return walls
    bad = np.zeros(n, bool)
    rows = np.arange(n)
    last = u[rows, np.maximum(length - 1, 0)]
    if (u[:, 0] == 32).any() or (last == 32).any():  # stray spaces: strip and start again
        return read_wall_times([values[i].strip() for i in range(n)])

    # The offset suffix, read from the bytes.
    offset = np.zeros(n, np.int64)
    aware = np.zeros(n, bool)
    base = length.copy()
    zulu = (last == ord("Z")) | (last == ord("z"))
    base[zulu] -= 1
    aware |= zulu
    for suffix, colon in ((6, True), (5, False)):
        pos = np.maximum(length - suffix, 0)
        sign = u[rows, pos]
        candidate = ~aware & (length - suffix >= 16) & ((sign == ord("+")) | (sign == ord("-")))
        if colon:
            candidate &= u[rows, np.maximum(length - 3, 0)] == ord(":")
            hh, mm = (pos + 1, pos + 2), (pos + 4, pos + 5)
        else:
            hh, mm = (pos + 1, pos + 2), (pos + 3, pos + 4)
        idx = np.flatnonzero(candidate)
        if idx.size == 0:
            continue
        d = np.stack([_digits(u, idx, np.minimum(c[idx], width - 1)) for c in (*hh, *mm)])
        ok = ((d >= 0) & (d <= 9)).all(axis=0)
        idx, d = idx[ok], d[:, ok]
        seconds = (d[0] * 10 + d[1]) * 3600 + (d[2] * 10 + d[3]) * 60
        offset[idx] = np.where(sign[idx] == ord("-"), -seconds, seconds)
        aware[idx] = True
        base[idx] -= suffix

    # The ISO text before the suffix, read from its digits, a column at a time. numpy's own
    # text-to-datetime cast is not used: numpy 2.x can crash the whole process when a large
    # byte-string array holds an impossible date or time-zone text, instead of raising.
    local = np.zeros(n, np.int64)
    short = ~empty & (base < 16)  # a date alone, or garbage: not a time of a ticket
    bad |= short
    slow: list[np.ndarray] = []
    for size in np.unique(base[~empty & ~short]).tolist():
        idx = np.flatnonzero((base == size) & ~empty & ~short)
        # Only text shaped exactly like 2027-03-01T09:00[:00[.fff]] is read here; anything else
        # (an offset such as "+05" that the suffix reader did not take, say) goes to the slow path.
        plain = _plain_iso_shape(u, idx, size)
        if not plain.all():
            slow.append(idx[~plain])
            idx = idx[plain]
        if idx.size == 0:
            continue
        seconds, real = _iso_seconds(u, idx, size)
        local[idx[real]] = seconds[real]
        if not real.all():  # 2027-02-30 or 25:00: the slow path names it as a bad time
            slow.append(idx[~real])
    local[aware] -= offset[aware]
    walls = WallTimes(local, ~aware, bad, empty)
    if slow:
        _wall_slowly(values, np.concatenate(slow), walls)
    return walls


def _digits(u: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    return u[rows, cols].astype(np.int64) - _DIGIT0


_DIGIT_AT = (0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15)


def _plain_iso_shape(u: np.ndarray, idx: np.ndarray, size: int) -> np.ndarray:
    """For rows ``idx`` of the byte matrix ``u``, whether their first ``size`` bytes read
    YYYY-MM-DD[T ]HH:MM, optionally :SS and .fraction, and nothing else."""
    if size not in (16, 19) and not (size >= 21):
        return np.zeros(idx.size, bool)
    rows = u[:, :size] if idx.size == len(u) else u[idx, :size]
    digit = (rows >= ord("0")) & (rows <= ord("9"))
    ok = digit[:, list(_DIGIT_AT)].all(axis=1)
    ok &= (rows[:, 4] == ord("-")) & (rows[:, 7] == ord("-")) & (rows[:, 13] == ord(":"))
    ok &= (rows[:, 10] == ord("T")) | (rows[:, 10] == ord(" ")) | (rows[:, 10] == ord("t"))
    if size >= 19:
        ok &= (rows[:, 16] == ord(":")) & digit[:, 17] & digit[:, 18]
    if size >= 21:
        ok &= (rows[:, 19] == ord(".")) & digit[:, 20:size].all(axis=1)
    return ok


def _iso_seconds(u: np.ndarray, idx: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Seconds on a naive axis for rows of plain ISO shape, and whether each names a real time.

    Fractions of a second are dropped (floored), as everywhere in the clock's vectorised path.
    """
    whole = idx.size == len(u)  # every row: slices instead of gathers
    block = u[:, :size] if whole else u[idx, :size]

    def number(*positions: int) -> np.ndarray:
        value = block[:, positions[0]].astype(np.int64) - _DIGIT0
        for position in positions[1:]:
            value *= 10
            value += block[:, position]
            value -= _DIGIT0
        return value

    year, month, day = number(0, 1, 2, 3), number(5, 6), number(8, 9)
    hour, minute = number(11, 12), number(14, 15)
    second = number(17, 18) if size >= 19 else np.zeros(idx.size, np.int64)
    real = (month >= 1) & (month <= 12) & (day >= 1) & (hour <= 23) & (minute <= 59) & (second <= 59)
    month = np.clip(month, 1, 12)
    # The first day and length of each month from a table over the plausible years; the
    # arithmetic only for the rare year outside them (a typo, found implausible later).
    at = (year - FIRST_YEAR) * 12 + month - 1
    inside = (at >= 0) & (at < len(_FIRST_DAYS))
    if inside.all():
        first_day, length = _FIRST_DAYS[at], _LENGTHS[at]
    else:
        first_day = _days_from_civil(year, month, np.ones_like(day))
        length = _month_length(year, month)
    real &= day <= length
    seconds = (first_day + day - 1) * 86_400 + hour * 3600 + minute * 60 + second
    return seconds, real


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], np.int64)


def _month_length(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    return _MONTH_DAYS[month] + (leap & (month == 2))


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates, in integer arithmetic (H. Hinnant's
    days_from_civil): no datetime64 casts, which cost more than the rest of the reading."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * np.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - 719_468


_MONTHS_KNOWN = np.arange((LAST_YEAR + 1 - FIRST_YEAR) * 12, dtype=np.int64)
_FIRST_DAYS = _days_from_civil(FIRST_YEAR + _MONTHS_KNOWN // 12, _MONTHS_KNOWN % 12 + 1, np.ones_like(_MONTHS_KNOWN))
_LENGTHS = _month_length(FIRST_YEAR + _MONTHS_KNOWN // 12, _MONTHS_KNOWN % 12 + 1)


# The first second of FIRST_YEAR and of the year after LAST_YEAR: a time outside them is implausible.
_PLAUSIBLE_FROM = np.datetime64(f"{FIRST_YEAR}-01-01T00:00:00", "s")
_PLAUSIBLE_UNTIL = np.datetime64(f"{LAST_YEAR + 1}-01-01T00:00:00", "s")


def _implausible(times: np.ndarray) -> np.ndarray:
    # Two comparisons rather than a cast to years (NaT compares false, so it is never implausible).
    with np.errstate(invalid="ignore"):
        return (times < _PLAUSIBLE_FROM) | (times >= _PLAUSIBLE_UNTIL)


def _wall_slowly(values, idx: np.ndarray, walls: WallTimes) -> WallTimes:
    """``datetime.fromisoformat`` one value at a time, for the few values numpy refused."""
    for i in idx.tolist():
        text = values[i].strip()
        walls.bad[i] = walls.empty[i] = False
        if not text:
            walls.empty[i] = True
            continue
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            walls.bad[i] = True
            continue
        if len(text) < 16:  # a date alone
            walls.bad[i] = True
            continue
        if moment.tzinfo is None or moment.utcoffset() is None:
            local = moment.replace(tzinfo=timezone.utc)  # the wall reading, on a naive axis
            walls.seconds[i] = int(local.timestamp()) if local.year > 1 else 0
            walls.naive[i] = True
        else:
            walls.seconds[i] = int(moment.timestamp() // 1)
            walls.naive[i] = False
    return walls


def _store(moment: datetime, i: int, out: np.ndarray, naive_at: list, naive_local: list) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        local = moment.replace(tzinfo=timezone.utc)  # the wall reading, on a naive axis
        naive_at.append(i)
        naive_local.append(int(local.timestamp()) if local.year > 1 else 0)
    else:
        out[i] = np.datetime64(int(moment.timestamp() // 1), "s")


def _localise(zone: Zone, out: np.ndarray, naive_at: list, naive_local: list) -> None:
    if naive_at:
        out[np.array(naive_at)] = zone.to_utc(np.array(naive_local, np.int64)).astype("datetime64[s]")


def _parse_each(values, zone: Zone, read):
    """Every value through ``read`` (text -> datetime or None), once per distinct value."""
    n = len(values)
    out = np.full(n, NAT)
    bad = np.zeros(n, bool)
    empty = np.zeros(n, bool)
    cache: dict[str, datetime | None] = {}
    naive_at, naive_local = [], []
    for i, value in enumerate(values):
        text = value.strip()
        if not text:
            empty[i] = True
            continue
        if text not in cache:
            cache[text] = read(text)
        moment = cache[text]
        if moment is None:
            bad[i] = True
        else:
            _store(moment, i, out, naive_at, naive_local)
    _localise(zone, out, naive_at, naive_local)
    return out, bad | _implausible(out), empty
