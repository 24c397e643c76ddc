"""The guided "new contract" form -> a contract text, built on the engine's starter.

The starter (`slagen init`'s file) supplies every section the form does not ask about; the
form's answers replace its values as data (a YAML dump, never text substitution), and the
result is validated by the engine like any other text before it is stored.
"""

from __future__ import annotations

import re
from datetime import date
from io import StringIO

PRIORITY_ROWS = 4
SERVICE_ROWS = 4

FORM_DEFAULTS: dict[str, str] = {
    "reference": "", "provider_name": "", "provider_address": "", "provider_contact": "", "customer_name": "", "customer_address": "", "contact_name": "", "contact_email": "",
    "timezone": "Europe/London", "holiday_country": "GB", "holiday_subdivision": "ENG",
    "weekly": "09:00-17:30", "effective_date": "", "initial_term_months": "12", "renewal_months": "12",
    "notice_days": "90", "monthly_fee": "", "onboarding_fee": "", "currency": "GBP",
    "service_0_id": "helpdesk", "service_0_name": "User helpdesk", "service_0_availability": "",
    "service_1_id": "email", "service_1_name": "Email", "service_1_availability": "99.5%",
    "priority_0_id": "P1", "priority_0_name": "Critical", "priority_0_response": "1h",
    "priority_0_resolution": "8h", "priority_0_clock": "support_hours",
    "priority_1_id": "P2", "priority_1_name": "Normal", "priority_1_response": "4h",
    "priority_1_resolution": "24h", "priority_1_clock": "support_hours",
}


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
    from decimal import Decimal, InvalidOperation

    value = form.get(key, "").strip().replace(",", "")
    if not value:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise FormError(f"{label} must be an amount such as 1200.00") from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise FormError(f"{label} must be an amount such as 1200.00, with at most two decimal places")
    return amount


def contract_from_form(form: dict) -> str:
    """The contract text the form describes (the engine validates it afterwards)."""
    from decimal import Decimal

    from ruamel.yaml import YAML

    from slagen.starter import starter_text

    yaml = YAML(typ="rt")
    data = yaml.load(starter_text())
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
    a["currency"] = form.get("currency", "GBP").strip().upper() or "GBP"
    provider = data["provider"]
    provider["name"] = _required(form, "provider_name", "your company's name")
    provider["address"] = _required(form, "provider_address", "your company's address")
    provider["contact"] = {"name": _required(form, "provider_contact", "your company's contact")}
    customer = data["customer"]
    customer["name"] = _required(form, "customer_name", "the customer's name")
    customer["address"] = _required(form, "customer_address", "the customer's address")
    customer["contact"] = {"name": _required(form, "contact_name", "the customer's contact")}
    if form.get("contact_email", "").strip():
        customer["contact"]["email"] = form["contact_email"].strip()

    hours = data["support_hours"]
    hours["timezone"] = _required(form, "timezone", "the time zone")
    hours["weekly"] = {"monday-friday": _required(form, "weekly", "the support hours")}
    country = form.get("holiday_country", "").strip().upper()
    if country:
        hours["holidays"] = {"country": country}
        if form.get("holiday_subdivision", "").strip():
            hours["holidays"]["subdivision"] = form["holiday_subdivision"].strip().upper()
    else:
        del hours["holidays"]

    services = []
    starter_services = {s["id"]: s for s in data["services"]}
    for n in range(SERVICE_ROWS):
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
    for n in range(PRIORITY_ROWS):
        pid = form.get(f"priority_{n}_id", "").strip()
        if not pid:
            continue
        priorities.append({
            "id": pid,
            "name": form.get(f"priority_{n}_name", "").strip() or pid,
            "definition": form.get(f"priority_{n}_definition", "").strip() or f"Faults of priority {pid}.",
            "response": _required(form, f"priority_{n}_response", f"the response target of {pid}"),
            "resolution": _required(form, f"priority_{n}_resolution", f"the resolution target of {pid}"),
            "clock": form.get(f"priority_{n}_clock", "support_hours").strip() or "support_hours",
        })
    if not priorities:
        raise FormError("add at least one priority")
    data["priorities"] = priorities
    known = {p["id"] for p in priorities}
    for channel in data["problem_reporting"]["channels"]:
        if "priorities" in channel:
            channel["priorities"] = [p for p in channel["priorities"] if p in known] or [priorities[0]["id"]]

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


def _without_starter_header(text: str) -> str:
    """The starter's opening comments tell a reader of `slagen init` what to do next; a contract
    made with the form needs only the line that points editors at the schema."""
    lines = text.splitlines(keepends=True)
    body = 0
    while body < len(lines) and lines[body].startswith("#"):
        body += 1
    return "# yaml-language-server: $schema=slagen.schema.json\n" + "".join(lines[body:])
