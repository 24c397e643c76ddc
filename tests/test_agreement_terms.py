"""The English-law agreement as a provider's lawyer reads it, on the rendered examples.

One exit regime (no second period for the return, deletion or backups of the customer's data),
liability in tiers (the enhanced cap never below the general one), renewal by notice of
non-renewal with its last day, obligations in numbered paragraphs, limbs citable as 20.1(a) in
the PDF and the DOCX, customer-licensed platforms on their vendor's terms. Expected figures are
worked out by hand from the example files in the comments, never copied from the output.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from slagen.compose.assemble import assemble
from slagen.document import ListBlock, Paragraph, Section, Table, plain_text, walk
from slagen.library.contracts import load_contract

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ACME = EXAMPLES / "acme-dental.yaml"
SIGNABLE = ["acme-dental.yaml", "contoso-logistics-24x7.yaml", "lakeshore-legal-us.yaml", "small-office-minimal.yaml"]


@pytest.fixture(scope="module")
def agreements():
    return {name: assemble(load_contract(EXAMPLES / name), "agreement") for name in SIGNABLE}


@pytest.fixture(scope="module")
def acme_files():
    """acme's agreement rendered once, in process: {'pdf': text, 'docx': document.xml, 'numbering': ...}."""
    from slagen.pipeline.render import render_documents

    out = dict(render_documents(load_contract(ACME), ("agreement",), ("pdf", "docx")))
    pdf = out["NW-ACME-2027-01-agreement.pdf"]
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    with zipfile.ZipFile(BytesIO(out["NW-ACME-2027-01-agreement.docx"])) as z:
        return {"pdf": text.decode("utf-8"), "docx": z.read("word/document.xml").decode("utf-8"),
                "numbering": z.read("word/numbering.xml").decode("utf-8")}


def sections(document) -> dict[str, Section]:
    return {b.id: b for b in walk(document.blocks) if isinstance(b, Section)}


def sentences_of(section: Section) -> list[str]:
    out = []
    for block in walk(section.children):
        if isinstance(block, Paragraph):
            out += re.split(r"(?<=[.;])\s+", plain_text(block.inlines))
    return out


def number_of(document, clause_id: str) -> str:
    """The number a clause is cited by, from the document's own references to it."""
    from slagen.document import Reference

    found = {i.target: i.number for b in walk(document.blocks) if isinstance(b, Paragraph)
             for i in b.inlines if isinstance(i, Reference)}
    return found[clause_id]


# --------------------------------------------------------------------------------------------
# One exit regime

_EXIT_ACT = re.compile(r"\b(return\w*|delet\w*|destroy\w*|overwrit\w*|backups?)\b", re.I)
_PERIOD = re.compile(r"\b\d+ days?\b")


@pytest.mark.parametrize("name", SIGNABLE)
def test_one_clause_governs_return_deletion_and_backups(agreements, name):
    document = agreements[name]
    by_id = sections(document)
    assert "exit-data" in by_id
    # Outside the exit clause, no sentence gives a period to the return, deletion or backups of data at
    # the end. (backup-and-recovery keeps each backup for its retention while the services run: it
    # speaks of taking backups, not of the end; reporting, payment and notice periods name no such act.)
    for clause_id, section in by_id.items():
        if clause_id in ("exit-data", "backup-and-recovery") or section.annex and clause_id.startswith("annex-"):
            continue
        for sentence in sentences_of(section):
            if _EXIT_ACT.search(sentence) and _PERIOD.search(sentence) and "Customer Data" in sentence:
                pytest.fail(f"{clause_id} states an exit period outside the exit clause: {sentence}")


def test_the_exit_clause_takes_every_period_from_the_contract(agreements):
    text = "\n".join(sentences_of(sections(agreements["acme-dental.yaml"])["exit-data"]))
    # acme: data_election_days 14, data_return_days 30, receipt_days 10, deletion_days 30, backups kept 30 days.
    assert "Within 14 days after this Agreement ends, the Customer shall tell the Provider in writing" in text
    assert ("in PST files for mailboxes and the original file formats for documents, within 30 days after this "
            "Agreement ends") in text
    assert "Within 10 days after delivery, the Customer shall confirm receipt" in text
    assert "within 30 days after the Customer confirms receipt of the returned data" in text
    assert "overwritten in the Provider's ordinary rotation no later than 30 days after this Agreement ends" in text
    assert "a certificate, signed by one of its officers" in text
    assert "does not require the Provider to delete data that the law requires it to keep" in text
    # The contract's own disposal sentence is a term of this clause, not a clause of its own.
    assert "The Provider destroys any storage device that held Customer Data" in text


def test_the_processor_annex_and_confidentiality_refer_to_the_exit_clause(agreements):
    document = agreements["acme-dental.yaml"]
    by_id = sections(document)
    exit_number = number_of(document, "exit-data")
    annex = " ".join(sentences_of(by_id["processor-obligations"]))
    assert f"are governed by clause {exit_number} alone" in annex
    confidentiality = " ".join(sentences_of(by_id["confidentiality"]))
    assert f"its return, deletion and backups are governed by clause {exit_number}" in confidentiality
    assert "in the ordinary course" not in confidentiality


# --------------------------------------------------------------------------------------------
# Liability in tiers


@pytest.mark.parametrize("name", SIGNABLE)
def test_the_enhanced_cap_is_never_below_the_general_cap(agreements, name):
    text = " ".join(sentences_of(sections(agreements[name])["liability"]))
    contract = load_contract(EXAMPLES / name)
    if contract.liability.supercap_amount is None and contract.liability.supercap_multiple_of_annual_fees is None:
        assert "Enhanced Cap" not in text
        return
    assert "is limited to the greater of the General Cap and" in text
    assert "so that it is never lower than the General Cap" in text
    # The data-loss exclusion gives way to it, and the fees for the rest of the term are carved out.
    assert "Except for a Data Security Breach, the Provider is not liable for the loss" in text


def test_lost_fees_and_a_missing_backup_are_recoverable(agreements):
    text = " ".join(sentences_of(sections(agreements["acme-dental.yaml"])["liability"]))
    assert ("does not apply to the Provider's claim for the Fees that would have fallen due for the rest of the "
            "term then running") in text
    assert "where the Provider did not take or keep that backup, the reasonable cost of reconstructing" in text
    assert "fails in its purpose" in text


# --------------------------------------------------------------------------------------------
# Renewal by notice of non-renewal


@pytest.mark.parametrize("name, notice, deadline", [
    # acme: 1 January 2027 + 12 months = 1 January 2028; less 90 days: 28 (Oct 4-31) + 30 + 31 + 1 -> 3 October 2027.
    ("acme-dental.yaml", "90 days", "3 October 2027"),
    # contoso: 1 March 2027 + 36 months = 1 March 2030; less 180 days: 28 (Feb) + 31 + 31 + 30 + 31 + 29 (Sep 2-30)
    # -> 2 September 2029.
    ("contoso-logistics-24x7.yaml", "180 days", "2 September 2029"),
])
def test_renewal_has_a_non_renewal_notice_and_its_last_day(agreements, name, notice, deadline):
    by_id = sections(agreements[name])
    text = " ".join(sentences_of(by_id["term-and-renewal"]))
    assert f"written notice of non-renewal at least {notice} before the end of the term then running" in text
    assert f"that notice must be given no later than {deadline}" in text
    # No contract asks for termination for convenience, so none is offered.
    assert "without cause" not in " ".join(sentences_of(by_id["termination"]))


# --------------------------------------------------------------------------------------------
# Numbered obligations and lettered limbs

OBLIGATIONS = {
    "scope-of-services": "the Provider shall supply the following Services",
    "priorities": "The Provider shall use reasonable endeavours to meet the following Service Levels",
    "service-credits": "the Customer is entitled to a Service Credit",
    "insurance": "the Provider shall maintain with reputable insurers at least the following insurance",
    "customer-responsibilities": "The Customer shall:",
}


@pytest.mark.parametrize("clause_id", OBLIGATIONS)
def test_each_obligation_sits_in_a_numbered_paragraph(agreements, clause_id):
    section = sections(agreements["acme-dental.yaml"])[clause_id]
    [paragraph] = [b for b in section.children
                   if isinstance(b, Paragraph) and OBLIGATIONS[clause_id] in plain_text(b.inlines)]
    assert paragraph.numbered


def test_the_pdf_numbers_the_obligations_and_letters_the_limbs(acme_files):
    text = acme_files["pdf"]
    # scope of services is clause 5, priorities 10, customer responsibilities 16, insurance 27 (see the outline).
    assert re.search(r"(?m)^5\.1\s+From the Effective Date the Provider shall supply", text)
    assert re.search(r"(?m)^10\.1\s+The Provider shall use reasonable endeavours to meet the following", text)
    assert re.search(r"(?m)^16\.1\s+The Customer shall:\s+\(a\)\s+Name a contact", text)
    assert re.search(r"(?m)^27\.1\s+While this Agreement is in force and for one year", text)
    # A limb cited from another clause: users-and-credentials (17) cites security measures (20), limb (a).
    assert "the Provider's own staff use under clause 20.1(a)." in " ".join(text.split())
    assert re.search(r"(?m)^\s+\(a\)\s+access to the Customer's systems only by named members", text)


def test_the_docx_letters_limbs_with_word_numbering_and_cites_them(acme_files):
    xml, numbering = acme_files["docx"], acme_files["numbering"]
    # Word's own numbering: the second level of a list is lowerLetter printed as (a), not typed-in letters.
    assert re.search(r'<w:lvl w:ilvl="1">(?:(?!</w:lvl>).)*<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="\(%2\)"/>',
                     numbering)
    cite = re.search(r'<w:hyperlink w:anchor="([^"]+)"><w:r><w:t>20\.1\(a\)</w:t></w:r></w:hyperlink>', xml)
    assert cite, "the reference to limb 20.1(a) is not in the DOCX"
    target = re.search(r'<w:p><w:pPr><w:pStyle w:val="ListNumber"/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="\d+"/>'
                       r'</w:numPr>(?:(?!</w:p>).)*?<w:bookmarkStart w:id="\d+" w:name="' + re.escape(cite.group(1))
                       + r'"/><w:r><w:t>access to the Customer', xml)
    assert target, "the cited limb is not a Word-numbered list paragraph"
    assert "(a)" not in re.sub(r"<[^>]+>", "", target.group(0))  # the letter comes from the numbering


# --------------------------------------------------------------------------------------------
# Defined terms and third-party platforms


def test_credits_are_a_percentage_of_a_defined_monthly_fee(agreements):
    by_id = sections(agreements["acme-dental.yaml"])
    definitions = " ".join(plain_text(i) for b in walk(by_id["definitions"].children) if isinstance(b, ListBlock)
                           for item in b.items for p in item if isinstance(p, Paragraph) for i in [p.inlines])
    assert "Monthly Fee: the monthly service fee for the Services set out in the Statement of Work" in definitions
    credits = by_id["service-credits"]
    rows = [plain_text(row[1]) for b in credits.children if isinstance(b, Table) for row in b.rows]
    assert rows and all(r.endswith("of the Monthly Fee") for r in rows)
    assert "monthly fee" not in " ".join(sentences_of(credits))
    assert "then current rates" not in " ".join(sentences_of(by_id["termination"]))


def test_a_customer_licensed_platform_runs_on_its_vendors_terms(agreements):
    by_id = sections(agreements["acme-dental.yaml"])
    text = " ".join(sentences_of(by_id["third-party-platforms"]))
    assert "is the Customer's own processor" in text.replace("processes personal data as the Customer's own processor",
                                                             "is the Customer's own processor")
    assert "not counted as downtime when calculating Availability" in text
    assert "shall pass it on to the Customer in full" in text
    # Microsoft is the Customer's processor, so it is not the Provider's sub-processor.
    subs = " ".join(plain_text(c) for b in walk(by_id["sub-processors"].children) if isinstance(b, Table)
                    for row in b.rows for c in row)
    assert "Microsoft" not in subs and "Severn Data Vaults Ltd" in subs


def test_the_cover_and_the_definition_name_the_agreement_alike(agreements):
    document = agreements["acme-dental.yaml"]
    assert document.cover.title == "Managed IT Services Agreement" and document.cover.subtitle == ""
    definitions = "".join(plain_text(i) for b in walk(sections(document)["definitions"].children)
                          if isinstance(b, ListBlock) for item in b.items for p in item
                          if isinstance(p, Paragraph) for i in [p.inlines])
    assert "Agreement: this Managed IT Services Agreement, reference NW-ACME-2027-01" in definitions


# --------------------------------------------------------------------------------------------
# Redline author and date; the summary is not agreed text


def _edited_acme(tmp_path, *replacements: tuple[str, str], name: str = "new.yaml") -> Path:
    text = ACME.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _revision_stamps(docx: bytes) -> set[tuple[str, str]]:
    with zipfile.ZipFile(BytesIO(docx)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return set(re.findall(r'<w:(?:ins|del) w:id="\d+" w:author="([^"]*)" w:date="([^"]*)"', xml)), xml


def test_redline_changes_are_the_preparers_and_dated_the_document_date(tmp_path):
    from slagen.review.redline import build_redline, redline_docx

    old = load_contract(ACME)
    new = load_contract(_edited_acme(tmp_path, ("notice_days: 90", "notice_days: 60")))
    stamps, xml = _revision_stamps(redline_docx(build_redline(old, new)))
    # No prepared_by and no document_date in acme: the provider's name and the effective date.
    assert stamps == {("Northwind Managed Services Ltd", "2027-01-01T00:00:00Z")}
    assert "Changes at a glance" not in xml and "This redline shows the changes" not in xml
    prepared = load_contract(_edited_acme(
        tmp_path, ("notice_days: 90", "notice_days: 60"),
        ("  effective_date: 2027-01-01\n", "  effective_date: 2027-01-01\n  document_date: 2026-11-20\n"
                                           "  prepared_by: Sam Carter\n"), name="prepared.yaml"))
    stamps, _ = _revision_stamps(redline_docx(build_redline(old, prepared)))
    assert stamps == {("Sam Carter", "2026-11-20T00:00:00Z")}


def test_diff_takes_the_author_and_date_from_the_command_line(tmp_path):
    from typer.testing import CliRunner

    from slagen.cli import app

    new = _edited_acme(tmp_path, ("notice_days: 90", "notice_days: 60"))
    out = tmp_path / "redline.docx"
    done = CliRunner().invoke(app, ["diff", str(ACME), str(new), "--format", "docx", "-o", str(out),
                                    "--author", "Priya Shah", "--date", "2026-12-01"])
    assert done.exit_code == 0, done.output
    stamps, _ = _revision_stamps(out.read_bytes())
    assert stamps == {("Priya Shah", "2026-12-01T00:00:00Z")}
    bad = CliRunner().invoke(app, ["diff", str(ACME), str(new), "--format", "docx", "-o", str(out),
                                   "--date", "1 December"])
    assert bad.exit_code == 2 and "--date 1 December is not a date: write it as YYYY-MM-DD" in bad.output


# --------------------------------------------------------------------------------------------
# Two renders under one reference and version


def test_a_different_render_under_the_same_version_warns(tmp_path):
    from slagen.pipeline.render import same_version_changed
    from slagen.writers.docx import write_docx

    minimal = EXAMPLES / "small-office-minimal.yaml"
    first = write_docx(assemble(load_contract(minimal), "agreement"))
    target = tmp_path / "NW-BAKER-2027-01-agreement.docx"
    target.write_bytes(first)
    assert same_version_changed([(target, first)]) == []  # the same terms again: nothing to say
    edited = tmp_path / "edited.yaml"
    edited.write_text(minimal.read_text(encoding="utf-8").replace("for 8 users", "for 9 users"), encoding="utf-8")
    changed = write_docx(assemble(load_contract(edited), "agreement"))
    [warning] = same_version_changed([(target, changed)])
    assert warning.startswith(f"{target}: warning: this file already holds version 1.0 of NW-BAKER-2027-01 with "
                              "different content")
    bumped = tmp_path / "bumped.yaml"
    bumped.write_text(edited.read_text(encoding="utf-8").replace("  currency: GBP\n", "  currency: GBP\n  version: \"1.1\"\n", 1),
                      encoding="utf-8")
    assert "version: \"1.1\"" in bumped.read_text(encoding="utf-8")
    assert same_version_changed([(target, write_docx(assemble(load_contract(bumped), "agreement")))]) == []
