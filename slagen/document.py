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


Inline = Union[Run, LineBreak]


# --------------------------------------------------------------------------------------------
# Blocks


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    style: str = "body"  # body | note | centered


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list; each item is a tuple of blocks (usually one paragraph)."""

    items: tuple[tuple["Block", ...], ...]
    ordered: bool = False


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
    release_note: str = ""  # set when a final document was released over a blocking legal review
    paper: str = "a4"  # a4 | letter: every writer lays the pages out on it
    metadata: dict = field(default_factory=dict, compare=False, hash=False)


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The text of a run of inlines, as a reader would copy it."""
    return "".join(i.text if isinstance(i, Run) else "\n" for i in inlines)


def text(value: str, *, bold: bool = False, italic: bool = False) -> tuple[Inline, ...]:
    """One run of plain text: the usual content of a table cell."""
    return (Run(value, bold=bold, italic=italic),)


def walk(blocks: tuple[Block, ...]):
    """Every block in document order, depth first (sections before their children)."""
    for block in blocks:
        yield block
        if isinstance(block, Section):
            yield from walk(block.children)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from walk(item)
