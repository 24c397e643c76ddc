"""`slagen library init` and `slagen library check`: the provider's own clause library.

`init DIR` writes an editable copy of the packaged default (clauses, outlines, policy, print
styles, brand, fonts) with a slagen.toml naming it; `check DIR` reports every problem in a
library at its file, line and column (exit 1 when there are any, 2 when DIR is not a library).
The work is done in :mod:`slagen.library_init` and :mod:`slagen.library_check`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

LIBRARY_OPTION = typer.Option(
    "--library", metavar="DIR",
    help="The clause library to use (default: $SLAGEN_LIBRARY, else a slagen.toml beside or above the "
         "contract, else the packaged default).", show_default=False)

library_app = typer.Typer(help="The provider's own clause library: make a copy, check it.", no_args_is_help=True,
                          add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)


@library_app.command("init")
def init(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="A new folder for the library.",
                                              show_default=False)],
    name: Annotated[Optional[str], typer.Option("--name", help="The library's name (default: the folder's).",
                                                show_default=False)] = None,
    version: Annotated[str, typer.Option("--version", help="The library's first version.")] = "1.0.0",
) -> None:
    """Write an editable copy of the default library (clauses, outlines, policy, brand) into DIR."""
    from slagen.errors import SlagenError
    from slagen.library_init import init_library

    try:
        written = init_library(directory, name or directory.resolve().name, version)
    except SlagenError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)
    typer.echo(f"wrote {directory} ({written} files): edit its clauses/, contract_templates/brand.yaml and "
               f"slagen.toml, then run 'slagen library check {directory}'")


@library_app.command("check")
def check(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="The library to check.", show_default=False)],
) -> None:
    """Report every problem in a library (clauses, references, outlines, policy, brand, a probe render)."""
    from slagen.errors import SlagenError
    from slagen.library_check import check_library
    from slagen.library_source import open_library

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
               + (f"{count} problem{'s' if count != 1 else ''}" if count else "no problems"))
    typer.echo(summary, err=bool(count))
    raise typer.Exit(1 if count else 0)
