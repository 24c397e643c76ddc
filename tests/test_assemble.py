"""Contract + outline + clauses -> one document tree. Expected figures are worked out by hand."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from slagen.compose.assemble import OverrideError, assemble, compute_facts
from slagen.compose.library import CLAUSE_DIR
from slagen.document import Section, SignatureBlock, Table, TableOfContents, plain_text, walk
from slagen.library.contracts import load_contract
from slagen.model import Contract
from slagen.source.yaml_positions import read_yaml

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "acme-dental.yaml"
LONDON = ZoneInfo("Europe/London")


def variant(tmp_path, *replacements: tuple[str, str], extra: str = "") -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "contract.yaml"
    path.write_text(text + extra, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def contract():
    return load_contract(EXAMPLE)


@pytest.fixture(scope="module")
def agreement(contract):
    return assemble(contract, "agreement")


def all_text(blocks) -> str:
    out = []
    for block in walk(blocks):
        if isinstance(block, Section):
            out.append(block.title)
        elif hasattr(block, "inlines"):
            out.append(plain_text(block.inlines))
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                out.extend(plain_text(c) for c in row)
    return "\n".join(out)


def test_the_agreement_follows_its_outline(agreement):
    top = [b.id for b in agreement.blocks if isinstance(b, Section)]
    assert top == [
        "parties", "definitions", "precedence", "term-and-renewal", "scope-of-services", "exclusions",
        "third-party-platforms", "support-hours", "problem-reporting", "priorities", "worked-examples",
        "availability", "maintenance", "service-credits", "support-constraints", "customer-responsibilities",
        "users-and-credentials", "data-protection",
        "backup-and-recovery", "security-measures", "reporting-and-reviews", "fees-and-payment", "suspension", "confidentiality",
        "intellectual-property", "liability", "insurance", "subcontracting-and-assignment", "non-solicitation",
        "force-majeure", "termination", "exit-data", "staff-transfer", "survival", "dispute-escalation", "notices", "entire-agreement",
        "general-terms", "governing-law", "signatures",
        "annex-environment", "annex-data-processing", "annex-register", "annex-closures",
    ]
    assert isinstance(agreement.blocks[0], TableOfContents)
    annexes = [b for b in agreement.blocks if isinstance(b, Section) and b.annex]
    assert [a.id for a in annexes] == ["annex-environment", "annex-data-processing", "annex-register", "annex-closures"]
    signatures = next(b for b in agreement.blocks if isinstance(b, Section) and b.id == "signatures")
    assert signatures.children[-1] == SignatureBlock(("Northwind Managed Services Ltd", "Acme Dental Group Ltd"))


def test_cover_and_metadata_come_from_the_contract(agreement):
    assert agreement.cover.reference == "NW-ACME-2027-01"
    assert agreement.cover.parties == ("Northwind Managed Services Ltd", "Acme Dental Group Ltd")
    assert agreement.cover.draft is True
    assert agreement.date == date(2027, 1, 1)


def test_ids_are_stable_across_assemblies(contract, agreement):
    again = assemble(contract, "agreement")
    assert again == agreement
    ids = [b.id for b in walk(agreement.blocks) if isinstance(b, (Section, Table)) and b.id]
    assert len(ids) == len(set(ids))


def test_worked_examples_by_hand(contract):
    # Support hours Monday-Friday 08:30-17:30 in London. The example week is the first full one
    # after 1 January 2027: Friday 8 January closes at 17:30, the next opening is Monday 11th 08:30.
    examples = {e.priority: e for e in compute_facts(contract).worked_examples}
    p2 = examples["P2"]  # logged half its 1h response before closing: 17:00
    assert p2.logged == datetime(2027, 1, 8, 17, 0, tzinfo=LONDON)
    assert p2.response_due == datetime(2027, 1, 11, 9, 0, tzinfo=LONDON)  # 30m Fri + 30m Mon
    assert p2.resolution_due == datetime(2027, 1, 11, 16, 0, tzinfo=LONDON)  # 30m Fri + 7h30 Mon
    p3 = examples["P3"]  # logged 15:30; 24h = 2h Fri + 9h Mon + 9h Tue + 4h Wed
    assert p3.response_due == datetime(2027, 1, 11, 10, 30, tzinfo=LONDON)
    assert p3.resolution_due == datetime(2027, 1, 13, 12, 30, tzinfo=LONDON)
    p4 = examples["P4"]  # logged 13:30; 72h = 4h Fri + 45h (11-15 Jan) + 9h + 9h + 5h (Wed 20th)
    assert p4.resolution_due == datetime(2027, 1, 20, 13, 30, tzinfo=LONDON)
    p1 = examples["P1"]  # 24x7: logged late on Saturday night, counts straight through
    assert p1.logged == datetime(2027, 1, 9, 23, 40, tzinfo=LONDON)
    assert p1.response_due == datetime(2027, 1, 10, 0, 10, tzinfo=LONDON)
    assert p1.resolution_due == datetime(2027, 1, 10, 3, 40, tzinfo=LONDON)


def test_worked_examples_are_printed(agreement):
    text = all_text(agreement.blocks)
    assert ("A P2 (Urgent) Incident logged on Friday 8 January 2027 at 17:00 must receive a Response by "
            "Monday 11 January 2027 at 09:00") in text


def test_downtime_allowed_per_30_day_month(contract, agreement):
    facts = compute_facts(contract)
    allowed = {d.service: d.allowed for d in facts.downtime}
    # 720 hours: 0.1% is 0.72 h = 43 min 12 s (every acme service with a target is at 99.9%).
    assert allowed["Email and calendaring (Microsoft 365)"] == timedelta(minutes=43, seconds=12)
    assert allowed["File services"] == timedelta(minutes=43, seconds=12)
    assert "User helpdesk" not in allowed
    text = all_text(agreement.blocks)
    assert "30-day month of 720 measured hours" in text
    assert "43 minutes 12 seconds" in text


def test_service_credit_example(contract, agreement):
    credit = compute_facts(contract).credit_example
    # Second tier: below 99.5% -> 10%; 99.4% of 720 h is 4.32 h down; 10% of 5400.00 is 540.00.
    assert credit.measured == Decimal("99.4")
    assert credit.credit == Decimal("10")
    assert credit.downtime == timedelta(hours=4, minutes=19, seconds=12)
    assert credit.amount == Decimal("540.00")
    assert "which is £540.00" in all_text(agreement.blocks)


def test_sow_milestones_and_fees(contract):
    sow = assemble(contract, "sow")
    facts = compute_facts(contract)
    assert [m.due for m in facts.milestones] == [date(2027, 1, 15), date(2027, 1, 29), date(2027, 2, 12)]
    text = all_text(sow.blocks)
    assert "12 February 2027" in text
    assert "£5,400.00 per month" in text and "£3,000.00" in text and "£135.00 per hour" in text
    top = [b.id for b in sow.blocks if isinstance(b, Section)]
    assert top[:3] == ["sow-overview", "sow-scope", "sow-onboarding"]
    assert top[-2:] == ["signatures", "annex-register"]


def test_register_lists_every_clause_with_its_hash(agreement):
    register = next(b for b in agreement.blocks if isinstance(b, Section) and b.id == "annex-register")
    table = next(b for b in register.children if isinstance(b, Table))
    rows = {plain_text(r[0]): [plain_text(c) for c in r] for r in table.rows}
    source = (CLAUSE_DIR / "priorities.md").read_text(encoding="utf-8")
    assert rows["priorities"][4] == hashlib.sha256(source.encode()).hexdigest()[:16]
    assert rows["priorities"][2] == "2.1.0"
    assert "environment-components" in rows
    used = [b.id for b in agreement.blocks if isinstance(b, Section) and not b.annex]
    assert set(used) <= set(rows)


def test_a_clause_with_a_false_condition_is_left_out(tmp_path):
    path = variant(tmp_path, ("personal_data: true", "personal_data: false"))
    doc = assemble(load_contract(path), "agreement")
    ids = [b.id for b in doc.blocks if isinstance(b, Section)]
    assert "data-protection" not in ids
    assert "backup-and-recovery" in ids


OVERRIDES = """
clauses:
  - {id: exclusions, action: omit, reason: Agreed in the meeting of 3 December}
  - id: general-terms
    action: replace
    text: "The parties' **own** general terms, as signed on 1 December 2026, apply."
    reason: Customer's standard terms
  - id: escrow
    action: add
    title: Source code escrow
    text: "The Provider shall keep its scripts in escrow."
    after: termination
    reason: Requested by the customer's board
"""


def test_overrides_omit_replace_and_add_and_are_registered(tmp_path):
    doc = assemble(load_contract(variant(tmp_path, extra=OVERRIDES)), "agreement")
    ids = [b.id for b in doc.blocks if isinstance(b, Section)]
    assert "exclusions" not in ids
    assert ids[ids.index("termination") + 1] == "escrow"
    general = next(b for b in doc.blocks if isinstance(b, Section) and b.id == "general-terms")
    assert all_text(general.children) == "The parties' own general terms, as signed on 1 December 2026, apply."
    register = next(b for b in doc.blocks if isinstance(b, Section) and b.id == "annex-register")
    table = next(b for b in register.children if isinstance(b, Table))
    changes = {plain_text(r[0]): plain_text(r[5]) for r in table.rows}
    assert changes["exclusions"] == "omitted"
    assert changes["general-terms"] == "replaced"
    assert changes["escrow"] == "added"
    assert changes["priorities"] == "as in library"
    # the reasons are the provider's internal notes: never in the customer's copy
    everything = all_text(doc.blocks)
    for reason in ("Agreed in the meeting of 3 December", "Customer's standard terms",
                   "Requested by the customer's board"):
        assert reason not in everything


def test_an_override_of_a_clause_that_does_not_exist_is_refused(tmp_path):
    extra = "\nclauses:\n  - {id: no-such-clause, action: omit}\n"
    # validate refuses it at its line (tests/test_validate_errors.py); assemble refuses it too when
    # given a contract that did not come through the loader.
    data = read_yaml(variant(tmp_path, extra=extra)).data
    with pytest.raises(OverrideError, match="no-such-clause"):
        assemble(Contract.model_validate(data), "agreement")


def test_clauses_added_after_the_same_clause_keep_the_order_of_the_list(tmp_path):
    extra = ("\nclauses:\n"
             "  - {id: first, action: add, title: First, text: One., after: termination}\n"
             "  - {id: under-first, action: add, title: Under first, text: Two., after: first}\n"
             "  - {id: second, action: add, title: Second, text: Three., after: termination}\n"
             "  - {id: last, action: add, title: Last, text: Four.}\n")
    doc = assemble(load_contract(variant(tmp_path, extra=extra)), "agreement")
    ids = [b.id for b in doc.blocks if isinstance(b, Section)]
    start = ids.index("termination")
    assert ids[start:start + 4] == ["termination", "first", "under-first", "second"]
    assert ids[ids.index("signatures") - 1] == "last"


def test_hostile_values_stay_data(tmp_path):
    hostile = "{{ 7*7 }} <b>Acme</b> *Dental* [x](y)"
    path = variant(tmp_path, ("name: Acme Dental Group Ltd", f"name: '{hostile}'"))
    doc = assemble(load_contract(path), "agreement")
    text = all_text(doc.blocks)
    assert f"{hostile}, of 22 Market Street, Bath BA1 1AA (the Customer)" in text.replace("\n", " ")
    assert "49 <b>" not in text and "49 Acme" not in text
