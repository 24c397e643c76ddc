"""A long token (a realistic portal URL, a customer name without spaces) wraps on the page, in
the PDF and in the DOCX; and the output check refuses a PDF whose text runs past the page."""

from __future__ import annotations

import re
import subprocess
from html import unescape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REFERENCE, requires_libreoffice, requires_tool
from slagen.cli import app
from slagen.writers.pdf import LayoutError, html_to_pdf

PORTAL = ("https://support.northwind.example/s/" + "Zx9QmT4vB7nK2pL8wR5yH3cJ6fD1gS0aE" * 3 + "Qw7Rt2Yp9Ls4Kd8Hf3Jg")
CUSTOMER = "AcmeDentalGroupIncorporatingBathOrthodonticsAndWellsPaediatricDentistryHoldingsLimited"
A4_WIDTH_PT = 595.3
SMALLEST_MARGIN_PT = 20 / 25.4 * 72  # 20 mm, the left and right margins of print.css and reference.docx


@pytest.fixture(scope="module")
def long_contract(tmp_path_factory) -> Path:
    text = REFERENCE.read_text(encoding="utf-8")
    assert len(PORTAL) >= 150
    for old, new in (('address: "https://support.northwind.example"', f'address: "{PORTAL}"'),
                     ("  name: Acme Dental Group Ltd\n", f"  name: {CUSTOMER}\n")):
        assert text.count(old) == 1
        text = text.replace(old, new)
    path = tmp_path_factory.mktemp("long") / "long.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def words(pdf: Path) -> list[tuple[float, float, float, str]]:
    """(page width, left, right, word) for every word pdftotext finds, in reading order."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found = []
    for width, body in re.findall(r'<page width="([\d.]+)"[^>]*>(.*?)</page>', html, re.DOTALL):
        for x_min, x_max, word in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" '
                                             r'yMax="[\d.]+">([^<]*)</word>', body):
            found.append((float(width), float(x_min), float(x_max), unescape(word)))
    return found


def words_outside_the_margins(pdf: Path) -> list[str]:
    """Every word lying beyond the page's side margins (where a viewer would cut it)."""
    return [word for width, left, right, word in words(pdf)
            if right > width - SMALLEST_MARGIN_PT + 1 or left < SMALLEST_MARGIN_PT - 1]


def pieces_spell(pdf: Path, token: str) -> bool:
    """True when the token lies on the page whole, in pieces one after another (a table's other
    columns may come between them in reading order)."""
    rest = None
    for _, _, _, word in words(pdf):
        if rest is None:
            if token.startswith(word) and len(word) > 3:
                rest = token[len(word):]
        elif rest.startswith(word):
            rest = rest[len(word):]
        if rest == "":
            return True
    return False


@requires_tool("pdftotext", "poppler-utils")
def test_the_pdf_wraps_a_long_url_and_a_long_customer_name(long_contract, tmp_path):
    result = CliRunner().invoke(app, ["render", str(long_contract), "--doc", "agreement", "--format", "pdf",
                                      "-o", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    pdf = tmp_path / "NW-ACME-2027-01-agreement.pdf"
    assert words_outside_the_margins(pdf) == []
    assert pieces_spell(pdf, PORTAL) and pieces_spell(pdf, CUSTOMER)  # wrapped, not cut: every character is there


@requires_libreoffice
@requires_tool("pdftotext", "poppler-utils")
def test_the_docx_wraps_them_too(long_contract, tmp_path):
    result = CliRunner().invoke(app, ["render", str(long_contract), "--doc", "agreement", "--format", "docx",
                                      "-o", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    profile = tmp_path / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "lo"), str(tmp_path / "NW-ACME-2027-01-agreement.docx")],
                   check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "lo" / "NW-ACME-2027-01-agreement.pdf"
    assert words_outside_the_margins(pdf) == []
    assert pieces_spell(pdf, PORTAL) and pieces_spell(pdf, CUSTOMER)


def test_the_output_check_refuses_text_that_runs_off_the_page():
    token = "W" * 400
    page = f'<html><body><p style="overflow-wrap: normal">Portal: {token}</p></body></html>'
    with pytest.raises(LayoutError) as caught:
        html_to_pdf(page)
    assert caught.value.page == 1
    assert str(caught.value) == (f"error: the text '{token[:57]}...' on page 1 runs past the edge of the page and "
                                 "would be cut off; shorten it or add spaces to it")


def test_the_same_text_that_may_wrap_passes_the_check():
    token = "W" * 400
    data = html_to_pdf(f'<html><body><p style="overflow-wrap: anywhere">Portal: {token}</p></body></html>')
    assert data.startswith(b"%PDF")


def test_render_reports_an_overflow_with_the_file_and_writes_nothing(long_contract, tmp_path, monkeypatch):
    from slagen.writers import html

    css = html.CSS_FILE.read_text(encoding="utf-8") + "\n.token { overflow-wrap: normal !important; }\n"
    monkeypatch.setattr(html.CSS_FILE.__class__, "read_text", lambda self, encoding=None: css)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["render", str(long_contract), "--doc", "agreement", "--format", "pdf",
                                      "-o", str(out)])
    assert result.exit_code == 2
    assert re.fullmatch(
        rf"{re.escape(str(long_contract))}:\d+:\d+: error: the text '[^']+' on page \d+ runs past the edge of the page and "
        r"would be cut off; shorten it or add spaces to it \(in NW-ACME-2027-01-agreement.pdf\); nothing was "
        r"written \(at (customer\.name|problem_reporting\.channels\[0\]\.address)\)\n", result.stderr)
    line = int(result.stderr.split(":")[1])
    pointed_at = long_contract.read_bytes().decode("utf-8").splitlines()[line - 1]  # read_text is patched
    assert CUSTOMER in pointed_at or PORTAL in pointed_at
    assert not out.exists()
