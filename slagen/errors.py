"""Errors a user can cause. Each one knows where in which file it happened."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One mistake in an input file, at a 1-based line and column, with its YAML path."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        # Messages quote the user's values; control characters in them are shown, not obeyed.
        from slagen.source.terminal import visible

        where = f" (at {visible(self.path)})" if self.path else ""
        return f"{visible(self.file)}:{self.line}:{self.column}: error: {visible(self.message)}{where}"

    def as_json(self) -> dict:
        return {"line": self.line, "column": self.column, "path": self.path, "message": self.message}


class SlagenError(Exception):
    """Something a user can put right. The CLI prints it and exits 2; never a traceback."""


@dataclass
class InvalidInput(SlagenError):
    """An input file with one or more problems, all of them found in one pass."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class ClauseError(SlagenError):
    """A clause file that is malformed or names something the contract does not have."""


class UsageError(SlagenError):
    """A command used wrongly: a missing file, a bad option value."""
