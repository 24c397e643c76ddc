"""The approval gate: a contract marked final renders only when `slagen review` has nothing blocking.

A final document carries no DRAFT mark, so a customer takes it as approved. When the review
still blocks, rendering stops, unless the person rendering gives a reason to override it
(``slagen render --override-review "REASON"``). The override is then part of the document: a
paragraph in the clause register (the last annex) and the DOCX's core properties say that the document
was released over blocking review items, how many, and why, so nobody can mistake it for an
approved one.
"""

from __future__ import annotations

from dataclasses import replace

from slagen.errors import SlagenError

MAX_REASON_CHARS = 160  # with the note around it, within the 255 characters of a DOCX property


class ApprovalBlocked(SlagenError):
    """A final contract whose review blocks approval, rendered without an override."""


def release_note(contract, doc, *, source: str, override_reason: str | None, house=None) -> str | None:
    """None when the contract may render as it is; the note to record when it renders by override.

    Raises ApprovalBlocked for a final contract the review blocks, when no override is given.
    Drafts are never gated: their DRAFT mark already says they are not approved. ``house`` is the
    resolved library the documents are built from (its clauses, outlines and policy; default: the
    packaged one), so the review judges the documents that would be written.
    """
    if contract.agreement.status != "final":
        return None
    from slagen.review.review import review_in_library

    review = review_in_library(contract, doc, file=source, house=house)
    blocking = review.blocking
    if not blocking:
        return None
    from slagen.source.words import count as counted

    count = counted(len(blocking), "item")
    if override_reason is None:
        shown = "\n".join(f"  {_where(source, item)}{item.kind} {item.clause}: {item.message}" for item in blocking[:10])
        more = f"\n  ... and {len(blocking) - 10} more" if len(blocking) > 10 else ""
        raise ApprovalBlocked(
            f"{source}: error: the agreement is marked final, but 'slagen review' finds {count} blocking "
            f"approval:\n{shown}{more}\nresolve them, set agreement.status to draft, or release it anyway with "
            "--override-review \"REASON\" (the reason is printed in the document); nothing was written")
    return (f"Released as final over {count} that blocked legal review approval. Reason given: "
            f"{override_reason}")


def _where(source: str, item) -> str:
    return f"{source}:{item.line}:{item.column}: " if item.line else ""


def check_override_reason(reason: str | None) -> str | None:
    """The reason as it will be printed; a usage error for an empty or unprintable one."""
    from slagen.errors import UsageError

    if reason is None:
        return None
    cleaned = " ".join(reason.split())
    if not cleaned:
        raise UsageError("error: --override-review needs a reason, such as --override-review \"approved by the "
                         "head of legal on the call of 3 March\"")
    if len(cleaned) > MAX_REASON_CHARS:
        raise UsageError(f"error: the --override-review reason is {len(cleaned)} characters; keep it under "
                         f"{MAX_REASON_CHARS} (it is printed in the document)")
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in cleaned):
        raise UsageError("error: the --override-review reason contains control characters; write plain text")
    return cleaned


def record_release(document, note: str):
    """``document`` with ``note`` in its clause register (the last annex) and in its properties."""
    from slagen.document import Paragraph, Run, Section, Table

    note_paragraph = Paragraph((Run("Release over review. ", bold=True), Run(note)))
    placed = False

    def with_note(block):
        nonlocal placed
        if not isinstance(block, Section):
            return block
        if any(isinstance(c, Table) and c.id.endswith(".register") for c in block.children):
            placed = True
            return replace(block, children=block.children + (note_paragraph,))
        return replace(block, children=tuple(with_note(c) for c in block.children))

    blocks = tuple(with_note(b) for b in document.blocks)
    if not placed:  # an outline without a clause register: the note still goes in the document
        blocks += (Section("release-over-review", "Release over review", (note_paragraph,), annex=True),)
    return replace(document, blocks=blocks, release_note=note)
