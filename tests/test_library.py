"""The provider's own library: where commands find it, `slagen library init` and `slagen library check`."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import REFERENCE, run_slagen
from slagen.errors import SlagenError
from slagen.library.folder import DEFAULT_NAME, default_library, library_files, resolve_library


@pytest.fixture(scope="module")
def house(tmp_path_factory) -> Path:
    """A library made by `slagen library init`, as a provider would."""
    folder = tmp_path_factory.mktemp("libraries") / "northwind"
    done = run_slagen("library", "init", str(folder), "--name", "Northwind house terms", "--version", "2.1.0")
    assert done.returncode == 0, done.stderr
    return folder


def copy_of(house: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(house, target)
    return target


# ---- init ---------------------------------------------------------------------------------------


def test_init_writes_a_complete_copy_of_the_default_library_with_a_manifest(house):
    default = default_library()
    expected = {name for name, _ in library_files(default.clause_dir, default.template_dir)}
    written = {name for name, _ in library_files(house / "clauses", house / "contract_templates")}
    assert written == expected
    assert {"clauses/policy.yaml", "contract_templates/agreement.yaml", "contract_templates/sow.yaml",
            "contract_templates/print.css", "contract_templates/brand.yaml",
            "contract_templates/fonts/DejaVuSerif.ttf"} <= written
    for name, file in library_files(default.clause_dir, default.template_dir):
        assert (house / name).read_bytes() == file.read_bytes(), name
    manifest = (house / "slagen.toml").read_text(encoding="utf-8")
    assert 'name = "Northwind house terms"' in manifest and 'version = "2.1.0"' in manifest


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine", encoding="utf-8")
    done = run_slagen("library", "init", str(tmp_path / "taken"))
    assert done.returncode == 2
    assert "already exists and is not empty" in done.stderr
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.txt"]


# ---- resolution order ---------------------------------------------------------------------------


@pytest.fixture
def three_libraries(house, tmp_path, monkeypatch):
    """Three libraries with different names, and a contract inside a project naming one of them."""
    monkeypatch.delenv("SLAGEN_LIBRARY", raising=False)
    names = {}
    for label in ("explicit", "environment", "project"):
        folder = tmp_path / label
        shutil.copytree(house, folder)
        (folder / "slagen.toml").write_text(f'[library]\nname = "{label}"\nversion = "1.0.0"\n', encoding="utf-8")
        names[label] = folder
    project = tmp_path / "customers"
    (project / "acme" / "2027").mkdir(parents=True)
    (project / "slagen.toml").write_text('[library]\npath = "../project"\n', encoding="utf-8")
    contract = project / "acme" / "2027" / "acme.yaml"
    shutil.copyfile(REFERENCE, contract)
    return names, contract


def test_resolution_1_the_library_option_comes_first(three_libraries, monkeypatch):
    names, contract = three_libraries
    monkeypatch.setenv("SLAGEN_LIBRARY", str(names["environment"]))
    assert resolve_library(contract, names["explicit"]).name == "explicit"


def test_resolution_2_then_the_environment_variable(three_libraries, monkeypatch):
    names, contract = three_libraries
    monkeypatch.setenv("SLAGEN_LIBRARY", str(names["environment"]))
    assert resolve_library(contract).name == "environment"


def test_resolution_3_then_a_slagen_toml_in_the_contracts_folder_or_above(three_libraries):
    names, contract = three_libraries
    chosen = resolve_library(contract)
    assert chosen.name == "project"
    assert chosen.clause_dir == (contract.parents[2] / "../project/clauses").resolve()  # made absolute once


def test_resolution_3_a_slagen_toml_may_be_the_library_itself(house, tmp_path, monkeypatch):
    monkeypatch.delenv("SLAGEN_LIBRARY", raising=False)
    library = copy_of(house, tmp_path)
    (library / "contracts").mkdir()
    contract = library / "contracts" / "acme.yaml"
    shutil.copyfile(REFERENCE, contract)
    assert resolve_library(contract).name == "Northwind house terms"


def test_resolution_4_else_the_packaged_default(tmp_path, monkeypatch):
    monkeypatch.delenv("SLAGEN_LIBRARY", raising=False)
    contract = tmp_path / "acme.yaml"
    shutil.copyfile(REFERENCE, contract)
    chosen = resolve_library(contract)
    assert chosen == default_library()
    assert chosen.name == DEFAULT_NAME


@pytest.mark.parametrize("manifest, message", [
    ('[library]\nname = "x"\n', "[library] needs version"),
    ('[library]\nname = "x"\nversion = "1"\ncolour = "red"\n', "unknown keys in [library]: colour"),
    ('[library\nname = "x"\n', ":1:9: error: "),
    ('name = "x"\n', "needs a [library] table"),
])
def test_a_broken_slagen_toml_is_reported_at_its_line(tmp_path, monkeypatch, manifest, message):
    monkeypatch.delenv("SLAGEN_LIBRARY", raising=False)
    (tmp_path / "slagen.toml").write_text(manifest, encoding="utf-8")
    shutil.copyfile(REFERENCE, tmp_path / "acme.yaml")
    with pytest.raises(SlagenError) as caught:
        resolve_library(tmp_path / "acme.yaml")
    assert message in str(caught.value)
    assert str(tmp_path / "slagen.toml") in str(caught.value)


def test_every_library_command_takes_the_library_option_and_refuses_a_folder_that_is_not_one(tmp_path):
    not_a_library = tmp_path / "empty"
    not_a_library.mkdir()
    commands = [
        ("render", str(REFERENCE), "-o", str(tmp_path / "out")),
        ("review", str(REFERENCE)),
        ("diff", str(REFERENCE), str(REFERENCE)),
        ("report", str(REFERENCE), "--tickets", str(REFERENCE.parent / "acme-dental-tickets-2027-03.csv"),
         "--period", "2027-03", "--format", "pdf", "-o", str(tmp_path / "report.pdf")),
    ]
    for command in commands:
        done = run_slagen(*command, "--library", str(not_a_library))
        assert done.returncode == 2, (command, done.stderr)
        assert "is not a slagen library: it has no slagen.toml" in done.stderr, command
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "report.pdf").exists()


def test_the_environment_variable_reaches_the_command_line(house, tmp_path):
    import os
    import subprocess
    import sys

    library = copy_of(house, tmp_path)
    clause = library / "clauses" / "parties.md"
    clause.write_text(clause.read_text(encoding="utf-8").replace("---\n", "---\nbogus: 1\n", 1), encoding="utf-8")
    env = {**os.environ, "SLAGEN_LIBRARY": str(library)}
    done = subprocess.run([sys.executable, "-m", "slagen", "review", str(REFERENCE)], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 2
    assert f"{library / 'clauses' / 'parties.md'}: error: unknown front matter keys: bogus" in done.stderr


# ---- check --------------------------------------------------------------------------------------


def test_check_passes_a_fresh_copy(house):
    done = run_slagen("library", "check", str(house))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Northwind house terms 2.1.0" in done.stdout and "no problems" in done.stdout


def _line_of(file: Path, text: str) -> tuple[int, int]:
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number, line.index(text) + 1
    raise AssertionError(f"{text!r} not in {file}")


def test_check_finds_seeded_mistakes_at_their_file_line_and_column(house, tmp_path):
    library = copy_of(house, tmp_path)
    priorities = library / "clauses" / "priorities.md"
    lines = priorities.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(9, "Call {{ customer.contact.nmae }} before logging a Priority 1 Incident.\n")
    priorities.write_text("".join(lines), encoding="utf-8")
    parties = library / "clauses" / "parties.md"
    parties.write_text(parties.read_text(encoding="utf-8") + '\nAs {{ ref("no-such-clause") }} says.\n',
                       encoding="utf-8")
    termination = library / "clauses" / "termination.md"
    termination.write_text(termination.read_text(encoding="utf-8").replace("version: ", "version: v", 1),
                           encoding="utf-8")

    done = run_slagen("library", "check", str(library))
    assert done.returncode == 1, done.stdout + done.stderr
    line, column = _line_of(priorities, "nmae")
    assert line == 10  # counted in the file, front matter included
    assert f"{priorities}:{line}:{column}: error: 'nmae' is not a field of Contact" in done.stdout
    line, column = _line_of(parties, "no-such-clause")
    assert f"{parties}:{line}:{column}: error: ref('no-such-clause') names a clause the library does not have" \
        in done.stdout
    line, _ = _line_of(termination, "version: v")
    assert f"{termination}:{line}:1: error: version 'v" in done.stdout
    assert "3 problems" in done.stderr


def test_check_finds_an_outline_naming_a_missing_clause(house, tmp_path):
    library = copy_of(house, tmp_path)
    outline = library / "contract_templates" / "sow.yaml"
    outline.write_text(outline.read_text(encoding="utf-8").replace("sow-fees", "sow-feez"), encoding="utf-8")
    done = run_slagen("library", "check", str(library))
    assert done.returncode == 1
    line, column = _line_of(outline, "sow-feez")
    assert f"{outline}:{line}:{column}: error: the sow outline names the clause 'sow-feez'" in done.stdout


def test_check_renders_a_probe_contract_and_finds_a_placeholder_left_in_a_statement_of_work_clause(house, tmp_path):
    library = copy_of(house, tmp_path)
    fees = library / "clauses" / "sow-fees.md"
    fees.write_text(fees.read_text(encoding="utf-8") + "\nInvoices go to [insert address].\n", encoding="utf-8")
    done = run_slagen("library", "check", str(library))
    assert done.returncode == 1, done.stdout + done.stderr
    line, column = _line_of(fees, "[insert")
    assert f"{fees}:{line}:{column}: error: '[insert' survived rendering" in done.stdout


def test_check_on_a_folder_that_is_not_a_library_is_unusable_input(tmp_path):
    done = run_slagen("library", "check", str(tmp_path))
    assert done.returncode == 2
    assert "is not a slagen library" in done.stderr


# ---- Annex B ------------------------------------------------------------------------------------


def test_annex_b_records_the_librarys_name_version_and_content_hash(house):
    from slagen.compose.assemble import assemble
    from slagen.compose.library import load_house_library
    from slagen.document import Paragraph, plain_text, walk
    from slagen.library.folder import open_library
    from slagen.library.contracts import load_contract

    library = open_library(house, "test")
    digest = hashlib.sha256()  # the hash, computed here independently: every file, path then bytes
    for folder in ("clauses", "contract_templates", "law"):
        for file in sorted((house / folder).rglob("*")):
            if file.is_file():
                digest.update(f"{folder}/{file.relative_to(house / folder).as_posix()}".encode() + b"\0"
                              + file.read_bytes() + b"\0")
    document = assemble(load_contract(REFERENCE), "agreement", library=load_house_library(library))
    text = " ".join(plain_text(node.inlines) for node in walk(document.blocks) if isinstance(node, Paragraph))
    assert "\u201cNorthwind house terms\u201d, version 2.1.0" in text
    assert digest.hexdigest()[:16] in text
