"""The protective terms: each clause is in the agreement, says what the contract's values say, and
contracts written before these terms existed still validate and render.

Expected wording is written out by hand from the example files (a cap of 100% with a floor of
£100,000.00, payment in 30 days, CPI capped at 5%, ...), never copied from rendered output.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from slagen.compose.assemble import assemble
from slagen.document import Paragraph, Section, Table, plain_text, walk
from slagen.errors import InvalidInput
from slagen.library.contracts import load_contract
from slagen.model.defaults import defaults_relied_on

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ACME = EXAMPLES / "acme-dental.yaml"
CONTOSO = EXAMPLES / "contoso-logistics-24x7.yaml"
MINIMAL = EXAMPLES / "small-office-minimal.yaml"


def block_text(block) -> str:
    if isinstance(block, Paragraph):
        return plain_text(block.inlines)
    if isinstance(block, Table):
        rows = (block.header, *block.rows)
        return "\n".join(" | ".join(plain_text(cell) for cell in row) for row in rows)
    return ""


def section(document, section_id: str) -> str:
    """All the text of one clause (paragraphs and table rows), one block a line."""
    found = next((b for b in walk(document.blocks) if isinstance(b, Section) and b.id == section_id), None)
    assert found is not None, f"clause '{section_id}' is not in the document"
    return "\n".join(t for t in (block_text(b) for b in walk(found.children)) if t)


def clause_ids(document) -> set[str]:
    return {b.id for b in walk(document.blocks) if isinstance(b, Section)}


def variant(tmp_path, source: Path, *replacements: tuple[str, str], extra: str = "") -> Path:
    text = source.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "contract.yaml"
    path.write_text(text + extra, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def acme():
    return assemble(load_contract(ACME), "agreement")


@pytest.fixture(scope="module")
def contoso():
    return assemble(load_contract(CONTOSO), "agreement")


@pytest.fixture(scope="module")
def minimal():
    return assemble(load_contract(MINIMAL), "agreement")


PROTECTIVE = ("precedence", "fees-and-payment", "suspension", "confidentiality", "intellectual-property",
              "liability", "insurance", "subcontracting-and-assignment", "force-majeure", "termination",
              "survival", "dispute-escalation", "notices", "entire-agreement", "general-terms", "governing-law")


@pytest.mark.parametrize("example", [ACME, CONTOSO, MINIMAL], ids=lambda p: p.stem)
def test_every_example_carries_every_protective_clause(example):
    ids = clause_ids(assemble(load_contract(example), "agreement"))
    assert set(PROTECTIVE) <= ids


# --------------------------------------------------------------------------------------------
# Service levels: reasonable endeavours, and credits as the sole remedy


@pytest.mark.parametrize("example", [ACME, CONTOSO, MINIMAL], ids=lambda p: p.stem)
def test_service_levels_are_reasonable_endeavours_and_not_in_themselves_a_breach(example):
    text = section(assemble(load_contract(example), "agreement"), "priorities")
    assert "shall use reasonable endeavours to meet the following Service Levels" in text
    assert "shall meet" not in text
    assert "measured over each calendar month" in text
    assert "A failure to meet a Service Level is not in itself a breach of this Agreement." in text


def test_credits_and_persistent_failure_are_the_sole_remedy_for_every_service_level(acme):
    text = section(acme, "priorities")
    assert "are the Customer's sole and exclusive remedies for a failure to meet any Service Level, whether a " \
           "Response, Resolution or update target or an availability target." in text
    credits = section(acme, "service-credits")
    assert "sole and exclusive financial remedy for a failure to meet a Service Level" in credits
    assert "not an estimate of the Customer's loss or a penalty" in credits
    assert "Service Credits count towards the Provider's total liability" in credits


def test_without_credits_or_a_persistent_failure_right_no_damages_for_a_missed_service_level(minimal):
    text = section(minimal, "priorities")
    assert "gives the Customer no right to damages or to end this Agreement" in text
    assert "Service Credit" not in text


# --------------------------------------------------------------------------------------------
# Liability


@pytest.mark.parametrize("example", [ACME, CONTOSO, MINIMAL], ids=lambda p: p.stem)
def test_the_carve_outs_the_law_requires_and_the_exclusions_are_always_there(example):
    text = section(assemble(load_contract(example), "agreement"), "liability")
    assert "death or personal injury caused by its negligence" in text
    assert "for fraud or fraudulent misrepresentation" in text
    assert "any other liability that cannot be limited or excluded by law" in text
    assert "any indirect or consequential loss" in text
    assert "loss of profit, revenue, business, contracts, goodwill or anticipated savings" in text
    assert "do not apply to the Customer's obligation to pay the Fees" in text
    assert "every term that statute or the common law would otherwise imply into it is excluded" in text


def test_acme_cap_is_the_greater_of_its_floor_and_a_year_of_fees_with_a_supercap(acme):
    text = section(acme, "liability")
    # liability: {cap_multiple_of_annual_fees: 1, cap_amount: 100000.00, supercap_multiple_of_annual_fees: 2,
    #             supercap_amount: 250000.00}
    assert ("is limited to the greater of £100,000.00 and 100% of the Fees paid and payable in the 12 months "
            "immediately before the event giving rise to the claim (the General Cap).") in text
    assert "for an event in the first 12 months after the Effective Date" in text
    assert ("Each Party's total liability for a Data Security Breach is limited to the greater of the General Cap "
            "and the greater of £250,000.00 and 200% of the Fees paid and payable in the 12 months immediately "
            "before the event giving rise to the claim (the Enhanced Cap), so that it is never lower than the "
            "General Cap.") in text
    # Acme's Provider is obliged to back up, so a loss of data costs at most a restore from that backup.
    assert "restoring the Customer Data from the latest backup that the Provider was required to take" in text


def test_a_fixed_cap_alone_is_that_amount(contoso):
    text = section(contoso, "liability")
    assert "is limited to £750,000.00." in text
    assert "12 months" not in text  # no multiple of the fees, and no supercap
    assert "Enhanced Cap" not in text and "General Cap" not in text


def test_minimal_contract_relies_on_a_cap_of_one_year_of_fees_and_keeps_its_own_backups(minimal):
    text = section(minimal, "liability")
    assert ("is limited to 100% of the Fees paid and payable in the 12 months immediately before the event "
            "giving rise to the claim.") in text
    assert "The Customer is responsible for keeping backups of the Customer Data." in text
    assert "the greater of" not in text


# --------------------------------------------------------------------------------------------
# Fees, late payment, price review, suspension, termination for non-payment and insolvency


def test_acme_fees_statutory_interest_and_a_cpi_review(acme):
    text = section(acme, "fees-and-payment")
    assert "within 30 days after receiving it" in text
    assert "exclusive of value added tax" in text
    assert "under the Late Payment of Commercial Debts (Interest) Act 1998" in text
    assert "consumer prices index (CPI) published by the Office for National Statistics" in text
    assert "by giving the Customer written notice of at least 30 days" in text
    assert "shall in no case exceed 5%." in text


def test_contoso_fees_contract_rate_and_a_cpih_review(contoso):
    text = section(contoso, "fees-and-payment")
    assert "within 45 days after receiving it" in text
    assert "at 4% a year above the Bank of England base rate" in text
    assert "a substantial remedy for late payment" in text
    assert "(CPIH)" in text and "written notice of at least 60 days" in text and "exceed 4%." in text
    sow = assemble(load_contract(CONTOSO), "sow")
    assert "within 45 days after receiving it" in section(sow, "sow-fees")


def test_fixed_fees_when_the_price_review_is_switched_off(tmp_path):
    path = variant(tmp_path, ACME, ("  price_review: {index: CPI, cap_percent: 5%, notice_days: 30}\n",
                                    "  price_review: null\n"))
    text = section(assemble(load_contract(path), "agreement"), "fees-and-payment")
    assert "The Fees shall not change during the term of this Agreement" in text
    assert "prices index" not in text


def test_suspension_and_termination_for_non_payment_and_insolvency(acme):
    assert "written notice of at least 14 days of its intention to do so" in section(acme, "suspension")
    text = section(acme, "termination")
    assert "within 30 days after the Provider has reminded it in writing that the invoice is overdue" in text
    assert "unable to pay its debts as they fall due" in text
    assert "has an administrator, receiver, liquidator or similar officer appointed" in text


def test_persistent_failure_is_tied_to_attainment(acme):
    text = section(acme, "termination")
    # repeated_breach: {attainment_below: 90%, months: 3, within_months: 6}
    assert ("if the Service Level Attainment for the same Response or Resolution target is below 90% in 3 or more "
            "of any 6 consecutive calendar months") in text
    assert "misses its availability target in 3 or more of any 6 consecutive calendar months" in text
    assert "Service Level Attainment:" in section(acme, "definitions")


# --------------------------------------------------------------------------------------------
# Insurance, non-solicitation, escalation, force majeure, notices and the boilerplate


def test_insurance_lists_each_cover_with_its_amount(acme, minimal):
    text = section(acme, "insurance")
    assert "Professional indemnity | £2,000,000.00 for each claim" in text
    assert "Public liability | £5,000,000.00 for each claim" in text
    assert "Employer's liability | £10,000,000.00 for each claim" in text
    assert "Cyber liability | £1,000,000.00 in total for all claims in each policy year" in text
    assert "the insurance that a prudent supplier of similar services would hold" in section(minimal, "insurance")


def test_non_solicitation_only_when_agreed(acme, minimal):
    assert "for 12 months after it ends" in section(acme, "non-solicitation")
    assert "general advertisement" in section(acme, "non-solicitation")
    assert "non-solicitation" not in clause_ids(minimal)


def test_escalation_steps_and_days(acme, minimal):
    text = section(acme, "dispute-escalation")
    assert "the account manager of each Party, within 10 days;" in text
    assert "a director of each Party, within 15 days." in text
    assert "until every step above has been completed" in text
    default = section(minimal, "dispute-escalation")
    assert "the contract managers of the Parties, within 10 days;" in default
    assert "a senior executive of each Party, within 10 days." in default


def test_each_escalation_step_is_its_own_numbered_item(acme):
    from slagen.document import ListBlock

    found = next(b for b in walk(acme.blocks) if isinstance(b, Section) and b.id == "dispute-escalation")
    [steps] = [b for b in walk(found.children) if isinstance(b, ListBlock)]
    assert steps.ordered
    assert [block_text(item[0]) for item in steps.items] == [
        "the account manager of each Party, within 10 days;", "a director of each Party, within 15 days."]


def test_force_majeure_is_defined_does_not_excuse_payment_and_ends_the_agreement(acme, minimal):
    assert "Force Majeure Event: an event or circumstance beyond the reasonable control" in section(acme, "definitions")
    text = section(acme, "force-majeure")
    assert "does not excuse a failure or delay in paying money" in text
    assert "for more than 60 days in a row" in text
    assert "for more than 90 days in a row" in section(minimal, "force-majeure")


def test_notices_have_deemed_receipt_for_each_means(acme):
    text = section(acme, "notices")
    assert "if delivered by hand, when it is left at the address" in text
    assert "if sent by post, at 09:00 on the second Business Day after posting" in text
    assert "if sent by email, when it is sent" in text
    assert "sam.carter@northwind.example for the Provider and priya.shah@acmedental.example for the Customer" in text
    assert "sending it by email alone is not enough" in text


def test_boilerplate_under_english_law(acme):
    entire = section(acme, "entire-agreement")
    assert "it has not relied on any statement, representation, assurance or warranty" in entire
    assert "Nothing in this clause limits or excludes liability for fraud" in entire
    general = section(acme, "general-terms")
    assert "no right under the Contracts (Rights of Third Parties) Act 1999" in general
    assert "any number of counterparts" in general and "electronic signature" in general
    assert "signed by an authorised representative of each Party" in general
    assert "governed by the law of England and Wales" in section(acme, "governing-law")
    precedence = section(acme, "precedence")
    assert precedence.index("the clauses of this Agreement") < precedence.index("the Statement of Work.")
    assert "Customer Data" in section(acme, "intellectual-property")


def test_the_statement_of_work_varies_only_as_the_agreement_does_and_recurring_reports_need_no_acceptance():
    sow = assemble(load_contract(ACME), "sow")
    assert "signed by an authorised representative of each Party" in section(sow, "sow-change-control")
    assert "agreed in writing" not in section(sow, "sow-change-control")
    acceptance = section(sow, "sow-acceptance")
    assert "Reports, reviews and other Deliverables that recur throughout the term" in acceptance
    assert "are not subject to acceptance" in acceptance


# --------------------------------------------------------------------------------------------
# The data processing annex: every item of UK GDPR Article 28(3)

ARTICLE_28_3 = {
    "subject matter": ("processing-particulars", "Subject matter | The personal data held in"),
    "duration": ("processing-particulars", "Duration | The term of this Agreement"),
    "nature": ("processing-particulars", "Nature of the processing | Storage, backup and restoration"),
    "purpose": ("processing-particulars", "Purpose of the processing | Supplying the Services"),
    "types of personal data": ("processing-particulars", "Types of personal data | names, contact details and "
                               "dates of birth, dental and medical records (special category data concerning "
                               "health) and appointment, treatment and billing records"),
    "categories of data subjects": ("processing-particulars", "Categories of data subjects | patients of the "
                                    "Customer's practices and the Customer's clinicians and other staff"),
    "(a) documented instructions": ("processor-obligations", "only on the Customer's documented instructions"),
    "(b) confidentiality of personnel": ("processor-obligations", "is bound by a duty of confidentiality"),
    "(c) security, Article 32": ("processor-obligations", "all the measures required by Article 32 of the UK GDPR"),
    "(d) sub-processor authorisation": ("processor-obligations", "general written authorisation to engage "
                                        "sub-processors"),
    "(d) notice and objection": ("processor-obligations", "at least 30 days before it takes effect. The Customer "
                                 "may object"),
    "(d) flow-down": ("processor-obligations", "impose on each sub-processor, by a written contract"),
    "(e) data subject rights": ("processor-obligations", "requests from data subjects to exercise their rights"),
    "(f) Articles 32 to 36": ("processor-obligations", "obligations under Articles 32 to 36 of the UK GDPR"),
    "(g) deletion or return": ("processor-obligations", "at the Customer's choice, return the personal data to the "
                               "Customer or delete it, and shall then delete the remaining copies"),
    "(h) audits and information": ("processor-obligations", "allow for and contribute to audits, including "
                                   "inspections"),
    "international transfers": ("processor-obligations", "shall not transfer the personal data outside the "
                                "United Kingdom"),
}


@pytest.mark.parametrize("item", ARTICLE_28_3, ids=list(ARTICLE_28_3))
def test_the_data_processing_annex_covers_article_28_3(acme, item):
    clause, words = ARTICLE_28_3[item]
    assert words in section(acme, clause)


def test_the_annex_lists_the_sub_processors_from_the_contract(acme):
    text = section(acme, "sub-processors")
    # Microsoft 365 is the Customer's own platform (licensed_by: customer): Microsoft is not listed.
    assert "Microsoft" not in text
    assert "Severn Data Vaults Ltd | Storage of encrypted off-site backups | United Kingdom" in text


def test_deletion_never_comes_before_return(acme):
    text = section(acme, "exit-data")
    # Live copies go 30 days after the Customer confirms receipt of the returned data, never before.
    assert ("delete the Customer Data from its live systems within 30 days after the Customer confirms receipt of "
            "the returned data") in text
    assert "governed by clause" in section(acme, "processor-obligations")


def test_specific_authorisation_needs_consent_for_each_new_sub_processor(contoso):
    text = section(contoso, "processor-obligations")
    assert "without the Customer's prior specific written authorisation" in text
    assert "general written authorisation" not in text


def test_no_personal_data_means_no_data_processing_annex(minimal):
    ids = clause_ids(minimal)
    assert not ids & {"data-protection", "annex-data-processing", "processing-particulars",
                      "processor-obligations", "sub-processors"}
    assert "Data Protection Legislation" not in section(minimal, "definitions")


# --------------------------------------------------------------------------------------------
# Contracts written before these terms


OLD_FORM = ("    repeated_breach: {attainment_below: 90%, months: 3, within_months: 6}\n",
            "    repeated_breach: {count: 3, within_months: 6}\n")


def test_the_old_repeated_breach_form_still_validates_and_renders(tmp_path):
    contract = load_contract(variant(tmp_path, ACME, OLD_FORM))
    rule = contract.termination.for_cause.repeated_breach
    assert (rule.count, rule.within_months, rule.attainment_below) == (3, 6, None)
    document = assemble(contract, "agreement")
    assert "fails to meet the same Service Level 3 or more times within any period of 6 months" in \
        section(document, "termination")
    assert "Service Level Attainment" not in section(document, "definitions")


def test_payment_days_written_in_the_statement_of_work_still_count(tmp_path):
    path = variant(tmp_path, ACME, ("fees:\n  payment_days: 30\n", "fees:\n"),
                   ("    out_of_hours_hourly: 135.00\n", "    out_of_hours_hourly: 135.00\n    payment_terms_days: 45\n"))
    contract = load_contract(path)
    assert contract.fees.payment_days == 45
    assert "within 45 days after receiving it" in section(assemble(contract, "agreement"), "fees-and-payment")
    assert "within 45 days after receiving it" in section(assemble(contract, "sow"), "sow-fees")


def test_payment_days_given_twice_must_agree(tmp_path):
    path = variant(tmp_path, ACME, ("    out_of_hours_hourly: 135.00\n",
                                    "    out_of_hours_hourly: 135.00\n    payment_terms_days: 45\n"))
    with pytest.raises(InvalidInput) as caught:
        load_contract(path)
    message = str(caught.value)
    assert "the payment period is 30 days here but 45 days in sow.fees.payment_terms_days" in message
    line = path.read_text().splitlines().index("  payment_days: 30") + 1
    assert f":{line}:" in message


@pytest.mark.parametrize(
    "old, new, message",
    [
        (OLD_FORM[0], "    repeated_breach: {attainment_below: 90%, months: 3, count: 3, within_months: 6}\n",
         "write either 'attainment_below' with 'months', or the older 'count', not both"),
        (OLD_FORM[0], "    repeated_breach: {attainment_below: 90%, within_months: 6}\n",
         "'attainment_below' and 'months' go together"),
        (OLD_FORM[0], "    repeated_breach: {attainment_below: 90%, months: 7, within_months: 6}\n",
         "7 months cannot fall within 6 months"),
        ("  late_payment_interest: statutory", "  late_payment_interest: soon",
         "'soon' is not a late payment rate"),
        ("  cap_amount: 100000.00               #", "  cap_multiple_of_annual_fees: 1.5    #",
         "'cap_multiple_of_annual_fees' is given twice"),
        ("  - {type: cyber, amount: 1000000.00, basis: aggregate}", "  - {type: cyber, amount: lots}",
         "'lots' is not an amount of money"),
        ("  supercap_multiple_of_annual_fees: 2 #", "  supercap_multiple_of_annual_fees: 200% #",
         "'200%' is not a multiple of the yearly fees: write a number such as 1 (100%) or 1.5"),
        ("  supercap_multiple_of_annual_fees: 2 #", "  supercap_multiple_of_annual_fees: 0 #",
         "0 is not a sensible multiple of the yearly fees"),
    ],
)
def test_mistakes_in_the_new_terms_are_reported_in_words(tmp_path, old, new, message):
    text = ACME.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    with pytest.raises(InvalidInput) as caught:
        load_contract(variant(tmp_path, ACME, (old, new)))
    assert message in str(caught.value)


def test_a_liability_section_without_any_cap_is_refused(tmp_path):
    path = variant(tmp_path, MINIMAL, extra="\nliability: {cap_multiple_of_annual_fees: null}\n")
    with pytest.raises(InvalidInput) as caught:
        load_contract(path)
    assert "the liability cap needs 'cap_multiple_of_annual_fees' or 'cap_amount'" in str(caught.value)


# --------------------------------------------------------------------------------------------
# The defaults a contract relies on


def test_a_contract_without_the_new_sections_relies_on_every_default():
    paths = [path for path, _ in defaults_relied_on(load_contract(MINIMAL))]
    assert paths == [
        "fees.payment_days", "fees.late_payment_interest", "fees.price_review", "fees.suspension_notice_days",
        "liability.cap_multiple_of_annual_fees", "liability.supercap_multiple_of_annual_fees", "insurance",
        "non_solicitation", "disputes.escalation", "force_majeure.termination_after_days",
        "termination.non_payment_days",
    ]
    words = dict(defaults_relied_on(load_contract(MINIMAL)))
    assert words["liability.cap_multiple_of_annual_fees"] == (
        "each party's liability is capped at 100% of the fees paid and payable in the 12 months before the claim")
    assert words["fees.payment_days"] == "invoices are due 30 days after receipt"
    assert words["fees.price_review"] == ("a yearly increase of up to the rise in the governing law's consumer price index (CPI), "
                                          "never more than 5%, on 30 days' notice")


def test_acme_writes_nearly_every_term_out():
    assert defaults_relied_on(load_contract(ACME)) == [
        ("termination.non_payment_days",
         "the provider may end the agreement when an invoice is unpaid 30 days after a written reminder"),
        ("data_protection.sub_processor_notice_days", "30 days' notice of a new sub-processor"),
    ]


def test_a_value_written_out_is_not_a_default_even_when_it_equals_one(tmp_path):
    path = variant(tmp_path, ACME, ("  notice_days: 90\n", "  notice_days: 90\n  non_payment_days: 30\n"))
    assert "termination.non_payment_days" not in dict(defaults_relied_on(load_contract(path)))


def test_a_fixed_cap_is_not_listed_as_the_default_multiple():
    paths = dict(defaults_relied_on(load_contract(CONTOSO)))
    assert "liability.cap_multiple_of_annual_fees" not in paths
    assert load_contract(CONTOSO).liability.cap_multiple_of_annual_fees is None
    assert load_contract(CONTOSO).liability.cap_amount == Decimal("750000.00")


# --------------------------------------------------------------------------------------------
# Every combination of the conditional clauses renders


def cut(text: str, start: str, up_to: str) -> str:
    """``text`` without the lines from ``start`` up to (not including) ``up_to``."""
    return text[:text.index(start)] + text[text.index(up_to):]


COMBINATIONS = {
    "old repeated breach": [OLD_FORM],
    "no for-cause termination": [("  for_cause:\n    cure_days: 30\n"
                                  "    repeated_breach: {attainment_below: 90%, months: 3, within_months: 6}\n", "")],
    "no availability": [],
    "no backup": [("  backup: {frequency: 12h, retention_days: 30, offsite: true}\n", "")],
    "no sub-processors": [],
    "no personal data": [("  personal_data: true", "  personal_data: false")],
    "specific sub-processor consent": [("  sub_processor_authorisation: general",
                                        "  sub_processor_authorisation: specific")],
    "no data return": [("  data_return_days: 30\n", "")],
    "no availability targets": [("    availability: 99.9%\n  - id: files", "  - id: files"),
                                ("    availability: 99.9%\n  - id: remote", "  - id: remote"),
                                ("    availability: 99.9%\n", "")],
    "no statement of work": [],
    "fixed fees and contract rate": [("  late_payment_interest: statutory", "  late_payment_interest: 3.5%"),
                                     ("  price_review: {index: CPI, cap_percent: 5%, notice_days: 30}\n", "")],
}


@pytest.mark.parametrize("name", COMBINATIONS)
def test_each_combination_of_conditions_renders(tmp_path, name):
    text = ACME.read_text(encoding="utf-8")
    for old, new in COMBINATIONS[name]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    if name == "no availability":
        text = cut(text, "availability:\n  measured_over", "customer_responsibilities:")
    if name == "no sub-processors":
        text = cut(text, "  sub_processors:\n", "  sub_processor_authorisation:")
    if name == "no statement of work":
        text = cut(text, "sow:\n", "# The commercial")
    path = tmp_path / "contract.yaml"
    path.write_text(text, encoding="utf-8")
    document = assemble(load_contract(path), "agreement")
    assert set(PROTECTIVE) <= clause_ids(document)
    if name == "no sub-processors":
        assert "engages no sub-processor" in section(document, "sub-processors")
    if name == "no availability":
        assert "availability target" not in section(document, "priorities")
    if name == "no availability targets":
        assert not clause_ids(document) & {"availability", "service-credits"}
        assert "Service Credit" not in section(document, "definitions") + section(document, "liability")
    if name == "no personal data":
        assert "annex-data-processing" not in clause_ids(document)
    if name == "no statement of work":
        assert "The Provider shall invoice the Fees monthly in advance." in section(document, "fees-and-payment")


def test_the_starter_renders_with_its_protective_terms(tmp_path):
    from typer.testing import CliRunner

    from slagen.cli import app

    path = tmp_path / "starter.yaml"
    assert CliRunner().invoke(app, ["init", str(path)]).exit_code == 0
    document = assemble(load_contract(path), "agreement")
    assert set(PROTECTIVE) <= clause_ids(document)
    assert "Professional indemnity | £1,000,000.00 for each claim" in section(document, "insurance")


def test_the_reference_agreement_is_byte_identical_twice():
    from slagen.writers.docx import write_docx

    first = write_docx(assemble(load_contract(ACME), "agreement"))
    second = write_docx(assemble(load_contract(ACME), "agreement"))
    assert first == second
