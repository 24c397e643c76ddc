"""`slagen review`: status, overrides, clause versions, house policy, feasibility; exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slagen.compose.assemble import assemble
from slagen.compose.library import CLAUSE_DIR, load_library
from slagen.document import Section, Table, plain_text
from slagen.library.contracts import load_with_positions
from slagen.review.policy import PolicyError, check_policy, load_policy
from slagen.review.review import load_recorded, review_contract, review_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "acme-dental-infeasible.yaml"
CLEAN = ROOT / "examples" / "small-office-minimal.yaml"
DATA = Path(__file__).resolve().parent / "data" / "review"


def variant(tmp_path, *replacements, extra: str = "", source: Path = EXAMPLE, name="contract.yaml") -> Path:
    text = source.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text + extra, encoding="utf-8")
    return path


def fixture(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def review(path: Path, **kwargs):
    contract, doc = load_with_positions(path)
    return review_contract(contract, doc, file=str(path), **kwargs)


def library_copy(tmp_path, clause: str, *replacements) -> Path:
    directory = tmp_path / "clauses"
    shutil.copytree(CLAUSE_DIR, directory)
    file = directory / f"{clause}.md"
    source = file.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new, 1)
    file.write_text(source, encoding="utf-8")
    return directory


# --------------------------------------------------------------------------------------------
# Policy


def test_values_outside_house_policy_block_with_their_lines(tmp_path):
    path = variant(tmp_path, ("credit_cap: 25%", "credit_cap: 35%"), ("notice_days: 90", "notice_days: 14"))
    result = review(path, feasibility=False)
    policy = [(i.clause, i.line, i.message, i.blocking) for i in result.items if i.kind == "policy"]
    assert policy == [
        ("credit-cap", line_of(path, "credit_cap:"),
         "availability.credit_cap is 35%; house policy allows at most 30%", True),
        ("termination-notice", line_of(path, "notice_days:"),
         "termination.notice_days is 14; house policy requires at least 30", True),
    ]
    assert result.blocked


def test_policy_limits_are_compared_in_the_fields_own_type():
    from slagen.library.contracts import load_contract

    contract = load_contract(EXAMPLE)
    strict = load_policy(DATA / "policy-strict.yaml")
    hits = check_policy(contract, strict)
    # acme-dental: credit cap 25% (> 20%); responses 30m, 1h, 4h, 8h: only P1's 30m is under 45m.
    assert [(h.rule, h.loc) for h in hits] == [
        ("credit-cap", ("availability", "credit_cap")),
        ("response-time", ("priorities", 0, "response")),
    ]
    assert hits[1].message == "priorities[0].response is 30 minutes; house policy requires at least 45 minutes"


def test_the_default_policy_accepts_the_examples():
    from slagen.library.contracts import load_contract

    for name in ("acme-dental", "contoso-logistics-24x7", "small-office-minimal"):
        assert check_policy(load_contract(ROOT / "examples" / f"{name}.yaml"), load_policy()) == []


def test_a_malformed_policy_is_a_users_error(tmp_path):
    from slagen.errors import InvalidInput

    bad = tmp_path / "policy.yaml"
    bad.write_text("limits:\n  - {id: x, field: termination.notice_days}\n")
    with pytest.raises(InvalidInput, match=r"policy.yaml:2:5: error: limit 'x' needs a 'min' or a 'max'"):
        load_policy(bad)
    bad.write_text("limit: []\n")
    with pytest.raises(InvalidInput, match="unknown key 'limit' at the top level; did you mean 'limits'"):
        load_policy(bad)
    with pytest.raises(PolicyError, match="no such policy file"):
        load_policy(tmp_path / "missing.yaml")


# --------------------------------------------------------------------------------------------
# Overrides


def test_an_overridden_clause_is_listed_with_its_difference_from_the_library(tmp_path):
    path = variant(tmp_path, extra=fixture("clauses-replace.yaml"))
    result = review(path, feasibility=False)
    overrides = [i for i in result.items if i.kind == "override"]
    assert len(overrides) == 1
    item = overrides[0]
    assert (item.clause, item.blocking, item.path, item.line) == ("exclusions", False, "clauses[0]",
                                                                   line_of(path, "- id: exclusions"))
    assert item.message == ("the contract replaces clause 'exclusions' "
                            "(reason: Agreed with the customer's solicitor on 3 December 2026.)")
    lines = item.detail.splitlines()
    assert "changed exclusions/p[1]" in lines
    assert "  + The following are excluded from the Services:" in lines
    assert "removed exclusions/list[1]/item[3]" in lines
    assert not result.blocked


def test_an_override_without_a_reason_blocks(tmp_path):
    result = review(variant(tmp_path, extra=fixture("clauses-replace-no-reason.yaml")), feasibility=False)
    [item] = [i for i in result.items if i.kind == "override"]
    assert item.blocking and "no reason given" in item.message and "reason" in item.why


def test_a_clause_that_may_never_be_overridden_blocks(tmp_path):
    result = review(variant(tmp_path, extra=fixture("clauses-replace-general-terms.yaml")), feasibility=False)
    [item] = [i for i in result.items if i.kind == "override"]
    assert item.blocking and item.clause == "general-terms"
    assert item.why == "House policy: 'general-terms' may never be overridden for one contract."


def test_added_and_omitted_clauses_are_listed(tmp_path):
    added = review(variant(tmp_path, extra=fixture("clauses-add.yaml"), name="a.yaml"), feasibility=False)
    [item] = [i for i in added.items if i.kind == "override"]
    assert item.detail == ("added: Dental imaging systems: The Provider supports the network connection of the "
                           "practice's imaging systems only.")
    omitted = review(variant(tmp_path, extra=fixture("clauses-omit.yaml"), name="o.yaml"), feasibility=False)
    [item] = [i for i in omitted.items if i.kind == "override"]
    assert item.detail == "omitted: Support constraints" and not item.blocking


# --------------------------------------------------------------------------------------------
# Status and versions


def test_a_clause_in_draft_status_blocks(tmp_path):
    library = load_library(library_copy(tmp_path, "termination", ("status: approved", "status: draft")))
    result = review(CLEAN, library=library, feasibility=False)
    status = [(i.clause, i.blocking, i.document) for i in result.items if i.kind == "status"]
    assert status == [("termination", True, "agreement")]


def test_a_newer_library_version_than_the_one_recorded(tmp_path):
    recorded_json = tmp_path / "approved.json"
    recorded_json.write_text(json.dumps(review(CLEAN, feasibility=False).as_json()))
    library = load_library(library_copy(tmp_path, "termination", ("version: 3.0.0", "version: 3.1.0"),
                                        ("reasonable assistance", "reasonable and timely assistance")))
    result = review(CLEAN, library=library, recorded=load_recorded(recorded_json), feasibility=False)
    [item] = [i for i in result.items if i.kind == "version"]
    assert item.clause == "termination" and not item.blocking
    assert item.message == ("clause 'termination': the library has version 3.1.0, newer than the version 3.0.0 "
                            "recorded for this contract")
    strict = load_policy(DATA / "policy-strict.yaml")
    result = review(CLEAN, library=library, recorded=load_recorded(recorded_json), feasibility=False,
                    policy=strict)
    assert [i.blocking for i in result.items if i.kind == "version"] == [True]


def test_a_text_change_without_a_version_bump_blocks(tmp_path):
    recorded_json = tmp_path / "approved.json"
    recorded_json.write_text(json.dumps(review(CLEAN, feasibility=False).as_json()))
    library = load_library(library_copy(tmp_path, "termination",
                                        ("reasonable assistance", "reasonable and timely assistance")))
    result = review(CLEAN, library=library, recorded=load_recorded(recorded_json), feasibility=False)
    [item] = [i for i in result.items if i.kind == "version"]
    assert item.blocking and "the text changed but its version 3.0.0 did not" in item.message


def test_the_recorded_versions_can_be_read_from_an_approved_docx(tmp_path):
    from slagen.library.contracts import load_contract
    from slagen.writers.docx import write_docx

    document = assemble(load_contract(CLEAN), "agreement")
    approved = tmp_path / "approved.docx"
    approved.write_bytes(write_docx(document))
    recorded = load_recorded(approved)
    register = document.metadata["register"]
    # The DOCX says which document it is (its category property), so its register is keyed by that kind.
    assert recorded == {("agreement", e.id): type(next(iter(recorded.values())))(e.version, e.sha256[:16])
                        for e in register}
    library = load_library(library_copy(tmp_path, "termination", ("version: 3.0.0", "version: 4.0.0")))
    result = review(CLEAN, library=library, recorded=recorded, feasibility=False)
    assert [(i.clause, i.kind) for i in result.items] == [("termination", "version")]


# --------------------------------------------------------------------------------------------
# Feasibility, the register, the command line


def test_feasibility_errors_block(tmp_path):
    from slagen.check.run import check_contract

    contract, doc = load_with_positions(EXAMPLE)
    errors = [f for f in check_contract(contract, doc) if f.severity == "error"]
    result = review_contract(contract, doc, file=str(EXAMPLE))
    feasibility = [(i.clause, i.line, i.message) for i in result.items if i.kind == "feasibility"]
    assert feasibility == [(f.rule, f.line, f.message) for f in errors]
    assert result.blocked == bool(errors)


def test_the_review_register_is_annex_b():
    from slagen.library.contracts import load_contract

    contract = load_contract(EXAMPLE)
    result = review(EXAMPLE, feasibility=False)
    for kind in ("agreement", "sow"):
        document = assemble(contract, kind)
        annex = next(b for b in document.blocks if isinstance(b, Section) and b.id == "annex-register")
        table = next(b for b in annex.children if isinstance(b, Table))
        annex_rows = [tuple(plain_text(c) for c in row) for row in table.rows]
        ours = [e for e in result.register if e["document"] == kind]
        assert [(e["id"], e["title"], e["version"] or "-", e["status"], e["sha256"][:16],
                 f"{e['change']}: {e['reason']}" if e["change"] and e["reason"] else (e["change"] or "as in library"))
                for e in ours] == annex_rows


def test_text_output_groups_blocking_items_first(tmp_path):
    path = variant(tmp_path, ("notice_days: 90", "notice_days: 14"), extra=fixture("clauses-replace.yaml"))
    text = review_text(review(path, feasibility=False))
    lines = text.splitlines()
    assert lines[0].endswith("approval blocked by 1 item; 1 more to read")
    assert lines.index("Blocking approval") < lines.index("To read")
    assert f"{path}:{line_of(path, 'notice_days')}:16: policy termination-notice" in text


def test_cli_exit_codes(tmp_path):
    from slagen.cli import app

    runner = CliRunner()
    clean = runner.invoke(app, ["review", str(CLEAN)])
    assert clean.exit_code == 0, clean.output
    assert "nothing blocks approval" in clean.output
    blocked = runner.invoke(app, ["review", str(EXAMPLE), "--format", "json"])
    assert blocked.exit_code == 1
    assert json.loads(blocked.output)["blocked"] is True
    broken = tmp_path / "broken.yaml"
    broken.write_text("slagen: 1\nagreement: {}\n")
    assert runner.invoke(app, ["review", str(broken)]).exit_code == 2
    assert runner.invoke(app, ["review", str(tmp_path / "missing.yaml")]).exit_code == 2


def test_cli_diff(tmp_path):
    from slagen.cli import app

    runner = CliRunner()
    new = variant(tmp_path, ("notice_days: 90", "notice_days: 60"))
    result = runner.invoke(app, ["diff", str(EXAMPLE), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["values"] == [{"value": "Termination notice", "before": "90 days", "after": "60 days"}]
    assert [sorted(c) for c in data["changes"]] == [["after", "before", "clause", "kind", "path"]]
    out = tmp_path / "redline.docx"
    result = runner.invoke(app, ["diff", str(EXAMPLE), str(new), "--format", "docx", "-o", str(out)])
    assert result.exit_code == 0 and out.read_bytes()[:2] == b"PK"
    assert runner.invoke(app, ["diff", str(EXAMPLE), str(tmp_path / "nope.yaml")]).exit_code == 2
    same = runner.invoke(app, ["diff", str(EXAMPLE), str(EXAMPLE)])
    assert same.exit_code == 0 and "No changes." in same.output
