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

from slagen.source.terminal import visible, visible_lines

from slagen import __version__
from slagen.cli.help import PlainHelpCommand, examples
from slagen.cli.library import LIBRARY_OPTION
from slagen.errors import InvalidInput, SlagenError

app = typer.Typer(
    name="slagen",
    help="Checked service level agreements and statements of work from one YAML file.",
    epilog=examples("slagen init acme.yaml", "slagen validate acme.yaml", "slagen check acme.yaml",
                    "slagen render acme.yaml -o out", "slagen COMMAND --help   (every option of one command)"),
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
    typer.echo(visible_lines(str(error)), err=True)
    raise typer.Exit(2)


@app.command(cls=PlainHelpCommand, epilog=examples(
    "slagen validate examples/*.yaml", "slagen validate acme.yaml --format json"))
def validate(
    files: Annotated[list[Path], typer.Argument(metavar="FILE", help="Contract files to validate.", show_default=False)],
    format: Annotated[OutputFormat, typer.Option("--format", help="text or json.")] = OutputFormat.text,
) -> None:
    """Check that contract files are well formed; report every mistake with its line."""
    from slagen.library.contracts import load_contract

    results = []
    invalid = False
    for file in files:
        try:
            load_contract(file)
            results.append({"file": str(file), "errors": []})
            if format is OutputFormat.text:
                typer.echo(visible(f"{file}: valid"))
        except InvalidInput as exc:
            invalid = True
            results.append({"file": str(file), "errors": [p.as_json() for p in exc.problems]})
            if format is OutputFormat.text:
                typer.echo(visible_lines(str(exc)), err=True)
    if format is OutputFormat.json:
        typer.echo(json.dumps(results[0] if len(results) == 1 else results, indent=2))
    raise typer.Exit(2 if invalid else 0)


@app.command(cls=PlainHelpCommand, epilog=examples("slagen schema > schema/slagen.schema.json"))
def schema() -> None:
    """Print the JSON Schema of the contract format (for editors and other tools)."""
    from slagen.model.schema import schema_text

    sys.stdout.write(schema_text())


@app.command(cls=PlainHelpCommand, epilog=examples(
    "slagen init acme.yaml", "slagen init --jurisdiction US-IL chicago.yaml",
    "slagen init --package critical-24x7 contoso.yaml   ('slagen library' lists the packages)",
    "slagen init > acme.yaml"))
def init(
    file: Annotated[Optional[Path], typer.Argument(metavar="[FILE]", help="Where to write the starter; stdout when omitted.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    jurisdiction: Annotated[Optional[str], typer.Option(
        "--jurisdiction", metavar="CODE",
        help="Write the starter for this jurisdiction: GB-EAW (default), GB-SCT, GB-NIR, IE, or a US state (US-IL).",
    )] = None,
    locale: Annotated[Optional[str], typer.Option(
        "--locale", metavar="LOCALE", help="How dates and money are written, such as en_US; follows the jurisdiction when omitted.",
    )] = None,
    package: Annotated[Optional[str], typer.Option(
        "--package", metavar="NAME",
        help="The library's starter package: the services, hours and targets on offer ('slagen library' lists "
             "them; default: the library's first).",
    )] = None,
    library: Annotated[Optional[Path], LIBRARY_OPTION] = None,
) -> None:
    """Write a commented starter contract that validates as it stands."""
    from slagen.library.folder import resolve_library
    from slagen.library.starters import starter_text
    from slagen.library.starters import find_package
    from slagen.source.output import is_stream, write_atomically

    try:
        chosen = find_package(resolve_library(file if file is not None else Path("-"), library), package)
        text = starter_text(jurisdiction, locale, chosen)
    except SlagenError as exc:
        fail(exc)
    if file is None:
        sys.stdout.write(text)
        return
    if file.exists() and not force and not is_stream(file):
        fail(SlagenError(f"{file}: error: the file already exists; choose another name or add --force"))
    try:
        message = write_atomically(file, text.encode("utf-8")).message()
    except SlagenError as exc:
        fail(exc)
    if message:
        typer.echo(message)


def _mount_subcommands() -> None:
    """Commands that live in their own modules; each imports its heavy libraries lazily."""
    from slagen.cli import check as cli_check, render as cli_render, report as cli_report, review as cli_review
    from slagen.cli.clock import clock_app
    from slagen.cli.library import library_app

    app.add_typer(clock_app, name="clock")
    app.add_typer(library_app, name="library")
    from slagen.cli.psa import psa_app

    app.add_typer(psa_app, name="psa")
    app.command(cls=PlainHelpCommand, epilog=cli_check.EPILOG)(cli_check.check)
    app.command(cls=PlainHelpCommand, epilog=cli_render.EPILOG)(cli_render.render)
    app.command(cls=PlainHelpCommand, epilog=cli_review.DIFF_EPILOG)(cli_review.diff)
    app.command(cls=PlainHelpCommand, epilog=cli_review.REVIEW_EPILOG)(cli_review.review)
    from slagen.cli import negotiate as cli_negotiate

    app.command(cls=PlainHelpCommand, epilog=cli_negotiate.EPILOG)(cli_negotiate.negotiate)
    # cli_report.EPILOG, once the report's help has its examples, is shown the same way
    app.command(cls=PlainHelpCommand, epilog=getattr(cli_report, "EPILOG", None))(cli_report.report)
    from slagen.cli.workspace import mount as mount_workspace
    mount_workspace(app)
    from slagen.cli.worker import worker

    app.command(cls=PlainHelpCommand)(worker)


_mount_subcommands()


def main(argv: list[str] | None = None) -> None:
    """The `slagen` command: exit 0, 1 (problems found) or 2 (invalid input or usage)."""
    from slagen.source.gc_tuning import collect_less_often

    collect_less_often()
    try:  # recent Typer releases carry their own copy of click
        from typer._click import exceptions as click
    except ImportError:
        from click import exceptions as click

    try:
        code = app(args=argv, prog_name="slagen", standalone_mode=False)
    except click.NoArgsIsHelpError as exc:  # `slagen` or `slagen clock` alone: the help
        typer.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        sys.exit(0)
    except click.UsageError as exc:  # an unknown option, a bad choice, a missing argument: one line
        command = exc.ctx.command_path if exc.ctx else "slagen"
        message = exc.format_message().replace(": Value error, ", ": ")  # pydantic's prefix, via Typer
        typer.echo(f"error: {visible(message)} (see '{visible(command)} --help')", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        typer.echo(f"error: {visible(exc.format_message())}", err=True)
        sys.exit(2)
    except typer.Abort:  # Typer's own copy of click keeps Abort outside its exceptions module
        typer.echo("error: interrupted; nothing was written", err=True)
        sys.exit(130)
    except SlagenError as exc:  # a user's mistake that a command did not catch itself
        typer.echo(visible_lines(str(exc)), err=True)
        sys.exit(2)
    except OSError as exc:  # a path the system refuses (too long, a loop of links ...) before any command could
        where = f"{exc.filename}: " if exc.filename else ""
        typer.echo(f"{visible(str(where))}error: {visible(exc.strerror or str(exc))}", err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
