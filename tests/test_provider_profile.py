"""The provider profile (contract_templates/provider.yaml): read with its types, mistakes at their
line and column, copied by `slagen library init` and checked by `slagen library check`."""

from __future__ import annotations

from pathlib import Path

import pytest

from slagen.errors import InvalidInput
from slagen.library.provider_profile import ProviderProfile, load_provider_profile

LONE_STAR = """\
name: Lone Star Managed IT LLC
address: 500 Congress Ave, Austin, TX 78701
contact: {name: Dana Reyes, email: contracts@lonestar.example, role: Director}
staffing:
  technicians: {tier1: 2, tier2: 1}
  on_call_out_of_hours: true
"""


def folder_with(tmp_path: Path, text: str) -> Path:
    (tmp_path / "provider.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_a_filled_in_profile_is_read_with_its_types(tmp_path):
    profile = load_provider_profile(folder_with(tmp_path, LONE_STAR))
    assert (profile.name, profile.address) == ("Lone Star Managed IT LLC", "500 Congress Ave, Austin, TX 78701")
    assert (profile.contact.name, profile.contact.email, profile.contact.role, profile.contact.phone) == (
        "Dana Reyes", "contracts@lonestar.example", "Director", "")
    technicians = profile.staffing.technicians
    assert (technicians.tier1, technicians.tier2, technicians.tier3, profile.staffing.on_call_out_of_hours) == (
        2, 1, 0, True)


def test_no_file_only_comments_or_the_packaged_blank_profile_fill_nothing_in(tmp_path):
    from slagen.library.folder import default_library

    assert load_provider_profile(tmp_path).empty  # a library made before profiles existed
    assert load_provider_profile(folder_with(tmp_path, "# name: nobody yet\n\n")).empty
    assert load_provider_profile(default_library().template_dir) == ProviderProfile()


@pytest.mark.parametrize("text, line, column, words", [
    (LONE_STAR.replace("email: contracts@lonestar.example", "email: contracts at lonestar"), 3, 36, "email"),  # after "contact: {name: Dana Reyes, email: "
    (LONE_STAR.replace("tier1: 2", "tier1: -2"), 5, 24, "tier1"),
    (LONE_STAR + "phone: 555-0100\n", 7, 1, "phone"),  # a contact's key written at the top level
    ("name: [Lone, Star]\n", 1, 7, "name"),
    ("name: 'unclosed\n", 2, 1, ""),
])
def test_a_mistake_is_reported_at_its_line_and_column(tmp_path, text, line, column, words):
    with pytest.raises(InvalidInput) as caught:
        load_provider_profile(folder_with(tmp_path, text))
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.column) == (str(tmp_path / "provider.yaml"), line, column)
    assert words in str(problem) and "Traceback" not in str(problem)


def test_library_init_copies_it_and_library_check_reports_its_mistakes(tmp_path):
    from slagen.library.folder import open_library
    from slagen.library.initialise import init_library
    from slagen.pipeline.library_check import check_library

    house = tmp_path / "house"
    init_library(house, "Lone Star terms", "1.0.0")
    copied = house / "contract_templates" / "provider.yaml"
    assert copied.read_text(encoding="utf-8") == (Path(__file__).resolve().parents[1] / "contract_templates" /
                                                   "provider.yaml").read_text(encoding="utf-8")
    copied.write_text(LONE_STAR.replace("tier2: 1", "tier2: lots"), encoding="utf-8")
    report = check_library(open_library(house, "test"), render=False)
    assert [(p.file, p.line, p.column) for p in report.problems] == [(str(copied), 5, 34)]  # "  technicians: {tier1: 2, tier2: " is 33 characters
    assert "tier2" in str(report.problems[0])
