"""Uploads and imports: too large, not UTF-8, not a contract, a reference already taken."""

from __future__ import annotations

from workspace.conftest import PASSWORD, ROOT, example


def _import(client, files):
    return client.post("/contracts/import", data={"csrf_token": client.csrf},
                       files=[("files", (name, data, "application/yaml")) for name, data in files])


def test_importing_valid_contracts_adds_them_to_the_register(clients):
    am = clients["account_manager"]
    response = _import(am, [("acme.yaml", example().encode()), ("contoso.yaml", example("contoso-logistics-24x7.yaml")
                                                                .encode())])
    assert response.status_code == 200
    assert "imported as NW-ACME-2027-01" in response.text
    assert {c["reference"] for c in am.get("/api/contracts").json()} == {"NW-ACME-2027-01", "NW-CONTOSO-2027-03"}


def test_a_file_that_is_not_a_contract_is_refused_with_its_line(clients):
    am = clients["account_manager"]
    response = _import(am, [("notes.yaml", b"- just\n- a list\n"), ("bad.yaml", example().replace(
        "notice_days: 90", "notice_days: lots").encode())])
    assert response.status_code == 422
    line = next(n for n, text in enumerate(example().splitlines(), 1) if "notice_days: 90" in text)
    assert "notes.yaml" in response.text and "bad.yaml" in response.text and f"line {line}" in response.text
    assert am.get("/api/contracts").json() == []


def test_binary_and_oversized_uploads_are_refused_and_nothing_is_stored(clients):
    am = clients["account_manager"]
    assert "not a UTF-8 text file" in _import(am, [("x.yaml", b"\xff\xfe\x00binary")]).text
    big = _import(am, [("big.yaml", b"#" * 1_000_001)])
    assert big.status_code == 422 and "larger than 1 MB" in big.text
    assert am.get("/api/contracts").json() == []


def test_the_same_reference_twice_is_a_conflict(clients):
    am = clients["account_manager"]
    _import(am, [("a.yaml", example().encode())])
    again = am.post("/api/contracts", json={"text": example()}, headers={"X-CSRF-Token": am.csrf})
    assert again.status_code == 409 and "already exists" in again.json()["error"]


def test_an_oversized_text_through_the_api_is_refused(clients):
    am = clients["account_manager"]
    response = am.post("/api/diagnostics", json={"text": "#" * 1_000_001}, headers={"X-CSRF-Token": am.csrf})
    assert response.status_code == 422


def test_a_ticket_export_that_is_too_large_is_refused(clients, contract_id, monkeypatch):
    from slagen.workspace import report_page

    monkeypatch.setattr(report_page, "MAX_EXPORT_BYTES", 1000)
    am = clients["account_manager"]
    response = am.post(f"/contracts/{contract_id}/report", data={"csrf_token": am.csrf, "period": "2027-03"},
                       files={"tickets": ("t.csv", b"x" * 2000, "text/csv")})
    assert response.status_code == 413 and "larger than" in response.text


def test_an_attainment_report_in_the_page_and_as_a_pdf(clients, contract_id):
    am = clients["account_manager"]
    tickets = (ROOT / "examples" / "acme-dental-tickets-2027-03.csv").read_bytes()
    outages = (ROOT / "examples" / "acme-dental-outages-2027-03.csv").read_bytes()
    files = {"tickets": ("march.csv", tickets, "text/csv"), "outages": ("outages.csv", outages, "text/csv")}
    page = am.post(f"/contracts/{contract_id}/report", data={"csrf_token": am.csrf, "period": "2027-03"},
                   files=files)
    assert page.status_code == 200 and 'id="attainment"' in page.text
    import json
    import re

    from slagen.library.contracts import load_contract
    from slagen.report import build_report, report_dict

    expected = report_dict(build_report(load_contract(ROOT / "examples" / "acme-dental.yaml"),
                                        ROOT / "examples" / "acme-dental-tickets-2027-03.csv", period="2027-03",
                                        outages=ROOT / "examples" / "acme-dental-outages-2027-03.csv"))
    shown = json.loads(__import__("html").unescape(re.search(r"<pre>(.*?)</pre>", page.text, re.S).group(1)))
    assert shown["priorities"] == expected["priorities"]  # the CLI's figures, unchanged
    pdf = am.post(f"/contracts/{contract_id}/report", data={"csrf_token": am.csrf, "period": "2027-03",
                                                            "format": "pdf"}, files=files)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert 'filename="NW-ACME-2027-01-report-2027-03.pdf"' in pdf.headers["content-disposition"]


def test_a_bad_period_is_explained_without_the_servers_temporary_paths(clients, contract_id):
    am = clients["account_manager"]
    tickets = (ROOT / "examples" / "acme-dental-tickets-2027-03.csv").read_bytes()
    response = am.post(f"/contracts/{contract_id}/report", data={"csrf_token": am.csrf, "period": "March"},
                       files={"tickets": ("march.csv", tickets, "text/csv")})
    assert response.status_code == 422 and "slagen-report-" not in response.text


def test_an_attainment_report_through_the_api_with_a_token(clients, contract_id):
    import re

    from fastapi.testclient import TestClient

    am = clients["account_manager"]
    token = re.search(r'id="new-token">([^<]+)<', am.post("/tokens", data={"name": "psa", "password": PASSWORD, "csrf_token": am.csrf}).text)
    tickets = (ROOT / "examples" / "acme-dental-tickets-2027-03.csv").read_bytes()
    with TestClient(am.app, base_url="http://127.0.0.1") as psa:
        response = psa.post(f"/api/contracts/{contract_id}/reports", data={"period": "2027-03"},
                            files={"tickets": ("march.csv", tickets, "text/csv")},
                            headers={"Authorization": f"Bearer {token.group(1)}"})
    assert response.status_code == 200
    assert response.json()["report"]["period"]["label"] == "2027-03"
