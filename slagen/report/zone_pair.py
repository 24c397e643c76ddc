"""The zone of an export's wall-clock times, checked against a UTC time and a minutes column of one event.

ConnectWise's Report Writer view writes ``date_entered`` in the server's wall time but
``Date_Responded_UTC`` in UTC, and beside them ``Responded_Minutes`` (minutes the SLA clock ran)
and ``Responded_Skipped_Minutes`` (minutes it skipped): together, the calendar minutes from
entry to response. So ``Date_Responded_UTC`` less those minutes is the entry in UTC, and its
difference from ``date_entered`` is the offset ``date_entered`` was written at. When that offset
is not the one of the zone the export is read in (``--export-timezone``, else the contract's),
every ticket would be measured from the wrong moment: the export is refused, with the zone
that fits. A preset says which columns form the pair (``zone_pair`` in ``presets``).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from slagen.errors import InvalidInput, Problem
from slagen.report.csv_rows import column_index
from slagen.report.presets import PRESETS
from slagen.report.tickets import ColumnMap

if TYPE_CHECKING:
    from slagen.model import Contract

__all__ = ["check_zone_pair"]

_SAMPLE = 5000  # rows compared: enough to see a zone, bounded for a million-row export
_SEARCH = 200  # rows a candidate zone must fit when one is suggested
# Zones suggested first, where PSA servers and MSPs usually are; then every other, by name.
_USUAL = ("UTC", "Europe/London", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
          "America/Phoenix", "America/Toronto", "Europe/Dublin", "Europe/Berlin", "Europe/Paris", "Europe/Amsterdam",
          "Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane", "Australia/Perth", "Pacific/Auckland",
          "Asia/Kolkata", "Asia/Singapore", "Africa/Johannesburg")


def _offset_text(seconds: int) -> str:
    sign = "+" if seconds >= 0 else "-"
    minutes = abs(seconds) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def check_zone_pair(path: str | Path, columns: ColumnMap, contract: "Contract") -> str | None:
    """A note saying the pair confirms the zone, None when the export has no such pair; refuses
    (InvalidInput) when the pair and the zone disagree."""
    from slagen.report.export_file import read_export
    from slagen.report.times import parse_times
    from slagen.report.zone import Zone

    pair = PRESETS.get(columns.preset or "", {}).get("zone_pair")
    if not pair:
        return None
    file = str(path)
    header, rows, lines, text_of = read_export(path, columns.delimiter)
    logged_k = column_index(header, columns.header_for("logged_at"))
    event_k = column_index(header, columns.header_for(pair["event"]))
    minute_ks = [column_index(header, name) for name in pair["minutes"]]
    if logged_k is None or event_k is None or minute_ks[0] is None:
        return None
    minute_ks = [k for k in minute_ks if k is not None]
    sample = [r for r in rows[:_SAMPLE] if len(r) > max(logged_k, event_k, *minute_ks)]
    if not sample:
        return None
    utc = Zone("UTC")
    wall, bad_wall, _ = parse_times(text_of([r[logged_k] for r in sample]), utc)  # wall clock read as if UTC
    event, bad_event, _ = parse_times(text_of([r[event_k] for r in sample]), utc)
    minutes = np.zeros(len(sample), np.int64)
    usable = ~bad_wall & ~bad_event & ~np.isnat(wall) & ~np.isnat(event)
    for k in minute_ks:
        for i, value in enumerate(text_of([r[k] for r in sample])):
            try:
                minutes[i] += int(round(float(str(value).strip())))
            except ValueError:
                if k == minute_ks[0] or str(value).strip():
                    usable[i] = False
    index = np.flatnonzero(usable)
    if index.size == 0:
        return None
    entered_utc = event[index].astype(np.int64) - minutes[index] * 60
    offsets = wall[index].astype(np.int64) - entered_utc
    zone_name = columns.export_zone or contract.support_hours.timezone
    zone = Zone(zone_name).zone
    expected = np.array([int(datetime.fromtimestamp(int(t), timezone.utc).astimezone(zone).utcoffset().total_seconds())
                         for t in entered_utc], np.int64)
    agree = int(np.count_nonzero(offsets == expected))
    names = (header[logged_k], header[event_k], " and ".join(header[k] for k in minute_ks))
    if agree * 10 >= 9 * index.size:
        return (f"'{names[0]}' was read in {zone_name}: {names[1]} less {names[2]} agrees in {agree} of "
                f"{index.size} rows")
    common, count = Counter(offsets.tolist()).most_common(1)[0]
    first_wrong = int(lines[index[np.flatnonzero(offsets != expected)[0]]])
    if count * 2 < index.size:
        message = (f"'{names[0]}' and {names[1]} less {names[2]} disagree: they put '{names[0]}' at different "
                   f"offsets from UTC row by row (most often {_offset_text(common)}, in {count} of {index.size} "
                   "rows), so the export's zone cannot be told; check that the columns belong together")
    else:
        hint = _zone_fitting(wall[index[:_SEARCH]].astype(np.int64), entered_utc[:_SEARCH])
        suggestion = f" (for example --export-timezone {hint})" if hint else ""
        message = (f"'{names[0]}' is written at {_offset_text(common)} ({count} of {index.size} rows: {names[1]} "
                   f"less {names[2]}), not in {zone_name} where it would be read; give the export's zone with "
                   f"--export-timezone{suggestion}")
    raise InvalidInput(file, [Problem(file, first_wrong, logged_k + 1, header[logged_k], message)])


def _zone_fitting(wall: np.ndarray, entered_utc: np.ndarray) -> str | None:
    """A zone whose offsets fit every sampled row: the usual ones first, then the others by name."""
    from zoneinfo import ZoneInfo, available_timezones

    offsets = (wall - entered_utc).tolist()
    instants = [datetime.fromtimestamp(int(t), timezone.utc) for t in entered_utc.tolist()]
    others = sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "posix", "right")))
    for name in [*_USUAL, *others]:
        zone = ZoneInfo(name)
        if all(int(i.astimezone(zone).utcoffset().total_seconds()) == o for i, o in zip(instants, offsets)):
            return name
    return None
