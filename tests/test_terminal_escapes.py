"""User data echoed by a command never drives the terminal: ESC and OSC sequences in file names,
option values and contract values are shown as escapes (\\x1b), never written raw."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import REFERENCE
from slagen.cli import app

CLEAR_SCREEN = "\x1b[2J\x1b[H"
SET_TITLE = "\x1b]0;all credits waived\x07"


def invoke(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def assert_shown_not_obeyed(result) -> None:
    everything = result.stdout + result.stderr
    assert "\x1b" not in everything and "\x07" not in everything
    assert "\\x1b" in everything
    assert "Traceback" not in everything


@pytest.mark.parametrize("command", [
    ["validate", f"missing{CLEAR_SCREEN}.yaml"],
    ["check", f"missing{SET_TITLE}.yaml"],
    ["render", f"missing{CLEAR_SCREEN}.yaml"],
    ["review", f"missing{CLEAR_SCREEN}.yaml"],
    ["diff", f"old{CLEAR_SCREEN}.yaml", REFERENCE],
    ["clock", "due", REFERENCE, "--from", f"2027-03-05{CLEAR_SCREEN}", "--target", "1h"],
    ["clock", "elapsed", REFERENCE, "--from", "2027-03-05T10:00", "--to", "2027-03-05T11:00",
     "--pause", f"{SET_TITLE}"],
], ids=["validate", "check", "render", "review", "diff", "clock due", "clock pause"])
def test_a_hostile_name_or_value_is_shown_escaped(command):
    result = invoke(*command)
    assert result.exit_code == 2
    assert_shown_not_obeyed(result)


def test_a_contract_value_with_escapes_is_reported_escaped_at_its_line(tmp_path):
    text = REFERENCE.read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    assert text.count("  name: Acme Dental Group Ltd\n") == 1
    bad.write_text(text.replace("  name: Acme Dental Group Ltd\n",
                                '  name: "Acme\\e[2J\\e]0;title\\a Dental"\n'), encoding="utf-8")
    line = text.splitlines().index("  name: Acme Dental Group Ltd") + 1
    result = invoke("validate", bad)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{bad}:{line}:9: error: contains an invisible control character (U+001B)")
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
