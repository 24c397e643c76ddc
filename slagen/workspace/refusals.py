"""Odd input answered with a sentence, never HTTP 500.

The routes check what they are given, but some values only fail deep inside a driver: a 25-digit
number that SQLite cannot store (OverflowError) or PostgreSQL refuses (out of range), a lone
surrogate that cannot be encoded as UTF-8, a NUL byte PostgreSQL does not accept in text. Each
becomes a 422 with a plain message, and the database's own trouble (the connection pool
exhausted, a lock held too long) a 503 with Retry-After: the request may simply be tried again.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request

from slagen.workspace.store import WorkspaceError

log = logging.getLogger("slagen.workspace")

OUT_OF_RANGE = "a number in the request is too large; ids, versions and days are at most 18 digits"
NOT_TEXT = "the request holds characters that are not text (a NUL byte or a broken character); remove them"
BUSY = "the workspace is busy; try again in a few seconds"


class Busy(WorkspaceError):
    status = 503
    retry_after = 5


def _cause(exc: BaseException) -> BaseException:
    return getattr(exc, "orig", None) or exc.__cause__ or exc


def add_refusal_handlers(app: FastAPI, refused) -> None:
    """``refused(request, WorkspaceError)`` is the application's own answer (JSON or page)."""
    from sqlalchemy import exc as sa

    @app.exception_handler(OverflowError)
    async def _overflow(request: Request, exc: OverflowError):
        return await refused(request, WorkspaceError(OUT_OF_RANGE, 422))

    @app.exception_handler(UnicodeError)
    async def _not_text(request: Request, exc: UnicodeError):
        return await refused(request, WorkspaceError(NOT_TEXT, 422))

    @app.exception_handler(sa.TimeoutError)
    async def _pool_exhausted(request: Request, exc: sa.TimeoutError):
        log.warning("no database connection was free in time: %s", exc)
        return await refused(request, Busy(BUSY))

    @app.exception_handler(sa.StatementError)
    async def _statement(request: Request, exc: sa.StatementError):
        cause = _cause(exc)
        if isinstance(cause, OverflowError) or "out of range" in str(cause):
            return await refused(request, WorkspaceError(OUT_OF_RANGE, 422))
        if isinstance(cause, (UnicodeError, ValueError)) or "NUL" in str(cause) or "0x00" in str(cause):
            return await refused(request, WorkspaceError(NOT_TEXT, 422))
        if isinstance(exc, sa.OperationalError):  # "database is locked", a dropped connection
            log.warning("database trouble answered 503: %s", cause)
            return await refused(request, Busy(BUSY))
        raise exc
