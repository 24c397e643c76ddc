"""Hostile inputs to `slagen review` (issue 15): every one exits 2 with a message a lawyer can act on,
at FILE:LINE:COL where the input has lines, and never a traceback.

--since takes an approved DOCX or a review's JSON; --policy takes the house policy. Both are read
with bounds: a zip bomb is refused before a part is unpacked, an alias bomb before it expands.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path

import pytest

from conftest import run_slagen

ROOT = Path(__file__).resolve().parent.parent
ACME = ROOT / "examples" / "acme-dental-infeasible.yaml"
CLEAN = ROOT / "examples" / "small-office-minimal.yaml"


def refused(done, *words: str) -> str:
    """The command failed as a user's mistake: exit 2, no traceback, the words on stderr."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    for word in words:
        assert word in done.stderr, (word, done.stderr)
    return done.stderr


def approved_docx(tmp_path: Path, kind: str = "agreement", contract: Path = ACME) -> Path:
    from slagen.compose.assemble import assemble
    from slagen.library.contracts import load_contract
    from slagen.writers.docx import write_docx

    path = tmp_path / f"approved-{kind}.docx"
    path.write_bytes(write_docx(assemble(load_contract(contract), kind)))
    return path


# ---- --since: the approved document ------------------------------------------------------------


def test_a_zip_bomb_docx_is_refused_before_it_is_unpacked(tmp_path):
    bomb = tmp_path / "approved.docx"
    zeros = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(200):  # 200 MB of zeros, a few hundred kilobytes packed
                part.write(zeros)
    assert bomb.stat().st_size < 1024 * 1024
    started = time.monotonic()
    err = refused(run_slagen("review", str(CLEAN), "--since", str(bomb)), f"{bomb}: error:",
                  "would unpack to 200 MB", "so it was not opened")
    assert time.monotonic() - started < 20
    assert err.count("\n") == 1


def test_a_docx_with_thousands_of_parts_is_refused(tmp_path):
    many = tmp_path / "approved.docx"
    with zipfile.ZipFile(many, "w") as archive:
        for n in range(600):
            archive.writestr(f"word/part{n}.xml", "")
    refused(run_slagen("review", str(CLEAN), "--since", str(many)), "holds 600 parts")


def test_a_pdf_is_not_an_approved_docx(tmp_path):
    for name in ("approved.pdf", "approved.docx"):  # the content decides, not the name
        pdf = tmp_path / name
        pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
        refused(run_slagen("review", str(CLEAN), "--since", str(pdf)), f"{pdf}: error: a PDF is not an approved DOCX")


def test_a_register_row_with_one_cell_is_an_altered_register(tmp_path):
    import docx

    approved = approved_docx(tmp_path, contract=CLEAN)
    document = docx.Document(str(approved))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Clause")
    row = table.rows[1]._tr
    for cell in row.tc_lst[1:]:
        row.remove(cell)
    document.save(str(approved))
    refused(run_slagen("review", str(CLEAN), "--since", str(approved)),
            "row 1 of the clause register has 1 cell", "the register was altered")


def test_json_nested_100000_deep(tmp_path):
    deep = tmp_path / "review.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    refused(run_slagen("review", str(CLEAN), "--since", str(deep)), "nested too deeply")


@pytest.mark.parametrize("version", ["1.0." + "9" * 5000, "9" * 5000])
def test_a_5000_digit_version(tmp_path, version):
    review_json = tmp_path / "review.json"
    review_json.write_text(json.dumps({"register": [{"document": "agreement", "id": "termination",
                                                     "version": version, "sha256": ""}]}))
    refused(run_slagen("review", str(CLEAN), "--since", str(review_json)),
            "the register gives clause 'termination' the version", "which is not a version such as 1.0.0")


def test_a_5000_digit_number_in_the_json(tmp_path):
    review_json = tmp_path / "review.json"
    review_json.write_text('{"register": [{"id": "termination", "version": ' + "9" * 5000 + "}]}")
    refused(run_slagen("review", str(CLEAN), "--since", str(review_json)), "a number in it is far too long")


def test_malformed_json_points_at_its_line(tmp_path):
    review_json = tmp_path / "review.json"
    review_json.write_text('{"register": [\n  {"id": "termination",,}\n]}')
    refused(run_slagen("review", str(CLEAN), "--since", str(review_json)), f"{review_json}:2:")


def test_the_agreements_register_does_not_make_every_sow_clause_new(tmp_path):
    from slagen.review.review import load_recorded, review_file

    agreement = approved_docx(tmp_path, "agreement")
    assert {kind for kind, _ in load_recorded(agreement)} == {"agreement"}
    result = review_file(ACME, since=agreement)
    versions = [i for i in result.items if i.kind == "version"]
    # Nothing changed in the agreement; the SOW's versions are not compared against the agreement's register.
    assert [(i.document, i.blocking) for i in versions] == [("sow", False)]
    assert "the recorded register is not the statement of work's" in versions[0].message
    # Given both approved documents, nothing is new.
    sow = approved_docx(tmp_path, "sow")
    both = review_file(ACME, since=[agreement, sow])
    assert [i for i in both.items if i.kind == "version"] == []


def test_since_may_be_given_twice_on_the_command_line(tmp_path):
    agreement, sow = approved_docx(tmp_path, "agreement"), approved_docx(tmp_path, "sow")
    done = run_slagen("review", str(ACME), "--format", "json", "--since", str(agreement), "--since", str(sow))
    assert done.returncode == 1, done.stderr  # acme's feasibility errors still block
    assert [i for i in json.loads(done.stdout)["items"] if i["kind"] == "version"] == []


# ---- --policy: the house policy ------------------------------------------------------------------


def policy_file(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_never_override_written_as_one_word_is_not_a_set_of_letters(tmp_path):
    path = policy_file(tmp_path, "never_override: parties\n")
    refused(run_slagen("review", str(CLEAN), "--policy", str(path)),
            f"{path}:1:17: error: 'never_override' is a list of clause ids: write [parties]")


def test_an_alias_bomb_in_the_policy_is_refused_at_once(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 10):
        prev, name = chr(96 + n), chr(97 + n)
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]")
    path = policy_file(tmp_path, "\n".join(lines) + "\n")
    started = time.monotonic()
    refused(run_slagen("review", str(CLEAN), "--policy", str(path)), f"{path}:", "expands to more than")
    assert time.monotonic() - started < 20


def test_a_policy_that_is_not_utf8(tmp_path):
    path = policy_file(tmp_path, b"limits: []\nnever_override: [\xff\xfe]\n")
    refused(run_slagen("review", str(CLEAN), "--policy", str(path)), f"{path}:2:18: error:", "not UTF-8")


def test_a_policy_nested_too_deeply(tmp_path):
    path = policy_file(tmp_path, "limits: " + "[" * 50_000 + "]" * 50_000 + "\n")
    refused(run_slagen("review", str(CLEAN), "--policy", str(path)), f"{path}:1:1: error:",
            "nested too deeply to be a policy file")


@pytest.mark.parametrize("text, words", [
    ("", "the policy file is empty: a policy is a mapping with 'limits'"),
    ("# only a comment\n", "the policy file is empty"),
    ("- credit-cap\n- parties\n", "the file holds a list; a policy is a mapping with 'limits'"),
])
def test_a_policy_of_the_wrong_shape(tmp_path, text, words):
    path = policy_file(tmp_path, text)
    refused(run_slagen("review", str(CLEAN), "--policy", str(path)), f"{path}:1:1: error: {words}")


@pytest.mark.parametrize("text, where, words", [  # where: the text pointed at
    ("limits: 5\n", "5", "'limits' is a list"),
    ("limits:\n  - {id: cap, field: availability.credit_cap, max: .nan}\n", ".nan",
     "'nan' is not a number a contract value can be compared with"),
    ("limits:\n  - {id: cap, field: availability.credit_cap, max: .inf}\n", ".inf", "is not a number"),
    ("limits:\n  - {id: notice, field: termination.notice_days, min: 12.5}\n", "12.5", "not a whole number"),
    ("limits:\n  - {id: cap, field: availability.credit_kap, max: 30%}\n", "availability.credit_kap",
     "there is no 'credit_kap' in availability"),
    ("limits:\n  - {id: r, field: priorities.response, min: 1h}\n", "priorities.response", "write 'priorities[*]'"),
    ("limits:\n  - {id: t, field: agreement.title, max: 3}\n", "agreement.title", "cannot have a min or max"),
    ("limits:\n  - {id: n, field: termination.notice_days, min: 60, max: 30}\n", "30}",
     "its max is below its min"),
    ("limits:\n  - {id: n, field: termination.notice_days}\n", "{id", "needs a 'min' or a 'max'"),
    ("limits:\n  - {id: n, field: termination.notice_days, min: true}\n", "true", "a limit is a number"),
    ("override_needs_reason: 'no'\n", "'no'", "expected true or false"),
    ("limit: []\n", "limit", "unknown key 'limit' at the top level; did you mean 'limits'?"),
])
def test_a_malformed_policy_is_reported_at_its_line(tmp_path, text, where, words):
    """``where`` is the text the message must point at: its line and column are found in ``text``."""
    path = policy_file(tmp_path, text)
    line = next(n for n, content in enumerate(text.splitlines(), 1) if where in content)
    column = text.splitlines()[line - 1].index(where) + 1
    refused(run_slagen("review", str(CLEAN), "--policy", str(path)), f"{path}:{line}:{column}: error:", words)


def test_policy_errors_in_json_name_the_policy_file(tmp_path):
    path = policy_file(tmp_path, "never_override: parties\n")
    done = run_slagen("review", str(CLEAN), "--policy", str(path), "--format", "json")
    assert done.returncode == 2
    payload = json.loads(done.stdout)
    assert payload["file"] == str(path) and payload["errors"][0]["line"] == 1


def test_a_sound_policy_still_reads_limits_in_the_fields_type(tmp_path):
    from datetime import timedelta
    from decimal import Decimal

    from slagen.review.policy import load_policy

    path = policy_file(tmp_path, "limits:\n"
                                 "  - {id: cap, field: availability.credit_cap, max: 0.5}\n"
                                 "  - {id: resp, field: 'priorities[*].response', min: 45m}\n"
                                 "  - {id: notice, field: termination.notice_days, min: 30}\n"
                                 "never_override: [parties]\n")
    policy = load_policy(path)
    assert [(l.id, l.min, l.max) for l in policy.limits] == [
        ("cap", None, Decimal("0.5")), ("resp", timedelta(minutes=45), None), ("notice", 30, None)]
    assert policy.never_override == frozenset({"parties"})


def test_a_docx_that_does_not_say_which_document_it_is_is_matched_by_its_clauses(tmp_path):
    import docx

    from slagen.review.review import load_recorded, review_file

    agreement = approved_docx(tmp_path, "agreement")
    document = docx.Document(str(agreement))
    document.core_properties.category = ""
    document.save(str(agreement))
    assert {kind for kind, _ in load_recorded(agreement)} == {""}
    versions = [i for i in review_file(ACME, since=agreement).items if i.kind == "version"]
    assert [(i.document, i.clause) for i in versions] == [("sow", "register")]


def test_a_misspelt_section_with_a_bracket_is_a_located_error(tmp_path):
    """Found by the loader's hypothesis test: 'servi[es:' crashed the error wording (outside review,
    fixed here because it is a traceback)."""
    path = tmp_path / "contract.yaml"
    path.write_text(ACME.read_text(encoding="utf-8").replace("\nservices:", "\nservi[es:", 1), encoding="utf-8")
    done = run_slagen("validate", str(path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("servi[es:"))
    assert f"{path}:{line}:1: error: unknown key 'servi[es' at the top level" in done.stderr
