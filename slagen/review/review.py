"""`slagen review`: everything legal must look at in one draft, and whether it blocks approval.

* clauses from the library that are not in approved status (blocking);
* clauses the contract replaces, adds or omits, each with its difference from the library text
  (blocking when the policy forbids overriding that clause, or when no reason is given);
* clauses whose library version is newer than the one recorded for this contract, or whose text
  changed under the same version number (the latter always blocks: the register would lie);
* contract values outside the house policy (``clauses/policy.yaml``; blocking);
* the feasibility checker's errors (blocking).

The version recorded for a contract is the clause register (Annex B) of the document legal last
approved: ``--since APPROVED.docx`` reads it back from the DOCX's register table, and
``--since REVIEW.json`` reads the ``register`` of an earlier ``slagen review --format json``.
The register the review prints is the one :func:`slagen.compose.assemble.assemble` puts in Annex B, so
the two always agree.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from slagen.errors import UsageError

KINDS = ("status", "override", "version", "policy", "feasibility")


@dataclass(frozen=True)
class ReviewItem:
    kind: str  # status | override | version | policy | feasibility
    blocking: bool
    document: str  # agreement | sow | "" (the whole contract)
    clause: str  # clause id, or the rule id for policy and feasibility items
    path: str  # YAML path in the contract ("" when the item is about the clause library)
    line: int
    column: int
    message: str
    detail: str = ""
    why: str = ""

    def as_json(self) -> dict:
        return {"kind": self.kind, "blocking": self.blocking, "document": self.document, "clause": self.clause,
                "path": self.path, "line": self.line, "column": self.column, "message": self.message,
                "detail": self.detail, "why": self.why}


@dataclass(frozen=True)
class Review:
    file: str
    label: str
    items: tuple[ReviewItem, ...]
    register: tuple[dict, ...]  # {document, id, title, version, status, sha256, change, reason}

    @property
    def blocking(self) -> list[ReviewItem]:
        return [i for i in self.items if i.blocking]

    @property
    def blocked(self) -> bool:
        return any(i.blocking for i in self.items)

    def as_json(self) -> dict:
        return {"file": self.file, "contract": self.label, "blocked": self.blocked,
                "summary": {"blocking": len(self.blocking), "to_read": len(self.items) - len(self.blocking)},
                "items": [i.as_json() for i in self.items], "register": list(self.register)}


# --------------------------------------------------------------------------------------------
# The recorded register


@dataclass(frozen=True)
class Recorded:
    version: str
    sha16: str


def _semver(value: str) -> tuple:
    match = re.match(r"^(\d+)\.(\d+)\.(\d+)(?:-(.+))?$", value or "")
    if not match:
        return (-1, -1, -1, 0, "")
    major, minor, patch, pre = match.groups()
    # A release sorts after its pre-releases: 1.1.0-rc1 < 1.1.0.
    return (int(major), int(minor), int(patch), 0 if pre else 1, pre or "")


def load_recorded(path: str | Path) -> dict[tuple[str, str], Recorded]:
    """(document, clause id) -> the version and hash legal approved, from a DOCX or review JSON.

    A DOCX holds one document's register, so its entries are keyed under document "" and
    match either document.
    """
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: error: no such file")
    if path.suffix.lower() == ".docx":
        return _register_from_docx(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: error: --since takes an approved DOCX or the JSON of 'slagen review "
                         f"--format json' ({exc})") from None
    entries = data.get("register") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise UsageError(f"{path}: error: the JSON has no 'register' list")
    out = {}
    for e in entries:
        if isinstance(e, dict) and "id" in e:
            out[(str(e.get("document", "")), str(e["id"]))] = Recorded(str(e.get("version", "")),
                                                                    str(e.get("sha256", ""))[:16])
    return out


REGISTER_HEADER = ("Clause", "Title", "Version", "Status")


def _register_from_docx(path: Path) -> dict[tuple[str, str], Recorded]:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for a file that is not a DOCX
        raise UsageError(f"{path}: error: not a DOCX that slagen can read ({exc})") from None
    for table in document.tables:
        rows = [[c.text.strip() for c in row.cells] for row in table.rows]
        if rows and tuple(rows[0][:4]) == REGISTER_HEADER:
            return {("", r[0]): Recorded("" if r[2] == "-" else r[2], r[4] if len(r) > 4 else "")
                    for r in rows[1:] if r and r[0]}
    raise UsageError(f"{path}: error: the document has no clause register (Annex B) to compare with")


# --------------------------------------------------------------------------------------------
# The review


def _register_rows(document: str, register) -> list[dict]:
    return [{"document": document, "id": e.id, "title": e.title, "version": e.version, "status": e.status,
             "sha256": e.sha256, "change": e.change, "reason": e.reason} for e in register]


def _find_section(blocks, section_id: str):
    from slagen.document import Section, walk

    return next((b for b in walk(blocks) if isinstance(b, Section) and b.id == section_id), None)


def override_detail(base_doc, new_doc, override) -> str:
    """The override's difference from the library text, as the redline text shows it."""
    from slagen.review.diff import block_text, diff_blocks

    base = _find_section(base_doc.blocks, override.id)
    new = _find_section(new_doc.blocks, override.id)
    if override.action == "omit":
        return f"omitted: {base.title}" if base is not None else "omitted"
    if override.action == "add":
        text = " ".join(block_text(b) for b in new.children) if new is not None else ""
        return f"added: {override.title}: {text}"
    if base is None:  # the library clause's condition is false for this contract
        return "the library clause is not used for this contract; the replacement adds it"
    result = diff_blocks((base,), (new,))
    lines = []
    for c in result.changes:
        lines.append(f"{c.kind} {c.path}")
        if c.before:
            lines.append(f"  - {c.before}")
        if c.after:
            lines.append(f"  + {c.after}")
    return "\n".join(lines) or "the replacement text is the library text"


def review_contract(contract, doc, *, file: str = "", library=None, policy=None, recorded=None,
                    feasibility: bool = True, outlines=None) -> Review:
    """Everything legal must look at in ``contract`` (``doc``: its source positions).

    ``outlines`` maps a document kind to its outline (default: the packaged library's).
    """
    from slagen.compose.assemble import assemble
    from slagen.compose.library import load_library
    from slagen.review.policy import check_policy, load_policy

    library = library or load_library()
    policy = policy if policy is not None else load_policy()
    items: list[ReviewItem] = []
    register: list[dict] = []

    def where(loc: tuple) -> tuple[str, int, int]:
        from slagen.yaml_source import format_path

        _, (line, column) = doc.position(loc)
        return format_path(loc), line, column

    kinds = ["agreement"] + (["sow"] if contract.sow is not None else [])
    for kind in kinds:
        outline = (outlines or {}).get(kind)
        new_doc = assemble(contract, kind, library=library, outline=outline)
        entries = new_doc.metadata["register"]
        register.extend(_register_rows(kind, entries))
        overrides = [(i, o) for i, o in enumerate(contract.clauses) if o.document == kind]
        base_doc = None
        if overrides:
            others = [o for o in contract.clauses if o.document != kind]
            base_doc = assemble(contract.model_copy(update={"clauses": others}), kind, library=library,
                                outline=outline)

        for e in entries:
            if not e.change and e.status != "approved":
                items.append(ReviewItem("status", True, kind, e.id, "", 0, 0,
                                        f"clause '{e.id}' version {e.version} is in {e.status} status, "
                                        "not approved", why="Only approved library text may go to a customer."))

        for index, o in overrides:
            path, line, column = where(("clauses", index))
            verb = {"omit": "omits", "replace": "replaces", "add": "adds"}[o.action]
            blocking, why = False, ""
            if o.action in ("omit", "replace") and o.id in policy.never_override:
                blocking, why = True, f"House policy: '{o.id}' may never be overridden for one contract."
            elif policy.override_needs_reason and not o.reason:
                blocking, why = True, "House policy: every override records the reason it was agreed."
            reason = f" (reason: {o.reason})" if o.reason else " (no reason given)"
            items.append(ReviewItem("override", blocking, kind, o.id, path, line, column,
                                    f"the contract {verb} clause '{o.id}'{reason}",
                                    detail=override_detail(base_doc, new_doc, o), why=why))

        if recorded is not None:
            for e in entries:
                if e.change in ("added", "omitted"):
                    continue
                before = recorded.get((kind, e.id)) or recorded.get(("", e.id))
                current = library.clauses.get(e.id)
                if current is None:
                    continue
                if before is None:
                    items.append(ReviewItem("version", False, kind, e.id, "", 0, 0,
                                            f"clause '{e.id}' is new since the recorded register"))
                elif _semver(current.version) > _semver(before.version):
                    items.append(ReviewItem(
                        "version", policy.newer_version_blocks, kind, e.id, "", 0, 0,
                        f"clause '{e.id}': the library has version {current.version}, newer than the "
                        f"version {before.version} recorded for this contract"
                        + (" (the contract replaces it)" if e.change == "replaced" else ""),
                        why="The approved text is not the current library text; read the redline."))
                elif (not e.change and before.sha16 and current.version == before.version
                      and current.sha256[:16] != before.sha16):
                    items.append(ReviewItem(
                        "version", True, kind, e.id, "", 0, 0,
                        f"clause '{e.id}': the text changed but its version {current.version} did not "
                        f"(SHA-256 {before.sha16} recorded, {current.sha256[:16]} now)",
                        why="A clause's version must change with its text, or the register cannot "
                            "identify what was approved."))

    for hit in check_policy(contract, policy):
        path, line, column = where(hit.loc)
        items.append(ReviewItem("policy", True, "", hit.rule, path, line, column, hit.message, why=hit.why))

    if feasibility:
        from slagen.check.run import check_contract

        for f in check_contract(contract, doc):
            if f.severity == "error":
                items.append(ReviewItem("feasibility", True, "", f.rule, f.path, f.line, f.column, f.message,
                                        why=f.why))

    order = {k: n for n, k in enumerate(KINDS)}
    items.sort(key=lambda i: (not i.blocking, order[i.kind], i.line))
    a = contract.agreement
    return Review(file, f"{a.reference} version {a.version} ({a.status})", tuple(items), tuple(register))


def review_file(path: str | Path, *, policy_path=None, since=None, library_dir=None) -> Review:
    """Load, assemble and review one contract file. Raises InvalidInput for an invalid file.

    The clauses, outlines and policy come from the library :func:`slagen.library_source.resolve_library`
    finds (``library_dir`` first); ``policy_path`` replaces the library's policy.
    """
    from slagen.compose.assemble import load_outline
    from slagen.compose.library import load_house_library
    from slagen.library_source import resolve_library
    from slagen.load import load_with_positions
    from slagen.review.policy import Policy, load_policy

    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: error: no such file")
    contract, doc = load_with_positions(path)
    library = resolve_library(path, library_dir)
    if policy_path is not None:
        policy = load_policy(policy_path)
    else:
        policy = load_policy(library.policy_file) if library.policy_file.is_file() else Policy()
    recorded = load_recorded(since) if since is not None else None
    outlines = {kind: load_outline(kind, library.template_dir) for kind in ("agreement", "sow")}
    return review_contract(contract, doc, file=str(path), policy=policy, recorded=recorded,
                           library=load_house_library(library), outlines=outlines)


def review_text(review: Review) -> str:
    blocking = review.blocking
    to_read = [i for i in review.items if not i.blocking]
    head = (f"{review.file}: {review.label}: "
            + (f"approval blocked by {len(blocking)} item{'s' if len(blocking) != 1 else ''}"
               if blocking else "nothing blocks approval")
            + f"; {len(to_read)} more to read")
    out = [head]
    for title, group in (("Blocking approval", blocking), ("To read", to_read)):
        if not group:
            continue
        out += ["", title]
        for i in group:
            at = f"{review.file}:{i.line}:{i.column}: " if i.line else ""
            doc = f"[{i.document}] " if i.document else ""
            out.append(f"  {at}{i.kind} {doc}{i.clause}: {i.message}" + (f" (at {i.path})" if i.path else ""))
            if i.why:
                out.append(f"    why: {i.why}")
            for line in i.detail.splitlines():
                out.append(f"    | {line}")
    return "\n".join(out) + "\n"


__all__ = ["Review", "ReviewItem", "review_contract", "review_file", "review_text", "load_recorded"]
