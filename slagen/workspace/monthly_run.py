"""The monthly run in the browser: one export of every customer's tickets, every approved contract reported.

``GET /monthly-run`` is the form: the export (and outages), the period, the format of each
customer's report, and the report form's own options (the preset, time format, the export's time
zone, delimiter, the share of rows a report may leave unused, no first-response data), read by
``report_options`` exactly as the single report's form reads them. It lists the contracts the
run covers: the approved version of each approved or signed contract.

"Read the export" (``action=preview``) shows the export's columns and priority labels with the
single report form's selects to map them (the same template and preview, export_map_fields.html,
``report_page.preview``), the file kept for the next post as the report form keeps it; the
mapping then travels with the run in the form's fields.

``POST /monthly-run`` starts the same job as ``POST /api/portfolio-jobs`` (portfolio_run.py) and
sends the browser to ``/monthly-run/{job}``, which shows the job's steps while it runs (the page
reloads itself every few seconds, no script needed) and, once it is done, the book's summary:
each customer's attainment against target, credits owed by currency, customers near a right to
terminate, rows no contract claims, contracts that failed, with a download for the whole ZIP and
for each customer's report and credit note (``/monthly-run/{job}/files/{name}``).
"""

from __future__ import annotations

import io
import json
import zipfile

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from slagen.workspace import store
from slagen.workspace.access import Actor, get_db, need

router = APIRouter(include_in_schema=False)

FORMATS = (("json", "figures only (JSON)"), ("pdf", "PDF"), ("docx", "DOCX"))
REFRESH_SECONDS = 3
MOST_MEMBERS = 20_000  # files a run's ZIP may hold (two per customer and the summary): read no further


def _covered(db: Session) -> list:
    from sqlalchemy import select

    from slagen.workspace.models import Contract

    return list(db.scalars(select(Contract).where(Contract.approved_version.is_not(None)).order_by(Contract.id)))


def _form_page(request: Request, db: Session, *, error: str = "", asked=None, export=None, code: int = 200):
    from slagen.report.presets import PRESETS
    from slagen.workspace.pages import page
    from slagen.workspace.report_options import DETECT, ReportOptions
    from slagen.workspace.report_page import FIELD_NAMES

    options = (asked.options if asked is not None else ReportOptions(preset=DETECT)).as_form()
    return page(request, "monthly_run.html", code, contracts=_covered(db), presets=sorted(PRESETS), error=error,
                period=asked.period if asked else "", fmt=asked.fmt if asked else "json", formats=FORMATS,
                preset=options["preset"], options=options, export=export, field_names=FIELD_NAMES,
                staged=asked.token if asked else "", kept=asked.file_names if asked else {})


async def _preview(request: Request, db: Session, asked) -> dict | None:
    """The export's columns and labels as the first contract of the run reads them (None: no export
    or no contract to read it against)."""
    from slagen.workspace.report_page import preview

    covered = _covered(db)
    if not covered or "tickets" not in asked.files:
        return None
    first = covered[0]
    text = store.last_approved(db, first).text
    export = await preview(request, asked, text)
    return None if export is None else {**export, "contract_reference": first.reference}


@router.get("/monthly-run")
def monthly_run_form(request: Request, user: Actor = need("report"), db: Session = Depends(get_db)):
    return _form_page(request, db)


@router.post("/monthly-run")
async def monthly_run(request: Request, user: Actor = need("report"), db: Session = Depends(get_db)):
    from slagen.workspace.portfolio_run import start_portfolio_job
    from slagen.workspace.report_page import FormProblem, read_report_form, staged

    try:
        asked = await read_report_form(request, user)  # the files kept, as the report form keeps them
    except FormProblem as exc:
        return _form_page(request, db, error=exc.asked.plain(exc.message), asked=exc.asked, code=exc.status)
    except store.WorkspaceError as exc:  # an export over the size limit: said on the form
        return _form_page(request, db, error=exc.message, code=exc.status)
    export = None
    try:
        if asked.action == "preview":
            if "tickets" not in asked.files:
                raise store.WorkspaceError("choose the PSA's export of every customer's tickets (CSV, XLSX or JSON)",
                                           422)
            export = await _preview(request, db, asked)
            return _form_page(request, db, asked=asked, export=export)
        job = await start_portfolio_job(request, db, user, asked.form, files=asked.files)
    except store.WorkspaceError as exc:  # said on the same form, its answers and files kept
        if export is None:
            try:  # the export's columns and labels, to map on the same form
                export = await _preview(request, db, asked)
            except store.WorkspaceError:
                export = None
        return _form_page(request, db, error=asked.plain(exc.message), asked=asked, export=export,
                          code=exc.status if exc.status < 500 else 422)
    staged(request).discard(user.id, asked.token)  # the job has its own copy
    return RedirectResponse(f"/monthly-run/{job.id}", 303)


def _run_job(request: Request, db: Session, user: Actor, job_id: str):
    from slagen.workspace.documents import readable_job

    job = readable_job(request, db, user, job_id)
    if job.kind != "portfolio":
        raise store.NotFound("there is no such monthly run; start it again from the monthly run page")
    return job


def _archive(request: Request, job) -> zipfile.ZipFile:
    from slagen.workspace.documents import board

    _, data = board(request).file(job)
    return zipfile.ZipFile(io.BytesIO(data))


@router.get("/monthly-run/{job_id}")
def monthly_run_job(request: Request, job_id: str, user: Actor = need("report"), db: Session = Depends(get_db)):
    from slagen.workspace.documents import board
    from slagen.workspace.pages import page
    from slagen.workspace.report_options import in_form_words

    job = _run_job(request, db, user, job_id)
    state = board(request).snapshot(job)
    summary, files = None, {}
    if state["state"] == "done":
        with _archive(request, job) as archive:
            names = archive.namelist()[:MOST_MEMBERS]
            period = job.details.get("period", "")
            if f"portfolio-{period}.json" in names:
                summary = json.loads(archive.read(f"portfolio-{period}.json"))
        files = {name: f"/monthly-run/{job.id}/files/{name}" for name in names}
        for customer in (summary or {}).get("customers", []):  # each customer's own files, by name
            made = [path.replace("\\", "/").rsplit("/", 1)[-1] for path in customer.get("outputs", [])]
            customer["downloads"] = [(name, files[name]) for name in made if name in files]
    return page(request, "monthly_run_job.html", 200, job=state, details=job.details, summary=summary,
                files=files, error=in_form_words(state.get("error") or ""), refresh=REFRESH_SECONDS,
                running=state["state"] in ("queued", "running"))


@router.get("/monthly-run/{job_id}/files/{name}")
def monthly_run_file(request: Request, job_id: str, name: str, user: Actor = need("report"),
                     db: Session = Depends(get_db)):
    from slagen.workspace.documents import CONTENT_TYPES, attachment

    job = _run_job(request, db, user, job_id)
    with _archive(request, job) as archive:
        if name not in archive.namelist()[:MOST_MEMBERS]:
            raise store.NotFound(f"the monthly run made no file '{name[:100]}'")
        data = archive.read(name)
    kind = name.rsplit(".", 1)[-1].lower()
    types = {**CONTENT_TYPES, "json": "application/json", "csv": "text/csv; charset=utf-8",
             "md": "text/markdown; charset=utf-8"}
    return Response(data, media_type=types.get(kind, "application/octet-stream"), headers=attachment(name))
