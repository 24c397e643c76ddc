"""Cross-references by number: ``ref("clause-id")`` placeholders -> "clause 12", "clause 12.3(b)".

Clause text is rendered one clause at a time, before the document exists, so ``ref()`` leaves a
:class:`slagen.document.Reference` with a target and no text. Once the document is assembled
its numbers are known (:func:`slagen.document.numbers`, the same function the writers number
with), and this fills every reference in. A reference to a clause or mark that is not in the
document fails the render and names both clauses: a dangling "see clause" is worse than none.
"""

from __future__ import annotations

from dataclasses import replace

from slagen.document import ListBlock, Paragraph, Reference, Section, Table, numbers
from slagen.errors import SlagenError


class DanglingReferenceError(SlagenError):
    """A clause refers to a clause or mark that is not in the assembled document."""


def reference_text(number: str) -> str:
    """'12' / '12.3' -> 'clause 12.3'; 'Annex A' as it is; 'A.1' (inside an annex) -> 'paragraph A.1'."""
    if number.startswith("Annex"):
        return number
    if number[:1].isdigit():
        return f"clause {number}"
    return f"paragraph {number}"


def _map_inlines(block, fn):
    if isinstance(block, Paragraph):
        return replace(block, inlines=tuple(fn(i) for i in block.inlines))
    if isinstance(block, ListBlock):
        return replace(block, items=tuple(tuple(_map_inlines(b, fn) for b in item) for item in block.items))
    if isinstance(block, Table):
        cell = lambda c: tuple(fn(i) for i in c)  # noqa: E731
        return replace(block, header=tuple(cell(c) for c in block.header),
                       rows=tuple(tuple(cell(c) for c in row) for row in block.rows))
    if isinstance(block, Section):
        return replace(block, children=tuple(_map_inlines(b, fn) for b in block.children))
    return block


def resolve_references(blocks: tuple, kind: str, sources: dict[str, str] | None = None) -> tuple:
    """``blocks`` with every reference's number filled in; ``sources`` maps clause ids to files."""
    sources = sources or {}
    found = numbers(blocks)

    def in_clause(clause_id: str):
        def fill(inline):
            if type(inline) is not Reference or inline.text:
                return inline
            target = inline.target
            number = found.get(target)
            if not number:
                raise DanglingReferenceError(_dangling(clause_id, target, kind, sources, number is not None))
            return replace(inline, text=reference_text(number), number=number)
        return fill

    out = []
    for block in blocks:
        if isinstance(block, Section) and block.annex:
            children = tuple(_map_inlines(c, in_clause(c.id if isinstance(c, Section) else block.id))
                             for c in block.children)
            out.append(replace(block, children=children))
        elif isinstance(block, Section):
            out.append(_map_inlines(block, in_clause(block.id)))
        else:
            out.append(block)
    return tuple(out)


def _dangling(clause_id: str, target: str, kind: str, sources: dict[str, str], unnumbered: bool) -> str:
    where = sources.get(clause_id, f"clause '{clause_id}'")
    clause, _, mark = target.partition("#")
    if unnumbered:
        problem = f"refers to '{target}', which has no number in this {kind}"
    elif mark:
        problem = (f"refers to the mark '[](#{mark})' in clause '{clause}', which is not in this {kind}: "
                   f"the clause is left out for this contract or has no such mark")
    else:
        problem = (f"refers to clause '{clause}', which is not in this {kind}: its condition leaves it out for "
                   f"this contract, the contract omits it, or no clause has that id")
    return (f"{where}: error: clause '{clause_id}' {problem}; put the reference under the same condition "
            f"as the clause it names, or keep that clause; nothing was written")
