"""The internal review sheet: what `slagen review` found, as a document for the provider's legal team.

    review_document(review, contract) -> Document   # written by the usual DOCX and PDF writers

The sheet is where the reasons for clause overrides live ("we conceded a 12-month cap to close
before quarter end"): they are for the provider's lawyers, never for the customer's copy of the
agreement. It holds, in this order: a summary; the items blocking approval; the items to read;
every override with its reason and its difference from the library text; the protective defaults
the contract relies on; and the clause register of both documents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slagen.document import Cover, Document, LineBreak, Paragraph, Run, Section, Table, text

if TYPE_CHECKING:
    from slagen.review.review import Review, ReviewItem

_KIND_WORDS = {"status": "Clause status", "foreign_law": "Foreign law", "override": "Clause override", "version": "Clause version",
               "policy": "House policy", "feasibility": "Feasibility"}
_DOCUMENT_WORDS = {"agreement": "Agreement", "sow": "Statement of work", "": "Contract"}
_CHANGE_WORDS = {"replaced": "Replaced", "added": "Added", "omitted": "Omitted"}


def _plural(n: int, noun: str) -> str:
    from slagen.source.words import count

    return count(n, noun)


def _where(item: "ReviewItem") -> str:
    if item.line:
        return f"line {item.line}" + (f" ({item.path})" if item.path else "")
    return _DOCUMENT_WORDS.get(item.document, item.document)


def _items_table(items: list["ReviewItem"], table_id: str, caption: str) -> Table:
    rows = tuple(
        (text(_KIND_WORDS.get(i.kind, i.kind)), text(i.clause or "-"), text(_where(i)),
         (Run(i.message),) + ((LineBreak(), Run("Why: ", bold=True), Run(i.why)) if i.why else ()))
        for i in items
    )
    return Table(header=(text("Item"), text("Clause or rule"), text("Where"), text("What, and why it matters")),
                 rows=rows, id=table_id, caption=caption, widths=(2, 2.2, 2.6, 8))


def _summary(review: "Review") -> Section:
    blocking, to_read = len(review.blocking), len(review.items) - len(review.blocking)
    verdict = (f"Approval is blocked by {_plural(blocking, 'item')}." if blocking
               else "Nothing blocks approval.")
    return Section("summary", "Summary", (
        Paragraph((Run("Internal: for the provider's legal team. ", bold=True),
                   Run("This sheet is not part of the agreement and is never sent to the customer.")),),
        Paragraph((Run(f"Contract: {review.label}. "), Run(verdict, bold=True),
                   Run(f" {_plural(to_read, 'more item')} to read; "
                       f"{_plural(len(_overrides(review)), 'clause override')}; "
                       f"{_plural(len(review.defaults), 'default')} relied on."))),
    ))


def _overrides(review: "Review") -> list[dict]:
    return [e for e in review.register if e.get("change")]


def _override_section(review: "Review") -> Section:
    overrides = _overrides(review)
    if not overrides:
        return Section("overrides", "Clause overrides", (Paragraph(text("The contract uses the library text of "
                                                                         "every clause.")),))
    rows = tuple((text(e["id"]), text(_DOCUMENT_WORDS.get(e["document"], e["document"])),
                  text(_CHANGE_WORDS.get(e["change"], e["change"])), text(e["reason"] or "No reason given."))
                 for e in overrides)
    children: list = [
        Paragraph(text("Each clause the contract replaces, adds or omits, with the reason recorded for it and "
                       "its difference from the library text.")),
        Table(header=(text("Clause"), text("Document"), text("Change"), text("Reason")), rows=rows,
              id="overrides", caption="Overrides and their reasons", widths=(3, 2.5, 1.8, 7.5)),
    ]
    details = {(i.document, i.clause): i.detail for i in review.items if i.kind == "override"}
    for e in overrides:
        detail = details.get((e["document"], e["id"]), "")
        if not detail:
            continue
        children.append(Paragraph((Run(f"{e['id']} ({_DOCUMENT_WORDS.get(e['document'], e['document'])}): ",
                                       bold=True), Run("difference from the library text")),))
        children.extend(Paragraph(text(line), style="note") for line in detail.splitlines() if line.strip())
    return Section("overrides", "Clause overrides", tuple(children))


def _defaults_section(review: "Review") -> Section:
    if not review.defaults:
        body = (Paragraph(text("The contract states every protective value itself, or the contract format in "
                               "use has no defaulted protective values.")),)
    else:
        body = (
            Paragraph(text("The contract does not state these values, so the documents use slagen's defaults. "
                           "Nobody typed them: confirm each one.")),
            Table(header=(text("Value"), text("Default used")),
                  rows=tuple((text(path), text(value)) for path, value in review.defaults),
                  id="defaults", caption="Defaults relied on", widths=(5, 10)),
        )
    return Section("defaults", "Defaults relied on", body)


def _register_section(review: "Review") -> Section:
    rows = tuple((text(_DOCUMENT_WORDS.get(e["document"], e["document"])), text(e["id"]), text(e["version"] or "-"),
                  text(e["status"]), text(e["sha256"][:16]), text(_CHANGE_WORDS.get(e["change"], "As in library")))
                 for e in review.register)
    return Section("register", "Clause register", (
        Paragraph(text("The clauses of the agreement and the statement of work, as the clause register of each records them.")),
        Table(header=(text("Document"), text("Clause"), text("Version"), text("Status"), text("SHA-256 (first 16)"),
                      text("Change")), rows=rows, id="register", caption="Clauses used",
              widths=(2.4, 3.4, 1.4, 1.6, 3, 2)),
    ), annex=True)


def _approval_section(approvals: tuple[str, ...]) -> Section:
    """How the version was approved over its blocking items, and why (the workspace's record)."""
    return Section("approval", "Approval over blocking items",
                   tuple(Paragraph(text(note)) for note in approvals))


def review_document(review: "Review", contract, approvals: tuple[str, ...] = (), *,
                    release_note: str | None = None) -> Document:
    """The review sheet of ``contract`` as a document tree; the same input gives the same tree.
    ``approvals``: sentences recording approvals given over blocking items, with their reasons
    (the workspace's decisions), placed after the summary; for the provider only.
    ``release_note`` (a final contract rendered over its blocking review, with the reason given) is
    recorded here, first after the summary: it is an internal record and never goes into the
    customer's documents or their properties.
    """
    a = contract.agreement
    title = "Legal review sheet"
    blocking = [i for i in review.items if i.blocking]
    to_read = [i for i in review.items if not i.blocking]
    blocks: list = [_summary(review)]
    if approvals:
        blocks.append(_approval_section(approvals))
    if release_note:
        blocks.append(Section("release-over-review", "Release over review", (
            Paragraph((Run("Internal record. ", bold=True), Run(release_note))),
            Paragraph(text("The agreement and the statement of work were rendered as final despite the items "
                           "below; they carry no mention of it, so this sheet and the audit trail are the only "
                           "record. Keep this sheet with the signed documents.")),
        )))
    blocks.append(Section("blocking", "Items blocking approval", (
        _items_table(blocking, "blocking-items", "Blocking approval"),) if blocking else (
        Paragraph(text("None.")),)))
    blocks.append(Section("to-read", "Items to read", (
        _items_table(to_read, "items-to-read", "To read"),) if to_read else (Paragraph(text("None.")),)))
    blocks.append(_override_section(review))
    blocks.append(_defaults_section(review))
    blocks.append(_register_section(review))
    reference = f"{a.reference}-review"
    cover = Cover(title=title, subtitle=f"{a.title}: internal, not for the customer",
                  parties=(contract.provider.name, contract.customer.name), reference=reference,
                  version=a.version, date=a.effective_date, draft=False)
    return Document(
        kind="review", title=title, reference=reference, cover=cover, blocks=tuple(blocks), date=a.effective_date,
        author=contract.provider.name, subject=f"Legal review of {a.reference} version {a.version}",
        keywords=(a.reference, contract.customer.name, "review", "internal"),
        language=a.locale.replace("_", "-"), paper=a.paper_size,
    )
