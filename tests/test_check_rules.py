"""Every feasibility rule: a contract that trips it and the nearest one that does not.

Contracts are examples/acme-dental-infeasible.yaml (the terms as first drafted, before the check; or the 24x7 example) with a few values changed.
Expected figures are worked out by hand in the comments; the representative week for acme is
Monday 4 January 2027 (the first Monday after the effective date, 1 January, with no holiday
in the three weeks from it). Support hours are Monday-Friday 08:30-17:30 (9h a day).
"""

from __future__ import annotations

import io
from pathlib import Path

from ruamel.yaml import YAML

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DELETE = object()


def edited(tmp_path: Path, edits: dict, base: str = "acme-dental-infeasible.yaml") -> Path:
    """Write ``base`` with ``edits`` applied: keys are dotted paths ('priorities.0.resolution')."""
    yaml = YAML(typ="safe", pure=True)
    data = yaml.load((EXAMPLES / base).read_text(encoding="utf-8"))
    for dotted, value in edits.items():
        parts = [int(p) if p.isdigit() else p for p in dotted.split(".")]
        node = data
        for part in parts[:-1]:
            node = node[part]
        if value is DELETE:
            del node[parts[-1]]
        else:
            node[parts[-1]] = value
    out = io.StringIO()
    yaml.default_flow_style = False
    yaml.dump(data, out)
    path = tmp_path / "contract.yaml"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def findings(tmp_path: Path, edits: dict | None = None, base: str = "acme-dental-infeasible.yaml"):
    from slagen.check import check_file

    if not edits:  # the example itself, so that lines can be checked against the file
        return check_file(EXAMPLES / base)[0]
    return check_file(edited(tmp_path, edits, base))[0]


def of(found, rule: str):
    return [f for f in found if f.rule == rule]


from datetime import timedelta  # noqa: E402

import pytest  # noqa: E402


# ---- SLA1xx repair ---------------------------------------------------------------------------


def test_sla101_p1_cannot_wait_for_next_business_day_parts(tmp_path):
    [f] = of(findings(tmp_path), "SLA101")
    assert f.path == "priorities[0].resolution" and f.severity == "error"
    # fileserver (next_business_day) logged Thursday 00:00: parts by Friday 17:30 (41h30m later);
    # nobody on call, so fitted Monday 08:30; 800 GB / 100 GB/h = 8h restore -> Monday 16:30.
    # Thursday 00:00 -> Monday 16:30 = 4 days 16h30m = 112h30m; the parts wait is paused
    # (awaiting_third_party): 112h30m - 41h30m = 71h.
    assert "logged Thursday 00:00 waits for parts (next_business_day) until Friday 17:30" in f.message
    assert "112h30m, less 41h30m paused as awaiting_third_party, leaves 71h on the 24x7 clock" in f.message
    assert "against a 4h resolution target" in f.message


def test_sla101_not_when_resolution_covers_the_repair(tmp_path):
    assert not of(findings(tmp_path, {"priorities.0.resolution": "71h"}), "SLA101")


def test_sla101_counts_parts_when_not_paused(tmp_path):
    found = findings(tmp_path, {"clock_pauses": ["awaiting_customer"]})
    [f] = [x for x in of(found, "SLA101") if x.path == "priorities[1].resolution"]
    # P2 on support hours: logged Friday 08:30 -> parts Monday 17:30 (Fri 9h + Mon 9h = 18h),
    # fitted Tuesday 08:30, restored 16:30 (+8h) = 26h against 8h.
    assert "26h on support hours against an 8h resolution target" in f.message


def test_sla102_resolution_met_only_by_pausing(tmp_path):
    found = findings(tmp_path)
    f = [x for x in of(found, "SLA102") if x.path == "priorities[1].resolution"][0]
    # as above: 26h of support hours without the pause, 8h with it (just the restore).
    assert f.severity == "warning"
    assert "the customer is without fileserver for 26h on support hours" in f.message


def test_sla102_not_when_target_covers_the_unpaused_repair(tmp_path):
    found = findings(tmp_path, {"priorities.1.resolution": "26h"})
    assert not [x for x in of(found, "SLA102") if x.path == "priorities[1].resolution"]


def test_sla103_warranty_not_stated(tmp_path):
    [f] = of(findings(tmp_path, {"infrastructure.components.2.warranty": DELETE}), "SLA103")
    assert f.path == "infrastructure.components[2].id"
    assert "fileserver (server) has no spare and no warranty stated" in f.message
    assert not of(findings(tmp_path), "SLA103")


def test_sla103_not_for_a_redundant_component(tmp_path):
    edits = {"infrastructure.components.2.warranty": DELETE, "infrastructure.components.2.count": 2}
    assert not of(findings(tmp_path, edits), "SLA103")


# ---- SLA2xx coverage -------------------------------------------------------------------------


def test_sla201_24x7_clock_with_nobody_on_call(tmp_path):
    [f] = of(findings(tmp_path), "SLA201")
    assert f.path == "priorities[0].clock" and f.severity == "error"
    # Friday 17:30 -> Monday 08:30: 6h30m + 48h + 8h30m = 63h.
    assert "a P1 logged Friday 17:30 is not seen until support opens Monday 08:30: 63h against a 30m" in f.message


def test_sla201_not_with_on_call(tmp_path):
    assert not of(findings(tmp_path, {"staffing.on_call_out_of_hours": True}), "SLA201")


def test_sla202_on_call_without_a_phone_line_for_the_priority(tmp_path):
    edits = {"staffing.on_call_out_of_hours": True, "problem_reporting.channels.2.priorities": ["P2"]}
    [f] = of(findings(tmp_path, edits), "SLA202")
    assert "no phone channel takes P1" in f.message and "63h against a 30m response target" in f.message
    assert not of(findings(tmp_path, {"staffing.on_call_out_of_hours": True}), "SLA202")


def test_sla203_site_closed_longer_than_resolution(tmp_path):
    [f] = of(findings(tmp_path), "SLA203")
    # Site Monday-Saturday 07:00-19:00: Saturday 19:00 -> Monday 07:00 = 36h on the 24x7 clock.
    assert f.path == "priorities[0].resolution"
    assert "logged Saturday 19:00 cannot start until the site opens Monday 07:00: 36h" in f.message


def test_sla203_not_when_the_site_is_always_open(tmp_path):
    assert not of(findings(tmp_path, {"infrastructure.site_access": "24x7"}), "SLA203")
    assert not of(findings(tmp_path, {"priorities.0.resolution": "36h"}), "SLA203")


# ---- SLA3xx availability -------------------------------------------------------------------


def test_sla301_email_in_series_below_target(tmp_path):
    [f] = [x for x in of(findings(tmp_path), "SLA301") if x.severity == "error"]
    assert f.path == "services[0].availability" and f.line == 31
    # 99.9% x 99.5% = 0.999 x 0.995 = 0.994005 -> 99.4005%.
    # Downtime in 720h: (1 - 0.994005) x 720h = 4.3164h = 4h18m59s; target 0.001 x 720h = 43m12s.
    assert "m365 (99.9%) x internet (99.5%) = 99.4005%, below its 99.9% target" in f.message
    assert "down 4h18m59s against the 43m12s the target allows" in f.message


def test_sla301_not_when_the_target_is_below_the_composite(tmp_path):
    found = findings(tmp_path, {"services.0.availability": "99.4%"})
    assert not [x for x in of(found, "SLA301") if x.path == "services[0].availability"]


def test_sla301_no_margin_is_a_warning(tmp_path):
    [f] = [x for x in of(findings(tmp_path), "SLA301") if x.path == "services[2].availability"]
    assert f.severity == "warning" and "exactly its 99.5% target" in f.message


def test_sla301_parallel_links(tmp_path):
    # internet x2: 1 - 0.005^2 = 0.999975; x m365 0.999 = 0.998975025 -> 99.8975% < 99.9%
    found = findings(tmp_path, {"infrastructure.components.0.count": 2})
    [f] = [x for x in of(found, "SLA301") if x.path == "services[0].availability"]
    assert "internet (99.5% x2 in parallel) = 99.8975%" in f.message


def test_sla302_one_repair_exceeds_the_monthly_budget(tmp_path):
    found = of(findings(tmp_path), "SLA302")
    f = [x for x in found if x.path == "services[1].availability"][0]
    # 0.5% of 720h = 3.6h = 3h36m; fileserver down Thursday 00:00 -> Monday 16:30 = 112h30m.
    assert "a 30-day month at 99.5% allows 3h36m of downtime" in f.message
    assert "files is down 112h30m" in f.message


def test_sla302_not_when_the_components_are_redundant(tmp_path):
    edits = {"infrastructure.components.2.count": 2, "infrastructure.components.3.count": 2}
    found = of(findings(tmp_path, edits), "SLA302")
    assert not [x for x in found if x.path == "services[1].availability"]


# ---- SLA4xx backup ---------------------------------------------------------------------------


def test_sla401_rpo_equal_to_interval_is_a_warning(tmp_path):
    [f] = of(findings(tmp_path), "SLA401")
    assert f.severity == "warning" and f.path == "data_protection.rpo"


def test_sla401_rpo_shorter_than_interval_is_an_error(tmp_path):
    [f] = of(findings(tmp_path, {"data_protection.rpo": "12h"}), "SLA401")
    assert f.severity == "error" and "24h against a 12h RPO" in f.message
    assert not of(findings(tmp_path, {"data_protection.rpo": "48h"}), "SLA401")


def test_sla402_rto_below_restore_and_hardware(tmp_path):
    [f] = of(findings(tmp_path), "SLA402")
    assert f.path == "data_protection.rto" and f.line == 125
    # 800 / 100 = 8h of restore alone. Logged Wednesday 23:30, P1 answered at 00:00 Thursday,
    # parts Friday 17:30, fitted Monday 08:30, restored 16:30: Wed 23:30 -> Mon 16:30 = 113h.
    assert "800 GB at 100 GB/h is 8h of restore alone" in f.message
    assert "113h against an 8h RTO" in f.message


def test_sla402_detection_and_restore_only(tmp_path):
    edits = {"infrastructure.components.2.count": 2, "staffing.on_call_out_of_hours": True}
    # No data-holding single point; someone always at work: 30m to answer + 8h restore = 8h30m.
    [f] = of(findings(tmp_path, edits), "SLA402")
    assert "8h30m against an 8h RTO" in f.message and f.severity == "error"
    [f] = of(findings(tmp_path, {**edits, "data_protection.rto": "8h30m"}), "SLA402")
    assert f.severity == "warning"
    assert not of(findings(tmp_path, {**edits, "data_protection.rto": "9h"}), "SLA402")


def test_sla403_rto_unchecked(tmp_path):
    [f] = of(findings(tmp_path, {"infrastructure.data_size_gb": DELETE}), "SLA403")
    assert f.severity == "info" and "data_size_gb is not given" in f.message
    assert not of(findings(tmp_path), "SLA403")


# ---- SLA5xx matrix ---------------------------------------------------------------------------


def test_sla501_response_after_resolution(tmp_path):
    [f] = of(findings(tmp_path, {"priorities.2.response": "30h"}), "SLA501")
    assert f.path == "priorities[2].response" and "6h after its 24h resolution" in f.message
    assert not of(findings(tmp_path, {"priorities.2.response": "24h"}), "SLA501")


def test_sla502_update_interval_beyond_resolution(tmp_path):
    [f] = of(findings(tmp_path, {"priorities.0.update_every": "5h"}), "SLA502")
    assert f.path == "priorities[0].update_every"
    assert not of(findings(tmp_path, {"priorities.0.update_every": "4h"}), "SLA502")


def test_sla503_higher_priority_slower_on_the_same_clock(tmp_path):
    found = of(findings(tmp_path, {"priorities.2.resolution": "80h"}), "SLA503")
    assert [f.path for f in found] == ["priorities[2].resolution"]
    assert "P3 (Normal) has an 80h resolution target, longer than P4's 72h" in found[0].message
    assert not of(findings(tmp_path, {"priorities.2.resolution": "72h"}), "SLA503")


def test_sla503_support_hours_priority_above_a_24x7_one(tmp_path):
    edits = {"priorities.0.clock": "support_hours", "priorities.1.clock": "24x7",
             "staffing.on_call_out_of_hours": True}
    found = [f for f in of(findings(tmp_path, edits), "SLA503") if f.path == "priorities[0].response"]
    # 30m of support hours logged Friday 17:30 is due Monday 09:00: 63h30m on the wall clock > 1h.
    assert "a P1 logged Friday 17:30 is due Monday 09:00, 63h30m later" in found[0].message


def test_sla504_credit_tiers_not_monotonic(tmp_path):
    [f] = of(findings(tmp_path, {"availability.service_credits.1.credit": "4%"}), "SLA504")
    assert f.path == "availability.service_credits[1].credit"
    assert "below 99.5% earns 4%, but a better month below 99.9% earns 5%" in f.message
    assert not of(findings(tmp_path), "SLA504")


def test_sla505_credit_above_cap(tmp_path):
    [f] = of(findings(tmp_path, {"availability.service_credits.2.credit": "30%"}), "SLA505")
    assert "the 30% credit below 99% can never be paid in full: the cap is 25%" in f.message
    assert not of(findings(tmp_path, {"availability.service_credits.2.credit": "25%"}), "SLA505")


def test_sla506_credits_uncapped(tmp_path):
    [f] = of(findings(tmp_path, {"availability.credit_cap": DELETE}), "SLA506")
    assert f.severity == "warning" and "up to 20%" in f.message
    assert not of(findings(tmp_path), "SLA506")


def test_sla507_credit_threshold_above_target(tmp_path):
    f = [x for x in of(findings(tmp_path), "SLA507") if x.path == "services[1].availability"][0]
    # files 99.5% target; the 5% tier starts below 99.9%; halfway, 99.7%, meets one and pays the other.
    assert "files meets its 99.5% target at 99.7%" in f.message and "earns a 5% credit" in f.message
    found = of(findings(tmp_path, {"services.1.availability": "99.9%"}), "SLA507")
    assert not [x for x in found if x.path == "services[1].availability"]


def test_sla508_target_without_credit(tmp_path):
    [f] = of(findings(tmp_path, {"services.0.availability": "99.95%"}), "SLA508")
    assert "can fall from its 99.95% target to 99.9% without earning any credit" in f.message
    assert not of(findings(tmp_path), "SLA508")


# ---- SLA6xx measurability --------------------------------------------------------------------


def test_sla601_availability_basis_undefined(tmp_path):
    [f] = of(findings(tmp_path, {"availability.hours": DELETE}), "SLA601")
    assert f.severity == "error"
    # 99.9% of 720h = 43m12s. Support hours in 30 days from Monday 4 January: 22 weekdays x 9h =
    # 198h; 0.1% of 198h = 712.8s -> 11m53s.
    assert "over all hours of a 30-day month email may be down 43m12s" in f.message
    assert "over its 198h of support hours, 11m53s" in f.message
    assert not of(findings(tmp_path), "SLA601")


def test_sla602_maintenance_in_support_hours(tmp_path):
    window = {"day": "monday", "start": "16:30", "duration": "2h", "notice": "72h"}
    [f] = of(findings(tmp_path, {"availability.maintenance_windows.0": window}), "SLA602")
    # 16:30-18:30 against support to 17:30: 1h inside.
    assert "overlaps support hours by 1h" in f.message
    assert not of(findings(tmp_path), "SLA602")


def test_sla603_clock_starts_at_acknowledgement(tmp_path):
    [f] = of(findings(tmp_path, {"problem_reporting.clock_starts": "when_acknowledged"}), "SLA603")
    assert f.path == "problem_reporting.clock_starts" and "is itself the response" in f.message
    assert not of(findings(tmp_path), "SLA603")


def test_sla604_automatic_acknowledgement(tmp_path):
    edits = {"problem_reporting.auto_acknowledgement_counts_as_response": True}
    [f] = of(findings(tmp_path, edits), "SLA604")
    assert "P1's 30m response target" in f.message
    assert not of(findings(tmp_path), "SLA604")


def test_sla605_pauses_undefined(tmp_path):
    [f] = of(findings(tmp_path, {"clock_pauses": DELETE}), "SLA605")
    # P1 (4h, 24x7) left a day: 24h of 4h = 600%.
    assert "uses 24h of its 4h resolution target (600%)" in f.message
    assert not of(findings(tmp_path, {"clock_pauses": []}), "SLA605")


def test_sla606_pause_without_definition(tmp_path):
    pauses = ["awaiting_customer", "outside_site_access"]
    [f] = of(findings(tmp_path, {"clock_pauses": pauses, "infrastructure.site_access": DELETE}), "SLA606")
    assert f.path == "clock_pauses[1]"
    assert not of(findings(tmp_path, {"clock_pauses": pauses}), "SLA606")


# ---- SLA7xx staffing -------------------------------------------------------------------------


def test_sla701_more_tickets_than_capacity(tmp_path):
    tickets = {"P1": 1, "P2": 6, "P3": 1100, "P4": 40}
    [f] = of(findings(tmp_path, {"staffing.expected_tickets_per_month": tickets}), "SLA701")
    # Capacity: (2 x 17.5 + 10 + 6.5) = 51.5 a day x 22 support days = 1133; 1147 / 1133 = 101.2%.
    assert f.severity == "error"
    assert "1147 tickets a month against 1133 the technicians can close in 22 support days" in f.message
    assert "101.2% of capacity" in f.message


def test_sla701_near_capacity_is_a_warning(tmp_path):
    tickets = {"P1": 1, "P2": 6, "P3": 953, "P4": 40}
    [f] = of(findings(tmp_path, {"staffing.expected_tickets_per_month": tickets}), "SLA701")
    assert f.severity == "warning" and "88.3% of capacity" in f.message  # 1000 / 1133
    assert not of(findings(tmp_path), "SLA701")


def test_sla702_erlang_c_queue(tmp_path):
    edits = {"staffing.technicians": {"tier1": 1, "tier2": 0, "tier3": 0},
             "staffing.expected_tickets_per_month": {"P1": 10, "P2": 40, "P3": 150, "P4": 100}}
    found = of(findings(tmp_path, edits), "SLA702")
    # One technician (M/M/1): 300 tickets over 198h -> lambda = 1.5152/h; 17.5 a 9h day -> mu =
    # 1.9444/h; P(wait) = rho = 0.7792; P(wait > t) = rho * exp(-(mu - lambda) t).
    # P1 30m: 0.7792 * exp(-0.4293 * 0.5) = 62.9%; P4 8h: 0.7792 * exp(-3.434) = 2.5% -> holds.
    import math

    lam, mu = 300 / 198, 17.5 / 9
    assert round(100 * lam / mu * math.exp(-(mu - lam) * 0.5), 1) == 62.9
    assert [f.path for f in found] == ["priorities[0].response", "priorities[1].response",
                                       "priorities[2].response"]
    assert "62.9% of tickets wait longer than P1's 30m" in found[0].message
    more = {**edits, "staffing.technicians": {"tier1": 4, "tier2": 0, "tier3": 0}}
    assert not of(findings(tmp_path, more), "SLA702")


# ---- SLA8xx data protection ------------------------------------------------------------------


def test_sla801_breach_notification_missing(tmp_path):
    [f] = of(findings(tmp_path, {"data_protection.breach_notification": DELETE}), "SLA801")
    assert "UK GDPR: 72h to the regulator" in f.message
    assert not of(findings(tmp_path), "SLA801")


def test_sla802_breach_notification_too_late(tmp_path):
    [f] = of(findings(tmp_path, {"data_protection.breach_notification": "96h"}), "SLA802")
    # Found Friday 17:00, reported 96h later: Tuesday 17:00, 24h after the 72h deadline.
    assert f.severity == "error"
    assert "found Friday 17:00 may be reported to the customer as late as Tuesday 17:00" in f.message
    assert "24h after the 72h UK GDPR deadline" in f.message
    [f] = of(findings(tmp_path, {"data_protection.breach_notification": "72h"}), "SLA802")
    assert f.severity == "warning"
    assert not of(findings(tmp_path, {"data_protection.breach_notification": "48h"}), "SLA802")


def test_sla803_retention_or_disposal_undefined(tmp_path):
    [f] = of(findings(tmp_path, {"data_protection.record_retention_months": DELETE}), "SLA803")
    assert "record_retention_months is not set" in f.message
    # How the data end is always said by the exit clause: no disposal text is needed.
    assert not of(findings(tmp_path, {"data_protection.disposal": DELETE}), "SLA803")
    assert not of(findings(tmp_path), "SLA803")


def test_sla804_no_known_regulation(tmp_path):
    [f] = of(findings(tmp_path, {"data_protection.regulations": []}), "SLA804")
    assert f.severity == "info"
    assert not of(findings(tmp_path), "SLA804")


# ---- the registry ----------------------------------------------------------------------------


def test_every_rule_has_a_test_here_or_in_its_family_file():
    from slagen.check.registry import all_rules

    here = Path(__file__).parent
    text = "".join(p.read_text(encoding="utf-8") for p in (here / "test_check_rules.py",
                                                           here / "test_check_consistency.py",
                                                           here / "test_check_shared_capacity.py"))
    for rule in all_rules():
        assert f"def test_{rule.id.lower()}_" in text, rule.id
        assert rule.summary and rule.why and rule.fix


@pytest.mark.parametrize("example", ["acme-dental.yaml", "contoso-logistics-24x7.yaml",
                                     "small-office-minimal.yaml"])
def test_worst_cases_are_in_a_holiday_free_week(example, tmp_path):
    from slagen.check.worst_case import Context
    from slagen.library.contracts import load_with_positions

    contract, doc = load_with_positions(EXAMPLES / example)
    ctx = Context(contract, doc)
    assert ctx.week.weekday() == 0 and ctx.week.date() >= contract.agreement.effective_date
    assert ctx.week.date() - contract.agreement.effective_date < timedelta(days=60)
