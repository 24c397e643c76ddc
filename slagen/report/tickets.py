"""Helpdesk ticket exports (CSV) -> arrays the clock engine can use, every bad row named.

    tickets = read_tickets("march.csv", contract, columns=ColumnMap(), strict=False)
    tickets.logged            # datetime64[s], UTC
    tickets.problems          # one Problem per mistake, with the CSV line and column

The file is read with the standard ``csv`` module (quoting, embedded commas, a UTF-8 BOM from
Excel). Times are parsed as whole columns with numpy, not row by row: the strings become a
byte array, the offset suffix (``Z``, ``+01:00``, ``+0100``) is read from the bytes as digits,
and numpy parses the remaining ISO text in one cast. Naive times are read in the contract's
time zone with Python's ``fold=0`` rule (the first of a repeated hour; a time in the spring gap
is moved forward by the gap), vectorised over the zone's transitions. Only rows numpy cannot
parse go through ``datetime.fromisoformat`` one by one, so a bad row costs time only for itself.

A row with a mistake (unknown priority, a time that is not a time, resolved before it was
logged, a repeated ticket id, the wrong number of fields) is never silently dropped: it gets a
``Problem`` (file, CSV line, column, column name, message) and is left out, or with
``strict=True`` the whole file is refused.
"""

from __future__ import annotations

import csv
import gc
import io
from itertools import compress
from operator import itemgetter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

from slagen.errors import InvalidInput, Problem, UsageError
from slagen.zone_offsets import offset_stretches

if TYPE_CHECKING:
    from slagen.model import Contract

__all__ = ["ColumnMap", "TicketSet", "Zone", "read_tickets", "parse_times", "read_csv_columns", "FIELDS"]

FIELDS = ("id", "priority", "logged_at", "first_response_at", "resolved_at", "paused")
REQUIRED = ("id", "priority", "logged_at", "first_response_at", "resolved_at")
NAT = np.datetime64("NaT", "s")
_FIRST_YEAR, _LAST_YEAR = 1970, 2199  # outside these a time is a typo, not a ticket


@dataclass(frozen=True)
class ColumnMap:
    """Which CSV header holds each field, how its times are written and what its priorities are called.

    ``columns`` maps a field (``FIELDS``) to the export's header; unmapped fields use their own
    name. ``first_response_minutes`` names a column of minutes from logging to first reply,
    for exports (Zendesk) that give no first-response time. ``time_format`` is a ``strptime``
    format for exports that do not write ISO 8601 times. ``priority_values`` maps the export's
    priority labels to the contract's priority ids (matched without regard to case).
    """

    columns: dict[str, str] = field(default_factory=dict)
    time_format: str | None = None
    first_response_minutes: str | None = None
    priority_values: dict[str, str] = field(default_factory=dict)
    pause_separator: str = ";"

    def header_for(self, name: str) -> str:
        return self.columns.get(name, name)


@dataclass
class TicketSet:
    """Good tickets as parallel arrays; the rows left out are in ``problems``."""

    ids: list[str]
    priority: np.ndarray  # int index into contract.priorities
    logged: np.ndarray  # datetime64[s] UTC
    responded: np.ndarray  # datetime64[s] UTC, NaT when there is no first response yet
    resolved: np.ndarray  # datetime64[s] UTC, NaT while open
    lines: np.ndarray  # the CSV line each ticket came from
    pause_ticket: np.ndarray  # int: which ticket each pause belongs to (merged, sorted)
    pause_start: np.ndarray  # datetime64[s] UTC
    pause_end: np.ndarray  # datetime64[s] UTC; NaT: still paused
    problems: list[Problem]
    rows_read: int
    file: str = ""

    def __len__(self) -> int:
        return len(self.ids)


# --------------------------------------------------------------------------------------------
# Time zones, vectorised


class Zone:
    """UTC offsets of one IANA zone as arrays: local -> UTC (fold=0) and UTC -> local."""

    def __init__(self, name: str):
        from slagen.clock import Calendar

        self.name = name
        self.zone = Calendar.always(name).zone  # a SlagenError in plain words for an unknown zone
        self._years: set[int] = set()
        self._starts = np.zeros(0, np.int64)  # UTC start of each constant-offset stretch
        self._offsets = np.zeros(0, np.int64)

    def _cover(self, seconds: np.ndarray) -> None:
        if seconds.size == 0:
            return
        years = set(np.unique(seconds.astype("datetime64[s]").astype("datetime64[Y]").astype(np.int64) + 1970)
                    .tolist())
        # Times outside the plausible years are typos, rejected once read (``_implausible``); they
        # only need some offset meanwhile, and asking the zone about year 9999 would fail.
        years = {year for year in years if _FIRST_YEAR - 1 <= year <= _LAST_YEAR + 1}
        missing = years - self._years
        if not missing:
            return
        self._years |= missing
        starts, offsets = [self._starts], [self._offsets]
        for year in sorted(missing):
            low = int((np.datetime64(f"{year}-01-01", "s") - np.timedelta64(3, "D")).astype(np.int64))
            high = int((np.datetime64(f"{year + 1}-01-01", "s") + np.timedelta64(3, "D")).astype(np.int64))
            stretches = offset_stretches(self.name, low, high)
            piece_starts = np.array([start for start, _, _ in stretches], np.int64)
            piece_offsets = np.array([offset for _, _, offset in stretches], np.int64)
            starts.append(piece_starts)
            offsets.append(piece_offsets)
        s, o = np.concatenate(starts), np.concatenate(offsets)
        order = np.argsort(s, kind="stable")
        s, o = s[order], o[order]
        keep = np.ones(len(s), bool)
        keep[1:] = o[1:] != o[:-1]  # pieces from neighbouring years overlap; keep only changes
        self._starts, self._offsets = s[keep], o[keep]

    def utc_offsets(self, utc_seconds: np.ndarray) -> np.ndarray:
        """The zone's offset (seconds east of UTC) at each UTC instant."""
        self._cover(utc_seconds)
        i = np.maximum(np.searchsorted(self._starts, utc_seconds, side="right") - 1, 0)
        return self._offsets[i]

    def to_utc(self, local_seconds: np.ndarray) -> np.ndarray:
        """Wall-clock readings (seconds on a naive axis) -> UTC seconds, as zoneinfo's fold=0 does.

        zoneinfo places each transition on the wall clock at ``T + max(before, after)``: a
        reading earlier than that uses the offset before the transition. So a repeated reading
        means its first occurrence, and a reading in the spring gap keeps the winter offset
        (which moves it forward by the gap).
        """
        self._cover(local_seconds)
        if len(self._starts) == 0:
            return local_seconds
        walls = self._starts[1:] + np.maximum(self._offsets[:-1], self._offsets[1:])
        i = np.searchsorted(walls, local_seconds, side="right")
        return local_seconds - self._offsets[i]

    def local_datetime64(self, utc: np.ndarray) -> np.ndarray:
        """UTC datetime64[s] -> the local wall-clock reading, as naive datetime64[s]."""
        seconds = utc.astype("datetime64[s]").astype(np.int64)
        return (seconds + self.utc_offsets(seconds)).astype("datetime64[s]")

    def midnight_utc(self, local_day: np.datetime64) -> np.datetime64:
        """Local midnight starting ``local_day`` (datetime64[D] or text) as UTC datetime64[s]."""
        local = np.array([np.datetime64(local_day, "D").astype("datetime64[s]").astype(np.int64)])
        return self.to_utc(local).astype("datetime64[s]")[0]


def merge_intervals(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Union of [start, end) intervals (int64), sorted; touching or overlapping ones joined."""
    if starts.size == 0:
        return starts, ends
    order = np.argsort(starts, kind="stable")
    starts, ends = starts[order], ends[order]
    reach = np.maximum.accumulate(ends)
    new = np.ones(starts.size, bool)
    new[1:] = starts[1:] > reach[:-1]
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, starts.size - 1)
    return starts[first], reach[last]


# --------------------------------------------------------------------------------------------
# Times, a column at a time

_DIGIT0 = ord("0")


def _digits(u: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    return u[rows, cols].astype(np.int64) - _DIGIT0


def parse_times(values: Sequence[str], zone: Zone, time_format: str | None = None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Text times -> (datetime64[s] UTC, bad mask, empty mask), one array pass per column.

    Accepted: ISO 8601 date and time to at least the minute (``T`` or a space between them),
    optional seconds and fractions (floored), optional offset ``Z``, ``+01:00`` or ``+0100``.
    Without an offset a time is read in ``zone``. With ``time_format`` every value is read
    with ``datetime.strptime`` instead.
    """
    n = len(values)
    out = np.full(n, NAT)
    if n == 0:
        return out, np.zeros(0, bool), np.zeros(0, bool)
    if time_format is not None:
        return _parse_with_format(values, zone, time_format)
    try:
        raw = np.array(values, dtype="S")
    except UnicodeEncodeError:  # not ASCII: nothing numpy can parse; the slow path names it
        return _parse_slowly(values, zone, np.arange(n), out, np.zeros(n, bool), np.zeros(n, bool))
    width = raw.dtype.itemsize
    if width == 0:
        return out, np.zeros(n, bool), np.ones(n, bool)
    u = raw.view(np.uint8).reshape(n, width)
    length = width - np.argmax(u[:, ::-1] != 0, axis=1)
    length[u.max(axis=1) == 0] = 0
    empty = length == 0
    bad = np.zeros(n, bool)
    rows = np.arange(n)
    last = u[rows, np.maximum(length - 1, 0)]
    if (u[:, 0] == 32).any() or (last == 32).any():  # stray spaces: strip and start again
        return parse_times([v.strip() for v in values], zone)

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
    good = ~empty & ~bad
    if slow:
        idx = np.concatenate(slow)
        good[idx] = False
        _parse_slowly(values, zone, idx, out, bad, empty)
    naive = good & ~aware
    if naive.any():
        local[naive] = zone.to_utc(local[naive])
    local[good & aware] -= offset[good & aware]
    out[good] = local[good].astype("datetime64[s]")
    return out, bad | _implausible(out), empty


_DIGIT_AT = (0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15)


def _plain_iso_shape(u: np.ndarray, idx: np.ndarray, size: int) -> np.ndarray:
    """For rows ``idx`` of the byte matrix ``u``, whether their first ``size`` bytes read
    YYYY-MM-DD[T ]HH:MM, optionally :SS and .fraction, and nothing else."""
    if size not in (16, 19) and not (size >= 21):
        return np.zeros(idx.size, bool)
    rows = u[idx, :size]
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
    def number(*positions: int) -> np.ndarray:
        value = np.zeros(idx.size, np.int64)
        for position in positions:
            value = value * 10 + (u[idx, position].astype(np.int64) - _DIGIT0)
        return value

    year, month, day = number(0, 1, 2, 3), number(5, 6), number(8, 9)
    hour, minute = number(11, 12), number(14, 15)
    second = number(17, 18) if size >= 19 else np.zeros(idx.size, np.int64)
    real = (month >= 1) & (month <= 12) & (day >= 1) & (hour <= 23) & (minute <= 59) & (second <= 59)
    months = (year - 1970) * 12 + np.clip(month, 1, 12) - 1
    first_day = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    next_first_day = (months + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    real &= day <= next_first_day - first_day
    seconds = (first_day + day - 1) * 86_400 + hour * 3600 + minute * 60 + second
    return seconds, real


def _implausible(times: np.ndarray) -> np.ndarray:
    years = times.astype("datetime64[Y]").astype(np.int64) + 1970
    return ~np.isnat(times) & ((years < _FIRST_YEAR) | (years > _LAST_YEAR))


def _parse_slowly(values, zone: Zone, idx: np.ndarray, out: np.ndarray, bad: np.ndarray, empty: np.ndarray):
    """``datetime.fromisoformat`` one value at a time, for the few values numpy refused."""
    naive_at, naive_local = [], []
    for i in idx.tolist():
        text = values[i].strip()
        if not text:
            empty[i] = True
            continue
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            bad[i] = True
            continue
        if len(text) < 16:  # a date alone
            bad[i] = True
            continue
        _store(moment, i, out, naive_at, naive_local)
    _localise(zone, out, naive_at, naive_local)
    return out, bad | _implausible(out), empty


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


def _parse_with_format(values, zone: Zone, time_format: str):
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
            try:
                cache[text] = datetime.strptime(text, time_format)
            except ValueError:
                cache[text] = None
        moment = cache[text]
        if moment is None:
            bad[i] = True
        else:
            _store(moment, i, out, naive_at, naive_local)
    _localise(zone, out, naive_at, naive_local)
    return out, bad | _implausible(out), empty


# --------------------------------------------------------------------------------------------
# The CSV file


def read_csv_columns(path: str | Path) -> tuple[list[str], list[list[str]], np.ndarray]:
    """(header, rows, CSV line of each row) with the standard csv module; blank lines skipped."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: error: no such file") from None
    except OSError as exc:
        raise UsageError(f"{path}: error: cannot be read ({exc.strerror})") from None
    try:
        encoding = _ENCODINGS[0]
        header, rows = _read_rows(path, data, encoding)
    except UnicodeDecodeError:
        encoding = _ENCODINGS[1]
        header, rows = _read_rows(path, data, encoding)
    physical = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if physical == len(rows) + 1:  # no field holds a line break: row i is on line i + 2
        lines = np.arange(2, len(rows) + 2)
    else:  # read again, noting where each row starts
        reader = csv.reader(_text_of(data, encoding))
        next(reader)
        starts = []
        line = reader.line_num
        for _ in reader:
            starts.append(line + 1)
            line = reader.line_num
        lines = np.array(starts, np.int64)
    lengths = np.fromiter(map(len, rows), np.int64, len(rows))
    blank = [i for i in np.flatnonzero(lengths <= 1).tolist() if not rows[i] or not rows[i][0].strip()]
    if blank:
        keep = np.ones(len(rows), bool)
        keep[blank] = False
        rows = [r for r, k in zip(rows, keep) if k]
        lines = lines[keep]
    return [h.strip() for h in header], rows, lines


# UTF-8 (with or without a byte-order mark) first; what is not UTF-8 is read as Windows' cp1252,
# which is how Excel on Windows saves CSV, with any byte it does not define replaced.
_ENCODINGS = (("utf-8-sig", "strict"), ("cp1252", "replace"))


def _text_of(data: bytes, encoding: tuple[str, str]):
    # A text stream over the bytes reads faster with csv than a str in StringIO, and decodes as it
    # goes; newline="" leaves line breaks inside quoted fields to the csv module.
    name, errors = encoding
    return io.TextIOWrapper(io.BytesIO(data), encoding=name, errors=errors, newline="")


def _read_rows(path: Path, data: bytes, encoding: tuple[str, str]) -> tuple[list[str], list[list[str]]]:
    reader = csv.reader(_text_of(data, encoding))
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput(str(path), [Problem(str(path), 1, 1, "", "the file is empty: expected a header row "
                                                                     "naming the columns")]) from None
    except csv.Error as exc:
        raise InvalidInput(str(path), [Problem(str(path), 1, 1, "", f"the header is not valid CSV ({exc})")]) from None
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InvalidInput(str(path), [Problem(str(path), reader.line_num, 1, "", f"not valid CSV ({exc})")]) from None
    return header, rows


def _column_index(header: list[str], name: str) -> int | None:
    folded = [h.casefold() for h in header]
    try:
        return folded.index(name.strip().casefold())
    except ValueError:
        return None


def _missing_column(file: str, header: list[str], field_name: str, wanted: str) -> Problem:
    hint = f"use --columns {field_name}=<header>" if wanted == field_name else \
        f"the column map expects '{wanted}' for {field_name}"
    return Problem(file, 1, 1, field_name,
                   f"the column '{wanted}' is missing; the header has: {', '.join(header) or '(nothing)'}; {hint}")


def _priority_lookup(contract: "Contract", columns: ColumnMap) -> dict[str, int]:
    index = {p.id: i for i, p in enumerate(contract.priorities)}
    lookup: dict[str, int] = {}
    for i, p in enumerate(contract.priorities):
        lookup[p.name.casefold()] = i
    for i, p in enumerate(contract.priorities):
        lookup[p.id.casefold()] = i
    for label, pid in columns.priority_values.items():
        if pid in index:
            lookup[label.strip().casefold()] = index[pid]
    return lookup


class _Rejects:
    """Problems found so far, and which rows they rule out."""

    def __init__(self, file: str, lines: np.ndarray, header: list[str]):
        self.file, self.lines, self.header = file, lines, header
        self.bad = np.zeros(len(lines), bool)
        self.problems: list[Problem] = []

    def add(self, rows: np.ndarray, column: int | None, message) -> None:
        """``message`` is text, or a function of the row index giving text."""
        for r in rows.tolist():
            text = message(r) if callable(message) else message
            name = self.header[column] if column is not None else ""
            self.problems.append(Problem(self.file, int(self.lines[r]), (column or 0) + 1, name, text))
            self.bad[r] = True


_TIME_HINT = ("write it as 2027-03-01T09:30 (read in the contract's time zone) or with its offset, "
              "2027-03-01T09:30+00:00")


def read_tickets(path: str | Path, contract: "Contract", columns: ColumnMap | None = None, *,
                 strict: bool = False) -> TicketSet:
    """The tickets of a helpdesk export; bad rows are reported (``problems``) and left out.

    ``strict=True`` raises ``InvalidInput`` listing every bad row instead. A missing column is
    always fatal: no row could be read without it.
    """
    # A million rows are a million small lists that live until the arrays are built: the cyclic
    # garbage collector would scan them again and again (they hold no cycles), so it waits.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_tickets(path, contract, columns or ColumnMap(), strict)
    finally:
        if enabled:
            gc.enable()


def _read_tickets(path: str | Path, contract: "Contract", columns: ColumnMap, strict: bool) -> TicketSet:
    file = str(path)
    header, rows, lines = read_csv_columns(path)
    zone = Zone(contract.support_hours.timezone)

    wanted = {f: columns.header_for(f) for f in FIELDS}
    required = list(REQUIRED)
    if columns.first_response_minutes:
        required.remove("first_response_at")
        wanted["first_response_at"] = columns.first_response_minutes
    index: dict[str, int] = {}
    missing = []
    for name in FIELDS:
        at = _column_index(header, wanted[name])
        if at is None:
            if name in required:
                missing.append(_missing_column(file, header, name, wanted[name]))
        else:
            index[name] = at
    if missing:
        raise InvalidInput(file, missing)

    n = len(rows)
    rejects = _Rejects(file, lines, header)
    needed = max(index.values()) + 1
    lengths = np.fromiter(map(len, rows), np.int64, n)
    short = np.flatnonzero(lengths < needed)
    if short.size:
        rejects.add(short, None, lambda r: f"the row has {lengths[r]} fields but the header has {len(header)}; "
                                           "check for a missing or extra comma")
        padded = [r if len(r) >= needed else r + [""] * (needed - len(r)) for r in rows]
    else:
        padded = rows

    cache: dict[str, list[str]] = {}

    def column(name: str) -> list[str]:
        if name not in cache:
            cache[name] = list(map(itemgetter(index[name]), padded))
        return cache[name]

    # Priorities: one dictionary look-up per distinct label.
    lookup = _priority_lookup(contract, columns)
    labels = column("priority")
    codes = {label: lookup.get(label.strip().casefold(), -1) for label in set(labels)}
    priority = np.fromiter((codes[label] for label in labels), np.int64, n)
    known = ", ".join(p.id for p in contract.priorities)
    unknown = np.flatnonzero(priority < 0)
    rejects.add(unknown, index["priority"],
                lambda r: f"'{labels[r]}' is not a priority of the contract ({known}); map the export's labels "
                          "with --priority-map LABEL=ID")

    ids = column("id")
    distinct = set(ids)
    if "" in distinct or " " in distinct:
        empty_ids = np.flatnonzero(np.fromiter((not v.strip() for v in ids), bool, n))
        rejects.add(empty_ids, index["id"], "the ticket has no id")
    if len(distinct) < n:
        first_seen: dict[str, int] = {}
        repeats = []
        for r, value in enumerate(ids):
            if value.strip() and value in first_seen:
                repeats.append(r)
            elif value.strip():
                first_seen[value] = r
        rejects.add(np.array(repeats, np.int64), index["id"],
                    lambda r: f"ticket '{ids[r]}' appears again (first on line {lines[first_seen[ids[r]]]}); "
                              "each ticket must be one row")

    def times(name: str, *, required_value: bool) -> np.ndarray:
        values, bad, empty = parse_times(column(name), zone, columns.time_format)
        k = index[name]
        raw = column(name)
        rejects.add(np.flatnonzero(bad), k, lambda r: f"'{raw[r]}' is not a time: {_TIME_HINT}")
        if required_value:
            rejects.add(np.flatnonzero(empty), k, "the time is missing")
        return values

    logged = times("logged_at", required_value=True)
    resolved = times("resolved_at", required_value=False)
    if columns.first_response_minutes:
        responded = _response_from_minutes(column("first_response_at"), logged, rejects, index["first_response_at"])
    else:
        responded = times("first_response_at", required_value=False)

    with np.errstate(invalid="ignore"):
        before = np.flatnonzero(~np.isnat(logged) & ~np.isnat(resolved) & (resolved < logged))
        logged_text, resolved_text = column("logged_at"), column("resolved_at")
        rejects.add(before, index["resolved_at"],
                    lambda r: f"resolved ({resolved_text[r].strip()}) before it was logged "
                              f"({logged_text[r].strip()})")
        early = np.flatnonzero(~np.isnat(logged) & ~np.isnat(responded) & (responded < logged))
        rejects.add(early, index["first_response_at"],
                    lambda r: "the first response comes before the ticket was logged")

    pause_rows, pause_start, pause_end = _pauses(column("paused") if "paused" in index else None,
                                                  logged, columns.pause_separator, zone, rejects,
                                                  index.get("paused"))

    if strict and rejects.problems:
        raise InvalidInput(file, sorted(rejects.problems, key=lambda p: (p.line, p.column)))

    keep = ~rejects.bad
    new_index = np.cumsum(keep) - 1  # old row -> position among the kept rows
    pause_keep = keep[pause_rows] if pause_rows.size else np.zeros(0, bool)
    kept_ids = list(compress(ids, keep.tolist())) if rejects.bad.any() else ids
    return TicketSet(
        ids=kept_ids,
        priority=priority[keep],
        logged=logged[keep],
        responded=responded[keep],
        resolved=resolved[keep],
        lines=lines[keep],
        pause_ticket=new_index[pause_rows[pause_keep]],
        pause_start=pause_start[pause_keep],
        pause_end=pause_end[pause_keep],
        problems=sorted(rejects.problems, key=lambda p: (p.line, p.column)),
        rows_read=n,
        file=file,
    )


def _response_from_minutes(values: list[str], logged: np.ndarray, rejects: _Rejects, k: int) -> np.ndarray:
    """First response = logged + N minutes (Zendesk's 'First reply time in minutes')."""
    out = np.full(len(values), NAT)
    for r, value in enumerate(values):
        text = value.strip()
        if not text or np.isnat(logged[r]):
            continue
        try:
            minutes = float(text)
        except ValueError:
            rejects.add(np.array([r]), k, f"'{text}' is not a number of minutes")
            continue
        if minutes < 0 or minutes != minutes:
            rejects.add(np.array([r]), k, f"'{text}' is not a number of minutes of zero or more")
            continue
        out[r] = logged[r] + np.timedelta64(int(round(minutes * 60)), "s")
    return out


def _pauses(values: list[str] | None, logged: np.ndarray, separator: str, zone: Zone, rejects: _Rejects,
            k: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``paused`` column ('start/end;start/end') -> merged pauses per ticket, as arrays.

    An empty end means the ticket is still paused. Overlapping or touching pauses of one
    ticket are merged, so no paused time is taken off twice.
    """
    empty_result = (np.zeros(0, np.int64), np.zeros(0, "datetime64[s]"), np.zeros(0, "datetime64[s]"))
    if values is None:
        return empty_result
    owners, starts, ends = [], [], []
    malformed = []
    for r in [r for r, value in enumerate(values) if value]:
        text = values[r].strip()
        if not text:
            continue
        for piece in text.split(separator):
            piece = piece.strip()
            if not piece:
                continue
            start, sep, end = piece.partition("/")
            if not sep:
                malformed.append((r, piece))
                continue
            owners.append(r)
            starts.append(start.strip())
            ends.append(end.strip())
    for r, piece in malformed:
        rejects.add(np.array([r]), k, f"'{piece}' is not a pause: write start/end, several separated by "
                                      f"'{separator}'")
    if not owners:
        return empty_result
    owner = np.array(owners, np.int64)
    start_t, start_bad, start_empty = parse_times(starts, zone)
    end_t, end_bad, _ = parse_times(ends, zone)
    wrong = start_bad | start_empty | end_bad
    for j in np.flatnonzero(wrong).tolist():
        rejects.add(owner[j:j + 1], k, f"'{starts[j]}/{ends[j]}' is not a pause: {_TIME_HINT}")
    with np.errstate(invalid="ignore"):
        backwards = ~wrong & ~np.isnat(end_t) & (end_t < start_t)
    for j in np.flatnonzero(backwards).tolist():
        rejects.add(owner[j:j + 1], k, f"the pause '{starts[j]}/{ends[j]}' ends before it starts")
    ok = ~wrong & ~backwards
    owner, start_t, end_t = owner[ok], start_t[ok], end_t[ok]
    # Merge per ticket: shift each ticket onto its own stretch of the axis, merge, shift back.
    big = np.int64(1) << np.int64(34)  # ~544 years of seconds: more than any ticket's span
    origin = np.int64(np.datetime64(f"{_FIRST_YEAR}-01-01", "s").astype(np.int64))
    s = start_t.astype(np.int64) - origin
    open_end = np.isnat(end_t)
    e = np.where(open_end, big - 1, end_t.astype(np.int64) - origin)
    ms, me = merge_intervals(s + owner * big, e + owner * big)
    merged_owner = ms // big
    ms, me = ms - merged_owner * big, me - merged_owner * big
    start_out = (ms + origin).astype("datetime64[s]")
    end_out = np.where(me >= big - 1, NAT, (me + origin).astype("datetime64[s]"))
    return merged_owner, start_out, end_out
