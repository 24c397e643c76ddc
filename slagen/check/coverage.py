"""SLA2xx: a running clock needs someone to answer it, and a site they can work on."""

from __future__ import annotations

from slagen.check.registry import Hit, rule
from slagen.check.worst_case import Context, a, duration, when


def _longest_closure(ctx: Context, closed_cal, clock) -> tuple:
    """The logging instant whose wait for ``closed_cal`` to open uses most of ``clock``."""
    opens = [ctx.next_open(closed_cal, logged) for logged in ctx.candidates]
    best = None
    for used, logged, opened in zip(ctx.elapsed_many(clock, ctx.candidates, opens), ctx.candidates, opens):
        if best is None or used > best[0]:
            best = (used, logged, opened)
    return best


def _responses_missed_while_closed(ctx: Context):
    """(index, priority, wait, logged, opens) for each 24x7 priority whose response target the
    longest out-of-hours closure of support would miss if nobody answered until opening."""
    round_the_clock = [(i, p) for i, p in enumerate(ctx.contract.priorities) if p.clock == "24x7"]
    if not round_the_clock:
        return
    used, logged, opens = _longest_closure(ctx, ctx.support, ctx.always)  # the same for every priority
    for i, priority in round_the_clock:
        if used > priority.response:
            yield i, priority, used, logged, opens


@rule(
    "SLA201", "24x7-clock-without-cover", severity="error",
    summary="A priority's clock runs 24x7 but support is closed out of hours and nobody is on call.",
    why="A 24x7 clock keeps counting at night and at weekends. With nobody on call, a ticket logged after "
        "closing waits for the next morning, and the response target is missed before anyone can see it.",
    fix="Put technicians on call out of hours (staffing.on_call_out_of_hours: true), or set the priority's "
        "clock to support_hours.",
)
def clock_without_cover(ctx: Context):
    if ctx.covered_out_of_hours:
        return
    for i, priority, used, logged, opens in _responses_missed_while_closed(ctx):
        yield Hit(
            ("priorities", i, "clock"),
            f"{priority.id}'s clock runs 24x7 but support closes and nobody is on call: a {priority.id} logged "
            f"{when(logged)} is not seen until support opens {when(opens)}: {duration(used)} against "
            f"{a(duration(priority.response))} response target",
            fix=f"Set staffing.on_call_out_of_hours: true (and price the on-call rota), or set {priority.id}'s "
                f"clock to support_hours.",
        )


@rule(
    "SLA202", "on-call-unreachable", severity="warning",
    summary="A 24x7 priority relies on an on-call technician, but no phone channel accepts that priority.",
    why="Out of hours the on-call technician is alerted by phone; a portal ticket or an email waits in a "
        "queue nobody reads until support opens, while the 24x7 clock runs.",
    fix="Add a phone channel that accepts the priority, or list the priority on the existing phone channel.",
)
def on_call_unreachable(ctx: Context):
    if ctx.contract.support_hours.weekly.is_always or not ctx.covered_out_of_hours:
        return
    channels = ctx.contract.problem_reporting.channels
    for i, priority, used, logged, opens in _responses_missed_while_closed(ctx):
        if any(c.type == "phone" and (c.priorities is None or priority.id in c.priorities) for c in channels):
            continue
        yield Hit(
            ("priorities", i, "clock"),
            f"no phone channel takes {priority.id}: a {priority.id} logged {when(logged)} through the portal or "
            f"email waits until support opens {when(opens)}: {duration(used)} against "
            f"{a(duration(priority.response))} response target",
            fix=f"Add {priority.id} to a phone channel's priorities (or add a phone channel) for out-of-hours calls.",
        )


@rule(
    "SLA203", "on-site-while-site-closed", severity="error",
    summary="A hardware repair needs someone on site, but the site is closed for longer than the "
            "resolution target allows.",
    why="Parts and engineers are no use at a locked building. A failure just after the site closes waits "
        "for it to reopen, and the priority's clock runs meanwhile unless the contract pauses it.",
    fix="Agree wider site access (infrastructure.site_access), add outside_site_access to clock_pauses, or "
        "lengthen the resolution target.",
)
def on_site_while_closed(ctx: Context):
    infra = ctx.contract.infrastructure
    if infra is None or infra.site_access is None or infra.site_access.is_always or not ctx.single_points:
        return
    if "outside_site_access" in (ctx.contract.clock_pauses or ()):
        return
    for i, priority in enumerate(ctx.contract.priorities):
        used, logged, opens = _longest_closure(ctx, ctx.site, ctx.clock(priority.clock))
        if used <= priority.resolution:
            continue
        clock = "the 24x7 clock" if priority.clock == "24x7" else "support hours"
        yield Hit(
            ("priorities", i, "resolution"),
            f"on-site work for a {priority.id} logged {when(logged)} cannot start until the site opens "
            f"{when(opens)}: {duration(used)} on {clock} against {a(duration(priority.resolution))} resolution target",
            fix=f"Widen infrastructure.site_access to cover {priority.id}'s clock, add outside_site_access to "
                f"clock_pauses, or set {priority.id}'s resolution to at least {duration(used)}.",
        )
