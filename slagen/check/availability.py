"""SLA3xx: each service's availability target against what it runs on."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from slagen.check.registry import Hit, rule
from slagen.check.worst_case import MONTH_DAYS, Context, duration, owner, percent

HUNDRED = Decimal(100)


def _component_availability(component) -> Decimal | None:
    """As a fraction; parallel copies fail together only when all of them fail."""
    if component.provider_availability is None:
        return None
    one = component.provider_availability / HUNDRED
    return 1 - (1 - one) ** component.count


def month_hours(ctx: Context) -> tuple[timedelta, str]:
    """The time one month of availability is counted over, and its name in words."""
    basis = ctx.contract.availability.hours if ctx.contract.availability else None
    if basis == "support_hours":
        start = ctx.week
        counted = ctx.support.elapsed(start, start + timedelta(days=MONTH_DAYS))
        return counted, f"the {duration(counted)} of support hours in a {MONTH_DAYS}-day month"
    return timedelta(days=MONTH_DAYS), f"a {MONTH_DAYS}-day month"


def budget(target: Decimal, month: timedelta) -> timedelta:
    seconds = (HUNDRED - target) / HUNDRED * Decimal(int(month.total_seconds()))
    return timedelta(seconds=int(seconds.to_integral_value()))


def _fmt_fraction(value: Decimal) -> str:
    return percent((value * HUNDRED).quantize(Decimal("0.0001")).normalize())


@rule(
    "SLA301", "composite-availability-below-target", severity="error",
    summary="A service's availability target is higher than the suppliers' commitments for what it depends "
            "on allow (a target with no margin at all is a warning).",
    why="A service is up only when everything it depends on is up, so its availability is at most the "
        "product of theirs (a redundant pair is down only when both copies are). A target above that "
        "product is breached by the suppliers' own permitted downtime before the provider does anything. "
        "A platform the customer licenses from its vendor (a saas component, or licensed_by: customer) is "
        "left out: the agreement excludes its outages from availability.",
    fix="Lower the target to the composite figure or below, or make the weakest dependency redundant "
        "(count: 2) or buy it with a higher commitment.",
)
def composite_below_target(ctx: Context):
    infra = ctx.contract.infrastructure
    if infra is None:
        return
    by_id = {c.id: c for c in infra.components}
    month, month_words = month_hours(ctx)
    for i, service in enumerate(ctx.contract.services):
        if service.availability is None or not service.depends_on:
            continue
        composite = Decimal(1)
        known, unknown = [], []
        for dep in service.depends_on:
            component = by_id[dep]
            if component.customer_platform:
                continue  # its outages do not count: see the third-party-platforms clause
            share = _component_availability(component)
            if share is None:
                unknown.append(dep)
                continue
            composite *= share
            pair = f" x{component.count} in parallel" if component.count > 1 else ""
            known.append(f"{dep} ({percent(component.provider_availability)}{pair})")
        if not known:
            continue
        target = service.availability / HUNDRED
        if composite > target:
            continue
        product = " x ".join(known)
        assumed = f"; {', '.join(unknown)} assumed never to fail" if unknown else ""
        allowed = budget(service.availability, month)
        suppliers = budget(composite * HUNDRED, month)
        if composite == target:
            yield Hit(
                ("services", i, "availability"),
                f"{service.id} has no margin: {product} = {_fmt_fraction(composite)}, exactly its "
                f"{percent(service.availability)} target{assumed}; the suppliers alone may use the whole "
                f"{duration(allowed)} of downtime {month_words} allows",
                severity="warning",
                fix=f"Lower {owner(service.id)} target below {_fmt_fraction(composite)}, or make a dependency redundant.",
            )
            continue
        yield Hit(
            ("services", i, "availability"),
            f"{service.id} depends in series on {product} = {_fmt_fraction(composite)}, below its "
            f"{percent(service.availability)} target{assumed}: in {month_words} the suppliers may be down "
            f"{duration(suppliers)} against the {duration(allowed)} the target allows",
            fix=f"Lower {owner(service.id)} availability to at most {_fmt_fraction(composite)}, or make "
                f"{known[-1].split(' ')[0]} redundant (count: 2) or buy a higher commitment.",
        )


@rule(
    "SLA302", "downtime-budget-below-repair", severity="error",
    summary="One worst-case repair of a component with no spare uses more than a month's downtime budget.",
    why="A monthly availability target is a downtime budget. If a single failure of hardware with no "
        "spare takes longer to repair than the whole budget, one failure in the month breaches the target "
        "and triggers service credits.",
    fix="Give the component a spare (count: 2) or a faster warranty, or lower the availability target so "
        "that its budget covers one repair.",
)
def budget_below_repair(ctx: Context):
    infra = ctx.contract.infrastructure
    if infra is None:
        return
    singles = {c.id: c for _, c in ctx.single_points}
    month, month_words = month_hours(ctx)
    basis = ctx.contract.availability.hours if ctx.contract.availability else None
    clock = "support_hours" if basis == "support_hours" else "24x7"
    for i, service in enumerate(ctx.contract.services):
        if service.availability is None:
            continue
        at_risk = [singles[d] for d in service.depends_on if d in singles]
        if not at_risk:
            continue
        allowed = budget(service.availability, month)
        # Availability counts the outage itself: pauses in the ticket clock do not apply.
        worst = max((ctx.worst_repair(c, clock, paused=False) for c in at_risk), key=lambda c: c.unpaused)
        if worst.unpaused <= allowed:
            continue
        name = worst.repair.component.id
        yield Hit(
            ("services", i, "availability"),
            f"{month_words} at {percent(service.availability)} allows {duration(allowed)} of downtime, but "
            f"{name} has no spare: {ctx.describe_repair(worst, 'a failure')}: {service.id} is down "
            f"{duration(worst.unpaused)}",
            fix=f"Give {name} a spare (count: 2) or a faster warranty, or lower {owner(service.id)} target so the "
                f"month's budget covers {duration(worst.unpaused)} of downtime.",
        )
