"""The README's library section works as written, with the relative folders it shows.

A new provider types the commands of "Your own library and house style" in a folder of their
own: `slagen library check northwind-library`, `--library northwind-library`. These tests take
the shell blocks of that section out of README.md and run every line exactly as written, with
the venv's `slagen` first on PATH, in a temporary folder. Two things are set up around them,
because the section assumes them: a contract `acme.yaml` exists (made by `slagen init acme.yaml`,
as the quick start's users do), and `$EDITOR` is `touch`, so the "edit this file" lines run as
written and change nothing but the files' times.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from slagen.library.folder import ENVIRONMENT_VARIABLE, resolve_library

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Your own library and house style"


def library_section_commands() -> list[str]:
    """Every command line of the section's ```sh blocks, comments and all, in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(SECTION)
    end = readme.find("\n## ", start + len(SECTION))
    section = readme[start:end if end != -1 else None]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def ran(tmp_path_factory) -> tuple[Path, list[tuple[str, subprocess.CompletedProcess]]]:
    folder = tmp_path_factory.mktemp("provider")
    environment = dict(os.environ, EDITOR="touch")
    environment.pop(ENVIRONMENT_VARIABLE, None)
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment.get('PATH', '')}"
    setup = subprocess.run(["slagen", "init", "acme.yaml"], cwd=folder, env=environment,
                           capture_output=True, text=True, timeout=120)
    assert setup.returncode == 0, setup.stderr
    results = []
    for line in library_section_commands():
        results.append((line, subprocess.run(["bash", "-c", line], cwd=folder, env=environment,
                                             capture_output=True, text=True, timeout=300)))
    return folder, results


def test_the_section_has_the_commands_a_provider_types():
    commands = library_section_commands()
    assert any(line.startswith("slagen library check northwind-library") for line in commands)
    assert any(line.startswith("slagen render acme.yaml --library northwind-library") for line in commands)


def test_every_command_of_the_library_section_runs_as_written(ran):
    folder, results = ran
    for line, result in results:
        assert result.returncode == 0, f"{line}\n{result.stdout}{result.stderr}"
        assert "Traceback" not in result.stderr, line
    checked = next(r for line, r in results if line.startswith("slagen library check"))
    assert "no problems" in checked.stdout + checked.stderr
    # The render used the house library: its Annex B records the name `library init --name` gave.
    assert (folder / "northwind-library" / "slagen.toml").read_text(encoding="utf-8").count("Northwind terms") == 1
    assert sorted(p.suffix for p in (folder / "out").iterdir() if "agreement" in p.name) == [".docx", ".pdf"]
    # the starter contract has no sow: section, and render says why no statement of work was written
    rendered = next(r for line, r in results if line.startswith("slagen render acme.yaml"))
    assert "acme.yaml: no statement of work: the contract has no sow section" in rendered.stdout


def test_a_relative_library_folder_is_made_absolute_where_it_enters(ran, monkeypatch):
    folder, _ = ran
    monkeypatch.chdir(folder)
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "northwind-library")
    from_environment = resolve_library(Path("acme.yaml"))
    monkeypatch.delenv(ENVIRONMENT_VARIABLE)
    from_option = resolve_library(Path("acme.yaml"), Path("northwind-library"))
    for library in (from_environment, from_option):
        assert library.name == "Northwind terms"
        assert library.template_dir == (folder / "northwind-library" / "contract_templates").resolve()
        assert library.template_dir.is_absolute() and library.clause_dir.is_absolute()
    assert from_environment.origin == "SLAGEN_LIBRARY=northwind-library"  # said as the user wrote it


def test_serve_with_a_library_option_says_it_came_from_the_option(ran, monkeypatch):
    from slagen.cli.workspace import serve_library

    folder, _ = ran
    monkeypatch.chdir(folder)
    # serve_library sets the variable for its workers: setenv first, so that monkeypatch puts the
    # environment back as it found it (a bare delenv of an unset variable records nothing to undo,
    # and the library leaked into every later test of the same worker).
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "unset-after-this-test")
    monkeypatch.delenv(ENVIRONMENT_VARIABLE)
    house = serve_library(Path("northwind-library"))
    assert house.origin == "--library northwind-library"
    assert house.name == "Northwind terms"
    # the render workers find the same library through the environment they inherit, from any folder
    assert os.environ[ENVIRONMENT_VARIABLE] == str((folder / "northwind-library").resolve())
