"""`slagen diff` and `slagen review`: what legal reads before approving a draft."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from slagen.cli.help import examples
from slagen.cli.library import LIBRARY_OPTION

from slagen.source.terminal import visible, visible_lines


DIFF_EPILOG = examples("slagen diff acme-v1.yaml acme-v2.yaml", "slagen diff acme-v1.yaml acme-v2.yaml --format docx "
                       "-o redline.docx", "slagen diff old.yaml new.yaml --doc sow --format json -o -")
REVIEW_EPILOG = examples("slagen review acme.yaml", "slagen review acme.yaml --since approved-agreement.docx",
                         "slagen review acme.yaml --policy house-policy.yaml --format json")


class DiffFormat(str, Enum):
    docx = "docx"
    pdf = "pdf"
    text = "text"
    json = "json"


class ReviewFormat(str, Enum):
    text = "text"
    json = "json"
    docx = "docx"
    pdf = "pdf"


class DiffDoc(str, Enum):
    agreement = "agreement"
    sow = "sow"


def diff(
    old: Annotated[Path, typer.Argument(metavar="OLD", help="The version legal last approved.", show_default=False)],
    new: Annotated[Path, typer.Argument(metavar="NEW", help="The version to review.", show_default=False)],
    format: Annotated[DiffFormat, typer.Option("--format", help="docx, pdf, text or json.")] = DiffFormat.text,
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", help="File to write; text and json go to standard output without it, docx and pdf "
                               "to <reference>-<doc>-redline.<format>.", show_default=False)] = None,
    doc: Annotated[DiffDoc, typer.Option("--doc", help="agreement or sow.")] = DiffDoc.agreement,
    library: Annotated[Optional[Path], LIBRARY_OPTION] = None,
    author: Annotated[Optional[str], typer.Option(
        "--author", help="Author of the tracked changes (default: NEW's agreement.prepared_by, else its provider).",
        show_default=False)] = None,
    date: Annotated[Optional[str], typer.Option(
        "--date", metavar="YYYY-MM-DD", help="Date of the tracked changes (default: NEW's document date, else its "
        "effective date).", show_default=False)] = None,
) -> None:
    """Compare two contract files: a redline with tracked changes (docx), a PDF redline, or a summary."""
    from slagen.errors import InvalidInput, SlagenError, UsageError
    from slagen.library.contracts import load_contract
    from slagen.source.output import write_atomically

    from datetime import date as Date

    when = None
    if date is not None:
        try:
            when = Date.fromisoformat(date.strip())
        except ValueError:
            typer.echo(f"error: --date {visible(date)} is not a date: write it as YYYY-MM-DD, such as 2027-03-01",
                       err=True)
            raise typer.Exit(2)
    if author is not None:
        author = " ".join(author.split())
        if not author or len(author) > 255 or any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in author):
            typer.echo("error: --author needs a name of up to 255 printable characters, such as --author "
                       "\"Sam Carter\"", err=True)
            raise typer.Exit(2)
    contracts = []
    failed = False
    for file in (old, new):
        if not file.is_file():
            typer.echo(visible_lines(f"{file}: error: no such file"), err=True)
            failed = True
            continue
        try:
            contracts.append(load_contract(file))
        except InvalidInput as exc:
            typer.echo(visible_lines(str(exc)), err=True)
            failed = True
    if failed:
        raise typer.Exit(2)
    old_contract, new_contract = contracts
    if doc is DiffDoc.sow and (old_contract.sow is None or new_contract.sow is None):
        which = old if old_contract.sow is None else new
        typer.echo(f"{visible(str(which))}: error: the contract has no 'sow' section, so there is no statement of work to "
                   "compare", err=True)
        raise typer.Exit(2)
    from slagen.review import redline as rl

    try:
        from slagen.compose.assemble import load_outline
        from slagen.compose.library import load_house_library
        from slagen.library.folder import resolve_library

        house = resolve_library(new, library)
        result = rl.build_redline(old_contract, new_contract, doc.value, library=load_house_library(house),
                                  outline=load_outline(doc.value, house.template_dir), author=author, when=when)
        if format is DiffFormat.text:
            data = rl.redline_text(result).encode("utf-8")
        elif format is DiffFormat.json:
            data = rl.redline_json(result).encode("utf-8")
        elif format is DiffFormat.docx:
            data = rl.redline_docx(result, brand=house.brand())
        else:
            data = rl.redline_pdf(result, brand=house.brand(), css=house.css())
    except SlagenError as exc:
        typer.echo(visible_lines(str(exc)), err=True)
        raise typer.Exit(2)
    if output is None and format in (DiffFormat.text, DiffFormat.json):
        text = data.decode("utf-8")
        sys.stdout.write(visible_lines(text) if format is DiffFormat.text else text)
        return
    if output is None:
        from slagen.pipeline.render import output_name

        output = Path(output_name(result.document.reference, f"{doc.value}-redline", format.value))
    try:
        written = write_atomically(output, data)
    except SlagenError as exc:
        typer.echo(visible_lines(str(exc)), err=True)
        raise typer.Exit(2)
    if written.message():
        typer.echo(f"{written.message()} ({len(result.changes)} change{'s' if len(result.changes) != 1 else ''})")


def review(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The draft contract to review.", show_default=False)],
    format: Annotated[ReviewFormat, typer.Option(
        "--format", help="text or json; docx or pdf for the internal review sheet (with the override reasons, "
                         "never for the customer).")] = ReviewFormat.text,
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", help="File for the docx or pdf review sheet (default <reference>-review.<format>).",
        show_default=False)] = None,
    since: Annotated[Optional[list[Path]], typer.Option(
        "--since", help="The approved DOCX (its clause register, the last annex) or an earlier review's JSON: "
                        "report clauses whose library version is newer. Repeat it to give the approved "
                        "agreement and statement of work.", show_default=False)] = None,
    policy: Annotated[Optional[Path], typer.Option(
        "--policy", help="House policy file (default: the library's clauses/policy.yaml).",
        show_default=False)] = None,
    library: Annotated[Optional[Path], LIBRARY_OPTION] = None,
) -> None:
    """Everything legal must look at in one draft; exit 1 when anything blocks approval."""
    import json

    from slagen.errors import InvalidInput, SlagenError
    from slagen.review.review import load_and_review, review_text

    if output is not None and format in (ReviewFormat.text, ReviewFormat.json):
        typer.echo("error: -o writes the review sheet: use it with --format docx or --format pdf", err=True)
        raise typer.Exit(2)
    try:
        contract, result = load_and_review(file, policy_path=policy, since=since, library_dir=library)
    except InvalidInput as exc:
        if format is ReviewFormat.json:
            typer.echo(json.dumps({"file": exc.file or str(file), "errors": [p.as_json() for p in exc.problems]},
                                  indent=2))
        else:
            typer.echo(visible_lines(str(exc)), err=True)
        raise typer.Exit(2)
    except SlagenError as exc:
        typer.echo(visible_lines(str(exc)), err=True)
        raise typer.Exit(2)
    if format is ReviewFormat.json:
        sys.stdout.write(json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n")
    elif format is ReviewFormat.text:
        sys.stdout.write(visible_lines(review_text(result)))
    else:
        _write_sheet(contract, result, format.value, output)
    raise typer.Exit(1 if result.blocked else 0)


def _write_sheet(contract, result, fmt: str, output: Optional[Path]) -> None:
    """The internal review sheet as DOCX or PDF, written whole or not at all ('-o -': standard output)."""
    from slagen.errors import SlagenError
    from slagen.source.output import write_atomically
    from slagen.pipeline.render import output_name
    from slagen.review.sheet import review_document

    document = review_document(result, contract)
    try:
        if fmt == "docx":
            from slagen.writers.docx import write_docx

            data = write_docx(document)
        else:
            from slagen.writers.pdf import render_pdf

            data = render_pdf(document)[0]
        written = write_atomically(output or Path(output_name(contract.agreement.reference, "review", fmt)), data)
    except SlagenError as exc:
        typer.echo(visible_lines(str(exc)), err=True)
        raise typer.Exit(2)
    blocked = len(result.blocking)
    verdict = f"approval blocked by {blocked} item{'s' if blocked != 1 else ''}" if blocked else \
        "nothing blocks approval"
    if written.message():
        typer.echo(f"{written.message()} ({verdict})")
