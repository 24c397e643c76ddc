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
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from slagen.workspace.models import Setting, User

_HASHER = PasswordHasher()
# A hash to verify against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("not a password anyone has")

MIN_PASSWORD = 10
_VERIFYING = threading.BoundedSemaphore(1)  # one Argon2 check at a time: each takes a core and 64 MB for a quarter second


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    """Called from worker threads, never the event loop; one check runs at a time, so a
    crowd of guessers queues behind each other instead of taking every core."""
    with _VERIFYING:
        try:
            return _HASHER.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def password_problem(password: str, name: str = "") -> str | None:
    """Why a new password is refused, or None. Short passwords, and common ones: zxcvbn's
    estimate, which knows 30,000 passwords from public breaches, English words, names, dates
    and keyboard runs ("12345678", "password1", "qwertyuiop"), and the person's own name."""
    if len(password) < MIN_PASSWORD:
        return f"the password is too short: use at least {MIN_PASSWORD} characters"
    from zxcvbn import zxcvbn

    # The estimate's cost grows with length; a passphrase's first 64 characters say enough.
    if zxcvbn(password[:64], user_inputs=[name] if name else [])["score"] < 2:
        return ("the password is too common or too easy to guess (a well-known password, a word, a name or "
                "a keyboard run); a few unrelated words make a strong one")
    return None


def authenticate(db: Session, name: str, password: str, address: str) -> tuple[User | None, str, float]:
    """(the user, "", 0) on success, else (None, the reason to show, seconds to wait before trying
    again, 0 when the password was simply wrong). Run in a worker thread: Argon2 takes half a
    second. Throttling (throttle.py) refuses a guesser before any password is checked."""
    from slagen.workspace import throttle

    verdict = throttle.verdict(db, name, address)
    if verdict.refused:
        db.rollback()
        return None, (f"too many failed sign-ins from this address: wait {throttle.wait_words(verdict.wait)} "
                      "and try again"), verdict.wait
    if verdict.slowdown:  # the name is being guessed at from elsewhere: slow every attempt on it a little
        import time

        time.sleep(verdict.slowdown)
    user = db.scalar(select(User).where(User.name == name))
    ok = password_matches(user.password_hash if user else _DUMMY_HASH, password) and user is not None
    if not ok or not user.active:
        throttle.record_failure(db, name, address)
        db.commit()
        return None, "the name or password is wrong", 0.0
    throttle.record_success(db, name, address)
    db.commit()
    return user, "", 0.0


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
