"""The DOCX redline: real tracked changes, read back with python-docx/lxml and LibreOffice.

The strongest check simulates Word's "Accept all" and "Reject all" on the XML: accepting every
change must give the text of the new contract's document, rejecting every change the old one.
"""

from __future__ import annotations

import subprocess
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from lxml import etree

from conftest import requires_libreoffice
from slagen.document import Document, ListBlock, Paragraph, Run, Section, Table, text
from slagen.library.contracts import load_contract
from slagen.review.redline import (
    build_redline,
    redline_docx,
    redline_from_documents,
    redline_html,
    redline_pdf,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "acme-dental.yaml"
W_P, W_R, W_T, W_DELTEXT = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:delText")
W_INS, W_DEL, W_PPR, W_RPR, W_TR, W_TRPR = qn("w:ins"), qn("w:del"), qn("w:pPr"), qn("w:rPr"), qn("w:tr"), qn("w:trPr")

EDITS = (
    ("    response: 30m\n    resolution: 4h", "    response: 30m\n    resolution: 2h"),
    ("notice_days: 90", "notice_days: 60"),
    ("  - Printers, scanners and consumables.\n", "  - Printers and consumables.\n  - Mobile phones.\n"),
)


def variant(tmp_path, *replacements, name="new.yaml") -> Path:
    source = EXAMPLE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def contracts(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("redline")
    return load_contract(EXAMPLE), load_contract(variant(tmp, *EDITS))


@pytest.fixture(scope="module")
def redline(contracts):
    return build_redline(*contracts)


@pytest.fixture(scope="module")
def data(redline):
    return redline_docx(redline)


def body_of(data: bytes):
    with zipfile.ZipFile(BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml"))


def run_revisions(root, tag):
    """Revisions that wrap runs (not the marks on paragraphs or rows), with their text."""
    text_tag = W_T if tag == W_INS else W_DELTEXT
    return [(el, "".join(t.text or "" for t in el.iter(text_tag)))
            for el in root.iter(tag) if el.getparent().tag not in (W_RPR, W_TRPR)]


def test_python_docx_finds_exactly_the_expected_insertions_and_deletions(data):
    import docx

    document = docx.Document(BytesIO(data))
    root = document.element.body
    # By hand: P1's resolution is 4 -> 2 hours in the matrix; the P1 worked example (logged
    # Saturday 23:40, 24x7 clock) is due 01:40 instead of 03:40 and quotes "2 hours"; the
    # renewal clause (4.2) quotes 60 days' notice of non-renewal instead of 90, so the last day to give it
    # for the Initial Term (ending 31 December 2027) moves from 3 October (1 January 2028 less 90 days:
    # 28 + 30 + 31 + 1) to 2 November 2027 (less 60: 28 + 31 + 1); the exclusions lose "scanners" and
    # gain a new item.
    inserted = [t for _, t in run_revisions(root, W_INS)]
    deleted = [t.strip(" ,") for _, t in run_revisions(root, W_DEL)]
    assert inserted == ["60", "2 November", "Mobile phones.", "2", "01:40", "2"]
    assert deleted == ["90", "3 October", "scanners", "4", "03:40", "4"]
    # Deleted text is w:delText, never w:t (Word rejects a w:t inside w:del).
    assert all(el.find(f".//{W_T}") is None for el, _ in run_revisions(root, W_DEL))


def test_every_revision_has_the_author_a_fixed_date_and_its_own_id(data, contracts):
    root = body_of(data)
    revisions = list(root.iter(W_INS, W_DEL))
    assert revisions
    # No prepared_by in acme: the provider's name; and its effective date (no document date), never the clock.
    assert {r.get(qn("w:author")) for r in revisions} == {"Northwind Managed Services Ltd"}
    assert contracts[1].agreement.effective_date.isoformat() == "2027-01-01"
    assert {r.get(qn("w:date")) for r in revisions} == {"2027-01-01T00:00:00Z"}
    ids = [r.get(qn("w:id")) for r in revisions]
    assert ids == [str(n) for n in range(1, len(revisions) + 1)]


def test_a_wholly_inserted_paragraph_has_its_paragraph_mark_tracked(data):
    root = body_of(data)
    marks = [p for p in root.iter(W_P) if p.find(f"{W_PPR}/{W_RPR}/{W_INS}") is not None]
    assert ["".join(t.text for t in p.iter(W_T)) for p in marks] == ["Mobile phones."]


def test_the_same_inputs_give_the_same_bytes(redline, contracts, data):
    assert redline_docx(redline) == data
    assert redline_docx(build_redline(*contracts)) == data


# --------------------------------------------------------------------------------------------
# Accept all / reject all


def _paragraph_texts(root) -> list[str]:
    out = []
    for p in root.iter(W_P):
        out.append("".join((t.text or "") for t in p.iter(W_T, W_DELTEXT)))
    return out


def resolve(data: bytes, accept: bool) -> list[str]:
    """The paragraphs' text after Word's Accept all (accept=True) or Reject all."""
    root = body_of(data)
    gone, kept = (W_DEL, W_INS) if accept else (W_INS, W_DEL)
    for tr in list(root.iter(W_TR)):
        if tr.find(f"{W_TRPR}/{gone}") is not None:
            tr.getparent().remove(tr)
    for p in list(root.iter(W_P)):
        if p.find(f"{W_PPR}/{W_RPR}/{gone}") is not None:
            p.getparent().remove(p)  # a wholly tracked paragraph goes with its mark
    for el in list(root.iter(gone)):
        if el.getparent().tag != W_RPR and el.getparent() is not None:
            el.getparent().remove(el)
    for el in list(root.iter(kept)):
        parent = el.getparent()
        if parent.tag in (W_RPR, W_TRPR):
            parent.remove(el)
            continue
        index = parent.index(el)
        for child in list(el):
            parent.insert(index, child)
            index += 1
        parent.remove(el)
    return _paragraph_texts(root)


def _body_after_summary(texts: list[str]) -> list[str]:
    return texts[texts.index("Parties"):]


def test_accepting_every_change_gives_the_new_document_and_rejecting_gives_the_old(contracts, data):
    old, new = contracts
    new_itself = redline_docx(build_redline(new, new))
    old_itself = redline_docx(build_redline(old, old))
    assert _body_after_summary(resolve(data, accept=True)) == _body_after_summary(_paragraph_texts(body_of(new_itself)))
    assert _body_after_summary(resolve(data, accept=False)) == _body_after_summary(_paragraph_texts(body_of(old_itself)))


def test_inserted_and_deleted_table_rows_and_sections_accept_and_reject_cleanly():
    def doc(rows, extra_section: bool) -> Document:
        blocks = [Section("s", "Targets", (Table(header=(text("Priority"), text("Response")), rows=rows, id="t"),
                                          ListBlock(((Paragraph((Run("keep"),)),),))))]
        if extra_section:
            blocks.append(Section("x", "Extra clause", (Paragraph((Run("Extra text."),)),)))
        from datetime import date

        return Document(kind="agreement", title="T", reference="R", cover=None, blocks=tuple(blocks),
                        date=date(2027, 1, 1))

    old = doc(((text("P1"), text("30 minutes")), (text("P2"), text("1 hour"))), extra_section=True)
    new = doc(((text("P1"), text("30 minutes")), (text("P3"), text("4 hours")), (text("P4"), text("8 hours"))),
              extra_section=False)
    rl = redline_from_documents(old, new, [], "old", "new")
    data = redline_docx(rl)
    root = body_of(data)
    row_marks = [(tr.find(f"{W_TRPR}/{W_INS}") is not None, tr.find(f"{W_TRPR}/{W_DEL}") is not None)
                 for tr in root.iter(W_TR)]
    # header, P1 (kept), P2 deleted, P3 and P4 inserted: P2 and P3 are too different to pair.
    assert row_marks == [(False, False), (False, False), (False, True), (True, False), (True, False)]
    itself_new = redline_docx(redline_from_documents(new, new, [], "new", "new"))
    itself_old = redline_docx(redline_from_documents(old, old, [], "old", "old"))
    start = "Targets"
    accepted, rejected = resolve(data, True), resolve(data, False)
    assert accepted[accepted.index(start):] == (lambda t: t[t.index(start):])(_paragraph_texts(body_of(itself_new)))
    assert rejected[rejected.index(start):] == (lambda t: t[t.index(start):])(_paragraph_texts(body_of(itself_old)))


# --------------------------------------------------------------------------------------------
# LibreOffice


@requires_libreoffice
def test_libreoffice_opens_the_redline_with_the_changes_tracked(tmp_path, data):
    source = tmp_path / "redline.docx"
    source.write_bytes(data)
    profile = tmp_path / "profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "odt",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    with zipfile.ZipFile(tmp_path / "redline.odt") as z:
        content = etree.fromstring(z.read("content.xml"))
    ns = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
          "dc": "http://purl.org/dc/elements/1.1/"}
    tracked = content.find(".//text:tracked-changes", ns)
    assert tracked is not None
    regions = tracked.findall("text:changed-region", ns)
    deletions = [r.find("text:deletion", ns) for r in regions if r.find("text:deletion", ns) is not None]
    insertions = [r for r in regions if r.find("text:insertion", ns) is not None]
    # LibreOffice keeps deleted text inside the change region; inserted text stays in the body.
    deleted = sorted("".join("".join(p.itertext()) for p in d.iterfind(".//text:p", ns)).strip(" ,")
                     for d in deletions)
    assert deleted == sorted(["90", "3 October", "scanners", "4", "03:40", "4"])
    assert len(insertions) >= 5
    assert {c.text for c in tracked.iterfind(".//dc:creator", ns)} == {"Northwind Managed Services Ltd"}


# --------------------------------------------------------------------------------------------
# HTML and PDF redline


def test_html_redline_underlines_insertions_strikes_deletions_and_bars_changed_blocks(redline):
    html = redline_html(redline)
    assert "<del>4</del><ins>2</ins> hours" in html
    assert "<del>90</del><ins>60</ins> days" in html
    assert ('<p class="changed body subclause" data-clause="4" id="s-term-and-renewal-renewal">At the end of '
            'the Initial Term') in html  # 4.2, barred
    assert '<tr class="changed"><td>P1' in html
    assert "text-decoration: line-through" in html and ".changed:not(tr)::after" in html


def test_pdf_redline_is_repeatable_and_heads_with_the_values_table(redline):
    from pypdf import PdfReader

    data = redline_pdf(redline)
    assert data.startswith(b"%PDF") and redline_pdf(redline) == data
    first = PdfReader(BytesIO(data)).pages[0].extract_text()
    assert "Changes at a glance" in first
    assert "P1 resolution 4 hours 2 hours" in first
    assert "Termination notice 90 days 60 days" in first
