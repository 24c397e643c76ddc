"""Helpdesk ticket exports (CSV, XLSX, JSON) -> arrays the clock engine can use, every bad row named.

    tickets = read_tickets("march.csv", contract, columns=ColumnMap(), strict=False)
    tickets.logged            # datetime64[s], UTC
    tickets.problems          # one Problem per mistake, with the CSV line and column

This module maps the export's columns to ticket fields, checks every row and builds the
arrays; reading the file is ``export_file``, telling its date layout is ``time_formats``,
reading the times (in the export's zone, or UTC for a column named so) is ``times``.

A row with a mistake (unknown priority, a time that is not a time, resolved before it was
logged, a repeated ticket id, the wrong number of fields) is never silently dropped: it gets a
``Problem`` (file, CSV line, column, column name, message) and is left out, or with
``strict=True`` the whole file is refused.
"""

from __future__ import annotations

import gc
from itertools import compress
from operator import itemgetter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from slagen.errors import InvalidInput, Problem
from slagen.report.csv_rows import column_index, missing_column
from slagen.report.export_file import read_export
from slagen.report.time_formats import AmbiguousDates, MixedDates, detect_layout, written_in_iso
from slagen.report.times import FIRST_YEAR, NAT, parse_times, read_wall_times
from slagen.report.zone import Zone

if TYPE_CHECKING:
    from slagen.model import Contract

__all__ = ["ColumnMap", "TicketSet", "PriorityLabel", "read_tickets", "tickets_from_export", "FIELDS", "MAX_RESPONSE_MINUTES"]

# Ten years of minutes: more is not a reply time but a broken column (inf, 1e300).
MAX_RESPONSE_MINUTES = 10 * 366 * 24 * 60

FIELDS = ("id", "priority", "logged_at", "first_response_at", "resolved_at", "paused")
REQUIRED = ("id", "priority", "logged_at", "first_response_at", "resolved_at")


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
    user_priority_values: dict[str, str] = field(default_factory=dict)  # given with --priority-map
    preset: str | None = None
    export_zone: str | None = None  # where naive times were written; None: the contract's zone
    no_response: bool = False  # the export has no first response: report resolution only
    delimiter: str | None = None  # None: found from the header row
    response_optional: bool = False  # no first-response column in the export: resolution only (Jira's [CHART])

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
    priority_mapping: tuple = ()  # PriorityLabel per label seen in the export
    response_source: str = ""  # how the first response was read, in words for the report
    no_response: bool = False

    def __len__(self) -> int:
        return len(self.ids)



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


@dataclass(frozen=True)
class PriorityLabel:
    """How one priority label of the export was mapped, for the report to show."""

    label: str
    priority: str | None  # the contract's id; None: not mapped (its rows are left out)
    how: str  # '--priority-map', 'preset <name>', "contract's id", "contract's name", 'unknown'
    tickets: int


def _priority_lookup(contract: "Contract", columns: ColumnMap) -> dict[str, tuple[int, str]]:
    """Label (casefolded) -> (priority index, how it was matched).

    The user's --priority-map first, then the preset's labels, then the contract's ids; the
    contract's names only when no preset is in use (a tool's own label that happens to equal a
    contract's name means what the tool means, see ``_name_collisions``).
    """
    index = {p.id: i for i, p in enumerate(contract.priorities)}
    lookup: dict[str, tuple[int, str]] = {}
    if columns.preset is None:
        for i, p in enumerate(contract.priorities):
            lookup[p.name.casefold()] = (i, "contract's name")
    for i, p in enumerate(contract.priorities):
        lookup[p.id.casefold()] = (i, "contract's id")
    user = {label.strip().casefold() for label in columns.user_priority_values}
    for label, pid in columns.priority_values.items():
        if pid in index:
            key = label.strip().casefold()
            lookup[key] = (index[pid], "--priority-map" if key in user else f"preset {columns.preset}")
    return lookup


def _name_collisions(file: str, contract: "Contract", columns: ColumnMap, labels: list[tuple[str, int]],
                     lookup: dict, lines: np.ndarray, k: int, header: str) -> None:
    """With a preset, a label the preset does not know that equals a contract priority's name is
    refused: "Urgent" in one tool is its highest priority, in a contract perhaps its second.
    ``labels``: each distinct label with the first row it is on, in row order."""
    if columns.preset is None:
        return
    names = {p.name.casefold(): p for p in contract.priorities}
    problems = []
    seen: set[str] = set()
    for label, r in labels:
        key = label.strip().casefold()
        if key in seen or key in lookup or key not in names:
            continue
        seen.add(key)
        p = names[key]
        problems.append(Problem(file, int(lines[r]), k + 1, header,
                                f"the priority '{label.strip()}' is not one of the {columns.preset} preset's labels, "
                                f"but it is the name of the contract's {p.id}; the tool may mean something else by "
                                f"it, so say what it is with --priority-map '{label.strip()}={p.id}' (or another id)"))
    if problems:
        raise InvalidInput(file, problems)


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


_TIME_HINT = ("write it as 2027-03-01T09:30 or with its offset, 2027-03-01T09:30+00:00, or give the "
              "export's own format with --time-format (e.g. '%d/%m/%Y %H:%M')")


def _names_utc(header: str) -> bool:
    """Date_Responded_UTC, 'Created (UTC)', created_utc: the column says its times are UTC."""
    import re

    return re.search(r"(^|[^a-z])utc($|[^a-z])", header.casefold()) is not None


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
    return tickets_from_export(read_export(path, columns.delimiter), str(path), contract, columns, strict)


def tickets_from_export(export, file: str, contract: "Contract", columns: ColumnMap, strict: bool) -> TicketSet:
    """The tickets of an export already read: ``export_file.Export``, whose rows are lists of
    cells, or a ``columnar.ColumnTable`` (the portfolio's one reading of a shared export, every
    row complete). Called with the garbage collector paused, as ``read_tickets`` does."""
    header, rows, lines, text_of = export
    if columns.response_optional and not columns.no_response and not columns.first_response_minutes \
            and column_index(header, columns.header_for("first_response_at")) is None:
        from dataclasses import replace

        columns = replace(columns, no_response=True)  # e.g. a Jira export without [CHART] Date of First Response
    zone = Zone(columns.export_zone or contract.support_hours.timezone)
    utc = Zone("UTC")

    wanted = {f: columns.header_for(f) for f in FIELDS}
    required = list(REQUIRED)
    if columns.no_response:
        required.remove("first_response_at")
        wanted.pop("first_response_at")
    elif columns.first_response_minutes:
        required.remove("first_response_at")
        wanted["first_response_at"] = columns.first_response_minutes
    index: dict[str, int] = {}
    missing = []
    for name in [f for f in FIELDS if f in wanted]:
        at = column_index(header, wanted[name])
        if at is None:
            if name in required:
                missing.append(missing_column(file, header, name, wanted[name]))
        else:
            index[name] = at
    if missing:
        raise InvalidInput(file, missing)

    n = len(rows)
    rejects = _Rejects(file, lines, header)
    needed = max(index.values()) + 1
    if hasattr(rows, "cells"):  # a column table: its reader refused rows of the wrong length
        cells_of = rows.cells
    else:
        lengths = np.fromiter(map(len, rows), np.int64, n)
        short = np.flatnonzero(lengths < needed)
        if short.size:
            rejects.add(short, None, lambda r: f"the row has {lengths[r]} fields but the header has {len(header)}; "
                                               "check for a missing or extra comma")
            padded = [r if len(r) >= needed else r + [""] * (needed - len(r)) for r in rows]
        else:
            padded = rows

        def cells_of(k: int) -> list:
            return list(map(itemgetter(k), padded))

    cache: dict[str, list[str]] = {}

    def column(name: str) -> list[str]:
        if name not in cache:
            cache[name] = text_of(cells_of(index[name]))
        return cache[name]

    # Priorities: one dictionary look-up per distinct label. The labels as codes over their
    # distinct values: a portfolio's column table has them from one pass over the whole export.
    lookup = _priority_lookup(contract, columns)
    coded = rows.labels(index["priority"]) if hasattr(rows, "labels") else None
    if coded is None:
        labels = column("priority")
        numbered = {label: i for i, label in enumerate(dict.fromkeys(labels))}
        label_codes = np.fromiter(map(numbered.__getitem__, labels), np.int64, n)  # C-level look-ups
        names = list(numbered)
    else:
        label_codes, names = coded
    present, first_row = np.unique(label_codes, return_index=True)
    tally = np.bincount(label_codes, minlength=len(names))  # how many rows carry each label
    seen_labels = [(names[c], int(r)) for r, c in sorted(zip(first_row.tolist(), present.tolist()))]
    _name_collisions(file, contract, columns, seen_labels, lookup, lines, index["priority"],
                     header[index["priority"]])
    found = {code: lookup.get(names[code].strip().casefold(), (-1, "unknown")) for code in present.tolist()}
    code_of = np.full(len(names), -1, np.int64)
    for code, (priority_index, _) in found.items():
        code_of[code] = priority_index
    priority = code_of[label_codes]
    known = ", ".join(p.id for p in contract.priorities)
    unknown = np.flatnonzero(priority < 0)
    rejects.add(unknown, index["priority"],
                lambda r: f"'{names[label_codes[r]]}' is not a priority of the contract ({known}); map the "
                          "export's labels with --priority-map LABEL=ID")
    mapping = tuple(sorted(
        (PriorityLabel(names[code].strip(), contract.priorities[p].id if p >= 0 else None, how, int(tally[code]))
         for code, (p, how) in found.items()),
        key=lambda m: (m.priority is None, m.priority or "", m.label)))

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

    time_fields = ["logged_at", "resolved_at"]
    if not columns.no_response and not columns.first_response_minutes:
        time_fields.append("first_response_at")

    # A portfolio's column table has its time columns read once for the whole export, without a
    # zone (``times.WallTimes``); when they are ISO text this contract's rows are read from them.
    def prepared(name: str):
        if columns.time_format is not None or not hasattr(rows, "wall_times") or name not in index:
            return None
        return rows.wall_times(index[name])

    walls = {name: prepared(name) for name in time_fields}
    layout = None
    if columns.time_format is None:
        if all(w is not None for w in walls.values()) and all(
                written_in_iso([rows.first_written(index[name]) or ""]) for name in time_fields):
            layout = None  # every column written in ISO 8601: what detect_layout would find
        else:
            walls = {}
            try:
                layout = detect_layout([column(name) for name in time_fields])
            except (AmbiguousDates, MixedDates) as exc:
                raise InvalidInput(file, [_date_order_problem(exc, file, time_fields, index, header, lines)]) from None

    def times(name: str, *, required_value: bool) -> np.ndarray:
        k = index[name]
        column_zone = utc if _names_utc(header[k]) else zone
        if walls.get(name) is not None:
            values, bad, empty = walls[name].in_zone(column_zone)
        else:
            own_layout = layout if layout is not None and not written_in_iso(column(name)) else None
            values, bad, empty = parse_times(column(name), column_zone, columns.time_format, own_layout)
        rejects.add(np.flatnonzero(bad), k, lambda r: f"'{column(name)[r]}' is not a time: {_TIME_HINT}")
        if required_value:
            rejects.add(np.flatnonzero(empty), k, "the time is missing")
        return values

    logged = times("logged_at", required_value=True)
    resolved = times("resolved_at", required_value=False)
    if columns.no_response:
        responded = np.full(n, NAT)
        response_source = "none: the export has no first-response time, so only resolution is reported"
    elif columns.first_response_minutes:
        responded = _response_from_minutes(column("first_response_at"), logged, rejects, index["first_response_at"],
                                           file, header, lines)
        response_source = (f"'{header[index['first_response_at']]}': calendar minutes from logging to the first "
                           "reply, added to the logging time")
    else:
        responded = times("first_response_at", required_value=False)
        response_source = f"'{header[index['first_response_at']]}': the time of the first response"
        if walls.get("first_response_at") is not None and walls.get("resolved_at") is not None:
            any_response = not walls["first_response_at"].empty.all()
            any_resolved = not walls["resolved_at"].empty.all()
        else:
            any_response = any(map(_written, column("first_response_at")))
            any_resolved = any(map(_written, column("resolved_at")))
        _require_some_response(file, header, index, any_response, any_resolved)

    with np.errstate(invalid="ignore"):
        before = np.flatnonzero(~np.isnat(logged) & ~np.isnat(resolved) & (resolved < logged))
        rejects.add(before, index["resolved_at"],
                    lambda r: f"resolved ({_shown(column('resolved_at')[r])}) before it was logged "
                              f"({_shown(column('logged_at')[r])})")
        early = np.flatnonzero(~np.isnat(logged) & ~np.isnat(responded) & (responded < logged))
        rejects.add(early, index.get("first_response_at"),
                    lambda r: "the first response comes before the ticket was logged")

    pieces = None
    if "paused" in index:
        shared = rows.pause_pieces(index["paused"], columns.pause_separator) if hasattr(rows, "pause_pieces") \
            else None
        pieces = shared if shared is not None else pause_pieces(column("paused"), columns.pause_separator)
    pause_rows, pause_start, pause_end = _pauses(pieces, columns.pause_separator, zone, rejects,
                                                  index.get("paused"))

    if strict and rejects.problems:
        raise InvalidInput(file, sorted(rejects.problems, key=lambda p: (p.line, p.column)))

    if rejects.bad.any():
        keep = ~rejects.bad
        new_index = np.cumsum(keep) - 1  # old row -> position among the kept rows
        pause_keep = keep[pause_rows] if pause_rows.size else np.zeros(0, bool)
        ids, priority, logged, responded, resolved, lines = (
            list(compress(ids, keep.tolist())), priority[keep], logged[keep], responded[keep], resolved[keep],
            lines[keep])
        pause_rows, pause_start, pause_end = new_index[pause_rows[pause_keep]], pause_start[pause_keep], \
            pause_end[pause_keep]
    # else every row is kept: the arrays are the tickets as they are (a ticket's row is its position)
    return TicketSet(
        ids=ids,
        priority=priority,
        logged=logged,
        responded=responded,
        resolved=resolved,
        lines=lines,
        pause_ticket=pause_rows,
        pause_start=pause_start,
        pause_end=pause_end,
        problems=sorted(rejects.problems, key=lambda p: (p.line, p.column)),
        rows_read=n,
        file=file,
        priority_mapping=mapping,
        response_source=response_source,
        no_response=columns.no_response,
    )


def _shown(value) -> str:
    """A cell as the user wrote it: text stripped, a workbook's date cell in ISO form."""
    return value.strip() if isinstance(value, str) else value.isoformat()


def _date_order_problem(exc, file: str, fields: list[str], index: dict, header: list[str], lines) -> Problem:
    """The refusal of a column whose dates read both day-first and month-first, with examples."""
    from slagen.report.time_formats import Layout

    month_first, day_first = Layout("numeric", False), Layout("numeric", True)
    k0, r0, _ = exc.samples[0]
    k = index[fields[k0]]

    def both(sample) -> str:
        kk, r, text = sample
        a, b = month_first.parse(text), day_first.parse(text)
        words = [f"{m:%-d %B %Y %H:%M} ({how})" for m, how in ((a, "month first"), (b, "day first")) if m]
        return f"line {int(lines[r])} '{text}' reads as " + " or as ".join(words)

    samples = "; ".join(both(s) for s in exc.samples)
    if isinstance(exc, MixedDates):
        message = (f"the dates mix day-first and month-first: {samples}; an export writes all its dates one way, "
                   "so check the file, and give its format with --time-format")
    else:
        message = (f"the dates could be day/month or month/day (no day number is above 12): {samples}; say which "
                   "with --time-format '%m/%d/%Y %I:%M %p' (month first) or --time-format '%d/%m/%Y %H:%M' "
                   "(day first), matching the export")
    return Problem(file, int(lines[r0]), k + 1, header[k], message)


def _written(v) -> bool:
    return not isinstance(v, str) or bool(v.strip())  # a date cell of a workbook is written


def _require_some_response(file: str, header: list[str], index: dict, any_response: bool, any_resolved: bool):
    """A first-response column with no value at all is not data: measuring response there would
    quietly measure response to resolution."""
    if any_response or not any_resolved:
        return
    k = index["first_response_at"]
    raise InvalidInput(file, [Problem(
        file, 1, k + 1, header[k],
        f"the column '{header[k]}' has no first-response time in any row; if the export has none, report resolution "
        "only with --no-response-data, or map the right column with --columns first_response_at=<header>")])


def _response_from_minutes(values: list[str], logged: np.ndarray, rejects: _Rejects, k: int, file: str,
                           header: list[str], lines: np.ndarray) -> np.ndarray:
    """First response = logged + N calendar minutes (Zendesk's 'First reply time in minutes').

    A value that is not a number, or negative, leaves its row out; one that is not finite or
    more than ten years (``inf``, ``1e300``) means the column is not what it seems, and the
    export is refused.
    """
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
        if minutes != minutes or minutes < 0:
            rejects.add(np.array([r]), k, f"'{text}' is not a number of minutes of zero or more")
            continue
        if minutes > MAX_RESPONSE_MINUTES:
            raise InvalidInput(file, [Problem(
                file, int(lines[r]), k + 1, header[k],
                f"'{text}' minutes is not a reply time (more than ten years); check that '{header[k]}' holds minutes "
                "from logging to the first reply")])
        out[r] = logged[r] + np.timedelta64(int(round(minutes * 60)), "s")
    return out


class PausePieces:
    """The ``paused`` column cut into its pauses, the times read without a zone.

    ``owner[j]`` is the row of pause j (in row order), ``starts``/``ends`` its text and
    ``start_walls``/``end_walls`` its times (``times.WallTimes``); ``malformed`` the (row, text)
    of pieces that are not start/end. A portfolio cuts the whole export's column once and gives
    each contract its rows' pieces (``rows``).
    """

    def __init__(self, owner, starts, ends, start_walls, end_walls, malformed):
        self.owner, self.starts, self.ends = owner, starts, ends
        self.start_walls, self.end_walls, self.malformed = start_walls, end_walls, malformed

    def renumbered(self, position: np.ndarray) -> "PausePieces":
        """The pieces with row r renumbered ``position[r]``, in the new row order (a row's pieces
        keep their order)."""
        owner = position[self.owner]
        order = np.argsort(owner, kind="stable")
        malformed = sorted(((int(position[r]), piece) for r, piece in self.malformed), key=lambda m: m[0])
        # The texts as arrays of str (only for messages): reordered and sliced without a Python loop.
        starts, ends = np.array(self.starts, dtype=object), np.array(self.ends, dtype=object)
        return PausePieces(owner[order], starts[order], ends[order],
                           self.start_walls.take(order), self.end_walls.take(order), malformed)

    def rows(self, first: int, stop: int) -> "PausePieces":
        """The pieces of rows first..stop-1, renumbered from 0."""
        a, b = np.searchsorted(self.owner, [first, stop], side="left").tolist()
        return PausePieces(self.owner[a:b] - first, self.starts[a:b], self.ends[a:b], self.start_walls.take(slice(a, b)),
                           self.end_walls.take(slice(a, b)),
                           [(r - first, piece) for r, piece in self.malformed if first <= r < stop])


def pause_pieces(values, separator: str, rows: list[int] | None = None) -> PausePieces:
    """Cut a ``paused`` column ('start/end;start/end') into pauses. ``rows``: the row of each of
    ``values`` when only the non-empty cells are given (else value i is row i)."""
    owners, starts, ends = [], [], []
    malformed = []
    at = [r for r, value in enumerate(values) if value]
    for r in at:
        text = values[r].strip()
        row = r if rows is None else rows[r]
        if not text:
            continue
        for piece in text.split(separator):
            piece = piece.strip()
            if not piece:
                continue
            start, sep, end = piece.partition("/")
            if not sep:
                malformed.append((row, piece))
                continue
            owners.append(row)
            starts.append(start.strip())
            ends.append(end.strip())
    return PausePieces(np.array(owners, np.int64), starts, ends, read_wall_times(starts), read_wall_times(ends),
                       malformed)


def _pauses(pieces: PausePieces | None, separator: str, zone: Zone, rejects: _Rejects,
            k: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``paused`` column's pieces -> merged pauses per ticket, as arrays.

    An empty end means the ticket is still paused. Overlapping or touching pauses of one
    ticket are merged, so no paused time is taken off twice.
    """
    empty_result = (np.zeros(0, np.int64), np.zeros(0, "datetime64[s]"), np.zeros(0, "datetime64[s]"))
    if pieces is None:
        return empty_result
    for r, piece in pieces.malformed:
        rejects.add(np.array([r]), k, f"'{piece}' is not a pause: write start/end, several separated by "
                                      f"'{separator}'")
    owner, starts, ends = pieces.owner, pieces.starts, pieces.ends
    start_walls, end_walls = pieces.start_walls, pieces.end_walls
    if not owner.size:
        return empty_result
    start_t, start_bad, start_empty = start_walls.in_zone(zone)
    end_t, end_bad, _ = end_walls.in_zone(zone)
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
    origin = np.int64(np.datetime64(f"{FIRST_YEAR}-01-01", "s").astype(np.int64))
    s = start_t.astype(np.int64) - origin
    open_end = np.isnat(end_t)
    e = np.where(open_end, big - 1, end_t.astype(np.int64) - origin)
    ms, me = merge_intervals(s + owner * big, e + owner * big)
    merged_owner = ms // big
    ms, me = ms - merged_owner * big, me - merged_owner * big
    start_out = (ms + origin).astype("datetime64[s]")
    end_out = np.where(me >= big - 1, NAT, (me + origin).astype("datetime64[s]"))
    return merged_owner, start_out, end_out
