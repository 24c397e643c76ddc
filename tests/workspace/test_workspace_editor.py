"""The editor's diagnostics endpoint and the guided new-contract form."""

from __future__ import annotations

import json
import subprocess
import sys

from workspace.conftest import ROOT, example


def diagnostics(client, text):
    response = client.post("/api/diagnostics", json={"text": text}, headers={"X-CSRF-Token": client.csrf})
    assert response.status_code == 200
    return response.json()


def test_diagnostics_are_exactly_what_slagen_check_reports(clients):
    result = diagnostics(clients["presales"], example())
    cli = subprocess.run([sys.executable, "-m", "slagen", "check", "examples/acme-dental.yaml", "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    expected = json.loads(cli.stdout)
    assert result["valid"] is True and result["errors"] == []
    assert result["findings"] == expected["findings"] and result["summary"] == expected["summary"]


def test_validation_errors_come_with_their_line_and_column(clients):
    bad = example().replace("notice_days: 90", "notice_days: ninety")
    line = bad.splitlines().index("  notice_days: ninety") + 1
    result = diagnostics(clients["account_manager"], bad)
    assert result["valid"] is False and result["findings"] == []
    [error] = result["errors"]
    assert (error["line"], error["column"], error["path"]) == (line, 16, "termination.notice_days")


def test_any_text_at_all_gets_an_answer_not_a_crash(clients):
    am = clients["account_manager"]
    for text in ("", "[", "- a\n- list\n", "a: &a [*a]\n", "\x00\x01", "slagen: 1\n" * 3, "{{ 7*7 }}"):
        result = diagnostics(am, text)
        assert result["valid"] is False and result["errors"], text


FORM = {
    "reference": "NW-NEW-2027-05", "provider_name": "Northwind Managed Services Ltd",
    "provider_address": "1 Harbour Road, Bristol", "provider_contact": "Sam Carter", "customer_name": "Newco {{ 7*7 }} Ltd", "customer_address": "1 Road, Town",
    "contact_name": "Nia", "contact_email": "nia@newco.example", "timezone": "Europe/London",
    "holiday_country": "GB", "holiday_subdivision": "ENG", "weekly": "08:30-17:30",
    "effective_date": "2027-05-01", "initial_term_months": "24", "renewal_months": "12", "notice_days": "60",
    "currency": "GBP", "monthly_fee": "1200.00", "onboarding_fee": "500",
    "service_0_id": "helpdesk", "service_0_name": "Helpdesk", "service_0_availability": "",
    "priority_0_id": "P1", "priority_0_name": "Critical", "priority_0_response": "30m",
    "priority_0_resolution": "4h", "priority_0_clock": "24x7",
    "priority_1_id": "P2", "priority_1_name": "High", "priority_1_response": "2h",
    "priority_1_resolution": "8h", "priority_1_clock": "support_hours",
}


def test_the_new_contract_form_writes_a_contract_that_validates(clients):
    am = clients["account_manager"]
    response = am.post("/contracts/new", data={**FORM, "csrf_token": am.csrf}, follow_redirects=False)
    assert response.status_code == 303, response.text
    cid = int(response.headers["location"].rsplit("/", 1)[1])
    text = am.get(f"/api/contracts/{cid}/versions/1").json()["text"]
    from slagen.library.contracts import load_contract

    contract = load_contract("new.yaml", text)
    assert contract.customer.name == "Newco {{ 7*7 }} Ltd"  # data, never a template
    assert contract.provider.name == "Northwind Managed Services Ltd"
    assert text.startswith("# yaml-language-server: $schema=slagen.schema.json\nslagen: 1 ")
    assert [p.id for p in contract.priorities] == ["P1", "P2"]
    assert contract.priorities[0].clock == "24x7" and contract.termination.notice_days == 60
    assert contract.agreement.initial_term_months == 24 and contract.sow.fees.monthly == __import__("decimal").Decimal("1200")
    # A 24x7 P1 with nobody on call is one of the findings the page then shows.
    assert any(f["rule"] == "SLA201" for f in diagnostics(am, text)["findings"])


def test_the_form_explains_what_is_missing(clients):
    am = clients["account_manager"]
    response = am.post("/contracts/new", data={**FORM, "customer_name": "", "csrf_token": am.csrf})
    assert response.status_code == 422 and "fill in the customer&#39;s name" in response.text
    bad_date = am.post("/contracts/new", data={**FORM, "effective_date": "next May", "csrf_token": am.csrf})
    assert bad_date.status_code == 422 and "2027-01-01" in bad_date.text
    bad_duration = am.post("/contracts/new", data={**FORM, "priority_0_response": "2d", "csrf_token": am.csrf})
    assert bad_duration.status_code == 422 and "days" in bad_duration.text
    assert am.get("/api/contracts").json() == []


def test_contract_values_are_shown_as_text_never_as_markup_or_template(clients):
    am = clients["account_manager"]
    name = "<script>alert(1)</script> {{ 7*7 }}"
    response = am.post("/contracts/new", data={**FORM, "customer_name": name, "csrf_token": am.csrf})
    assert response.status_code == 200  # followed to the contract page
    for page in (response.text, am.get("/").text):
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in page


def test_signing_in_only_ever_sends_you_to_a_page_of_this_site(anonymous):
    from workspace.conftest import PASSWORD, csrf_from

    for target, expected in (("/contracts/new", "/contracts/new"), ("//evil.example/", "/"),
                             ("/\\evil.example", "/"), ("https://evil.example/", "/")):
        token = csrf_from(anonymous.get("/login").text)
        response = anonymous.post("/login", data={"name": "presales", "password": PASSWORD, "csrf_token": token,
                                                  "next": target}, follow_redirects=False)
        assert response.headers["location"] == expected, target


def test_slagen_serve_checks_what_is_typed_in_a_worker_process_of_its_own(tmp_path, monkeypatch):
    """`slagen serve` (editor_worker) sends the editor's texts to a warm worker at the server's own
    priority, so a check does not wait for the interpreter's lock behind a hundred register
    requests. The answer is the one the server would give itself."""
    import time

    from fastapi.testclient import TestClient

    from slagen.workspace import engine
    from slagen.workspace.app import Settings, create_app
    from slagen.workspace.store import add_user
    from workspace.conftest import PASSWORD, sign_in

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'w.db'}", render_workers=1, editor_worker=True))
    with app.state.sessions() as db:
        add_user(db, "account_manager", "account_manager", PASSWORD)
    text = example().replace("name: Acme Dental Group Ltd", "name: Acme Dental Typed Ltd")
    expected = engine.diagnose(text)  # this process's own answer, worked out before the server starts
    engine._DIAGNOSTICS.items.clear()
    with TestClient(app, base_url="http://127.0.0.1"):
        deadline = time.monotonic() + 120
        while not app.state.editor.ready and time.monotonic() < deadline:  # importing the engine there
            time.sleep(0.2)
        assert app.state.editor.ready
        client = sign_in(app, "account_manager")

        def nowhere_here(_text):
            raise AssertionError("the server checked the text itself")

        monkeypatch.setattr(engine, "diagnose", nowhere_here)  # only this process's, not the worker's
        assert diagnostics(client, text) == expected
        client.__exit__(None, None, None)
    app.state.engine.dispose()
