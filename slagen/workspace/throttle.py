"""Sign-in throttling: growing delays for whoever guesses, never a lock on the account's owner.

Locking a name after five failures lets anyone lock out anyone, administrators included. So
failures are counted three ways over the last 15 minutes, and each count slows only the guesser:

* **one name from one address** (the usual guesser): after 5 failures that pair must wait before
  its next attempt, 15 seconds, doubling with each further failure up to 15 minutes. Its
  attempts in the meantime are refused at once, without checking a password.
* **one address, many names** (spraying one password across many names): once failures from
  one address name 10 different people, that address waits as a pair does, doubling with each
  further name. What is counted is names, not failures: an office behind one NAT address shares
  it, and a flood of guesses at one colleague's name (or two, or five) must not stop the others
  there from signing in. Even during a spray, a person who has a session from that address (they
  signed in from it before, within the sessions' lifetime) is not held by the address's budget.
* **one name, any address**: no refusal, because the owner must still get in, but every attempt
  on that name waits a little longer first (a quarter second for each failure beyond 5, at most
  3 seconds).

So the owner of a flooded account, signing in from their own address, is slowed by at most a
few seconds and is never refused. A success clears the failures of its own name and address.

The audit log keeps one row per name and address per window, its count brought up to date with
each failure, instead of one row per failure (a flood would otherwise fill it).
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from slagen.workspace.models import AuditEntry, LoginFailure, User, WebSession

WINDOW = timedelta(minutes=15)
PAIR_FREE = 5        # failures of one name from one address before it must wait
ADDRESS_NAMES = 10   # different names failing from one address before the address must wait
NAME_FREE = 5        # failures of one name (any address) before every attempt on it is slowed
FIRST_WAIT = 15.0    # seconds; doubles with each failure beyond the free ones
LONGEST_WAIT = WINDOW.total_seconds()
NAME_SLOWDOWN = 0.25  # seconds per failure beyond NAME_FREE
LONGEST_SLOWDOWN = 3.0


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Verdict:
    wait: float      # seconds this name and address must still wait: > 0 means refused now, unchecked
    slowdown: float  # seconds to pause before checking the password (the name is under attack)

    @property
    def refused(self) -> bool:
        return self.wait > 0


def _wait_after(failures: int, free: int, last: datetime | None, now: datetime) -> float:
    if failures < free or last is None:
        return 0.0
    wait = min(FIRST_WAIT * 2 ** (failures - free), LONGEST_WAIT)
    return max(0.0, wait - (now - _utc(last)).total_seconds())


# Refusals this process has already worked out: (name, address) -> the moment the wait ends. A
# guesser who is made to wait tries again at once, over and over; answering each try from the
# database costs four queries, and under a flood those queries were a fifth of the server's time.
# Until the wait ends nothing can lift it (a refused pair checks no password, so cannot succeed),
# so the answer is the same; the database stays the record every server process reads.
# Kept per database (engine), and gone with it.
_HELD: "weakref.WeakKeyDictionary[object, dict[tuple[str, str], datetime]]" = weakref.WeakKeyDictionary()
_HELD_LOCK = threading.Lock()
MAX_HELD = 10_000  # pairs kept per database; the expired are dropped first, then all of them if need be


def _held(db: Session, name: str, address: str, now: datetime) -> float:
    with _HELD_LOCK:
        until = _HELD.get(db.get_bind(), {}).get((name, address))
    return (until - now).total_seconds() if until is not None and until > now else 0.0


def _hold(db: Session, name: str, address: str, now: datetime, wait: float) -> None:
    with _HELD_LOCK:
        held = _HELD.setdefault(db.get_bind(), {})
        if len(held) >= MAX_HELD:
            for key in [k for k, until in held.items() if until <= now]:
                del held[key]
            if len(held) >= MAX_HELD:
                held.clear()
        held[(name, address)] = now + timedelta(seconds=wait)


def verdict(db: Session, name: str, address: str, now: datetime | None = None) -> Verdict:
    now = now or datetime.now(timezone.utc)
    held = _held(db, name, address, now)
    if held:
        return Verdict(held, 0.0)
    since = now - WINDOW
    recent = LoginFailure.at >= since
    pair, pair_last = db.execute(select(func.count(), func.max(LoginFailure.at))
                                 .where(LoginFailure.name == name, LoginFailure.address == address, recent)).one()
    names, address_last = db.execute(select(func.count(func.distinct(LoginFailure.name)), func.max(LoginFailure.at))
                                     .where(LoginFailure.address == address, recent)).one()
    address_wait = _wait_after(names, ADDRESS_NAMES, address_last, now)
    if address_wait and _has_session_from(db, name, address):
        address_wait = 0.0  # a colleague already working from this address: only their own pair counts
    by_name = db.scalar(select(func.count()).where(LoginFailure.name == name, recent))
    wait = max(_wait_after(pair, PAIR_FREE, pair_last, now), address_wait)
    slowdown = min(max(0, by_name - NAME_FREE + 1) * NAME_SLOWDOWN, LONGEST_SLOWDOWN) if by_name >= NAME_FREE else 0.0
    if wait:
        _hold(db, name, address, now, wait)
    return Verdict(wait, slowdown)


def _has_session_from(db: Session, name: str, address: str) -> bool:
    """Whether the person of this name has a session row started from this address (rows are
    cleared once they have run out, so this means "signed in from here lately")."""
    return db.scalar(select(WebSession.id).join(User, User.id == WebSession.user_id)
                     .where(User.name == name, WebSession.address == address[:64]).limit(1)) is not None


def record_failure(db: Session, name: str, address: str, now: datetime | None = None) -> None:
    """Count a failure, forget those older than the window, and bring the audit row up to date."""
    now = now or datetime.now(timezone.utc)
    name, address = name[:100], address[:64]
    db.execute(delete(LoginFailure).where(LoginFailure.at < now - WINDOW))
    db.add(LoginFailure(name=name, address=address, at=now))
    actor = name or "(no name)"
    prefix = f"from {address}: "
    row = db.scalar(select(AuditEntry).where(AuditEntry.action == "login_failed", AuditEntry.actor == actor,
                                             AuditEntry.at >= now - WINDOW, AuditEntry.detail.startswith(prefix))
                    .order_by(AuditEntry.id.desc()).limit(1))
    if row is None:
        db.add(AuditEntry(actor=actor, action="login_failed", detail=f"{prefix}1 failed sign-in", at=now))
    else:
        count = _count_in(row.detail, prefix) + 1
        row.detail = f"{prefix}{count} failed sign-ins, the last at {now:%H:%M:%S} UTC"


def _count_in(detail: str, prefix: str) -> int:
    words = detail[len(prefix):].split(" ", 1)
    return int(words[0]) if words and words[0].isdigit() else 1


def record_success(db: Session, name: str, address: str) -> None:
    db.execute(delete(LoginFailure).where(LoginFailure.name == name, LoginFailure.address == address[:64]))


def wait_words(seconds: float) -> str:
    seconds = int(seconds + 0.999)
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{(seconds + 59) // 60} minutes"
