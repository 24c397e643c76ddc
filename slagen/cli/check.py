"""`slagen check`: the promises a customer's estate, staffing and wording cannot keep."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from slagen.cli.help import examples
from slagen.cli.library import LIBRARY_OPTION

from slagen.source.terminal import visible, visible_lines


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


EPILOG = examples("slagen check examples/acme-dental.yaml", "slagen check acme.yaml --format json > findings.json")
_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def check(
    file: Annotated[Optional[Path], typer.Argument(metavar="FILE", help="The contract to check.",
                                                   show_default=False)] = None,
    format: Annotated[CheckFormat, typer.Option("--format", help="text or json.")] = CheckFormat.text,
    library: Annotated[Optional[Path], LIBRARY_OPTION] = None,
    portfolio: Annotated[Optional[Path], typer.Option(
        "--portfolio", metavar="FOLDER", help="Add up the contracts in FOLDER that share a staffing file "
                                              "(staffing.shared): desk capacity, Monday peak, on-call rota.",
        show_default=False)] = None,
) -> None:
    """Find the promises the customer's estate and staffing cannot keep (exit 1 on any error)."""
    from slagen.check import check_file, summary
    from slagen.errors import InvalidInput, SlagenError

    if portfolio is not None or file is None:
        from slagen.cli.portfolio import run_portfolio_check

        if portfolio is None or file is not None:
            typer.echo("error: give either a contract FILE or --portfolio FOLDER", err=True)
            raise typer.Exit(2)
        run_portfolio_check(portfolio, json_output=format is CheckFormat.json)

    try:
        findings, _ = check_file(file, library)
    except InvalidInput as exc:
        if format is CheckFormat.json:
            typer.echo(json.dumps({"file": str(file), "errors": [p.as_json() for p in exc.problems]}, indent=2))
        else:
            typer.echo(visible_lines(str(exc)), err=True)
        raise typer.Exit(2)
    except SlagenError as exc:  # a --library or SLAGEN_LIBRARY that is not a library
        typer.echo(visible_lines(str(exc)), err=True)
        raise typer.Exit(2)
    counts = summary(findings)
    if format is CheckFormat.json:
        typer.echo(json.dumps({"file": str(file), "findings": [f.as_json() for f in findings], "summary": counts},
                              indent=2))
    else:
        render_text(str(file), findings, counts, colour=sys.stdout.isatty())
    raise typer.Exit(1 if counts["errors"] else 0)


def grouped(findings):
    """Findings by section: sections with errors first, then in file order; errors first within each."""
    sections: dict[str, list] = {}
    for finding in findings:
        sections.setdefault(finding.section, []).append(finding)
    order = sorted(sections.items(), key=lambda item: (min(f.sort_key()[0] for f in item[1]),
                                                       min(f.line for f in item[1])))
    return [(name, sorted(items, key=lambda f: f.sort_key())) for name, items in order]


def _plural(number: int, word: str) -> str:
    from slagen.source.words import count

    return count(number, word)


def render_text(file: str, findings, counts: dict, *, colour: bool) -> None:
    lines: list[tuple[str, str | None]] = []  # (text, rich style of the severity word)
    head = (f"{file}: {_plural(counts['errors'], 'error')}, {_plural(counts['warnings'], 'warning')}, "
            f"{_plural(counts['infos'], 'info')}")
    out = [head]
    for section, items in grouped(findings):
        out += ["", f"{section}"]
        for f in items:
            out += [f"  {file}:{f.line}:{f.column}: {f.severity} {f.rule} {_rule_name(f.rule)} (at {f.path})",
                    f"    {f.message}",
                    f"    why: {f.why}",
                    f"    fix: {f.fix}"]
    if not colour:
        sys.stdout.write(visible_lines("\n".join(out)) + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)
    for line in map(visible, out):
        text = Text(line)
        for severity, style in _STYLE.items():
            marker = f": {severity} SLA"
            at = line.find(marker)
            if at >= 0:
                text.stylize(style, at + 2, at + 2 + len(severity))
        if line and not line.startswith(" ") and line != head:
            text.stylize("bold")
        elif line.startswith("    why:") or line.startswith("    fix:"):
            text.stylize("dim", 4, 8)
        console.print(text)


def _rule_name(rule_id: str) -> str:
    from slagen.check.registry import get_rule

    return get_rule(rule_id).name
