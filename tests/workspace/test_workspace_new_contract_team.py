"""The new-contract form for a team: the provider's own details from the library's provider
profile, the staffing of the customer, and clocks by their names."""

from __future__ import annotations

import pytest

from test_provider_profile import LONE_STAR
from workspace.test_workspace_starters import _submitted, form_fields


@pytest.fixture
def database_url(tmp_path):
    """SQLite only: nothing here depends on the database (the register, signatures and time zones,
    which do, run on PostgreSQL too in test_workspace_team.py)."""
    return f"sqlite:///{tmp_path / 'workspace.db'}"


@pytest.fixture
def lone_star(tmp_path, monkeypatch):
    from slagen.library.initialise import init_library

    library = tmp_path / "lone-star"
    init_library(library, "Lone Star terms", "1.0.0")
    (library / "contract_templates" / "provider.yaml").write_text(LONE_STAR, encoding="utf-8")
    monkeypatch.setenv("SLAGEN_LIBRARY", str(library))
    return library


def created(am, data) -> "object":
    from slagen.library.contracts import load_contract

    response = am.post("/contracts/new", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text[-3000:]
    cid = int(response.headers["location"].rsplit("/", 1)[1])
    return load_contract("new.yaml", am.get(f"/api/contracts/{cid}/versions/1").json()["text"])


def test_the_providers_details_come_from_the_librarys_profile(clients, lone_star):
    am = clients["account_manager"]
    fields = form_fields(am.get("/contracts/new").text).values
    assert (fields["provider_name"], fields["provider_address"], fields["provider_contact"],
            fields["provider_email"]) == ("Lone Star Managed IT LLC", "500 Congress Ave, Austin, TX 78701",
                                          "Dana Reyes", "contracts@lonestar.example")
    # The customer's own answers only: the provider's are left as the form showed them.
    data = _submitted(am, "business-hours", "US-TX")
    for key in ("provider_name", "provider_address", "provider_contact"):
        data[key] = fields[key]
    contract = created(am, data)
    assert (contract.provider.name, contract.provider.contact.email) == ("Lone Star Managed IT LLC",
                                                                         "contracts@lonestar.example")


def test_staffing_comes_from_the_package_else_the_profile_and_is_written_as_typed(clients, lone_star):
    am = clients["account_manager"]
    # critical-24x7 names its team: 3, 2 and 1 technicians, on call (starters/critical-24x7.yaml)
    critical = form_fields(am.get("/contracts/new", params={"package": "critical-24x7"}).text).values
    assert [critical[f"staff_tier{n}"] for n in (1, 2, 3)] == ["3", "2", "1"]
    # business-hours names none: the profile's 2 and 1, on call
    plain = form_fields(am.get("/contracts/new", params={"package": "business-hours"}).text).values
    assert [plain[f"staff_tier{n}"] for n in (1, 2, 3)] == ["2", "1", "0"]

    contract = created(am, _submitted(am, "business-hours", "US-TX",
                                      {"staff_tier1": "4", "staff_tier2": "0", "staff_tier3": "1", "on_call": "yes"}))
    technicians = contract.staffing.technicians
    assert (technicians.tier1, technicians.tier2, technicians.tier3) == (4, 0, 1)
    assert contract.staffing.on_call_out_of_hours is True


def test_a_wrong_staffing_number_is_said_on_the_form_with_the_answers_kept(clients):
    am = clients["account_manager"]
    response = am.post("/contracts/new", data=_submitted(am, "critical-24x7", "US-TX", {"staff_tier1": "three"}))
    assert response.status_code == 422 and "tier1 technicians" in response.text and 'role="alert"' in response.text
    assert form_fields(response.text).values["customer_name"] == "Lone Star Dental PLLC"


def test_clocks_are_offered_by_name_and_stored_by_id(clients):
    am = clients["account_manager"]
    page = am.get("/contracts/new", params={"package": "critical-24x7"}).text
    assert '<option value="24x7" selected>Around the clock (24x7)</option>' in page
    assert '<option value="support_hours" >Support hours only</option>' in page
    assert ">support_hours<" not in page
