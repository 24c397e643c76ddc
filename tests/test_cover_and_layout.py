"""The PDF's layout check: one-page covers, no holes in justified lines, headings kept with what follows.

A house logo of any proportions is scaled into a box, so the cover of every example and starter
contract fits its first page with a 10:1 and a 1:3 logo (on A4 and on US Letter, as each contract
says); a cover that still runs onto a second page is refused. A justified line whose gaps would be
wider than four spaces (a long name pushed to the next line) is set ragged instead, and refused if
it cannot be. Only the covers are laid out here (the blocks after them are left out), so the
check of thirty covers costs a few seconds.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PIL import Image

from conftest import EXAMPLES
from slagen.compose.assemble import assemble
from slagen.library.brand import load_brand
from slagen.library.contracts import load_contract
from slagen.library.folder import default_library
from slagen.library.initialise import init_library
from slagen.library.starters import library_packages, starter_text
from slagen.writers.pdf import (
    MOST_SPACES_IN_A_GAP,
    CoverLayoutError,
    JustifiedGapError,
    _laid_out_text,
    _lay_out,
    render_pdf,
)


@pytest.fixture(scope="module")
def house(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("house") / "library"
    init_library(folder, "House", "1.0.0")
    templates = folder / "contract_templates"
    Image.new("RGB", (1000, 100), (31, 58, 95)).save(templates / "wide.png")  # 10:1
    Image.new("RGB", (100, 300), (31, 58, 95)).save(templates / "tall.png")  # 1:3
    return templates


def brand_with(templates: Path, logo: str | None):
    text = (templates / "brand.yaml").read_text(encoding="utf-8")
    lines = [f"logo: {logo}" if line.startswith("logo:") and logo else line for line in text.splitlines()]
    (templates / "brand.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_brand(templates / "brand.yaml")


def contracts():
    for path in sorted(EXAMPLES.glob("*.yaml")):
        yield path.name, load_contract(str(path), path.read_bytes())
    for package in library_packages(default_library()):
        # US Letter is the shorter page: the starters under Texas law
        text = starter_text("US-TX", package=package)
        yield f"starter {package.id}", load_contract(f"{package.id}.yaml", text.encode("utf-8"))


@pytest.fixture(scope="module")
def covers():
    """Every example's and starter's documents, the cover alone."""
    out = []
    for name, contract in contracts():
        for kind in ("agreement", "sow") if contract.sow is not None else ("agreement",):
            document = assemble(contract, kind)
            out.append((f"{name} {kind}", dataclasses.replace(document, blocks=())))
    return out


@pytest.mark.parametrize("logo", [None, "wide.png", "tall.png"])
def test_every_cover_fits_its_first_page_whatever_the_logo(house, covers, logo):
    brand = brand_with(house, logo)
    css = (house / "print.css").read_text(encoding="utf-8")
    assert len(covers) >= 10
    for name, document in covers:
        _, text = render_pdf(document, brand=brand, css=css)
        assert text.count("\f") == 1, f"{name}: the cover runs onto a second page"
        assert "Status" in text and document.cover.reference in text


def test_a_cover_that_runs_onto_a_second_page_is_refused(house, covers):
    brand = brand_with(house, "tall.png")
    css = (house / "print.css").read_text(encoding="utf-8")
    name, document = covers[0]
    crowded = dataclasses.replace(document, cover=dataclasses.replace(
        document.cover, title=" ".join(["Managed IT Services Agreement"] * 10)))  # 300 characters
    with pytest.raises(CoverLayoutError) as caught:
        render_pdf(crowded, brand=brand, css=css)
    assert str(caught.value).startswith("error: the cover does not fit on one page (it runs onto page 2 from ")


# A long name and then a token that cannot break until a '/': the line before it is stretched
HOLEY = ('<html><body style="font: 9.5pt \'DejaVu Serif\'; margin: 0; width: 120mm">'
         '<p style="text-align: justify">This Agreement is made between <strong>Hill Country Veterinary '
         'Hospital</strong>, of Unit-4200/HillCountryBoulevard,DrippingSprings,TX-78620-USA (the '
         '<strong>Customer</strong>), and the Provider.</p></body></html>')


def test_a_justified_line_with_holes_is_refused_by_the_check():
    from weasyprint import HTML

    with pytest.raises(JustifiedGapError) as caught:
        _laid_out_text(HTML(string=HOLEY).render())
    assert f"is stretched with gaps wider than {MOST_SPACES_IN_A_GAP} spaces" in str(caught.value)
    assert "on page 1 is stretched" in str(caught.value)


def test_the_layout_sets_such_a_paragraph_ragged_instead():
    rendered = _lay_out(HOLEY, default_library().template_dir)
    text = _laid_out_text(rendered)  # no JustifiedGapError
    assert "Hill Country Veterinary" in text


def test_a_heading_keeps_its_lead_in_and_the_first_row_of_the_table_after_it():
    """A spacer leaves room at the foot of page 1 for the heading and its sentence but not for the
    table's first row: all three move to page 2 together."""
    css = default_library().print_css.read_text(encoding="utf-8")
    html = (f"<html><head><style>{css} @page {{ size: A4; margin: 25mm 20mm 22mm 20mm; }}</style></head><body>"
            '<div style="height: 228mm"></div>'
            '<section class="section"><h1 id="heading">7 Service credits</h1>'
            "<p>The credits for each priority are:</p>"
            "<table><tr><td>P1</td><td>10%</td></tr><tr><td>P2</td><td>5%</td></tr></table></section>"
            "</body></html>")
    rendered = _lay_out(html, default_library().template_dir)
    pages = _laid_out_text(rendered).split("\f")
    assert "7 Service credits" not in pages[0] and "The credits for each priority are:" not in pages[0]
    assert "7 Service credits" in pages[1] and "P1" in pages[1]


def test_the_logo_says_whose_it_is_to_a_screen_reader_in_both_formats(house, covers):
    import zipfile
    from io import BytesIO

    from slagen.writers.docx import write_docx
    from slagen.writers.html import write_html

    brand = brand_with(house, "wide.png")
    name, document = covers[0]  # acme-dental's agreement: Northwind's document
    assert document.author == "Northwind Managed Services Ltd"
    assert 'alt="Logo of Northwind Managed Services Ltd"' in write_html(document, brand=brand)
    with zipfile.ZipFile(BytesIO(write_docx(document, brand=brand))) as z:
        assert 'descr="Logo of Northwind Managed Services Ltd"' in z.read("word/document.xml").decode("utf-8")


def test_in_the_docx_a_headings_first_paragraph_keeps_with_what_follows(covers):
    """Word's keep-with-next on the heading (its style) and on the sentence after it, as print.css
    keeps `h1 + p` with the next block: the lead-in of a table never ends a page alone."""
    import zipfile
    from io import BytesIO

    from lxml import etree

    from slagen.compose.assemble import assemble
    from slagen.library.contracts import load_contract
    from slagen.writers.docx import write_docx

    document = assemble(load_contract(str(EXAMPLES / "acme-dental.yaml")), "agreement")
    with zipfile.ZipFile(BytesIO(write_docx(document, page_numbers={}))) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    checked = 0
    for heading in body.iter(f"{w}p"):
        style = heading.find(f"{w}pPr/{w}pStyle")
        if style is None or style.get(f"{w}val") != "Heading1":
            continue
        lead_in, after = heading.getnext(), heading.getnext().getnext()
        if lead_in is not None and lead_in.tag == f"{w}p" and after is not None and after.tag == f"{w}tbl":
            assert lead_in.find(f"{w}pPr/{w}keepNext") is not None, "".join(lead_in.itertext())
            checked += 1
    assert checked >= 2  # the priority matrix and the service credits, at least
