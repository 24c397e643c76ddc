"""API tokens: listed with their last use and expiry, revoked by their owner or an administrator,
refused at once (401 with the reason as JSON) when revoked, expired or their user is stopped."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from slagen.workspace.api_tokens import as_utc
from slagen.workspace.models import ApiToken, AuditEntry, User, utcnow
from workspace.conftest import PASSWORD


def make_token(client, name: str, expires: str = "never") -> tuple[str, int]:
    """A token made on the Tokens page: its clear text (shown once) and its number (from the list)."""
    page = client.post("/tokens", data={"name": name, "expires": expires, "password": PASSWORD, "csrf_token": client.csrf})
    assert page.status_code == 200, page.text
    secret = re.search(r'id="new-token">([^<]+)<', page.text).group(1)
    number = next(t["id"] for t in client.get("/api/tokens").json() if t["name"] == name)
    return secret, number


def with_token(app, secret: str, path: str = "/api/contracts"):
    with TestClient(app, base_url="http://127.0.0.1") as bare:  # no cookie: the token alone
        return bare.get(path, headers={"Authorization": f"Bearer {secret}"})


def token_row(app, number: int) -> ApiToken:
    with app.state.sessions() as db:
        return db.get(ApiToken, number)


def change_token(app, number: int, **values) -> None:
    with app.state.sessions() as db:
        row = db.get(ApiToken, number)
        for key, value in values.items():
            setattr(row, key, value)
        db.commit()


def audit_actions(app) -> list[tuple[str, str, str]]:
    with app.state.sessions() as db:
        return [(e.actor, e.action, e.detail) for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_the_tokens_page_lists_ones_own_tokens_with_created_last_used_and_expiry(app, clients):
    am = clients["account_manager"]
    before = utcnow()
    _, psa = make_token(am, "PSA sync", "30")
    after = utcnow()
    make_token(clients["presales"], "someone else's")
    page = am.get("/tokens").text
    assert "PSA sync" in page and "someone else&#39;s" not in page and "someone else's" not in page
    listed = {t["name"]: t for t in am.get("/api/tokens").json()}
    assert set(listed) == {"PSA sync"}
    row = token_row(app, psa)
    created, expires = as_utc(row.created_at), as_utc(row.expires_at)
    assert before <= created <= after and expires - created == timedelta(days=30)
    assert listed["PSA sync"] == {"id": psa, "name": "PSA sync", "user": "account_manager",
                                  "created_at": created.isoformat(), "last_used_at": None,
                                  "expires_at": expires.isoformat(), "expired": False}
    for choice, days in (("90", 90), ("365", 365)):
        _, number = make_token(am, f"for {days} days", choice)
        row = token_row(app, number)
        assert as_utc(row.expires_at) - as_utc(row.created_at) == timedelta(days=days)
    _, forever = make_token(am, "forever")
    assert token_row(app, forever).expires_at is None


def test_an_expiry_the_form_does_not_offer_is_refused_and_nothing_is_made(app, clients):
    am = clients["account_manager"]
    refused = am.post("/tokens", data={"name": "odd", "expires": "7", "password": PASSWORD, "csrf_token": am.csrf})
    assert refused.status_code == 400 and "the expiry is one of never, 30, 90, 365" in refused.text
    assert 'id="new-token"' not in refused.text and am.get("/api/tokens").json() == []


def test_last_use_is_recorded_at_most_once_a_minute(app, clients):
    secret, number = make_token(clients["legal"], "CRM")
    before = utcnow()
    assert with_token(app, secret).status_code == 200
    first = as_utc(token_row(app, number).last_used_at)
    assert before <= first <= utcnow()
    thirty_seconds_ago = utcnow() - timedelta(seconds=30)
    change_token(app, number, last_used_at=thirty_seconds_ago)
    assert with_token(app, secret).status_code == 200
    assert as_utc(token_row(app, number).last_used_at) == thirty_seconds_ago  # not written again
    change_token(app, number, last_used_at=utcnow() - timedelta(seconds=61))
    before = utcnow()
    assert with_token(app, secret).status_code == 200
    assert as_utc(token_row(app, number).last_used_at) >= before


def test_revoking_ones_own_token_stops_it_at_once_and_is_audited(app, clients):
    am = clients["account_manager"]
    secret, number = make_token(am, "old PSA")
    assert with_token(app, secret).status_code == 200
    revoked = am.post(f"/tokens/{number}/revoke", data={"csrf_token": am.csrf}, follow_redirects=False)
    assert revoked.status_code == 303 and revoked.headers["location"] == "/tokens"
    refused = with_token(app, secret)
    assert refused.status_code == 401 and refused.json()["error"].startswith("this API token ('old PSA') was revoked")
    assert refused.headers["www-authenticate"] == "Bearer"
    # On a page too, a program that sent a token is answered in JSON, not sent to the sign-in form.
    on_page = with_token(app, secret, "/")
    assert on_page.status_code == 401 and "was revoked" in on_page.json()["error"]
    assert am.get("/api/tokens").json() == [] and "old PSA" not in am.get("/tokens").text
    assert am.post(f"/tokens/{number}/revoke", data={"csrf_token": am.csrf}).status_code == 404  # only once
    actions = audit_actions(app)
    assert ("account_manager", "new_token", f"'old PSA' (number {number}, no expiry)") in actions
    assert ("account_manager", "revoke_token", f"'old PSA' (number {number}) of account_manager") in actions


def test_revoking_needs_the_csrf_token(app, clients):
    am = clients["account_manager"]
    secret, number = make_token(am, "kept")
    assert am.post(f"/tokens/{number}/revoke", data={}).status_code == 403
    assert with_token(app, secret).status_code == 200


def test_an_expired_token_is_refused_and_marked_expired_in_the_list(app, clients):
    presales = clients["presales"]
    secret, number = make_token(presales, "quarterly", "90")
    assert with_token(app, secret).status_code == 200
    change_token(app, number, expires_at=utcnow() - timedelta(seconds=1))
    refused = with_token(app, secret)
    assert refused.status_code == 401 and "this API token ('quarterly') expired on" in refused.json()["error"]
    [listed] = presales.get("/api/tokens").json()
    assert listed["expired"] is True and "(expired)" in presales.get("/tokens").text


def test_a_non_admin_cannot_see_or_revoke_someone_elses_token(app, clients):
    secret, number = make_token(clients["account_manager"], "the AM's")
    presales = clients["presales"]
    assert presales.get("/api/tokens").json() == []
    assert presales.delete(f"/api/tokens/{number}", headers={"X-CSRF-Token": presales.csrf}).status_code == 404
    assert presales.post(f"/tokens/{number}/revoke", data={"csrf_token": presales.csrf}).status_code == 404
    own_secret, _ = make_token(presales, "mine")
    with TestClient(app, base_url="http://127.0.0.1") as bare:  # nor with a token of their own
        refused = bare.delete(f"/api/tokens/{number}", headers={"Authorization": f"Bearer {own_secret}"})
    assert refused.status_code == 404
    assert with_token(app, secret).status_code == 200
    assert not [a for a in audit_actions(app) if a[1] == "revoke_token"]


def test_an_administrator_sees_every_token_and_revokes_anothers(app, clients):
    am_secret, am_number = make_token(clients["account_manager"], "AM's PSA")
    make_token(clients["legal"], "legal's CRM")
    admin = clients["admin"]
    listed = {(t["user"], t["name"]) for t in admin.get("/api/tokens").json()}
    assert listed == {("account_manager", "AM's PSA"), ("legal", "legal's CRM")}
    page = admin.get("/tokens").text
    assert "Everyone else's tokens" in page and "AM&#39;s PSA" in page
    deleted = admin.delete(f"/api/tokens/{am_number}", headers={"X-CSRF-Token": admin.csrf})
    assert deleted.status_code == 204
    assert with_token(app, am_secret).status_code == 401
    assert ("admin", "revoke_token", f"'AM's PSA' (number {am_number}) of account_manager") in audit_actions(app)
    assert admin.delete(f"/api/tokens/{am_number}", headers={"X-CSRF-Token": admin.csrf}).status_code == 404


def test_a_token_can_revoke_itself_through_the_api(app, clients):
    secret, number = make_token(clients["legal"], "leaked")
    with TestClient(app, base_url="http://127.0.0.1") as bare:
        gone = bare.delete(f"/api/tokens/{number}", headers={"Authorization": f"Bearer {secret}"})
        assert gone.status_code == 204
        assert bare.get("/api/tokens", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


@pytest.mark.parametrize("reactivate", [False, True])
def test_deactivating_a_user_revokes_their_tokens_for_good(app, clients, reactivate):
    secret, _ = make_token(clients["account_manager"], "integration")
    admin = clients["admin"]
    with app.state.sessions() as db:
        am_id = db.scalar(select(User.id).where(User.name == "account_manager"))
    admin.post(f"/admin/users/{am_id}/active", data={"active": "no", "csrf_token": admin.csrf})
    if reactivate:  # coming back does not bring the old token back
        admin.post(f"/admin/users/{am_id}/active", data={"active": "yes", "csrf_token": admin.csrf})
    refused = with_token(app, secret)
    assert refused.status_code == 401 and "was revoked" in refused.json()["error"]
    assert ("admin", "deactivate_user", "account_manager (1 session ended, 1 API token revoked)") \
        in audit_actions(app)
