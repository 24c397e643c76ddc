"""The command line: parse arguments, call the library, print, exit. Nothing else lives here.

Exit codes: 0 ok; 1 the command worked and found problems (check, review); 2 invalid input or usage.
Heavy libraries (rendering, numpy) are imported inside the commands that need them, so light
commands such as ``validate`` start fast.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from slagen import __version__
from slagen.errors import InvalidInput, SlagenError

app = typer.Typer(
    name="slagen",
    help="Checked service level agreements and statements of work from one YAML file.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"slagen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = None,
) -> None:
    """Checked service level agreements and statements of work from one YAML file."""


def fail(error: SlagenError) -> None:
    """Print a user's mistake the way compilers do, and exit 2."""
    typer.echo(str(error), err=True)
    raise typer.Exit(2)


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(metavar="FILE", help="Contract files to validate.", show_default=False)],
    format: Annotated[OutputFormat, typer.Option("--format", help="text or json.")] = OutputFormat.text,
) -> None:
    """Check that contract files are well formed; report every mistake with its line."""
    from slagen.load import load_contract

    results = []
    invalid = False
    for file in files:
        try:
            load_contract(file)
            results.append({"file": str(file), "errors": []})
            if format is OutputFormat.text:
                typer.echo(f"{file}: valid")
        except InvalidInput as exc:
            invalid = True
            results.append({"file": str(file), "errors": [p.as_json() for p in exc.problems]})
            if format is OutputFormat.text:
                typer.echo(str(exc), err=True)
    if format is OutputFormat.json:
        typer.echo(json.dumps(results[0] if len(results) == 1 else results, indent=2))
    raise typer.Exit(2 if invalid else 0)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the contract format (for editors and other tools)."""
    from slagen.schema import schema_text

    sys.stdout.write(schema_text())


@app.command()
def init(
    file: Annotated[Optional[Path], typer.Argument(metavar="[FILE]", help="Where to write the starter; stdout when omitted.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter contract that validates as it stands."""
    from slagen.starter import starter_text
    from slagen.output import write_atomically

    text = starter_text()
    if file is None:
        sys.stdout.write(text)
        return
    if file.exists() and not force:
        fail(SlagenError(f"{file}: error: the file already exists; choose another name or add --force"))
    write_atomically(file, text.encode("utf-8"))
    typer.echo(f"wrote {file}")


def _mount_subcommands() -> None:
    """Commands that live in their own modules; each imports its heavy libraries lazily."""
    from slagen.cli_check import check
    from slagen.cli_clock import clock_app
    from slagen.cli_render import render
    from slagen.cli_review import diff, review
    from slagen.cli_report import report

    app.add_typer(clock_app, name="clock")
    app.command()(check)
    app.command()(render)
    app.command()(diff)
    app.command()(review)
    app.command()(report)
    from slagen.cli_workspace import mount as mount_workspace
    mount_workspace(app)


_mount_subcommands()


def main() -> None:
    try:
        app()
    except SlagenError as exc:  # a user's mistake that a command did not catch itself
        typer.echo(str(exc), err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
