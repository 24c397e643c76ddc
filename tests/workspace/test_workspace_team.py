"""For the team: notice deadlines out of the register (days left, CSV, iCalendar, drafts left
out), the audit log by reference, "Mark signed" with its date and signed copy, times in each
person's zone, the review's defaults, and redlines labelled by workspace version.

Dates are worked out by hand for 'today' = 1 June 2027.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone

import pytest

from workspace.conftest import example
from workspace.test_workspace_register import contract

TODAY = date(2027, 6, 1)
PDF = b"%PDF-1.7\n% a signed copy, scanned\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _set(app, reference: str, **values) -> None:
    from slagen.workspace.models import Contract

    with app.state.sessions() as db:
        row = db.query(Contract).filter_by(reference=reference).one()
        for key, value in values.items():
            setattr(row, key, value)
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


def test_notice_deadlines_as_csv(deadlines):
    response = deadlines.get("/register/notice-deadlines.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'filename="notice-deadlines-2027-06-01.csv"' in response.headers["content-disposition"]
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table == [
        ["Reference", "Customer", "Status", "Notice deadline", "Days left", "Renews on", "Approved version"],
        ["B-2", "Bravo Ltd", "signed", "2027-07-03", "32", "2027-10-01", "1"],
        ["E-5", "'=Echo Ltd", "signed", "2027-08-02", "62", "2027-09-01", "1"],  # never run as a formula
        ["G-7", "Golf Ltd", "draft", "2027-10-02", "123", "2027-12-01", "1"],
    ]
    within = list(csv.reader(io.StringIO(deadlines.get("/register/notice-deadlines.csv?due=40").text)))
    assert [row[0] for row in within[1:]] == ["B-2"]


def test_notice_deadlines_as_an_icalendar_file(deadlines):
    from icalendar import Calendar

    response = deadlines.get("/register/notice-deadlines.ics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    raw = response.content
    # RFC 5545 3.1: lines end in CRLF and are folded at 75 octets
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = Calendar.from_ical(raw)
    assert str(calendar["VERSION"]) == "2.0" and "PRODID" in calendar
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"notice-1-2027-07-03@slagen", "notice-2-2027-08-02@slagen", "notice-4-2027-10-02@slagen"}
    bravo = events["notice-1-2027-07-03@slagen"]
    assert bravo.decoded("DTSTART") == date(2027, 7, 3) and bravo.decoded("DTEND") == date(2027, 7, 4)
    assert str(bravo["SUMMARY"]) == "Notice deadline: B-2 (Bravo Ltd)"
    assert "renews on 2027-10-01" in str(bravo["DESCRIPTION"])
    [alarm] = bravo.walk("VALARM")
    assert alarm.decoded("TRIGGER").days == -14


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


def test_mark_signed_refuses_a_missing_or_wrong_date_or_copy(clients, approved):
    for signed_on, pdf, words in (("", PDF, "give the date"),
                                  ("2027-02-30", PDF, "not a date on the calendar"),
                                  ("2027-06-03", PDF, "in the future"),  # today is 1 June; a day's grace
                                  ("2027-05-28", None, "choose the signed copy"),
                                  ("2027-05-28", b"PK\x03\x04 a DOCX", "is not a PDF")):
        response = sign(clients["legal"], approved, signed_on, pdf)
        assert response.status_code == 422 and words in response.text, words
    assert clients["legal"].get(f"/api/contracts/{approved}").json()["status"] == "approved"


def test_a_signed_copy_over_the_limit_is_refused_before_it_is_kept(clients, approved, monkeypatch):
    from slagen.workspace import signatures

    monkeypatch.setattr(signatures, "MAX_SIGNED_PDF", 100)
    response = sign(clients["legal"], approved, pdf=PDF + b"%" * 200)
    assert response.status_code == 413 and "larger than" in response.text


def test_mark_signed_through_the_api(clients, approved):
    legal = clients["legal"]
    response = legal.post(f"/api/contracts/{approved}/signature", data={"signed_on": "2027-05-31"},
                          files={"signed_pdf": ("s.pdf", PDF, "application/pdf")}, headers={"X-CSRF-Token": legal.csrf})
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["version"], body["signed_on"], body["size"]) == (1, "2027-05-31", len(PDF))
    assert legal.get(body["url"]).content == PDF


# -------------------------------------------------------------------------------------------
# Times in each person's zone


def _saved_at(app, contract_id, moment: datetime) -> None:
    from slagen.workspace.models import Version

    with app.state.sessions() as db:
        db.query(Version).filter_by(contract_id=contract_id, number=1).one().created_at = moment
        db.commit()


def test_times_are_shown_in_the_browsers_zone_else_utc_said_so(clients, contract_id):
    am = clients["account_manager"]
    _saved_at(am.app, contract_id, datetime(2027, 7, 4, 3, 15, tzinfo=timezone.utc))
    plain = am.get(f"/contracts/{contract_id}").text
    assert "on 2027-07-04 03:15 UTC" in plain and 'data-zone-source="fallback"' in plain
    assert "JavaScript is off" in plain and '<script src="/static/timezone.js" defer>' in plain
    am.cookies.set("slagen_tz", "America/Chicago")
    chicago = am.get(f"/contracts/{contract_id}").text  # CDT is UTC-5: the evening before
    assert "on 2027-07-03 22:15 America/Chicago" in chicago and 'data-zone-source="browser"' in chicago
    am.cookies.set("slagen_tz", "Mars/Olympus_Mons")
    assert "on 2027-07-04 03:15 UTC" in am.get(f"/contracts/{contract_id}").text


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


# -------------------------------------------------------------------------------------------
# Review and redline


def test_the_review_page_lists_the_defaults_the_contract_relies_on(clients, contract_id):
    from slagen.library.contracts import load_with_positions
    from slagen.review.review import review_in_library

    contract, doc = load_with_positions("contract.yaml", example())
    expected = review_in_library(contract, doc, file="contract.yaml").defaults  # what `slagen review` lists
    page = clients["legal"].get(f"/contracts/{contract_id}/review").text
    assert 'id="defaults"' in page
    assert expected, "the reference contract relies on some defaults"
    for path, _words in expected:
        assert f"<code>{path}</code>" in page


def test_a_redline_between_workspace_versions_is_labelled_by_their_numbers(clients, contract_id):
    am = clients["account_manager"]
    saved = am.post(f"/api/contracts/{contract_id}/versions", headers={"X-CSRF-Token": am.csrf},
                    json={"text": example().replace("notice_days: 90", "notice_days: 60"), "base_version": 1})
    assert saved.status_code == 201
    page = am.get(f"/contracts/{contract_id}/compare?old=1&new=2").text
    assert "version 1 -&gt; version 2" in page and 'class="change-nav"' in page
    assert 'sandbox="allow-same-origin"' in page and "redline-nav.js" in page
    redline = am.get(f"/contracts/{contract_id}/redline?old=1&new=2&format=html").text
    assert "changes from NW-ACME-2027-01 version 1 to NW-ACME-2027-01 version 2" in redline
    assert "version 1.0" not in redline and 'class="changed' in redline
