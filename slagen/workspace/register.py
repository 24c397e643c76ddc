"""The contract register: filtered in the database, renewal dates and notice deadlines worked
out for the day it is shown (by the engine's ``renewal_dates``), then sorted and cut into pages.

Rows are read as plain column tuples, not ORM objects: the register of a large provider holds
thousands of contracts, and building an ORM object per row would cost more than the page itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from slagen.model.term_dates import renewal_dates
from slagen.workspace.models import Contract

SORTABLE = ("reference", "customer", "status", "latest_version", "feasibility_errors", "effective_date",
            "renewal_date", "notice_deadline", "days_left")
PAGE_SIZE = 100

_COLUMNS = (Contract.id, Contract.reference, Contract.customer, Contract.status, Contract.latest_version,
            Contract.feasibility_errors, Contract.effective_date, Contract.initial_term_months,
            Contract.renewal_term_months, Contract.notice_days, Contract.approved_version, Contract.approved_by,
            Contract.approved_at)


@dataclass(frozen=True)
class RegisterRow:
    id: int
    reference: str
    customer: str
    status: str
    latest_version: int
    feasibility_errors: int | None
    effective_date: str | None
    renewal_date: date | None
    notice_deadline: date | None
    approved_version: int | None
    approved_by: str | None
    approved_at: datetime | None
    days_left: int | None = None  # from the day shown to the notice deadline

    @property
    def in_force(self) -> bool:
        """Approved at least once: a draft never approved has no notice deadline to keep (a
        contract reopened after approval keeps its, for the version in force)."""
        return self.approved_version is not None

    def as_json(self) -> dict:
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {"id": self.id, "reference": self.reference, "customer": self.customer, "status": self.status,
                "latest_version": self.latest_version, "feasibility_errors": self.feasibility_errors,
                "effective_date": self.effective_date, "renewal_date": iso(self.renewal_date),
                "notice_deadline": iso(self.notice_deadline), "approved_version": self.approved_version,
                "approved_by": self.approved_by, "approved_at": iso(self.approved_at), "days_left": self.days_left,
                "in_force": self.in_force}


def row_for(values, today: date) -> RegisterRow:
    """One register row from a Contract (or a tuple of ``_COLUMNS``), its dates as of ``today``."""
    if isinstance(values, Contract):
        values = tuple(getattr(values, column.key) for column in _COLUMNS)
    (cid, reference, customer, status, latest, errors, effective, initial, renews, notice,
     approved_version, approved_by, approved_at) = values
    renewal, deadline = _dates(effective, initial, renews, notice, today)
    return RegisterRow(cid, reference, customer, status, latest, errors, effective, renewal, deadline,
                       approved_version, approved_by, approved_at,
                       (deadline - today).days if deadline is not None else None)


@lru_cache(maxsize=65536)
def _dates(effective: str | None, initial: int | None, renews: int | None, notice: int | None,
           today: date) -> tuple[date | None, date | None]:
    # Many contracts share a start date and term (the first of a month, twelve months), so the
    # same question is asked again and again: remember the answers.
    if effective is None or initial is None:
        return None, None
    dates = renewal_dates(date.fromisoformat(effective), initial, renews, renews is not None, notice or 0, today)
    return dates.renewal_date, dates.notice_deadline


def register_rows(db: Session, *, q: str = "", status: str = "", sort: str = "reference", descending: bool = False,
                  notice_within: int | None = None, today: date) -> list[RegisterRow]:
    """Contracts matching the filters. ``notice_within`` days: only notice deadlines from today to
    today + N, of contracts in force (drafts never approved have no deadline to keep)."""
    query = select(*_COLUMNS)
    if q.strip():
        like = f"%{q.strip().lower()}%"
        query = query.where(or_(func.lower(Contract.reference).like(like), func.lower(Contract.customer).like(like)))
    if status:
        query = query.where(Contract.status == status)
    rows = [row_for(values, today) for values in db.connection().execute(query)]  # Core rows: no ORM objects
    if notice_within is not None:
        end = today + timedelta(days=max(0, notice_within))
        rows = [r for r in rows if r.in_force and r.notice_deadline is not None and today <= r.notice_deadline <= end]
    key = sort if sort in SORTABLE else "reference"
    present = [r for r in rows if getattr(r, key) is not None]
    present.sort(key=lambda r: (getattr(r, key), r.id), reverse=descending)
    return present + sorted((r for r in rows if getattr(r, key) is None), key=lambda r: r.id)
