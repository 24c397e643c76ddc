"""Render jobs one can watch: started at once, run in the worker pool, reported step by step.

A job is kept in this server process's memory only (no table: a job lives minutes, and a
restart simply forgets it). The board is bounded: a finished job and its file are dropped
``keep_seconds`` after it finished, or earlier when more than ``keep_finished`` finished jobs
or ``keep_bytes`` of files are held; and no more than ``max_waiting`` jobs may be unfinished
at once. Two identical requests (same contract, version, document and format) made while
the first is still unfinished share one job.

Jobs are updated from two threads of this process (the pool's progress reader and the
executor's completion callback) and read from the event loops, so every field is read and
written under the board's lock, and whoever waits for a job waits on a thread-safe Future.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Hashable

from slagen.workspace.store import NotFound, WorkspaceError

log = logging.getLogger("slagen.workspace.jobs")

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
UNEXPECTED = ("the renderer stopped unexpectedly; nothing was made. Try again, and tell your administrator "
              "if it happens again")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Job:
    kind: str               # document, redline or report
    permission: str         # what a user's role must allow to see the job or its file
    contract_id: int
    details: dict           # what was asked: contract reference, version, document, format...
    content_type: str
    id: str = ""            # given by the board: unguessable, so a link to it is not an invitation
    state: str = QUEUED
    step: str = "Waiting for a free worker"
    step_number: int = 0
    steps_total: int = 0
    steps: list[str] = field(default_factory=list)
    created_at: str = field(default_factory=_now)
    started_at: str | None = None
    finished_at: str | None = None
    finished_clock: float | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)  # e.g. report rows left out
    file_name: str | None = None
    data: bytes | None = None
    finished: Future = field(default_factory=Future)  # resolves to the job itself once done or failed

    @property
    def over(self) -> bool:
        return self.state in (DONE, FAILED)

    def as_json(self) -> dict:
        """What GET /api/jobs/{id} says (call under the board's lock)."""
        if self.state == DONE:
            percent = 100
        elif self.steps_total:
            percent = round(100 * (self.step_number - 1) / self.steps_total)
        else:
            percent = 0
        body = {"id": self.id, "kind": self.kind, **self.details, "state": self.state, "step": self.step,
                "step_number": self.step_number, "steps_total": self.steps_total, "percent": percent,
                "steps": list(self.steps), "created_at": self.created_at, "started_at": self.started_at,
                "finished_at": self.finished_at, "error": self.error, "warnings": list(self.warnings), "url": f"/api/jobs/{self.id}"}
        if self.state == DONE:
            body["file"] = {"name": self.file_name, "content_type": self.content_type, "size": len(self.data),
                            "url": f"/api/jobs/{self.id}/file"}
        return body


class JobBoard:
    def __init__(self, pool, *, keep_seconds: float = 15 * 60, keep_finished: int = 50,
                 keep_bytes: int = 200_000_000, max_waiting: int = 100, clock: Callable[[], float] = time.monotonic):
        self.pool = pool
        self.keep_seconds, self.keep_finished, self.keep_bytes = keep_seconds, keep_finished, keep_bytes
        self.max_waiting = max_waiting
        self.clock = clock
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}          # oldest first
        self._unfinished: dict[Hashable, Job] = {}  # by what was asked, for sharing
        self._done: dict[Hashable, Job] = {}  # the finished file of what was asked, while it is kept

    def start(self, key: Hashable, job: Job, function, args: tuple,
              name_file: Callable[[str], str] = lambda name: name, owner: Hashable | None = None) -> tuple[Job, bool]:
        """(the job, False) after starting ``function(*args, progress=...)`` in the pool, or (the
        unfinished job that asked for the same thing, True). ``name_file`` turns the engine's file
        name into the one the download gets; ``owner`` (a user id) is counted against the pool's
        share of one person (jobs.Busy when it is used up)."""
        with self._lock:
            self._prune()
            shared = self._unfinished.get(key)
            if shared is not None:
                return shared, True
            if len(self._unfinished) >= self.max_waiting:
                from slagen.workspace.jobs import Busy

                raise Busy("the workspace is busy rendering other documents; try again in a minute")
            job.id = secrets.token_urlsafe(16)
            self._jobs[job.id] = job
            self._unfinished[key] = job
        try:
            future = self.pool.submit(job.id, function, args, lambda *step: self._progress(job, *step), owner=owner)
        except WorkspaceError:  # too much waiting: refused, and the job is forgotten
            with self._lock:
                self._jobs.pop(job.id, None)
                if self._unfinished.get(key) is job:
                    del self._unfinished[key]
            raise
        except Exception:  # the pool is shutting down or broken: the job fails, the caller hears why
            log.exception("could not start job %s", job.id)
            self._finish(key, job, name_file, None)
            return job, False
        future.add_done_callback(lambda done: self._finish(key, job, name_file, done))
        return job, False

    def finished(self, key: Hashable) -> Job | None:
        """The job that made what ``key`` asks for, if it finished with a file that is still kept:
        a GET serves it without starting anything (renders start only on POST)."""
        with self._lock:
            self._prune()
            return self._done.get(key)

    def get(self, job_id: str) -> Job:
        with self._lock:
            self._prune()
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"there is no such render job: it finished more than {round(self.keep_seconds / 60)} "
                           "minutes ago, or the server restarted since. Start it again from the contract page")
        return job

    def snapshot(self, job: Job) -> dict:
        with self._lock:
            return job.as_json()

    def file(self, job: Job) -> tuple[str, bytes]:
        with self._lock:
            if job.state != DONE:
                raise WorkspaceError(f"the job is {job.state}: there is no file yet" if not job.over else
                                     f"the job failed, so there is no file: {job.error}", 409)
            return job.file_name, job.data

    # -- called from the pool's threads --------------------------------------------------

    def _progress(self, job: Job, step: str | None, k: int, n: int) -> None:
        with self._lock:
            if job.over:  # a late message: the result already told the whole story
                return
            if job.state == QUEUED:
                job.state, job.started_at = RUNNING, _now()
            if step is not None:
                job.step, job.step_number, job.steps_total = step, k, n
                if not job.steps or job.steps[-1] != step:
                    job.steps.append(step)

    def _finish(self, key: Hashable, job: Job, name_file, future: Future | None) -> None:
        ok, value, steps = False, UNEXPECTED, []  # never started (the pool refused it)
        if future is not None:
            try:
                ok, value, steps = future.result()
            except Exception:  # a worker crashed: say so plainly; the log keeps the detail
                log.exception("render job %s failed", job.id)
        with self._lock:
            job.finished_at, job.finished_clock = _now(), self.clock()
            job.started_at = job.started_at or job.finished_at
            if steps:
                job.steps = [text for text, _, _ in steps]
                job.step, job.step_number, job.steps_total = steps[-1]
            if ok:
                job.file_name, job.data = name_file(value[0]), value[1]
                job.warnings = list(value[2]) if len(value) > 2 else []
                job.state, job.step = DONE, "Ready"
                self._done[key] = job
            else:
                job.state, job.error = FAILED, str(value)
            if self._unfinished.get(key) is job:
                del self._unfinished[key]
        job.finished.set_result(job)

    def _prune(self) -> None:
        """Drop finished jobs that expired, then the oldest finished ones beyond the caps (under the lock)."""
        now = self.clock()
        finished = sorted((j for j in self._jobs.values() if j.over), key=lambda j: j.finished_clock)
        held = sum(len(j.data or b"") for j in finished)
        for index, job in enumerate(finished):
            left = len(finished) - index
            if now - job.finished_clock < self.keep_seconds and left <= self.keep_finished and held <= self.keep_bytes:
                break
            held -= len(job.data or b"")
            del self._jobs[job.id]
            for key in [k for k, done in self._done.items() if done is job]:
                del self._done[key]
