"""Durable jobs on PostgreSQL: render and redline jobs in a Procrastinate queue, run by `slagen worker`.

On SQLite (one machine, one process) the workspace keeps its in-process pool (``jobs.py``,
``job_board.py``): a restart forgets the jobs, which is fine for one person's workspace. On
PostgreSQL the workspace is a team's, and its jobs must outlive the processes that handle them:

* ``DurableBoard`` stands where ``JobBoard`` stands and answers the same calls (``start``,
  ``get``, ``snapshot``, ``file``). A job is a row of ``slagen_jobs`` (what was asked, the
  engine function and its arguments, state, the step under way and every step so far, the
  file) plus a Procrastinate job naming that row. Reading a job reads its row, so any server
  process, restarted or not, shows the same state, steps and file.
* ``slagen worker`` (``cli/worker.py``) runs Procrastinate's worker on the queue ``slagen``:
  it takes a job, marks the row running, calls the engine function with a ``progress`` that
  writes each step to the row, and stores the file. Workers can run on any machine that reaches
  the database (and has the same library); each takes one job at a time, so N workers render N
  documents at once.
* A worker that dies mid-job (killed, its machine lost) stops sending Procrastinate's
  heartbeat; any worker finds its jobs stalled after ``stalled_after`` seconds and puts them
  back in the queue, and the next worker renders the job again from the start (a render has no
  side effect but its file, so it runs to completion once; the row's ``attempts`` says how
  many times it was started).

A report job's uploaded exports are kept in its row (base64 in the arguments), so any worker
can make the report; other jobs (reviews, previews run inline) stay in the server's own pool,
bounded together with the queue's rows (``JobPool.elsewhere``): ``max_waiting`` jobs in all and
``per_person`` of one person's, whether they wait here or in the queue.

The table is created beside Procrastinate's own schema by ``prepare`` (on ``serve`` and on
``worker`` start, both idempotent), not by the Alembic chain the SQLite workspace shares: it
exists only where the queue does.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import secrets
import threading
from datetime import datetime, timedelta, timezone

from sqlalchemy import JSON, Column, Engine, Integer, LargeBinary, MetaData, String, Table, Text, insert, select, update

from slagen.workspace.job_board import DONE, FAILED, QUEUED, RUNNING, UNEXPECTED, Job
from slagen.workspace.store import NotFound, WorkspaceError

log = logging.getLogger("slagen.workspace.queue")

QUEUE = "slagen"
TASK = "slagen.run_job"
# The engine functions whose arguments are all text: a worker on another machine needs nothing else.
DURABLE = {"slagen.workspace.engine:job_render", "slagen.workspace.engine:job_redline",
           "slagen.workspace.portfolio_run:job_portfolio"}  # its exports travel in its arguments
# A report job's exports were uploaded into a folder on the server: their bytes go into the row
# instead (the upload limits already bound them), and a worker writes them into a folder of its own.
REPORT = "slagen.workspace.engine:job_report_upload"
STORED_REPORT = "slagen.workspace.queue:job_report_stored"

metadata = MetaData()
jobs_table = Table(
    "slagen_jobs", metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("permission", String(40), nullable=False),
    Column("contract_id", Integer, nullable=False),
    Column("details", JSON, nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("dedupe", String(64), nullable=True, index=True),  # what was asked, for sharing while unfinished
    Column("function", String(200), nullable=False),
    Column("args", JSON, nullable=False),
    Column("rename", JSON, nullable=False),  # [engine's file ending, the download's ending]
    Column("state", String(10), nullable=False),
    Column("step", Text, nullable=False),
    Column("step_number", Integer, nullable=False, default=0),
    Column("steps_total", Integer, nullable=False, default=0),
    Column("steps", JSON, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("created_at", String(40), nullable=False),
    Column("started_at", String(40)),
    Column("finished_at", String(40)),
    Column("error", Text),
    Column("warnings", JSON, nullable=False),
    Column("file_name", String(300)),
    Column("data", LargeBinary),
    Column("owner", String(64), nullable=True, index=True),  # who asked: their share of the queue is bounded
)


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql", "postgres"))


def conninfo(url: str) -> str:
    """The libpq address Procrastinate's psycopg connector takes, from the workspace's SQLAlchemy URL."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def procrastinate_app(url: str):
    """The Procrastinate app on the workspace's database, with the one task it runs."""
    import procrastinate

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(url)))
    app.task(name=TASK, queue=QUEUE, retry=2)(_run_job)  # a fault of the database, not of the engine: retried
    return app


def prepare(engine: Engine, url: str) -> None:
    """Create the jobs table and Procrastinate's schema when they are missing (safe to repeat)."""
    from sqlalchemy import inspect

    import psycopg

    metadata.create_all(engine)
    with engine.begin() as db:  # a table made by an older slagen: the owner column came later
        db.exec_driver_sql("ALTER TABLE slagen_jobs ADD COLUMN IF NOT EXISTS owner VARCHAR(64)")
        db.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_slagen_jobs_owner ON slagen_jobs (owner)")
    if "procrastinate_jobs" in inspect(engine).get_table_names():
        return
    # Procrastinate's schema is its own SQL, many statements at once: psycopg runs them as one script
    # when no parameter is passed. The server and a worker may start together: one applies it.
    with psycopg.connect(conninfo(url), autocommit=False) as connection:
        connection.execute("SELECT pg_advisory_xact_lock(260026)")
        if connection.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()[0] is None:
            connection.execute(procrastinate_app(url).schema_manager.get_schema())
        connection.commit()


# --------------------------------------------------------------------------------------------
# The server side


def _job_from(row) -> Job:
    job = Job(kind=row.kind, permission=row.permission, contract_id=row.contract_id, details=dict(row.details),
              content_type=row.content_type, id=row.id)
    _refresh(job, row)
    return job


def _refresh(job: Job, row) -> None:
    job.state, job.step = row.state, row.step
    job.step_number, job.steps_total, job.steps = row.step_number, row.steps_total, list(row.steps)
    job.created_at, job.started_at, job.finished_at = row.created_at, row.started_at, row.finished_at
    job.error, job.warnings = row.error, list(row.warnings)
    job.file_name, job.data = row.file_name, row.data


class DurableBoard:
    """``JobBoard``'s interface over the ``slagen_jobs`` table and the Procrastinate queue."""

    def __init__(self, url: str, engine: Engine, fallback, *, poll_seconds: float = 0.5,
                 keep_seconds: float = 15 * 60):
        self.url, self.engine, self.fallback = url, engine, fallback
        self.poll_seconds = poll_seconds
        self.keep_seconds = keep_seconds  # as the in-memory board: a finished job and its file, then gone
        self._app = None
        self._lock = threading.Lock()
        self._watched: dict[str, Job] = {}  # jobs handed out whose ``finished`` someone may wait on
        self._stop = threading.Event()
        self._poller: threading.Thread | None = None
        self._fallback_ids: set[str] = set()
        # The work the server runs itself (reviews, previews, reading uploads: ``JobPool.run``, and
        # the jobs that stay in its pool) is bounded together with the queue's rows.
        fallback.pool.elsewhere = self._waiting_counts

    def _queue(self):
        with self._lock:
            if self._app is None:
                self._app = procrastinate_app(self.url)
                self._app.open()
            return self._app

    def start(self, key, job: Job, function, args: tuple, name_file=lambda name: name,
              owner=None) -> tuple[Job, bool]:
        # The pool's bounds hold over the durable queue's rows (whichever server queued them) and
        # this server's pool together: ``max_waiting`` jobs queued or running in all, and
        # ``owner``'s (a user id) at most ``per_person`` of them. A job for the pool is counted
        # there (JobPool.elsewhere adds the rows).
        path = f"{function.__module__}:{function.__qualname__}"
        if path == REPORT:
            path, args = STORED_REPORT, _stored_uploads(*args)
        elif path not in DURABLE:
            started, shared = self.fallback.start(key, job, function, args, name_file, owner=owner)
            self._fallback_ids.add(started.id)
            return started, shared
        dedupe = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()
        with self.engine.begin() as db:
            # One lock for every server: two identical requests make one job, and two requests of
            # one person cannot both pass the count below.
            db.exec_driver_sql("SELECT pg_advisory_xact_lock(260027)")
            expired = (datetime.now(timezone.utc) - timedelta(seconds=self.keep_seconds)).isoformat(timespec="seconds")
            db.execute(jobs_table.delete().where(jobs_table.c.state.in_((DONE, FAILED)),
                                                 jobs_table.c.finished_at < expired))  # same ISO form: text order
            row = db.execute(select(jobs_table).where(jobs_table.c.dedupe == dedupe,
                                                      jobs_table.c.state.in_((QUEUED, RUNNING)))).first()
            if row is not None:
                return self._watch(_job_from(row)), True  # the same job again: no new share used
            everyone, owners = self._waiting_counts(owner, db)
            pool = self.fallback.pool
            if everyone + pool.waiting() >= pool.max_waiting:
                raise pool.too_busy()
            if owner is not None and owners + pool.under_way(owner) >= pool.per_person:
                raise pool.too_many()
            job.id = secrets.token_urlsafe(16)
            db.execute(insert(jobs_table).values(
                id=job.id, kind=job.kind, permission=job.permission, contract_id=job.contract_id,
                details=job.details, content_type=job.content_type, dedupe=dedupe, function=path, args=list(args),
                rename=_renaming(job, name_file), state=QUEUED, step=job.step, step_number=0, steps_total=0,
                steps=[], attempts=0, created_at=job.created_at, warnings=[],
                owner=None if owner is None else str(owner)))
        try:
            self._queue().configure_task(TASK).defer(job_id=job.id)
        except Exception:  # the queue cannot be reached: the job fails plainly, the log keeps why
            log.exception("could not queue job %s", job.id)
            with self.engine.begin() as db:
                db.execute(update(jobs_table).where(jobs_table.c.id == job.id).values(
                    state=FAILED, error=UNEXPECTED, finished_at=_now()))
        return self._watch(self._load(job.id)), False

    def _waiting_counts(self, owner=None, db=None) -> tuple[int, int]:
        """(everyone's jobs, ``owner``'s jobs) queued or running in the durable queue, one query."""
        from sqlalchemy import case, func

        mine = jobs_table.c.owner == ("" if owner is None else str(owner))
        query = select(func.count(), func.coalesce(func.sum(case((mine, 1), else_=0)), 0)).select_from(
            jobs_table).where(jobs_table.c.state.in_((QUEUED, RUNNING)))
        if db is not None:
            everyone, owners = db.execute(query).one()
        else:
            with self.engine.connect() as connection:
                everyone, owners = connection.execute(query).one()
        return int(everyone), int(owners) if owner is not None else 0

    def _load(self, job_id: str) -> Job:
        with self.engine.connect() as db:
            row = db.execute(select(jobs_table).where(jobs_table.c.id == job_id)).first()
        if row is None:
            raise NotFound("there is no such render job. Start it again from the contract page")
        return _job_from(row)

    def _watch(self, job: Job) -> Job:
        if job.over:
            job.finished.set_result(job)
            return job
        with self._lock:
            self._watched[job.id] = job
            if self._poller is None:
                self._poller = threading.Thread(target=self._poll, name="slagen-durable-jobs", daemon=True)
                self._poller.start()
        return job

    def _poll(self) -> None:
        """Resolve ``finished`` of the jobs someone holds, as their rows finish (any worker, anywhere)."""
        while not self._stop.wait(self.poll_seconds):
            with self._lock:
                ids = list(self._watched)
            if not ids:
                continue
            try:
                with self.engine.connect() as db:
                    rows = db.execute(select(jobs_table).where(jobs_table.c.id.in_(ids),
                                                               jobs_table.c.state.in_((DONE, FAILED)))).all()
            except Exception:  # the database is away for a moment: ask again at the next tick
                log.exception("could not read the job table")
                continue
            for row in rows:
                with self._lock:
                    job = self._watched.pop(row.id, None)
                if job is not None:
                    _refresh(job, row)
                    job.finished.set_result(job)

    def finished(self, key) -> Job | None:
        """The newest job that made what ``key`` asks for and is still kept, in this server's own
        board or in the durable queue (found by the same hash of the request that shares jobs)."""
        kept = self.fallback.finished(key)
        if kept is not None:
            return kept
        dedupe = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()
        expired = (datetime.now(timezone.utc) - timedelta(seconds=self.keep_seconds)).isoformat(timespec="seconds")
        with self.engine.connect() as db:
            row = db.execute(select(jobs_table.c.id).where(jobs_table.c.dedupe == dedupe, jobs_table.c.state == DONE,
                                                           jobs_table.c.finished_at >= expired)
                             .order_by(jobs_table.c.finished_at.desc()).limit(1)).first()
        return self.get(row.id) if row is not None else None

    def get(self, job_id: str) -> Job:
        if job_id in self._fallback_ids:
            return self.fallback.get(job_id)
        with self._lock:
            held = self._watched.get(job_id)
        if held is not None:
            return held
        return self._watch(self._load(job_id))

    def snapshot(self, job: Job) -> dict:
        if job.id in self._fallback_ids:
            return self.fallback.snapshot(job)
        with self.engine.connect() as db:
            row = db.execute(select(jobs_table).where(jobs_table.c.id == job.id)).first()
        if row is not None:
            _refresh(job, row)
        return job.as_json()

    def file(self, job: Job) -> tuple[str, bytes]:
        if job.id in self._fallback_ids:
            return self.fallback.file(job)
        self.snapshot(job)
        if job.state != DONE:
            raise WorkspaceError(f"the job is {job.state}: there is no file yet" if not job.over else
                                 f"the job failed, so there is no file: {job.error}", 409)
        return job.file_name, job.data

    def close(self) -> None:
        self._stop.set()
        if self._app is not None:
            self._app.close()
            self._app = None


def _renaming(job: Job, name_file) -> list[str]:
    """What ``name_file`` does to the engine's file name, kept as data so that any worker applies it
    (the engine names files '<reference>-<word>.<format>'; the board's caller changes the ending)."""
    word = "redline" if job.kind == "redline" else job.details.get("document", job.kind)
    ending = f"-{word}.{job.details.get('format', '')}"
    return [ending, name_file("\0" + ending)[1:]]


def _stored_uploads(folder: str, text: str, tickets: str, outages: str | None, *rest) -> tuple:
    """``job_report_upload``'s arguments with the uploaded files' bytes in place of the server's folder."""
    import base64
    import os
    import shutil

    try:
        files = {os.path.basename(path): base64.b64encode(open(path, "rb").read()).decode("ascii")
                 for path in (tickets, outages) if path}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    import dataclasses

    plain = tuple(dataclasses.asdict(v) if dataclasses.is_dataclass(v) else v for v in rest)  # stored as JSON
    return (files, text, os.path.basename(tickets), os.path.basename(outages) if outages else None, *plain)


def job_report_stored(files: dict, text: str, tickets: str, outages: str | None, period: str, preset: str | None,
                      fmt: str, progress=lambda step, k, n: None) -> tuple[bool, object]:
    """In a worker: the uploads written into a folder of its own, then the report job as the server runs it."""
    import base64
    import os
    import tempfile

    from slagen.workspace.engine import job_report_upload

    folder = tempfile.mkdtemp(prefix="slagen-report-")
    for name, data in files.items():
        with open(os.path.join(folder, os.path.basename(name)), "wb") as handle:
            handle.write(base64.b64decode(data))
    return job_report_upload(folder, text, os.path.join(folder, tickets),
                             os.path.join(folder, outages) if outages else None, period, preset, fmt,
                             progress=progress)


# --------------------------------------------------------------------------------------------
# The worker side

_worker_engine: Engine | None = None


def use_database(url: str) -> None:
    """Where ``_run_job`` reads and writes its rows (set by ``slagen worker``)."""
    global _worker_engine
    from slagen.workspace.database import make_engine

    _worker_engine = make_engine(url)


def _run_job(job_id: str) -> None:
    """One job, in a worker: the engine function, its steps written to the row as they start."""
    engine = _worker_engine
    with engine.begin() as db:
        row = db.execute(select(jobs_table).where(jobs_table.c.id == job_id).with_for_update()).first()
        if row is None or row.state in (DONE, FAILED):
            return  # finished already: a retry after the result was stored has nothing to do
        db.execute(update(jobs_table).where(jobs_table.c.id == job_id).values(
            state=RUNNING, started_at=row.started_at or _now(), attempts=row.attempts + 1, steps=[],
            step="Starting", step_number=0, steps_total=0))
    module, _, name = row.function.partition(":")
    function = getattr(importlib.import_module(module), name)
    steps: list[str] = []

    def progress(step: str, k: int, n: int) -> None:
        if not steps or steps[-1] != step:
            steps.append(step)
        with engine.begin() as db:
            db.execute(update(jobs_table).where(jobs_table.c.id == job_id).values(
                step=step, step_number=k, steps_total=n, steps=list(steps)))

    try:
        ok, value = function(*row.args, progress=progress)
    except Exception:  # the engine returns a user's mistakes as values: this is a fault, told plainly
        log.exception("job %s failed", job_id)
        ok, value = False, UNEXPECTED
    with engine.begin() as db:
        if ok:
            ending, wanted = row.rename
            name = value[0]
            name = name[:-len(ending)] + wanted if ending and name.endswith(ending) else name
            db.execute(update(jobs_table).where(jobs_table.c.id == job_id).values(
                state=DONE, step="Ready", finished_at=_now(), file_name=name, data=value[1],
                warnings=list(value[2]) if len(value) > 2 else []))
        else:
            db.execute(update(jobs_table).where(jobs_table.c.id == job_id).values(
                state=FAILED, finished_at=_now(), error=str(value)))


async def requeue_stalled(app, stalled_after: float) -> int:
    """Put back in the queue the jobs of workers that stopped sending their heartbeat."""
    count = 0
    for stalled in await app.job_manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=stalled_after):
        await app.job_manager.retry_job_by_id_async(stalled.id, retry_at=datetime.now(timezone.utc))
        log.warning("job %s of a worker that stopped answering is queued again", stalled.id)
        count += 1
    await app.job_manager.prune_stalled_workers(seconds_since_heartbeat=stalled_after)
    return count


__all__ = ["DurableBoard", "job_report_stored", "prepare", "procrastinate_app", "requeue_stalled", "is_postgres", "use_database",
           "jobs_table", "QUEUE"]
