"""`slagen report`: SLA attainment and availability for a period, from a helpdesk ticket export.

Rows the export gets wrong are printed as warnings (FILE:LINE:COL) on standard error and left
out; ``--strict`` refuses the export instead (exit 2), and so does an export of which more than
``--max-rejected`` percent is unused. JSON and Markdown go to standard output unless ``-o``
names a file; PDF and DOCX are written to ``-o`` or, like ``render``, into ``out/`` as
``<agreement reference>-report-<period>.<pdf|docx>``.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from slagen.cli.library import LIBRARY_OPTION
from slagen.cli.saving import print_or_write

WARNINGS_SHOWN = 50  # more rows left out than this are counted, not listed, on the terminal


class ReportFormat(str, Enum):
    json = "json"
    md = "md"
    pdf = "pdf"
    docx = "docx"
    credit_note = "credit-note"  # CSV of the service credits in money, for an invoice adjustment


def _error(exc) -> None:
    """Print a SlagenError with any control character of the user's data shown escaped; exit 2."""
    from slagen.errors import InvalidInput
    from slagen.source.terminal import visible

    lines = [str(p) for p in exc.problems] if isinstance(exc, InvalidInput) else str(exc).split("\n")
    typer.echo("\n".join(visible(line) for line in lines), err=True)
    raise typer.Exit(2)


def report(
    tickets: Annotated[Path, typer.Option("--tickets", help="The helpdesk's ticket export: CSV, XLSX or JSON.",
                                          show_default=False)],
    period: Annotated[str, typer.Option("--period", help="2027-03 (a month), 2027-Q1 or 2027.",
                                        show_default=False)],
    file: Annotated[Optional[Path], typer.Argument(metavar="FILE", help="The contract (not with --portfolio).",
                                                   show_default=False)] = None,
    outages: Annotated[Optional[Path], typer.Option(
        "--outages", help="Outages CSV: service, start, end, planned (yes, no or emergency).",
        show_default=False)] = None,
    format: Annotated[ReportFormat, typer.Option(
        "--format", help="json, md, pdf, docx, or credit-note (CSV of the service credits in money).")
    ] = ReportFormat.json,
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", help="Where to write the report (PDF and DOCX: out/ by default).",
        show_default=False)] = None,
    preset: Annotated[Optional[str], typer.Option(
        "--preset", help="The export's tool: connectwise, autotask, halopsa, zendesk, freshdesk, jira, zammad, glpi, "
                         "servicenow and more (docs/report.md lists them all); without it the export's header is "
                         "recognised.", show_default=False)] = None,
    columns: Annotated[Optional[list[str]], typer.Option(
        "--columns", help="field=Header, e.g. logged_at='Date Entered' or first_response_minutes='First reply "
                          "time in minutes' (repeat or comma-separate).", show_default=False)] = None,
    priority_map: Annotated[Optional[list[str]], typer.Option(
        "--priority-map", help="Export label=contract priority, e.g. Urgent=P1.", show_default=False)] = None,
    time_format: Annotated[Optional[str], typer.Option(
        "--time-format", help="The export's time format when it cannot be told from the values, e.g. "
                              "'%d/%m/%Y %H:%M'.", show_default=False)] = None,
    export_timezone: Annotated[Optional[str], typer.Option(
        "--export-timezone", help="The zone the export's times without an offset are in (default: the preset's, "
                                  "else the contract's).", show_default=False)] = None,
    delimiter: Annotated[Optional[str], typer.Option(
        "--delimiter", help="The CSV delimiter, when not found from the header: ',', ';', tab or '|'.",
        show_default=False)] = None,
    no_response_data: Annotated[bool, typer.Option(
        "--no-response-data", help="The export has no first-response times: report resolution only.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Refuse the export if any row is bad.")] = False,
    max_rejected: Annotated[float, typer.Option(
        "--max-rejected", help="Refuse the export when more than this percent of its rows are unused.")] = 5.0,
    max_breaches: Annotated[int, typer.Option("--max-breaches", help="Breaches listed at most.")] = 1000,
    library: Annotated[Optional[Path], LIBRARY_OPTION] = None,
    portfolio: Annotated[Optional[str], typer.Option(
        "--portfolio", metavar="FOLDER", help="Report every contract in FOLDER from one export of all customers' "
                                              "tickets, into -o (a folder; out/ by default). FOLDER may be a "
                                              "workspace (its database URL, file or folder): its approved contracts.",
        show_default=False)] = None,
    customer_map: Annotated[Optional[list[str]], typer.Option(
        "--customer-map", help="With --portfolio: the export's customer name=agreement reference (repeatable).",
        show_default=False)] = None,
    customer_column: Annotated[Optional[str], typer.Option(
        "--customer-column", help="With --portfolio: the export's column naming each ticket's customer (default: "
                                  "Customer, Company, Account, Organization or Client).", show_default=False)] = None,
    workers: Annotated[int, typer.Option("--workers", help="With --portfolio: processes building PDF/DOCX.")] = 1,
) -> None:
    """Report SLA attainment per priority and availability per service for a period.

    \b
    The ticket export needs one row per ticket with these columns (any order, any case; other
    columns are ignored; --preset or --columns maps a tool's own headers):
      id                 the ticket number
      priority           the contract's id (P1), its name, or a label mapped with --priority-map
      logged_at          when the ticket was logged
      first_response_at  when it was first answered (empty: not yet); or, instead,
                         first_response_minutes, minutes from logging; or --no-response-data
      resolved_at        when it was resolved (empty: still open)
      paused             optional: start/end pairs separated by ';'

    \b
    Times may be ISO 8601 (2027-03-01T09:30, with or without an offset) or as a grid export
    writes them (3/1/2027 9:12 AM, 01/03/2027 09:12, 01/Mar/27 9:12 AM); the day/month order
    is found from the values, and an export that does not show it is refused.

    \b
    Examples:
      slagen report acme.yaml --tickets march.csv --period 2027-03
      slagen report acme.yaml --tickets cw.csv --preset connectwise --period 2027-Q1 --format pdf
      slagen report acme.yaml --tickets glpi.csv --preset glpi --period 2027-03 --format md -o r.md
    """
    from slagen.errors import SlagenError, UsageError
    from slagen.library.contracts import load_contract
    from slagen.source.output import write_atomically
    from slagen.report import TooManyRejected, build_report, report_json
    from slagen.report.presets import column_map, parse_pairs

    def warn_rows(problems) -> None:
        from slagen.source.terminal import visible

        for p in problems[:WARNINGS_SHOWN]:
            where = f" (column {p.path})" if p.path else ""
            typer.echo(visible(f"{p.file}:{p.line}:{p.column}: warning: {p.message}{where}; the row is left out"),
                       err=True)
        if len(problems) > WARNINGS_SHOWN:
            typer.echo(f"... and {len(problems) - WARNINGS_SHOWN} more rows left out (all listed in the JSON report)",
                       err=True)

    if portfolio is not None or file is None:
        from slagen.cli.portfolio import customer_pairs, run_portfolio

        try:
            if portfolio is None or file is not None:
                raise UsageError("error: give either a contract FILE or --portfolio FOLDER")
            if format is ReportFormat.credit_note:
                raise UsageError("error: --portfolio writes every customer's credit note already; give --format json, "
                                 "md, pdf or docx")
            mapping = column_map(preset, parse_pairs(columns, "--columns"),
                                 parse_pairs(priority_map, "--priority-map"), time_format,
                                 export_timezone=export_timezone, no_response=no_response_data, delimiter=delimiter)
            pairs = customer_pairs(customer_map)
        except SlagenError as exc:
            _error(exc)
        run_portfolio(portfolio, tickets, period, output,
                      document_format=None if format is ReportFormat.json else format.value, columns=mapping,
                      customer_map=pairs, customer_column=customer_column, outages=outages, strict=strict,
                      breach_limit=max(max_breaches, 0), max_rejected=max_rejected, workers=workers, library=library)
    try:
        for path in (file, tickets, outages):
            if path is not None and not path.is_file():
                raise UsageError(f"{path}: error: no such file")
        if not 0 <= max_rejected <= 100:  # also refuses nan
            raise UsageError(f"error: --max-rejected {max_rejected:g} is not a percentage from 0 to 100")
        contract = load_contract(file)
        from slagen.library.folder import resolve_library

        house = resolve_library(file, library)  # its brand and print styles dress the PDF and DOCX
        def mapped(preset_key):
            return column_map(preset_key, parse_pairs(columns, "--columns"), parse_pairs(priority_map, "--priority-map"),
                              time_format, export_timezone=export_timezone, no_response=no_response_data,
                              delimiter=delimiter)

        mapping = mapped(preset)  # every option checked before the export is looked at
        recognised = None
        if preset is None and not columns:
            from slagen.report.recognise import recognise_export

            recognised = recognise_export(tickets, mapping.delimiter)
            refusal = recognised.refusal(str(tickets))
            if refusal is not None:
                raise refusal
            if recognised.preset:
                mapping = mapped(recognised.preset)
        from slagen.report.zone_pair import check_zone_pair

        zone_note = check_zone_pair(tickets, mapping, contract)
        result = build_report(contract, tickets, period=period, outages=outages, columns=mapping, strict=strict,
                              breach_limit=max(max_breaches, 0), max_rejected=max_rejected)
    except TooManyRejected as exc:
        warn_rows(exc.problems)
        _error(exc)
    except SlagenError as exc:
        _error(exc)

    warn_rows(result.problems)
    if recognised is not None and recognised.preset:
        typer.echo(f"note: {recognised.words}", err=True)
    if zone_note:
        typer.echo(f"note: {zone_note}", err=True)
    if result.no_response:
        typer.echo("note: the export has no first-response times: this report measures resolution only", err=True)
    if not result.availability_measured:
        typer.echo("note: no --outages file: availability was not measured and no service credit is claimed",
                   err=True)

    try:
        if format is ReportFormat.json:
            data = report_json(result).encode("utf-8")
        elif format is ReportFormat.credit_note:
            from slagen.report.credits import credit_note, credit_note_csv

            data = credit_note_csv(credit_note(result))
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
        from slagen.pipeline.render import output_name

        output = Path("out") / output_name(contract.agreement.reference, f"report-{result.period.label}",
                                           format.value)
    print_or_write(output, data)
