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
