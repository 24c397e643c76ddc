"""Passwords, sessions, CSRF tokens, the login rate limit and API tokens.

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106's second recommended set).
The session is a signed cookie (Starlette's SessionMiddleware, itsdangerous), HttpOnly and
SameSite=Lax, that holds only the user's id and the CSRF token; the user is read from the
database on every request, so a deactivated user or a changed role takes effect at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from slagen.workspace.models import ApiToken, LoginFailure, Setting, User

_HASHER = PasswordHasher()
# A hash to verify against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("not a password anyone has")

MAX_FAILURES = 5  # per user name, and per address, within the window
FAILURE_WINDOW = timedelta(minutes=15)
MIN_PASSWORD = 8


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def too_many_failures(db: Session, name: str, address: str, now: datetime | None = None) -> bool:
    since = (now or datetime.now(timezone.utc)) - FAILURE_WINDOW
    by_name = db.scalar(select(func.count()).where(LoginFailure.name == name, LoginFailure.at >= since))
    by_address = db.scalar(select(func.count()).where(LoginFailure.address == address, LoginFailure.at >= since))
    return by_name >= MAX_FAILURES or by_address >= MAX_FAILURES * 4


def authenticate(db: Session, name: str, password: str, address: str) -> tuple[User | None, str]:
    """(the user, "") on success, else (None, the reason to show). Failures are recorded."""
    if too_many_failures(db, name, address):
        return None, "too many failed sign-ins: wait 15 minutes and try again"
    user = db.scalar(select(User).where(User.name == name))
    ok = password_matches(user.password_hash if user else _DUMMY_HASH, password) and user is not None
    if not ok or not user.active:
        db.add(LoginFailure(name=name[:100], address=address[:64]))
        db.commit()
        return None, "the name or password is wrong"
    db.execute(delete(LoginFailure).where(or_(LoginFailure.name == name)))
    db.commit()
    return user, ""


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_ok(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(expected, given)


def session_secret(db: Session) -> str:
    """The key that signs session cookies: made once, kept in the database, so restarts keep sessions."""
    setting = db.get(Setting, "session_secret")
    if setting is None:
        setting = Setting(key="session_secret", value=secrets.token_urlsafe(48))
        db.add(setting)
        db.commit()
    return setting.value


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_api_token(db: Session, user: User, name: str) -> str:
    """A new token for ``user``; the clear text is shown once and never stored."""
    token = "slg_" + secrets.token_urlsafe(32)
    db.add(ApiToken(user_id=user.id, name=name[:100], token_sha256=_digest(token)))
    db.commit()
    return token


def user_for_token(db: Session, token: str) -> User | None:
    row = db.scalar(select(ApiToken).where(ApiToken.token_sha256 == _digest(token)))
    if row is None:
        return None
    user = db.get(User, row.user_id)
    return user if user is not None and user.active else None
