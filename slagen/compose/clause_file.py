"""One clause file: its front matter checked and parsed, its body and its jurisdiction variants.

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

Kept apart from :mod:`slagen.compose.library` (which loads a whole library and checks every clause
with :mod:`slagen.compose.clause_check`) so that the checker can name the ``Clause`` type without
importing the loader that calls it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from slagen.errors import ClauseError

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
    from slagen.source.yaml_positions import load_plain_yaml
    from ruamel.yaml.error import YAMLError

    match = re.match(r"^---[ \t]*\n(.*?)\n---[ \t]*\n(.*)$", source, re.DOTALL)
    if not match:
        raise ClauseError(f"{path}: error: a clause starts with front matter between two '---' lines")
    try:
        meta = load_plain_yaml(match.group(1))
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
