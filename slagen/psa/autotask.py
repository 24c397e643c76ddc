"""Autotask PSA: a holiday set, business hours, a service level agreement, statuses that pause it.

Autotask's REST API creates holiday sets and their holidays (``HolidaySets``, ``Holidays``:
``holidayName``, ``holidayDate``); its service level agreements and the business hours they run
on are set in Admin > Features & Settings > Service Desk (its REST API only reads SLA results),
so slagen writes them as the values of those screens (``by_hand``) and the audit reads the same
names back. Targets are decimal hours; Autotask's SLA events are First Response, Resolution
Plan and Resolved, and an SLA runs on one set of business hours.
"""

from __future__ import annotations

from slagen.psa import shapes
from slagen.psa.shapes import ShapeError
from slagen.psa.plan import PAUSE_WORDS, Settings, SlaPlan, Target
from slagen.model.types import WEEKDAYS

KEY = "autotask"
NAME = "Autotask PSA"
DOCUMENTATION = [
    "https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/Entities/HolidaySetsEntity.htm",
    "https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/Entities/HolidaysEntity.htm",
    "https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/Entities/ServiceLevelAgreementResultsEntity.htm",
]
LABELS = ["Critical", "High", "Medium", "Low"]


def expected(plan: SlaPlan) -> Settings:
    targets = {k: t for k, t in plan.settings.targets.items() if k[1] != "update"}
    return Settings(plan.settings.zone, plan.settings.hours, plan.settings.holidays, targets,
                    frozenset(PAUSE_WORDS[r] for r in plan.settings.pauses))


def export(plan: SlaPlan) -> dict:
    ref = plan.contract.agreement.reference
    days = shapes.one_window_per_day(plan, NAME)
    set_name = f"{ref} holidays"
    holidays = [{"holidayName": name, "holidayDate": f"{day.isoformat()}T00:00:00", "holidaySetName": set_name}
                for day, name in sorted(plan.settings.holidays.items())]
    hours = {"name": f"{ref} support hours", "timeZone": plan.settings.zone, "holidaySetName": set_name,
             **{f"{WEEKDAYS[d]}Start": shapes.clock_time(w[0]) if w else None for d, w in days.items()},
             **{f"{WEEKDAYS[d]}End": shapes.clock_time(w[1]) if w else None for d, w in days.items()}}
    slots = shapes.priority_slots(plan, LABELS, NAME)
    slas = []
    for business in (True, False):
        members = [(p, label) for p, label in slots if (p.clock == "support_hours") == business]
        if members:
            slas.append({"name": f"{ref} {'support hours' if business else '24x7'}",
                         "businessHoursName": hours["name"] if business else "24x7",
                         "priorities": [{"priority": label,
                                         "firstResponseHours": shapes.hours_number(
                                             plan.settings.targets[(p.id, "response")].minutes),
                                         "resolvedHours": shapes.hours_number(
                                             plan.settings.targets[(p.id, "resolution")].minutes)}
                                        for p, label in members]})
    statuses = [{"label": PAUSE_WORDS[r], "pausesSla": True} for r in sorted(plan.settings.pauses)]
    requests = [{"method": "POST", "path": "/V1.0/HolidaySets",
                 "body": {"holidaySetName": set_name, "holidaySetDescription": f"Closures of agreement {ref}"}},
                *[{"method": "POST", "path": "/V1.0/HolidaySets/{holiday_set_id}/Holidays",
                   "body": {"holidayName": h["holidayName"], "holidayDate": h["holidayDate"],
                            "holidaySetID": "{holiday_set_id}"}} for h in holidays]]
    by_hand = [f"Business hours: create '{hours['name']}' (zone {plan.settings.zone}) with the hours in "
               "resources.business_hours and the holiday set above (Admin > Features & Settings > Company Settings "
               "& Users > Business Hours).",
               "Service level agreements: create each of resources.service_level_agreements with its targets "
               "(Admin > Features & Settings > Service Desk > Service Level Agreements); Autotask's REST API "
               "does not create them.",
               "Statuses: add each of resources.statuses and make it pause the SLA clock."]
    return shapes.document(KEY, plan, DOCUMENTATION,
                           {"holidays": holidays, "business_hours": [hours], "service_level_agreements": slas,
                            "statuses": statuses}, requests, by_hand)


def read(resources: dict, plan: SlaPlan) -> Settings:
    ref = plan.contract.agreement.reference
    hours_obj = shapes.pick(shapes.as_list(resources, "business_hours"), "name", ref)
    if hours_obj is None:
        raise ShapeError("the configuration has no business hours ('business_hours')")
    hours = {}
    for d, title in enumerate(WEEKDAYS):
        start, end = hours_obj.get(f"{title}Start"), hours_obj.get(f"{title}End")
        hours[d] = () if start in (None, "") or end in (None, "") else (
            (shapes.read_clock_time(start, f"business_hours: {title}"),
             shapes.read_clock_time(end, f"business_hours: {title}")),)
    holidays = {shapes.read_date(h.get("holidayDate"), f"holidays: holiday {n + 1}"): str(h.get("holidayName", ""))
                for n, h in enumerate(shapes.as_list(resources, "holidays"))}
    ids = {label: p.id for p, label in zip(plan.contract.priorities, LABELS)}
    targets: dict[tuple[str, str], Target] = {}
    for sla in shapes.as_list(resources, "service_level_agreements"):
        business = sla.get("businessHoursName") != "24x7"
        for n, entry in enumerate(sla.get("priorities") or []):
            label = str(entry.get("priority"))
            pid = ids.get(label, f"'{label}'")
            for measure, key in (("response", "firstResponseHours"), ("resolution", "resolvedHours")):
                if entry.get(key) is not None:
                    targets[(pid, measure)] = Target(
                        shapes.hours_of_number(entry.get(key), f"service_level_agreements: priority {n + 1}"), business)
    pauses = None
    if "statuses" in resources:
        pauses = frozenset(str(s.get("label", "")) for s in shapes.as_list(resources, "statuses") if s.get("pausesSla"))
    return Settings(str(hours_obj.get("timeZone", "")) or None, hours, holidays, targets, pauses)
