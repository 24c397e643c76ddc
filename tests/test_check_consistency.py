"""SLA9xx: clauses that contradict each other. Each rule fires on a contract written to trip it and
is quiet on the examples (and on the nearest sound contract).

Contracts are the examples with a few values changed (``edited`` from test_check_rules).
Probabilities are checked against a Poisson tail summed with exact fractions and a
hand-computed value, never against the rule's own arithmetic.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from pathlib import Path

from test_check_rules import DELETE, EXAMPLES, edited, findings, of

CONSISTENCY = ["SLA901", "SLA902", "SLA904", "SLA905", "SLA906", "SLA908", "SLA909", "SLA910", "SLA911", "SLA912"]
# The infeasible variant keeps the first draft's contradictions on purpose: it shows what check finds.
EXAMPLE_FILES = sorted(p.name for p in EXAMPLES.glob("*.yaml") if "infeasible" not in p.name)


@pytest.mark.parametrize("example", EXAMPLE_FILES)
def test_examples_are_consistent(example, tmp_path):
    found = findings(tmp_path, base=example)
    assert [f for f in found if f.rule in CONSISTENCY] == []


def test_the_starter_contract_is_consistent(tmp_path):
    from slagen.check import check_file
    from slagen.library.starters import starter_text

    starter = tmp_path / "starter.yaml"
    starter.write_text(starter_text(), encoding="utf-8")
    found = check_file(starter)[0]
    assert [f.rule for f in found if f.rule.startswith("SLA9")] == []


# ---- SLA901 exit assistance --------------------------------------------------------------------


def test_sla901_exit_assistance_shorter_than_notice(tmp_path):
    [f] = of(findings(tmp_path, {"termination.exit_assistance_days": 60}), "SLA901")
    assert f.severity == "error" and f.path == "termination.exit_assistance_days"
    # acme: 90 days' notice, 60 days of assistance -> the last 30 days are without help.
    assert "lasts 60 days from notice, but notice takes 90 days" in f.message
    assert "for the last 30 days" in f.message
    assert "at least 90" in f.fix


def test_sla901_quiet_when_assistance_covers_the_notice(tmp_path):
    assert not of(findings(tmp_path, {"termination.exit_assistance_days": 90}), "SLA901")
    assert not of(findings(tmp_path, {"termination.exit_assistance_days": DELETE}), "SLA901")


# ---- SLA902 / SLA903 deletion and return -----------------------------------------------------------


def test_sla902_deletion_sooner_than_return_is_an_error(tmp_path):
    found = findings(tmp_path, {"data_protection.disposal": "All copies are securely erased within 7 days of the "
                                                            "end of the agreement."})
    [f] = of(found, "SLA902")
    assert f.severity == "error" and f.path == "data_protection.disposal"
    assert "deleted within 7 days of the end, but the provider has 30 days to return them" in f.message


def test_sla902_immediate_deletion_in_after_termination(tmp_path):
    found = findings(tmp_path, {"termination.after_termination": "The provider wipes all customer data "
                                                                "immediately on termination."})
    [f] = of(found, "SLA902")
    assert f.path == "termination.after_termination" and "deleted at once" in f.message


def test_sla902_same_period_is_a_warning(tmp_path):
    found = findings(tmp_path, {"data_protection.disposal": "The Provider securely deletes every copy within 30 "
                                                            "days of the end."})
    [f] = of(found, "SLA902")
    assert f.severity == "warning"
    assert "both run within 30 days" in f.message


def test_sla902_quiet_when_deletion_follows_the_return(tmp_path):
    assert not of(findings(tmp_path), "SLA902")
    edits = {"data_protection.disposal": "The Provider deletes every copy within 60 days of the end."}
    assert not of(findings(tmp_path, edits), "SLA902")
    edits = {"data_protection.disposal": "The Provider deletes every copy within 7 days after the data are returned."}
    assert not of(findings(tmp_path, edits), "SLA902")


def test_free_text_about_the_end_that_binds_nobody_is_refused_at_its_line(tmp_path):
    from slagen.errors import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        findings(tmp_path, {"data_protection.disposal": "Certified secure deletion within 30 days of the end."})
    message = str(caught.value)
    assert "contract.yaml:" in message and "(at data_protection.disposal)" in message
    assert "is not a sentence that binds anyone: it needs a subject and a verb" in message


# ---- SLA908 the exit terms stated twice ------------------------------------------------------------


def test_sla908_free_text_gives_backups_another_period(tmp_path):
    # The infeasible variant overwrites backups "within 90 days", its backups are kept 30 days.
    [f] = of(findings(tmp_path), "SLA908")
    assert f.severity == "error" and f.path == "termination.after_termination"
    assert "gives the backups 90 days, but the exit terms give it 30 days " \
           "(data_protection.backup.retention_days)" in f.message
    assert "Set data_protection.backup.retention_days to 90" in f.fix


def test_sla908_deletion_and_return_periods(tmp_path):
    edits = {"termination.after_termination": "The Provider deletes the live copies within 45 days."}
    [f] = of(findings(tmp_path, edits), "SLA908")
    assert "gives the deletion 45 days, but the exit terms give it 30 days (termination.deletion_days)" in f.message
    edits = {"termination.after_termination": "The Provider returns the data within 60 days."}
    [f] = of(findings(tmp_path, edits), "SLA908")
    assert "gives the return 60 days" in f.message and "termination.data_return_days" in f.message


def test_sla908_quiet_when_the_text_agrees_or_names_no_period(tmp_path):
    edits = {"termination.after_termination": "The Provider overwrites every backup within 30 days after the end."}
    assert not of(findings(tmp_path, edits), "SLA908")
    assert not of(findings(tmp_path, {"termination.after_termination": DELETE}), "SLA908")


# ---- SLA909 the enhanced cap below the general cap ------------------------------------------------


def test_sla909_a_fixed_floor_below_the_general_floor(tmp_path):
    # General: the greater of 100,000 and 1 x a year's fees. Enhanced: 2 x a year's fees, no floor.
    # The enhanced cap is below the general one while 2F < 100,000, i.e. on a year's fees up to 100,000 / (2 - 1).
    [f] = of(findings(tmp_path), "SLA909")
    assert f.severity == "warning" and f.path == "liability.supercap_multiple_of_annual_fees"
    assert "the enhanced cap starts at 0.00, below the general cap's 100,000.00" in f.message
    assert "on a year's fees up to 100,000.00" in f.message


def test_sla909_a_smaller_multiple(tmp_path):
    edits = {"liability.supercap_amount": 200000, "liability.supercap_multiple_of_annual_fees": 0.5}
    [f] = of(findings(tmp_path, edits), "SLA909")
    assert "grows by 0.5 x a year's fees and the general cap by 1 x" in f.message


def test_sla909_quiet_when_never_below(tmp_path):
    assert not of(findings(tmp_path, {"liability.supercap_amount": 100000}), "SLA909")
    assert not of(findings(tmp_path, {"liability.supercap_multiple_of_annual_fees": DELETE}), "SLA909")


# ---- SLA910 the RTO beyond a resolution target ------------------------------------------------------


def test_sla910_rto_longer_than_the_p1_fix(tmp_path):
    # RTO 8h against P1's 4-hour resolution; P2 (8h) is not shorter.
    [f] = of(findings(tmp_path), "SLA910")
    assert f.severity == "error" and f.path == "data_protection.rto"
    assert "the RTO is 8h, longer than the resolution target of P1 (4h)" in f.message


def test_sla910_quiet_when_restores_run_on_the_rto_clock(tmp_path):
    assert not of(findings(tmp_path, {"data_protection.restores_on_rto_clock": True}), "SLA910")
    assert not of(findings(tmp_path, {"data_protection.rto": "4h"}), "SLA910")


def test_sla910_a_replaced_recovery_clause_must_still_say_so(tmp_path):
    edits = {"data_protection.restores_on_rto_clock": True, "clauses": [
        {"id": "backup-and-recovery", "action": "replace", "reason": "t",
         "text": "The Provider backs up the Customer Data every day."}]}
    assert of(findings(tmp_path, edits), "SLA910")


# ---- SLA911 renewal made illusory ------------------------------------------------------------------


def test_sla911_convenience_notice_inside_a_renewal_term(tmp_path):
    [f] = of(findings(tmp_path, {"termination.for_convenience": True}), "SLA911")
    assert f.severity == "warning" and f.path == "termination.for_convenience"
    assert "renews for 12 months, but either party may end it on 90 days' notice" in f.message


def test_sla911_quiet_without_convenience_or_renewal(tmp_path):
    assert not of(findings(tmp_path), "SLA911")
    edits = {"termination.for_convenience": True, "agreement.renewal": DELETE}
    assert not of(findings(tmp_path, edits), "SLA911")
    edits = {"termination.for_convenience": True, "agreement.renewal": {"automatic": True, "term_months": 2}}
    assert not of(findings(tmp_path, edits), "SLA911")  # 90 days' notice against 2 x 365 / 12 = 60 days


# ---- SLA912 a customer-licensed platform's vendor listed as the provider's sub-processor ----------

MICROSOFT = {"name": "Microsoft Ireland Operations Ltd", "purpose": "Hosting of email (Microsoft 365)",
             "location": "Ireland"}
SEVERN = {"name": "Severn Data Vaults Ltd", "purpose": "Storage of encrypted off-site backups",
          "location": "United Kingdom"}


def test_sla912_the_vendor_of_a_platform_the_customer_licenses_is_not_the_providers_sub_processor(tmp_path):
    # acme-dental: component 'm365' is 'Microsoft 365', licensed_by: customer. 'Microsoft' is the one
    # distinctive word both names share ('365', 'Ireland', 'Operations', 'Ltd' tell nobody apart).
    found = findings(tmp_path, {"data_protection.sub_processors": [SEVERN, MICROSOFT]}, base="acme-dental.yaml")
    [f] = of(found, "SLA912")
    assert f.severity == "warning" and f.path == "data_protection.sub_processors[1].name"
    assert "'Microsoft Ireland Operations Ltd' is listed as the provider's sub-processor" in f.message
    assert "'Microsoft 365' (infrastructure component 'm365')" in f.message
    assert "licensed_by: provider on component 'm365'" in f.fix


def test_sla912_an_unnamed_platform_is_matched_by_its_vendor(tmp_path):
    # contoso: 'm365' (components[5]) has no name, so only a vendor can tie it to a sub-processor.
    edits = {"data_protection.sub_processors": [SEVERN, MICROSOFT]}
    assert not of(findings(tmp_path, edits, base="contoso-logistics-24x7.yaml"), "SLA912")
    edits["infrastructure.components.5.vendor"] = "MICROSOFT Corporation"
    [f] = of(findings(tmp_path, edits, base="contoso-logistics-24x7.yaml"), "SLA912")
    assert f.path == "data_protection.sub_processors[1].name" and "'m365'" in f.message


def test_sla912_quiet_when_the_provider_resells_the_platform_or_the_vendor_differs(tmp_path):
    # The infeasible variant lists Microsoft as a sub-processor of an M365 licensed_by: provider: right.
    assert not of(findings(tmp_path), "SLA912")
    # acme-dental's 'm365' is components[4]: resold by the provider, Microsoft is rightly its sub-processor.
    edits = {"data_protection.sub_processors": [SEVERN, MICROSOFT], "infrastructure.components.4.licensed_by": "provider"}
    assert not of(findings(tmp_path, edits, base="acme-dental.yaml"), "SLA912")
    # Generic words alone ("Cloud", "Services", "Ltd") never make a match.
    edits = {"data_protection.sub_processors": [{**SEVERN, "name": "Cloud Services Ltd"}]}
    assert not of(findings(tmp_path, edits, base="acme-dental.yaml"), "SLA912")


def test_sla912_distinctive_words_drop_legal_forms_places_and_numbers():
    from slagen.check.consistency import distinctive_words

    assert distinctive_words("Microsoft Ireland Operations Ltd") == {"microsoft"}
    assert distinctive_words("Microsoft 365") == {"microsoft"}
    assert distinctive_words("Google Cloud EMEA Limited") == {"google"}
    assert distinctive_words("Xero (UK) Ltd") == {"xero"}
    assert distinctive_words("Cloud service") == set()


# ---- SLA904 the always-open desk ---------------------------------------------------------------


def test_sla904_24x7_desk_closed_on_holidays(tmp_path):
    found = findings(tmp_path, {"support_hours.holidays": {"country": "GB", "subdivision": "ENG"}},
                     base="contoso-logistics-24x7.yaml")
    [f] = of(found, "SLA904")
    assert f.severity == "error" and f.path == "support_hours.holidays"
    assert "closes on the public holidays of GB (ENG)" in f.message
    assert "P1, P2, P3, P4 are measured on the 24x7 clock" in f.message


def test_sla904_extra_closures_count_too(tmp_path):
    found = findings(tmp_path, {"support_hours.extra_closures": ["2027-12-24", "2027-12-31"]},
                     base="contoso-logistics-24x7.yaml")
    [f] = of(found, "SLA904")
    assert f.path == "support_hours.extra_closures" and "closes on 2 dates" in f.message


def test_sla904_quiet_without_24x7_priorities(tmp_path):
    edits = {"support_hours.holidays": {"country": "GB", "subdivision": "ENG"}}
    edits.update({f"priorities.{i}.clock": "support_hours" for i in range(4)})
    assert not of(findings(tmp_path, edits, base="contoso-logistics-24x7.yaml"), "SLA904")


def test_sla904_quiet_on_office_hours_with_holidays(tmp_path):
    # acme keeps office hours and closes on holidays: a closed desk is what its hours say.
    assert not of(findings(tmp_path), "SLA904")


# ---- SLA905 recurring deliverables accepted by silence ------------------------------------------------


ONE_OFF_ACCEPTANCE = ("Work is treated as accepted if the Customer does not respond within ten working days.")


def test_sla905_recurring_deliverables_under_deemed_acceptance(tmp_path):
    edits = {"clauses": [{"id": "sow-acceptance", "action": "replace", "document": "sow",
                          "text": ONE_OFF_ACCEPTANCE, "reason": "test"}]}
    found = of(findings(tmp_path, edits, base="contoso-logistics-24x7.yaml"), "SLA905")
    assert [(f.path, f.severity) for f in found] == [("sow.deliverables[0]", "warning"),
                                                     ("sow.deliverables[1]", "warning"),
                                                     ("sow.deliverables[2]", "warning")]
    assert "'A monthly SLA performance report.' recurs (monthly)" in found[0].message
    assert "recurs (quarterly)" in found[1].message and "recurs (annual)" in found[2].message


def test_sla905_quiet_for_one_off_deliverables(tmp_path):
    edits = {"clauses": [{"id": "sow-acceptance", "action": "replace", "document": "sow",
                          "text": ONE_OFF_ACCEPTANCE, "reason": "test"}],
             "sow.deliverables": ["A network diagram of the estate."]}
    assert not of(findings(tmp_path, edits), "SLA905")


def test_sla905_quiet_when_acceptance_is_omitted_or_excludes_recurring_services(tmp_path):
    omitted = {"clauses": [{"id": "sow-acceptance", "action": "omit", "document": "sow", "reason": "test"}]}
    assert not of(findings(tmp_path, omitted), "SLA905")
    assert not of(findings(tmp_path), "SLA905")  # the library clause keeps recurring services out


# ---- SLA906 SOW changed in writing, agreement needs signatures ------------------------------------


SOW_IN_WRITING = "No change is binding until both Parties have agreed it in writing."
SIGNED_VARIATION = ("**Variation.** No change to this Agreement is effective unless it is in writing and signed by an "
                    "authorised representative of each Party.")


def test_sla906_sow_changed_in_writing_while_agreement_needs_signatures(tmp_path):
    edits = {"sow.change_control": "Changes to scope are agreed in writing, with a revised fee schedule.",
             "clauses": [{"id": "sow-change-control", "action": "replace", "document": "sow",
                          "text": SOW_IN_WRITING, "reason": "test"},
                         {"id": "general-terms", "action": "replace", "text": SIGNED_VARIATION, "reason": "test"}]}
    [f] = of(findings(tmp_path, edits), "SLA906")
    assert f.severity == "error" and f.path == "sow.change_control"
    assert ("the agreement (general-terms) says 'No change to this Agreement is effective unless it is in writing and "
            "signed by an authorised representative of each Party.'") in f.message
    assert "the SOW says 'Changes to scope are agreed in writing, with a revised fee schedule.'" in f.message


def test_sla906_points_at_the_sow_when_it_has_no_change_control_value(tmp_path):
    edits = {"sow.change_control": DELETE,
             "clauses": [{"id": "sow-change-control", "action": "replace", "document": "sow",
                          "text": SOW_IN_WRITING, "reason": "test"},
                         {"id": "general-terms", "action": "replace", "text": SIGNED_VARIATION, "reason": "test"}]}
    [f] = of(findings(tmp_path, edits), "SLA906")
    assert f.path == "sow" and f"'{SOW_IN_WRITING}'" in f.message


def test_sla906_quiet_when_the_sow_needs_signatures_or_the_agreement_does_not(tmp_path):
    assert not of(findings(tmp_path), "SLA906")  # the library's change control needs signatures
    relaxed = {"clauses": [
        {"id": "sow-change-control", "action": "replace", "document": "sow", "text": SOW_IN_WRITING, "reason": "t"},
        {"id": "general-terms", "action": "replace", "text": "Either Party may propose a change in writing.",
         "reason": "t"}]}
    assert not of(findings(tmp_path, relaxed), "SLA906")


def _house_with_sow_change_control(folder: Path, wording: str) -> Path:
    """A provider's library whose SOW change control is ``wording`` (the rest as packaged)."""
    from slagen.library.initialise import init_library

    init_library(folder, "House library", "1.0.0")
    clause = folder / "clauses" / "sow-change-control.md"
    front, body = clause.read_text(encoding="utf-8").split("---\n", 2)[1:]
    clause.write_text(f"---\n{front}---\n{wording}\n", encoding="utf-8")
    return folder


def test_sla906_reads_the_wording_of_the_library_the_contract_is_rendered_with(tmp_path):
    """The packaged SOW change control needs signatures; a provider's that accepts anything in
    writing trips the rule, whether named by --library or by a slagen.toml beside the contract."""
    from typer.testing import CliRunner

    from slagen.check import check_file
    from slagen.cli import app

    contract = edited(tmp_path, {"sow.change_control": DELETE})
    assert not of(check_file(contract)[0], "SLA906")
    house = _house_with_sow_change_control(tmp_path / "house", SOW_IN_WRITING)
    [f] = of(check_file(contract, house)[0], "SLA906")
    assert f"'{SOW_IN_WRITING}'" in f.message

    done = CliRunner().invoke(app, ["check", str(contract), "--library", str(house), "--format", "json"])
    assert done.exit_code == 1 and '"rule": "SLA906"' in done.output

    beside = tmp_path / "customer"
    beside.mkdir()
    (beside / "contract.yaml").write_text(contract.read_text(encoding="utf-8"), encoding="utf-8")
    (beside / "slagen.toml").write_text(f'[library]\npath = "{house}"\n', encoding="utf-8")
    assert of(check_file(beside / "contract.yaml")[0], "SLA906")


def test_check_names_a_library_that_is_not_one(tmp_path):
    from typer.testing import CliRunner

    from slagen.cli import app

    done = CliRunner().invoke(app, ["check", str(EXAMPLES / "acme-dental.yaml"), "--library", str(tmp_path / "none")])
    assert done.exit_code == 2
    assert f"--library {tmp_path / 'none'}: '{tmp_path / 'none'}' is not a folder" in done.output


# ---- SLA907 termination for repeated breach near-certain -------------------------------------------


def exact_poisson_at_least(k: int, mean: Fraction) -> float:
    """1 - sum_{i<k} e^-m m^i / i!, the sum kept exact (e^-m aside) so that rounding cannot hide."""
    partial = sum(mean ** i / math.factorial(i) for i in range(k))
    return 1 - math.exp(-float(mean)) * float(partial)


@pytest.mark.parametrize("k, mean", [(3, Fraction(1, 2)), (3, Fraction(18)), (10, Fraction(6)), (1, Fraction(3, 10)),
                                     (40, Fraction(33)), (200, Fraction(180))])
def test_poisson_tail_against_an_exact_sum(k, mean):
    from slagen.check.consistency import poisson_at_least

    assert poisson_at_least(k, float(mean)) == pytest.approx(exact_poisson_at_least(k, mean), abs=1e-12)


def test_poisson_tail_by_hand():
    from slagen.check.consistency import poisson_at_least

    # mean 0.5, at least 3: 1 - e^-0.5 (1 + 0.5 + 0.125) = 1 - 1.625 x 0.6065307 = 0.0143877
    assert poisson_at_least(3, 0.5) == pytest.approx(0.0143877, abs=1e-7)
    assert poisson_at_least(0, 2.0) == 1.0 and poisson_at_least(2, 0.0) == 0.0
    # Far beyond a real desk the normal approximation answers at once: a mean of 10^12 reaches 10.
    assert poisson_at_least(10, 1e12) == 1.0


COUNT_FORM = {"count": 3, "within_months": 6}  # the same target missed 3 times in 6 months


def test_sla907_count_form_on_a_busy_desk(tmp_path):
    [f] = of(findings(tmp_path, {"termination.for_cause.repeated_breach": COUNT_FORM}), "SLA907")
    assert f.severity == "warning" and f.path == "termination.for_cause.repeated_breach.count"
    # acme: P3 has the most tickets, 60 a month; 60 x 6 x 5% = 18 expected misses; P(X >= 3) = 1 - 1e-5 or so.
    assert "P3's 60 tickets a month give 60 x 6 months x 5% = 18 expected misses" in f.message
    assert "the chance of 3 or more is over 99.9%" in f.message
    # The smallest count that is no longer more likely than not: P(X >= 19) <= 0.5 < P(X >= 18) for mean 18.
    assert exact_poisson_at_least(18, Fraction(18)) > 0.5 >= exact_poisson_at_least(19, Fraction(18))
    assert "count to at least 19" in f.fix


def test_sla907_states_a_middling_probability(tmp_path):
    # 4 P1 tickets a month, nothing else: 4 x 3 x 5% = 0.6 expected misses; count 1 -> 1 - e^-0.6 = 45.1%: quiet.
    edits = {"staffing.expected_tickets_per_month": {"P1": 4},
             "termination.for_cause.repeated_breach": {"count": 1, "within_months": 3}}
    assert not of(findings(tmp_path, edits), "SLA907")
    # 5 a month: 5 x 3 x 5% = 0.75; 1 - e^-0.75 = 52.8%: just over even odds.
    edits["staffing.expected_tickets_per_month"] = {"P1": 5}
    [f] = of(findings(tmp_path, edits), "SLA907")
    assert f"{(1 - math.exp(-0.75)) * 100:.1f}%" == "52.8%"
    assert "5 x 3 months x 5% = 0.75 expected misses" in f.message and "the chance of 1 or more is 52.8%" in f.message


def test_sla907_quiet_without_volumes_or_with_a_sound_count(tmp_path):
    assert not of(findings(tmp_path, {"staffing": DELETE, "termination.for_cause.repeated_breach": COUNT_FORM}),
                  "SLA907")
    sound = {"count": 25, "within_months": 6}  # P(X >= 25) for a mean of 18 is about 7%
    assert exact_poisson_at_least(25, Fraction(18)) < 0.1
    assert not of(findings(tmp_path, {"termination.for_cause.repeated_breach": sound}), "SLA907")
    assert not of(findings(tmp_path, {"termination.for_cause.repeated_breach": DELETE}), "SLA907")


def test_sla907_quiet_on_the_attainment_form():
    """The attainment form ({attainment_below, months, within_months}) has no count: nothing to compute."""
    from types import SimpleNamespace

    from slagen.check.consistency import repeated_breach_near_certain

    attainment = SimpleNamespace(attainment_below=90, months=3, within_months=6, count=None)
    contract = SimpleNamespace(
        termination=SimpleNamespace(for_cause=SimpleNamespace(repeated_breach=attainment)),
        staffing=SimpleNamespace(expected_tickets_per_month={"P3": 500}))
    assert list(repeated_breach_near_certain(SimpleNamespace(contract=contract))) == []
    attainment.count = 3  # the same desk on the count form: near-certain
    assert len(list(repeated_breach_near_certain(SimpleNamespace(contract=contract)))) == 1


def test_the_consistency_rules_read_clauses_without_the_template_engine():
    """`slagen check` is a light command: reading clause wording must not pull in Jinja or the writers."""
    import subprocess
    import sys

    code = ("import sys; from slagen.check import check_file; check_file('examples/acme-dental.yaml'); "
            "print([m for m in ('jinja2', 'markdown_it', 'docx', 'weasyprint') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=EXAMPLES.parent, check=True)
    assert out.stdout.strip() == "[]"


def test_sla906_finds_the_variation_sentence_in_any_agreement_clause(tmp_path):
    edits = {"sow.change_control": DELETE, "clauses": [
        {"id": "sow-change-control", "action": "replace", "document": "sow", "text": SOW_IN_WRITING, "reason": "t"},
        {"id": "general-terms", "action": "replace", "text": "Headings do not affect interpretation.", "reason": "t"},
        {"id": "amendments", "action": "add", "title": "Amendments", "reason": "t",
         "text": "No amendment of this Agreement is valid unless it is signed by both Parties."}]}
    [f] = of(findings(tmp_path, edits), "SLA906")
    assert "the agreement (amendments) says 'No amendment of this Agreement is valid unless it is signed" in f.message


def test_the_rules_find_the_library_wording_they_read():
    """SLA905 and SLA906 go quiet when they cannot read a clause: the library must be where they look."""
    from slagen.check.wording import document_wording, library_body
    from slagen.library.contracts import load_contract

    for clause_id in ("sow-acceptance", "sow-change-control", "general-terms"):
        assert library_body(clause_id), clause_id
    agreement = dict(document_wording(load_contract(EXAMPLES / "acme-dental.yaml"), "agreement"))
    assert "general-terms" in agreement and "sow-acceptance" not in agreement


# ---- the governing law's rules (the law data: slagen.library.law) ----------------------------------

def test_sla950_california_warns_when_the_contract_insists_on_non_solicitation(tmp_path):
    from slagen.check.run import check_file
    from slagen.compose.assemble import assemble
    from slagen.library.contracts import load_contract
    from slagen.library.starters import starter_text

    text = starter_text("US-CA") + "non_solicitation: {months: 12, insist: true}\n"
    path = tmp_path / "ca.yaml"
    path.write_text(text, encoding="utf-8")
    findings, _ = check_file(path)
    warned = [f for f in findings if f.rule == "SLA950"]
    assert len(warned) == 1 and warned[0].severity == "warning"
    assert warned[0].line == len(text.splitlines()) and warned[0].path == "non_solicitation.insist"
    contract = load_contract(path)
    assert "non-solicitation" in {s.id for s in assemble(contract, "agreement").blocks if hasattr(s, "id")}


def test_sla951_an_index_the_law_does_not_publish_is_an_error_at_its_line(tmp_path):
    from slagen.check.run import check_file
    from slagen.library.starters import starter_text

    text = starter_text("IE").replace("price_review: {index: CPI,", "price_review: {index: RPI,")
    path = tmp_path / "ie.yaml"
    path.write_text(text, encoding="utf-8")
    findings, _ = check_file(path)
    (finding,) = [f for f in findings if f.rule == "SLA951"]
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if "index: RPI" in t)
    assert (finding.severity, finding.line, finding.path) == ("error", line, "fees.price_review.index")
    assert "the RPI index is not published under the law of Ireland: use CPI or HICP" in finding.message
