"""The clause library: one Markdown file per clause, with versioned front matter.

A clause file is front matter between two '---' lines and a Markdown body (the format is
described in :mod:`slagen.compose.clause_file`).

This module reads those files (:mod:`slagen.compose.clause_file` parses one) and holds them as a
:class:`ClauseLibrary`; the SHA-256 of each file's text identifies exactly what a document used.
What happens to a clause body lives next door, one job per module: :mod:`slagen.compose.clause_text`
renders it with every value as data, :mod:`slagen.compose.clause_check` checks it against the contract
model, :mod:`slagen.compose.markdown_tree` turns the rendered Markdown into the document tree, and
:mod:`slagen.compose.facts` holds the computed figures a clause may quote.

Every clause is checked against the model when the library loads: a clause that names a field the
contract lacks is reported then, by the test suite, never during a render.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from slagen.compose.clause_check import check_clause
from slagen.compose.clause_file import DOCUMENT_KINDS, STATUSES, Clause, parse_clause, split_variants  # noqa: F401 (public here too)
from slagen.errors import ClauseError
from slagen.library.folder import Library, default_library

CLAUSE_DIR = default_library().clause_dir  # the packaged default's clauses (slagen.library.folder)
@dataclass(frozen=True)
class ClauseLibrary:
    clauses: dict[str, Clause]
    # Which library this is, for the clause register (Annex B): set by load_house_library.
    name: str = ""
    version: str = ""
    content_hash: str = ""
    # The law data the clauses read (slagen.library.law); None: the packaged default's.
    law_folder: Path | None = None

    def law(self):
        """The library's law book (slagen.library.law.LawBook)."""
        from slagen.library.law import load_law

        return load_law(self.law_folder or default_library().law_dir)

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
    folder = Path(directory)
    library = _load(folder, check)
    law = folder.parent / "law"  # a library folder's law/ beside its clauses/
    return replace(library, law_folder=law) if (law / "systems").is_dir() else library


def load_house_library(library: Library) -> ClauseLibrary:
    """The clauses of a resolved library (slagen.library.folder), carrying its name, version and hash."""
    if library == default_library():
        return _default_library()
    return _with_identity(_load(library.clause_dir, True), library)


def _with_identity(clauses: ClauseLibrary, library: Library) -> ClauseLibrary:
    return replace(clauses, name=library.name, version=library.version, content_hash=library.content_hash(),
                   law_folder=library.law_folder)


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
