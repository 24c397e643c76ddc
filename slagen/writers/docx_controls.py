"""What makes a slagen DOCX readable back: value controls, paragraph bookmarks, custom properties.

A customer edits the agreement in Word or LibreOffice and sends it back; :mod:`slagen.negotiate`
maps each edit to a contract value or a clause. For that the DOCX carries:

* each printed contract value (:class:`slagen.document.Value`) in an inline content control
  (ECMA-376 17.5.2, ``w:sdt``) whose ``w:tag`` is the value's path in the contract, inside a
  hidden bookmark ``_Slv<n>`` (n counts values in document order). Word keeps both through
  editing; LibreOffice 7.4 keeps the control but drops its tag when it saves, and keeps the
  bookmark, so the bookmark is what the reader relies on and the tag confirms it;
* a hidden bookmark ``_Slp<n>`` on every numbered paragraph without an anchor of its own;
* custom properties (docProps/custom.xml, ECMA-376 Part 1 22.3): the contract's reference, its
  version, the document's kind and a hash of its text (:func:`text_hash`), so a file that comes
  back is known to be this contract's, at this version, as slagen wrote it.

None of it is visible or printed: the PDF of the same tree is unchanged.
"""

from __future__ import annotations

import hashlib
from xml.sax.saxutils import escape, quoteattr

from docx.oxml.ns import qn
from lxml.etree import SubElement

from slagen.document import Value

VALUE_BOOKMARK = "_Slv"  # + the value's index in document order
PARAGRAPH_BOOKMARK = "_Slp"  # + the numbered paragraph's index in document order
PENDING = "slagen-pending"  # a bookmark id filled in by number_marks once the body is complete

PROPERTY_REFERENCE = "slagen.reference"
PROPERTY_VERSION = "slagen.version"
PROPERTY_KIND = "slagen.document"
PROPERTY_HASH = "slagen.text-sha256"

CUSTOM_PART = "/docProps/custom.xml"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
USER_PROPERTIES_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # ECMA-376: user-defined properties

W_P, W_R, W_T, W_TAB, W_BR, W_DELTEXT = (qn(t) for t in ("w:p", "w:r", "w:t", "w:tab", "w:br", "w:delText"))
W_BOOKMARK_START, W_BOOKMARK_END, W_ID, W_NAME, W_VAL = (
    qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:id"), qn("w:name"), qn("w:val")
)
W_PSTYLE = qn("w:pStyle")
CONTENTS_STYLES = frozenset({"TOCHeading", "TOC1", "TOC2", "TOC3"})
LONGEST_TOKEN_IN_A_CONTROL = 24  # characters without a space: the README's "long token" starts at 25


def inline_value(node: Value, p, bold: bool, write_run) -> None:
    """``node`` as bookmarkStart, ``w:sdt`` tagged with its path around its run, bookmarkEnd."""
    if not node.path:
        write_run(p, node.text, bold or node.bold, node.italic)
        return
    if any(len(word) > LONGEST_TOKEN_IN_A_CONTROL for word in node.text.split()):
        # LibreOffice 7.4 lays an inline content control out as one piece: a token longer than a
        # line (a URL, a name without spaces) inside one makes its layout loop while its memory
        # grows without bound. Such a value keeps its bookmark, which the reader relies on, and
        # goes without the control (and its tag, which only confirms the bookmark).
        SubElement(p, W_BOOKMARK_START, {W_ID: PENDING, W_NAME: VALUE_BOOKMARK})
        write_run(p, node.text, bold or node.bold, node.italic)
        SubElement(p, W_BOOKMARK_END, {W_ID: PENDING})
        return
    sdt = SubElement(p, qn("w:sdt"))
    pr = SubElement(sdt, qn("w:sdtPr"))
    SubElement(pr, qn("w:tag"), {W_VAL: node.path})
    SubElement(pr, qn("w:id"), {W_VAL: PENDING})
    # The bookmark inside the control: the paragraph's own bookmark ends are moved to its end
    # by the writer (docx._close_bookmarks), which must not carry this one's end along.
    content = SubElement(sdt, qn("w:sdtContent"))
    SubElement(content, W_BOOKMARK_START, {W_ID: PENDING, W_NAME: VALUE_BOOKMARK})
    write_run(content, node.text, bold or node.bold, node.italic)
    SubElement(content, W_BOOKMARK_END, {W_ID: PENDING})


def paragraph_bookmark(p) -> None:
    """Bookmark a numbered paragraph that has no anchor (its ends are numbered later)."""
    ppr = p.find(qn("w:pPr"))
    start = p.makeelement(W_BOOKMARK_START, {W_ID: PENDING, W_NAME: PARAGRAPH_BOOKMARK})
    p.insert(1 if ppr is not None else 0, start)
    SubElement(p, W_BOOKMARK_END, {W_ID: PENDING})


def number_marks(body, first_id: int) -> int:
    """Give the pending bookmarks and controls their ids and names, in document order.

    Done once the body is complete so the numbers follow the document, whatever order the
    writer built it in; returns the next free bookmark id.
    """
    next_id, counts = first_id, {VALUE_BOOKMARK: 0, PARAGRAPH_BOOKMARK: 0}
    open_ids: list[str] = []
    for el in body.iter(W_BOOKMARK_START, W_BOOKMARK_END, qn("w:id")):
        if el.get(W_ID) != PENDING and el.get(W_VAL) != PENDING:
            continue
        if el.tag == W_BOOKMARK_START:
            kind = el.get(W_NAME)
            el.set(W_ID, str(next_id))
            el.set(W_NAME, f"{kind}{counts[kind]}")
            counts[kind] += 1
            open_ids.append(str(next_id))
            next_id += 1
        elif el.tag == W_BOOKMARK_END:
            # bookmarks of one paragraph nest: a value's end comes before its paragraph's
            el.set(W_ID, open_ids.pop())
        else:  # the control's own id (it comes before its bookmark): any unique number
            el.set(W_VAL, str(counts[VALUE_BOOKMARK] + 1))
    return next_id


def paragraph_text(p) -> str:
    """A paragraph's text as sent: w:t, and w:delText (text a revision removes), tabs and breaks.

    The reader (:mod:`slagen.negotiate.reader`) reads a paragraph's as-sent text the same way.
    """
    out = []
    for el in p.iter(W_T, W_TAB, W_BR, W_DELTEXT):
        if el.tag in (W_T, W_DELTEXT):
            out.append(el.text or "")
        elif el.tag == W_TAB:
            out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


def is_contents(p) -> bool:
    style = p.find(f"{qn('w:pPr')}/{W_PSTYLE}")
    return style is not None and style.get(W_VAL) in CONTENTS_STYLES


def text_hash(paragraphs) -> str:
    """The SHA-256 of the document's clause text: every paragraph but the contents, one a line.

    The contents list is left out because Word and LibreOffice may rebuild it when they open
    the file; its text is the clauses' titles and page numbers, which says nothing new.
    """
    digest = hashlib.sha256()
    for text in paragraphs:
        digest.update(text.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def body_paragraph_texts(elements) -> list[str]:
    """The texts of the paragraphs among ``elements`` (body children, tables' cells included)."""
    out = []
    for element in elements:
        for p in ([element] if element.tag == W_P else element.iter(W_P)):
            if not is_contents(p):
                out.append(paragraph_text(p))
    return out


def custom_properties_xml(properties: list[tuple[str, str]]) -> bytes:
    lines = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             f'<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}">']
    for pid, (name, value) in enumerate(properties, 2):  # pid 2 is the first a user property may take
        lines.append(f'<property fmtid="{USER_PROPERTIES_FMTID}" pid="{pid}" name={quoteattr(name)}>'
                     f'<vt:lpwstr>{escape(value)}</vt:lpwstr></property>')
    lines.append("</Properties>")
    return "".join(lines).encode("utf-8")


def add_custom_properties(wdoc, properties: list[tuple[str, str]]) -> None:
    """docProps/custom.xml with ``properties``, related from the package like Word relates it."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = wdoc.part.package
    part = Part(PackURI(CUSTOM_PART), CUSTOM_TYPE, custom_properties_xml(properties), package)
    package.relate_to(part, CUSTOM_REL)


def readback_properties(document, paragraphs: list[str]) -> list[tuple[str, str]]:
    """The custom properties of a contract's document; none for a document of no contract."""
    reference = document.metadata.get("agreement_reference", "")
    if not reference:
        return []
    version = document.metadata.get("agreement_version") or (document.cover.version if document.cover else "")
    return [(PROPERTY_REFERENCE, reference), (PROPERTY_VERSION, version), (PROPERTY_KIND, document.kind),
            (PROPERTY_HASH, text_hash(paragraphs))]
