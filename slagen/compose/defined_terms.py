"""The defined-terms check: every capitalised defined term used is defined, every one defined is used.

A term is defined where a reader expects it (the rule lawyers draft to):

* in the definitions clause, as a bold term (``- **Support Hours**: ...``);
* anywhere else, inline, as a bold title-cased term right after "(the", "(", "the" or "a"
  (``(the **Measurement Period**)``, ``each a **Party** and together the **Parties**``).

The library as a whole is the glossary: a term that some clause of the library defines, used
in a document where no clause defines it (because the defining clause was left out for this
contract), is an undefined term. A term defined in a document and never used there is dead
text that invites a reader to look for a meaning that does not matter. Both fail the render,
naming the term and the clause. Words in the singular include the plural: "Service" uses
"Services". A statement of work takes the agreement's definitions ("Words defined in the
Agreement have the same meanings here"), so there only its own definitions must be used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slagen.document import ListBlock, Paragraph, Run, Section, Table
from slagen.errors import SlagenError

DEFINITIONS_CLAUSE = "definitions"
_INLINE_LEAD = re.compile(r"(?:\(the|\(|\bthe|\ba)\s+[\"“]?\Z")
_TITLE_CASE = re.compile(r"[A-Z][A-Za-z]*(?:[ -](?:of|and|the|[A-Z][A-Za-z]*))*\Z")
# In clause source: a bold term after a defining lead, or any bold term in the definitions clause.
_SOURCE_INLINE = re.compile(r"(?:\(the|\(|\bthe|\ba)\s+[\"“]?\*\*([^*{}]+)\*\*")
_SOURCE_BOLD = re.compile(r"\*\*([^*{}]+)\*\*")


class DefinedTermError(SlagenError):
    """A capitalised defined term used without a definition, or defined and never used."""


@dataclass(frozen=True)
class Definition:
    term: str
    clause: str


def _is_term(value: str) -> bool:
    return bool(_TITLE_CASE.match(value.strip()))


def forms(term: str) -> tuple[str, ...]:
    """The forms a term is used in: itself, its plural, its singular."""
    out = {term, term + "s", term + "es"}
    if term.endswith("ies"):
        out.add(term[:-3] + "y")
    elif term.endswith("y"):
        out.add(term[:-1] + "ies")
    elif term.endswith("s"):
        out.add(term[:-1])
    return tuple(sorted(out, key=len, reverse=True))


def library_terms(library) -> set[str]:
    """Every term some clause of ``library`` defines, read from the clause sources."""
    terms: set[str] = set()
    for clause in library.clauses.values():
        pattern = _SOURCE_BOLD if clause.id == DEFINITIONS_CLAUSE else _SOURCE_INLINE
        terms.update(m.strip() for m in pattern.findall(clause.body) if _is_term(m))
    return terms


def agreement_terms(library) -> set[str]:
    """The terms the agreement's clauses define: a statement of work incorporates them."""
    terms: set[str] = set()
    for clause in library.clauses.values():
        if "agreement" in clause.documents:
            pattern = _SOURCE_BOLD if clause.id == DEFINITIONS_CLAUSE else _SOURCE_INLINE
            terms.update(m.strip() for m in pattern.findall(clause.body) if _is_term(m))
    return terms


def _paragraphs(blocks, clause: str):
    """(clause id, inlines) for every run of text in ``blocks``, table cells included."""
    for block in blocks:
        if isinstance(block, Section):
            yield from _paragraphs(block.children, clause or block.id)
        elif isinstance(block, Paragraph):
            yield clause, block.inlines
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _paragraphs(item, clause)
        elif isinstance(block, Table):
            # Header cells are labels ("Availability target"), capitalised as labels are, not uses.
            for cell in (c for row in block.rows for c in row):
                yield clause, cell


def _clauses(blocks):
    """(clause id, section) for each clause: top-level sections, and the clauses inside annexes."""
    for block in blocks:
        if isinstance(block, Section) and block.annex:
            for child in block.children:
                if isinstance(child, Section):
                    yield child.id, child
        elif isinstance(block, Section):
            yield block.id, block


def check_defined_terms(blocks, kind: str, library, sources: dict[str, str] | None = None) -> None:
    """Raise :class:`DefinedTermError` for the first undefined or unused term of the document."""
    sources = sources or {}
    defined: dict[str, Definition] = {}
    texts: list[tuple[str, str]] = []  # (clause, text with the defining runs taken out)
    for clause_id, section in _clauses(blocks):
        for _, inlines in _paragraphs(section.children, clause_id):
            parts, before = [], ""
            for inline in inlines:
                value = inline.text if isinstance(inline, Run) else "\n"
                defining = (isinstance(inline, Run) and inline.bold and _is_term(value)
                            and (clause_id == DEFINITIONS_CLAUSE or _INLINE_LEAD.search(before)))
                if defining:
                    defined.setdefault(value.strip(), Definition(value.strip(), clause_id))
                    parts.append(" \u2022 ")  # a definition is not a use of the term
                else:
                    parts.append(value)
                before = (before + value)[-12:]
            texts.append((clause_id, "".join(parts)))

    def first_use(term: str) -> str | None:
        pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in forms(term)) + r")(?![\w-])")
        return next((clause for clause, value in texts if pattern.search(value)), None)

    for definition in sorted(defined.values(), key=lambda d: d.term):
        if first_use(definition.term) is None:
            raise DefinedTermError(
                f"{sources.get(definition.clause, definition.clause)}: error: clause '{definition.clause}' defines "
                f"the term '{definition.term}', but the {kind} never uses it; remove the definition or put it under "
                f"the same condition as the text that uses it; nothing was written")
    known = {form for term in defined for form in forms(term)}
    incorporated = agreement_terms(library) if kind != "agreement" else set()
    for term in sorted(library_terms(library) - set(defined) - incorporated):
        if any(form in known for form in forms(term)):
            continue
        clause = first_use(term)
        if clause is not None:
            raise DefinedTermError(
                f"{sources.get(clause, clause)}: error: clause '{clause}' uses the defined term '{term}', but no "
                f"clause in this {kind} defines it (the clause that does is left out for this contract); define it, "
                f"or write the text without it; nothing was written")
