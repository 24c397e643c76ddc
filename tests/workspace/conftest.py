"""Fixtures for the workspace tests: the same suite on SQLite and on a real PostgreSQL server.

Each test gets an empty, migrated database, one user per role, and HTTP clients that have
signed in as those users through the login form (so the session cookie and CSRF token are real).
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest

from workspace.postgres import Cluster, binaries

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashing():
    """Argon2id at its real cost takes about half a second a hash on a busy 2-core machine; the
    tests hash and verify hundreds of passwords, so they use the same algorithm at the lowest
    cost. test_workspace_auth checks the real parameters separately."""
    from argon2 import PasswordHasher

    from slagen.workspace import auth

    real = auth._HASHER
    auth._HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    auth._HASHER = real
PASSWORD = "correct horse battery"
ROLES = ("account_manager", "presales", "legal", "admin")


@pytest.fixture(scope="session")
def postgres_url():
    bin_dir = binaries()
    if bin_dir is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL binaries are missing, and under CI the PostgreSQL tests must run")
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are not installed")
    cluster = Cluster(bin_dir)
    url = cluster.start()
    yield url
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workspace.db'}"
    return emptied(request.getfixturevalue("postgres_url"))


def emptied(url: str) -> str:
    """The test PostgreSQL database, emptied: an empty database for every test (or module)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def job_pool():
    """One pool of render workers for the whole session: spawning them costs seconds."""
    from slagen.workspace.jobs import JobPool

    pool = JobPool(2)
    yield pool
    pool.close()


@contextmanager
def running_app(database_url: str, job_pool):
    """A workspace app on an empty database, with one user per role, sharing the session's pool."""
    from slagen.workspace.app import Settings, create_app
    from slagen.workspace.store import add_user

    # Refused sign-ins answer at once here: the pause itself is tested where it is the subject.
    application = create_app(Settings(database_url=database_url, refusal_pause=0.0))
    application.state.jobs.close()
    application.state.jobs = application.state.render_jobs.pool = _Shared(job_pool)
    with application.state.sessions() as db:
        for role in ROLES:
            add_user(db, role, role, PASSWORD)
    try:
        yield application
    finally:
        application.state.engine.dispose()


@pytest.fixture
def app(database_url, job_pool):
    with running_app(database_url, job_pool) as application:
        yield application


class _Shared:
    """The session's pool, which an app's shutdown must not close."""

    def __init__(self, pool):
        self.pool = pool

    async def run(self, *args, **kwargs):
        return await self.pool.run(*args, **kwargs)

    def submit(self, *args, **kwargs):
        return self.pool.submit(*args, **kwargs)

    def close(self):
        pass


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def sign_in(app, name: str, password: str = PASSWORD):
    from fastapi.testclient import TestClient

    client = TestClient(app, base_url="http://127.0.0.1")
    client.__enter__()
    page = client.get("/login")
    response = client.post("/login", data={"name": name, "password": password, "csrf_token": csrf_from(page.text),
                                           "next": "/"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    client.csrf = csrf_from(client.get("/").text)
    return client


@contextmanager
def signed_in(app):
    """{role: an HTTP client signed in as that role's user}, closed afterwards."""
    made = {role: sign_in(app, role) for role in ROLES}
    try:
        yield made
    finally:
        for client in made.values():
            client.__exit__(None, None, None)


@pytest.fixture
def clients(app):
    with signed_in(app) as made:
        yield made


@pytest.fixture
def anonymous(app):
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client


def example(name: str = "acme-dental.yaml") -> str:
    return (ROOT / "examples" / name).read_text(encoding="utf-8")


def draft_with_findings() -> str:
    """The reference contract as first drafted, under the reference's own number: a 4-hour fix on a
    server with no spare, a 24x7 clock nobody answers... (examples/acme-dental-infeasible.yaml), so
    its review has blocking feasibility items."""
    return example("acme-dental-infeasible.yaml").replace("reference: NW-ACME-2027-01-D1\n",
                                                          "reference: NW-ACME-2027-01\n")


def _created(clients, text: str) -> int:
    am = clients["account_manager"]
    response = am.post("/api/contracts", json={"text": text, "message": "first draft"},
                       headers={"X-CSRF-Token": am.csrf})
    assert response.status_code == 201, response.text
    return response.json()["id"]


@pytest.fixture
def contract_id(clients):
    """The reference contract, created by the account manager: id of version 1."""
    return _created(clients, example())


@pytest.fixture
def draft_with_findings_id(clients):
    """The reference contract's first draft (blocking feasibility findings): id of version 1."""
    return _created(clients, draft_with_findings())


def reviewed(client, contract_id: int, seconds: float = 300) -> dict:
    """The latest version's review as a person gets it: a POST starts the review job, the job is
    watched until it is done, and the review is read with a GET (which starts nothing)."""
    import time

    started = client.post(f"/api/contracts/{contract_id}/review-jobs", headers={"X-CSRF-Token": client.csrf})
    assert started.status_code == 202, started.text
    deadline = time.monotonic() + seconds
    while (job := client.get(started.json()["url"]).json())["state"] not in ("done", "failed"):
        assert time.monotonic() < deadline, f"the review of contract {contract_id} did not finish"
        time.sleep(0.1)
    assert job["state"] == "done", job["error"]
    review = client.get(f"/api/contracts/{contract_id}/review")
    assert review.status_code == 200, review.text
    return review.json()
