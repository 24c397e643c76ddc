"""Heavy engine work off the event loop, in a pool of worker processes.

Rendering a PDF takes seconds of CPU; done in the server's own process it would hold the GIL
and stall every other user's request. The pool starts its workers with 'spawn' (a clean
interpreter, no copied database connections or threads) and keeps them for the server's life,
so each worker imports WeasyPrint once.

Work started with :meth:`JobPool.submit` reports its progress while it runs: every worker gets
one shared queue when it starts, the work's ``progress(step, k, n)`` callback puts
``(job id, step, k, n)`` on it, and a thread in the server process hands each message to the
listener registered for that job id. A queue given to the workers at start-up needs no
Manager process, and the messages of one piece of work arrive in the order they were sent.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Callable

from slagen.workspace.store import WorkspaceError

# step is None for the message "the work has started in a worker"
Listener = Callable[[str | None, int, int], None]

_STOP = None  # put on the queue by close(): the reader thread ends
_worker_queue = None  # in a worker process: where progress goes


def _worker_started(queue) -> None:
    global _worker_queue
    _worker_queue = queue
    # Ctrl+C reaches every process of the terminal's group: the server alone answers it, and shuts
    # its workers down (JobPool.close) instead of each dying with a traceback and leaked semaphores
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_reporting(job_id: str, function, args: tuple):
    """In a worker: ``function(*args, progress=...)``, telling the server each step as it starts.
    Returns (ok, value, steps): the steps (text, k, n) the work reported, in order, so the job's
    record is complete even when the last live messages are still on their way."""
    steps: list[tuple[str, int, int]] = []

    def progress(step: str, k: int, n: int) -> None:
        steps.append((step, k, n))
        _worker_queue.put((job_id, step, k, n))

    _worker_queue.put((job_id, None, 0, 0))
    ok, value = function(*args, progress=progress)
    return ok, value, steps


class JobPool:
    def __init__(self, workers: int | None = None):
        self.workers = workers or max(1, min(4, (os.cpu_count() or 2)))
        self._pool: ProcessPoolExecutor | None = None
        self._queue = None
        self._reader: threading.Thread | None = None
        self._listeners: dict[str, Listener] = {}

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._queue = context.Queue()
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_worker_started,
                                             initargs=(self._queue,))
            self._reader = threading.Thread(target=self._read_progress, args=(self._queue,),
                                            name="slagen-job-progress", daemon=True)
            self._reader.start()
        return self._pool

    def _read_progress(self, queue) -> None:
        while True:
            message = queue.get()
            if message is _STOP:
                return
            job_id, step, k, n = message
            listener = self._listeners.get(job_id)
            if listener is not None:
                listener(step, k, n)

    async def run(self, function, *args):
        """The job's result, or WorkspaceError(422) with the engine's message for the user."""
        ok, value = await asyncio.get_running_loop().run_in_executor(self._executor(), function, *args)
        if not ok:
            raise WorkspaceError(value, 422)
        return value

    def submit(self, job_id: str, function, args: tuple, listener: Listener) -> Future:
        """Start ``function(*args, progress=...)`` in a worker; ``listener`` hears its steps (in a
        thread of this process). The future's result is (ok, value, steps)."""
        executor = self._executor()
        self._listeners[job_id] = listener
        future = executor.submit(_run_reporting, job_id, function, args)
        future.add_done_callback(lambda _: self._listeners.pop(job_id, None))
        return future

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            self._queue.put(_STOP)
            self._reader.join(timeout=10)
            self._queue.close()
            self._queue = self._reader = None
