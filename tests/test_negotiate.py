"""Negotiation round trip: a rendered agreement marked up as Word and LibreOffice save it, read back.

The agreement is rendered once; the customer's edits are written into it the way the two word
processors write them (tests/negotiate_markup.py). The clause numbers expected are counted from
the document tree by a plain loop here, not by slagen's own place-finding.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from conftest import EXAMPLES, requires_libreoffice
from negotiate_markup import MarkUp
from slagen.document import Paragraph, Section, plain_text
from slagen.errors import UsageError
from slagen.library.contracts import load_contract
from slagen.negotiate.changes import classify, expected_document, read_changes, value_paths
from slagen.negotiate.reader import NotReadable, read_marked_up

CUSTOMER = "Priya Shah (Acme Dental)"
PROVIDER = "Northwind Managed Services Ltd"

# The Acme Dental example with an on-call rota and a busier desk: 500 P3 tickets a month keep a
# 30-minute P1 response within what four technicians can answer (fewer than 5% wait longer),
# but not a 15-minute one (SLA702, the Erlang C estimate).
def _contract_text() -> str:
    text = (EXAMPLES / "acme-dental.yaml").read_text(encoding="utf-8")
    text = text.replace("on_call_out_of_hours: false", "on_call_out_of_hours: true")
    text = text.replace("P3: 60, P4: 40", "P3: 500, P4: 40")
    assert "on_call_out_of_hours: true" in text and "P3: 500" in text
    return text


WORDING = ("the Provider is not liable for the loss, destruction", "beyond the reasonable cost",
           "including the reasonable cost")
# Struck from the general cap's paragraph: the limit's look-back rule (striking the whole sentence
# would also strike the General Cap's definition, which the Enhanced Cap uses).
CAP = ("each Party's total liability arising under",
       "Where there are several claims, the 12 months are those before the event giving rise to the first of them")
MOVED = ("Performance against each Service Level", "A failure to meet a Service Level is not in itself a breach of "
         "this Agreement.")
LIMITS = "The limits in this clause do not apply"
UNTRACKED = ("A Party affected by a Force Majeure Event", "promptly", "within a week")
SPLIT = "For each Incident, the time counted"
ADDED = "The Provider shall keep its insurance in force."
COMMENT = "Please confirm this covers VAT."


@pytest.fixture(scope="module")
def contract_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("negotiate") / "acme.yaml"
    path.write_text(_contract_text(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def contract(contract_file):
    return load_contract(contract_file)


@pytest.fixture(scope="module")
def sent(contract):
    """(document tree, the DOCX sent to the customer)."""
    return expected_document(contract, "agreement")


def _mark_up(sent_docx: bytes, document, *, libreoffice: bool = False) -> bytes:
    m = MarkUp(sent_docx, author=CUSTOMER)
    m.track_value(value_paths(document).index("priorities[0].response"), "15 minutes")  # a table cell
    m.split_runs(SPLIT)
    m.track_replace(WORDING[0], WORDING[1], WORDING[2])
    m.track_replace(CAP[0], CAP[1], "")
    m.track_move(MOVED[0], MOVED[1], LIMITS, "the Fees")
    m.comment(LIMITS, "the Fees", COMMENT)
    m.track_new_paragraph(LIMITS, ADDED)
    m.untracked(*UNTRACKED)
    if libreoffice:
        m.as_libreoffice_saves()
    return m.save()


@pytest.fixture(scope="module")
def word_file(sent):
    return _mark_up(sent[1], sent[0])


@pytest.fixture(scope="module")
def reading(sent, word_file, contract):
    document, docx = sent
    return classify(read_marked_up(word_file, "theirs.docx"), read_marked_up(docx), document, "theirs.docx",
                    contract)


def number_of(document, text: str) -> str:
    """The citation of the paragraph holding ``text``, counted by hand: clause n, sub-clause n.m."""
    top = 0
    for block in document.blocks:
        if not (isinstance(block, Section) and block.numbered and not block.annex):
            continue
        top += 1
        n = 0
        for child in block.children:
            if isinstance(child, Section) and child.numbered:
                n += 1
            elif isinstance(child, Paragraph):
                n += child.numbered
                if text in plain_text(child.inlines):
                    return f"{top}.{n}" if child.numbered else str(top)
            elif text in str(child):
                return str(top)
    raise AssertionError(f"no paragraph holds {text!r}")


# --------------------------------------------------------------------------------------------
# Reading back


def test_the_reader_returns_exactly_the_changes_made_in_word(reading, sent):
    document = sent[0]
    got = [(c.kind, c.place.number, c.place.clause) for c in reading.changes]
    assert got == [
        ("value", number_of(document, "for each Incident according to its Priority"), "priorities"),
        ("moved", number_of(document, MOVED[0]), "priorities"),
        ("wording", number_of(document, WORDING[0]), "liability"),
        ("wording", number_of(document, CAP[0]), "liability"),
        ("note", number_of(document, LIMITS), "liability"),
        ("added", number_of(document, LIMITS), "liability"),
        ("untracked", number_of(document, UNTRACKED[0]), "force-majeure"),
    ]
    value, moved, wording, cap, note, added, untracked = reading.changes
    assert (value.path, value.old, value.new, value.value) == ("priorities[0].response", "30 minutes",
                                                               "15 minutes", "15m")
    assert (wording.old, wording.new) == (WORDING[1], WORDING[2])
    assert (cap.old, cap.new) == (CAP[1], "")
    assert moved.old == moved.new == MOVED[1]
    assert "clause " + number_of(document, LIMITS) in moved.summary  # where it went
    assert (note.comment, note.old, note.author) == (COMMENT, "the Fees", CUSTOMER)
    assert added.new == ADDED and "adds a paragraph after clause" in added.summary
    assert untracked.summary.startswith("CHANGED WITHOUT TRACKING") and "within a week" in untracked.summary
    for change in (value, moved, wording, cap, added):
        assert (change.author, change.date) == (CUSTOMER, "2026-12-01T10:00:00Z")
    assert [c.id for c in reading.changes] == [f"c{n}" for n in range(1, 8)]


def test_runs_split_mid_word_are_not_a_change(reading):
    assert not [c for c in reading.changes if SPLIT[:20] in (c.old + c.new)]


def test_a_file_saved_by_libreoffice_reads_the_same(sent, contract):
    """LibreOffice drops each control's tag and wraps it twice: the bookmark still finds the value."""
    document, docx = sent
    lo = read_marked_up(_mark_up(docx, document, libreoffice=True), "theirs.docx")
    assert not any(s.tag for p in lo.paragraphs for s in p.segments)
    got = classify(lo, read_marked_up(docx), document, "theirs.docx", contract)
    assert [(c.kind, c.path, c.value) for c in got.changes if c.kind == "value"] == [
        ("value", "priorities[0].response", "15m")]


@requires_libreoffice
def test_libreoffice_itself_keeps_what_the_reader_needs(sent, contract, tmp_path):
    """The marked-up file opened and saved by LibreOffice 7.4: values, wording, comments all read back."""
    document, docx = sent
    source = tmp_path / "theirs.docx"
    m = MarkUp(docx, author=CUSTOMER)
    m.track_value(value_paths(document).index("priorities[0].response"), "15 minutes")
    m.track_replace(WORDING[0], WORDING[1], WORDING[2])
    m.comment(LIMITS, "the Fees", COMMENT)
    source.write_bytes(m.save())
    out = tmp_path / "saved"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=240)
    saved = (out / "theirs.docx").read_bytes()
    got = classify(read_marked_up(saved, "saved.docx"), read_marked_up(docx), document, "saved.docx", contract)
    assert [(c.kind, c.path, c.value, c.author) for c in got.changes if c.kind != "wording"] == [
        ("value", "priorities[0].response", "15m", CUSTOMER), ("note", "", None, CUSTOMER)]
    wording = [c for c in got.changes if c.kind == "wording"]
    assert [(c.place.clause, c.new) for c in wording] == [("liability", WORDING[2])]
    assert not [c for c in got.changes if c.kind == "untracked"]


# --------------------------------------------------------------------------------------------
# What the file carries


def test_the_docx_carries_its_contract_and_text_hash(sent, contract):
    from slagen.writers.docx_controls import text_hash

    marked = read_marked_up(sent[1])
    props = marked.properties
    assert (props["slagen.reference"], props["slagen.version"], props["slagen.document"]) == (
        contract.agreement.reference, contract.agreement.version, "agreement")
    assert props["slagen.text-sha256"] == text_hash([p.sent for p in marked.paragraphs if not p.contents])
    xml = zipfile.ZipFile(BytesIO(sent[1])).read("word/document.xml").decode()
    assert '<w:tag w:val="priorities[0].response"/>' in xml
    assert len(re.findall(r'w:name="_Slv\d+"', xml)) == len(value_paths(sent[0])) > 50
    numbered = sum(1 for b in _walk(sent[0].blocks) if isinstance(b, Paragraph) and b.numbered and not b.anchor)
    assert len(re.findall(r'w:name="_Slp\d+"', xml)) == numbered > 20


def _walk(blocks):
    from slagen.document import walk

    return walk(blocks)


def test_same_contract_same_bytes(contract, sent):
    assert expected_document(contract, "agreement")[1] == sent[1]


def test_the_value_marks_leave_the_pdf_unchanged(sent):
    """Value nodes flattened back into the runs around them give the same PDF: the HTML WeasyPrint
    lays the PDF out from is the same, character for character (cheaper than two PDF layouts)."""
    from dataclasses import replace

    from slagen.document import ListBlock, Run, Table, Value
    from slagen.writers.html import write_html

    def flat(inlines):
        out = []
        for i in inlines:
            i = Run(i.text, bold=i.bold, italic=i.italic) if type(i) is Value else i
            if out and type(out[-1]) is Run and type(i) is Run and (out[-1].bold, out[-1].italic) == (i.bold, i.italic):
                out[-1] = Run(out[-1].text + i.text, bold=i.bold, italic=i.italic)
            else:
                out.append(i)
        return tuple(out)

    def strip(block):
        if isinstance(block, Paragraph):
            return replace(block, inlines=flat(block.inlines))
        if isinstance(block, Section):
            return replace(block, children=tuple(strip(b) for b in block.children))
        if isinstance(block, ListBlock):
            return replace(block, items=tuple(tuple(strip(b) for b in item) for item in block.items))
        if isinstance(block, Table):
            return replace(block, header=flat(block.header), rows=tuple(tuple(flat(c) for c in r) for r in block.rows))
        return block

    document = sent[0]
    plain = replace(document, blocks=tuple(strip(b) for b in document.blocks))
    assert plain != document  # there were values to flatten
    assert write_html(document) == write_html(plain)


# --------------------------------------------------------------------------------------------
# Refusals and hostile files


def test_a_docx_not_made_by_slagen_is_refused(contract, sent):
    import docx

    buffer = BytesIO()
    docx.Document().save(buffer)
    with pytest.raises(UsageError, match=r"^theirs\.docx: error: this DOCX was not made by slagen"):
        read_changes(contract, buffer.getvalue(), "theirs.docx")


def test_a_docx_of_another_version_or_contract_is_refused(contract, sent):
    newer = contract.model_copy(update={"agreement": contract.agreement.model_copy(update={"version": "2.0"})})
    with pytest.raises(UsageError, match=r"is of version '1\.0' of NW-ACME-2027-01, but the contract given is at "
                                         r"version '2\.0'"):
        read_changes(newer, sent[1], "theirs.docx")
    other = contract.model_copy(update={"agreement": contract.agreement.model_copy(update={"reference": "X-1"})})
    with pytest.raises(UsageError, match=r"is of contract 'NW-ACME-2027-01', not 'X-1'"):
        read_changes(other, sent[1], "theirs.docx")


def _docx_with(document_xml: bytes) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", document_xml)
    return out.getvalue()


def test_entities_are_refused_unexpanded():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
              b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>'
              b'<w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>')
    with pytest.raises(NotReadable, match="declares a document type or entities"):
        read_marked_up(_docx_with(laughs), "hostile.docx")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(monkeypatch):
    import slagen.negotiate.reader as reader

    monkeypatch.setattr(reader, "MAX_INFLATED", 1024 * 1024)
    with pytest.raises(NotReadable, match="would unpack to more than 1 MB"):
        read_marked_up(_docx_with(b"<a/>" + b" " * (2 * 1024 * 1024)), "bomb.docx")


def test_a_hundred_thousand_revisions_are_refused():
    ins = b'<w:ins w:id="1" w:author="x" w:date="2026-01-01T00:00:00Z"><w:r><w:t>a</w:t></w:r></w:ins>'
    xml = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>'
           + ins * 100_000 + b"</w:p></w:body></w:document>")
    with pytest.raises(NotReadable, match="more than 20,000 tracked changes"):
        read_marked_up(_docx_with(xml), "busy.docx")


def test_not_a_docx_is_refused():
    with pytest.raises(NotReadable, match=r"^x\.docx: error: the file is not a DOCX"):
        read_marked_up(b"%PDF-1.7 not a zip", "x.docx")


# --------------------------------------------------------------------------------------------
# What it costs, and the answer


@pytest.fixture(scope="module")
def costed(contract_file, reading):
    from slagen.negotiate.proposal import TRACKED, cost_proposal

    text = contract_file.read_text(encoding="utf-8")
    return cost_proposal(contract_file, text, reading, [c for c in reading.changes if c.kind in TRACKED])


def test_a_p1_response_below_what_the_staffing_allows_is_a_check_finding(costed, reading, contract_file):
    from slagen.check.run import check_file

    before, _ = check_file(contract_file)
    assert not [f for f in before if f.rule == "SLA702"]
    value = reading.changes[0]
    cost = costed.costs[value.id]
    assert [(f["rule"], f["path"]) for f in cost.findings] == [("SLA702", "priorities[0].response")]
    assert "P1's 15m" in cost.findings[0]["message"]
    assert costed.default_decision(value) == "reject"
    assert "15m" in costed.reason(value)


def test_striking_the_liability_cap_is_blocked_by_review(costed, reading):
    cap = next(c for c in reading.changes if c.old == CAP[1])
    blocking = costed.costs[cap.id].blocking
    assert [(i["kind"], i["clause"]) for i in blocking] == [("override", "liability")]
    assert "'liability' may never be overridden" in blocking[0]["why"]
    assert costed.default_decision(cap) == "reject"


def test_the_proposal_keeps_the_files_comments_and_order(costed, contract_file):
    original = contract_file.read_text(encoding="utf-8")
    proposed = costed.text
    assert proposed.startswith(original.split("priorities:")[0])  # everything before untouched, comments too
    assert "    response: 15m\n" in proposed and "    response: 30m\n" not in proposed
    assert "  - id: liability\n    action: replace\n" in proposed


@requires_libreoffice
def test_the_reply_opens_in_libreoffice_with_the_providers_decisions(sent, word_file, reading, costed, tmp_path):
    import pypdf

    from slagen.negotiate.decisions import default_decisions
    from slagen.negotiate.reply import write_reply

    decisions = default_decisions(reading, costed)
    reply = write_reply(word_file, reading, decisions, author=PROVIDER, date="2026-12-02T09:00:00Z")
    assert reply == write_reply(word_file, reading, decisions, author=PROVIDER, date="2026-12-02T09:00:00Z")
    back = read_marked_up(reply)
    providers = [r for r in back.revisions if r.author == PROVIDER]
    rejected = [c for c in reading.changes if decisions.get(c.id, ("",))[0] == "reject"]
    assert rejected and providers and all(r.date == "2026-12-02T09:00:00Z" for r in providers)
    # the rejected P1 response: the customer's 15 minutes struck by the provider, 30 minutes put back
    value = next(p for p in back.paragraphs if any(s.value >= 0 and "15 minutes" in s.text for s in p.segments))
    assert "30 minutes" in value.proposed and "15 minutes" not in value.proposed
    # the accepted added paragraph is plain text now
    assert any(p.proposed == ADDED and not p.changed for p in back.paragraphs)

    path = tmp_path / "reply.docx"
    path.write_bytes(reply)
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}',
                    "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=240)
    notes = []
    for page in pypdf.PdfReader(tmp_path / "reply.pdf").pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Text":
                notes.append((str(annot.get("/T")), str(annot.get("/Contents"))))
    mine = [text for who, text in notes if who.startswith(PROVIDER)]
    assert any("P1's clock" in t or "15m" in t for t in mine)  # the finding's words, to the customer
    assert any("standard for all our customers" in t for t in mine)  # the liability wording refused
    assert any("Accepted." in t for t in mine)
    assert any("changed without tracked changes" in t for t in mine)  # the untracked edit, said out loud
    assert any(who.startswith(CUSTOMER) and COMMENT in text for who, text in notes)


def test_decisions_file_mistakes_are_told_at_their_line(reading, tmp_path):
    from slagen.negotiate.decisions import load_decisions

    path = tmp_path / "decisions.yaml"
    path.write_text("decisions:\n  - id: c1\n    decision: accept\n  - id: c4\n    decision: maybe\n")
    with pytest.raises(UsageError, match=rf"^{re.escape(str(path))}:5:15: error: the decision on c4 must be accept "
                                         "or reject, not 'maybe'"):
        load_decisions(path, reading)
    path.write_text("decisions:\n  - id: c7\n    decision: accept\n")
    with pytest.raises(UsageError, match=r":2:9: error: 'c7' is not a tracked change of this file"):
        load_decisions(path, reading)  # c7 is the untracked edit: there is nothing to accept


# --------------------------------------------------------------------------------------------
# Round trip


def test_accepting_every_value_change_renders_the_customers_text_and_names_what_else_it_changes(
        contract, contract_file, sent):
    """Values printed once, changed by the customer; the proposal rendered reads as they proposed,
    except where slagen works words out from a value they changed: there it says so."""
    from slagen.negotiate.proposal import cost_proposal

    document, docx = sent
    paths = value_paths(document)
    edits = {"termination.notice_days": "120 days", "availability.credit_cap": "20%",
             "data_protection.breach_notification": "36 hours", "priorities[1].update_every": "2 hours"}
    m = MarkUp(docx, author=CUSTOMER)
    for path, words in edits.items():
        assert paths.count(path) == 1, path  # printed once, so one edit changes every place it shows
        m.track_value(paths.index(path), words)
    theirs = read_marked_up(m.save(), "theirs.docx")
    got = classify(theirs, read_marked_up(docx), document, "theirs.docx", contract)
    assert sorted((c.path, c.value) for c in got.changes) == sorted([
        ("termination.notice_days", 120), ("availability.credit_cap", "20%"),
        ("data_protection.breach_notification", "36h"), ("priorities[1].update_every", "2h")])
    text = contract_file.read_text(encoding="utf-8")
    proposal = cost_proposal(contract_file, text, got, got.changes)
    # The agreement renews on 1 January 2028 (effective 1 January 2027, 12 months). Notice of 90 days
    # is due by 3 October 2027 (1 Jan 2028 less 90 days: 31 Dec, 30 Nov, 31 Oct make 92 days back to
    # 1 Oct, so 90 days back is 3 Oct); 120 days back is 3 September 2027 (30 more: 30 Sep back to 3 Sep).
    assert [(k["clause"], k["was"], k["becomes"]) for k in proposal.knock_on] == [
        ("term-and-renewal", "3 October 2027.", "3 September 2027.")]
    proposed_file = contract_file.with_name("proposed.yaml")
    proposed_file.write_text(proposal.text, encoding="utf-8")
    rendered = read_marked_up(expected_document(load_contract(proposed_file), "agreement")[1])

    def by_clause(marked, places, attr):
        out: dict[str, list[str]] = {}
        for p in marked.paragraphs:
            if not p.contents:
                out.setdefault(places[p.index].clause, []).append(getattr(p, attr))
        return out

    ours, customers = by_clause(rendered, got.places, "sent"), by_clause(theirs, got.places, "proposed")
    assert {k: v for k, v in ours.items() if k != "term-and-renewal"} == {
        k: v for k, v in customers.items() if k != "term-and-renewal"}
    differing = [(a, b) for a, b in zip(ours["term-and-renewal"], customers["term-and-renewal"]) if a != b]
    assert len(differing) == 1 and "3 September 2027" in differing[0][0] and "3 October 2027" in differing[0][1]


# --------------------------------------------------------------------------------------------
# The command line


def _slagen(*args: str) -> int:
    from slagen.cli.main import main

    with pytest.raises(SystemExit) as exit_:
        main([str(a) for a in args])
    return exit_.value.code


def test_the_command_prints_json_and_writes_proposal_decisions_and_reply(contract_file, word_file, tmp_path, capsys):
    import json

    theirs = tmp_path / "theirs.docx"
    theirs.write_bytes(word_file)
    out = tmp_path / "out"
    code = _slagen("negotiate", contract_file, theirs, "--format", "json", "--proposal", out / "proposal.yaml",
                   "--decisions-template", out / "decisions.yaml", "--reply", out / "reply.docx")
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert [(c["id"], c["kind"], c["decision"]) for c in report["changes"]] == [
        ("c1", "value", "reject"), ("c2", "moved", "reject"), ("c3", "wording", "reject"), ("c4", "wording", "reject"),
        ("c5", "note", None), ("c6", "added", "accept"), ("c7", "untracked", None)]
    assert report["untracked"] == 1
    assert "response: 15m" in (out / "proposal.yaml").read_text()  # every change the customer proposes
    decisions = (out / "decisions.yaml").read_text()
    assert decisions.count("decision: ") == 5 and re.search(r"  - id: c1\n    clause: \S+\n", decisions)
    assert read_marked_up((out / "reply.docx").read_bytes()).comments


def test_the_command_refuses_a_file_that_is_not_a_docx(contract_file, tmp_path, capsys):
    pdf = tmp_path / "theirs.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    assert _slagen("negotiate", contract_file, pdf, "--reply", tmp_path / "reply.docx") == 2
    assert capsys.readouterr().err == f"{pdf}: error: the file is not a DOCX (it is not a Word document's zip archive)\n"
    assert not (tmp_path / "reply.docx").exists()


@pytest.mark.parametrize("path, old, new, expected", [
    ("priorities[0].response", "30 minutes", "15 minutes", ("15m", "")),
    ("priorities[0].response", "30 minutes", "1 hour 30 minutes", ("1h30m", "")),
    ("priorities[0].response", "30 minutes", "two hours", ("2h", "")),
    ("availability.credit_cap", "25%", "20%", ("20%", "")),
    ("availability.credit_cap", "25%", "12.5%", ("12.5%", "")),
    ("sow.fees.monthly", "£5,400.00", "£6,250.50", ("6250.50", "")),
    ("sow.fees.monthly", "£5,400.00", "£6,000", (6000, "")),
    ("fees.payment_days", "30 days", "45 days", (45, "")),
    ("fees.payment_days", "30 days", "2 months", (None, "'2 months' counts months, but this value counts days")),
    ("agreement.effective_date", "1 January 2027", "1 February 2027", ("2027-02-01", "")),
    ("priorities[0].response", "30 minutes", "1 day", (None, "'1 day' counts days; the contract writes this in hours "
                                                              "(for example '24 hours')")),
    ("priorities[0].response", "30 minutes", "", (None, "the value was deleted, and the contract needs one here")),
])
def test_a_customers_words_are_read_as_the_fields_type(contract, path, old, new, expected):
    from slagen.negotiate.values import parse_words

    assert parse_words(contract, path, new, old) == expected


def test_accepting_every_change_in_the_reply_gives_the_customers_text(word_file, reading):
    from slagen.negotiate.proposal import TRACKED
    from slagen.negotiate.reply import write_reply

    decisions = {c.id: ("accept", "Agreed.") for c in reading.changes if c.kind in TRACKED}
    reply = write_reply(word_file, reading, decisions, author=PROVIDER, date="2026-12-02T09:00:00Z")
    back = read_marked_up(reply)
    assert back.revisions == []
    xml = zipfile.ZipFile(BytesIO(reply)).read("word/document.xml")
    assert b"moveFromRangeStart" not in xml and b"moveToRangeStart" not in xml
    assert [p.sent for p in back.paragraphs] == [p.proposed for p in reading.marked.paragraphs]
    assert sum(c.author == PROVIDER and c.text == "Agreed." for c in back.comments) == len(decisions)


@pytest.mark.parametrize("words", [
    "1. Not a list", "2) nor this", "- not a bullet", "+ nor this", "# not a heading", "> not a quote",
    "**not bold** and _not italic_", "a | b | c", "{{ 7*7 }} {% if x %}", "[a link](http://x)", "<b>raw</b>",
    "---", "***", "&amp; &#169;", "x_y_z and 2*3*4", "`code`", "\\backslash\\", "    four spaces first",
    "The Customer's fee (excluding VAT) is £5,400.00; payable in 30 days.",
])
def test_a_customers_words_become_markdown_that_reads_back_as_those_words(words):
    from slagen.compose.markdown_tree import markdown_blocks
    from slagen.negotiate.changes import md_escape

    [paragraph] = markdown_blocks(md_escape(words), "clause")
    assert isinstance(paragraph, Paragraph) and plain_text(paragraph.inlines) == words.strip()


def test_wording_in_a_clause_also_changed_without_tracking_is_not_taken(sent, contract, contract_file):
    """The override would carry the untracked edit into the contract unseen: it is refused instead."""
    from slagen.negotiate.proposal import cost_proposal

    document, docx = sent
    m = MarkUp(docx, author=CUSTOMER)
    m.track_replace(WORDING[0], WORDING[1], WORDING[2])
    m.untracked(WORDING[0], "the Customer Data", "all the Customer's data")
    got = classify(read_marked_up(m.save()), read_marked_up(docx), document, "theirs.docx", contract)
    wording = next(c for c in got.changes if c.kind == "wording")
    proposal = cost_proposal(contract_file, contract_file.read_text(encoding="utf-8"), got, [wording])
    assert "changed without tracking" in proposal.costs[wording.id].invalid
    assert proposal.default_decision(wording) == "reject" and "clauses:" not in proposal.text
