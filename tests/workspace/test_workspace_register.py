"""The register: columns, sorting, filtering, and notice deadlines in the next 90 days.

Dates are worked out by hand for 'today' = 1 June 2027 (the register is computed on the day
it is shown, so the test fixes the day).
"""

from __future__ import annotations

from datetime import date

import pytest

from workspace.conftest import draft_with_findings

ACME = draft_with_findings()  # with feasibility findings, which the register counts


def contract(reference: str, customer: str, effective: str, notice: int, renewal: str = "{automatic: true, term_months: 12}"):
    text = (ACME.replace("reference: NW-ACME-2027-01", f"reference: {reference}")
            .replace("effective_date: 2027-01-01", f"effective_date: {effective}")
            .replace("notice_days: 90", f"notice_days: {notice}")
            .replace("renewal: {automatic: true, term_months: 12}", f"renewal: {renewal}")
            .replace("name: Acme Dental Group Ltd", f"name: {customer}"))
    assert f"name: {customer}" in text
    return text


@pytest.fixture
def register(clients, monkeypatch):
    from slagen.workspace import pages

    monkeypatch.setattr(pages, "today", lambda: date(2027, 6, 1))
    am = clients["account_manager"]
    for text in (
        # renews 1 Jan 2028; 90 days' notice -> by 3 Oct 2027: 124 days away, not within 90
        contract("A-1", "Alpha Ltd", "2027-01-01", 90),
        # renews 1 Oct 2027; 90 days before is 3 Jul 2027 (Sep 30 + Aug 31 + Jul 29 days): 32 days away
        contract("B-2", "Bravo Ltd", "2026-10-01", 90),
        # renews 1 Jul 2027, deadline 2 Apr 2027 has passed -> next: 1 Jul 2028, notice by 2 Apr 2028 (1 Jun is 30 days back, 1 May 61, 1 Apr 91)
        contract("C-3", "Charlie Ltd", "2026-07-01", 90),
        # no automatic renewal: no deadline at all
        contract("D-4", "Delta Ltd", "2027-03-01", 30, "{automatic: false, term_months: 12}"),
        # renews 1 Sep 2027; 30 days' notice -> by 2 Aug 2027: 62 days away
        contract("E-5", "Echo Ltd", "2026-09-01", 30),
    ):
        response = am.post("/api/contracts", json={"text": text}, headers={"X-CSRF-Token": am.csrf})
        assert response.status_code == 201, response.text
    sign_all(am.app)  # notice deadlines are those of signed contracts, not of drafts
    return am


def sign_all(app) -> None:
    """Every contract approved and signed, as if legal had (the workflow is tested elsewhere)."""
    from slagen.workspace.models import AuditEntry, Contract

    with app.state.sessions() as db:
        for contract in db.query(Contract):
            contract.status, contract.approved_version, contract.approved_by = "signed", 1, "legal"
            # Every change to a contract comes with its audit row (the register's rows are kept until one is written).
            db.add(AuditEntry(actor="legal", action="sign", contract_id=contract.id, version=1))
        db.commit()


def rows(client, **params):
    return client.get("/api/contracts", params=params).json()


def test_each_row_shows_the_renewal_date_and_notice_deadline(register):
    by_ref = {r["reference"]: r for r in rows(register)}
    assert (by_ref["A-1"]["renewal_date"], by_ref["A-1"]["notice_deadline"]) == ("2028-01-01", "2027-10-03")
    assert (by_ref["B-2"]["renewal_date"], by_ref["B-2"]["notice_deadline"]) == ("2027-10-01", "2027-07-03")
    assert (by_ref["C-3"]["renewal_date"], by_ref["C-3"]["notice_deadline"]) == ("2028-07-01", "2028-04-02")
    assert (by_ref["D-4"]["renewal_date"], by_ref["D-4"]["notice_deadline"]) == (None, None)
    assert (by_ref["E-5"]["renewal_date"], by_ref["E-5"]["notice_deadline"]) == ("2027-09-01", "2027-08-02")
    assert by_ref["A-1"]["customer"] == "Alpha Ltd" and by_ref["A-1"]["status"] == "signed"
    assert by_ref["A-1"]["feasibility_errors"] > 0  # the first draft has feasibility errors


def test_notice_deadlines_in_the_next_90_days(register):
    assert [r["reference"] for r in rows(register, due=90, sort="notice_deadline")] == ["B-2", "E-5"]
    page = register.get("/?due=90&sort=notice_deadline").text
    assert page.index("B-2") < page.index("E-5") and "A-1" not in page


def test_sorting_puts_rows_without_a_value_last_either_way(register):
    up = [r["reference"] for r in rows(register, sort="notice_deadline")]
    down = [r["reference"] for r in rows(register, sort="notice_deadline", order="desc")]
    assert up == ["B-2", "E-5", "A-1", "C-3", "D-4"]
    assert down == ["C-3", "A-1", "E-5", "B-2", "D-4"]
    assert [r["reference"] for r in rows(register, sort="customer", order="desc")] == ["E-5", "D-4", "C-3", "B-2", "A-1"]


def test_filtering_by_text_and_status(register):
    assert [r["reference"] for r in rows(register, q="charlie")] == ["C-3"]
    assert [r["reference"] for r in rows(register, q="b-2")] == ["B-2"]
    assert rows(register, status="approved") == []
    assert len(rows(register, status="signed")) == 5


def test_the_register_page_shows_a_page_at_a_time(register, monkeypatch):
    from slagen.workspace import register as module

    monkeypatch.setattr(module, "PAGE_SIZE", 2)
    first = register.get("/?sort=reference").text
    assert "A-1" in first and "B-2" in first and "C-3" not in first and "Contracts 1 to 2 of 5" in first
    third = register.get("/?sort=reference&p=3").text
    assert "E-5" in third and "A-1" not in third and "Contracts 5 to 5 of 5" in third
    assert [r["reference"] for r in rows(register, sort="reference", offset=1, limit=2)] == ["B-2", "C-3"]


# The table is drawn once per view and kept with the rows (register.py, KeptRegister.drawn): what
# one person was shown must never be shown to another whose page differs.

def _approve_at(app, moment) -> None:
    from slagen.workspace.models import AuditEntry, Contract

    with app.state.sessions() as db:
        for contract in db.query(Contract):
            contract.approved_at = moment
        db.add(AuditEntry(actor="legal", action="approve"))
        db.commit()


def _set_zone(app, name: str, zone: str) -> None:
    from slagen.workspace.models import User

    with app.state.sessions() as db:
        db.query(User).filter(User.name == name).one().timezone = zone
        db.commit()


def test_each_person_sees_the_kept_table_in_their_own_time_zone(register, clients):
    from datetime import datetime, timezone

    app = register.app
    _approve_at(app, datetime(2027, 5, 31, 23, 30, tzinfo=timezone.utc))
    # Two roles that may do the same here, so only the zone tells their pages apart.
    _set_zone(app, "legal", "Europe/London")  # BST, UTC+1: already 1 June, 00:30
    _set_zone(app, "presales", "America/Chicago")  # CDT, UTC-5: still 31 May, 18:30
    london = clients["legal"].get("/?sort=reference").text
    chicago = clients["presales"].get("/?sort=reference").text  # the same view, drawn for another zone
    assert "2027-06-01 00:30 Europe/London" in london and "America/Chicago" not in london
    assert "2027-05-31 18:30 America/Chicago" in chicago and "Europe/London" not in chicago


def test_a_role_that_may_not_create_is_not_offered_the_create_link_another_was_shown(register, clients):
    nothing = "/?q=no+such+customer"
    assert 'href="/contracts/new">Create one' in register.get(nothing).text
    assert "No contracts match." in clients["legal"].get(nothing).text
    assert "Create one" not in clients["legal"].get(nothing).text


def test_a_kept_table_is_drawn_again_once_a_contract_changes(clients):
    am = clients["account_manager"]
    created = am.post("/api/contracts", json={"text": contract("A-1", "Alpha Ltd", "2027-01-01", 90)},
                      headers={"X-CSRF-Token": am.csrf})
    assert created.status_code == 201, created.text
    assert "Alpha Ltd" in am.get("/?sort=customer").text
    response = am.post(f"/api/contracts/{created.json()['id']}/versions",
                       json={"text": contract("A-1", "Alpha Renamed Ltd", "2027-01-01", 90), "base_version": 1},
                       headers={"X-CSRF-Token": am.csrf})
    assert response.status_code == 201, response.text
    page = am.get("/?sort=customer").text
    assert "Alpha Renamed Ltd" in page and ">Alpha Ltd<" not in page
