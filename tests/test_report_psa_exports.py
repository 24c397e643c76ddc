"""`slagen report` and the PSA's exports: recognised without --preset, response targets from
Freshservice and Jira, the export's zone checked, the tool's own flags re-scored, availability
not claimed without outages, and Markdown that reads as plain text.

Re-scoring runs on tests/data/psa/contract.yaml: London, Monday to Thursday 08:00-18:00,
Friday 08:00-16:30, England's bank holidays, pauses while waiting on the customer or a third
party; P2 resolves in 8h and P3 responds in 4h, on support hours.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from slagen.cli.main import app
from slagen.report.recognise import recognise_export

HERE = Path(__file__).resolve().parent
PRESET_DATA = HERE / "data" / "report" / "presets"
PRESET_CONTRACT = str(PRESET_DATA / "contract.yaml")  # New York; every priority 24x7
PSA_CONTRACT = str(HERE / "data" / "psa" / "contract.yaml")
ACME = str(HERE.parent / "examples" / "acme-dental.yaml")
ACME_TICKETS = str(HERE.parent / "examples" / "acme-dental-tickets-2027-03.csv")

# Each preset's own fixture (its tool's header) and the preset it must be read as.
SAMPLES = {
    "connectwise": "connectwise.csv", "connectwise-report": "connectwise-report.csv",
    "connectwise-api": "connectwise-api.json", "autotask": "autotask.csv", "autotask-import": "autotask-import.csv",
    "autotask-api": "autotask-api.json", "halopsa": "halopsa.csv", "halopsa-api": "halopsa-api.json",
    "zendesk": "zendesk.csv", "zendesk-api": "zendesk-api.json", "freshdesk": "freshdesk.csv",
    "freshdesk-api": "freshdesk-api.json", "freshservice": "freshservice.csv", "jira": "jira.csv",
    "zammad": "zammad.xlsx", "glpi": "glpi.csv", "osticket": "osticket.csv", "servicenow": "servicenow.csv",
    "servicenow-api": "servicenow-api.json", "atera-api": "atera-api.json",
}


def report(*args):
    return CliRunner().invoke(app, ["report", *args])


@pytest.mark.parametrize("preset", sorted(SAMPLES))
def test_every_presets_own_header_is_recognised(preset):
    assert recognise_export(PRESET_DATA / SAMPLES[preset]).preset == preset


def test_freshservices_api_export_is_read_as_the_identical_freshdesk_shape():
    # The two APIs write the same fields, priorities and zone: either preset reads it the same way.
    found = recognise_export(PRESET_DATA / "freshservice-api.json")
    assert found.preset == "freshdesk-api" and "Freshservice API v2" in found.words


def test_a_recognised_export_is_named_and_measured():
    result = report(PRESET_CONTRACT, "--tickets", str(PRESET_DATA / "connectwise.csv"), "--period", "2027-03")
    assert result.exit_code == 0, result.output
    assert "note: read as ConnectWise PSA, service board grid export (CSV) (--preset connectwise)" in result.stderr
    tickets = json.loads(result.stdout)["tickets"]
    assert tickets["in_period"] == 30 and tickets["read_as"] == "ConnectWise PSA, service board grid export (CSV)"


def test_an_unknown_header_gets_the_closest_presets(tmp_path):
    export = tmp_path / "almost.csv"
    export.write_text("Ticket #,Priority,Date Entered,Date Resolved,Company\n"
                      "1,Priority 1 - Emergency Response,3/1/2027 9:00 AM,3/1/2027 11:00 AM,X\n")
    result = report(PRESET_CONTRACT, "--tickets", str(export), "--period", "2027-03")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{export}:1:1: error: the header is not one slagen knows")
    assert "Closest: --preset connectwise (4 of 5 columns; missing 'Date Responded')" in result.stderr
    assert result.stderr.count("error:") == 1  # one refusal, not one per missing column


@pytest.mark.parametrize("export", ["freshservice.csv", "jira-chart.csv"])
def test_freshservice_csv_and_jira_chart_column_measure_response(export):
    # The oracle of test_report_presets counts 23 responses met, 6 breached, 1 pending of the 30.
    result = report(PRESET_CONTRACT, "--tickets", str(PRESET_DATA / export), "--period", "2027-03")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["measures"] == ["response", "resolution"]
    response = [p["response"] for p in data["priorities"]]
    assert (sum(r["met"] for r in response), sum(r["breached"] for r in response),
            sum(r["pending"] for r in response)) == (23, 6, 1)


def test_jira_without_the_chart_column_reports_resolution_only():
    result = report(PRESET_CONTRACT, "--tickets", str(PRESET_DATA / "jira.csv"), "--period", "2027-03")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["measures"] == ["resolution"]


# ConnectWise's report view: date_entered in wall time, the response in UTC, and the SLA and
# skipped minutes between them. New York is UTC-5 on 1 and 2 March 2027.
CW_HEADER = ("TicketNbr,Urgency,date_entered,Date_Responded_UTC,Date_Resolved_UTC,Responded_Minutes,"
             "Responded_Skipped_Minutes\n")


def test_the_report_views_zone_is_confirmed_by_its_minutes(tmp_path):
    export = tmp_path / "cw.csv"
    # 09:00 New York = 14:00 UTC; responded 14:30 UTC after 20 + 10 minutes.
    export.write_text(CW_HEADER + "1,Priority 1 - Emergency Response,2027-03-01 09:00:00.000,"
                                  "2027-03-01 14:30:00.000,2027-03-01 16:00:00.000,20,10\n"
                                  "2,Priority 2 - Quick Response,2027-03-02 10:00:00.000,"
                                  "2027-03-02 15:45:00.000,,45,0\n")
    result = report(PRESET_CONTRACT, "--tickets", str(export), "--period", "2027-03")
    assert result.exit_code == 0, result.output
    assert "'date_entered' was read in America/New_York" in result.stderr and "agrees in 2 of 2 rows" in result.stderr


def test_the_report_views_zone_is_refused_when_the_minutes_disagree(tmp_path):
    export = tmp_path / "cw.csv"
    # date_entered written in UTC (14:00) while the contract's New York zone would read it as 19:00 UTC.
    export.write_text(CW_HEADER + "1,Priority 1 - Emergency Response,2027-03-01 14:00:00.000,"
                                  "2027-03-01 14:30:00.000,2027-03-01 16:00:00.000,20,10\n"
                                  "2,Priority 2 - Quick Response,2027-03-02 15:00:00.000,"
                                  "2027-03-02 15:45:00.000,,45,0\n")
    result = report(PRESET_CONTRACT, "--tickets", str(export), "--period", "2027-03")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{export}:2:3: error: 'date_entered' is written at UTC+00:00 (2 of 2 rows")
    assert "--export-timezone UTC" in result.stderr
    # Told the zone, it reads.
    assert report(PRESET_CONTRACT, "--tickets", str(export), "--period", "2027-03",
                  "--export-timezone", "UTC").exit_code == 0


# --------------------------------------------------------------------------------------------
# Re-scoring the tool's flags

FLAGGED = """Ticket ID,Subject,Status,Priority,Created time,Initial response time,Resolved time,First response status,Resolution status,paused
101,Open over Easter,Resolved,High,2027-03-25 14:00:00,2027-03-25 14:20:00,2027-03-30 09:00:00,Within SLA,SLA Violated,
102,Waiting on the customer,Resolved,Medium,2027-03-08 09:00:00,2027-03-09 11:00:00,2027-03-09 12:00:00,SLA Violated,Within SLA,2027-03-08T09:30/2027-03-09T09:00
103,Quick fix,Resolved,Medium,2027-03-10 10:00:00,2027-03-10 10:30:00,2027-03-10 12:00:00,Within SLA,Within SLA,
104,Slow reply,Resolved,Low,2027-03-11 09:00:00,2027-03-12 12:00:00,2027-03-15 09:00:00,SLA Violated,Within SLA,
105,No verdict yet,Resolved,Low,2027-03-16 09:00:00,2027-03-16 09:10:00,2027-03-16 10:00:00,,,
"""


@pytest.fixture(scope="module")
def rescored(tmp_path_factory):
    export = tmp_path_factory.mktemp("flags") / "freshdesk.csv"
    export.write_text(FLAGGED)
    result = report(PSA_CONTRACT, "--tickets", str(export), "--period", "2027-03")
    assert result.exit_code == 0, result.output
    markdown = report(PSA_CONTRACT, "--tickets", str(export), "--period", "2027-03", "--format", "md")
    return json.loads(result.stdout)["tool_flags"], markdown.stdout


def test_the_tools_flags_are_compared_ticket_by_ticket(rescored):
    flags, _ = rescored
    assert flags["columns"] == {"response": "First response status", "resolution": "Resolution status"}
    # Tickets 101-104 carry two verdicts each; 105 none.
    assert (flags["compared"], flags["agreed"]) == (8, 6)


def test_a_holiday_the_tool_kept_open_and_a_pause_it_did_not_map_are_named(rescored):
    flags, _ = rescored
    by_ticket = {(d["ticket"], d["target"]): d for d in flags["disagreements"]}
    assert set(by_ticket) == {("101", "resolution"), ("102", "response")}
    # 101 (P2, 8h): Thu 25 Mar 14:00-18:00 is 4h; Good Friday and Easter Monday are closed; Tue 30 Mar
    # 08:00-09:00 is 1h: 5h, met. Open on the two holidays (Fri 8h30, Mon 10h) it is 23h30: breached.
    easter = by_ticket[("101", "resolution")]
    assert (easter["tool"], easter["contract"], easter["business_seconds"]) == ("breached", "met", 5 * 3600)
    assert easter["reasons"] == ["holiday: the contract closes on 2027-03-26 (Good Friday), 2027-03-29 (Easter "
                                 "Monday); counted as a working day it is breached"]
    # 102 (P3 response, 4h): Mon 8 Mar 09:00-09:30, paused to Tue 09:00, then 09:00-11:00: 2h30, met.
    # The pause holds 8h30 of Monday and 1h of Tuesday morning; counted through, 12h: breached.
    paused = by_ticket[("102", "response")]
    assert (paused["tool"], paused["contract"], paused["business_seconds"]) == ("breached", "met", 9000)
    assert paused["reasons"] == ["pause: 9h 30m paused; with the clock running through the pause it is breached: "
                                 "the tool does not stop its clock in that status"]


def test_the_disagreements_are_in_the_document(rescored):
    _, markdown = rescored
    assert "## The tool's SLA flags" in markdown
    assert "| 101 | P2 | Resolution | breached | met | 5h 00m of 8h 00m | holiday:" in markdown


def test_an_export_without_tool_flags_has_none():
    result = report(ACME, "--tickets", ACME_TICKETS, "--period", "2027-03")
    assert json.loads(result.stdout)["tool_flags"] is None


# --------------------------------------------------------------------------------------------
# No outage record: availability not measured, no credit claimed


@pytest.fixture(scope="module")
def without_outages():
    from slagen.library.contracts import load_contract
    from slagen.report import build_report

    return build_report(load_contract(ACME), ACME_TICKETS, period="2027-03")


def test_without_outages_no_availability_figure_or_credit_is_claimed(without_outages):
    result = report(ACME, "--tickets", ACME_TICKETS, "--period", "2027-03")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["availability_measured"] is False
    assert data["availability"] == [] and data["service_credits"] == []
    assert "availability was not measured and no service credit is claimed" in result.stderr
    assert "100.000" not in result.stdout


def test_every_document_format_says_availability_was_not_measured(without_outages):
    from slagen.pipeline.render import docx_text
    from slagen.report.document import report_document, to_markdown
    from slagen.writers.docx import write_docx

    document = report_document(without_outages, charts=False)
    markdown = to_markdown(document)
    words = "Availability was not measured: no outage record was given for the period"
    assert words in markdown and "Every service met its availability target" not in markdown
    assert "No service credit is due" not in markdown
    text = docx_text(write_docx(document))
    assert words in text and "met its availability target" not in text


# --------------------------------------------------------------------------------------------
# Markdown for a terminal, a ticket or an email


def test_the_markdown_report_reads_as_plain_text():
    result = report(ACME, "--tickets", ACME_TICKETS, "--period", "2027-03", "--format", "md")
    assert result.exit_code == 0
    text = result.stdout
    assert "\\" not in text  # nothing in this report is markup, so nothing is escaped
    assert "2027-03 report on NW-ACME-2027-01" in text  # the report's own reference, hyphens unescaped
    assert "(times in Europe/London)" in text and "| P1 Critical | Response (24x7) |" in text


def test_markdown_escapes_what_markdown_would_act_on():
    from slagen.report.markdown_text import escape_markdown_text as escape

    assert escape("NW-ACME-2027-01 (24x7), 66.7% - ok.") == "NW-ACME-2027-01 (24x7), 66.7% - ok."
    assert escape("snake_case") == "snake_case"
    assert escape("# heading") == "\\# heading"
    assert escape("- item") == "\\- item" and escape("2. second") == "2\\. second"
    assert escape("a | b") == "a \\| b"
    html = MarkdownIt("commonmark").enable("table").render(
        escape("*bold* _em_ [x](http://e.example) <b>t</b> `c` &amp; ~~s~~ \\"))
    assert html == ("<p>*bold* _em_ [x](http://e.example) &lt;b&gt;t&lt;/b&gt; `c` &amp;amp; ~~s~~ \\</p>\n")
