""".ci/run installs the system tools the tests need, when missing and only as root, before
`make test`; non-interactively, with one `apt-get update`, and only the packages missing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from conftest import ROOT


def run_ci(tmp_path: Path, uid: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    """.ci/run in a copy of the project, on a PATH holding only stubs: no soffice, chromium,
    chromedriver, pdftotext or fc-list; apt-get, make and id record what they were asked."""
    project = tmp_path / "project"
    (project / ".ci").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "run", project / ".ci" / "run")
    stubs = tmp_path / "bin"
    stubs.mkdir()
    log = tmp_path / "calls.log"
    for name, body in {
        "apt-get": f'echo "apt-get $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND" >> {log}',
        "make": f'echo "make $* CI=$CI" >> {log}',
        "id": f"echo {uid}",
    }.items():
        (stubs / name).write_text(f"#!/bin/sh\n{body}\n")
        (stubs / name).chmod(0o755)
    (stubs / "dirname").symlink_to(shutil.which("dirname"))
    result = subprocess.run([shutil.which("bash"), str(project / ".ci" / "run")], capture_output=True, text=True,
                            env={"PATH": str(stubs)}, timeout=60)
    calls = log.read_text().splitlines() if log.exists() else []
    return result, calls


def expected_packages() -> set[str]:
    wanted = {"libreoffice-writer-nogui", "chromium", "chromium-driver", "poppler-utils", "fontconfig"}
    if not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
        wanted.add("postgresql")
    if not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists():
        wanted.add("fonts-dejavu-core")
    return wanted


def test_as_root_the_missing_packages_are_installed_before_the_tests(tmp_path):
    result, calls = run_ci(tmp_path, "0")
    assert result.returncode == 0, result.stderr
    assert calls[0] == "apt-get update -q DEBIAN_FRONTEND=noninteractive"
    install = calls[1].split()
    assert install[:5] == ["apt-get", "install", "-y", "-q", "--no-install-recommends"]
    assert install[-1] == "DEBIAN_FRONTEND=noninteractive"
    assert set(install[5:-1]) == expected_packages()
    assert calls[2:] == ["make test CI=true"]


def test_without_root_nothing_is_installed_and_the_tests_still_run(tmp_path):
    result, calls = run_ci(tmp_path, "1000")
    assert result.returncode == 0
    assert calls == ["make test CI=true"]
    assert "missing system packages" in result.stderr and "libreoffice-writer-nogui" in result.stderr


def test_under_ci_a_missing_tool_fails_the_test_instead_of_skipping_it(monkeypatch):
    from conftest import requires_tool

    monkeypatch.setenv("CI", "true")
    assert requires_tool("no-such-tool-for-slagen", "nothing").args[0] is False  # not skipped: it runs and fails
    monkeypatch.setenv("CI", "false")
    assert requires_tool("no-such-tool-for-slagen", "nothing").args[0] is True
    monkeypatch.delenv("CI")
    assert requires_tool("sh", "dash").args[0] is False
