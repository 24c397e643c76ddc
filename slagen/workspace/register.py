"""The contract register: filtered in the database, renewal dates and notice deadlines worked
out for the day it is shown (by the engine's ``renewal_dates``), then sorted and cut into pages.

Rows are read as plain column tuples, not ORM objects: the register of a large provider holds
thousands of contracts, and building an ORM object per row would cost more than the page itself.

Even so, reading every contract on every click is most of a register request's time when a
hundred people are clicking. So the rows, worked out for the day, are kept per database engine
and reused until the contracts change. Every change to a contract is written with its audit row
in the same transaction (store.py, signatures.py), so the audit log's newest id says whether
anything changed, for this server process and for any other process writing to the same
database. (A change made behind the workspace's back, by hand in SQL, shows within KEEP_SECONDS.)
Filters and sorting are applied to the kept rows per request (they are cheap).

What is not cheap is drawing the table: a hundred rows of escaped HTML take about 20 ms of the
interpreter, and a hundred people reading the register click about fifty times a second, more
than one core can draw. Most of those clicks ask for the same few views (the first page, sorted
by notice deadline), so the drawn table is kept with the rows it was drawn from
(:meth:`KeptRegister.drawn`), per view, per shown time zone and per role, and is gone when the
rows are. The rest of the page (who is signed in, the CSRF token) is drawn per request.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from slagen.model.term_dates import renewal_dates
from slagen.workspace.models import AuditEntry, Contract

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
    """Contracts matching the filters: ``q`` within the reference or the customer's name (any
    case), ``status`` exactly. ``notice_within`` days: only notice deadlines from today to
    today + N, of contracts in force (drafts never approved have no deadline to keep)."""
    return kept_register(db, today).matching(q=q, status=status, sort=sort, descending=descending,
                                            notice_within=notice_within)


# Audit ids are handed out as rows are written, but on PostgreSQL two transactions may commit in
# the other order: the newest id alone could be seen before an older one commits. So the mark is
# the newest id and the number of rows among the last RECENT ids, which such a late commit changes.
RECENT = 1000
KEEP_SECONDS = 60.0


def change_mark(db: Session) -> tuple[int, int]:
    """What the register's kept rows are valid for: two index lookups, no table scan."""
    newest = db.scalar(select(func.max(AuditEntry.id))) or 0
    recent = db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.id > newest - RECENT))
    return newest, recent or 0


DRAWN_VIEWS = 256  # tables kept drawn per set of rows; the search box makes the views unbounded


class KeptRegister:
    """All rows for one day and one change mark, their orders, and the tables drawn from them,
    each worked out when first asked."""

    def __init__(self, mark: tuple, today: date, rows: list[RegisterRow]):
        self.mark, self.today, self.rows = mark, today, rows
        self.made = time.monotonic()
        self._orders: dict[tuple[str, bool], list[RegisterRow]] = {}
        self._lock = threading.Lock()
        self._drawn: OrderedDict[Hashable, str] = OrderedDict()
        self._drawn_lock = threading.Lock()

    def matching(self, *, q: str = "", status: str = "", sort: str = "reference", descending: bool = False,
                 notice_within: int | None = None) -> list[RegisterRow]:
        """The rows that match the filters (see :func:`register_rows`), in the order asked."""
        rows = self.ordered(sort if sort in SORTABLE else "reference", descending)
        needle = q.strip().lower()
        if needle:
            rows = [r for r in rows if needle in r.reference.lower() or needle in r.customer.lower()]
        if status:
            rows = [r for r in rows if r.status == status]
        if notice_within is not None:
            today, end = self.today, self.today + timedelta(days=max(0, notice_within))
            rows = [r for r in rows
                    if r.in_force and r.notice_deadline is not None and today <= r.notice_deadline <= end]
        return rows

    def drawn(self, view: Hashable, draw: Callable[[], str]) -> str:
        """The table for ``view`` (everything the drawing depends on besides these rows), drawn
        by ``draw`` the first time. Two requests may both draw a view nobody has yet; both get
        the same text, so neither waits for the other."""
        with self._drawn_lock:
            text = self._drawn.get(view)
            if text is not None:
                self._drawn.move_to_end(view)
                return text
        text = draw()
        with self._drawn_lock:
            self._drawn[view] = text
            while len(self._drawn) > DRAWN_VIEWS:
                self._drawn.popitem(last=False)
        return text

    def ordered(self, key: str, descending: bool) -> list[RegisterRow]:
        with self._lock:
            order = self._orders.get((key, descending))
            if order is None:
                present = [r for r in self.rows if getattr(r, key) is not None]
                present.sort(key=lambda r: (getattr(r, key), r.id), reverse=descending)
                order = present + sorted((r for r in self.rows if getattr(r, key) is None), key=lambda r: r.id)
                self._orders[(key, descending)] = order
            return order


_KEPT: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # engine -> KeptRegister; gone with its engine
_KEPT_LOCK = threading.Lock()


def kept_register(db: Session, today: date) -> KeptRegister:
    """Every row for ``today``, as kept since the contracts last changed (read again if they did)."""
    engine = db.get_bind()
    mark = change_mark(db)  # read before the rows: rows newer than the mark are harmless, older are not
    with _KEPT_LOCK:
        kept = _KEPT.get(engine)
    if (kept is not None and kept.mark == mark and kept.today == today
            and time.monotonic() - kept.made < KEEP_SECONDS):
        return kept
    rows = [row_for(values, today) for values in db.connection().execute(select(*_COLUMNS))]  # Core rows
    kept = KeptRegister(mark, today, rows)
    with _KEPT_LOCK:
        _KEPT[engine] = kept
    return kept
