"""A first look at a ticket export (slagen.report.export_preview): the tool recognised from the
header, the column read for each field, and the priority labels with what each is read as."""

from __future__ import annotations

import pytest

from slagen.report.export_preview import preview_export, recognise_preset
from slagen.report.presets import PRESETS, column_map

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_each_presets_own_header_is_recognised_as_that_tool_or_one_with_the_same_columns(name):
    preset = PRESETS[name]
    header = ["Notes", *preset["columns"].values(), *([preset["first_response_minutes"]]
                                                      if preset.get("first_response_minutes") else [])]
    found = recognise_preset(header, list(preset["priority_values"]))
    same = lambda p: (p["columns"], p.get("first_response_minutes"))  # noqa: E731
    assert found is not None and same(PRESETS[found]) == same(preset)


def test_a_header_no_tool_writes_is_not_recognised():
    assert recognise_preset(["Ticket Number", "Priority Level", "Opened", "First Reply", "Closed"]) is None


def test_labels_are_counted_and_mapped_as_the_report_would_read_them(tmp_path):
    from slagen.library.contracts import load_contract

    contract = load_contract(ROOT / "examples" / "acme-dental.yaml")
    export = tmp_path / "cw.csv"
    rows = ["Ticket #,Priority,Date Entered,Date Responded,Date Resolved"]
    labels = ["Priority 3 - Normal Response"] * 3 + ["Priority 1 - Emergency Response", "Critical", "Weird"] * 1
    rows += [f"{n},{label},2027-03-01 09:00,2027-03-01 09:10,2027-03-01 10:00" for n, label in enumerate(labels)]
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")

    seen = preview_export(export, contract, column_map(), detect=True)
    assert (seen.preset, seen.recognised, seen.rows) == ("connectwise", True, 6)
    assert [(s.label, s.tickets, s.priority) for s in seen.labels] == [
        ("Priority 3 - Normal Response", 3, "P3"),  # the most frequent first, then by name
        ("Critical", 1, None),  # a contract name, but with a preset a tool's label is not guessed at
        ("Priority 1 - Emergency Response", 1, "P1"),
        ("Weird", 1, None)]
    plain = preview_export(export, contract, column_map(None, {"priority": "Priority"}), detect=False)
    assert plain.preset is None and [(s.label, s.priority) for s in plain.labels][1] == ("Critical", "P1")
