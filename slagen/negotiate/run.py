"""The whole negotiation job, as the command line and the workspace call it.

    result = negotiate_file("acme.yaml", "acme-marked-up.docx")
    print(negotiation_text(result))

Load the contract, read the customer's file (refused when it is not slagen's, or of another
contract or version), map its changes, cost them, and decide each one (from a decisions file,
or by default). The reply DOCX and the proposed contract are then one call each.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from slagen.source.words import count
from slagen.errors import UsageError
from slagen.negotiate.changes import Change, Reading, read_changes
from slagen.negotiate.proposal import TRACKED, Proposal, cost_proposal

MAX_CONTRACT_BYTES = 2 * 1024 * 1024


@dataclass
class Negotiation:
    contract_file: str
    contract: object
    source_text: str
    reading: Reading
    proposal: Proposal
    decisions: dict[str, tuple[str, str]]  # change id -> (accept | reject, comment)
    provider: str
    data: bytes  # the customer's file

    def accepted(self) -> list[Change]:
        return [c for c in self.reading.changes if self.decisions.get(c.id, ("",))[0] == "accept"]


def read_docx(path: str | Path) -> bytes:
    from slagen.negotiate.reader import MAX_DOCX_BYTES
    from slagen.source.bounded import TooLarge, read_bounded

    try:
        return read_bounded(path, MAX_DOCX_BYTES)
    except TooLarge:
        raise UsageError(f"{path}: error: the file is larger than {MAX_DOCX_BYTES // (1024 * 1024)} MB; a marked-up "
                         "agreement is well under that, so it was not opened") from None
    except OSError as exc:
        raise UsageError(f"{path}: error: cannot read the file ({exc.strerror or exc})") from None


def negotiate(contract_path: str | Path, source_text: str, data: bytes, docx_name: str, *, house=None,
              decisions_path: str | Path | None = None, sent: bytes | None = None) -> Negotiation:
    """The negotiation over ``data`` (the customer's DOCX) for the contract ``source_text``."""
    from slagen.library.contracts import load_contract
    from slagen.library.folder import default_library
    from slagen.negotiate.decisions import default_decisions, load_decisions

    house = house or default_library()
    contract = load_contract(contract_path, source_text)
    reading = read_changes(contract, data, docx_name, house=house, sent=sent)
    # the decisions file is read before the costly part, so a mistake in it is told at once
    chosen = load_decisions(decisions_path, reading) if decisions_path is not None else {}
    tracked = [c for c in reading.changes if c.kind in TRACKED]
    proposal = cost_proposal(contract_path, source_text, reading, tracked, house=house)
    decisions = default_decisions(reading, proposal)
    for change in tracked:
        if change.id not in chosen:
            continue
        decision, comment = chosen[change.id]
        same = decision == proposal.default_decision(change)
        if not comment or (not same and comment == proposal.reason(change)):
            # the default reason where it still fits the decision; a plain word where the user
            # turned the decision round and left the template's reason for the other one
            comment = proposal.reason(change) if same else ("Accepted." if decision == "accept" else "Rejected.")
        decisions[change.id] = (decision, comment)
    return Negotiation(str(contract_path), contract, source_text, reading, proposal, decisions,
                       contract.provider.name, data)


def negotiate_file(contract_path: str | Path, docx_path: str | Path, *, library_dir=None,
                   decisions_path=None, sent_path=None) -> Negotiation:
    from slagen.library.folder import resolve_library
    from slagen.source.bounded import TooLarge, read_bounded

    contract_path = Path(contract_path)
    try:
        raw = read_bounded(contract_path, MAX_CONTRACT_BYTES)
    except TooLarge:
        raise UsageError(f"{contract_path}: error: the contract file is larger than 2 MB") from None
    except OSError as exc:
        raise UsageError(f"{contract_path}: error: cannot read the file ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{contract_path}: error: the contract file is not UTF-8 text") from None
    data = read_docx(docx_path)
    sent = read_docx(sent_path) if sent_path is not None else None
    house = resolve_library(contract_path, library_dir)
    return negotiate(contract_path, text, data, str(docx_path), house=house, decisions_path=decisions_path,
                     sent=sent)


def proposal_with(negotiation: Negotiation, changes: list[Change] | None = None) -> str:
    """The contract file with ``changes`` applied (default: the accepted ones)."""
    from pathlib import Path as _Path

    from slagen.negotiate.proposal import proposal_text

    chosen = negotiation.accepted() if changes is None else changes
    return proposal_text(negotiation.source_text, negotiation.reading, [c for c in chosen if c.kind in TRACKED],
                         _Path(negotiation.reading.file).name)


def reply_docx(negotiation: Negotiation, date: str | None = None) -> bytes:
    """The customer's file answered: each tracked change accepted or rejected, with the reasons."""
    from slagen.negotiate.reply import write_reply

    return write_reply(negotiation.data, negotiation.reading, negotiation.decisions, author=negotiation.provider,
                       date=date or latest_date(negotiation.reading), where=negotiation.reading.file)


def latest_date(reading: Reading) -> str:
    """The date of the customer's latest revision or comment: the reply's, unless told otherwise.

    Taken from the file rather than the clock, so the same file and decisions give the same reply.
    """
    dates = [r.date for r in reading.marked.revisions if r.date] + [c.date for c in reading.marked.comments if c.date]
    return max(dates, default="2000-01-01T00:00:00Z")


# --------------------------------------------------------------------------------------------
# Telling it


def negotiation_json(n: Negotiation) -> str:
    changes = []
    for c in n.reading.changes:
        item = c.as_json()
        item["cost"] = n.proposal.costs[c.id].as_json() if c.id in n.proposal.costs else None
        decision = n.decisions.get(c.id)
        item["decision"] = decision[0] if decision else None
        item["reason"] = decision[1] if decision else None
        changes.append(item)
    return json.dumps({
        "contract": n.contract_file, "file": n.reading.file, "document": n.reading.kind,
        "warnings": n.reading.warnings, "changes": changes,
        "untracked": sum(c.kind == "untracked" for c in n.reading.changes),
        "other_findings": n.proposal.other_findings, "other_blocking": n.proposal.other_blocking,
        "knock_on": n.proposal.knock_on,
    }, indent=2, ensure_ascii=False) + "\n"


def negotiation_text(n: Negotiation) -> str:
    lines: list[str] = []
    for w in n.reading.warnings:
        lines.append(w)
    untracked = [c for c in n.reading.changes if c.kind == "untracked"]
    if untracked:
        lines.append(f"{n.reading.file}: warning: {len(untracked)} UNTRACKED EDIT{'S' if len(untracked) != 1 else ''}: "
                     "text differs from what was sent without a tracked change (listed below with !!)")
    tracked = [c for c in n.reading.changes if c.kind in TRACKED]
    lines.append(f"{n.reading.file}: {len(tracked)} tracked change{'s' if len(tracked) != 1 else ''}, "
                 f"{count(sum(c.kind == 'note' for c in n.reading.changes), 'comment')}, {count(len(untracked), 'untracked edit')}")
    groups: dict[tuple[str, str], list[Change]] = {}
    for c in n.reading.changes:
        groups.setdefault((c.place.clause, c.place.title), []).append(c)
    for (clause, title), items in groups.items():
        number = items[0].place.number.split(".")[0] if items[0].place.number else ""
        lines.append("")
        lines.append(f"{('clause ' + number + ' ') if number[:1].isdigit() else ''}{title or clause or '(before the clauses)'}")
        for c in items:
            mark = "!!" if c.kind == "untracked" else "  "
            who = f" [{c.author}]" if c.author else ""
            number = f" {c.place.number}" if c.place.number else ""
            lines.append(f"{mark}{c.id}{number} {c.kind}: {c.summary}{who}")
            if c.kind == "value" and c.value is not None:
                lines.append(f"     proposed value: {c.path} = {c.value}")
            cost = n.proposal.costs.get(c.id)
            if cost is not None:
                if cost.invalid:
                    lines.append(f"     cannot be applied: {cost.invalid}")
                for f in cost.findings:
                    lines.append(f"     check {f['severity']} {f['rule']} (at {f['path']}): {f['message']}")
                for i in cost.blocking:
                    lines.append(f"     review blocks ({i['kind']}): {i['message']}")
                for d in cost.defaults:
                    lines.append(f"     sets {d}, which the contract left to slagen's default")
            decision = n.decisions.get(c.id)
            if decision and decision[0]:
                lines.append(f"     decision: {decision[0]} \u2014 {decision[1]}")
    if n.proposal.other_findings or n.proposal.other_blocking or n.proposal.knock_on:
        lines.append("")
        lines.append("the changes together")
        for f in n.proposal.other_findings:
            lines.append(f"     check {f['severity']} {f.get('rule', '')} (at {f.get('path', '')}): {f['message']}")
        for i in n.proposal.other_blocking:
            lines.append(f"     review blocks: {i['message']}")
        for k in n.proposal.knock_on:
            where = f"{k['number']} " if k["number"] else ""
            lines.append(f"     also changes {where}{k['title'] or k['clause']}, which the customer did not edit: "
                         f"\u201c{k['was']}\u201d becomes \u201c{k['becomes']}\u201d")
    return "\n".join(lines) + "\n"
