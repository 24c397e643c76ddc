"""Word fields as complex fields (fldChar begin / instrText / separate / result / end).

Complex fields rather than ``w:fldSimple``: Word and LibreOffice both read them, the TOC
needs one (it holds paragraphs of result), and ``w:dirty`` on the begin marker asks Word to
recompute the field when the document opens.
"""

from __future__ import annotations

from docx.oxml.ns import qn

# Level 1 only (clauses and annexes), like the PDF's contents list; \u takes in the annex
# headings, whose style has outline level 1.
TOC_INSTRUCTION = ' TOC \\o "1-1" \\h \\z \\u '
TOC_PLACEHOLDER = "Right-click to update the table of contents."

_R, _T, _FLD, _INSTR = qn("w:r"), qn("w:t"), qn("w:fldChar"), qn("w:instrText")
_HYPERLINK, _ANCHOR, _HISTORY, _TAB = qn("w:hyperlink"), qn("w:anchor"), qn("w:history"), qn("w:tab")
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


def add_toc(paragraph, entries=(), new_paragraph=None) -> None:
    """The TOC field over level-1 headings, its result already filled in with ``entries``.

    ``entries`` are (number, title, bookmark, page) for each clause and annex, in order; each
    becomes a paragraph of the field's result, as Word writes it: a link to the heading's
    bookmark holding the number, a tab, the title, a tab and a PAGEREF field whose result is
    the page (estimated by the caller; Word recomputes it when it updates the field). So the
    contents show in every reader at once and are still a real TOC that Word can update.
    ``new_paragraph()`` makes the next result paragraph. ``\\h`` hyperlinks the entries, ``\\z``
    hides page numbers in web view, ``\\u`` uses the paragraphs' outline levels.
    """
    _fld_char(paragraph, "begin", dirty=not entries)
    _text(_run(paragraph), TOC_INSTRUCTION, _INSTR)
    _fld_char(paragraph, "separate")
    if not entries:
        _text(_run(paragraph), TOC_PLACEHOLDER)
        _fld_char(paragraph, "end")
        return
    current = paragraph
    for i, (number, title, bookmark, page) in enumerate(entries):
        if i:
            current = new_paragraph()
        link = current.makeelement(_HYPERLINK, {_ANCHOR: bookmark, _HISTORY: "1"})
        current.append(link)
        if number:
            _text(_run(link), number)
            if number.endswith("\u2014"):  # "Annex A —": the annex title follows after a space
                _text(_run(link), " ")
            else:
                _run(link).append(link.makeelement(_TAB, {}))
        _text(_run(link), title)
        _run(link).append(link.makeelement(_TAB, {}))
        add_field(link, f"PAGEREF {bookmark} \\h", str(page) if page else "")
    _fld_char(current, "end")


def add_page_x_of_y(paragraph) -> None:
    """"Page {PAGE} of {NUMPAGES}" -- every word processor recomputes these on layout."""
    add_text(paragraph, "Page ")
    add_field(paragraph, "PAGE", "1")
    add_text(paragraph, " of ")
    add_field(paragraph, "NUMPAGES", "1")
