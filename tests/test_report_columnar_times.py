"""A portfolio's time columns read from pyarrow's buffers give what the text reader gives, row by row.

The oracle is ``times._wall_slowly`` (``datetime.fromisoformat`` on each value), run on every row;
the fast paths (every value in one layout, read straight from the byte matrix) must agree with
it on real times, impossible ones (30 February, 24:00) and the layouts around them.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from slagen.report.columnar import _wall_times
from slagen.report.times import WallTimes, _wall_slowly


def _oracle(values: list[str]) -> WallTimes:
    n = len(values)
    return _wall_slowly(values, np.arange(n), WallTimes(np.zeros(n, np.int64), np.zeros(n, bool), np.zeros(n, bool),
                                                        np.zeros(n, bool)))


def _same(walls: WallTimes, oracle: WallTimes) -> None:
    assert walls.bad.tolist() == oracle.bad.tolist()
    assert walls.empty.tolist() == oracle.empty.tolist()
    usable = ~oracle.bad & ~oracle.empty
    assert walls.seconds[usable].tolist() == oracle.seconds[usable].tolist()
    assert walls.naive[usable].tolist() == oracle.naive[usable].tolist()


@pytest.mark.parametrize("values", [
    ["2027-03-01T09:00", "2027-02-28 23:59", "2028-02-29T12:30", "2027-12-31t00:00"],
    ["2027-03-01T09:00", "2027-02-30T10:00", "2027-03-01T24:00", "2027-13-01T10:00", "2027-02-29T10:00"],
    ["2027-03-01 09:00:05", "2027-03-01 09:00:60", "2024-02-29 23:59:59"],
    ["2027-03-01T09:00", "", "2027-03-02T10:15", ""],
    ["2027-03-01T09:00Z", "2027-03-01T09:00", "2027-03-01T09:00+01:00", "2027-03-01T09:00-0500"],
    ["2027-03-01T09:00:00.750", "2027-03-01 09:00", " 2027-03-01T09:00", "not a time"],
], ids=["one layout", "impossible dates in one layout", "with seconds", "blanks", "offsets", "mixed"])
def test_the_columnar_reading_is_the_text_readings(values):
    _same(_wall_times(pa.chunked_array([pa.array(values, pa.string())])), _oracle(values))


PAUSES = ["2027-03-01T09:00/2027-03-01T10:00",
          " 2027-03-01T09:00 / 2027-03-01T10:00 ; 2027-03-02T09:00/ ",  # spaces, an open end
          "2027-03-01T09:00/2027-03-01T10:00;;2027-03-03 08:00/2027-03-03 09:30;",  # empty pieces
          "   ", "lunch", "2027-03-01T09:00", "/2027-03-01T10:00", "a/b/c",  # blank and malformed
          "2027-03-01T09:00Z/2027-03-01T10:00+01:00", "2027-02-30T09:00/2027-03-01T10:00"]


@pytest.mark.parametrize("separator", [";", "|", "&&"])
def test_the_pause_column_is_cut_as_the_text_reader_cuts_it(separator):
    from slagen.report.columnar import _pause_pieces
    from slagen.report.tickets import pause_pieces

    cells = [cell.replace(";", separator) for cell in PAUSES]
    rows = np.arange(10, 10 + len(cells))
    mine = _pause_pieces(pa.chunked_array([pa.array(cells, pa.string())]), separator, rows)
    theirs = pause_pieces(cells, separator, rows.tolist())
    assert mine.owner.tolist() == theirs.owner.tolist() and len(mine.owner) == 9
    assert (mine.starts, mine.ends, mine.malformed) == (theirs.starts, theirs.ends, theirs.malformed)
    _same(mine.start_walls, theirs.start_walls)
    _same(mine.end_walls, theirs.end_walls)


@pytest.mark.parametrize("cells,separator", [(["2027-03-01T09:00/2027-03-01T10:00\x1c"], ";"),
                                             (["2027-03-01T09:00/2027-03-01T10:00 — lunch"], ";"),
                                             (["2027-03-01T09:00/2027-03-01T10:00"], " ")],
                         ids=["a space only Python strips", "not ASCII", "a separator of white space"])
def test_pause_text_the_string_functions_could_read_otherwise_goes_to_the_text_reader(cells, separator):
    from slagen.report.columnar import _pause_pieces

    assert _pause_pieces(pa.chunked_array([pa.array(cells, pa.string())]), separator, np.arange(len(cells))) is None
