"""A CSV export -> (header, rows, CSV line of each row), and finding a column in its header.

The file is read with the standard ``csv`` module (quoting, embedded delimiters and line
breaks). What differs between tools and locales is found from the file itself:

* the encoding: UTF-8 with or without Excel's byte-order mark, UTF-16 with its mark (Excel's
  "Unicode text"), else Windows' cp1252;
* the delimiter: ``,``, ``;`` (GLPI, European locales of Excel and osTicket), a tab or ``|``,
  whichever the header row uses most outside quotes, unless ``delimiter`` is given; Excel's
  ``sep=;`` first line is obeyed.

Rows stay lists of text: turning fields into values, and naming the bad ones, is the caller's
job. Each row keeps the CSV line it started on, so a problem can point at it; blank lines are
skipped.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np

from slagen.errors import InvalidInput, Problem, UsageError

__all__ = ["column_index", "missing_column", "read_csv_columns", "read_file_bytes", "DELIMITERS"]


DELIMITERS = (",", ";", "\t", "|")


def read_file_bytes(path: str | Path) -> bytes:
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: error: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: error: is a folder, not an export") from None
    except OSError as exc:
        raise UsageError(f"{path}: error: cannot be read ({exc.strerror})") from None


def read_csv_columns(path: str | Path, delimiter: str | None = None, data: bytes | None = None
                     ) -> tuple[list[str], list[list[str]], np.ndarray]:
    """(header, rows, CSV line of each row) with the standard csv module; blank lines skipped."""
    path = Path(path)
    if data is None:
        data = read_file_bytes(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its mark: re-encode once, then as UTF-8
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(str(path), [Problem(str(path), 1, 1, "", "the file starts like UTF-16 text but is "
                                                                         "not; save it again as CSV (UTF-8)")]) from None
    skipped = 0
    head = data[3:20] if data.startswith(b"\xef\xbb\xbf") else data[:20]
    if head[:4].lower() == b"sep=" and len(head) > 4 and chr(head[4]) in DELIMITERS:  # Excel's own hint
        delimiter = delimiter or chr(head[4])
        cut = data.find(b"\n")
        data = data[:3] + data[cut + 1:] if data.startswith(b"\xef\xbb\xbf") else data[cut + 1:]
        skipped = 1
    try:
        encoding = _ENCODINGS[0]
        chosen = delimiter or _delimiter_of(data, encoding)
        header, rows = _read_rows(path, data, encoding, chosen)
    except UnicodeDecodeError:
        encoding = _ENCODINGS[1]
        chosen = delimiter or _delimiter_of(data, encoding)
        header, rows = _read_rows(path, data, encoding, chosen)
    physical = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if physical == len(rows) + 1:  # no field holds a line break: row i is on line i + 2
        lines = np.arange(2, len(rows) + 2)
    else:  # read again, noting where each row starts
        reader = csv.reader(_text_of(data, encoding), delimiter=chosen)
        next(reader)
        starts = []
        line = reader.line_num
        for _ in reader:
            starts.append(line + 1)
            line = reader.line_num
        lines = np.array(starts, np.int64)
    lines = lines + skipped
    lengths = np.fromiter(map(len, rows), np.int64, len(rows))
    blank = [i for i in np.flatnonzero(lengths <= 1).tolist() if not rows[i] or not rows[i][0].strip()]
    if blank:
        keep = np.ones(len(rows), bool)
        keep[blank] = False
        rows = [r for r, k in zip(rows, keep) if k]
        lines = lines[keep]
    return [h.strip().lstrip("\ufeff") for h in header], rows, lines


# UTF-8 (with or without a byte-order mark) first; what is not UTF-8 is read as Windows' cp1252,
# which is how Excel on Windows saves CSV, with any byte it does not define replaced.
_ENCODINGS = (("utf-8-sig", "strict"), ("cp1252", "replace"))


def _text_of(data: bytes, encoding: tuple[str, str]):
    # A text stream over the bytes reads faster with csv than a str in StringIO, and decodes as it
    # goes; newline="" leaves line breaks inside quoted fields to the csv module.
    name, errors = encoding
    return io.TextIOWrapper(io.BytesIO(data), encoding=name, errors=errors, newline="")


def _delimiter_of(data: bytes, encoding: tuple[str, str]) -> str:
    """The delimiter the header row uses most, outside quoted names; ',' when it names one column."""
    end = data.find(b"\n")
    first = data[: end if end >= 0 else len(data)].decode(encoding[0], errors="replace")
    outside = re.sub(r'"[^"]*"', "", first)
    counts = {d: outside.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties go to the earlier, commoner one
    return best if counts[best] else ","


def _read_rows(path: Path, data: bytes, encoding: tuple[str, str], delimiter: str = ","
               ) -> tuple[list[str], list[list[str]]]:
    reader = csv.reader(_text_of(data, encoding), delimiter=delimiter)
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
    if len(header) == 1 and any(d in header[0] for d in DELIMITERS[1:]):
        hint += "; the header reads as one column, so give the export's delimiter with --delimiter"
    return Problem(file, 1, 1, field_name,
                   f"the column '{wanted}' is missing; the header has: {', '.join(header) or '(nothing)'}; {hint}")
