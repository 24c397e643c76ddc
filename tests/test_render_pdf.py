"""The PDF as a reader sees it: pages, page numbers, contents, tables, metadata, repeatability."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

pypdf = pytest.importorskip("pypdf")

from slagen.library.contracts import load_contract  # noqa: E402
from slagen.pipeline.render import render_documents  # noqa: E402
from slagen.writers.html import ASSETS  # noqa: E402
from slagen.writers.pdf import _asset_path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "acme-dental.yaml"


def pages_text(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [page.extract_text() for page in reader.pages]


@pytest.fixture(scope="module")
def agreement_pdf() -> bytes:
    [(name, data)] = render_documents(load_contract(EXAMPLE), ("agreement",), ("pdf",))
    assert name == "NW-ACME-2027-01-agreement.pdf"
    return data


@pytest.fixture(scope="module")
def agreement_pages(agreement_pdf) -> list[str]:
    return pages_text(agreement_pdf)


def test_every_page_says_page_x_of_y(agreement_pages):
    n = len(agreement_pages)
    assert n >= 8
    for i, text in enumerate(agreement_pages, start=1):
        assert f"Page {i} of {n}" in text


def test_cover_shows_parties_reference_and_draft(agreement_pages):
    cover = agreement_pages[0]
    for expected in ("DRAFT", "Managed IT Services Agreement", "Northwind Managed Services Ltd",
                     "Acme Dental Group Ltd", "NW-ACME-2027-01", "1 January 2027", "Version"):
        assert expected in cover


def test_contents_entries_point_at_the_right_pages(agreement_pages):
    # The contents run from the second page over as many pages as their dotted leaders fill.
    contents_pages = [agreement_pages[1]]
    for text in agreement_pages[2:]:
        if not re.search(r"\.{3,}\s*\d+\s*$", text, re.MULTILINE):
            break
        contents_pages.append(text)
    contents = "\n".join(contents_pages)
    entries = re.findall(r"^(\d+)\s+(.+?)\s*\.{3,}\s*(\d+)\s*$", contents, re.MULTILINE)
    assert len(entries) >= 18
    titles = {title: int(page) for _, title, page in entries}
    for number, title, page in entries:
        heading = re.compile(rf"^{number}\s+{re.escape(title)}\s*$", re.MULTILINE)
        found = [i for i, text in enumerate(agreement_pages, start=1) if heading.search(text)]
        assert found and found[0] == int(page), (title, page, found)
    assert "Priorities and targets" in titles
    assert re.search(r"Annex A \u2014 The Customer's environment\s*\.{3,}\s*\d+", contents)
    assert re.search(r"Annex B \u2014 Data processing\s*\.{3,}\s*\d+", contents)
    assert re.search(r"Annex C \u2014 Clause register\s*\.{3,}\s*\d+", contents)


def test_the_priority_table_is_in_the_pdf(agreement_pages):
    page = next(t for t in agreement_pages if re.search(r"^\d+\s+Priorities and targets$", t, re.MULTILINE))
    flat = re.sub(r"\s+", " ", page)
    assert "Priority Meaning Response Resolution Updates Clock" in flat
    assert "A business-wide outage, or several staff unable to work." in flat
    assert "One business service degraded" in flat


def test_worked_example_and_downtime_are_printed(agreement_pages):
    flat = re.sub(r"\s+", " ", " ".join(agreement_pages))
    assert "Friday 8 January 2027 at 17:00 must receive a Response by Monday 11 January 2027 at 09:00" in flat
    assert "43 minutes 12 seconds" in flat


def test_bookmarks_and_metadata(agreement_pdf):
    reader = pypdf.PdfReader(io.BytesIO(agreement_pdf))
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert any("Priorities and targets" in t for t in titles)
    assert any("Annex A" in t for t in titles)
    meta = reader.metadata
    assert meta["/Author"] == "Northwind Managed Services Ltd"
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20270101000000Z"
    assert "NW-ACME-2027-01" in meta["/Title"]


def test_same_input_same_bytes_across_processes(tmp_path, agreement_pdf):
    outputs = []
    for run in ("a", "b"):
        subprocess.run([sys.executable, "-m", "slagen", "render", str(EXAMPLE), "--doc", "agreement",
                        "--format", "pdf", "-o", str(tmp_path / run)], check=True, cwd=ROOT, timeout=180)
        outputs.append((tmp_path / run / "NW-ACME-2027-01-agreement.pdf").read_bytes())
    assert outputs[0] == outputs[1] == agreement_pdf


def test_final_contract_has_no_draft_mark(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace("locale: en_GB", "locale: en_GB\n  status: final", 1)
    path = tmp_path / "final.yaml"
    path.write_text(text, encoding="utf-8")
    [(_, data)] = render_documents(load_contract(path), ("agreement",), ("pdf",))
    assert "DRAFT" not in " ".join(pages_text(data))


def test_hostile_values_are_printed_as_text(tmp_path):
    hostile = "{{ 7*7 }} <b>Acme</b> *Dental*"
    text = EXAMPLE.read_text(encoding="utf-8").replace("name: Acme Dental Group Ltd", f"name: '{hostile}'", 1)
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    [(_, data)] = render_documents(load_contract(path), ("agreement",), ("pdf",))
    flat = re.sub(r"\s+", " ", " ".join(pages_text(data)))
    assert hostile in flat
    assert "49 Acme" not in flat


def test_pdf_a_3u_variant(tmp_path):
    [(_, data)] = render_documents(load_contract(EXAMPLE), ("sow",), ("pdf",), pdf_variant="pdf/a-3u")
    reader = pypdf.PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/OutputIntents" in root
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfaid" in xmp and b"part" in xmp and b"3" in xmp
    # tagged, so level A of PDF/A-3: everything level U asks for, and the structure for screen readers
    assert b'conformance="A"' in xmp, xmp.decode()
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root


def test_the_fetcher_serves_only_bundled_assets():
    font = ASSETS / "fonts" / "DejaVuSerif.ttf"
    assert _asset_path(font.as_uri()) == font.resolve()
    assert _asset_path("file:///etc/passwd") is None
    assert _asset_path(ASSETS.as_uri() + "/../pyproject.toml") is None
    assert _asset_path("https://example.com/font.ttf") is None
    assert _asset_path("data:text/plain,hello") is None


def test_html_cannot_reach_outside_files():
    from slagen.writers.pdf import html_to_pdf

    secret = ROOT / "pyproject.toml"
    html = f'<html><body><p>x</p><img src="{secret.as_uri()}"><img src="http://127.0.0.1:9/x.png"></body></html>'
    data = html_to_pdf(html)  # refused resources are left out, not fetched
    assert b"setuptools" not in data
    assert b"/Subtype /Image" not in data and b"/Image" not in data
