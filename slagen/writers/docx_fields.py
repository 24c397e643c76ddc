"""Word fields as complex fields (fldChar begin / instrText / separate / result / end).

Complex fields rather than ``w:fldSimple``: Word and LibreOffice both read them, the TOC
needs one (it holds paragraphs of result), and ``w:dirty`` on the begin marker asks Word to
recompute the field when the document opens.
"""

from __future__ import annotations

from docx.oxml.ns import qn

TOC_INSTRUCTION = ' TOC \\o "1-3" \\h \\z \\u '
TOC_PLACEHOLDER = "Right-click to update the table of contents."

_R, _T, _FLD, _INSTR = qn("w:r"), qn("w:t"), qn("w:fldChar"), qn("w:instrText")
_TYPE, _DIRTY, _SPACE = qn("w:fldCharType"), qn("w:dirty"), "{http://www.w3.org/XML/1998/namespace}space"


def _run(paragraph):
    run = paragraph.makeelement(_R, {})
    paragraph.append(run)
    return run


def _fld_char(paragraph, kind: str, dirty: bool = False) -> None:
    attrs = {_TYPE: kind}
    if dirty:
        attrs[_DIRTY] = "true"
    run = _run(paragraph)
    run.append(run.makeelement(_FLD, attrs))


def _text(run, text: str, tag: str = _T) -> None:
    t = run.makeelement(tag, {_SPACE: "preserve"})
    t.text = text
    run.append(t)


def add_field(paragraph, instruction: str, result: str, *, dirty: bool = False) -> None:
    """Append a complex field (e.g. ``PAGE``) showing ``result`` until it is updated."""
    _fld_char(paragraph, "begin", dirty)
    _text(_run(paragraph), f" {instruction.strip()} ", _INSTR)
    _fld_char(paragraph, "separate")
    _text(_run(paragraph), result)
    _fld_char(paragraph, "end")


def add_text(paragraph, text: str) -> None:
    _text(_run(paragraph), text)


def add_toc(paragraph) -> None:
    """The TOC field over Heading 1-3 (and outline levels 1-3, so annexes are in it).

    ``\\h`` hyperlinks the entries, ``\\z`` hides page numbers in web view, ``\\u`` uses the
    paragraphs' outline levels. The placeholder is the field's result until the reader's word
    processor updates it (settings.xml's ``w:updateFields`` makes Word offer that on open).
    """
    add_field(paragraph, TOC_INSTRUCTION, TOC_PLACEHOLDER, dirty=True)


def add_page_x_of_y(paragraph) -> None:
    """"Page {PAGE} of {NUMPAGES}" -- every word processor recomputes these on layout."""
    add_text(paragraph, "Page ")
    add_field(paragraph, "PAGE", "1")
    add_text(paragraph, " of ")
    add_field(paragraph, "NUMPAGES", "1")
