"""The workspace under load: the register's kept rows never go stale, large texts are read in a
worker process, and a page never needs a second pooled connection while it holds one.

One workspace per database (SQLite, PostgreSQL) serves the whole module: each test works on
contracts of its own (their own references and customers), so sharing it changes no answer.
"""

from __future__ import annotations

import time

import pytest

from workspace.conftest import _created, emptied, example, running_app, signed_in

ACME = example()
PDF = b"%PDF-1.7\n% a signed copy\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
OVER_REVIEW = "the customer accepted the feasibility findings in writing"


class _ReviewOnce:
    """The session's pool, making the review of a text once for the module. The register test
    approves the same text on SQLite and on PostgreSQL; the approval reviews it (in the worker
    pool) each time, and the answer cannot differ, while what the test asks is the register's.
    (The approval's own review is tested in test_workspace_security and test_workspace_flow.)"""

    reviews: dict = {}

    def __init__(self, pool):
        self.pool = pool

    async def run(self, function, *args, **kwargs):
        from slagen.workspace.engine import job_review

        if function is not job_review:
            return await self.pool.run(function, *args, **kwargs)
        if args not in self.reviews:
            self.reviews[args] = await self.pool.run(function, *args, **kwargs)
        return self.reviews[args]

    def submit(self, *args, **kwargs):
        return self.pool.submit(*args, **kwargs)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def clients(request, tmp_path_factory, job_pool):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('load') / 'workspace.db'}"
    else:
        url = emptied(request.getfixturevalue("postgres_url"))
    with running_app(url, _ReviewOnce(job_pool)) as app, signed_in(app) as made:
        yield made


def acme(reference: str, customer: str) -> str:
    """The reference contract under a reference and customer name of the test's own."""
    return (ACME.replace("reference: NW-ACME-2027-01", f"reference: {reference}", 1)
            .replace("name: Acme Dental Group Ltd", f"name: {customer}", 1))


def api(client, method, url, **kw):
    return client.request(method, url, headers={"X-CSRF-Token": client.csrf}, **kw)


def row(client, contract_id: int) -> dict:
    [found] = [r for r in client.get("/api/contracts").json() if r["id"] == contract_id]
    return found


def test_the_register_shows_each_change_at_once(clients):
    """The register's rows are kept between requests; each save, submission, approval and
    signature shows on the very next read, in the JSON and on the page."""
    am, legal = clients["account_manager"], clients["legal"]
    contract_id = _created(clients, acme("LOAD-REGISTER-1", "Register Dental Group Ltd"))
    assert row(am, contract_id)["customer"] == "Register Dental Group Ltd"
    assert "Register Dental Group Ltd" in am.get("/").text  # both kept now

    renamed = acme("LOAD-REGISTER-1", "Register Dental Partners Ltd")
    assert api(am, "POST", f"/api/contracts/{contract_id}/versions",
               json={"text": renamed, "base_version": 1}).status_code == 201
    assert (row(am, contract_id)["customer"], row(am, contract_id)["latest_version"]) == (
        "Register Dental Partners Ltd", 2)
    page = am.get("/").text
    assert "Register Dental Partners Ltd" in page and "Register Dental Group Ltd" not in page

    assert api(am, "POST", f"/api/contracts/{contract_id}/submit", json={"version": 2}).status_code == 200
    assert row(legal, contract_id)["status"] == "in_review"
    decided = api(legal, "POST", f"/api/contracts/{contract_id}/decision",
                  json={"decision": "approved", "version": 2, "override_reason": OVER_REVIEW})
    assert decided.status_code == 200, decided.text
    approved = row(am, contract_id)
    assert (approved["status"], approved["approved_version"], approved["approved_by"]) == ("approved", 2, "legal")
    assert "in_force" in approved and approved["in_force"] is True

    signed = legal.post(f"/contracts/{contract_id}/sign", data={"csrf_token": legal.csrf, "signed_on": "2026-11-02"},
                        files={"signed_pdf": ("signed.pdf", PDF, "application/pdf")}, follow_redirects=False)
    assert signed.status_code == 303, signed.text
    assert row(am, contract_id)["status"] == "signed"
    assert am.get("/?status=signed").text.count(f'href="/contracts/{contract_id}"') >= 1


def test_a_change_made_in_another_process_shows_too(clients):
    """Another server or `slagen worker` on the same database writes its audit row with the
    change; the register sees it without this server having been told."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from slagen.workspace.models import AuditEntry, Contract

    am = clients["account_manager"]
    contract_id = _created(clients, acme("LOAD-ELSEWHERE-1", "Elsewhere Dental Ltd"))
    assert row(am, contract_id)["status"] == "draft"
    other = create_engine(str(am.app.state.engine.url.render_as_string(hide_password=False)))
    try:
        with Session(other) as db:
            db.get(Contract, contract_id).customer = "Renamed Elsewhere Ltd"
            db.add(AuditEntry(actor="elsewhere", action="save", contract_id=contract_id, version=1))
            db.commit()
    finally:
        other.dispose()
    assert row(am, contract_id)["customer"] == "Renamed Elsewhere Ltd"


def test_a_large_text_is_read_in_a_worker_process_not_on_the_servers_threads(clients, monkeypatch):
    """Reading a 1 MB contract takes seconds of pure Python; done on the server's threads it held
    the interpreter's lock and stalled every other request. It goes to the worker pool."""
    from slagen.workspace.engine import LARGE_TEXT

    am = clients["account_manager"]
    pool = am.app.state.jobs
    asked = []
    real_run = pool.run

    async def recording_run(function, *args, **kwargs):
        asked.append(function.__name__)
        return await real_run(function, *args, **kwargs)

    monkeypatch.setattr(pool, "run", recording_run)
    padding = "# a note kept with the contract, line after line of it\n"
    padding += f"# this run: {time.time_ns()}\n"  # diagnostics are kept per text: none from another test
    large = ACME.replace("reference: NW-ACME-2027-01", "reference: BIG-1") + padding * (LARGE_TEXT // len(padding) + 1)
    assert len(large) > LARGE_TEXT
    created = api(am, "POST", "/api/contracts", json={"text": large, "message": "large"})
    assert created.status_code == 201, created.text
    assert asked == ["job_read_contract"]
    assert row(am, created.json()["id"])["reference"] == "BIG-1"
    # A broken large text is refused with its line, read in a worker too.
    broken = large.replace("notice_days: 90", "notice_days: ninety").replace("BIG-1", "BIG-2")
    refused = api(am, "POST", "/api/contracts", json={"text": broken})
    assert refused.status_code == 422 and "line" in refused.json()["error"]
    # An ordinary contract is read here: handing a few kilobytes to a worker costs more than reading them.
    small = ACME.replace("reference: NW-ACME-2027-01", "reference: SMALL-1")
    assert api(am, "POST", "/api/contracts", json={"text": small}).status_code == 201
    assert asked == ["job_read_contract", "job_read_contract"]


def test_a_page_is_answered_with_one_pooled_connection_left(clients):
    """A page's templates show times in the person's zone; reading it once took a second pooled
    connection while the request held one, so 40 readers at once waited on each other until the
    pool's timeout. With every connection but one taken elsewhere, pages still answer at once."""
    am = clients["account_manager"]
    contract_id = _created(clients, acme("LOAD-POOL-1", "Pool Dental Ltd"))
    engine = am.app.state.engine
    taken = [engine.pool.connect() for _ in range(engine.pool.size() + engine.pool._max_overflow - 1)]
    try:
        for path in ("/", f"/contracts/{contract_id}", "/account", "/no-such-page"):
            start = time.monotonic()
            response = am.get(path)
            assert response.status_code in (200, 404), (path, response.status_code)
            assert time.monotonic() - start < 5, path  # the pool's timeout is 10 s
    finally:
        for connection in taken:
            connection.close()


def test_workers_run_at_a_lower_priority_than_the_server(job_pool):
    """Renders, reports and large uploads take seconds of processor; the server's small requests
    are waited on. On a busy machine the processor goes to the requests first."""
    import asyncio
    import os

    from slagen.workspace.engine import job_read_contract
    from slagen.workspace.jobs import WORKER_NICENESS

    diagnostics, _ = asyncio.run(job_pool.run(job_read_contract, ACME))
    assert diagnostics["valid"] is True
    server = os.getpriority(os.PRIO_PROCESS, 0)
    workers = [os.getpriority(os.PRIO_PROCESS, slot.process.pid) for slot in job_pool._slots
               if slot.process is not None and slot.process.is_alive()]
    assert workers and all(nice == min(19, server + WORKER_NICENESS) for nice in workers), (server, workers)
