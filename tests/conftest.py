import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# Holiday dates are cached between runs (slagen/model/holiday_dates.py); the tests use a cache of
# their own, fresh for each session, so they never depend on what an earlier run left behind.
os.environ["SLAGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="slagen-test-cache-")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REFERENCE = EXAMPLES / "acme-dental.yaml"


@pytest.fixture(autouse=True)
def _no_library_left_behind():
    """A test that leaves SLAGEN_LIBRARY set would make every later test in its process (and the
    servers they start) compose in that library: fail the test that does it, and clean up."""
    before = os.environ.get("SLAGEN_LIBRARY")
    yield
    after = os.environ.get("SLAGEN_LIBRARY")
    if after != before:
        if before is None:
            os.environ.pop("SLAGEN_LIBRARY", None)
        else:
            os.environ["SLAGEN_LIBRARY"] = before
        pytest.fail(f"the test left SLAGEN_LIBRARY={after!r} behind (it was {before!r})")


@pytest.fixture
def reference_text() -> str:
    return REFERENCE.read_text(encoding="utf-8")


def run_slagen(*args: str, cwd: Path | None = None, input: bytes | None = None) -> subprocess.CompletedProcess:
    """slagen as a user runs it: a fresh process, its real exit code and streams."""
    return subprocess.run(
        [sys.executable, "-m", "slagen", *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=120
    )


def requires_tool(binary: str, install: str):
    """Skip a test when a system tool is missing on a developer's machine; under CI=true a
    missing tool is a failure instead (.ci/run installs it), so CI never skips silently."""
    missing = shutil.which(binary) is None and os.environ.get("CI") != "true"
    return pytest.mark.skipif(missing, reason=f"{binary} is not installed: apt-get install {install}")


requires_libreoffice = requires_tool("soffice", "libreoffice-writer-nogui")
