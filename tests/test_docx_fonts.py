"""The brand's fonts travel inside the DOCX: each face embedded, subset to the document's
characters and obfuscated as ECMA-376 Part 1, 17.8.1 says, so Word and LibreOffice lay the
agreement out in the house font on a computer that does not have it.

The de-obfuscation here is written from the standard (and LibreOffice's reading of it: the key's
bytes are the GUID string's hex pairs taken from the last to the first), not from slagen's code.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from conftest import requires_tool

ROOT = Path(__file__).resolve().parents[1]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Where each of the 16 key bytes sits in "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}": byte 0 is the
# last hex pair, byte 15 the first.
KEY_POSITIONS = [35, 33, 31, 29, 27, 25, 22, 20, 17, 15, 12, 10, 7, 5, 3, 1]


def reveal(data: bytes, font_key: str) -> bytes:
    key = [int(font_key[p:p + 2], 16) for p in KEY_POSITIONS]
    return bytes(b ^ key[i % 16] if i < 32 else b for i, b in enumerate(data[:32])) + data[32:]


def embedded_fonts(docx: bytes) -> dict[tuple[str, str], TTFont]:
    """(family, embed element) -> the font file, revealed."""
    with zipfile.ZipFile(BytesIO(docx)) as z:
        table = etree.fromstring(z.read("word/fontTable.xml"))
        rels = etree.fromstring(z.read("word/_rels/fontTable.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels}
        types = z.read("[Content_Types].xml").decode("utf-8")
        out = {}
        for font in table.iter(f"{{{W}}}font"):
            for embed in font:
                if not embed.tag.startswith(f"{{{W}}}embed"):
                    continue
                target = targets[embed.get(f"{{{R}}}id")]
                assert re.fullmatch(r"fonts/font\d+\.odttf", target)
                assert "application/vnd.openxmlformats-officedocument.obfuscatedFont" in types
                data = reveal(z.read(f"word/{target}"), embed.get(f"{{{W}}}fontKey"))
                out[(font.get(f"{{{W}}}name"), embed.tag.split("}")[1])] = TTFont(BytesIO(data))
        settings = [child.tag.split("}")[1] for child in etree.fromstring(z.read("word/settings.xml"))]
    assert "embedTrueTypeFonts" in settings and "saveSubsetFonts" in settings
    # CT_Settings is a sequence: the switches sit after zoom and before proofState
    assert settings.index("zoom") < settings.index("embedTrueTypeFonts") < settings.index("saveSubsetFonts") \
        < settings.index("proofState")
    return out


@pytest.fixture(scope="module")
def acme_docx() -> bytes:
    from slagen.library.contracts import load_contract
    from slagen.pipeline.render import render_documents

    [(_, data)] = render_documents(load_contract(ROOT / "examples" / "acme-dental.yaml"), ("agreement",), ("docx",))
    return data


def test_every_face_of_the_brand_font_is_embedded_subset_to_the_documents_characters(acme_docx):
    from slagen.pipeline.render import docx_text

    fonts = embedded_fonts(acme_docx)
    assert sorted(fonts) == [("DejaVu Serif", "embedBold"), ("DejaVu Serif", "embedBoldItalic"),
                             ("DejaVu Serif", "embedItalic"), ("DejaVu Serif", "embedRegular")]
    regular = fonts[("DejaVu Serif", "embedRegular")]
    assert regular["name"].getDebugName(1) == "DejaVu Serif" and regular["name"].getDebugName(2) == "Book"
    assert fonts[("DejaVu Serif", "embedBoldItalic")]["name"].getDebugName(2) == "Bold Italic"
    covered = set(regular.getBestCmap())
    used = {ord(c) for c in docx_text(acme_docx) if not c.isspace()}
    assert used <= covered, sorted(chr(c) for c in used - covered)
    whole = TTFont(str(ROOT / "contract_templates" / "fonts" / "DejaVuSerif.ttf"))
    assert len(regular.getGlyphOrder()) < len(whole.getGlyphOrder()) / 5  # a subset, not the whole font


def _house_font(folder: Path, family: str, fs_type: int = 0) -> Path:
    """A library whose brand font is DejaVu Serif renamed ``family``: a font no computer has."""
    from slagen.library.initialise import init_library

    init_library(folder, "House", "1.0.0")
    fonts = folder / "contract_templates" / "fonts"
    font = TTFont(str(fonts / "DejaVuSerif.ttf"))
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = family
        elif record.nameID == 6:
            record.string = family.replace(" ", "")
    font["OS/2"].fsType = fs_type
    file_name = family.replace(" ", "") + ".ttf"
    font.save(str(fonts / file_name))
    brand = folder / "contract_templates" / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    for key in ("body_font", "heading_font"):
        text = re.sub(rf"(?m)^{key}: DejaVu Serif", f"{key}: fonts/{file_name}", text)
    brand.write_text(text, encoding="utf-8")
    return folder


def _render_docx(library: Path, out: Path) -> Path:
    done = subprocess.run([sys.executable, "-m", "slagen", "render", str(ROOT / "examples" / "acme-dental.yaml"),
                           "--library", str(library), "--format", "docx", "--doc", "agreement", "-o", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("error") == 0 and "FFTM" not in done.stderr  # no noise from the subsetter
    return out / "NW-ACME-2027-01-agreement.docx"


@requires_tool("soffice", "libreoffice-writer-nogui")
@requires_tool("pdffonts", "poppler-utils")
def test_libreoffice_lays_the_docx_out_in_a_house_font_it_only_finds_inside_the_file(tmp_path):
    family = "Slagen Embedded Serif"
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    assert family not in listed  # installed nowhere: only the DOCX has it
    docx = _render_docx(_house_font(tmp_path / "house", family), tmp_path / "out")
    assert sorted(embedded_fonts(docx.read_bytes())) == [(family, "embedRegular")]  # one file, one face
    profile = tmp_path / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "lo"), str(docx)], check=True, capture_output=True, timeout=300)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "lo" / "NW-ACME-2027-01-agreement.pdf")],
                           capture_output=True, text=True, check=True).stdout
    assert re.search(r"(?m)^[A-Z]{6}\+SlagenEmbeddedSerif\s", fonts), fonts


def test_a_font_whose_licence_forbids_embedding_is_left_out(tmp_path):
    docx = _render_docx(_house_font(tmp_path / "house", "Slagen Restricted Serif", fs_type=0x0002), tmp_path / "out")
    with zipfile.ZipFile(docx) as z:
        assert not [name for name in z.namelist() if name.startswith("word/fonts/")]
        assert b"embedTrueTypeFonts" not in z.read("word/settings.xml")


def test_a_woff2_house_font_is_embedded_as_the_truetype_font_inside_it(tmp_path):
    library = _house_font(tmp_path / "house", "Slagen Web Serif")
    fonts = library / "contract_templates" / "fonts"
    font = TTFont(str(fonts / "SlagenWebSerif.ttf"))
    font.flavor = "woff2"
    font.save(str(fonts / "SlagenWebSerif.woff2"))
    brand = library / "contract_templates" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("SlagenWebSerif.ttf", "SlagenWebSerif.woff2"),
                     encoding="utf-8")
    docx = _render_docx(library, tmp_path / "out").read_bytes()
    with zipfile.ZipFile(BytesIO(docx)) as z:
        [part] = [name for name in z.namelist() if name.startswith("word/fonts/")]
    regular = embedded_fonts(docx)[("Slagen Web Serif", "embedRegular")]
    assert regular.flavor is None and "glyf" in regular  # plain TrueType, as Word reads it
