"""One house style across both writers, from the library's brand.yaml.

The main case is the one a provider lives: a library made by `slagen library init`, one clause
reworded, a logo and two brand colours; both documents are rendered in both formats, and the
wording, the logo on the cover and the colours are read back from the DOCX's XML and the PDF.
"""

from __future__ import annotations

import re
import shutil
import struct
import zipfile
import zlib
from io import BytesIO
from pathlib import Path

import pytest

from conftest import REFERENCE, run_slagen

PRIMARY = (0xC0, 0x39, 0x2B)  # brick red
ACCENT = (0x2E, 0x86, 0xAB)  # sea blue
NEW_WORDING = "Northwind answers every Incident as the Priority Matrix below requires"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def hex_of(rgb) -> str:
    return "".join(f"{c:02X}" for c in rgb)


def png(width: int, height: int, rgb=(0x12, 0x34, 0x56)) -> bytes:
    """A solid-colour PNG, written by hand from the PNG specification (no image library)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


LOGO = png(40, 20)


def write_brand(library: Path, **values: str) -> Path:
    brand = library / "contract_templates" / "brand.yaml"
    brand.write_text("".join(f"{key}: {value}\n" for key, value in values.items()), encoding="utf-8")
    return brand


@pytest.fixture(scope="module")
def branded(tmp_path_factory) -> tuple[Path, Path]:
    """(library, output folder): the house library rendered once for every test that reads it."""
    root = tmp_path_factory.mktemp("branded")
    library = root / "house"
    assert run_slagen("library", "init", str(library), "--name", "Northwind").returncode == 0
    clause = library / "clauses" / "priorities.md"
    text = clause.read_text(encoding="utf-8")
    old = "The Provider shall use reasonable endeavours to meet the following Service Levels for each Incident according to its Priority"
    assert old in text
    clause.write_text(text.replace(old, NEW_WORDING).replace("version: 2.0.0", "version: 2.1.0"), encoding="utf-8")
    (library / "contract_templates" / "logo.png").write_bytes(LOGO)
    write_brand(library, logo="logo.png", primary_colour=f'"#{hex_of(PRIMARY)}"',
                accent_colour=f'"#{hex_of(ACCENT).lower()}"', footer_text="Northwind IT Ltd")
    out = root / "out"
    done = run_slagen("render", str(REFERENCE), "--library", str(library), "-o", str(out))
    assert done.returncode == 0, done.stderr
    return library, out


def docx_part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def pdf_pages(path: Path):
    from pypdf import PdfReader

    return PdfReader(str(path)).pages


@pytest.mark.parametrize("kind", ["agreement", "sow"])
def test_both_documents_and_formats_are_rendered(branded, kind):
    _, out = branded
    for fmt in ("docx", "pdf"):
        assert (out / f"NW-ACME-2027-01-{kind}.{fmt}").stat().st_size > 0


def test_the_reworded_clause_is_in_both_formats(branded):
    _, out = branded
    from slagen.pipeline.render import docx_text

    docx = docx_text((out / "NW-ACME-2027-01-agreement.docx").read_bytes())
    pdf = " ".join(page.extract_text() for page in pdf_pages(out / "NW-ACME-2027-01-agreement.pdf"))
    squash = lambda s: re.sub(r"\s+", " ", s)  # noqa: E731
    assert NEW_WORDING in squash(docx)
    assert NEW_WORDING in squash(pdf)
    assert "reasonable endeavours to meet the following Service Levels" not in squash(docx) + squash(pdf)
    assert "Northwind" in squash(pdf) and "1.1.0" in squash(pdf)  # Annex B: library and clause version


@pytest.mark.parametrize("kind", ["agreement", "sow"])
def test_the_logo_is_on_the_cover_of_the_docx(branded, kind):
    _, out = branded
    path = out / f"NW-ACME-2027-01-{kind}.docx"
    with zipfile.ZipFile(path) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert [z.read(n) for n in media] == [LOGO]
    body = docx_part(path, "word/document.xml")
    cover = body[: body.index('w:type="page"')]  # everything before the cover's page break
    assert "<w:drawing>" in cover and 'w:val="CoverLogo"' in cover


@pytest.mark.parametrize("kind", ["agreement", "sow"])
def test_the_logo_is_on_the_cover_of_the_pdf(branded, kind):
    _, out = branded
    pages = pdf_pages(out / f"NW-ACME-2027-01-{kind}.pdf")
    first = [(image.image.width, image.image.height) for image in pages[0].images]
    assert first == [(40, 20)]


def _fill_colours(page) -> set[tuple[int, int, int]]:
    """Every RGB fill and stroke colour a PDF page's content sets, as 0-255 integers."""
    content = page.get_contents().get_data().decode("latin-1")
    found = set()
    for r, g, b in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|RG)\b", content):
        found.add(tuple(round(float(v) * 255) for v in (r, g, b)))
    return found


def test_the_brand_colours_are_in_the_pdf(branded):
    _, out = branded
    pages = pdf_pages(out / "NW-ACME-2027-01-agreement.pdf")
    assert PRIMARY in _fill_colours(pages[0])  # the cover title
    sow_cover = pdf_pages(out / "NW-ACME-2027-01-sow.pdf")[0]
    assert ACCENT in _fill_colours(sow_cover)  # the subtitle (the agreement's title) on the SOW's cover
    assert PRIMARY in set().union(*(_fill_colours(p) for p in pages[2:]))  # headings, table headers


def test_the_brand_colours_are_in_the_docx_styles(branded):
    _, out = branded
    from lxml import etree

    styles = etree.fromstring(docx_part(out / "NW-ACME-2027-01-agreement.docx", "word/styles.xml").encode())

    def colour(style_id: str) -> str:
        return styles.find(f"{W}style[@{W}styleId='{style_id}']/{W}rPr/{W}color").get(f"{W}val")

    assert colour("Heading1") == colour("CoverTitle") == hex_of(PRIMARY)
    assert colour("CoverSubtitle") == hex_of(ACCENT)
    fill = styles.find(f"{W}style[@{W}styleId='slagenTable']/{W}tblStylePr/{W}tcPr/{W}shd").get(f"{W}fill")
    assert fill == hex_of(PRIMARY)


def test_both_formats_use_the_same_fonts_and_cover_content(branded):
    _, out = branded
    from slagen.pipeline.render import docx_text

    pdf_fonts = set()
    for page in pdf_pages(out / "NW-ACME-2027-01-agreement.pdf")[:3]:
        for font in page["/Resources"]["/Font"].values():
            pdf_fonts.add(re.sub(r"^[A-Z]{6}\+", "", str(font.get_object()["/BaseFont"]).lstrip("/")))
    assert {f.replace("-", " ").split(" Bold")[0].split(" Italic")[0] for f in pdf_fonts} == {"DejaVu Serif"}
    styles = docx_part(out / "NW-ACME-2027-01-agreement.docx", "word/styles.xml")
    assert set(re.findall(r'w:ascii="([^"]+)"', styles)) == {"DejaVu Serif"}

    docx = docx_text((out / "NW-ACME-2027-01-agreement.docx").read_bytes())
    docx_cover = docx[: docx.index("Contents")] if "Contents" in docx else docx[:600]
    pdf_cover = pdf_pages(out / "NW-ACME-2027-01-agreement.pdf")[0].extract_text()
    for words in ("NW-ACME-2027-01", "Northwind Managed Services Ltd", "Acme Dental Group Ltd", "Draft for discussion"):
        assert words in docx_cover and words in pdf_cover, words


def test_the_footer_text_is_on_the_pages_after_the_cover_in_both(branded):
    _, out = branded
    pages = pdf_pages(out / "NW-ACME-2027-01-agreement.pdf")
    assert "Northwind IT Ltd" not in pages[0].extract_text()
    assert "Northwind IT Ltd" in pages[2].extract_text()
    assert "Northwind IT Ltd" in docx_part(out / "NW-ACME-2027-01-agreement.docx", "word/footer1.xml") + "".join(
        docx_part(out / "NW-ACME-2027-01-agreement.docx", n)
        for n in zipfile.ZipFile(out / "NW-ACME-2027-01-agreement.docx").namelist() if n.startswith("word/footer"))


SVG_LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 30 10">'
            '<rect width="30" height="10" fill="#2E86AB"/></svg>')


def test_an_svg_logo_is_on_the_cover_of_both_formats_with_a_left_cover(plain_library, tmp_path):
    library = tmp_path / "house"
    shutil.copytree(plain_library, library)
    (library / "contract_templates" / "logo.svg").write_text(SVG_LOGO, encoding="utf-8")
    write_brand(library, logo="logo.svg", cover_layout="left")
    out = tmp_path / "out"
    done = run_slagen("render", str(REFERENCE), "--library", str(library), "--doc", "agreement", "-o", str(out))
    assert done.returncode == 0, done.stderr
    path = out / "NW-ACME-2027-01-agreement.docx"
    with zipfile.ZipFile(path) as z:
        assert z.read("word/media/logo.svg").decode("utf-8") == SVG_LOGO
    body = docx_part(path, "word/document.xml")
    assert "svgBlip" in body[: body.index('w:type="page"')]
    styles = docx_part(path, "word/styles.xml")
    title = re.search(r'w:styleId="CoverTitle".*?</w:style>', styles, re.DOTALL).group(0)
    assert '<w:jc w:val="left"/>' in title
    # WeasyPrint draws an SVG image as vector paths: the logo's colour is on the cover page.
    assert (0x2E, 0x86, 0xAB) in _fill_colours(pdf_pages(out / "NW-ACME-2027-01-agreement.pdf")[0])


# ---- mistakes -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plain_library(tmp_path_factory) -> Path:
    library = tmp_path_factory.mktemp("plain") / "house"
    assert run_slagen("library", "init", str(library)).returncode == 0
    return library


@pytest.mark.parametrize("setup, values, message", [
    (lambda d: (d / "logo.png").write_bytes(b"GIF89a not a png"), {"logo": "logo.png"},
     "logo 'logo.png' is not a readable PNG or SVG image"),
    (lambda d: (d / "logo.png").write_bytes(LOGO[:40]), {"logo": "logo.png"},
     "logo 'logo.png' is not a readable PNG or SVG image"),
    (lambda d: (d / "logo.svg").write_text("<html>no</html>"), {"logo": "logo.svg"},
     "logo 'logo.svg' is not a readable PNG or SVG image"),
    (lambda d: None, {"logo": "missing.png"}, "there is no file 'missing.png'"),
    (lambda d: None, {"logo": "../../../etc/passwd"}, "must be a file inside the library's contract_templates"),
    (lambda d: (d / "fonts" / "House.ttf").write_bytes(b"\x00\x01\x00\x00 this is not a font"),
     {"heading_font": "fonts/House.ttf"}, "heading_font 'fonts/House.ttf' is not a font"),
    (lambda d: None, {"body_font": "Comic Sans"}, "neither a bundled font"),
    (lambda d: None, {"primary_colour": "blue"}, "primary_colour 'blue' is not a colour"),
    (lambda d: None, {"cover_layout": "diagonal"}, "cover_layout 'diagonal' must be one of centred, left"),
    (lambda d: None, {"colour": '"#FFFFFF"'}, "unknown key 'colour'"),
])
def test_a_bad_brand_is_a_clear_error_at_its_line_and_nothing_is_written(plain_library, tmp_path, setup, values,
                                                                          message):
    library = tmp_path / "house"
    shutil.copytree(plain_library, library)
    templates = library / "contract_templates"
    setup(templates)
    brand = write_brand(library, footer_text='"ok"', **values)
    out = tmp_path / "out"
    done = run_slagen("render", str(REFERENCE), "--library", str(library), "-o", str(out))
    assert done.returncode == 2, done.stderr
    assert f"{brand}:2:" in done.stderr and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_a_font_file_in_the_library_is_the_heading_font_of_both_formats(plain_library, tmp_path):
    from fontTools.ttLib import TTFont

    library = tmp_path / "house"
    shutil.copytree(plain_library, library)
    fonts = library / "contract_templates" / "fonts"
    font = TTFont(fonts / "DejaVuSerif-Bold.ttf")  # a real font, renamed: the provider's "House Serif"
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 4, 16):
            names.setName("House Serif", record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            names.setName("HouseSerif", record.nameID, record.platformID, record.platEncID, record.langID)
    font.save(fonts / "House.ttf")
    write_brand(library, heading_font="fonts/House.ttf")
    out = tmp_path / "out"
    done = run_slagen("render", str(REFERENCE), "--library", str(library), "--doc", "agreement", "-o", str(out))
    assert done.returncode == 0, done.stderr

    styles = docx_part(out / "NW-ACME-2027-01-agreement.docx", "word/styles.xml")
    heading = re.search(r'w:styleId="Heading1".*?</w:style>', styles, re.DOTALL).group(0)
    assert 'w:ascii="House Serif"' in heading
    assert re.search(r'<w:docDefaults>.*w:ascii="DejaVu Serif"', styles, re.DOTALL)
    base_fonts = set()
    for page in pdf_pages(out / "NW-ACME-2027-01-agreement.pdf")[:3]:
        for item in page["/Resources"]["/Font"].values():
            base_fonts.add(re.sub(r"^[A-Z]{6}\+", "", str(item.get_object()["/BaseFont"]).lstrip("/")))
    # WeasyPrint names an embedded font after its family and face.
    assert "House-Serif-Bold" in base_fonts and "DejaVu-Serif" in base_fonts, base_fonts


def test_a_branded_render_is_the_same_bytes_every_time(branded, tmp_path):
    library, out = branded
    again = tmp_path / "again"
    done = run_slagen("render", str(REFERENCE), "--library", str(library), "--doc", "agreement", "-o", str(again))
    assert done.returncode == 0, done.stderr
    for fmt in ("docx", "pdf"):
        name = f"NW-ACME-2027-01-agreement.{fmt}"
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


def test_the_cover_says_the_same_things_in_the_same_order_in_both_formats(branded):
    _, out = branded
    from slagen.pipeline.render import docx_text

    docx = docx_text((out / "NW-ACME-2027-01-agreement.docx").read_bytes()).lower()
    pdf = pdf_pages(out / "NW-ACME-2027-01-agreement.pdf")[0].extract_text().lower()
    # The agreement's cover names it by its title only, as the definition of "Agreement" does.
    cover = ["draft", "managed it services agreement", "between",
             "northwind managed services ltd", "and", "acme dental group ltd", "nw-acme-2027-01", "1.0",
             "1 january 2027", "draft for discussion"]
    for name, text in (("docx", docx), ("pdf", pdf)):
        at = 0
        for words in cover:
            found = text.find(words, at)
            assert found >= 0, f"{name}: '{words}' missing or out of order on the cover"
            at = found + len(words)
