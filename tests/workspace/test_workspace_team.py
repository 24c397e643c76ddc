"""For the team, where the database matters (on SQLite and PostgreSQL): days left and drafts
left out of notice deadlines, the audit log by reference, "Mark signed" keeping the signed PDF,
and each person's own time zone. The rest is in test_workspace_team_pages.py.

Dates are worked out by hand for 'today' = 1 June 2027.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from workspace.test_workspace_register import contract

TODAY = date(2027, 6, 1)
PDF = b"%PDF-1.7\n% a signed copy, scanned\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _set(app, reference: str, **values) -> None:
    from slagen.workspace.models import AuditEntry, Contract

    with app.state.sessions() as db:
        row = db.query(Contract).filter_by(reference=reference).one()
        for key, value in values.items():
            setattr(row, key, value)
        # Every change to a contract comes with its audit row (the register's rows are kept until one is written).
        db.add(AuditEntry(actor="test", action="edit", contract_id=row.id, detail=", ".join(values)))
        db.commit()


@pytest.fixture
def deadlines(clients, monkeypatch):
    from slagen.workspace import pages

    monkeypatch.setattr(pages, "today", lambda: TODAY)
    am = clients["account_manager"]
    for text in (
        # renews 1 Oct 2027; 90 days' notice -> 3 Jul 2027; June 1 -> July 1 is 30 days, so 32 days left
        contract("B-2", "Bravo Ltd", "2026-10-01", 90),
        # renews 1 Sep 2027; 30 days' notice -> 2 Aug 2027; 30 (June) + 31 (July) + 1 = 62 days left
        contract("E-5", "=Echo Ltd", "2026-09-01", 30),
        # the same dates as B-2, but a draft never approved: no deadline to keep
        contract("F-6", "Foxtrot Ltd", "2026-10-01", 90),
        # renews 1 Dec 2027; 60 days' notice -> 2 Oct 2027 (Nov 30 + Oct 30 days back): 123 days left;
        # approved once, then reopened as a draft: the approved version is in force
        contract("G-7", "Golf Ltd", "2026-12-01", 60),
    ):
        assert am.post("/api/contracts", json={"text": text}, headers={"X-CSRF-Token": am.csrf}).status_code == 201
    _set(am.app, "B-2", status="signed", approved_version=1, approved_by="legal")
    _set(am.app, "E-5", status="signed", approved_version=1, approved_by="legal")
    _set(am.app, "G-7", status="draft", approved_version=1, approved_by="legal")
    return am


def test_the_register_shows_days_left_and_leaves_drafts_out_of_notice_deadlines(deadlines):
    rows = {r["reference"]: r for r in deadlines.get("/api/contracts").json()}
    assert {ref: (r["notice_deadline"], r["days_left"]) for ref, r in rows.items()} == {
        "B-2": ("2027-07-03", 32), "E-5": ("2027-08-02", 62), "F-6": ("2027-07-03", 32), "G-7": ("2027-10-02", 123)}
    due = [r["reference"] for r in deadlines.get("/api/contracts", params={"due": 90}).json()]
    assert due == ["B-2", "E-5"]  # F-6 is a draft; G-7 is 123 days away
    page = deadlines.get("/?due=90&sort=notice_deadline").text
    assert "F-6" not in page and 'class="days-left">32<' in page
    by_days = [r["reference"] for r in deadlines.get("/api/contracts", params={"sort": "days_left"}).json()]
    assert by_days == ["B-2", "F-6", "E-5", "G-7"]  # equal days: the older contract first


def test_the_audit_log_names_contracts_by_reference(clients, contract_id):
    am, admin = clients["account_manager"], clients["admin"]
    am.get(f"/contracts/{contract_id}/versions/1.yaml")
    entries = admin.get("/api/audit").json()
    named = [e for e in entries if e["contract_id"] == contract_id]
    assert named and all(e["contract_reference"] == "NW-ACME-2027-01" for e in named)
    page = admin.get("/admin/audit").text
    assert f'<a href="/contracts/{contract_id}">NW-ACME-2027-01</a>' in page
    assert f'<a href="/contracts/{contract_id}">{contract_id}</a>' not in page


# -------------------------------------------------------------------------------------------
# Mark signed


def sign(client, contract_id, signed_on="2027-05-28", pdf=PDF, name="NW-ACME signed.pdf"):
    files = {"signed_pdf": (name, pdf, "application/pdf")} if pdf is not None else None
    return client.post(f"/contracts/{contract_id}/sign", data={"csrf_token": client.csrf, "signed_on": signed_on},
                       files=files, follow_redirects=False)


@pytest.fixture
def approved(clients, contract_id, monkeypatch):
    from slagen.workspace import pages

    monkeypatch.setattr(pages, "today", lambda: TODAY)
    _set(clients["legal"].app, "NW-ACME-2027-01", status="approved", approved_version=1, approved_by="legal")
    return contract_id


def test_mark_signed_records_the_date_and_keeps_the_signed_pdf(clients, approved):
    legal = clients["legal"]
    assert sign(legal, approved).status_code == 303
    facts = legal.get(f"/api/contracts/{approved}").json()
    assert facts["status"] == "signed"
    page = legal.get(f"/contracts/{approved}").text
    assert "signed on 2027-05-28" in page and f'href="/contracts/{approved}/signed.pdf"' in page
    copy = clients["account_manager"].get(f"/contracts/{approved}/signed.pdf")
    assert copy.status_code == 200 and copy.content == PDF and copy.headers["content-type"] == "application/pdf"
    assert 'filename="NW-ACME_signed.pdf"' in copy.headers["content-disposition"]
    assert clients["presales"].get(f"/contracts/{approved}/signed.pdf").status_code == 403
    actions = [(e["action"], e["detail"][:21]) for e in clients["admin"].get("/api/audit").json()]
    assert ("sign", "signed on 2027-05-28;") in actions and ("download_signed", "NW-ACME_signed.pdf") in actions
    assert sign(legal, approved).status_code == 409  # signed already


# -------------------------------------------------------------------------------------------
# Times in each person's zone


def _saved_at(app, contract_id, moment: datetime) -> None:
    from slagen.workspace.models import Version

    with app.state.sessions() as db:
        db.query(Version).filter_by(contract_id=contract_id, number=1).one().created_at = moment
        db.commit()


def test_a_zone_chosen_on_the_account_page_wins_over_the_browsers(clients, contract_id):
    am = clients["account_manager"]
    _saved_at(am.app, contract_id, datetime(2027, 7, 4, 3, 15, tzinfo=timezone.utc))
    am.cookies.set("slagen_tz", "America/Chicago")
    wrong = am.post("/account/timezone", data={"csrf_token": am.csrf, "timezone": "Europe/Atlantis"})
    assert wrong.status_code == 422 and "is not a time zone" in wrong.text
    done = am.post("/account/timezone", data={"csrf_token": am.csrf, "timezone": "Europe/Berlin"})
    assert done.status_code == 200 and "Times are now shown in Europe/Berlin" in done.text
    assert '<option selected>Europe/Berlin</option>' in am.get("/account").text
    berlin = am.get(f"/contracts/{contract_id}").text  # CEST is UTC+2
    assert "on 2027-07-04 05:15 Europe/Berlin" in berlin and 'data-zone-source="profile"' in berlin
    am.post("/account/timezone", data={"csrf_token": am.csrf, "timezone": ""})  # the browser's again
    assert "on 2027-07-03 22:15 America/Chicago" in am.get(f"/contracts/{contract_id}").text
    # Someone else keeps their own zone.
    assert "UTC" in clients["legal"].get(f"/contracts/{contract_id}").text
