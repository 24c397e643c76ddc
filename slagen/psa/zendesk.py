"""Zendesk Support: a business-hours schedule with its holidays, and an SLA policy.

Shapes (docs/psa.md has the sources): a schedule is ``{name, time_zone, intervals}`` with the
time zone by its Rails name and each interval as minutes since Sunday 00:00, never spanning
midnight; holidays are ``{name, start_date, end_date}``; an SLA policy is ``{title, filter,
policy_metrics}``, each metric ``{priority, metric, target (minutes), business_hours}``.

Zendesk has no setting for which statuses pause a target: each resolution metric pauses in
fixed statuses (requester wait time in Pending; agent work time in Pending and On-hold; total
resolution time never). The contract's pauses choose the metric, and the audit reads the
metric back as the statuses it pauses in.
"""

from __future__ import annotations

from datetime import timedelta

from slagen.psa import shapes
from slagen.psa.shapes import ShapeError
from slagen.psa.plan import Settings, SlaPlan, Target, split_at_midnight
from slagen.psa.rails_zones import iana_of, rails_name

KEY = "zendesk"
NAME = "Zendesk"
DOCUMENTATION = [
    "https://developer.zendesk.com/api-reference/ticketing/ticket-management/schedules/",
    "https://developer.zendesk.com/api-reference/ticketing/business-rules/sla_policies/",
]
LABELS = ["urgent", "high", "normal", "low"]
_DAY = 24 * 60
# Which Zendesk status a contract pause reason is: waiting on the customer is Pending; waiting on
# anyone or anything else is On-hold.
_STATUS = {"awaiting_customer": "pending", "customer_unreachable": "pending", "awaiting_third_party": "on-hold",
           "scheduled_at_customer_request": "on-hold", "outside_site_access": "on-hold"}
_RESOLUTION_PAUSES = {"total_resolution_time": frozenset(), "requester_wait_time": frozenset({"pending"}),
                      "agent_work_time": frozenset({"pending", "on-hold"})}
_UPDATE_PAUSES = {"periodic_update_time": frozenset(), "pausable_update_time": frozenset({"pending"})}
_MEASURE = {"first_reply_time": "response", **{m: "resolution" for m in _RESOLUTION_PAUSES},
            **{m: "update" for m in _UPDATE_PAUSES}}


def _statuses(plan: SlaPlan) -> frozenset[str]:
    return frozenset(_STATUS[reason] for reason in plan.settings.pauses if reason in _STATUS)


def _resolution_metric(statuses: frozenset[str]) -> str:
    for metric, pauses in _RESOLUTION_PAUSES.items():
        if pauses == statuses:
            return metric
    return "agent_work_time"  # On-hold alone: no metric pauses only there (said in by_hand)


def _zone(plan: SlaPlan) -> str:
    name = rails_name(plan.settings.zone)
    if name is None:
        raise shapes.NotExpressible(str(plan.problem(
            "zone", None, f"Zendesk names time zones its own way and slagen knows no Zendesk name for "
                          f"'{plan.settings.zone}'; choose the schedule's zone by hand")))
    return name


def expected(plan: SlaPlan) -> Settings:
    statuses = _statuses(plan)
    return Settings(plan.settings.zone, plan.settings.hours, plan.settings.holidays, plan.settings.targets,
                    frozenset(_RESOLUTION_PAUSES[_resolution_metric(statuses)]))


def export(plan: SlaPlan) -> dict:
    ref = plan.contract.agreement.reference
    zone = _zone(plan)
    slots = shapes.priority_slots(plan, LABELS, NAME)
    intervals = []
    for day, windows in split_at_midnight(plan.settings.hours).items():
        base = ((day + 1) % 7) * _DAY  # minutes since Sunday midnight: Monday starts at 1440
        intervals += [{"start_time": base + start, "end_time": base + end} for start, end in windows]
    intervals.sort(key=lambda i: i["start_time"])
    schedule = {"name": f"{ref} support hours", "time_zone": zone, "intervals": intervals}
    holidays = [{"name": name, "start_date": day.isoformat(), "end_date": day.isoformat()}
                for day, name in sorted(plan.settings.holidays.items())]
    statuses = _statuses(plan)
    resolution = _resolution_metric(statuses)
    update = "pausable_update_time" if "pending" in statuses else "periodic_update_time"
    metrics = []
    for priority, label in slots:
        for measure, metric in (("response", "first_reply_time"), ("resolution", resolution), ("update", update)):
            target = plan.settings.targets.get((priority.id, measure))
            if target is not None:
                metrics.append({"priority": label, "metric": metric, "target": target.minutes,
                                "business_hours": target.business_hours})
    policy = {"title": f"{ref} SLA", "description": f"Targets of agreement {ref}, written by slagen",
              "filter": {"all": [{"field": "organization_id", "operator": "is", "value": "{organization_id}"}],
                         "any": []},
              "policy_metrics": metrics}
    requests = [
        {"method": "POST", "path": "/api/v2/business_hours/schedules",
         "body": {"schedule": {"name": schedule["name"], "time_zone": zone}}},
        {"method": "PUT", "path": "/api/v2/business_hours/schedules/{schedule_id}/workweek",
         "body": {"workweek": {"intervals": intervals}}},
        *[{"method": "POST", "path": "/api/v2/business_hours/schedules/{schedule_id}/holidays",
           "body": {"holiday": h}} for h in holidays],
        {"method": "POST", "path": "/api/v2/slas/policies", "body": {"sla_policy": policy}},
    ]
    by_hand = [
        "Replace {organization_id} with the customer's organization id, and add a trigger that sets the "
        f"schedule '{schedule['name']}' on the customer's tickets (Zendesk measures business hours on the "
        "ticket's schedule, not the policy's).",
        "Zendesk's first reply target never pauses; the contract's pauses apply to resolution"
        + (" and updates." if any(k[1] == "update" for k in plan.settings.targets) else "."),
    ]
    if statuses == frozenset({"on-hold"}):
        by_hand.append("The contract pauses only while waiting on others (On-hold); no Zendesk resolution metric "
                       "pauses in On-hold alone, so agent work time is used, which also pauses in Pending.")
    return shapes.document(KEY, plan, DOCUMENTATION,
                           {"schedules": [schedule], "holidays": holidays, "sla_policies": [policy]},
                           requests, by_hand)


def read(resources: dict, plan: SlaPlan) -> Settings:
    ref = plan.contract.agreement.reference
    schedule = shapes.pick(shapes.as_list(resources, "schedules"), "name", ref)
    if schedule is None:
        raise ShapeError("the configuration has no schedule ('schedules'), so its hours cannot be compared")
    zone_name = str(schedule.get("time_zone", ""))
    zone = iana_of(zone_name) or f"(Zendesk's '{zone_name}')"
    hours: dict[int, list[tuple[int, int]]] = {d: [] for d in range(7)}
    for n, interval in enumerate(schedule.get("intervals") or []):
        where = f"schedules: interval {n + 1}"
        start = shapes.minutes_of(interval.get("start_time"), where)
        end = shapes.minutes_of(interval.get("end_time"), where)
        sunday_day, offset = divmod(start, _DAY)
        day = (sunday_day - 1) % 7
        hours[day].append((offset, offset + (end - start)))
    holidays = {}
    for n, holiday in enumerate(shapes.as_list(resources, "holidays")):
        where = f"holidays: holiday {n + 1}"
        first = shapes.read_date(holiday.get("start_date"), where)
        last = shapes.read_date(holiday.get("end_date", holiday.get("start_date")), where)
        day = first
        while day <= last:
            holidays[day] = str(holiday.get("name", ""))
            day += timedelta(days=1)
    policy = shapes.pick(shapes.as_list(resources, "sla_policies"), "title", ref)
    targets: dict[tuple[str, str], Target] = {}
    pauses: frozenset[str] = frozenset()
    ids = {label: p.id for p, label in zip(plan.contract.priorities, LABELS)}
    for n, metric in enumerate((policy or {}).get("policy_metrics") or []):
        where = f"sla_policies: metric {n + 1}"
        name = metric.get("metric")
        if name not in _MEASURE:
            continue  # next reply time and others the contract has no clause for
        pid = ids.get(str(metric.get("priority")), f"'{metric.get('priority')}'")
        targets[(pid, _MEASURE[name])] = Target(shapes.minutes_of(metric.get("target"), where),
                                                bool(metric.get("business_hours")))
        if name in _RESOLUTION_PAUSES:
            pauses = _RESOLUTION_PAUSES[name]
    return Settings(zone, {d: tuple(sorted(w)) for d, w in hours.items()}, holidays, targets, pauses)

