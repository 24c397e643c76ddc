"""The approval gate: a contract marked final renders only when `slagen review` has nothing blocking.

A final document carries no DRAFT mark, so a customer takes it as approved. When the review
still blocks, rendering stops, unless the person rendering gives a reason to override it
(``slagen render --override-review "REASON"``). The override is an internal record: it goes into the
internal review sheet written beside the documents (``<reference>-review.docx``: how many blocking
items, which, and why they were overridden) and, in the workspace, into the audit trail. It never goes
into the agreement, the statement of work or their properties: a note in the customer's copy that the
provider's own review found terms it could not meet would be a written admission against it.
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
            "--override-review \"REASON\" (the reason is kept in the internal review sheet written beside the "
            "documents, never in them); nothing was written")
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


def release_sheet(contract, doc, note: str, *, source: str, house=None) -> bytes:
    """The internal review sheet (DOCX) that records a release over review: the review as it stood, with
    ``note`` (count and reason) first. Written beside the documents, never into them."""
    from slagen.review.review import review_in_library
    from slagen.review.sheet import review_document
    from slagen.writers.docx import write_docx

    review = review_in_library(contract, doc, file=source, house=house)
    return write_docx(review_document(review, contract, release_note=note))
