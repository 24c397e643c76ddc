"""The workspace's monthly run: every approved contract reported from one export, as a job with a ZIP."""

from __future__ import annotations

import html
import io
import json
import time
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


def test_the_command_reports_a_workspaces_approved_versions(clients, database_url, tmp_path):
    """`slagen report --portfolio` given a workspace (its URL, its SQLite file, the folder it lives in)
    reports the approved version of each approved contract: not a draft saved since, nor a contract
    never approved."""
    import sqlite3

    from typer.testing import CliRunner

    from slagen.cli.main import app

    am = clients["account_manager"]
    acme = _approved(clients, example("acme-dental.yaml"))
    _approved(clients, example("lakeshore-legal-us.yaml"))
    am.post("/api/contracts", json={"text": example("small-office-minimal.yaml"), "message": "a draft"},
            headers={"X-CSRF-Token": am.csrf})
    # A draft after the approval renames the customer: the run must still read the approved words.
    reopened = am.post(f"/contracts/{acme}/reopen", headers={"X-CSRF-Token": am.csrf}, follow_redirects=False)
    assert reopened.status_code in (302, 303), reopened.text
    later = example("acme-dental.yaml").replace("name: Acme Dental Group Ltd", "name: Acme Renamed Ltd", 1)
    saved = am.post(f"/api/contracts/{acme}/versions", json={"text": later, "base_version": 1, "message": "draft"},
                    headers={"X-CSRF-Token": am.csrf})
    assert saved.status_code == 201, saved.text
    (tmp_path / "all.csv").write_text(EXPORT, encoding="utf-8")
    database = database_url.removeprefix("sqlite:///")
    folder = tmp_path / "served"
    folder.mkdir()
    with sqlite3.connect(database) as source, sqlite3.connect(folder / "slagen-workspace.db") as copy:
        source.backup(copy)  # the folder `slagen serve` ran in, holding its default database file

    for target in (database_url, database, str(folder)):
        out = tmp_path / f"out-{len(list(tmp_path.iterdir()))}"
        result = CliRunner().invoke(app, ["report", "--portfolio", target, "--tickets", str(tmp_path / "all.csv"),
                                          "--period", "2027-03", "-o", str(out)])
        assert result.exit_code == 0, result.output
        summary = json.loads((out / "portfolio-2027-03.json").read_text(encoding="utf-8"))
        assert [(c["agreement"], c["customer"], c["tickets_in_period"]) for c in summary["customers"]] == [
            ("NW-ACME-2027-01", "Acme Dental Group Ltd", 2), ("PMI-LSL-2027-02", "Lakeshore Legal LLP", 1)]
        assert summary["unmatched"][0]["customer"] == "Nobody Ltd"

    (folder / "stray.yaml").write_text("slagen: 1\n", encoding="utf-8")
    both = CliRunner().invoke(app, ["report", "--portfolio", str(folder), "--tickets", str(tmp_path / "all.csv"),
                                    "--period", "2027-03", "-o", str(tmp_path / "never")])
    assert both.exit_code == 2 and "say which" in both.output and not (tmp_path / "never").exists()
    missing = CliRunner().invoke(app, ["report", "--portfolio", f"sqlite:///{tmp_path / 'none.db'}", "--tickets",
                                       str(tmp_path / "all.csv"), "--period", "2027-03", "-o", str(tmp_path / "never")])
    assert missing.exit_code == 2 and "there is no workspace database" in missing.output
    assert not (tmp_path / "none.db").exists()  # only read: nothing created


def test_the_monthly_run_page_starts_the_run_shows_progress_and_every_customers_files(clients):
    """The page flow a service manager follows, over HTTP as the browser sends it: the form lists
    what the run covers, a mistake comes back on the form, the run starts as a POST job, its page
    shows the steps until it is done, then the summary and each customer's files to download.
    The report form's options travel with the run: here 'no first-response times'."""
    import re

    am = clients["account_manager"]
    empty = am.get("/monthly-run")
    assert empty.status_code == 200 and "No contract is approved yet" in empty.text
    _approved(clients, example("acme-dental.yaml"))
    _approved(clients, example("lakeshore-legal-us.yaml"))
    form = am.get("/monthly-run")
    assert "NW-ACME-2027-01" in form.text and "PMI-LSL-2027-02" in form.text
    for field in ('name="time_format"', 'name="export_timezone"', 'name="delimiter"', 'name="max_rejected"',
                  'name="no_response_data"', 'name="preset"'):
        assert field in form.text  # the single report form's options, on this form too

    upload = {"tickets": ("all.csv", EXPORT.encode(), "text/csv")}
    wrong = am.post("/monthly-run", data={"csrf_token": am.csrf, "period": "2027-03", "max_rejected": "lots"},
                    files=upload, follow_redirects=False)
    assert wrong.status_code == 422 and "'lots' is not a percentage" in html.unescape(wrong.text)
    assert 'value="2027-03"' in wrong.text  # the answers are kept

    started = am.post("/monthly-run", data={"csrf_token": am.csrf, "period": "2027-03", "format": "json",
                                            "preset": "", "no_response_data": "yes"},
                      files=upload, follow_redirects=False)
    assert started.status_code == 303, started.text
    page_url = started.headers["location"]
    seen = []
    for _ in range(600):
        shown = am.get(page_url)
        assert shown.status_code == 200
        state = re.search(r'data-state="(\w+)"', shown.text).group(1)
        seen.append(state)
        if state in ("done", "failed"):
            break
        assert 'http-equiv="refresh"' in shown.text  # the page follows the run by itself
        time.sleep(0.1)
    assert state == "done", shown.text
    assert 'http-equiv="refresh"' not in shown.text
    table = shown.text[shown.text.index('id="run-customers"'):]
    assert "Acme Dental Group Ltd" in table and "Lakeshore Legal LLP" in table
    assert "Nobody Ltd: 1 row, first on line 5" in shown.text

    links = {name: url for url, name in re.findall(r'<a href="(/monthly-run/[^"]+/files/([^"]+))">', shown.text)}
    assert set(links) == {"NW-ACME-2027-01-report-2027-03.json", "NW-ACME-2027-01-credit-note-2027-03.csv",
                          "PMI-LSL-2027-02-report-2027-03.json", "PMI-LSL-2027-02-credit-note-2027-03.csv",
                          "portfolio-2027-03.json", "portfolio-2027-03.md"}
    acme = am.get(links["NW-ACME-2027-01-report-2027-03.json"])
    assert acme.status_code == 200 and 'filename="NW-ACME-2027-01-report-2027-03.json"' in \
        acme.headers["content-disposition"]
    report = acme.json()
    assert report["agreement"] == "NW-ACME-2027-01" and report["tickets"]["in_period"] == 2
    assert report["measures"] == ["resolution"]  # the option reached the engine
    everything = am.get(re.search(r'href="(/api/jobs/[^"]+/file)"', shown.text).group(1))
    assert sorted(zipfile.ZipFile(io.BytesIO(everything.content)).namelist()) == sorted(links)
    assert am.get(page_url + "/files/secret.txt").status_code == 404
    assert clients["legal"].get(page_url).status_code == 403
