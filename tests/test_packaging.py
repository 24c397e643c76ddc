"""slagen works installed the ordinary way: a wheel, in a fresh virtual environment, anywhere.

The wheel is built from a copy of the files the build needs (so nothing in the working tree is
touched), installed without its dependencies into a new virtual environment outside the
repository (the dependencies come from this test run's environment through a .pth file, so no
network is needed), and renders the reference example from an unrelated working directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

from conftest import REFERENCE, ROOT


def test_every_subpackage_of_slagen_is_in_the_build_configuration():
    configured = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
                     ["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "slagen").rglob("__init__.py")}
    assert on_disk <= configured, f"add to [tool.setuptools] packages: {sorted(on_disk - configured)}"


def test_the_library_is_found_through_importlib_resources_never_through_file_paths():
    for module in ("compose/library.py", "compose/assemble.py", "writers/docx.py", "writers/html.py",
                   "writers/pdf.py", "review/policy.py", "library/folder.py"):
        assert "Path(__file__" not in (ROOT / "slagen" / module).read_text(encoding="utf-8"), module


def test_the_dev_extras_can_build_the_wheel_as_the_readme_says():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(requirement.split(">")[0].split("=")[0].strip() == "build" for requirement in extras["dev"])
    assert "python -m build" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "dist/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def _run(argv, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600, **kwargs)
    assert done.returncode == 0, f"{argv}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.mark.slow
def test_a_wheel_installed_in_a_fresh_environment_renders_the_reference_example(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for name in ("slagen", "clauses", "contract_templates", "starters", "law"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    # -v shows what setuptools says while building: a user running `pip install .` reads it too
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(wheels), str(source)])
    said = built.stdout + built.stderr
    assert "would be ignored" not in said, "declare the data folder as a package in pyproject.toml"
    # setuptools' own warnings, save its note that this pip does not byte-compile
    assert [line for line in said.splitlines() if line.strip().startswith(("warning:", "SetuptoolsDeprecationWarning"))
            and "byte-compiling is disabled" not in line] == []
    (wheel,) = wheels.glob("slagen-*.whl")

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    # Dependencies from this environment; the wheel's slagen comes first on the path.
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(wheel)])

    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    shutil.copy(REFERENCE, elsewhere / "acme.yaml")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SLAGEN_LIBRARY")}
    where = _run([str(python), "-c", "import slagen.library.folder as s; print(s.default_library().clause_dir)"],
                 cwd=elsewhere, env=env).stdout.strip()
    assert Path(where) == site / "slagen" / "_library" / "clauses"
    from slagen.library.folder import default_library

    installed_hash = _run([str(python), "-c", "import slagen.library.folder as s; "
                           "print(s.default_library().content_hash())"], cwd=elsewhere, env=env).stdout.strip()
    assert installed_hash == default_library().content_hash(), "the wheel carries other library files than the repository"
    done = _run([str(venv / "bin" / "slagen"), "render", "acme.yaml", "-o", "out"], cwd=elsewhere, env=env)
    written = sorted(p.name for p in (elsewhere / "out").iterdir())
    assert written == ["NW-ACME-2027-01-agreement.docx", "NW-ACME-2027-01-agreement.pdf",
                       "NW-ACME-2027-01-sow.docx", "NW-ACME-2027-01-sow.pdf"], done.stdout
    assert _run([str(venv / "bin" / "slagen"), "library", "init", "house"], cwd=elsewhere, env=env)
    assert (elsewhere / "house" / "contract_templates" / "fonts" / "DejaVuSerif.ttf").is_file()
    # The starter packages travel in the wheel too, and into a provider's copy of the library.
    assert (elsewhere / "house" / "starters" / "critical-24x7.yaml").is_file()
    listed = _run([str(venv / "bin" / "slagen"), "library"], cwd=elsewhere, env=env).stdout
    assert str(site / "slagen" / "_library" / "starters") in listed and "critical-24x7" in listed
