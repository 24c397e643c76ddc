"""The web attainment report takes the command line's options, on the form and in the API.

A Texas MSP's export names its columns its own way and its priorities as ConnectWise does
("Priority 3 - Normal Response"), with US dates whose day and month cannot be told apart. The
form reads the export, offers its header names and its labels to map, keeps the chosen file
through every mistake, and then reports exactly the figures worked out by hand below.

The contract is the reference one (Europe/London, support hours Monday to Friday 08:30-17:30;
P1 30m/4h around the clock, P3 4h/24h and P4 8h/72h in support hours). March 2027, before the
clocks change on the 28th, so London's wall time is UTC:

  T1 Priority 1, Tue 2 Mar 10:00, answered 10:20 (20m <= 30m met), resolved 13:00 (3h <= 4h met)
  T2 Priority 3, Wed 3 Mar 09:00, answered 14:00 (5h > 4h breached), resolved Thu 4 Mar 10:00
     (Wed 09:00-17:30 is 8h30, Thu 08:30-10:00 is 1h30: 10h <= 24h met)
  T3 Priority 3, Mon 8 Mar 09:00, answered 10:00 (1h met), resolved 16:00 (7h met)
  T4 Priority 4, Tue 9 Mar 09:00, answered 09:30 (30m met), resolved 12:00 (3h met)

so 7 of the 8 targets are met; P3's response 1 of 2.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from workspace.conftest import ROOT

TEXAS = (
    "Ticket Number,Priority Level,Opened,First Reply,Closed\r\n"
    "T1,Priority 1 - Emergency Response,03/02/2027 10:00 AM,03/02/2027 10:20 AM,03/02/2027 01:00 PM\r\n"
    "T2,Priority 3 - Normal Response,03/03/2027 09:00 AM,03/03/2027 02:00 PM,03/04/2027 10:00 AM\r\n"
    "T3,Priority 3 - Normal Response,03/08/2027 09:00 AM,03/08/2027 10:00 AM,03/08/2027 04:00 PM\r\n"
    "T4,Priority 4 - Scheduled Maintenance,03/09/2027 09:00 AM,03/09/2027 09:30 AM,03/09/2027 12:00 PM\r\n"
).encode()
COLUMNS = {"id": "Ticket Number", "priority": "Priority Level", "logged_at": "Opened",
           "first_response_at": "First Reply", "resolved_at": "Closed"}
LABELS = {"Priority 1 - Emergency Response": "P1", "Priority 3 - Normal Response": "P3",
          "Priority 4 - Scheduled Maintenance": "P4"}
US_TIME = "%m/%d/%Y %I:%M %p"


@pytest.fixture
def database_url(tmp_path):
    """SQLite only: nothing here depends on the database (the register, signatures and time zones,
    which do, run on PostgreSQL too in test_workspace_team.py)."""
    return f"sqlite:///{tmp_path / 'workspace.db'}"


def post(client, contract_id, data, files=None):
    return client.post(f"/contracts/{contract_id}/report", data={"csrf_token": client.csrf, **data}, files=files)


def staged_token(page: str) -> str:
    return re.search(r'name="staged" value="([^"]*)"', page).group(1)


def report_json(page: str) -> dict:
    return json.loads(html.unescape(re.search(r"<pre>(.*?)</pre>", page, re.S).group(1)))


def test_a_texas_export_is_mapped_in_the_browser_form_and_its_file_is_kept(clients, contract_id):
    am = clients["account_manager"]
    first = post(am, contract_id, {"period": "2027-03", "preset": "detect"},
                 {"tickets": ("texas-march.csv", TEXAS, "text/csv")})
    # No preset knows these headers: the mistake is said on the form, in the form's words ...
    assert first.status_code == 422
    assert 'role="alert"' in first.text and "column" in first.text and "--columns" not in first.text
    # ... the file is kept ...
    token = staged_token(first.text)
    assert token and 'id="kept-tickets"' in first.text and "texas-march.csv" in first.text
    # ... and the export's own header names and labels are offered to map.
    for header in COLUMNS.values():
        assert f"<option>{header}</option>" in first.text
    labels = re.findall(r'name="priority_label_(\d+)" value="([^"]*)"', first.text)
    assert {label for _, label in labels} == set(LABELS)

    # The user maps the columns and the labels, but does not yet say how the dates are written.
    mapped = {"period": "2027-03", "preset": "detect", "staged": token, "action": "report",
              **{f"column_{field}": header for field, header in COLUMNS.items()}}
    for n, label in labels:
        mapped[f"priority_label_{n}"] = label
        mapped[f"priority_to_{n}"] = LABELS[label]
    second = post(am, contract_id, mapped)  # no file this time: the kept one is used
    assert second.status_code == 422 and "time format" in second.text and "--time-format" not in second.text
    assert staged_token(second.text) == token and "texas-march.csv" in second.text

    third = post(am, contract_id, {**mapped, "time_format": US_TIME})
    assert third.status_code == 200, third.text[-2000:]
    report = report_json(third.text)
    assert (report["overall"]["targets_met"], report["overall"]["targets_measured"]) == (7, 8)
    by_id = {p["id"]: p for p in report["priorities"]}
    assert (by_id["P3"]["response"]["met"], by_id["P3"]["response"]["breached"]) == (1, 1)
    assert (by_id["P3"]["resolution"]["met"], by_id["P1"]["resolution"]["met"], by_id["P4"]["tickets"]) == (1 + 1, 1, 1)
    assert {m["label"]: m["priority"] for m in report["priority_mapping"]} == LABELS
    assert report["tickets"]["file"] == "texas-march.csv"  # the upload's name, not the server's copy


def test_the_same_options_through_the_api_in_the_command_lines_syntax(clients, contract_id):
    am = clients["account_manager"]
    options = {"period": "2027-03", "columns": ",".join(f"{f}={h}" for f, h in COLUMNS.items()),
               "priority_map": ",".join(f"{label}={pid}" for label, pid in LABELS.items()), "time_format": US_TIME,
               "export_timezone": "Europe/London", "delimiter": "comma", "max_rejected": "0"}
    response = am.post(f"/api/contracts/{contract_id}/reports", data=options,
                       files={"tickets": ("texas.csv", TEXAS, "text/csv")}, headers={"X-CSRF-Token": am.csrf})
    assert response.status_code == 200, response.text
    overall = response.json()["report"]["overall"]
    assert (overall["targets_met"], overall["targets_measured"]) == (7, 8)

    # Resolution only: the response targets are not measured at all.
    resolution = am.post(f"/api/contracts/{contract_id}/reports", data={**options, "no_response_data": "yes"},
                         files={"tickets": ("texas.csv", TEXAS, "text/csv")}, headers={"X-CSRF-Token": am.csrf})
    assert resolution.json()["report"]["measures"] == ["resolution"]
    assert resolution.json()["report"]["overall"]["targets_measured"] == 4

    # An unmapped label leaves 2 of 4 rows out: more than 10% refuses the export, 60% reports it.
    partial = {**options, "priority_map": "Priority 1 - Emergency Response=P1,Priority 4 - Scheduled Maintenance=P4"}
    refused = am.post(f"/api/contracts/{contract_id}/reports", data={**partial, "max_rejected": "10"},
                      files={"tickets": ("texas.csv", TEXAS, "text/csv")}, headers={"X-CSRF-Token": am.csrf})
    assert refused.status_code == 422 and "2 of 4 rows" in refused.json()["error"]
    assert "--max-rejected" not in refused.json()["error"]
    allowed = am.post(f"/api/contracts/{contract_id}/reports", data={**partial, "max_rejected": "60"},
                      files={"tickets": ("texas.csv", TEXAS, "text/csv")}, headers={"X-CSRF-Token": am.csrf})
    assert allowed.status_code == 200 and allowed.json()["report"]["overall"]["targets_measured"] == 4


def test_the_preview_offers_the_exports_labels_and_recognises_a_known_tool(clients, contract_id):
    am = clients["account_manager"]
    connectwise = (ROOT / "tests" / "data" / "report" / "connectwise-march-2027.csv").read_bytes()
    preview = am.post(f"/api/contracts/{contract_id}/report-preview", data={"preset": "detect"},
                      files={"tickets": ("cw.csv", connectwise, "text/csv")}, headers={"X-CSRF-Token": am.csrf})
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert (body["preset"], body["recognised"], body["rows"]) == ("connectwise", True, 2)
    assert body["columns"]["logged_at"] == "Date Entered" and body["priority_column"] == "Priority"
    assert {(s["label"], s["priority"]) for s in body["labels"]} == {
        ("Priority 1 - Emergency Response", "P1"), ("Priority 4 - Scheduled Maintenance", "P4")}
    assert [p["id"] for p in body["contract_priorities"]] == ["P1", "P2", "P3", "P4"]

    texas = am.post(f"/api/contracts/{contract_id}/report-preview", data={"preset": "detect"},
                    files={"tickets": ("texas.csv", TEXAS, "text/csv")}, headers={"X-CSRF-Token": am.csrf}).json()
    # No preset fits; no column is called 'priority', so the one named like it is offered.
    assert texas["preset"] is None and texas["columns"]["id"] is None
    assert texas["priority_column"] == "Priority Level"
    with_column = am.post(f"/api/contracts/{contract_id}/report-preview", data={"columns": "priority=Priority Level"},
                          files={"tickets": ("texas.csv", TEXAS, "text/csv")},
                          headers={"X-CSRF-Token": am.csrf}).json()
    assert with_column["labels"] == texas["labels"]
    # Two rows of Priority 3, one of each other label; none is a contract id or name yet.
    assert [(s["label"], s["tickets"], s["priority"]) for s in with_column["labels"]] == [
        ("Priority 3 - Normal Response", 2, None), ("Priority 1 - Emergency Response", 1, None),
        ("Priority 4 - Scheduled Maintenance", 1, None)]


def test_a_wrong_option_is_said_on_the_form_with_the_file_kept(clients, contract_id):
    am = clients["account_manager"]
    for field, value, words in (("preset", "kaseya", "not a preset"),
                                ("max_rejected", "120", "percentage from 0 to 100"),
                                ("export_timezone", "Texas/Austin", "not a time zone"),
                                ("columns", "due_at=Due", "not a field")):
        page = post(am, contract_id, {"period": "2027-03", field: value},
                    {"tickets": ("texas.csv", TEXAS, "text/csv")})
        assert page.status_code == 422 and words in page.text and 'role="alert"' in page.text, field
        assert "texas.csv" in page.text and staged_token(page.text), field


def test_kept_files_belong_to_the_person_who_chose_them(app, clients, contract_id):
    from workspace.conftest import sign_in

    am = clients["account_manager"]
    token = staged_token(post(am, contract_id, {"period": "2027-03", "action": "preview"},
                              {"tickets": ("texas.csv", TEXAS, "text/csv")}).text)
    from slagen.workspace.store import add_user

    with app.state.sessions() as db:
        add_user(db, "other_am", "account_manager", "another sturdy passphrase")
    other = sign_in(app, "other_am", "another sturdy passphrase")
    try:
        page = post(other, contract_id, {"period": "2027-03", "staged": token})
        assert page.status_code == 422 and "choose the helpdesk" in page.text
        assert "texas.csv" not in page.text
    finally:
        other.__exit__(None, None, None)


def test_a_program_leaves_no_files_behind_and_the_server_removes_what_it_kept_when_it_stops(app, clients,
                                                                                            contract_id):
    am = clients["account_manager"]
    root = app.state.staged_uploads.root
    for fields in ({"period": "2027-03", "columns": ",".join(f"{f}={h}" for f, h in COLUMNS.items())},
                   {"period": "2027-03", "preset": "kaseya"}):  # a report, and a refused option
        am.post(f"/api/contracts/{contract_id}/reports", data=fields,
                files={"tickets": ("texas.csv", TEXAS, "text/csv")}, headers={"X-CSRF-Token": am.csrf})
    assert [p for p in root.iterdir()] == []
    token = staged_token(post(am, contract_id, {"period": "2027-03", "action": "preview"},
                              {"tickets": ("texas.csv", TEXAS, "text/csv")}).text)
    assert (root / token / "tickets" / "texas.csv").read_bytes() == TEXAS
    am.__exit__(None, None, None)  # the server stops
    assert not root.exists()
