""""Mark signed": the date the parties signed, and the signed PDF kept with the approved version.

Legal records the signature with the date on the signed copy and the PDF itself (uploaded,
read with a size limit, and checked to be a PDF before it is stored). The copy is kept in the
database beside the version it is a signed copy of, downloadable by those who may download
documents; each download is in the audit log.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from slagen.workspace import store
from slagen.workspace.access import Actor, get_db, need
from slagen.workspace.documents import attachment, safe_name
from slagen.workspace.models import Contract, SignedCopy
from slagen.workspace.uploads import CHUNK

MAX_SIGNED_PDF = 25_000_000  # a scanned, signed agreement of forty pages is a few megabytes
EARLIEST = date(1990, 1, 1)

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["workspace"])


def signing_date(text: str, today: date) -> date:
    text = (text or "").strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise store.WorkspaceError("give the date the agreement was signed, such as 2027-03-01", 422)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise store.WorkspaceError(f"{text} is not a date on the calendar", 422) from None
    if day > today + timedelta(days=1):  # a day's grace: the signer may be a zone ahead
        raise store.WorkspaceError(f"the signature date {text} is in the future; give the date on the signed copy",
                                   422)
    if day < EARLIEST:
        raise store.WorkspaceError(f"the signature date {text} is before 1990; check the year", 422)
    return day


async def read_signed_pdf(upload) -> tuple[str, bytes]:
    if upload is None or isinstance(upload, str) or not getattr(upload, "filename", ""):
        raise store.WorkspaceError("choose the signed copy (a PDF) to keep with the contract", 422)
    parts, size = [], 0
    while chunk := await upload.read(CHUNK):
        size += len(chunk)
        if size > MAX_SIGNED_PDF:
            raise store.WorkspaceError(f"the signed copy is larger than {MAX_SIGNED_PDF // 1_000_000} MB; nothing "
                                       "was recorded", 413)
        parts.append(chunk)
    data = b"".join(parts)
    if not data.lstrip()[:5] == b"%PDF-":
        raise store.WorkspaceError(f"{upload.filename[:100]} is not a PDF; upload the signed copy as a PDF", 422)
    return upload.filename, data


def record_signature(db: Session, actor: Actor, contract: Contract, signed_on: date, file_name: str,
                     data: bytes) -> SignedCopy:
    if contract.status != "approved":
        raise store.WorkspaceError("only an approved contract can be marked signed; this one is "
                                   f"{store.STATUS_NAMES[contract.status]}", 409)
    name = safe_name(file_name)[:200]
    copy = SignedCopy(contract_id=contract.id, version=contract.approved_version, signed_on=signed_on.isoformat(),
                      file_name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data,
                      recorded_by=actor.name)
    db.add(copy)
    contract.status = "signed"
    contract.signed_on = signed_on.isoformat()
    store.audit(db, actor, "sign", contract, contract.approved_version,
                f"signed on {copy.signed_on}; signed copy {name} ({len(data)} bytes, SHA-256 {copy.sha256[:16]}...)")
    db.commit()
    return copy


def latest_copy(db: Session, contract: Contract) -> SignedCopy | None:
    return db.scalar(select(SignedCopy).where(SignedCopy.contract_id == contract.id).order_by(SignedCopy.id.desc())
                     .limit(1))


async def _sign(request: Request, contract_id: int, user: Actor, db: Session) -> SignedCopy:
    from slagen.workspace.pages import today

    contract = store.get_contract(db, contract_id)
    form = await request.form(max_part_size=1_000_000)
    day = form.get("signed_on")
    signed_on = signing_date(day if isinstance(day, str) else "", today())
    file_name, data = await read_signed_pdf(form.get("signed_pdf"))
    return record_signature(db, user, contract, signed_on, file_name, data)


def _download(db: Session, user: Actor, contract_id: int) -> Response:
    contract = store.get_contract(db, contract_id)
    copy = latest_copy(db, contract)
    if copy is None:
        raise store.NotFound(f"contract {contract.reference} has no signed copy")
    store.audit(db, user, "download_signed", contract, copy.version, copy.file_name)
    db.commit()
    return Response(copy.data, media_type="application/pdf", headers=attachment(copy.file_name))


@router.post("/contracts/{contract_id}/sign")
async def sign(request: Request, contract_id: int, user: Actor = need("approve"), db: Session = Depends(get_db)):
    await _sign(request, contract_id, user, db)
    return RedirectResponse(f"/contracts/{contract_id}", 303)


@router.get("/contracts/{contract_id}/signed.pdf")
def signed_copy(contract_id: int, user: Actor = need("render"), db: Session = Depends(get_db)):
    return _download(db, user, contract_id)


@api_router.post("/contracts/{contract_id}/signature", status_code=201,
                 summary="Mark an approved contract signed (multipart: signed_on as YYYY-MM-DD, signed_pdf the "
                         "signed copy); the PDF is kept with the approved version")
async def api_sign(request: Request, contract_id: int, user: Actor = need("approve"), db: Session = Depends(get_db)):
    copy = await _sign(request, contract_id, user, db)
    return JSONResponse({"version": copy.version, "signed_on": copy.signed_on, "file_name": copy.file_name,
                         "size": copy.size, "sha256": copy.sha256,
                         "url": f"/api/contracts/{contract_id}/signed-copy.pdf"}, 201)


@api_router.get("/contracts/{contract_id}/signed-copy.pdf", summary="The signed copy kept when the contract was "
                                                                     "marked signed", response_class=Response)
def api_signed_copy(contract_id: int, user: Actor = need("render"), db: Session = Depends(get_db)):
    return _download(db, user, contract_id)
