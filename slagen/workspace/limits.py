"""Limits enforced before any work: who is asking, and how many bytes they may send.

An ASGI middleware in front of every route, so nothing (FastAPI's JSON parsing, Starlette's
multipart parser, which spools files to the temporary folder) sees a body before:

* **authentication**: a request that changes something must come with a session (the signed
  cookie naming a session id) or an API token that the database knows. Anyone else is refused
  with 401 before one byte of the body is read; only the sign-in form takes anonymous bodies,
  and those are tiny.
* **CSRF**: a cookie-authenticated request that sends the X-CSRF-Token header has it compared
  now (a form's hidden field is compared later, by access.csrf_guard, within the body's limit).
* **size**: each route has a byte budget (a contract, a batch of contracts, two ticket exports
  for a report or a monthly run, a sign-in form). A Content-Length beyond it is refused at once; a body without one (chunked)
  is counted as it arrives and refused the moment it passes the budget.

Refusals are JSON for the API and scripts and a short page for browsers.
"""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException

from slagen.workspace.access import MAX_CONTRACT_BYTES, MAX_EXPORT_BYTES

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
SIGN_IN_BYTES = 16_000
DEFAULT_BYTES = 4 * MAX_CONTRACT_BYTES + 64_000  # one contract's text, JSON-escaped, with a message
IMPORT_BYTES = 20 * MAX_CONTRACT_BYTES           # a batch of contract files from the register page
REPORT_BYTES = 2 * MAX_EXPORT_BYTES + 1_000_000  # a ticket export and an outage export

_BUDGETS = (
    (re.compile(r"^/login$"), SIGN_IN_BYTES),
    (re.compile(r"^/logout$"), SIGN_IN_BYTES),
    (re.compile(r"^/contracts/import$"), IMPORT_BYTES),
    (re.compile(r"^(/api)?/contracts/\d{1,18}/(report|reports|report-jobs)$"), REPORT_BYTES),
    (re.compile(r"^(/monthly-run|/api/portfolio-jobs)$"), REPORT_BYTES),  # every customer's tickets in one export
)
_ANONYMOUS_ALLOWED = {"/login", "/logout"}
# Ids, versions, days and pages are numbers a database stores in 64 bits: 19 digits or more is no such number.
_LONG_NUMBER = re.compile(r"(^|/)[+-]?\d{19,}(/|\.|$)")
_LONG_NUMBER_PARAMETER = re.compile(rb"(^|&)(version|old|new|due|p|offset|limit|base_version)=[+-]?\d{19,}(&|$)")


def budget_for(path: str) -> int:
    for pattern, limit in _BUDGETS:
        if pattern.match(path):
            return limit
    return DEFAULT_BYTES


class BodyTooLarge(HTTPException):
    """Raised from the counting receive: FastAPI passes HTTPExceptions through its body parsing."""

    def __init__(self, limit: int):
        super().__init__(413, f"the request is larger than {limit // 1_000_000 or 1} MB, the most this address "
                              "accepts; nothing was stored")


def _refusal(scope, status: int, message: str, headers: dict | None = None):
    from starlette.responses import HTMLResponse, JSONResponse

    wants_json = scope["path"].startswith("/api") or any(
        k == b"authorization" or (k == b"accept" and b"json" in v) for k, v in scope.get("headers", []))
    extra = {"Connection": "close", **(headers or {})}
    if wants_json:
        return JSONResponse({"error": message}, status, headers=extra)
    from html import escape

    return HTMLResponse(f"<!doctype html><title>Refused</title><p>{escape(message)}</p>", status, headers=extra)


class RequestLimits:
    """The middleware. It sits inside the session middleware, so the signed cookie is decoded."""

    def __init__(self, app, sessions):
        self.app, self.sessions = app, sessions

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _LONG_NUMBER.search(scope["path"]) or _LONG_NUMBER_PARAMETER.search(scope.get("query_string", b"")):
            from slagen.workspace.refusals import OUT_OF_RANGE

            await _refusal(scope, 422, OUT_OF_RANGE)(scope, receive, send)
            return
        if scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        limit = budget_for(path)
        headers = dict(scope.get("headers", []))
        problem = await self._who(scope, headers, path)
        if problem is not None:
            await _refusal(scope, *problem)(scope, receive, send)
            return
        length = headers.get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = -1
            if declared < 0:
                await _refusal(scope, 400, "the request's Content-Length is not a number")(scope, receive, send)
                return
            if declared > limit:
                await _refusal(scope, 413, BodyTooLarge(limit).detail)(scope, receive, send)
                return
        received = 0
        started = False

        async def counting_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watching_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge as exc:
            if started:
                raise
            await _refusal(scope, 413, exc.detail)(scope, receive, send)

    async def _who(self, scope, headers: dict, path: str):
        """None when the request may send its body; else (status, message[, headers])."""
        from starlette.concurrency import run_in_threadpool

        authorization = headers.get(b"authorization", b"").decode("latin-1")
        if authorization:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return 401, "send the API token as 'Authorization: Bearer <token>'", {"WWW-Authenticate": "Bearer"}
            problem, user_id = await run_in_threadpool(self._token_problem, token.strip())
            if problem:
                return 401, problem, {"WWW-Authenticate": "Bearer"}
            # The route's role check (access.identify) takes the user from here rather than
            # looking the token up a second time (one thread hop and three queries fewer a request).
            scope.setdefault("state", {})["verified_token"] = (token.strip(), user_id)
            return None
        if path in _ANONYMOUS_ALLOWED:
            return None
        session = scope.get("session") or {}
        if not isinstance(session.get("sid"), str):
            return 401, "sign in first: this request changes something, and nobody is signed in"
        given = headers.get(b"x-csrf-token")
        if given is not None:
            from slagen.workspace.auth import csrf_ok

            if not csrf_ok(session.get("csrf"), given.decode("latin-1")):
                return 403, ("the form has expired or did not come from this workspace (wrong CSRF token): "
                             "reload the page and try again")
        return None

    def _token_problem(self, token: str) -> tuple[str, int | None]:
        """('', its user's id) for a token that may be used now, else (why not, None): the same
        words the routes use."""
        from slagen.workspace import api_tokens

        with self.sessions() as db:
            user, problem = api_tokens.user_for_token(db, token)
            return problem, (user.id if user is not None else None)
