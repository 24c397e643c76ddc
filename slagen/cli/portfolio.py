"""`slagen report --portfolio FOLDER`: every customer's report from one export of all their tickets.

FOLDER is a folder of contract files, or a workspace: its database URL, its SQLite file or the
folder `slagen serve` keeps it in; then the approved version of each contract is reported.

Progress goes to standard error, one line per contract; a contract that fails is reported there
and in the summary, and the others carry on. Exit 0 when every contract was reported, 1 when
one or more failed (the rest are written), 2 for a mistake that concerns the whole run.
"""

from __future__ import annotations

from pathlib import Path

import typer

from slagen.source.terminal import visible, visible_lines


def customer_pairs(values: list[str] | None) -> dict[str, str]:
    """``--customer-map 'Acme Dental, Bath=NW-ACME-2027-01'``: split at the last '=' only, since a
    customer's name may hold commas."""
    from slagen.errors import UsageError

    pairs: dict[str, str] = {}
    for value in values or []:
        name, sep, reference = value.rpartition("=")
        if not sep or not name.strip() or not reference.strip():
            raise UsageError(f"error: --customer-map '{value}' is not CUSTOMER NAME=AGREEMENT REFERENCE")
        pairs[name.strip()] = reference.strip()
    return pairs


def run_portfolio(folder: str, tickets: Path, period: str, output: Path | None, *, document_format: str | None,
                  columns, customer_map: dict[str, str], customer_column: str | None, outages: Path | None,
                  strict: bool, breach_limit: int, max_rejected: float, workers: int,
                  library: Path | None) -> None:
    from slagen.errors import InvalidInput, SlagenError, UsageError
    from slagen.pipeline.portfolio import write_portfolio
    from slagen.report import percent_text
    from slagen.report.portfolio import portfolio_figures

    def say(line: str) -> None:
        typer.echo(visible(line), err=True)

    def figures_done(done: int, total: int, c) -> None:
        if c.error:
            say(f"[{done}/{total}] {Path(c.path).name}{f' ({c.reference})' if c.reference else ''}: failed")
            for line in c.error.split("\n"):
                say(f"    {line}")
        else:
            say(f"[{done}/{total}] {c.reference}: {c.report.tickets_in_period} tickets, "
                f"{percent_text(c.report.overall_attainment)}")

    def document_done(done: int, total: int, c) -> None:
        say(f"[{done}/{total}] {c.reference}: {document_format.upper()} "
            + ("failed: " + c.error if c.error else "written"))

    try:
        if workers < 1:
            raise UsageError(f"error: --workers {workers} is not a number of processes; give 1 or more")
        if not tickets.is_file():
            raise UsageError(f"{tickets}: error: no such file")
        if outages is not None and not outages.is_file():
            raise UsageError(f"{outages}: error: no such file")
        if not 0 <= max_rejected <= 100:
            raise UsageError(f"error: --max-rejected {max_rejected:g} is not a percentage from 0 to 100")
        from slagen.report.portfolio import contracts_from_texts
        from slagen.workspace.portfolio_run import workspace_book

        texts = workspace_book(folder)  # None: a folder of contract files
        contracts = None if texts is None else contracts_from_texts(texts, folder)
        book = portfolio_figures(Path(folder), tickets, period=period, columns=columns, customer_map=customer_map,
                                 customer_column=customer_column, outages=outages, strict=strict,
                                 breach_limit=breach_limit, max_rejected=max_rejected, progress=figures_done,
                                 contracts=contracts)
        written = write_portfolio(book, output or Path("out"), document_format=document_format, workers=workers,
                                  library=library, progress=document_done if document_format else None)
    except InvalidInput as exc:
        typer.echo("\n".join(visible(str(p)) for p in exc.problems), err=True)
        raise typer.Exit(2)
    except SlagenError as exc:
        typer.echo(visible(str(exc)), err=True)
        raise typer.Exit(2)
    except OSError as exc:
        typer.echo(visible(f"{output}: error: cannot be written ({exc.strerror})"), err=True)
        raise typer.Exit(2)

    unmatched = sum(u.rows for u in book.unmatched)
    if unmatched:
        say(f"warning: {unmatched} rows matched no contract ({len(book.unmatched)} customer names; listed in "
            f"portfolio-{book.period}.md)")
    for c in book.customers:
        if c.termination is not None:
            say(f"note: {c.customer} ({c.reference}): {c.termination.status}: {c.termination.words}")
    say(f"wrote {len(written)} files into {output or Path('out')}: {len(book.customers) - len(book.failed)} of "
        f"{len(book.customers)} contracts reported")
    raise typer.Exit(1 if book.failed else 0)


def run_portfolio_check(folder: Path, *, json_output: bool) -> None:
    """`slagen check --portfolio`: the SLA71x findings per shared staffing file; exit 2 when a contract
    or staffing file could not be read (the rest are still checked), else 1 on any error, else 0."""
    import json

    from slagen.check.shared_capacity import check_portfolio
    from slagen.errors import SlagenError

    try:
        result = check_portfolio(folder)
    except SlagenError as exc:
        typer.echo(visible(str(exc)), err=True)
        raise typer.Exit(2)
    errors = sum(f.severity == "error" for f in result.findings)
    if json_output:
        typer.echo(json.dumps({
            "folder": str(folder),
            "shared_staffing": result.groups,
            "findings": [f.as_json() for f in result.findings],
            "unreadable": [{"file": p.file, **p.as_json()} for p in result.problems],
            "summary": {"errors": errors, "warnings": sum(f.severity == "warning" for f in result.findings)},
        }, indent=2, ensure_ascii=False))
    else:
        for p in result.problems:
            typer.echo(visible(str(p)), err=True)
        named = sum(len(v) for v in result.groups.values())
        out = [f"{folder}: {len(result.groups)} shared staffing file{'s' if len(result.groups) != 1 else ''}, "
               f"named by {named} contract{'s' if named != 1 else ''}; {errors} error"
               f"{'s' if errors != 1 else ''}, {len(result.findings) - errors} other finding"
               f"{'s' if len(result.findings) - errors != 1 else ''}"]
        for f in result.findings:
            out += ["", f"{f.file}:{f.line}:{f.column}: {f.severity} {f.rule} (at {f.path})", f"    {f.message}",
                    f"    why: {f.why}", f"    fix: {f.fix}"]
        typer.echo(visible_lines("\n".join(out)))
    raise typer.Exit(2 if result.problems else 1 if errors else 0)
