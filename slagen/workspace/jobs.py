"""Heavy engine work off the event loop, in a pool of worker processes.

Rendering a PDF takes seconds of CPU; done in the server's own process it would hold the GIL
and stall every other user's request. The pool starts its workers with 'spawn' (a clean
interpreter, no copied database connections or threads) and keeps them for the server's life,
so each worker imports WeasyPrint once.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from slagen.workspace.store import WorkspaceError


class JobPool:
    def __init__(self, workers: int | None = None):
        self.workers = workers or max(1, min(4, (os.cpu_count() or 2)))
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    async def run(self, function, *args):
        """The job's result, or WorkspaceError(422) with the engine's message for the user."""
        ok, value = await asyncio.get_running_loop().run_in_executor(self._executor(), function, *args)
        if not ok:
            raise WorkspaceError(value, 422)
        return value

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
