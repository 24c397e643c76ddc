"""Service credits as money (`slagen report --format credit-note`), against amounts worked out by hand.

acme-dental: availability over the calendar month, every hour counts, maintenance Sunday 02:00
for 4h; credits 5 % below 99.9 %, 10 % below 99.5 %, 20 % below 99.0 %, capped at 25 % of the
monthly fee 5400.00 GBP. March 2027 in London has 743 hours (summer time from 28 March):
2 674 800 s. The outages below fall on weekdays, outside the maintenance window.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slagen.cli.main import app
from slagen.library.contracts import load_contract
from slagen.report import build_report
from slagen.report.credits import credit_note, credit_note_csv, minor_unit

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "acme-dental.yaml"
TICKETS = ROOT / "tests" / "data" / "report" / "march-2027.csv"

# email 1h down: 99.865 % < 99.9 -> 5 %. files 30h: 95.96 % < 99.0 -> 20 %. remote-access 5h:
# 99.327 %, below 99.5 but not 99.0 -> 10 %. Together 35 %, over the 25 % cap.
OUTAGES = """service,start,end,planned
email,2027-03-02T10:00,2027-03-02T11:00,no
files,2027-03-09T08:00,2027-03-10T14:00,no
remote-access,2027-03-16T09:00,2027-03-16T14:00,no
"""


@pytest.fixture(scope="module")
def outages(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("credits") / "outages.csv"
    path.write_text(OUTAGES, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def note(outages):
    return credit_note(build_report(load_contract(EXAMPLE), TICKETS, period="2027-03", outages=outages))


def test_the_cap_limits_the_total_and_the_lines_share_it_in_proportion(note):
    # 25 % of 5400.00 = 1350.00, shared 5:20:10. Exactly: 192.857..., 771.428..., 385.714...
    # Rounded down: 192.85 + 771.42 + 385.71 = 1349.98; the two pennies left go to the largest
    # remainders, files (0.00857) and email (0.00714): 192.86, 771.43, 385.71.
    assert [(line.service, line.credit_percent, line.amount) for line in note.lines] == [
        ("email", Decimal("5"), Decimal("192.86")),
        ("files", Decimal("20"), Decimal("771.43")),
        ("remote-access", Decimal("10"), Decimal("385.71")),
    ]
    assert note.total == Decimal("1350.00")
    assert all(line.capped for line in note.lines)
    # The shares in percent: 25 x 5/35 = 3.5714 %, 25 x 20/35 = 14.2857 %, 25 x 10/35 = 7.1428 %.
    assert [line.share_percent for line in note.lines] == [Decimal("3.5714"), Decimal("14.2857"),
                                                           Decimal("7.1428")]


def test_the_csv_carries_the_customers_reference_and_plain_amounts(note):
    rows = list(csv.DictReader(io.StringIO(credit_note_csv(note).decode("utf-8"))))
    assert [(r["agreement_reference"], r["service_id"], r["amount"], r["currency"]) for r in rows] == [
        ("NW-ACME-2027-01", "email", "192.86", "GBP"),
        ("NW-ACME-2027-01", "files", "771.43", "GBP"),
        ("NW-ACME-2027-01", "remote-access", "385.71", "GBP"),
    ]
    # 2 674 800 - 3600 = 2 671 200; / 2 674 800 = 99.86541 %.
    assert rows[0]["availability_percent"] == "99.8654" and rows[0]["target_percent"] == "99.9"
    assert rows[0]["customer_psa_name"] == "Acme Dental Group Ltd"  # no psa_names: the customer's name
    assert rows[1]["capped"] == "yes" and "capped" in rows[1]["description"]


def test_below_the_cap_each_service_gets_its_own_tier(tmp_path):
    path = tmp_path / "outages.csv"
    path.write_text("service,start,end,planned\nemail,2027-03-02T10:00,2027-03-02T11:00,no\n", encoding="utf-8")
    note = credit_note(build_report(load_contract(EXAMPLE), TICKETS, period="2027-03", outages=path))
    # Only email is below a tier: 5 % of 5400.00 = 270.00, no cap applied.
    assert [(line.service, line.amount, line.capped) for line in note.lines] == [("email", Decimal("270.00"), False)]


def test_no_outage_file_means_not_measured_and_no_credit():
    note = credit_note(build_report(load_contract(EXAMPLE), TICKETS, period="2027-03"))
    assert not note.measured and note.lines == () and note.total == 0


def test_a_quarter_still_running_is_not_credited_yet(tmp_path, outages):
    text = EXAMPLE.read_text(encoding="utf-8").replace("measured_over: calendar_month",
                                                       "measured_over: calendar_quarter")
    quarterly = tmp_path / "quarterly.yaml"
    quarterly.write_text(text, encoding="utf-8")
    contract = load_contract(quarterly)
    february = credit_note(build_report(contract, TICKETS, period="2027-02", outages=outages,
                                        max_rejected=None))
    assert february.lines == () and february.not_final == ("2027-Q1",)
    march = credit_note(build_report(contract, TICKETS, period="2027-03", outages=outages))
    # Q1 2027 in London: 90 days less the summer-time hour = 2159h. email 1h: 99.954 % (no
    # tier); files 30h: 98.610 % (< 99.0: 20 %); remote-access 5h: 99.768 % (< 99.9: 5 %).
    # 25 %, exactly the cap, of the monthly fee, as the clause words it: 1080.00 and 270.00.
    assert [(line.window, line.service, line.amount, line.capped) for line in march.lines] == [
        ("2027-Q1", "files", Decimal("1080.00"), False), ("2027-Q1", "remote-access", Decimal("270.00"), False)]


def test_minor_units_follow_the_currency():
    assert (minor_unit("GBP"), minor_unit("JPY"), minor_unit("BHD")) == (Decimal("0.01"), Decimal("1"),
                                                                         Decimal("0.001"))


def test_the_command_writes_the_credit_note(tmp_path, outages):
    out = tmp_path / "credit.csv"
    result = CliRunner().invoke(app, ["report", str(EXAMPLE), "--tickets", str(TICKETS), "--period", "2027-03",
                                      "--outages", str(outages), "--format", "credit-note", "-o", str(out)])
    assert result.exit_code == 0, result.output
    amounts = [row["amount"] for row in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))]
    assert amounts == ["192.86", "771.43", "385.71"]
