"""Where commands put their files: devices and pipes written through, a render's files all or
nothing, colliding references refused, every contract's outcome reported, no traceback.

Each test lists the folder afterwards: nothing written, replaced or left behind.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, REFERENCE, ROOT
from slagen.cli import app

TICKETS = EXAMPLES / "acme-dental-tickets-2027-03.csv"


def invoke(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def slagen_bytes(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "slagen", *map(str, args)], capture_output=True, cwd=ROOT,
                          timeout=300)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def second_reference(tmp_path: Path, reference: str = "NW-ACME-2027-02", name: str = "second.yaml") -> Path:
    text = REFERENCE.read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_text(text.replace("reference: NW-ACME-2027-01\n", f"reference: {reference}\n", 1), encoding="utf-8")
    return path


def reference_line(path: Path) -> tuple[int, int]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip().startswith("reference: NW-ACME-2027-01") and line.startswith("  "):
            return number, line.index("NW-ACME") + 1
    raise AssertionError("no agreement reference")


# --- devices, pipes and standard output ---------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["diff", REFERENCE, REFERENCE, "--format", "json", "-o", "/dev/null"],
    ["report", REFERENCE, "--tickets", TICKETS, "--period", "2027-03", "-o", "/dev/null"],
    ["init", "/dev/null", "--force"],
    ["init", "/dev/null"],
], ids=["diff", "report", "init --force", "init"])
def test_writing_to_dev_null_leaves_the_device_and_claims_no_file(command):
    before = os.stat("/dev/null")
    result = invoke(*command)
    assert result.exit_code == 0, result.output
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert "wrote /dev/null" not in result.output + result.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="this system has no /dev/full")
def test_a_full_device_is_exit_2_with_the_reason():
    result = invoke("diff", REFERENCE, REFERENCE, "--format", "docx", "-o", "/dev/full")
    assert result.exit_code == 2
    assert result.stderr.strip() == "/dev/full: error: cannot write the output: No space left on device"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_render_dash_sends_the_one_file_to_standard_output(tmp_path):
    result = slagen_bytes("render", REFERENCE, "--doc", "agreement", "--format", "docx", "-o", "-")
    assert result.returncode == 0, result.stderr
    assert result.stdout[:4] == b"PK\x03\x04"
    assert result.stderr == b""
    expected = slagen_bytes("render", REFERENCE, "--doc", "agreement", "--format", "docx", "-o", tmp_path)
    assert (tmp_path / "NW-ACME-2027-01-agreement.docx").read_bytes() == result.stdout, expected.stderr


def test_render_dash_refuses_more_than_one_file():
    result = invoke("render", REFERENCE, "-o", "-")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("error: -o - sends one file to standard output or a device, but this render "
                                     "makes 4 files; choose one --doc and one --format for one contract, or give a "
                                     "folder")
    assert result.stdout == ""


# --- all or nothing -------------------------------------------------------------------------------

def test_a_folder_named_like_a_later_output_leaves_no_file_written(tmp_path):
    out = tmp_path / "out"
    (out / "NW-ACME-2027-01-sow.pdf").mkdir(parents=True)
    result = invoke("render", REFERENCE, "-o", out)
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"{out / 'NW-ACME-2027-01-sow.pdf'}: error: a folder of that name is in the way "
                                     "of the output file; move it or choose another output folder; nothing was "
                                     "written")
    assert listing(out) == ["NW-ACME-2027-01-sow.pdf"]
    assert result.stdout == ""


def test_rendering_again_keeps_a_private_files_mode_and_leaves_no_temporary(tmp_path):
    first = invoke("render", REFERENCE, "--doc", "agreement", "--format", "pdf", "-o", tmp_path)
    assert first.exit_code == 0, first.stderr
    target = tmp_path / "NW-ACME-2027-01-agreement.pdf"
    target.chmod(0o600)
    again = invoke("render", REFERENCE, "--doc", "agreement", "--format", "pdf", "-o", tmp_path)
    assert again.exit_code == 0, again.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert listing(tmp_path) == ["NW-ACME-2027-01-agreement.pdf"]


# --- several contracts ----------------------------------------------------------------------------

def test_two_contracts_with_one_reference_are_refused_naming_both(tmp_path):
    copy = tmp_path / "copy.yaml"
    copy.write_bytes(REFERENCE.read_bytes())
    out = tmp_path / "out"
    result = invoke("render", REFERENCE, copy, "-o", out)
    assert result.exit_code == 2
    line, column = reference_line(copy)
    assert result.stderr.strip() == (
        f"{copy}:{line}:{column}: error: {copy} and {REFERENCE} both have the agreement reference "
        "'NW-ACME-2027-01', so their documents would overwrite each other (NW-ACME-2027-01-agreement.pdf, ...); "
        "give each contract its own reference; nothing was rendered (at agreement.reference)")
    assert not out.exists()


def test_references_that_give_the_same_file_name_collide_too(tmp_path):
    slash = second_reference(tmp_path, "NW/ACME", "slash.yaml")
    underscore = second_reference(tmp_path, "NW_ACME", "underscore.yaml")
    result = invoke("render", slash, underscore, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert f"{underscore} and {slash} both have the agreement reference 'NW_ACME'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_worker_that_crashes_fails_its_own_contract_and_the_others_are_written(tmp_path, monkeypatch):
    from slagen.pipeline import render as render_module

    second = second_reference(tmp_path)
    real = render_module.render_documents

    def crash_on_second(contract, *args, **kwargs):
        if contract.agreement.reference == "NW-ACME-2027-02":
            raise RuntimeError("simulated fault")
        return real(contract, *args, **kwargs)

    monkeypatch.setattr(render_module, "render_documents", crash_on_second)  # workers are forked after this
    out = tmp_path / "out"
    result = invoke("render", REFERENCE, second, "--doc", "agreement", "--format", "pdf", "-o", out, "-j", "2")
    assert result.exit_code == 2
    assert result.stdout.strip() == f"wrote {out / 'NW-ACME-2027-01-agreement.pdf'}"
    assert result.stderr.strip() == (f"{second}: error: slagen failed while rendering this contract (RuntimeError: "
                                     "simulated fault); nothing was written for it. This is a fault in slagen, not "
                                     "in the contract: please report it")
    assert "Traceback" not in result.stderr
    assert listing(out) == ["NW-ACME-2027-01-agreement.pdf"]


def test_a_successful_render_prints_only_its_files(tmp_path):
    result = slagen_bytes("render", REFERENCE, "--doc", "sow", "--format", "docx", "-o", tmp_path)
    assert result.returncode == 0
    assert result.stderr == b""  # no stray blank line from a progress bar that was never shown
    assert result.stdout.decode() == f"wrote {tmp_path / 'NW-ACME-2027-01-sow.docx'}\n"


# --- bounded reads ----------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["validate", "/dev/zero"],
    ["check", "/dev/zero"],
    ["clock", "due", "/dev/zero", "--from", "2027-03-05T10:00", "--target", "1h"],
], ids=["validate", "check", "clock"])
def test_an_endless_device_is_read_only_up_to_the_size_cap(command):
    result = invoke(*command)
    assert result.exit_code == 2
    assert result.stderr.strip() == ("/dev/zero:1:1: error: the file is larger than 2 MB, the most a contract can "
                                     "be, so this is probably the wrong file; it was not read to its end")


def test_an_endless_pipe_is_read_only_up_to_the_size_cap(tmp_path):
    fifo = tmp_path / "endless.yaml"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"yes 'x: 1' > {fifo}"], stderr=subprocess.DEVNULL)
    try:
        result = invoke("validate", fifo)
    finally:
        writer.kill()
        writer.wait()
    assert result.exit_code == 2
    assert "is larger than 2 MB" in result.stderr and f"{fifo}:1:1: error:" in result.stderr


def test_on_a_terminal_render_shows_progress_per_file(tmp_path, monkeypatch):
    from slagen.cli import render as cli_render

    monkeypatch.setattr(cli_render, "_stderr_is_terminal", lambda: True)
    second = second_reference(tmp_path)
    out = tmp_path / "out"
    result = invoke("render", REFERENCE, second, "--doc", "sow", "--format", "docx", "-o", out, "-j", "1")
    assert result.exit_code == 0, result.stderr
    assert "rendering 2 contracts" in result.stderr and "rendered second.yaml" in result.stderr and "2/2" in result.stderr
    assert result.stdout.splitlines() == [f"wrote {out / 'NW-ACME-2027-01-sow.docx'}",
                                          f"wrote {out / 'NW-ACME-2027-02-sow.docx'}"]


def feed_once(fifo: Path, data: bytes):
    """A writer that puts ``data`` into the named pipe once, as `<(cat contract.yaml)` does."""
    import threading

    def write() -> None:
        with open(fifo, "wb") as pipe:
            pipe.write(data)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("command", [
    ["clock", "due", "{pipe}", "--from", "2027-03-05T16:55", "--target", "30m"],
    ["render", "{pipe}", "--doc", "agreement", "--format", "docx", "-o", "{out}"],
], ids=["clock", "render"])
def test_a_contract_from_a_pipe_is_read_once_and_used(tmp_path, command):
    fifo = tmp_path / "contract.yaml"
    os.mkfifo(fifo)
    writer = feed_once(fifo, REFERENCE.read_bytes())
    out = tmp_path / "out"
    result = invoke(*[part.format(pipe=fifo, out=out) for part in command])
    writer.join(timeout=10)
    assert result.exit_code == 0, result.stderr
    if command[0] == "clock":
        # Friday 16:55 with support until 17:30: 30 minutes end at 17:25 the same day (UK winter time).
        assert result.stdout == "2027-03-05T17:25:00+00:00\n"
    else:
        assert listing(out) == ["NW-ACME-2027-01-agreement.docx"]


def test_init_dash_prints_the_starter_and_claims_no_file(tmp_path):
    result = invoke("init", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("# ") and "slagen: 1" in result.stdout and "wrote" not in result.stdout
    assert not Path("-").exists()


def test_dev_stdout_receives_the_output_through_the_pipe():
    result = slagen_bytes("diff", REFERENCE, REFERENCE, "--format", "json", "-o", "/dev/stdout")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().lstrip().startswith("{") and b"wrote" not in result.stdout + result.stderr
    assert os.path.islink("/dev/stdout") or stat.S_ISCHR(os.stat("/dev/stdout").st_mode) or \
        stat.S_ISFIFO(os.stat("/dev/stdout").st_mode)
