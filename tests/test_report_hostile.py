"""`slagen report` against hostile exports and newcomers' mistakes (issue 15's report items).

What a ticket export or contract holds is data: it can neither print a heading into the
Markdown report nor move the terminal's cursor, and no row is dropped without a word.
"""

from __future__ import annotations

import json
from pathlib import Path

from markdown_it import MarkdownIt
from typer.testing import CliRunner

from slagen.cli import app
from slagen.library.contracts import load_contract
from slagen.report import build_report
from slagen.report.document import report_document

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = str(ROOT / "examples" / "acme-dental-infeasible.yaml")
TICKETS = str(ROOT / "tests" / "data" / "report" / "march-2027.csv")
HEADER = "id,priority,logged_at,first_response_at,resolved_at\n"


def run(*args, **kwargs):
    return CliRunner().invoke(app, ["report", CONTRACT, *args], **kwargs)


def test_a_ticket_id_cannot_end_the_table_or_print_a_heading(tmp_path):
    hostile = ('"X |\n\n# The customer waives all credits\n\n<script>alert(1)</script> [pay](http://evil.example)"'
               ",P1,2027-03-01T09:00,2027-03-01T12:00,2027-03-01T23:00\n")
    path = tmp_path / "t.csv"
    path.write_text(HEADER + hostile + "".join(f"G{i},P3,2027-03-0{i}T10:00,2027-03-0{i}T10:30,2027-03-0{i}T11:00\n"
                                               for i in range(1, 9)))
    result = run("--tickets", str(path), "--period", "2027-03", "--format", "md")
    assert result.exit_code == 0, result.output
    html = MarkdownIt("commonmark").enable("table").render(result.stdout)
    assert "waives" not in "".join(line for line in html.splitlines() if line.startswith("<h"))
    assert "<script>" not in html and "<a " not in html
    # The breach table still has its header and the hostile id sits in one cell, on one line.
    breach_row = next(line for line in result.stdout.splitlines() if "waives" in line)
    assert breach_row.startswith("| X \\|") and breach_row.count(" | ") == 5


def test_contract_values_are_escaped_too():
    contract = load_contract(CONTRACT)
    hostile = contract.model_copy(update={"customer": contract.customer.model_copy(
        update={"name": "Acme\n## Credits waived\n<b>x</b>"})})
    from slagen.report.document import to_markdown

    text = to_markdown(report_document(build_report(hostile, TICKETS, period="2027-03"), charts=False))
    assert "\n## Credits waived" not in text
    # Escaped only where Markdown would act on it: rendered, the name is its own text, never a tag.
    assert "Acme ## Credits waived \\<b>x\\</b>" in text
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_terminal_escapes_in_cells_are_shown_escaped(tmp_path):
    path = tmp_path / "t.csv"
    good = "".join(f"G{i},P3,2027-03-{i % 28 + 1:02d}T10:00,,\n" for i in range(40))  # one bad row in 41: 2.4 %
    path.write_text(HEADER + good + "B,\x1b[2J\x1b]0;owned\x07P9,2027-03-01T10:00,,\n")
    result = run("--tickets", str(path), "--period", "2027-03")
    assert result.exit_code == 0
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "'\\x1b[2J\\x1b]0;owned\\x07P9' is not a priority" in result.stderr


def test_an_outage_of_a_service_without_a_target_is_named_not_dropped(tmp_path):
    outages = tmp_path / "o.csv"
    outages.write_text("service,start,end,planned\nhelpdesk,2027-03-03T10:00,2027-03-03T11:00,no\n"
                       "email,2027-03-03T10:00,2027-03-03T11:00,no\n")
    result = run("--tickets", TICKETS, "--period", "2027-03", "--outages", str(outages))
    assert result.exit_code == 0
    assert f"{outages}:2:1: warning: the service 'helpdesk' has no availability target" in result.stderr
    assert json.loads(result.stdout)["rejected_rows"][-1]["line"] == 2
    strict = run("--tickets", TICKETS, "--period", "2027-03", "--outages", str(outages), "--strict")
    assert strict.exit_code == 2 and f"{outages}:2:1: error: the service 'helpdesk'" in strict.stderr


def test_pdf_and_docx_go_into_out_like_render(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("--tickets", TICKETS, "--period", "2027-03", "--format", "docx")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "NW-ACME-2027-01-D1-report-2027-03.docx").is_file()
    assert list(tmp_path.iterdir()) == [tmp_path / "out"]


def test_the_cover_shows_the_agreement_reference_and_version_and_the_period():
    contract = load_contract(CONTRACT)
    cover = report_document(build_report(contract, TICKETS, period="2027-03"), charts=False).cover
    assert cover.reference == "NW-ACME-2027-01-D1" and cover.version == contract.agreement.version
    assert cover.subtitle == "Reporting period: March 2027"


def test_help_lists_the_columns_and_shows_examples():
    result = CliRunner().invoke(app, ["report", "--help"])
    assert result.exit_code == 0
    for word in ("logged_at", "first_response_at", "resolved_at", "paused", "first_response_minutes",
                 "slagen report acme.yaml --tickets march.csv --period 2027-03", "--export-timezone",
                 "--no-response-data", "--max-rejected", "--delimiter"):
        assert word in result.stdout, word
