"""One law per contract: every jurisdiction's documents speak its own law, and only its own.

Each supported jurisdiction's starter (``slagen init --jurisdiction``) is extended the way an
account manager would (personal data that includes health records, a non-solicitation clause)
and assembled once, in process, for the whole module. The documents are then read for the words
that belong to every other legal system (the library's law data, the same lists the foreign-law
check in ``slagen review`` uses) and for the jurisdiction's own statute, index, notice method,
Business Day and data protection terms, written out here by hand from the law itself.
"""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import EXAMPLES
from slagen.cli import app
from slagen.compose.assemble import assemble
from slagen.compose.library import load_library
from slagen.library.contracts import load_contract
from slagen.library.folder import default_library
from slagen.library.law import LawError, load_law
from slagen.library.starters import starter_text
from slagen.review.foreign_law import clause_texts, foreign_law_hits
from slagen.review.review import load_and_review

US_EXAMPLE = EXAMPLES / "lakeshore-legal-us.yaml"

# What an account manager adds to a starter: the customer's data includes health records, and they
# ask for a non-solicitation clause (which California's law data leaves out unless they insist).
ADDED = """
data_protection:
  personal_data: true
  data_types: [patient health records, contact details of staff]
  breach_notification: 24h
non_solicitation: {months: 12}
"""

JURISDICTIONS = ("GB-EAW", "GB-SCT", "GB-NIR", "IE", "US-IL", "US-TX", "US-CA", "US-NY", "US-DE", "US-OH")


def _texts(contract) -> dict[str, str]:
    """{clause id: its text} over the agreement and, when there is one, the statement of work."""
    out: dict[str, str] = {}
    for kind in ("agreement", "sow") if contract.sow is not None else ("agreement",):
        for clause, _, text in clause_texts(assemble(contract, kind)):
            out[clause] = out.get(clause, "") + "\n" + " ".join(text.split())
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """(contract, {clause id: text}, hits of the foreign-law check) per jurisdiction, made once."""
    folder = tmp_path_factory.mktemp("law")
    book = load_library().law()
    out = {}
    for code in JURISDICTIONS:
        path = folder / f"{code}.yaml"
        path.write_text(starter_text(code) + ADDED, encoding="utf-8")
        contract = load_contract(path)
        hits = [h for kind in ("agreement",) for h in foreign_law_hits(assemble(contract, kind), book, code)]
        out[code] = (contract, _texts(contract), hits)
    example = load_contract(US_EXAMPLE)
    hits = [h for kind in ("agreement", "sow") for h in foreign_law_hits(assemble(example, kind), book, "US-IL")]
    out["example"] = (example, _texts(example), hits)
    return out


def everything(texts: dict[str, str]) -> str:
    return "\n".join(texts.values())


@pytest.mark.parametrize("code", JURISDICTIONS + ("example",))
def test_no_document_uses_the_words_of_another_legal_system(rendered, code):
    _, _, hits = rendered[code]
    assert [(h.clause, h.words) for h in hits] == []


# ---- each jurisdiction's own law, by hand -------------------------------------------------------

UK_OWN = [
    "interest and compensation on it under the Late Payment of Commercial Debts (Interest) Act 1998",
    "the consumer prices index (CPI) published by the Office for National Statistics",
    "sent by pre-paid first class post or recorded delivery",
    "at 09:00 on the second Business Day after posting",
    "Article 32 of the UK GDPR",
    "adequacy regulations under the Data Protection Act 2018",
    "special category data under Article 9 of the UK GDPR",
    "Subject to contract",
]


@pytest.mark.parametrize("code, business_day, courts", [
    ("GB-EAW", "a bank holiday in England and Wales", "the courts of England and Wales have exclusive jurisdiction"),
    ("GB-SCT", "a bank holiday in Scotland", "the Scottish courts have exclusive jurisdiction"),
    ("GB-NIR", "a bank holiday in Northern Ireland", "the courts of Northern Ireland have exclusive jurisdiction"),
])
def test_each_uk_jurisdiction_has_its_own_business_days_and_courts(rendered, code, business_day, courts):
    text = everything(rendered[code][1])
    assert f"Business Day: a day other than a Saturday, a Sunday or {business_day}." in text
    assert courts in text
    for phrase in UK_OWN:
        assert phrase in text, phrase


def test_ireland_has_eu_gdpr_article_28_terms_with_chapter_v_transfers(rendered):
    texts = rendered["IE"][1]
    text = everything(texts)
    processor = texts["processor-obligations"]
    assert "Business Day: a day other than a Saturday, a Sunday or a public holiday in Ireland." in text
    assert ("interest and compensation on it under the European Communities (Late Payment in Commercial "
            "Transactions) Regulations 2012 (S.I. No. 580 of 2012)") in text
    assert "the consumer price index (CPI) published by the Central Statistics Office" in text
    assert "sent by pre-paid registered post" in text and "on the third Business Day after posting" in text
    assert "Data Protection Legislation: Regulation (EU) 2016/679 (the GDPR), the Data Protection Acts 1988 to 2018" in text
    # Article 28(3)(a) and (g): "Union or Member State law", not the law of the United Kingdom.
    assert "Where Union or Member State law to which the Provider is subject requires it" in processor
    assert "unless Union or Member State law requires the Provider to keep them" in processor
    assert "Article 28 of the GDPR" in processor and "outside the European Economic Area" in processor
    assert "Chapter V of the GDPR" in processor and "Commission Implementing Decision (EU) 2021/914" in processor
    assert "special category data under Article 9 of the GDPR" in text
    assert "examiner, receiver, liquidator" in text
    assert "United Kingdom" not in text


US_OWN = [
    "a federal holiday on which the Federal Reserve Banks are closed (New Year's Day,",
    "the Consumer Price Index for All Urban Consumers (CPI-U), U.S. city average, all items, published by the "
    "Bureau of Labor Statistics",
    "sent by certified mail, return receipt requested, sent by a nationally recognized overnight courier",
    "if sent by mail, at 9:00 AM on the third Business Day after mailing",
    "outside 9:00 AM to 5:00 PM on a Business Day",
    "makes a general assignment for the benefit of creditors",
    "including the United States Bankruptcy Code",
    "Draft for discussion only; not an offer; not binding until signed by both parties",
    # The starter's insurance, named as US insurers sell it.
    "Technology errors and omissions (professional liability)",
    "Workers' compensation at the statutory limits, and employer's liability",
    # A health customer's business associate terms (45 CFR 164.504(e)).
    "the Provider is the Customer's business associate",
    "breach of unsecured protected health information as 45 CFR 164.410 requires",
    "available to the Secretary of Health and Human Services",
]


@pytest.mark.parametrize("code, legal_rate, district", [
    ("US-IL", "the legal rate that 815 ILCS 205/2 provides", "the district that includes that county"),
    ("US-TX", "the legal rate that section 302.002 of the Texas Finance Code provides",
     "the district that includes that county"),
    ("US-CA", "the legal rate that section 3289 of the California Civil Code provides",
     "the district that includes that county"),
    ("US-NY", "the legal rate that sections 5001 and 5004 of the New York Civil Practice Law and Rules provides",
     "the district that includes that county"),
    ("US-DE", "the legal rate that the law of the State of Delaware provides", "the District of Delaware"),
    ("US-OH", "the legal rate that the law of the State of Ohio provides", "the district that includes that county"),
])
def test_every_us_state_has_us_business_days_a_lawful_late_charge_and_a_county(rendered, code, legal_rate, district):
    contract, texts, _ = rendered[code]
    text = everything(texts)
    state = contract.agreement.legal.short_name
    for phrase in US_OWN:
        assert phrase in text, phrase
    assert f"{legal_rate} for sums overdue under a contract" in text
    assert (f"the state courts located in the county where the Provider has its principal office in {state}, and "
            f"the United States District Court for {district}") in text
    hours = texts["support-hours"]
    assert re.search(r"\d{1,2}:\d\d\u202f?\s?AM to \d{1,2}:\d\d\u202f?\s?PM", hours), hours
    assert not re.search(r"\d\d:\d\d to", hours)


def test_a_named_county_gives_its_federal_district(rendered):
    text = everything(rendered["example"][1])
    assert ("the state courts located in Cook County, Illinois, and the United States District Court for the "
            "Northern District of Illinois") in text


def test_california_has_ccpa_terms_a_judicial_reference_and_no_non_solicitation(rendered):
    texts = rendered["US-CA"][1]
    assert "non-solicitation" not in texts and "jury-trial-waiver" not in texts
    assert "a referee appointed under section 638 of the California Code of Civil Procedure" in texts["judicial-reference"]
    ccpa = texts["ccpa-service-provider"]
    for phrase in ("service provider under the California Consumer Privacy Act",
                   "limited and specified business purposes",
                   "shall not sell or share the personal information",
                   "can no longer meet those obligations",
                   "require the Provider to stop that use, and the Provider shall stop it and help the Customer put "
                   "right its effects"):
        assert phrase in ccpa, phrase
    assert "ccpa-service-provider" not in rendered["US-TX"][1]


def test_texas_sets_the_limits_out_conspicuously_and_names_negligence(rendered):
    texts = rendered["US-TX"][1]
    assert "WHETHER IN CONTRACT, TORT (INCLUDING NEGLIGENCE), STRICT LIABILITY OR OTHERWISE, IS LIMITED TO" in texts["liability"]
    assert ("CAUSED IN WHOLE OR IN PART BY THE SOLE, JOINT, CONCURRENT OR COMPARATIVE NEGLIGENCE OF THE PARTY "
            "WHOSE LIABILITY IS LIMITED") in texts["express-negligence"]
    assert "under the Texas Data Privacy and Security Act (the TDPSA)" in texts["state-privacy-processor"]
    assert "state-privacy-processor" in rendered["US-DE"][1] and "state-privacy-processor" not in rendered["US-OH"][1]
    assert "under the Delaware Personal Data Privacy Act" in rendered["US-DE"][1]["state-privacy-processor"]
    assert "express-negligence" not in rendered["US-IL"][1]
    assert "non-solicitation" in texts  # allowed in Texas


def test_new_york_and_illinois_get_a_data_security_clause(rendered):
    assert "written information security program" in rendered["US-NY"][1]["data-security"]
    assert "Illinois Personal Information Protection Act" in rendered["US-IL"][1]["data-security"]
    assert "data-security" not in rendered["US-DE"][1]


def test_us_support_hours_and_maintenance_use_the_12_hour_clock(rendered):
    texts = rendered["example"][1]
    assert "Monday to Friday: 7:00 AM to 7:00 PM" in texts["support-hours"]
    assert "10:00 PM" in texts["maintenance"] and "22:00" not in texts["maintenance"]
    # The clause names the holidays the contract chose, as the closure annex does.
    assert "closed on the following public holidays: New Year's Day, Martin Luther King Jr. Day" in texts["support-hours"]
    assert "Monday to Friday: 09:00 to 17:30" in rendered["GB-EAW"][1]["support-hours"]


# ---- the foreign-law check in review ----------------------------------------------------------------

def test_review_blocks_an_override_pasting_english_law_into_a_us_contract(tmp_path):
    pasted = ("If the Customer pays late, the Provider may claim interest under the Late Payment of Commercial "
              "Debts (Interest) Act 1998. Notices go by recorded delivery.")
    text = US_EXAMPLE.read_text(encoding="utf-8") + (
        "\nclauses:\n"
        "  - {id: fees-and-payment, action: replace, reason: customer's paper,\n"
        f"     text: \"{pasted}\"}}\n")
    path = tmp_path / "us.yaml"
    path.write_text(text, encoding="utf-8")
    _, review = load_and_review(path)
    foreign = [i for i in review.items if i.kind == "foreign_law"]
    assert len(foreign) == 1 and foreign[0].blocking
    item = foreign[0]
    assert item.clause == "fees-and-payment" and item.path == "clauses[0]"
    assert item.line == text.splitlines().index("clauses:") + 2
    assert "'Late Payment of Commercial Debts', 'recorded delivery'" in item.message
    assert "the law of the State of Illinois" in item.message
    assert review.blocked


def test_a_house_library_extends_the_word_lists(tmp_path):
    law = tmp_path / "law"
    shutil.copytree(default_library().law_dir, law, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    us = law / "systems" / "us.yaml"
    us.write_text(us.read_text(encoding="utf-8") + "  - Attorney General of Texas\n", encoding="utf-8")
    assert "Attorney General of Texas" in load_law(law).foreign_words("GB-EAW")["us"]
    assert "Attorney General of Texas" not in load_law(default_library().law_dir).foreign_words("GB-EAW")["us"]


def test_a_law_file_with_an_unknown_fact_names_the_file(tmp_path):
    law = tmp_path / "law"
    shutil.copytree(default_library().law_dir, law, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    texas = law / "jurisdictions" / "US-TX.yaml"
    texas.write_text(texas.read_text(encoding="utf-8") + "jury_waver: none\n", encoding="utf-8")
    with pytest.raises(LawError, match=r"US-TX\.yaml: error: jury_waver: Extra inputs are not permitted"):
        load_law(law)


def test_library_check_reports_a_broken_law_file(tmp_path):
    from slagen.library.folder import open_library
    from slagen.library.initialise import init_library
    from slagen.pipeline.library_check import check_library

    init_library(tmp_path / "house", "House", "1.0")
    texas = tmp_path / "house" / "law" / "jurisdictions" / "US-TX.yaml"
    texas.write_text(texas.read_text(encoding="utf-8") + "jury_waver: none\n", encoding="utf-8")
    report = check_library(open_library(tmp_path / "house", "test"), render=False)
    assert [(p.file, p.message) for p in report.problems] == [
        (str(texas), "jury_waver: Extra inputs are not permitted")]


def test_the_library_hash_covers_the_law(tmp_path):
    from slagen.library.folder import open_library
    from slagen.library.initialise import init_library

    init_library(tmp_path / "house", "House", "1.0")
    assert (tmp_path / "house" / "law" / "systems" / "uk.yaml").is_file()
    before = open_library(tmp_path / "house", "test").content_hash()
    uk = tmp_path / "house" / "law" / "systems" / "uk.yaml"
    uk.write_text(uk.read_text(encoding="utf-8") + "  - Court of Session\n", encoding="utf-8")
    assert open_library(tmp_path / "house", "test").content_hash() != before


# ---- jurisdiction codes are never guessed -----------------------------------------------------------

def test_init_refuses_de_and_lists_what_it_could_mean(tmp_path):
    from typer.testing import CliRunner

    target = tmp_path / "c.yaml"
    result = CliRunner().invoke(app, ["init", str(target), "--jurisdiction", "DE"])
    assert result.exit_code == 2
    assert "'DE' could mean Germany" in result.output and "Delaware (US-DE)" in result.output
    assert not target.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("written, says", [
    ("IL", "'IL' could mean Israel"),  # a state's postal code that is also a country's
    ("CA", "'CA' could mean Canada"),
    ("France", "'France' is France, whose law slagen does not support"),
    ("DE-BY", "'DE-BY' is Germany, whose law slagen does not support"),
])
def test_a_code_that_is_a_country_or_ambiguous_is_a_located_error(tmp_path, written, says):
    from typer.testing import CliRunner

    text = US_EXAMPLE.read_text(encoding="utf-8").replace("  jurisdiction: US-IL\n", f"  jurisdiction: {written}\n")
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    line = text.splitlines().index(f"  jurisdiction: {written}") + 1
    assert result.exit_code == 2
    assert f"{path}:{line}:17: error: {says}" in " ".join(result.output.split())


def test_us_signature_blocks_follow_us_custom(rendered):
    from slagen.document import SignatureBlock, walk

    document = assemble(rendered["example"][0], "agreement")
    (block,) = [b for b in walk(document.blocks) if isinstance(b, SignatureBlock)]
    assert (block.heading, block.signature_label) == ("", "By")
    assert document.cover.legend == "Draft for discussion only; not an offer; not binding until signed by both parties"


def test_a_venue_county_outside_the_us_is_a_located_error(tmp_path):
    from typer.testing import CliRunner

    text = US_EXAMPLE.read_text(encoding="utf-8").replace("  jurisdiction: US-IL\n", "  jurisdiction: GB-SCT\n")
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if t.startswith("  venue_county:"))
    assert result.exit_code == 2
    assert f"{path}:{line}:17: error: a venue county is chosen only for a US state" in " ".join(result.output.split())
