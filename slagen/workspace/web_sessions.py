"""Server-side sessions: a signed-in browser is a row, and ending the row ends the session.

The signed cookie (HttpOnly, SameSite=Lax) carries a random session id and the session's CSRF
token; the table keeps only the id's SHA-256. A session ends when its owner signs out (a copy of
the cookie stops working too), signs out everywhere else, changes their password, is deactivated
or given another role by an administrator, after IDLE without a request, and LIFETIME after
signing in whatever happens.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from slagen.workspace.api_tokens import as_utc, digest
from slagen.workspace.models import WebSession, utcnow

IDLE = timedelta(hours=8)
LIFETIME = timedelta(hours=12)
TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often


def start(db: Session, user_id: int, address: str, user_agent: str, now: datetime | None = None) -> str:
    """A new session for the user; returns the id for the cookie (never stored in clear).
    Sessions that have run out, anyone's, are cleared on the way, so the table stays small."""
    now = now or utcnow()
    db.execute(delete(WebSession).where(_over(now)).execution_options(synchronize_session=False))
    session_id = secrets.token_urlsafe(32)
    db.add(WebSession(id_sha256=digest(session_id), user_id=user_id, created_at=now, last_seen_at=now,
                      expires_at=now + LIFETIME, address=address[:64], user_agent=user_agent[:300]))
    db.commit()
    return session_id


def _over(now: datetime):
    return or_(WebSession.expires_at <= now, WebSession.last_seen_at <= now - IDLE)


def current(db: Session, session_id: str, now: datetime | None = None) -> WebSession | None:
    """The live session with this id, its last_seen_at brought up to date; None if it has ended."""
    now = now or utcnow()
    row = db.scalar(select(WebSession).where(WebSession.id_sha256 == digest(session_id)))
    if row is None:
        return None
    if as_utc(row.expires_at) <= now or as_utc(row.last_seen_at) <= now - IDLE:
        db.delete(row)
        db.commit()
        return None
    if now - as_utc(row.last_seen_at) >= TOUCH_EVERY:
        db.execute(update(WebSession).where(WebSession.id == row.id, WebSession.last_seen_at < now - TOUCH_EVERY)
                   .values(last_seen_at=now).execution_options(synchronize_session=False))
        db.commit()
    return row


def of_user(db: Session, user_id: int, now: datetime | None = None) -> list[WebSession]:
    """A user's live sessions, most recently used first (the Account page lists them)."""
    now = now or utcnow()
    return list(db.scalars(select(WebSession).where(WebSession.user_id == user_id, ~_over(now))
                           .order_by(WebSession.last_seen_at.desc(), WebSession.id.desc())))


def end(db: Session, session_id: str) -> None:
    db.execute(delete(WebSession).where(WebSession.id_sha256 == digest(session_id)))


def end_all_of(db: Session, user_id: int, keep: int | None = None) -> int:
    """End every session of a user except ``keep`` (a row id); the number ended. The caller commits."""
    query = delete(WebSession).where(WebSession.user_id == user_id)
    if keep is not None:
        query = query.where(WebSession.id != keep)
    return db.execute(query.execution_options(synchronize_session=False)).rowcount
