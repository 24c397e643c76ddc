"""Attainment figures of hand-built exports, each expected value worked out by hand below.

The contract is examples/acme-dental.yaml: Europe/London, support hours Monday-Friday
08:30-17:30 (9 h a day), English bank holidays. P1 runs on a 24x7 clock (response 30m,
resolution 4h); P2 (1h / 8h), P3 (4h / 24h), P4 (8h / 72h) on support hours.

March 2027: Mon 1 March; Good Friday 26 March and Easter Monday 29 March are bank holidays;
the clocks go forward on Sunday 28 March at 01:00 GMT (02:00 -> 03:00 BST). The period ends
at local midnight 1 April = 2027-03-31T23:00Z.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from slagen.library.contracts import load_contract
from slagen.report import build_report, report_dict
from slagen.report.attainment import band, nearest_rank

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "report"
H, M = 3600, 60


@pytest.fixture(scope="module")
def contract():
    return load_contract(ROOT / "examples" / "acme-dental-infeasible.yaml")


@pytest.fixture(scope="module")
def march(contract):
    return build_report(contract, DATA / "march-2027.csv", period="2027-03")


def by_id(report):
    return {f.id: f for f in report.priorities}


def test_every_row_is_read_and_the_period_holds_eleven(march):
    assert march.rows_read == 12
    assert march.problems == ()
    assert march.tickets_in_period == 11  # T12 was logged in February


def test_p1_across_the_spring_dst_change(march):
    p1 = by_id(march)["P1"]
    # T01: logged Sat 27 Mar 23:00 GMT, resolved Sun 28 Mar 03:30 BST = 02:30Z: 3h30m = 12600 s,
    #      although the wall clock moved 4h30m. Response 25m.
    # T10: no response recorded, resolved after 20m: the resolution is the response (20m, 20m).
    # T11: response after 1h (> 30m: breached), resolved after 3h (met).
    assert (p1.tickets, p1.response.met, p1.response.breached, p1.response.pending) == (3, 2, 1, 0)
    assert p1.response.attainment == Fraction(200, 3)
    assert p1.response.median_seconds == 25 * M  # of 25m, 20m, 60m
    assert p1.response.p90_seconds == 60 * M  # nearest rank: ceil(0.9 * 3) = 3rd of 3
    assert (p1.resolution.met, p1.resolution.breached) == (3, 0)
    assert p1.resolution.median_seconds == 3 * H  # of 3h30m, 20m, 3h
    assert p1.resolution.p90_seconds == 12600


def test_p2_over_easter_and_with_overlapping_pauses(march):
    p2 = by_id(march)["P2"]
    # T02: Thu 25 Mar 16:30 GMT -> Tue 30 Mar 12:30 BST. Thu 16:30-17:30 = 1h; Good Friday,
    #      the weekend and Easter Monday are closed; Tue 08:30-12:30 = 4h. 5h = 18000 s (met; a
    #      clock without the holidays would say 23h).
    # T03: Mon 1 Mar 09:00 -> Wed 3 Mar 10:00 = 8h30 + 9h + 1h30 = 19h. Pauses 1 Mar 12:00 -
    #      2 Mar 12:00 and 2 Mar 11:00 - 3 Mar 09:00 overlap: merged, 1 Mar 12:00 - 3 Mar 09:00
    #      holds 5h30 + 9h + 30m = 15h of support hours. 19h - 15h = 4h = 14400 s.
    #      (Taking the pauses off separately would give 19h - 9h - 7h = 3h.)
    assert (p2.tickets, p2.response.met, p2.resolution.met, p2.resolution.breached) == (2, 2, 2, 0)
    assert p2.response.median_seconds == 30 * M
    assert p2.resolution.median_seconds == (18000 + 14400) / 2
    assert p2.resolution.p90_seconds == 18000  # ceil(0.9 * 2) = 2nd of 2


def test_p3_open_at_the_period_end(march):
    p3 = by_id(march)["P3"]
    # T04: response Tue 2 Mar 09:00 -> 14:00 = 5h > 4h: breached. Resolved Thu 4 Mar 09:00:
    #      8h30 + 9h + 30m = 18h = 64800 s <= 24h: met.
    # T05: logged Wed 31 Mar 09:00 BST, response after 1h (met), still open at the end:
    #      09:00-17:30 = 8h30 of 24h used: pending, neither met nor breached.
    # T06: logged Mon 22 Mar 09:00, response 30m; open at the end: 8h30 (22) + 3 x 9h (23, 24,
    #      25) + 2 x 9h (30, 31), with 26 and 29 closed = 53h30 > 24h: breached while open.
    assert (p3.response.met, p3.response.breached) == (2, 1)
    assert p3.response.median_seconds == 1 * H  # of 5h, 1h, 30m
    assert p3.response.p90_seconds == 5 * H
    assert (p3.resolution.met, p3.resolution.breached, p3.resolution.pending) == (1, 1, 1)
    assert p3.resolution.attainment == 50
    assert p3.resolution.median_seconds == 64800  # only T04 completed
    open_breach = [b for b in march.breaches if b.ticket == "T06"]
    assert len(open_breach) == 1 and open_breach[0].open and open_breach[0].target == "resolution"
    assert open_breach[0].business_seconds == 53 * H + 30 * M


def test_p4_offsets_and_answers_after_the_period(march):
    p4 = by_id(march)["P4"]
    # T07: logged Wed 31 Mar 15:00 BST, answered on 1 April: as at the end only 2h30 of 8h had
    #      been used, so both targets are pending.
    # T08 (Z and +00:00): response 2h; resolved Mon 15 Mar 10:00: Wed 10:00-17:30 7h30 + 9h + 9h
    #      + 1h30 = 27h = 97200 s.
    # T09 (+01:00, Z, +0100): logged 09:00 BST, response 08:30Z = 09:30 BST: 30m; resolved Wed
    #      31 Mar 16:30 BST: 8h30 + 8h = 16h30 = 59400 s.
    assert (p4.response.met, p4.response.pending, p4.resolution.met, p4.resolution.pending) == (2, 1, 2, 1)
    assert p4.response.attainment == 100
    assert p4.response.median_seconds == (2 * H + 30 * M) / 2
    assert p4.response.p90_seconds == 2 * H
    assert p4.resolution.median_seconds == (97200 + 59400) / 2
    assert p4.resolution.p90_seconds == 97200


def test_overall_and_band(march):
    # met: P1 2+3, P2 2+2, P3 2+1, P4 2+2 = 16; measured: P1 3+3, P2 2+2, P3 3+2, P4 2+2 = 19.
    assert (march.targets_met, march.targets_measured) == (16, 19)
    assert march.overall_attainment == Fraction(1600, 19)  # 84.2 %
    assert march.band == "average"


def test_breaches_in_priority_then_logging_order(march):
    assert [(b.ticket, b.target) for b in march.breaches] == [("T11", "response"), ("T04", "response"),
                                                               ("T06", "resolution")]
    assert march.breach_total == 3
    assert [b.line for b in march.breaches] == [12, 5, 7]


def test_monthly_trend_judges_each_month_at_its_end(march):
    feb, mar = march.trend
    # T12 (P2) logged Fri 26 Feb 09:00: response 30m (met); at the end of February 8h30 of 8h
    # used and not resolved: breached. 1 of 2 targets.
    assert (feb.month, feb.tickets, feb.response, feb.resolution, feb.overall) == ("2027-02", 1, 100, 0, 50)
    # March: responses 8 of 10, resolutions 8 of 9 (T05's and T07's still pending).
    assert (mar.month, mar.tickets, mar.response, mar.resolution) == ("2027-03", 11, 80, Fraction(800, 9))


def test_json_figures(march):
    data = report_dict(march)
    assert data["overall"] == {"targets_met": 16, "targets_measured": 19, "attainment_percent": 84.211,
                               "band": "average"}
    assert data["period"]["end"] == "2027-04-01T00:00:00+01:00"
    p1 = data["priorities"][0]
    assert p1["response"]["attainment_percent"] == 66.667 and p1["response"]["p90_business_seconds"] == 3600


def test_a_quarter_judges_everything_at_the_quarter_end(contract):
    report = build_report(contract, DATA / "march-2027.csv", period="2027-Q1")
    # T12 now counts too. As at 1 April it was resolved on Mon 1 Mar 09:00: Fri 09:00-17:30 = 8h30
    # + Mon 08:30-09:00 = 30m: 9h > 8h, still breached; response met.
    p2 = by_id(report)["P2"]
    assert (p2.tickets, p2.response.met, p2.resolution.met, p2.resolution.breached) == (3, 3, 2, 1)
    assert report.tickets_in_period == 12


def test_autumn_dst_p1_counts_the_extra_hour(contract, tmp_path):
    # Sun 31 Oct 2027 the clocks go back at 02:00 BST = 01:00Z. Logged 00:30 BST (23:30Z on the
    # 30th), resolved 04:30 GMT (04:30Z): 5h of real time > 4h, though the wall clock moved 4h.
    # "01:30" is read as its first occurrence (BST, 00:30Z): the response took 1h.
    csv = tmp_path / "oct.csv"
    csv.write_text("id,priority,logged_at,first_response_at,resolved_at\n"
                   "A,P1,2027-10-31T00:30,2027-10-31T01:30,2027-10-31T04:30\n")
    p1 = by_id(build_report(contract, csv, period="2027-10"))["P1"]
    assert (p1.response.breached, p1.resolution.breached) == (1, 1)
    assert (p1.response.median_seconds, p1.resolution.median_seconds) == (1 * H, 5 * H)


def test_open_pause_runs_to_the_period_end(contract, tmp_path):
    # P2 logged Mon 1 Mar 09:00, answered 09:10, paused from 10:00 with no end and not resolved:
    # only 09:00-10:00 counts = 1h of 8h: pending, not breached.
    csv = tmp_path / "open-pause.csv"
    csv.write_text("id,priority,logged_at,first_response_at,resolved_at,paused\n"
                   "A,P2,2027-03-01T09:00,2027-03-01T09:10,,2027-03-01T10:00/\n")
    p2 = by_id(build_report(contract, csv, period="2027-03"))["P2"]
    assert (p2.resolution.met, p2.resolution.breached, p2.resolution.pending) == (0, 0, 1)


def test_bands():
    assert band(Fraction(9001, 100)) == "world-class"
    assert band(Fraction(90)) == "average"
    assert band(Fraction(75)) == "average"
    assert band(Fraction(7499, 100)) == "below average"
    assert band(Fraction(50)) == "underperforming"
    assert band(None) is None


def test_nearest_rank():
    assert nearest_rank(np.array([5, 1, 4, 2, 3, 6, 7, 8, 9, 10]), 90) == 9
    assert nearest_rank(np.array([7]), 90) == 7
    assert nearest_rank(np.array([], np.int64), 90) is None
