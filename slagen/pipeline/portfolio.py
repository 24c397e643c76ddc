"""Writing a portfolio run: every customer's report and credit note, and the summary of the book.

    from slagen.pipeline.portfolio import write_portfolio
    written = write_portfolio(book, "out/", document_format="pdf", workers=2)

Per customer, into the output folder (named after the agreement reference, as ``render`` names
its files): ``<ref>-report-<period>.json`` always, ``<ref>-report-<period>.<pdf|docx|md>`` when
asked, and ``<ref>-credit-note-<period>.csv``; for the book, ``portfolio-<period>.json`` and
``portfolio-<period>.md``. Each file is written whole or not at all (``source.output``).

The figures are cheap; PDF and DOCX are not (a second or more each). They are built by a pool
of ``workers`` processes, each building one customer's document from its figures; a customer
whose document fails keeps its figures and is reported with the error.
"""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Callable

from slagen.errors import SlagenError
from slagen.report import Report, percent_text, report_json
from slagen.report.credits import credit_note_csv
from slagen.report.portfolio import CustomerFigures, Portfolio

__all__ = ["write_portfolio", "summary_dict", "summary_markdown", "DOCUMENT_FORMATS"]

DOCUMENT_FORMATS = ("pdf", "docx", "md")


def _name(reference: str, kind: str, fmt: str) -> str:
    from slagen.pipeline.render import output_name

    return output_name(reference, kind, fmt)


def render_report_document(report: Report, fmt: str, contract_path: str, library: str | None) -> bytes:
    """One customer's report as PDF, DOCX or Markdown, dressed in its contract's library."""
    from slagen.library.folder import resolve_library
    from slagen.report.document import report_document

    document = report_document(report, charts=fmt in ("pdf", "docx"))
    if fmt == "md":
        from slagen.report.document import to_markdown

        return to_markdown(document).encode("utf-8")
    house = resolve_library(contract_path, library)
    if fmt == "pdf":
        from slagen.writers.pdf import write_pdf

        return write_pdf(document, brand=house.brand(), css=house.css())
    from slagen.writers.docx import write_docx

    return write_docx(document, brand=house.brand())


def _warm_worker(fmt: str, library: str | None) -> None:
    """In a new worker, before its first task: import the writer and make one small document, so
    the imports, the library and the fonts are loaded once per process and not inside a task."""
    try:
        from slagen.library.folder import resolve_library
        from slagen.report.document import report_document  # noqa: F401 - what every task needs next

        house = resolve_library(None, library)
        if fmt == "pdf":
            from slagen.writers.pdf import write_pdf

            write_pdf(_tiny_document(), brand=house.brand(), css=house.css())
        elif fmt == "docx":
            from slagen.writers.docx import write_docx

            write_docx(_tiny_document(), brand=house.brand())
    except Exception:  # noqa: BLE001 - warming is an optimisation: the task itself says what is wrong
        pass


def _tiny_document():
    from datetime import date

    from slagen.document import Document, Paragraph, Run, Section

    return Document(kind="report", title="Warm-up", reference="warm-up", cover=None, date=date(2027, 1, 1),
                    blocks=(Section(id="warm-up", title="Warm-up", children=(Paragraph(inlines=(Run("Warm-up."),)),)),))


def _render_and_write(task: tuple) -> tuple[int, str | None, str | None]:
    """In a worker: (position, file written, error)."""
    from slagen.source.output import write_atomically

    position, report, fmt, contract_path, library, target = task
    try:
        write_atomically(target, render_report_document(report, fmt, contract_path, library))
        return position, target, None
    except SlagenError as exc:
        return position, None, f"{contract_path}: error: the {fmt.upper()} report could not be made: {exc}"
    except Exception as exc:  # noqa: BLE001 - one document's fault must not stop the book
        return position, None, (f"{contract_path}: error: the {fmt.upper()} report could not be made "
                                f"({type(exc).__name__}: {exc}); please report this as a bug")


def write_portfolio(book: Portfolio, out_dir: str | Path, *, document_format: str | None = None, workers: int = 1,
                    library: str | Path | None = None,
                    progress: Callable[[int, int, CustomerFigures], None] | None = None) -> list[str]:
    """Write every output of ``book`` into ``out_dir``; the files written, in order."""
    from slagen.source.output import write_atomically

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    tasks = []
    for position, customer in enumerate(book.customers):
        if customer.report is None:
            continue
        ref = customer.reference or "contract"
        for name, data in ((_name(ref, f"report-{book.period}", "json"), report_json(customer.report).encode("utf-8")),
                           (_name(ref, f"credit-note-{book.period}", "csv"), credit_note_csv(customer.note))):
            write_atomically(out / name, data)
            customer.outputs.append(str(out / name))
            written.append(str(out / name))
        if document_format is not None:
            target = str(out / _name(ref, f"report-{book.period}", document_format))
            tasks.append((position, customer.report, document_format, customer.path,
                          None if library is None else str(library), target))

    def finish(position: int, path: str | None, error: str | None, done: int) -> None:
        customer = book.customers[position]
        if path is not None:
            customer.outputs.append(path)
            written.append(path)
        else:
            customer.error = error
        if progress is not None:
            progress(done, len(tasks), customer)

    if tasks and workers > 1:
        import multiprocessing

        # spawn: the parent has pyarrow's threads running; a forked child would inherit their locks
        with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_warm_worker,
                                 initargs=(document_format, None if library is None else str(library))) as pool:
            for done, result in enumerate(pool.map(_render_and_write, tasks, chunksize=1), start=1):
                finish(*result, done)
    else:
        for done, task in enumerate(tasks, start=1):
            finish(*_render_and_write(task), done)

    for fmt, data in (("json", json.dumps(summary_dict(book), indent=2, ensure_ascii=False) + "\n"),
                      ("md", summary_markdown(book))):
        target = out / f"portfolio-{book.period}.{fmt}"
        write_atomically(target, data.encode("utf-8"))
        written.append(str(target))
    return written


# --------------------------------------------------------------------------------------------
# The summary


def _percent(value: Fraction | None) -> float | None:
    if value is None:
        return None
    return float(round(Decimal(value.numerator) / Decimal(value.denominator), 3))


def targets_below(report: Report) -> list[tuple[str, Fraction]]:
    """The response and resolution targets attained below the agreement's persistent-failure line."""
    for_cause = report.contract.termination.for_cause
    rule = for_cause.repeated_breach if for_cause else None
    if rule is None or rule.attainment_below is None:
        return []
    line = Fraction(rule.attainment_below)
    found = []
    for f in report.priorities:
        for kind in ("response", "resolution"):
            target = getattr(f, kind)
            if target.measured_at_all and target.attainment is not None and target.attainment < line:
                found.append((f"{f.id} {kind}", target.attainment))
    return found


def _attainment_target(report: Report) -> str | None:
    for_cause = report.contract.termination.for_cause
    rule = for_cause.repeated_breach if for_cause else None
    return None if rule is None or rule.attainment_below is None else f"{rule.attainment_below.normalize():f}"


def summary_dict(book: Portfolio) -> dict:
    customers = []
    for c in book.customers:
        entry: dict = {"file": c.path, "agreement": c.reference, "customer": c.customer, "rows": c.rows,
                       "status": "failed" if c.error else "reported", "error": c.error}
        if c.report is not None:
            r = c.report
            entry.update({
                "tickets_in_period": r.tickets_in_period,
                "rows_rejected": r.rows_rejected,
                "attainment_percent": _percent(r.overall_attainment),
                "band": r.band,
                "attainment_target_percent": _attainment_target(r),
                "targets_below": [{"target": t, "attainment_percent": _percent(a)} for t, a in targets_below(r)],
                "availability_measured": r.outages_file is not None,
                "credit": {"amount": f"{c.note.total:f}", "currency": c.note.currency,
                           "not_final": list(c.note.not_final)},
                "termination": None if c.termination is None else {
                    "status": c.termination.status, "target": c.termination.target,
                    "bad_months": list(c.termination.bad_months), "needed": c.termination.needed,
                    "within_months": c.termination.within_months, "months_seen": c.termination.months_seen,
                    "words": c.termination.words},
            })
        entry["outputs"] = c.outputs
        customers.append(entry)
    return {
        "report": "portfolio",
        "period": book.period,
        "tickets": {"file": book.tickets_file, "rows_read": book.rows_read, "read_as": book.reader,
                    "customer_column": book.customer_column,
                    "rows_unmatched": sum(u.rows for u in book.unmatched)},
        "contracts": len(book.customers),
        "reported": sum(1 for c in book.customers if not c.error),
        "failed": [{"file": c.path, "error": c.error} for c in book.failed],
        "credits_by_currency": {k: f"{v:f}" for k, v in book.credits_by_currency().items()},
        "termination_risk": [{"agreement": c.reference, "customer": c.customer, "status": c.termination.status,
                              "words": c.termination.words}
                             for c in book.customers if c.termination is not None],
        "unmatched": [{"customer": u.value, "rows": u.rows, "first_line": u.first_line, "reason": u.reason}
                      for u in book.unmatched],
        "customers": customers,
    }


def _cell(text: object) -> str:
    """Text for a Markdown table cell: the characters that would end the cell or start markup escaped."""
    value = " ".join(str(text).split())
    for ch in "\\|*_`<>[]#":
        value = value.replace(ch, "\\" + ch)
    return value


def summary_markdown(book: Portfolio) -> str:
    lines = [f"# Portfolio report {book.period}", "",
             f"{len(book.customers)} contracts, {len(book.customers) - len(book.failed)} reported, "
             f"{len(book.failed)} failed; {book.rows_read} export rows read from {_cell(book.tickets_file)}, "
             f"{sum(u.rows for u in book.unmatched)} matched no contract.", "",
             "| Customer | Agreement | Tickets | Attainment | Target | Band | Credit | Termination |",
             "|---|---|---:|---:|---:|---|---:|---|"]
    for c in book.customers:
        if c.report is None:
            lines.append(f"| {_cell(c.customer or Path(c.path).name)} | {_cell(c.reference or '')} | | | | failed | | |")
            continue
        r = c.report
        target = _attainment_target(r)
        lines.append(
            f"| {_cell(c.customer)} | {_cell(c.reference)} | {r.tickets_in_period} | "
            f"{percent_text(r.overall_attainment)} | {'' if target is None else target + '%'} | {r.band or 'n/a'} | "
            f"{c.note.total:f} {c.note.currency} | {_cell(c.termination.status if c.termination else '')} |")
    lines += ["", "## Credits owed", ""]
    totals = book.credits_by_currency()
    lines += [f"- {currency}: {amount:f}" for currency, amount in totals.items()] or ["- none"]
    at_risk = [c for c in book.customers if c.termination is not None]
    lines += ["", "## Within one bad month of a termination right", ""]
    lines += [f"- {_cell(c.customer)} ({_cell(c.reference)}): {_cell(c.termination.words)}" for c in at_risk] or \
        ["- none"]
    lines += ["", "## Rows that matched no contract", ""]
    lines += [f"- {_cell(u.value or '(empty)')}: {u.rows} row{'s' if u.rows != 1 else ''}, first on line "
              f"{u.first_line}: {_cell(u.reason)}"
              for u in book.unmatched] or ["- none"]
    lines += ["", "## Contracts that failed", ""]
    lines += [f"- {_cell(c.path)}: {_cell(c.error)}" for c in book.failed] or ["- none"]
    return "\n".join(lines) + "\n"
