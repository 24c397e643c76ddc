"""The server-rendered pages. Each handler asks store/engine and fills a template; nothing else."""

from __future__ import annotations

import difflib
from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from slagen.workspace import auth, store
from slagen.workspace.app import (Actor, HERE, MAX_CONTRACT_BYTES, MAX_EXPORT_BYTES, csrf_token, get_db, identify,
                                  need)
from slagen.workspace.engine import diagnose, job_redline, job_render, job_report, job_review
from slagen.workspace.models import Approval, AuditEntry, Comment, User, Version
from slagen.workspace.register import register_rows
from slagen.workspace.roles import ROLE_NAMES, ROLES, allowed
from slagen.workspace.uploads import read_upload, read_uploads_to_folder

router = APIRouter(include_in_schema=False)
_templates = None


def templates():
    global _templates
    if _templates is None:
        from fastapi.templating import Jinja2Templates

        _templates = Jinja2Templates(directory=HERE / "templates")
        _templates.env.globals.update(ROLE_NAMES=ROLE_NAMES, STATUS_NAMES=store.STATUS_NAMES, allowed=allowed)
    return _templates


def page(request: Request, name: str, code: int = 200, /, **context) -> HTMLResponse:
    context.setdefault("user", getattr(request.state, "user", None))
    return templates().TemplateResponse(request, name, {"csrf": csrf_token(request), **context}, status_code=code)


def error_page(request: Request, exc: store.WorkspaceError) -> HTMLResponse:
    if isinstance(exc, store.Conflict) and exc.latest is not None:
        diff = "".join(difflib.unified_diff(exc.latest.text.splitlines(True), exc.mine.splitlines(True),
                                            f"version {exc.latest.number} ({exc.latest.author})", "your text"))
        return page(request, "conflict.html", 409, message=exc.message, latest=exc.latest, mine=exc.mine,
                    diff=diff, contract_id=exc.latest.contract_id)
    return page(request, "error.html", exc.status, message=exc.message)


def _local(target: str) -> str:
    """Where to go after signing in: a path on this site only ('//host' and '/\\host' leave it)."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


def today() -> date:
    return date.today()


def _see(path: str) -> RedirectResponse:
    return RedirectResponse(path, 303)


# -------------------------------------------------------------------------------------------
# Signing in


@router.get("/login")
def login_form(request: Request, next: str = "/"):
    return page(request, "login.html", next=_local(next), error="")


@router.post("/login")
async def login(request: Request, db: Session = Depends(get_db)):
    form = await request.form()
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    target = _local(str(form.get("next", "/")))
    address = request.client.host if request.client else "unknown"
    user, reason = auth.authenticate(db, name, password, address)
    if user is None:
        store.audit(db, name[:100] or "(no name)", "login_failed", detail=f"from {address}: {reason}")
        db.commit()
        return page(request, "login.html", 401 if "wrong" in reason else 429, next=target, error=reason)
    request.session.clear()
    request.session.update(uid=user.id, csrf=auth.new_csrf_token())
    store.audit(db, user, "login", detail=f"from {address}")
    db.commit()
    return _see(target)


@router.post("/logout")
def logout(request: Request, db: Session = Depends(get_db)):
    user = identify(request, db)
    if user is not None:
        store.audit(db, user, "logout")
        db.commit()
    request.session.clear()
    return _see("/login")


# -------------------------------------------------------------------------------------------
# The register


@router.get("/")
def register(request: Request, q: str = "", status: str = "", sort: str = "reference", order: str = "asc",
             due: int | None = None, p: int = 1, user: Actor = need("view"), db: Session = Depends(get_db)):
    from slagen.workspace.register import PAGE_SIZE

    rows = register_rows(db, q=q, status=status, sort=sort, descending=order == "desc",
                         notice_within=due, today=today())
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    number = min(max(1, p), pages)
    first = (number - 1) * PAGE_SIZE
    return page(request, "register.html", rows=rows[first:first + PAGE_SIZE], total=len(rows), first=first,
                page_number=number, pages=pages, q=q, status=status, sort=sort, order=order, due=due,
                statuses=store.STATUSES)


@router.post("/contracts/import")
async def import_contracts(request: Request, user: Actor = need("create"), db: Session = Depends(get_db)):
    form = await request.form(max_part_size=MAX_CONTRACT_BYTES * 2)
    results = []
    for upload in form.getlist("files"):
        if not hasattr(upload, "read"):
            continue
        try:
            text = await read_upload(upload, MAX_CONTRACT_BYTES, "contract")
            contract = store.create_contract(db, user, text, f"imported from {upload.filename}", "import")
            results.append((upload.filename, f"imported as {contract.reference}", True))
        except store.WorkspaceError as exc:
            db.rollback()
            results.append((upload.filename, exc.message, False))
    if not results:
        raise store.WorkspaceError("choose one or more YAML contract files to import")
    status = 200 if all(ok for _, _, ok in results) else 422
    return page(request, "imported.html", status, results=results)


# -------------------------------------------------------------------------------------------
# New contract, the contract page, versions


@router.get("/contracts/new")
def new_contract_form(request: Request, user: Actor = need("create")):
    from slagen.workspace.new_contract import form_defaults

    asked = dict(request.query_params)  # "Use this package and law" without JavaScript: a refill
    values = form_defaults(asked.get("package"), asked.get("jurisdiction"), kept=asked or None)
    return _new_contract_page(request, values, "")


def _new_contract_page(request: Request, values: dict, error: str, code: int = 200) -> HTMLResponse:
    from slagen.workspace import new_contract as nc

    packages, broken = nc.package_choices()
    jurisdictions = nc.jurisdiction_choices()
    service_rows, priority_rows = nc.table_rows(packages)
    refill = {"packages": {p.id: nc.package_defaults(p, (service_rows, priority_rows)) for p in packages},
              "jurisdictions": {c: nc.jurisdiction_defaults(c) for c, _ in jurisdictions}}
    return page(request, "new.html", code, values=values, error=error, packages=packages, broken=broken,
                jurisdictions=jurisdictions, refill=refill, service_rows=service_rows,
                priority_rows=priority_rows)


@router.post("/contracts/new")
async def new_contract(request: Request, user: Actor = need("create"), db: Session = Depends(get_db)):
    from slagen.workspace.new_contract import FormError, contract_from_form

    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        text = contract_from_form(form)
        contract = store.create_contract(db, user, text, "created with the new contract form")
    except (FormError, store.WorkspaceError) as exc:
        db.rollback()
        return _new_contract_page(request, form, exc.message, 422)
    return _see(f"/contracts/{contract.id}")


@router.get("/contracts/{contract_id}")
def contract_page(request: Request, contract_id: int, version: int | None = None, user: Actor = need("view"),
                  db: Session = Depends(get_db)):
    contract = store.get_contract(db, contract_id)
    shown = store.get_version(db, contract, version or contract.latest_version)
    versions = db.scalars(select(Version).where(Version.contract_id == contract.id)
                          .order_by(Version.number.desc())).all()
    comments = db.scalars(select(Comment).where(Comment.contract_id == contract.id).order_by(Comment.id)).all()
    decisions = db.scalars(select(Approval).where(Approval.contract_id == contract.id).order_by(Approval.id)).all()
    return page(request, "contract.html", contract=contract, shown=shown, versions=versions, comments=comments,
                decisions=decisions, diagnostics=diagnose(shown.text),
                editable=contract.status == "draft" and shown.number == contract.latest_version
                and allowed(user.role, "edit"))


@router.post("/contracts/{contract_id}/save")
async def save(request: Request, contract_id: int, user: Actor = need("edit"), db: Session = Depends(get_db)):
    form = await request.form(max_part_size=MAX_CONTRACT_BYTES * 2)
    text = str(form.get("text", ""))
    if len(text.encode("utf-8")) > MAX_CONTRACT_BYTES:
        raise store.WorkspaceError("the contract is larger than 1 MB; nothing was saved", 413)
    try:
        base = int(str(form.get("base_version", "")))
    except ValueError:
        raise store.WorkspaceError("the form did not say which version you started from; reload the page") from None
    contract = store.get_contract(db, contract_id)
    store.save_version(db, user, contract, text.replace("\r\n", "\n"), base, str(form.get("message", "")))
    return _see(f"/contracts/{contract_id}")


@router.get("/contracts/{contract_id}/versions/{number}.yaml")
def export_yaml(contract_id: int, number: int, request: Request, user: Actor = need("view"),
                db: Session = Depends(get_db)):
    contract = store.get_contract(db, contract_id)
    version = store.get_version(db, contract, number)
    store.audit(db, user, "export", contract, number)
    db.commit()
    return PlainTextResponse(version.text, media_type="application/yaml; charset=utf-8",
                             headers=_attachment(f"{_safe(contract.reference)}-v{number}.yaml"))


@router.post("/contracts/{contract_id}/comments")
async def comment(request: Request, contract_id: int, user: Actor = need("comment"), db: Session = Depends(get_db)):
    form = await request.form()
    contract = store.get_contract(db, contract_id)
    store.add_comment(db, user, contract, _int(form.get("version"), contract.latest_version), str(form.get("text", "")))
    return _see(f"/contracts/{contract_id}#comments")


def _int(value, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


# -------------------------------------------------------------------------------------------
# Documents and redlines (off the event loop, in the job pool)

# Previews and redlines are shown in sandboxed frames: they may style themselves, nothing more.
PREVIEW_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


def _safe(name: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "contract"


def _attachment(filename: str) -> dict:
    return {"Content-Disposition": f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"}


def _doc_and_format(doc: str, fmt: str, formats=("pdf", "docx")) -> None:
    if doc not in ("agreement", "sow"):
        raise store.WorkspaceError("the document is 'agreement' or 'sow'")
    if fmt not in formats:
        raise store.WorkspaceError(f"the format is one of {', '.join(formats)}")


async def document_response(request: Request, db: Session, user: Actor, contract_id: int, number: int, doc: str,
                            fmt: str) -> Response:
    _doc_and_format(doc, fmt, ("pdf", "docx", "html"))
    contract = store.get_contract(db, contract_id)
    version = store.get_version(db, contract, number)
    final = store.is_approved_version(contract, number)
    name, data = await request.app.state.jobs.run(job_render, version.text, doc, fmt, final)
    name = name.replace(f"-{doc}.", f"-{doc}-v{number}{'' if final else '-draft'}.")
    store.audit(db, user, "render", contract, number, f"{doc} {fmt} ({'final' if final else 'draft'})")
    db.commit()
    if fmt == "html":  # a preview, shown in a sandboxed frame: no scripts, nothing fetched
        return Response(data, media_type=CONTENT_TYPES[fmt], headers={"Content-Security-Policy": PREVIEW_POLICY})
    return Response(data, media_type=CONTENT_TYPES[fmt], headers=_attachment(name))


@router.get("/contracts/{contract_id}/versions/{number}/{doc}.{fmt}")
async def document(request: Request, contract_id: int, number: int, doc: str, fmt: str,
                   user: Actor = need("render"), db: Session = Depends(get_db)):
    return await document_response(request, db, user, contract_id, number, doc, fmt)


async def redline_response(request: Request, db: Session, contract_id: int, old: int, new: int, doc: str,
                           fmt: str) -> Response:
    _doc_and_format(doc, fmt, ("html", "pdf", "docx"))
    contract = store.get_contract(db, contract_id)
    old_v, new_v = store.get_version(db, contract, old), store.get_version(db, contract, new)
    name, data = await request.app.state.jobs.run(job_redline, old_v.text, new_v.text, doc, fmt)
    name = name.replace("-redline.", f"-redline-v{old}-v{new}.")
    headers = {"Content-Security-Policy": PREVIEW_POLICY} if fmt == "html" else _attachment(name)
    return Response(data, media_type=CONTENT_TYPES[fmt], headers=headers)


@router.get("/contracts/{contract_id}/redline")
async def redline(request: Request, contract_id: int, old: int, new: int, doc: str = "agreement",
                  format: str = "html", user: Actor = need("view"), db: Session = Depends(get_db)):
    if format != "html" and not allowed(user.role, "render"):
        from slagen.workspace.app import Forbidden

        raise Forbidden(f"a {ROLE_NAMES[user.role]} may not download documents")
    return await redline_response(request, db, contract_id, old, new, doc, format)


@router.get("/contracts/{contract_id}/compare")
def compare(request: Request, contract_id: int, old: int | None = None, new: int | None = None,
            doc: str = "agreement", user: Actor = need("view"), db: Session = Depends(get_db)):
    contract = store.get_contract(db, contract_id)
    new = new or contract.latest_version
    old = old or max(1, new - 1)
    store.get_version(db, contract, old), store.get_version(db, contract, new)
    return page(request, "compare.html", contract=contract, old=old, new=new, doc=doc,
                numbers=list(range(contract.latest_version, 0, -1)))


# -------------------------------------------------------------------------------------------
# Review and approval


@router.post("/contracts/{contract_id}/submit")
async def submit(request: Request, contract_id: int, user: Actor = need("submit"), db: Session = Depends(get_db)):
    form = await request.form()
    contract = store.get_contract(db, contract_id)
    store.submit(db, user, contract, _int(form.get("version"), -1))
    return _see(f"/contracts/{contract_id}")


@router.get("/contracts/{contract_id}/review")
async def review_page(request: Request, contract_id: int, user: Actor = need("view"), db: Session = Depends(get_db)):
    contract = store.get_contract(db, contract_id)
    version = store.latest(db, contract)
    review = await request.app.state.jobs.run(job_review, version.text)
    approved = store.last_approved(db, contract)
    return page(request, "review.html", contract=contract, version=version, review=review,
                approved=approved if approved and approved.number != version.number else None)


@router.post("/contracts/{contract_id}/decide")
async def decide(request: Request, contract_id: int, user: Actor = need("approve"), db: Session = Depends(get_db)):
    form = await request.form()
    contract = store.get_contract(db, contract_id)
    store.decide(db, user, contract, str(form.get("decision", "")), str(form.get("comment", "")))
    return _see(f"/contracts/{contract_id}")


@router.post("/contracts/{contract_id}/sign")
def sign(request: Request, contract_id: int, user: Actor = need("approve"), db: Session = Depends(get_db)):
    store.mark_signed(db, user, store.get_contract(db, contract_id))
    return _see(f"/contracts/{contract_id}")


@router.post("/contracts/{contract_id}/reopen")
def reopen(request: Request, contract_id: int, user: Actor = need("edit"), db: Session = Depends(get_db)):
    store.new_draft(db, user, store.get_contract(db, contract_id))
    return _see(f"/contracts/{contract_id}")


# -------------------------------------------------------------------------------------------
# Attainment reports


@router.get("/contracts/{contract_id}/report")
def report_form(request: Request, contract_id: int, user: Actor = need("report"), db: Session = Depends(get_db)):
    from slagen.report.presets import PRESETS

    return page(request, "report.html", contract=store.get_contract(db, contract_id), presets=sorted(PRESETS),
                report=None, error="", warnings=[], period="", preset="")


@router.post("/contracts/{contract_id}/report")
async def report(request: Request, contract_id: int, user: Actor = need("report"), db: Session = Depends(get_db)):
    from slagen.report.presets import PRESETS

    contract, fmt, name, result, warnings, period, preset = await run_report(request, db, user, contract_id)
    if fmt != "json":
        return Response(result, media_type=CONTENT_TYPES[fmt], headers=_attachment(name))
    return page(request, "report.html", contract=contract, presets=sorted(PRESETS), report=result, error="",
                warnings=warnings, period=period, preset=preset)


async def run_report(request: Request, db: Session, user: Actor, contract_id: int):
    """The attainment report of the contract's latest version from the uploaded exports (form
    fields tickets, outages, period, preset, format), computed in the worker pool."""
    import os
    import tempfile

    from slagen.report.presets import PRESETS

    contract = store.get_contract(db, contract_id)
    version = store.latest(db, contract)
    form = await request.form()
    period, preset, fmt = (str(form.get(k, "")).strip() for k in ("period", "preset", "format"))
    fmt = fmt if fmt in ("json", "pdf", "docx") else "json"
    if preset and preset not in PRESETS:
        raise store.WorkspaceError(f"'{preset}' is not a preset; use one of {', '.join(sorted(PRESETS))}")
    with tempfile.TemporaryDirectory(prefix="slagen-report-") as folder:
        files = await read_uploads_to_folder(form, ("tickets", "outages"), folder, MAX_EXPORT_BYTES)
        if "tickets" not in files:
            raise store.WorkspaceError("choose the helpdesk's ticket export (a CSV file)")
        try:
            name, result, warnings = await request.app.state.jobs.run(
                job_report, version.text, files["tickets"], files.get("outages"), period, preset, fmt)
        except store.WorkspaceError as exc:  # the engine names the temporary copy: show the upload's name
            raise store.WorkspaceError(exc.message.replace(folder + os.sep, ""), exc.status) from None
        warnings = [w.replace(folder + os.sep, "") for w in warnings]
    store.audit(db, user, "report", contract, version.number, f"{period} {fmt}")
    db.commit()
    return contract, fmt, name, result, warnings, period, preset


# -------------------------------------------------------------------------------------------
# People, tokens, the audit log


@router.get("/admin/users")
def users(request: Request, user: Actor = need("users"), db: Session = Depends(get_db)):
    return page(request, "users.html", people=db.scalars(select(User).order_by(User.name)).all(), roles=ROLES,
                error="")


@router.post("/admin/users")
async def add_user(request: Request, user: Actor = need("users"), db: Session = Depends(get_db)):
    form = await request.form()
    store.add_user(db, str(form.get("name", "")).strip(), str(form.get("role", "")), str(form.get("password", "")),
                   actor=user.name)
    return _see("/admin/users")


@router.post("/admin/users/{user_id}/active")
async def set_active(request: Request, user_id: int, user: Actor = need("users"), db: Session = Depends(get_db)):
    form = await request.form()
    store.set_active(db, user, user_id, str(form.get("active", "")) == "yes")
    return _see("/admin/users")


@router.get("/admin/audit")
def audit_log(request: Request, user: Actor = need("users"), db: Session = Depends(get_db)):
    entries = db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(500)).all()
    return page(request, "audit.html", entries=entries)


@router.get("/tokens")
def tokens(request: Request, user: Actor = need("tokens")):
    return page(request, "tokens.html", token=None)


@router.post("/tokens")
async def new_token(request: Request, user: Actor = need("tokens"), db: Session = Depends(get_db)):
    form = await request.form()
    name = str(form.get("name", "")).strip() or "integration"
    token = auth.issue_api_token(db, user, name)
    store.audit(db, user, "new_token", detail=name)
    db.commit()
    return page(request, "tokens.html", token=token)


@router.get("/notice-deadlines")
def notice_soon(user: Actor = need("view")):
    return _see("/?due=90&sort=notice_deadline")


