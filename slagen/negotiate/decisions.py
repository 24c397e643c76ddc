"""The decisions file: one entry per tracked change, accept or reject, with an optional comment.

``slagen negotiate ... --decisions-template FILE`` writes it with the default decision filled in
(a value change accepted when the check and review pass it, rejected when they do not; a change
of wording accepted unless policy forbids it) and the reason as the comment; the account manager
edits it and gives it back with ``--decisions``. Every mistake is told at its line.
"""

from __future__ import annotations

import io
from pathlib import Path

from slagen.errors import UsageError
from slagen.negotiate.changes import Reading
from slagen.negotiate.proposal import TRACKED, Proposal

MAX_DECISIONS_BYTES = 2 * 1024 * 1024
DECISIONS = ("accept", "reject")


def default_decisions(reading: Reading, proposal: Proposal) -> dict[str, tuple[str, str]]:
    return {c.id: (proposal.default_decision(c), proposal.reason(c)) for c in reading.changes if c.kind in TRACKED}


def template_text(reading: Reading, proposal: Proposal) -> str:
    """The decisions file, every tracked change with its default decision and the reason for it."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    entries = CommentedSeq()
    for change in reading.changes:
        if change.kind not in TRACKED:
            continue
        entry = CommentedMap()
        entry["id"] = change.id
        entry["clause"] = change.place.number or change.place.clause
        entry["summary"] = change.summary
        entry["decision"] = proposal.default_decision(change)
        entry["comment"] = proposal.reason(change)
        entries.append(entry)
    root = CommentedMap()
    root["decisions"] = entries
    root.yaml_set_start_comment(
        f"Decisions on the changes in {Path(reading.file).name}: set each 'decision' to accept or reject;\n"
        "'comment' is what the customer reads beside it in the reply (slagen negotiate --decisions FILE --reply OUT.docx).")
    out = io.StringIO()
    yaml.dump(root, out)
    return out.getvalue()


def load_decisions(path: str | Path, reading: Reading) -> dict[str, tuple[str, str]]:
    """change id -> (decision, comment) from a decisions file; mistakes at FILE:LINE:COL."""
    from slagen.source.bounded import TooLarge, read_bounded
    from slagen.source.yaml_positions import read_yaml

    path = Path(path)
    try:
        raw = read_bounded(path, MAX_DECISIONS_BYTES)
    except TooLarge:
        raise UsageError(f"{path}: error: the decisions file is larger than 2 MB; it lists one entry per change") \
            from None
    except OSError as exc:
        raise UsageError(f"{path}: error: cannot read the decisions file ({exc.strerror or exc})") from None
    doc = read_yaml(path, raw)
    data = doc.data

    def fail(loc: tuple, message: str):
        _, (line, column) = doc.position(loc)
        raise UsageError(f"{path}:{line}:{column}: error: {message}")

    if not isinstance(data, dict) or not isinstance(data.get("decisions"), list):
        fail((), "a decisions file has one key, 'decisions', holding a list of entries (write one with "
                 "--decisions-template)")
    known = {c.id: c for c in reading.changes if c.kind in TRACKED}
    out: dict[str, tuple[str, str]] = {}
    for i, entry in enumerate(data["decisions"]):
        if not isinstance(entry, dict):
            fail(("decisions", i), "each entry is a mapping with 'id' and 'decision'")
        cid = entry.get("id")
        if not isinstance(cid, str) or cid not in known:
            fail(("decisions", i, "id") if "id" in entry else ("decisions", i),
                 f"{cid!r} is not a tracked change of this file; the changes are {', '.join(known) or 'none'}")
        if cid in out:
            fail(("decisions", i, "id"), f"{cid} is decided twice")
        decision = entry.get("decision")
        if decision not in DECISIONS:
            fail(("decisions", i, "decision") if "decision" in entry else ("decisions", i),
                 f"the decision on {cid} must be accept or reject, not {decision!r}")
        comment = entry.get("comment") or ""
        if not isinstance(comment, str):
            fail(("decisions", i, "comment"), f"the comment on {cid} must be text")
        out[cid] = (decision, comment.strip())
    return out
