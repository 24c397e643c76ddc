"""Documents and redlines as render jobs: what a request starts, and how the finished file is served.

The pages, the API and the old direct-download routes all go through here, so two people asking
for the same document of the same version while it renders share one job, and every download
gets the same name and content type.
"""

from __future__ import annotations

import asyncio
import re
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from slagen.workspace import store
from slagen.workspace.access import Actor, Forbidden
from slagen.workspace.engine import job_redline, job_render
from slagen.workspace.job_board import FAILED, Job, JobBoard
from slagen.workspace.roles import ROLE_NAMES, allowed
from slagen.source.words import article

# Previews and redlines are shown in sandboxed frames: they may style themselves, nothing more.
PREVIEW_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


def safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "contract"


def attachment(filename: str) -> dict:
    return {"Content-Disposition": f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"}


def check_doc_and_format(doc: str, fmt: str, formats=("pdf", "docx")) -> None:
    if doc not in ("agreement", "sow"):
        raise store.WorkspaceError("the document is 'agreement' or 'sow'")
    if fmt not in formats:
        raise store.WorkspaceError(f"the format is one of {', '.join(formats)}")


def board(request: Request) -> JobBoard:
    return request.app.state.render_jobs


def _document(db: Session, contract_id: int, number: int, doc: str, fmt: str):
    check_doc_and_format(doc, fmt, ("pdf", "docx", "html"))
    contract = store.get_contract(db, contract_id)
    version = store.get_version(db, contract, number)
    final = store.is_approved_version(contract, number)
    # The version's text is immutable, but whether it renders as final is not: both are in the key.
    return contract, version, final, ("document", contract.id, number, version.text_sha256, doc, fmt, final)


def rendered_document(request: Request, db: Session, user: Actor, contract_id: int, number: int, doc: str,
                      fmt: str) -> Job | None:
    """The finished job that rendered this document, if its file is still kept; starts nothing.
    A download of it is audited as a read."""
    contract, _, final, key = _document(db, contract_id, number, doc, fmt)
    job = board(request).finished(key)
    if job is not None and fmt != "html":
        store.audit(db, user, "download", contract, number, f"{doc} {fmt} ({'final' if final else 'draft'})")
        db.commit()
    return job


def rendered_redline(request: Request, db: Session, user: Actor, contract_id: int, old: int, new: int, doc: str,
                     fmt: str) -> Job | None:
    """The finished job that made this redline, if its file is still kept; starts nothing."""
    contract, _, _, key = _redline(db, contract_id, old, new, doc, fmt)
    job = board(request).finished(key)
    if job is not None and fmt != "html":
        store.audit(db, user, "download", contract, new, f"redline {doc} {fmt} against version {old}")
        db.commit()
    return job


class NotRendered(store.WorkspaceError):
    """A GET asked for a file no job has made yet: renders start only on POST."""

    status = 409


def start_document_job(request: Request, db: Session, user: Actor, contract_id: int, number: int, doc: str,
                       fmt: str) -> tuple[Job, bool]:
    """The job rendering one version's agreement or SOW (final only when that version is approved),
    and whether it was already running for someone else."""
    contract, version, final, key = _document(db, contract_id, number, doc, fmt)
    job = Job(kind="document", permission="render", contract_id=contract.id, content_type=CONTENT_TYPES[fmt],
              details={"contract": {"id": contract.id, "reference": contract.reference}, "version": number,
                       "document": doc, "format": fmt, "final": final})

    def name_file(name: str) -> str:
        return name.replace(f"-{doc}.", f"-{doc}-v{number}{'' if final else '-draft'}.")

    started = board(request).start(key, job, job_render, (version.text, doc, fmt, final), name_file, owner=user.id)
    store.audit(db, user, "render", contract, number, f"{doc} {fmt} ({'final' if final else 'draft'})")
    db.commit()
    return started


def _redline(db: Session, contract_id: int, old: int, new: int, doc: str, fmt: str):
    check_doc_and_format(doc, fmt, ("html", "pdf", "docx"))
    contract = store.get_contract(db, contract_id)
    old_v, new_v = store.get_version(db, contract, old), store.get_version(db, contract, new)
    return contract, old_v, new_v, ("redline", contract.id, old, new, old_v.text_sha256, new_v.text_sha256, doc, fmt)


def start_redline_job(request: Request, db: Session, contract_id: int, old: int, new: int, doc: str,
                      fmt: str, user: Actor | None = None) -> tuple[Job, bool]:
    """The job making a redline; a PDF or DOCX redline (a download) is audited like a document."""
    contract, old_v, new_v, key = _redline(db, contract_id, old, new, doc, fmt)
    job = Job(kind="redline", permission="view" if fmt == "html" else "render", contract_id=contract.id,
              content_type=CONTENT_TYPES[fmt],
              details={"contract": {"id": contract.id, "reference": contract.reference}, "version": new,
                       "compared_with": old, "document": doc, "format": fmt})
    labels = (f"{contract.reference} version {old}", f"{contract.reference} version {new}")  # the workspace's numbers
    started = board(request).start(key, job, job_redline, (old_v.text, new_v.text, doc, fmt, labels),
                                   lambda name: name.replace("-redline.", f"-redline-v{old}-v{new}."),
                                   owner=user.id if user else None)
    if user is not None and fmt != "html":
        store.audit(db, user, "redline", contract, new, f"{doc} {fmt} against version {old}")
        db.commit()
    return started


def start_review_sheet_job(request: Request, db: Session, user: Actor, contract_id: int, number: int,
                           fmt: str) -> tuple[Job, bool]:
    """The job making a version's internal review sheet (PDF or DOCX), with every approval given
    over its blocking items and the reason: the provider's record, never the customer's."""
    from sqlalchemy import select

    from slagen.workspace.engine import job_review_sheet
    from slagen.workspace.models import Approval

    check_doc_and_format("agreement", fmt)
    contract = store.get_contract(db, contract_id)
    version = store.get_version(db, contract, number)
    notes = tuple(
        f"Version {a.version} was approved by {a.decided_by} on {a.decided_at:%Y-%m-%d %H:%M} UTC over "
        f"{a.blocking_items} blocking review item{'s' if a.blocking_items != 1 else ''}. Reason given: "
        f"{a.override_reason}"
        for a in db.scalars(select(Approval).where(Approval.contract_id == contract.id, Approval.version == number,
                                                   Approval.override_reason.is_not(None)).order_by(Approval.id)))
    job = Job(kind="review-sheet", permission="render", contract_id=contract.id, content_type=CONTENT_TYPES[fmt],
              details={"contract": {"id": contract.id, "reference": contract.reference}, "version": number,
                       "document": "review", "format": fmt})
    key = ("review-sheet", contract.id, number, version.text_sha256, notes, fmt)
    started = board(request).start(key, job, job_review_sheet, (version.text, notes, fmt),
                                   lambda name: name.replace("-review.", f"-review-v{number}."), owner=user.id)
    store.audit(db, user, "review_sheet", contract, number, fmt)
    db.commit()
    return started


def readable_job(request: Request, db: Session, user: Actor, job_id: str) -> Job:
    """The job, if the user may see what it makes: their role allows it, and they may open its contract."""
    job = board(request).get(job_id)
    if not allowed(user.role, job.permission):
        raise Forbidden(f"{article(ROLE_NAMES[user.role])} may not see this job ({job.permission.replace('_', ' ')})")
    store.get_contract(db, job.contract_id)
    return job


def file_response(request: Request, job: Job) -> Response:
    name, data = board(request).file(job)
    if job.content_type.startswith("text/html"):  # shown in a sandboxed frame: no scripts, nothing fetched
        return Response(data, media_type=job.content_type, headers={"Content-Security-Policy": PREVIEW_POLICY})
    return Response(data, media_type=job.content_type, headers=attachment(name))


async def wait_for_file(request: Request, job: Job) -> Response:
    """The finished job's file (for the direct-download routes), or the engine's message (422)."""
    await asyncio.wrap_future(job.finished)
    if job.state == FAILED:
        raise store.WorkspaceError(job.error, 422)
    return file_response(request, job)
