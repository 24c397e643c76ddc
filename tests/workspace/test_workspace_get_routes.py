"""Every GET route of the workspace, walked: none starts work or records more than a read, whoever
asks and from wherever; the work a page offers (a render, a redline, a review, a mark-up's reply)
starts only with a POST.

A link, an image or a frame on another site makes the browser send a GET with the signed-in
person's cookie. So a GET must not change anything or make the server work on that person's
behalf; and the GETs that hand out a file (and record the download) are refused outright when the
request comes from another site. The routes are read from the app itself, so a route added later
is walked too.

One workspace (a SQLite file, one contract, a mark-up of it, a signed-in client per role) serves
the whole module: the walk only reads, and each test that changes something works on a contract
of its own.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import select

from slagen.workspace.headers import _WORK
from slagen.workspace.models import AuditEntry, Markup
from workspace.conftest import ROLES, _created, example, running_app, signed_in

# Audit rows that record a read (a download, an export, a refused look), not a change.
READS = {"export", "download_signed", "denied"}
# Values for the path's parameters: real ones where the route needs a real thing to reach its work.
QUERY = {"old": "1", "new": "1", "version": "1", "doc": "agreement", "format": "html"}


@pytest.fixture(scope="module")
def app(tmp_path_factory, job_pool):
    with running_app(f"sqlite:///{tmp_path_factory.mktemp('get-routes') / 'workspace.db'}", job_pool) as made:
        yield made


@pytest.fixture(scope="module")
def clients(app):
    with signed_in(app) as made:
        yield made


@pytest.fixture(scope="module")
def contract_id(app, clients):
    """The reference contract, with a mark-up of it on record, so the walk reaches the mark-up's
    pages and its reply (a GET there must find the reply not made, not a missing mark-up)."""
    contract_id = _created(clients, example())
    with app.state.sessions() as db:
        reading = {"changes": [], "untracked": 0, "warnings": [], "knock_on": []}
        db.add(Markup(contract_id=contract_id, version=1, file_name="theirs.docx", data=b"PK\x03\x04 not read",
                      uploaded_by="account_manager", reading=json.dumps(reading), decisions="{}"))
        db.commit()
        markup_id = db.scalar(select(Markup.id).where(Markup.contract_id == contract_id))
    assert markup_id == 1  # the walk's {markup_id}
    return contract_id


def _paths(app, contract_id: int) -> list[str]:
    values = {"contract_id": str(contract_id), "number": "1", "doc": "agreement", "fmt": "html", "job_id": "none",
              "markup_id": "1", "token_id": "1", "user_id": "1", "name": "summary.json"}
    paths = []
    for route in _routes(app.routes):
        if "GET" in route.methods:
            path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: values[m.group(1)], route.path)
            assert "{" not in path, route.path
            paths.append(path)
    assert len(paths) > 30, paths  # the walk found the routes of every router, not only the app's own
    return sorted(set(paths))


def _routes(routes, prefix: str = ""):
    """Every APIRoute of the app, through included routers (FastAPI keeps them as wrappers whose
    ``original_router`` holds the routes, with the prefix in ``include_context``)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route if not prefix else _Prefixed(route, prefix)
        elif hasattr(route, "original_router"):
            context = getattr(route, "include_context", None)
            yield from _routes(route.original_router.routes, prefix + (getattr(context, "prefix", "") or ""))


class _Prefixed:
    def __init__(self, route: APIRoute, prefix: str):
        self.methods, self.path = route.methods, prefix + route.path


class _Counting:
    """The app's job pool, counting what is asked of it."""

    def __init__(self, pool):
        self.pool, self.asked = pool, []

    async def run(self, function, *args, **kwargs):
        self.asked.append(function.__name__)
        return await self.pool.run(function, *args, **kwargs)

    def submit(self, job_id, function, *args, **kwargs):
        self.asked.append(function.__name__)
        return self.pool.submit(job_id, function, *args, **kwargs)

    def close(self):
        pass


@pytest.fixture
def counting(app):
    """Every piece of work the app hands its pool while the test runs."""
    counted = _Counting(app.state.jobs)
    app.state.jobs = app.state.render_jobs.pool = counted
    yield counted
    app.state.jobs = app.state.render_jobs.pool = counted.pool


# The account manager may render and report, the administrator see the people and the audit log:
# between them every GET route's handler is reached (legal and presales add only refusals; no GET
# route needs the one permission legal has beyond them, 'approve').
WALKERS = ("account_manager", "admin")


def _walk(app, counting, clients, paths: list[str], site: str, roles=WALKERS) -> dict[str, list[str]]:
    """{path: what it did} for each of ``paths`` asked by each role, with Sec-Fetch-Site: site."""
    did = {}
    with app.state.sessions() as db:
        last = db.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) or 0
    for path in paths:
        before = len(counting.asked)
        for role in roles:
            response = clients[role].get(path, params=QUERY, headers={"Sec-Fetch-Site": site},
                                         follow_redirects=False)
            assert response.status_code < 500, (path, role, response.status_code, response.text[:300])
            if site != "same-origin":  # a file's address, asked from elsewhere: refused outright
                assert response.status_code == 403 and "another site" in response.text, (path, site)
        with app.state.sessions() as db:  # what the path did, asked by every role
            written = db.execute(select(AuditEntry.id, AuditEntry.action).where(AuditEntry.id > last)).all()
        last = max([last, *(i for i, _ in written)])
        work = counting.asked[before:] + [f"audit:{a}" for _, a in written if a not in READS]
        if work:
            did[path] = work
    return did


def test_no_get_route_starts_work_or_records_a_change_whoever_asks_from_wherever(app, counting, clients,
                                                                                 contract_id):
    """Asked by the roles that reach every handler, no GET route hands the pool any work or writes
    more than a read to the audit log: documents, redlines, reviews and mark-up replies are made by
    POSTs, and a GET serves what was made. Asked from another site (cross-site, or same-site: a
    sibling subdomain), the addresses that hand out a file are refused outright, before any work or
    any record, whoever asks (the guard answers before the role is even read).

    Only the guard (headers.py) reads Sec-Fetch-Site, and only for the addresses of files; every
    other address answers the same whatever the header says, so those are walked once."""
    from pathlib import Path

    import slagen.workspace

    readers = [f.name for f in Path(slagen.workspace.__file__).parent.glob("*.py")
               if "sec-fetch-site" in f.read_text(encoding="utf-8").lower()]
    assert readers == ["headers.py"], readers
    paths = _paths(app, contract_id)
    guarded = [path for path in paths if _WORK.match(path)]
    assert len(guarded) >= 6, guarded  # documents (page and API), redlines, the reply, the YAML export
    assert _walk(app, counting, clients, paths, "same-origin") == {}
    assert _walk(app, counting, clients, guarded, "cross-site", ROLES) == {}
    assert _walk(app, counting, clients, guarded, "same-site", ROLES) == {}
    assert counting.asked == []


def _finished(client, url: str, seconds: float = 300) -> dict:
    deadline = time.monotonic() + seconds
    while (job := client.get(url).json())["state"] not in ("done", "failed"):
        assert time.monotonic() < deadline, f"{url} did not finish"
        time.sleep(0.1)
    return job


def test_the_review_is_made_by_a_post_and_read_by_everyone_until_the_text_changes(app, counting, clients):
    """The review page offers the review (a button that POSTs, which its script presses); the POST
    makes it once, and every reader then gets the same findings without any more work. A new text
    is a new review, made only when someone asks again."""
    contract_id = _created(clients, example().replace("reference: NW-ACME-2027-01", "reference: REVIEW-JOB-1"))
    legal, presales = clients["legal"], clients["presales"]
    review_page = f"/contracts/{contract_id}/review"

    before = legal.get(review_page)
    assert before.status_code == 200 and 'id="run-review"' in before.text and 'id="not-reviewed"' in before.text
    assert f'data-start-url="/api/contracts/{contract_id}/review-jobs"' in before.text
    assert 'id="approve"' not in before.text  # nothing to decide on before the findings are read
    unmade = legal.get(f"/api/contracts/{contract_id}/review")
    assert unmade.status_code == 409 and f"POST /api/contracts/{contract_id}/review-jobs" in unmade.json()["error"]
    assert counting.asked == []

    # Without scripts: the button's POST starts the job and leads to the page that follows it.
    started = legal.post(review_page, data={"csrf_token": legal.csrf}, follow_redirects=False)
    assert started.status_code == 303 and started.headers["location"].startswith(f"{review_page}?job=")
    job_id = started.headers["location"].split("?job=")[1]
    following = legal.get(started.headers["location"])
    assert following.status_code == 200
    assert ('http-equiv="refresh"' in following.text) or ('id="defaults"' in following.text)  # running, or done
    assert _finished(legal, f"/api/jobs/{job_id}")["state"] == "done"
    done = legal.get(started.headers["location"]).text
    assert 'id="defaults"' in done and "Nothing blocks approval" in done and 'id="review-again"' in done
    assert 'http-equiv="refresh"' not in done

    # Everyone reads it now, on the page and from the API, and nothing more is made.
    for client in (presales, legal, presales):
        assert 'id="defaults-relied-on"' in client.get(review_page).text
    review = presales.get(f"/api/contracts/{contract_id}/review").json()
    assert review["blocked"] is False and review["defaults"]
    assert counting.asked == ["job_review_file"]

    # A new text is a new review: this one, a draft that does not read, is not reviewed until
    # someone asks (here through the API); it fails with the engine's sentence, shown on the page
    # that follows the job, with a button to try again and nothing that starts it by itself.
    saved = legal.post(f"/api/contracts/{contract_id}/versions", headers={"X-CSRF-Token": legal.csrf},
                       json={"text": example().replace("reference: NW-ACME-2027-01", "reference: REVIEW-JOB-1")
                             .replace("notice_days: 90", "notice_days: ninety"), "base_version": 1})
    assert saved.status_code == 201
    assert 'id="not-reviewed"' in legal.get(review_page).text
    assert legal.get(f"/api/contracts/{contract_id}/review").status_code == 409
    # The page that followed the old text's job does not show that review as the new text's.
    assert 'id="defaults"' not in legal.get(started.headers["location"]).text
    job = legal.post(f"/api/contracts/{contract_id}/review-jobs", headers={"X-CSRF-Token": legal.csrf})
    assert job.status_code == 202 and job.json()["kind"] == "review" and job.json()["version"] == 2
    assert _finished(legal, job.json()["url"])["state"] == "failed"
    assert counting.asked == ["job_review_file", "job_review_file"]
    failed = legal.get(f"{review_page}?job={job.json()['id']}").text
    assert 'id="review-error"' in failed and "notice_days" in failed and "Run the review again" in failed
    assert "data-start-url" not in failed.split('id="review-job"')[1].split(">")[0]
    assert legal.get(f"/api/contracts/{contract_id}/review").status_code == 409  # a failure is not a review


def test_the_reply_to_a_markup_is_made_by_a_post_and_a_failure_is_told(app, counting, clients, contract_id):
    """The reply DOCX is a render job: the GET of its address, before it is made, is a page whose
    button POSTs; the POST of the job API starts it. The mark-up on record here is not a real DOCX,
    so the job fails with the engine's plain message, and the address still has nothing to serve."""
    am = clients["account_manager"]
    address = f"/contracts/{contract_id}/markup/1/reply.docx"
    unmade = am.get(address)
    assert unmade.status_code == 409 and 'id="render-now"' in unmade.text
    assert f'action="{address}"' in unmade.text
    page = am.get(f"/contracts/{contract_id}/markup").text
    assert f'data-start-url="/api/contracts/{contract_id}/markup/1/reply-jobs"' in page and 'id="reply-docx"' in page
    assert counting.asked == []

    started = am.post(f"/api/contracts/{contract_id}/markup/1/reply-jobs", headers={"X-CSRF-Token": am.csrf})
    assert started.status_code == 202 and started.json()["kind"] == "markup-reply"
    job = _finished(am, started.json()["url"])
    assert job["state"] == "failed" and job["error"] and "Traceback" not in job["error"], job
    assert counting.asked == ["job_markup_reply"]
    assert am.get(address).status_code == 409
    # Legal and presales: legal may render, presales may not.
    assert clients["presales"].post(f"/api/contracts/{contract_id}/markup/1/reply-jobs",
                                    headers={"X-CSRF-Token": clients["presales"].csrf}).status_code == 403


def test_an_old_browser_without_sec_fetch_site_is_judged_by_its_referer(clients, contract_id):
    am = clients["account_manager"]
    url = f"/contracts/{contract_id}/versions/1.yaml"
    elsewhere = am.get(url, headers={"Referer": "https://attacker.example/page"})
    assert elsewhere.status_code == 403 and "another site" in elsewhere.text
    here = am.get(url, headers={"Referer": f"http://127.0.0.1/contracts/{contract_id}"})
    assert here.status_code == 200 and "reference: NW-ACME-2027-01" in here.text
