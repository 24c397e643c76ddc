"""The DOCX and the PDF of one document are the same document, and every PDF is tagged.

Every example's agreement and statement of work, and the acme report, are rendered once for the
module in both formats; LibreOffice converts all the DOCX files in one run. Then:

- LibreOffice lays each DOCX out on the PDF's number of pages, give or take one;
- each clause's heading lands within one page of the page the DOCX's contents give it;
- both formats say the signature block and the running header in the same words;
- `pdfinfo` reports every PDF as tagged (a screen reader gets its structure), and the logo and
  the report's charts carry alternative text in both formats.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from fractions import Fraction
from io import BytesIO
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, requires_libreoffice, requires_tool
from slagen.library.contracts import load_contract
from slagen.pipeline.render import docx_text, render_documents
from slagen.report import build_report
from slagen.report.document import report_document
from slagen.writers.docx import write_docx
from slagen.writers.pdf import write_pdf

pytestmark = [requires_libreoffice, requires_tool("pdfinfo", "poppler-utils")]

DATA = ROOT / "tests" / "data" / "report"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("parity")
    for path in sorted(EXAMPLES.glob("*.yaml")):
        contract = load_contract(str(path), path.read_bytes())
        for name, data in render_documents(contract, source=str(path)):
            (folder / name).write_bytes(data)
    report = report_document(build_report(load_contract(str(EXAMPLES / "acme-dental.yaml")),
                                          DATA / "march-2027.csv", period="2027-03",
                                          outages=DATA / "outages-march-2027.csv"))
    (folder / "acme-report.pdf").write_bytes(write_pdf(report))
    (folder / "acme-report.docx").write_bytes(write_docx(report))
    converted = folder / "libreoffice"
    subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(converted), *map(str, sorted(folder.glob("*.docx")))],
                   check=True, capture_output=True, timeout=600)
    return folder


def pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout.split("\f")[:-1]


def info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return dict((k.strip(), v.strip()) for k, _, v in (line.partition(":") for line in out.splitlines()))


def documents(folder: Path) -> list[str]:
    names = sorted(p.stem for p in folder.glob("*.pdf"))
    assert len(names) == 10  # 5 agreements, 4 statements of work, 1 report
    return names


def test_libreoffice_lays_every_docx_out_on_the_pdfs_pages_give_or_take_one(rendered):
    for name in documents(rendered):
        ours = int(info(rendered / f"{name}.pdf")["Pages"])
        theirs = int(info(rendered / "libreoffice" / f"{name}.pdf")["Pages"])
        assert abs(ours - theirs) <= 1, (name, ours, theirs)


CONTENTS_LINE = re.compile(r"^\s*(\d+|Annex [A-Z] \u2014)\s+(\S.*?)\s*\.{3,}\s*(\d+)\s*$")


def test_the_contents_page_numbers_are_within_a_page_of_the_docx_headings(rendered):
    checked = 0
    for name in documents(rendered):
        if name.endswith("report"):
            continue
        ours = pages(rendered / f"{name}.pdf")
        entries = [m.groups() for line in ours[1].splitlines() if (m := CONTENTS_LINE.match(line))]
        assert len(entries) > 8, name
        theirs = pages(rendered / "libreoffice" / f"{name}.pdf")
        for number, title, page in entries:
            heading = (re.compile(rf"^\s*{re.escape(number)}\s+{re.escape(title[:30])}", re.M) if number[0].isdigit()
                       else re.compile(rf"^\s*{re.escape(number)}\s*{re.escape(title[:30])}", re.M))
            found = [n for n, text in enumerate(theirs[2:], start=3) if heading.search(text)]
            assert found and abs(found[0] - int(page)) <= 1, (name, number, title, page, found)
            checked += 1
    assert checked > 150


# The signature words come from each jurisdiction's law data: England's heading over the party's
# name and a "Signature" line; in the US the party's name stands alone over a "By" line.
SIGNATURE_WORDS = {
    "NW-ACME-2027-01-agreement": ("Signed for and on behalf of", "Signature"),
    "PMI-LSL-2027-02-agreement": ("By",),
}


def test_both_formats_sign_and_head_their_pages_in_the_same_words(rendered):
    for name, signature_words in SIGNATURE_WORDS.items():
        pdf = " ".join(" ".join(pages(rendered / f"{name}.pdf")).split())
        docx = " ".join(docx_text((rendered / f"{name}.docx").read_bytes()).split())
        for words in (*signature_words, f"{name.removesuffix('-agreement')} · Managed IT Services Agreement · DRAFT"):
            assert words in pdf and words in docx, (name, words)
        assert "For and on behalf of" not in docx.replace("Signed for and on behalf of", "")
    us_pdf = " ".join(pages(rendered / "PMI-LSL-2027-02-agreement.pdf"))
    assert "on behalf of" not in us_pdf


def test_every_agreement_statement_of_work_and_report_is_a_tagged_pdf(rendered):
    for name in documents(rendered):
        assert info(rendered / f"{name}.pdf")["Tagged"] == "yes", name


def test_the_report_charts_carry_their_figures_as_alternative_text_in_both_formats(rendered):
    with zipfile.ZipFile(BytesIO((rendered / "acme-report.docx").read_bytes())) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    described = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', xml)
    assert len(described) == 2 and described[0].startswith("Bar chart of the targets met per priority")
    report = build_report(load_contract(str(EXAMPLES / "acme-dental.yaml")), DATA / "march-2027.csv",
                          period="2027-03", outages=DATA / "outages-march-2027.csv")
    for p in report.priorities:  # the bar's label, worked out here from the counts of tickets
        figures = p.response
        if figures.met + figures.breached:
            percent = round(Fraction(100 * figures.met, figures.met + figures.breached))
            assert f"{p.id} {p.name}: response {percent}%" in described[0]
    from slagen.writers.html import write_html

    html = write_html(report_document(report))
    assert html.count("<title>Bar chart of the targets met per priority") == 1  # the SVG's alternative text


def test_the_report_is_named_as_a_report_and_its_cover_shows_no_contract_status(rendered):
    cover, second = pages(rendered / "acme-report.pdf")[:2]
    assert "Status" not in cover and "Final" not in cover
    assert re.search(r"Agreement\s+NW-ACME-2027-01", cover) or ("Agreement" in cover and "NW-ACME-2027-01" in cover)
    assert "2027-03 report on NW-ACME-2027-01 · SLA Performance Report" in second  # the running header
    docx = docx_text((rendered / "acme-report.docx").read_bytes())
    assert "Agreement: NW-ACME-2027-01" in docx and "Status:" not in docx
    assert "NW-ACME-2027-01-2027-03" not in docx
