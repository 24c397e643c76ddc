"""`slagen render`: the agreement and statement of work, as DOCX and PDF.

Every file is validated first; if any is invalid, its problems are printed, nothing is written
and the exit code is 2. Several files render in parallel processes, with a progress bar on
standard error. Rendering libraries are imported in the workers, not when the CLI starts.
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer


class DocChoice(str, Enum):
    agreement = "agreement"
    sow = "sow"
    all = "all"


class FormatChoice(str, Enum):
    docx = "docx"
    pdf = "pdf"
    all = "all"


def _render_one(job: tuple[str, tuple[str, ...], tuple[str, ...], str, Optional[str], Optional[str]]
                ) -> tuple[list[str], str]:
    """One contract in one process: (paths written, error text or '')."""
    from slagen.errors import SlagenError
    from slagen.render import render_contract

    path, docs, formats, out_dir, variant, override = job
    try:
        return [str(p) for p in render_contract(path, docs, formats, out_dir, pdf_variant=variant,
                                                override_review=override)], ""
    except SlagenError as exc:  # sent back as text: exceptions with fields do not always pickle
        return [], str(exc)


def render(
    files: Annotated[list[Path], typer.Argument(metavar="FILE", help="Contracts to render.", show_default=False)],
    doc: Annotated[DocChoice, typer.Option("--doc", help="agreement, sow or all.")] = DocChoice.all,
    format: Annotated[FormatChoice, typer.Option("--format", help="docx, pdf or all.")] = FormatChoice.all,
    output: Annotated[Path, typer.Option("-o", "--output", help="Directory to write to.")] = Path("out"),
    pdf_variant: Annotated[
        Optional[str], typer.Option("--pdf-variant", help="'pdf/a-3u' for archiving.", show_default=False)
    ] = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", help="Parallel processes (default: one per CPU).",
                                                show_default=False)] = None,
    override_review: Annotated[Optional[str], typer.Option(
        "--override-review", metavar="REASON",
        help="Render a final contract although 'slagen review' blocks approval; the reason is printed in "
             "Annex B and the DOCX properties.", show_default=False)] = None,
) -> None:
    """Render the agreement and statement of work as DOCX and PDF, named after the agreement reference."""
    from slagen.errors import InvalidInput, UsageError
    from slagen.load import load_contract

    if pdf_variant is not None and pdf_variant != "pdf/a-3u":
        typer.echo(f"error: --pdf-variant '{pdf_variant}' is not supported; use pdf/a-3u", err=True)
        raise typer.Exit(2)
    from slagen.review.approval import check_override_reason

    try:
        override_review = check_override_reason(override_review)
    except UsageError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)
    invalid = False
    for file in files:
        if not file.is_file():
            typer.echo(str(UsageError(f"{file}: error: no such file")), err=True)
            invalid = True
            continue
        try:
            load_contract(file)
        except InvalidInput as exc:
            typer.echo(str(exc), err=True)
            invalid = True
    if invalid:
        raise typer.Exit(2)

    docs = ("agreement", "sow") if doc is DocChoice.all else (doc.value,)
    formats = ("docx", "pdf") if format is FormatChoice.all else (format.value,)
    work = [(str(f), docs, formats, str(output), pdf_variant, override_review) for f in files]
    if len(work) == 1:
        results = [_render_one(work[0])]
    else:
        results = _in_parallel(work, jobs)
    failed = False
    for written, error in results:
        for path in written:
            typer.echo(f"wrote {path}")
        if error:
            typer.echo(error, err=True)
            failed = True
    raise typer.Exit(2 if failed else 0)


def _in_parallel(work: list, jobs: Optional[int]) -> list[tuple[list[str], str]]:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    workers = max(1, min(len(work), jobs or os.cpu_count() or 1))
    results: list = [None] * len(work)
    console = Console(stderr=True)
    with Progress(TextColumn("rendering"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("render", total=len(work))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(_render_one, job): i for i, job in enumerate(work)}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                progress.advance(task)
    return results
