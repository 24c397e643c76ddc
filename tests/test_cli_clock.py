"""`slagen clock elapsed` and `slagen clock due`: text and JSON output, and every mistake exits 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slagen.cli import app

ROOT = Path(__file__).parent.parent
CONTRACT = str(ROOT / "examples" / "acme-dental.yaml")  # Europe/London, Mon-Fri 08:30-17:30
LONDON = str(ROOT / "tests" / "data" / "calendar-london.yaml")  # Europe/London, Mon-Fri 09:00-17:00


def run(*args: str):
    return CliRunner().invoke(app, ["clock", *args])


def test_elapsed_friday_afternoon_to_monday_morning():
    # Fri 16:55-17:00 and Mon 09:00-09:05.
    result = run("elapsed", LONDON, "--from", "2027-03-05T16:55", "--to", "2027-03-08T09:05")
    assert result.exit_code == 0, result.output
    assert result.stdout == "10m\n"


def test_elapsed_as_json():
    result = run("elapsed", LONDON, "--from", "2027-03-05T16:55", "--to", "2027-03-08T09:05", "--format", "json")
    assert json.loads(result.stdout) == {"seconds": 600, "text": "10m"}


def test_elapsed_with_a_contract_and_pauses():
    # Acme is open 08:30-17:30. Wed 3 March 09:00 -> 17:00 is 8h; the pauses 10:00-11:00 and
    # 10:30-12:00 overlap, so 10:00-12:00 (2h) comes off: 6h.
    result = run("elapsed", CONTRACT, "--from", "2027-03-03T09:00", "--to", "2027-03-03T17:00",
                 "--pause", "2027-03-03T10:00/2027-03-03T11:00", "--pause", "2027-03-03T10:30/2027-03-03T12:00")
    assert result.stdout == "6h\n"


def test_elapsed_zero_prints_0m():
    result = run("elapsed", LONDON, "--from", "2027-03-06T10:00", "--to", "2027-03-07T10:00")
    assert result.stdout == "0m\n"


def test_elapsed_on_the_24x7_clock_counts_real_time_across_dst():
    # Sat 27 March 12:00 GMT -> Sun 28 March 12:00 BST is 23 real hours.
    result = run("elapsed", LONDON, "--from", "2027-03-27T12:00", "--to", "2027-03-28T12:00", "--clock", "24x7")
    assert result.stdout == "23h\n"


def test_times_with_an_offset_are_not_read_in_the_calendar_zone():
    # Fri 16:55-05:00 (New York) is 21:55 in London, after closing. Mon 08:05-05:00 is 13:05 in
    # London, so only Monday 09:00-13:05 counts: 4h5m.
    result = run("elapsed", LONDON, "--from", "2027-03-05T16:55-05:00", "--to", "2027-03-08T08:05-05:00")
    assert result.stdout == "4h5m\n"


def test_due_prints_the_instant_with_its_offset():
    # Fri 16:55 + 10m: 5m on Friday, 5m on Monday from 09:00.
    result = run("due", LONDON, "--from", "2027-03-05T16:55", "--target", "10m")
    assert result.exit_code == 0
    assert result.stdout == "2027-03-08T09:05:00+00:00\n"


def test_due_at_closing_time_as_json():
    # Fri 16:00 + 1h is Friday's closing time, 17:00.
    result = run("due", LONDON, "--from", "2027-03-05T16:00", "--target", "1h", "--format", "json")
    assert json.loads(result.stdout) == {"due": "2027-03-05T17:00:00+00:00"}


def test_due_in_summer_carries_the_summer_offset():
    # Mon 7 June 2027 16:00 BST + 2h: 1h on Monday, then Tue 09:00-10:00 BST.
    result = run("due", LONDON, "--from", "2027-06-07T15:00Z", "--target", "PT2H")
    assert result.stdout == "2027-06-08T10:00:00+01:00\n"


def test_due_with_a_pause_and_the_24x7_clock():
    # 24x7 from Wed 10:00 with 4h, paused 11:00-12:30: due 14:00 + 1h30m = 15:30.
    result = run("due", CONTRACT, "--from", "2027-03-03T10:00", "--target", "4h",
                 "--pause", "2027-03-03T11:00/2027-03-03T12:30", "--clock", "24x7")
    assert result.stdout == "2027-03-03T15:30:00+00:00\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (["elapsed", LONDON, "--from", "yesterday", "--to", "2027-03-05T10:00"],
         "error: --from 'yesterday' is not a date and time"),
        (["elapsed", LONDON, "--from", "2027-03-05T10:00", "--to", "2027-03-05T09:00"],
         "error: the end (2027-03-05T09:00:00) is before the start (2027-03-05T10:00:00)"),
        (["elapsed", LONDON, "--from", "2027-03-05T10:00", "--to", "2027-03-05T12:00", "--pause", "2027-03-05T11:00"],
         "error: --pause '2027-03-05T11:00' is not a pause"),
        (["elapsed", LONDON, "--from", "2027-03-05T10:00", "--to", "2027-03-05T12:00",
          "--pause", "2027-03-05T11:00/2027-03-05T10:00"], "error: pause 1 ends"),
        (["due", LONDON, "--from", "2027-03-05T10:00", "--target", "2 days"], "error: --target '2 days' counts days"),
        (["due", LONDON, "--from", "2027-03-05T10:00", "--target", "soon"], "error: --target 'soon' is not a duration"),
        (["due", "no-such-file.yaml", "--from", "2027-03-05T10:00", "--target", "1h"],
         "no-such-file.yaml:1:1: error: no such file"),
        (["due", str(ROOT / "tests/data/calendar-unknown-key.yaml"), "--from", "2027-03-05T10:00", "--target", "1h"],
         "calendar-unknown-key.yaml:5:1: error: unknown key 'priorities'"),
        (["due", str(ROOT / "tests/data/calendar-bad-zone.yaml"), "--from", "2027-03-05T10:00", "--target", "1h"],
         "calendar-bad-zone.yaml:2:13: error: 'Europe/Londres' is not a time zone"),
    ],
)
def test_mistakes_exit_2_with_one_line_and_no_traceback(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_unknown_clock_is_a_usage_error():
    result = run("elapsed", LONDON, "--from", "2027-03-05T10:00", "--to", "2027-03-05T12:00", "--clock", "weekdays")
    assert result.exit_code == 2


def test_the_installed_command_and_a_light_help():
    # Through a real process: the output, and that `slagen --help` does not import numpy.
    done = subprocess.run([sys.executable, "-m", "slagen", "clock", "elapsed", LONDON, "--from", "2027-03-05T16:55",
                           "--to", "2027-03-08T09:05", "--format", "json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"seconds": 600, "text": "10m"}
    probe = "import sys; from slagen.cli import app; print('numpy' in sys.modules, 'holidays' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout.split() == [
        "False", "False"]


@pytest.mark.parametrize("option, value, year", [("--from", "1000-01-01T00:00", 1000),
                                                 ("--from", "9999-12-31T00:00", 9999),
                                                 ("--to", "9998-01-01T00:00", 9998),
                                                 ("--pause", "1900-12-31T00:00/2027-01-01T00:00", 1900)])
def test_instants_outside_the_clock_years_are_refused_at_once(option, value, year):
    args = {"--from": "2027-03-05T10:00", "--to": "2027-03-05T11:00", option: value}
    result = run("elapsed", CONTRACT, *[part for pair in args.items() for part in pair])
    assert result.exit_code == 2
    shown = value.partition("/")[0]
    assert result.stderr == (f"error: {option} '{shown}' is in the year {year}; clocks count only in the years "
                             "1901 to 9997 (is the year mistyped?)\n")


@pytest.mark.parametrize("target", ["99999999h", "999999999999999999999h", "PT9000H"])
def test_a_target_longer_than_a_year_is_refused_at_once(target):
    result = run("due", CONTRACT, "--from", "2027-03-05T10:00", "--target", target)
    assert result.exit_code == 2
    assert result.stderr == (f"error: --target '{target}' is longer than a year: a duration can be at most "
                             "8760h, so this is probably a typing mistake\n")


def test_elapsed_over_millennia_is_refused_with_exit_2():
    result = run("elapsed", CONTRACT, "--from", "1901-01-05T00:00", "--to", "9997-01-01T00:00")
    assert result.exit_code == 2
    assert result.stderr == ("error: the times given span the years 1901 to 9997; a clock counts over at most "
                             "200 years at a time\n")
