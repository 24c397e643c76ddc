"""Which library a command uses, and where its files are.

A library is a folder the provider owns::

    slagen.toml            [library] name and version (what Annex B records)
    clauses/               one Markdown file per clause, and policy.yaml (the house policy)
    contract_templates/    the outlines (agreement.yaml, sow.yaml), print.css, brand.yaml, fonts/
    law/                   the law of each legal system and jurisdiction (slagen.library.law); a library
                           made before law data existed has none and uses the packaged default's
    starters/              optional: the starter packages a provider sells (slagen.library.starters)

The packaged default has the same three folders, shipped inside the wheel as
``slagen._library.clauses``, ``slagen._library.contract_templates`` and ``slagen._library.starters``
and read through ``importlib.resources``: it is edited in the repository's top-level ``clauses/``,
``contract_templates/`` and ``starters/`` (pyproject.toml maps them), and it is never found through ``__file__``.

A command finds its library in this order (:func:`resolve_library`):

1. ``--library DIR``;
2. the environment variable ``SLAGEN_LIBRARY``;
3. a ``slagen.toml`` in the contract's folder or the nearest folder above it; it is either a
   library itself, or names one with ``path = "..."`` (relative to the file);
4. the packaged default.

This module is a leaf: it knows folders and names, not what is in the files (that is
:mod:`slagen.compose.library` for clauses and outlines, :mod:`slagen.library.brand` for the house style),
so light commands may import it and the composition step may depend on it.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from slagen.errors import SlagenError, UsageError

MANIFEST = "slagen.toml"
ENVIRONMENT_VARIABLE = "SLAGEN_LIBRARY"
DEFAULT_NAME = "slagen standard library"
_SKIPPED = ("__pycache__", "__init__.py")  # package markers of the default library, not library content


class LibraryError(SlagenError):
    """A library folder or slagen.toml that cannot be used."""


@dataclass(frozen=True)
class Library:
    """A resolved library: where its clauses and templates are, and what it is called."""

    clause_dir: Path
    template_dir: Path
    name: str
    version: str
    origin: str  # how it was chosen, e.g. "--library house" or "the packaged default"
    # The starter packages (slagen.library.starters); None for a library made before packages
    # existed, which offers the packaged default's. Not part of the content hash: a package only
    # writes a contract's first text, it never changes how a contract renders.
    starter_dir: Path | None = None
    # The law data (slagen.library.law): part of the content hash, since it changes the words printed.
    law_dir: Path | None = None

    @property
    def law_folder(self) -> Path:
        """This library's law/, or the packaged default's for a library made before law data existed."""
        return self.law_dir if self.law_dir is not None else default_library().law_dir

    @property
    def policy_file(self) -> Path:
        return self.clause_dir / "policy.yaml"

    @property
    def print_css(self) -> Path:
        return self.template_dir / "print.css"

    @property
    def brand_file(self) -> Path:
        return self.template_dir / "brand.yaml"

    def brand(self):
        from slagen.library.brand import load_brand

        return load_brand(self.brand_file)

    def css(self) -> str:
        if not self.print_css.is_file():
            raise LibraryError(f"{self.print_css}: error: the library has no print styles (print.css)")
        return self.print_css.read_text(encoding="utf-8")

    def content_hash(self) -> str:
        """SHA-256 over every file of the library: its path, then its bytes."""
        folders = (self.clause_dir, self.template_dir) + ((self.law_dir,) if self.law_dir is not None else ())
        return _content_hash(folders, _fingerprint(*folders))


def library_files(*folders: Path) -> list[tuple[str, Path]]:
    """(path relative to the library, file) for every file of the library, in a stable order."""
    out = []
    for folder in folders:
        for file in sorted(folder.rglob("*")):
            relative = file.relative_to(folder)
            if file.is_file() and not any(part in _SKIPPED or part.endswith(".pyc") for part in relative.parts):
                out.append((f"{folder.name}/{relative.as_posix()}", file))
    return out


def _fingerprint(*folders: Path) -> tuple:
    """Cheap identity of the folders' state: a changed file gives a new content hash."""
    return tuple((name, f.stat().st_size, f.stat().st_mtime_ns) for name, f in library_files(*folders))


@lru_cache(maxsize=8)
def _content_hash(folders: tuple[Path, ...], _state: tuple) -> str:
    digest = hashlib.sha256()
    for name, file in library_files(*folders):
        digest.update(name.encode("utf-8") + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------
# The packaged default


@lru_cache(maxsize=1)
def default_library() -> Library:
    """The library shipped inside the package."""
    from importlib.resources import files

    from slagen import __version__

    try:
        clauses, templates = files("slagen._library.clauses"), files("slagen._library.contract_templates")
        starters = files("slagen._library.starters")
        law = files("slagen._library.law")
    except ModuleNotFoundError:  # an editable install made before the library became package data
        raise LibraryError("error: this installation of slagen has no default library; reinstall it "
                           "('pip install -e .' in a checkout, or 'make')") from None
    return Library(
        clause_dir=_on_disk(clauses),
        template_dir=_on_disk(templates),
        name=DEFAULT_NAME,
        version=__version__,
        origin="the packaged default",
        starter_dir=_on_disk(starters),
        law_dir=_on_disk(law),
    )


def _on_disk(resource) -> Path:
    # WeasyPrint and the clause loader read real files; a pip or pipx install puts them on disk.
    if not isinstance(resource, Path):
        raise LibraryError(f"error: slagen's default library is not on disk ({resource}); "
                           "install slagen with pip or pipx, not as a zip")
    return resource


# --------------------------------------------------------------------------------------------
# A provider's library


def open_library(directory: str | Path, origin: str) -> Library:
    """The library in ``directory`` (a folder holding slagen.toml, clauses/ and contract_templates/).

    This is where a library folder a user names (``--library``, ``SLAGEN_LIBRARY``, ``library check
    DIR``, a slagen.toml's ``path``) enters slagen, so it is made absolute here, once: everything
    downstream (file URIs for WeasyPrint, the workspace's worker processes, Annex B) may rely on it.
    Messages keep the folder as the user wrote it.
    """
    shown = Path(directory)
    if not shown.is_dir():
        raise UsageError(f"error: {origin}: '{shown}' is not a folder")
    folder = shown.resolve()
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise LibraryError(f"{shown}: error: this folder is not a slagen library: it has no {MANIFEST} "
                           f"(make one with 'slagen library init {shown}')")
    settings = read_manifest(manifest)
    if "path" in settings:
        raise LibraryError(f"{manifest}: error: a library's own {MANIFEST} cannot point to another library "
                           "with 'path'")
    for part in ("clauses", "contract_templates"):
        if not (folder / part).is_dir():
            raise LibraryError(f"{shown}: error: the library has no {part}/ folder")
    starters, law = folder / "starters", folder / "law"
    return Library(folder / "clauses", folder / "contract_templates", settings["name"], settings["version"],
                   origin, starters if starters.is_dir() else None, law if law.is_dir() else None)


def read_manifest(manifest: Path) -> dict[str, str]:
    """The ``[library]`` table of a slagen.toml: name, version, and an optional path."""
    import tomllib

    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise LibraryError(f"{manifest}: error: the file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise LibraryError(_toml_error(manifest, exc)) from None
    table = data.get("library")
    if not isinstance(table, dict):
        raise LibraryError(f"{manifest}: error: the file needs a [library] table with a name and a version")
    unknown = sorted(set(table) - {"name", "version", "path"})
    if unknown:
        raise LibraryError(f"{manifest}: error: unknown keys in [library]: {', '.join(unknown)} "
                           "(known: name, version, path)")
    for key, value in table.items():
        if not isinstance(value, str) or not value.strip():
            raise LibraryError(f"{manifest}: error: [library] {key} must be text, in quotes")
    if "path" not in table:
        missing = [k for k in ("name", "version") if k not in table]
        if missing:
            raise LibraryError(f"{manifest}: error: [library] needs {' and '.join(missing)}")
    return dict(table)


def _toml_error(manifest: Path, exc) -> str:
    # tomllib puts the position in the message: "Expected '=' ... (at line 3, column 7)".
    match = re.search(r"\(at line (\d+), column (\d+)\)$", str(exc))
    if match:
        message = str(exc)[: match.start()].strip()
        return f"{manifest}:{match.group(1)}:{match.group(2)}: error: {message}"
    return f"{manifest}: error: {exc}"


def find_manifest(start: Path) -> Path | None:
    """The slagen.toml in ``start`` or the nearest folder above it."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        manifest = candidate / MANIFEST
        if manifest.is_file():
            return manifest
    return None


def resolve_library(contract: str | Path | None = None, explicit: str | Path | None = None) -> Library:
    """The library a command on ``contract`` uses: --library, SLAGEN_LIBRARY, slagen.toml, default."""
    if explicit is not None:
        return open_library(explicit, f"--library {explicit}")
    from_environment = os.environ.get(ENVIRONMENT_VARIABLE, "")
    if from_environment:
        return open_library(from_environment, f"{ENVIRONMENT_VARIABLE}={from_environment}")
    if contract is not None:
        manifest = find_manifest(Path(contract).parent)
        if manifest is not None:
            settings = read_manifest(manifest)
            target = manifest.parent / settings["path"] if "path" in settings else manifest.parent
            return open_library(target, str(manifest))
    return default_library()
