"""`slagen report` end to end: JSON, Markdown, PDF and DOCX, exit codes, repeatable bytes."""

from __future__ import annotations

import json
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slagen.cli import app
from slagen.library.contracts import load_contract
from slagen.report import build_report
from slagen.report.charts import attainment_chart, trend_chart
from slagen.report.document import report_document, to_markdown

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "report"
CONTRACT = str(ROOT / "examples" / "acme-dental-infeasible.yaml")
TICKETS = str(DATA / "march-2027.csv")
OUTAGES = str(DATA / "outages-march-2027.csv")


def run(*args):
    return CliRunner().invoke(app, ["report", CONTRACT, "--tickets", TICKETS, "--period", "2027-03", *args])


@pytest.fixture(scope="module")
def report():
    return build_report(load_contract(CONTRACT), TICKETS, period="2027-03", outages=OUTAGES)


def test_json_to_stdout_with_warnings_for_left_out_rows():
    result = run("--outages", OUTAGES)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["overall"]["attainment_percent"] == 84.211
    # Email 5 % + files 20 % + remote access 5 % = 30 %, capped at 25 % of 5400.00 = 1350.00.
    assert data["service_credits"] == [{"window": "2027-03", "sum_percent": "30", "due_percent": "25",
                                        "cap_percent": "25", "amount": "1350.00"}]
    assert "outages-march-2027.csv:10:1: warning: 'printers' is not a service" in result.stderr


def test_strict_exits_2_and_names_the_rows():
    result = run("--outages", OUTAGES, "--strict")
    assert result.exit_code == 2
    assert "outages-march-2027.csv:11:3: error: the outage ends before it starts" in result.stderr


def test_usage_mistakes_exit_2():
    assert run("--period", "March").exit_code == 2
    assert run("--preset", "kayako").exit_code == 2
    assert CliRunner().invoke(app, ["report", CONTRACT, "--tickets", "nope.csv", "--period", "2027-03"]).exit_code == 2


def test_markdown(tmp_path):
    out = tmp_path / "r.md"
    assert run("--format", "md", "-o", str(out)).exit_code == 0
    text = out.read_text()
    # Only what Markdown would act on is escaped, so the source reads as plain text.
    assert "| P1 Critical | Response (24x7) | 30m | 2/3 | 66.7% | 25m | 1h 00m |" in text
    assert "| T06 | P3 | Resolution | 53h 30m | 24h 00m | open at period end |" in text


def test_charts_are_repeatable():
    first = attainment_chart(build_report(load_contract(CONTRACT), TICKETS, period="2027-03").priorities)
    second = attainment_chart(build_report(load_contract(CONTRACT), TICKETS, period="2027-03").priorities)
    assert first == second
    assert first[0].startswith(b"<?xml") and first[1].startswith(b"\x89PNG")


def test_docx_has_the_figures_and_both_charts(report):
    from slagen.pipeline.render import docx_text
    from slagen.writers.docx import write_docx

    document = report_document(report)
    data = write_docx(document)
    assert data == write_docx(report_document(report))  # same input, same bytes
    names = zipfile.ZipFile(BytesIO(data)).namelist()
    assert {"word/media/image1.png", "word/media/image2.png"} <= set(names)
    text = docx_text(data)
    assert "84.2%" in text and "£1,350.00" in text and "53h 30m" in text


def test_pdf_has_the_figures_and_vector_charts(report):
    from pypdf import PdfReader

    from slagen.writers.html import write_html
    from slagen.writers.pdf import write_pdf

    document = report_document(report)
    html = write_html(document)
    assert html.count("<svg") == 2 and "<?xml" not in html
    reader = PdfReader(BytesIO(write_pdf(document)))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "84.2%" in text and "99.731%" in text and "Targets met per priority, March 2027" in text


def test_markdown_leaves_charts_out_but_says_where_they_are(report):
    text = to_markdown(report_document(report, charts=True))
    assert "*Chart: Targets met per priority, March 2027 (in the PDF and DOCX report)*" in text
    assert trend_chart(report.trend)[1].startswith(b"\x89PNG")
