"""The attainment report in the browser and the API, with the command line's options.

The form takes the exports, the period and the options of ``slagen report`` (report_options.py).
"Read the export" shows the export's header and its priority labels, each with a select of the
contract's priorities (what the report would read it as, from the engine's own preview), and
selects of the header's names for each column; the report then reads the export exactly so.
A mistake comes back on the same form, with its answers and the chosen files kept
(staged_uploads.py), and the export's columns and labels shown to map; nothing is a dead end.
All reading of the exports happens in the render workers, like every other engine job.
"""

from __future__ import annotations

import os
import shutil

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session

from slagen.workspace import store
from slagen.workspace.access import MAX_EXPORT_BYTES, Actor, get_db, need
from slagen.workspace.documents import CONTENT_TYPES, attachment
from slagen.workspace.engine import job_report, job_report_preview
from slagen.workspace.report_options import DETECT, OptionError, ReportOptions, in_form_words, options_from_form
from slagen.workspace.staged_uploads import StagedUploads, copy_for_job

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["workspace"])

FORMATS = ("json", "pdf", "docx")
FIELD_NAMES = {"id": "ticket number", "priority": "priority", "logged_at": "logged at",
               "first_response_at": "first response at", "first_response_minutes": "minutes to first response",
               "resolved_at": "resolved at", "paused": "paused (start/end pairs)"}


def staged(request: Request) -> StagedUploads:
    app = request.app
    if getattr(app.state, "staged_uploads", None) is None:
        app.state.staged_uploads = StagedUploads()
    return app.state.staged_uploads


class ReportRequest:
    """One post of the report form: its fields read, its files kept."""

    def __init__(self, form, options: ReportOptions, token: str, files: dict, period: str, fmt: str, action: str):
        self.form, self.options, self.token, self.files = form, options, token, files
        self.period, self.fmt, self.action = period, fmt, action

    def plain(self, message: str) -> str:
        """A message naming the kept copies as the user named the uploads, in the form's words."""
        for path in self.files.values():
            message = message.replace(str(path.parent) + os.sep, "")
        return in_form_words(message)

    @property
    def file_names(self) -> dict[str, str]:
        return {name: path.name for name, path in self.files.items()}


async def read_report_form(request: Request, user: Actor) -> ReportRequest:
    """The form's fields and files; the files are kept even when a field is wrong, so the error
    page keeps them too (raises ``FormProblem`` carrying what was read)."""
    form = await request.form(max_part_size=1_000_000)
    token, files = await staged(request).keep(user.id, form, _field(form, "staged"), MAX_EXPORT_BYTES)
    period, fmt, action = (_field(form, k).strip() for k in ("period", "format", "action"))
    try:
        options = options_from_form(form)
    except OptionError as exc:
        raise FormProblem(exc.message, ReportRequest(form, ReportOptions(), token, files, period, fmt, action),
                          exc.status) from None
    return ReportRequest(form, options, token, files, period, fmt if fmt in FORMATS else "json", action)


class FormProblem(store.WorkspaceError):
    def __init__(self, message: str, asked: ReportRequest, status: int = 422):
        super().__init__(message, status)
        self.asked = asked


def _field(form, key: str) -> str:
    value = form.get(key)
    return value if isinstance(value, str) else ""


async def preview(request: Request, asked: ReportRequest, text: str) -> dict | None:
    """The export's preview, or None when it cannot be read (the error says why)."""
    if "tickets" not in asked.files:
        return None
    return await request.app.state.jobs.run(job_report_preview, text, str(asked.files["tickets"]), asked.options)


def form_page(request: Request, contract, asked: ReportRequest | None = None, *, error: str = "",
              report=None, warnings=(), export=None, code: int = 200) -> HTMLResponse:
    from slagen.report.presets import PRESETS
    from slagen.workspace.pages import page

    options = asked.options.as_form() if asked else ReportOptions(preset=DETECT).as_form()
    return page(request, "report.html", code, contract=contract, presets=sorted(PRESETS), report=report,
                error=error, warnings=list(warnings), period=asked.period if asked else "",
                preset=options["preset"], options=options, staged=asked.token if asked else "",
                kept=asked.file_names if asked else {}, export=export, field_names=FIELD_NAMES,
                fmt=asked.fmt if asked else "json")


@router.get("/contracts/{contract_id}/report")
def report_form(request: Request, contract_id: int, user: Actor = need("report"), db: Session = Depends(get_db)):
    return form_page(request, store.get_contract(db, contract_id))


@router.post("/contracts/{contract_id}/report")
async def report(request: Request, contract_id: int, user: Actor = need("report"), db: Session = Depends(get_db)):
    contract = store.get_contract(db, contract_id)
    version = store.latest(db, contract)
    try:
        asked = await read_report_form(request, user)
    except FormProblem as exc:
        return form_page(request, contract, exc.asked, error=exc.message, code=exc.status)
    except store.WorkspaceError as exc:  # an export over the size limit: said on the form
        return form_page(request, contract, error=exc.message, code=exc.status)
    export = None
    try:
        if asked.action == "preview" or "tickets" not in asked.files:
            if "tickets" not in asked.files:
                raise store.WorkspaceError("choose the helpdesk's ticket export (CSV, XLSX or JSON)", 422)
            export = await preview(request, asked, version.text)
            return form_page(request, contract, asked, export=export)
        name, result, warnings = await _run(request, asked, version.text)
    except store.WorkspaceError as exc:
        if export is None:
            try:  # the export's columns and labels, to map on the same form
                export = await preview(request, asked, version.text)
            except store.WorkspaceError:
                export = None
        return form_page(request, contract, asked, error=asked.plain(exc.message), export=export,
                         code=exc.status if exc.status < 500 else 422)
    store.audit(db, user, "report", contract, version.number, f"{asked.period} {asked.fmt}")
    db.commit()
    if asked.fmt != "json":
        return Response(result, media_type=CONTENT_TYPES[asked.fmt], headers=attachment(name))
    return form_page(request, contract, asked, report=result, warnings=[asked.plain(w) for w in warnings])


async def _run(request: Request, asked: ReportRequest, text: str):
    if not asked.period:
        raise store.WorkspaceError("say which period to report: a month (2027-03), a quarter (2027-Q1) or a year",
                                   422)
    outages = str(asked.files["outages"]) if "outages" in asked.files else None
    return await request.app.state.jobs.run(job_report, text, str(asked.files["tickets"]), outages, asked.period,
                                            asked.options, asked.fmt)


async def _read_for_program(request: Request, user: Actor) -> ReportRequest:
    """The form as the API sends it: a program sends its files each time, so nothing is kept,
    even when an option is wrong."""
    try:
        return await read_report_form(request, user)
    except FormProblem as exc:
        staged(request).discard(user.id, exc.asked.token)
        raise store.WorkspaceError(exc.message, exc.status) from None


async def _program_upload(request: Request, user: Actor, work):
    """(the form, what ``work(form)`` returned) for a program's upload: the ticket export required,
    a problem told in the form's own words, and the files never kept (a program sends them each time)."""
    asked = await _read_for_program(request, user)
    try:
        if "tickets" not in asked.files:
            raise store.WorkspaceError("send the helpdesk's ticket export as the multipart field 'tickets'", 422)
        return asked, await work(asked)
    except store.WorkspaceError as exc:
        raise store.WorkspaceError(asked.plain(exc.message), exc.status) from None
    finally:
        staged(request).discard(user.id, asked.token)


async def run_report(request: Request, db: Session, user: Actor, contract_id: int):
    """The report for the API: (contract, format, file name, result, warnings, period, preset)."""
    contract = store.get_contract(db, contract_id)
    version = store.latest(db, contract)
    asked, (name, result, warnings) = await _program_upload(request, user,
                                                            lambda asked: _run(request, asked, version.text))
    store.audit(db, user, "report", contract, version.number, f"{asked.period} {asked.fmt}")
    db.commit()
    return contract, asked.fmt, name, result, [asked.plain(w) for w in warnings], asked.period, asked.options.preset


async def start_report_job(request: Request, db: Session, user: Actor, contract_id: int):
    """A render job making the report's PDF or DOCX; the exports are linked into the job's own
    folder, which the worker removes when it is done (the kept copies stay for the form)."""
    from slagen.workspace.documents import board
    from slagen.workspace.engine import job_report_upload
    from slagen.workspace.job_board import Job

    contract = store.get_contract(db, contract_id)
    version = store.latest(db, contract)
    asked = await read_report_form(request, user)
    if "tickets" not in asked.files:
        raise store.WorkspaceError("choose the helpdesk's ticket export (CSV, XLSX or JSON)", 422)
    if asked.fmt not in ("pdf", "docx"):
        raise store.WorkspaceError("a report job makes a PDF or a DOCX (format pdf or docx); for the figures "
                                   "as JSON, post the same form to /reports", 422)
    if not asked.period:
        raise store.WorkspaceError("say which period to report: a month (2027-03), a quarter (2027-Q1) or a year",
                                   422)
    folder = str(request.app.state.uploads.new_folder())  # removed with the server if the job never runs
    try:
        files = copy_for_job(asked.files, folder)
        job = Job(kind="report", permission="report", contract_id=contract.id, content_type=CONTENT_TYPES[asked.fmt],
                  details={"contract": {"id": contract.id, "reference": contract.reference},
                           "version": version.number, "period": asked.period, "format": asked.fmt})
        job, _ = board(request).start(object(), job, job_report_upload,
                                      (folder, version.text, files["tickets"], files.get("outages"), asked.period,
                                       asked.options, asked.fmt), owner=user.id)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    store.audit(db, user, "report", contract, version.number, f"{asked.period} {asked.fmt}")
    db.commit()
    return job


@api_router.post("/contracts/{contract_id}/report-preview",
                 summary="A first look at a ticket export (multipart: tickets, and the report's options): its "
                         "header, the preset in use or recognised (preset=detect), the column read for each "
                         "field, and each priority label with the contract priority it would be read as")
async def report_preview(request: Request, contract_id: int, user: Actor = need("report"),
                         db: Session = Depends(get_db)) -> JSONResponse:
    contract = store.get_contract(db, contract_id)
    version = store.latest(db, contract)
    _, result = await _program_upload(request, user, lambda asked: preview(request, asked, version.text))
    return JSONResponse(result)
