"""The monthly run page maps an export's columns and priority labels as the single report form does.

An export whose headers and labels no preset knows: "Read the export" shows the column-map and
priority-map selects (the report form's own), keeps the file, and the run then reads every
customer's rows through the chosen mapping.
"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile

import pytest

from workspace.conftest import example
from workspace.test_workspace_portfolio import _approved

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

EXPORT = """Case,Company,Severity,Opened,Answered,Closed
A1,Acme Dental Group Ltd,Sev-2,2027-03-02T09:00,2027-03-02T09:20,2027-03-02T12:00
A2,Acme Dental Group Ltd,Sev-3,2027-03-03T10:00,2027-03-03T16:30,2027-03-04T10:00
A3,Acme Dental Group Ltd,Sev-3,2027-03-05T10:00,2027-03-05T10:30,2027-03-05T11:00
L1,Lakeshore Legal LLP,Sev-2,2027-03-02T08:00,2027-03-02T08:30,2027-03-02T11:00
"""


def _finished(client, url: str) -> str:
    for _ in range(600):
        shown = client.get(url)
        if re.search(r'data-state="(done|failed)"', shown.text):
            return shown.text
        time.sleep(0.1)
    raise AssertionError("the monthly run did not finish")


def test_the_monthly_run_reads_the_export_through_the_mapped_columns_and_priorities(clients):
    am = clients["account_manager"]
    _approved(clients, example("acme-dental.yaml"))
    _approved(clients, example("lakeshore-legal-us.yaml"))

    read = am.post("/monthly-run", data={"csrf_token": am.csrf, "period": "2027-03", "preset": "", "action": "preview"},
                   files={"tickets": ("all.csv", EXPORT.encode(), "text/csv")})
    assert read.status_code == 200, read.text
    page = read.text
    assert 'id="column-map"' in page and 'id="priority-map"' in page
    for header in ("Case", "Severity", "Opened", "Answered", "Closed"):
        assert f"<option>{header}</option>" in page  # each of the export's columns offered for each field
    labels = dict(re.findall(r'name="priority_label_(\d+)" value="([^"]+)"', page))
    assert sorted(labels.values()) == ["Sev-2", "Sev-3"]
    assert 'id="kept-tickets"' in page  # the file is kept: the run is started without sending it again
    token = re.search(r'name="staged" value="([^"]+)"', page).group(1)

    mapping = {"column_id": "Case", "column_priority": "Severity", "column_logged_at": "Opened",
               "column_first_response_at": "Answered", "column_resolved_at": "Closed"}
    for number, label in labels.items():
        mapping[f"priority_label_{number}"] = label
        mapping[f"priority_to_{number}"] = {"Sev-2": "P2", "Sev-3": "P3"}[label]
    started = am.post("/monthly-run", data={"csrf_token": am.csrf, "period": "2027-03", "preset": "", "format": "json",
                                            "action": "run", "staged": token, **mapping}, follow_redirects=False)
    assert started.status_code == 303, started.text
    shown = _finished(am, started.headers["location"])
    assert 'data-state="done"' in shown, shown
    archive = zipfile.ZipFile(io.BytesIO(am.get(re.search(r'href="(/api/jobs/[^"]+/file)"', shown).group(1)).content))
    acme = json.loads(archive.read("NW-ACME-2027-01-report-2027-03.json"))
    assert acme["tickets"]["in_period"] == 3 and acme["tickets"]["rows_rejected"] == 0
    assert [(m["label"], m["priority"], m["tickets"]) for m in acme["priority_mapping"]] == [
        ("Sev-2", "P2", 1), ("Sev-3", "P3", 2)]
    assert [(p["id"], p["tickets"]) for p in acme["priorities"]] == [("P1", 0), ("P2", 1), ("P3", 2), ("P4", 0)]
    lakeshore = json.loads(archive.read("PMI-LSL-2027-02-report-2027-03.json"))
    assert lakeshore["tickets"]["in_period"] == 1 and lakeshore["priority_mapping"][0]["priority"] == "P2"



def test_a_monthly_export_larger_than_a_contract_is_taken(clients):
    # Every customer's tickets for a month run to megabytes: the page takes an export of the
    # report form's size (here 5.5 MB, past the 4 MB a contract's routes accept) and reads it.
    am = clients["account_manager"]
    _approved(clients, example("acme-dental.yaml"))
    row = "A{n},Acme Dental Group Ltd,Sev-3,2027-03-05T10:00,2027-03-05T10:30,2027-03-05T11:00,{pad}\n"
    body = "Case,Company,Severity,Opened,Answered,Closed,Notes\n" + "".join(
        row.format(n=n, pad="x" * 20) for n in range(60_000))
    assert len(body) > 5_500_000
    read = am.post("/monthly-run", data={"csrf_token": am.csrf, "period": "2027-03", "preset": "", "action": "preview"},
                   files={"tickets": ("all.csv", body.encode(), "text/csv")})
    assert read.status_code == 200, read.text[:500]
    assert 'id="column-map"' in read.text and "60000 rows" in read.text
