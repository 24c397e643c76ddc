"""The new-contract form offers the library's starter packages and a governing law.

The form is prefilled from the chosen package (hours, services, priority matrix) and law
(currency, time zone, holidays); without JavaScript, "Use this package and law" (a GET of the same
page) refills it and keeps what the user typed. Expected values are read from the package files
with a plain YAML parser, never from the form's own code.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from ruamel.yaml import YAML

from test_starter_packages import MANAGED_PRINT  # a provider's own package, one file
from workspace.conftest import ROOT

STARTERS = ROOT / "starters"
OWN_ANSWERS = {
    "reference": "LS-2027-07", "provider_name": "Lone Star Managed IT LLC", "provider_address": "5 Elm St, Austin, TX",
    "provider_contact": "Dana Ortiz", "customer_name": "Lone Star Dental PLLC", "customer_address": "9 Oak Ave, Austin, TX",
    "contact_name": "Sam Lee", "contact_email": "sam@lonestar.example", "effective_date": "2027-07-01",
    "monthly_fee": "4200.00",
}


def package_file(name: str) -> dict:
    return YAML(typ="safe", pure=True).load((STARTERS / f"{name}.yaml").read_text(encoding="utf-8"))


class _Fields(HTMLParser):
    """The values a browser would submit: inputs by name, and the selected option of each select."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") != "submit":
            self.values[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a["name"]
            self.options[self._select] = []
        elif tag == "option" and self._select:
            value = a.get("value")
            self.options[self._select].append(value)
            if "selected" in a or self._select not in self.values:
                self.values[self._select] = value or ""
        elif tag == "button" and a.get("formmethod") == "get":
            self.values["__refill_button__"] = a.get("formaction", "")

    def handle_data(self, data):
        if self._select and self.options[self._select] and self.options[self._select][-1] is None:
            self.options[self._select][-1] = data.strip()  # <option>24x7</option>: the text is the value
            if self.values.get(self._select) in ("", None):
                self.values[self._select] = data.strip()

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def form_fields(html: str) -> _Fields:
    parser = _Fields()
    parser.feed(html)
    return parser


def test_the_form_offers_every_package_of_the_library_and_every_law(clients):
    page = clients["account_manager"].get("/contracts/new")
    assert page.status_code == 200
    fields = form_fields(page.text)
    assert fields.options["package"] == ["business-hours", "critical-24x7", "extended-hours"]
    assert fields.options["jurisdiction"][:4] == ["GB-EAW", "GB-SCT", "GB-NIR", "IE"]
    assert {"US-TX", "US-NY", "US-CA", "US-DC"} <= set(fields.options["jurisdiction"])
    assert len(fields.options["jurisdiction"]) == 4 + 51
    assert fields.values["__refill_button__"] == "/contracts/new"
    # Without a choice: the library's first package, under the law of England and Wales.
    essentials = package_file("business-hours")["contract"]
    assert (fields.values["package"], fields.values["jurisdiction"]) == ("business-hours", "GB-EAW")
    assert (fields.values["currency"], fields.values["timezone"], fields.values["holiday_country"],
            fields.values["holiday_subdivision"]) == ("GBP", "Europe/London", "GB", "ENG")
    assert fields.values["weekly"] == essentials["support_hours"]["weekly"]["monday-friday"]
    for n, priority in enumerate(essentials["priorities"]):
        assert (fields.values[f"priority_{n}_id"], fields.values[f"priority_{n}_response"],
                fields.values[f"priority_{n}_resolution"], fields.values[f"priority_{n}_clock"]) == (
            priority["id"], priority["response"], priority["resolution"], priority["clock"])
    assert fields.values[f"priority_{len(essentials['priorities'])}_id"] == ""


def test_choosing_a_package_and_a_law_without_javascript_refills_the_form(clients):
    am = clients["account_manager"]
    # The user typed a customer and a time zone of their own under England and Wales, then chose
    # the 24x7 package and Texas law and pressed "Use this package and law".
    asked = {**OWN_ANSWERS, "package": "critical-24x7", "jurisdiction": "US-TX",
             "previous_jurisdiction": "GB-EAW", "currency": "GBP", "timezone": "America/Denver",
             "holiday_country": "GB", "holiday_subdivision": "ENG", "priority_0_response": "5h"}
    fields = form_fields(am.get("/contracts/new", params=asked).text).values
    assert fields["customer_name"] == "Lone Star Dental PLLC" and fields["monthly_fee"] == "4200.00"
    assert (fields["package"], fields["jurisdiction"]) == ("critical-24x7", "US-TX")
    # Left at England's defaults, so they follow Texas; the time zone was the user's own choice.
    assert (fields["currency"], fields["holiday_country"], fields["holiday_subdivision"]) == ("USD", "US", "")
    assert fields["timezone"] == "America/Denver"
    critical = package_file("critical-24x7")["contract"]
    assert [fields[f"service_{n}_id"] for n in range(3)] == [s["id"] for s in critical["services"]]
    assert (fields["priority_0_response"], fields["priority_0_clock"]) == ("30m", "24x7")
    assert fields["weekly"] == "08:00-18:00" and fields["saturday"] == ""


def test_extended_hours_prefills_saturday_morning(clients):
    fields = form_fields(clients["account_manager"].get("/contracts/new?package=extended-hours").text).values
    assert (fields["weekly"], fields["saturday"], fields["sunday"]) == ("08:00-18:00", "09:00-13:00", "")


def _submitted(am, package: str, jurisdiction: str, changes: dict | None = None) -> dict:
    """What a browser sends: the refilled form for the package and law, with the user's answers."""
    fields = form_fields(am.get("/contracts/new", params={"package": package, "jurisdiction": jurisdiction}).text)
    values = {k: v for k, v in fields.values.items() if not k.startswith("__")}
    return {**values, **OWN_ANSWERS, **(changes or {}), "csrf_token": am.csrf}


def test_a_us_package_becomes_a_contract_that_validates_and_checks_clean(clients):
    am = clients["account_manager"]
    response = am.post("/contracts/new", data=_submitted(am, "critical-24x7", "US-TX"), follow_redirects=False)
    assert response.status_code == 303, response.text
    cid = int(response.headers["location"].rsplit("/", 1)[1])
    text = am.get(f"/api/contracts/{cid}/versions/1").json()["text"]
    from slagen.library.contracts import load_contract

    contract = load_contract("new.yaml", text)
    assert contract.agreement.legal.code == "US-TX" and contract.agreement.currency == "USD"
    assert contract.support_hours.timezone == "America/Chicago" and contract.support_hours.holidays.country == "US"
    critical = package_file("critical-24x7")["contract"]
    assert [(s.id, s.name) for s in contract.services] == [(s["id"], s["name"]) for s in critical["services"]]
    assert [p.id for p in contract.priorities] == [p["id"] for p in critical["priorities"]]
    assert contract.priorities[0].clock == "24x7" and contract.staffing.on_call_out_of_hours is True
    assert [c.id for c in contract.infrastructure.components] == [c["id"] for c in critical["infrastructure"]
                                                                  ["components"]]
    assert contract.customer.name == "Lone Star Dental PLLC"
    diagnostics = am.post("/api/diagnostics", json={"text": text}, headers={"X-CSRF-Token": am.csrf}).json()
    assert diagnostics["valid"] and diagnostics["summary"]["errors"] == 0, diagnostics["findings"]


def test_wrong_answers_are_shown_again_with_what_to_put_right(clients):
    am = clients["account_manager"]
    for changes, message in (({"package": "gold"}, "choose a starter package from the list"),
                             ({"jurisdiction": "Narnia"}, "choose the governing law from the list"),
                             ({"saturday": "9 till 1"}, "saturday")):
        response = am.post("/contracts/new", data=_submitted(am, "extended-hours", "US-NY", changes))
        assert response.status_code == 422 and message in response.text.lower(), changes
        assert form_fields(response.text).values["customer_name"] == "Lone Star Dental PLLC"
    assert am.get("/api/contracts").json() == []




@pytest.fixture
def house(tmp_path, monkeypatch):
    from slagen.library.initialise import init_library

    library = tmp_path / "house"
    init_library(library, "Northwind", "1.0.0")
    (library / "starters" / "managed-print.yaml").write_text(MANAGED_PRINT, encoding="utf-8")
    monkeypatch.setenv("SLAGEN_LIBRARY", str(library))
    return library


def test_a_provider_library_offers_its_own_package(clients, house):
    am = clients["account_manager"]
    fields = form_fields(am.get("/contracts/new").text)
    assert "managed-print" in fields.options["package"]
    response = am.post("/contracts/new", data=_submitted(am, "managed-print", "GB-SCT"), follow_redirects=False)
    assert response.status_code == 303, response.text
    cid = int(response.headers["location"].rsplit("/", 1)[1])
    text = am.get(f"/api/contracts/{cid}/versions/1").json()["text"]
    from slagen.library.contracts import load_contract

    contract = load_contract("new.yaml", text)
    assert [s.id for s in contract.services] == ["print"] and [p.id for p in contract.priorities] == ["URGENT"]
    assert contract.support_hours.holidays.subdivision == "SCT"


def test_a_broken_package_is_shown_with_its_line_and_the_others_are_still_offered(clients, house):
    broken = house / "starters" / "zz-broken.yaml"
    broken.write_text(MANAGED_PRINT.replace("response: 2h", "response: 2d"), encoding="utf-8")
    page = clients["account_manager"].get("/contracts/new")
    assert page.status_code == 200
    assert "managed-print" in form_fields(page.text).options["package"]
    assert "zz-broken" not in form_fields(page.text).options["package"]
    assert f"{broken}:15:17: error: &#39;2d&#39; counts days" in page.text


def test_a_package_with_more_priorities_than_the_usual_table_gets_the_rows_it_needs(clients, house):
    rows = "".join(f"""    - id: P{n}
      name: Level {n}
      definition: Faults of level {n}.
      response: {n}h
      resolution: {8 * n}h
      clock: support_hours
""" for n in range(1, 8))
    six = MANAGED_PRINT.split("  priorities:\n")[0] + "  priorities:\n" + rows
    (house / "starters" / "seven-levels.yaml").write_text(six, encoding="utf-8")
    am = clients["account_manager"]
    fields = form_fields(am.get("/contracts/new", params={"package": "seven-levels"}).text).values
    assert (fields["priority_6_id"], fields["priority_6_response"], fields["priority_7_id"]) == ("P7", "7h", "")
    response = am.post("/contracts/new", data=_submitted(am, "seven-levels", "IE"), follow_redirects=False)
    assert response.status_code == 303, response.text
    cid = int(response.headers["location"].rsplit("/", 1)[1])
    from slagen.library.contracts import load_contract

    contract = load_contract("new.yaml", am.get(f"/api/contracts/{cid}/versions/1").json()["text"])
    assert [p.id for p in contract.priorities] == [f"P{n}" for n in range(1, 8)]
    assert contract.priorities[6].resolution.total_seconds() == 56 * 3600


FRIDAY_AFTERNOONS_OFF = MANAGED_PRINT.replace('      monday-friday: "08:30-17:00"',
                                              '      monday-thursday: "08:30-17:00"\n      friday: "08:30-13:00"')


def test_a_package_whose_weekdays_differ_keeps_its_hours_unless_the_user_changes_them(clients, house):
    """The form has one field for Monday to Friday; it shows Monday's hours, and a contract made
    with that field untouched gets the package's own hours, Friday afternoon closed included."""
    (house / "starters" / "managed-print.yaml").write_text(FRIDAY_AFTERNOONS_OFF, encoding="utf-8")
    am = clients["account_manager"]
    fields = form_fields(am.get("/contracts/new", params={"package": "managed-print"}).text).values
    assert (fields["weekly"], fields["saturday"], fields["sunday"]) == ("08:30-17:00", "", "")
    from slagen.library.contracts import load_contract

    def hours_made(changes: dict) -> dict[int, list[tuple[int, int]]]:
        """Open minutes of each weekday (0 = Monday) in the contract the form writes."""
        response = am.post("/contracts/new", data=_submitted(am, "managed-print", "GB-EAW", changes),
                           follow_redirects=False)
        assert response.status_code == 303, response.text
        cid = int(response.headers["location"].rsplit("/", 1)[1])
        contract = load_contract("new.yaml", am.get(f"/api/contracts/{cid}/versions/1").json()["text"])
        out: dict[int, list[tuple[int, int]]] = {}
        for window in contract.support_hours.weekly.windows:
            out.setdefault(window.weekday, []).append((window.start, window.end))
        return out

    untouched = hours_made({"reference": "MP-1"})
    assert untouched == {**{day: [(8 * 60 + 30, 17 * 60)] for day in range(4)}, 4: [(8 * 60 + 30, 13 * 60)]}
    changed = hours_made({"reference": "MP-2", "weekly": "08:00-18:00"})
    assert changed == {day: [(8 * 60, 18 * 60)] for day in range(5)}
