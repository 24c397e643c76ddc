"""The DOCX writer, read back with python-docx and lxml (and LibreOffice when it is installed)."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import zipfile
from datetime import date, datetime, timezone
from io import BytesIO
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from conftest import requires_libreoffice
from slagen.document import (
    Cover,
    Document,
    LineBreak,
    ListBlock,
    PageBreak,
    Paragraph,
    Run,
    Section,
    SignatureBlock,
    Table,
    TableOfContents,
    text,
)
from slagen.writers.docx import write_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ROOT = Path(__file__).resolve().parents[1]
TABLE_ROWS = 60


def body(value: str) -> Paragraph:
    return Paragraph(text(value))


def build_document(rows: int = TABLE_ROWS) -> Document:
    """A small agreement with every node type, built by hand."""
    priorities = Table(
        header=(text("Priority"), text("Response"), text("Resolution")),
        rows=tuple((text(f"P{i}"), text(f"{i} hours"), text(f"{4 * i} hours")) for i in range(1, rows + 1)),
        id="priorities",
        caption="Table 1 — Priorities",
        widths=(1, 2, 2),
    )
    return Document(
        kind="agreement",
        title="Service Level Agreement",
        reference="SLA-2027-001",
        cover=Cover(
            title="Service Level Agreement",
            subtitle="Managed IT services",
            parties=("Acme Dental Ltd", "Globex IT plc"),
            reference="SLA-2027-001",
            version="1.0",
            date=date(2027, 1, 1),
            draft=True,
        ),
        blocks=(
            TableOfContents(),
            PageBreak(),
            Section("scope", "Scope", (
                body("This agreement covers {{ 7*7 }} and <b>bold</b> & more."),
                Section("services", "Services", (
                    body("The services are:"),
                    ListBlock((
                        (body("Service desk"),),
                        (body("Monitoring"), ListBlock(((body("servers"),), (body("network"),)), ordered=True)),
                    )),
                    Section("hours", "Support hours", (
                        Paragraph((Run("Monday to Friday ", bold=True), Run("08:00 to 18:00", italic=True),
                                   LineBreak(), Run("UK time"))),
                    )),
                )),
            )),
            Section("definitions", "Definitions", (
                ListBlock(((body("first"),), (body("second"),)), ordered=True),
                ListBlock(((body("first again"),),), ordered=True),
            ), numbered=False),
            Section("levels", "Service levels", (priorities, Paragraph(text("Times are elapsed."), style="note"))),
            Section("signatures", "Signatures", (SignatureBlock(("Acme Dental Ltd", "Globex IT plc")),)),
            Section("annex-contacts", "Contacts", (
                body("Who to call."),
                Section("escalation", "Escalation", (body("Then the manager."),)),
            ), annex=True),
            Section("annex-prices", "Price list", (body("Prices."),), annex=True),
        ),
        date=date(2027, 1, 1),
        author="Globex IT plc",
        subject="Managed IT services for Acme Dental",
        keywords=("sla", "managed services"),
        language="en-GB",
        draft=True,
    )


@pytest.fixture(scope="module")
def data() -> bytes:
    return write_docx(build_document())


@pytest.fixture(scope="module")
def wdoc(data):
    return docx.Document(BytesIO(data))


@pytest.fixture(scope="module")
def parts(data) -> dict[str, etree._Element]:
    with zipfile.ZipFile(BytesIO(data)) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith((".xml", ".rels"))}


def _texts(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def _style_of(p) -> str:
    style = p.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val") if style is not None else "Normal"


def _paragraphs(parts):
    return list(parts["word/document.xml"].iter(f"{W}p"))


# --------------------------------------------------------------------------------------------
# Styles and numbering


def test_reference_and_output_have_our_styles(wdoc):
    ids = {s.style_id for s in wdoc.styles}
    for style_id in ("Normal", "Title", "Heading1", "Heading2", "Heading3", "AnnexHeading", "CoverTitle",
                     "Note", "Centered", "Caption", "TableText", "TOCHeading", "TOC1", "TOC2", "TOC3",
                     "ListBullet", "ListNumber", "slagenTable", "slagenPlainTable", "Header", "Footer"):
        assert style_id in ids, style_id
    for level in (1, 2, 3):
        assert wdoc.styles[f"Heading {level}"].paragraph_format.keep_with_next is True
    section = wdoc.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.1)


def test_headings_share_one_multilevel_legal_list(parts):
    numbering = parts["word/numbering.xml"]
    styles = parts["word/styles.xml"]
    linked = set()
    for level in (1, 2, 3):
        style = styles.find(f"{W}style[@{W}styleId='Heading{level}']")
        num_id = style.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
        ilvl = style.find(f"{W}pPr/{W}numPr/{W}ilvl").get(f"{W}val")
        assert ilvl == str(level - 1)
        num = numbering.find(f"{W}num[@{W}numId='{num_id}']")
        linked.add(num.find(f"{W}abstractNumId").get(f"{W}val"))
    assert len(linked) == 1, "Heading 1-3 must use ONE abstractNum"
    abstract = numbering.find(f"{W}abstractNum[@{W}abstractNumId='{linked.pop()}']")
    assert abstract.find(f"{W}multiLevelType").get(f"{W}val") == "multilevel"
    levels = {lvl.get(f"{W}ilvl"): lvl for lvl in abstract.findall(f"{W}lvl")}
    expected = {"0": ("%1", "Heading1"), "1": ("%1.%2", "Heading2"), "2": ("%1.%2.%3", "Heading3")}
    for ilvl, (lvl_text, style) in expected.items():
        assert levels[ilvl].find(f"{W}lvlText").get(f"{W}val") == lvl_text
        assert levels[ilvl].find(f"{W}pStyle").get(f"{W}val") == style
        assert levels[ilvl].find(f"{W}numFmt").get(f"{W}val") == "decimal"


def _displayed_headings(parts) -> list[str]:
    """An independent oracle: number the headings the way a word processor does."""
    numbering, styles = parts["word/numbering.xml"], parts["word/styles.xml"]
    abstracts = {
        a.get(f"{W}abstractNumId"): {
            int(l.get(f"{W}ilvl")): (l.find(f"{W}numFmt").get(f"{W}val"), l.find(f"{W}lvlText").get(f"{W}val"),
                                     l.find(f"{W}isLgl") is not None)
            for l in a.findall(f"{W}lvl")
        }
        for a in numbering.findall(f"{W}abstractNum")
    }
    nums = {n.get(f"{W}numId"): n.find(f"{W}abstractNumId").get(f"{W}val") for n in numbering.findall(f"{W}num")}

    def numpr(ppr):
        found = ppr.find(f"{W}numPr") if ppr is not None else None
        if found is None:
            return None
        return found.find(f"{W}numId").get(f"{W}val"), int(found.find(f"{W}ilvl").get(f"{W}val"))

    style_numpr = {s.get(f"{W}styleId"): numpr(s.find(f"{W}pPr")) for s in styles.findall(f"{W}style")}
    counters: dict[str, list[int]] = {}
    shown = []
    for p in _paragraphs(parts):
        style = _style_of(p)
        if style not in ("Heading1", "Heading2", "Heading3", "AnnexHeading"):
            continue
        num = numpr(p.find(f"{W}pPr")) or style_numpr[style]
        label = ""
        if num and num[0] != "0":
            num_id, ilvl = num
            levels = abstracts[nums[num_id]]
            count = counters.setdefault(num_id, [0] * 9)
            count[ilvl] += 1
            count[ilvl + 1:] = [0] * (8 - ilvl)
            fmt_text, legal = levels[ilvl][1], levels[ilvl][2]

            def show(k, count=count, levels=levels, legal=legal):
                value, fmt = count[k], levels[k][0]
                return chr(64 + value) if fmt == "upperLetter" and not legal else str(value)

            label = re.sub(r"%(\d)", lambda m: show(int(m.group(1)) - 1), fmt_text)
        shown.append(f"{label} {_texts(p)}".strip())
    return shown


def test_headings_are_numbered_1_1_1_and_annexes_lettered(parts):
    assert _displayed_headings(parts) == [
        "1 Scope",
        "1.1 Services",
        "1.1.1 Support hours",
        "Definitions",
        "2 Service levels",
        "3 Signatures",
        "Annex A — Contacts",
        "A.1 Escalation",
        "Annex B — Price list",
    ]


def test_annex_style_starts_a_page_and_is_in_the_outline(wdoc):
    annex = wdoc.styles["Annex Heading"]
    assert annex.paragraph_format.page_break_before is True
    assert annex.element.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == "0"


def test_ordered_lists_restart_each_in_their_own_instance(parts):
    numbering = parts["word/numbering.xml"]
    ordered = [p for p in _paragraphs(parts) if _style_of(p) == "ListNumber"]
    assert [_texts(p) for p in ordered] == ["servers", "network", "first", "second", "first again"]
    ids = [p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val") for p in ordered]
    assert ids[0] == ids[1] and ids[2] == ids[3] and len({ids[0], ids[2], ids[4]}) == 3
    for num_id in {ids[0], ids[2], ids[4]}:
        num = numbering.find(f"{W}num[@{W}numId='{num_id}']")
        override = num.find(f"{W}lvlOverride[@{W}ilvl='0']/{W}startOverride")
        assert override.get(f"{W}val") == "1"
    nested = ordered[0].find(f"{W}pPr/{W}numPr/{W}ilvl").get(f"{W}val")
    assert nested == "1", "a list inside a list item is one level deeper"
    bullets = [_texts(p) for p in _paragraphs(parts) if _style_of(p) == "ListBullet"]
    assert bullets == ["Service desk", "Monitoring"]


# --------------------------------------------------------------------------------------------
# Tables, fields, header, footer


def _priority_table(wdoc):
    return next(t for t in wdoc.tables if t.cell(0, 0).text == "Priority")


def test_table_header_repeats_and_rows_do_not_split(wdoc):
    table = _priority_table(wdoc)
    assert len(table.rows) == 1 + TABLE_ROWS
    assert table.rows[-1].cells[2].text == f"{4 * TABLE_ROWS} hours"
    rows = table._tbl.findall(f"{W}tr")
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    assert table.style.style_id == "slagenTable"
    assert table.style.element.find(f"{W}tblPr/{W}tblBorders/{W}insideH").get(f"{W}val") == "single"
    widths = [int(c.get(f"{W}w")) for c in table._tbl.findall(f"{W}tblGrid/{W}gridCol")]
    # A4's 210 mm less print.css's two 20 mm margins: 170 mm, at 1440 / 25.4 twips a mm
    text_width = round(170 * 1440 / 25.4)
    assert text_width == 9638
    assert widths == pytest.approx([text_width / 5, 2 * text_width / 5, 2 * text_width / 5], abs=2)  # (1, 2, 2)
    assert sum(widths) == text_width


def test_table_caption_precedes_table(parts):
    caption = next(p for p in _paragraphs(parts) if _style_of(p) == "Caption")
    assert _texts(caption) == "Table 1 — Priorities"
    assert caption.getnext().tag == f"{W}tbl"


def test_paragraph_after_a_table_has_space_and_properties_keep_schema_order(parts):
    note = next(p for p in _paragraphs(parts) if _style_of(p) == "Note")
    assert note.getprevious().tag == f"{W}tbl"
    assert note.find(f"{W}pPr/{W}spacing").get(f"{W}before") == "160"
    order = ["pStyle", "keepNext", "pageBreakBefore", "numPr", "tabs", "spacing", "ind", "jc"]
    for ppr in parts["word/document.xml"].iter(f"{W}pPr"):
        names = [etree.QName(child).localname for child in ppr]
        assert names == sorted(names, key=order.index), names


def test_toc_is_a_complex_field_word_updates_on_open_with_its_result_filled_in(parts):
    toc = next(p for p in _paragraphs(parts) if "TOC" in "".join(i.text for i in p.iter(f"{W}instrText")))
    sequence = [(el.tag, el.get(f"{W}fldCharType") or el.text) for el in toc.iter(f"{W}fldChar", f"{W}instrText", f"{W}t")]
    assert [kind for _, kind in sequence][0] == "begin"
    assert sequence[1][1].strip() == 'TOC \\o "1-1" \\h \\z \\u'
    assert sequence[2][1] == "separate"
    # the first entry is the first clause, linked to its heading, with a PAGEREF for its page
    assert [t for _, t in sequence[3:5]] == ["1", "Scope"]
    assert sequence[5][1] == "begin" and sequence[6][1].strip().startswith("PAGEREF _Ref")
    assert "Right-click" not in "".join(t for _, t in sequence if t)
    update = parts["word/settings.xml"].find(f"{W}updateFields")
    assert update is not None and update.get(f"{W}val") == "true"


def test_footer_has_page_x_of_y_fields_and_header_title_reference(wdoc):
    section = wdoc.sections[0]
    footer = section.footer._element
    instructions = [i.text.strip() for i in footer.iter(f"{W}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert [f.get(f"{W}fldCharType") for f in footer.iter(f"{W}fldChar")] == ["begin", "separate", "end"] * 2
    assert _texts(footer) == "Page 1 of 1"  # field results until the word processor lays out pages
    header = _texts(section.header._element)
    assert header == "SLA-2027-001 · Service Level Agreement · DRAFT"  # as the PDF's running header
    # the cover page has neither header nor footer
    assert section.different_first_page_header_footer is True
    assert _texts(section.first_page_header._element) == ""


def test_cover_page(parts):
    cover = [(_style_of(p), _texts(p)) for p in _paragraphs(parts)][:12]
    # The order of the PDF's cover: DRAFT, subtitle, title, parties, then the details with the status.
    assert cover[:3] == [("DraftMark", "DRAFT"), ("CoverSubtitle", "Managed IT services"),
                         ("CoverTitle", "Service Level Agreement")]
    assert ("CoverText", "Date: 1 January 2027") in cover
    assert ("CoverText", "Reference: SLA-2027-001") in cover
    assert ("CoverText", "Status: Draft for discussion") in cover


def test_signature_block_is_a_borderless_two_column_table(wdoc):
    table = next(t for t in wdoc.tables if t.style.style_id == "slagenPlainTable")
    assert len(table.columns) == 2
    for cell, party in zip(table.rows[0].cells, ("Acme Dental Ltd", "Globex IT plc")):
        lines = [p.text for p in cell.paragraphs]
        assert lines[0] == f"Signed for and on behalf of\n{party}"  # the PDF's words
        assert [line.split(":")[0] for line in lines[1:]] == ["Signature", "Name", "Title", "Date"]
        assert all(line.endswith("_" * 20) for line in lines[1:])
    assert table.style.element.find(f"{W}tblPr/{W}tblBorders/{W}insideV").get(f"{W}val") == "nil"


# --------------------------------------------------------------------------------------------
# Properties, text, determinism


def test_core_properties_come_from_the_document(wdoc):
    props = wdoc.core_properties
    when = datetime(2027, 1, 1, tzinfo=timezone.utc)
    assert props.created == when and props.modified == when
    assert props.title == "Service Level Agreement"
    assert props.subject == "Managed IT services for Acme Dental"
    assert props.author == "Globex IT plc"
    assert props.keywords == "sla, managed services"
    assert props.revision == 1
    assert props.last_modified_by == "slagen"
    assert props.language == "en-GB"
    assert props.last_printed is None


def test_text_is_literal_never_evaluated(wdoc, data):
    paragraphs = [p.text for p in wdoc.paragraphs]
    assert "This agreement covers {{ 7*7 }} and <b>bold</b> & more." in paragraphs
    with zipfile.ZipFile(BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more." in xml
    assert "{{ 7*7 }}" in xml and "49" not in paragraphs
    hours = next(p for p in wdoc.paragraphs if p.text.startswith("Monday"))
    assert [(r.text, r.bold, r.italic) for r in hours.runs if r.text.strip()] == [
        ("Monday to Friday ", True, None), ("08:00 to 18:00", None, True), ("UK time", None, None)]
    assert hours._p.find(f"{W}r/{W}br") is not None


def test_control_characters_tabs_and_newlines_do_not_break_the_file():
    document = Document(kind="agreement", title="T", reference="R", cover=None, date=date(2027, 3, 4),
                        blocks=(Paragraph((Run("a\tb\nc\x00d"),)),))
    paragraph = docx.Document(BytesIO(write_docx(document))).paragraphs[0]
    assert paragraph._p.find(f"{W}r/{W}tab") is not None and paragraph._p.find(f"{W}r/{W}br") is not None
    assert _texts(paragraph._p) == "abc\ufffdd"


def test_same_input_same_bytes(data):
    assert write_docx(build_document()) == data
    with zipfile.ZipFile(BytesIO(data)) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert b"rsid" not in b"".join(zipfile.ZipFile(BytesIO(data)).read(i) for i in infos)


def test_same_bytes_in_another_process(data):
    script = (
        "import hashlib, sys; sys.path.insert(0, sys.argv[1]);"
        "import test_docx_writer as t; from slagen.writers.docx import write_docx;"
        "print(hashlib.sha256(write_docx(t.build_document())).hexdigest())"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run([sys.executable, "-c", script, str(Path(__file__).parent)], env=env,
                         capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == hashlib.sha256(data).hexdigest()


def _our_definitions(data: bytes) -> list[bytes]:
    """The styles and numbering the script defines (not what python-docx's template brings)."""
    with zipfile.ZipFile(BytesIO(data)) as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
        numbering = etree.fromstring(z.read("word/numbering.xml"))
    return [etree.tostring(e, method="c14n") for e in [*styles.iter(f"{W}style"), *numbering]]


def test_the_reference_document_is_built_from_the_brand_the_same_every_time():
    from slagen.library.brand import Brand, Font
    from slagen.writers.reference_docx import _build, reference_docx

    brand = Brand(primary_colour="123456", body_font=Font("Body Face", ()), heading_font=Font("Head Face", ()))
    built = reference_docx(brand)
    _build.cache_clear()
    assert reference_docx(brand) == built, "building the reference document must be deterministic"
    styles = etree.fromstring(zipfile.ZipFile(BytesIO(built)).read("word/styles.xml"))
    heading = styles.find(f"{W}style[@{W}styleId='Heading1']")
    assert heading.find(f"{W}rPr/{W}color").get(f"{W}val") == "123456"
    assert heading.find(f"{W}rPr/{W}rFonts").get(f"{W}ascii") == "Head Face"
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(f"{W}ascii") == "Body Face"
    assert b"@" not in zipfile.ZipFile(BytesIO(built)).read("word/styles.xml"), "a placeholder was left"


def test_minimal_document_without_cover():
    document = Document(kind="report", title="Monthly report", reference="", cover=None,
                        blocks=(Section("a", "A", (Section("b", "B", (Section("c", "C", (
                            Section("d", "D", (), ),)),)),)),
                                Table(header=(), rows=((text("x"),), (text("y"), text("z")))),),
                        date=date(2027, 2, 1))
    wdoc = docx.Document(BytesIO(write_docx(document)))
    assert [p.style.style_id for p in wdoc.paragraphs] == ["Heading1", "Heading2", "Heading3", "Heading3"]
    assert wdoc.sections[0].different_first_page_header_footer is False
    assert _texts(wdoc.sections[0].header._element) == "Monthly report"
    table = wdoc.tables[0]
    assert [[c.text for c in r.cells] for r in table.rows] == [["x", ""], ["y", "z"]]
    assert table._tbl.find(f"{W}tr/{W}trPr/{W}tblHeader") is None
    assert wdoc.core_properties.created == datetime(2027, 2, 1, tzinfo=timezone.utc)


# --------------------------------------------------------------------------------------------
# LibreOffice


@requires_libreoffice
def test_libreoffice_reads_numbered_headings_and_the_table(tmp_path, data):
    source = tmp_path / "agreement.docx"
    source.write_bytes(data)
    profile = tmp_path / "profile"  # a private profile: parallel soffice runs do not collide
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "txt:Text",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=240,
    )
    lines = [line.strip() for line in (tmp_path / "agreement.txt").read_text(encoding="utf-8-sig").splitlines()]
    for heading in (r"1\s+Scope", r"1\.1\s+Services", r"1\.1\.1\s+Support hours", r"2\s+Service levels",
                    r"Annex A — Contacts", r"A\.1\s+Escalation"):
        assert any(re.fullmatch(heading, line) for line in lines), heading
    assert "Definitions" in lines
    assert "Priority" in lines and f"P{TABLE_ROWS}" in lines and f"{4 * TABLE_ROWS} hours" in lines
    assert "This agreement covers {{ 7*7 }} and <b>bold</b> & more." in lines
