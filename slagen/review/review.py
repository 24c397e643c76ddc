"""`slagen review`: everything legal must look at in one draft, and whether it blocks approval.

* clauses from the library that are not in approved status (blocking);
* clauses the contract replaces, adds or omits, each with its difference from the library text
  (blocking when the policy forbids overriding that clause, or when no reason is given);
* clauses whose library version is newer than the one recorded for this contract, or whose text
  changed under the same version number (the latter always blocks: the register would lie);
* contract values outside the house policy (``clauses/policy.yaml``; blocking);
* the feasibility checker's errors (blocking).

The version recorded for a contract is the clause register (the last annex) of the document legal last
approved: ``--since APPROVED.docx`` reads it back from the DOCX's register table, and
``--since REVIEW.json`` reads the ``register`` of an earlier ``slagen review --format json``.
The register the review prints is the one :func:`slagen.compose.assemble.assemble` puts in the clause register annex, so
the two always agree.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from slagen.errors import UsageError
from slagen.source.words import count

KINDS = ("status", "foreign_law", "override", "version", "policy", "feasibility")
_KIND_WORDS = {"agreement": "agreement", "sow": "statement of work"}


@dataclass(frozen=True)
class ReviewItem:
    kind: str  # status | foreign_law | override | version | policy | feasibility
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
    defaults: tuple[tuple[str, str], ...] = ()  # (YAML path, value in words) the contract leaves to slagen

    @property
    def blocking(self) -> list[ReviewItem]:
        return [i for i in self.items if i.blocking]

    @property
    def blocked(self) -> bool:
        return any(i.blocking for i in self.items)

    def as_json(self) -> dict:
        return {"file": self.file, "contract": self.label, "blocked": self.blocked,
                "summary": {"blocking": len(self.blocking), "to_read": len(self.items) - len(self.blocking)},
                "items": [i.as_json() for i in self.items], "register": list(self.register),
                "defaults": [{"path": path, "value": value} for path, value in self.defaults]}


# --------------------------------------------------------------------------------------------
# The recorded register


@dataclass(frozen=True)
class Recorded:
    version: str
    sha16: str


# A version part longer than this is not a version a person wrote; refusing it keeps int() cheap.
_SEMVER = re.compile(r"^(\d{1,9})\.(\d{1,9})\.(\d{1,9})(?:-([0-9A-Za-z.-]{1,64}))?$")
MAX_SINCE_BYTES = 20 * 1024 * 1024  # an approved DOCX is tens of kilobytes; a review JSON less
MAX_DOCX_MEMBERS = 500  # a slagen DOCX has about twenty parts
MAX_DOCX_INFLATED = 64 * 1024 * 1024  # the parts unpacked, all together
_SINCE_HELP = ("--since takes the DOCX legal approved (its clause register, the last annex) or the JSON of "
               "'slagen review --format json'")


def _semver(value: str) -> tuple:
    match = _SEMVER.match(value or "")
    if not match:
        return (-1, -1, -1, 0, "")
    major, minor, patch, pre = match.groups()
    # A release sorts after its pre-releases: 1.1.0-rc1 < 1.1.0.
    return (int(major), int(minor), int(patch), 0 if pre else 1, pre or "")


def load_recorded(path: str | Path) -> dict[tuple[str, str], Recorded]:
    """(document, clause id) -> the version and hash legal approved, from a DOCX or review JSON.

    A DOCX holds one document's register: its entries are keyed under the kind its properties
    name (agreement or sow), or under "" (either document) when they name none. Every input is
    bounded before it is read: the file's size, and for a DOCX the number of parts and their
    unpacked size, so a zip bomb is refused unopened.
    """
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: error: no such file")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise UsageError(f"{path}: error: the file cannot be read: {exc.strerror or exc}") from None
    if size > MAX_SINCE_BYTES:
        raise UsageError(f"{path}: error: the file is {size // (1024 * 1024)} MB, far larger than an approved "
                         f"document or a review; {_SINCE_HELP}")
    if head.startswith(b"%PDF-"):
        raise UsageError(f"{path}: error: a PDF is not an approved DOCX: the clause register can only be read "
                         f"back from the DOCX; {_SINCE_HELP}")
    if head.startswith(b"PK") or path.suffix.lower() == ".docx":
        return _register_from_docx(path)
    return _register_from_json(path)


def _register_from_json(path: Path) -> dict[tuple[str, str], Recorded]:
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise UsageError(f"{path}: error: the file is neither a DOCX nor UTF-8 text; {_SINCE_HELP}") from None
    except RecursionError:
        raise UsageError(f"{path}: error: the JSON is nested too deeply to be a review; {_SINCE_HELP}") from None
    except ValueError as exc:
        where = f":{exc.lineno}:{exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "a number in it is far too long"
        raise UsageError(f"{path}{where}: error: the JSON cannot be read ({reason}); {_SINCE_HELP}") from None
    entries = data.get("register") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise UsageError(f"{path}: error: the JSON has no 'register' list; {_SINCE_HELP}")
    out = {}
    for n, e in enumerate(entries, start=1):
        if not isinstance(e, dict) or not isinstance(e.get("id"), str):
            raise UsageError(f"{path}: error: register entry {n} has no clause 'id'; {_SINCE_HELP}")
        document = e.get("document", "")
        if document not in ("", "agreement", "sow"):
            raise UsageError(f"{path}: error: register entry {n} ('{_short(e['id'])}') names document "
                             f"'{_short(document)}'; it must be agreement or sow")
        out[(document, e["id"])] = _recorded(path, e["id"], e.get("version", ""), e.get("sha256", ""))
    return out


def _short(value: object, limit: int = 40) -> str:
    text = str(value) if not isinstance(value, int) or abs(value) < 10 ** 40 else "a very long number"
    return text if len(text) <= limit else text[:limit] + "..."


def _recorded(path: Path, clause: str, version: object, sha: object) -> Recorded:
    """One register entry, its version checked: '' or '-' (none), or a semantic version."""
    version = "" if version in (None, "-") else version
    if not isinstance(version, str) or (version and not _SEMVER.match(version)):
        raise UsageError(f"{path}: error: the register gives clause '{_short(clause)}' the version "
                         f"'{_short(version)}', which is not a version such as 1.0.0")
    if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{0,64}", sha):
        raise UsageError(f"{path}: error: the register gives clause '{_short(clause)}' a SHA-256 that is not "
                         "hexadecimal digits")
    return Recorded(version, sha[:16])


REGISTER_HEADER = ("Clause", "Title", "Version", "Status")


def _docx_within_bounds(path: Path) -> None:
    """Refuse a DOCX whose parts are too many or unpack too large, before any part is read."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UsageError(f"{path}: error: the file is not a DOCX (it is not a Word document's zip archive); "
                         f"{_SINCE_HELP}") from None
    if len(members) > MAX_DOCX_MEMBERS:
        raise UsageError(f"{path}: error: the DOCX holds {len(members)} parts; an approved agreement holds a few "
                         f"dozen, so it was not opened")
    inflated = sum(m.file_size for m in members)
    if inflated > MAX_DOCX_INFLATED:
        raise UsageError(f"{path}: error: the DOCX would unpack to {inflated // (1024 * 1024)} MB; an approved "
                         "agreement unpacks to well under 1 MB, so it was not opened")


def _register_from_docx(path: Path) -> dict[tuple[str, str], Recorded]:
    _docx_within_bounds(path)
    import docx

    try:
        document = docx.Document(str(path))
    except Exception:  # python-docx raises several types for a file that is not a DOCX
        raise UsageError(f"{path}: error: not a DOCX that slagen can read; {_SINCE_HELP}") from None
    category = (document.core_properties.category or "").strip().lower()
    kind = category if category in ("agreement", "sow") else ""
    for table in document.tables:
        rows = [[c.text.strip() for c in row.cells] for row in table.rows]
        if not rows or tuple(rows[0][:4]) != REGISTER_HEADER:
            continue
        out = {}
        for n, row in enumerate(rows[1:], start=1):
            if not any(row):
                continue
            if len(row) < len(REGISTER_HEADER):
                raise UsageError(f"{path}: error: row {n} of the clause register has {len(row)} "
                                 f"cell{'s' if len(row) != 1 else ''}; each row gives a clause's "
                                 f"{', '.join(REGISTER_HEADER)}, so the register was altered and cannot be "
                                 "compared")
            out[(kind, row[0])] = _recorded(path, row[0], row[2], row[4] if len(row) > 4 else "")
        return out
    raise UsageError(f"{path}: error: the document has no clause register (the last annex) to compare with")


def load_recorded_all(paths) -> dict[tuple[str, str], Recorded]:
    """The registers of several approved documents (the agreement's and the SOW's), together."""
    out: dict[tuple[str, str], Recorded] = {}
    for path in paths:
        out.update(load_recorded(path))
    return out


# --------------------------------------------------------------------------------------------
# The review


def _covers(recorded: dict, kind: str, ids: set[str]) -> bool:
    """Whether the recorded register is this document's: it says so, or (a DOCX that does not say
    which document it is) most of this document's clauses are in it."""
    if any(k == kind for k, _ in recorded):
        return True
    unnamed = {clause for k, clause in recorded if k == ""}
    return bool(unnamed) and 2 * len(unnamed & ids) > len(ids)


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
                    feasibility: bool = True, outlines=None, clause_dir=None) -> Review:
    """Everything legal must look at in ``contract`` (``doc``: its source positions).

    ``outlines`` maps a document kind to its outline (default: the packaged library's), and
    ``clause_dir`` is the folder of ``library``'s clauses, whose wording the feasibility check reads.
    """
    from slagen.compose.assemble import assemble
    from slagen.compose.library import load_library
    from slagen.review.policy import check_policy, load_policy

    library = library or load_library()
    policy = policy if policy is not None else load_policy()
    items: list[ReviewItem] = []
    register: list[dict] = []

    def where(loc: tuple) -> tuple[str, int, int]:
        from slagen.source.yaml_positions import format_path

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

        items.extend(_foreign_law_items(contract, new_doc, library, where))

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

        covered = recorded is not None and _covers(recorded, kind, {e.id for e in entries})
        if recorded is not None and not covered:
            items.append(ReviewItem(
                "version", False, kind, "register", "", 0, 0,
                f"the recorded register is not the {_KIND_WORDS[kind]}'s, so its clause versions were not "
                "compared", why=f"Give --since the approved {_KIND_WORDS[kind]} as well (--since may be repeated)."))
        if covered:
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

        for f in check_contract(contract, doc, clause_dir=clause_dir):
            if f.severity == "error":
                items.append(ReviewItem("feasibility", True, "", f.rule, f.path, f.line, f.column, f.message,
                                        why=f.why))

    order = {k: n for n, k in enumerate(KINDS)}
    items.sort(key=lambda i: (not i.blocking, order[i.kind], i.line))
    a = contract.agreement
    return Review(file, f"{a.reference} version {a.version} ({a.status})", tuple(items), tuple(register),
                  defaults=_defaults_relied_on(contract))


def _foreign_law_items(contract, document, library, where) -> list[ReviewItem]:
    """Blocking items for every clause that speaks another legal system's law (slagen.review.foreign_law).

    A hit in a clause the contract typed in itself (an override) points at that override's line.
    """
    from slagen.review.foreign_law import foreign_law_hits

    legal = contract.agreement.legal
    overrides = {(o.document, o.id): index for index, o in enumerate(contract.clauses)
                 if o.action in ("replace", "add")}
    items = []
    for hit in foreign_law_hits(document, library.law(), legal.code):
        index = overrides.get((hit.document, hit.clause))
        path, line, column = where(("clauses", index)) if index is not None else ("", 0, 0)
        source = "the contract's own text for clause" if index is not None else "clause"
        owners = ", ".join(_OWNER_WORDS.get(owner, owner) for owner in hit.owners)
        words = ", ".join(f"'{w}'" for w in hit.words)
        items.append(ReviewItem(
            "foreign_law", True, hit.document, hit.clause, path, line, column,
            f"{source} '{hit.clause}' uses words of another legal system ({owners}) in a contract under the "
            f"law of {legal.name}: {words}",
            why="Every statute, institution and mechanic a document names must belong to its governing law; "
                "reword the clause for this jurisdiction."))
    return items


_OWNER_WORDS = {"uk": "United Kingdom law", "ie": "Irish law", "us": "United States law"}


def _defaults_relied_on(contract) -> tuple[tuple[str, str], ...]:
    """The protective values the contract leaves to slagen's defaults, where the model lists them."""
    try:
        from slagen.model.defaults import defaults_relied_on
    except ImportError:  # a contract format without defaulted protective terms
        return ()
    return tuple((str(path), str(words)) for path, words in defaults_relied_on(contract))


def review_file(path: str | Path, *, policy_path=None, since=None, library_dir=None) -> Review:
    """Load, assemble and review one contract file. Raises InvalidInput for an invalid file.

    The clauses, outlines and policy come from the library :func:`slagen.library.folder.resolve_library`
    finds (``library_dir`` first); ``policy_path`` replaces the library's policy.
    """
    return load_and_review(path, policy_path=policy_path, since=since, library_dir=library_dir)[1]


def load_and_review(path: str | Path, *, policy_path=None, since=None, library_dir=None):
    """(contract, review) for one contract file: the review sheet needs both."""
    from slagen.library.folder import resolve_library
    from slagen.library.contracts import load_with_positions
    from slagen.review.policy import Policy, load_policy

    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: error: no such file")
    contract, doc = load_with_positions(path)
    house = resolve_library(path, library_dir)
    if since is not None and not isinstance(since, (list, tuple)):
        since = [since]
    recorded = load_recorded_all(since) if since else None
    return contract, review_in_library(contract, doc, file=str(path), house=house, policy_path=policy_path,
                                       recorded=recorded)


def review_in_library(contract, doc, *, file: str, house=None, policy_path=None, recorded=None) -> Review:
    """The review of ``contract`` against a resolved library (default: the packaged one): its clauses,
    its outlines, and its policy unless ``policy_path`` replaces it."""
    from slagen.compose.assemble import load_outline
    from slagen.compose.library import load_house_library
    from slagen.library.folder import default_library
    from slagen.review.policy import Policy, load_policy

    house = house or default_library()
    if policy_path is not None:
        policy = load_policy(policy_path)
    else:
        policy = load_policy(house.policy_file) if house.policy_file.is_file() else Policy()
    outlines = {kind: load_outline(kind, house.template_dir) for kind in ("agreement", "sow")}
    return review_contract(contract, doc, file=file, policy=policy, recorded=recorded,
                           library=load_house_library(house), outlines=outlines, clause_dir=house.clause_dir)


def review_text(review: Review) -> str:
    blocking = review.blocking
    to_read = [i for i in review.items if not i.blocking]
    head = (f"{review.file}: {review.label}: "
            + (f"approval blocked by {count(len(blocking), 'item')}"
               if blocking else "nothing blocks approval")
            + f"; {len(to_read)} more to read")
    out = [head]
    groups = [("Blocking approval", blocking), ("To read", to_read)]
    for title, group in groups:
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
    if review.defaults:
        out += ["", "Defaults relied on (values the contract does not state)"]
        out += [f"  {path}: {value}" for path, value in review.defaults]
    return "\n".join(out) + "\n"


__all__ = ["Review", "ReviewItem", "review_contract", "review_file", "review_text", "load_recorded"]
