"""The JSON API under /api: the same store, engine and role checks as the pages.

Integrations authenticate with ``Authorization: Bearer <token>``; the browser's scripts use the
session cookie and the X-CSRF-Token header. FastAPI publishes the OpenAPI document at
/api/openapi.json.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from slagen.workspace import store
from slagen.workspace.access import Actor, MAX_CONTRACT_BYTES, get_db, need
from slagen.workspace.engine import read_large_text
from slagen.workspace.models import AuditEntry, Contract, Version
from slagen.workspace.register import register_rows

router = APIRouter(prefix="/api", tags=["workspace"])


class ContractText(BaseModel):
    text: str = Field(max_length=MAX_CONTRACT_BYTES, description="The contract's YAML.")
    message: str = Field(default="", max_length=500, description="What changed and why.")


class NewVersion(ContractText):
    base_version: int = Field(description="The version the text was edited from; 409 if it is no longer the latest.")


class Diagnose(BaseModel):
    text: str = Field(max_length=MAX_CONTRACT_BYTES)


class Decision(BaseModel):
    decision: str = Field(pattern="^(approved|returned)$")
    version: int = Field(ge=1, le=10**9, description="The version decided on: the one read. 409 when another is "
                                                       "in review now.")
    comment: str = Field(default="", max_length=5000)
    override_reason: str = Field(default="", max_length=5000,
                                 description="Why the version is approved although review items block it (only "
                                             "roles the house policy names may); kept in the audit log.")


class NewComment(BaseModel):
    version: int
    text: str = Field(min_length=1, max_length=5000)


class Submit(BaseModel):
    version: int


class RenderRequest(BaseModel):
    version: int = Field(description="The version to render; final only when it is the approved one.")
    document: str = Field(default="agreement", pattern="^(agreement|sow)$")
    format: str = Field(default="pdf", pattern="^(pdf|docx|html)$", description="html: the preview page.")


class RedlineRequest(BaseModel):
    old: int = Field(description="The version compared from.")
    new: int = Field(description="The version compared to.")
    document: str = Field(default="agreement", pattern="^(agreement|sow)$")
    format: str = Field(default="pdf", pattern="^(pdf|docx|html)$")


def contract_json(c: Contract) -> dict:
    from slagen.workspace.pages import today
    from slagen.workspace.register import row_for

    return row_for(c, today()).as_json()


@router.post("/diagnostics", summary="Validation errors and feasibility findings of a text, with lines")
async def diagnostics(request: Request, body: Diagnose, user: Actor = need("diagnose")) -> dict:
    await read_large_text(request.app.state.jobs, body.text, user.id)  # a large text: read in a worker process
    return await request.app.state.editor.diagnose(body.text)


@router.get("/schema", summary="The contract format's JSON Schema (the editor's completions and hover help)")
def schema(user: Actor = need("view")) -> Response:
    from slagen.model.schema import schema_text

    return Response(schema_text(), media_type="application/schema+json")


@router.get("/contracts", summary="The register")
def contracts(q: str = "", status: str = "", sort: str = "reference", order: str = "asc",
              due: int | None = None, offset: int = 0, limit: int | None = None, user: Actor = need("view"),
              db: Session = Depends(get_db)) -> list[dict]:
    from slagen.workspace.pages import today

    rows = register_rows(db, q=q, status=status, sort=sort, descending=order == "desc", notice_within=due,
                         today=today())
    end = None if limit is None else max(0, offset) + max(0, limit)
    return [r.as_json() for r in rows[max(0, offset):end]]


@router.post("/contracts", status_code=201, summary="Create a contract from a valid text")
async def create(request: Request, body: ContractText, user: Actor = need("create"),
                 db: Session = Depends(get_db)) -> dict:
    await read_large_text(request.app.state.jobs, body.text, user.id)  # a large text: read in a worker process
    return contract_json(await run_in_threadpool(store.create_contract, db, user, body.text,
                                                 body.message or "created"))


@router.get("/contracts/{contract_id}", summary="One contract, with its versions")
def contract(contract_id: int, user: Actor = need("view"), db: Session = Depends(get_db)) -> dict:
    c = store.get_contract(db, contract_id)
    # The columns listed, not the versions' texts: a contract saved hundreds of times would
    # otherwise read every text it ever had to list their numbers.
    rows = db.execute(select(Version.number, Version.author, Version.created_at, Version.message, Version.text_sha256)
                      .where(Version.contract_id == c.id).order_by(Version.number))
    return {**contract_json(c), "versions": [
        {"number": number, "author": author, "created_at": created_at.isoformat(), "message": message,
         "sha256": sha256} for number, author, created_at, message, sha256 in rows]}


@router.get("/contracts/{contract_id}/versions/{number}", summary="One version's text")
def version(contract_id: int, number: int, user: Actor = need("view"), db: Session = Depends(get_db)) -> dict:
    v = store.get_version(db, store.get_contract(db, contract_id), number)
    return {"number": v.number, "author": v.author, "created_at": v.created_at.isoformat(), "message": v.message,
            "sha256": v.text_sha256, "text": v.text}


@router.post("/contracts/{contract_id}/versions", status_code=201,
             summary="Save a new version; 409 when someone saved since base_version")
async def save(request: Request, contract_id: int, body: NewVersion, user: Actor = need("edit"),
               db: Session = Depends(get_db)) -> dict:
    await read_large_text(request.app.state.jobs, body.text, user.id)  # a large text: read in a worker process

    def saved():
        v = store.save_version(db, user, store.get_contract(db, contract_id), body.text, body.base_version,
                               body.message)
        return {"number": v.number, "sha256": v.text_sha256}

    return await run_in_threadpool(saved)


@router.get("/contracts/{contract_id}/versions/{number}/documents/{doc}.{fmt}",
            summary="The agreement or SOW of a version as PDF or DOCX (final only when approved)",
            response_class=Response)
def document(request: Request, contract_id: int, number: int, doc: str, fmt: str,
             user: Actor = need("render"), db: Session = Depends(get_db)):
    from slagen.workspace.documents import NotRendered, file_response, rendered_document

    job = rendered_document(request, db, user, contract_id, number, doc, fmt)
    if job is None:  # a GET starts nothing: renders are POSTs
        raise NotRendered(f"version {number}'s {doc} as {fmt} has not been rendered in the last 15 minutes; start "
                          f"it with POST /api/contracts/{contract_id}/render-jobs {{\"version\": {number}, "
                          f"\"document\": \"{doc}\", \"format\": \"{fmt}\"}} and fetch the job's file")
    return file_response(request, job)


@router.get("/contracts/{contract_id}/redline", summary="A redline between two versions: html, pdf or docx",
            response_class=Response)
def redline(request: Request, contract_id: int, old: int, new: int, doc: str = "agreement",
            format: str = "html", user: Actor = need("render"), db: Session = Depends(get_db)):
    from slagen.workspace.documents import NotRendered, file_response, rendered_redline

    job = rendered_redline(request, db, user, contract_id, old, new, doc, format)
    if job is None:  # a GET starts nothing: renders are POSTs
        raise NotRendered(f"the redline of versions {old} and {new} as {format} has not been made in the last 15 "
                          f"minutes; start it with POST /api/contracts/{contract_id}/redline-jobs {{\"old\": {old}, "
                          f"\"new\": {new}, \"document\": \"{doc}\", \"format\": \"{format}\"}} and fetch the "
                          "job's file")
    return file_response(request, job)


def _accepted(job, shared: bool, request: Request) -> JSONResponse:
    body = {**request.app.state.render_jobs.snapshot(job), "shared": shared}
    return JSONResponse(body, 202, headers={"Location": body["url"]})


@router.post("/contracts/{contract_id}/render-jobs", status_code=202, response_class=JSONResponse,
             summary="Start rendering a version's agreement or SOW; answers at once with the job to watch "
                     "(GET its Location). The same request while it runs gets the same job")
def start_render(request: Request, contract_id: int, body: RenderRequest, user: Actor = need("render"),
                 db: Session = Depends(get_db)):
    from slagen.workspace.documents import start_document_job

    return _accepted(*start_document_job(request, db, user, contract_id, body.version, body.document, body.format),
                     request)


@router.post("/contracts/{contract_id}/redline-jobs", status_code=202, response_class=JSONResponse,
             summary="Start making a redline between two versions; answers at once with the job to watch")
def start_redline(request: Request, contract_id: int, body: RedlineRequest, user: Actor = need("view"),
                  db: Session = Depends(get_db)):
    from slagen.workspace.documents import start_redline_job
    from slagen.workspace.pages import _may_download

    _may_download(user, body.format)  # an HTML redline is read on the compare and review pages by everyone

    return _accepted(*start_redline_job(request, db, contract_id, body.old, body.new, body.document, body.format,
                                         user),
                     request)


class ReviewSheetRequest(BaseModel):
    format: str = Field(default="pdf", pattern="^(pdf|docx)$")


@router.post("/contracts/{contract_id}/versions/{number}/review-sheet-jobs", status_code=202,
             response_class=JSONResponse,
             summary="Start making a version's internal review sheet (with any approval over blocking items and "
                     "its reason); answers at once with the job to watch")
def start_review_sheet(request: Request, contract_id: int, number: int, body: ReviewSheetRequest,
                       user: Actor = need("render"), db: Session = Depends(get_db)):
    from slagen.workspace.documents import start_review_sheet_job

    return _accepted(*start_review_sheet_job(request, db, user, contract_id, number, body.format), request)


@router.get("/jobs/{job_id}", summary="A render job: state (queued, running, done, failed), the step under way, "
                                      "step k of n, and when done the file's name, type and URL")
def job(request: Request, job_id: str, user: Actor = need("view"), db: Session = Depends(get_db)) -> dict:
    from slagen.workspace.documents import readable_job

    return request.app.state.render_jobs.snapshot(readable_job(request, db, user, job_id))


@router.get("/jobs/{job_id}/file", summary="The file a finished render job made (409 while it is not done)",
            response_class=Response)
def job_file(request: Request, job_id: str, user: Actor = need("view"), db: Session = Depends(get_db)):
    from slagen.workspace.documents import file_response, readable_job

    return file_response(request, readable_job(request, db, user, job_id))


@router.post("/contracts/{contract_id}/submit", summary="Submit the latest version for review")
def submit(contract_id: int, body: Submit, user: Actor = need("submit"), db: Session = Depends(get_db)) -> dict:
    c = store.get_contract(db, contract_id)
    store.submit(db, user, c, body.version)
    return contract_json(c)


@router.get("/contracts/{contract_id}/review", summary="slagen review's findings on the latest version, as last "
                                                     "reviewed (409 when no review of its text is kept: start one "
                                                     "with POST review-jobs)")
def review(request: Request, contract_id: int, user: Actor = need("view"), db: Session = Depends(get_db)) -> dict:
    from slagen.workspace.documents import NotRendered
    from slagen.workspace.reviews import review_state

    state = review_state(request, db, user, contract_id)
    if state.review is None:  # a GET starts nothing: reviews are POSTs
        raise NotRendered(f"version {state.version.number} has not been reviewed in the last 15 minutes; start it "
                          f"with POST /api/contracts/{contract_id}/review-jobs and read this again when the job "
                          "is done (its file is the same review)")
    return state.review


@router.post("/contracts/{contract_id}/review-jobs", status_code=202, response_class=JSONResponse,
             summary="Start reviewing the latest version (slagen review with the house policy); answers at once "
                     "with the job to watch. Its file, and GET review afterwards, is the review as JSON")
def start_review(request: Request, contract_id: int, user: Actor = need("view"), db: Session = Depends(get_db)):
    from slagen.workspace.reviews import start_review_job

    return _accepted(*start_review_job(request, db, user, contract_id), request)


@router.post("/contracts/{contract_id}/decision", summary="Legal approves or returns the version in review")
async def decision(request: Request, contract_id: int, body: Decision, user: Actor = need("approve"),
                   db: Session = Depends(get_db)) -> dict:
    from slagen.workspace.pages import decide_on

    c = await decide_on(request, db, user, contract_id, body.decision, body.comment, body.version,
                        body.override_reason)
    return contract_json(c)


@router.post("/contracts/{contract_id}/reports",
             summary="An attainment report from a ticket export (multipart: tickets, outages, period, format "
                     "json, pdf or docx, and slagen report's options: preset (a name or detect), columns "
                     "(field=Header,...), priority_map (Label=ID,...), time_format, export_timezone, delimiter, "
                     "max_rejected, no_response_data)", response_class=Response)
async def report(request: Request, contract_id: int, user: Actor = need("report"), db: Session = Depends(get_db)):
    from slagen.workspace.pages import CONTENT_TYPES, _attachment
    from slagen.workspace.report_page import run_report

    _, fmt, name, result, warnings, _, _ = await run_report(request, db, user, contract_id)
    if fmt != "json":
        return Response(result, media_type=CONTENT_TYPES[fmt], headers=_attachment(name))
    return JSONResponse({"report": result, "warnings": warnings})


@router.post("/contracts/{contract_id}/report-jobs", status_code=202, response_class=JSONResponse,
             summary="Start making an attainment report's PDF or DOCX from a ticket export (multipart: tickets, "
                     "outages, period, preset, format pdf or docx); answers at once with the job to watch")
async def start_report(request: Request, contract_id: int, user: Actor = need("report"),
                       db: Session = Depends(get_db)):
    from slagen.workspace.report_page import start_report_job

    return _accepted(await start_report_job(request, db, user, contract_id), False, request)


@router.post("/portfolio-jobs", status_code=202, response_class=JSONResponse,
             summary="Start the monthly run over every approved contract from one export of all customers' tickets "
                     "(multipart: tickets, outages, period, preset, format json, pdf or docx); the job's file is a "
                     "ZIP of each customer's report and credit note and the portfolio summary")
async def start_portfolio(request: Request, user: Actor = need("report"), db: Session = Depends(get_db)):
    from slagen.workspace.portfolio_run import start_portfolio_job

    return _accepted(await start_portfolio_job(request, db, user), False, request)


@router.post("/contracts/{contract_id}/comments", status_code=201, summary="Comment on a version")
def comment(contract_id: int, body: NewComment, user: Actor = need("comment"), db: Session = Depends(get_db)) -> dict:
    store.add_comment(db, user, store.get_contract(db, contract_id), body.version, body.text)
    return {"version": body.version, "author": user.name}


@router.get("/audit", summary="The audit log, newest first")
def audit(limit: int = 200, user: Actor = need("users"), db: Session = Depends(get_db)) -> list[dict]:
    from slagen.workspace.contract_names import references_of

    rows = db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(max(1, min(limit, 5000)))).all()
    references = references_of(db, rows)
    return [{"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "contract_id": e.contract_id,
             "contract_reference": references.get(e.contract_id), "version": e.version, "detail": e.detail}
            for e in rows]


@router.get("/tokens", summary="API tokens not revoked: your own, or everyone's for an administrator")
def tokens(user: Actor = need("tokens"), db: Session = Depends(get_db)) -> list[dict]:
    from slagen.workspace import api_tokens
    from slagen.workspace.roles import allowed

    owner = None if allowed(user.role, "all_tokens") else user.id
    return [t.as_json() for t in api_tokens.listing(db, owner)]


@router.delete("/tokens/{token_id}", status_code=204, response_class=Response,
               summary="Revoke an API token (your own; an administrator, anyone's); it stops working at once")
def revoke_token(token_id: int, user: Actor = need("tokens"), db: Session = Depends(get_db)):
    from slagen.workspace.roles import allowed

    store.revoke_api_token(db, user, token_id, allowed(user.role, "all_tokens"))
    return Response(status_code=204)
