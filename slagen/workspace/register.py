"""The contract register: filtered in the database, renewal dates and notice deadlines worked
out for the day it is shown (by the engine's ``renewal_dates``), then sorted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from slagen.model.term_dates import renewal_dates
from slagen.workspace.models import Contract

SORTABLE = ("reference", "customer", "status", "latest_version", "feasibility_errors", "effective_date",
            "renewal_date", "notice_deadline")


@dataclass(frozen=True)
class RegisterRow:
    contract: Contract
    renewal_date: date | None
    notice_deadline: date | None

    def __getattr__(self, name: str):  # every other column comes from the contract
        return getattr(self.contract, name)


def row_for(contract: Contract, today: date) -> RegisterRow:
    if contract.effective_date is None or contract.initial_term_months is None:
        return RegisterRow(contract, None, None)
    dates = renewal_dates(date.fromisoformat(contract.effective_date), contract.initial_term_months,
                          contract.renewal_term_months, contract.renewal_term_months is not None,
                          contract.notice_days or 0, today)
    return RegisterRow(contract, dates.renewal_date, dates.notice_deadline)


def register_rows(db: Session, *, q: str = "", status: str = "", sort: str = "reference", descending: bool = False,
                  notice_within: int | None = None, today: date) -> list[RegisterRow]:
    """Contracts matching the filters. ``notice_within`` days: only notice deadlines from today to today + N."""
    query = select(Contract)
    if q.strip():
        like = f"%{q.strip().lower()}%"
        query = query.where(or_(func.lower(Contract.reference).like(like), func.lower(Contract.customer).like(like)))
    if status:
        query = query.where(Contract.status == status)
    rows = [row_for(c, today) for c in db.scalars(query)]
    if notice_within is not None:
        end = today + timedelta(days=max(0, notice_within))
        rows = [r for r in rows if r.notice_deadline is not None and today <= r.notice_deadline <= end]
    key = sort if sort in SORTABLE else "reference"
    present = [r for r in rows if getattr(r, key) is not None]
    present.sort(key=lambda r: (getattr(r, key), r.contract.id), reverse=descending)
    return present + sorted((r for r in rows if getattr(r, key) is None), key=lambda r: r.contract.id)
