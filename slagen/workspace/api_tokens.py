"""API tokens: issued on the Tokens page, listed, revoked, optionally expiring.

Only a token's SHA-256 is stored. A token is refused at once when it is revoked, past its expiry
or its user can no longer sign in; the caller is told which, so an integration's owner knows
whether to ask for a new token or for their account back. ``last_used_at`` is written at most
once a minute, so a busy integration does not turn every read into a write.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from slagen.workspace.models import ApiToken, User, utcnow

TOUCH_EVERY = timedelta(minutes=1)
# What the form offers: the key is the form's value, the value the lifetime in days (None: never).
EXPIRY_CHOICES: dict[str, int | None] = {"never": None, "30": 30, "90": 90, "365": 365}
PREFIX = "slg_"


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back the naive UTC time it was given; PostgreSQL an aware one. Compare as aware."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def expiry_for(choice: str, now: datetime | None = None) -> datetime | None:
    """The expiry a form choice means; ValueError for a choice the form does not offer."""
    if choice not in EXPIRY_CHOICES:
        raise ValueError(f"the expiry is one of {', '.join(EXPIRY_CHOICES)} (days)")
    days = EXPIRY_CHOICES[choice]
    return None if days is None else (now or utcnow()) + timedelta(days=days)


def issue(db: Session, user: User, name: str, expires_at: datetime | None = None,
          now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``: its row and its clear text, which is shown once and never stored."""
    secret = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name[:100], token_sha256=digest(secret), expires_at=expires_at,
                   created_at=now or utcnow())
    db.add(row)
    db.flush()
    return row, secret


@dataclass(frozen=True)
class Listed:
    id: int
    name: str
    user: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    expired: bool

    def as_json(self) -> dict:
        def when(moment):
            return moment.isoformat() if moment else None

        return {"id": self.id, "name": self.name, "user": self.user, "created_at": when(self.created_at),
                "last_used_at": when(self.last_used_at), "expires_at": when(self.expires_at),
                "expired": self.expired}


def listing(db: Session, user_id: int | None, now: datetime | None = None) -> list[Listed]:
    """Tokens not revoked, newest first: one user's, or everyone's when ``user_id`` is None.
    Expired ones are listed (marked) so their owner sees why an integration stopped."""
    now = now or utcnow()
    query = (select(ApiToken, User.name).join(User, User.id == ApiToken.user_id)
             .where(ApiToken.revoked_at.is_(None)).order_by(ApiToken.id.desc()))
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return [Listed(t.id, t.name, owner, as_utc(t.created_at), t.last_used_at and as_utc(t.last_used_at),
                   t.expires_at and as_utc(t.expires_at), t.expires_at is not None and as_utc(t.expires_at) <= now)
            for t, owner in db.execute(query)]


def find_revocable(db: Session, token_id: int, actor_id: int, may_revoke_any: bool) -> ApiToken | None:
    """The token, if it is still live and the actor may revoke it; None otherwise (the caller
    answers 404 either way, so nobody learns which token numbers belong to someone else)."""
    row = db.get(ApiToken, token_id)
    if row is None or row.revoked_at is not None or (row.user_id != actor_id and not may_revoke_any):
        return None
    return row


def revoke_all_of(db: Session, user_id: int) -> int:
    """Revoke every live token of a user (on deactivation); the number revoked."""
    result = db.execute(update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
                        .values(revoked_at=utcnow()).execution_options(synchronize_session=False))
    return result.rowcount


def user_for_token(db: Session, secret: str, now: datetime | None = None) -> tuple[User | None, str]:
    """(the token's user, "") when the token may be used now, else (None, why not)."""
    now = now or utcnow()
    row = db.scalar(select(ApiToken).where(ApiToken.token_sha256 == digest(secret)))
    if row is None:
        return None, "this API token is not known: check that it was copied whole, or create a new one"
    if row.revoked_at is not None:
        return None, f"this API token ('{row.name}') was revoked on {as_utc(row.revoked_at):%Y-%m-%d %H:%M} UTC"
    if row.expires_at is not None and as_utc(row.expires_at) <= now:
        return None, f"this API token ('{row.name}') expired on {as_utc(row.expires_at):%Y-%m-%d %H:%M} UTC"
    user = db.get(User, row.user_id)
    if user is None or not user.active:
        return None, "this API token's user can no longer sign in"
    _touch(db, row, now)
    return user, ""


def _touch(db: Session, row: ApiToken, now: datetime) -> None:
    if row.last_used_at is not None and now - as_utc(row.last_used_at) < TOUCH_EVERY:
        return
    # Conditional, so two requests in the same minute write once between them.
    db.execute(update(ApiToken).where(ApiToken.id == row.id, or_(ApiToken.last_used_at.is_(None),
                                                                  ApiToken.last_used_at < now - TOUCH_EVERY))
               .values(last_used_at=now).execution_options(synchronize_session=False))
    db.commit()
