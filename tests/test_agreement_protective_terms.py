"""The protective terms a provider's lawyer looks for last: emergency maintenance with a monthly cap,
time lost to a Force Majeure Event kept out of the Service Levels in one place, staff transfer (TUPE
and its kin) named from the law data and left out where no such law exists, platform vendors kept
off the sub-processor list, and platforms printed by a readable name.

Each document is assembled once per module; expected words and numbers are worked out by hand from
the example files in the comments, never copied from the output.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from slagen.compose.assemble import assemble
from slagen.document import Paragraph, Reference, Section, Table, plain_text, walk
from slagen.errors import InvalidInput
from slagen.library.contracts import load_contract

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ACME = EXAMPLES / "acme-dental.yaml"


def sections(document) -> dict[str, Section]:
    return {b.id: b for b in walk(document.blocks) if isinstance(b, Section)}


def paragraphs(section: Section) -> list[Paragraph]:
    return [b for b in walk(section.children) if isinstance(b, Paragraph)]


def text_of(section: Section) -> str:
    return " ".join(plain_text(p.inlines) for p in paragraphs(section))


def cited(document) -> dict[str, str]:
    """{target: number} of every reference in the document: 'force-majeure' -> '30', 'staff-transfer#entry' -> '33.2'."""
    return {i.target: i.number for b in walk(document.blocks) if isinstance(b, Paragraph)
            for i in b.inlines if isinstance(i, Reference)}


@pytest.fixture(scope="module")
def acme():
    """acme-dental under the law of England and Wales, assembled once."""
    return assemble(load_contract(ACME), "agreement")


@pytest.fixture(scope="module")
def acme_pdf() -> str:
    """acme's agreement as the PDF prints it (one render in process, read back with pdftotext)."""
    from slagen.pipeline.render import render_documents

    out = dict(render_documents(load_contract(ACME), ("agreement",), ("pdf",)))
    pdf = out["NW-ACME-2027-01-agreement.pdf"]
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return " ".join(text.decode("utf-8").split())


@pytest.fixture(scope="module")
def by_law(tmp_path_factory):
    """The starter contract under each law whose staff-transfer rules differ, assembled once each."""
    from slagen.library.starters import starter_text

    folder = tmp_path_factory.mktemp("laws")
    out = {}
    for code in ("GB-SCT", "GB-NIR", "IE", "US-TX"):
        path = folder / f"{code}.yaml"
        path.write_text(starter_text(code), encoding="utf-8")
        contract = load_contract(path)
        out[code] = (contract, assemble(contract, "agreement"))
    return out


def contract_from(tmp_path: Path, base: str, old: str, new: str):
    text = (EXAMPLES / base).read_text(encoding="utf-8")
    assert text.count(old) == 1, "each edit changes one visible place"
    path = tmp_path / base
    path.write_text(text.replace(old, new), encoding="utf-8")
    return load_contract(path)


# --------------------------------------------------------------------------------------------
# Emergency maintenance


def test_emergency_maintenance_is_a_numbered_citable_paragraph_with_the_contracts_values(acme, acme_pdf):
    maintenance = sections(acme)["maintenance"]
    [defining] = [p for p in paragraphs(maintenance) if "(Emergency Maintenance)" in plain_text(p.inlines)]
    [capped] = [p for p in paragraphs(maintenance) if "in total in any calendar month" in plain_text(p.inlines)]
    assert defining.numbered and capped.numbered
    # acme: availability.emergency_maintenance: {notice: 1h, cap_per_month: 4h}; maintenance is clause 13,
    # its weekly window paragraph 13.1, so emergency maintenance is 13.2 and its cap 13.3 with limbs (a), (b).
    assert "at least 1 hour before the work starts" in acme_pdf
    assert re.search(r"13\.2 The Provider may carry out maintenance outside those windows where it must act at "
                     r"short notice to protect the Services or the Customer's systems", acme_pdf)
    assert re.search(r"13\.3 Emergency Maintenance notified as clause 13\.2 requires, up to 4 hours in total in any "
                     r"calendar month: \(a\) is not counted as downtime when calculating Availability; and \(b\) does "
                     r"not count towards the time taken to meet the Response and Resolution targets of an Incident "
                     r"that it causes\.", acme_pdf)
    assert "13.4 Emergency Maintenance beyond that total in a calendar month counts in full" in acme_pdf
    # The availability clause leaves out the periods the maintenance clause describes, by its number.
    assert "excluding the periods described in clause 13," in text_of(sections(acme)["availability"])


def test_the_notice_and_the_cap_are_printed_as_the_contract_writes_them(tmp_path):
    contract = contract_from(tmp_path, "acme-dental.yaml", "{notice: 1h, cap_per_month: 4h}",
                             "{notice: 45m, cap_per_month: 2h30m}")
    text = text_of(sections(assemble(contract, "agreement"))["maintenance"])
    assert "at least 45 minutes before the work starts" in text
    assert "up to 2 hours 30 minutes in total in any calendar month" in text


def test_emergency_maintenance_without_availability_targets_still_stops_the_clocks(tmp_path):
    # small-office-minimal promises no availability: only the response and resolution clocks are protected,
    # and neither Availability nor a planned window is mentioned.
    contract = contract_from(tmp_path, "small-office-minimal.yaml", "\ntermination:",
                             "\navailability:\n  emergency_maintenance: {notice: 2h, cap_per_month: 6h}\n\ntermination:")
    text = text_of(sections(assemble(contract, "agreement"))["maintenance"])
    assert ("up to 6 hours in total in any calendar month, does not count towards the time taken to meet the "
            "Response and Resolution targets of an Incident that it causes.") in text
    assert "Availability" not in text and "window" not in text
    assert "could have waited for a time agreed with the Customer" in text


@pytest.mark.parametrize("old, new, expected", [
    ("cap_per_month: 4h}", "cap_per_month: 800h}",
     "101:54: error: a monthly cap of 800h is longer than a month (744h), so it caps nothing"),
    ("{notice: 1h,", "{notice: 96h,",
     "101:35: error: emergency maintenance is work that cannot wait: notice of 96h is more than 72h"),
    ("{notice: 1h, cap_per_month: 4h}", "{notice: 1h}",
     "101:3: error: 'cap_per_month' is missing from availability.emergency_maintenance"),
    ("cap_per_month: 4h}", "cap_per_month: 4}", "101:54: error: 4 has no unit"),
])
def test_a_bad_emergency_value_is_an_error_at_its_line(old, new, expected):
    # Line 101 of acme-dental.yaml holds `emergency_maintenance: {notice: 1h, cap_per_month: 4h}`.
    text = ACME.read_text(encoding="utf-8")
    assert text.count(old) == 1
    with pytest.raises(InvalidInput) as caught:
        load_contract("contract.yaml", text.replace(old, new).encode("utf-8"))
    [problem] = caught.value.problems
    assert str(problem).startswith(f"contract.yaml:{expected}")


def test_the_report_says_how_emergency_maintenance_in_the_outage_file_counts():
    from slagen.report import build_report
    from slagen.report.document import report_document

    contract = load_contract(ACME)
    report = build_report(contract, EXAMPLES / "acme-dental-tickets-2027-03.csv", period="2027-03",
                          outages=EXAMPLES / "acme-dental-outages-2027-03.csv")
    document = report_document(report, charts=False)
    notes = [plain_text(b.inlines) for b in walk(document.blocks)
             if isinstance(b, Paragraph) and "emergency maintenance" in plain_text(b.inlines).lower()]
    # acme's cap is 4h, printed in the report's own duration style (tests/test_report_availability.py
    # works the figures out by hand).
    assert notes == [notes[0]] and ("Emergency maintenance (marked as emergency in the outage file) is not counted "
                                    "up to 4h 00m in total in a calendar month") in notes[0]


# --------------------------------------------------------------------------------------------
# Force majeure and the Service Levels: one place governs


def test_the_force_majeure_clause_keeps_lost_time_out_of_the_service_levels(acme, acme_pdf):
    force_majeure = sections(acme)["force-majeure"]
    [paragraph] = [p for p in paragraphs(force_majeure) if "does not count against that Service Level" in
                   plain_text(p.inlines)]
    assert paragraph.numbered
    # Force majeure is clause 30 (after non-solicitation, 29); its paragraph on the Service Levels is the 4th.
    assert cited(acme)["force-majeure"] == "30"
    assert re.search(r"30\.4 Time during which, and to the extent that, a Force Majeure Event prevents the Provider "
                     r"from meeting a Service Level does not count against that Service Level\. It does not count "
                     r"towards the time taken to meet the Response and Resolution targets of an Incident, is left "
                     r"out of the time measured when calculating Availability, and no Service Credit accrues for "
                     r"it\.", acme_pdf)


def test_other_clauses_refer_to_the_force_majeure_clause_instead_of_restating_it(acme):
    # They cite the clause, not its paragraph, so that a contract replacing the force-majeure wording
    # (a clause often negotiated) leaves no reference to a paragraph that is gone.
    by_id = sections(acme)
    assert "the time that clause 30 leaves out" in text_of(by_id["availability"])
    assert "no Service Credit accrues for time that clause 30 leaves out" in text_of(by_id["service-credits"])
    assert "counts against the Service Levels is governed by clause 30, not by this clause" in text_of(
        by_id["exclusions"])
    # No other clause says how a Force Majeure Event counts against a Service Level without citing clause 30.
    for clause_id, section in by_id.items():
        if clause_id in ("force-majeure", "definitions") or section.annex:
            continue
        for sentence in re.split(r"(?<=[.;])\s+", text_of(section)):
            if "Force Majeure" in sentence:
                assert "clause 30" in sentence, (clause_id, sentence)


def test_without_availability_targets_force_majeure_only_stops_the_clocks():
    document = assemble(load_contract(EXAMPLES / "small-office-minimal.yaml"), "agreement")
    text = text_of(sections(document)["force-majeure"])
    assert ("It does not count towards the time taken to meet the Response and Resolution targets of an "
            "Incident.") in text
    assert "Availability" not in text and "Service Credit" not in text


# --------------------------------------------------------------------------------------------
# Staff transfer


def test_english_law_has_staff_transfer_terms_at_entry_and_exit(acme, acme_pdf):
    section = sections(acme)["staff-transfer"]
    # Every paragraph of the clause is a numbered sub-clause, except the lower-case ends of sentences that a
    # list of limbs interrupted ("except to the extent ...", "in anonymised form ...").
    top = [b for b in section.children if isinstance(b, Paragraph)]
    assert [plain_text(b.inlines)[:12] for b in top if not b.numbered] == ["except to th", "in anonymise",
                                                                             "except to th"]
    assert sum(b.numbered for b in top) == 9
    text = text_of(section)
    assert ("under the Transfer of Undertakings (Protection of Employment) Regulations 2006 (the Transfer "
            "Regulations)") in text
    # Staff transfer is clause 33, after exit data (32); entry is 33.2, the Customer's indemnity 33.3, the
    # exit information 33.4, the stable team 33.5 and the Provider's indemnity 33.6.
    assert "33.1 The Parties do not intend the start of the Services, or their end, to transfer the employment" in acme_pdf
    assert re.search(r"33\.3 The Customer shall indemnify the Provider against the losses, .*? arising from: \(a\) "
                     r"the employment of a person described in clause 33\.2", acme_pdf)
    assert re.search(r"33\.4 Once either Party has given notice to end this Agreement", acme_pdf)
    assert re.search(r"33\.6 If the employment of a person employed by the Provider transfers to the Customer or a "
                     r"Replacement Supplier", acme_pdf)
    assert "who was not included in the information given under clause 33.4" in text
    # The indemnity for staff who move at the end survives the end, said in the clause itself.
    assert text.endswith("This clause continues after this Agreement ends.")


def test_a_contract_may_omit_staff_transfer_or_replace_force_majeure_without_dangling_references(tmp_path):
    text = ACME.read_text(encoding="utf-8") + (
        "\nclauses:\n"
        "  - {id: staff-transfer, action: omit, reason: No staff of the Customer or a previous supplier work on IT}\n"
        "  - id: force-majeure\n    action: replace\n    reason: The Customer's own wording\n    text: |\n"
        "      Neither Party is liable for a delay caused by events beyond its reasonable control.\n")
    path = tmp_path / "acme.yaml"
    path.write_text(text, encoding="utf-8")
    document = assemble(load_contract(path), "agreement")  # raises on a reference left dangling
    by_id = sections(document)
    assert "staff-transfer" not in by_id
    assert "the time that clause 30 leaves out" in text_of(by_id["availability"])


@pytest.mark.parametrize("code, regulations", [
    ("GB-SCT", "the Transfer of Undertakings (Protection of Employment) Regulations 2006 (the Transfer Regulations)"),
    ("GB-NIR", "the Transfer of Undertakings (Protection of Employment) Regulations 2006 and the Service Provision "
               "Change (Protection of Employment) Regulations (Northern Ireland) 2006 (the Transfer Regulations)"),
    ("IE", "the European Communities (Protection of Employees on Transfer of Undertakings) Regulations 2003 "
           "(S.I. No. 131 of 2003) (the Transfer Regulations)"),
])
def test_each_jurisdiction_names_its_own_transfer_regulations(by_law, code, regulations):
    _, document = by_law[code]
    assert regulations in text_of(sections(document)["staff-transfer"])


def test_a_us_agreement_has_no_staff_transfer_clause_and_stays_clean_of_foreign_law(by_law):
    from slagen.compose.library import load_library
    from slagen.review.foreign_law import foreign_law_hits

    contract, document = by_law["US-TX"]
    assert "staff-transfer" not in sections(document)
    everything = " ".join(plain_text(b.inlines) for b in walk(document.blocks) if isinstance(b, Paragraph))
    assert "Transfer Regulations" not in everything and "Transfer of Undertakings" not in everything
    assert foreign_law_hits(document, load_library().law(), "US-TX") == []
    # The English agreement's staff-transfer words are another system's to a US contract: the check knows them.
    foreign = load_library().law().foreign_words("US-TX")
    assert "Transfer of Undertakings (Protection of Employment)" in foreign["uk"]
    assert "Protection of Employees on Transfer of Undertakings" in foreign["ie"]


# --------------------------------------------------------------------------------------------
# Third-party platforms: the vendor is not a sub-processor; an unnamed platform has a readable name


def test_no_example_or_starter_lists_a_platform_vendor_as_a_sub_processor(tmp_path):
    from slagen.check import check_file
    from slagen.library.folder import default_library
    from slagen.library.starters import library_packages, starter_text

    files = sorted(EXAMPLES.glob("*.yaml"))
    for package in library_packages(default_library()):
        path = tmp_path / f"{package.id}.yaml"
        path.write_text(starter_text(package=package), encoding="utf-8")
        files.append(path)
    assert len(files) >= 8  # five examples and three starter packages
    for path in files:
        assert [f for f in check_file(path)[0] if f.rule == "SLA912"] == [], path.name


def test_a_contract_listing_the_platform_vendor_gets_the_warning(tmp_path):
    from slagen.check import check_file

    path = tmp_path / "acme.yaml"
    text = ACME.read_text(encoding="utf-8")
    old = "  sub_processors:\n"
    assert text.count(old) == 1
    path.write_text(text.replace(old, old + "    - {name: Microsoft Ireland Operations Ltd, purpose: Email hosting, "
                                            "location: Ireland}\n"), encoding="utf-8")
    [finding] = [f for f in check_file(path)[0] if f.rule == "SLA912"]
    assert finding.severity == "warning" and finding.path == "data_protection.sub_processors[0].name"


def _platform_names(document) -> list[str]:
    table = next(b for b in walk(sections(document)["third-party-platforms"].children) if isinstance(b, Table))
    return [plain_text(row[0]) for row in table.rows]


def test_an_unnamed_platform_is_printed_by_a_readable_name_never_its_id(tmp_path):
    # contoso's only SaaS component is {id: m365, kind: saas} with no name.
    contoso = assemble(load_contract(EXAMPLES / "contoso-logistics-24x7.yaml"), "agreement")
    assert _platform_names(contoso) == ["Cloud service"]
    annex = [plain_text(row[0]) for b in walk(sections(contoso)["environment-components"].children)
             if isinstance(b, Table) for row in b.rows]
    assert "Cloud service" in annex and "m365" not in annex
    # Two unnamed platforms are told apart by number, in the order the contract lists them; a named one
    # keeps its name.
    contract = contract_from(tmp_path, "contoso-logistics-24x7.yaml", "    - {id: m365, kind: saas, provider_availability: 99.9%}\n",
                             "    - {id: m365, kind: saas, provider_availability: 99.9%}\n"
                             "    - {id: crm, kind: saas}\n"
                             "    - {id: xero, kind: saas, name: Xero accounting, vendor: Xero Limited}\n")
    assert _platform_names(assemble(contract, "agreement")) == ["Cloud service 1", "Cloud service 2", "Xero accounting"]
