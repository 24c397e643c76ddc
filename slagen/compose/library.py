"""The clause library: one Markdown file per clause, with versioned front matter.

A clause file looks like this::

    ---
    id: term-and-renewal
    title: Term and renewal
    version: 1.0.0
    status: approved
    documents: [agreement]
    when: agreement.renewal            # optional: a Jinja expression over the contract
    ---
    This Agreement starts on {{ agreement.effective_date | date }} ...

This module reads and validates those files (:func:`parse_clause`) and holds them as a
:class:`ClauseLibrary`; the SHA-256 of each file's text identifies exactly what a document used.
What happens to a clause body lives next door, one job per module: :mod:`slagen.compose.clause_text`
renders it with every value as data, :mod:`slagen.compose.clause_check` checks it against the contract
model, :mod:`slagen.compose.markdown_tree` turns the rendered Markdown into the document tree, and
:mod:`slagen.compose.facts` holds the computed figures a clause may quote.

Every clause is checked against the model when the library loads: a clause that names a field the
contract lacks is reported then, by the test suite, never during a render.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from slagen.compose.clause_check import check_clause
from slagen.errors import ClauseError
from slagen.library_source import Library, default_library

CLAUSE_DIR = default_library().clause_dir  # the packaged default's clauses (slagen.library_source)
DOCUMENT_KINDS = ("agreement", "sow")
STATUSES = ("draft", "approved")
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FRONT_KEYS = {"id", "title", "version", "status", "documents", "when"}


@dataclass(frozen=True)
class Clause:
    id: str
    title: str
    version: str
    status: str
    documents: tuple[str, ...]
    when: str | None
    body: str
    source: str  # the whole file: its hash identifies the exact text that was used
    path: str = ""
    # Variant bodies for other jurisdictions or languages: (condition, body, its first line in ``body_text``).
    variants: tuple[tuple[str, str, int], ...] = ()

    @property
    def body_text(self) -> str:
        """Everything after the front matter: the default body and every variant with its marker."""
        return self.source[self.source.index(self.body):] if self.body else self.source

    def body_for(self, holds) -> str:
        """The body to render: the first variant whose condition ``holds(expr)``, else the default."""
        for condition, body, _ in self.variants:
            if holds(condition):
                return body
        return self.body

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source.encode("utf-8")).hexdigest()


def parse_clause(source: str, path: str = "<clause>") -> Clause:
    """A clause from its file text; front matter errors name the file."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    match = re.match(r"^---[ \t]*\n(.*?)\n---[ \t]*\n(.*)$", source, re.DOTALL)
    if not match:
        raise ClauseError(f"{path}: error: a clause starts with front matter between two '---' lines")
    try:
        meta = YAML(typ="safe", pure=True).load(match.group(1))
    except YAMLError as exc:
        raise ClauseError(f"{path}: error: the front matter is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise ClauseError(f"{path}: error: the front matter must be a mapping of keys to values")
    problems = []
    unknown = sorted(set(meta) - _FRONT_KEYS)
    if unknown:
        problems.append(f"unknown front matter keys: {', '.join(unknown)}")
    for key in ("id", "title", "version", "status", "documents"):
        if key not in meta:
            problems.append(f"the front matter needs '{key}'")
    if problems:
        raise ClauseError("\n".join(f"{path}: error: {p}" for p in problems))
    clause_id, version, status = str(meta["id"]), str(meta["version"]), str(meta["status"])
    documents = meta["documents"] if isinstance(meta["documents"], list) else [meta["documents"]]
    if not _ID.match(clause_id):
        problems.append(f"id '{clause_id}' must be lower-case letters, digits and '-'")
    if not _SEMVER.match(version):
        problems.append(f"version '{version}' is not a semantic version such as 1.0.0")
    if status not in STATUSES:
        problems.append(f"status '{status}' must be one of {', '.join(STATUSES)}")
    for doc in documents:
        if doc not in DOCUMENT_KINDS:
            problems.append(f"document '{doc}' must be one of {', '.join(DOCUMENT_KINDS)}")
    when = meta.get("when")
    if when is not None and not isinstance(when, str):
        problems.append("'when' must be an expression written as text")
    if problems:
        raise ClauseError("\n".join(f"{path}: error: {p}" for p in problems))
    body, variants = split_variants(match.group(2), path)
    return Clause(
        id=clause_id,
        title=str(meta["title"]),
        version=version,
        status=status,
        documents=tuple(documents),
        when=when,
        body=body,
        source=source,
        path=path,
        variants=variants,
    )


# A variant starts at a line of its own: <!-- variant when: facts.law.system == "us" -->
# (an HTML comment, so a Markdown preview of the clause file shows the bodies one after another).
_VARIANT = re.compile(r"^<!--\s*variant\s+when:\s*(.*?)\s*-->[ \t]*$", re.MULTILINE)


def split_variants(text: str, path: str = "<clause>") -> tuple[str, tuple[tuple[str, str, int], ...]]:
    """The default body and each variant body of a clause, with the condition that selects it.

    One clause id, one version and one register entry cover all of its variants: a variant is the
    same promise worded for another jurisdiction, not another clause.
    """
    markers = list(_VARIANT.finditer(text))
    if not markers:
        return text, ()
    default = text[: markers[0].start()]
    variants = []
    for index, marker in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(text)
        condition = marker.group(1)
        if not condition:
            raise ClauseError(f"{path}: error: a variant needs a condition: <!-- variant when: EXPRESSION -->")
        start = marker.end() + 1 if text.startswith("\n", marker.end()) else marker.end()
        first_line = text.count("\n", 0, start) + 1  # the variant body's first line, counted in the body
        variants.append((condition, text[start:end], first_line))
    return default, tuple(variants)


@dataclass(frozen=True)
class ClauseLibrary:
    clauses: dict[str, Clause]
    # Which library this is, for the clause register (Annex B): set by load_house_library.
    name: str = ""
    version: str = ""
    content_hash: str = ""

    def __getitem__(self, clause_id: str) -> Clause:
        try:
            return self.clauses[clause_id]
        except KeyError:
            raise ClauseError(f"error: there is no clause '{clause_id}' in the clause library") from None

    def __contains__(self, clause_id: str) -> bool:
        return clause_id in self.clauses

    def __iter__(self):
        return iter(self.clauses.values())

    def problems(self) -> list[str]:
        """Every clause checked against the contract model: unknown names, fields, filters."""
        out: list[str] = []
        for clause in self:
            out.extend(check_clause(clause))
        return out


def load_library(directory: str | Path | None = None, *, check: bool = True) -> ClauseLibrary:
    """Every ``*.md`` clause in ``directory`` (README.md aside), checked against the model."""
    if directory is None:
        return _default_library()
    return _load(Path(directory), check)


def load_house_library(library: Library) -> ClauseLibrary:
    """The clauses of a resolved library (slagen.library_source), carrying its name, version and hash."""
    if library == default_library():
        return _default_library()
    return _with_identity(_load(library.clause_dir, True), library)


def _with_identity(clauses: ClauseLibrary, library: Library) -> ClauseLibrary:
    return replace(clauses, name=library.name, version=library.version, content_hash=library.content_hash())


@lru_cache(maxsize=1)
def _default_library() -> ClauseLibrary:
    return _with_identity(_load(CLAUSE_DIR, True), default_library())


def _load(directory: Path, check: bool) -> ClauseLibrary:
    clauses: dict[str, Clause] = {}
    for file in sorted(directory.glob("*.md")):
        if file.name.lower() == "readme.md":
            continue
        clause = parse_clause(file.read_text(encoding="utf-8"), str(file))
        if clause.id != file.stem:
            raise ClauseError(f"{file}: error: the clause id '{clause.id}' must match the file name")
        clauses[clause.id] = clause
    library = ClauseLibrary(clauses)
    if check:
        problems = library.problems()
        if problems:
            raise ClauseError("\n".join(problems))
    return library
