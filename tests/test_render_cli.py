"""`slagen render` as a user runs it: exit codes, file names, nothing written on bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from slagen.library.contracts import load_contract
from slagen.pipeline.render import output_name, output_problems

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "acme-dental.yaml"


def slagen(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "slagen", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


def copy_with(tmp_path: Path, name: str, *replacements: tuple[str, str], extra: str = "") -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text + extra, encoding="utf-8")
    return path


def test_default_renders_both_documents_in_both_formats(tmp_path):
    out = tmp_path / "out"
    result = slagen("render", str(EXAMPLE), "-o", str(out))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["NW-ACME-2027-01-agreement.docx", "NW-ACME-2027-01-agreement.pdf",
                     "NW-ACME-2027-01-sow.docx", "NW-ACME-2027-01-sow.pdf"]
    assert all(p.read_bytes()[:4] in (b"%PDF", b"PK\x03\x04") for p in out.iterdir())


def test_one_document_in_one_format(tmp_path):
    result = slagen("render", str(EXAMPLE), "--doc", "sow", "--format", "pdf", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["NW-ACME-2027-01-sow.pdf"]
    assert f"wrote {tmp_path / 'NW-ACME-2027-01-sow.pdf'}" in result.stdout


def test_an_invalid_contract_exits_2_and_writes_nothing(tmp_path):
    bad = copy_with(tmp_path, "bad.yaml", ("response: 30m", "response: 30 minutes"))
    out = tmp_path / "out"
    result = slagen("render", str(EXAMPLE), str(bad), "-o", str(out))
    assert result.returncode == 2
    assert f"{bad}:" in result.stderr and "error" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_several_files_render_in_parallel(tmp_path):
    second = copy_with(tmp_path, "second.yaml", ("reference: NW-ACME-2027-01\n", "reference: NW-ACME-2027-02\n"))
    out = tmp_path / "out"
    result = slagen("render", str(EXAMPLE), str(second), "--format", "pdf", "--doc", "agreement", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["NW-ACME-2027-01-agreement.pdf",
                                                    "NW-ACME-2027-02-agreement.pdf"]


def test_template_syntax_in_an_override_stops_the_render(tmp_path):
    extra = ("\nclauses:\n  - id: general-terms\n    action: replace\n"
             "    text: 'Governed by {{ agreement.governing_law }}.'\n")
    path = copy_with(tmp_path, "override.yaml", extra=extra)
    out = tmp_path / "out"
    result = slagen("render", str(path), "--format", "pdf", "-o", str(out))
    assert result.returncode == 2
    assert "survived rendering" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_a_missing_file_is_a_usage_error(tmp_path):
    result = slagen("render", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_output_check_finds_missing_values_and_leftover_syntax():
    contract = load_contract(EXAMPLE)
    expected = [("customer", "Acme Dental Group Ltd"), ("P1 response", "30 minutes")]
    good = "Between Northwind and Acme Dental\nGroup Ltd ... 30\nminutes"
    assert output_problems(good, contract, expected) == []
    missing = output_problems("Acme Dental Group Ltd only", contract, expected)
    assert missing == ["the P1 response '30 minutes' does not appear in the document"]
    left = output_problems(good + " Dear {{ customer.name }} [insert date]", contract, expected)
    assert any("'{{' survived" in p for p in left) and any("[insert" in p for p in left)


def test_template_syntax_in_a_value_is_not_a_leftover(tmp_path):
    path = copy_with(tmp_path, "c.yaml", ("name: Acme Dental Group Ltd", "name: '{{ 7*7 }} Dental'"))
    contract = load_contract(path)
    assert output_problems("Signed for {{ 7*7 }} Dental", contract, [("customer", "{{ 7*7 }} Dental")]) == []


def test_files_are_named_after_the_reference():
    assert output_name("NW-ACME-2027-01", "agreement", "pdf") == "NW-ACME-2027-01-agreement.pdf"
    assert output_name("NW/ACME 2027", "sow", "docx") == "NW_ACME_2027-sow.docx"


def test_the_cli_imports_no_rendering_library():
    code = ("import sys, slagen.cli; "
            "print([m for m in ('weasyprint', 'jinja2', 'markdown_it', 'docx') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.stdout.strip() == "[]"


def test_an_output_folder_that_cannot_be_made_is_an_error_not_a_traceback(tmp_path):
    from conftest import REFERENCE, run_slagen

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_slagen("render", str(REFERENCE), "--format", "docx", "--doc", "sow", "-o", str(blocker / "out"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == f"{blocker / 'out' / 'NW-ACME-2027-01-sow.docx'}: error: cannot write here: Not a directory; nothing was written"


def test_a_final_agreement_refuses_draft_clauses_and_a_draft_one_prints_them(tmp_path):
    import shutil

    from slagen.compose.assemble import OutputCheckError
    from slagen.compose.library import CLAUSE_DIR, load_library
    from slagen.pipeline.render import render_documents

    library_dir = tmp_path / "clauses"
    shutil.copytree(CLAUSE_DIR, library_dir)
    termination = library_dir / "termination.md"
    termination.write_text(termination.read_text(encoding="utf-8").replace("status: approved", "status: draft"),
                           encoding="utf-8")
    library = load_library(library_dir)
    final = load_contract(Path(__file__).parent.parent / "examples" / "contoso-logistics-24x7.yaml")
    assert final.agreement.status == "final"
    with pytest.raises(OutputCheckError, match=r"marked final, but its agreement uses clauses still in draft "
                                               r"\(termination 3\.0\.0\)"):
        render_documents(final, ("agreement",), ("docx",), source="contoso.yaml", library=library)
    draft = final.model_copy(update={"agreement": final.agreement.model_copy(update={"status": "draft"})})
    assert [name for name, _ in render_documents(draft, ("agreement",), ("docx",), library=library)] == [
        "NW-CONTOSO-2027-03-agreement.docx"
    ]
