"""SLA5xx: the priority matrix and the service-credit table, checked against themselves."""

from __future__ import annotations

from datetime import timedelta

from slagen.check.registry import Hit, rule
from slagen.check.worst_case import Context, a, duration, owner, percent, until, when


@rule(
    "SLA501", "response-after-resolution", severity="error",
    summary="A priority's response target is longer than its resolution target.",
    why="The first response comes before the fix. A resolution due before the response is either a typing "
        "mistake or a promise to fix problems nobody has looked at.",
    fix="Make the response target shorter than the resolution target (swap them if they were typed the "
        "wrong way round).",
)
def response_after_resolution(ctx: Context):
    for i, p in enumerate(ctx.contract.priorities):
        if p.response > p.resolution:
            yield Hit(("priorities", i, "response"),
                      f"{p.id}'s first response is due after {duration(p.response)}, "
                      f"{duration(p.response - p.resolution)} after its {duration(p.resolution)} resolution is due",
                      fix=f"Set {p.id}'s response below {duration(p.resolution)}, or its resolution above "
                          f"{duration(p.response)}.")


@rule(
    "SLA502", "update-interval-beyond-resolution", severity="warning",
    summary="A priority's update interval is longer than its resolution target, so no update is ever due.",
    why="Customers rely on regular updates while a problem is open. An interval longer than the whole "
        "resolution target promises nothing, and usually means the wrong unit was typed.",
    fix="Set update_every shorter than the resolution target, or remove it.",
)
def update_beyond_resolution(ctx: Context):
    for i, p in enumerate(ctx.contract.priorities):
        if p.update_every is not None and p.update_every > p.resolution:
            yield Hit(("priorities", i, "update_every"),
                      f"{p.id} promises an update every {duration(p.update_every)}, but it is due to be resolved "
                      f"within {duration(p.resolution)}: no update ever falls due",
                      fix=f"Set {p.id}'s update_every to at most {duration(p.resolution / 2)}, or remove it.")


def _wall(ctx: Context, clock: str, target: timedelta) -> tuple[timedelta, object, object]:
    """The longest wall-clock time ``target`` on ``clock`` can take, and the instant it starts."""
    if clock == "24x7":
        return target, None, None
    cache = ctx.cache.setdefault("wall", {})
    if target in cache:
        return cache[target]
    best = None
    starts = ctx.shifted(target)
    dues = ctx.due_many(ctx.support, starts, target)
    for logged, due, wall in zip(starts, dues, ctx.elapsed_many(ctx.always, starts, dues)):
        if best is None or wall >= best[0]:
            best = (wall, logged, due)
    cache[target] = best
    return best


@rule(
    "SLA503", "priority-order-inverted", severity="error",
    summary="A higher priority can take longer than a lower one, for its response or its resolution.",
    why="Priorities are listed highest first; a customer expects a critical problem never to wait longer "
        "than a routine one. Targets on different clocks are compared on the wall clock, at their worst.",
    fix="Make each target at most the one below it, or move the priorities onto the same clock.",
)
def priority_order(ctx: Context):
    priorities = ctx.contract.priorities
    for field in ("response", "resolution"):
        for i, high in enumerate(priorities):
            for low in priorities[i + 1:]:
                h, l_ = getattr(high, field), getattr(low, field)
                if high.clock == low.clock:
                    if h > l_:
                        yield Hit(("priorities", i, field),
                                  f"{high.id} ({high.name}) has {a(duration(h))} {field} target, longer than "
                                  f"{low.id}'s {duration(l_)} on the same clock",
                                  fix=f"Set {high.id}'s {field} to at most {duration(l_)}.")
                        break
                    continue
                wall_high, logged, due = _wall(ctx, high.clock, h)
                wall_low, _, _ = _wall(ctx, low.clock, l_) if low.clock != "24x7" else (l_, None, None)
                if high.clock == "support_hours" and low.clock == "24x7" and wall_high > l_:
                    yield Hit(("priorities", i, field),
                              f"{high.id}'s {duration(h)} {field} counts support hours only: a {high.id} logged "
                              f"{when(logged)} is due {until(logged, due)}, {duration(wall_high)} later, while a "
                              f"{low.id} is due within {duration(l_)} around the clock",
                              fix=f"Put {high.id} on the 24x7 clock, or {low.id} on support hours.")
                    break
                if high.clock == "24x7" and h > wall_low:
                    yield Hit(("priorities", i, field),
                              f"{high.id}'s {duration(h)} {field} is longer than {low.id}'s {duration(l_)}, "
                              f"which takes at most {duration(wall_low)} on the wall clock",
                              fix=f"Set {high.id}'s {field} to at most {duration(wall_low)}.")
                    break


def _tiers(ctx: Context):
    availability = ctx.contract.availability
    if availability is None:
        return []
    return sorted(enumerate(availability.service_credits), key=lambda t: t[1].below, reverse=True)


@rule(
    "SLA504", "credit-tiers-not-monotonic", severity="error",
    summary="A worse month earns the same or a smaller service credit than a better one.",
    why="Service credits compensate for poor service; a table in which lower availability pays less "
        "(or two tiers start at the same figure) is read against the provider in a dispute.",
    fix="Order the tiers so that each lower threshold pays a strictly larger credit, with no threshold twice.",
)
def credits_monotonic(ctx: Context):
    tiers = _tiers(ctx)
    for (_, upper), (k, lower) in zip(tiers, tiers[1:]):
        if lower.below == upper.below:
            yield Hit(("availability", "service_credits", k, "below"),
                      f"two credit tiers start below {percent(lower.below)} ({percent(upper.credit)} and "
                      f"{percent(lower.credit)}): which one applies is undefined")
        elif lower.credit <= upper.credit:
            yield Hit(("availability", "service_credits", k, "credit"),
                      f"a month below {percent(lower.below)} earns {percent(lower.credit)}, but a better month "
                      f"below {percent(upper.below)} earns {percent(upper.credit)}: a worse month pays "
                      f"{'the same' if lower.credit == upper.credit else 'less'}",
                      fix=f"Raise the credit below {percent(lower.below)} above {percent(upper.credit)}.")


@rule(
    "SLA505", "credit-above-cap", severity="error",
    summary="A service-credit tier pays more than the credit cap allows, so it can never be paid.",
    why="A tier above the cap is a promise the contract takes back in the next clause; customers read it "
        "as misleading.",
    fix="Lower the tier to the cap or below, or raise the cap.",
)
def credit_above_cap(ctx: Context):
    availability = ctx.contract.availability
    if availability is None or availability.credit_cap is None:
        return
    for k, tier in enumerate(availability.service_credits):
        if tier.credit > availability.credit_cap:
            yield Hit(("availability", "service_credits", k, "credit"),
                      f"the {percent(tier.credit)} credit below {percent(tier.below)} can never be paid in full: "
                      f"the cap is {percent(availability.credit_cap)}")


@rule(
    "SLA506", "credits-uncapped", severity="warning",
    summary="Service credits are offered with no cap.",
    why="Without a cap, the credits for one bad period are bounded only by the tiers; with several "
        "services or a quarterly and monthly measure they can add up to more than the fee.",
    fix="Add availability.credit_cap (commonly the largest tier, and never more than 100%).",
)
def credits_uncapped(ctx: Context):
    availability = ctx.contract.availability
    if availability is None or not availability.service_credits or availability.credit_cap is not None:
        return
    largest = max(t.credit for t in availability.service_credits)
    yield Hit(("availability", "service_credits"),
              f"{len(availability.service_credits)} credit tiers (up to {percent(largest)}) and no credit_cap",
              fix=f"Add 'credit_cap: {percent(largest)}' under availability.")


@rule(
    "SLA507", "credit-above-target", severity="error",
    summary="A credit threshold is above a service's availability target: the provider owes credits in a "
            "month in which it met the target.",
    why="Credits are the remedy for missing a target. A threshold above the target pays out while the "
        "target is met: the agreement promises one level of service and pays for missing another, so the "
        "two clauses contradict each other and the target is meaningless for that service.",
    fix="Give the service its own credit table starting at its target, or raise the target to the threshold.",
)
def credit_above_target(ctx: Context):
    tiers = _tiers(ctx)
    if not tiers:
        return
    for i, service in enumerate(ctx.contract.services):
        if service.availability is None:
            continue
        above = [(k, t) for k, t in tiers if t.below > service.availability]
        if not above:
            continue
        k, tier = above[-1]  # the lowest threshold still above the target
        example = (tier.below + service.availability) / 2
        yield Hit(("services", i, "availability"),
                  f"{service.id} meets its {percent(service.availability)} target at {percent(example)}, yet "
                  f"a month at {percent(example)} is below {percent(tier.below)} and earns a "
                  f"{percent(tier.credit)} credit",
                  fix=f"Raise {owner(service.id)} target to {percent(tier.below)}, or start its credits below "
                      f"{percent(service.availability)}.")


@rule(
    "SLA508", "target-without-credit", severity="warning",
    summary="A service can miss its availability target by a wide margin without earning any credit.",
    why="If the highest credit threshold is below a service's target, the months between the two are "
        "breaches with no remedy, and the target is unenforceable there.",
    fix="Add a credit tier at the service's target, or lower the target to the first threshold.",
)
def target_without_credit(ctx: Context):
    tiers = _tiers(ctx)
    if not tiers:
        return
    top = tiers[0][1]
    for i, service in enumerate(ctx.contract.services):
        if service.availability is not None and top.below < service.availability:
            yield Hit(("services", i, "availability"),
                      f"{service.id} can fall from its {percent(service.availability)} target to "
                      f"{percent(top.below)} without earning any credit")
