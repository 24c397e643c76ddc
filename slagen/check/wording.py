"""What the clauses of one contract say, read as plain text for the consistency rules.

A consistency rule compares a contract value with the wording a clause prints around it: the
agreement's variation clause needs signatures, the SOW's acceptance clause accepts work by
silence. The wording is the library clause's body (front matter aside), unless the contract
replaces the clause (its replacement text) or omits it (no wording at all).

The clause files are read as text, never through the template engine: ``slagen check`` is a
light command and must not import Jinja. A rule looks for a few phrases (listed next to it),
so a provider who rewords a clause keeps the rule in step by keeping those phrases, and the
rule's "why" says which phrases it reads.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slagen.model import Contract



def _default_clause_dir() -> Path:
    """The packaged library's clauses: through slagen.library.folder where this build has it."""
    try:
        from slagen.library.folder import default_library
    except ImportError:  # a build whose library is the repository's clauses/ folder
        return Path(__file__).resolve().parents[2] / "clauses"
    return default_library().clause_dir


CLAUSE_DIR = _default_clause_dir()
_FRONT_MATTER = re.compile(r"^---[ \t]*\n.*?\n---[ \t]*\n", re.DOTALL)


@lru_cache(maxsize=256)  # every clause of a library or two
def library_body(clause_id: str, directory: Path = CLAUSE_DIR) -> str | None:
    """The text of a library clause after its front matter, or None when there is no such clause."""
    file = directory / f"{clause_id}.md"
    try:
        source = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return _FRONT_MATTER.sub("", source, count=1)


@lru_cache(maxsize=4)
def _library_documents(directory: Path = CLAUSE_DIR) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(clause id, the documents it belongs to) for every clause file, from its front matter."""
    from slagen.source.yaml_positions import load_plain_yaml
    from ruamel.yaml.error import YAMLError

    out = []
    for file in sorted(directory.glob("*.md")):
        match = re.match(r"^---[ \t]*\n(.*?)\n---[ \t]*\n", file.read_text(encoding="utf-8"), re.DOTALL)
        if file.name.lower() == "readme.md" or not match:
            continue
        try:
            meta = load_plain_yaml(match.group(1))
        except YAMLError:
            continue  # a malformed clause is reported by the library loader, not here
        documents = meta.get("documents", []) if isinstance(meta, dict) else []
        out.append((file.stem, tuple(documents if isinstance(documents, list) else [documents])))
    return tuple(out)


def document_wording(contract: "Contract", document: str, directory: Path | None = None) -> list[tuple[str, str]]:
    """(clause id, wording) for every clause of ``document``: library clauses as this contract changes
    them, and the clauses it adds. A clause's condition is not evaluated: its wording is read whether
    or not this contract prints it, which errs towards reading a promise that is there. ``directory``
    is the library's clauses folder (default: the packaged library's)."""
    out = []
    for clause_id, documents in _library_documents(directory or CLAUSE_DIR):
        if document in documents:
            wording = clause_wording(contract, clause_id, document, directory)
            if wording:
                out.append((clause_id, wording))
    out += [(o.id, o.text or "") for o in contract.clauses if o.action == "add" and o.document == document]
    return out


def clause_wording(contract: "Contract", clause_id: str, document: str, directory: Path | None = None) -> str | None:
    """The wording of ``clause_id`` in this contract's ``document``: None when the clause is omitted."""
    for override in contract.clauses:
        if override.id == clause_id and override.document == document:
            if override.action == "omit":
                return None
            if override.action == "replace":
                return override.text or ""
    return library_body(clause_id, directory or CLAUSE_DIR)


@lru_cache(maxsize=256)  # the library's clauses are read by several rules on every check
def sentences(text: str) -> tuple[str, ...]:
    """Sentences of a clause, template tags and bold marks removed, so that phrases are read in their
    own sentence."""
    plain = re.sub(r"\{%.*?%\}", " ", text, flags=re.DOTALL)
    plain = re.sub(r"\*\*|__", "", plain)  # bold run-in headings such as **Variation.**
    plain = re.sub(r"\s+", " ", plain)
    return tuple(s.strip() for s in re.split(r"(?<=[.;:])\s+", plain) if s.strip())


def first_sentence(text: str | None, pattern: re.Pattern[str]) -> str | None:
    """The first sentence of ``text`` that matches ``pattern``."""
    if not text:
        return None
    return next((s for s in sentences(text) if pattern.search(s)), None)
