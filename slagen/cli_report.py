"""`slagen report`: SLA attainment and availability for a period, from a helpdesk ticket export.

Rows the export gets wrong are printed as warnings (FILE:LINE:COL) on standard error and left
out; ``--strict`` refuses the export instead (exit 2). JSON and Markdown go to standard output
unless ``-o`` names a file; PDF and DOCX are written to ``-o`` or to
``<agreement reference>-report-<period>.<pdf|docx>``.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from slagen.cli_library import LIBRARY_OPTION


class ReportFormat(str, Enum):
    json = "json"
    md = "md"
    pdf = "pdf"
    docx = "docx"


def report(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The contract.", show_default=False)],
    tickets: Annotated[Path, typer.Option("--tickets", help="The helpdesk's ticket export (CSV).",
                                          show_default=False)],
    period: Annotated[str, typer.Option("--period", help="2027-03 (a month), 2027-Q1 or 2027.",
                                        show_default=False)],
    outages: Annotated[Optional[Path], typer.Option("--outages", help="Outages CSV: service, start, end, planned.",
                                                    show_default=False)] = None,
    format: Annotated[ReportFormat, typer.Option("--format", help="json, md, pdf or docx.")] = ReportFormat.json,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Where to write the report.",
                                                   show_default=False)] = None,
    preset: Annotated[Optional[str], typer.Option(
        "--preset", help="Column names of a PSA export: connectwise, autotask, halopsa or zendesk.",
        show_default=False)] = None,
    columns: Annotated[Optional[list[str]], typer.Option(
        "--columns", help="field=Header mappings, e.g. logged_at='Date Entered' (repeat or comma-separate).",
        show_default=False)] = None,
    priority_map: Annotated[Optional[list[str]], typer.Option(
        "--priority-map", help="Export label=contract priority, e.g. Urgent=P1.", show_default=False)] = None,
    time_format: Annotated[Optional[str], typer.Option(
        "--time-format", help="strptime format for non-ISO times, e.g. '%d/%m/%Y %H:%M'.",
        show_default=False)] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Refuse the export if any row is bad.")] = False,
    max_breaches: Annotated[int, typer.Option("--max-breaches", help="Breaches listed at most.")] = 1000,
    library: Annotated[Optional[Path], LIBRARY_OPTION] = None,
) -> None:
    """Report SLA attainment per priority and availability per service for a period."""
    from slagen.errors import SlagenError, UsageError
    from slagen.load import load_contract
    from slagen.output import write_atomically
    from slagen.report import build_report, report_json
    from slagen.report.presets import column_map, parse_pairs

    try:
        for path in (file, tickets, outages):
            if path is not None and not path.is_file():
                raise UsageError(f"{path}: error: no such file")
        contract = load_contract(file)
        from slagen.library_source import resolve_library

        house = resolve_library(file, library)  # its brand and print styles dress the PDF and DOCX
        mapping = column_map(preset, parse_pairs(columns, "--columns"), parse_pairs(priority_map, "--priority-map"),
                             time_format)
        result = build_report(contract, tickets, period=period, outages=outages, columns=mapping, strict=strict,
                              breach_limit=max(max_breaches, 0))
    except SlagenError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)

    for p in result.problems:
        where = f" (column {p.path})" if p.path else ""
        typer.echo(f"{p.file}:{p.line}:{p.column}: warning: {p.message}{where}; the row is left out", err=True)

    try:
        if format is ReportFormat.json:
            data = report_json(result).encode("utf-8")
        else:
            from slagen.report.document import report_document

            document = report_document(result, charts=format in (ReportFormat.pdf, ReportFormat.docx))
            if format is ReportFormat.md:
                from slagen.report.document import to_markdown

                data = to_markdown(document).encode("utf-8")
            elif format is ReportFormat.pdf:
                from slagen.writers.pdf import write_pdf

                data = write_pdf(document, brand=house.brand(), css=house.css())
            else:
                from slagen.writers.docx import write_docx

                data = write_docx(document, brand=house.brand())
    except SlagenError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)

    if output is None and format in (ReportFormat.pdf, ReportFormat.docx):
        from slagen.render import output_name

        output = Path(output_name(contract.agreement.reference, f"report-{result.period.label}", format.value))
    if output is None:
        typer.echo(data.decode("utf-8"), nl=False)
        return
    try:
        written = write_atomically(output, data)
    except SlagenError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)
    if written.message():  # nothing to say for '-', /dev/null or a pipe: no file was made
        typer.echo(written.message(), err=True)
