"""`slagen library init DIR`: an editable copy of the packaged default library, with its name.

The copy holds the clauses, the outlines and house style, the law data (law/) and the starter packages (starters/).

The copy is made in a temporary folder beside DIR and renamed into place, so an interrupted
init leaves nothing half-written; DIR must not exist yet (or be an empty folder).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from slagen.library.folder import MANIFEST, default_library, library_files
from slagen.source.output import OutputError

MANIFEST_TEXT = """\
# A slagen clause library. Commands use it when given --library {folder}, when SLAGEN_LIBRARY
# names it, or when a contract lies in this folder or below it. Annex B of every document
# records the name and version below, and a hash of every file of the library.
[library]
name = {name}
version = {version}
"""


def _toml_string(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def init_library(directory: str | Path, name: str, version: str) -> int:
    """Write the library into ``directory``; returns how many files were written."""
    target = Path(directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise OutputError(f"{target}: error: the folder already exists and is not empty; choose a new folder")
    source = default_library()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as exc:
        raise OutputError(f"{target}: error: cannot write here: {exc.strerror or exc}") from None
    try:
        files = library_files(source.clause_dir, source.template_dir, source.law_dir, source.starter_dir)
        for relative, file in files:
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, destination)
        (staging / MANIFEST).write_text(
            MANIFEST_TEXT.format(folder=target, name=_toml_string(name), version=_toml_string(version)),
            encoding="utf-8")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes the folder private
        if target.exists():
            target.rmdir()  # the empty folder the user made for it
        os.replace(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"{target}: error: cannot write the library: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(files) + 1
