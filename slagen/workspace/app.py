"""The ASGI application: one FastAPI app with server-rendered pages and a JSON API under /api.

Every route declares the permission it needs (``need("edit")``, :mod:`slagen.workspace.access`);
the check runs on the server for pages and API alike, and so does the CSRF guard.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import sessionmaker

from slagen.workspace import auth
from slagen.workspace.access import NotSignedIn, csrf_guard
from slagen.workspace.store import Conflict, WorkspaceError

HERE = Path(__file__).resolve().parent
EDITOR_SECONDS = 30.0  # one check of a text in the editor's worker; the 1 MB limit checks in well under that


@dataclass
class Settings:
    database_url: str
    secure_cookies: bool = False  # set behind HTTPS, so the cookie is never sent in clear
    render_workers: int | None = None
    durable_jobs: bool = False  # on PostgreSQL: render and redline jobs in the queue `slagen worker` runs
    job_memory_bytes: int | None = None  # a worker's address-space limit (jobs.MEMORY_LIMIT when None)
    job_seconds: float | None = None  # one job's time limit (jobs.TIME_LIMIT when None)
    editor_worker: bool = False  # the editor's diagnostics in a worker process of their own (`slagen serve`)
    refusal_pause: float = 1.0  # seconds a refused sign-in waits before its answer (pages.login)
    extra: dict = field(default_factory=dict)


def create_app(settings: Settings, *, upgrade: bool = True) -> FastAPI:
    from starlette.middleware.sessions import SessionMiddleware
    from starlette.staticfiles import StaticFiles

    from slagen import __version__
    from slagen.workspace import api, markup, pages, web_sessions
    from slagen.workspace.database import make_engine, session_factory
    from slagen.workspace.database import upgrade as apply_migrations
    from slagen.workspace import jobs as job_pool
    from slagen.workspace.headers import SecurityHeaders
    from slagen.workspace.engine import EditorLane
    from slagen.workspace.job_board import JobBoard
    from slagen.workspace.limits import RequestLimits
    from slagen.workspace.uploads import UploadFolder

    engine = make_engine(settings.database_url)
    if upgrade:
        apply_migrations(engine)
    sessions: sessionmaker = session_factory(engine)
    with sessions() as db:
        secret = auth.session_secret(db)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if settings.editor_worker:  # started in the background: the server answers meanwhile
            starting = asyncio.create_task(app.state.editor.start())
        yield
        if settings.editor_worker:
            starting.cancel()
        app.state.editor.pool.close()
        if hasattr(app.state.render_jobs, "fallback"):  # the durable board: its queue connection
            app.state.render_jobs.close()
        app.state.jobs.close()
        app.state.staged_uploads.close()  # report exports kept between posts of the form
        app.state.uploads.remove()  # exports of report jobs that never ran go with the server
        engine.dispose()

    app = FastAPI(title="slagen workspace", lifespan=lifespan, version=__version__, dependencies=[Depends(csrf_guard)],
                  description="Draft, check, review and approve service level agreements. Authenticate with "
                              "`Authorization: Bearer <token>` (create tokens on the Tokens page).",
                  # No Swagger UI: FastAPI's loads its script from a CDN onto the workspace's origin.
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.settings, app.state.engine, app.state.sessions = settings, engine, sessions
    app.state.jobs = job_pool.JobPool(settings.render_workers,
                                      memory_limit=settings.job_memory_bytes or job_pool.MEMORY_LIMIT,
                                      time_limit=settings.job_seconds or job_pool.TIME_LIMIT)
    app.state.render_jobs = JobBoard(app.state.jobs)  # documents one can watch render (documents.py)
    app.state.editor = EditorLane(job_pool.JobPool(1, niceness=0, time_limit=EDITOR_SECONDS, max_waiting=10,
                                                   per_person=10,
                                                   memory_limit=settings.job_memory_bytes or job_pool.MEMORY_LIMIT))
    if settings.durable_jobs and settings.database_url.startswith("postgresql"):  # jobs that outlive the server
        from slagen.workspace.queue import DurableBoard, prepare

        prepare(engine, settings.database_url)
        app.state.render_jobs = DurableBoard(settings.database_url, engine, app.state.render_jobs)
    app.state.uploads = UploadFolder.for_this_server()  # and those a stopped server left behind are removed
    # Inside the session middleware (added after it, so it runs later): the cookie is decoded by then.
    app.add_middleware(RequestLimits, sessions=sessions)
    # The cookie lives as long as the longest session; the server ends sessions earlier (web_sessions.py).
    app.add_middleware(SessionMiddleware, secret_key=secret, session_cookie="slagen_session", same_site="lax",
                       https_only=settings.secure_cookies, max_age=int(web_sessions.LIFETIME.total_seconds()))
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    from slagen.workspace import monthly_run, register_exports, report_page, signatures, time_zones
    from slagen.workspace.staged_uploads import StagedUploads

    app.state.staged_uploads = StagedUploads()
    app.include_router(api.router)
    for team in (report_page, signatures):  # the report form, "Mark signed": pages and API
        app.include_router(team.api_router)
        app.include_router(team.router)
    app.include_router(register_exports.router)
    app.include_router(monthly_run.router)  # the monthly run's pages (its API is /api/portfolio-jobs)
    time_zones.install(pages.templates().env)  # when(moment), zone_label(): times in each person's zone
    app.include_router(pages.router)
    app.include_router(markup.router)  # the customer's mark-up (slagen.negotiate)

    @app.exception_handler(NotSignedIn)
    async def _not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        # A caller that sent a token is a program: it gets the reason as JSON on any path.
        if request.url.path.startswith("/api") or request.headers.get("authorization"):
            message = exc.reason or "sign in, or send an API token as 'Authorization: Bearer <token>'"
            return JSONResponse({"error": message}, 401, headers={"WWW-Authenticate": "Bearer"})
        return RedirectResponse(f"/login?next={request.url.path}", 303)

    @app.exception_handler(WorkspaceError)
    async def _refused(request: Request, exc: WorkspaceError) -> Response:
        if request.url.path.startswith("/api") or request.headers.get("accept") == "application/json":
            body = {"error": exc.message}
            if isinstance(exc, Conflict) and exc.latest is not None:
                body["latest"] = {"number": exc.latest.number, "author": exc.latest.author, "text": exc.latest.text}
                body["yours"] = exc.mine
            response = JSONResponse(body, exc.status)
        else:
            response = pages.error_page(request, exc)
        if getattr(exc, "retry_after", None):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    from slagen.workspace.refusals import add_refusal_handlers

    add_refusal_handlers(app, _refused)

    return app
