"""Ctrl+C on `slagen serve`: the terminal sends SIGINT to the server and to its render workers.

The workers leave it to the server, which shuts them down in order (JobPool.close, from the
application's lifespan); a worker that died of the signal itself printed a traceback and left
semaphores for the resource tracker to complain about.
"""

from __future__ import annotations

import signal

from slagen.workspace import jobs


def test_a_render_worker_leaves_ctrl_c_to_the_server(monkeypatch):
    before = signal.getsignal(signal.SIGINT)
    monkeypatch.setattr(jobs, "_worker_queue", None)
    try:
        jobs._worker_started("the progress queue")  # what each worker runs as it starts
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        assert jobs._worker_queue == "the progress queue"
    finally:
        signal.signal(signal.SIGINT, before)
