"""A newcomer's first look: `slagen --help` cuts nothing off, arguments show by name, and every
command's help ends with an example to copy."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from slagen.cli import app

COMMANDS = ["validate", "schema", "init", "check", "render", "diff", "review", "clock elapsed", "clock due",
            "library", "library init", "library check", "users add", "workspace import", "db upgrade"]


def help_of(*words: str, columns: int = 60) -> str:
    result = CliRunner().invoke(app, [*words, "--help"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.output


def first_paragraph(command) -> str:
    return " ".join((command.callback.__doc__ or "").strip().split("\n\n")[0].split())


def commands_section(text: str) -> str:
    return " ".join(text.split("Commands:", 1)[1].split("Examples:", 1)[0].split())


@pytest.mark.parametrize("columns", [60, 100])
def test_the_command_list_shows_every_description_whole(columns):
    import typer.main

    listing = commands_section(help_of(columns=columns))
    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        if name == "clock":
            continue
        assert f"{name} {first_paragraph(command)}" in listing
    assert "..." not in listing


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_shows_an_example_and_no_python_types(command):
    text = help_of(*command.split())
    assert "Examples:" in text
    examples = text.split("Examples:", 1)[1].strip().splitlines()
    assert examples and all(line.strip().startswith(f"slagen {command.split()[0]}") for line in examples)
    assert not re.search(r"<(list\[|Path|str|int)", text), text


def test_arguments_are_shown_by_name():
    text = help_of("render")
    assert re.search(r"^  FILE\s+Contracts to render\.", text, re.MULTILINE)
    assert "-o, --output DIR" in text and "-j, --jobs N" in text


def test_report_options_read_as_words_not_types():
    text = help_of("report", columns=100)
    assert "--tickets FILE" in text and "--max-breaches N" in text and "--priority-map PRIORITY-MAP" in text
    assert "<Path>" not in text and "<int>" not in text


def test_the_top_level_help_ends_with_a_first_session():
    assert "slagen init acme.yaml" in help_of().split("Examples:", 1)[1]


@pytest.mark.parametrize("argv, expected", [
    (["validate", "x.yaml", "--format", "yaml"],
     "error: Invalid value for '--format': 'yaml' is not one of 'text', 'json'. (see 'slagen validate --help')"),
    (["clock", "due", "hours.yaml"], "error: Missing option '--from'. (see 'slagen clock due --help')"),
    (["frobnicate"], "error: No such command 'frobnicate'. (see 'slagen --help')"),
    (["render", "a.yaml", "-j", "\x1b[2J"],
     "error: Invalid value for '--jobs' / '-j': Input should be a valid integer, unable to parse string as an "
     "integer (see 'slagen render --help')"),
])
def test_a_usage_mistake_is_one_line_saying_where_to_look(argv, expected, capsys):
    from slagen.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.err == expected + "\n" and captured.out == ""


def test_slagen_alone_prints_the_help_and_succeeds(capsys):
    from slagen.cli import main

    with pytest.raises(SystemExit) as exit_:
        main([])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("Usage: slagen [OPTIONS] COMMAND [ARGS]...")
