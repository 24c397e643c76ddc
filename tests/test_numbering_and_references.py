"""Citable documents: sub-clause numbers, cross-references by number, defined terms, the cover.

The numbers asserted here are counted by hand from the outline (contract_templates/agreement.yaml)
and the clause files, or read back from what LibreOffice and the PDF actually print: never
copied from slagen's own numbering.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from conftest import requires_tool

from slagen.compose.assemble import assemble
from slagen.compose.defined_terms import DefinedTermError
from slagen.compose.library import CLAUSE_DIR, load_library
from slagen.compose.references import DanglingReferenceError
from slagen.compose.subclauses import number_subclauses
from slagen.document import (
    ListBlock,
    Paragraph,
    Reference,
    Run,
    Section,
    SignatureBlock,
    Table,
    numbers,
    text,
    walk,
)
from slagen.library.contracts import load_contract

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _written_starter() -> Path:
    """`slagen init`'s starter as a file (slagen/data/starter.yaml is only its frame, without the
    starter package's sections)."""
    import tempfile

    from slagen.library.starters import starter_text

    path = Path(tempfile.mkdtemp(prefix="slagen-starter-")) / "starter.yaml"
    path.write_text(starter_text(), encoding="utf-8")
    return path


STARTER = _written_starter()
ACME = ROOT / "examples" / "acme-dental.yaml"
SMALL = ROOT / "examples" / "small-office-minimal.yaml"
NEEDS_SOFFICE = requires_tool("soffice", "libreoffice-writer-nogui")  # CI installs it and never skips


def para(value: str, **kw) -> Paragraph:
    return Paragraph((Run(value),), **kw)


def all_references(blocks) -> list[Reference]:
    out = []
    for block in walk(blocks):
        cells = ()
        if isinstance(block, Paragraph):
            cells = (block.inlines,)
        elif isinstance(block, Table):
            cells = block.rows
            cells = tuple(c for row in cells for c in row)
        for inlines in cells:
            out.extend(i for i in inlines if isinstance(i, Reference))
    return out


def library_with(tmp_path: Path, edits: dict[str, tuple[str, str]]):
    """A copy of the clause library with (old, new) text replaced in the named clause files."""
    directory = tmp_path / "clauses"
    shutil.copytree(CLAUSE_DIR, directory)
    for name, (old, new) in edits.items():
        path = directory / f"{name}.md"
        source = path.read_text(encoding="utf-8")
        assert old in source, (name, old)
        path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return load_library(directory)


# --------------------------------------------------------------------------------------------
# The numbering rule


def test_each_body_paragraph_is_a_sub_clause_and_ordered_lists_are_lettered():
    table = Table(header=text("A"), rows=((text("1"),),))
    body = (
        para("The Customer shall:"),
        ListBlock(((para("pay"),), (para("cooperate"),)), ordered=True),
        para("and nothing else."),                      # finishes the sentence the list interrupted
        para("A note.", style="note"),                  # notes are never numbered
        para("The table below shows the targets:"),     # a lead-in to a table
        table,
        para("Each Party bears its own costs."),
    )
    out = number_subclauses(body)
    assert [getattr(b, "numbered", None) for b in out] == [True, None, False, False, False, None, True]
    assert out[1].lettered is True


def test_a_clause_with_one_paragraph_is_cited_whole():
    out = number_subclauses((para("Signed by the Parties."),))
    assert out[0].numbered is False


def test_numbers_count_sub_clauses_and_limbs_by_hand():
    first = Section("one", "One", (para("x"),))
    second = Section("two", "Two", number_subclauses((
        para("a"),
        para("b", anchor="two#b"),
        ListBlock(((para("limb 1"),), (para("limb 2", anchor="two#limb"),)), ordered=True),
        para("c"),
    )))
    annex = Section("annex-x", "Extra", (Section("inner", "Inner", (para("y"),)),), annex=True)
    found = numbers((first, second, annex))
    assert found["one"] == "1" and found["two"] == "2"
    assert found["two#b"] == "2.2"
    assert found["two#limb"] == "2.2(b)"
    assert found["annex-x"] == "Annex A" and found["inner"] == "A.1"


# --------------------------------------------------------------------------------------------
# Cross-references


def test_every_example_and_the_starter_render_with_no_dangling_reference_or_undefined_term():
    for path in [*EXAMPLES, STARTER]:
        contract = load_contract(path)
        for kind in ("agreement", "sow"):
            if kind == "sow" and contract.sow is None:
                continue
            document = assemble(contract, kind)  # raises on a dangling reference or a bad term
            found = numbers(document.blocks)
            for ref in all_references(document.blocks):
                assert ref.number and ref.number == found[ref.target], (path.name, ref)


def test_references_print_the_clause_number_counted_from_the_outline():
    document = assemble(load_contract(ACME), "agreement")
    by_target = {r.target: r.text for r in all_references(document.blocks)}
    # Acme includes every body clause of agreement.yaml, so each number is the clause's place in
    # that list: scope of services 5th, support hours 8th (after third-party platforms), priorities 10th,
    # availability 12th, maintenance 13th, service credits 14th, liability 26th (after users and credentials
    # and security measures), termination 31st, exit data 32nd, staff transfer 33rd (English law), governing law 39th.
    expected = {"scope-of-services": "clause 5", "support-hours": "clause 8", "priorities": "clause 10",
                "availability": "clause 12", "maintenance": "clause 13", "service-credits": "clause 14",
                "liability": "clause 26", "termination": "clause 31", "exit-data": "clause 32",
                "governing-law": "clause 39"}
    assert {k: by_target.get(k) for k in expected} == expected
    # The starter has no maintenance windows: the availability clause says nothing of them
    starter = assemble(load_contract(STARTER), "agreement")
    assert "maintenance" not in {r.target for r in all_references(starter.blocks)}


def test_a_reference_to_an_anchored_sub_clause_prints_its_number(tmp_path):
    library = library_with(tmp_path, {
        "termination": ("Either Party may end this Agreement with immediate effect by written notice if the other "
                        "commits",
                        "[](#material-breach)Either Party may end this Agreement with immediate effect by written "
                        "notice if the other commits"),
        "service-credits": ("persistent failure under {{ ref(\"termination\") }}",
                            "persistent failure under {{ ref(\"termination\", \"material-breach\") }}"),
    })
    document = assemble(load_contract(ACME), "agreement", library=library)
    refs = {r.target: r.text for r in all_references(document.blocks)}
    # termination is clause 31 and (acme asks for no termination for convenience) its first paragraph,
    # termination for material breach, is its first sub-clause
    assert refs["termination#material-breach"] == "clause 31.1"


def test_a_reference_to_a_clause_not_in_the_document_names_both_clauses(tmp_path):
    library = library_with(tmp_path, {
        "availability": ("excluding{% if availability.maintenance_windows or availability.excluded or "
                         "availability.emergency_maintenance %} the periods described in {{ ref(\"maintenance\") }},"
                         "{% endif %}",
                         "excluding the periods described in {{ ref(\"maintenance\") }},"),
    })
    # the starter has availability targets but no maintenance windows or exclusions
    with pytest.raises(DanglingReferenceError) as caught:
        assemble(load_contract(STARTER), "agreement", library=library)
    message = str(caught.value)
    assert "availability.md" in message and "'availability'" in message and "'maintenance'" in message
    assert "not in this agreement" in message


def test_ref_takes_ids_only(tmp_path):
    from slagen.errors import ClauseError

    library = library_with(tmp_path, {"termination": ("The Provider may end", "{{ ref(\"Bad Id!\") }} The Provider may end")})
    with pytest.raises(ClauseError, match="ref\\(\\) takes a clause id"):
        assemble(load_contract(ACME), "agreement", library=library)


def test_a_contract_value_cannot_forge_a_reference(tmp_path):
    from slagen.compose.clause_text import escape_markdown
    from slagen.errors import InvalidInput

    forged = "Acme \ue000termination\ue001 Ltd"
    # the loader refuses the characters outright, and a value printed into a clause loses them
    assert "\ue000" not in escape_markdown(forged) and "\ue001" not in escape_markdown(forged)
    source = ACME.read_text(encoding="utf-8").replace(
        "name: Acme Dental Group Ltd", "name: \"Acme \\ue000termination\\ue001 Ltd\"", 1)
    path = tmp_path / "forged.yaml"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(InvalidInput, match="U\\+E000"):
        load_contract(path)


# --------------------------------------------------------------------------------------------
# Defined terms


def test_a_term_defined_and_never_used_fails_the_render(tmp_path):
    library = library_with(tmp_path, {
        "termination": ("that the invoice is overdue.",
                        "that the invoice is overdue (the **Exit Notice**)."),
    })
    with pytest.raises(DefinedTermError) as caught:
        assemble(load_contract(ACME), "agreement", library=library)
    message = str(caught.value)
    assert "'Exit Notice'" in message and "'termination'" in message and "never uses it" in message


def test_a_defined_term_used_where_no_clause_defines_it_fails_the_render(tmp_path):
    # The small office has no availability targets, so no clause defines Service Credit.
    library = library_with(tmp_path, {
        "reporting-and-reviews": ("Either Party may ask", "No Service Credits are due. Either Party may ask"),
    })
    with pytest.raises(DefinedTermError) as caught:
        assemble(load_contract(SMALL), "agreement", library=library)
    message = str(caught.value)
    assert "'Service Credit'" in message and "'reporting-and-reviews'" in message and "no clause" in message


# --------------------------------------------------------------------------------------------
# Cover, names in free text, signatures, register


def test_cover_carries_the_document_date_and_drafts_say_subject_to_contract(tmp_path):
    source = ACME.read_text(encoding="utf-8")
    dated = source.replace("  effective_date: 2027-01-01", "  effective_date: 2027-01-01\n  document_date: 2026-11-20", 1)
    assert dated != source
    path = tmp_path / "dated.yaml"
    path.write_text(dated, encoding="utf-8")
    cover = assemble(load_contract(path), "agreement").cover
    assert cover.date.isoformat() == "2026-11-20" and cover.subject_to_contract is True
    # without a document date, the effective date
    assert assemble(load_contract(ACME), "agreement").cover.date.isoformat() == "2027-01-01"


def test_free_text_uses_names_not_codes(tmp_path):
    document = assemble(load_contract(ACME), "agreement")
    words = " ".join(
        "".join(i.text for i in b.inlines if isinstance(i, Run)) if isinstance(b, Paragraph)
        else " ".join("".join(i.text for i in c if isinstance(i, Run)) for row in b.rows for c in row)
        if isinstance(b, Table) else "" for b in walk(document.blocks))
    assert "the public holidays of England" in words and "region ENG" not in words
    assert "approximately 800 GB" in words and "800.0" not in words
    # Acme's m365 component is called by its name, never by its id
    assert "Microsoft 365" in words and "m365" not in words


def test_signature_lines_stay_with_their_lead_in():
    from slagen.writers.html import write_html

    document = assemble(load_contract(ACME), "agreement")
    signatures = next(b for b in document.blocks if isinstance(b, Section) and b.id == "signatures")
    assert isinstance(signatures.children[-1], SignatureBlock)
    html = write_html(document)
    block = re.search(r'<div class="signing">(.*?)</div>', html, re.S).group(1)
    assert block.startswith('<p class="body">Signed by the authorised representatives')
    assert '<table class="signatures">' in block
    # In the DOCX the lead-in keeps with the table, and every line of the table with the next
    from lxml import etree

    from slagen.writers.docx import write_docx

    with zipfile.ZipFile(BytesIO(write_docx(document, page_numbers={}))) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    tables = [t for t in root.iter(f"{w}tbl")
              if "Signed for and on behalf of" in "".join(x.text or "" for x in t.iter(f"{w}t"))]
    assert len(tables) == 1
    lead_in = tables[0].getprevious()
    assert "Signed by the authorised representatives" in "".join(x.text for x in lead_in.iter(f"{w}t"))
    assert lead_in.find(f"{w}pPr/{w}keepNext") is not None
    cells = list(tables[0].iter(f"{w}p"))
    assert cells and all(p.find(f"{w}pPr/{w}keepNext") is not None for p in cells)


# --------------------------------------------------------------------------------------------
# What the writers print, read back


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every example and the starter rendered to DOCX and PDF (agreement and statement of work)."""
    from slagen.pipeline.render import render_documents

    out = {}
    for path in [*EXAMPLES, STARTER]:
        for name, data in render_documents(load_contract(path)):
            out[(path.stem, name.rsplit("-", 1)[1])] = data
    return out


NEEDS_POPPLER = requires_tool("pdftotext", "poppler-utils")  # CI installs it and never skips


def _pdf_text(data: bytes) -> str:
    """The PDF's text in reading order as a person sees it (floats such as the sub-clause
    numbers in the margin are placed where they are drawn, beside their paragraph)."""
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True,
                          timeout=60)
    return done.stdout.decode("utf-8")


def _cited(value: str) -> set[str]:
    """Every "clause 12.3" and "paragraph B.2" in the text: the numbers it cites."""
    pattern = r"\b(?:clause\s+(\d+(?:\.\d+)*)|paragraph\s+([A-Z](?:\.\d+)+))"
    return {a or b for a, b in re.findall(pattern, value)}


def _printed_numbers(value: str) -> set[str]:
    """Numbers printed at the start of a line: headings (12), sub-clauses (12.3), contents."""
    return set(re.findall(r"(?m)^\s*((?:\d+|[A-Z])(?:\.\d+)*)\s+\S", value))


@NEEDS_POPPLER
def test_every_clause_cited_in_a_pdf_is_printed_with_that_number(rendered):
    seen = 0
    for (stem, name), data in rendered.items():
        if not name.endswith(".pdf"):
            continue
        value = _pdf_text(data)
        printed = _printed_numbers(value)
        for number in _cited(value):
            seen += 1
            assert number in printed, (stem, name, number)
    assert seen >= 20  # four agreements of several references each, and the statements of work


@NEEDS_POPPLER
def test_the_pdf_prints_sub_clause_numbers_from_its_counters(rendered):
    value = _pdf_text(rendered[("acme-dental", "agreement.pdf")])
    # Termination is clause 31 in acme; its first paragraph is its first sub-clause
    assert re.search(r"(?m)^31\.1\s+Either Party may end this Agreement with immediate effect", value)
    assert re.search(r"(?m)^2\.2\s+References to hours and minutes", value)
    assert re.search(r"(?m)^10\s+Priorities and targets", value)
    assert "(a)" in value and "(b)" in value  # the parties are the limbs of sub-clause 1.1


@NEEDS_SOFFICE
def test_libreoffice_shows_sub_clause_numbers_a_filled_contents_and_resolved_references(rendered, tmp_path):
    docs = {}
    for (stem, name), data in rendered.items():
        if name.endswith(".docx"):
            path = tmp_path / f"{stem}-{name}"
            path.write_bytes(data)
            docs[path.stem] = path
    profile = tmp_path / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                    "txt:Text", "--outdir", str(tmp_path / "txt"), *map(str, docs.values())],
                   check=True, capture_output=True, timeout=300)
    seen = 0
    for stem in docs:
        value = (tmp_path / "txt" / f"{stem}.txt").read_text(encoding="utf-8-sig")
        printed = _printed_numbers(value)
        for number in _cited(value):
            seen += 1
            assert number in printed, (stem, number)
    assert seen >= 20
    acme = (tmp_path / "txt" / "acme-dental-agreement.txt").read_text(encoding="utf-8-sig")
    # Word-native sub-clause numbers, as LibreOffice lays them out
    assert re.search(r"(?m)^31\.1\s+Either Party may end this Agreement with immediate effect", acme)
    assert re.search(r"(?m)^2\.2\s+References to hours and minutes", acme)
    # The contents arrive filled: each clause with its number, title and a page number
    contents = acme[acme.index("Contents"):acme.index("1 Parties\n1.1") if "1 Parties\n1.1" in acme else None]
    assert re.search(r"(?m)^1\tParties\t\d+$", contents)
    assert re.search(r"(?m)^31\tTermination\t\d+$", contents)
    assert re.search(r"(?m)^Annex A — The Customer's environment\t\d+$", contents)
    assert "Right-click" not in acme


@NEEDS_SOFFICE
@NEEDS_POPPLER
def test_contents_page_numbers_from_the_pdf_layout_fit_the_docx_as_libreoffice_lays_it_out(rendered, tmp_path):
    path = tmp_path / "acme.docx"
    path.write_bytes(rendered[("acme-dental", "agreement.docx")])
    profile = tmp_path / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=300)
    pages = _pdf_text((tmp_path / "acme.pdf").read_bytes()).split("\f")
    contents = pages[1]
    cached = {int(n): int(p) for n, p in re.findall(r"(?m)^\s*(\d+)\s+\S.*?\.{3,}\s*(\d+)\s*$", contents)}
    assert sorted(cached) == list(range(1, 41))  # the 40 clauses of acme's agreement (staff transfer the 33rd)
    laid_out = {}
    for number, page in enumerate(pages[2:], start=3):
        for heading in re.findall(r"(?m)^\s*(\d+)\s+[A-Z][a-z-]+(?: [a-z-]+)*\s*$", page):
            laid_out.setdefault(int(heading), number)
    assert sorted(laid_out) == sorted(cached)
    # An estimate from the PDF's layout of the same tree. The DOCX takes its page, type sizes,
    # line height and spacing from print.css, so LibreOffice breaks pages where WeasyPrint does
    # save where a heading meets the foot of a page (keep-with-next is not quite CSS's
    # break-after: avoid): it must start exact, stay in order, be exact for at least 35 of the 40
    # clauses and never more than a page out. Word recomputes the pages on a field update.
    off = {n: (cached[n], laid_out[n]) for n in cached if cached[n] != laid_out[n]}
    assert cached[1] == laid_out[1]
    assert [cached[n] for n in sorted(cached)] == sorted(cached.values())
    assert len(off) <= 5, off
    assert all(abs(cached[n] - laid_out[n]) <= 1 for n in cached), off


def test_docx_references_are_ref_fields_to_bookmarked_headings(rendered):
    from lxml import etree

    with zipfile.ZipFile(BytesIO(rendered[("acme-dental", "agreement.docx")])) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    bookmarks = {b.get(f"{w}name"): b.getparent() for b in root.iter(f"{w}bookmarkStart")}
    refs = [i.text.split()[1] for i in root.iter(f"{w}instrText") if i.text.split()[0] == "REF"]
    document = assemble(load_contract(ACME), "agreement")
    # clauses (31), sub-clauses (31.1) and the clauses of an annex (B.2) are numbered paragraphs
    by_number = [r for r in all_references(document.blocks) if re.fullmatch(r"(?:\d+|B)(?:\.\d+)*", r.number)]
    assert len(refs) == len(by_number) > 30  # one REF field per reference to a numbered paragraph
    for name in refs:
        heading = bookmarks[name]
        text_of = "".join(t.text for t in heading.iter(f"{w}t"))
        style = heading.find(f"{w}pPr/{w}pStyle")
        if style is not None:
            assert style.get(f"{w}val") in ("Heading1", "Heading2") and text_of  # a clause: its heading
        else:  # a sub-clause (13.2): its own paragraph, numbered by Word at the second level
            assert heading.find(f"{w}pPr/{w}numPr/{w}ilvl").get(f"{w}val") == "1" and text_of
    # the cached result of each reference to termination is 31 (its place in the outline)
    termination = next(n for n, p in bookmarks.items()
                       if "".join(t.text for t in p.iter(f"{w}t")) == "Termination")
    field_results = []
    for instr in root.iter(f"{w}instrText"):
        if instr.text.split()[:2] == ["REF", termination]:
            run = instr.getparent().getnext().getnext()  # begin, instr, separate, result
            field_results.append("".join(t.text for t in run.iter(f"{w}t")))
    assert field_results and set(field_results) == {"31"}


def test_the_reference_example_renders_byte_identically_twice(rendered):
    from slagen.pipeline.render import render_documents

    again = dict(render_documents(load_contract(ACME)))
    for name, data in again.items():
        assert data == rendered[("acme-dental", name.rsplit("-", 1)[1])], name
