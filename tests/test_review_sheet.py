"""The internal review sheet (`slagen review FILE --format docx|pdf`): blocking items, items to read,
every override with its reason and difference from the library text, the defaults relied on, and
the clause register; built as a document tree and written by the usual writers."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from conftest import run_slagen

ROOT = Path(__file__).resolve().parent.parent
ACME = ROOT / "examples" / "acme-dental-infeasible.yaml"
CLEAN = ROOT / "examples" / "small-office-minimal.yaml"
DATA = Path(__file__).resolve().parent / "data" / "review"
REASON = "Agreed with the customer's solicitor on 3 December 2026."


def with_override(tmp_path: Path) -> Path:
    path = tmp_path / "acme-override.yaml"
    path.write_text(ACME.read_text(encoding="utf-8") + (DATA / "clauses-replace.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    return path


def sheet_text(path: Path, **kwargs) -> tuple[str, object]:
    from slagen.document import plain_text, walk, Paragraph, Table
    from slagen.review.review import load_and_review
    from slagen.review.sheet import review_document

    contract, review = load_and_review(path, **kwargs)
    document = review_document(review, contract)
    lines = []
    for block in walk(document.blocks):
        if isinstance(block, Paragraph):
            lines.append(plain_text(block.inlines))
        elif isinstance(block, Table):
            lines += [" | ".join(plain_text(c) for c in row) for row in (block.header, *block.rows)]
    return "\n".join(lines), review


def test_the_sheet_holds_every_item_override_reason_and_register_row(tmp_path):
    text, review = sheet_text(with_override(tmp_path))
    assert "Internal: for the provider's legal team." in text
    assert f"Approval is blocked by {len(review.blocking)} items." in text
    for item in review.items:
        assert item.message in text, item.message
    # The override: its reason, and its difference from the library text line by line.
    assert f"exclusions | Agreement | Replaced | {REASON}" in text
    [override] = [i for i in review.items if i.kind == "override"]
    for line in override.detail.splitlines():
        if line.strip():
            assert line in text
    # The register of both documents, one row each.
    for entry in review.register:
        assert f"{entry['id']} | {entry['version'] or '-'} | {entry['status']} | {entry['sha256'][:16]}" in text


def test_the_sheet_without_overrides_or_blocking_items_says_so(tmp_path):
    text, review = sheet_text(CLEAN)
    assert not review.blocked
    assert "Nothing blocks approval." in text
    assert "The contract uses the library text of every clause." in text


def test_defaults_relied_on_are_listed_where_the_model_provides_them(tmp_path, monkeypatch):
    fake = types.ModuleType("slagen.model.defaults")
    fake.defaults_relied_on = lambda contract: [("liability.cap", "the fees paid in the 12 months before the claim"),
                                                ("fees.payment_days", "30 days")]
    monkeypatch.setitem(sys.modules, "slagen.model.defaults", fake)
    text, review = sheet_text(CLEAN)
    assert review.defaults == (("liability.cap", "the fees paid in the 12 months before the claim"),
                               ("fees.payment_days", "30 days"))
    assert "liability.cap | the fees paid in the 12 months before the claim" in text
    assert "2 defaults relied on." in text
    from slagen.review.review import review_text

    assert "  fees.payment_days: 30 days" in review_text(review).splitlines()
    assert review.as_json()["defaults"][1] == {"path": "fees.payment_days", "value": "30 days"}


def test_cli_writes_a_docx_sheet_with_the_reasons(tmp_path):
    from slagen.pipeline.render import docx_text

    contract = with_override(tmp_path)
    out = tmp_path / "sheet.docx"
    done = run_slagen("review", str(contract), "--format", "docx", "-o", str(out))
    assert done.returncode == 1, done.stderr  # acme's feasibility errors block approval
    assert done.stdout.startswith(f"wrote {out} (approval blocked by ")
    text = docx_text(out.read_bytes())
    assert REASON in text and "Items blocking approval" in text and "Clause register" in text
    again = tmp_path / "again.docx"
    run_slagen("review", str(contract), "--format", "docx", "-o", str(again))
    assert again.read_bytes() == out.read_bytes()  # the same input gives the same bytes


def test_cli_writes_a_pdf_sheet_named_after_the_reference(tmp_path):
    import subprocess

    done = run_slagen("review", str(CLEAN), "--format", "pdf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "NW-BAKER-2027-01-review.pdf"
    assert done.stdout.strip() == "wrote NW-BAKER-2027-01-review.pdf (nothing blocks approval)"
    laid_out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Legal review sheet" in laid_out and "Nothing blocks approval." in laid_out


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_output_file_is_only_for_the_sheet(tmp_path, fmt):
    done = run_slagen("review", str(CLEAN), "--format", fmt, "-o", str(tmp_path / "x"))
    assert done.returncode == 2 and done.stderr.startswith("error: -o writes the review sheet")
    assert not (tmp_path / "x").exists()
