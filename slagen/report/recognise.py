"""Which tool wrote an export, told from its header, when no ``--preset`` or ``--columns`` says so.

    found = recognise_export("cw.csv")
    found.preset     # 'connectwise'
    found.words      # "read as ConnectWise PSA, service board grid export (CSV) (--preset connectwise)"

A preset is recognised when the header holds every column it reads (id, priority, logged,
resolved, and the first response unless the preset has none or it is optional): names compared
without regard to case or surrounding spaces, as the ticket reader finds them. API presets are
recognised in JSON exports only and the others in CSV and XLSX, since the same field names
(``number``, ``opened_at``) are written as UTC by ServiceNow's API and as wall time in its list
export. When several presets fit, the one reading the most columns is taken; two that read the
same columns the same way (Freshdesk's and Freshservice's APIs) are named together.

A header that is neither slagen's own field names nor any preset's is refused with the presets
that come closest, instead of one "column missing" error per field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from slagen.errors import InvalidInput, Problem
from slagen.report.presets import MINUTES_FIELD, PRESETS
from slagen.report.tickets import REQUIRED

__all__ = ["Recognition", "recognise_export", "recognise_header", "preset_columns"]

_HEAD_BYTES = 256 * 1024  # a CSV header is found in the file's first lines


@dataclass(frozen=True)
class Recognition:
    preset: str | None  # None: the header uses slagen's own field names, or nothing fits
    words: str  # "read as ..." for the user, empty when nothing was recognised
    closest: tuple[tuple[str, int, int, tuple[str, ...]], ...] = ()  # (preset, found, needed, missing headers)
    own_fields: bool = False  # the header names slagen's fields itself: no preset needed

    def refusal(self, file: str) -> InvalidInput | None:
        """The error for a header nothing reads, listing the closest presets; None when one fits."""
        if self.preset is not None or self.own_fields or not self.closest:
            return None
        parts = [f"--preset {name} ({found} of {needed} columns; missing {', '.join(repr(m) for m in missing)})"
                 for name, found, needed, missing in self.closest]
        return InvalidInput(file, [Problem(file, 1, 1, "", (
            "the header is not one slagen knows: it has neither slagen's field names (id, priority, logged_at, "
            "first_response_at, resolved_at) nor a known tool's export. Closest: " + "; ".join(parts)
            + ". Name the tool with --preset, or map the columns with --columns field=Header"))])


def preset_columns(key: str) -> list[str]:
    """The headers a preset needs in an export."""
    preset = PRESETS[key]
    columns = preset["columns"]
    needed = [columns.get(field, field) for field in REQUIRED if field != "first_response_at"]
    if not preset.get("no_response") and not preset.get("response_optional"):
        needed.append(preset.get(MINUTES_FIELD) or columns.get("first_response_at", "first_response_at"))
    return needed


def _norm(header: list[str]) -> set[str]:
    return {str(h).strip().casefold() for h in header}


def recognise_header(header: list[str], form: str) -> Recognition:
    """``form`` is 'json' for API exports, anything else for CSV and XLSX."""
    present = _norm(header)
    own = {f.casefold() for f in REQUIRED} - {"first_response_at"}
    if own <= present:
        return Recognition(None, "", own_fields=True)
    api = form == "json"
    scored = []
    for key in PRESETS:
        if key.endswith("-api") is not api:
            continue
        needed = preset_columns(key)
        missing = tuple(h for h in needed if h.strip().casefold() not in present)
        scored.append((key, len(needed) - len(missing), len(needed), missing))
    fits = [s for s in scored if not s[3]]
    if fits:
        best = max(s[2] for s in fits)
        chosen = [s[0] for s in fits if s[2] == best]
        key = chosen[0]
        words = f"read as {PRESETS[key]['tool']} (--preset {key})"
        same = [k for k in chosen[1:] if PRESETS[k]["columns"] == PRESETS[key]["columns"]
                and PRESETS[k]["priority_values"] == PRESETS[key]["priority_values"]
                and PRESETS[k]["zone"] == PRESETS[key]["zone"]]
        if same:
            words += ("; " + ", ".join(PRESETS[k]["tool"] for k in same)
                      + " has the same fields and is read the same way")
        return Recognition(key, words)
    closest = sorted((s for s in scored if s[1] > 0), key=lambda s: (-s[1] / s[2], -s[1], s[0]))[:3]
    return Recognition(None, "", tuple(closest))


def recognise_export(path: str | Path, delimiter: str | None = None) -> Recognition:
    """The preset whose header an export carries (reading only the start of a CSV)."""
    from slagen.report.csv_rows import read_csv_columns, read_file_bytes
    from slagen.report.export_file import read_export

    data = read_file_bytes(path)
    head = data[:256]
    start = (head[3:] if head.startswith(b"\xef\xbb\xbf") else head).lstrip()
    if data[:4] == b"PK\x03\x04":
        header, form = read_export(path, delimiter)[0], "table"
    elif start[:1] in (b"[", b"{"):
        header, form = read_export(path, delimiter)[0], "json"
    else:
        cut = data[:_HEAD_BYTES]
        if len(data) > _HEAD_BYTES and b"\n" in cut:
            cut = cut[:cut.rindex(b"\n") + 1]  # whole lines only: a quoted field cut in two is no header
        header, form = read_csv_columns(path, delimiter, cut)[0], "table"
    return recognise_header(list(header), form)
