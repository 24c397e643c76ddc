"""`slagen check` as a user runs it: exit codes, text and JSON output, and the generated rule docs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ACME = ROOT / "examples" / "acme-dental.yaml"


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
    assert acme_json["file"].endswith("acme-dental.yaml")
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
