"""Reading ticket exports: bad rows named by line and column, --strict, presets, time parsing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from slagen.errors import InvalidInput, UsageError
from slagen.library.contracts import load_contract
from slagen.report.presets import PRESETS, column_map, parse_pairs
from slagen.report.tickets import read_tickets
from slagen.report.times import parse_times
from slagen.report.zone import Zone

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "report"


@pytest.fixture(scope="module")
def contract():
    return load_contract(ROOT / "examples" / "acme-dental-infeasible.yaml")


def utc(text: str) -> np.datetime64:
    return np.datetime64(text, "s")


def test_bad_rows_are_reported_with_line_and_column_and_left_out(contract):
    tickets = read_tickets(DATA / "bad-rows.csv", contract)
    # Lines: header 1; G1 2; B1 3; B2 4; G2 5; B3 6; B4 7; G1 again 8; B5 9; G3 10.
    found = [(p.line, p.column, p.path) for p in tickets.problems]
    assert found == [(3, 2, "priority"), (4, 5, "resolved_at"), (6, 3, "logged_at"), (7, 6, "paused"),
                     (8, 1, "id"), (9, 4, "first_response_at")]
    assert tickets.ids == ["G1", "G2", "G3"]
    assert tickets.lines.tolist() == [2, 5, 10]
    assert tickets.rows_read == 9
    messages = {p.line: p.message for p in tickets.problems}
    assert "'P7' is not a priority" in messages[3]
    assert "before it was logged" in messages[4]
    assert "'2027-02-30T09:00' is not a time" in messages[6]
    assert "ends before it starts" in messages[7]
    assert "appears again (first on line 2)" in messages[8]
    assert "'soon' is not a time" in messages[9]


def test_strict_refuses_the_export(contract):
    with pytest.raises(InvalidInput) as caught:
        read_tickets(DATA / "bad-rows.csv", contract, strict=True)
    text = str(caught.value)
    assert f"{DATA / 'bad-rows.csv'}:3:2: error: 'P7' is not a priority" in text
    assert len(caught.value.problems) == 6


def test_line_numbers_survive_line_breaks_inside_quoted_fields(contract, tmp_path):
    csv = tmp_path / "multi.csv"
    csv.write_text('id,priority,logged_at,first_response_at,resolved_at,note\n'
                   'A,P1,2027-03-01T10:00,,,"two\nlines"\n'
                   'B,P9,2027-03-01T10:00,,,\n')
    tickets = read_tickets(csv, contract)
    assert [(p.line, p.path) for p in tickets.problems] == [(4, "priority")]
    assert tickets.lines.tolist() == [2]


def test_a_missing_column_is_fatal_and_says_how_to_map_it(contract, tmp_path):
    csv = tmp_path / "cols.csv"
    csv.write_text("id,priority,opened,first_response_at,resolved_at\nA,P1,2027-03-01T10:00,,\n")
    with pytest.raises(InvalidInput) as caught:
        read_tickets(csv, contract)
    assert "the column 'logged_at' is missing" in str(caught.value)
    assert "--columns logged_at=<header>" in str(caught.value)
    tickets = read_tickets(csv, contract, column_map(columns={"logged_at": "Opened"}))
    assert tickets.logged.tolist() == [datetime(2027, 3, 1, 10, 0)]


def test_short_rows_and_blank_lines(contract, tmp_path):
    csv = tmp_path / "short.csv"
    csv.write_text("id,priority,logged_at,first_response_at,resolved_at\nA,P1,2027-03-01T10:00\n\n"
                   "B,P1,2027-03-01T10:00,,\n")
    tickets = read_tickets(csv, contract)
    assert [(p.line, p.column) for p in tickets.problems] == [(2, 1)]
    assert "has 3 fields but the header has 5" in tickets.problems[0].message
    assert tickets.ids == ["B"] and tickets.lines.tolist() == [4]


def test_connectwise_preset(contract):
    tickets = read_tickets(DATA / "connectwise-march-2027.csv", contract, column_map("connectwise"))
    assert tickets.problems == []
    assert tickets.ids == ["1001", "1002"]
    assert tickets.priority.tolist() == [0, 3]  # P1, P4
    assert tickets.responded[0] == utc("2027-03-01T09:20")  # GMT = UTC in March before the 28th


def test_zendesk_preset_takes_first_reply_minutes(contract):
    tickets = read_tickets(DATA / "zendesk-march-2027.csv", contract, column_map("zendesk"))
    assert tickets.problems == []
    assert tickets.priority.tolist() == [0, 2]  # Urgent -> P1, Normal -> P3 (not 'Urgent', P2's name)
    assert tickets.responded.tolist() == [datetime(2027, 3, 1, 9, 45), datetime(2027, 3, 1, 10, 30)]


def test_user_mappings_override_a_preset():
    mapping = column_map("zendesk", parse_pairs(["id=Ticket"], "--columns"),
                         parse_pairs(["Urgent=P2,Low=P3"], "--priority-map"))
    assert mapping.columns["id"] == "Ticket"
    assert mapping.priority_values["Urgent"] == "P2" and mapping.priority_values["High"] == "P2"
    assert {"connectwise", "connectwise-report", "connectwise-api", "autotask", "autotask-import", "autotask-api",
            "halopsa", "halopsa-api", "zendesk", "zendesk-api", "freshdesk", "freshdesk-api", "freshservice-api",
            "jira", "zammad", "glpi", "osticket", "servicenow", "servicenow-api", "atera-api",
            "freshservice"} == set(PRESETS)
    with pytest.raises(UsageError):
        column_map("kayako")
    with pytest.raises(UsageError):
        column_map(columns={"opened": "x"})
    with pytest.raises(UsageError):
        parse_pairs(["nonsense"], "--columns")


def test_time_format_for_day_first_exports(contract, tmp_path):
    csv = tmp_path / "uk.csv"
    csv.write_text("id,priority,logged_at,first_response_at,resolved_at\nA,P2,31/03/2027 09:00,,\n"
                   "B,P2,31/13/2027 09:00,,\n")
    tickets = read_tickets(csv, contract, column_map(time_format="%d/%m/%Y %H:%M"))
    assert tickets.logged.tolist() == [datetime(2027, 3, 31, 8, 0)]  # 09:00 BST
    assert [p.line for p in tickets.problems] == [3]


ZONE = Zone("Europe/London")


def oracle(text: str) -> np.datetime64:
    """What Python's zoneinfo (fold=0) makes of a time, as UTC seconds."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("Europe/London"))
    return np.datetime64(int(moment.timestamp()), "s")


def test_naive_times_agree_with_zoneinfo_around_both_dst_changes():
    texts = []
    for day, hours in (("2027-03-28", range(0, 5)), ("2027-10-31", range(0, 4)), ("2026-03-29", range(0, 4))):
        for h in hours:
            for minute in (0, 15, 30, 59):
                texts.append(f"{day}T{h:02d}:{minute:02d}")
                texts.append(f"{day} {h:02d}:{minute:02d}:07")
    values, bad, empty = parse_times(texts, ZONE)
    assert not bad.any() and not empty.any()
    assert values.tolist() == [oracle(t).tolist() for t in texts]


def test_offsets_fractions_and_mistakes():
    texts = ["2027-03-01T09:30:00Z", "2027-06-01T09:30+01:00", "2027-06-01T09:30:15.75-0500",
             "2027-06-01t09:30+01:00", "", "2027-06-01", "nonsense text here", "2027-02-29T10:00",
             "1066-10-14T09:00", "  2027-03-01T09:30  "]
    values, bad, empty = parse_times(texts, ZONE)
    assert values[:4].tolist() == [datetime(2027, 3, 1, 9, 30), datetime(2027, 6, 1, 8, 30),
                                   datetime(2027, 6, 1, 14, 30, 15), datetime(2027, 6, 1, 8, 30)]
    assert empty.tolist() == [False] * 4 + [True] + [False] * 5
    assert bad.tolist() == [False] * 5 + [True, True, True, True, False]


def test_utc_offsets_round_trip():
    start = datetime(2027, 1, 1, tzinfo=timezone.utc)
    instants = [start + timedelta(hours=7 * i) for i in range(1300)]
    seconds = np.array([int(i.timestamp()) for i in instants])
    expected = [int(i.astimezone(ZoneInfo("Europe/London")).utcoffset().total_seconds()) for i in instants]
    assert ZONE.utc_offsets(seconds).tolist() == expected


def test_many_times_with_hour_only_offsets_are_read_not_crashed_on():
    # "+05" (hours only) is valid ISO 8601 that the fast reader does not take; numpy must never see
    # it, because numpy can crash the whole process on time-zone text in large arrays. Run in a
    # separate process so that a crash fails this test instead of ending the test run.
    import subprocess
    import sys

    code = (
        "from slagen.report.times import parse_times\n"
        "from slagen.report.zone import Zone\n"
        "values, bad, empty = parse_times(['2027-03-02T10:00:00+05', '2027-03-02T10:00+05:30'] * 2000,"
        " Zone('Europe/London'))\n"
        "print(str(values[0]), str(values[1]), int(bad.sum()), int(empty.sum()))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    # 10:00 at +05:00 is 05:00 UTC; 10:00 at +05:30 is 04:30 UTC.
    assert done.stdout.split() == ["2027-03-02T05:00:00", "2027-03-02T04:30:00", "0", "0"]


def test_many_impossible_times_are_bad_rows_not_a_crash():
    # numpy 2.x crashed the process casting large byte-string arrays holding impossible dates;
    # the reader now reads digits itself. 30 February, month 13 and 25:00 are each a bad time.
    import subprocess
    import sys

    code = (
        "from slagen.report.times import parse_times\n"
        "from slagen.report.zone import Zone\n"
        "texts = ['2027-02-30T10:00', '2027-13-01T10:00', '2027-03-01T25:00', '2028-02-29T23:59:59'] * 1500\n"
        "values, bad, empty = parse_times(texts, Zone('Europe/London'))\n"
        "print(int(bad.sum()), str(values[3]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    # 3 of every 4 values are impossible; 29 February 2028 (a leap year) 23:59:59 GMT is real.
    assert done.stdout.split() == [str(3 * 1500), "2028-02-29T23:59:59"]


def test_an_export_saved_by_excel_on_windows_is_read_as_cp1252(contract, tmp_path):
    # "Café" in cp1252 is not UTF-8; 0x81 is a byte cp1252 leaves undefined, and is replaced.
    export = tmp_path / "excel.csv"
    export.write_bytes(
        b"id,priority,logged_at,first_response_at,resolved_at\r\n"
        b"Caf\xe9,P3,2027-03-02T10:00,2027-03-02T10:30,2027-03-02T12:00\r\n"
        b"X\x81,P3,2027-03-02T10:00,2027-03-02T10:30,2027-03-02T12:00\r\n"
    )
    tickets = read_tickets(export, contract)
    assert list(tickets.ids) == ["Café", "X\ufffd"]
