"""Which paragraphs of a clause are numbered sub-clauses (12.1, 12.2) and which lists are lettered.

The rule (written for lawyers in clauses/README.md, "Numbering"), applied to the top level of
each clause body in the agreement and the statement of work:

* every body paragraph is a sub-clause, so each obligation can be cited ("clause 12.3");
* a lead-in paragraph directly before a table is not, when it only introduces the table (a
  schedule of values); a lead-in that itself binds a party ("the Provider shall maintain at least
  the following insurance:", "the Customer is entitled to a Service Credit ...") is a sub-clause
  like any other, so the obligation can be cited; the table stays unnumbered beneath it;
* a paragraph directly after a list that starts in lower case finishes the sentence the list
  interrupted ("... ; and starts again when ..."): it belongs to the sub-clause before it;
* notes (block quotes) are explanation, not terms, and are never numbered;
* a clause with a single sub-clause is not sub-numbered: it is cited as "clause 12";
* a numbered (ordered) list is lettered (a), (b), nested (i), (ii), and belongs to the
  sub-clause it follows: "clause 12.3(b)". English agreements letter the limbs of a sentence
  rather than giving them a third level of decimals, which would suggest independent clauses.

The clauses of an annex follow the same rule one level down: the paragraphs of Annex B's second
clause are B.2.1, B.2.2, cited as "paragraph B.2.1".
"""

from __future__ import annotations

from dataclasses import replace

import re

from slagen.document import ListBlock, Paragraph, Table, plain_text

# Words that make a sentence bind someone: an obligation, a right or an entitlement.
_BINDS = re.compile(r"\b(shall|must|may|is entitled|are entitled|agrees?|undertakes?|warrants?)\b")


def _binds(paragraph: Paragraph) -> bool:
    return bool(_BINDS.search(plain_text(paragraph.inlines)))


def _continues_sentence(paragraph: Paragraph) -> bool:
    first = plain_text(paragraph.inlines).lstrip()[:1]
    return first.islower() or first in (",", ";", ".", ")")


def _letter_lists(block):
    if not isinstance(block, ListBlock):
        return block
    items = tuple(tuple(_letter_lists(b) for b in item) for item in block.items)
    return replace(block, items=items, lettered=block.ordered)


def number_subclauses(children: tuple) -> tuple:
    """``children`` (a clause body) with its sub-clauses marked and its ordered lists lettered."""
    blocks = [_letter_lists(b) for b in children]
    numbered: list[int] = []
    for i, block in enumerate(blocks):
        if type(block) is not Paragraph or block.style != "body":
            continue
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        previous = blocks[i - 1] if i else None
        if isinstance(following, Table) and not _binds(block):
            continue
        if isinstance(previous, ListBlock) and _continues_sentence(block):
            continue
        numbered.append(i)
    if len(numbered) > 1:
        for i in numbered:
            blocks[i] = replace(blocks[i], numbered=True)
    return tuple(blocks)
