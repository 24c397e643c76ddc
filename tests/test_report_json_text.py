"""A report's JSON is the standard library's ``json.dumps(indent=2, ensure_ascii=False)`` text, byte for byte.

``report.json_text`` writes it with orjson (a portfolio serialises hundreds of reports); the
oracle here is the standard encoder itself, on the values a report holds and on the ones where
the two encoders are known to differ (floats in exponent form, integers past 64 bits, lone
surrogates), which must still come out as the standard library writes them.
"""

from __future__ import annotations

import json
import random

import pytest

from slagen.report import json_text


def _standard(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("value", [
    {},
    [],
    {"empty_list": [], "empty_map": {}, "nested": {"a": [1, [2, []], {}]}},
    {"text": "Zahnklinik Mitte GmbH — Müller & Söhne 𝄞 “quoted” \"q\" back\\slash /", "none": None,
     "yes": True, "no": False},
    {"controls": "line\nbreak\ttab\rreturn\x08\x0c\x00\x01\x1f\x7f\u2028\u2029"},
    {"ints": [0, -1, 2**31, 2**63 - 1, -(2**63)]},
    {"floats": [0.0, -0.0, 1.0, 100.0, 99.95, 99.999, 0.0001, 0.1 + 0.2, 1 / 3, 12345678.5, 1e15, 9.999999999999998e15]},
], ids=["empty map", "empty list", "nested empties", "text", "control characters", "integers", "floats"])
def test_the_text_is_the_standard_encoders(value):
    assert json_text(value) == _standard(value)


@pytest.mark.parametrize("value", [
    {"tiny": 1e-05}, {"tiny": 5e-324}, {"huge": 1e16}, {"huge": 1.5e300},
    {"big": 2**64}, {"big": -(2**70)},
    {"surrogate": "\ud800"},
    {"nan": float("nan")}, {"inf": float("inf")},
    {"key": (1, 2)},
], ids=["1e-05", "smallest", "1e16", "1.5e300", "2**64", "-2**70", "lone surrogate", "NaN", "infinity", "tuple"])
def test_what_orjson_writes_otherwise_is_written_by_the_standard_encoder(value):
    assert json_text(value) == _standard(value)


def test_report_percentages_and_medians_are_written_alike():
    # Every value of the kinds a report holds: percentages rounded to 3 or 4 places (0 to 100)
    # and medians in half seconds.
    rng = random.Random(26)
    values = [round(rng.uniform(0, 100), rng.choice((0, 1, 2, 3, 4))) for _ in range(20_000)]
    values += [rng.randrange(0, 10**8) / 2 for _ in range(5_000)]
    assert json_text({"values": values}) == _standard({"values": values})
