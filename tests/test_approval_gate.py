"""`status: final` renders only when `slagen review` blocks nothing, or with --override-review REASON,
which the internal review sheet written beside the documents records, and the documents never do."""

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


def _every_text_in(path: Path) -> str:
    """All the text a file holds: a DOCX's every part (document, headers, docProps, ...), a PDF's text."""
    import subprocess

    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def test_a_release_over_review_leaves_no_trace_in_the_documents_and_is_kept_in_the_review_sheet(tmp_path):
    from slagen.pipeline.render import docx_text
    from slagen.review.review import review_file

    contract = final_acme(tmp_path)
    count = len(review_file(contract).blocking)
    out = tmp_path / "out"
    done = run_slagen("render", str(contract), "-o", str(out), "--override-review", REASON)
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted([f"NW-ACME-2027-01-D1-{kind}.{fmt}" for kind in ("agreement", "sow")
                              for fmt in ("docx", "pdf")] + ["NW-ACME-2027-01-D1-review.docx"])
    for name in written:
        if name.endswith("-review.docx"):
            continue
        every = _every_text_in(out / name)
        for trace in (REASON, "Released as final", "Release over review", "blocked legal review"):
            assert trace not in every, (name, trace)
        if name.endswith(".docx"):
            assert core_description(out / name) == ""
    sheet = docx_text((out / "NW-ACME-2027-01-D1-review.docx").read_bytes())
    note = f"Released as final over {count} items that blocked legal review approval. Reason given: {REASON}"
    assert "Release over review" in sheet and note in sheet
    assert "not part of the agreement and is never sent to the customer" in sheet


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
