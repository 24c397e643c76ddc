"""The "Customer's mark-up" pages: a customer's marked-up DOCX read, decided on, turned into a version.

The account manager uploads the file the customer sent back; it is read in a worker (the job
pool, never on the event loop) exactly as ``slagen negotiate`` reads it, and every change is
listed beside its clause with what the check and the review say about it. They accept or
reject each; "Create the next version" writes a version from the accepted changes (the file is
kept as its source), and the reply DOCX answers the customer on their own file (a render job,
started by a POST like a document's). Legal reads the same list from the review.
"""

from __future__ import annotations

import hashlib
import json
import os
import re

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from slagen.source.words import count
from slagen.workspace import store
from slagen.workspace.access import Actor, get_db, need
from slagen.workspace.documents import attachment, board, file_response, safe_name, wait_for_file
from slagen.workspace.job_board import Job
from slagen.workspace.models import Markup
from slagen.workspace.negotiation import job_markup_proposal, job_markup_reply, job_read_markup

router = APIRouter(include_in_schema=False)

MAX_MARKUP_BYTES = 20 * 1024 * 1024  # as `slagen negotiate` reads it (slagen.negotiate.reader)
TRACKED = ("value", "wording", "added", "moved")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _markup(db: Session, contract, markup_id: int) -> Markup:
    row = db.get(Markup, markup_id)
    if row is None or row.contract_id != contract.id:
        raise store.WorkspaceError("there is no such mark-up of this contract", 404)
    return row


def _groups(reading: dict) -> list[tuple[str, list[dict]]]:
    """The changes grouped by clause, in the document's order."""
    out: dict[str, list[dict]] = {}
    for change in reading.get("changes", []):
        number = (change.get("number") or "").split(".")[0]
        title = change.get("clause_title") or change.get("clause") or "Before the clauses"
        out.setdefault(f"{number} {title}".strip(), []).append(change)
    return list(out.items())


@router.get("/contracts/{contract_id}/markup")
def markup_page(request: Request, contract_id: int, user: Actor = need("view"), db: Session = Depends(get_db)):
    from slagen.workspace.pages import page
    from slagen.workspace.roles import allowed

    contract = store.get_contract(db, contract_id)
    rows = db.scalars(select(Markup).where(Markup.contract_id == contract.id).order_by(Markup.id.desc())).all()
    current = rows[0] if rows else None
    reading = json.loads(current.reading) if current else {}
    decisions = json.loads(current.decisions) if current else {}
    may_decide = (current is not None and current.next_version is None and contract.status == "draft"
                  and allowed(user.role, "edit"))
    return page(request, "markup.html", contract=contract, markup=current, earlier=rows[1:], reading=reading,
                groups=_groups(reading), decisions=decisions, may_decide=may_decide, tracked=TRACKED,
                may_upload=contract.status == "draft" and allowed(user.role, "edit"))


@router.post("/contracts/{contract_id}/markup")
async def upload_markup(request: Request, contract_id: int, user: Actor = need("edit"),
                        db: Session = Depends(get_db)):
    contract = store.get_contract(db, contract_id)
    if contract.status != "draft":
        raise store.WorkspaceError("the contract is not a draft: start a new draft before reading a mark-up", 409)
    form = await request.form(max_part_size=MAX_MARKUP_BYTES + 1024)
    upload = form.get("file")
    if upload is None or isinstance(upload, str) or not upload.filename:
        raise store.WorkspaceError("choose the customer's marked-up DOCX file")
    data = await upload.read(MAX_MARKUP_BYTES + 1)
    if len(data) > MAX_MARKUP_BYTES:
        raise store.WorkspaceError(f"the file is larger than {MAX_MARKUP_BYTES // 1_000_000} MB; nothing was stored",
                                   413)
    name = safe_name(os.path.basename(upload.filename))[:200]
    version = store.latest(db, contract)
    reading = await request.app.state.jobs.run(job_read_markup, version.text, data, name)
    defaults = {c["id"]: [c["decision"], c["reason"] or ""] for c in reading["changes"] if c["kind"] in TRACKED}
    row = Markup(contract_id=contract.id, version=version.number, file_name=name, data=data, uploaded_by=user.name,
                 reading=json.dumps(reading), decisions=json.dumps(defaults))
    db.add(row)
    store.audit(db, user, "markup", contract, version.number, f"read {name}: {count(len(reading['changes']), 'change')}")
    db.commit()
    return RedirectResponse(f"/contracts/{contract.id}/markup", 303)


@router.post("/contracts/{contract_id}/markup/{markup_id}/decide")
async def decide(request: Request, contract_id: int, markup_id: int, user: Actor = need("edit"),
                 db: Session = Depends(get_db)):
    contract = store.get_contract(db, contract_id)
    row = _markup(db, contract, markup_id)
    if row.next_version is not None:
        raise store.WorkspaceError(f"version {row.next_version} was already made from this mark-up", 409)
    form = await request.form()
    reading = json.loads(row.reading)
    decisions = json.loads(row.decisions)
    for change in reading["changes"]:
        cid = change["id"]
        if change["kind"] not in TRACKED:
            continue
        decision = str(form.get(f"decision-{cid}", decisions.get(cid, ["accept", ""])[0]))
        if decision not in ("accept", "reject"):
            raise store.WorkspaceError(f"the decision on {cid} is accept or reject")
        comment = str(form.get(f"comment-{cid}", decisions.get(cid, ["", ""])[1]))[:2000]
        decisions[cid] = [decision, comment]
    row.decisions = json.dumps(decisions)
    if form.get("action") == "version":
        if contract.latest_version != row.version:  # never write over a version saved since
            db.commit()  # the decisions are kept
            raise store.WorkspaceError(f"version {contract.latest_version} was saved after this mark-up was read "
                                       f"against version {row.version}; read the mark-up again on the newest "
                                       "version (your decisions here are saved)", 409)
        base = store.get_version(db, contract, row.version)
        accepted = [cid for cid, (d, _) in decisions.items() if d == "accept"]
        text = await request.app.state.jobs.run(job_markup_proposal, base.text, row.data, row.file_name, accepted)
        version = store.save_version(db, user, contract, text, contract.latest_version,
                                     f"changes accepted from the customer's {row.file_name} "
                                     f"({len(accepted)} of {len(decisions)})")
        row = _markup(db, contract, markup_id)
        row.next_version = version.number
        db.commit()
        return RedirectResponse(f"/contracts/{contract.id}?version={version.number}", 303)
    store.audit(db, user, "markup_decisions", contract, row.version, f"decisions on {row.file_name}")
    db.commit()
    return RedirectResponse(f"/contracts/{contract.id}/markup", 303)


# The reply DOCX is a render job like a document's (documents.py): a POST starts it, the page's
# script watches it and offers the job's file; a GET serves a reply made in the last 15 minutes
# for the same decisions, and otherwise a page whose button POSTs (the download without scripts).


def _reply(db: Session, contract_id: int, markup_id: int):
    contract = store.get_contract(db, contract_id)
    row = _markup(db, contract, markup_id)
    base = store.get_version(db, contract, row.version)
    # The decisions are in the key: a reply made before they changed is not this reply.
    key = ("markup-reply", contract.id, row.id, base.text_sha256, hashlib.sha256(row.decisions.encode()).hexdigest())
    return contract, row, base, key


def start_reply_job(request: Request, db: Session, user: Actor, contract_id: int, markup_id: int) -> tuple[Job, bool]:
    """The job writing the reply DOCX on the customer's file, and whether it was already running."""
    contract, row, base, key = _reply(db, contract_id, markup_id)
    job = Job(kind="markup-reply", permission="render", contract_id=contract.id, content_type=DOCX_TYPE,
              details={"contract": {"id": contract.id, "reference": contract.reference}, "version": row.version,
                       "markup": row.id, "document": "reply", "format": "docx"})
    name = re.sub(r"\.docx$", "", row.file_name, flags=re.IGNORECASE) + "-reply.docx"
    date = row.uploaded_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    started = board(request).start(key, job, job_markup_reply,
                                   (base.text, row.data, row.file_name, json.loads(row.decisions), date),
                                   lambda _: name, owner=user.id)
    store.audit(db, user, "markup_reply", contract, row.version, f"reply to {row.file_name}")
    db.commit()
    return started


@router.get("/contracts/{contract_id}/markup/{markup_id}/reply.docx")
def reply(request: Request, contract_id: int, markup_id: int, user: Actor = need("render"),
          db: Session = Depends(get_db)):
    from slagen.workspace.pages import _not_rendered

    contract, row, _, key = _reply(db, contract_id, markup_id)
    job = board(request).finished(key)
    if job is None:
        return _not_rendered(request, f"the reply DOCX to {row.file_name}", contract.id)
    store.audit(db, user, "download", contract, row.version, f"reply to {row.file_name}")
    db.commit()
    return file_response(request, job)


@router.post("/contracts/{contract_id}/markup/{markup_id}/reply.docx")
async def make_reply(request: Request, contract_id: int, markup_id: int, user: Actor = need("render"),
                     db: Session = Depends(get_db)):
    job, _ = start_reply_job(request, db, user, contract_id, markup_id)
    return await wait_for_file(request, job)


@router.post("/api/contracts/{contract_id}/markup/{markup_id}/reply-jobs", status_code=202)
def start_reply(request: Request, contract_id: int, markup_id: int, user: Actor = need("render"),
                db: Session = Depends(get_db)):
    """Start writing the reply DOCX; answers at once with the job to watch (GET its Location)."""
    from slagen.workspace.api import _accepted

    return _accepted(*start_reply_job(request, db, user, contract_id, markup_id), request)


@router.get("/contracts/{contract_id}/markup/{markup_id}/theirs.docx")
def theirs(contract_id: int, markup_id: int, user: Actor = need("view"), db: Session = Depends(get_db)):
    contract = store.get_contract(db, contract_id)
    row = _markup(db, contract, markup_id)
    return Response(row.data, media_type=DOCX_TYPE, headers=attachment(row.file_name))
