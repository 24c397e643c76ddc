"""SLA711-713: one desk and one on-call rota shared by many contracts (`slagen check --portfolio`).

Each contract: support Monday to Friday 09:00-17:00 London (England's holidays), P1 responds in
30m on a 24x7 clock, P2 in 8h on support hours; 1 P1 and 20 P2 tickets expected a month. The
representative month is the 30 days from Monday 7 June 2027 (no English bank holiday): 22
working days, 176 support hours per contract. The desk is open 08:00-18:00 (10h a day).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slagen.check.shared_capacity import check_portfolio
from slagen.cli.main import app

ROOT = Path(__file__).resolve().parent.parent

CONTRACT = """slagen: 1
agreement:
  reference: NW-C{n:02d}
  title: IT Support Agreement
  effective_date: 2027-06-07
  initial_term_months: 12
  governing_law: England and Wales
  currency: GBP
provider:
  name: Northwind Managed Services Ltd
  address: 1 Harbour Road, Bristol BS1 4AA
  contact: {{name: Sam Carter}}
customer:
  name: Customer {n:02d} Ltd
  address: {n} Quay Street, Bristol
  contact: {{name: Alex}}
services:
  - {{id: helpdesk, name: User helpdesk, description: Remote support.}}
support_hours:
  timezone: Europe/London
  weekly: {{monday-friday: "09:00-17:00"}}
  holidays: {{country: GB, subdivision: ENG}}
problem_reporting:
  channels:
    - {{type: phone, address: "+44 117 496 0001"}}
  clock_starts: when_logged
  auto_acknowledgement_counts_as_response: false
priorities:
  - {{id: P1, name: Critical, definition: Nobody can work., response: 30m, resolution: 4h, clock: 24x7}}
  - {{id: P2, name: Normal, definition: Everything else., response: 8h, resolution: 40h, clock: support_hours}}
termination:
  notice_days: 30
staffing:
  technicians: {{}}
  on_call_out_of_hours: true
  expected_tickets_per_month: {{P1: 1, P2: 20}}
  shared: desk.yaml
"""

DESK = """slagen_staffing: 1
name: Northwind service desk
desk:
  hours: {{timezone: Europe/London, weekly: {{monday-friday: "08:00-18:00"}}, holidays: {{country: GB, subdivision: ENG}}}}
  technicians: {{tier1: {technicians}}}
on_call:
  engineers: {engineers}
"""


def _book(folder: Path, contracts: int, technicians: int, engineers: int) -> Path:
    folder.mkdir()
    for n in range(1, contracts + 1):
        (folder / f"c{n:02d}.yaml").write_text(CONTRACT.format(n=n), encoding="utf-8")
    (folder / "desk.yaml").write_text(DESK.format(technicians=technicians, engineers=engineers), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def overloaded(tmp_path_factory):
    return check_portfolio(_book(tmp_path_factory.mktemp("over") / "book", 40, technicians=2, engineers=1))


def _one(result, rule_id):
    (found,) = [f for f in result.findings if f.rule == rule_id]
    return found


def test_sla713_forty_customers_on_one_on_call_engineer(overloaded):
    f = _one(overloaded, "SLA713")
    # 40 P1s a month at any hour: 40 / 720 = 0.0556 an hour; an incident keeps the engineer 2h.
    # M/M/1: P(wait) = 0.0556 x 2 = 0.111; P(wait > 30m) = 0.111 x e^-(0.5 - 0.0556) x 0.5 = 8.9 %.
    assert f.severity == "error" and f.path == "on_call.engineers" and f.line == 7
    assert "40 contracts" in f.message and "2 incidents in the same night" in f.message
    assert "8.9% of out-of-hours incidents wait longer than 30m" in f.message
    assert "Put 2 or more engineers on call" in f.fix


def test_sla711_the_month_is_beyond_the_shared_desk(overloaded):
    f = _one(overloaded, "SLA711")
    # 40 x 21 = 840 tickets; 2 technicians x 17.5 a day x 22 desk days = 770: 109.1 %.
    assert f.severity == "error" and f.path == "desk.technicians"
    assert "expect 840 tickets a month" in f.message and "close 770 in 22 desk days: 109.1% of capacity" in f.message


def test_sla712_monday_nine_oclock_is_beyond_the_desk(overloaded):
    f = _one(overloaded, "SLA712")
    # Each customer: 21 / 176 = 0.1193 an hour; 40 of them, twice the average at the Monday peak:
    # 9.5 an hour. The desk: 2 x 17.5 / 10h = 3.5 an hour.
    assert "Monday 07 June 2027 09:00" in f.message and "40 customers are open" in f.message
    assert "report 9.5 tickets an hour" in f.message and "close 3.5 an hour" in f.message


def test_a_desk_sized_for_its_customers_is_quiet(tmp_path):
    # 3 customers: 63 tickets against 6 x 17.5 x 22 = 2310; at the peak 0.72 an hour against 10.5;
    # 3 P1s a month on two engineers: P(wait > 30m) = 0.4 %.
    result = check_portfolio(_book(tmp_path / "book", 3, technicians=6, engineers=2))
    assert result.findings == [] and result.problems == []
    assert list(result.groups.values()) == [[str(tmp_path / "book" / f"c0{n}.yaml") for n in (1, 2, 3)]]


def test_no_single_contract_shows_it(tmp_path):
    # The same contract checked alone: its own staffing rules leave a shared desk to SLA711-713.
    from slagen.check import check_file

    path = tmp_path / "c.yaml"
    path.write_text(CONTRACT.format(n=1), encoding="utf-8")
    findings, _ = check_file(path)
    assert not [f for f in findings if f.rule.startswith("SLA7")]


def test_a_missing_or_broken_staffing_file_is_located(tmp_path):
    folder = _book(tmp_path / "book", 2, technicians=1, engineers=1)
    (folder / "c02.yaml").write_text(CONTRACT.format(n=2).replace("shared: desk.yaml", "shared: nowhere.yaml"),
                                     encoding="utf-8")
    (folder / "desk.yaml").write_text(DESK.format(technicians="many", engineers=1), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "--portfolio", str(folder), "--format", "json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    where = {(Path(p["file"]).name, p["line"], p["path"]) for p in data["unreadable"]}
    # c02's staffing.shared is the last of its 37 lines; the desk's tier1 is on line 5.
    assert ("c02.yaml", 37, "staffing.shared") in where
    assert ("desk.yaml", 5, "desk.technicians.tier1") in where


def test_the_command_prints_each_finding_at_its_line(tmp_path):
    folder = _book(tmp_path / "book", 3, technicians=0, engineers=1)
    result = CliRunner().invoke(app, ["check", "--portfolio", str(folder)])
    assert result.exit_code == 1
    assert f"{(folder / 'desk.yaml').resolve()}:5:" in result.stdout and "error SLA711" in result.stdout
    assert "3 contracts expect 63 tickets a month" in result.stdout


def _waits_longer(servers: int, per_hour: float, arrivals: float, hours: float) -> float:
    """Erlang C from its textbook sum (not the recursion the rule uses), times the tail of the wait."""
    from math import exp, factorial

    a = arrivals / per_hour
    top = a ** servers / factorial(servers) * servers / (servers - a)
    waits = top / (sum(a ** k / factorial(k) for k in range(servers)) + top)
    return waits * exp(-(servers * per_hour - arrivals) * hours)


def test_sla712_a_queue_that_clears_but_not_within_the_shortest_target(tmp_path):
    # 25 customers x 21 / 176h x 2 (the Monday peak) = 5.97 tickets an hour on 4 technicians who
    # close 1.75 an hour each (7 together): the queue clears, but slowly.
    result = check_portfolio(_book(tmp_path / "book", 25, technicians=4, engineers=2))
    f = _one(result, "SLA712")
    late = _waits_longer(4, 1.75, 25 * 21 / 176 * 2, 0.5)
    assert late > 0.05
    assert f"{late * 100:.1f}% of tickets wait longer than the 30m response promised by 25 contracts" in f.message
    assert [x.rule for x in result.findings] == ["SLA712"]  # the month fits (525 of 1540), the rota too
