"""Server-side sessions: the cookie names a row, and ending the row ends the session wherever the
cookie has been copied. Sessions end on sign-out, "sign out everywhere else", a password change,
an administrator's deactivation or role change, 8 hours idle and 12 hours after signing in."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from slagen.workspace.api_tokens import as_utc, digest
from slagen.workspace.models import AuditEntry, User, WebSession, utcnow
from workspace.conftest import PASSWORD, csrf_from, sign_in

NEW_PASSWORD = "a different passphrase"


def cookie_of(client) -> str:
    return client.cookies.get("slagen_session")


def session_id_in(cookie: str) -> str:
    """The session id inside the signed cookie (its first part is base64 JSON)."""
    payload = cookie.split(".")[0]
    return json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))["sid"]


def status_with_cookie(app, cookie: str, path: str = "/") -> int:
    with TestClient(app, base_url="http://127.0.0.1") as other:  # another machine holding a copy
        return other.get(path, headers={"Cookie": f"slagen_session={cookie}"}, follow_redirects=False).status_code


def signed_in(client) -> bool:
    response = client.get("/", follow_redirects=False)
    assert response.status_code in (200, 303)
    return response.status_code == 200


def rows_of(app, name: str) -> list[WebSession]:
    with app.state.sessions() as db:
        user_id = db.scalar(select(User.id).where(User.name == name))
        return list(db.scalars(select(WebSession).where(WebSession.user_id == user_id).order_by(WebSession.id)))


def user_id(app, name: str) -> int:
    with app.state.sessions() as db:
        return db.scalar(select(User.id).where(User.name == name))


def audited(app, action: str) -> list[tuple[str, str]]:
    with app.state.sessions() as db:
        return [(e.actor, e.detail) for e in db.scalars(select(AuditEntry).where(AuditEntry.action == action))]


def test_the_database_keeps_only_a_hash_of_the_session_id(app):
    with TestClient(app, base_url="http://127.0.0.1", headers={"User-Agent": "Firefox on the laptop"}) as client:
        client.post("/login", data={"name": "legal", "password": PASSWORD, "next": "/",
                                    "csrf_token": csrf_from(client.get("/login").text)})
        session_id = session_id_in(cookie_of(client))
    [row] = rows_of(app, "legal")
    assert row.id_sha256 == digest(session_id) and session_id not in (row.id_sha256, row.address, row.user_agent)
    assert row.address == "testclient" and row.user_agent == "Firefox on the laptop"
    assert as_utc(row.expires_at) - as_utc(row.created_at) == timedelta(hours=12)


def test_a_copied_cookie_stops_working_after_sign_out(app):
    client = sign_in(app, "presales")
    copy = cookie_of(client)
    assert status_with_cookie(app, copy) == 200
    client.post("/logout", data={"csrf_token": client.csrf})
    with TestClient(app, base_url="http://127.0.0.1") as other:
        response = other.get("/", headers={"Cookie": f"slagen_session={copy}"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert rows_of(app, "presales") == []
    with TestClient(app, base_url="http://127.0.0.1") as other:
        assert other.get("/api/contracts", headers={"Cookie": f"slagen_session={copy}"}).status_code == 401


def test_the_csrf_token_belongs_to_the_session(app):
    client = sign_in(app, "account_manager")
    first = client.csrf
    client.post("/logout", data={"csrf_token": first})
    again = sign_in(app, "account_manager")
    assert again.csrf != first
    refused = again.post("/account/sign-out-elsewhere", data={"csrf_token": first})
    assert refused.status_code == 403 and "CSRF" in refused.text


def test_sign_out_everywhere_else_keeps_only_this_session(app):
    laptop, phone, tablet = (sign_in(app, "legal") for _ in range(3))
    page = laptop.get("/account").text
    assert page.count("<tr><td>") == 3 and page.count("this one") == 1
    assert "ends after 8 hours without use, and 12 hours after signing in" in page
    done = laptop.post("/account/sign-out-elsewhere", data={"csrf_token": laptop.csrf})
    assert done.status_code == 200 and "2 other sessions were signed out" in done.text
    assert signed_in(laptop) and not signed_in(phone) and not signed_in(tablet)
    assert len(rows_of(app, "legal")) == 1
    assert audited(app, "sign_out_elsewhere") == [("legal", "2 other sessions ended")]


def test_changing_ones_password_signs_out_every_other_session(app):
    here, elsewhere = sign_in(app, "presales"), sign_in(app, "presales")
    other_person = sign_in(app, "legal")

    def change(current, new, again):
        return here.post("/account/password", data={"current": current, "new": new, "again": again,
                                                     "csrf_token": here.csrf})

    for form, message in ((("wrong password", NEW_PASSWORD, NEW_PASSWORD), "the current password is wrong"),
                          ((PASSWORD, "short", "short"), "the new password is too short: use at least 10"),
                          ((PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "!"), "the two new passwords differ")):
        refused = change(*form)
        assert refused.status_code == 422 and message in refused.text
        assert signed_in(elsewhere)  # nothing changed
    done = change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    assert done.status_code == 200 and "1 other session was signed out" in done.text
    assert signed_in(here) and not signed_in(elsewhere) and signed_in(other_person)
    with TestClient(app, base_url="http://127.0.0.1") as fresh:
        token = csrf_from(fresh.get("/login").text)
        old = fresh.post("/login", data={"name": "presales", "password": PASSWORD, "csrf_token": token})
        assert old.status_code == 401
    assert signed_in(sign_in(app, "presales", NEW_PASSWORD))
    assert audited(app, "change_password") == [("presales", "1 other session ended")]


def test_an_administrator_changing_a_role_signs_the_person_out(app, clients):
    admin, presales = clients["admin"], clients["presales"]
    target = user_id(app, "presales")
    changed = admin.post(f"/admin/users/{target}/role", data={"role": "legal", "csrf_token": admin.csrf},
                         follow_redirects=False)
    assert changed.status_code == 303 and not signed_in(presales)
    again = sign_in(app, "presales")
    assert "(legal)" in again.get("/").text
    assert audited(app, "change_role") == [("admin", "presales: pre-sales -> legal (1 session ended)")]
    own = admin.post(f"/admin/users/{user_id(app, 'admin')}/role", data={"role": "legal", "csrf_token": admin.csrf})
    assert own.status_code == 400 and "cannot change your own role" in own.text
    bad = admin.post(f"/admin/users/{target}/role", data={"role": "boss", "csrf_token": admin.csrf})
    assert bad.status_code == 400 and "&#39;boss&#39; is not a role" in bad.text


def test_an_administrator_deactivating_a_user_ends_their_sessions(app, clients):
    admin = clients["admin"]
    second = sign_in(app, "account_manager")
    admin.post(f"/admin/users/{user_id(app, 'account_manager')}/active", data={"active": "no",
                                                                               "csrf_token": admin.csrf})
    assert not signed_in(clients["account_manager"]) and not signed_in(second)
    assert rows_of(app, "account_manager") == []


def test_an_administrator_signs_someone_out_everywhere_and_their_tokens_stay(app, clients):
    """A lost laptop: every session of that person ends; they sign in again as before."""
    admin, legal = clients["admin"], clients["legal"]
    second = sign_in(app, "legal")
    people = admin.get("/admin/users").text
    assert "2 sessions" in people and f'action="/admin/users/{user_id(app, "legal")}/sessions/end"' in people
    ended = admin.post(f"/admin/users/{user_id(app, 'legal')}/sessions/end", data={"csrf_token": admin.csrf},
                       follow_redirects=False)
    assert ended.status_code == 303 and not signed_in(legal) and not signed_in(second)
    assert rows_of(app, "legal") == []
    assert signed_in(sign_in(app, "legal"))  # the same password still works
    assert audited(app, "end_sessions") == [("admin", "legal (2 sessions ended)")]
    own = admin.post(f"/admin/users/{user_id(app, 'admin')}/sessions/end", data={"csrf_token": admin.csrf})
    assert own.status_code == 422 and "Account page" in own.text and signed_in(admin)


def test_an_administrator_gives_someone_who_forgot_it_a_new_password(app, clients):
    admin, presales = clients["admin"], clients["presales"]
    target = user_id(app, "presales")
    short = admin.post(f"/admin/users/{target}/password", data={"password": "short", "csrf_token": admin.csrf})
    assert short.status_code == 422 and "at least 10 characters" in short.text and signed_in(presales)
    done = admin.post(f"/admin/users/{target}/password", data={"password": NEW_PASSWORD, "csrf_token": admin.csrf},
                      follow_redirects=False)
    assert done.status_code == 303 and not signed_in(presales)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        page = client.get("/login")
        refused = client.post("/login", data={"name": "presales", "password": PASSWORD, "next": "/",
                                              "csrf_token": csrf_from(page.text)}, follow_redirects=False)
        assert refused.status_code != 303  # the old password no longer signs in
    assert signed_in(sign_in(app, "presales", NEW_PASSWORD))
    assert audited(app, "set_password") == [("admin", "presales (1 session ended)")]
    own = admin.post(f"/admin/users/{user_id(app, 'admin')}/password",
                     data={"password": NEW_PASSWORD, "csrf_token": admin.csrf})
    assert own.status_code == 422 and "Account page" in own.text


def _age(app, name: str, **moments) -> None:
    with app.state.sessions() as db:
        for row in db.scalars(select(WebSession).join(User, User.id == WebSession.user_id).where(User.name == name)):
            for key, value in moments.items():
                setattr(row, key, value)
        db.commit()


def test_a_session_idle_for_8_hours_ends(app):
    client = sign_in(app, "legal")
    _age(app, "legal", last_seen_at=utcnow() - timedelta(hours=7, minutes=59))
    before = utcnow()
    assert signed_in(client)
    [row] = rows_of(app, "legal")
    assert as_utc(row.last_seen_at) >= before  # the request counted as activity
    _age(app, "legal", last_seen_at=utcnow() - timedelta(hours=8))
    assert not signed_in(client) and rows_of(app, "legal") == []


def test_a_session_ends_12_hours_after_signing_in_however_busy(app):
    client = sign_in(app, "legal")
    _age(app, "legal", created_at=utcnow() - timedelta(hours=12), expires_at=utcnow())
    assert not signed_in(client)


def test_last_seen_is_written_at_most_once_a_minute(app):
    client = sign_in(app, "legal")
    half_a_minute_ago = utcnow() - timedelta(seconds=30)
    _age(app, "legal", last_seen_at=half_a_minute_ago)
    assert signed_in(client)
    [row] = rows_of(app, "legal")
    assert as_utc(row.last_seen_at) == half_a_minute_ago


def test_signing_in_clears_sessions_that_have_run_out(app):
    sign_in(app, "presales")
    _age(app, "presales", last_seen_at=utcnow() - timedelta(hours=9))
    sign_in(app, "legal")
    assert rows_of(app, "presales") == []
