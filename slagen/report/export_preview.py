"""A first look at a ticket export, before the report: its header, which tool's export it is,
and the priority labels it uses, with the contract priority each would be read as.

The workspace's report form shows this so a person can map columns and priorities with the
export's own names in front of them (the command line's ``--columns`` and ``--priority-map``).
Everything here is read by the report's own readers (``read_export``, ``column_index``,
``_priority_lookup``), so what the preview suggests is exactly what the report will do.

Bounded: at most ``MOST_LABELS`` distinct labels (the most frequent), each cut to
``LONGEST_LABEL`` characters, and at most ``MOST_COLUMNS`` header names are returned; a real
export has a handful of priorities, so more is a wrong column, not a long list to show.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from slagen.report.csv_rows import column_index
from slagen.report.export_file import read_export
from slagen.report.presets import MINUTES_FIELD
from slagen.report.tickets import FIELDS, ColumnMap, _priority_lookup

if TYPE_CHECKING:
    from slagen.model import Contract

__all__ = ["ExportPreview", "LabelSuggestion", "preview_export", "recognise_preset", "recognised_columns",
           "under_preset", "MOST_LABELS"]

MOST_LABELS = 50
LONGEST_LABEL = 200
MOST_COLUMNS = 200
MAPPABLE = FIELDS + (MINUTES_FIELD,)
_PRIORITY_WORDS = ("priority", "urgency", "severity")  # the header of an unmapped priority column, guessed


@dataclass(frozen=True)
class LabelSuggestion:
    label: str
    tickets: int  # rows carrying it
    priority: str | None  # the contract's id the report would read it as; None: left out
    how: str  # as the report's priority mapping says it: 'preset connectwise', "contract's id", 'unknown'


@dataclass(frozen=True)
class ExportPreview:
    header: tuple[str, ...]
    rows: int
    preset: str | None  # the preset in use: the one asked for, or the one recognised
    recognised: bool  # the preset was recognised from the header, not asked for
    columns: dict[str, str | None]  # field -> the export's header that will be read for it (None: missing)
    priority_column: str | None  # as mapped, else the first column named like one (to offer its labels)
    labels: tuple[LabelSuggestion, ...]
    more_labels: int  # distinct labels beyond MOST_LABELS, not listed

    def as_json(self) -> dict:
        return {"header": list(self.header), "rows": self.rows, "preset": self.preset, "recognised": self.recognised,
                "columns": dict(self.columns), "priority_column": self.priority_column,
                "labels": [{"label": s.label, "tickets": s.tickets, "priority": s.priority, "matched_by": s.how}
                           for s in self.labels],
                "more_labels": self.more_labels}


def recognise_preset(header: list[str], labels: list[str] = (), form: str | None = None) -> str | None:
    """The preset whose export ``header`` is, as :mod:`slagen.report.recognise` tells it (one rule
    for the command line and the workspace); ``form`` is 'json' for API exports, anything else for
    CSV and XLSX, and None tries both. ``labels`` are not needed: kept for callers that pass them."""
    from slagen.report.recognise import recognise_header

    for each in ([form] if form is not None else ["table", "json"]):
        found = recognise_header(header, each)
        if found.preset is not None:
            return found.preset
    return None


def _recognised_in(path: str | Path, columns: ColumnMap) -> str | None:
    from slagen.report.recognise import recognise_export

    return recognise_export(path, columns.delimiter).preset


def preview_export(path: str | Path, contract: "Contract", columns: ColumnMap, *,
                   detect: bool = False) -> ExportPreview:
    """What the report would read from the export at ``path`` with ``columns``. With ``detect``,
    a preset is recognised from the header when ``columns`` names none, and laid under it
    (``column_map`` again, with the user's own maps over the recognised preset)."""
    header, rows, _lines, text_of = read_export(path, columns.delimiter)
    recognised = False
    if detect and columns.preset is None:
        found = _recognised_in(path, columns)
        if found is not None:
            columns, recognised = under_preset(columns, found), True
    mapped: dict[str, str | None] = {}
    for name in MAPPABLE:
        wanted = columns.first_response_minutes if name == MINUTES_FIELD else columns.header_for(name)
        at = column_index(header, wanted) if wanted else None
        mapped[name] = header[at] if at is not None else None
    priority_header = mapped["priority"]
    if priority_header is None:  # a column the report cannot find yet: the one whose name says so
        priority_header = next((h for h in header if any(w in h.casefold() for w in _PRIORITY_WORDS)), None)
        mapped["priority"] = priority_header
    labels = _labels_at(header, rows, text_of, priority_header) if priority_header else []
    tally = Counter(label.strip() for label in labels)
    lookup = _priority_lookup(contract, columns)
    ranked = sorted(tally.items(), key=lambda item: (-item[1], item[0]))
    suggestions = []
    for label, count in ranked[:MOST_LABELS]:
        code, how = lookup.get(label.casefold(), (-1, "unknown"))
        suggestions.append(LabelSuggestion(label[:LONGEST_LABEL], count,
                                           contract.priorities[code].id if code >= 0 else None, how))
    return ExportPreview(tuple(h[:LONGEST_LABEL] for h in header[:MOST_COLUMNS]), len(rows), columns.preset,
                         recognised, mapped, priority_header, tuple(suggestions),
                         max(0, len(ranked) - MOST_LABELS))


def under_preset(columns: ColumnMap, preset: str) -> ColumnMap:
    """``columns`` (made with no preset) laid over ``preset``: the user's own maps still win."""
    from slagen.report.presets import column_map

    own = dict(columns.columns)
    if columns.first_response_minutes:
        own[MINUTES_FIELD] = columns.first_response_minutes
    return column_map(preset, own, columns.user_priority_values, columns.time_format,
                      export_timezone=columns.export_zone, no_response=columns.no_response,
                      delimiter=columns.delimiter)


def recognised_columns(path: str | Path, columns: ColumnMap) -> tuple[ColumnMap, str | None]:
    """(``columns`` over the preset recognised from the export's header, that preset), or
    (``columns``, None) when it names a preset already or no preset fits."""
    if columns.preset is not None:
        return columns, None
    found = _recognised_in(path, columns)
    return (under_preset(columns, found), found) if found else (columns, None)


def _labels_at(header: list[str], rows: list, text_of, name: str | None) -> list[str]:
    at = column_index(header, name) if name else None
    if at is None:
        return []
    return [str(v) for v in text_of([row[at] if len(row) > at else "" for row in rows])]
