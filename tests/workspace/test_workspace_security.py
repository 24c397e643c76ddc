"""The workspace under attack: one request cannot stop the others, and approval means what it says.

Each test is one attack of issue 22, run against the application (on SQLite and, where the
database matters, PostgreSQL) and expected to find the flaw gone.
"""

from __future__ import annotations

import asyncio
import os
import re
import stat
import threading
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from slagen.workspace.models import AuditEntry, LoginFailure
from workspace.conftest import PASSWORD, example, reviewed, sign_in

ACME = example()
# Tests where the database plays no part run on SQLite only (the suite's time budget).
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
OVER_REVIEW = "the customer accepted the feasibility findings in writing"


def api(client, method, url, **kw):
    return client.request(method, url, headers={"X-CSRF-Token": client.csrf}, **kw)


# -------------------------------------------------------------------------------------------
# Isolation: a worker that dies fails its own job only


def abort_the_process(progress=None):
    """A job that kills its worker the way the issue's workbook killed calamine's process."""
    os.abort()


def read_with_calamine_unchecked(path: str, progress=None):
    """What the report reader did before it checked workbooks: calamine aborts on the far cell."""
    from python_calamine import CalamineWorkbook

    CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python(skip_empty_area=False)
    return True, ("never.pdf", b"")


def sleep_for(seconds: float, progress=None):
    time.sleep(seconds)
    return True, ("slept.pdf", b"zz")


def test_a_crashing_worker_fails_its_own_job_and_the_pool_recovers(job_pool, tmp_path):
    from slagen.workspace.engine import job_render
    from slagen.workspace.jobs import CRASHED
    from test_workbook_bounds import far_cell

    crashing = job_pool.submit("crash", read_with_calamine_unchecked, (str(far_cell(tmp_path / "x.xlsx")),),
                               lambda *step: None)
    assert crashing.result(timeout=120)[:2] == (False, CRASHED)
    after = job_pool.submit("after", job_render, (ACME, "agreement", "html", False), lambda *step: None)
    ok, (name, data), _ = after.result(timeout=300)
    assert ok and name == "NW-ACME-2027-01-agreement.html" and b"NW-ACME-2027-01" in data


@sqlite_only
def test_the_crashing_workbook_uploaded_fails_its_report_job_and_the_next_render_succeeds(clients, contract_id,
                                                                                          tmp_path):
    from test_workbook_bounds import far_cell

    am = clients["account_manager"]
    data = far_cell(tmp_path / "export.xlsx").read_bytes()
    started = am.post(f"/api/contracts/{contract_id}/report-jobs", headers={"X-CSRF-Token": am.csrf},
                      data={"period": "2027-03", "format": "pdf"},
                      files={"tickets": ("export.xlsx", data, "application/octet-stream")})
    assert started.status_code == 202, started.text
    job = _finished(am, started.json()["url"])
    assert job["state"] == "failed"
    assert job["error"].startswith("export.xlsx:1:1: error: the sheet 'sheet1.xml' has values as far as row")
    assert "/" not in job["error"].split(":", 1)[0]  # the upload's name, not the server's temporary folder
    render = api(am, "POST", f"/api/contracts/{contract_id}/render-jobs",
                 json={"version": 1, "document": "agreement", "format": "html"})
    assert _finished(am, render.json()["url"])["state"] == "done"


def _finished(client, url: str, seconds: float = 300) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = client.get(url).json()
        if body["state"] in ("done", "failed"):
            return body
        time.sleep(0.2)
    raise AssertionError(f"{url} did not finish")


def test_a_job_past_its_time_limit_is_stopped_and_the_next_one_runs(job_pool):
    pool, kept = job_pool, job_pool.time_limit
    pool.time_limit = 3
    try:
        slow = pool.submit("slow", sleep_for, (60,), lambda *step: None)
        ok, message, _ = slow.result(timeout=120)
        assert not ok and message.startswith("the work took longer than 3 seconds and was stopped")
        assert pool.submit("quick", sleep_for, (0,), lambda *step: None).result(timeout=120)[:2] == (
            True, ("slept.pdf", b"zz"))
    finally:
        pool.time_limit = kept


def test_one_person_cannot_fill_the_queue(job_pool):
    from slagen.workspace.jobs import Busy

    pool, kept = job_pool, (job_pool.per_person, job_pool.max_waiting)
    pool.per_person, pool.max_waiting = 2, 3
    try:
        mine = [pool.submit(f"j{n}", sleep_for, (1,), lambda *step: None, owner=7) for n in range(2)]
        with pytest.raises(Busy) as refused:
            pool.submit("j3", sleep_for, (0,), lambda *step: None, owner=7)
        assert refused.value.status == 429 and refused.value.retry_after > 0
        theirs = pool.submit("k1", sleep_for, (0,), lambda *step: None, owner=8)  # someone else still may
        with pytest.raises(Busy) as full:
            pool.submit("k2", sleep_for, (0,), lambda *step: None, owner=9)
        assert full.value.status == 503
        assert all(f.result(timeout=120)[0] for f in (*mine, theirs))
        assert pool.submit("j4", sleep_for, (0,), lambda *step: None, owner=7).result(timeout=120)[0]
    finally:
        pool.per_person, pool.max_waiting = kept


# -------------------------------------------------------------------------------------------
# Limits before work: nothing is read from someone who is not signed in


def _call(app, method: str, path: str, headers: dict, body_chunks=(b"",)) -> tuple[int, int, dict]:
    """(status, chunks the app asked for, response headers) of one raw ASGI request."""
    chunks = list(body_chunks)
    asked = 0
    sent: dict = {}

    async def receive():
        nonlocal asked
        asked += 1
        if asked <= len(chunks):
            return {"type": "http.request", "body": chunks[asked - 1], "more_body": asked < len(chunks)}
        return {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            sent["status"] = message["status"]
            sent["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
             "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 80)}
    asyncio.run(app(scope, receive, send))
    return sent["status"], asked, sent["headers"]


def test_anonymous_large_bodies_are_refused_before_one_byte_is_read(app):
    json_body = {"Content-Type": "application/json", "Content-Length": str(300_000_000)}
    status, asked, _ = _call(app, "POST", "/api/contracts", json_body, [b"{" * 65536] * 10)
    assert (status, asked) == (401, 0)
    multipart = {"Content-Type": "multipart/form-data; boundary=x", "Content-Length": str(1_000_000_000)}
    status, asked, _ = _call(app, "POST", "/contracts/1/report", multipart, [b"--x\r\n" * 1000] * 10)
    assert (status, asked) == (401, 0)
    # Without a Content-Length (chunked), the same: refused before reading.
    status, asked, _ = _call(app, "POST", "/contracts/import", {"Content-Type": "multipart/form-data; boundary=x"},
                             [b"x" * 65536] * 10)
    assert (status, asked) == (401, 0)


def test_a_forged_token_is_refused_before_its_body_is_read(app):
    status, asked, headers = _call(app, "POST", "/api/contracts",
                                   {"Authorization": "Bearer not-a-token", "Content-Length": "300000000"})
    assert (status, asked) == (401, 0) and headers["www-authenticate"] == "Bearer"


@sqlite_only
def test_a_signed_in_body_beyond_its_budget_is_refused_as_it_arrives(clients):
    am = clients["account_manager"]
    from slagen.workspace.limits import DEFAULT_BYTES

    declared = am.post("/api/diagnostics", content=b"x" * (DEFAULT_BYTES + 1),
                       headers={"X-CSRF-Token": am.csrf, "Content-Type": "application/json"})
    assert declared.status_code == 413 and "larger than" in declared.json()["error"]

    def chunks():  # no Content-Length: counted while read
        for _ in range(DEFAULT_BYTES // 65536 + 2):
            yield b" " * 65536

    streamed = am.post("/api/diagnostics", content=chunks(),
                       headers={"X-CSRF-Token": am.csrf, "Content-Type": "application/json"})
    assert streamed.status_code == 413


@sqlite_only
def test_sign_in_bodies_are_tiny(anonymous):
    response = anonymous.post("/login", data={"name": "x", "password": "y" * 20_000})
    assert response.status_code == 413


# -------------------------------------------------------------------------------------------
# Approval that means it


def _submit(clients, cid: int, version: int = 1):
    am = clients["account_manager"]
    assert api(am, "POST", f"/api/contracts/{cid}/submit", json={"version": version}).status_code == 200


def test_approving_a_stale_version_is_refused(clients, contract_id):
    am, legal = clients["account_manager"], clients["legal"]
    _submit(clients, contract_id)
    assert api(legal, "POST", f"/api/contracts/{contract_id}/decision",
               json={"decision": "returned", "version": 1, "comment": "shorter notice"}).status_code == 200
    assert api(am, "POST", f"/api/contracts/{contract_id}/versions",
               json={"text": ACME.replace("notice_days: 90", "notice_days: 60"), "base_version": 1}).status_code == 201
    _submit(clients, contract_id, 2)
    # Legal's page still shows version 1: "Approve version 1" must not approve version 2.
    stale = legal.post(f"/contracts/{contract_id}/decide", data={"decision": "approved", "version": "1",
                                                                  "override_reason": OVER_REVIEW,
                                                                  "csrf_token": legal.csrf})
    assert stale.status_code == 409 and "version 2 is the one in review now" in stale.text
    assert am.get(f"/api/contracts/{contract_id}").json()["status"] == "in_review"


def test_blocking_items_need_a_reason_which_goes_to_the_audit_log(app, clients, draft_with_findings_id):
    contract_id = draft_with_findings_id
    legal = clients["legal"]
    _submit(clients, contract_id)
    review = reviewed(legal, contract_id)
    blocking = review["summary"]["blocking"]
    assert blocking > 0 and review["override_review_roles"] == ["legal"]
    refused = api(legal, "POST", f"/api/contracts/{contract_id}/decision", json={"decision": "approved", "version": 1})
    assert refused.status_code == 422 and f"{blocking} review items block approval" in refused.json()["error"]
    assert legal.get(f"/api/contracts/{contract_id}").json()["status"] == "in_review"
    done = api(legal, "POST", f"/api/contracts/{contract_id}/decision",
               json={"decision": "approved", "version": 1, "override_reason": OVER_REVIEW})
    assert done.status_code == 200 and done.json()["status"] == "approved"
    with app.state.sessions() as db:
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "approve"))
    assert entry.detail == f"over {blocking} blocking review items; reason: {OVER_REVIEW}"
    # The internal review sheet records it too; the customer's documents never do (they are not given it).
    sheet = api(legal, "POST", f"/api/contracts/{contract_id}/versions/1/review-sheet-jobs", json={"format": "docx"})
    done = _finished(legal, sheet.json()["url"])
    assert done["state"] == "done" and done["file"]["name"] == "NW-ACME-2027-01-review-v1.docx"
    from slagen.pipeline.render import docx_text

    words = " ".join(docx_text(legal.get(done["file"]["url"]).content).split())
    assert f"over {blocking} blocking review items. Reason given: {OVER_REVIEW}" in words


def test_nobody_approves_a_version_whose_text_they_wrote(clients, contract_id):
    am, legal = clients["account_manager"], clients["legal"]
    assert api(legal, "POST", f"/api/contracts/{contract_id}/versions",
               json={"text": ACME.replace("notice_days: 90", "notice_days: 60"), "base_version": 1}).status_code == 201
    _submit(clients, contract_id, 2)
    own = api(legal, "POST", f"/api/contracts/{contract_id}/decision",
              json={"decision": "approved", "version": 2, "override_reason": OVER_REVIEW})
    assert own.status_code == 403 and "you wrote version 2 of this text" in own.json()["error"]
    assert am.get(f"/api/contracts/{contract_id}").json()["status"] == "in_review"


def test_a_version_cannot_take_another_contracts_reference(clients, contract_id):
    am = clients["account_manager"]
    other = example("contoso-logistics-24x7.yaml")
    assert api(am, "POST", "/api/contracts", json={"text": other}).status_code == 201
    taken = re.search(r"reference: (\S+)", other).group(1)
    stolen = api(am, "POST", f"/api/contracts/{contract_id}/versions",
                 json={"text": ACME.replace("reference: NW-ACME-2027-01", f"reference: {taken}"), "base_version": 1})
    assert stolen.status_code == 422 and "is the reference of another contract" in stolen.json()["error"]
    assert am.get(f"/api/contracts/{contract_id}").json()["latest_version"] == 1


# -------------------------------------------------------------------------------------------
# The perimeter


def _login(client, name, password):
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post("/login", data={"name": name, "password": password, "csrf_token": token, "next": "/"},
                       follow_redirects=False)


def test_the_owner_of_a_flooded_account_still_signs_in(app):
    with TestClient(app, base_url="http://127.0.0.1", client=("203.0.113.66", 4000)) as attacker:
        answers = [_login(attacker, "admin", f"guess {n}").status_code for n in range(12)]
        assert answers[:5] == [401] * 5 and set(answers[5:]) == {429}  # then refused without checking
        assert _login(attacker, "admin", PASSWORD).status_code == 429  # guessing right later does not help
    with TestClient(app, base_url="http://127.0.0.1", client=("198.51.100.7", 4000)) as owner:
        assert _login(owner, "admin", PASSWORD).status_code == 303
    with app.state.sessions() as db:
        rows = db.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed")).all()
    # One row for the flood, its count brought up to date, not one row per attempt.
    assert [(r.actor, r.detail.split(",")[0]) for r in rows] == [("admin", "from 203.0.113.66: 5 failed sign-ins")]


def test_a_guesser_made_to_wait_is_refused_again_without_asking_the_database(app):
    """Under a flood, every refused retry answered from the database cost four queries; the wait
    this server worked out is kept (per database) and answers the retries until it ends."""
    from sqlalchemy import event

    asked = []

    def count(conn, cursor, statement, *args):
        asked.append(statement)

    with TestClient(app, base_url="http://127.0.0.1", client=("203.0.113.77", 4000)) as guesser:
        assert [_login(guesser, "legal", f"guess {n}").status_code for n in range(6)] == [401] * 5 + [429]
        event.listen(app.state.engine, "before_cursor_execute", count)
        try:
            again = _login(guesser, "legal", "guess again")
        finally:
            event.remove(app.state.engine, "before_cursor_execute", count)
    assert again.status_code == 429 and 0 < int(again.headers["retry-after"]) <= 15
    assert not [s for s in asked if "login_failures" in s], asked
    # ...and the answer comes after the refusal's pause, so a guesser's connection tries once a second.
    app.state.settings.refusal_pause = 0.5
    with TestClient(app, base_url="http://127.0.0.1", client=("203.0.113.77", 4000)) as guesser:
        started = time.monotonic()
        assert _login(guesser, "legal", "guess once more").status_code == 429
        assert time.monotonic() - started >= 0.5
    with TestClient(app, base_url="http://127.0.0.1", client=("198.51.100.77", 4000)) as owner:
        assert _login(owner, "legal", PASSWORD).status_code == 303  # the hold is the guesser's pair only


@sqlite_only
def test_forwarded_headers_are_ignored_unless_the_proxy_is_named(app):
    import uvicorn

    from slagen.cli.workspace import proxy_options

    for trusted, expected in ((None, "127.0.0.1"), ("127.0.0.1", "192.0.2.9")):
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off",
                                **proxy_options(trusted))
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            while not server.started:
                time.sleep(0.05)
            port = server.servers[0].sockets[0].getsockname()[1]
            import httpx

            with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
                page = client.get("/login")
                token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
                client.post("/login", data={"name": f"probe-{expected}", "password": "wrong", "csrf_token": token},
                            headers={"X-Forwarded-For": "192.0.2.9"})
        finally:
            server.should_exit = True
            thread.join(timeout=10)
        with app.state.sessions() as db:
            entry = db.scalar(select(AuditEntry).where(AuditEntry.actor == f"probe-{expected}"))
        assert entry.detail.startswith(f"from {expected}: "), entry.detail


@sqlite_only
def test_a_token_cannot_make_a_token_or_sign_its_owner_out(clients):
    am = clients["account_manager"]
    page = am.post("/tokens", data={"name": "psa", "password": PASSWORD, "csrf_token": am.csrf})
    token = re.search(r'id="new-token">([^<]+)<', page.text).group(1)
    bearer = {"Authorization": f"Bearer {token}"}
    with TestClient(am.app, base_url="http://127.0.0.1") as program:
        assert program.post("/tokens", data={"name": "forever", "password": PASSWORD}, headers=bearer).status_code == 403
        assert program.post("/account/sign-out-elsewhere", headers=bearer).status_code == 403
    # And a person must type their password again to make one.
    again = am.post("/tokens", data={"name": "second", "password": "", "csrf_token": am.csrf})
    assert again.status_code == 422 and "type your password" in again.text


def test_the_database_and_its_companions_are_private(tmp_path):
    from slagen.workspace.app import Settings, create_app
    from slagen.workspace.database import readable_by_others
    from slagen.workspace.store import add_user

    url = f"sqlite:///{tmp_path / 'team.db'}"
    app = create_app(Settings(database_url=url))
    try:
        with app.state.sessions() as db:
            add_user(db, "ann", "admin", PASSWORD)
            files = [tmp_path / name for name in ("team.db", "team.db-wal", "team.db-shm")]
            assert all(f.exists() for f in files)  # the WAL and its index exist while a connection is open
            assert [stat.S_IMODE(f.stat().st_mode) for f in files] == [0o600, 0o600, 0o600]
        assert readable_by_others(url) == []
        (tmp_path / "team.db").chmod(0o644)
        assert readable_by_others(url) == [f"{tmp_path / 'team.db'} (mode 644)"]
    finally:
        app.state.jobs.close()
        app.state.engine.dispose()


@sqlite_only
def test_every_page_carries_the_security_headers(clients, contract_id):
    am = clients["account_manager"]
    page = am.get(f"/contracts/{contract_id}")
    assert page.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "SAMEORIGIN" and page.headers["x-content-type-options"] == "nosniff"
    assert am.get("/api/docs").status_code == 404  # no Swagger UI fetched from a CDN onto this origin
    assert "cdn" not in am.get("/api/openapi.json").text.lower()


@sqlite_only
def test_a_cross_site_link_cannot_make_a_signed_in_user_render(clients, contract_id):
    am = clients["account_manager"]
    url = f"/contracts/{contract_id}/versions/1/agreement.pdf"
    refused = am.get(url, headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403
    with am.app.state.sessions() as db:
        assert db.scalar(select(AuditEntry).where(AuditEntry.action == "render")) is None


@sqlite_only
def test_redline_downloads_are_audited(app, clients, contract_id):
    am = clients["account_manager"]
    api(am, "POST", f"/api/contracts/{contract_id}/versions",
        json={"text": ACME.replace("notice_days: 90", "notice_days: 60"), "base_version": 1})
    started = api(am, "POST", f"/api/contracts/{contract_id}/redline-jobs",
                  json={"old": 1, "new": 2, "document": "agreement", "format": "docx"})
    assert started.status_code == 202
    with app.state.sessions() as db:
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "redline"))
    assert (entry.actor, entry.version, entry.detail) == ("account_manager", 2, "agreement docx against version 1")


def test_uploads_left_by_a_stopped_server_are_removed(tmp_path):
    from slagen.workspace.uploads import UploadFolder

    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f"slagen-uploads-{gone.stdout.strip()}-abc" / "report-1"
    stale.mkdir(parents=True)
    (stale / "tickets.csv").write_text("id\n1\n")
    ours = tmp_path / f"slagen-uploads-{os.getpid()}-def"
    ours.mkdir()
    UploadFolder.remove_abandoned(str(tmp_path))
    assert not stale.parent.exists() and ours.exists()  # a running server's folder stays


@sqlite_only
def test_common_and_short_passwords_are_refused(clients):
    admin = clients["admin"]
    for password, why in (("12345678", "too short"), ("1234567890", "too common"), ("password123", "too common"),
                          ("qwertyuiop", "too common")):
        response = admin.post("/admin/users", data={"name": "newbie", "role": "presales", "password": password,
                                                     "csrf_token": admin.csrf})
        assert response.status_code == 400 and why in response.text, password
    assert admin.post("/admin/users", data={"name": "newbie", "role": "presales", "password": "violet tractor moss",
                                            "csrf_token": admin.csrf}, follow_redirects=False).status_code == 303


# -------------------------------------------------------------------------------------------
# Low: odd values answered with a sentence, never 500


def test_huge_numbers_nul_bytes_and_broken_characters_are_4xx(clients, contract_id):
    am = clients["account_manager"]
    huge = "9" * 25
    for url in (f"/contracts/{huge}", f"/contracts/{contract_id}?version={huge}", f"/?due={huge}",
                f"/api/contracts/{huge}", f"/api/contracts/{contract_id}/versions/{huge}"):
        response = am.get(url)
        assert response.status_code == 422 and "too large" in response.text, url
    comment = api(am, "POST", f"/api/contracts/{contract_id}/comments", json={"version": 10**24, "text": "x"})
    assert 400 <= comment.status_code < 500
    def comment_with(escaped: str):
        return am.post(f"/api/contracts/{contract_id}/comments", content=b'{"version": 1, "text": "%s"}' % escaped,
                       headers={"X-CSRF-Token": am.csrf, "Content-Type": "application/json"})

    broken = comment_with(b"broken \\ud800 half")  # a lone surrogate cannot be stored as UTF-8
    assert broken.status_code == 422 and "not text" in broken.json()["error"]
    nul = comment_with(b"a \\u0000 b")  # SQLite stores it; PostgreSQL refuses NUL in text: 422, not 500
    assert nul.status_code in (201, 422) and (nul.status_code == 201 or "not text" in nul.json()["error"])


def test_a_fee_of_nan_or_thirty_digits_is_a_plain_form_error():
    from slagen.workspace.new_contract import FormError, _money

    for value in ("NaN", "Infinity", "1e999", "9" * 30, "-5"):
        with pytest.raises(FormError, match="must be an amount such as 1200.00"):
            _money({"fee": value}, "fee", "the monthly fee")
    assert str(_money({"fee": "1,200.50"}, "fee", "the monthly fee")) == "1200.50"


@sqlite_only
def test_an_exhausted_database_pool_answers_503_with_retry_after(app, clients):
    from sqlalchemy import create_engine

    from slagen.workspace.database import session_factory

    am = clients["account_manager"]
    small = create_engine(str(app.state.engine.url), pool_size=1, max_overflow=0, pool_timeout=0.2)
    kept = app.state.sessions
    app.state.sessions = session_factory(small)
    try:
        with small.connect():  # the only connection is taken: the next request cannot get one
            busy = am.get("/api/contracts")
        assert busy.status_code == 503 and busy.headers["retry-after"] == "5"
        assert "busy" in busy.json()["error"]
        assert am.get("/api/contracts").status_code == 200  # and it is answered again once one is free
    finally:
        app.state.sessions = kept
        small.dispose()


def test_guesses_at_other_names_from_an_office_address_do_not_stop_a_colleague_signing_in(app):
    """Many people share one NAT address. Five names flooded from it, each until refused, is 25
    failures from the address (the old budget refused the whole address after 20); a colleague
    at the same address still signs in with the right password at once."""
    office = ("203.0.113.10", 4000)
    with TestClient(app, base_url="http://127.0.0.1", client=office) as guesser:
        for name in ("admin", "legal", "finance-nobody", "ceo-nobody", "it-nobody"):
            answers = [_login(guesser, name, f"guess {n}").status_code for n in range(7)]
            assert answers == [401] * 5 + [429] * 2, (name, answers)
    with TestClient(app, base_url="http://127.0.0.1", client=office) as colleague:
        assert _login(colleague, "presales", PASSWORD).status_code == 303
    with app.state.sessions() as db:
        failures = db.scalar(select(func.count()).select_from(LoginFailure).where(LoginFailure.address == office[0]))
    assert failures == 25  # 5 names x 5 counted failures; the refused attempts checked no password


def test_spraying_many_names_from_one_address_makes_that_address_wait_but_not_those_signed_in_from_it(app):
    sprayer = ("198.51.100.20", 4000)
    with TestClient(app, base_url="http://127.0.0.1", client=sprayer) as colleague:
        assert _login(colleague, "legal", PASSWORD).status_code == 303  # legal works from this address
    with TestClient(app, base_url="http://127.0.0.1", client=sprayer) as guesser:
        # One wrong password at each of 10 different names: the 10th failure starts the address's wait.
        assert [_login(guesser, f"person{n}", "Summer2026!").status_code for n in range(10)] == [401] * 10
        refused = _login(guesser, "person10", "Summer2026!")
        assert refused.status_code == 429 and 0 < int(refused.headers["retry-after"]) <= 15
        # A name never signed in from here waits with the address, even with the right password...
        assert _login(guesser, "presales", PASSWORD).status_code == 429
        # ...but legal, who has a session started from this address, is held by nothing.
        assert _login(guesser, "legal", PASSWORD).status_code == 303
    with TestClient(app, base_url="http://127.0.0.1", client=("192.0.2.44", 4000)) as elsewhere:
        assert _login(elsewhere, "presales", PASSWORD).status_code == 303  # other addresses are untouched
