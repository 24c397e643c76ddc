"""The foreign-law check: no document speaks the law of a system other than its own.

A US agreement that cites the Late Payment of Commercial Debts (Interest) Act 1998, sends notices
"by recorded delivery" or calls insolvency "winding up" reads American on the surface and English
underneath. The library's law data (:mod:`slagen.library.law`) declares, per legal system and per
jurisdiction, the words that belong to it alone; this module reads every assembled document, the
clause overrides the contract types in included, and reports each clause that uses words owned
by another system or jurisdiction, naming the words. ``slagen review`` makes every hit blocking.

The words are matched as whole words and phrases, ignoring case and line breaks, so "VAT" does
not match "private" and "winding up" matches across a line break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from slagen.document import Cover, Document, ListBlock, Paragraph, Section, SignatureBlock, Table, plain_text


@dataclass(frozen=True)
class ForeignWords:
    """Words of another legal system found in one part of a document."""

    document: str  # agreement | sow
    clause: str  # the clause id ("cover" for the cover page)
    title: str
    words: tuple[str, ...]  # as the law data spells them, in the order they were declared
    owners: tuple[str, ...]  # the systems or jurisdictions they belong to (uk, GB-SCT, us ...)


@lru_cache(maxsize=512)
def _pattern(word: str) -> re.Pattern:
    # Whole words, any run of white space between them; a word ending in punctuation ("Act,")
    # needs no boundary after it.
    body = r"\s+".join(re.escape(part) for part in word.split())
    start = r"\b" if word[:1].isalnum() else ""
    end = r"\b" if word[-1:].isalnum() else ""
    return re.compile(f"{start}{body}{end}", re.IGNORECASE)


def _block_texts(block) -> list[str]:
    if isinstance(block, Paragraph):
        return [plain_text(block.inlines)]
    if isinstance(block, ListBlock):
        return [text for item in block.items for child in item for text in _block_texts(child)]
    if isinstance(block, Table):
        return [plain_text(cell) for row in (block.header, *block.rows) for cell in row]
    if isinstance(block, SignatureBlock):
        return [block.heading]
    return []


def clause_texts(document: Document) -> list[tuple[str, str, str]]:
    """(clause id, title, its text) for every part of the document, innermost clause first."""
    out: list[tuple[str, str, str]] = []
    if isinstance(document.cover, Cover):
        out.append(("cover", "Cover", "\n".join([document.cover.legend, document.cover.subtitle])))

    def visit(section: Section) -> None:
        own = [text for child in section.children if not isinstance(child, Section)
               for text in _block_texts(child)]
        out.append((section.id, section.title, "\n".join([section.title, *own])))
        for child in section.children:
            if isinstance(child, Section):
                visit(child)

    for block in document.blocks:
        if isinstance(block, Section):
            visit(block)
    return out


def find_foreign_words(document: Document, foreign: dict[str, tuple[str, ...]]) -> list[ForeignWords]:
    """Every clause of ``document`` using one of the ``foreign`` words ({owner: words})."""
    hits: list[ForeignWords] = []
    for clause, title, text in clause_texts(document):
        found: list[tuple[str, str]] = []
        for owner, words in foreign.items():
            for word in words:
                if word not in (w for w, _ in found) and _pattern(word).search(text):
                    found.append((word, owner))
        if found:
            owners = tuple(dict.fromkeys(owner for _, owner in found))
            hits.append(ForeignWords(document.kind, clause, title, tuple(w for w, _ in found), owners))
    return hits


def foreign_law_hits(document: Document, law_book, code: str) -> list[ForeignWords]:
    """The foreign-law check of one assembled document under the jurisdiction ``code``."""
    return find_foreign_words(document, law_book.foreign_words(code))
