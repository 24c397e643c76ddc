"""`slagen worker`: renders the workspace's queued jobs, on this machine or any other that reaches the database.

Only a workspace on PostgreSQL has a queue (``workspace/queue.py``). Each worker takes one job
at a time; run as many as there are cores to spare, on as many machines as you like. A worker
that stops (Ctrl+C, SIGTERM) finishes its job first; one that dies mid-job is noticed by the
others after ``--stalled-after`` seconds without its heartbeat, and its job is queued again.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer


def worker(
    db_url: Annotated[Optional[str], typer.Option(
        "--db-url", help="The workspace's PostgreSQL address (default: SLAGEN_DATABASE_URL), such as "
                         "postgresql+psycopg://slagen@db.internal/slagen.", show_default=False)] = None,
    heartbeat: Annotated[float, typer.Option("--heartbeat", help="Seconds between the worker's heartbeats.")] = 10.0,
    stalled_after: Annotated[float, typer.Option(
        "--stalled-after", help="Seconds without a worker's heartbeat after which its job is queued again.")] = 30.0,
) -> None:
    """Run the workspace's queued render and redline jobs (PostgreSQL workspaces); stop with Ctrl+C."""
    import asyncio
    import logging
    import os

    from slagen.errors import SlagenError
    from slagen.workspace.database import make_engine
    from slagen.workspace.queue import is_postgres, prepare, procrastinate_app, requeue_stalled, use_database

    url = db_url or os.environ.get("SLAGEN_DATABASE_URL", "")
    if not is_postgres(url):
        typer.echo("error: slagen worker needs the workspace's PostgreSQL database: give --db-url or set "
                   "SLAGEN_DATABASE_URL (a workspace on SQLite renders in its own server process)", err=True)
        raise typer.Exit(2)
    if not 0 < heartbeat < stalled_after:
        typer.echo("error: --heartbeat must be more than 0 and less than --stalled-after", err=True)
        raise typer.Exit(2)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    try:
        engine = make_engine(url)
        prepare(engine, url)
        use_database(url)
    except SlagenError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)
    except Exception as exc:  # the database cannot be reached: one line, not a traceback
        typer.echo(f"error: cannot open the workspace's database: {str(exc).strip().splitlines()[0]}", err=True)
        raise typer.Exit(2)
    app = procrastinate_app(url)

    async def run() -> None:
        async with app.open_async():
            rescue = asyncio.create_task(_rescue(app, heartbeat, stalled_after, requeue_stalled))
            try:
                await app.run_worker_async(queues=["slagen"], concurrency=1, name=f"slagen-{os.getpid()}",
                                           update_heartbeat_interval=heartbeat, stalled_worker_timeout=stalled_after,
                                           delete_jobs="successful", install_signal_handlers=True)
            finally:
                rescue.cancel()

    typer.echo(f"slagen worker {os.getpid()} takes jobs from the queue; stop with Ctrl+C", err=True)
    asyncio.run(run())


async def _rescue(app, every: float, stalled_after: float, requeue) -> None:
    import asyncio
    import logging

    while True:
        try:
            await requeue(app, stalled_after)
        except Exception:  # a moment without the database: try again at the next beat
            logging.getLogger("slagen.worker").exception("could not look for stalled jobs")
        await asyncio.sleep(every)
