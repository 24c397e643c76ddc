"""Contracts named as people name them: by reference, not by the database's number."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from slagen.workspace.models import Contract


def references_of(db: Session, entries) -> dict[int, str]:
    """{contract id: reference} for the contracts audit entries name (one query for a page of them):
    the audit log names a contract as people do, by its reference."""
    ids = {e.contract_id for e in entries if e.contract_id is not None}
    if not ids:
        return {}
    return dict(db.execute(select(Contract.id, Contract.reference).where(Contract.id.in_(ids))).all())
