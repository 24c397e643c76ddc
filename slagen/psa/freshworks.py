"""Freshdesk and Freshservice: business hours (with their holidays) and an SLA policy.

Both name time zones as Rails does and count SLA targets in seconds, with one "business
hours" flag per priority. Freshdesk's policy holds ``sla_target.priority_N`` objects and its
priorities run 4 (urgent) to 1 (low); Freshservice's holds a list ``sla_targets`` of
``{priority, respond_within, resolve_within, business_hours}``. Freshdesk's business hours
are ``business_hours.<weekday>.{start_time, end_time}``, Freshservice's
``service_desk_hours.<weekday>.{beginning_of_workday, end_of_workday}`` with
``list_of_holidays`` of ``{holiday_date, holiday_name}``.

A status pauses the SLA when its "SLA timer" is off; Freshworks' own Pending status is off
by default and stands for waiting on the customer. Neither API documents a periodic update
target, so update targets are left to the person configuring the tool (``by_hand``).
"""

from __future__ import annotations

from slagen.psa import shapes
from slagen.psa.shapes import ShapeError
from slagen.psa.plan import PAUSE_WORDS, Settings, SlaPlan, Target
from slagen.psa.rails_zones import iana_of, rails_name
from slagen.model.types import WEEKDAYS

LABELS = [4, 3, 2, 1]  # urgent, high, medium, low
_NAMES = {4: "urgent", 3: "high", 2: "medium", 1: "low"}


class _Flavour:
    def __init__(self, key, name, documentation, hours_key, start_key, end_key, holidays_key):
        self.key, self.name, self.documentation = key, name, documentation
        self.hours_key, self.start_key, self.end_key, self.holidays_key = hours_key, start_key, end_key, holidays_key


FRESHDESK = _Flavour("freshdesk", "Freshdesk", [
    "https://developers.freshdesk.com/api/#sla_policies",
    "https://developers.freshdesk.com/api/#business-hours",
    "https://developers.freshdesk.com/api/#ticket-fields",
], "business_hours", "start_time", "end_time", "holidays")
FRESHSERVICE = _Flavour("freshservice", "Freshservice", [
    "https://api.freshservice.com/#sla_policies",
    "https://api.freshservice.com/#business-hours",
], "service_desk_hours", "beginning_of_workday", "end_of_workday", "list_of_holidays")


def status_label(reason: str) -> str:
    return "Pending" if reason == "awaiting_customer" else PAUSE_WORDS[reason]


def expected(plan: SlaPlan) -> Settings:
    targets = {k: t for k, t in plan.settings.targets.items() if k[1] != "update"}
    return Settings(plan.settings.zone, plan.settings.hours, plan.settings.holidays, targets,
                    frozenset(status_label(r) for r in plan.settings.pauses))


def export(flavour: _Flavour, plan: SlaPlan) -> dict:
    ref = plan.contract.agreement.reference
    zone = rails_name(plan.settings.zone)
    if zone is None:
        raise shapes.NotExpressible(str(plan.problem(
            "zone", None, f"{flavour.name} names time zones its own way and slagen knows no {flavour.name} name for "
                          f"'{plan.settings.zone}'; choose the business hours' zone by hand")))
    days = shapes.one_window_per_day(plan, flavour.name)
    week = {WEEKDAYS[d]: {flavour.start_key: shapes.clock_time(w[0], "ampm"),
                          flavour.end_key: shapes.clock_time(w[1], "ampm")}
            for d, w in days.items() if w is not None}
    if flavour is FRESHSERVICE:
        holidays = [{"holiday_date": day.isoformat(), "holiday_name": name}
                    for day, name in sorted(plan.settings.holidays.items())]
    else:
        holidays = [{"date": day.isoformat(), "name": name} for day, name in sorted(plan.settings.holidays.items())]
    hours = {"name": f"{ref} support hours", "description": f"Support hours of agreement {ref}",
             "time_zone": zone, flavour.hours_key: week, flavour.holidays_key: holidays}
    slots = shapes.priority_slots(plan, LABELS, flavour.name)
    targets = []
    for priority, number in slots:
        respond = plan.settings.targets[(priority.id, "response")]
        resolve = plan.settings.targets[(priority.id, "resolution")]
        targets.append((number, {"respond_within": respond.minutes * 60, "resolve_within": resolve.minutes * 60,
                                 "business_hours": respond.business_hours, "escalation_enabled": True}))
    if flavour is FRESHSERVICE:
        policy = {"name": f"{ref} SLA", "description": f"Targets of agreement {ref}, written by slagen",
                  "sla_targets": [{"priority": n, **t} for n, t in targets],
                  "applicable_to": {"departments": ["{department_id}"]}}
    else:
        policy = {"name": f"{ref} SLA", "description": f"Targets of agreement {ref}, written by slagen",
                  "sla_target": {f"priority_{n}": t for n, t in targets},
                  "applicable_to": {"company_ids": ["{company_id}"]}}
    statuses = [{"label": status_label(r), "stop_sla_timer": True} for r in sorted(plan.settings.pauses)]
    requests = [{"method": "POST", "path": "/api/v2/sla_policies", "body": policy}]
    by_hand = [
        f"{flavour.name}'s API reads business hours but does not create them: add '{hours['name']}' under Admin > "
        f"Business Hours with the zone {zone}, the hours and the {len(holidays)} holidays listed in resources.",
        "Statuses: for each status in resources.statuses, turn its SLA timer off (Admin > Ticket Fields > Status).",
    ]
    if any(k[1] == "update" for k in plan.settings.targets):
        by_hand.append(f"{flavour.name} has no periodic update target; the contract's update targets are reported "
                       "by slagen only.")
    return shapes.document(flavour.key, plan, flavour.documentation,
                           {"business_hours": [hours], "sla_policies": [policy], "statuses": statuses},
                           requests, by_hand)


def read(flavour: _Flavour, resources: dict, plan: SlaPlan) -> Settings:
    ref = plan.contract.agreement.reference
    hours_obj = shapes.pick(shapes.as_list(resources, "business_hours"), "name", ref)
    if hours_obj is None:
        raise ShapeError("the configuration has no business hours ('business_hours'), so its hours cannot "
                          "be compared")
    zone_name = str(hours_obj.get("time_zone", ""))
    zone = iana_of(zone_name) or f"({flavour.name}'s '{zone_name}')"
    hours: dict[int, tuple[tuple[int, int], ...]] = {d: () for d in range(7)}
    week = hours_obj.get(flavour.hours_key) or {}
    if not isinstance(week, dict):
        raise ShapeError(f"'{flavour.hours_key}' must be an object of weekdays")
    for day_name, value in week.items():
        if str(day_name).lower() not in WEEKDAYS or not isinstance(value, dict):
            continue
        where = f"{flavour.hours_key}.{day_name}"
        start = shapes.read_clock_time(value.get(flavour.start_key), where)
        end = shapes.read_clock_time(value.get(flavour.end_key), where)
        hours[WEEKDAYS.index(str(day_name).lower())] = ((start, end),)
    holidays = None
    if flavour.holidays_key in hours_obj:
        holidays = {}
        for n, h in enumerate(hours_obj.get(flavour.holidays_key) or []):
            where = f"{flavour.holidays_key}: holiday {n + 1}"
            raw = h.get("holiday_date", h.get("date"))
            name = str(h.get("holiday_name", h.get("name", "")))
            if isinstance(raw, str) and raw.startswith("--"):  # Freshservice's yearly '--MM-DD'
                for year in plan.years:
                    holidays[shapes.read_date(f"{year}-{raw[2:]}", where)] = name
            else:
                holidays[shapes.read_date(raw, where)] = name
    policy = shapes.pick(shapes.as_list(resources, "sla_policies"), "name", ref) or {}
    ids = {number: p.id for p, number in zip(plan.contract.priorities, LABELS)}
    raw_targets: list[tuple[int, dict]] = []
    if flavour is FRESHSERVICE:
        raw_targets = [(t.get("priority"), t) for t in policy.get("sla_targets") or [] if isinstance(t, dict)]
    else:
        for key, t in (policy.get("sla_target") or {}).items():
            if str(key).startswith("priority_") and str(key)[9:].isdigit() and isinstance(t, dict):
                raw_targets.append((int(str(key)[9:]), t))
    targets: dict[tuple[str, str], Target] = {}
    for number, t in raw_targets:
        pid = ids.get(number, f"'{_NAMES.get(number, number)}'")
        business = bool(t.get("business_hours"))
        where = f"sla_policies: priority {number}"
        for measure, key in (("response", "respond_within"), ("resolution", "resolve_within")):
            if t.get(key) is not None:
                targets[(pid, measure)] = Target(shapes.seconds_of(t.get(key), where), business)
    pauses = None  # the configuration given holds no statuses: not compared
    if "statuses" in resources:
        pauses = frozenset(str(s.get("label", s.get("name", ""))) for s in shapes.as_list(resources, "statuses")
                           if s.get("stop_sla_timer"))
    return Settings(zone, hours, holidays, targets, pauses)
