"""SLA6xx: targets that the two parties could measure differently."""

from __future__ import annotations

from datetime import timedelta

from slagen.check.availability import budget
from slagen.check.registry import Hit, rule
from slagen.check.worst_case import MONTH_DAYS, Context, duration, percent, when
from slagen.model.types import WEEKDAYS


@rule(
    "SLA601", "availability-basis-undefined", severity="error",
    summary="An availability target is given without the period it is measured over or the hours that count.",
    why="'99.9%' of all hours in a month and of support hours in a quarter are different promises, with "
        "budgets that differ many times over. Undefined, the customer will read the strictest one.",
    fix="Set availability.measured_over (calendar_month or calendar_quarter) and availability.hours "
        "(all or support_hours).",
)
def basis_undefined(ctx: Context):
    targets = [(i, s) for i, s in enumerate(ctx.contract.services) if s.availability is not None]
    if not targets:
        return
    availability = ctx.contract.availability
    missing = []
    if availability is None or availability.measured_over is None:
        missing.append("measured_over")
    if availability is None or availability.hours is None:
        missing.append("hours")
    if not missing:
        return
    i, service = max(targets, key=lambda t: t[1].availability)
    month = timedelta(days=MONTH_DAYS)
    support = ctx.support.elapsed(ctx.week, ctx.week + month)
    all_hours = budget(service.availability, month)
    support_only = budget(service.availability, support)
    loc = ("availability", missing[0]) if availability is not None else ("services", i, "availability")
    if availability is not None and not ctx.has(loc):
        loc = ("availability",)
    yield Hit(loc,
              f"{percent(service.availability)} of what? {' and '.join(missing)} "
              f"{'is' if len(missing) == 1 else 'are'} not set: over all hours of a {MONTH_DAYS}-day month "
              f"{service.id} may be down {duration(all_hours)}; over its {duration(support)} of support hours, "
              f"{duration(support_only)}; a quarter triples either budget",
              fix="Add 'measured_over: calendar_month' and 'hours: all' (or the basis agreed) under availability.")


@rule(
    "SLA602", "maintenance-in-support-hours", severity="warning",
    summary="A maintenance window falls inside support hours.",
    why="Support hours are when the customer works. Planned downtime then is downtime the customer feels, "
        "and maintenance is usually excluded from availability, so the customer pays for it twice.",
    fix="Move the window outside support hours (nights or weekends).",
)
def maintenance_in_hours(ctx: Context):
    availability = ctx.contract.availability
    if availability is None or ctx.contract.support_hours.weekly.is_always:
        return
    for k, window in enumerate(availability.maintenance_windows):
        start = ctx.local(window.day, window.start)
        overlap = ctx.support.elapsed(start, start + window.duration)
        if overlap > timedelta(0):
            yield Hit(("availability", "maintenance_windows", k, "start"),
                      f"the {WEEKDAYS[window.day].title()} {start:%H:%M} window ({duration(window.duration)}) "
                      f"overlaps support hours by {duration(overlap)}",
                      fix="Start the window after support closes, or shorten it to end before support opens.")


@rule(
    "SLA603", "clock-start-at-provider-discretion", severity="warning",
    summary="The ticket clock starts when the provider acknowledges or triages, not when the problem is logged.",
    why="If the provider decides when the clock starts, every target can be met by starting it late. "
        "The time a ticket waits unseen is exactly what the customer wants measured.",
    fix="Set problem_reporting.clock_starts: when_logged.",
)
def clock_start(ctx: Context):
    start = ctx.contract.problem_reporting.clock_starts
    if start == "when_logged":
        return
    first = ctx.contract.priorities[0]
    cal = ctx.clock(first.clock)
    best = None
    for logged in ctx.candidates:
        opens = ctx.next_open(ctx.staff, logged)
        wait = ctx.always.elapsed(logged, opens)
        if best is None or wait > best[0]:
            best = (wait, logged, opens)
    wait, logged, opens = best
    moment = "acknowledged" if start == "when_acknowledged" else "triaged"
    if wait > timedelta(0):
        case = (f"a {first.id} logged {when(logged)} and {moment} when technicians are next at work, "
                f"{when(opens)}, has used none of its {duration(first.response)} response target after "
                f"{duration(wait)}")
    else:
        case = (f"a {first.id} {moment} a day after it was logged has used none of its "
                f"{duration(first.response)} response target")
    if start == "when_acknowledged":
        case += "; and the acknowledgement that starts the clock is itself the response"
    yield Hit(("problem_reporting", "clock_starts"), f"clock_starts is {start}: {case}")


@rule(
    "SLA604", "auto-acknowledgement-counts", severity="warning",
    summary="An automatic acknowledgement counts as the response.",
    why="An automatic reply is sent in seconds whether or not anyone has read the ticket, so every response "
        "target is met and measures nothing.",
    fix="Set problem_reporting.auto_acknowledgement_counts_as_response: false; a response is a person "
        "assessing the problem.",
)
def auto_ack(ctx: Context):
    if not ctx.contract.problem_reporting.auto_acknowledgement_counts_as_response:
        return
    shortest = min(ctx.contract.priorities, key=lambda p: p.response)
    yield Hit(("problem_reporting", "auto_acknowledgement_counts_as_response"),
              f"an automatic reply sent seconds after logging meets even {shortest.id}'s "
              f"{duration(shortest.response)} response target, whether or not anyone reads the ticket")


@rule(
    "SLA605", "pauses-undefined", severity="warning",
    summary="The contract does not say when a ticket's clock pauses.",
    why="Without agreed pauses the clock runs while the provider waits for the customer's answers or "
        "access; the provider then argues for pauses case by case, which is the dispute the SLA should avoid.",
    fix="List the agreed reasons under clock_pauses (for example awaiting_customer, "
        "scheduled_at_customer_request), or write 'clock_pauses: []' to say the clock never pauses.",
)
def pauses_undefined(ctx: Context):
    if ctx.contract.clock_pauses is not None:
        return
    shortest = min(ctx.contract.priorities, key=lambda p: p.resolution)
    day = max(sum(w.minutes for w in windows) for windows in ctx.contract.support_hours.weekly.days())
    waiting = timedelta(minutes=day) if shortest.clock == "support_hours" else timedelta(hours=24)
    share = int(100 * waiting / shortest.resolution)
    yield Hit(("priorities",),
              f"clock_pauses is not set: a {shortest.id} waiting one day for the customer's reply uses "
              f"{duration(waiting)} of its {duration(shortest.resolution)} resolution target ({share}%)")


@rule(
    "SLA606", "pause-without-definition", severity="warning",
    summary="The clock pauses outside site access, but the site access hours are not given.",
    why="A pause whose hours are not written down is decided after the fact; the customer cannot check it.",
    fix="Add infrastructure.site_access with the hours engineers can get on site.",
)
def pause_without_definition(ctx: Context):
    pauses = ctx.contract.clock_pauses or []
    infra = ctx.contract.infrastructure
    if "outside_site_access" in pauses and (infra is None or infra.site_access is None):
        yield Hit(("clock_pauses", pauses.index("outside_site_access")),
                  "the clock pauses outside_site_access, but infrastructure.site_access is not given: "
                  "when the pause applies is undefined")
