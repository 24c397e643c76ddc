"""The guided "new contract" form -> a contract text, built on the engine's starter.

The starter (`slagen init`'s file, for the chosen starter package and governing law) supplies every
section the form does not ask about; the form's answers replace its values as data (a YAML dump,
never text substitution), and the result is validated by the engine like any other text before
it is stored.

The packages offered are those of the workspace's library: the one named by SLAGEN_LIBRARY when
the server starts with it set, else the packaged default (the same resolution as the command
line's, without a contract file to look beside). Choosing a package or a governing law refills
the form: in the browser by static/new_contract.js from the defaults this module computes, and
without JavaScript by the "Use this package and law" button, a GET of the same page.
"""

from __future__ import annotations

import re
from datetime import date
from io import StringIO

PRIORITY_ROWS = 5  # at least; more when a package of the library has more
SERVICE_ROWS = 5
MOST_ROWS = 100  # a form naming row 5000 is not a contract anyone drafts by hand
DEFAULT_JURISDICTION = "GB-EAW"

# The answers that belong to the contract alone: a refill keeps them as the user typed them.
OWN_FIELDS = ("reference", "provider_name", "provider_address", "provider_contact", "provider_email",
              "provider_company_number", "customer_name", "customer_address", "contact_name", "contact_email",
              "effective_date", "initial_term_months", "renewal_months", "notice_days", "monthly_fee",
              "onboarding_fee")
STAFFING_FIELDS = ("staff_tier1", "staff_tier2", "staff_tier3", "on_call")
# The clocks a priority runs on, as the form names them (the contract keeps the ids).
CLOCK_NAMES = {"support_hours": "Support hours only", "24x7": "Around the clock (24x7)"}
JURISDICTION_FIELDS = ("currency", "timezone", "holiday_country", "holiday_subdivision")
_BLANK = {"reference": "", "provider_name": "", "provider_address": "", "provider_contact": "", "provider_email": "",
          "provider_company_number": "", "customer_name": "",
          "customer_address": "", "contact_name": "", "contact_email": "", "effective_date": "",
          "initial_term_months": "12", "renewal_months": "12", "notice_days": "90", "monthly_fee": "",
          "onboarding_fee": ""}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def package_choices(library=None) -> tuple[list, list[str]]:
    """(the packages the form offers, the mistakes of package files that cannot be offered)."""
    from slagen.library.starters import packages_and_problems

    from slagen.workspace.engine import workspace_library

    packages, broken = packages_and_problems(library or workspace_library())
    return packages, [str(problem) for exc in broken for problem in exc.problems]


def jurisdiction_choices() -> list[tuple[str, str]]:
    """(code, label) for the select: the UK and Ireland first, then the US states by name."""
    from slagen.model import jurisdiction as jurisdictions

    places = [jurisdictions.find(code) for code in jurisdictions.known_codes()]
    uk = [(p.code, p.short_name) for p in places if p.country != "US"]
    us = sorted(((p.code, f"{p.short_name} (US)") for p in places if p.country == "US"), key=lambda c: c[1])
    return uk + us


def jurisdiction_defaults(code: str) -> dict[str, str]:
    from slagen.model import jurisdiction as jurisdictions
    from slagen.library.starters import jurisdiction_settings

    settings = jurisdiction_settings(jurisdictions.find(code))
    return {key: settings[key] for key in JURISDICTION_FIELDS}


def table_rows(packages) -> tuple[int, int]:
    """(service rows, priority rows) the form shows: room for every package, and one row more."""
    services = max([SERVICE_ROWS - 1] + [len(p.data["services"]) for p in packages]) + 1
    priorities = max([PRIORITY_ROWS - 1] + [len(p.data["priorities"]) for p in packages]) + 1
    return min(services, MOST_ROWS), min(priorities, MOST_ROWS)


def _rows_in(form: dict, table: str) -> int:
    """How many rows of ``table`` the submitted form holds."""
    numbers = [int(m.group(1)) for k in form if (m := re.fullmatch(rf"{table}_(\d{{1,3}})_id", k))]
    return min(max(numbers, default=-1) + 1, MOST_ROWS)


def package_defaults(package, rows: tuple[int, int] | None = None) -> dict[str, str]:
    """The form's hours, services and priority matrix as the package sets them."""
    from slagen.library.starters import plain

    service_rows, priority_rows = rows or table_rows([package])
    values = dict(_hours_fields(package.data["support_hours"]["weekly"]))
    values.update(_staffing_fields(package.data.get("staffing")))
    for n in range(service_rows):
        service = package.data["services"][n] if n < len(package.data["services"]) else {}
        for field in ("id", "name", "availability"):
            values[f"service_{n}_{field}"] = plain(service.get(field)) if isinstance(service, dict) else ""
    for n in range(priority_rows):
        priority = package.data["priorities"][n] if n < len(package.data["priorities"]) else {}
        for field, key in (("id", "id"), ("name", "name"), ("definition", "definition"), ("response", "response"),
                           ("resolution", "resolution"), ("update", "update_every"), ("clock", "clock")):
            values[f"priority_{n}_{field}"] = plain(priority.get(key)) if isinstance(priority, dict) else ""
        values[f"priority_{n}_clock"] = values[f"priority_{n}_clock"] or "support_hours"
    return values


def _staffing_fields(staffing) -> dict[str, str]:
    """The form's staffing fields from a package's (or the provider profile's) staffing; empty
    fields when it names none."""
    if not isinstance(staffing, dict):
        return {"staff_tier1": "", "staff_tier2": "", "staff_tier3": "", "on_call": ""}
    technicians = staffing.get("technicians") if isinstance(staffing.get("technicians"), dict) else {}
    return {**{f"staff_{tier}": str(technicians.get(tier, 0)) for tier in ("tier1", "tier2", "tier3")},
            "on_call": "yes" if staffing.get("on_call_out_of_hours") else ""}


def provider_defaults() -> dict[str, str]:
    """The provider's details from the library's provider profile (contract_templates/provider.yaml),
    as the form's fields; only what the profile fills in."""
    from slagen.library.provider_profile import load_provider_profile
    from slagen.workspace.engine import workspace_library

    profile = load_provider_profile(workspace_library().template_dir)
    fields = {"provider_name": profile.name, "provider_address": profile.address,
              "provider_contact": profile.contact.name, "provider_email": profile.contact.email,
              "provider_company_number": profile.company_number}
    values = {k: v for k, v in fields.items() if v}
    if profile.staffing is not None:
        values["profile_staffing"] = _staffing_fields(profile.staffing.model_dump())
    return values


def _hours_fields(weekly) -> dict[str, str]:
    """Monday to Friday, Saturday and Sunday hours from a package's weekly hours. Weekdays with
    different hours are shown as Monday's (the form offers one set of weekday hours); left as
    shown, the package's own hours are what the contract gets (see ``_weekly``)."""
    from slagen.model.types import _parse_days  # the loader's own reading of 'monday-friday', 'daily'

    if isinstance(weekly, str):
        return {"weekly": weekly, "saturday": "", "sunday": ""}
    by_day: dict[int, str] = {}
    for key, spec in weekly.items():
        for day in _parse_days(str(key)):  # the package was validated, so every key is a day or days
            by_day[day] = str(spec)
    return {"weekly": by_day.get(0, "closed"), "saturday": by_day.get(5, ""), "sunday": by_day.get(6, "")}


def form_defaults(package_id: str | None = None, jurisdiction: str | None = None,
                  kept: dict | None = None) -> dict[str, str]:
    """The form's starting values for a package and a governing law; ``kept`` (the answers of a
    refill) supplies the contract's own fields, and jurisdiction values the user changed."""
    packages, _ = package_choices()
    known = {p.id: p for p in packages}
    package = known.get(package_id or "") or (packages[0] if packages else None)
    code = jurisdiction if jurisdiction in dict(jurisdiction_choices()) else DEFAULT_JURISDICTION
    values = {**_BLANK, "package": package.id if package else "", "jurisdiction": code,
              **jurisdiction_defaults(code), **(package_defaults(package, table_rows(packages)) if package else {})}
    profile = provider_defaults()
    house_staffing = profile.pop("profile_staffing", None)
    values.update(profile)
    if house_staffing and not any(values.get(f) for f in STAFFING_FIELDS):  # the package names no team
        values.update(house_staffing)
    if kept:
        values.update({k: str(kept[k]) for k in OWN_FIELDS if k in kept})
        before = kept.get("previous_jurisdiction", "")
        if before in dict(jurisdiction_choices()):
            was = jurisdiction_defaults(before)
            values.update({k: str(kept[k]) for k in JURISDICTION_FIELDS if k in kept and kept[k] != was[k]})
    return values


class FormError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _required(form: dict, key: str, label: str) -> str:
    value = form.get(key, "").strip()
    if not value:
        raise FormError(f"fill in {label}")
    return value


def _whole(form: dict, key: str, label: str, minimum: int = 0) -> int:
    value = form.get(key, "").strip()
    if not re.fullmatch(r"\d{1,4}", value) or int(value) < minimum:
        raise FormError(f"{label} must be a whole number of at least {minimum}")
    return int(value)


def _money(form: dict, key: str, label: str):
    from decimal import Decimal

    value = form.get(key, "").strip().replace(",", "")
    if not value:
        return None
    # Digits only: Decimal would also take "NaN", "Infinity" and "1e999", and 30 digits overflow its precision.
    if not re.fullmatch(r"\d{1,12}(\.\d{1,2})?", value):
        raise FormError(f"{label} must be an amount such as 1200.00, with at most two decimal places and "
                        "12 digits before the point")
    return Decimal(value)


def contract_from_form(form: dict) -> str:
    """The contract text the form describes (the engine validates it afterwards)."""
    from decimal import Decimal

    from ruamel.yaml import YAML

    from slagen.library.starters import starter_text

    packages, _ = package_choices()
    chosen = form.get("package", "").strip()
    package = next((p for p in packages if p.id == chosen), None) if chosen else (packages or [None])[0]
    if package is None:
        raise FormError("choose a starter package from the list")
    jurisdiction = form.get("jurisdiction", "").strip() or DEFAULT_JURISDICTION
    if jurisdiction not in dict(jurisdiction_choices()):
        raise FormError("choose the governing law from the list")
    yaml = YAML(typ="rt")
    data = yaml.load(starter_text(jurisdiction, package=package))
    reference = _required(form, "reference", "the contract reference")
    try:
        effective = date.fromisoformat(_required(form, "effective_date", "the effective date"))
    except ValueError:
        raise FormError("the effective date must be a date such as 2027-01-01") from None
    a = data["agreement"]
    a["reference"], a["effective_date"] = reference, effective
    a["initial_term_months"] = _whole(form, "initial_term_months", "the initial term", 1)
    renewal = _whole(form, "renewal_months", "the renewal term", 0)
    if renewal:
        a["renewal"] = {"automatic": True, "term_months": renewal}
    else:
        del a["renewal"]
    a["currency"] = form.get("currency", "").strip().upper() or jurisdiction_defaults(jurisdiction)["currency"]
    provider = data["provider"]
    provider["name"] = _required(form, "provider_name", "your company's name")
    provider["address"] = _required(form, "provider_address", "your company's address")
    provider["contact"] = {"name": _required(form, "provider_contact", "your company's contact")}
    if form.get("provider_email", "").strip():
        provider["contact"]["email"] = form["provider_email"].strip()
    if form.get("provider_company_number", "").strip():
        provider["company_number"] = form["provider_company_number"].strip()
    else:
        provider.pop("company_number", None)
    customer = data["customer"]
    customer["name"] = _required(form, "customer_name", "the customer's name")
    customer["address"] = _required(form, "customer_address", "the customer's address")
    customer["contact"] = {"name": _required(form, "contact_name", "the customer's contact")}
    if form.get("contact_email", "").strip():
        customer["contact"]["email"] = form["contact_email"].strip()

    hours = data["support_hours"]
    hours["timezone"] = _required(form, "timezone", "the time zone")
    hours["weekly"] = _weekly(form, package)
    country = form.get("holiday_country", "").strip().upper()
    if country:
        hours["holidays"] = {"country": country}
        if form.get("holiday_subdivision", "").strip():
            hours["holidays"]["subdivision"] = form["holiday_subdivision"].strip().upper()
    else:
        del hours["holidays"]

    services = []
    starter_services = {s["id"]: s for s in data["services"]}
    for n in range(_rows_in(form, "service")):
        sid = form.get(f"service_{n}_id", "").strip()
        if not sid:
            continue
        service = dict(starter_services.get(sid, {"description": f"{form.get(f'service_{n}_name', sid)}."}))
        service.update(id=sid, name=form.get(f"service_{n}_name", "").strip() or sid)
        service.pop("availability", None)
        if form.get(f"service_{n}_availability", "").strip():
            service["availability"] = form[f"service_{n}_availability"].strip()
        services.append(service)
    if not services:
        raise FormError("name at least one service")
    data["services"] = services

    priorities = []
    for n in range(_rows_in(form, "priority")):
        pid = form.get(f"priority_{n}_id", "").strip()
        if not pid:
            continue
        priority = {
            "id": pid,
            "name": form.get(f"priority_{n}_name", "").strip() or pid,
            "definition": form.get(f"priority_{n}_definition", "").strip() or f"Faults of priority {pid}.",
            "response": _required(form, f"priority_{n}_response", f"the response target of {pid}"),
            "resolution": _required(form, f"priority_{n}_resolution", f"the resolution target of {pid}"),
        }
        if form.get(f"priority_{n}_update", "").strip():
            priority["update_every"] = form[f"priority_{n}_update"].strip()
        priority["clock"] = form.get(f"priority_{n}_clock", "support_hours").strip() or "support_hours"
        priorities.append(priority)
    if not priorities:
        raise FormError("add at least one priority")
    data["priorities"] = priorities
    known = {p["id"] for p in priorities}
    for channel in data["problem_reporting"]["channels"]:
        if "priorities" in channel:
            channel["priorities"] = [p for p in channel["priorities"] if p in known] or [priorities[0]["id"]]
    _staffing(form, data)
    expected = (data.get("staffing") or {}).get("expected_tickets_per_month")
    if expected:  # the package's ticket estimate, for the priorities the form kept
        for pid in [p for p in expected if p not in known]:
            del expected[pid]

    data["termination"]["notice_days"] = _whole(form, "notice_days", "the notice period", 0)
    monthly = _money(form, "monthly_fee", "the monthly fee")
    if monthly is not None:
        fees = {"monthly": monthly}
        onboarding = _money(form, "onboarding_fee", "the onboarding fee")
        if onboarding is not None:
            fees["onboarding"] = onboarding
        data["sow"] = {"reference": f"{reference}-SOW", "fees": fees}
    yaml.representer.add_representer(Decimal, lambda r, v: r.represent_scalar("tag:yaml.org,2002:float",
                                                                               f"{v:.2f}"))
    out = StringIO()
    yaml.dump(data, out)
    return _without_starter_header(out.getvalue())


def _staffing(form: dict, data) -> None:
    """The team serving the customer: technicians by tier and on-call cover, as the form says
    (the starter package's expected tickets stay); no staffing section when nobody is named."""
    tiers = {tier: _whole(form, f"staff_{tier}", f"the number of {tier} technicians", 0)
             if form.get(f"staff_{tier}", "").strip() else 0 for tier in ("tier1", "tier2", "tier3")}
    on_call = form.get("on_call", "").strip().lower() in ("yes", "on", "true", "1")
    if not any(tiers.values()):  # nobody named, so nobody on call either
        data.pop("staffing", None)
        return
    staffing = data.get("staffing")
    if not isinstance(staffing, dict):
        data["staffing"] = staffing = {}
    staffing["technicians"] = {tier: n for tier, n in tiers.items() if n}
    staffing["on_call_out_of_hours"] = on_call


def _weekly(form: dict, package):
    """The support hours: '24x7', or Monday to Friday with Saturday and Sunday when given. Hours
    left exactly as the package's fields show them are the package's own, which may differ from
    weekday to weekday (Friday afternoons off), more than the form's three fields can say."""
    weekdays = _required(form, "weekly", "the Monday to Friday support hours (or 24x7)")
    package_weekly = package.data["support_hours"]["weekly"]
    shown = _hours_fields(package_weekly)
    if all(form.get(field, "").strip() == shown[field] for field in ("weekly", "saturday", "sunday")):
        return package_weekly
    if weekdays.lower() == "24x7":
        return "24x7"
    weekly = {"monday-friday": weekdays}
    for day in ("saturday", "sunday"):
        if form.get(day, "").strip():
            weekly[day] = form[day].strip()
    return weekly


def _without_starter_header(text: str) -> str:
    """The starter's opening comments tell a reader of `slagen init` what to do next; a contract
    made with the form needs only the line that points editors at the schema."""
    lines = text.splitlines(keepends=True)
    body = 0
    while body < len(lines) and lines[body].startswith("#"):
        body += 1
    return "# yaml-language-server: $schema=slagen.schema.json\n" + "".join(lines[body:])
