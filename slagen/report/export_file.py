"""Any ticket export -> (header, rows of text, the line or sheet row of each row).

Three forms, told apart by the file itself rather than its name alone:

* **XLSX** (a zip starting ``PK``; Zammad's reports, Excel saves): read directly with
  python-calamine, the first sheet; the header is the first row naming at least two columns
  (Zammad puts a title above it). Cells stay as calamine gives them until a column is asked
  for (``text_of``): numbers then become their plain text, and date cells stay datetimes
  (``times.SheetCells``, the workbook's wall time; a cell at exactly midnight, which calamine
  gives as a date, is that midnight) that the time reader takes by their fields.
  A row's location is its sheet row.
* **JSON** (``[`` or ``{`` first): an array of ticket objects as the tools' APIs return them,
  or an object holding one such array (``{"tickets": [...]}``). Nested objects are flattened
  to dotted names (``priority.name``, ``_info.dateEntered``, ``stats.first_responded_at``).
  A ticket's location is the line its object starts on.
* **CSV** otherwise: ``csv_rows`` (encoding and delimiter found from the file).
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Callable

import numpy as np

from slagen.errors import InvalidInput, Problem
from slagen.report.csv_rows import read_csv_columns, read_file_bytes
from slagen.report.times import SheetCells

__all__ = ["read_export", "Export"]

Export = tuple[list[str], list[list], np.ndarray, Callable[[list], list[str]]]

_CONTAINER_KEYS = ("tickets", "records", "result", "results", "data", "items", "value", "requests", "issues")


def read_export(path: str | Path, delimiter: str | None = None) -> Export:
    """(header, rows, line of each row, text_of): ``text_of`` turns one column's cells into text."""
    data = read_file_bytes(path)
    if data[:4] == b"PK\x03\x04":
        return (*_read_xlsx(Path(path)), _column_text)
    head = data[:256]  # a look at the start only: slicing the whole file would copy it
    start = (head[3:] if head.startswith(b"\xef\xbb\xbf") else head).lstrip()
    if start[:1] in (b"[", b"{"):
        return (*_read_json(str(path), data), _as_is)
    return (*read_csv_columns(path, delimiter, data), _as_is)


def _as_is(values: list) -> list[str]:
    return values


# --------------------------------------------------------------------------------------------
# XLSX


def _column_text(values: list) -> list:
    """One column of calamine cells: text, with date cells kept as datetimes (``SheetCells``)
    for the time reader to take by their fields."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        return values
    if date in kinds:  # calamine gives a date cell at exactly midnight as a date: it is that midnight
        values = [datetime(v.year, v.month, v.day) if type(v) is date else v for v in values]
        kinds = (kinds - {date}) | {datetime}
    if datetime in kinds:
        if kinds <= {str, datetime}:
            return SheetCells(values)
        return SheetCells([v if type(v) in (str, datetime) else _cell_text(v) for v in values])
    return [_cell_text(v) for v in values]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _read_xlsx(path: Path) -> tuple[list[str], list[list[str]], np.ndarray]:
    from python_calamine import CalamineWorkbook

    from slagen.report.workbook_bounds import WorkbookRefused, check_workbook

    file = str(path)
    try:  # before calamine sees it: a crafted workbook makes it abort the process (workbook_bounds)
        check_workbook(path)
    except WorkbookRefused as exc:
        raise InvalidInput(file, [Problem(file, 1, 1, "", str(exc))]) from None
    try:
        book = CalamineWorkbook.from_path(file)
        sheet = book.get_sheet_by_index(0)
        cells = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for a damaged workbook
        raise InvalidInput(file, [Problem(file, 1, 1, "", f"the workbook cannot be read ({exc}); save it again "
                                                          "from Excel, or export CSV")]) from None
    at = next((i for i, row in enumerate(cells) if sum(1 for v in row if v not in (None, "")) >= 2), None)
    if at is None:
        raise InvalidInput(file, [Problem(file, 1, 1, "", "the first sheet has no header row naming the columns")])
    header = [_cell_text(v).strip() for v in cells[at]]
    rows, lines = [], []
    width = len(header)
    for number, row in enumerate(cells[at + 1:], start=at + 2):
        if row.count(None) + row.count("") == len(row):  # an empty row (counted in C, not cell by cell)
            continue
        rows.append(row if len(row) >= width else row + [None] * (width - len(row)))
        lines.append(number)
    return header, rows, np.array(lines, np.int64)


# --------------------------------------------------------------------------------------------
# JSON


def _flatten(value, prefix: str, out: dict) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(inner, f"{prefix}{key}.", out)
        return
    name = prefix[:-1]
    if value is None:
        out[name] = ""
    elif isinstance(value, bool):
        out[name] = "true" if value else "false"
    elif isinstance(value, (int, str)):
        out[name] = str(value)
    elif isinstance(value, float):
        out[name] = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    else:
        out[name] = json.dumps(value, ensure_ascii=False)


def _read_json(file: str, data: bytes) -> tuple[list[str], list[list[str]], np.ndarray]:
    def refuse(line: int, message: str):
        raise InvalidInput(file, [Problem(file, line, 1, "", message)])

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        refuse(data.count(b"\n", 0, exc.start) + 1, "the JSON is not UTF-8 text")
    decoder = json.JSONDecoder()
    pos = len(text) - len(text.lstrip())
    if text[pos:pos + 1] == "{":  # {"tickets": [...]}: find the array inside, without reading it twice
        try:
            whole, _ = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError) as exc:
            refuse(getattr(exc, "lineno", 1), f"not valid JSON ({getattr(exc, 'msg', 'nested too deeply')})")
        keys = [k for k in _CONTAINER_KEYS if isinstance(whole.get(k), list)]
        if not keys:
            refuse(1, "expected an array of tickets, or an object holding one under "
                      f"{', '.join(repr(k) for k in _CONTAINER_KEYS)}")
        records, starts = whole[keys[0]], _lines_of_array_under(text, keys[0], len(whole[keys[0]]), decoder)
    else:
        records, starts = _array_with_lines(text, pos, decoder, refuse)
    flat: list[dict] = []
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            refuse(starts[i] if starts else 1, f"ticket {i + 1} of the array is not an object")
        row: dict = {}
        _flatten(record, "", row)
        flat.append(row)
    header: dict[str, None] = {}
    for row in flat:
        header.update(dict.fromkeys(row))
    names = list(header)
    rows = [[row.get(name, "") for name in names] for row in flat]
    lines = np.array(starts if starts else [1] * len(rows), np.int64)
    return names, rows, lines


def _lines_of_array_under(text: str, key: str, count: int, decoder: json.JSONDecoder) -> list[int] | None:
    """The line each ticket of ``{"key": [...]}`` starts on; None if the array cannot be found again."""
    import re

    for match in re.finditer(r'"%s"\s*:\s*\[' % re.escape(key), text):
        def give_up(line, message):
            raise ValueError(message)

        try:
            records, starts = _array_with_lines(text, match.end() - 1, decoder, give_up, trailing_ok=True)
        except ValueError:
            continue
        if len(records) == count:
            return starts  # counted from the start of the text: already the file's lines
    return None


def _array_with_lines(text: str, pos: int, decoder: json.JSONDecoder, refuse, trailing_ok: bool = False
                      ) -> tuple[list, list[int]]:
    """The elements of the top-level array at ``text[pos]``, and the line each starts on."""
    records, starts = [], []
    line, counted = 1, 0
    pos += 1
    n = len(text)

    def skip(p: int) -> int:
        while p < n and text[p] in " \t\r\n":
            p += 1
        return p

    pos = skip(pos)
    if text[pos:pos + 1] == "]":
        return records, starts
    while True:
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            value, pos = decoder.raw_decode(text, pos)
        except ValueError as exc:
            refuse(getattr(exc, "lineno", line), f"not valid JSON ({getattr(exc, 'msg', exc)})")
        except RecursionError:
            refuse(line, "not valid JSON (nested too deeply)")
        records.append(value)
        starts.append(line)
        pos = skip(pos)
        if text[pos:pos + 1] == ",":
            pos = skip(pos + 1)
            continue
        if text[pos:pos + 1] == "]":
            break
        refuse(line + text.count("\n", counted, pos), "not valid JSON (expected ',' or ']' after a ticket)")
    if not trailing_ok and text[skip(pos + 1):].strip():
        refuse(line + text.count("\n", counted, pos), "not valid JSON (text after the closing ']')")
    return records, starts
