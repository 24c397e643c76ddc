"""What the customer's changes cost: the proposal as a contract file, checked and reviewed.

The proposal is the contract file with the customer's value changes written in and a clause
override (``replace``, with the customer's text) for each clause whose wording they changed, a
clause ``add`` for each paragraph they added. It is written with ruamel.yaml's round-trip mode, so
the account manager's comments, key order and quoting survive. Then it goes through the same
engine functions as ``slagen check`` and ``slagen review``; what is new against the contract as
it stands is what the changes cost, attributed to each change by its path or clause:

* feasibility findings (the 15-minute P1 response that the staffing cannot meet);
* review items that block approval (a policy limit crossed, a clause policy says never to
  replace, such as the liability cap's clause);
* the defaults a value change touches (a protective term the contract had left to slagen).

By default a value change is accepted when it reads as a value and costs nothing that blocks
or is an error; a change of wording is accepted unless policy forbids it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slagen.errors import InvalidInput
from slagen.negotiate.changes import Change, Place, Reading
from slagen.negotiate.values import split_path

TRACKED = ("value", "wording", "added", "moved")
MOST_CHECKED_ALONE = 25  # value changes checked one by one; beyond, findings are put down by path


@dataclass
class Cost:
    findings: list[dict] = field(default_factory=list)  # new check findings (Finding.as_json)
    blocking: list[dict] = field(default_factory=list)  # new blocking review items (ReviewItem.as_json)
    defaults: list[str] = field(default_factory=list)  # defaulted protective terms the change sets
    invalid: str = ""  # why the change cannot be written into the contract

    @property
    def fails(self) -> bool:
        return bool(self.invalid or self.blocking or any(f["severity"] == "error" for f in self.findings))

    def as_json(self) -> dict:
        return {"findings": self.findings, "blocking": self.blocking, "defaults": self.defaults,
                "invalid": self.invalid}


@dataclass
class Proposal:
    text: str  # the proposed contract file
    costs: dict[str, Cost]  # change id -> what it costs
    other_findings: list[dict]  # new findings no one change explains
    other_blocking: list[dict]
    valid: bool
    # words the customer did not edit that the changes change too (a notice date worked out from
    # the notice period): {"clause", "number", "was", "becomes"}, in document order
    knock_on: list[dict] = field(default_factory=list)

    def default_decision(self, change: Change) -> str:
        """accept or reject for a tracked change; '' for a note or an untracked edit (nothing to decide)."""
        if change.kind not in TRACKED:
            return ""
        cost = self.costs.get(change.id, Cost())
        if change.kind == "value" and (change.value is None or cost.fails):
            return "reject"
        if cost.blocking or cost.invalid:
            return "reject"
        return "accept"

    def reason(self, change: Change) -> str:
        """Why the default decision is what it is, in words a customer's lawyer understands."""
        cost = self.costs.get(change.id, Cost())
        if change.kind == "value" and change.value is None:
            return f"We cannot accept this change: {change.problem}."
        if cost.invalid:
            return f"We cannot accept this change: {cost.invalid}."
        reasons = [_for_customer(i, change) for i in cost.blocking] + [f["message"] for f in cost.findings
                                                                       if f["severity"] == "error"]
        if reasons:
            return "We cannot accept this change: " + "; ".join(dict.fromkeys(reasons)) + "."
        return "Accepted."


def _for_customer(item: dict, change: Change) -> str:
    """A blocking review item in a customer's lawyer's words (not the house's internal ones)."""
    if item.get("kind") == "override":
        where = f"clause {change.place.number}" if change.place.number[:1].isdigit() else "this clause"
        title = f" ({change.place.title})" if change.place.title else ""
        return f"the wording of {where}{title} is standard for all our customers and we keep it as written"
    return str(item.get("message", ""))


# --------------------------------------------------------------------------------------------
# Writing the proposal


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the user wrote on one
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _set(data, path: str, value: Any) -> None:
    from ruamel.yaml.comments import CommentedMap

    parts = split_path(path)
    node = data
    for part, following in zip(parts, parts[1:]):
        if isinstance(part, int):
            node = node[part]
            continue
        if node.get(part) is None:
            node[part] = CommentedMap() if isinstance(following, str) else []
        node = node[part]
    node[parts[-1]] = value


def _override(data, clause: str, kind: str, text: str, reason: str, *, action: str = "replace", after: str = "",
              title: str = "") -> None:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import LiteralScalarString

    clauses = data.get("clauses")
    if clauses is None:
        data["clauses"] = clauses = []
    for entry in clauses:
        if entry.get("id") == clause and entry.get("document", "agreement") == kind:
            if entry.get("action") != "add":
                entry["action"] = "replace"
            entry["text"] = LiteralScalarString(text)
            entry["reason"] = reason
            return
    entry = CommentedMap()
    entry["id"] = clause
    entry["action"] = action
    if title:
        entry["title"] = title
    entry["text"] = LiteralScalarString(text)
    if after:
        entry["after"] = after
    if kind != "agreement":
        entry["document"] = kind
    entry["reason"] = reason
    clauses.append(entry)


def proposal_text(source_text: str, reading: Reading, changes: list[Change], file_name: str) -> str:
    """The contract file with ``changes`` (value, wording, added, moved) applied, comments kept.

    A change of wording in a clause that was also changed without tracking is never applied: the
    clause's text would carry the untracked edit with it (:func:`untracked_problem`)."""
    return _proposal(source_text, reading, [c for c in changes if not untracked_problem(reading, c)], file_name)[0]


def untracked_problem(reading: Reading, change: Change) -> str:
    """Why ``change`` cannot be taken from the file ('' when it can)."""
    if change.kind == "value":
        return ""
    touched = {change.place.clause} | {reading.places[p].clause for p in change.paragraphs
                                       if 0 <= p < len(reading.places)}
    if touched & reading.untracked_clauses:
        return ("the same clause was also changed without tracking, so its wording cannot be taken from this "
                "file; agree it by hand")
    return ""


def _with_definitions(clause: str, text: str) -> str:
    """The customer's wording of ``clause`` with the terms the library's clause defines marked as
    definitions again (bold, as the clause file writes them): the DOCX text read back is plain, and
    a clause that uses a term no clause defines is refused when the proposal is assembled."""
    import re

    from slagen.library.folder import default_library

    source = default_library().clause_dir / f"{clause}.md"
    if not source.is_file():
        return text
    for term in dict.fromkeys(re.findall(r"\*\*([^*\n]{2,60})\*\*", source.read_text(encoding="utf-8"))):
        if f"**{term}**" not in text:
            text = re.sub(rf"(?<![*\w]){re.escape(term)}(?![*\w])", f"**{term}**", text, count=1)
    return text


def _proposal(source_text: str, reading: Reading, changes: list[Change],
              file_name: str) -> tuple[str, dict[str, list[str]]]:
    """(the proposed file, change id -> the clause overrides that carry it)."""
    from slagen.negotiate.changes import md_escape

    yaml = _yaml()
    data = yaml.load(source_text)
    reworded: dict[str, list[Change]] = {}
    added: list[Change] = []
    carried: dict[str, list[str]] = {}
    for change in changes:
        if change.kind == "value" and change.value is not None and change.path:
            _set(data, change.path, change.value)
        elif change.kind in ("wording", "moved"):
            # a move rewords the clause it leaves and the one it arrives in
            for clause in dict.fromkeys([change.place.clause] + [reading.places[p].clause for p in change.paragraphs]):
                reworded.setdefault(clause, []).append(change)
        elif change.kind == "added":
            added.append(change)
    # each reworded clause takes exactly the revisions of the changes applied, values included
    texts = reading.clause_texts({r for c in changes for r in c.revisions})
    for clause, items in reworded.items():
        if not clause or clause not in texts:
            continue
        who = items[0].author or "the customer"
        ids = ", ".join(c.id for c in items)
        _override(data, clause, reading.kind, _with_definitions(clause, texts[clause]),
                  f"Wording proposed by {who} in {file_name} ({ids})")
        for c in items:
            carried.setdefault(c.id, []).append(clause)
    for n, change in enumerate(added, 1):
        anchor = change.place.clause
        if not anchor:
            continue
        new_id = f"{anchor}-proposed-{n}"
        _override(data, new_id, reading.kind, md_escape(change.new),
                  f"Added by {change.author or 'the customer'} in {file_name} ({change.id})", action="add",
                  after=anchor, title=f"Further terms ({change.place.title or anchor})")
        carried.setdefault(change.id, []).append(new_id)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue(), carried


# --------------------------------------------------------------------------------------------
# Costing it


def _key(item: dict) -> tuple:
    # by rule and place, not by message: a finding the contract already has, now quoting the new
    # value in its message (an RTO computed from the new P1 response), is not a new finding
    return (item.get("kind", ""), item.get("rule") or item.get("clause"), item.get("path"))


def _findings(contract, doc, house) -> list[dict]:
    from slagen.check.run import check_contract

    return [f.as_json() for f in check_contract(contract, doc, clause_dir=house.clause_dir)]


def _blocking(contract, doc, house, file: str) -> list[dict]:
    from slagen.review.review import review_in_library

    review = review_in_library(contract, doc, file=file, house=house)
    return [i.as_json() for i in review.items if i.blocking and i.kind != "feasibility"]


def _touches(change: Change, path: str) -> bool:
    if change.kind == "value":
        return bool(path) and (path == change.path or path.startswith(change.path + ".")
                               or path.startswith(change.path + "["))
    return False


def _related_value_paths(change: Change) -> set[str]:
    # a finding about priorities[0] (its response against the staffing) belongs to a change of
    # priorities[0].response: the record the value sits in
    parts = change.path.rsplit(".", 1)
    return {change.path, parts[0]} if len(parts) == 2 else {change.path}


def cost_proposal(source_path: str | Path, source_text: str, reading: Reading, changes: list[Change], *,
                  house=None) -> Proposal:
    """The proposal with ``changes`` applied, and what each costs against the contract as it is."""
    from slagen.library.contracts import load_with_positions
    from slagen.library.folder import default_library

    house = house or default_library()
    file_name = Path(reading.file).name
    original, original_doc = load_with_positions(source_path, source_text)
    before_findings = {_key(f) for f in _findings(original, original_doc, house)}
    before_blocking = {_key(i) for i in _blocking(original, original_doc, house, str(source_path))}

    costs = {c.id: Cost() for c in changes}
    applied = [c for c in changes if c.kind in TRACKED and not (c.kind == "value" and c.value is None)]
    for c in applied:
        costs[c.id].invalid = untracked_problem(reading, c)
    applied = [c for c in applied if not costs[c.id].invalid]
    text, contract, doc, carried = source_text, None, None, {}
    for _ in range(len(applied) + 1):  # drop the changes that make the file invalid, one round each
        text, carried = _proposal(source_text, reading, applied, file_name)
        try:
            contract, doc = load_with_positions(source_path, text)
            break
        except InvalidInput as exc:
            culprits = []
            for problem in exc.problems:
                for c in applied:
                    if c.kind == "value" and (problem.path == c.path or problem.path.startswith(c.path)):
                        costs[c.id].invalid = problem.message
                        culprits.append(c)
            if not culprits:  # an override the loader refuses, or a problem no change explains
                for c in applied:
                    if c.kind != "value":
                        costs[c.id].invalid = "; ".join(p.message for p in exc.problems)
                        culprits.append(c)
            if not culprits:
                return Proposal(text, costs, [], [{"message": str(exc)}], False)
            applied = [c for c in applied if c not in culprits]
    if contract is None:
        return Proposal(text, costs, [], [], False)

    defaults = {path for path, _ in _defaults(original)}
    for c in applied:
        if c.kind == "value" and c.path in defaults:
            costs[c.id].defaults.append(c.path)
    other_findings, other_blocking = [], []
    # each value change checked on its own too, so a finding is put down to the change that causes
    # it (a 15-minute response is why a P1 clock cannot be met) rather than guessed from its path
    values = [c for c in applied if c.kind == "value"]
    alone: dict[str, set] = {}
    for c in values[:MOST_CHECKED_ALONE]:
        one_text = _proposal(source_text, reading, [c], file_name)[0]
        try:
            one, one_doc = load_with_positions(source_path, one_text)
        except InvalidInput:
            continue
        alone[c.id] = {_key(f) for f in _findings(one, one_doc, house)} - before_findings
    for f in _findings(contract, doc, house):
        if _key(f) in before_findings:
            continue
        owners = [c for c in values if _key(f) in alone.get(c.id, ())
                  or (c.id not in alone and (f["path"] in _related_value_paths(c) or _touches(c, f["path"])))]
        for c in owners:
            costs[c.id].findings.append(f)
        if not owners:
            other_findings.append(f)
    for item in _blocking(contract, doc, house, str(source_path)):
        if _key(item) in before_blocking:
            continue
        owners = [c for c in applied if (c.kind == "value" and (item["path"] in _related_value_paths(c)
                                                                 or _touches(c, item["path"])))
                  or (c.kind != "value" and item["kind"] == "override" and item["clause"] in carried.get(c.id, ()))]
        for c in owners:
            costs[c.id].blocking.append(item)
        if not owners:
            other_blocking.append(item)
    return Proposal(text, costs, other_findings, other_blocking, True,
                    _knock_on(reading, applied, carried, contract, house))


def _knock_on(reading: Reading, applied: list[Change], carried: dict[str, list[str]], contract, house) -> list[dict]:
    """The paragraphs the proposal renders differently from the customer's own text of them.

    The customer edits the words they see; slagen prints some words from others (the last day for
    a non-renewal notice from the notice period). Accepting their change rewrites those too, so the
    signed text would differ from the file they sent back in places they never touched: each one is
    said out loud rather than left for them to find. Clauses whose wording comes from the customer
    (reworded, added) are theirs word for word and are not compared."""
    from difflib import SequenceMatcher

    from slagen.negotiate.changes import (bookmark_places, differing_words, expected_document, places_of,
                                          text_with_revisions)
    from slagen.negotiate.reader import read_marked_up

    document, docx = expected_document(contract, reading.kind, house)
    rendered = read_marked_up(docx, "the proposal")
    revisions = {r for c in applied for r in c.revisions}
    theirs_by_clause: dict[str, list[str]] = {}
    for p, place in zip(reading.marked.paragraphs, reading.places):
        if p.contents or p.index in reading.added_paragraphs:
            continue
        if (p.mark_inserted >= 0 and p.mark_inserted not in revisions) or p.mark_deleted in revisions:
            continue  # a paragraph they added that is not applied, or one they deleted that is
        theirs_by_clause.setdefault(place.clause, []).append(" ".join(text_with_revisions(p, revisions).split()))
    ours_by_clause: dict[str, list[tuple[str, Place]]] = {}
    for p, place in zip(rendered.paragraphs, places_of(rendered.paragraphs, bookmark_places(document))):
        if not p.contents:
            ours_by_clause.setdefault(place.clause, []).append((" ".join(p.sent.split()), place))
    own_words = {clause for clauses in carried.values() for clause in clauses}
    out = []
    for clause, ours in ours_by_clause.items():
        theirs = theirs_by_clause.get(clause)
        if theirs is None or clause in own_words or not clause:
            continue
        texts = [text for text, _ in ours]
        for op, a1, a2, b1, b2 in SequenceMatcher(None, theirs, texts, autojunk=False).get_opcodes():
            if op != "replace":
                continue
            for was, (becomes, place) in zip(theirs[a1:a2], ours[b1:b2]):
                before, after = differing_words(was, becomes)
                out.append({"clause": clause, "number": place.number, "title": place.title,
                            "was": before, "becomes": after})
    return out


def _defaults(contract) -> list[tuple[str, str]]:
    from slagen.model.defaults import defaults_relied_on

    return [(str(path), str(words)) for path, words in defaults_relied_on(contract)]
