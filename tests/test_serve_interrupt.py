"""Ctrl+C on `slagen serve`: the terminal sends SIGINT to the server and to its render workers.

The workers leave it to the server, which shuts them down in order (JobPool.close, from the
application's lifespan); a worker that died of the signal itself printed a traceback and left
semaphores for the resource tracker to complain about.
"""

from __future__ import annotations

import signal

from slagen.workspace import jobs


def test_a_render_worker_leaves_ctrl_c_to_the_server():
    before = signal.getsignal(signal.SIGINT)
    try:
        jobs._leave_ctrl_c_to_the_server()  # what each worker runs as it starts (_worker_main)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)


def test_the_worker_main_loop_starts_by_ignoring_ctrl_c():
    import inspect

    first_call = inspect.getsource(jobs._worker_main).split('"""')[2].strip().splitlines()[0]
    assert first_call == "_leave_ctrl_c_to_the_server()"
