"""What every tool's export and reader share: the export document, time and unit conversions.

An export is one JSON document:

    {"slagen_psa_export": 1, "tool": "zendesk", "agreement": "NW-ACME-2027-01", "years": [2027],
     "documentation": [...the pages the shapes follow...],
     "resources": {"schedules": [...], "holidays": [...], "sla_policies": [...]},
     "requests": [{"method": "POST", "path": "/api/v2/...", "body": {...}}, ...],
     "by_hand": ["what the tool's API cannot set, in words"]}

``resources`` hold each object as the tool's API returns it from its list endpoint, under the
key that endpoint uses; ``requests`` are the calls that create them, in order (``{name}`` in a
path or body stands for the id the tool gave an earlier object). ``psa audit`` reads either this
document or the tool's own list responses gathered into one object under the same keys.
"""

from __future__ import annotations

import re
from datetime import date

from slagen.errors import SlagenError
from slagen.psa.plan import SlaPlan

__all__ = ["ShapeError", "document", "priority_slots", "clock_time", "read_clock_time", "read_date",
           "NotExpressible"]


class ShapeError(SlagenError):
    """A configuration that is not in the tool's shape; the caller adds the file's name."""


class NotExpressible(SlagenError):
    """The contract asks for something the tool cannot hold; raised as FILE:LINE:COL."""


def document(tool: str, plan: SlaPlan, documentation: list[str], resources: dict, requests: list,
             by_hand: list[str]) -> dict:
    return {
        "slagen_psa_export": 1,
        "tool": tool,
        "agreement": plan.contract.agreement.reference,
        "years": list(plan.years),
        "documentation": documentation,
        "resources": resources,
        "requests": requests,
        "by_hand": by_hand,
    }



def priority_slots(plan: SlaPlan, labels: list, tool_name: str) -> list[tuple]:
    """(contract priority, the tool's label) in order: the contract's first priority is the tool's
    highest. A contract with more priorities than the tool has is refused at the first one left over."""
    priorities = plan.contract.priorities
    if len(priorities) > len(labels):
        extra = len(labels)
        raise NotExpressible(str(plan.problem("clock", priorities[extra].id,
                                              f"{tool_name} has {len(labels)} priorities but the contract has "
                                              f"{len(priorities)}: merge priorities or configure "
                                              f"{priorities[extra].id} by hand")))
    return list(zip(priorities, labels))


def clock_time(minutes: int, style: str = "24h") -> str:
    """Minutes after midnight as a tool writes a time of day: '08:30', '08:30:00' or '8:30 am'."""
    hours, mins = divmod(minutes, 60)
    if style == "seconds":
        return f"{hours:02d}:{mins:02d}:00"
    if style == "ampm":
        if minutes == 24 * 60:
            return "11:59 pm"  # the tools' last minute of the day: a day closing at midnight
        suffix = "am" if hours < 12 else "pm"
        return f"{(hours % 12) or 12}:{mins:02d} {suffix}"
    return f"{hours:02d}:{mins:02d}"


_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([aApP][mM])?\s*Z?\s*$")


def read_clock_time(value, where: str) -> int:
    """'08:30', '08:30:00', '08:30:00Z', '8:30 am' -> minutes after midnight; '11:59 pm' as an end is 1440."""
    match = _TIME.match(str(value)) if isinstance(value, str) else None
    if not match:
        raise ShapeError(f"{where}: '{value}' is not a time of day such as 08:30 or 8:30 am")
    hours, minutes, suffix = int(match[1]), int(match[2]), (match[4] or "").lower()
    if suffix:
        if not 1 <= hours <= 12:
            raise ShapeError(f"{where}: '{value}' is not a time of day")
        hours = hours % 12 + (12 if suffix == "pm" else 0)
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise ShapeError(f"{where}: '{value}' is not a time of day")
    total = hours * 60 + minutes
    return 24 * 60 if total == 23 * 60 + 59 else total


def read_date(value, where: str) -> date:
    """'2027-01-01' or '2027-01-01T00:00:00' (the date part) -> a date."""
    text = str(value)[:10] if isinstance(value, str) else ""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ShapeError(f"{where}: '{value}' is not a date such as 2027-01-01") from None


def one_window_per_day(plan: SlaPlan, tool_name: str) -> dict[int, tuple[int, int] | None]:
    """Tools whose calendar holds one start and one end per weekday: refuse split or overnight days."""
    out: dict[int, tuple[int, int] | None] = {}
    for day, windows in plan.settings.hours.items():
        if len(windows) > 1 or any(end > 24 * 60 for _, end in windows):
            raise NotExpressible(str(plan.problem(
                "hours", day, f"{tool_name}'s calendar holds one start and one end time per weekday, so these hours "
                              "(split, or past midnight) cannot be set in it; set them by hand as the nearest the tool "
                              "allows and expect its flags to differ from the report")))
        out[day] = windows[0] if windows else None
    return out


def hours_of_number(value, where: str) -> int:
    """A target in decimal hours (0.5) -> whole minutes (30)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value < 0:
        raise ShapeError(f"{where}: '{value}' is not a number of hours")
    return int(round(value * 60))


def hours_number(minutes: int):
    """Whole minutes as the decimal hours the tools store (30 -> 0.5, 60 -> 1)."""
    hours = minutes / 60
    return int(hours) if hours == int(hours) else round(hours, 4)


def seconds_of(value, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ShapeError(f"{where}: '{value}' is not a number of seconds")
    return value // 60


def minutes_of(value, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ShapeError(f"{where}: '{value}' is not a number of minutes")
    return value


def as_list(resources: dict, key: str) -> list:
    value = resources.get(key, [])
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ShapeError(f"'{key}' must be a list of objects, as the tool's API returns it")
    return value


def pick(items: list[dict], name_key: str, wanted_prefix: str) -> dict | None:
    """The object named for the agreement, else the only one, else the first."""
    for item in items:
        if str(item.get(name_key, "")).startswith(wanted_prefix):
            return item
    return items[0] if items else None
