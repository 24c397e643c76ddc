"""A CSV export -> (header, rows, CSV line of each row), and finding a column in its header.

The file is read with the standard ``csv`` module (quoting, embedded commas and line breaks, a
UTF-8 BOM from Excel; cp1252 when it is not UTF-8). Rows stay lists of text: turning fields
into values, and naming the bad ones, is the caller's job. Each row keeps the CSV line it
started on, so a problem can point at it; blank lines are skipped.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from slagen.errors import InvalidInput, Problem, UsageError

__all__ = ["column_index", "missing_column", "read_csv_columns"]


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


def column_index(header: list[str], name: str) -> int | None:
    folded = [h.casefold() for h in header]
    try:
        return folded.index(name.strip().casefold())
    except ValueError:
        return None


def missing_column(file: str, header: list[str], field_name: str, wanted: str) -> Problem:
    hint = f"use --columns {field_name}=<header>" if wanted == field_name else \
        f"the column map expects '{wanted}' for {field_name}"
    return Problem(file, 1, 1, field_name,
                   f"the column '{wanted}' is missing; the header has: {', '.join(header) or '(nothing)'}; {hint}")
