"""`slagen check` as a user runs it: exit codes, text and JSON output, and the generated rule docs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ACME = ROOT / "examples" / "acme-dental-infeasible.yaml"  # the first draft: the checker has findings to show


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "slagen", "check", *args], capture_output=True, text=True,
                          cwd=ROOT)


@pytest.fixture(scope="module")
def acme_json() -> dict:
    done = run(str(ACME), "--format", "json")
    assert done.returncode == 1, done.stderr
    return json.loads(done.stdout)


def test_acme_names_its_real_problems(acme_json):
    by_rule = {}
    for f in acme_json["findings"]:
        by_rule.setdefault(f["rule"], []).append(f)
    # The 24x7 P1 clock with nobody on call, at the 'clock: 24x7' value (line 73).
    [clock] = by_rule["SLA201"]
    assert (clock["path"], clock["line"], clock["severity"]) == ("priorities[0].clock", 73, "error")
    # Email: 99.9% x 99.5% = 99.4005% < 99.9%, at 'availability: 99.9%' (line 31).
    [email] = [f for f in by_rule["SLA301"] if f["severity"] == "error"]
    assert (email["path"], email["line"]) == ("services[0].availability", 31)
    assert "99.4005%" in email["message"]
    # RTO: 800 GB / 100 GB/h = 8h of restore alone, plus next-business-day hardware, vs 8h (line 125).
    [rto] = by_rule["SLA402"]
    assert (rto["path"], rto["line"]) == ("data_protection.rto", 125)
    assert "8h of restore alone" in rto["message"] and "next_business_day" in rto["message"]


def test_json_shape(acme_json):
    assert set(acme_json) == {"file", "findings", "summary"}
    assert acme_json["file"].endswith("acme-dental-infeasible.yaml")
    for f in acme_json["findings"]:
        assert set(f) == {"rule", "severity", "path", "line", "column", "message", "why", "fix"}
        assert f["severity"] in ("error", "warning", "info")
    counts = acme_json["summary"]
    assert counts["errors"] == sum(f["severity"] == "error" for f in acme_json["findings"]) > 0
    assert counts["warnings"] == sum(f["severity"] == "warning" for f in acme_json["findings"])
    assert counts["infos"] == sum(f["severity"] == "info" for f in acme_json["findings"])
    severities = [f["severity"] for f in acme_json["findings"]]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)


def test_text_is_grouped_by_section_errors_first_and_plain_off_a_terminal():
    done = run(str(ACME))
    assert done.returncode == 1
    out = done.stdout
    assert "\x1b[" not in out
    assert out.splitlines()[0].startswith(f"{ACME}: ") and " errors, " in out.splitlines()[0]
    sections = [line for line in out.splitlines() if line and not line.startswith(" ") and ":" not in line]
    assert sections[:2] == ["services", "priorities"] and "data_protection" in sections
    services = out.split("\nservices\n")[1].split("\n\n")[0]
    kinds = [line.split(": ")[1].split()[0] for line in services.splitlines() if line.startswith("  ")
             and not line.startswith("    ")]
    assert kinds == sorted(kinds, key=["error", "warning", "info"].index)
    assert f"{ACME}:73:12: error SLA201 24x7-clock-without-cover (at priorities[0].clock)" in out


@pytest.mark.parametrize("example", ["contoso-logistics-24x7.yaml", "small-office-minimal.yaml"])
def test_feasible_examples_have_no_errors(example):
    done = run(str(ROOT / "examples" / example), "--format", "json")
    assert done.returncode == 0, done.stdout
    assert json.loads(done.stdout)["summary"]["errors"] == 0


def test_invalid_file_exits_2_with_the_validator_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(ACME.read_text(encoding="utf-8").replace("resolution: 4h", "resolution: 4 hours"),
                   encoding="utf-8")
    done = run(str(bad))
    assert done.returncode == 2 and done.stdout == ""
    assert f"{bad}:71:17: error:" in done.stderr
    done = run(str(bad), "--format", "json")
    assert done.returncode == 2
    payload = json.loads(done.stdout)
    assert payload["file"] == str(bad) and payload["errors"][0]["line"] == 71


def test_missing_file_exits_2(tmp_path):
    done = run(str(tmp_path / "nope.yaml"))
    assert done.returncode == 2 and "no such file" in done.stderr


def test_rules_doc_is_generated_from_the_registry():
    from slagen.check.registry import all_rules, rules_markdown

    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), (
        "docs/rules.md is stale: regenerate it with python -c 'from slagen.check.registry import "
        "rules_markdown as m; print(m(), end=\"\")' > docs/rules.md")
    for rule in all_rules():
        assert f"### {rule.id}" in committed


# The largest values validate allows, all at once: every loop in check is bounded by the limits in
# slagen/model/limits.py, so this finishes in seconds (the timeout is only a generous backstop; before
# the limits, 10^12 technicians or 1e-300 tickets a day ran for minutes).
EXTREMES = [
    ("    response: 30m", "    response: 8760h"), ("    resolution: 4h", "    resolution: 8760h"),
    ("    update_every: 1h", "    update_every: 8760h"), ("    resolution: 72h", "    resolution: 8760h"),
    ("  data_size_gb: 800", "  data_size_gb: 876000"),  # 8760h at 100 GB an hour: the longest restore
    ("{tier1: 2, tier2: 1, tier3: 1}", "{tier1: 10000, tier2: 10000, tier3: 10000}"),
    ("{P1: 1, P2: 6, P3: 60, P4: 40}", "{P1: 1000000, P2: 1000000, P3: 1000000, P4: 1000000}"),
    ("  rpo: 24h", "  rpo: 8760h"), ("  rto: 8h", "  rto: 8760h"), ("frequency: 24h", "frequency: 8760h"),
    ("  breach_notification: 24h", "  breach_notification: 8760h"),
    ("duration: 4h, notice: 72h", "duration: 168h, notice: 8760h"),
    ("  effective_date: 2027-01-01", "  effective_date: 2200-12-31"),
]


@pytest.mark.parametrize("tickets_per_day", ["0.1", "500"])
def test_the_largest_allowed_values_are_checked_quickly_and_without_a_traceback(tmp_path, tickets_per_day):
    text = ACME.read_text(encoding="utf-8")
    for old, new in EXTREMES + [("  on_call_out_of_hours: false", "  on_call_out_of_hours: false\n  tickets_per_day: "
                                 f"{{tier1: {tickets_per_day}, tier2: {tickets_per_day}, tier3: {tickets_per_day}}}")]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    if tickets_per_day == "500":  # the most components, each a server with a single point of failure
        servers = "".join(f"    - {{id: srv{n}, kind: server, warranty: next_business_day}}\n" for n in range(195))
        text = text.replace("    - {id: m365, kind: saas, licensed_by: provider, provider_availability: 99.9%}\n",
                            "    - {id: m365, kind: saas, licensed_by: provider, provider_availability: 99.9%}\n" + servers)
        text = text.replace("depends_on: [fileserver, lan]",
                            "depends_on: [fileserver, lan, " + ", ".join(f"srv{n}" for n in range(195)) + "]")
    extreme = tmp_path / "extreme.yaml"
    extreme.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "slagen", "check", str(extreme), "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    rules = {f["rule"] for f in json.loads(done.stdout)["findings"]}
    # 4,000,000 tickets a month against 30,000 technicians closing 0.1 a day is far beyond capacity;
    # at 500 a day (15 million a day) the load is light.
    assert ("SLA701" in rules) == (tickets_per_day == "0.1")
