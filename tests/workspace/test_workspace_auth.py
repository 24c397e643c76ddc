"""Signing in, sessions, CSRF, the login rate limit and the password hash."""

from __future__ import annotations

from workspace.conftest import PASSWORD, csrf_from, sign_in


def _login(client, name, password):
    token = csrf_from(client.get("/login").text)
    return client.post("/login", data={"name": name, "password": password, "csrf_token": token, "next": "/"},
                       follow_redirects=False)


def test_the_session_cookie_is_httponly_and_samesite_lax(anonymous):
    response = _login(anonymous, "legal", PASSWORD)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_a_wrong_password_is_refused_in_plain_words(anonymous):
    response = _login(anonymous, "legal", "not the password")
    assert response.status_code == 401 and "the name or password is wrong" in response.text
    assert anonymous.get("/", follow_redirects=False).status_code == 303


def test_sign_in_is_rate_limited_per_name(anonymous):
    for _ in range(5):
        assert _login(anonymous, "legal", "guess").status_code == 401
    limited = _login(anonymous, "legal", PASSWORD)  # even the right password, for now
    assert limited.status_code == 429 and "too many failed sign-ins" in limited.text


def test_a_state_changing_form_without_its_csrf_token_is_refused(clients, contract_id):
    am = clients["account_manager"]
    for data in ({}, {"csrf_token": "forged"}):
        response = am.post(f"/contracts/{contract_id}/comments", data={"version": "1", "text": "hi", **data})
        assert response.status_code == 403 and "CSRF" in response.text
    no_header = am.post("/api/diagnostics", json={"text": "slagen: 1\n"})
    assert no_header.status_code == 403
    assert am.post("/api/diagnostics", json={"text": "slagen: 1\n"},
                   headers={"X-CSRF-Token": am.csrf}).status_code == 200
    # The refused comment was not stored.
    assert "hi</li>" not in am.get(f"/contracts/{contract_id}").text


def test_signing_in_needs_the_login_forms_token_too(anonymous):
    response = anonymous.post("/login", data={"name": "legal", "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 403


def test_signing_out_ends_the_session(app):
    client = sign_in(app, "presales")
    assert client.post("/logout", data={"csrf_token": client.csrf}, follow_redirects=False).status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_bad_or_missing_api_token_is_401(anonymous):
    assert anonymous.get("/api/contracts").status_code == 401
    assert anonymous.get("/api/contracts", headers={"Authorization": "Bearer slg_nope"}).status_code == 401
    assert anonymous.get("/api/contracts", headers={"Authorization": "Basic abc"}).status_code == 401


def test_passwords_are_stored_as_argon2id_with_the_recommended_parameters():
    from argon2 import PasswordHasher, Type

    from slagen.workspace import auth

    # The conftest swaps in a cheap hasher for speed; the module's own default is checked here.
    fresh = PasswordHasher()
    assert fresh.type is Type.ID and fresh.memory_cost >= 65536 and fresh.time_cost >= 3
    stored = auth.hash_password("a long passphrase")
    assert stored.startswith("$argon2id$")
    assert auth.password_matches(stored, "a long passphrase") and not auth.password_matches(stored, "wrong")
    assert not auth.password_matches("not a hash", "anything")


def test_api_tokens_are_stored_only_as_hashes(app, clients):
    import re

    from sqlalchemy import select

    from slagen.workspace.models import ApiToken

    am = clients["account_manager"]
    token = re.search(r'id="new-token">([^<]+)<', am.post("/tokens", data={"name": "psa", "password": PASSWORD, "csrf_token": am.csrf}).text)
    with app.state.sessions() as db:
        stored = db.scalars(select(ApiToken.token_sha256)).all()
    assert stored and token.group(1) not in stored


def test_a_deactivated_user_is_signed_out_at_once_and_cannot_sign_in(app, clients):
    from sqlalchemy import select

    from slagen.workspace.models import User

    admin, presales = clients["admin"], clients["presales"]
    with app.state.sessions() as db:
        presales_id = db.scalar(select(User.id).where(User.name == "presales"))
        admin_id = db.scalar(select(User.id).where(User.name == "admin"))
    assert presales.get("/", follow_redirects=False).status_code == 200
    admin.post(f"/admin/users/{presales_id}/active", data={"active": "no", "csrf_token": admin.csrf})
    assert presales.get("/", follow_redirects=False).status_code == 303  # the open session ends
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="http://127.0.0.1") as fresh:
        assert _login(fresh, "presales", PASSWORD).status_code == 401
    refused = admin.post(f"/admin/users/{admin_id}/active", data={"active": "no", "csrf_token": admin.csrf})
    assert refused.status_code == 400 and "cannot deactivate yourself" in refused.text
    admin.post(f"/admin/users/{presales_id}/active", data={"active": "yes", "csrf_token": admin.csrf})
    # Reactivated, they sign in afresh: the session that was open when they were stopped stays ended.
    assert presales.get("/", follow_redirects=False).status_code == 303
    assert sign_in(app, "presales").get("/", follow_redirects=False).status_code == 200
