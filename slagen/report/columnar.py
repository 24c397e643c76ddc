"""One large CSV export read a column at a time (pyarrow), for a portfolio's many customers.

A PSA's export of every customer's tickets runs to a million rows. Python's ``csv`` module
builds a list per row; pyarrow's reader parses the file in C++ on every core into one string
array per column, which is then split by customer without ever making a row object. Each
customer's share reaches ``tickets.tickets_from_export`` as a ``ColumnTable`` (the same checks,
priorities, times and pauses as a single report, read column by column).

The fast path is taken only where it gives exactly what ``csv_rows`` would: UTF-8 (with or
without a byte-order mark), no ``sep=`` line, every row as wide as the header, and no blank
line or line break inside a quoted field, so that row *i* is on line *i* + 2. Anything else
(another encoding, a short row, a quoted line break, XLSX, JSON) returns ``None`` and the
caller reads the file with ``export_file.read_export``, which names every bad row.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from slagen.report.csv_rows import DELIMITERS, read_file_bytes

__all__ = ["ColumnTable", "read_columnar"]


class ColumnTable:
    """Rows of an export held as columns; ``cells(k)`` is column ``k`` as a list of text."""

    def __init__(self, table, width: int):
        self.table = table  # pyarrow.Table of strings, columns in header order
        self.width = width

    def __len__(self) -> int:
        return self.table.num_rows

    def cells(self, k: int) -> list[str]:
        return self.table.column(k).to_pylist()

    def slice(self, offset: int, length: int) -> "ColumnTable":
        return ColumnTable(self.table.slice(offset, length), self.width)

    def take(self, rows: np.ndarray) -> "ColumnTable":
        return ColumnTable(self.table.take(rows), self.width)


def _as_is(values: list) -> list[str]:
    return values


def read_columnar(path: str | Path, delimiter: str | None = None, data: bytes | None = None):
    """``(header, ColumnTable, lines, text_of)`` like ``read_export``, or None when the file needs
    the row reader (see the module's notes)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if data is None:
        data = read_file_bytes(path)
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if body[:2] in (b"PK", b"\xff\xfe", b"\xfe\xff") or body.lstrip()[:1] in (b"[", b"{"):
        return None
    if body[:4].lower() == b"sep=":
        return None
    end = body.find(b"\n")
    if end < 0:
        return None
    try:
        first = body[:end].decode("utf-8")
    except UnicodeDecodeError:
        return None
    chosen = delimiter or _delimiter_of(first)
    try:
        header = next(csv.reader(io.StringIO(first), delimiter=chosen))
    except (csv.Error, StopIteration):
        return None
    names = [f"c{i}" for i in range(len(header))]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=chosen, newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowException):  # a short row, bad UTF-8 ...: the row reader names it
        return None
    rows = table.num_rows
    physical = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
    if physical != rows + 1:  # a blank line or a line break inside a field: lines are not row + 2
        return None
    table = table.combine_chunks()
    return ([h.strip().lstrip("\ufeff") for h in header], ColumnTable(table, len(header)),
            np.arange(2, rows + 2, dtype=np.int64), _as_is)


def _delimiter_of(first: str) -> str:
    """The delimiter the header row uses most outside quoted names, as ``csv_rows`` chooses it."""
    import re

    outside = re.sub(r'"[^"]*"', "", first)
    counts = {d: outside.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","
