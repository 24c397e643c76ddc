"""`slagen psa`: the contract's clocks as a PSA's SLA configuration, and that configuration audited.

    slagen psa export CONTRACT --tool zendesk [-o FILE]            # JSON: the tool's objects and requests
    slagen psa export CONTRACT --tool jira --format pdf -o jira.pdf # a setup sheet for tools without an API
    slagen psa audit CONTRACT --tool zendesk CONFIG                 # exit 1 when the tool differs

The work is ``slagen.psa``; this module parses, calls, prints and sets the exit status.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from slagen.cli.help import PlainHelpCommand, examples
from slagen.cli.library import LIBRARY_OPTION
from slagen.cli.saving import print_or_write

psa_app = typer.Typer(
    short_help="Configure a PSA's SLA from the contract, and audit what the PSA holds against it.",
    help="Configure a PSA's SLA from the contract, and audit its configuration against it.",
    epilog=examples("slagen psa export acme.yaml --tool zendesk -o zendesk.json",
                    "slagen psa audit acme.yaml --tool zendesk zendesk-now.json",
                    "slagen psa export acme.yaml --tool jira --format pdf -o jira-setup.pdf"),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class SheetFormat(str, Enum):
    json = "json"
    md = "md"
    pdf = "pdf"


def _fail(exc) -> None:
    from slagen.errors import InvalidInput
    from slagen.source.terminal import visible

    lines = [str(p) for p in exc.problems] if isinstance(exc, InvalidInput) else str(exc).split("\n")
    typer.echo("\n".join(visible(line) for line in lines), err=True)
    raise typer.Exit(2)


def _load(file: Path):
    from slagen.errors import UsageError
    from slagen.library.contracts import load_with_positions

    if not file.is_file():
        raise UsageError(f"{file}: error: no such file")
    return load_with_positions(file)


@psa_app.command("export", cls=PlainHelpCommand, epilog=examples(
    "slagen psa export acme.yaml --tool zendesk -o zendesk.json",
    "slagen psa export acme.yaml --tool servicenow --format md"))
def export(
    file: Annotated[Path, typer.Argument(metavar="CONTRACT", help="The contract.", show_default=False)],
    tool: Annotated[str, typer.Option("--tool", help="zendesk, freshdesk, freshservice, halopsa, connectwise, "
                                                     "autotask (API objects) or jira, servicenow (a setup sheet).",
                                      show_default=False)],
    format: Annotated[Optional[SheetFormat], typer.Option(
        "--format", help="json for API tools; md (default) or pdf for a setup sheet.", show_default=False)] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Where to write (default: standard "
                                                                          "output; a PDF needs -o).",
                                                   show_default=False)] = None,
    library: Annotated[Optional[Path], LIBRARY_OPTION] = None,
) -> None:
    """Write what the tool needs to measure the contract's clocks: calendar, holidays, targets, pauses."""
    from slagen.errors import SlagenError, UsageError
    from slagen.psa import API_TOOLS, SHEET_TOOLS, export_configuration, setup_sheet, sla_plan

    try:
        key = tool.strip().lower()
        contract, positions = _load(file)
        if key in SHEET_TOOLS:
            chosen = format or SheetFormat.md
            if chosen is SheetFormat.json:
                raise UsageError(f"error: {SHEET_TOOLS[key][0]} has no API for SLA configuration: its setup sheet is "
                                 "written with --format md or pdf")
            if chosen is SheetFormat.pdf and output is None:
                raise UsageError("error: a PDF setup sheet needs -o FILE")
            document = setup_sheet(sla_plan(contract, positions), key)
            if chosen is SheetFormat.md:
                from slagen.report.document import to_markdown

                data = to_markdown(document).encode("utf-8")
            else:
                from slagen.library.folder import resolve_library
                from slagen.writers.pdf import write_pdf

                house = resolve_library(file, library)
                data = write_pdf(document, brand=house.brand(), css=house.css())
        else:
            if key in API_TOOLS and format not in (None, SheetFormat.json):
                raise UsageError(f"error: {API_TOOLS[key].name} is configured through its API: its export is JSON "
                                 "(--format json)")
            data = (json.dumps(export_configuration(contract, positions, key), indent=2, ensure_ascii=False)
                    + "\n").encode("utf-8")
    except SlagenError as exc:
        _fail(exc)
    print_or_write(output, data)


@psa_app.command("audit", cls=PlainHelpCommand, epilog=examples(
    "slagen psa audit acme.yaml --tool zendesk zendesk-now.json",
    "slagen psa audit acme.yaml --tool connectwise cw-config.json"))
def audit(
    file: Annotated[Path, typer.Argument(metavar="CONTRACT", help="The contract.", show_default=False)],
    config: Annotated[Path, typer.Argument(metavar="CONFIG", help="The tool's SLA configuration (JSON): what "
                                                                  "`psa export` wrote, or the tool's list responses "
                                                                  "under their keys.", show_default=False)],
    tool: Annotated[str, typer.Option("--tool", help="zendesk, freshdesk, freshservice, halopsa, connectwise or "
                                                     "autotask.", show_default=False)],
) -> None:
    """List every difference between the tool's SLA configuration and the contract; exit 1 if any."""
    from slagen.errors import SlagenError
    from slagen.psa import audit_configuration
    from slagen.source.terminal import visible

    try:
        contract, positions = _load(file)
        configuration = _read_json(config)
        differences, notes = audit_configuration(contract, positions, tool, configuration, str(config))
    except SlagenError as exc:
        _fail(exc)
    for problem in differences:
        typer.echo(str(problem))
    for note in notes:
        typer.echo(visible(f"note: {note}"), err=True)
    if differences:
        typer.echo(f"{len(differences)} difference{'s' if len(differences) != 1 else ''} from the contract",
                   err=True)
        raise typer.Exit(1)
    typer.echo("The configuration matches the contract.", err=True)


def _read_json(path: Path):
    """The configuration file, size-checked before it is parsed; a syntax error at its line and column."""
    from slagen.errors import InvalidInput, Problem, UsageError
    from slagen.psa import MAX_CONFIG_BYTES
    from slagen.source.bounded import TooLarge, read_bounded

    if not path.is_file():
        raise UsageError(f"{path}: error: no such file")
    try:
        data = read_bounded(path, MAX_CONFIG_BYTES)
    except TooLarge:
        raise UsageError(f"{path}: error: more than {MAX_CONFIG_BYTES // (1024 * 1024)} MB: not an SLA "
                         "configuration") from None
    except OSError as exc:
        raise UsageError(f"{path}: error: cannot be read ({exc.strerror})") from None
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UsageError(f"{path}: error: not UTF-8 text: save the tool's JSON response as it came") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(str(path), [Problem(str(path), exc.lineno, exc.colno, "",
                                               f"not JSON: {exc.msg}")]) from None
    except RecursionError:
        raise UsageError(f"{path}: error: nested too deeply to be an SLA configuration") from None
