"""Heavy engine work off the event loop, in worker processes that are replaced when they die.

Rendering a PDF takes seconds of CPU; done in the server's own process it would hold the GIL
and stall every other user's request. Parsing an upload is worse: a hostile workbook can make
a native reader abort the whole process. So every piece of heavy work runs in a worker
process started with 'spawn' (a clean interpreter, no copied database connections or
threads), one piece at a time, under an address-space limit (RLIMIT_AS) and a time limit.

Each worker has a slot: a thread in the server that hands it one task through its own pipe,
relays its progress messages, and waits for the answer or for the process to end. A worker
that dies (a native crash, the memory limit, a kill) or overruns the time limit fails only the
task it held, with a plain sentence; the slot starts a fresh worker for the next task. Nothing
is shared between workers, so one crash cannot break the others (``concurrent.futures``'
process pool, used before, marks itself broken and fails every later job until a restart).

The queue in front of the slots is bounded, overall and per person, so one user cannot fill it:
beyond the bounds a request is refused at once with 503 (or 429 for one person's share) and a
Retry-After, never queued without end. When the workspace also has a durable queue (queue.py, on
PostgreSQL), its jobs count against the same bounds (``elsewhere``): a review run here and
renders waiting in the queue are one person's work together, and the queue's jobs and this
pool's tasks together are what is waiting.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Callable, Hashable

from slagen.workspace.store import WorkspaceError

log = logging.getLogger("slagen.workspace.jobs")

# step is None for the message "the work has started in a worker"
Listener = Callable[[str | None, int, int], None]

MEMORY_LIMIT = 2_000_000_000  # bytes of address space a worker may map; a PDF render needs well under half
TIME_LIMIT = 600.0  # seconds one piece of work may take; a large report takes about a minute
STARTUP_ALLOWANCE = 120.0  # seconds a new worker may take to start before its first job's clock runs
MAX_WAITING = 100  # tasks queued or running, everyone's together
MAX_PER_PERSON = 6  # tasks one person may have queued or running at once

CRASHED = ("the work stopped its worker process (the file needs more memory than a job may use, or it is "
           "damaged); nothing was made. Check the file, or export it again, then try again")
TIMED_OUT = ("the work took longer than {seconds} seconds and was stopped; nothing was made. A smaller file "
             "or a shorter period takes less time")
STOPPING = "the workspace is stopping; nothing was made. Try again in a minute"
UNEXPECTED = ("the renderer stopped unexpectedly; nothing was made. Try again, and tell your administrator "
              "if it happens again")
OUT_OF_MEMORY = ("the work needed more memory than a job may use and was stopped; nothing was made. A smaller "
                 "file or a shorter period needs less")


class Busy(WorkspaceError):
    """Too much work is waiting: refused at once, with the seconds to wait before trying again."""

    status = 503
    retry_after = 30

    def __init__(self, message: str, status: int = 503, retry_after: int = 30):
        super().__init__(message, status)
        self.retry_after = retry_after


# -------------------------------------------------------------------------------------------
# In the worker process


def _limit_memory(limit: int | None) -> None:
    if not limit:
        return
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _leave_ctrl_c_to_the_server() -> None:
    # Ctrl+C reaches every process of the terminal's group: the server alone answers it, and shuts
    # its workers down (JobPool.close) instead of each dying with a traceback and leaked semaphores.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


WORKER_NICENESS = 10  # how much lower than the server a worker's claim on the processor is


def _yield_to_people(niceness: int) -> None:
    """A worker's jobs (renders, reports, reading large uploads) take seconds of processor each,
    and nobody waits on them keystroke by keystroke; the server's requests (the register, the
    editor's diagnostics) are small and waited on. So workers run at a lower priority: on a busy
    machine the processor goes to the requests first, and the jobs take what is left. (The
    editor's own worker, which someone does wait on as they type, keeps the server's: niceness 0.)"""
    if not niceness:
        return
    try:
        os.nice(niceness)
    except OSError:  # not allowed here (some containers): the worker runs at the server's priority
        pass


def _worker_main(connection, memory_limit: int | None, niceness: int = WORKER_NICENESS) -> None:
    """Run tasks one at a time until told to stop (None) or the server's end of the pipe closes."""
    _leave_ctrl_c_to_the_server()
    # Numeric libraries would start a thread per core, each reserving address space under the limit.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
    _limit_memory(memory_limit)
    _yield_to_people(niceness)
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        function, args, reporting = message

        def progress(step: str, k: int, n: int) -> None:
            connection.send(("progress", step, k, n))

        connection.send(("started",))
        try:
            ok, value = function(*args, progress=progress) if reporting else function(*args)
        except MemoryError:
            ok, value = False, OUT_OF_MEMORY
        except Exception:  # a bug in the engine: the job fails plainly; the server's log has no detail
            logging.getLogger("slagen.workspace.jobs").exception("a job failed in its worker")
            ok, value = False, UNEXPECTED
        try:
            connection.send(("done", ok, value))
        except MemoryError:
            connection.send(("done", False, OUT_OF_MEMORY))


# -------------------------------------------------------------------------------------------
# In the server


@dataclass
class _Task:
    function: Callable
    args: tuple
    reporting: bool
    listener: Listener | None
    owner: Hashable | None
    future: Future = field(default_factory=Future)
    steps: list = field(default_factory=list)


_STOP = object()


class _Slot:
    """One worker process and the thread that feeds it."""

    def __init__(self, pool: "JobPool", number: int):
        self.pool, self.number = pool, number
        self.process = None
        self.connection = None
        self.thread = threading.Thread(target=self._serve, name=f"slagen-job-slot-{number}", daemon=True)

    def _start_process(self) -> None:
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe(duplex=True)
        process = context.Process(target=_worker_main, args=(theirs, self.pool.memory_limit, self.pool.niceness),
                                  name=f"slagen-worker-{self.number}", daemon=True)
        try:
            process.start()
        finally:
            theirs.close()
        self.process, self.connection = process, ours

    def _stop_process(self, kill: bool = False) -> None:
        process, connection = self.process, self.connection
        self.process = self.connection = None
        if process is None:
            return
        if not kill:
            try:
                connection.send(None)
            except (OSError, ValueError):
                kill = True
            process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
        connection.close()

    def _serve(self) -> None:
        while True:
            task = self.pool._tasks.get()
            if task is _STOP:
                self._stop_process()
                return
            try:
                outcome = self._run(task)
            except Exception:  # the slot itself must survive whatever a task does
                log.exception("job slot %s", self.number)
                self._stop_process(kill=True)
                outcome = (False, UNEXPECTED)
            self.pool._finished(task)
            task.future.set_result((*outcome, task.steps) if task.reporting else outcome)

    def _run(self, task: _Task) -> tuple[bool, object]:
        from multiprocessing.connection import wait

        if self.process is None or not self.process.is_alive():
            self._stop_process(kill=True)
            self._start_process()
        try:
            self.connection.send((task.function, task.args, task.reporting))
        except Exception:  # unpicklable arguments, or a worker that died idle
            log.exception("could not hand a job to worker %s", self.number)
            self._stop_process(kill=True)
            return False, UNEXPECTED
        # The time limit counts from the moment the worker starts the work: a fresh worker first
        # imports the engine, which takes seconds on a busy machine and is no fault of the job.
        deadline = time.monotonic() + STARTUP_ALLOWANCE + self.pool.time_limit
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                log.warning("a job overran %s s; its worker %s is stopped", self.pool.time_limit, self.number)
                self._stop_process(kill=True)
                return False, TIMED_OUT.format(seconds=round(self.pool.time_limit))
            ready = wait([self.connection, self.process.sentinel], timeout=min(left, 1.0))
            if self.connection in ready or (ready and self.connection.poll()):
                try:
                    message = self.connection.recv()
                except (EOFError, OSError):
                    message = None
                if message is None:
                    return self._died()
                if message[0] == "done":
                    return message[1], message[2]
                if message[0] == "started":
                    deadline = time.monotonic() + self.pool.time_limit
                self._tell(task, message)
            elif ready:  # the process ended without answering
                return self._died()

    def _died(self) -> tuple[bool, str]:
        code = self.process.exitcode if self.process is not None else None
        log.warning("worker %s died (exit code %s) during a job; a new one takes its place", self.number, code)
        self._stop_process(kill=True)
        return False, STOPPING if self.pool._closed else CRASHED

    def _tell(self, task: _Task, message: tuple) -> None:
        if message[0] == "started":
            step, k, n = None, 0, 0
        else:
            _, step, k, n = message
            task.steps.append((step, k, n))
        if task.listener is not None:
            try:
                task.listener(step, k, n)
            except Exception:
                log.exception("a job's progress listener failed")


class JobPool:
    def __init__(self, workers: int | None = None, *, memory_limit: int | None = MEMORY_LIMIT,
                 time_limit: float = TIME_LIMIT, max_waiting: int = MAX_WAITING, per_person: int = MAX_PER_PERSON,
                 niceness: int = WORKER_NICENESS):
        self.workers = workers or max(1, min(4, (os.cpu_count() or 2)))
        self.niceness = niceness
        self.memory_limit, self.time_limit = memory_limit, time_limit
        self.max_waiting, self.per_person = max_waiting, per_person
        self._tasks: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._slots: list[_Slot] = []
        self._waiting = 0
        self._by_owner: dict[Hashable, int] = {}
        self._closed = False
        # (everyone's jobs, ``owner``'s jobs) queued or running outside this pool: the durable
        # queue's, set by queue.DurableBoard; counted against the same bounds as the pool's own.
        self.elsewhere: Callable[[Hashable | None], tuple[int, int]] | None = None

    def _elsewhere(self, owner: Hashable | None) -> tuple[int, int]:
        if self.elsewhere is None:
            return 0, 0
        try:
            return self.elsewhere(owner)
        except Exception:  # the queue's database is away for a moment: the pool's own bounds still hold
            log.exception("could not count the durable queue's jobs")
            return 0, 0

    def _admit(self, task: _Task) -> None:
        others, owners_others = self._elsewhere(task.owner)  # outside the lock: it may ask the database
        with self._lock:
            if self._closed:
                raise Busy(STOPPING)
            if self._waiting + others >= self.max_waiting:
                raise self.too_busy()
            if task.owner is not None and self._by_owner.get(task.owner, 0) + owners_others >= self.per_person:
                raise self.too_many()
            self._waiting += 1
            if task.owner is not None:
                self._by_owner[task.owner] = self._by_owner.get(task.owner, 0) + 1
            if not self._slots:
                self._slots = [_Slot(self, n + 1) for n in range(self.workers)]
                for slot in self._slots:
                    slot.thread.start()
        self._tasks.put(task)

    def under_way(self, owner: Hashable) -> int:
        """How many of ``owner``'s tasks are queued or running in this pool."""
        with self._lock:
            return self._by_owner.get(owner, 0)

    def idle(self) -> bool:
        """Whether a task handed over now would start at once (a worker free, nothing queued)."""
        with self._lock:
            return not self._closed and self._waiting < self.workers

    def too_many(self) -> Busy:
        """The refusal of one person's task beyond their share (``per_person``)."""
        return Busy(f"you already have {self.per_person} documents, reviews or reports under way; wait "
                    "for one of them to finish, then try again", 429, 10)

    def waiting(self) -> int:
        """How many tasks are queued or running in this pool, everyone's together."""
        with self._lock:
            return self._waiting

    def too_busy(self) -> Busy:
        """The refusal of a task when ``max_waiting`` tasks are waiting already."""
        return Busy("the workspace is busy with other people's documents and reports; try again in a minute",
                    503, 30)

    def _finished(self, task: _Task) -> None:
        with self._lock:
            self._waiting -= 1
            if task.owner is not None:
                left = self._by_owner.get(task.owner, 1) - 1
                if left:
                    self._by_owner[task.owner] = left
                else:
                    self._by_owner.pop(task.owner, None)

    async def run(self, function, *args, owner: Hashable | None = None):
        """The job's result, or WorkspaceError(422) with the engine's message for the user.
        Busy (503 or 429) when too much is waiting."""
        task = _Task(function, args, False, None, owner)
        self._admit(task)
        ok, value = await asyncio.wrap_future(task.future)
        if not ok:
            raise WorkspaceError(value, 422)
        return value

    def submit(self, job_id: str, function, args: tuple, listener: Listener, owner: Hashable | None = None) -> Future:
        """Start ``function(*args, progress=...)`` in a worker; ``listener`` hears its steps (in a
        thread of this process). The future's result is (ok, value, steps)."""
        task = _Task(function, args, True, listener, owner)
        self._admit(task)
        return task.future

    def close(self) -> None:
        with self._lock:
            self._closed = True
            slots, self._slots = self._slots, []
        while True:  # whatever has not started fails now, with a sentence
            try:
                task = self._tasks.get_nowait()
            except queue.Empty:
                break
            if task is not _STOP:
                self._finished(task)
                task.future.set_result((False, STOPPING, []) if task.reporting else (False, STOPPING))
        for _ in slots:
            self._tasks.put(_STOP)
        for slot in slots:  # a worker still busy at shutdown is stopped: its job fails as 'stopping'
            slot.thread.join(timeout=10)
            process = slot.process
            if slot.thread.is_alive() and process is not None:
                process.kill()
                slot.thread.join(timeout=10)
