"""Durable jobs on PostgreSQL: `slagen serve` queues, `slagen worker` renders, and neither's restart loses a job.

Real processes, as an administrator runs them: the server with no local worker
(``--queue-workers 0``), and workers started and killed separately. A render queued while no
worker runs survives a restart of the server; a worker killed (SIGKILL) in the middle of the
render stops sending its heartbeat, the next worker finds the job stalled, renders it again
from the start, and the job finishes once, with its file.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(condition, timeout: float, what: str, step: float = 0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    pytest.fail(f"{what} within {timeout:.0f} s")  # the processes' logs are in the test's tmp_path


class Processes:
    def __init__(self, env: dict, logs: Path):
        self.env, self.logs = env, logs
        self.running: list[subprocess.Popen] = []

    def start(self, *args: str) -> subprocess.Popen:
        log = (self.logs / f"{args[0]}-{len(self.running)}.log").open("w")
        process = subprocess.Popen([sys.executable, "-m", "slagen", *args], cwd=ROOT, env=self.env,
                                   stdout=log, stderr=subprocess.STDOUT)
        self.running.append(process)
        return process

    def output(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.logs.glob("*.log")))

    def server(self, port: int) -> subprocess.Popen:
        process = self.start("serve", "--port", str(port), "--queue-workers", "0")

        def answers():
            if process.poll() is not None:
                pytest.fail("slagen serve stopped:\n" + self.output())
            try:
                return httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        _wait(answers, 90, "slagen serve did not answer", 0.3)
        return process

    def worker(self) -> subprocess.Popen:
        return self.start("worker", "--heartbeat", "1", "--stalled-after", "3")

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                process.terminate()
        for process in self.running:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def workspace(postgres_url, tmp_path):
    from sqlalchemy import create_engine, text

    from slagen.workspace.database import make_engine, session_factory, upgrade
    from slagen.workspace.store import add_user

    engine = create_engine(postgres_url)
    with engine.begin() as connection:  # an empty database
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    engine = make_engine(postgres_url)
    upgrade(engine)
    with session_factory(engine)() as db:
        add_user(db, "ann", "account_manager", PASSWORD)
        db.commit()
    engine.dispose()
    processes = Processes({**os.environ, "SLAGEN_DATABASE_URL": postgres_url}, tmp_path)
    yield processes, postgres_url
    processes.stop_all()


def _signed_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    page = client.get("/login")
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    done = client.post("/login", data={"name": "ann", "password": PASSWORD, "csrf_token": token, "next": "/"})
    assert done.status_code in (200, 303), done.text
    client.headers["X-CSRF-Token"] = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)
    return client


def _job_row(url: str, job_id: str):
    from sqlalchemy import create_engine, select

    from slagen.workspace.queue import jobs_table

    engine = create_engine(url)
    with engine.connect() as db:
        row = db.execute(select(jobs_table.c.state, jobs_table.c.attempts, jobs_table.c.steps)
                         .where(jobs_table.c.id == job_id)).first()
    engine.dispose()
    return row


def test_a_queued_job_survives_the_server_and_a_killed_worker(workspace):
    processes, url = workspace
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = processes.server(port)
    client = _signed_in(base)
    text = (ROOT / "examples" / "acme-dental.yaml").read_text(encoding="utf-8")
    created = client.post("/api/contracts", json={"text": text, "message": "first draft"})
    assert created.status_code == 201, created.text
    contract = created.json()["id"]
    queued = client.post(f"/api/contracts/{contract}/render-jobs",
                         json={"version": 1, "document": "agreement", "format": "pdf"})
    assert queued.status_code == 202, queued.text
    job = queued.json()
    assert job["state"] == "queued"

    # The server restarts while no worker runs: the job is still there, still queued.
    server.terminate()
    server.wait(timeout=30)
    processes.server(port)
    again = client.get(f"/api/jobs/{job['id']}")
    assert again.status_code == 200, again.text
    assert again.json()["state"] == "queued"

    # A worker takes it and is killed mid-render.
    first = processes.worker()
    _wait(lambda: client.get(f"/api/jobs/{job['id']}").json()["state"] == "running", 120,
          "the first worker did not start the job")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert client.get(f"/api/jobs/{job['id']}").json()["state"] == "running"  # nobody is finishing it now

    # The next worker finds it stalled, renders it again, and it finishes once, with its file.
    processes.worker()
    done = _wait(lambda: (lambda body: body if body["state"] in ("done", "failed") else None)(
        client.get(f"/api/jobs/{job['id']}").json()), 180, "the job did not finish")
    assert done["state"] == "done", done
    assert done["step"] == "Ready" and len(done["steps"]) >= 2  # the second attempt's steps, kept in the row
    state, attempts, steps = _job_row(url, job["id"])
    assert (state, attempts) == ("done", 2) and len(steps) >= 2
    file = client.get(done["file"]["url"])
    assert file.status_code == 200 and file.content.startswith(b"%PDF")
    assert 'filename="NW-ACME-2027-01-agreement-v1-draft.pdf"' in file.headers["content-disposition"]


def test_a_report_job_keeps_its_uploads_in_the_queue_for_any_worker(postgres_url, monkeypatch):
    """The exports a report job was started with go into its row: the server's upload folder is gone
    at once, and a worker (here run in this process, on the row alone) makes the report from the row."""
    import tempfile

    from sqlalchemy import create_engine, text

    from slagen.workspace.app import Settings, create_app
    from slagen.workspace.queue import _run_job, use_database
    from slagen.workspace.store import add_user
    from workspace.conftest import sign_in

    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    app = create_app(Settings(database_url=postgres_url, durable_jobs=True))
    with app.state.sessions() as db:
        add_user(db, "ann", "account_manager", PASSWORD)
        db.commit()
    client = sign_in(app, "ann")
    try:
        created = client.post("/api/contracts", json={"text": (ROOT / "examples" / "acme-dental.yaml").read_text(),
                                                      "message": "first"}, headers={"X-CSRF-Token": client.csrf})
        files = {"tickets": ("march.csv", (ROOT / "examples" / "acme-dental-tickets-2027-03.csv").read_bytes(),
                             "text/csv")}
        folders = []
        real_mkdtemp = tempfile.mkdtemp
        monkeypatch.setattr(tempfile, "mkdtemp", lambda **kw: folders.append(real_mkdtemp(**kw)) or folders[-1])
        started = client.post(f"/api/contracts/{created.json()['id']}/report-jobs",
                              data={"period": "2027-03", "format": "docx"}, files=files,
                              headers={"X-CSRF-Token": client.csrf})
        assert started.status_code == 202, started.text
        job = started.json()
        assert job["state"] == "queued"
        assert len(folders) == 1 and not Path(folders[0]).exists()  # the uploads are in the row, not on disk

        use_database(postgres_url)
        _run_job(job["id"])
        done = client.get(job["url"]).json()
        assert done["state"] == "done", done
        assert done["steps"] == ["Reading the contract", "Timing every ticket against its targets",
                                 "Drawing the charts", "Writing the DOCX"]
        docx = client.get(done["file"]["url"])
        assert docx.content.startswith(b"PK") and "NW-ACME-2027-01-report-2027-03.docx" in \
            docx.headers["content-disposition"]

        # A finished job and its file are kept for a while (15 minutes), then dropped when jobs start.
        app.state.render_jobs.keep_seconds = -60
        again = client.post(f"/api/contracts/{created.json()['id']}/report-jobs",
                            data={"period": "2027-03", "format": "docx"}, files=files,
                            headers={"X-CSRF-Token": client.csrf})
        assert again.status_code == 202 and _job_row(postgres_url, job["id"]) is None
    finally:
        client.__exit__(None, None, None)
        app.state.render_jobs.close()
        app.state.jobs.close()
        app.state.engine.dispose()


def test_one_persons_share_of_the_durable_queue_is_counted_in_the_queue(postgres_url):
    """With no worker running, render jobs wait in the durable queue. One person may have at most
    the pool's ``per_person`` of them queued or running, counted from the queue's rows: so a second
    server on the same database refuses that person too, another person still gets their share,
    and the same request again shares the job already queued instead of using the share."""
    from sqlalchemy import create_engine, text, update

    from slagen.workspace.app import Settings, create_app
    from slagen.workspace.queue import jobs_table
    from slagen.workspace.store import add_user
    from workspace.conftest import sign_in

    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    servers = [create_app(Settings(database_url=postgres_url, durable_jobs=True)) for _ in range(2)]
    for server in servers:
        server.state.jobs.per_person = 2
    with servers[0].state.sessions() as db:
        add_user(db, "ann", "account_manager", PASSWORD)
        add_user(db, "bob", "account_manager", PASSWORD)
        db.commit()
    ann, bob, ann_elsewhere = sign_in(servers[0], "ann"), sign_in(servers[0], "bob"), sign_in(servers[1], "ann")
    try:
        created = ann.post("/api/contracts", json={"text": (ROOT / "examples" / "acme-dental.yaml").read_text(),
                                                   "message": "first"}, headers={"X-CSRF-Token": ann.csrf})
        url = f"/api/contracts/{created.json()['id']}/render-jobs"

        def render(client, document: str, fmt: str):
            return client.post(url, json={"version": 1, "document": document, "format": fmt},
                               headers={"X-CSRF-Token": client.csrf})

        first, second = render(ann, "agreement", "pdf"), render(ann, "agreement", "docx")
        assert (first.status_code, second.status_code) == (202, 202)
        assert first.json()["state"] == second.json()["state"] == "queued"
        again = render(ann, "agreement", "pdf")
        assert again.status_code == 202 and again.json()["id"] == first.json()["id"]  # shared, not a third

        refused = render(ann, "sow", "pdf")
        assert refused.status_code == 429 and refused.headers["retry-after"] == "10"
        assert "you already have 2 documents, reviews or reports under way" in refused.json()["error"]
        elsewhere = render(ann_elsewhere, "sow", "docx")  # another server counts the same rows
        assert elsewhere.status_code == 429, elsewhere.text
        assert render(bob, "sow", "pdf").status_code == 202  # bob's share is his own

        with engine.begin() as db:  # a worker finishes one of ann's jobs
            db.execute(update(jobs_table).where(jobs_table.c.id == first.json()["id"]).values(
                state="done", finished_at="2027-01-01T00:00:00+00:00"))
        assert render(ann_elsewhere, "sow", "docx").status_code == 202
    finally:
        for client in (ann, bob, ann_elsewhere):
            client.__exit__(None, None, None)
        for server in servers:
            server.state.render_jobs.close()
            server.state.jobs.close()
            server.state.engine.dispose()
        engine.dispose()
