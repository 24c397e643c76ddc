"""The reference document of every DOCX slagen writes: styles, numbering and page, from the brand.

    from slagen.writers.reference_docx import reference_docx
    data = reference_docx(brand)       # bytes of a .docx with an empty body; same brand, same bytes

The DOCX writer (slagen/writers/docx.py) opens this document, clears its body and writes into it,
so the house style is set here and in the library's brand.yaml (slagen/library/brand.py), never in the
writer. It is built at render time (and cached), not kept as a file: the brand's colours, fonts
and cover layout fill the placeholders below, so the DOCX and the PDF (whose CSS comes from the
same brand) share one look. The build starts from python-docx's default template, replaces its
styles and numbering with ours, drops the parts we do not use (thumbnail, stylesWithEffects,
customXml), strips rsids and saves with fixed zip entry times.

Style ids the writer relies on: Normal, Title, Subtitle, Heading1-3, AnnexHeading, CoverTitle,
CoverSubtitle, CoverText, DraftMark, Note, Centered, Caption, TableText, TOCHeading, TOC1-3,
ListBullet, ListNumber, ListContinue, SignatureText, SignatureLine, Header, Footer and the
table styles slagenTable and slagenPlainTable.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from io import BytesIO
from xml.sax.saxutils import quoteattr

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from slagen.library.brand import Brand
from slagen.writers import docx_numbering as numbering

# The styles are written once with these placeholders; _branded() fills them from the brand.
FONT = "@BODY_FONT@"
HEADING_FONT = "@HEADING_FONT@"
ACCENT = "@PRIMARY@"  # headings and table header rows: the brand's primary colour
GREY = "@ACCENT@"  # the rule under the header, the cover subtitle: the brand's accent colour
COVER_JC = "@COVER_JC@"  # the cover's alignment: center, or left
TEXT = "1F2328"  # near-black body text

# The page and type of print.css, so that Word and LibreOffice break pages where the PDF does and
# the contents' page numbers (taken from the PDF's layout) hold in the DOCX too. A4; margins of
# 25, 20, 22 and 20 mm (top, right, bottom, left); in twentieths of a point (twips, 56.7 to a mm).
PAGE_W, PAGE_H = 11906, 16838
MARGIN_TOP, MARGIN_SIDE, MARGIN_BOTTOM = 1417, 1134, 1247
TEXT_WIDTH = PAGE_W - 2 * MARGIN_SIDE  # 9638, also used by the writer for table widths
LINE_HEIGHT = 1.4  # print.css's line-height: a multiple of each paragraph's own type size
BODY_SIZE = 9.5  # points


def _mm(value: float) -> int:
    return round(value * 1440 / 25.4)


def _spacing(size: float, before_mm: float = 0, after_mm: float = 0) -> str:
    """w:spacing for CSS margins and line-height 1.4 of ``size`` points. 'atLeast' is CSS's fixed
    line height that still grows for a picture or a larger run (Word's 'auto' would multiply the
    font's own line gap instead, which differs from font to font)."""
    line = round(LINE_HEIGHT * size * 20)
    return (f'<w:spacing w:before="{_mm(before_mm)}" w:after="{_mm(after_mm)}" w:line="{line}" '
            f'w:lineRule="atLeast"/>')

KEPT_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}


def _rpr(size: float | None = None, bold=False, italic=False, color: str | None = None, caps=False,
         font: str | None = None) -> str:
    parts = []
    if font:
        parts.append(f'<w:rFonts w:ascii="{font}" w:eastAsia="{font}" w:hAnsi="{font}" w:cs="{font}"/>')
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if caps:
        parts.append("<w:caps/>")
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if size:
        half = round(size * 2)
        parts.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


# Child elements of w:pPr and w:rPr are written in the order the schema's sequences require
# (Word rejects a file whose order is wrong): keepNext, keepLines, pageBreakBefore, numPr, pBdr,
# tabs, spacing, ind, jc, outlineLvl; rFonts, b, i, caps, color, sz.


def _style(
    style_id: str,
    name: str,
    *,
    kind: str = "paragraph",
    based_on: str | None = "Normal",
    next_style: str | None = None,
    ppr: str = "",
    rpr: str = "",
    extra: str = "",
    priority: int | None = None,
    qformat: bool = False,
) -> str:
    head = [f'<w:style {nsdecls("w")} w:type="{kind}" w:styleId="{style_id}">', f'<w:name w:val="{name}"/>']
    if based_on:
        head.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_style:
        head.append(f'<w:next w:val="{next_style}"/>')
    if priority is not None:
        head.append(f'<w:uiPriority w:val="{priority}"/>')
    if qformat:
        head.append("<w:qFormat/>")
    body = (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + rpr + extra
    return "".join(head) + body + "</w:style>"


def _heading(level: int) -> str:
    # print.css: h1 12pt, 7 mm above, 2.5 mm below; h2 10.5pt, 4 / 2 mm; h3 9.5pt, 3 / 1.5 mm. CSS
    # lets the 2.5 mm below the paragraph before collapse into the heading's margin; Word adds
    # the two, so the space above is the difference.
    size, before, after = {1: (12, 7 - 2.5, 2.5), 2: (10.5, 4 - 2.5, 2), 3: (9.5, 3 - 2.5, 1.5)}[level]
    return _style(
        f"Heading{level}",
        f"heading {level}",
        next_style="Normal",
        priority=9,
        qformat=True,
        ppr=(
            "<w:keepNext/><w:keepLines/>"
            f'<w:numPr><w:ilvl w:val="{level - 1}"/><w:numId w:val="{numbering.HEADING_NUM}"/></w:numPr>'
            f'{_spacing(size, before, after)}'
            f'<w:outlineLvl w:val="{level - 1}"/>'
        ),
        rpr=_rpr(size, bold=True, color=ACCENT, font=HEADING_FONT),
    )


def _toc(level: int) -> str:
    indent = 0 if level == 1 else 220 * (level - 1)
    return _style(
        f"TOC{level}",
        f"toc {level}",
        next_style="Normal",
        priority=39,
        ppr=(
            # A stop for the clause number's tab ("12<tab>Title"), then the dotted leader to the page.
            f'<w:tabs><w:tab w:val="left" w:pos="{indent + 567}"/>'
            f'<w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
            f'{_spacing(BODY_SIZE, 0, 0.8)}'  # print.css: nav.contents li { margin: 0 0 0.8mm }
            f'<w:ind w:left="{indent}"/>'
        ),
        rpr=_rpr(bold=level == 1),
    )


_BORDER = '<w:{side} w:val="single" w:sz="4" w:space="0" w:color="A0A0A0"/>'
_BORDERS = "".join(_BORDER.format(side=s) for s in ("top", "left", "bottom", "right", "insideH", "insideV"))

STYLES = [
    _style("Title", "Title", next_style="Normal", priority=10, qformat=True,
           ppr='<w:spacing w:before="0" w:after="240"/>', rpr=_rpr(24, bold=True, color=ACCENT, font=HEADING_FONT)),
    _style("Subtitle", "Subtitle", next_style="Normal", priority=11, qformat=True,
           ppr='<w:spacing w:after="240"/>', rpr=_rpr(14, color=ACCENT)),
    _heading(1),
    _heading(2),
    _heading(3),
    _style("AnnexHeading", "Annex Heading", next_style="Normal", qformat=True,
           ppr=(
               "<w:keepNext/><w:keepLines/><w:pageBreakBefore/>"
               f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{numbering.ANNEX_NUM}"/></w:numPr>'
               '<w:spacing w:before="0" w:after="240"/><w:outlineLvl w:val="0"/>'
           ),
           rpr=_rpr(14, bold=True, color=ACCENT, font=HEADING_FONT)),
    # The cover matches print.css's: subtitle in small capitals above the title, DRAFT boxed in red.
    _style("CoverTitle", "Cover Title", next_style="CoverText", qformat=True,
           ppr=f'<w:spacing w:before="0" w:after="720"/><w:jc w:val="{COVER_JC}"/>',
           rpr=_rpr(22, bold=True, color=ACCENT, font=HEADING_FONT)),
    _style("CoverSubtitle", "Cover Subtitle", next_style="CoverTitle",
           ppr=f'<w:spacing w:before="1800" w:after="240"/><w:jc w:val="{COVER_JC}"/>',
           rpr=_rpr(11, color=GREY, caps=True)),
    _style("CoverText", "Cover Text",
           ppr=f'<w:spacing w:after="120"/><w:jc w:val="{COVER_JC}"/>', rpr=_rpr(12)),
    _style("CoverLogo", "Cover Logo",
           ppr=f'<w:spacing w:before="0" w:after="240"/><w:jc w:val="{COVER_JC}"/>'),
    _style("DraftMark", "Draft Mark",
           ppr=(f'<w:pBdr><w:top w:val="single" w:sz="16" w:space="4" w:color="BB2222"/>'
                f'<w:bottom w:val="single" w:sz="16" w:space="4" w:color="BB2222"/></w:pBdr>'
                f'<w:spacing w:before="0" w:after="360"/><w:jc w:val="{COVER_JC}"/>'),
           rpr=_rpr(30, bold=True, color="BB2222", caps=True)),
    _style("Note", "Note", qformat=True,
           ppr='<w:spacing w:before="120" w:after="120"/><w:ind w:left="567"/>', rpr=_rpr(9.5, italic=True, color="4D4D4D")),
    _style("Centered", "Centered", ppr='<w:jc w:val="center"/>'),
    _style("Caption", "caption", next_style="Normal", priority=35, qformat=True,
           ppr='<w:keepNext/><w:spacing w:before="120" w:after="60"/>', rpr=_rpr(9.5, bold=True, color=ACCENT)),
    _style("TableText", "Table Text",
           ppr=_spacing(8.5), rpr=_rpr(8.5)),  # print.css: tables 8.5pt, the padding is the cells' margins
    _style("TOCHeading", "TOC Heading", next_style="Normal", priority=39,
           ppr='<w:keepNext/><w:spacing w:before="0" w:after="240"/><w:outlineLvl w:val="9"/>',
           rpr=_rpr(14, bold=True, color=ACCENT, font=HEADING_FONT)),
    _toc(1),
    _toc(2),
    _toc(3),
    _style("ListBullet", "List Bullet",
           ppr=f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{numbering.BULLET_NUM}"/></w:numPr>'
               '<w:spacing w:after="60"/>'),
    _style("ListNumber", "List Number",
           ppr=f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{numbering.DECIMAL_NUM}"/></w:numPr>'
               '<w:spacing w:after="60"/>'),
    _style("ListContinue", "List Continue", ppr='<w:spacing w:after="60"/><w:ind w:left="425"/>'),
    _style("SignatureText", "Signature Text",
           ppr='<w:keepNext/><w:keepLines/><w:spacing w:before="120" w:after="240"/>', rpr=_rpr(bold=True)),
    _style("SignatureLine", "Signature Line",
           ppr=(
               '<w:keepNext/><w:keepLines/>'
               '<w:tabs><w:tab w:val="left" w:pos="851"/></w:tabs>'
               '<w:spacing w:before="240" w:after="60"/>'
           )),
    _style("Header", "header", ppr=(
        f'<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="{GREY}"/></w:pBdr>'
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/>'
    ), rpr=_rpr(8.5, color="595959"), priority=99),
    _style("Footer", "footer", ppr=(
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/>'
    ), rpr=_rpr(8.5, color="595959"), priority=99),
    _style("slagenTable", "slagen Table", kind="table", based_on="TableNormal",
           extra=(
               "<w:tblPr>"
               f"<w:tblBorders>{_BORDERS}</w:tblBorders>"
               f'<w:tblCellMar><w:top w:w="{_mm(1.4)}" w:type="dxa"/><w:left w:w="{_mm(2)}" w:type="dxa"/>'
               f'<w:bottom w:w="{_mm(1.4)}" w:type="dxa"/><w:right w:w="{_mm(2)}" w:type="dxa"/></w:tblCellMar>'
               "</w:tblPr>"
               '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>'
               f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{ACCENT}"/></w:tcPr></w:tblStylePr>'
           )),
    _style("slagenPlainTable", "slagen Plain Table", kind="table", based_on="TableNormal",
           extra=(
               "<w:tblPr>"
               '<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/>'
               '<w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>'
               '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="284" w:type="dxa"/></w:tblCellMar>'
               "</w:tblPr>"
           )),
]

NORMAL = _style(
    "Normal",
    "Normal",
    based_on=None,
    qformat=True,
    ppr=_spacing(BODY_SIZE, 0, 2.5),  # print.css: p { margin: 0 0 2.5mm }
)

DOC_DEFAULTS = (
    f'<w:docDefaults {nsdecls("w")}><w:rPrDefault><w:rPr>'
    f'<w:rFonts w:ascii="{FONT}" w:eastAsia="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/>'
    f'<w:color w:val="{TEXT}"/><w:sz w:val="{round(BODY_SIZE * 2)}"/><w:szCs w:val="{round(BODY_SIZE * 2)}"/>'
    '<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/>'
    "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
    f'{_spacing(BODY_SIZE, 0, 2.5)}'
    "</w:pPr></w:pPrDefault></w:docDefaults>"
)


def _branded(xml: str, brand: Brand) -> str:
    """Style XML with the placeholders filled in from the brand (colours are checked hex digits)."""
    for placeholder, value in (
        (FONT, quoteattr(brand.body_font.family)[1:-1]),
        (HEADING_FONT, quoteattr(brand.heading_font.family)[1:-1]),
        (ACCENT, brand.primary_colour),
        (GREY, brand.accent_colour),
        (COVER_JC, "left" if brand.cover_layout == "left" else "center"),
    ):
        xml = xml.replace(placeholder, value)
    return xml


def _replace_styles(document, brand: Brand) -> None:
    styles = document.styles.element
    for style in list(styles.findall(qn("w:style"))):
        if style.get(qn("w:styleId")) not in KEPT_STYLES:
            styles.remove(style)
        elif style.get(qn("w:styleId")) == "Normal":
            styles.replace(style, parse_xml(_branded(NORMAL, brand)))
    styles.replace(styles.find(qn("w:docDefaults")), parse_xml(_branded(DOC_DEFAULTS, brand)))
    for xml in STYLES:
        styles.append(parse_xml(_branded(xml, brand)))


def _replace_numbering(document) -> None:
    element = document.part.numbering_part.element
    for child in list(element):
        element.remove(child)
    for child in numbering.numbering_children():
        element.append(child)


def _drop_unused_parts(document) -> None:
    part = document.part
    for rId, rel in list(part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            part.drop_rel(rId)
    package_rels = part.package.rels
    for rId, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(rId)


def _strip_rsids(element) -> None:
    for el in element.iter():
        for attr in [a for a in el.attrib if a.rsplit("}", 1)[-1].startswith("rsid")]:
            del el.attrib[attr]
    for rsids in element.iter(qn("w:rsids")):
        rsids.getparent().remove(rsids)
    for rsid in list(element.iter(qn("w:rsid"))):
        rsid.getparent().remove(rsid)


def _page(document) -> None:
    sect = document.sections[0]._sectPr
    for child in list(sect):
        sect.remove(child)
    for xml in (
        f'<w:pgSz {nsdecls("w")} w:w="{PAGE_W}" w:h="{PAGE_H}"/>',
        f'<w:pgMar {nsdecls("w")} w:top="{MARGIN_TOP}" w:right="{MARGIN_SIDE}" w:bottom="{MARGIN_BOTTOM}" '
        f'w:left="{MARGIN_SIDE}" w:header="709" w:footer="624" w:gutter="0"/>',
        f'<w:cols {nsdecls("w")} w:space="708"/>',
        f'<w:docGrid {nsdecls("w")} w:linePitch="360"/>',
    ):
        sect.append(parse_xml(xml))


def _core_properties(document) -> None:
    fixed = datetime(2024, 1, 1, tzinfo=timezone.utc)
    props = document.core_properties
    props.title = "slagen reference styles"
    props.author = props.last_modified_by = "slagen"
    props.subject = props.keywords = props.comments = props.category = ""
    props.created = props.modified = fixed
    props.revision = 1
    last_printed = props._element.find(qn("cp:lastPrinted"))
    if last_printed is not None:
        props._element.remove(last_printed)


def reference_docx(brand: Brand) -> bytes:
    """The reference document for ``brand`` (cached: a render builds it once per brand)."""
    return _build(brand.primary_colour, brand.accent_colour, brand.body_font.family, brand.heading_font.family,
                  brand.cover_layout)


@lru_cache(maxsize=4)
def _build(primary: str, accent: str, body_font: str, heading_font: str, cover_layout: str) -> bytes:
    from slagen.library.brand import Font
    from slagen.writers.docx_package import stable_zip

    brand = Brand(primary_colour=primary, accent_colour=accent, body_font=Font(body_font, ()),
                  heading_font=Font(heading_font, ()), cover_layout=cover_layout)
    document = docx.Document()
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _replace_styles(document, brand)
    _replace_numbering(document)
    _drop_unused_parts(document)
    _page(document)
    _core_properties(document)
    savepreview = document.settings.element.find(qn("w:savePreviewPicture"))
    if savepreview is not None:  # the thumbnail part is gone
        document.settings.element.remove(savepreview)
    for element in (document.element, document.styles.element, document.settings.element):
        _strip_rsids(element)
    buffer = BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue())
