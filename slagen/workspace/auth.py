"""Passwords, CSRF tokens, the login rate limit and the key that signs session cookies.

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106's second recommended set).
The session cookie is signed (Starlette's SessionMiddleware, itsdangerous), HttpOnly and
SameSite=Lax, and holds only a session id (see web_sessions.py) and the CSRF token; the user is
read from the database on every request, so a deactivated user or a changed role takes effect at
once. API tokens are in api_tokens.py.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from slagen.workspace.models import LoginFailure, Setting, User

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
