"""The workspace's monthly run: every approved contract reported from one export, as a job with a ZIP."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from workspace.conftest import example

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the pool is the same on both


def _approved(clients, text: str) -> int:
    am, legal = clients["account_manager"], clients["legal"]
    created = am.post("/api/contracts", json={"text": text, "message": "signed copy"},
                      headers={"X-CSRF-Token": am.csrf})
    assert created.status_code == 201, created.text
    number = created.json()["id"]
    am.post(f"/api/contracts/{number}/submit", json={"version": 1}, headers={"X-CSRF-Token": am.csrf})
    decided = legal.post(f"/api/contracts/{number}/decision", json={"decision": "approved", "version": 1},
                         headers={"X-CSRF-Token": legal.csrf})
    assert decided.status_code == 200, decided.text
    return number


EXPORT = """id,Company,priority,logged_at,first_response_at,resolved_at
A1,Acme Dental Group Ltd,P2,2027-03-02T09:00,2027-03-02T09:20,2027-03-02T12:00
A2,Acme Dental Group Ltd,P3,2027-03-03T10:00,2027-03-03T16:30,2027-03-04T10:00
L1,Lakeshore Legal LLP,P2,2027-03-02T08:00,2027-03-02T08:30,2027-03-02T11:00
X1,Nobody Ltd,P2,2027-03-02T08:00,2027-03-02T08:30,2027-03-02T11:00
"""


def test_the_monthly_run_reports_every_approved_contract(clients):
    from workspace.test_workspace_jobs import watch

    am = clients["account_manager"]
    refused = am.post("/api/portfolio-jobs", data={"period": "2027-03"},
                      files={"tickets": ("all.csv", EXPORT.encode(), "text/csv")}, headers={"X-CSRF-Token": am.csrf})
    assert refused.status_code == 422 and "no contract is approved" in refused.json()["error"]

    _approved(clients, example("acme-dental.yaml"))
    _approved(clients, example("lakeshore-legal-us.yaml"))
    am.post("/api/contracts", json={"text": example("small-office-minimal.yaml"), "message": "a draft"},
            headers={"X-CSRF-Token": am.csrf})  # not approved: not in the run
    started = am.post("/api/portfolio-jobs", data={"period": "2027-03", "format": "json"},
                      files={"tickets": ("all.csv", EXPORT.encode(), "text/csv")}, headers={"X-CSRF-Token": am.csrf})
    assert started.status_code == 202, started.text
    done = watch(am, started.json()["url"])[-1]
    assert done["state"] == "done", done
    assert done["warnings"] == ["1 rows name 'Nobody Ltd', which no approved contract claims"]
    archive = zipfile.ZipFile(io.BytesIO(am.get(done["file"]["url"]).content))
    assert sorted(archive.namelist()) == [
        "NW-ACME-2027-01-credit-note-2027-03.csv", "NW-ACME-2027-01-report-2027-03.json",
        "PMI-LSL-2027-02-credit-note-2027-03.csv", "PMI-LSL-2027-02-report-2027-03.json",
        "portfolio-2027-03.json", "portfolio-2027-03.md"]
    summary = json.loads(archive.read("portfolio-2027-03.json"))
    assert [(c["agreement"], c["tickets_in_period"]) for c in summary["customers"]] == [
        ("NW-ACME-2027-01", 2), ("PMI-LSL-2027-02", 1)]
    # Legal approves contracts but does not run reports.
    assert clients["legal"].get(done["url"]).status_code == 403
