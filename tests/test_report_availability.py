"""Availability and service credits from an outage export, worked out by hand.

acme-dental: availability measured over the calendar month, every hour counts; maintenance
window Sunday 02:00 for 4h (Europe/London); credits 5 % below 99.9 %, 10 % below 99.5 %,
20 % below 99.0 %, capped at 25 %; monthly fee 5400.00.

March 2027 has 31 days, less the hour lost to summer time (28 March): 743h = 2 674 800 s.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from slagen.errors import InvalidInput
from slagen.library.contracts import load_contract
from slagen.report import build_report, report_dict
from slagen.report.availability import credit_for

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "report"
H = 3600
MARCH = 743 * H


@pytest.fixture(scope="module")
def contract():
    return load_contract(ROOT / "examples" / "acme-dental-infeasible.yaml")


@pytest.fixture(scope="module")
def report(contract):
    return build_report(contract, DATA / "march-2027.csv", period="2027-03", outages=DATA / "outages-march-2027.csv")


def window(report, service):
    (only,) = {s.id: s for s in report.availability}[service].windows
    return only


def test_planned_work_inside_the_window_is_excluded_and_overruns_count(report):
    w = window(report, "email")
    # Unplanned Wed 3 Mar 10:00-11:00: 1h. Planned Sun 7 Mar 02:00-05:00: inside the window,
    # excluded (3h). Planned Sun 14 Mar 05:00-07:00: 05:00-06:00 inside (excluded), 06:00-07:00
    # an overrun (counts). Downtime 2h = 7200 s.
    assert w.measured_seconds == MARCH
    assert (w.downtime_seconds, w.unplanned_seconds, w.overrun_seconds, w.excluded_seconds) == (7200, 3600, 3600,
                                                                                                4 * H)
    assert w.availability == Fraction(100 * (MARCH - 7200), MARCH)  # 99.731 %
    assert not w.met  # target 99.9 %
    assert w.credit == Decimal("5") and w.credit_amount == Decimal("270.00")  # 5 % of 5400.00


def test_overlapping_outages_count_once_and_planned_outside_the_window_counts(report):
    w = window(report, "files")
    # Wed 10 Mar 09:00-23:00 and 20:00-02:00 (Thu) overlap: 09:00-02:00 = 17h. Planned work on
    # Tue 16 Mar 22:00-23:00 is outside the Sunday window: 1h. 18h = 64 800 s.
    assert w.downtime_seconds == 18 * H
    assert w.availability == Fraction(100 * (MARCH - 18 * H), MARCH)  # 97.58 %: below 99.0 %
    assert w.credit == Decimal("20") and w.credit_amount == Decimal("1080.00")


def test_unplanned_in_the_window_counts_and_an_ongoing_outage_runs_to_the_end(report):
    w = window(report, "remote-access")
    # Unplanned Sun 21 Mar 03:00-04:00 counts although it falls in the maintenance window: 1h.
    # Wed 31 Mar 23:00 BST with no end runs to local midnight: 1h. 2h.
    assert w.downtime_seconds == 2 * H
    assert w.met == (w.availability >= Fraction("99.5"))
    assert w.met  # 99.73 % >= 99.5 %
    # The contract's tiers apply to every service: 99.73 % is below 99.9 %, so 5 % is due.
    assert w.credit == Decimal("5")


def test_services_without_a_target_are_not_measured(report):
    assert [s.id for s in report.availability] == ["email", "files", "remote-access"]


def test_bad_outage_rows_are_reported(report, contract):
    rows = [(p.file.endswith("outages-march-2027.csv"), p.line, p.path) for p in report.problems]
    # Line 10: 'printers' is no service of the contract; line 11: ends before it starts.
    assert rows == [(True, 10, "service"), (True, 11, "end")]
    with pytest.raises(InvalidInput):
        build_report(contract, DATA / "march-2027.csv", period="2027-03", outages=DATA / "outages-march-2027.csv",
                     strict=True)


def test_support_hours_basis(contract):
    terms = contract.availability.model_copy(update={"hours": "support_hours"})
    c = contract.model_copy(update={"availability": terms})
    r = build_report(c, DATA / "march-2027.csv", period="2027-03", outages=DATA / "outages-march-2027.csv")
    files = window(r, "files")
    # Support hours in March 2027: 23 weekdays less Good Friday and Easter Monday = 21 x 9h = 189h.
    # Of the files outages only Wed 10 Mar 09:00-17:30 (8h30) is inside support hours.
    assert files.measured_seconds == 189 * H
    assert files.downtime_seconds == 8 * H + 1800
    assert files.credit == Decimal("20")  # 95.5 %


def test_quarterly_measurement_to_date(contract):
    terms = contract.availability.model_copy(update={"measured_over": "calendar_quarter"})
    c = contract.model_copy(update={"availability": terms})
    r = build_report(c, DATA / "march-2027.csv", period="2027-03", outages=DATA / "outages-march-2027.csv")
    email = window(r, "email")
    # Q1 2027: 31 + 28 + 31 = 90 days, less the summer-time hour: 2159h. No money amount: the fee
    # is monthly and the window is a quarter.
    assert (email.label, email.to_date, email.measured_seconds) == ("2027-Q1", False, 2159 * H)
    assert email.credit_amount is None
    assert email.availability == Fraction(100 * (2159 * H - 7200), 2159 * H)  # 99.907 %: no credit
    assert email.credit == 0
    # A February report of the same contract measures the quarter to date (cut at 1 March). The
    # export's tickets are all March's, so it is asked for with any share of them unused; the
    # outage record is March's too, so nothing of it falls before the cut.
    feb = build_report(c, DATA / "march-2027.csv", period="2027-02", max_rejected=None,
                       outages=DATA / "outages-march-2027.csv")
    (q1,) = feb.availability[0].windows
    assert q1.to_date and q1.measured_seconds == (31 + 28) * 24 * H


def test_credit_tiers_and_cap(contract):
    assert credit_for(Fraction(9990, 100), contract) == 0  # not strictly below 99.9
    assert credit_for(Fraction(99899, 1000), contract) == 5
    assert credit_for(Fraction(99), contract) == 10  # below 99.5, not below 99.0
    assert credit_for(Fraction(10), contract) == 20
    terms = contract.availability.model_copy(update={"credit_cap": Decimal("15")})
    assert credit_for(Fraction(10), contract.model_copy(update={"availability": terms})) == 15


def test_json_availability(report):
    email = report_dict(report)["availability"][0]
    assert email["windows"][0]["credit_amount"] == "270.00"
    assert email["windows"][0]["availability_percent"] == 99.7308


# Emergency maintenance: acme-dental leaves out up to 4h of it in a calendar month (clause
# "maintenance", availability.emergency_maintenance.cap_per_month), all services' work together,
# in the order it happened; beyond the cap it counts in full.
EMERGENCY = """service,start,end,planned
email,2027-03-02T10:00+00:00,2027-03-02T12:00+00:00,emergency
files,2027-03-02T11:00+00:00,2027-03-02T13:00+00:00,Emergency
email,2027-03-09T20:00+00:00,2027-03-09T22:00+00:00,emergency
remote-access,2027-03-16T09:00+00:00,2027-03-16T10:00+00:00,emergency
remote-access,2027-03-16T09:30+00:00,2027-03-16T10:30+00:00,no
"""


@pytest.fixture(scope="module")
def emergency_outages(tmp_path_factory):
    path = tmp_path_factory.mktemp("outages") / "emergency.csv"
    path.write_text(EMERGENCY, encoding="utf-8")
    return path


def test_emergency_maintenance_is_left_out_up_to_the_monthly_cap_then_counts(emergency_outages):
    contract = load_contract(ROOT / "examples" / "acme-dental.yaml")
    r = build_report(contract, DATA / "march-2027.csv", period="2027-03", outages=emergency_outages)
    # The month's emergency work, services together: 2 Mar 10:00-13:00 (email 10-12 and files
    # 11-13 overlap: 3h of work), then 9 Mar 20:00-22:00 (2h). The 4h cap covers 2 Mar 10:00-13:00
    # and 9 Mar 20:00-21:00; 9 Mar 21:00-22:00 and all of 16 Mar's emergency work count.
    email, files, remote = (window(r, s) for s in ("email", "files", "remote-access"))
    assert (email.downtime_seconds, email.emergency_excluded_seconds, email.emergency_counted_seconds,
            email.excluded_seconds) == (H, 3 * H, H, 3 * H)
    assert (files.downtime_seconds, files.emergency_excluded_seconds, files.excluded_seconds) == (0, 2 * H, 2 * H)
    # remote-access: emergency 09:00-10:00 beyond the cap and unplanned 09:30-10:30: 1h30 down, of
    # which the half hour before the unplanned outage began is the emergency work's own.
    assert (remote.downtime_seconds, remote.unplanned_seconds, remote.emergency_counted_seconds,
            remote.emergency_excluded_seconds) == (5400, H, 1800, 0)
    assert email.availability == Fraction(100 * (MARCH - H), MARCH)
    section = report_dict(r)["availability"][0]["windows"][0]
    assert (section["emergency_excluded_seconds"], section["emergency_counted_seconds"]) == (3 * H, H)


def test_without_an_emergency_allowance_emergency_work_is_an_outage(emergency_outages, contract):
    assert contract.availability.emergency_maintenance is None  # the first draft has no such term
    r = build_report(contract, DATA / "march-2027.csv", period="2027-03", outages=emergency_outages)
    email = window(r, "email")
    assert (email.downtime_seconds, email.emergency_counted_seconds, email.excluded_seconds) == (4 * H, 4 * H, 0)


def test_the_cap_is_per_calendar_month_within_a_quarter(tmp_path):
    contract = load_contract(ROOT / "examples" / "acme-dental.yaml")
    terms = contract.availability.model_copy(update={"measured_over": "calendar_quarter"})
    c = contract.model_copy(update={"availability": terms})
    path = tmp_path / "quarter.csv"
    # February: 3h of emergency work (inside its own 4h). March: 5h, of which 1h is beyond March's 4h.
    path.write_text("service,start,end,planned\n"
                    "email,2027-02-10T01:00+00:00,2027-02-10T04:00+00:00,emergency\n"
                    "email,2027-03-10T01:00+00:00,2027-03-10T06:00+00:00,emergency\n", encoding="utf-8")
    r = build_report(c, DATA / "march-2027.csv", period="2027-03", outages=path)
    q1 = window(r, "email")
    assert q1.label == "2027-Q1"
    assert (q1.emergency_excluded_seconds, q1.emergency_counted_seconds, q1.downtime_seconds) == (7 * H, H, H)


def test_a_maintenance_mark_that_is_not_yes_no_or_emergency_is_refused_at_its_line(tmp_path, contract):
    path = tmp_path / "bad.csv"
    path.write_text("service,start,end,planned\nemail,2027-03-02T10:00,2027-03-02T11:00,perhaps\n",
                    encoding="utf-8")
    r = build_report(contract, DATA / "march-2027.csv", period="2027-03", outages=path)
    [problem] = r.problems
    assert (problem.line, problem.path) == (2, "planned")
    assert "'perhaps' is not yes, no or emergency" in problem.message
