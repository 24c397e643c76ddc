"""The server-rendered pages. Each handler asks store/engine and fills a template; nothing else."""

from __future__ import annotations

import asyncio
import difflib
from pathlib import Path
from datetime import date, timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.orm import Session

from slagen.workspace import access, api_tokens, auth, store, web_sessions
from slagen.workspace.access import (Actor, MAX_CONTRACT_BYTES, MAX_EXPORT_BYTES, csrf_token, get_db, identify,
                                     need)
from slagen.workspace.documents import CONTENT_TYPES
from slagen.workspace.documents import attachment as _attachment
from slagen.workspace.documents import safe_name as _safe
from slagen.workspace.documents import (file_response, rendered_document, rendered_redline, start_document_job,
                                        start_redline_job, wait_for_file)
from slagen.workspace.engine import DOCUMENT_NAMES
from slagen.workspace.engine import diagnose, job_review, read_large_text
from slagen.workspace.models import Approval, AuditEntry, Comment, User, Version
from slagen.workspace.register import kept_register
from slagen.workspace.time_zones import is_zone, shown_zone
from slagen.workspace.roles import ROLE_NAMES, ROLES, allowed
from slagen.workspace.uploads import read_upload
from slagen.source.words import article

HERE = Path(__file__).resolve().parent  # templates/ and static/ sit beside this file

router = APIRouter(include_in_schema=False)
_templates = None


def templates():
    global _templates
    if _templates is None:
        from fastapi.templating import Jinja2Templates

        _templates = Jinja2Templates(directory=HERE / "templates")
        _templates.env.globals.update(ROLE_NAMES=ROLE_NAMES, STATUS_NAMES=store.STATUS_NAMES, allowed=allowed)
        from slagen.source.words import count

        _templates.env.filters["count"] = count  # {{ n | count("item") }}: '1 item', '3 items'
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
    # Argon2 in a worker thread: the event loop keeps answering everyone else meanwhile.
    user, reason, wait = await run_in_threadpool(auth.authenticate, db, name, password, address)
    if user is None:  # the failure and its audit row are recorded (aggregated) by the throttle
        if wait:
            # A guesser told to wait asks again at once, as fast as the server answers; answering
            # after a pause (which costs the server nothing while it waits) slows each of their
            # connections to a try a second, leaving the processor to the people working.
            await asyncio.sleep(min(wait, request.app.state.settings.refusal_pause))
        response = page(request, "login.html", 429 if wait else 401, next=target, error=reason)
        if wait:
            response.headers["Retry-After"] = str(int(wait + 0.999))
        return response
    request.session.clear()  # a new session id and a new CSRF token: nothing carried over from before
    session_id = web_sessions.start(db, user.id, address, request.headers.get("user-agent", ""))
    request.session.update(sid=session_id, csrf=auth.new_csrf_token())
    store.audit(db, user, "login", detail=f"from {address}")
    db.commit()
    return _see(target)


@router.post("/logout")
def logout(request: Request, db: Session = Depends(get_db)):
    user = identify(request, db)
    session_id = request.session.get("sid")
    if isinstance(session_id, str):
        web_sessions.end(db, session_id)  # so a copy of this cookie no longer signs anyone in
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
    from markupsafe import Markup

    from slagen.workspace.register import PAGE_SIZE

    kept = kept_register(db, today())

    def draw() -> str:
        rows = kept.matching(q=q, status=status, sort=sort, descending=order == "desc", notice_within=due)
        pages = max(1, -(-len(rows) // PAGE_SIZE))
        number = min(max(1, p), pages)
        first = (number - 1) * PAGE_SIZE
        return templates().get_template("_register_table.html").render(
            request=request, user=user, rows=rows[first:first + PAGE_SIZE], total=len(rows), first=first,
            page_number=number, pages=pages, q=q, status=status, sort=sort, order=order, due=due,
            statuses=store.STATUSES)

    # The role is part of the view only through what it may do here (create).
    view = (q, status, sort, order, due, p, allowed(user.role, "create"), shown_zone(request).name)
    return page(request, "register.html", table=Markup(kept.drawn(view, draw)))


@router.post("/contracts/import")
async def import_contracts(request: Request, user: Actor = need("create"), db: Session = Depends(get_db)):
    form = await request.form(max_part_size=MAX_CONTRACT_BYTES * 2)
    results = []
    for upload in form.getlist("files"):
        if not hasattr(upload, "read"):
            continue
        try:
            text = await read_upload(upload, MAX_CONTRACT_BYTES, "contract")
            # Validating a large text takes seconds: in a worker process, so this server's threads
            # (and the interpreter's lock) stay free for everyone else; the save finds it read.
            await read_large_text(request.app.state.jobs, text, user.id)
            contract = await run_in_threadpool(store.create_contract, db, user, text,
                                               f"imported from {upload.filename}", "import")
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
                priority_rows=priority_rows, clock_names=nc.CLOCK_NAMES)


@router.post("/contracts/new")
async def new_contract(request: Request, user: Actor = need("create"), db: Session = Depends(get_db)):
    from slagen.workspace.new_contract import FormError, contract_from_form

    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        text = contract_from_form(form)
        contract = await run_in_threadpool(store.create_contract, db, user, text, "created with the new contract form")
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
    text = text.replace("\r\n", "\n")
    await read_large_text(request.app.state.jobs, text, user.id)  # a large text is read in a worker process
    await run_in_threadpool(store.save_version, db, user, contract, text, base,
                            str(form.get("message", "")))
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
# Documents and redlines (off the event loop, in the job pool; see documents.py)


async def document_response(request: Request, db: Session, user: Actor, contract_id: int, number: int, doc: str,
                            fmt: str) -> Response:
    """The document itself, once rendered: the direct download, a render job waited for."""
    job, _ = start_document_job(request, db, user, contract_id, number, doc, fmt)
    return await wait_for_file(request, job)


# A GET serves a file a render job already made; it starts nothing. The page it answers with
# otherwise has a button that POSTs to the same address, which renders (the contract and compare
# pages start their jobs with a POST from their scripts and watch them; see render-jobs.js).


@router.get("/contracts/{contract_id}/versions/{number}/{doc}.{fmt}")
def document(request: Request, contract_id: int, number: int, doc: str, fmt: str,
             user: Actor = need("render"), db: Session = Depends(get_db)):
    job = rendered_document(request, db, user, contract_id, number, doc, fmt)
    if job is None:
        what = f"the {DOCUMENT_NAMES.get(doc, doc)} of version {number} as {fmt.upper()}"
        return _not_rendered(request, what, contract_id)
    return file_response(request, job)


@router.post("/contracts/{contract_id}/versions/{number}/{doc}.{fmt}")
async def render_document(request: Request, contract_id: int, number: int, doc: str, fmt: str,
                          user: Actor = need("render"), db: Session = Depends(get_db)):
    return await document_response(request, db, user, contract_id, number, doc, fmt)


def _not_rendered(request: Request, what: str, contract_id: int) -> HTMLResponse:
    """The page a GET gets for a file not made yet: a button to make it (a POST, never a GET)."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return page(request, "not_rendered.html", 409, what=what, target=target, contract_id=contract_id)


async def redline_response(request: Request, db: Session, contract_id: int, old: int, new: int, doc: str,
                           fmt: str, user: Actor | None = None) -> Response:
    job, _ = start_redline_job(request, db, contract_id, old, new, doc, fmt, user)
    return await wait_for_file(request, job)


def _may_download(user: Actor, fmt: str) -> None:
    if fmt != "html" and not allowed(user.role, "render"):
        from slagen.workspace.access import Forbidden

        raise Forbidden(f"{article(ROLE_NAMES[user.role])} may not download documents")


@router.get("/contracts/{contract_id}/redline")
def redline(request: Request, contract_id: int, old: int, new: int, doc: str = "agreement",
            format: str = "html", user: Actor = need("view"), db: Session = Depends(get_db)):
    _may_download(user, format)
    job = rendered_redline(request, db, user, contract_id, old, new, doc, format)
    if job is None:
        what = f"the redline of the {DOCUMENT_NAMES.get(doc, doc)}, version {old} -> version {new}, as {format.upper()}"
        return _not_rendered(request, what, contract_id)
    return file_response(request, job)


@router.post("/contracts/{contract_id}/redline")
async def make_redline(request: Request, contract_id: int, old: int, new: int, doc: str = "agreement",
                       format: str = "html", user: Actor = need("view"), db: Session = Depends(get_db)):
    _may_download(user, format)
    return await redline_response(request, db, contract_id, old, new, doc, format, user)


def redline_frame(request: Request, db: Session, user: Actor, contract_id: int, old: int, new: int,
                  doc: str = "agreement") -> dict:
    """What a page's redline frame shows: the made redline's address, or the job its script
    starts (a POST) when none is made yet."""
    job = rendered_redline(request, db, user, contract_id, old, new, doc, "html")
    return {"src": f"/api/jobs/{job.id}/file" if job else "",
            "job": {"old": old, "new": new, "document": doc, "format": "html"},
            "start_url": f"/api/contracts/{contract_id}/redline-jobs"}


@router.get("/contracts/{contract_id}/compare")
def compare(request: Request, contract_id: int, old: int | None = None, new: int | None = None,
            doc: str = "agreement", user: Actor = need("view"), db: Session = Depends(get_db)):
    contract = store.get_contract(db, contract_id)
    new = new or contract.latest_version
    old = old or max(1, new - 1)
    store.get_version(db, contract, old), store.get_version(db, contract, new)
    return page(request, "compare.html", contract=contract, old=old, new=new, doc=doc,
                numbers=list(range(contract.latest_version, 0, -1)),
                redline=redline_frame(request, db, user, contract_id, old, new, doc))


# -------------------------------------------------------------------------------------------
# Review and approval


@router.post("/contracts/{contract_id}/submit")
async def submit(request: Request, contract_id: int, user: Actor = need("submit"), db: Session = Depends(get_db)):
    form = await request.form()
    contract = store.get_contract(db, contract_id)
    await run_in_threadpool(store.submit, db, user, contract, _int(form.get("version"), -1))
    return _see(f"/contracts/{contract_id}")


@router.get("/contracts/{contract_id}/review")
def review_page(request: Request, contract_id: int, job: str = "", user: Actor = need("view"),
                db: Session = Depends(get_db)):
    """The latest version's review as far as it is made (reviews.py): the findings, or the job
    making them (the page refreshes until it is done), or a button that runs it. Starts nothing."""
    from slagen.workspace.reviews import review_state

    state = review_state(request, db, user, contract_id, job or None)
    contract, version = state.contract, state.version
    approved = store.last_approved(db, contract)
    approved = approved if approved and approved.number != version.number else None
    old = approved.number if approved else (version.number - 1 if version.number > 1 else 1)
    return page(request, "review.html", contract=contract, version=version, review=state.review,
                review_job=state.job, under_way=state.under_way, review_error=state.error,
                reviewed_at=state.made_at, approved=approved,
                old=old, redline=redline_frame(request, db, user, contract_id, old, version.number))


@router.post("/contracts/{contract_id}/review")
def run_review(request: Request, contract_id: int, user: Actor = need("view"), db: Session = Depends(get_db)):
    """Run the review of the latest version (a job), then follow it on the review page."""
    from slagen.workspace.reviews import start_review_job

    job, _ = start_review_job(request, db, user, contract_id)
    return _see(f"/contracts/{contract_id}/review?job={job.id}")


@router.post("/contracts/{contract_id}/decide")
async def decide(request: Request, contract_id: int, user: Actor = need("approve"), db: Session = Depends(get_db)):
    form = await request.form()
    await decide_on(request, db, user, contract_id, str(form.get("decision", "")), str(form.get("comment", "")),
                    _int(form.get("version"), None), str(form.get("override_reason", "")))
    return _see(f"/contracts/{contract_id}")


async def decide_on(request: Request, db: Session, user: Actor, contract_id: int, decision: str, comment: str,
                    version: int | None, override_reason: str) -> store.Contract:
    """The decision, for the page and the API: an approval is checked against the version's review
    (made in the worker pool), then stored in a worker thread."""
    contract = store.get_contract(db, contract_id)
    review = None
    if decision == "approved":
        await run_in_threadpool(store.check_decision, db, user, contract, decision, comment, version)
        review = await request.app.state.jobs.run(job_review, store.latest(db, contract).text, owner=user.id)
    await run_in_threadpool(store.decide, db, user, contract, decision, comment, version, override_reason, review)
    return contract


# "Mark signed", with the date and the signed copy: signatures.py


@router.post("/contracts/{contract_id}/reopen")
def reopen(request: Request, contract_id: int, user: Actor = need("edit"), db: Session = Depends(get_db)):
    store.new_draft(db, user, store.get_contract(db, contract_id))
    return _see(f"/contracts/{contract_id}")


# -------------------------------------------------------------------------------------------
# Attainment reports


# The form and its routes: report_page.py (with the command line's options).


# -------------------------------------------------------------------------------------------
# People, tokens, the audit log


@router.get("/admin/users")
def users(request: Request, user: Actor = need("users"), db: Session = Depends(get_db)):
    people = db.scalars(select(User).order_by(User.name)).all()
    signed_in = {p.id: len(web_sessions.of_user(db, p.id)) for p in people}
    return page(request, "users.html", people=people, roles=ROLES, signed_in=signed_in, error="")


@router.post("/admin/users")
async def add_user(request: Request, user: Actor = need("users"), db: Session = Depends(get_db)):
    form = await request.form()
    await run_in_threadpool(store.add_user, db, str(form.get("name", "")).strip(), str(form.get("role", "")),
                            str(form.get("password", "")), actor=user.name)
    return _see("/admin/users")


@router.post("/admin/users/{user_id}/active")
async def set_active(request: Request, user_id: int, user: Actor = need("users"), db: Session = Depends(get_db)):
    form = await request.form()
    store.set_active(db, user, user_id, str(form.get("active", "")) == "yes")
    return _see("/admin/users")


@router.post("/admin/users/{user_id}/role")
async def set_role(request: Request, user_id: int, user: Actor = need("users"), db: Session = Depends(get_db)):
    form = await request.form()
    store.set_role(db, user, user_id, str(form.get("role", "")))
    return _see("/admin/users")


@router.post("/admin/users/{user_id}/password")
async def set_password(request: Request, user_id: int, user: Actor = need("users"), db: Session = Depends(get_db)):
    form = await request.form()
    await run_in_threadpool(store.set_password_of, db, user, user_id, str(form.get("password", "")))
    return _see("/admin/users")


@router.post("/admin/users/{user_id}/sessions/end")
def end_sessions(request: Request, user_id: int, user: Actor = need("users"), db: Session = Depends(get_db)):
    store.end_sessions_of(db, user, user_id)
    return _see("/admin/users")


@router.get("/admin/audit")
def audit_log(request: Request, user: Actor = need("users"), db: Session = Depends(get_db)):
    entries = db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(500)).all()
    from slagen.workspace.contract_names import references_of

    return page(request, "audit.html", entries=entries, references=references_of(db, entries))


def _tokens_page(request: Request, db: Session, user: Actor, code: int = 200, **context) -> HTMLResponse:
    everyone = allowed(user.role, "all_tokens")
    return page(request, "tokens.html", code, mine=api_tokens.listing(db, user.id),
                others=[t for t in api_tokens.listing(db, None) if t.user != user.name] if everyone else None,
                expiry_choices=list(api_tokens.EXPIRY_CHOICES), **{"token": None, "error": "", **context})


@router.get("/tokens")
def tokens(request: Request, user: Actor = need("tokens"), db: Session = Depends(get_db)):
    return _tokens_page(request, db, user)


@router.post("/tokens")
async def new_token(request: Request, user: Actor = need("tokens"), db: Session = Depends(get_db)):
    form = await request.form()
    try:
        # A token never makes a token: only a person at a signed-in browser, who types their password again.
        if request.state.session_row is None:
            raise access.Forbidden("API tokens are made on this page in a signed-in browser, not with another "
                                   "API token")
        if not await run_in_threadpool(store.password_of_actor_matches, db, user, str(form.get("password", ""))):
            raise store.WorkspaceError("type your password to create a token (it is asked again because a token "
                                       "acts as you); nothing was created", 422)
        token = store.create_api_token(db, user, str(form.get("name", "")), str(form.get("expires", "never")))
    except store.WorkspaceError as exc:
        db.rollback()
        return _tokens_page(request, db, user, exc.status, error=exc.message)
    return _tokens_page(request, db, user, token=token)


@router.post("/tokens/{token_id}/revoke")
def revoke_token(request: Request, token_id: int, user: Actor = need("tokens"), db: Session = Depends(get_db)):
    store.revoke_api_token(db, user, token_id, allowed(user.role, "all_tokens"))
    return _see("/tokens")


# -------------------------------------------------------------------------------------------
# One's own account: password and sessions


def _account_page(request: Request, db: Session, user: Actor, code: int = 200, **context) -> HTMLResponse:
    return page(request, "account.html", code, sessions=web_sessions.of_user(db, user.id),
                this_session=request.state.session_row, min_password=auth.MIN_PASSWORD,
                idle_hours=web_sessions.IDLE // timedelta(hours=1),
                lifetime_hours=web_sessions.LIFETIME // timedelta(hours=1),
                **{"error": "", "done": "", **context})


@router.get("/account")
def account(request: Request, user: Actor = need("account"), db: Session = Depends(get_db)):
    return _account_page(request, db, user)


@router.post("/account/password")
async def change_password(request: Request, user: Actor = need("account"), db: Session = Depends(get_db)):
    form = await request.form()
    _session_only(request)
    try:
        ended = await run_in_threadpool(store.change_password, db, user, str(form.get("current", "")),
                                        str(form.get("new", "")), str(form.get("again", "")), request.state.session_row)
    except store.WorkspaceError as exc:
        db.rollback()
        return _account_page(request, db, user, exc.status, error=exc.message)
    return _account_page(request, db, user, done=f"Your password is changed; {_sessions(ended)} signed out.")


@router.post("/account/timezone")
async def set_timezone(request: Request, user: Actor = need("account"), db: Session = Depends(get_db)):
    from slagen.workspace.models import User

    form = await request.form()
    chosen = form.get("timezone")
    chosen = chosen.strip() if isinstance(chosen, str) else ""
    if chosen and not is_zone(chosen):
        return _account_page(request, db, user, 422, error=f"'{chosen[:64]}' is not a time zone; choose one from "
                                                           "the list, such as America/Chicago or Europe/London")
    person = db.get(User, user.id)
    person.timezone = chosen or None
    store.audit(db, user, "set_timezone", detail=chosen or "the browser's")
    db.commit()
    request.state.shown_zone, request.state.profile_zone = None, chosen or None
    where = chosen or "the zone your browser reports"
    return _account_page(request, db, user, done=f"Times are now shown in {where}.")


@router.post("/account/sign-out-elsewhere")
def sign_out_elsewhere(request: Request, user: Actor = need("account"), db: Session = Depends(get_db)):
    _session_only(request)
    ended = store.sign_out_elsewhere(db, user, request.state.session_row)
    return _account_page(request, db, user, done=f"{_sessions(ended).capitalize()} signed out.")


def _session_only(request: Request) -> None:
    """One's password and sessions are changed from a signed-in browser, never with an API token
    (a stolen token must not sign its owner out everywhere or take over the account)."""
    if request.state.session_row is None:
        raise access.Forbidden("this is done on the Account page in a signed-in browser, not with an API token")


def _sessions(count: int) -> str:
    return {0: "no other session was", 1: "1 other session was"}.get(count, f"{count} other sessions were")


@router.get("/notice-deadlines")
def notice_soon(user: Actor = need("view")):
    return _see("/?due=90&sort=notice_deadline")


