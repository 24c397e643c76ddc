"""Values people type by hand: durations, percentages, times of day, weekly hours, money, text.

Each type is an ``Annotated`` pydantic type with one parser that raises ``ValueError`` with a
message written for an account manager, one serializer that gives back the canonical text, and
a JSON Schema fragment so editors can check the value as it is typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, PlainSerializer, PlainValidator, WithJsonSchema

from slagen.model import limits

# --------------------------------------------------------------------------------------------
# Errors that know which part of a value is wrong


class PartError(ValueError):
    """A mistake in one entry of a mapping value (one day of the weekly hours, say).

    The loader adds ``key`` to the error's YAML path, so the line points at that entry rather
    than at the whole mapping; ``at_key`` points at the entry's key instead of its value.
    """

    def __init__(self, key: str | tuple, message: str, *, at_key: bool = False):
        super().__init__(message)
        self.key = key
        self.at_key = at_key


# --------------------------------------------------------------------------------------------
# Text

_CONTROL_OK = {"\n", "\t"}


def _clean_text(value: str) -> str:
    for ch in value:
        if ch not in _CONTROL_OK and unicodedata.category(ch) in ("Cc", "Cs", "Co"):
            raise ValueError(
                f"contains an invisible control character (U+{ord(ch):04X}); "
                "retype the text or paste it as plain text"
            )
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return value


Text = Annotated[str, AfterValidator(_clean_text)]
"""Free text that will be printed in a document: no control characters, never empty."""


def _clean_line(value: str) -> str:
    value = _clean_text(value)
    if len(value) > limits.LONGEST_LINE:
        raise ValueError(f"the text is {len(value):,} characters long; a name, title, reference or address can be at most "
                         f"{limits.LONGEST_LINE:,} (see the limits in docs/format.md): is text pasted here by mistake?")
    return value


Line = Annotated[str, AfterValidator(_clean_line),
                 WithJsonSchema({"type": "string", "maxLength": limits.LONGEST_LINE})]
"""Text printed on a cover, in a running header or a signature block, or inside a sentence:
a name, title, reference, version or address; at most a few lines (``limits.LONGEST_LINE``)."""

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            f"'{value}' is not a valid id: use letters, digits, '-', '_' or '.', "
            "starting with a letter or digit"
        )
    return value


Id = Annotated[
    str,
    AfterValidator(_check_id),
    WithJsonSchema({"type": "string", "pattern": _ID.pattern}),
]

# --------------------------------------------------------------------------------------------
# Durations

_UNIT_SECONDS = {"h": 3600, "m": 60, "s": 1}
_SHORT = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_ISO = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")
DURATION_PATTERN = r"^((\d+h)?(\d+m)?(\d+s)?|PT(\d+H)?(\d+M)?(\d+S)?)$"


_DAYS_OR_WEEKS = re.compile(r"^P?(\d+)(D|DAYS?|W|WEEKS?)$")


def _in_hours(text: str) -> str:
    """'2d' -> '48h', '1w' -> '168h', 'P3D' -> '72h': the hint for a duration written in days.

    24 hours a day: the clock a priority names decides whether those hours are business hours.
    """
    match = _DAYS_OR_WEEKS.match(text.upper())
    if match is None:
        return "72h"
    days = int(match.group(1)) * (7 if match.group(2).startswith("W") else 1)
    return f"{days * 24}h" if 0 < days * 24 <= limits.LONGEST_DURATION.total_seconds() // 3600 else "72h"


_LONGEST = f"{int(limits.LONGEST_DURATION.total_seconds()) // 3600}h"


def parse_duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool) or isinstance(value, (int, float, Decimal)):
        raise ValueError(
            f"{value} has no unit: write it as hours and minutes, for example '4h' or '30m'"
        )
    if not isinstance(value, str):
        raise ValueError("expected a duration such as '30m', '4h' or '1h30m'")
    text = value.strip().replace(" ", "")
    match = _SHORT.match(text) or _ISO.match(text.upper())
    if not text or match is None or not any(match.groups()):
        if re.search(r"\d\s*(d|day|days|w|week|weeks)$", value.strip(), re.IGNORECASE) or (
            text.upper().startswith("P") and "D" in text.upper()
        ):
            raise ValueError(
                f"'{value}' counts days, which is ambiguous (calendar days or business days?): "
                f"write it in hours, for example '{_in_hours(text)}'"
            )
        raise ValueError(
            f"'{value}' is not a duration: write hours and minutes such as '30m', '4h' or "
            "'1h30m' (or ISO 8601 such as 'PT4H')"
        )
    if any(g and len(g.lstrip("0")) > 9 for g in match.groups()):  # never read 5,000 digits as a number
        shown = value[:40] + ("..." if len(value) > 40 else "")
        raise ValueError(f"'{shown}' is longer than a year: a duration can be at most {_LONGEST}, "
                         "so this is probably a typing mistake")
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    # Added up as whole seconds first: a timedelta of 10^12 hours cannot even be built.
    total = hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise ValueError(f"'{value}' is zero: a duration must be longer than that")
    if total > limits.LONGEST_DURATION.total_seconds():
        raise ValueError(f"'{value}' is longer than a year: a duration can be at most {_LONGEST}, "
                         "so this is probably a typing mistake")
    return timedelta(seconds=total)


def format_duration(value: timedelta) -> str:
    """Canonical short form: 4h, 30m, 1h30m, 72h."""
    total = int(value.total_seconds())
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else "", f"{seconds}s" if seconds else ""]
    return "".join(parts) or "0m"


Duration = Annotated[
    timedelta,
    PlainValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": "A duration in hours and minutes: '30m', '4h', '1h30m', '72h' or ISO 8601 'PT4H'. "
            f"Days are refused: calendar or business days would be ambiguous. At most {_LONGEST} (a year).",
        }
    ),
]

# --------------------------------------------------------------------------------------------
# Percentages


def _to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, float):
        # repr gives the shortest text that reads back as this float: what the user typed.
        return Decimal(repr(value))
    return Decimal(str(value).strip())


def parse_percent(value: Any) -> Decimal:
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and text.endswith("%"):
        text = text[:-1].strip()
    try:
        number = _to_decimal(text)
    except (InvalidOperation, ValueError):
        raise ValueError(f"'{value}' is not a percentage: write it like '99.9%'") from None
    if not number.is_finite() or number < 0 or number > 100:
        raise ValueError(f"'{value}' is not a percentage between 0% and 100%")
    return number


def format_percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


Percent = Annotated[
    Decimal,
    PlainValidator(parse_percent),
    PlainSerializer(format_percent, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 100},
                {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*%?\s*$"},
            ],
            "description": "A percentage between 0 and 100, such as '99.9%' or 99.9.",
        }
    ),
]

# --------------------------------------------------------------------------------------------
# Money


def parse_money(value: Any) -> Decimal:
    try:
        number = _to_decimal(value)
    except (InvalidOperation, ValueError):
        raise ValueError(f"'{value}' is not an amount of money: write it like 5400.00") from None
    if not number.is_finite():  # .nan and .inf are YAML numbers, never an amount
        raise ValueError(f"'{value}' is not an amount of money: write it like 5400.00")
    if number < 0:
        raise ValueError(f"'{value}' is not an amount of money of zero or more")
    if number > limits.LARGEST_AMOUNT:
        raise ValueError(f"'{value}' is more than any fee: an amount can be at most "
                         f"{limits.number_words(limits.LARGEST_AMOUNT)}, so this is probably a typing mistake")
    if number.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"'{value}' has more than two decimal places")
    return number


Money = Annotated[
    Decimal,
    PlainValidator(parse_money),
    PlainSerializer(lambda v: f"{v:.2f}", return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": int(limits.LARGEST_AMOUNT)},
                {"type": "string", "pattern": r"^\d+(\.\d{1,2})?$"},
            ],
            "description": "An amount in the agreement's currency, such as 5400.00; at most "
            f"{limits.number_words(limits.LARGEST_AMOUNT)}.",
        }
    ),
]

# --------------------------------------------------------------------------------------------
# Dates


def _contract_date(value: date) -> date:
    if not limits.EARLIEST_DATE <= value <= limits.LATEST_DATE:
        raise ValueError(
            f"the date {value.isoformat()} is out of range: a contract's dates lie between "
            f"{limits.EARLIEST_DATE.isoformat()} and {limits.LATEST_DATE.isoformat()} (is the year mistyped?)"
        )
    return value


ContractDate = Annotated[
    date,
    AfterValidator(_contract_date),
    WithJsonSchema({
        "type": "string", "format": "date",
        "description": f"YYYY-MM-DD, between {limits.EARLIEST_DATE.isoformat()} and {limits.LATEST_DATE.isoformat()}.",
    }),
]
"""A date in an agreement (start, closures): real calendar years only."""

# --------------------------------------------------------------------------------------------
# Times of day and weekly hours

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_ALIASES = {name: i for i, name in enumerate(WEEKDAYS)} | {name[:3]: i for i, name in enumerate(WEEKDAYS)}
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
MINUTES_PER_DAY = 24 * 60


def parse_time_of_day(value: Any, allow_24: bool = False) -> int:
    """'08:30' -> minutes after midnight. '24:00' only where a window may end at midnight."""
    if not isinstance(value, str):
        raise ValueError(f"'{value}' is not a time of day: write it as HH:MM in quotes, like \"08:30\"")
    match = _TIME.match(value.strip())
    if not match:
        raise ValueError(f"'{value}' is not a time of day: write it as HH:MM, like \"08:30\"")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours > 24 or (hours == 24 and (minutes or not allow_24)):
        raise ValueError(f"'{value}' is not a time on a clock: hours run 00-23 and minutes 00-59")
    return hours * 60 + minutes


def format_time_of_day(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


TimeOfDay = Annotated[
    int,
    PlainValidator(parse_time_of_day),
    PlainSerializer(format_time_of_day, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^([01]?\d|2[0-3]):[0-5]\d$", "description": "HH:MM"}),
]


def parse_weekday(value: Any) -> int:
    if isinstance(value, str) and value.strip().lower() in _DAY_ALIASES:
        return _DAY_ALIASES[value.strip().lower()]
    raise ValueError(f"'{value}' is not a day of the week: write monday, tuesday, ... sunday")


Weekday = Annotated[
    int,
    PlainValidator(parse_weekday),
    PlainSerializer(lambda d: WEEKDAYS[d], return_type=str),
    WithJsonSchema({"type": "string", "enum": list(WEEKDAYS)}),
]


@dataclass(frozen=True, order=True)
class Window:
    """Open from ``start`` to ``end`` minutes after midnight of ``weekday`` (0 = Monday).

    ``end`` may pass 1440: a window "22:00-06:00" opened on Monday closes on Tuesday at 06:00.
    The window belongs to the day it opens on, so a holiday on that day closes all of it.
    """

    weekday: int
    start: int
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class WeeklyHours:
    """A week of open windows, as typed (``text``) and as parsed (``windows``)."""

    windows: tuple[Window, ...]
    text: Any

    @property
    def is_always(self) -> bool:
        return self.minutes_per_week == 7 * MINUTES_PER_DAY

    @property
    def minutes_per_week(self) -> int:
        return sum(w.minutes for w in self.windows)

    def days(self) -> list[list[Window]]:
        out: list[list[Window]] = [[] for _ in WEEKDAYS]
        for window in self.windows:
            out[window.weekday].append(window)
        return out


ALWAYS_TEXT = "24x7"


def _parse_days(key: str) -> list[int]:
    text = key.strip().lower()
    if text in ("every day", "everyday", "daily", "all"):
        return list(range(7))
    if "-" in text:
        first, _, last = text.partition("-")
        a, b = parse_weekday(first), parse_weekday(last)
        return [(a + i) % 7 for i in range(((b - a) % 7) + 1)]
    return [parse_weekday(text)]


def _parse_windows(day: int, spec: Any) -> list[Window]:
    if not isinstance(spec, str):
        raise ValueError(f"the hours for {WEEKDAYS[day]} must be text such as \"08:30-17:30\"")
    text = spec.strip().lower()
    if text in ("closed", ""):
        return []
    if text in ("24h", "all day", "00:00-24:00"):
        return [Window(day, 0, MINUTES_PER_DAY)]
    windows = []
    for part in text.split(","):
        start_text, sep, end_text = part.strip().partition("-")
        if not sep:
            raise ValueError(f"'{part.strip()}' is not a window: write it as \"HH:MM-HH:MM\"")
        start = parse_time_of_day(start_text.strip())
        end = parse_time_of_day(end_text.strip(), allow_24=True)
        if end == start:
            raise ValueError(
                f"'{part.strip()}' opens and closes at the same time: for a whole day write \"00:00-24:00\""
            )
        if end < start:  # past midnight: closes the next morning
            end += MINUTES_PER_DAY
        windows.append(Window(day, start, end))
    windows.sort()
    for earlier, later in zip(windows, windows[1:]):
        if later.start < earlier.end:
            raise ValueError(f"the windows in \"{spec}\" overlap")
    return windows


def parse_weekly_hours(value: Any) -> WeeklyHours:
    if isinstance(value, WeeklyHours):
        return value
    if isinstance(value, str) and value.strip().lower() == ALWAYS_TEXT:
        return WeeklyHours(tuple(Window(d, 0, MINUTES_PER_DAY) for d in range(7)), ALWAYS_TEXT)
    if not isinstance(value, dict) or not value:
        raise ValueError(
            "expected days and hours, such as 'monday-friday: \"08:30-17:30\"', or the text '24x7'"
        )
    seen: dict[int, str] = {}
    windows: list[Window] = []
    for key, spec in value.items():
        try:
            days = _parse_days(str(key))
        except ValueError as exc:
            raise PartError(str(key), str(exc), at_key=True) from None
        for day in days:
            if day in seen:
                raise PartError(str(key), f"{WEEKDAYS[day]} is given twice (in '{seen[day]}' and '{key}')",
                                at_key=True)
            seen[day] = str(key)
            try:
                windows.extend(_parse_windows(day, spec))
            except ValueError as exc:
                raise PartError(str(key), str(exc)) from None
    if not windows:
        raise ValueError(
            "every day of the week is closed, so no clock would ever run: give at least one open window, "
            "such as 'monday-friday: \"08:30-17:30\"'"
        )
    windows.sort()
    # A window past midnight must not run into the next day's first window.
    for window in windows:
        if window.end > MINUTES_PER_DAY:
            spill = window.end - MINUTES_PER_DAY
            next_day = (window.weekday + 1) % 7
            for other in windows:
                if other.weekday == next_day and other.start < spill:
                    raise ValueError(
                        f"the {WEEKDAYS[window.weekday]} window ending at {format_time_of_day(spill)} "
                        f"the next morning overlaps {WEEKDAYS[next_day]}'s window from "
                        f"{format_time_of_day(other.start)}"
                    )
    return WeeklyHours(tuple(windows), value)


def _weekly_text(value: WeeklyHours) -> Any:
    return value.text


WEEKLY_SCHEMA = {
    "anyOf": [
        {"type": "string", "enum": [ALWAYS_TEXT]},
        {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {"type": "string"},
            "description": "Keys are days ('monday', 'monday-friday', 'sat'); values are windows "
            "'08:30-17:30', several as '09:00-12:00, 13:00-17:30', past midnight as '22:00-06:00', "
            "or 'closed'.",
        },
    ]
}

WeeklyHoursField = Annotated[
    WeeklyHours,
    PlainValidator(parse_weekly_hours),
    PlainSerializer(_weekly_text),
    WithJsonSchema(WEEKLY_SCHEMA),
]
