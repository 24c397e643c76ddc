"""How an export writes its times: found from every value of its time columns, never guessed.

    layout = detect_layout(columns)      # None: ISO 8601 (the fast reader's own)
    layout.parse("3/1/2027 9:12 AM")     # datetime(2027, 3, 1, 9, 12), naive

PSA grid exports write times the way the user's locale shows them: ``3/1/2027 9:12 AM`` in
the US, ``01/03/2027 09:12`` in Europe, ``01-03-2027 09:12`` and ``01.03.2027 09:12`` too, Jira
``01/Mar/27 9:12 AM``. Whether ``03/01`` is the 3rd of January or the 1st of March can only be
told from the values: a first number above 12 makes the column day-first, a second number above
12 month-first. When no value settles it (every day of the export is the 12th or earlier) the
column is *ambiguous* and refused (``AmbiguousDates``), with two rows read both ways, so that
no one reports on tickets moved into other months. All the time columns of one export are
judged together: a tool writes them all one way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

__all__ = ["Layout", "detect_layout", "AmbiguousDates", "MixedDates", "check_time_format", "ISO_START",
           "written_in_iso"]

ISO_START = re.compile(r"\s*\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}", re.ASCII)

# 3/1/2027 9:12 AM, 01-03-2027 09:12:33, 01.03.27 09:12
_NUMERIC = re.compile(r"\s*(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2}),?[ T](\d{1,2}):(\d{2})(?::(\d{2}))?"
                      r"(?:\s*([AaPp])\.?[Mm]\.?)?\s*$", re.ASCII)
# 01/Mar/27 9:12 AM (Jira), 1-Mar-2027 09:12
_MONTH_NAME = re.compile(r"\s*(\d{1,2})([/ -])([A-Za-z]{3})\2(\d{4}|\d{2}),? (\d{1,2}):(\d{2})(?::(\d{2}))?"
                         r"(?:\s*([AaPp])\.?[Mm]\.?)?\s*$", re.ASCII)
# 2027-03-01 9:12 AM
_ISO_12H = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp])\.?[Mm]\.?\s*$",
                      re.ASCII)
_MONTHS = {name: i for i, name in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                               "nov", "dec"), start=1)}


class AmbiguousDates(Exception):
    """Every value reads both day-first and month-first: ``samples`` are (column, row, text)."""

    def __init__(self, samples: list[tuple[int, int, str]]):
        self.samples = samples


class MixedDates(Exception):
    """Some values only read day-first, others only month-first: ``samples`` as above."""

    def __init__(self, samples: list[tuple[int, int, str]]):
        self.samples = samples


def _clock(hour: int, minute: int, second: int, half: str | None) -> tuple[int, int, int] | None:
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half in "Pp" else 0)
    return hour, minute, second


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)  # helpdesk tickets are of this century


def _make(year, month, day, clock) -> datetime | None:
    if clock is None:
        return None
    try:
        return datetime(year, month, day, *clock)
    except ValueError:
        return None


@dataclass(frozen=True)
class Layout:
    """One of the layouts above, with its day/month order decided."""

    kind: str  # numeric | month-name | iso-12h
    day_first: bool = False

    @property
    def described(self) -> str:
        return {"numeric": "day/month/year" if self.day_first else "month/day/year",
                "month-name": "day/month-name/year", "iso-12h": "year-month-day with AM/PM"}[self.kind]

    def parse(self, text: str) -> datetime | None:
        if self.kind == "numeric":
            m = _NUMERIC.match(text)
            if not m:
                return None
            a, b = int(m[1]), int(m[3])
            day, month = (a, b) if self.day_first else (b, a)
            return _make(_year(m[4]), month, day, _clock(int(m[5]), int(m[6]), int(m[7] or 0), m[8]))
        if self.kind == "month-name":
            m = _MONTH_NAME.match(text)
            if not m or m[3].lower() not in _MONTHS:
                return None
            return _make(_year(m[4]), _MONTHS[m[3].lower()], int(m[1]),
                         _clock(int(m[5]), int(m[6]), int(m[7] or 0), m[8]))
        m = _ISO_12H.match(text)
        if not m:
            return None
        return _make(int(m[1]), int(m[2]), int(m[3]), _clock(int(m[4]), int(m[5]), int(m[6] or 0), m[7]))


def written_in_iso(column: list) -> bool:
    """Whether a column's first written value is ISO 8601 text (or a workbook's date cell)."""
    first = next((v for v in column if v and (not isinstance(v, str) or v.strip())), None)
    return not isinstance(first, str) or ISO_START.match(first) is not None


def detect_layout(columns: list[list[str]]) -> Layout | None:
    """The layout of the time columns' values; None when they are ISO 8601 (or empty).

    Only the first written value of each column is looked at to tell ISO text from the rest
    (ISO columns are the fast reader's, which names any stray value); the others are judged
    from every distinct value.
    """
    other = [k for k, column in enumerate(columns) if not written_in_iso(column)]
    if not other:
        return None
    counts = {"numeric": 0, "month-name": 0, "iso-12h": 0}
    day_first_only: list[tuple[int, int, str]] = []
    month_first_only: list[tuple[int, int, str]] = []
    either: list[tuple[int, int, str]] = []
    for k in other:
        seen: set[str] = set()
        for r, value in enumerate(columns[k]):
            if not isinstance(value, str) or value in seen or not value.strip():
                continue
            seen.add(value)
            if m := _NUMERIC.match(value):
                counts["numeric"] += 1
                a, b = int(m[1]), int(m[3])
                if a > 12 >= b:
                    day_first_only.append((k, r, value))
                elif b > 12 >= a:
                    month_first_only.append((k, r, value))
                elif a <= 12 and b <= 12:
                    either.append((k, r, value))
            elif _MONTH_NAME.match(value):
                counts["month-name"] += 1
            elif _ISO_12H.match(value):
                counts["iso-12h"] += 1
    kind = max(counts, key=lambda name: counts[name])
    if counts[kind] == 0:
        return None  # nothing recognisable: the ISO reader names every value as not a time
    if kind != "numeric":
        return Layout(kind)
    if day_first_only and month_first_only:
        raise MixedDates([day_first_only[0], month_first_only[0]])
    if day_first_only:
        return Layout("numeric", day_first=True)
    if month_first_only:
        return Layout("numeric", day_first=False)
    samples = sorted(either, key=lambda s: (s[0], s[1]))
    raise AmbiguousDates(samples[:1] + [s for s in samples[1:] if s[2].split()[0] != samples[0][2].split()[0]][:1]
                         or samples[:2])


_NEEDS = (("day", ("%d", "%j")), ("month", ("%m", "%b", "%B", "%j")), ("year", ("%Y", "%y")),
          ("hour", ("%H", "%I")), ("minute", ("%M",)))


def check_time_format(time_format: str) -> str | None:
    """Why ``time_format`` cannot read a ticket's time, in words; None when it can."""
    missing = [what for what, codes in _NEEDS if not any(code in time_format for code in codes)]
    if missing:
        return f"it has no {', no '.join(missing)} (a time needs %d, %m, %Y, %H and %M or their kin)"
    if "%I" in time_format and "%p" not in time_format:
        return "it uses %I (a 12-hour clock) without %p (AM or PM)"
    sample = datetime(2027, 3, 14, 21, 45)
    try:
        written = sample.strftime(time_format)
        read = datetime.strptime(written, time_format)
    except Exception as exc:  # re.error for '%Y%Y', ValueError for a stray '%'
        return f"Python cannot use it ({exc})"
    if read.replace(second=0, microsecond=0) != sample:
        return f"it reads its own example '{written}' back as {read:%Y-%m-%d %H:%M}"
    return None
