"""Document outlines: which clauses go where in the agreement and the statement of work.

Kept apart from assembly so that `slagen validate` can check a contract's clause changes against
the outlines without importing the whole composition step.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from slagen.errors import SlagenError
from slagen.library.folder import default_library

OUTLINE_DIR = default_library().template_dir  # the packaged default's outlines (slagen.library.folder)



@dataclass(frozen=True)
class Entry:
    clause: str
    signature_block: bool = False


@dataclass(frozen=True)
class Annex:
    id: str
    title: str
    clauses: tuple[str, ...]
    generated: str = ""


@dataclass(frozen=True)
class Outline:
    kind: str
    cover: bool
    contents: bool
    body: tuple[Entry, ...]
    annexes: tuple[Annex, ...]

    def clause_ids(self) -> list[str]:
        return [e.clause for e in self.body] + [c for a in self.annexes for c in a.clauses]


@lru_cache(maxsize=None)
def load_outline(kind: str, directory: Path | None = None) -> Outline:
    from slagen.source.yaml_positions import load_plain_yaml

    path = (directory or OUTLINE_DIR) / f"{kind}.yaml"
    if not path.is_file():
        raise SlagenError(f"error: there is no outline for the document '{kind}' ({path})")
    data = load_plain_yaml(path.read_text(encoding="utf-8"))
    body = tuple(
        Entry(item) if isinstance(item, str) else Entry(item["clause"], bool(item.get("signature_block")))
        for item in data.get("body", [])
    )
    annexes = tuple(
        Annex(a["id"], a["title"], tuple(a.get("clauses", [])), a.get("generated", ""))
        for a in data.get("annexes", [])
    )
    return Outline(data.get("kind", kind), bool(data.get("cover", True)), bool(data.get("contents", True)),
                   body, annexes)
