"""HaloPSA: a workday (hours, zone, holidays), an SLA with its priorities, and statuses on hold.

HaloPSA's API reference is published inside each Halo instance (``/apidoc``), not on a public
page slagen could compare with, so these objects follow the fields of HaloPSA's Workday and SLA
set-up screens under the names its API uses for them (``/api/Workday``, ``/api/SLA``); the
audit reads the same names back. docs/psa.md says which names were not checked against a live
instance. Targets are decimal hours; a priority whose clock is 24x7 ignores the workday.
"""

from __future__ import annotations

from slagen.psa import shapes
from slagen.psa.shapes import ShapeError
from slagen.psa.plan import PAUSE_WORDS, Settings, SlaPlan, Target
from slagen.model.types import WEEKDAYS

KEY = "halopsa"
NAME = "HaloPSA"
DOCUMENTATION = [
    "https://halopsa.com/guides/ (Workdays, Service Level Agreements) and each instance's /apidoc "
    "(Workday, SLA, Status)",
]
LABELS = [1, 2, 3, 4]


def expected(plan: SlaPlan) -> Settings:
    return Settings(plan.settings.zone, plan.settings.hours, plan.settings.holidays, plan.settings.targets,
                    frozenset(PAUSE_WORDS[r] for r in plan.settings.pauses))


def export(plan: SlaPlan) -> dict:
    ref = plan.contract.agreement.reference
    workday = {
        "name": f"{ref} support hours",
        "timezone": plan.settings.zone,
        "workdaytimes": [{"day": WEEKDAYS[d], "start": shapes.clock_time(start), "end": shapes.clock_time(end % (24 * 60))}
                         for d, windows in sorted(plan.settings.hours.items()) for start, end in windows],
        "holidays": [{"date": day.isoformat(), "name": name, "allday": True}
                     for day, name in sorted(plan.settings.holidays.items())],
    }
    slots = shapes.priority_slots(plan, LABELS, NAME)
    priorities = []
    for p, number in slots:
        entry = {"priority_id": number, "name": p.name,
                 "ignore_workday": plan.settings.targets[(p.id, "response")].business_hours is False}
        for measure, key in (("response", "responsetime"), ("resolution", "fixtime"), ("update", "updatetime")):
            target = plan.settings.targets.get((p.id, measure))
            if target is not None:
                entry[key] = shapes.hours_number(target.minutes)
        priorities.append(entry)
    sla = {"name": f"{ref} SLA", "workday_name": workday["name"], "priorities": priorities}
    statuses = [{"name": PAUSE_WORDS[r], "sla_hold": True} for r in sorted(plan.settings.pauses)]
    requests = [{"method": "POST", "path": "/api/Workday", "body": [workday]},
                {"method": "POST", "path": "/api/SLA", "body": [{**sla, "workday_id": "{workday_id}"}]},
                {"method": "POST", "path": "/api/Status", "body": statuses}]
    by_hand = ["Check the field names against your instance's /apidoc before sending (docs/psa.md): HaloPSA "
               "publishes its API reference per instance.",
               "Set the SLA on the customer's contract or client, and give each priority the priority id your "
               "instance uses."]
    return shapes.document(KEY, plan, DOCUMENTATION,
                           {"workdays": [workday], "slas": [sla], "statuses": statuses}, requests, by_hand)


def read(resources: dict, plan: SlaPlan) -> Settings:
    ref = plan.contract.agreement.reference
    workday = shapes.pick(shapes.as_list(resources, "workdays"), "name", ref)
    if workday is None:
        raise ShapeError("the configuration has no workday ('workdays'), so its hours cannot be compared")
    hours: dict[int, list[tuple[int, int]]] = {d: [] for d in range(7)}
    for n, t in enumerate(workday.get("workdaytimes") or []):
        where = f"workdays: time {n + 1}"
        day = str(t.get("day", "")).lower()
        if day not in WEEKDAYS:
            raise ShapeError(f"{where}: '{t.get('day')}' is not a weekday")
        start, end = shapes.read_clock_time(t.get("start"), where), shapes.read_clock_time(t.get("end"), where)
        hours[WEEKDAYS.index(day)].append((start, end if end > start else end + 24 * 60))
    holidays = {shapes.read_date(h.get("date"), f"workdays: holiday {n + 1}"): str(h.get("name", ""))
                for n, h in enumerate(workday.get("holidays") or [])}
    sla = shapes.pick(shapes.as_list(resources, "slas"), "name", ref) or {}
    ids = {number: p.id for p, number in zip(plan.contract.priorities, LABELS)}
    targets: dict[tuple[str, str], Target] = {}
    for n, entry in enumerate(sla.get("priorities") or []):
        pid = ids.get(entry.get("priority_id"), f"'{entry.get('priority_id')}'")
        business = not entry.get("ignore_workday")
        for measure, key in (("response", "responsetime"), ("resolution", "fixtime"), ("update", "updatetime")):
            if entry.get(key) is not None:
                targets[(pid, measure)] = Target(shapes.hours_of_number(entry.get(key), f"slas: priority {n + 1}"),
                                                 business)
    pauses = None
    if "statuses" in resources:
        pauses = frozenset(str(s.get("name", "")) for s in shapes.as_list(resources, "statuses") if s.get("sla_hold"))
    return Settings(str(workday.get("timezone", "")), {d: tuple(sorted(w)) for d, w in hours.items()}, holidays,
                    targets, pauses)
