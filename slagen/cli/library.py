"""`slagen library`, `slagen library init` and `slagen library check`: the provider's own library.

`slagen library` alone names the library commands in this folder use and lists its starter
packages (the services, hours and targets `slagen init --package` and the workspace's form offer).
`init DIR` writes an editable copy of the packaged default (clauses, outlines, policy, print
styles, brand, fonts) with a slagen.toml naming it; `check DIR` reports every problem in a
library at its file, line and column (exit 1 when there are any, 2 when DIR is not a library).
The work is done in :mod:`slagen.library.initialise` and :mod:`slagen.pipeline.library_check`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from slagen.cli.help import PlainHelpCommand, examples

LIBRARY_OPTION = typer.Option(
    "--library", metavar="DIR",
    help="The clause library to use (default: $SLAGEN_LIBRARY, else a slagen.toml beside or above the "
         "contract, else the packaged default).", show_default=False)

library_app = typer.Typer(short_help="The provider's own library: list its starter packages, make a copy, check it.",
                          invoke_without_command=True, add_completion=False, pretty_exceptions_enable=False,
                          rich_markup_mode=None)


@library_app.callback(epilog=examples(
    "slagen library                                  (the library in use and its starter packages)",
    "slagen library --library northwind-library",
    "slagen library init northwind-library --name \"Northwind terms\"",
    "slagen library check northwind-library"))
def show(
    context: typer.Context,
    library: Annotated[Optional[Path], LIBRARY_OPTION] = None,
) -> None:
    """The provider's own library: list its starter packages, make a copy, check it.

    Alone, names the library commands in this folder use and lists its starter packages.
    """
    if context.invoked_subcommand is not None:
        return
    from slagen.errors import SlagenError
    from slagen.library.folder import resolve_library
    from slagen.library.starters import library_packages, starter_folder
    from slagen.source.terminal import visible, visible_lines

    try:
        chosen = resolve_library(Path("-"), library)
        packages = library_packages(chosen)
    except SlagenError as exc:
        typer.echo(visible_lines(str(exc)), err=True)
        raise typer.Exit(2)
    typer.echo(visible(f"{chosen.name} {chosen.version} ({chosen.origin})"))
    typer.echo(visible(f"starter packages, from {starter_folder(chosen)} ('slagen init --package NAME'):"))
    width = max((len(p.id) for p in packages), default=0)
    for index, package in enumerate(packages):
        default = " (the default)" if index == 0 else ""
        typer.echo(visible(f"  {package.id:<{width}}  {package.name}{default}: {package.description}"))
    if not packages:
        typer.echo("  none: add a package file to the folder above")


@library_app.command("init", cls=PlainHelpCommand, epilog=examples(
    "slagen library init northwind-library --name \"Northwind terms\"",
    "slagen library init house --version 2.0.0"))
def init(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="A new folder for the library.",
                                              show_default=False)],
    name: Annotated[Optional[str], typer.Option("--name", help="The library's name (default: the folder's).",
                                                show_default=False)] = None,
    version: Annotated[str, typer.Option("--version", help="The library's first version.")] = "1.0.0",
) -> None:
    """Write an editable copy of the default library (clauses, outlines, policy, brand) into DIR."""
    from slagen.errors import SlagenError
    from slagen.library.initialise import init_library

    try:
        written = init_library(directory, name or directory.resolve().name, version)
    except SlagenError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)
    typer.echo(f"wrote {directory} ({written} files): edit its clauses/, contract_templates/brand.yaml and "
               f"slagen.toml, then run 'slagen library check {directory}'")


@library_app.command("check", cls=PlainHelpCommand, epilog=examples(
    "slagen library check northwind-library",
    "slagen library check /srv/slagen/house-library"))
def check(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="The library to check.", show_default=False)],
) -> None:
    """Report every problem in a library (clauses, references, outlines, policy, brand, a probe render)."""
    from slagen.errors import SlagenError
    from slagen.pipeline.library_check import check_library
    from slagen.library.folder import open_library
    from slagen.source.words import count as counted

    try:
        library = open_library(directory, f"library check {directory}")
        report = check_library(library)
    except SlagenError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)
    for problem in report.problems:
        typer.echo(str(problem))
    count = len(report.problems)
    summary = (f"{directory}: {library.name} {library.version}: {report.clauses} clauses, "
               + (counted(count, "problem") if count else "no problems"))
    typer.echo(summary, err=bool(count))
    raise typer.Exit(1 if count else 0)
