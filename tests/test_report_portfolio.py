"""`slagen report --portfolio`: every contract's figures from one export holding many customers' tickets.

The check is independent of the portfolio code: the mixed export is also split here, by hand,
into one file per customer, and each file goes through the single-contract path
(``build_report``, what `slagen report FILE` runs). Every figure must agree. The contracts differ
in zone and holidays (London with England's bank holidays, Chicago with US federal holidays,
Berlin with Bavaria's, Sydney with New South Wales'), so a row given to the wrong contract, or
read on the wrong calendar, changes the figures.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slagen.cli.main import app
from slagen.library.contracts import load_contract
from slagen.report import build_report, report_dict
from slagen.report.portfolio import portfolio_figures
from slagen.report.presets import column_map

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
HEADER = ["Ticket", "Company", "Priority", "Logged", "Responded", "Resolved", "Paused"]
COLUMNS = {"id": "Ticket", "priority": "Priority", "logged_at": "Logged", "first_response_at": "Responded",
           "resolved_at": "Resolved", "paused": "Paused"}


def _variant(source: str, replacements: list[tuple[str, str]]) -> str:
    text = (EXAMPLES / source).read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


ACME_NAMES = ("  name: Acme Dental Group Ltd\n", "  name: Acme Dental Group Ltd\n  psa_names: [Acme Dental, ACME-DENT]\n")

CONTRACTS = {
    "acme.yaml": _variant("acme-dental.yaml", [ACME_NAMES]),
    "lakeshore.yaml": _variant("lakeshore-legal-us.yaml", []),
    "klinik.yaml": _variant("acme-dental.yaml", [
        ("reference: NW-ACME-2027-01\n", "reference: NW-KLINIK-2027-01\n"),
        ("  name: Acme Dental Group Ltd\n", "  name: Zahnklinik Mitte GmbH\n  psa_names: [Zahnklinik Mitte]\n"),
        ("timezone: Europe/London", "timezone: Europe/Berlin"),
        ("holidays: {country: GB, subdivision: ENG}", "holidays: {country: DE, subdivision: BY}"),
        ("currency: GBP", "currency: EUR")]),
    "harbour.yaml": _variant("acme-dental.yaml", [
        ("reference: NW-ACME-2027-01\n", "reference: NW-HARBOUR-2027-01\n"),
        ("  name: Acme Dental Group Ltd\n", "  name: Harbour Physio Pty Ltd\n  psa_names: [Harbour Physio]\n"),
        ("timezone: Europe/London", "timezone: Australia/Sydney"),
        ("holidays: {country: GB, subdivision: ENG}", "holidays: {country: AU, subdivision: NSW}"),
        ("currency: GBP", "currency: AUD")]),
    # Its rows use a priority label it does not know: more than 5 % of them unusable, so it fails.
    "initech.yaml": _variant("small-office-minimal.yaml", [
        ("  name: Baker & Sons Accountants\n", "  name: Initech Ltd\n  psa_names: [Initech]\n")]),
    # Not a contract at all: reported as broken, the others go on.
    "broken.yaml": "slagen: 1\nagreement: {reference: X}\n",
    # Not a contract (no slagen key): a shared staffing file may sit in the same folder.
    "rota.yaml": "technicians: {tier1: 4}\n",
}

# The customer column as the PSA writes it -> the contract's file. Case and spacing differ on purpose.
CUSTOMERS = {
    "Acme Dental": "acme.yaml", "acme-dent": "acme.yaml",
    "LAKESHORE LEGAL  LLP": "lakeshore.yaml",
    "Zahnklinik Mitte": "klinik.yaml",
    "Harbour Physio": "harbour.yaml",
    "Initech": "initech.yaml",
}


def _time(moment: datetime, suffix: str) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M") + suffix


def _rows(rng: random.Random) -> list[list[str]]:
    rows = []
    number = 1000
    for name in CUSTOMERS:
        for _ in range(45):
            number += 1
            logged = datetime(2027, 2, 1) + timedelta(minutes=rng.randrange(0, 58 * 24 * 60))
            # Most tickets naive (read in each contract's own zone, as `slagen report` reads them); some UTC.
            zone = "Z" if rng.random() < 0.25 else ""
            label = "Sev1" if name == "Initech" else rng.choice(["P1", "P2", "P3", "P4"])
            responded = logged + timedelta(minutes=rng.choice([5, 20, 45, 90, 300, 900]))
            resolved = logged + timedelta(minutes=rng.choice([60, 200, 700, 3000, 9000]))
            paused = ""
            if rng.random() < 0.15:
                start = logged + timedelta(minutes=30)
                paused = f"{_time(start, zone)}/{_time(start + timedelta(hours=5), zone)}"
            rows.append([f"T{number}", name, label, _time(logged, zone), _time(responded, zone),
                         _time(resolved, zone) if rng.random() < 0.9 else "", paused])
    for i, name in enumerate(["Globex Corporation", "Globex Corporation", "", "Globex Corporation"]):
        rows.append([f"U{i}", name, "P2", "2027-03-02T10:00", "2027-03-02T10:30", "", ""])
    rng.shuffle(rows)
    return rows


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)


@pytest.fixture(scope="module")
def book_folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("portfolio")
    folder = root / "contracts"
    folder.mkdir()
    for name, text in CONTRACTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    rows = _rows(random.Random(26))
    _write(root / "all.csv", rows)
    for contract_file in set(CUSTOMERS.values()):  # the independent split: one export per customer
        _write(root / f"only-{contract_file}.csv", [r for r in rows if CUSTOMERS.get(r[1]) == contract_file])
    return root


@pytest.fixture(scope="module")
def book(book_folder):
    return portfolio_figures(book_folder / "contracts", book_folder / "all.csv", period="2027-03",
                             columns=column_map(None, COLUMNS))


def _figures(report) -> dict:
    """Every figure of a report, without where its rows sat in which file."""
    data = report_dict(report)
    for item in data["breaches"]["items"]:
        item.pop("line")
    return {key: data[key] for key in ("period", "overall", "priorities", "trend", "breaches", "availability",
                                       "service_credits", "priority_mapping", "measures")} | {
        "in_period": data["tickets"]["in_period"], "rows_read": data["tickets"]["rows_read"],
        "rejected": len(data["rejected_rows"])}


@pytest.mark.parametrize("contract_file", ["acme.yaml", "lakeshore.yaml", "klinik.yaml", "harbour.yaml"])
def test_each_contract_gets_the_figures_of_its_own_rows_alone(book, book_folder, contract_file):
    contract = load_contract(book_folder / "contracts" / contract_file)
    alone = build_report(contract, book_folder / f"only-{contract_file}.csv", period="2027-03",
                         columns=column_map(None, COLUMNS))
    (mine,) = [c for c in book.customers if c.path.endswith(contract_file)]
    assert mine.error is None
    assert alone.tickets_in_period > 10 and alone.targets_measured > 10  # a real comparison, not of nothing
    assert _figures(mine.report) == _figures(alone)


def test_the_export_is_read_once_by_columns(book):
    assert book.reader == "columnar" and book.rows_read == 6 * 45 + 4 and book.customer_column == "Company"


def test_rows_no_contract_claims_are_listed(book):
    assert sorted((u.value, u.rows) for u in book.unmatched) == [("", 1), ("Globex Corporation", 3)]
    (empty,) = [u for u in book.unmatched if u.value == ""]
    assert empty.reason == "the row names no customer"


def test_a_broken_contract_and_a_failing_one_are_reported_and_the_rest_go_on(book):
    failed = {Path(c.path).name: c.error for c in book.failed}
    assert set(failed) == {"broken.yaml", "initech.yaml"}
    assert "broken.yaml:" in failed["broken.yaml"]
    assert "45 of 45 rows (100.0%) are in no figure" in failed["initech.yaml"]
    assert sum(1 for c in book.customers if c.report is not None) == 4
    assert not any(c.path.endswith("rota.yaml") for c in book.customers)  # not a contract: passed over


def test_a_name_two_contracts_claim_is_not_guessed(book_folder, tmp_path):
    folder = tmp_path / "contracts"
    folder.mkdir()
    (folder / "acme.yaml").write_text(CONTRACTS["acme.yaml"], encoding="utf-8")
    (folder / "klinik.yaml").write_text(CONTRACTS["klinik.yaml"].replace("psa_names: [Zahnklinik Mitte]",
                                                                         "psa_names: [Zahnklinik Mitte, Acme Dental]"),
                                        encoding="utf-8")
    book = portfolio_figures(folder, book_folder / "all.csv", period="2027-03", columns=column_map(None, COLUMNS),
                             max_rejected=None)
    (claimed,) = [u for u in book.unmatched if u.value == "Acme Dental"]
    assert "acme.yaml and klinik.yaml" in claimed.reason
    # --customer-map settles it.
    book = portfolio_figures(folder, book_folder / "all.csv", period="2027-03", columns=column_map(None, COLUMNS),
                             customer_map={"acme dental": "NW-ACME-2027-01"}, max_rejected=None)
    assert "Acme Dental" not in [u.value for u in book.unmatched]


def test_the_command_writes_every_report_credit_note_and_the_summary(book_folder, tmp_path):
    out = tmp_path / "out"
    args = ["report", "--portfolio", str(book_folder / "contracts"), "--tickets", str(book_folder / "all.csv"),
            "--period", "2027-03", "-o", str(out), "--customer-map", "Globex Corporation=NW-ACME-2027-01"]
    for field, header in COLUMNS.items():
        args += ["--columns", f"{field}={header}"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output  # two contracts failed; the rest were written
    assert "[6/6]" in result.output and "initech.yaml" in result.output
    names = sorted(p.name for p in out.iterdir())
    assert "NW-ACME-2027-01-report-2027-03.json" in names and "NW-KLINIK-2027-01-credit-note-2027-03.csv" in names
    summary = json.loads((out / "portfolio-2027-03.json").read_text(encoding="utf-8"))
    assert summary["reported"] == 4 and len(summary["failed"]) == 2
    # Globex's rows were given to Acme by --customer-map: only the empty customer is left.
    assert summary["unmatched"] == [{"customer": "", "rows": 1, "first_line": summary["unmatched"][0]["first_line"],
                                     "reason": "the row names no customer"}]
    assert set(summary["credits_by_currency"]) == {"GBP", "USD", "EUR", "AUD"}
    assert "| Zahnklinik Mitte GmbH |" in (out / "portfolio-2027-03.md").read_text(encoding="utf-8")


def test_a_mistake_about_the_whole_run_writes_nothing(book_folder, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["report", "--portfolio", str(book_folder / "contracts"), "--tickets",
                                      str(book_folder / "all.csv"), "--period", "2027-03", "-o", str(out),
                                      "--customer-column", "Client"])
    assert result.exit_code == 2 and "'Client' is missing" in result.output
    assert not out.exists()


def test_an_export_the_columnar_reader_does_not_take_gives_the_same_figures(book, book_folder, tmp_path):
    # Excel's 'sep=,' first line sends the export to the row reader, which names every bad row.
    text = (book_folder / "all.csv").read_text(encoding="utf-8")
    (tmp_path / "excel.csv").write_text("sep=,\n" + text, encoding="utf-8")
    rows_book = portfolio_figures(book_folder / "contracts", tmp_path / "excel.csv", period="2027-03",
                                  columns=column_map(None, COLUMNS))
    assert rows_book.reader == "rows" and rows_book.rows_read == book.rows_read
    for mine, theirs in zip(book.customers, rows_book.customers):
        assert (mine.error is None) == (theirs.error is None)
        if mine.report is not None:
            ours, other = _figures(mine.report), _figures(theirs.report)
            assert ours == other


def test_rows_with_mistakes_are_named_as_the_contract_alone_names_them(book_folder, tmp_path):
    # The export is read once for the whole book; each contract's bad rows must still get the words
    # `slagen report` gives them on that contract's rows alone: a time that is not one, an offset,
    # an impossible date, a pause without its end marker or backwards, an unknown priority.
    rows = _rows(random.Random(7))
    bad = [["B1", "Acme Dental", "P2", "2027-03-02 10:00", "2027-03-02T10:20+01:00", "2027-02-30T09:00", ""],
           ["B2", "Zahnklinik Mitte", "P3", "yesterday", "2027-03-03T10:00", "", ""],
           ["B3", "Harbour Physio", "Sev9", "2027-03-04T10:00", "2027-03-04T11:00", "", ""],
           ["B4", "Zahnklinik Mitte", "P2", "2027-03-05T10:00", "2027-03-05T10:05", "2027-03-05T12:00",
            "2027-03-05T10:30;2027-03-05T11:00/2027-03-05T10:40"],
           ["B5", "acme-dent", "P4", "2027-03-06T10:00Z", "2027-03-06T10:05+0000", "2027-03-06T09:00Z", ""]]
    rows[10:10] = bad
    _write(tmp_path / "all.csv", rows)
    book = portfolio_figures(book_folder / "contracts", tmp_path / "all.csv", period="2027-03",
                             columns=column_map(None, COLUMNS), max_rejected=None)
    for contract_file in ("acme.yaml", "klinik.yaml", "harbour.yaml"):
        _write(tmp_path / "alone.csv", [r for r in rows if CUSTOMERS.get(r[1].strip()) == contract_file
                                        or (r[1] == "acme-dent" and contract_file == "acme.yaml")])
        alone = build_report(load_contract(book_folder / "contracts" / contract_file), tmp_path / "alone.csv",
                             period="2027-03", columns=column_map(None, COLUMNS), max_rejected=None)
        (mine,) = [c for c in book.customers if c.path.endswith(contract_file)]
        assert _figures(mine.report) == _figures(alone)
        words = sorted((p.path, p.message) for p in mine.report.problems)
        assert words == sorted((p.path, p.message) for p in alone.problems) and words


def _months(tmp_path, bad: set[str], contract_text: str | None = None):
    """One P2 ticket a month, January to March 2027, logged Tuesday 10:00 London: answered in 2h
    (its 1h response target missed: that month's response attainment is 0 %) in the months of
    ``bad``, in 10m otherwise; resolved in 3h (within 8h) every time."""
    from slagen.report.portfolio import termination_risk

    lines = ["id,priority,logged_at,first_response_at,resolved_at"]
    for month, day in (("2027-01", "05"), ("2027-02", "02"), ("2027-03", "02")):
        answered = "12:00" if month in bad else "10:10"
        lines.append(f"{month},P2,{month}-{day}T10:00,{month}-{day}T{answered},{month}-{day}T13:00")
    export = tmp_path / "months.csv"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if contract_text is None:
        contract = load_contract(EXAMPLES / "acme-dental.yaml")  # below 90 % in 3 of any 6 consecutive months
    else:
        (tmp_path / "c.yaml").write_text(contract_text, encoding="utf-8")
        contract = load_contract(tmp_path / "c.yaml")
    return termination_risk(build_report(contract, export, period="2027-03"))


def test_two_bad_months_of_three_needed_is_one_bad_month_away(tmp_path):
    risk = _months(tmp_path, {"2027-02", "2027-03"})
    assert (risk.status, risk.target, risk.bad_months, risk.needed) == (
        "one bad month away", "P2 response", ("2027-02", "2027-03"), 3)
    assert risk.months_seen == 3 and "the export covers 3 of those 6 months" in risk.words


def test_three_bad_months_reach_the_right(tmp_path):
    risk = _months(tmp_path, {"2027-01", "2027-02", "2027-03"})
    assert (risk.status, risk.bad_months) == ("right reached", ("2027-01", "2027-02", "2027-03"))


def test_one_bad_month_is_no_risk_yet(tmp_path):
    assert _months(tmp_path, {"2027-03"}) is None


def test_the_older_count_form_counts_misses_of_the_same_target(tmp_path):
    text = _variant("acme-dental.yaml", [("repeated_breach: {attainment_below: 90%, months: 3, within_months: 6}",
                                          "repeated_breach: {count: 3, within_months: 6}")])
    risk = _months(tmp_path, {"2027-02", "2027-03"}, text)  # two misses of P2's response: the third gives it
    assert (risk.status, risk.target, risk.needed) == ("one bad month away", "P2 response", 3)
    assert risk.words.startswith("P2 response: 2 misses in 2027-02, 2027-03; the agreement's right to terminate "
                                 "for persistent failure is the same target missed 3 times within 6 months")


def test_each_contract_json_is_the_text_the_single_report_writes(book, book_folder):
    # The portfolio writes each customer's JSON with report_json; the single report's text is the
    # standard encoder's (json.dumps with indent=2), byte for byte, on the same figures.
    from slagen.report import report_json

    written = [c for c in book.customers if c.report is not None]
    assert len(written) >= 4
    for customer in written:
        assert report_json(customer.report) == json.dumps(report_dict(customer.report), indent=2,
                                                          ensure_ascii=False) + "\n"


def test_a_contract_with_no_rows_gets_the_figures_of_an_empty_export(book_folder, tmp_path):
    # A customer with no ticket this month (here one whose zone changes to summer time in the
    # period, Europe/Paris, on 28 March) still gets its report: the figures `slagen report` gives
    # on an export holding the header alone.
    import shutil

    folder = tmp_path / "contracts"
    shutil.copytree(book_folder / "contracts", folder)
    (folder / "quiet.yaml").write_text(_variant("acme-dental.yaml", [
        ("reference: NW-ACME-2027-01\n", "reference: NW-QUIET-2027-01\n"),
        ("  name: Acme Dental Group Ltd\n", "  name: Quiet Bakery SARL\n  psa_names: [Quiet Bakery]\n"),
        ("timezone: Europe/London", "timezone: Europe/Paris"),
        ("holidays: {country: GB, subdivision: ENG}", "holidays: {country: FR}"),
        ("currency: GBP", "currency: EUR")]), encoding="utf-8")
    _write(tmp_path / "empty.csv", [])
    whole = portfolio_figures(folder, book_folder / "all.csv", period="2027-03", columns=column_map(None, COLUMNS))
    (quiet,) = [c for c in whole.customers if c.path.endswith("quiet.yaml")]
    assert quiet.error is None and quiet.rows == 0
    alone = build_report(load_contract(folder / "quiet.yaml"), tmp_path / "empty.csv", period="2027-03",
                         columns=column_map(None, COLUMNS))
    assert _figures(quiet.report) == _figures(alone)
    assert quiet.report.tickets_in_period == 0 and quiet.report.targets_measured == 0
    # The other contracts' figures are untouched by the newcomer.
    assert [(c.reference, c.report.targets_met if c.report else None) for c in whole.customers if c.path !=
            quiet.path] == [(c.reference, c.report.targets_met if c.report else None) for c in
                            portfolio_figures(book_folder / "contracts", book_folder / "all.csv", period="2027-03",
                                              columns=column_map(None, COLUMNS)).customers]
