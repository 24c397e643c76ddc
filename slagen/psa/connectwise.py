"""ConnectWise PSA: a holiday list, a calendar, SLAs with their priorities, and board statuses.

Shapes from the ConnectWise Manage REST API (docs/psa.md): ``/schedule/holidayLists`` and their
``holidays`` (``{name, allDayFlag, date}``); ``/schedule/calendars`` with one
``<weekday>StartTime``/``<weekday>EndTime`` pair per weekday and a ``holidayList`` reference;
``/service/SLAs`` (``basedOn``: ``Custom`` with a ``customCalendar``, or ``AllHours``) and their
``priorities`` (``respondHours``, ``resolutionHours`` in decimal hours). A board status whose
``slaStatus`` is ``Waiting`` stops the SLA clock.

A ConnectWise calendar carries no time zone (the zone is the company's or location's time-zone
setup), so the zone is set by hand and not compared. An SLA runs all its priorities on one
calendar: a contract whose priorities use both clocks gets one SLA per clock.
"""

from __future__ import annotations

from slagen.psa import shapes
from slagen.psa.shapes import ShapeError
from slagen.psa.plan import PAUSE_WORDS, Settings, SlaPlan, Target
from slagen.model.types import WEEKDAYS

KEY = "connectwise"
NAME = "ConnectWise PSA"
DOCUMENTATION = [
    "https://developer.connectwise.com/Products/ConnectWise_PSA/REST (Schedule: Calendars, Holiday Lists; "
    "Service: SLAs, SLA Priorities, Board Statuses)",
]
LABELS = ["Priority 1 - Emergency Response", "Priority 2 - Quick Response", "Priority 3 - Normal Response",
          "Priority 4 - Scheduled Maintenance"]


def expected(plan: SlaPlan) -> Settings:
    targets = {k: t for k, t in plan.settings.targets.items() if k[1] != "update"}
    return Settings(None, plan.settings.hours, plan.settings.holidays, targets,
                    frozenset(PAUSE_WORDS[r] for r in plan.settings.pauses))


def _sla_name(ref: str, business: bool) -> str:
    # SLA names are at most 25 characters in ConnectWise.
    suffix = " hours" if business else " 24x7"
    return ref[:25 - len(suffix)] + suffix


def export(plan: SlaPlan) -> dict:
    ref = plan.contract.agreement.reference
    days = shapes.one_window_per_day(plan, NAME)
    list_name = f"{ref} holidays"[:50]
    holidays = [{"name": name[:50], "allDayFlag": True, "date": day.isoformat(), "holidayList": {"name": list_name}}
                for day, name in sorted(plan.settings.holidays.items())]
    calendar = {"name": f"{ref} support hours"[:50], "holidayList": {"name": list_name}}
    for d, w in days.items():
        title = WEEKDAYS[d]
        calendar[f"{title}StartTime"] = shapes.clock_time(w[0], "seconds") if w else None
        calendar[f"{title}EndTime"] = shapes.clock_time(w[1], "seconds") if w else None
    slots = shapes.priority_slots(plan, LABELS, NAME)
    slas, sla_priorities = [], []
    for business in (True, False):
        members = [(p, label) for p, label in slots if (p.clock == "support_hours") == business]
        if not members:
            continue
        name = _sla_name(ref, business)
        slas.append({"name": name, "basedOn": "Custom" if business else "AllHours",
                     **({"customCalendar": {"name": calendar["name"]}} if business else {})})
        for p, label in members:
            sla_priorities.append({
                "sla": {"name": name}, "priority": {"name": label},
                "respondHours": shapes.hours_number(plan.settings.targets[(p.id, "response")].minutes),
                "resolutionHours": shapes.hours_number(plan.settings.targets[(p.id, "resolution")].minutes)})
    statuses = [{"name": PAUSE_WORDS[r], "slaStatus": "Waiting"} for r in sorted(plan.settings.pauses)]
    requests = [
        {"method": "POST", "path": "/schedule/holidayLists", "body": {"name": list_name}},
        *[{"method": "POST", "path": "/schedule/holidayLists/{holiday_list_id}/holidays",
           "body": {k: v for k, v in h.items() if k != "holidayList"}} for h in holidays],
        {"method": "POST", "path": "/schedule/calendars",
         "body": {**calendar, "holidayList": {"id": "{holiday_list_id}"}}},
        *[{"method": "POST", "path": "/service/SLAs",
           "body": {**s, **({"customCalendar": {"id": "{calendar_id}"}} if "customCalendar" in s else {})}}
          for s in slas],
        *[{"method": "POST", "path": "/service/SLAs/{sla_id}/priorities",
           "body": {**sp, "sla": {"id": "{sla_id}"},
                    "priority": {"id": "{priority_id}", "name": sp["priority"]["name"]}}}
          for sp in sla_priorities],
        *[{"method": "POST", "path": "/service/boards/{board_id}/statuses", "body": s} for s in statuses],
    ]
    by_hand = [
        f"Set the time zone of the company or location these tickets are measured in to "
        f"{plan.settings.zone} (ConnectWise calendars carry none).",
        "Replace {..._id} with the ids ConnectWise returns for the objects created before, and attach the SLA"
        + ("s" if len(slas) > 1 else "") + " to the customer's agreement or company.",
    ]
    if len(slas) > 1:
        by_hand.append("ConnectWise runs every priority of one SLA on one calendar, so the contract's 24x7 "
                       "priorities have an SLA of their own: apply it to those tickets by board or agreement.")
    if any(k[1] == "update" for k in plan.settings.targets):
        by_hand.append("ConnectWise has no update target; the contract's update targets are reported by slagen only.")
    return shapes.document(KEY, plan, DOCUMENTATION,
                           {"holidays": holidays, "calendars": [calendar], "slas": slas,
                            "sla_priorities": sla_priorities, "statuses": statuses}, requests, by_hand)


def read(resources: dict, plan: SlaPlan) -> Settings:
    ref = plan.contract.agreement.reference
    calendar = shapes.pick(shapes.as_list(resources, "calendars"), "name", ref)
    if calendar is None:
        raise ShapeError("the configuration has no calendar ('calendars'), so its hours cannot be compared")
    hours: dict[int, tuple[tuple[int, int], ...]] = {}
    for d, title in enumerate(WEEKDAYS):
        start, end = calendar.get(f"{title}StartTime"), calendar.get(f"{title}EndTime")
        if start in (None, "") or end in (None, ""):
            hours[d] = ()
            continue
        where = f"calendars: {title}"
        hours[d] = ((shapes.read_clock_time(start, where), shapes.read_clock_time(end, where)),)
    holidays = {}
    for n, h in enumerate(shapes.as_list(resources, "holidays")):
        holidays[shapes.read_date(h.get("date"), f"holidays: holiday {n + 1}")] = str(h.get("name", ""))
    slas = {str(s.get("name")): s for s in shapes.as_list(resources, "slas")}
    ids = {label: p.id for p, label in zip(plan.contract.priorities, LABELS)}
    targets: dict[tuple[str, str], Target] = {}
    for n, sp in enumerate(shapes.as_list(resources, "sla_priorities")):
        sla = slas.get(str((sp.get("sla") or {}).get("name")), {})
        business = sla.get("basedOn", "Custom") != "AllHours"
        label = str((sp.get("priority") or {}).get("name"))
        pid = ids.get(label, f"'{label}'")
        where = f"sla_priorities: {n + 1}"
        for measure, key in (("response", "respondHours"), ("resolution", "resolutionHours")):
            if sp.get(key) is not None:
                targets[(pid, measure)] = Target(shapes.hours_of_number(sp.get(key), where), business)
    pauses = None
    if "statuses" in resources:
        pauses = frozenset(str(s.get("name", "")) for s in shapes.as_list(resources, "statuses")
                           if s.get("slaStatus") == "Waiting")
    return Settings(None, hours, holidays, targets, pauses)
