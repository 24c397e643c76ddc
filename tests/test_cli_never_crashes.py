"""Hostile command lines never give a traceback: random commands, options and values (huge
numbers, control characters, missing files, folders, devices, binary files) end with exit 0, 1 or
2 and a message, never a Python traceback. Every file a run might write goes into a scratch folder.

Contract contents are another test's business (test_loader_never_crashes.py); this one attacks
the command line itself: which file, which option, which value.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import REFERENCE, ROOT
from slagen.cli import main

SCRATCH_FILES = {
    "missing": "missing.yaml",
    "folder": "a-folder",
    "empty": "empty.yaml",
    "binary": "binary.yaml",
    "list": "list.yaml",
    "invalid": "invalid.yaml",
}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-cli")
    (folder / "a-folder").mkdir()
    (folder / "empty.yaml").write_bytes(b"")
    (folder / "binary.yaml").write_bytes(bytes(range(256)) * 4)
    (folder / "list.yaml").write_text("- 1\n- 2\n", encoding="utf-8")
    (folder / "invalid.yaml").write_text(REFERENCE.read_text(encoding="utf-8").replace(
        "response: 30m", "response: 30 minutes", 1), encoding="utf-8")
    return folder


control = st.sampled_from(["\x1b[2J", "\x1b]0;x\x07", "\r", "\n", "\t", "\x00", "\x7f", "\u202e", "\x9b"])
hostile_text = st.one_of(
    st.text(max_size=30),
    st.builds(lambda a, c, b: a + c + b, st.text(max_size=8), control, st.text(max_size=8)),
    st.sampled_from(["", " ", "-", "--", "--help", "9" * 400, "-1", "0", "1e309", "nan", "inf", "%Y%Y",
                     "2027-13-45T25:61", "0001-01-01T00:00", "9999-12-31T23:59", "P1Y", "PT99999999999H",
                     "１２３", "../../etc/passwd", "/dev/zero", "/dev/null"]),
)
huge_number = st.one_of(st.integers(min_value=-(10**30), max_value=10**30).map(str), hostile_text)


def file_choice(scratch: Path):
    named = [str(scratch / name) for name in SCRATCH_FILES.values()]
    return st.sampled_from(named + ["/dev/zero", "/dev/null", str(ROOT / "tests" / "data" / "calendar-london.yaml")])


def command_lines(scratch: Path):
    a_file = file_choice(scratch)
    # the reference is quick to validate and check; hostile text names files that do not exist
    readable = st.one_of(a_file, st.just(str(REFERENCE)), hostile_text)
    out = st.sampled_from([str(scratch / "out"), str(scratch / "a-folder"), "/dev/null", "/dev/full", "-",
                           str(scratch / "empty.yaml")])
    instant = st.one_of(st.sampled_from(["2027-03-05T16:55", "2027-03-05T16:55+01:00"]), hostile_text)
    return st.one_of(
        st.tuples(st.just("validate"), st.lists(readable, min_size=1, max_size=3),
                  st.sampled_from([[], ["--format", "json"], ["--format", "yaml"]])).map(
            lambda t: [t[0], *t[1], *t[2]]),
        st.tuples(st.just("check"), readable, st.sampled_from([[], ["--format", "json"]])).map(
            lambda t: [t[0], t[1], *t[2]]),
        st.tuples(st.sampled_from(["elapsed", "due"]), readable, instant, instant, st.lists(hostile_text, max_size=2),
                  st.sampled_from([[], ["--clock", "24x7"], ["--clock", "sometimes"], ["--format", "json"]])).map(
            lambda t: ["clock", t[0], t[1], "--from", t[2], "--to" if t[0] == "elapsed" else "--target", t[3],
                       *[x for p in t[4] for x in ("--pause", p)], *t[5]]),
        st.tuples(st.just("render"), st.lists(a_file, min_size=1, max_size=3), out,
                  st.sampled_from([[], ["-j", "0"], ["-j", "-3"], ["--doc", "sow"], ["--format", "odt"],
                                   ["--pdf-variant", "pdf/x"]]), huge_number).map(
            lambda t: [t[0], *t[1], "-o", t[2], *t[3], "-j", t[4]] if t[4].lstrip("-").isdigit()
            else [t[0], *t[1], "-o", t[2], *t[3]]),
        st.tuples(st.just("diff"), a_file, a_file, out).map(lambda t: [t[0], t[1], t[2], "-o", t[3]]),
        st.tuples(st.just("review"), a_file, st.sampled_from([[], ["--policy", "/dev/zero"], ["--since", "nope.docx"]])
                  ).map(lambda t: [t[0], t[1], *t[2]]),
        st.tuples(st.just("init"), st.sampled_from([str(scratch / "out" / "starter.yaml"), str(scratch / "a-folder"),
                                                    "/dev/null", "/dev/full", str(scratch / "empty.yaml")]),
                  st.booleans()).map(lambda t: [t[0], t[1], *(["--force"] if t[2] else [])]),
        st.tuples(st.sampled_from(["validate", "check", "render", "clock", "report", "frobnicate", "--version"]),
                  st.lists(hostile_text, max_size=3)).map(lambda t: [t[0], *t[1]]),
    )


def run_main(argv: list[str]) -> tuple[int, str, str]:
    """slagen.cli.main in this process, as the installed `slagen` command runs it."""
    with CliRunner().isolation() as streams:
        try:
            main(argv)
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        stdout, stderr = streams[0].getvalue(), streams[1].getvalue()
    return code, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace")


@settings(max_examples=160, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_no_command_line_gives_a_traceback(scratch, data):
    argv = data.draw(command_lines(scratch))
    before = os.stat("/dev/null")
    code, stdout, stderr = run_main(argv)  # any exception but SystemExit fails the test with its traceback
    assert code in (0, 1, 2), (argv, code, stderr[-2000:])
    assert "Traceback" not in stdout + stderr, argv
    assert "\x1b" not in stderr, (argv, stderr)
    if code == 2:
        assert (stderr + stdout).strip(), argv  # a refusal always says why (JSON formats on stdout)
    assert os.stat("/dev/null").st_ino == before.st_ino  # the null device is still the null device
    leftovers = [p.name for p in scratch.rglob(".*.tmp")] + [p.name for p in scratch.rglob(".*.old")]
    assert leftovers == [], argv
