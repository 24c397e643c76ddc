"""Every route, for every role: allowed where the role table says so, 403 everywhere else.

The table below is the specification; a test checks that it names every route the application
has, so a new route cannot be added without deciding who may use it.
"""

from __future__ import annotations

import pytest

from slagen.workspace.roles import PERMISSIONS
from workspace.conftest import PASSWORD, ROLES, example

# (method, path, permission, body): body is form data for pages and JSON for /api.
ROUTES = [
    ("GET", "/", "view", None),
    ("GET", "/notice-deadlines", "view", None),
    ("GET", "/contracts/{cid}", "view", None),
    ("GET", "/contracts/{cid}/versions/1.yaml", "view", None),
    ("GET", "/contracts/{cid}/compare?old=1&new=1", "view", None),
    ("GET", "/contracts/{cid}/redline?old=1&new=1&format=html", "view", None),
    ("POST", "/contracts/{cid}/redline?old=1&new=1&format=html", "view", {}),
    ("GET", "/contracts/{cid}/review", "view", None),
    ("POST", "/contracts/{cid}/review", "view", {}),
    ("GET", "/contracts/new", "create", None),
    ("POST", "/contracts/new", "create", {"reference": ""}),
    ("POST", "/contracts/import", "create", {}),
    ("POST", "/contracts/{cid}/save", "edit", {"text": "@TEXT", "base_version": "1", "message": "m"}),
    ("POST", "/contracts/{cid}/reopen", "edit", {}),
    ("POST", "/contracts/{cid}/comments", "comment", {"version": "1", "text": "looks fine"}),
    ("GET", "/contracts/{cid}/versions/1/agreement.docx", "render", None),
    ("POST", "/contracts/{cid}/versions/1/agreement.docx", "render", {}),
    ("POST", "/contracts/{cid}/submit", "submit", {"version": "1"}),
    ("POST", "/contracts/{cid}/decide", "approve", {"decision": "approved", "version": 1}),
    ("POST", "/contracts/{cid}/sign", "approve", {}),
    ("GET", "/contracts/{cid}/report", "report", None),
    ("POST", "/contracts/{cid}/report", "report", {"period": "2027-03"}),
    ("GET", "/contracts/{cid}/signed.pdf", "render", None),
    ("GET", "/register/notice-deadlines.csv", "view", None),
    ("GET", "/register/notice-deadlines.ics", "view", None),
    ("POST", "/account/timezone", "account", {"timezone": ""}),
    ("GET", "/admin/users", "users", None),
    ("POST", "/admin/users", "users", {"name": "", "role": "legal", "password": ""}),
    ("POST", "/admin/users/999/active", "users", {"active": "no"}),
    ("POST", "/admin/users/999/role", "users", {"role": "legal"}),
    ("POST", "/admin/users/999/password", "users", {"password": "a new passphrase"}),
    ("POST", "/admin/users/999/sessions/end", "users", None),
    ("GET", "/admin/audit", "users", None),
    ("GET", "/tokens", "tokens", None),
    ("POST", "/tokens", "tokens", {"name": "crm"}),
    ("POST", "/tokens/999/revoke", "tokens", {}),
    ("GET", "/account", "account", None),
    ("POST", "/account/password", "account", {"current": "", "new": "", "again": ""}),
    ("POST", "/account/sign-out-elsewhere", "account", {}),
    ("POST", "/api/diagnostics", "diagnose", {"text": "slagen: 1\n"}),
    ("GET", "/api/schema", "view", None),
    ("GET", "/api/contracts", "view", None),
    ("POST", "/api/contracts", "create", {"text": "slagen: 1\n"}),
    ("GET", "/api/contracts/{cid}", "view", None),
    ("GET", "/api/contracts/{cid}/versions/1", "view", None),
    ("POST", "/api/contracts/{cid}/versions", "edit", {"text": "@TEXT", "base_version": 1}),
    ("GET", "/api/contracts/{cid}/versions/1/documents/agreement.docx", "render", None),
    ("GET", "/api/contracts/{cid}/redline?old=1&new=1&format=docx", "render", None),
    ("POST", "/api/contracts/{cid}/render-jobs", "render", {"version": 1, "format": "html"}),
    ("POST", "/api/contracts/{cid}/redline-jobs", "view", {"old": 1, "new": 1, "format": "html"}),
    # A DOCX redline is a download, which needs 'render' (the query only tells the two lines apart).
    ("POST", "/api/contracts/{cid}/redline-jobs?as=download", "render", {"old": 1, "new": 1, "format": "docx"}),
    ("POST", "/api/contracts/{cid}/versions/1/review-sheet-jobs", "render", {"format": "pdf"}),
    ("GET", "/api/jobs/no-such-job", "view", None),  # a job's own permission is checked too: test_workspace_jobs
    ("GET", "/api/jobs/no-such-job/file", "view", None),
    ("POST", "/api/contracts/{cid}/submit", "submit", {"version": 1}),
    ("GET", "/api/contracts/{cid}/review", "view", None),
    ("POST", "/api/contracts/{cid}/review-jobs", "view", {}),
    ("POST", "/api/contracts/{cid}/decision", "approve", {"decision": "returned", "version": 1, "comment": "no"}),
    ("POST", "/api/contracts/{cid}/reports", "report", {}),
    ("POST", "/api/contracts/{cid}/report-jobs", "report", {}),
    ("POST", "/api/contracts/{cid}/report-preview", "report", {}),
    ("POST", "/api/portfolio-jobs", "report", {}),
    ("GET", "/monthly-run", "report", None),
    ("POST", "/monthly-run", "report", {"period": "2027-03"}),
    ("GET", "/monthly-run/no-such-job", "report", None),
    ("GET", "/monthly-run/no-such-job/files/summary.json", "report", None),
    ("POST", "/api/contracts/{cid}/signature", "approve", {}),
    ("GET", "/api/contracts/{cid}/signed-copy.pdf", "render", None),
    ("POST", "/api/contracts/{cid}/comments", "comment", {"version": 1, "text": "fine"}),
    ("GET", "/api/audit", "users", None),
    ("GET", "/api/tokens", "tokens", None),
    ("DELETE", "/api/tokens/999", "tokens", None),
]
PUBLIC = {("GET", "/login"), ("POST", "/login"), ("POST", "/logout")}


def call(client, method, path, body, *, cid, csrf=True, token=None):
    url = path.format(cid=cid)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if body is not None:
        body = {k: (example() if v == "@TEXT" else v) for k, v in body.items()}
    if url.startswith("/api"):
        if csrf and not token:
            headers["X-CSRF-Token"] = client.csrf
        return client.request(method, url, json=body if method == "POST" else None, headers=headers,
                              follow_redirects=False)
    data = dict(body or {})
    if csrf and method == "POST":
        data["csrf_token"] = client.csrf
    return client.request(method, url, data=data if method == "POST" else None, headers=headers,
                          follow_redirects=False)


def test_the_table_names_every_route():
    from slagen.workspace import api, monthly_run, pages, register_exports, report_page, signatures

    declared = {(m, p.split("?")[0]) for m, p, _, _ in ROUTES} | PUBLIC
    routes = list(pages.router.routes) + list(api.router.routes)
    for module in (register_exports, report_page, signatures, monthly_run):  # the team's own routers
        routes += list(module.router.routes) + list(getattr(module, "api_router", module.router).routes)
    assert len(routes) > 30
    for route in routes:
        methods = getattr(route, "methods", None) or set()
        path = route.path
        for method in methods - {"HEAD"}:
            concrete = (path.replace("{contract_id}", "{cid}").replace("{user_id}", "999")
                        .replace("{token_id}", "999").replace("{number}", "1").replace("{doc}", "agreement")
                        .replace("{fmt}", "docx").replace("{job_id}", "no-such-job")
                        .replace("{name}", "summary.json"))
            assert (method, concrete) in declared, f"{method} {path} has no line in the role table"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_allowed_exactly_what_the_role_table_says(clients, contract_id, role):
    client = clients[role]
    wrong = []
    for method, path, permission, body in ROUTES:
        response = call(client, method, path, body, cid=contract_id)
        allowed = role in PERMISSIONS[permission]
        if allowed and response.status_code in (401, 403):
            wrong.append(f"{method} {path}: {role} should be allowed, got {response.status_code} {response.text[:200]}")
        if not allowed and response.status_code != 403:
            wrong.append(f"{method} {path}: {role} should get 403, got {response.status_code}")
        if response.status_code >= 500:
            wrong.append(f"{method} {path}: server error {response.status_code}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_api_tokens_carry_the_same_role_checks(clients, contract_id, role):
    client = clients[role]
    page = client.post("/tokens", data={"name": "integration", "password": PASSWORD, "csrf_token": client.csrf})
    import re

    token = re.search(r'id="new-token">([^<]+)<', page.text).group(1)
    from fastapi.testclient import TestClient

    with TestClient(client.app, base_url="http://127.0.0.1") as bare:  # no cookie: the token alone
        wrong = []
        for method, path, permission, body in ROUTES:
            if not path.startswith("/api"):
                continue
            response = call(bare, method, path, body, cid=contract_id, token=token)
            allowed = role in PERMISSIONS[permission]
            if allowed == (response.status_code in (401, 403)) or response.status_code >= 500:
                wrong.append(f"{method} {path} with {role}'s token: {response.status_code}")
        assert not wrong, "\n".join(wrong)


def test_nobody_signed_in_is_sent_to_sign_in_or_told_401(anonymous, contract_id):
    for method, path, _, body in ROUTES:
        response = call(anonymous, method, path, body, cid=contract_id, csrf=False)
        if method == "POST" and not path.startswith("/api"):
            assert response.status_code == 401, path  # no session: refused before its body is read
        elif path.startswith("/api"):
            assert response.status_code in (401, 403), path
        else:
            assert response.status_code == 303 and response.headers["location"].startswith("/login"), path
