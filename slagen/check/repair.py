"""SLA1xx: resolution targets against the worst-case repair of hardware with no spare."""

from __future__ import annotations

from slagen.check.registry import Hit, rule
from slagen.check.worst_case import MISSING_WARRANTY, WARRANTIES, Context, a, duration


def _clock_words(clock: str) -> str:
    return "the 24x7 clock" if clock == "24x7" else "support hours"


def _measured(ctx: Context, case, clock: str) -> str:
    """'71h on the 24x7 clock' or '112h30m, less 41h30m paused as awaiting_third_party: 71h on ...'."""
    paused = case.unpaused - case.measured
    if not paused:
        return f"{duration(case.measured)} on {_clock_words(clock)}"
    reasons = [r for r in ("awaiting_third_party", "outside_site_access") if r in (ctx.contract.clock_pauses or ())]
    return (f"{duration(case.unpaused)}, less {duration(paused)} paused as {' and '.join(reasons)}, "
            f"leaves {duration(case.measured)} on {_clock_words(clock)}")


@rule(
    "SLA101", "resolution-shorter-than-repair", severity="error",
    summary="A priority's resolution target is shorter than the worst-case repair of a component with no spare.",
    why="When hardware with no spare fails, the service is down until the part arrives, is fitted and the "
        "data are restored. No amount of effort by the provider shortens the supplier's lead time, so the "
        "target is breached every time that component fails at the wrong moment.",
    fix="Lengthen the resolution target to at least the worst case, or change the estate: a spare "
        "(count: 2), a faster warranty (such as 24x7_4h), wider site access, faster restores.",
)
def resolution_shorter_than_repair(ctx: Context):
    for i, priority in enumerate(ctx.contract.priorities):
        worst = None
        for _, component in ctx.single_points:
            case = ctx.worst_repair(component, priority.clock)
            if worst is None or case.measured > worst.measured:
                worst = case
        if worst is None or worst.measured <= priority.resolution:
            continue
        name = worst.repair.component.id
        yield Hit(
            ("priorities", i, "resolution"),
            f"{name} has no spare: {ctx.describe_repair(worst, f'a {priority.id}')}: "
            f"{_measured(ctx, worst, priority.clock)} "
            f"against {a(duration(priority.resolution))} resolution target",
            fix=f"Set {priority.id}'s resolution to at least {duration(worst.measured)}, or give {name} a spare "
                f"(count: 2) or a faster warranty, and check site access and restore speed.",
        )


@rule(
    "SLA102", "repair-hidden-by-pause", severity="warning",
    summary="A resolution target holds against a hardware failure only because the clock pauses while "
            "parts are awaited or the site is closed.",
    why="The contract is met on paper, but the customer is without the service for the whole wait. "
        "Customers judge the provider by the outage, not by the paused clock, and a pause for a "
        "supplier the provider chose is often disputed.",
    fix="Tell the customer the real worst case before signing, or shorten it: a spare, a faster warranty, "
        "wider site access.",
)
def repair_hidden_by_pause(ctx: Context):
    for i, priority in enumerate(ctx.contract.priorities):
        paused_worst = None
        unpaused_worst = None
        for _, component in ctx.single_points:
            paused_case = ctx.worst_repair(component, priority.clock)
            if paused_worst is None or paused_case.measured > paused_worst.measured:
                paused_worst = paused_case
            case = ctx.worst_repair(component, priority.clock, paused=False)
            if unpaused_worst is None or case.unpaused > unpaused_worst.unpaused:
                unpaused_worst = case
        if paused_worst is None or unpaused_worst is None:
            continue
        if paused_worst.measured > priority.resolution or unpaused_worst.unpaused <= priority.resolution:
            continue  # an error already (SLA101), or no pause is needed
        name = unpaused_worst.repair.component.id
        yield Hit(
            ("priorities", i, "resolution"),
            f"{priority.id}'s {duration(priority.resolution)} resolution target holds only because the clock "
            f"pauses: {ctx.describe_repair(unpaused_worst, f'a {priority.id}')}: the customer is without "
            f"{name} for {duration(unpaused_worst.unpaused)} on {_clock_words(priority.clock)}",
        )


@rule(
    "SLA103", "warranty-not-stated", severity="warning",
    summary="Hardware with no spare has no warranty stated, so its repair time is an assumption.",
    why="Every repair-time check depends on how fast parts arrive. Without the warranty the checker assumes "
        f"the slowest case ('{MISSING_WARRANTY}'), and so will the customer's auditors.",
    fix="State the component's warranty (none, next_business_day, same_day, 4h_onsite, 8h_onsite, 24x7_4h).",
)
def warranty_not_stated(ctx: Context):
    terms = WARRANTIES[MISSING_WARRANTY]
    for i, component in ctx.single_points:
        if component.warranty is None:
            yield Hit(
                ("infrastructure", "components", i, "id"),
                f"{component.id} ({component.kind}) has no spare and no warranty stated; it is assumed to have "
                f"'{MISSING_WARRANTY}': {terms.description[0].lower()}{terms.description[1:].rstrip('.')}",
                fix=f"Add 'warranty:' to {component.id}, for example 'warranty: next_business_day'.",
            )
