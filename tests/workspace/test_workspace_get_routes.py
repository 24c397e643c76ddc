"""Every GET route of the workspace, walked: none starts work or records more than a read when the
request comes from another site, and every one that starts work is on the guard's list.

A link, an image or a frame on another site makes the browser send a GET with the signed-in
person's cookie. So a GET must not change anything or make the server work on that person's
behalf unless it comes from the workspace's own pages. The routes are read from the app itself,
so a route added later is walked too.
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import select

from slagen.workspace.headers import _WORK
from slagen.workspace.models import AuditEntry
from workspace.conftest import example

sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

# Audit rows that record a read (a download, an export, a refused look), not a change.
READS = {"export", "download_signed", "denied"}
# Values for the path's parameters: real ones where the route needs a real thing to reach its work.
QUERY = {"old": "1", "new": "1", "version": "1", "doc": "agreement", "format": "html"}


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


def _walk(app, clients, contract_id: int, site: str, roles=None) -> dict[str, list[str]]:
    """{path: what it did} for every GET route asked by each role, with Sec-Fetch-Site: site."""
    counting = _Counting(app.state.jobs)
    app.state.jobs = app.state.render_jobs.pool = counting
    did = {}
    try:
        for path in _paths(app, contract_id):
            for role, client in clients.items():
                if roles is not None and role not in roles:
                    continue
                with app.state.sessions() as db:
                    last = db.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) or 0
                before = len(counting.asked)
                response = client.get(path, params=QUERY, headers={"Sec-Fetch-Site": site}, follow_redirects=False)
                assert response.status_code < 500, (path, role, response.status_code, response.text[:300])
                with app.state.sessions() as db:
                    written = db.scalars(select(AuditEntry.action).where(AuditEntry.id > last)).all()
                work = counting.asked[before:] + [f"audit:{a}" for a in written if a not in READS]
                if work:
                    did.setdefault(path, []).extend(work)
    finally:
        app.state.jobs = app.state.render_jobs.pool = counting.pool
    return did


@sqlite_only
def test_no_get_route_starts_work_or_records_a_change_when_asked_from_another_site(app, clients, contract_id):
    assert _walk(app, clients, contract_id, "cross-site") == {}
    assert _walk(app, clients, contract_id, "same-site") == {}  # a sibling subdomain is another site too


@sqlite_only
def test_every_get_route_that_starts_work_is_on_the_guards_list(app, clients, contract_id):
    """Documents and redlines are made only by POSTs; a GET serves what was made. Asked from the
    workspace's own pages, only the review still runs work on a GET (the review of the latest
    version, in the worker pool, once per text), and it is on the list the guard refuses from
    elsewhere."""
    # The account manager may render and report, the administrator see the people and the audit
    # log: between them every route's work is reached (the other roles add only refusals).
    from slagen.workspace import engine

    engine._REVIEWS.items.clear()  # no review kept from another test: the walk must reach its work
    did = _walk(app, clients, contract_id, "same-origin", roles=("account_manager", "admin"))
    unguarded = {path: work for path, work in did.items() if not _WORK.match(path)}
    assert unguarded == {}
    # The review is made once for the version's text and kept: whichever review address came first.
    assert list(did.values()) == [["job_review"]], did
    assert set(did) <= {f"/contracts/{contract_id}/review", f"/api/contracts/{contract_id}/review"}


@sqlite_only
def test_the_review_is_made_once_per_version_text_however_often_it_is_read(app, clients, contract_id):
    from slagen.workspace import engine

    engine._REVIEWS.items.clear()
    counting = _Counting(app.state.jobs)
    app.state.jobs = app.state.render_jobs.pool = counting
    try:
        legal, presales = clients["legal"], clients["presales"]
        for client in (legal, presales, legal):
            assert client.get(f"/contracts/{contract_id}/review").status_code == 200
        assert legal.get(f"/api/contracts/{contract_id}/review").json()["summary"] is not None
        assert counting.asked == ["job_review"]
        saved = legal.post(f"/api/contracts/{contract_id}/versions", headers={"X-CSRF-Token": legal.csrf},
                           json={"text": example().replace("notice_days: 90", "notice_days: 60"), "base_version": 1})
        assert saved.status_code == 201
        assert legal.get(f"/contracts/{contract_id}/review").status_code == 200  # a new text: a new review
        assert counting.asked == ["job_review", "job_review"]
    finally:
        app.state.jobs = app.state.render_jobs.pool = counting.pool


@sqlite_only
def test_an_old_browser_without_sec_fetch_site_is_judged_by_its_referer(clients, contract_id):
    am = clients["account_manager"]
    url = f"/contracts/{contract_id}/versions/1.yaml"
    elsewhere = am.get(url, headers={"Referer": "https://attacker.example/page"})
    assert elsewhere.status_code == 403 and "another site" in elsewhere.text
    here = am.get(url, headers={"Referer": f"http://127.0.0.1/contracts/{contract_id}"})
    assert here.status_code == 200 and "reference: NW-ACME-2027-01" in here.text
