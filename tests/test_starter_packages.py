"""Starter packages: the services, hours and targets a provider sells, kept in its library.

Each package of the default library, under every jurisdiction slagen knows, makes a contract that
validates and that `slagen check` finds nothing wrong with; the contract holds exactly the
package's sections (read here from the package file by a plain YAML parser, not by slagen's own reader);
`slagen init --package` and `slagen library` offer the resolved library's packages; a broken
package file is reported at its own line and column.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import ROOT, run_slagen
from slagen.library.folder import default_library
from slagen.model import jurisdiction as jurisdictions
from slagen.library.starters import starter_text
from slagen.library.starters import library_packages, read_package

STARTERS = ROOT / "starters"
PACKAGE_FILES = sorted(STARTERS.glob("*.yaml"))
PACKAGE_IDS = [f.stem for f in PACKAGE_FILES]
UK_AND_US = ["GB-EAW", "US-NY"]


def safe_load(text: str):
    return YAML(typ="safe", pure=True).load(text)


def package_sections(file: Path) -> dict:
    """The contract sections a package file sets, as a plain YAML parser reads them."""
    return safe_load(file.read_text(encoding="utf-8"))["contract"]


def made_by(file: Path, jurisdiction: str | None = None) -> str:
    return starter_text(jurisdiction, package=read_package(file))


def test_the_default_library_ships_three_packages_an_msp_sells():
    names = {p.id: p.name for p in library_packages(default_library())}
    assert names == {"business-hours": "Business hours essentials", "extended-hours": "Extended hours",
                     "critical-24x7": "24x7 critical infrastructure"}
    for package in library_packages(default_library()):
        assert package.description and "\n" not in package.description


@pytest.mark.parametrize("file", PACKAGE_FILES, ids=PACKAGE_IDS)
def test_every_package_validates_and_checks_clean_under_every_jurisdiction(file):
    from slagen.check import check_contract
    from slagen.library.contracts import load_with_positions

    for code in jurisdictions.known_codes():
        contract, doc = load_with_positions(f"{file.stem}-{code}.yaml", made_by(file, code))
        findings = check_contract(contract, doc)
        assert [f for f in findings if f.severity == "error"] == [], (code, findings)
        assert contract.agreement.legal.code == code


@pytest.mark.parametrize("code", UK_AND_US)
@pytest.mark.parametrize("file", PACKAGE_FILES, ids=PACKAGE_IDS)
def test_the_contract_holds_exactly_the_package_sections(file, code):
    written = safe_load(made_by(file, code))
    package = package_sections(file)
    for section, value in package.items():
        if section == "support_hours":
            assert written["support_hours"]["weekly"] == value["weekly"]
        else:
            assert written[section] == value, section
    # Time zone and holidays follow the law the contract is under, not the package.
    hours = written["support_hours"]
    if code == "GB-EAW":
        assert (hours["timezone"], hours["holidays"], written["agreement"]["currency"]) == (
            "Europe/London", {"country": "GB", "subdivision": "ENG"}, "GBP")
    else:
        assert (hours["timezone"], hours["holidays"], written["agreement"]["currency"]) == (
            "America/New_York", {"country": "US"}, "USD")
    # The phone channel takes the package's highest priority.
    [phone] = [c for c in written["problem_reporting"]["channels"] if c["type"] == "phone"]
    assert phone["priorities"] == [package["priorities"][0]["id"]]


def test_the_packages_offer_what_their_descriptions_promise():
    hours = {f.stem: package_sections(f)["support_hours"]["weekly"] for f in PACKAGE_FILES}
    assert hours["business-hours"] == {"monday-friday": "09:00-17:30"}
    assert hours["extended-hours"] == {"monday-friday": "08:00-18:00", "saturday": "09:00-13:00"}
    critical = package_sections(STARTERS / "critical-24x7.yaml")
    assert critical["priorities"][0]["clock"] == "24x7" and critical["staffing"]["on_call_out_of_hours"] is True
    # Extended hours promises tighter targets than the essentials: P1 response 30 minutes, not an hour.
    extended, essentials = (package_sections(STARTERS / f"{n}.yaml")["priorities"][0]
                            for n in ("extended-hours", "business-hours"))
    assert (extended["response"], essentials["response"]) == ("30m", "1h")


def test_init_without_a_package_writes_the_library_first_one():
    assert starter_text() == made_by(STARTERS / "business-hours.yaml")
    assert "# Starter package: Business hours essentials (business-hours)." in starter_text()


@pytest.mark.slow
@pytest.mark.parametrize("file, code", [(PACKAGE_FILES[0], "GB-SCT"), (PACKAGE_FILES[1], "US-TX"),
                                        (PACKAGE_FILES[2], "IE")], ids=PACKAGE_IDS)
def test_each_package_renders_to_pdf(file, code):
    from io import BytesIO

    from pypdf import PdfReader

    from slagen.library.contracts import load_contract
    from slagen.pipeline.render import render_documents

    contract = load_contract("starter.yaml", made_by(file, code))
    [(name, pdf)] = render_documents(contract, ("agreement",), ("pdf",), source="starter.yaml")
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    for service in package_sections(file)["services"]:
        assert service["name"] in text


def test_jurisdiction_defaults_agree_with_the_starter_for_every_jurisdiction():
    from slagen.library.contracts import load_contract
    from slagen.library.starters import jurisdiction_settings

    for code in jurisdictions.known_codes():
        settings = jurisdiction_settings(jurisdictions.find(code))
        contract = load_contract("x.yaml", starter_text(code))
        holidays = contract.support_hours.holidays
        assert (contract.agreement.currency, contract.agreement.locale, contract.support_hours.timezone,
                holidays.country, holidays.subdivision or "") == (
            settings["currency"], settings["locale"], settings["timezone"], settings["holiday_country"],
            settings["holiday_subdivision"]), code


# ---- the command line ---------------------------------------------------------------------------


def test_init_with_a_package_and_a_us_jurisdiction(tmp_path):
    target = tmp_path / "contoso.yaml"
    done = run_slagen("init", "--package", "critical-24x7", "--jurisdiction", "US-IL", "--locale", "en_US",
                      str(target))
    assert done.returncode == 0, done.stderr
    written = safe_load(target.read_text(encoding="utf-8"))
    assert written["priorities"] == package_sections(STARTERS / "critical-24x7.yaml")["priorities"]
    assert written["support_hours"]["timezone"] == "America/Chicago"
    assert run_slagen("check", str(target)).returncode == 0


def test_a_package_is_named_by_its_id_or_its_name_in_any_case(tmp_path):
    by_name = run_slagen("init", "--package", "extended HOURS")
    assert by_name.returncode == 0 and by_name.stdout == made_by(STARTERS / "extended-hours.yaml")


def test_init_with_an_unknown_package_lists_the_packages_on_one_line(tmp_path):
    target = tmp_path / "x.yaml"
    done = run_slagen("init", "--package", "gold", str(target))
    assert done.returncode == 2 and not target.exists()
    assert done.stderr == ("error: 'gold' is not a starter package of slagen standard library: use "
                           "business-hours (Business hours essentials), critical-24x7 (24x7 critical "
                           "infrastructure), extended-hours (Extended hours)\n")


def test_slagen_library_lists_the_packages_with_their_descriptions(tmp_path):
    done = run_slagen("library", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("slagen standard library ") and lines[0].endswith("(the packaged default)")
    for package in library_packages(default_library()):
        assert any(line.split()[0] == package.id and package.description in line for line in lines[2:])


# ---- a provider's own library ------------------------------------------------------------------

MANAGED_PRINT = """\
name: Managed print
description: Printers and copiers kept working in office hours.
contract:
  services:
    - id: print
      name: Printing
      description: The Customer's printers and copiers.
  support_hours:
    weekly:
      monday-friday: "08:30-17:00"
  priorities:
    - id: URGENT
      name: Urgent
      definition: No printer on a floor works.
      response: 2h
      resolution: 8h
      clock: support_hours
"""


@pytest.fixture
def house(tmp_path) -> Path:
    library = tmp_path / "house"
    assert run_slagen("library", "init", str(library), "--name", "Northwind").returncode == 0
    (library / "starters" / "managed-print.yaml").write_text(MANAGED_PRINT, encoding="utf-8")
    return library


def test_a_provider_package_is_listed_and_used(house, tmp_path):
    listed = run_slagen("library", "--library", str(house))
    assert listed.returncode == 0 and re.search(r"^  managed-print +Managed print: Printers and copiers", listed.stdout, re.M)
    target = house / "acme.yaml"  # beside the library's slagen.toml: that library is used
    assert run_slagen("init", "--package", "managed-print", "--jurisdiction", "US-CA", str(target)).returncode == 0
    written = safe_load(target.read_text(encoding="utf-8"))
    assert [s["id"] for s in written["services"]] == ["print"]
    assert written["problem_reporting"]["channels"][1]["priorities"] == ["URGENT"]
    assert run_slagen("check", str(target)).returncode == 0
    assert run_slagen("library", "check", str(house)).returncode == 0


def test_slagen_library_environment_variable_names_the_library(house, tmp_path):
    import subprocess
    import sys

    env = {**os.environ, "SLAGEN_LIBRARY": str(house)}
    done = subprocess.run([sys.executable, "-m", "slagen", "library"], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0 and "Northwind" in done.stdout and "managed-print" in done.stdout


def test_a_library_without_starters_offers_the_default_packages(house):
    import shutil

    shutil.rmtree(house / "starters")
    listed = run_slagen("library", "--library", str(house))
    assert listed.returncode == 0
    assert [line.split()[0] for line in listed.stdout.splitlines()[2:]] == sorted(PACKAGE_IDS)


def located(text: str, file: Path) -> list[tuple[int, int, str]]:
    """(line, column, message) of every 'FILE:LINE:COL: error: MESSAGE' line of ``text``."""
    out = []
    for line in text.splitlines():
        match = re.fullmatch(re.escape(str(file)) + r":(\d+):(\d+): error: (.*)", line)
        assert match, line
        out.append((int(match.group(1)), int(match.group(2)), match.group(3)))
    return out


BROKEN = [  # (what is wrong, the file's text, (line, column) of the mistake, words of the message)
    ("a duration in days", MANAGED_PRINT.replace("response: 2h", "response: 2d"), (15, 17), "'2d' counts days"),
    ("a section a package cannot set", MANAGED_PRINT + "  fees: {payment_days: 30}\n", (18, 3), "cannot set 'fees'"),
    ("the time zone, which follows the law", MANAGED_PRINT.replace(
        "  support_hours:\n", "  support_hours:\n    timezone: Europe/Paris\n"), (9, 5), "'timezone' follows"),
    ("no description", MANAGED_PRINT.replace("description: Printers and copiers kept working in office hours.\n",
                                             ""), (1, 1), "needs a 'description'"),
    ("a flow-style contract", "name: X\ndescription: Y\ncontract: {services: []}\n", (3, 1), "on a line of its own"),
    ("an empty file", "", (1, 1), "the file is empty: a starter package is a set of keys"),
    ("priorities that are not a list", MANAGED_PRINT.split("  priorities:\n")[0] + "  priorities: {P1: urgent}\n",
     (11, 15), "priorities must be a list"),
    ("a YAML syntax error", MANAGED_PRINT.replace("name: Printing", "name: [Printing"), (7, 0), ""),
    ("a component the estate lacks", MANAGED_PRINT.replace(
        "copiers.\n", "copiers.\n      depends_on: [printers]\n"), (8, 0), "printers"),
]


@pytest.mark.parametrize("what, text, where, words", BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_package_is_reported_at_its_line(house, tmp_path, what, text, where, words):
    package = house / "starters" / "managed-print.yaml"
    package.write_text(text, encoding="utf-8")
    target = tmp_path / "out.yaml"
    done = run_slagen("init", "--library", str(house), "--package", "managed-print", str(target))
    assert done.returncode == 2 and not target.exists() and "Traceback" not in done.stderr
    problems = located(done.stderr, package)
    line, column = where
    assert problems[0][0] == line and (column == 0 or problems[0][1] == column), problems
    assert words in problems[0][2]
    listed = run_slagen("library", "--library", str(house))
    assert listed.returncode == 2 and located(listed.stderr, package) == problems
    checked = run_slagen("library", "check", str(house))
    assert checked.returncode == 1 and str(package) in checked.stdout
