"""For the team, where the database does not matter (SQLite only): notice deadlines as CSV and
iCalendar, "Mark signed" refusing wrong dates and copies and through the API, times in the
browser's zone, the review's defaults, and redlines labelled by workspace version.

Dates are worked out by hand for 'today' = 1 June 2027.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone

import pytest

from workspace.conftest import example, reviewed
from workspace.test_workspace_team import PDF, _saved_at, approved, deadlines, sign  # noqa: F401 (fixtures)


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite:///{tmp_path / 'workspace.db'}"


def test_notice_deadlines_as_csv_and_as_an_icalendar_file(deadlines):
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

    # The same deadlines as an iCalendar file.
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


def test_mark_signed_refuses_a_missing_or_wrong_date_or_copy_and_one_over_the_limit(clients, approved, monkeypatch):
    for signed_on, pdf, words in (("", PDF, "give the date"),
                                  ("2027-02-30", PDF, "not a date on the calendar"),
                                  ("2027-06-03", PDF, "in the future"),  # today is 1 June; a day's grace
                                  ("2027-05-28", None, "choose the signed copy"),
                                  ("2027-05-28", b"PK\x03\x04 a DOCX", "is not a PDF")):
        response = sign(clients["legal"], approved, signed_on, pdf)
        assert response.status_code == 422 and words in response.text, words
    assert clients["legal"].get(f"/api/contracts/{approved}").json()["status"] == "approved"
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


def test_the_review_page_lists_the_defaults_the_contract_relies_on(clients, contract_id):
    from slagen.library.contracts import load_with_positions
    from slagen.review.review import review_in_library

    contract, doc = load_with_positions("contract.yaml", example())
    expected = review_in_library(contract, doc, file="contract.yaml").defaults  # what `slagen review` lists
    reviewed(clients["legal"], contract_id)
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
    redline = am.post(f"/contracts/{contract_id}/redline?old=1&new=2&format=html", data={"csrf_token": am.csrf}).text
    assert "changes from NW-ACME-2027-01 version 1 to NW-ACME-2027-01 version 2" in redline
    assert "version 1.0" not in redline and 'class="changed' in redline


def test_migration_0004_keeps_everyone_and_goes_down_and_up_again(tmp_path):
    from alembic import command
    from sqlalchemy import inspect, text

    from slagen.workspace.database import alembic_config, make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0002")
        connection.execute(text("INSERT INTO users (id, name, role, password_hash, active, created_at) "
                                "VALUES (1, 'ann', 'legal', 'x', 1, '2026-01-05 09:00:00')"))
        command.upgrade(alembic_config(connection), "0004")
        assert connection.execute(text("SELECT name, timezone FROM users")).all() == [("ann", None)]
        assert "signed_copies" in inspect(connection).get_table_names()
        command.downgrade(alembic_config(connection), "0002")
        tables = inspect(connection)
        assert "signed_copies" not in tables.get_table_names()
        assert "timezone" not in {c["name"] for c in tables.get_columns("users")}
        assert "signed_on" not in {c["name"] for c in tables.get_columns("contracts")}
        command.upgrade(alembic_config(connection), "head")
    engine.dispose()
