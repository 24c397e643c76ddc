"""One problem the checker found: which rule, how bad, where, and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("error", "warning", "info")
_RANK = {name: i for i, name in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Finding:
    """A promise the contract makes that the estate, staffing or wording cannot keep.

    ``path`` is the YAML path of the value a user must change (``priorities[0].resolution``) and
    ``line``/``column`` its 1-based position in the file.
    """

    rule: str
    severity: str
    path: str
    line: int
    column: int
    message: str
    why: str
    fix: str

    @property
    def section(self) -> str:
        """The top-level section the finding sits in: ``priorities`` for ``priorities[0].clock``."""
        head = self.path.split(".", 1)[0]
        return head.split("[", 1)[0] or "(top level)"

    def sort_key(self) -> tuple:
        return (_RANK[self.severity], self.line, self.column, self.rule, self.message)

    def as_json(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "why": self.why,
            "fix": self.fix,
        }
