"""Column mappings for the ticket exports of common PSA tools.

The header names and priority labels below are written from what these tools' exports and
APIs are documented or commonly seen to use; exports are configurable (custom views, renamed
columns, customised priority lists), so check them against a real export and adjust with
``--columns field=Header`` and ``--priority-map Label=P1``, which override a preset.

Times must still be ISO 8601 (``2027-03-01 09:30`` or with an offset) unless ``--time-format``
gives a ``strptime`` format; a preset never guesses a day/month order.
"""

from __future__ import annotations

from slagen.errors import UsageError
from slagen.report.tickets import FIELDS, ColumnMap

__all__ = ["PRESETS", "column_map", "parse_pairs"]

PRESETS: dict[str, dict] = {
    # ConnectWise PSA (Manage): service ticket fields dateEntered / dateResponded / dateResolved,
    # shown as these headers in a service board export; the default priority list.
    "connectwise": {
        "columns": {"id": "Ticket #", "priority": "Priority", "logged_at": "Date Entered",
                    "first_response_at": "Date Responded", "resolved_at": "Date Resolved"},
        "priority_values": {"Priority 1 - Emergency Response": "P1", "Priority 2 - Quick Response": "P2",
                            "Priority 3 - Normal Response": "P3", "Priority 4 - Schedule Maintenance": "P4"},
    },
    # Autotask PSA (Datto): ticket fields createDate / firstResponseDateTime / resolvedDateTime.
    "autotask": {
        "columns": {"id": "Ticket Number", "priority": "Priority", "logged_at": "Create Date",
                    "first_response_at": "First Response Date Time", "resolved_at": "Resolved Date Time"},
        "priority_values": {"Critical": "P1", "High": "P2", "Medium": "P3", "Low": "P4"},
    },
    # HaloPSA: ticket list export (dateoccurred / responsedate / datecleared).
    "halopsa": {
        "columns": {"id": "Ticket ID", "priority": "Priority", "logged_at": "Date Logged",
                    "first_response_at": "Response Date", "resolved_at": "Date Closed"},
        "priority_values": {"1": "P1", "2": "P2", "3": "P3", "4": "P4",
                            "Critical": "P1", "High": "P2", "Medium": "P3", "Low": "P4"},
    },
    # Zendesk: the classic ticket CSV export has no first-response time, only
    # "First reply time in minutes" (calendar minutes from creation), which is used instead.
    "zendesk": {
        "columns": {"id": "Id", "priority": "Priority", "logged_at": "Created at", "resolved_at": "Solved at"},
        "first_response_minutes": "First reply time in minutes",
        "priority_values": {"Urgent": "P1", "High": "P2", "Normal": "P3", "Low": "P4"},
    },
}


def parse_pairs(values: list[str] | None, option: str) -> dict[str, str]:
    """['a=b', 'c=d,e=f'] -> {'a': 'b', 'c': 'd', 'e': 'f'}; a mistake is a UsageError."""
    pairs: dict[str, str] = {}
    for value in values or []:
        for part in value.split(","):
            if not part.strip():
                continue
            key, sep, target = part.partition("=")
            if not sep or not key.strip() or not target.strip():
                raise UsageError(f"error: {option} '{part.strip()}' is not NAME=VALUE")
            pairs[key.strip()] = target.strip()
    return pairs


def column_map(preset: str | None = None, columns: dict[str, str] | None = None,
               priority_values: dict[str, str] | None = None, time_format: str | None = None,
               first_response_minutes: str | None = None) -> ColumnMap:
    """A preset (or none) with the user's mappings laid over it."""
    base: dict = {}
    if preset is not None:
        key = preset.strip().lower()
        if key not in PRESETS:
            raise UsageError(f"error: '{preset}' is not a preset; use one of {', '.join(sorted(PRESETS))}")
        base = PRESETS[key]
    mapped = dict(base.get("columns", {}))
    for field_name, header in (columns or {}).items():
        if field_name not in FIELDS:
            raise UsageError(f"error: --columns names '{field_name}', which is not a field; the fields are "
                             f"{', '.join(FIELDS)}")
        mapped[field_name] = header
    minutes = first_response_minutes or base.get("first_response_minutes")
    if columns and "first_response_at" in columns:
        minutes = first_response_minutes  # an explicit time column wins over the preset's minutes
    return ColumnMap(
        columns=mapped,
        time_format=time_format or base.get("time_format"),
        first_response_minutes=minutes,
        priority_values={**base.get("priority_values", {}), **(priority_values or {})},
    )
