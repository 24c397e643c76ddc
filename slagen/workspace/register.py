"""The contract register: one query, sorted and filtered in the database."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from slagen.workspace.models import Contract

SORTABLE = {
    "reference": Contract.reference, "customer": Contract.customer, "status": Contract.status,
    "latest_version": Contract.latest_version, "feasibility_errors": Contract.feasibility_errors,
    "effective_date": Contract.effective_date, "renewal_date": Contract.renewal_date,
    "notice_deadline": Contract.notice_deadline,
}


def register_rows(db: Session, *, q: str = "", status: str = "", sort: str = "reference", descending: bool = False,
                  notice_within: int | None = None, today: date) -> list[Contract]:
    """Contracts matching the filters. ``notice_within`` days: only notice deadlines from today to today + N."""
    query = select(Contract)
    if q.strip():
        like = f"%{q.strip().lower()}%"
        from sqlalchemy import func

        query = query.where(or_(func.lower(Contract.reference).like(like), func.lower(Contract.customer).like(like)))
    if status:
        query = query.where(Contract.status == status)
    if notice_within is not None:
        end = today + timedelta(days=max(0, notice_within))
        query = query.where(Contract.notice_deadline >= today.isoformat(), Contract.notice_deadline <= end.isoformat())
    column = SORTABLE.get(sort, Contract.reference)
    order = column.desc() if descending else column.asc()
    # Empty values last whichever way the column is sorted, then a stable tie-break.
    query = query.order_by(column.is_(None), order, Contract.id)
    return list(db.scalars(query))
