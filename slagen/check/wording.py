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

CLAUSE_DIR = Path(__file__).resolve().parents[2] / "clauses"
_FRONT_MATTER = re.compile(r"^---[ \t]*\n.*?\n---[ \t]*\n", re.DOTALL)


@lru_cache(maxsize=64)
def library_body(clause_id: str, directory: Path = CLAUSE_DIR) -> str | None:
    """The text of a library clause after its front matter, or None when there is no such clause."""
    file = directory / f"{clause_id}.md"
    try:
        source = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return _FRONT_MATTER.sub("", source, count=1)


def clause_wording(contract: "Contract", clause_id: str, document: str) -> str | None:
    """The wording of ``clause_id`` in this contract's ``document``: None when the clause is omitted."""
    for override in contract.clauses:
        if override.id == clause_id and override.document == document:
            if override.action == "omit":
                return None
            if override.action == "replace":
                return override.text or ""
    return library_body(clause_id)


def sentences(text: str) -> list[str]:
    """Sentences of a clause, template tags and bold marks removed, so that phrases are read in their
    own sentence."""
    plain = re.sub(r"\{%.*?%\}", " ", text, flags=re.DOTALL)
    plain = re.sub(r"\*\*|__", "", plain)  # bold run-in headings such as **Variation.**
    plain = re.sub(r"\s+", " ", plain)
    return [s.strip() for s in re.split(r"(?<=[.;:])\s+", plain) if s.strip()]


def first_sentence(text: str | None, pattern: re.Pattern[str]) -> str | None:
    """The first sentence of ``text`` that matches ``pattern``."""
    if not text:
        return None
    return next((s for s in sentences(text) if pattern.search(s)), None)
