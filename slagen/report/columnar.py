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

__all__ = ["ColumnTable", "read_columnar", "column_codes"]


class ColumnTable:
    """Rows of an export held as columns; ``cells(k)`` is column ``k`` as a list of text.

    ``prepare(order, ...)`` reads chosen columns once for the whole table, in the row order
    ``order`` (a portfolio's rows grouped by contract): time columns into ``times.WallTimes``
    (the text read without a zone), label columns (priority) into codes over their distinct
    values, the pause column into its pauses. The table itself is not copied in that order: a
    slice of the prepared table is a range of ``order``, and its text is taken from pyarrow
    only when asked for (``cells``). So each contract gets its rows' times, labels and pauses
    without parsing a string again; ``wall_times(k)``, ``labels(k)`` and ``pause_pieces`` answer
    None for a column that was not prepared.
    """

    def __init__(self, table, width: int, prepared: "_Prepared | None" = None, start: int = 0,
                 rows: np.ndarray | None = None):
        self.table = table  # pyarrow.Table of strings, columns in header order
        self.width = width
        self._prepared = prepared
        self._start = start  # where this table's first row sits in the prepared arrays
        self._rows = rows  # the table's rows that are this table's, in order; None: all, as they are

    def __len__(self) -> int:
        return self.table.num_rows if self._rows is None else len(self._rows)

    def _column(self, k: int):
        column = self.table.column(k)
        return column if self._rows is None else column.take(self._rows)

    def cells(self, k: int) -> list[str]:
        texts = self._prepared.texts.get(k) if self._prepared else None
        if texts is not None:
            return texts[self._start:self._start + len(self)]
        return self._column(k).to_pylist()

    def slice(self, offset: int, length: int) -> "ColumnTable":
        if self._rows is None:
            return ColumnTable(self.table.slice(offset, length), self.width, self._prepared, self._start + offset)
        return ColumnTable(self.table, self.width, self._prepared, self._start + offset,
                           self._rows[offset:offset + length])

    def take(self, rows: np.ndarray) -> "ColumnTable":
        return ColumnTable(self.table.take(rows), self.width)

    def prepare(self, order: np.ndarray, time_columns: list[int], label_columns: list[int],
                pauses: tuple[int, str] | None = None, text_columns: list[int] = ()) -> "ColumnTable":
        """This table's rows in ``order``, with ``time_columns``, ``label_columns`` and the pause
        column (its index and separator) read once (see the class notes); ``text_columns`` (the
        ticket ids, which every contract needs as text) made into Python strings once, in order."""
        import pyarrow.compute as pc

        from slagen.report.tickets import pause_pieces

        table = self.table.combine_chunks()
        order = np.asarray(order, np.int64)
        walls, labels, pieces, texts = {}, {}, None, {}
        for k in text_columns:
            texts[k] = table.column(k).take(order).to_pylist()
        for k in time_columns:
            walls[k] = _wall_times(table.column(k)).take(order)
        for k in label_columns:
            codes, names = _labels(table.column(k))
            labels[k] = (codes[order], names)
        if pauses is not None:
            column = table.column(pauses[0])
            written = np.flatnonzero(pc.not_equal(column, "").to_numpy(zero_copy_only=False))
            cells = column.take(written)
            found = _pause_pieces(cells, pauses[1], written)
            if found is None:  # text the C++ string functions would read otherwise than Python's
                found = pause_pieces(cells.to_pylist(), pauses[1], written.tolist())
            position = np.empty(len(order), np.int64)
            position[order] = np.arange(len(order))  # a row of the file -> its place in ``order``
            pieces = (pauses, found.renumbered(position))
        return ColumnTable(table, self.width, _Prepared(walls, labels, pieces, texts), 0, order)

    def _span(self) -> slice:
        return slice(self._start, self._start + len(self))

    def wall_times(self, k: int):
        """Column ``k``'s times for these rows (``times.WallTimes``), or None when not prepared."""
        walls = self._prepared.walls.get(k) if self._prepared else None
        return None if walls is None else walls.take(self._span())

    def first_written(self, k: int) -> str | None:
        """The first value of column ``k`` that is not blank, for telling ISO text from others."""
        walls = self.wall_times(k)
        if walls is None:
            return next((v for v in self.cells(k) if v.strip()), None)
        if walls.empty.size == 0:
            return None
        first = int(np.argmin(walls.empty))  # the first False: the first written value
        if walls.empty[first]:
            return None
        row = first if self._rows is None else int(self._rows[first])
        return self.table.column(k)[row].as_py()

    def pause_pieces(self, k: int, separator: str):
        """Column ``k``'s pauses for these rows (``tickets.PausePieces``), or None when not prepared."""
        if self._prepared is None or self._prepared.pieces is None or self._prepared.pieces[0] != (k, separator):
            return None
        return self._prepared.pieces[1].rows(self._start, self._start + len(self))

    def labels(self, k: int) -> tuple[np.ndarray, list[str]] | None:
        """Column ``k`` as (code per row, the distinct values the codes index), or None."""
        coded = self._prepared.labels.get(k) if self._prepared else None
        if coded is None:
            return None
        codes, names = coded
        return codes[self._span()], names


class _Prepared:
    def __init__(self, walls: dict, labels: dict, pieces, texts: dict | None = None):
        self.walls, self.labels, self.pieces, self.texts = walls, labels, pieces, texts or {}


class _LazyText:
    """``values[i]`` of a pyarrow string column (or of its ``rows``), made only for the rows asked about."""

    def __init__(self, column, rows: np.ndarray | None = None):
        self.column, self.rows = column, rows

    def __len__(self) -> int:
        return len(self.column) if self.rows is None else len(self.rows)

    def __getitem__(self, i: int) -> str:
        return self.column[int(i if self.rows is None else self.rows[i])].as_py()


def _spread(walls, rows: np.ndarray, n: int):
    """``WallTimes`` of ``rows`` out of ``n``, the other rows empty."""
    from slagen.report.times import WallTimes

    seconds, naive, bad, empty = np.zeros(n, np.int64), np.ones(n, bool), np.zeros(n, bool), np.ones(n, bool)
    seconds[rows], naive[rows], bad[rows], empty[rows] = walls.seconds, walls.naive, walls.bad, walls.empty
    return WallTimes(seconds, naive, bad, empty)


def _wall_times(column):
    """A string column -> ``times.WallTimes``, the bytes read straight from pyarrow's buffers."""
    from slagen.report.times import read_wall_times

    array = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    n = len(array)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset:array.offset + n + 1].astype(np.int64)
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8) if array.buffers()[2] is not None \
        else np.zeros(1, np.uint8)
    lengths = np.diff(offsets)
    if n == 0 or (offsets[-1] > offsets[0] and data[offsets[0]:offsets[-1]].max() >= 128):
        return read_wall_times(array.to_pylist())  # not ASCII: the text path names every value
    written = np.flatnonzero(lengths)
    if written.size and (lengths[written] == lengths[written[0]]).all():
        # Every written time is as long as the others (an export writes one layout): empty cells
        # add no bytes, so the written values lie end to end in the buffer, a matrix as they are.
        width = int(lengths[written[0]])
        start = int(offsets[0])
        matrix = data[start:start + written.size * width].reshape(written.size, width)
        walls = read_wall_times(_LazyText(array, written), (matrix, np.full(written.size, width, np.int64)))
        return _spread(walls, written, n)
    width = int(lengths.max())
    matrix = np.empty((n, width), np.uint8)
    last = max(len(data) - 1, 0)
    for j in range(width):  # one byte position at a time: no n x width index matrix in memory
        source = offsets[:-1] + j
        np.minimum(source, last, out=source)
        byte = data[source]
        byte[lengths <= j] = 0
        matrix[:, j] = byte
    return read_wall_times(_LazyText(array), (matrix, lengths))


# Bytes Python's str.strip() takes for white space and pyarrow's ascii_trim_whitespace does not.
_PYTHON_ONLY_SPACE = (0x1C, 0x1D, 0x1E, 0x1F)


def _pause_pieces(cells, separator: str, rows: np.ndarray):
    """``tickets.pause_pieces`` of the written pause cells (a pyarrow string column; ``rows``: the
    row of each), cut by pyarrow's string functions instead of a Python loop; or None where they
    could read the text otherwise than Python does: a separator with white space in it (stripping
    a cell before cutting it could then change the pieces), text that is not ASCII, or bytes that
    Python strips as white space and pyarrow does not. Each piece is stripped and an empty one
    passed over; a piece without '/' is malformed; else it is start/end, cut at its first '/'."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from slagen.report.tickets import PausePieces

    if not separator or any(ch.isspace() for ch in separator):
        return None
    array = cells.combine_chunks() if hasattr(cells, "combine_chunks") else cells
    if len(array):
        offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset:array.offset + len(array) + 1]
        data = array.buffers()[2]
        if data is not None and offsets[-1] > offsets[0]:
            text = np.frombuffer(data, dtype=np.uint8)[offsets[0]:offsets[-1]]
            if text.max() >= 128 or np.isin(text, _PYTHON_ONLY_SPACE).any():
                return None
    lists = pc.split_pattern(array, separator)
    parent = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
    pieces = pc.ascii_trim_whitespace(pc.list_flatten(lists))
    kept = pc.not_equal(pieces, "").to_numpy(zero_copy_only=False)
    pieces, parent = pieces.filter(kept), parent[kept]
    halves = pc.split_pattern(pieces, "/", max_splits=1)
    whole = pc.list_value_length(halves).to_numpy(zero_copy_only=False) == 2
    owners = np.asarray(rows, np.int64)[parent]
    malformed = list(zip(owners[~whole].tolist(), pieces.filter(~whole).to_pylist()))
    halves = halves.filter(whole)
    starts = pc.ascii_trim_whitespace(pc.list_element(halves, 0))
    ends = pc.ascii_trim_whitespace(pc.list_element(halves, 1))
    return PausePieces(owners[whole], starts.to_pylist(), ends.to_pylist(), _wall_times(pa.chunked_array([starts])),
                       _wall_times(pa.chunked_array([ends])), malformed)


def column_codes(column) -> tuple[np.ndarray, list[str]]:
    """A pyarrow string column as (code per row, the distinct values in order of first appearance)."""
    return _labels(column)


def _labels(column) -> tuple[np.ndarray, list[str]]:
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(column)
    chunks = encoded.chunks
    if not chunks:
        return np.zeros(0, np.int64), []
    names = chunks[0].dictionary.to_pylist()
    codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in chunks]).astype(np.int64)
    return codes, names


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
