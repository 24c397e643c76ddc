"""The durable queue and the server's own pool share one set of bounds.

On PostgreSQL, render, report and portfolio jobs wait as rows of the durable queue, while
reviews, previews and the reading of large texts run in the server's pool (``JobPool.run``).
Both count against the same bounds: at most ``max_waiting`` jobs queued or running in all
(503), and at most ``per_person`` of them one person's (429), whichever server queued the rows.
No worker runs here, so queued rows stay queued; rows are written directly where the test
needs someone else's waiting jobs.
"""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, text, update

from slagen.workspace.engine import job_read_contract
from slagen.workspace.jobs import Busy
from slagen.workspace.queue import jobs_table

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
CONTRACT = (ROOT / "examples" / "small-office-minimal.yaml").read_text(encoding="utf-8")


def _queued(engine, owner) -> str:
    """A job waiting in the durable queue for ``owner`` (a user id), as a server writes it."""
    job_id = secrets.token_urlsafe(16)
    with engine.begin() as db:
        db.execute(insert(jobs_table).values(
            id=job_id, kind="render", permission="render", contract_id=1, details={}, content_type="application/pdf",
            dedupe=job_id, function="slagen.workspace.engine:job_render", args=[], rename=["", ""], state="queued",
            step="Queued", step_number=0, steps_total=0, steps=[], attempts=0, created_at="2027-01-01T00:00:00+00:00",
            warnings=[], owner=str(owner)))
    return job_id


def _refusal(pool, owner) -> int | None:
    """The status a review-like task of ``owner`` in the server's pool is refused with, or None
    when it is run (it reads a contract in a worker process and answers)."""
    try:
        asyncio.run(pool.run(job_read_contract, CONTRACT, owner=owner))
    except Busy as refused:
        return refused.status
    return None


def test_the_queue_and_the_pool_are_bounded_together(postgres_url):
    from slagen.workspace.app import Settings, create_app
    from slagen.workspace.store import add_user
    from workspace.conftest import sign_in

    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    server = create_app(Settings(database_url=postgres_url, durable_jobs=True))
    pool = server.state.jobs
    pool.per_person, pool.max_waiting = 2, 4
    with server.state.sessions() as db:
        ann, bob = (add_user(db, name, "account_manager", PASSWORD).id for name in ("ann", "bob"))
        db.commit()
    client = sign_in(server, "bob")
    try:
        created = client.post("/api/contracts", json={"text": CONTRACT, "message": "first"},
                              headers={"X-CSRF-Token": client.csrf})
        url = f"/api/contracts/{created.json()['id']}/render-jobs"

        def render(document: str):
            return client.post(url, json={"version": 1, "document": document, "format": "pdf"},
                               headers={"X-CSRF-Token": client.csrf})

        # Ann's two renders wait in the queue: her share is used up, for the pool's work too.
        waiting = [_queued(engine, ann), _queued(engine, ann)]
        assert _refusal(pool, ann) == 429
        assert _refusal(pool, bob) is None  # bob's share is his own, and 2 of 4 are waiting
        assert pool.waiting() == 0  # the run is over: nothing of it stays counted

        # Two more of someone else's: four jobs wait in all, so nobody's work is taken.
        waiting += [_queued(engine, "carol"), _queued(engine, "carol")]
        assert _refusal(pool, bob) == 503
        refused = render("agreement")  # a render for the durable queue, refused by the same count
        assert refused.status_code == 503 and refused.headers["retry-after"] == "30", refused.text
        assert "the workspace is busy" in refused.json()["error"]

        with engine.begin() as db:  # a worker finishes one: room for one more
            db.execute(update(jobs_table).where(jobs_table.c.id == waiting[0]).values(
                state="done", finished_at="2027-01-01T00:00:00+00:00"))
        assert render("agreement").status_code == 202
        assert _refusal(pool, bob) == 503  # the render bob just queued fills the room again
    finally:
        client.__exit__(None, None, None)
        server.state.render_jobs.close()
        server.state.jobs.close()
        server.state.engine.dispose()
        engine.dispose()
