"""`slagen report` on exports that used to go wrong quietly: each now works or fails loudly.

Every failure is exit status 2 with the words the user needs (where, what, which option puts
it right), and nothing is written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slagen.cli import app

ROOT = Path(__file__).resolve().parent.parent
PRESETS = ROOT / "tests" / "data" / "report" / "presets"
CONTRACT = str(PRESETS / "contract.yaml")  # New York; P1 Critical, P2 Urgent, P3 Normal, P4 Low; all 24x7
HEADER = "id,priority,logged_at,first_response_at,resolved_at\n"


def run(tickets, *args):
    return CliRunner().invoke(app, ["report", CONTRACT, "--tickets", str(tickets), "--period", "2027-03", *args])


def export(tmp_path: Path, text: str, name: str = "tickets.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def assert_refused(result, *words, out: Path | None = None):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr, result.stderr
    if out is not None:
        assert not out.exists() and not any(out.parent.glob(f".{out.name}*"))


# ---- dates ---------------------------------------------------------------------------------

def test_an_ambiguous_date_column_is_refused_with_two_rows_read_both_ways(tmp_path):
    path = export(tmp_path, HEADER + "A,P3,3/1/2027 9:12 AM,3/1/2027 10:00 AM,\nB,P3,3/2/2027 9:00 AM,,\n")
    out = tmp_path / "r.json"
    result = run(path, "-o", str(out))
    assert_refused(result, f"{path}:2:3: error: the dates could be day/month or month/day",
                   "line 2 '3/1/2027 9:12 AM' reads as 1 March 2027 09:12 (month first) or as 3 January 2027 09:12 "
                   "(day first)", "line 3 '3/2/2027 9:00 AM'", "--time-format", out=out)


def test_one_day_above_12_anywhere_in_the_export_settles_the_order(tmp_path):
    # Month first: '3/15/2027' can only be 15 March; so '3/1/2027' is 1 March, not 3 January.
    path = export(tmp_path, HEADER + "A,P3,3/1/2027 9:12 AM,3/1/2027 10:00 AM,\nB,P3,3/2/2027 9:00 AM,,3/15/2027 1:30 PM\n")
    data = json.loads(run(path).stdout)
    assert data["tickets"]["in_period"] == 2 and data["rejected_rows"] == []
    # Day first, European style with dashes: '15-03-2027' is 15 March.
    path = export(tmp_path, HEADER + "A,P3,01-03-2027 09:12,01-03-2027 10:00,15-03-2027 13:30\n", "eu.csv")
    assert json.loads(run(path).stdout)["tickets"]["in_period"] == 1


def test_mixed_day_and_month_first_is_refused(tmp_path):
    path = export(tmp_path, HEADER + "A,P3,3/15/2027 9:12,,\nB,P3,15/3/2027 9:00,,\n")
    assert_refused(run(path), "the dates mix day-first and month-first", "--time-format")


def test_a_time_that_is_not_a_time_names_time_format(tmp_path):
    rows = "".join(f"T{i},P3,2027-03-{i + 1:02d}T09:00,,\n" for i in range(30))
    path = export(tmp_path, HEADER + rows + "X,P3,soon,,\n")
    result = run(path)
    assert result.exit_code == 0
    assert f"{path}:32:3: warning: 'soon' is not a time" in result.stderr and "--time-format" in result.stderr


def test_a_swapped_time_format_that_loses_most_rows_is_not_a_success(tmp_path):
    # US dates read day-first: days 13-31 are impossible, the rest move to other months.
    rows = "".join(f"T{d},P3,3/{d}/2027 09:00,,\n" for d in range(1, 32))
    path = export(tmp_path, HEADER + rows)
    out = tmp_path / "r.md"
    result = run(path, "--time-format", "%d/%m/%Y %H:%M", "--format", "md", "-o", str(out))
    assert_refused(result, f"{path}: error: 28 of 31 rows (90.3%) are in no figure, more than --max-rejected 5% allows",
                   "19 rows: is not a time", "9 rows were logged after the period ends (2027-03-31)",
                   "--max-rejected 100", out=out)
    assert "warning: '3/13/2027 09:00' is not a time" in result.stderr  # the rows themselves are listed first
    assert run(path, "--time-format", "%m/%d/%Y %H:%M").exit_code == 0
    assert run(path, "--time-format", "%d/%m/%Y %H:%M", "--max-rejected", "100").exit_code == 0


@pytest.mark.parametrize("value", ["%Y%Y", "%H:%M", "%d/%m/%Y %I:%M", "%"])
def test_a_time_format_that_cannot_read_a_time_is_refused(tmp_path, value):
    path = export(tmp_path, HEADER + "A,P3,2027-03-01T09:00,,\n")
    assert_refused(run(path, "--time-format", value), f"error: --time-format '{value}' cannot read a ticket's time")


# ---- zones ---------------------------------------------------------------------------------

def test_export_timezone_reads_naive_times_there_and_offsets_keep_theirs(tmp_path):
    # 23:30 in Chicago on 31 March is 00:30 on 1 April in New York: outside March there.
    path = export(tmp_path, HEADER + "A,P3,2027-03-31T23:30,,\nB,P3,2027-03-31T23:30-05:00,,\n")
    chicago = json.loads(run(path, "--export-timezone", "America/Chicago", "--max-rejected", "100").stdout)
    assert chicago["tickets"]["in_period"] == 0 and chicago["tickets"]["after_period"] == 2
    assert chicago["tickets"]["times_read_in"] == "America/Chicago"
    new_york = json.loads(run(path, "--max-rejected", "100").stdout)
    assert new_york["tickets"]["in_period"] == 1  # A in New York's March; B carries its own offset
    assert_refused(run(path, "--export-timezone", "Mars/Olympus"), "error: --export-timezone 'Mars/Olympus' is not a "
                                                                   "time zone")


def test_a_column_named_utc_is_read_as_utc(tmp_path):
    # 03:30 UTC on 1 April is 23:30 on 31 March in New York: in March.
    path = export(tmp_path, "id,priority,logged_at_utc,first_response_at,resolved_at\nA,P3,2027-04-01 03:30,,\n")
    data = json.loads(run(path, "--columns", "logged_at=logged_at_utc").stdout)
    assert data["tickets"]["in_period"] == 1


# ---- forms of the file ---------------------------------------------------------------------

def test_semicolons_tabs_and_utf16_are_found_from_the_file(tmp_path):
    body = [["id", "priority", "logged_at", "first_response_at", "resolved_at"], ["A", "P3", "2027-03-01T09:00", "", ""]]
    for name, delimiter, encoding in (("semi.csv", ";", "utf-8-sig"), ("tab.csv", "\t", "utf-16"),
                                      ("pipe.csv", "|", "cp1252")):
        path = export(tmp_path, "\n".join(delimiter.join(row) for row in body) + "\n", name, encoding)
        assert json.loads(run(path).stdout)["tickets"]["in_period"] == 1, name


def test_a_wrong_delimiter_says_so(tmp_path):
    path = export(tmp_path, "id;priority;logged_at;first_response_at;resolved_at\nA;P3;2027-03-01T09:00;;\n")
    assert_refused(run(path, "--delimiter", ","), "the header reads as one column", "--delimiter")
    assert run(path, "--delimiter", "semicolon").exit_code == 0


def test_json_with_a_mistake_names_its_line(tmp_path):
    path = export(tmp_path, '[\n {"id": 1, "priority": "P3", "logged_at": "2027-03-01T09:00Z"},\n {"id": 2,,}\n]\n',
                  "t.json")
    assert_refused(run(path, "--no-response-data"), f"{path}:3:1: error: not valid JSON")


def test_minutes_columns_work_for_any_export(tmp_path):
    path = export(tmp_path, "id,priority,logged_at,mins,resolved_at\nA,P1,2027-03-01T09:00,31,\nB,P1,2027-03-01T09:00,30,\n")
    data = json.loads(run(path, "--columns", "first_response_minutes=mins").stdout)
    p1 = data["priorities"][0]["response"]
    assert (p1["met"], p1["breached"]) == (1, 1)  # 30 minutes meets a 30-minute target; 31 does not
    assert "calendar minutes" in data["tickets"]["first_response_from"]


@pytest.mark.parametrize("value", ["inf", "1e300", "-inf"])
def test_impossible_minutes_are_refused_with_their_line(tmp_path, value):
    rows = "".join(f"{i},Urgent,2027-03-01 09:00,2027-03-01 11:00,{5}\n" for i in range(1, 40))
    path = export(tmp_path, "Id,Priority,Created at,Solved at,First reply time in minutes\n" + rows
                  + f"99,Urgent,2027-03-01 09:00,,{value}\n")
    out = tmp_path / "r.json"
    result = run(path, "--preset", "zendesk", "-o", str(out))
    if value == "-inf":  # a negative number of minutes is one bad row, left out
        assert result.exit_code == 0 and f"{path}:41:5: warning: '-inf' is not a number of minutes" in result.stderr
        return
    assert_refused(result, f"{path}:41:5: error: '{value}' minutes is not a reply time", out=out)


# ---- response data -------------------------------------------------------------------------

def test_no_response_data_reports_resolution_only_and_says_so_everywhere(tmp_path):
    path = export(tmp_path, "id,priority,logged_at,resolved_at\nA,P3,2027-03-01T09:00,2027-03-01T10:00\n")
    result = run(path, "--no-response-data")
    data = json.loads(result.stdout)
    assert data["measures"] == ["resolution"] and data["priorities"][2]["response"] is None
    assert data["overall"]["targets_measured"] == 1
    assert "measures resolution only" in result.stderr
    markdown = run(path, "--no-response-data", "--format", "md").stdout
    assert "measures resolution only" in markdown and "Response" not in markdown.split("Response and resolution")[1]


def test_an_empty_response_column_is_not_measured_as_resolution(tmp_path):
    path = export(tmp_path, HEADER + "A,P3,2027-03-01T09:00,,2027-03-01T10:00\n")
    assert_refused(run(path), "has no first-response time in any row", "--no-response-data")


# ---- priorities ----------------------------------------------------------------------------

def test_a_tool_label_equal_to_a_contract_name_is_refused_with_a_preset(tmp_path):
    # 'Urgent' is this contract's P2; to a ConnectWise desk that renamed its priorities it may mean P1.
    path = export(tmp_path, "Ticket #,Priority,Date Entered,Date Responded,Date Resolved\n"
                            "1,Priority 1 - Emergency Response,2027-03-01 09:00,,\n1b,Urgent,2027-03-01 09:00,,\n")
    assert_refused(run(path, "--preset", "connectwise"),
                   f"{path}:3:2: error: the priority 'Urgent' is not one of the connectwise preset's labels, but it is "
                   "the name of the contract's P2", "--priority-map 'Urgent=P2'")
    data = json.loads(run(path, "--preset", "connectwise", "--priority-map", "Urgent=P1").stdout)
    assert data["priority_mapping"] == [
        {"label": "Priority 1 - Emergency Response", "priority": "P1", "matched_by": "preset connectwise", "tickets": 1},
        {"label": "Urgent", "priority": "P1", "matched_by": "--priority-map", "tickets": 1}]


def test_preset_labels_win_over_contract_names(tmp_path):
    # Zendesk's 'Urgent' is its highest priority: P1, not the contract's P2 named 'Urgent'.
    path = export(tmp_path, "Id,Priority,Created at,Solved at,First reply time in minutes\n1,Urgent,2027-03-01 09:00,,5\n")
    data = json.loads(run(path, "--preset", "zendesk").stdout)
    assert data["priority_mapping"] == [{"label": "Urgent", "priority": "P1", "matched_by": "preset zendesk",
                                         "tickets": 1}]


# ---- periods -------------------------------------------------------------------------------

@pytest.mark.parametrize("period, words", [
    ("2027-13", "has no month 13"), ("2027-00", "has no month 00"), ("0000", "is in the year 0000"),
    ("0001", "is in the year 0001"), ("9999", "is in the year 9999"), ("２０２７-０３", "in plain digits"),
    ("2027-Q5", "is not a period"), ("", "is not a period")])
def test_every_bad_period_is_a_clean_error(tmp_path, period, words):
    path = export(tmp_path, HEADER + "A,P3,2027-03-01T09:00,,\n")
    out = tmp_path / "r.pdf"
    result = CliRunner().invoke(app, ["report", CONTRACT, "--tickets", str(path), "--period", period, "-o", str(out),
                                      "--format", "pdf"])
    assert_refused(result, f"error: --period '{period}'", words, out=out)


@pytest.mark.parametrize("value", ["-1", "101", "nan"])
def test_max_rejected_is_a_percentage(tmp_path, value):
    path = export(tmp_path, HEADER + "A,P3,2027-03-01T09:00,,\n")
    assert_refused(run(path, "--max-rejected", value), "--max-rejected", "is not a percentage")


def test_iso_and_grid_columns_in_one_export_are_each_read_their_way(tmp_path):
    path = export(tmp_path, HEADER + "A,P3,2027-03-01T09:00,3/15/2027 9:30 AM,\n")
    data = json.loads(run(path).stdout)
    assert data["rejected_rows"] == [] and data["priorities"][2]["response"]["breached"] == 1  # 14 days late


def test_a_workbook_date_cell_at_midnight_is_that_midnight(tmp_path):
    import sys
    from datetime import datetime

    sys.path.insert(0, str(PRESETS))
    from make_fixtures import xlsx_bytes

    path = tmp_path / "t.xlsx"
    path.write_bytes(xlsx_bytes([["id", "priority", "logged_at", "first_response_at", "resolved_at"],
                                 ["A", "P3", datetime(2027, 3, 1, 0, 0), datetime(2027, 3, 1, 3, 59), None],
                                 [17, "P3", datetime(2027, 3, 2, 0, 0), datetime(2027, 3, 2, 4, 1), None]]))
    data = json.loads(run(path).stdout)
    assert data["rejected_rows"] == []
    assert (data["priorities"][2]["response"]["met"], data["priorities"][2]["response"]["breached"]) == (1, 1)
    assert [b["ticket"] for b in data["breaches"]["items"] if b["target"] == "response"] == ["17"]


def test_a_ticket_inside_an_api_envelope_is_located_by_its_line(tmp_path):
    # Autotask's REST API wraps tickets as {"items": [...], "pageDetails": {...}}.
    path = export(tmp_path, '{\n "pageDetails": {"count": 2},\n "items": [\n'
                            '  {"ticketNumber": "T1", "priority": 4, "createDate": "2027-03-01T14:00:00Z",\n'
                            '   "firstResponseDateTime": null, "resolvedDateTime": null},\n'
                            '  {"ticketNumber": "T2", "priority": 9, "createDate": "2027-03-01T14:00:00Z",\n'
                            '   "firstResponseDateTime": null, "resolvedDateTime": null}\n ]\n}\n', "t.json")
    result = run(path, "--preset", "autotask-api", "--max-rejected", "100")
    assert f"{path}:6:2: warning: '9' is not a priority of the contract" in result.stderr


def test_excels_sep_line_sets_the_delimiter_and_keeps_line_numbers(tmp_path):
    path = export(tmp_path, "sep=;\n" + HEADER.replace(",", ";") + "A;P3;2027-03-01T09:00;;\nB;P9;2027-03-01T09:00;;\n")
    result = run(path, "--max-rejected", "100")
    assert f"{path}:4:2: warning: 'P9' is not a priority" in result.stderr
