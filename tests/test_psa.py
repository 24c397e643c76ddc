"""`slagen psa export` and `slagen psa audit`: the contract's clocks as six PSAs' SLA configuration.

The contract (tests/data/psa/contract.yaml) keeps London hours that differ by day (Monday to
Thursday 08:00-18:00, Friday 08:00-16:30), closes on England's bank holidays and on Christmas
Eve 2027, and runs for 2027 only: British Summer Time starts on 28 March and ends on 31 October.

Each export is parsed back here by a reader written for the test from the tools' documented
shapes (not slagen's), and compared with values worked out by hand:

* 2027's English bank holidays: New Year's Day Fri 1 Jan; Good Friday 26 Mar and Easter Monday
  29 Mar (Easter Sunday is 28 Mar 2027); early May 3 May; spring 31 May; summer 30 Aug;
  Christmas Day falls on Saturday 25 Dec and Boxing Day on Sunday 26 Dec, so Monday 27 and
  Tuesday 28 Dec are the substitute days. Plus the contract's own closure on Friday 24 Dec.
* Targets: P1 30m / 4h / update 1h on 24x7; P2 1h / 8h / update 4h, P3 4h / 24h, P4 8h / 72h
  on support hours.
* Opening time in UTC either side of the change to summer time: Tuesday 23 March 2027 opens at
  08:00 GMT = 08:00 UTC, Tuesday 30 March 2027 at 08:00 BST = 07:00 UTC.
"""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from slagen.cli.main import app

CONTRACT = Path(__file__).parent / "data" / "psa" / "contract.yaml"
TOOLS = ("zendesk", "freshdesk", "freshservice", "halopsa", "connectwise", "autotask")

HOLIDAYS = {date(2027, 1, 1), date(2027, 3, 26), date(2027, 3, 29), date(2027, 5, 3), date(2027, 5, 31),
            date(2027, 8, 30), date(2027, 12, 24), date(2027, 12, 25), date(2027, 12, 26), date(2027, 12, 27),
            date(2027, 12, 28)}
# Weekday (0 = Monday) -> open windows, minutes after local midnight.
HOURS = {0: [(480, 1080)], 1: [(480, 1080)], 2: [(480, 1080)], 3: [(480, 1080)], 4: [(480, 990)], 5: [], 6: []}
# (priority rank 0..3, measure) -> (minutes, business hours)
TARGETS = {(0, "response"): (30, False), (0, "resolution"): (240, False), (0, "update"): (60, False),
           (1, "response"): (60, True), (1, "resolution"): (480, True), (1, "update"): (240, True),
           (2, "response"): (240, True), (2, "resolution"): (1440, True),
           (3, "response"): (480, True), (3, "resolution"): (4320, True)}
# The tools without an update target of their own.
NO_UPDATE = {"freshdesk", "freshservice", "connectwise", "autotask"}
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def run(*args):
    return CliRunner().invoke(app, ["psa", *args])


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("psa")
    out = {}
    for tool in TOOLS:
        path = folder / f"{tool}.json"
        result = run("export", str(CONTRACT), "--tool", tool, "-o", str(path))
        assert result.exit_code == 0, result.output
        out[tool] = json.loads(path.read_text())
    return out


# --------------------------------------------------------------------------------------------
# Readers written for the test from each tool's documented shape


def _hm(text: str) -> int:
    """'08:00', '08:00:00', '8:00 am', '4:30 pm' -> minutes after midnight."""
    text = text.strip().lower()
    suffix = text[-2:] if text.endswith(("am", "pm")) else ""
    parts = text.rstrip("apm ").split(":")
    hours, minutes = int(parts[0]), int(parts[1])
    if suffix:
        hours = hours % 12 + (12 if suffix == "pm" else 0)
    return hours * 60 + minutes


def read_back(tool: str, doc: dict):
    """(zone, hours, holidays, targets, pauses) in the test's terms, from the tool's own fields."""
    r = doc["resources"]
    hours = {d: [] for d in range(7)}
    if tool == "zendesk":
        schedule = r["schedules"][0]
        zone = schedule["time_zone"]
        for i in schedule["intervals"]:  # minutes since Sunday 00:00
            day = (i["start_time"] // 1440 - 1) % 7
            hours[day].append((i["start_time"] % 1440, i["start_time"] % 1440 + i["end_time"] - i["start_time"]))
        holidays = {date.fromisoformat(h["start_date"]) for h in r["holidays"]}
        rank = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
        measure = {"first_reply_time": "response", "agent_work_time": "resolution",
                   "pausable_update_time": "update"}
        targets = {(rank[m["priority"]], measure[m["metric"]]): (m["target"], m["business_hours"])
                   for m in r["sla_policies"][0]["policy_metrics"]}
        pauses = {m["metric"] for m in r["sla_policies"][0]["policy_metrics"]} - {"first_reply_time"}
    elif tool in ("freshdesk", "freshservice"):
        bh = r["business_hours"][0]
        zone = bh["time_zone"]
        week, start, end = (("business_hours", "start_time", "end_time") if tool == "freshdesk" else
                            ("service_desk_hours", "beginning_of_workday", "end_of_workday"))
        for name, value in bh[week].items():
            hours[WEEKDAY_NAMES.index(name)].append((_hm(value[start]), _hm(value[end])))
        holiday_list = bh["holidays"] if tool == "freshdesk" else bh["list_of_holidays"]
        holidays = {date.fromisoformat(h.get("date") or h.get("holiday_date")) for h in holiday_list}
        policy = r["sla_policies"][0]
        entries = ([(int(k.split("_")[1]), v) for k, v in policy["sla_target"].items()] if tool == "freshdesk"
                   else [(t["priority"], t) for t in policy["sla_targets"]])
        targets = {}
        for number, t in entries:  # priority 4 is urgent, 1 low; targets in seconds
            targets[(4 - number, "response")] = (t["respond_within"] // 60, t["business_hours"])
            targets[(4 - number, "resolution")] = (t["resolve_within"] // 60, t["business_hours"])
        pauses = {s["label"] for s in r["statuses"] if s["stop_sla_timer"]}
    elif tool == "connectwise":
        zone = None
        cal = r["calendars"][0]
        for d, name in enumerate(WEEKDAY_NAMES):
            if cal[f"{name}StartTime"]:
                hours[d].append((_hm(cal[f"{name}StartTime"]), _hm(cal[f"{name}EndTime"])))
        holidays = {date.fromisoformat(h["date"]) for h in r["holidays"]}
        based_on = {s["name"]: s["basedOn"] for s in r["slas"]}
        targets = {}
        for sp in r["sla_priorities"]:
            rank = int(sp["priority"]["name"].split()[1]) - 1
            business = based_on[sp["sla"]["name"]] == "Custom"
            targets[(rank, "response")] = (round(sp["respondHours"] * 60), business)
            targets[(rank, "resolution")] = (round(sp["resolutionHours"] * 60), business)
        pauses = {s["name"] for s in r["statuses"] if s["slaStatus"] == "Waiting"}
    elif tool == "halopsa":
        wd = r["workdays"][0]
        zone = wd["timezone"]
        for t in wd["workdaytimes"]:
            hours[WEEKDAY_NAMES.index(t["day"])].append((_hm(t["start"]), _hm(t["end"])))
        holidays = {date.fromisoformat(h["date"]) for h in wd["holidays"]}
        targets = {}
        for p in r["slas"][0]["priorities"]:
            for measure, key in (("response", "responsetime"), ("resolution", "fixtime"), ("update", "updatetime")):
                if key in p:
                    targets[(p["priority_id"] - 1, measure)] = (round(p[key] * 60), not p["ignore_workday"])
        pauses = {s["name"] for s in r["statuses"] if s["sla_hold"]}
    else:  # autotask
        bh = r["business_hours"][0]
        zone = bh["timeZone"]
        for d, name in enumerate(WEEKDAY_NAMES):
            if bh[f"{name}Start"]:
                hours[d].append((_hm(bh[f"{name}Start"]), _hm(bh[f"{name}End"])))
        holidays = {date.fromisoformat(h["holidayDate"][:10]) for h in r["holidays"]}
        rank = {"Critical": 0, "High": 1, "Medium": 2, "Low": 3}
        targets = {}
        for sla in r["service_level_agreements"]:
            for p in sla["priorities"]:
                business = sla["businessHoursName"] != "24x7"
                targets[(rank[p["priority"]], "response")] = (round(p["firstResponseHours"] * 60), business)
                targets[(rank[p["priority"]], "resolution")] = (round(p["resolvedHours"] * 60), business)
        pauses = {s["label"] for s in r["statuses"] if s["pausesSla"]}
    return zone, hours, holidays, targets, pauses


# The zone names the tools write, as the test knows them: Rails names for Zendesk and Freshworks.
ZONE_OF = {"London": "Europe/London", "Europe/London": "Europe/London"}
EXPECTED_PAUSES = {
    "zendesk": {"agent_work_time", "pausable_update_time"},  # both pause in Pending and On-hold / Pending
    "freshdesk": {"Pending", "Waiting on third party"},
    "freshservice": {"Pending", "Waiting on third party"},
    "connectwise": {"Waiting on customer", "Waiting on third party"},
    "halopsa": {"Waiting on customer", "Waiting on third party"},
    "autotask": {"Waiting on customer", "Waiting on third party"},
}


@pytest.mark.parametrize("tool", TOOLS)
def test_export_holds_the_contracts_calendar_targets_and_pauses(exports, tool):
    zone, hours, holidays, targets, pauses = read_back(tool, exports[tool])
    assert {d: sorted(w) for d, w in hours.items()} == HOURS
    assert holidays == HOLIDAYS
    wanted = {k: v for k, v in TARGETS.items() if not (tool in NO_UPDATE and k[1] == "update")}
    assert targets == wanted
    assert pauses == EXPECTED_PAUSES[tool]
    if tool == "connectwise":
        assert zone is None and any("Europe/London" in note for note in exports[tool]["by_hand"])
        return
    # The hours are local wall time in a named zone, so they follow the change to summer time.
    tz = ZoneInfo(ZONE_OF[zone])
    before = datetime(2027, 3, 23, hours[1][0][0] // 60, hours[1][0][0] % 60, tzinfo=tz).astimezone(timezone.utc)
    after = datetime(2027, 3, 30, hours[1][0][0] // 60, hours[1][0][0] % 60, tzinfo=tz).astimezone(timezone.utc)
    assert (before.hour, after.hour) == (8, 7)


def test_zendesk_intervals_count_from_sunday_midnight(exports):
    # Monday 08:00 is 1440 + 480 minutes after Sunday 00:00; Friday 16:30 is 5 * 1440 + 990.
    intervals = exports["zendesk"]["resources"]["schedules"][0]["intervals"]
    assert intervals[0] == {"start_time": 1920, "end_time": 2520}
    assert intervals[-1] == {"start_time": 7680, "end_time": 8190}


def test_export_writes_the_requests_in_order(exports):
    paths = [r["path"] for r in exports["zendesk"]["requests"]]
    assert paths[0] == "/api/v2/business_hours/schedules"
    assert paths[1].endswith("/workweek") and paths[-1] == "/api/v2/slas/policies"
    assert paths.count("/api/v2/business_hours/schedules/{schedule_id}/holidays") == len(HOLIDAYS)
    cw = exports["connectwise"]["requests"]
    # P1 runs 24x7 and the others on support hours: ConnectWise gets one SLA per clock.
    assert [r["body"]["basedOn"] for r in cw if r["path"] == "/service/SLAs"] == ["Custom", "AllHours"]


# --------------------------------------------------------------------------------------------
# Audit


def _contract_line(text: str) -> int:
    return next(n for n, line in enumerate(CONTRACT.read_text().splitlines(), 1) if text in line)


def _drift(tool: str, doc: dict) -> dict:
    """The export with Spring bank holiday removed, Tuesday's hours 30 minutes later, P3's resolution 25h."""
    doc = copy.deepcopy(doc)
    r = doc["resources"]
    if tool == "zendesk":
        r["holidays"] = [h for h in r["holidays"] if h["start_date"] != "2027-05-31"]
        for i in r["schedules"][0]["intervals"]:
            if i["start_time"] // 1440 == 2:  # Tuesday
                i["start_time"] += 30
                i["end_time"] += 30
        for m in r["sla_policies"][0]["policy_metrics"]:
            if m["priority"] == "normal" and m["metric"] == "agent_work_time":
                m["target"] = 25 * 60
    elif tool in ("freshdesk", "freshservice"):
        bh = r["business_hours"][0]
        key, holidays, start, end = (("business_hours", "holidays", "start_time", "end_time") if tool == "freshdesk"
                                     else ("service_desk_hours", "list_of_holidays", "beginning_of_workday",
                                           "end_of_workday"))
        bh[holidays] = [h for h in bh[holidays] if "2027-05-31" not in (h.get("date"), h.get("holiday_date"))]
        bh[key]["tuesday"] = {start: "8:30 am", end: "6:30 pm"}
        policy = r["sla_policies"][0]
        if tool == "freshdesk":
            policy["sla_target"]["priority_2"]["resolve_within"] = 25 * 3600
        else:
            next(t for t in policy["sla_targets"] if t["priority"] == 2)["resolve_within"] = 25 * 3600
    elif tool == "connectwise":
        r["holidays"] = [h for h in r["holidays"] if h["date"] != "2027-05-31"]
        r["calendars"][0]["tuesdayStartTime"] = "08:30:00"
        r["calendars"][0]["tuesdayEndTime"] = "18:30:00"
        next(p for p in r["sla_priorities"] if p["priority"]["name"].startswith("Priority 3"))["resolutionHours"] = 25
    elif tool == "halopsa":
        wd = r["workdays"][0]
        wd["holidays"] = [h for h in wd["holidays"] if h["date"] != "2027-05-31"]
        for t in wd["workdaytimes"]:
            if t["day"] == "tuesday":
                t["start"], t["end"] = "08:30", "18:30"
        next(p for p in r["slas"][0]["priorities"] if p["priority_id"] == 3)["fixtime"] = 25
    else:
        r["holidays"] = [h for h in r["holidays"] if not h["holidayDate"].startswith("2027-05-31")]
        r["business_hours"][0]["tuesdayStart"], r["business_hours"][0]["tuesdayEnd"] = "08:30", "18:30"
        for sla in r["service_level_agreements"]:
            for p in sla["priorities"]:
                if p["priority"] == "Medium":
                    p["resolvedHours"] = 25
    return doc


@pytest.mark.parametrize("tool", TOOLS)
def test_audit_of_the_export_finds_no_difference(exports, tool, tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps(exports[tool]))
    result = run("audit", str(CONTRACT), "--tool", tool, str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


@pytest.mark.parametrize("tool", TOOLS)
def test_audit_finds_exactly_the_three_drifts_at_their_contract_lines(exports, tool, tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps(_drift(tool, exports[tool])))
    result = run("audit", str(CONTRACT), "--tool", tool, str(path))
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 3, result.stdout
    where = f"{CONTRACT}:"
    tuesday, holiday, target = (next(line for line in lines if word in line)
                                for word in ("Tuesday", "2027-05-31", "resolution target for P3"))
    assert tuesday.startswith(f"{where}{_contract_line('monday-thursday:')}:")
    assert "08:30-18:30" in tuesday and "08:00-18:00" in tuesday
    assert holiday.startswith(f"{where}{_contract_line('holidays: {country: GB')}:")
    assert "Spring" in holiday
    resolution_24h = [n for n, line in enumerate(CONTRACT.read_text().splitlines(), 1) if "resolution: 24h" in line]
    assert target.startswith(f"{where}{resolution_24h[0]}:") and "25h" in target and "24h" in target


def test_audit_reads_the_tools_own_list_responses(exports, tmp_path):
    # The three list responses of Zendesk's API gathered into one object, with ids and extra fields.
    r = exports["zendesk"]["resources"]
    config = {"schedules": [{**r["schedules"][0], "id": 1, "created_at": "2027-01-01T00:00:00Z"}],
              "holidays": [{**h, "id": n} for n, h in enumerate(r["holidays"])],
              "sla_policies": [{**r["sla_policies"][0], "id": 9, "position": 1}]}
    config["sla_policies"][0]["policy_metrics"] = [
        {**m, "metric": "total_resolution_time"} if m["metric"] == "agent_work_time" else m
        for m in config["sla_policies"][0]["policy_metrics"]]
    path = tmp_path / "zendesk-now.json"
    path.write_text(json.dumps(config))
    result = run("audit", str(CONTRACT), "--tool", "zendesk", str(path))
    assert result.exit_code == 1
    # Total resolution time never pauses: both pauses of the contract are missing, at clock_pauses.
    pause_line = _contract_line("clock_pauses:")
    assert result.stdout.splitlines() == [
        f"{CONTRACT}:{pause_line}:15: error: Zendesk does not stop the clock in 'on-hold', which the contract's "
        "pauses need (at clock_pauses)",
        f"{CONTRACT}:{pause_line}:15: error: Zendesk does not stop the clock in 'pending', which the contract's "
        "pauses need (at clock_pauses)",
    ]


def test_audit_finds_a_wrong_zone(exports, tmp_path):
    doc = copy.deepcopy(exports["freshdesk"])
    doc["resources"]["business_hours"][0]["time_zone"] = "Dublin"
    path = tmp_path / "fd.json"
    path.write_text(json.dumps(doc))
    result = run("audit", str(CONTRACT), "--tool", "freshdesk", str(path))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{CONTRACT}:{_contract_line('timezone: Europe/London')}:")
    assert "Europe/Dublin" in result.stdout and "Europe/London" in result.stdout


# --------------------------------------------------------------------------------------------
# Refusals and setup sheets


def test_bad_input_is_refused_with_its_location(tmp_path):
    assert run("export", str(CONTRACT), "--tool", "zendeks").exit_code == 2
    broken = tmp_path / "broken.json"
    broken.write_text('{"schedules": [\n  {"name": }\n]}')
    result = run("audit", str(CONTRACT), "--tool", "zendesk", str(broken))
    assert result.exit_code == 2
    assert result.output.startswith(f"{broken}:2:")
    wrong_tool = tmp_path / "cw.json"
    wrong_tool.write_text(json.dumps({"slagen_psa_export": 1, "tool": "connectwise", "resources": {}}))
    assert run("audit", str(CONTRACT), "--tool", "zendesk", str(wrong_tool)).exit_code == 2
    not_list = tmp_path / "odd.json"
    not_list.write_text(json.dumps({"schedules": "yes"}))
    result = run("audit", str(CONTRACT), "--tool", "zendesk", str(not_list))
    assert result.exit_code == 2 and "Traceback" not in result.output
    for odd in ({"schedules": [{"intervals": [1, 2]}]}, {"schedules": [{"intervals": [{"start_time": "x"}]}]},
                {"schedules": [{"time_zone": 5, "intervals": None}], "sla_policies": [{"policy_metrics": [7]}]},
                {"schedules": [{}], "holidays": [{"start_date": 20270101}]}):
        not_list.write_text(json.dumps(odd))
        result = run("audit", str(CONTRACT), "--tool", "zendesk", str(not_list))
        assert result.exit_code == 2, (odd, result.output)
        assert result.output.startswith(("error: ", f"{not_list}")), result.output


def test_hours_a_calendar_cannot_hold_are_refused_at_their_line(tmp_path):
    split = tmp_path / "split.yaml"
    split.write_text(CONTRACT.read_text().replace('friday: "08:00-16:30"', 'friday: "08:00-12:00, 13:00-16:30"'))
    result = run("export", str(split), "--tool", "connectwise")
    assert result.exit_code == 2
    line = next(n for n, text in enumerate(split.read_text().splitlines(), 1) if "friday:" in text)
    assert result.output.startswith(f"{split}:{line}:")
    # Zendesk holds several intervals a day.
    assert run("export", str(split), "--tool", "zendesk").exit_code == 0


@pytest.mark.parametrize("tool", ["jira", "servicenow"])
def test_setup_sheet_lists_every_screen_value(tool):
    result = run("export", str(CONTRACT), "--tool", tool)
    assert result.exit_code == 0, result.output
    sheet = result.stdout
    assert "Europe/London" in sheet
    assert "| Friday | 08:00 to 16:30 |" in sheet
    for day in sorted(HOLIDAYS):
        assert f"| {day.isoformat()} |" in sheet
    waiting = "Waiting for customer" if tool == "jira" else "Waiting on customer"  # Jira's own status
    assert waiting in sheet and "Waiting on third party" in sheet
    assert run("export", str(CONTRACT), "--tool", tool, "--format", "json").exit_code == 2


def test_more_priorities_than_the_tool_has_are_refused_at_the_first_left_over(tmp_path):
    text = CONTRACT.read_text()
    fifth = text.replace("clock_pauses:", """  - id: P5
    name: Planned
    definition: Planned work.
    response: 24h
    resolution: 120h
    clock: support_hours

clock_pauses:""", 1)
    path = tmp_path / "five.yaml"
    path.write_text(fifth)
    result = run("export", str(path), "--tool", "zendesk")
    assert result.exit_code == 2
    line = next(n for n, t in enumerate(fifth.splitlines(), 1) if "id: P5" in t) + 5  # the clock: line of P5
    assert result.output.startswith(f"{path}:{line}:") and "Zendesk has 4 priorities but the contract has 5" \
        in result.output


def test_freshservice_yearly_holidays_count_in_every_year_of_the_term(exports, tmp_path):
    # Freshservice's own yearly form '--MM-DD' (New Year's Day), read as 1 January 2027.
    doc = copy.deepcopy(exports["freshservice"])
    holidays = doc["resources"]["business_hours"][0]["list_of_holidays"]
    for h in holidays:
        if h["holiday_date"] == "2027-01-01":
            h["holiday_date"] = "--01-01"
    path = tmp_path / "fs.json"
    path.write_text(json.dumps(doc))
    assert run("audit", str(CONTRACT), "--tool", "freshservice", str(path)).exit_code == 0
