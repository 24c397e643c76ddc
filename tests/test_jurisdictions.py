"""Jurisdictions and locales: a US contract reads right where it is signed, a UK one is unchanged.

Expected values are written out by hand from the calendar (2027's federal holidays and the days
that observe them) and from the conventions of each country, never read back from slagen.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import EXAMPLES
from slagen.cli import app
from slagen.calendar.clock import Calendar
from slagen.compose.assemble import assemble
from slagen.compose.library import ClauseLibrary, parse_clause
from slagen.compose.spelling import americanise
from slagen.document import Table, plain_text, walk
from slagen.library.contracts import load_contract
from slagen.model import jurisdiction as jurisdictions
from slagen.pipeline.render import render_documents

US_EXAMPLE = EXAMPLES / "lakeshore-legal-us.yaml"
UK_EXAMPLE = EXAMPLES / "acme-dental.yaml"

# British forms a US reader would notice, kept here by hand so the test does not lean on the
# table slagen converts with.
BRITISH = [
    "authorised", "authorise", "organisation", "recognise", "minimise", "prioritise", "licence",
    "favour", "behaviour", "colour", "centre", "programme", "fulfil ", "judgement", "cancelled",
    "endeavours", "working days", "working day", "whilst", "value added tax", "VAT", "per cent",
    "analyse", "labelled", "practise",
]


@pytest.fixture
def run_cli():
    from typer.testing import CliRunner

    return lambda args: CliRunner().invoke(app, args)


@pytest.fixture(scope="module")
def us_outputs(tmp_path_factory):
    contract = load_contract(US_EXAMPLE)
    return dict(render_documents(contract, source=str(US_EXAMPLE)))


@pytest.fixture(scope="module")
def uk_outputs():
    contract = load_contract(UK_EXAMPLE)
    return dict(render_documents(contract, formats=("pdf",), docs=("agreement",), source=str(UK_EXAMPLE)))


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    return text.replace("\u202f", " ")  # the narrow space before AM/PM, read as a space


def docx_xml(data: bytes) -> str:
    with zipfile.ZipFile(BytesIO(data)) as docx:
        return docx.read("word/document.xml").decode("utf-8")


def docx_text(data: bytes) -> str:
    return re.sub(r"<[^>]+>", "", docx_xml(data).replace("</w:p>", "\n")).replace("\u202f", " ")


# ---- the value and its sources ------------------------------------------------------------------


@pytest.mark.parametrize("written, code", [
    ("England and Wales", "GB-EAW"), ("england & wales", "GB-EAW"), ("GB-SCT", "GB-SCT"),
    ("Ireland", "IE"), ("Illinois", "US-IL"), ("State of Illinois", "US-IL"), ("the State of New York", "US-NY"),
    ("us-ca", "US-CA"), ("TX", "US-TX"), ("District of Columbia", "US-DC"),
])
def test_a_jurisdiction_is_found_by_code_or_by_name(written, code):
    assert jurisdictions.find(written).code == code


def test_the_jurisdiction_follows_governing_law_when_absent():
    contract = load_contract(UK_EXAMPLE)
    assert contract.agreement.jurisdiction is None
    assert contract.agreement.legal.code == "GB-EAW"
    assert contract.agreement.paper_size == "a4"


def test_us_jurisdictions_print_on_letter_paper_unless_told_otherwise():
    contract = load_contract(US_EXAMPLE)
    assert contract.agreement.paper_size == "letter"
    changed = contract.agreement.model_copy(update={"paper": "a4"})
    assert changed.paper_size == "a4"


def test_an_unknown_jurisdiction_is_a_located_error(run_cli, tmp_path):
    text = UK_EXAMPLE.read_text().replace("  governing_law: England and Wales\n",
                                          "  governing_law: England and Wales\n  jurisdiction: Narnia\n")
    path = tmp_path / "c.yaml"
    path.write_text(text)
    result = run_cli(["validate", str(path)])
    assert result.exit_code == 2
    line = text.splitlines().index("  jurisdiction: Narnia") + 1
    assert f"{path}:{line}:17: error: 'Narnia' is not a jurisdiction slagen knows" in result.output
    assert "US-IL" in result.output and "GB-SCT" in result.output


def test_a_governing_law_slagen_cannot_place_asks_for_a_jurisdiction(run_cli, tmp_path):
    text = UK_EXAMPLE.read_text().replace("governing_law: England and Wales", "governing_law: Atlantis")
    path = tmp_path / "c.yaml"
    path.write_text(text)
    result = run_cli(["validate", str(path)])
    assert result.exit_code == 2
    assert "add 'jurisdiction:' to agreement" in result.output
    assert "(at agreement.governing_law)" in result.output


# ---- holidays the provider chooses --------------------------------------------------------------

HOURS = """\
support_hours:
  timezone: America/Chicago
  weekly:
    monday-friday: "08:00-17:00"
  holidays:
    country: US
    subdivision: IL
{choice}"""


def calendar_file(tmp_path, choice: str) -> Path:
    path = tmp_path / "hours.yaml"
    path.write_text(HOURS.format(choice=choice))
    return path


def test_a_holiday_left_out_with_except_is_a_working_day_for_the_clock(run_cli, tmp_path):
    # Columbus Day 2027 is Monday 11 October: a full 9-hour working day once it is excepted.
    open_day = calendar_file(tmp_path, '    except: ["Columbus Day"]\n')
    result = run_cli(["clock", "elapsed", str(open_day), "--from", "2027-10-11T08:00", "--to", "2027-10-11T17:00"])
    assert result.exit_code == 0 and result.output.strip() == "9h"
    closed = calendar_file(tmp_path, "")
    result = run_cli(["clock", "elapsed", str(closed), "--from", "2027-10-11T08:00", "--to", "2027-10-11T17:00"])
    assert result.exit_code == 0 and result.output.strip() == "0m"


def test_only_keeps_just_the_named_holidays(tmp_path):
    calendar = Calendar.load(calendar_file(tmp_path, '    only: ["Christmas Day"]\n'))
    # 2027: Christmas Day is a Saturday, observed on Friday 24 December; Thanksgiving stays open.
    assert calendar.closed_days_between(date(2027, 1, 1), date(2027, 12, 31)) == [
        date(2027, 12, 24), date(2027, 12, 25)]


def test_a_misspelt_holiday_is_a_located_error_naming_the_valid_ones(run_cli, tmp_path):
    path = calendar_file(tmp_path, '    except: ["Columbus Dya"]\n')
    result = run_cli(["clock", "elapsed", str(path), "--from", "2027-10-11T08:00", "--to", "2027-10-11T17:00"])
    assert result.exit_code == 2
    assert f"{path}:8:14: error: 'Columbus Dya' is not a public holiday of US-IL" in result.output
    assert "Columbus Day" in result.output and "Lincoln's Birthday" in result.output


def test_the_worked_examples_count_an_excepted_holiday_as_open():
    # Lakeshore closes only on the federal holidays it names; Presidents' Day (Washington's
    # Birthday, Monday 15 February 2027) is not among them, so a P1 logged on Friday
    # 12 February 2027 at 18:45 (15 minutes before closing) is answered on Monday at 07:15.
    document = assemble(load_contract(US_EXAMPLE), "agreement")
    text = "\n".join(plain_text(b.inlines) for b in walk(document.blocks) if hasattr(b, "inlines"))
    # CLDR puts a narrow no-break space (U+202F) between the time and AM/PM, so they never part.
    assert ("logged on Friday, February 12, 2027 at 6:45\u202fPM must receive a Response by "
            "Monday, February 15, 2027 at 7:15\u202fAM and be Resolved by Monday, February 15, 2027 at 2:45\u202fPM") in text


# ---- the US example ---------------------------------------------------------------------------

# The desk's closure days from 1 February 2027 to 31 January 2028, worked out from the calendar:
# the eight federal holidays the contract names (a holiday on a Saturday is observed on the
# Friday before, on a Sunday on the Monday after) and the day after Thanksgiving.
US_CLOSURES = [
    date(2027, 5, 31),  # Memorial Day, last Monday of May
    date(2027, 6, 18),  # Juneteenth (Saturday 19 June) observed
    date(2027, 6, 19),  # Juneteenth
    date(2027, 7, 4),   # Independence Day, a Sunday
    date(2027, 7, 5),   # observed on Monday
    date(2027, 9, 6),   # Labor Day, first Monday of September
    date(2027, 11, 25),  # Thanksgiving, fourth Thursday of November
    date(2027, 11, 26),  # the extra closure
    date(2027, 12, 24),  # Christmas Day (Saturday) observed
    date(2027, 12, 25),  # Christmas Day
    date(2027, 12, 31),  # New Year's Day 2028 (Saturday) observed
    date(2028, 1, 1),   # New Year's Day
    date(2028, 1, 17),  # Martin Luther King Jr. Day, third Monday of January
]


def test_the_closure_table_lists_the_days_the_clock_treats_as_closed():
    contract = load_contract(US_EXAMPLE)
    calendar = Calendar.from_support_hours(contract.support_hours)
    assert calendar.closed_days_between(date(2027, 2, 1), date(2028, 1, 31)) == US_CLOSURES
    document = assemble(contract, "agreement")
    table = next(b for b in walk(document.blocks) if isinstance(b, Table)
                 and plain_text(b.header[0]) == "Date" and plain_text(b.header[1]) == "Reason for closure")
    printed = [plain_text(row[0]) for row in table.rows]
    assert printed == [f"{d:%B} {d.day}, {d.year}" for d in US_CLOSURES]
    reasons = [plain_text(row[1]) for row in table.rows]
    assert reasons[0] == "Memorial Day" and reasons[7] == "Additional closure"


def test_the_us_agreement_has_no_british_spelling(us_outputs):
    for name, data in us_outputs.items():
        text = pdf_text(data) if name.endswith(".pdf") else docx_text(data)
        flat = re.sub(r"\s+", " ", text)
        found = [word for word in BRITISH if re.search(rf"\b{re.escape(word)}", flat, re.IGNORECASE if word != "VAT" else 0)]
        assert found == [], f"{name}: {found}"


def test_the_us_documents_are_on_letter_paper_in_both_writers(us_outputs):
    for name, data in us_outputs.items():
        if name.endswith(".pdf"):
            box = PdfReader(BytesIO(data)).pages[0].mediabox
            assert (round(float(box.width)), round(float(box.height))) == (612, 792), name
        else:
            size = re.search(r'<w:pgSz [^>]*w:w="(\d+)" w:h="(\d+)"', docx_xml(data))
            assert size.groups() == ("12240", "15840"), name


def test_the_us_agreement_uses_us_conventions(us_outputs):
    pdf = re.sub(r"\s+", " ", pdf_text(us_outputs["PMI-LSL-2027-02-agreement.pdf"]))
    assert "6:45 PM" in pdf and "18:45" not in pdf  # 12-hour times
    assert "stated in Central Time (the America/Chicago time zone" in pdf
    assert "is governed by the laws of the State of Illinois, without giving effect to any choice-of" in pdf
    assert ("the state courts located in Cook County, Illinois, and the United States District Court for the "
            "Northern District of Illinois") in pdf
    assert "WAIVES" not in pdf and "TRIAL BY JURY" in pdf  # conspicuous, and in our own words
    # The warranty disclaimer and the consequential-damages waiver are conspicuous, as US courts require.
    assert "DISCLAIMS EVERY IMPLIED WARRANTY, INCLUDING ANY WARRANTY OF MERCHANTABILITY" in pdf
    assert "IN NO EVENT IS EITHER PARTY LIABLE TO THE OTHER" in pdf
    assert "gross negligence or willful misconduct" in pdf
    assert "$9,800.00" in re.sub(r"\s+", " ", pdf_text(us_outputs["PMI-LSL-2027-02-sow.pdf"]))


def test_the_docx_cover_writes_the_date_the_us_way(us_outputs):
    text = docx_text(us_outputs["PMI-LSL-2027-02-agreement.docx"])
    assert "February 1, 2027" in text and "1 February 2027" not in text


def test_the_uk_agreement_keeps_a4_24_hour_times_and_british_spelling(uk_outputs):
    data = uk_outputs["NW-ACME-2027-01-agreement.pdf"]
    box = PdfReader(BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = re.sub(r"\s+", " ", pdf_text(data))
    assert "at 17:00" in text and " PM" not in text
    assert "reasonable endeavours" in text
    assert "stated in UK time (the Europe/London time zone" in text
    assert "is governed by the law of England and Wales." in text
    assert "the courts of England and Wales have exclusive jurisdiction" in text
    assert "TRIAL BY JURY" not in text and "MERCHANTABILITY" not in text
    assert "for fraud or fraudulent misrepresentation" in text


# ---- the starter ------------------------------------------------------------------------------


@pytest.mark.parametrize("code, currency, locale, zone", [
    ("US-IL", "USD", "en_US", "America/Chicago"), ("US-CA", "USD", "en_US", "America/Los_Angeles"),
    ("GB-SCT", "GBP", "en_GB", "Europe/London"), ("IE", "EUR", "en_IE", "Europe/Dublin"),
])
def test_init_writes_a_starter_for_the_jurisdiction_that_checks_and_renders(run_cli, tmp_path, code, currency, locale, zone):
    path = tmp_path / "starter.yaml"
    assert run_cli(["init", str(path), "--jurisdiction", code]).exit_code == 0
    contract = load_contract(path)
    assert (contract.agreement.legal.code, contract.agreement.currency, contract.agreement.locale,
            contract.support_hours.timezone) == (code, currency, locale, zone)
    check = run_cli(["check", str(path)])
    assert check.exit_code == 0, check.output
    assert render_documents(contract, formats=("docx",), source=str(path))


def test_init_refuses_an_unknown_jurisdiction_or_locale(run_cli, tmp_path):
    result = run_cli(["init", str(tmp_path / "s.yaml"), "--jurisdiction", "Narnia"])
    assert result.exit_code == 2 and "'Narnia' is not a jurisdiction" in result.output
    result = run_cli(["init", str(tmp_path / "s.yaml"), "--locale", "xx_YY"])
    assert result.exit_code == 2 and "'xx_YY' is not a locale" in result.output
    assert not (tmp_path / "s.yaml").exists()


# ---- clause variants and spelling -------------------------------------------------------------

VARIANT_CLAUSE = """\
---
id: governing-law-demo
title: Governing law
version: 1.0.0
status: approved
documents: [agreement]
---
English body.
<!-- variant when: facts.law.system == "us" -->
American body.
"""


def test_a_clause_holds_variant_bodies_selected_by_their_condition():
    clause = parse_clause(VARIANT_CLAUSE, "governing-law-demo.md")
    assert clause.body.strip() == "English body."
    assert clause.body_for(lambda condition: condition == 'facts.law.system == "us"').strip() == "American body."
    assert clause.body_for(lambda condition: False).strip() == "English body."


def test_every_variant_is_checked_against_the_model_chosen_or_not():
    broken = VARIANT_CLAUSE.replace("American body.", "{{ agreement.no_such_field }}")
    problems = ClauseLibrary({"governing-law-demo": parse_clause(broken, "g.md")}).problems()
    assert any("'no_such_field' is not a field" in p for p in problems)


def test_american_spelling_changes_the_clause_words_but_never_the_template():
    template = 'The Provider is authorised {% if x == "colour" %}to use all reasonable endeavours{% endif %} {{ customer.name }}.'
    assert americanise(template) == (
        'The Provider is authorized {% if x == "colour" %}to use commercially reasonable efforts{% endif %} {{ customer.name }}.')


def test_a_contract_value_keeps_its_british_spelling_in_a_us_agreement():
    contract = load_contract(US_EXAMPLE)
    renamed = contract.model_copy(update={"customer": contract.customer.model_copy(update={"name": "Colour Labour Ltd"})})
    document = assemble(renamed, "agreement")
    text = "\n".join(plain_text(b.inlines) for b in walk(document.blocks) if hasattr(b, "inlines"))
    assert "Colour Labour Ltd" in text
