"""Whatever a helpdesk export holds, the report reads it: bad rows are reported, never a crash."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from slagen.errors import SlagenError
from slagen.library.contracts import load_contract
from slagen.report import build_report

CONTRACT = load_contract(EXAMPLES / "acme-dental-infeasible.yaml")
HEADER, *ROWS = (EXAMPLES / "acme-dental-tickets-2027-03.csv").read_text(encoding="utf-8").splitlines()
JUNK = ["", "x", "+05", "Z", "+0530", "2027-13-01T00:00", "2027-02-30", "2027-03-01T25:00", ",", '"', "\t", " ",
        "9999-12-31T23:59", "0001-01-01T00:00", "2027-03-01T10:00:00.123456789", "2027-03-01 10:00+01", "NaT",
        "P9", "p1", "é", "/", ";"]

edit = st.tuples(st.sampled_from(ROWS), st.integers(0, 80), st.sampled_from(JUNK), st.integers(0, 3))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(edit, min_size=1, max_size=12), st.sampled_from([1, 40, 300]))
def test_any_export_gives_a_report_or_a_located_error(tmp_path: Path, edits, copies):
    rows = []
    for row, at, junk, cut in edits:
        at %= len(row) + 1
        rows.append(row[:at] + junk + row[at + cut:])
    path = tmp_path / "export.csv"
    path.write_text("\n".join([HEADER, *rows * copies]) + "\n", encoding="utf-8")
    try:
        report = build_report(CONTRACT, path, period="2027-03")
    except SlagenError as error:
        assert str(error).strip()
        return
    assert report is not None


# ---- the command line, with hostile option values ----------------------------------------------

from typer.testing import CliRunner  # noqa: E402

from slagen.cli import app  # noqa: E402

HOSTILE = ["", " ", "2027-13", "0000", "9999", "２０２７", "%Y%Y", "%", "\x1b[2J", "nan", "-1", "1e309", "Mars/Olympus",
           "UTC", "tab", ";;", "P1=", "=P1", "logged_at=", "a\nb", "../../etc/passwd", "x" * 300]
OPTIONS = ["--period", "--time-format", "--export-timezone", "--delimiter", "--max-rejected", "--priority-map",
           "--columns", "--preset", "--max-breaches", "--format"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(OPTIONS), st.sampled_from(HOSTILE)), max_size=4))
def test_hostile_options_give_a_report_or_a_clean_error(tmp_path: Path, choices):
    args = ["report", str(EXAMPLES / "acme-dental-infeasible.yaml"), "--tickets", str(EXAMPLES / "acme-dental-tickets-2027-03.csv"),
            "--period", "2027-03", "-o", str(tmp_path / "r.out")]
    for option, value in choices:
        args += [option, value]
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
