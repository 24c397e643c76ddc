"""The document tree: what every writer (DOCX, HTML/PDF, redline) walks, and nothing else.

Small frozen dataclasses, so a tree can be compared (review/diff), hashed and shared between
processes. Writers dispatch on the node's type through a table of small functions, one per
node type (as markdown-it-py renderers do), never through a long if/elif chain.

Text in the tree is always plain text: writers escape it for their format. Nothing in the
tree is ever evaluated as a template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Union


# --------------------------------------------------------------------------------------------
# Inline content


@dataclass(frozen=True)
class Run:
    """A stretch of text in one style."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class LineBreak:
    """A line break inside a paragraph (addresses, signature blocks)."""


@dataclass(frozen=True)
class Reference(Run):
    """A cross-reference by number: ``text`` is what a reader sees ("clause 12.3").

    A subclass of :class:`Run`, so everything that reads text (diff, plain_text, checks) reads
    it as text; writers dispatch on the exact type and make it a link (a REF field in Word).
    ``target`` is the id of the section or anchored paragraph it points at, ``number`` the part
    of ``text`` that is the target's number ("12.3"); both are empty until assembly resolves
    the reference (:mod:`slagen.compose.references`).
    """

    target: str = ""
    number: str = ""


@dataclass(frozen=True)
class Value(Run):
    """Text that prints one contract value ("30 minutes"); ``path`` is where it is in the contract.

    A subclass of :class:`Run`, so everything that reads text reads it as text and the PDF is
    the same with or without it; the DOCX writer wraps it in a content control tagged with the
    path (``priorities[0].response``) and a bookmark, so a customer's edit of it can be read
    back as an edit of that value (:mod:`slagen.negotiate`).
    """

    path: str = ""


Inline = Union[Run, LineBreak]


# --------------------------------------------------------------------------------------------
# Blocks


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``numbered`` makes it a sub-clause (12.3) of the clause that holds it.

    ``anchor`` is the id a cross-reference can point at (``clause-id#name``, from a
    ``[](#name)`` marker in the clause text); empty when nothing may refer to it.
    """

    inlines: tuple[Inline, ...]
    style: str = "body"  # body | note | centered
    numbered: bool = False
    anchor: str = ""


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list; each item is a tuple of blocks (usually one paragraph)."""

    items: tuple[tuple["Block", ...], ...]
    ordered: bool = False
    lettered: bool = False  # an ordered list inside a sub-clause: (a), (b), nested (i), (ii)


@dataclass(frozen=True)
class Table:
    """A table whose header row repeats on every page it spans."""

    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    id: str = ""
    caption: str = ""
    widths: tuple[float, ...] = ()  # relative column widths; empty means equal


@dataclass(frozen=True)
class Section:
    """A numbered (1 / 1.1 / 1.1.1) heading and what it holds.

    ``id`` is stable across renders (the clause id, or the outline's name for it), so two
    versions of a document can be compared section by section.
    """

    id: str
    title: str
    children: tuple["Block", ...]
    numbered: bool = True
    annex: bool = False  # annexes are lettered (Annex A) and start on a new page


@dataclass(frozen=True)
class TableOfContents:
    """Where the contents list goes; writers fill it (a TOC field in Word, target-counter in PDF)."""

    title: str = "Contents"


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class SignatureBlock:
    """Signature lines for each party: name, signatory, title, date."""

    parties: tuple[str, ...]
    # The words before each party's name, from the law data: "Signed for and on behalf of" in the UK
    # and Ireland; "" in the US, where the party's name stands alone above its signatory's lines.
    heading: str = "Signed for and on behalf of"
    signature_label: str = ""  # the first line's label, where the law's custom differs ("By" in the US)


@dataclass(frozen=True)
class Figure:
    """A chart: the same picture as SVG (for HTML/PDF, vector) and PNG (for DOCX), with a caption.

    The bytes are made by the caller (slagen.report.charts), deterministically, so the same
    input gives the same document bytes.
    """

    id: str
    caption: str
    svg: bytes
    png: bytes
    width_cm: float = 15.0
    alt: str = ""  # what the chart shows, in words: a screen reader's text for it (both writers)


Block = Union[Paragraph, ListBlock, Table, Section, TableOfContents, PageBreak, SignatureBlock, Figure]


# --------------------------------------------------------------------------------------------
# The document


@dataclass(frozen=True)
class Cover:
    """The cover page: title, parties, reference, version and date."""

    title: str
    subtitle: str
    parties: tuple[str, ...]
    reference: str
    version: str
    date: date
    draft: bool
    subject_to_contract: bool = False  # drafts say so: nothing binds until signed
    legend: str = ""  # the law's words for it ("Subject to contract"); "" for the writers' default

    # A report's cover names the agreement it reports on, and has no contract status to show
    reference_label: str = "Reference"
    shows_status: bool = True


@dataclass(frozen=True)
class Document:
    kind: str  # agreement | sow | report | redline
    title: str
    reference: str
    cover: Cover | None
    blocks: tuple[Block, ...]
    date: date  # from the contract, never the clock: same input, same bytes
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    language: str = "en-GB"
    draft: bool = False
    paper: str = "a4"  # a4 | letter: every writer lays the pages out on it
    metadata: dict = field(default_factory=dict, compare=False, hash=False)


def running_header(document: Document) -> str:
    """The line at the top of every page after the cover, the same in every writer:
    'NW-ACME-2027-01 · Managed IT Services Agreement · DRAFT'."""
    draft = document.draft or (document.cover is not None and document.cover.draft)
    return " · ".join(part for part in (document.reference, document.title, "DRAFT" if draft else "") if part)


def logo_text(document: Document) -> str:
    """The logo's alternative text, the same in every writer: whose logo it is."""
    return f"Logo of {document.author}" if document.author else "Logo"


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The text of a run of inlines, as a reader would copy it."""
    return "".join(i.text if isinstance(i, Run) else "\n" for i in inlines)


def text(value: str, *, bold: bool = False, italic: bool = False) -> tuple[Inline, ...]:
    """One run of plain text: the usual content of a table cell."""
    return (Run(value, bold=bold, italic=italic),)


LETTERS = "abcdefghijklmnopqrstuvwxyz"
ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv",
         "xvi", "xvii", "xviii", "xix", "xx")


def annex_letter(n: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    while True:
        n, r = divmod(n, 26)
        letters = chr(65 + r) + letters
        if n == 0:
            return letters
        n -= 1


def item_label(index: int, depth: int) -> str:
    """The label of item ``index`` (0-based) of a lettered list ``depth`` lists deep: a, i, A."""
    if depth % 3 == 0:
        return annex_letter(index).lower()
    if depth % 3 == 1:
        return ROMAN[index] if index < len(ROMAN) else str(index + 1)
    return annex_letter(index)


def numbers(blocks) -> dict[str, str]:
    """Every citable place -> its number, computed once for every writer and for references.

    Sections: '3', '3.2', 'Annex A', 'A.1' ('' when unnumbered). Sub-clauses (numbered
    paragraphs) share their clause's second level with any sub-headings: '3.1', '3.2'. An
    anchored list item of a lettered list is '3.2(b)'. Keys are section ids and anchors.
    """
    out: dict[str, str] = {}
    top = annexes = 0

    def items(lst: ListBlock, prefix: str, depth: int) -> None:
        for i, item in enumerate(lst.items):
            label = f"{prefix}({item_label(i, depth)})" if lst.lettered else prefix
            for block in item:
                if isinstance(block, Paragraph) and block.anchor:
                    out[block.anchor] = label
                elif isinstance(block, ListBlock):
                    items(block, label, depth + 1)

    def inner(children, prefix: str) -> None:
        n = 0
        last = prefix
        for child in children:
            if isinstance(child, Section):
                if child.numbered and prefix:
                    n += 1
                    out[child.id] = f"{prefix}.{n}"
                    inner(child.children, f"{prefix}.{n}")
                else:
                    out[child.id] = ""
                    inner(child.children, prefix)
            elif isinstance(child, Paragraph):
                if child.numbered and prefix:
                    n += 1
                    last = f"{prefix}.{n}"
                if child.anchor:
                    out[child.anchor] = last if child.numbered else prefix
            elif isinstance(child, ListBlock):
                items(child, last, 0)

    for block in blocks:
        if not isinstance(block, Section):
            continue
        if block.annex:
            letter = annex_letter(annexes)
            annexes += 1
            out[block.id] = f"Annex {letter}"
            inner(block.children, letter)
        elif block.numbered:
            top += 1
            out[block.id] = str(top)
            inner(block.children, str(top))
        else:
            out[block.id] = ""
            inner(block.children, "")
    return out


def walk(blocks: tuple[Block, ...]):
    """Every block in document order, depth first (sections before their children)."""
    for block in blocks:
        yield block
        if isinstance(block, Section):
            yield from walk(block.children)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from walk(item)
