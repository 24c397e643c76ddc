"""The DOCX writer: a Document tree -> the bytes of a .docx, on a reference document built from the brand.

    from slagen.writers.docx import write_docx
    data = write_docx(document)            # bytes; same tree, same bytes

It walks the tree and nothing else. Rendering is a table of small functions keyed by node type
(``_BLOCKS`` and ``_INLINES``), as markdown-it-py renderers are; a new node type is one new
function here. Paragraphs, tables and runs are built as WordprocessingML elements directly
(python-docx's per-paragraph style look-ups by name would dominate the time of a long
agreement); python-docx opens the reference document, makes the header and footer parts, sets
the core properties and saves.

* Headings: Heading 1-3 carry ``w:numPr`` to ONE multi-level list (docx_numbering), so Word
  and LibreOffice number them 1 / 1.1 / 1.1.1 and the TOC shows the numbers. Section depth
  gives the level (deeper than 3 stays at 3); an unnumbered section (and what it holds) gets
  ``numId 0``; an annex uses the Annex Heading style (its own lettered list, page break
  before) and its subsections are numbered A.1, A.1.1.
* Determinism: the zip python-docx saves carries the clock in every entry; :func:`stable_zip`
  rewrites it with fixed entry times, attributes and compression, in python-docx's entry
  order. Core-property dates come from ``Document.date``.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import Callable

import docx as python_docx
from lxml.etree import SubElement as _SubElement
from docx.oxml.ns import qn

from slagen.library.brand import Brand
from slagen.document import (
    Reference,
    numbers,
    Cover,
    Document,
    Figure,
    LineBreak,
    ListBlock,
    PageBreak,
    Paragraph,
    Run,
    Section,
    SignatureBlock,
    Table,
    TableOfContents,
    Value,
)
from slagen.writers import docx_controls as controls
from slagen.writers import docx_fields as fields
from slagen.writers import docx_numbering as numbering
from slagen.writers.docx_package import stable_zip  # noqa: F401 (the redline writer uses it as w.stable_zip)
from slagen.writers.reference_docx import TEXT_WIDTH  # twips between the A4 page's margins

# Page sizes in twips (twentieths of a point); other papers keep the reference document's margins.
PAPER_TWIPS = {"a4": (11906, 16838), "letter": (12240, 15840)}
LAST_MODIFIED_BY = "slagen"

SUBJECT_TO_CONTRACT = "Subject to contract"
# Where a sub-clause's text starts: the hanging indent of level 2 of the heading list (12.1).
SUBCLAUSE_INDENT = 709
ANNEX_SUBCLAUSE_INDENT = 851  # level 3 of the annex list (B.2.1)
PARAGRAPH_STYLES = {"body": None, "note": "Note", "centered": "Centered"}  # None: Normal

# Qualified names, computed once: the writer builds thousands of elements.
W_P, W_PPR, W_PSTYLE, W_R, W_RPR, W_T, W_B, W_I, W_BR, W_TAB = (
    qn(t) for t in ("w:p", "w:pPr", "w:pStyle", "w:r", "w:rPr", "w:t", "w:b", "w:i", "w:br", "w:tab")
)
W_NUMPR, W_ILVL, W_NUMID, W_SPACING, W_BEFORE = (
    qn("w:numPr"), qn("w:ilvl"), qn("w:numId"), qn("w:spacing"), qn("w:before")
)
W_TBL, W_TBLPR, W_TBLSTYLE, W_TBLW, W_TBLLAYOUT, W_TBLLOOK = (
    qn(t) for t in ("w:tbl", "w:tblPr", "w:tblStyle", "w:tblW", "w:tblLayout", "w:tblLook")
)
W_TBLGRID, W_GRIDCOL, W_TR, W_TRPR, W_TBLHEADER, W_CANTSPLIT, W_TC, W_TCPR, W_TCW = (
    qn(t)
    for t in (
        "w:tblGrid", "w:gridCol", "w:tr", "w:trPr", "w:tblHeader", "w:cantSplit", "w:tc", "w:tcPr", "w:tcW",
    )
)
W_VAL, W_W, W_TYPE = qn("w:val"), qn("w:w"), qn("w:type")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# Characters XML 1.0 cannot hold at all; they become U+FFFD rather than failing the render.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPECIAL = re.compile("[\t\n\r]")


class _Context:
    """What a block's rendering depends on besides the block: where it sits in the tree."""

    __slots__ = ("numbering", "next_num", "level", "annex", "numbered", "list_level", "part", "bookmarks",
                 "next_bookmark", "in_clause", "toc", "indent")

    def __init__(self, numbering_element, part=None):
        self.bookmarks: set[str] = set()  # ids of the places bookmarked so far (sections, anchors)
        self.next_bookmark = 0
        self.in_clause = False  # directly in the body of a top-level clause: sub-clauses are numbered
        self.toc: list[tuple[str, str, str, int | None]] = []  # the contents, filled in by write_docx
        self.indent = 0  # twips: lists and continuations in a clause with sub-clauses sit under their text
        self.numbering = numbering_element
        self.part = part  # the document part: figures add their image parts to it
        self.next_num = numbering.FIRST_FREE_NUM
        self.level = 1  # heading level of the next Section
        self.annex = False  # inside an annex: subsections are A.1, A.1.1
        self.numbered = True
        self.list_level = -1  # -1 outside lists; 0.. nesting depth inside


# --------------------------------------------------------------------------------------------
# Elements


def _sub(parent, tag, attrs=None):
    return _SubElement(parent, tag, attrs) if attrs else _SubElement(parent, tag)


def _paragraph(parent, style: str | None = None):
    after_table = len(parent) and parent[-1].tag == W_TBL
    p = _sub(parent, W_P)
    if style or after_table:
        ppr = _sub(p, W_PPR)
        if style:
            _sub(ppr, W_PSTYLE, {W_VAL: style})
        if after_table:  # styles put no space above a paragraph; a table needs some below it
            _sub(ppr, W_SPACING, {W_BEFORE: "160"})
    return p


def _ppr(p):
    ppr = p.find(W_PPR)
    if ppr is None:
        ppr = p.makeelement(W_PPR, {})
        p.insert(0, ppr)
    return ppr


def _indent(p, left: int, hanging: int = 0) -> None:
    """A direct indent (w:ind is the last pPr child the writer ever sets, after w:spacing)."""
    attrs = {qn("w:left"): str(left)}
    if hanging:
        attrs[qn("w:hanging")] = str(hanging)
    _sub(_ppr(p), qn("w:ind"), attrs)


def _numpr(p, num_id: int, ilvl: int = 0) -> None:
    # CT_PPr is a sequence: pStyle, ..., numPr, ..., spacing
    ppr = _ppr(p)
    numpr = ppr.makeelement(W_NUMPR, {})
    ppr.insert(1 if len(ppr) and ppr[0].tag == W_PSTYLE else 0, numpr)
    _sub(numpr, W_ILVL, {W_VAL: str(ilvl)})
    _sub(numpr, W_NUMID, {W_VAL: str(num_id)})


def bookmark_name(target: str) -> str:
    """A Word bookmark name for a section id or anchor: hidden (leading '_'), at most 40 characters.

    A hash, not the id: ids may be longer than Word allows or hold characters it refuses,
    and the same id always gives the same name, so the same document gives the same bytes.
    """
    import hashlib

    return "_Ref" + hashlib.sha1(target.encode("utf-8")).hexdigest()[:16]


def _bookmark(p, target: str, ctx: "_Context") -> None:
    """Bookmark the whole paragraph ``p`` (its runs so far and any added later are inside)."""
    if not target or target in ctx.bookmarks:
        return
    ctx.bookmarks.add(target)
    ident = str(ctx.next_bookmark)
    ctx.next_bookmark += 1
    start = p.makeelement(qn("w:bookmarkStart"), {qn("w:id"): ident, qn("w:name"): bookmark_name(target)})
    ppr = p.find(W_PPR)
    p.insert(1 if ppr is not None else 0, start)
    _sub(p, qn("w:bookmarkEnd"), {qn("w:id"): ident})


def _close_bookmarks(p) -> None:
    """Move bookmark ends to the end of ``p``, after runs written since the bookmark was opened."""
    for end in p.findall(qn("w:bookmarkEnd")):
        p.remove(end)
        p.append(end)


def _add_text(run, text: str) -> None:
    t = _sub(run, W_T)
    if text != text.strip():
        t.set(XML_SPACE, "preserve")
    t.text = text


def _run(p, text: str, bold: bool = False, italic: bool = False) -> None:
    if _NOT_XML.search(text):
        text = _NOT_XML.sub("\ufffd", text)
    r = _sub(p, W_R)
    if bold or italic:
        rpr = _sub(r, W_RPR)
        if bold:
            _sub(rpr, W_B)
        if italic:
            _sub(rpr, W_I)
    if not _SPECIAL.search(text):
        _add_text(r, text)
        return
    # Tabs and newlines inside a run are Word elements, not characters.
    for piece in re.split("(\t|\r\n|\n|\r)", text):
        if piece == "\t":
            _sub(r, W_TAB)
        elif piece in ("\n", "\r\n", "\r"):
            _sub(r, W_BR)
        elif piece:
            _add_text(r, piece)


# --------------------------------------------------------------------------------------------
# Inlines


def _inline_run(node: Run, p, bold: bool) -> None:
    _run(p, node.text, bold or node.bold, node.italic)


def _inline_break(node: LineBreak, p, bold: bool) -> None:
    _sub(_sub(p, W_R), W_BR)


_PARAGRAPH_NUMBER = re.compile(r"(?:\d+|[A-Z]+)(?:\.\d+)*\Z")  # 12, 12.3, A.1: what REF \\w reproduces


def _inline_reference(node: Reference, p, bold: bool) -> None:
    """'clause ' as text, then a REF field to the target's bookmark whose result is the number.

    ``\\w`` asks for the paragraph number in full context (12.3), ``\\h`` makes it a link; the
    result is already filled in, so every reader shows it without updating fields.
    """
    if not node.target or not node.number or not node.text.endswith(node.number):
        _run(p, node.text, bold or node.bold, node.italic)
        return
    prefix = node.text[: len(node.text) - len(node.number)]
    if prefix:
        _run(p, prefix, bold or node.bold, node.italic)
    if not _PARAGRAPH_NUMBER.match(node.number):
        # "Annex A" or a limb "12.3(b)": Word's \\w would give "Annex A —" or "(b)" on its own, so
        # the number is printed as it is, linked to its bookmark
        link = _sub(p, qn("w:hyperlink"), {qn("w:anchor"): bookmark_name(node.target)})
        _run(link, node.number, bold or node.bold, node.italic)
        return
    fields.add_field(p, f"REF {bookmark_name(node.target)} \\w \\h", node.number)


_INLINES: dict[type, Callable] = {Run: _inline_run, LineBreak: _inline_break, Reference: _inline_reference,
                                  Value: lambda node, p, bold: controls.inline_value(node, p, bold, _run)}


def _inlines(p, inlines, bold: bool = False) -> None:
    for inline in inlines:
        _INLINES[type(inline)](inline, p, bold)


# --------------------------------------------------------------------------------------------
# Blocks


def _render_paragraph(node: Paragraph, parent, ctx: _Context) -> None:
    style = PARAGRAPH_STYLES.get(node.style)
    if ctx.list_level >= 0 and style is None:
        style = "ListContinue"  # a second paragraph in a list item, aligned with the text
    elif ctx.in_clause and style is None and not node.numbered and _follows_list(parent):
        style = "ListContinue"  # the end of a sentence a list interrupted
    p = _paragraph(parent, style)
    if style == "ListContinue" and ctx.indent and ctx.list_level < 0:
        _indent(p, ctx.indent)
    if node.numbered and ctx.in_clause:
        # The level below the clause's heading in its list: Word numbers it 12.1 under Heading 1
        # "12", and B.2.1 under the annex clause "B.2".
        if ctx.annex:
            _numpr(p, numbering.ANNEX_NUM, 2)
        else:
            _numpr(p, numbering.HEADING_NUM, 1)
    _bookmark(p, node.anchor, ctx)
    if node.numbered and not node.anchor:
        controls.paragraph_bookmark(p)  # every sub-clause can be found in a file that comes back
    _inlines(p, node.inlines)
    _close_bookmarks(p)


def _follows_list(parent) -> bool:
    if not len(parent) or parent[-1].tag != W_P:
        return False
    style = parent[-1].find(f"{W_PPR}/{W_PSTYLE}")
    return style is not None and style.get(W_VAL) in ("ListNumber", "ListBullet")


def _render_section(node: Section, parent, ctx: _Context) -> None:
    saved = (ctx.level, ctx.annex, ctx.numbered)
    numbered = ctx.numbered and node.numbered
    if node.annex:
        p = _paragraph(parent, numbering.ANNEX_STYLE)
        if not numbered:
            _numpr(p, 0)
        ctx.annex, ctx.level = True, 2
    else:
        level = min(ctx.level, 3)
        p = _paragraph(parent, numbering.HEADING_STYLES[level - 1])
        if not numbered:
            _numpr(p, 0)  # numId 0: no number, still a heading (and in the TOC)
        elif ctx.annex:
            _numpr(p, numbering.ANNEX_NUM, level - 1)
        ctx.level += 1
    ctx.numbered = numbered
    _bookmark(p, node.id, ctx)
    _run(p, node.title)
    _close_bookmarks(p)
    in_clause, indent = ctx.in_clause, ctx.indent
    # Sub-clauses are numbered in a clause of the body (level 1) and a clause of an annex
    # (level 2 under the annex heading): 12.3 / B.2.3.
    ctx.in_clause = numbered and not node.annex and saved[0] == (2 if saved[1] else 1)
    has_subclauses = any(type(c) is Paragraph and c.numbered for c in node.children)
    ctx.indent = ((ANNEX_SUBCLAUSE_INDENT if ctx.annex else SUBCLAUSE_INDENT)
                  if ctx.in_clause and has_subclauses else 0)
    first = len(parent)
    _blocks(node.children, parent, ctx)
    if len(node.children) > 1 and type(node.children[0]) is Paragraph and parent[first].tag == W_P:
        # as print.css does: the heading, its first sentence and the start of what follows (a
        # table's first row, a list's first item) share a page
        _keep_with_next(parent[first])
    ctx.level, ctx.annex, ctx.numbered = saved
    ctx.in_clause, ctx.indent = in_clause, indent


def _render_list(node: ListBlock, parent, ctx: _Context) -> None:
    ctx.list_level += 1
    # A lettered list starts at the "(a)" level of the ordered-list definition: (a), then (i).
    ilvl = min(ctx.list_level + (1 if node.lettered else 0), numbering.MAX_LEVELS - 1)
    if node.ordered:
        num_id = ctx.next_num
        ctx.next_num += 1
        numbering.add_list_instance(ctx.numbering, num_id, numbering.DECIMAL_ABSTRACT, numbering.MAX_LEVELS)
        style = "ListNumber"
    else:
        num_id, style = numbering.BULLET_NUM, "ListBullet"
    for item in node.items:
        rest = item
        p = _paragraph(parent, style)
        _numpr(p, num_id, ilvl)
        if ctx.indent:  # under the sub-clause's text, not under its number
            _indent(p, ctx.indent + 425 * (ctx.list_level + 1), 425)
        if item and type(item[0]) is Paragraph:
            _bookmark(p, item[0].anchor, ctx)
            _inlines(p, item[0].inlines)
            _close_bookmarks(p)
            rest = item[1:]
        _blocks(rest, parent, ctx)
    ctx.list_level -= 1


def _width_twips(widths: tuple[float, ...], columns: int) -> list[int]:
    weights = list(widths[:columns]) if len(widths) >= columns else []
    if not weights or any(w <= 0 for w in weights):
        weights = [1.0] * columns
    total = sum(weights)
    twips = [int(TEXT_WIDTH * w / total) for w in weights]
    twips[-1] += TEXT_WIDTH - sum(twips)  # the rounding goes to the last column
    return twips


def _table(parent, style: str, twips: list[int]):
    if len(parent) and parent[-1].tag == W_TBL:
        _paragraph(parent)  # Word merges two tables that touch
    tbl = _sub(parent, W_TBL)
    tblpr = _sub(tbl, W_TBLPR)
    _sub(tblpr, W_TBLSTYLE, {W_VAL: style})
    _sub(tblpr, W_TBLW, {W_W: str(sum(twips)), W_TYPE: "dxa"})
    _sub(tblpr, W_TBLLAYOUT, {W_TYPE: "fixed"})
    _sub(tblpr, W_TBLLOOK, {W_VAL: "04A0", qn("w:firstRow"): "1", qn("w:lastRow"): "0",
                           qn("w:firstColumn"): "0", qn("w:lastColumn"): "0",
                           qn("w:noHBand"): "1", qn("w:noVBand"): "1"})
    grid = _sub(tbl, W_TBLGRID)
    for w in twips:
        _sub(grid, W_GRIDCOL, {W_W: str(w)})
    return tbl


def _row(tbl, header: bool = False):
    tr = _sub(tbl, W_TR)
    trpr = _sub(tr, W_TRPR)
    _sub(trpr, W_CANTSPLIT)
    if header:
        _sub(trpr, W_TBLHEADER)  # repeats at the top of every page the table spans
    return tr


def _cell(tr, width: int, style: str | None = "TableText"):
    tc = _sub(tr, W_TC)
    _sub(_sub(tc, W_TCPR), W_TCW, {W_W: str(width), W_TYPE: "dxa"})
    return _paragraph(tc, style)


def _render_table(node: Table, parent, ctx: _Context) -> None:
    columns = max([len(node.header)] + [len(r) for r in node.rows]) or 1
    twips = _width_twips(node.widths, columns)
    if node.caption:
        _run(_paragraph(parent, "Caption"), node.caption)
    tbl = _table(parent, "slagenTable", twips)
    for cells, header in ([(node.header, True)] if node.header else []) + [(r, False) for r in node.rows]:
        tr = _row(tbl, header)
        for i, width in enumerate(twips):
            p = _cell(tr, width)
            if i < len(cells):
                _inlines(p, cells[i], bold=header)


def _render_toc(node: TableOfContents, parent, ctx: _Context) -> None:
    _run(_paragraph(parent, "TOCHeading"), node.title)
    fields.add_toc(_paragraph(parent, "TOC1"), ctx.toc, lambda: _paragraph(parent, "TOC1"))
    if ctx.toc:
        # The contents have a page to themselves, as in the PDF, so the page numbers estimated
        # from the PDF's layout fit the DOCX too.
        _render_page_break(PageBreak(), parent, ctx)


def toc_entries(document: Document, pages: dict[str, int]) -> list[tuple[str, str, str, int | None]]:
    """(number, title, bookmark, page) for each clause and annex: what Word's TOC would list."""
    found = numbers(document.blocks)
    entries = []
    for block in document.blocks:
        if isinstance(block, Section):
            number = found.get(block.id, "")
            if block.annex and number:
                number += " \u2014"  # as the annex heading's numbering writes it: "Annex A —"
            entries.append((number, block.title, bookmark_name(block.id), pages.get(block.id)))
    return entries


def _render_page_break(node: PageBreak, parent, ctx: _Context) -> None:
    _sub(_sub(_paragraph(parent), W_R), W_BR, {W_TYPE: "page"})


SIGNATURE_LINES = ("Signature", "Name", "Title", "Date")  # the PDF's words (writers/html.py)
SIGNATURE_RULE = "_" * 28


def _keep_with_next(p) -> None:
    ppr = _ppr(p)
    if ppr.find(qn("w:keepNext")) is None:
        # CT_PPr: pStyle, keepNext, ...
        ppr.insert(1 if len(ppr) and ppr[0].tag == W_PSTYLE else 0, ppr.makeelement(qn("w:keepNext"), {}))


def _render_signatures(node: SignatureBlock, parent, ctx: _Context) -> None:
    if not node.parties:
        return
    if len(parent) and parent[-1].tag == W_P:
        _keep_with_next(parent[-1])  # the sentence leading in stays on the page of the signatures
    twips = _width_twips((), 2)
    tbl = _table(parent, "slagenPlainTable", twips)
    for start in range(0, len(node.parties), 2):
        tr = _row(tbl)
        for i, width in enumerate(twips):
            p = _cell(tr, width, "SignatureText")
            if start + i >= len(node.parties):
                continue
            party = node.parties[start + i]
            if node.heading:  # the law's words before the party's name, on a line of their own as in the PDF
                _run(p, node.heading)
                _sub(_sub(p, W_R), W_BR)
            _run(p, party)
            tc = p.getparent()
            _keep_with_next(p)
            for label in ((node.signature_label,) + SIGNATURE_LINES[1:] if node.signature_label else SIGNATURE_LINES):
                # A tab to a fixed stop, then underscores: the lines start and end together
                # and survive every converter (a tab leader is lost by some).
                line = _paragraph(tc, "SignatureLine")
                _run(line, f"{label}:\t{SIGNATURE_RULE}")
                _keep_with_next(line)  # every line kept with the next: the block never splits


def _render_figure(node: Figure, parent, ctx: _Context) -> None:
    from docx.shared import Cm

    inline = ctx.part.new_pic_inline(BytesIO(node.png), Cm(node.width_cm), None)
    if node.alt:
        inline.docPr.set("descr", node.alt)  # Word's alternative text, as the PDF's figure has it
    p = _paragraph(parent, "Centered")
    _sub(_sub(p, W_R), qn("w:drawing")).append(inline)
    if node.caption:
        _run(_paragraph(parent, "Caption"), node.caption)


_BLOCKS: dict[type, Callable] = {
    Paragraph: _render_paragraph,
    Section: _render_section,
    ListBlock: _render_list,
    Table: _render_table,
    TableOfContents: _render_toc,
    PageBreak: _render_page_break,
    SignatureBlock: _render_signatures,
    Figure: _render_figure,
}


def _blocks(blocks, parent, ctx: _Context) -> None:
    for block in blocks:
        _BLOCKS[type(block)](block, parent, ctx)


# --------------------------------------------------------------------------------------------
# Cover, header, footer, properties


def format_date(value: date, language: str = "en-GB") -> str:
    """'1 January 2027' (en-GB), 'January 1, 2027' (en-US): the same form as the document's body."""
    from slagen.calendar.locale_style import format_long_date

    return format_long_date(value, language.replace("-", "_"))


def _render_logo(brand: Brand, body, part, alt: str = "Logo") -> None:
    """The brand's logo above the cover title, the size the PDF gives it."""
    from docx.shared import Cm

    if brand.logo is None:
        return
    p = _paragraph(body, "CoverLogo")
    width, height = Cm(brand.logo_width_cm), Cm(brand.logo_height_cm)
    if brand.logo.kind == "png":
        inline = part.new_pic_inline(BytesIO(brand.logo.data), width, height)
    else:
        from slagen.writers.docx_svg import svg_inline

        inline = svg_inline(part, brand.logo.data, width, height)
    inline.find(qn("wp:docPr")).set("descr", alt)  # alternative text, as the PDF's <img alt>
    _sub(_sub(p, W_R), qn("w:drawing")).append(inline)


def _render_cover(cover: Cover, body, language: str, brand: Brand | None = None, part=None,
                  logo_alt: str = "Logo") -> None:
    # The PDF's cover, line for line (slagen/writers/html.py): logo, DRAFT, subtitle, title,
    # parties, then reference, version, date and status.
    if brand is not None:
        _render_logo(brand, body, part, logo_alt)
    if cover.draft:
        _run(_paragraph(body, "DraftMark"), "DRAFT")
    if cover.subject_to_contract:
        _run(_paragraph(body, "CoverSubtitle"), cover.legend or SUBJECT_TO_CONTRACT, bold=True)
    if cover.subtitle:
        _run(_paragraph(body, "CoverSubtitle"), cover.subtitle)
    _run(_paragraph(body, "CoverTitle"), cover.title)
    if cover.parties:
        _run(_paragraph(body, "CoverText"), "between")
        for i, party in enumerate(cover.parties):
            if i:
                _run(_paragraph(body, "CoverText"), "and")
            _run(_paragraph(body, "CoverText"), party, bold=True)
    details = [(cover.reference_label, cover.reference), ("Version", cover.version),
               ("Date", format_date(cover.date, language))]
    if cover.shows_status:
        details.append(("Status", "Draft for discussion" if cover.draft else "Final"))
    for label, value in details:
        if value:
            _run(_paragraph(body, "CoverText"), f"{label}: {value}")
    _render_page_break(PageBreak(), body, None)


def _header_footer(document: Document, section, has_cover: bool, footer_text: str = "") -> None:
    header = section.header.paragraphs[0]._p
    from slagen.document import running_header

    _run(header, running_header(document))  # the PDF's words, centred as there
    footer = section.footer.paragraphs[0]._p
    if footer_text:  # the brand's footer text, before the page number as in the PDF
        _run(footer, f"{footer_text} \u00b7 ")
    fields.add_page_x_of_y(footer)
    if has_cover:  # the cover page has neither: a different first page with empty parts
        section.different_first_page_header_footer = True
        for part in (section.first_page_header, section.first_page_footer):
            part.is_linked_to_previous = False
            for p in part._element.iter(W_P):
                ppr = p.find(W_PPR)
                if ppr is not None:
                    p.remove(ppr)  # no Header style: its rule would show on the cover


def _core_properties(document: Document, props) -> None:
    when = datetime(document.date.year, document.date.month, document.date.day, tzinfo=timezone.utc)
    props.title = document.title[:255]
    props.subject = document.subject[:255]
    props.author = document.author[:255]
    props.keywords = ", ".join(document.keywords)[:255]
    props.category = document.kind[:255]
    props.identifier = document.reference[:255]
    props.version = (document.cover.version if document.cover else "")[:255]  # read back by the re-render warning
    props.language = document.language
    props.content_status = "Draft" if document.draft else ""
    props.last_modified_by = LAST_MODIFIED_BY
    props.created = props.modified = when
    props.revision = 1


_AFTER_UPDATE_FIELDS = tuple(
    qn(t)
    for t in (
        "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
        "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
        "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
        "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
        "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
    )
)


def _settings(document: Document, wdoc) -> None:
    settings = wdoc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        # Word offers to update fields (the TOC) on open. CT_Settings is a sequence:
        # updateFields goes before the first of the elements that follow it.
        update = settings.makeelement(qn("w:updateFields"), {W_VAL: "true"})
        for tag in _AFTER_UPDATE_FIELDS:
            anchor = settings.find(tag)
            if anchor is not None:
                anchor.addprevious(update)
                break
        else:
            settings.append(update)
    lang = wdoc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    if lang is not None:
        lang.set(W_VAL, document.language)


# --------------------------------------------------------------------------------------------
# Package


def _paper(section, paper: str) -> None:
    """Lay the section out on ``paper``, keeping the reference document's margins."""
    from docx.shared import Twips

    width, height = PAPER_TWIPS.get(paper, PAPER_TWIPS["a4"])
    section.page_width, section.page_height = Twips(width), Twips(height)


def write_docx(document: Document, *, reference: Path | bytes | None = None, brand: Brand | None = None,
               page_numbers: dict[str, int] | None = None) -> bytes:
    """The DOCX of ``document`` in the house style of ``brand`` (default: the packaged library's).

    ``reference`` replaces the reference document built from the brand (a .docx path or bytes).
    ``page_numbers`` (section id -> page) are the contents' page numbers, which a writer that
    lays out no pages cannot know: :func:`slagen.pipeline.render.render_documents` takes them from the
    PDF layout of the same document. Without them the contents list numbers and titles, and
    Word fills in the pages when it updates the field.
    """
    has_contents = any(isinstance(b, TableOfContents) for b in document.blocks)
    if brand is None:
        from slagen.library.folder import default_library

        brand = default_library().brand()
    if reference is None:
        from slagen.writers.reference_docx import reference_docx

        reference = reference_docx(brand)
    wdoc = python_docx.Document(BytesIO(reference if isinstance(reference, bytes) else Path(reference).read_bytes()))
    body = wdoc.element.body
    sect_pr = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not sect_pr:
            body.remove(child)

    ctx = _Context(wdoc.part.numbering_part.element, wdoc.part)
    if has_contents:
        ctx.toc = toc_entries(document, page_numbers or {})
    if document.cover is not None:
        from slagen.document import logo_text

        _render_cover(document.cover, body, document.language, brand, wdoc.part, logo_text(document))
    _blocks(document.blocks, body, ctx)
    ctx.next_bookmark = controls.number_marks(body, ctx.next_bookmark)
    readback = controls.readback_properties(document, controls.body_paragraph_texts(list(body)))
    if readback:
        controls.add_custom_properties(wdoc, readback)
    if sect_pr is not None:
        body.append(sect_pr)  # sectPr stays the body's last child

    _paper(wdoc.sections[0], document.paper)
    _header_footer(document, wdoc.sections[0], document.cover is not None, brand.footer_text)
    _core_properties(document, wdoc.core_properties)
    _settings(document, wdoc)
    from slagen.writers.docx_fonts import embed_fonts

    embed_fonts(wdoc, brand)  # the house font travels with the file (and subset, so it stays small)

    buffer = BytesIO()
    wdoc.save(buffer)
    return stable_zip(buffer.getvalue())
