"""Who is asking and whether they may: the request's actor, the role check every route declares
(``need("edit")``), its database session, and the CSRF guard and token.

Its own module so that the application factory (:mod:`slagen.workspace.app`) and the routes
(``pages``, ``api``, ``documents``) all import it and it imports none of them.
Requests that change something and come with the session cookie must carry the session's CSRF
token (a hidden form field, or the X-CSRF-Token header from scripts); requests with an API token
(``Authorization: Bearer ...``) carry no cookie authority, so they need none.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from slagen.workspace import auth
from slagen.workspace.models import User
from slagen.workspace.roles import ROLE_NAMES, allowed
from slagen.workspace.store import WorkspaceError
from slagen.source.words import article

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
MAX_CONTRACT_BYTES = 1_000_000  # a contract is a few kilobytes; a megabyte is certainly a mistake
MAX_EXPORT_BYTES = 50_000_000  # a ticket export: a million tickets is about 80 MB; a month is far less


@dataclass(frozen=True)
class Actor:
    """Who is making the request: a plain copy of the user row, safe to use after any rollback."""

    id: int
    name: str
    role: str


class NotSignedIn(Exception):
    """No usable session or token; ``reason`` says why when a token was refused."""

    def __init__(self, reason: str = ""):
        super().__init__(reason)
        self.reason = reason


class Forbidden(WorkspaceError):
    status = 403


def get_db(request: Request):
    db: Session = request.app.state.sessions()
    try:
        yield db
    finally:
        db.close()


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def identify(request: Request, db: Session) -> User | None:
    """The user behind the request's API token or session cookie, or None. Records on
    request.state which session it was (for "sign out everywhere else") or why a token failed."""
    from slagen.workspace import api_tokens, web_sessions

    request.state.session_row = None
    token = _bearer(request)
    if token is not None or request.headers.get("authorization"):
        if not token:
            request.state.token_problem = "send the API token as 'Authorization: Bearer <token>'"
            return None
        verified = getattr(request.state, "verified_token", None)  # by RequestLimits, for this request
        if verified is not None and verified[0] == token:
            user = db.get(User, verified[1])
            if user is not None and user.active:
                return user
        user, request.state.token_problem = api_tokens.user_for_token(db, token)
        return user
    session_id = request.session.get("sid")
    row = web_sessions.current(db, session_id) if isinstance(session_id, str) else None
    if row is None:
        request.session.pop("sid", None)  # ended on the server: let the browser forget it too
        return None
    user = db.get(User, row.user_id)
    if user is None or not user.active:
        return None
    request.state.session_row = row.id
    return user


def need(permission: str):
    """A dependency: the signed-in user, if their role has ``permission``; 401 or 403 otherwise."""
    def dependency(request: Request, db: Session = Depends(get_db)) -> Actor:
        user = identify(request, db)
        if user is None:
            raise NotSignedIn(getattr(request.state, "token_problem", ""))
        actor = Actor(user.id, user.name, user.role)
        request.state.user = actor
        # Read now, with the user row already at hand: the page's templates show times in it
        # (time_zones.py) and must not open a second database connection while this one is held.
        request.state.profile_zone = user.timezone
        if not allowed(user.role, permission):
            from slagen.workspace.store import audit

            audit(db, user, "denied", detail=f"{request.method} {request.url.path} needs '{permission}'")
            db.commit()
            raise Forbidden(f"{article(ROLE_NAMES[user.role])} may not do this ({permission.replace('_', ' ')})")
        return actor
    return Depends(dependency)


async def csrf_guard(request: Request) -> None:
    """Refuse a state-changing request made with the session cookie but without its CSRF token."""
    if request.method in SAFE_METHODS or request.headers.get("authorization"):
        return
    given = request.headers.get("x-csrf-token")
    if given is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form(max_part_size=MAX_CONTRACT_BYTES * 2)
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else None
    if not auth.csrf_ok(request.session.get("csrf"), given):
        raise Forbidden("the form has expired or did not come from this workspace (missing CSRF token): "
                        "reload the page and try again")


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = auth.new_csrf_token()
    return token
