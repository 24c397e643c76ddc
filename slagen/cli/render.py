"""`slagen render`: the agreement and statement of work, as DOCX and PDF.

Every file is validated first; if any is invalid, or two contracts share a reference (their files
would overwrite each other), the problems are printed, nothing is written and the exit code is 2.
Documents are built in memory (several contracts in parallel processes), then each contract's
files are written together or not at all (slagen/source/output.py). Every contract's outcome is
reported, written or failed; one failure makes the exit code 2 without holding back the others.
Rendering libraries are imported in the workers, not when the CLI starts.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer

from slagen.cli.help import examples
from slagen.cli.library import LIBRARY_OPTION
from slagen.source.terminal import visible

EPILOG = examples("slagen render examples/acme-dental.yaml -o out   (out/NW-ACME-2027-01-agreement.pdf, ...)",
                  "slagen render a.yaml b.yaml -j 2 --format pdf",
                  "slagen render acme.yaml --doc agreement --format pdf -o - > agreement.pdf")


class DocChoice(str, Enum):
    agreement = "agreement"
    sow = "sow"
    all = "all"


class FormatChoice(str, Enum):
    docx = "docx"
    pdf = "pdf"
    all = "all"


Built = tuple[list[tuple[str, bytes]], str]  # (file name, bytes) per output, or the error text


def _build_one(job: tuple[str, bytes, tuple[str, ...], tuple[str, ...], Optional[str], Optional[str],
                            Optional[str]]) -> Built:
    """One contract's documents, built and checked in memory; nothing is written here. The
    contract's bytes come with the job: the file was read once, and may have been a pipe.
    A final contract is built only when its legal review blocks nothing, or with an override."""
    from slagen.errors import SlagenError
    from slagen.library.folder import resolve_library
    from slagen.library.contracts import load_with_positions
    from slagen.pipeline.render import render_documents
    from slagen.review.approval import release_note

    path, source, docs, formats, variant, library_dir, override = job
    try:
        contract, positions = load_with_positions(path, source)
        library = resolve_library(Path(path), library_dir)
        note = release_note(contract, positions, source=path, override_reason=override, house=library)
        return render_documents(contract, docs, formats, pdf_variant=variant, source=path, positions=positions,
                                library=library, release_note=note), ""
    except SlagenError as exc:  # sent back as text: exceptions with fields do not always pickle
        return [], str(exc)


def render(
    files: Annotated[list[Path], typer.Argument(metavar="FILE", help="Contracts to render.", show_default=False)],
    doc: Annotated[DocChoice, typer.Option("--doc", help="agreement, sow or all.")] = DocChoice.all,
    format: Annotated[FormatChoice, typer.Option("--format", help="docx, pdf or all.")] = FormatChoice.all,
    output: Annotated[Path, typer.Option("-o", "--output", metavar="DIR",
                                         help="Folder to write to; '-' sends a single file to standard output.")
                      ] = Path("out"),
    pdf_variant: Annotated[
        Optional[str], typer.Option("--pdf-variant", metavar="VARIANT", help="'pdf/a-3u' for archiving.",
                                    show_default=False)
    ] = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", metavar="N",
                                                help="Parallel processes (default: one per CPU).",
                                                show_default=False)] = None,
    library: Annotated[Optional[Path], LIBRARY_OPTION] = None,
    override_review: Annotated[Optional[str], typer.Option(
        "--override-review", metavar="REASON",
        help="Render a final contract although 'slagen review' blocks approval; the reason is recorded in "
             "the internal review sheet written beside the documents (<reference>-review.docx), never in "
             "the documents.", show_default=False)] = None,
) -> None:
    """Render the agreement and statement of work as DOCX and PDF, named after the agreement reference."""
    from slagen.errors import InvalidInput
    from slagen.library.contracts import load_with_positions
    from slagen.source.output import is_stream
    from slagen.pipeline.render import reference_collisions
    from slagen.source.yaml_positions import read_source_bytes

    if pdf_variant is not None and pdf_variant != "pdf/a-3u":
        _fail_usage(f"error: --pdf-variant '{pdf_variant}' is not supported; use pdf/a-3u")
    if jobs is not None and jobs < 1:
        _fail_usage(f"error: --jobs {jobs} is not a number of processes; give 1 or more")
    from slagen.errors import UsageError
    from slagen.review.approval import check_override_reason

    try:
        override_review = check_override_reason(override_review)
    except UsageError as exc:
        _fail_usage(str(exc))
    loaded = []
    invalid = False
    for file in files:
        if not file.exists():
            _err(f"{file}: error: no such file")
            invalid = True
            continue
        try:
            source = read_source_bytes(file)
            loaded.append((file, source, *load_with_positions(file, source)))
        except InvalidInput as exc:
            _err(str(exc))
            invalid = True
    for problem in reference_collisions([(file, contract, doc) for file, _, contract, doc in loaded]):
        _err(str(problem))
        invalid = True
    if invalid:
        raise typer.Exit(2)
    _library_usable([file for file, _, _, _ in loaded], library)

    docs = ("agreement", "sow") if doc is DocChoice.all else (doc.value,)
    formats = ("docx", "pdf") if format is FormatChoice.all else (format.value,)
    to_stream = is_stream(output)
    if to_stream:
        count = sum(len(formats) * len([k for k in docs if k != "sow" or contract.sow is not None])
                    for _, _, contract, _ in loaded)
        if count != 1:
            _fail_usage(f"error: -o {output} sends one file to standard output or a device, but this render makes "
                        f"{count} files; choose one --doc and one --format for one contract, or give a folder")
    library_dir = str(library) if library else None
    work = [(str(file), source, docs, formats, pdf_variant, library_dir, override_review)
            for file, source, _, _ in loaded]
    failed = False
    # The README promises both documents: say why one is missing rather than leave it unsaid
    without_sow = {str(file) for file, _, contract, _ in loaded if contract.sow is None and "sow" in docs}

    def deliver(index: int, built: Built) -> None:
        nonlocal failed
        written = _write_contract(work[index][0], built, output, to_stream)
        failed |= not written
        if written and work[index][0] in without_sow and not to_stream:
            typer.echo(visible(f"{work[index][0]}: no statement of work: the contract has no sow section"))

    _build_all(work, jobs, deliver)
    raise typer.Exit(2 if failed else 0)


def _library_usable(files: list[Path], library: Optional[Path]) -> None:
    """Each contract's library, and its brand, are usable: else every problem once, exit 2, nothing rendered."""
    from slagen.errors import SlagenError
    from slagen.library.folder import resolve_library

    problems: list[str] = []
    for file in files:
        try:
            resolve_library(file, library).brand()
        except SlagenError as exc:
            if str(exc) not in problems:
                problems.append(str(exc))
    for problem in problems:
        _err(problem)
    if problems:
        raise typer.Exit(2)


def _write_contract(source: str, built: Built, output: Path, to_stream: bool) -> bool:
    """Write one contract's files together; report each one, or the error. True when written."""
    from slagen.source.output import OutputError, write_all

    outputs, error = built
    if error:
        _err(error)
        return False
    targets = [(output if to_stream else output / name, data) for name, data in outputs]
    if not to_stream:
        from slagen.pipeline.render import same_version_changed

        for warning in same_version_changed(targets):
            _err(warning)
    try:
        written = write_all(targets)
    except OutputError as exc:
        _err(str(exc))
        return False
    for result in written:
        if result.message():
            typer.echo(result.message())
    return True


def _build_all(work: list, jobs: Optional[int], deliver: Callable[[int, Built], None]) -> None:
    """Build every contract (in parallel when there are several) and hand each result over as it
    arrives, so files are written and reported one contract at a time, with a progress bar on a
    terminal. A worker that dies or raises is reported for its own file; the others still land."""
    with _progress(len(work)) as advance:
        if len(work) == 1:
            deliver(0, _guarded(lambda: _build_one(work[0]), work[0][0]))
            advance(work[0][0])
            return
        from concurrent.futures import ProcessPoolExecutor, as_completed

        workers = max(1, min(len(work), jobs or os.cpu_count() or 1))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(_build_one, job): i for i, job in enumerate(work)}
            for future in as_completed(futures):
                index = futures[future]
                deliver(index, _guarded(future.result, work[index][0]))
                advance(work[index][0])


def _guarded(call: Callable[[], Built], source: str) -> Built:
    """A crash while building one contract becomes that contract's error, not a traceback."""
    try:
        return call()
    except Exception as exc:  # noqa: BLE001 - a bug in slagen or a killed worker: report it, go on
        return [], (f"{source}: error: slagen failed while rendering this contract "
                    f"({type(exc).__name__}: {exc}); nothing was written for it. This is a fault in slagen, "
                    "not in the contract: please report it")


class _progress:
    """A per-file progress bar on standard error when it is a terminal; silent otherwise (no
    stray blank line in logs and pipes)."""

    def __init__(self, total: int):
        self.total = total
        self.bar = None

    def __enter__(self) -> Callable[[str], None]:
        if not _stderr_is_terminal():
            return lambda source: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), console=Console(stderr=True, force_terminal=True), transient=True)
        self.bar.__enter__()
        task = self.bar.add_task(f"rendering {self.total} contract{'s' if self.total != 1 else ''}",
                                 total=self.total)

        def advance(source: str) -> None:
            self.bar.update(task, advance=1, description=f"rendered {visible(Path(source).name)}")

        return advance

    def __exit__(self, *exc_info) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc_info)


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def _err(text: str) -> None:
    typer.echo("\n".join(visible(line) for line in text.split("\n")), err=True)


def _fail_usage(text: str) -> None:
    _err(text)
    raise typer.Exit(2)
