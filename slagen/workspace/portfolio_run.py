"""The monthly run over the workspace's book: every approved contract's report from one export, as a job.

``POST /api/portfolio-jobs`` (multipart: ``tickets``, optional ``outages``, ``period``, ``format``
json, pdf or docx, and the report form's options: ``preset``, ``time_format``, ``export_timezone``,
``delimiter``, ``max_rejected``, ``no_response_data``, ``columns``, ``priority_map``; see
report_options.py) starts a job like a render job, also from the page ``/monthly-run``: the approved version of every
contract (approved or signed) is reported with ``slagen report --portfolio``'s engine, and the
job's file is a ZIP of each customer's report and credit note and the book's summary. On
PostgreSQL it goes through the durable queue with the exports in its row (``queue.py``).
Who may see the job is checked as for a report of the run's first contract (role ``report``).
"""

from __future__ import annotations

import base64

from slagen.workspace import store

__all__ = ["job_portfolio", "start_portfolio_job", "approved_texts", "workspace_book"]


def approved_texts(db) -> dict[str, str]:
    """Every contract with an approved version (approved, or signed since): {file name: the YAML of
    that version}. A later draft is not what the customer agreed to, so it is not reported on."""
    import os

    from sqlalchemy import select

    from slagen.workspace.models import Contract

    approved = db.scalars(select(Contract).where(Contract.approved_version.is_not(None)).order_by(Contract.id)).all()
    return {f"{c.id:06d}-{c.reference}.yaml".replace(os.sep, "_"): store.last_approved(db, c).text for c in approved}


def workspace_book(target: str) -> dict[str, str] | None:
    """The approved contracts of the workspace ``target`` names, for ``slagen report --portfolio``;
    None when ``target`` is a folder of contract files instead.

    A workspace is named by its database URL (``sqlite:///path/slagen-workspace.db``,
    ``postgresql+psycopg://...``), by its SQLite file, or by the folder ``slagen serve`` ran in
    (holding ``slagen-workspace.db`` and no contract files). The database is only read.
    """
    from pathlib import Path

    from sqlalchemy.exc import SQLAlchemyError

    from slagen.errors import UsageError
    from slagen.workspace.database import DEFAULT_FILE, _without_password, make_engine, session_factory, sqlite_path

    if "://" in target:
        url = target
        path = sqlite_path(url)
        if url.startswith("sqlite") and (path is None or not path.is_file()):
            raise UsageError(f"error: --portfolio {_without_password(url)}: there is no workspace database at "
                             f"{path or 'that address'}")
    else:
        place = Path(target)
        if place.is_file():
            with place.open("rb") as handle:
                if handle.read(16) != b"SQLite format 3\x00":
                    raise UsageError(f"{target}: error: --portfolio needs a folder of contracts, a workspace folder "
                                     "or a workspace database, and this file is none of them")
            database = place
        elif place.is_dir() and (place / DEFAULT_FILE).is_file():
            if any(p.suffix.lower() in (".yaml", ".yml") for p in place.iterdir()):
                raise UsageError(f"{target}: error: the folder holds contract files and a workspace ({DEFAULT_FILE}); "
                                 f"say which: --portfolio {place / DEFAULT_FILE} for the workspace's approved "
                                 "contracts, or move the contract files into a folder of their own")
            database = place / DEFAULT_FILE
        else:
            return None
        url = f"sqlite:///{database.resolve()}"
    engine = make_engine(url)
    try:
        with session_factory(engine)() as db:
            texts = approved_texts(db)
    except SQLAlchemyError as exc:
        first = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(f"error: --portfolio {_without_password(url)}: the workspace could not be read ({first}); "
                         "if it is from an older slagen, start `slagen serve` on it once to bring it up to date") from None
    finally:
        engine.dispose()
    if not texts:
        raise UsageError(f"error: --portfolio {_without_password(url)}: no contract of the workspace is approved yet; "
                         "a monthly run reports the approved version of each contract")
    return texts


def job_portfolio(contracts: dict, tickets: list, outages: list | None, period: str, options, fmt: str,
                  progress=lambda step, k, n: None) -> tuple[bool, object]:
    """In a worker: the contracts' texts ({file name: text}) and the exports ([name, base64]) into a
    folder, the portfolio's figures and files, and a ZIP of them. ``options``: the report's
    options (``ReportOptions``, as a dict from the durable queue, or a preset's name)."""
    import io
    import os
    import tempfile
    import zipfile
    from pathlib import Path

    from slagen.errors import SlagenError

    with tempfile.TemporaryDirectory(prefix="slagen-portfolio-") as folder:
        root = Path(folder)
        (root / "contracts").mkdir()
        for name, text in contracts.items():
            (root / "contracts" / os.path.basename(name)).write_text(text, encoding="utf-8")

        def upload(item):
            if not item:
                return None
            path = root / os.path.basename(item[0])
            path.write_bytes(base64.b64decode(item[1]))
            return path

        tickets_path, outages_path = upload(tickets), upload(outages)
        try:
            from slagen.pipeline.portfolio import write_portfolio
            from slagen.report.portfolio import portfolio_figures
            from slagen.workspace.report_options import OptionError, ReportOptions

            total = len(contracts) + 1

            def figured(done: int, _: int, customer) -> None:
                progress(f"Reporting {customer.reference or 'a contract'}", done, total)

            chosen = ReportOptions.of(options)
            try:
                limit = chosen.max_rejected_fraction()
            except OptionError as exc:
                return False, exc.message
            book = portfolio_figures(root / "contracts", tickets_path, period=period,
                                     columns=chosen.column_map(str(tickets_path)), outages=outages_path,
                                     max_rejected=limit, progress=figured)
            progress("Writing every customer's files", total, total)
            written = write_portfolio(book, root / "out", document_format=None if fmt == "json" else fmt)
        except SlagenError as exc:
            return False, str(exc).replace(folder + os.sep, "")
        data = io.BytesIO()
        with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(written):
                info = zipfile.ZipInfo(Path(path).name, date_time=(2000, 1, 1, 0, 0, 0))  # the same bytes each run
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, Path(path).read_bytes())
        warnings = [f"{c.path.rsplit(os.sep, 1)[-1]}: {c.error}".replace(folder + os.sep, "") for c in book.failed]
        warnings += [f"{u.rows} rows name '{u.value}', which no approved contract claims" for u in book.unmatched]
        return True, (f"portfolio-{period}.zip", data.getvalue(), warnings)


async def start_portfolio_job(request, db, user, form=None, files: dict | None = None):
    """The job over every approved contract; refused when none is approved. ``form``: the request's
    form when the caller has read it already; ``files``: the exports already kept from it ({"tickets":
    path, "outages": path}, as the monthly run page keeps them), else they are read from the form."""
    import dataclasses
    import os
    import tempfile

    from sqlalchemy import select

    from slagen.workspace.access import MAX_EXPORT_BYTES
    from slagen.workspace.documents import board
    from slagen.workspace.job_board import Job
    from slagen.workspace.models import Contract
    from slagen.workspace.report_options import OptionError, options_from_form
    from slagen.workspace.uploads import read_uploads_to_folder

    approved = db.scalars(select(Contract).where(Contract.approved_version.is_not(None)).order_by(Contract.id)).all()
    if not approved:
        raise store.WorkspaceError("no contract is approved yet: a monthly run reports approved contracts", 422)
    form = form if form is not None else await request.form()
    period, fmt = (str(form.get(k, "")).strip() for k in ("period", "format"))
    fmt = fmt or "json"
    if fmt not in ("json", "pdf", "docx"):
        raise store.WorkspaceError("the format is json, pdf or docx", 422)
    if not period:
        raise store.WorkspaceError("say which period to report: a month (2027-03), a quarter (2027-Q1) or a year",
                                   422)
    try:
        options = options_from_form(form)  # the report form's own options, read the same way
    except OptionError as exc:
        raise store.WorkspaceError(exc.message, exc.status) from None
    with tempfile.TemporaryDirectory(prefix="slagen-portfolio-upload-") as folder:
        if files is None:
            files = await read_uploads_to_folder(form, ("tickets", "outages"), folder, MAX_EXPORT_BYTES)
        if "tickets" not in files:
            raise store.WorkspaceError("choose the PSA's export of every customer's tickets (a CSV file)")

        def stored(field: str):
            path = files.get(field)
            if path is None:
                return None
            with open(path, "rb") as handle:
                return [os.path.basename(path), base64.b64encode(handle.read()).decode("ascii")]

        tickets, outages = stored("tickets"), stored("outages")
    texts = approved_texts(db)
    job = Job(kind="portfolio", permission="report", contract_id=approved[0].id, content_type="application/zip",
              details={"contracts": len(approved), "period": period, "format": fmt})
    started, _ = board(request).start(object(), job, job_portfolio,
                                      (texts, tickets, outages, period, dataclasses.asdict(options), fmt),
                                      owner=user.id)
    store.audit(db, user, "report", None, None, f"portfolio {period} {fmt} ({len(approved)} contracts)")
    db.commit()
    return started
