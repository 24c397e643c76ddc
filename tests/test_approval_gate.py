"""`status: final` renders only when `slagen review` blocks nothing, or with --override-review REASON,
which the documents then record (the clause register annex and the DOCX core properties)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from conftest import run_slagen

ROOT = Path(__file__).resolve().parent.parent
ACME = ROOT / "examples" / "acme-dental-infeasible.yaml"
CONTOSO = ROOT / "examples" / "contoso-logistics-24x7.yaml"  # final, and nothing blocks its review
REASON = "Conceded by the CFO to close before quarter end"


def final_acme(tmp_path: Path) -> Path:
    """acme-dental-infeasible marked final: its review is blocked by its feasibility errors."""
    text = ACME.read_text(encoding="utf-8").replace("  locale: en_GB\n", "  locale: en_GB\n  status: final\n", 1)
    assert "status: final" in text
    path = tmp_path / "acme-final.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def core_description(docx: Path) -> str:
    import re

    with zipfile.ZipFile(docx) as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
    match = re.search(r"<dc:description>(.*?)</dc:description>", core, re.DOTALL)
    return match.group(1) if match else ""


def test_a_final_contract_blocked_by_review_is_not_rendered(tmp_path):
    from slagen.review.review import review_file

    contract = final_acme(tmp_path)
    blocking = review_file(contract).blocking
    assert blocking  # the premise: acme's feasibility errors block approval
    out = tmp_path / "out"
    done = run_slagen("render", str(contract), "-o", str(out), "--format", "docx")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert (f"{contract}: error: the agreement is marked final, but 'slagen review' finds {len(blocking)} items "
            "blocking approval:") in done.stderr
    first = blocking[0]
    assert f"{contract}:{first.line}:{first.column}: {first.kind} {first.clause}: " in done.stderr
    assert '--override-review "REASON"' in done.stderr and "nothing was written" in done.stderr
    assert not out.exists() or list(out.iterdir()) == []


def test_an_override_renders_and_is_recorded_in_annex_b_and_the_properties(tmp_path):
    from slagen.pipeline.render import docx_text
    from slagen.review.review import review_file

    contract = final_acme(tmp_path)
    count = len(review_file(contract).blocking)
    out = tmp_path / "out"
    done = run_slagen("render", str(contract), "-o", str(out), "--format", "docx", "--override-review", REASON)
    assert done.returncode == 0, done.stderr
    note = f"Released as final over {count} items that blocked legal review approval. Reason given: {REASON}"
    for kind in ("agreement", "sow"):
        docx = out / f"NW-ACME-2027-01-D1-{kind}.docx"
        assert core_description(docx) == note
        text = docx_text(docx.read_bytes())
        register = text[text.rindex("Clauses used"):]
        assert f"Release over review. {note}" in register  # in the clause register annex, after its table


def test_the_override_is_printed_in_the_pdf_too(tmp_path):
    from slagen.library.contracts import load_contract
    from slagen.pipeline.render import render_documents

    from slagen.writers.pdf import render_pdf  # noqa: F401  (the PDF writer must be present)

    note = "Released as final over 1 item that blocked legal review approval. Reason given: test"
    contract = load_contract(CONTOSO)
    [(_, data)] = render_documents(contract, ("sow",), ("pdf",), release_note=note)
    import subprocess

    pdf = tmp_path / "sow.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Release over review." in text and "Reason given: test" in " ".join(text.split())


def test_a_final_contract_with_nothing_blocking_renders_without_a_note(tmp_path):
    out = tmp_path / "out"
    done = run_slagen("render", str(CONTOSO), "-o", str(out), "--format", "docx", "--doc", "agreement")
    assert done.returncode == 0, done.stderr
    docx = out / "NW-CONTOSO-2027-03-agreement.docx"
    assert core_description(docx) == ""
    from slagen.pipeline.render import docx_text

    assert "Release over review" not in docx_text(docx.read_bytes())


def test_a_draft_is_never_gated_and_an_override_records_nothing(tmp_path):
    out = tmp_path / "out"
    done = run_slagen("render", str(ACME), "-o", str(out), "--format", "docx", "--doc", "agreement",
                      "--override-review", REASON)
    assert done.returncode == 0, done.stderr
    assert core_description(out / "NW-ACME-2027-01-D1-agreement.docx") == ""


def test_an_override_needs_a_reason(tmp_path):
    for reason in ("", "   ", "x" * 161, "line\x1b[2Jbreak"):
        done = run_slagen("render", str(final_acme(tmp_path)), "-o", str(tmp_path / "out"), "--override-review",
                          reason)
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert done.stderr.startswith("error: ") and "--override-review" in done.stderr
        assert not (tmp_path / "out").exists()


def test_an_overridden_render_is_byte_identical_twice(tmp_path):
    contract = final_acme(tmp_path)
    outputs = []
    for n in range(2):
        out = tmp_path / f"out{n}"
        done = run_slagen("render", str(contract), "-o", str(out), "--format", "docx", "--doc", "agreement",
                          "--override-review", REASON)
        assert done.returncode == 0, done.stderr
        outputs.append((out / "NW-ACME-2027-01-D1-agreement.docx").read_bytes())
    assert outputs[0] == outputs[1]


def test_the_note_is_printed_even_where_the_outline_has_no_clause_register():
    from slagen.document import Document, Paragraph, Section, plain_text, text, walk
    from slagen.review.approval import record_release

    from datetime import date

    bare = Document(kind="agreement", title="T", reference="R", cover=None, date=date(2027, 1, 1),
                    blocks=(Section("terms", "Terms", (Paragraph(text("Body.")),)),))
    recorded = record_release(bare, "Released as final over 1 item. Reason given: test")
    assert recorded.release_note == "Released as final over 1 item. Reason given: test"
    paragraphs = [plain_text(b.inlines) for b in walk(recorded.blocks) if isinstance(b, Paragraph)]
    assert paragraphs == ["Body.", "Release over review. Released as final over 1 item. Reason given: test"]


def test_the_gate_reviews_against_the_library_the_documents_come_from(tmp_path):
    """A house library whose policy wants 365 days' notice blocks contoso (180 days), which the
    packaged policy lets through: the gate judges the documents that would be written."""
    house = tmp_path / "house"
    assert run_slagen("library", "init", str(house)).returncode == 0
    policy = house / "clauses" / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("    min: 30\n", "    min: 365\n", 1), encoding="utf-8")
    out = tmp_path / "out"
    done = run_slagen("render", str(CONTOSO), "--library", str(house), "-o", str(out), "--format", "docx")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "finds 1 item blocking approval" in done.stderr
    assert "termination.notice_days is 180; house policy requires at least 365" in done.stderr
    assert not out.exists() or list(out.iterdir()) == []
