"""SLA7xx: expected tickets against the technicians, and the queue they form."""

from __future__ import annotations

import math
from datetime import timedelta
from decimal import Decimal

from slagen.check.registry import Hit, rule
from slagen.check.worst_case import MONTH_DAYS, RESPONSE_MISS_LIMIT, UTILISATION_WARNING, Context, duration
from slagen.source.words import count

TIERS = ("tier1", "tier2", "tier3")


def _working_days(ctx: Context) -> int:
    """Support days in a month: days on which support opens, in the 30 days from the representative week."""
    days = 0
    for day in range(MONTH_DAYS):
        start = ctx.local(day, 0)
        if ctx.support.elapsed(start, ctx.local(day + 1, 0)) > timedelta(0):
            days += 1
    return days


def _load(ctx: Context):
    staffing = ctx.contract.staffing
    if staffing is None or not staffing.expected_tickets_per_month:
        return None
    if staffing.shared is not None:  # a desk shared with other customers: SLA711-713 add them up
        return None
    tickets = sum(staffing.expected_tickets_per_month.values())
    per_day = {t: getattr(staffing.technicians, t) * Decimal(str(getattr(staffing.tickets_per_day, t)))
               for t in TIERS}
    days = _working_days(ctx)
    return staffing, tickets, per_day, days


def _num(value) -> str:
    return f"{Decimal(value).quantize(Decimal('0.1')).normalize():f}"


@rule(
    "SLA701", "ticket-load-beyond-capacity", severity="error",
    summary="The expected tickets need more technician-days than the staffing provides (above 85% of "
            "capacity is a warning).",
    why="Each technician closes a limited number of tickets a day (by default tier 1 about 17.5, tier 2 "
        "10, tier 3 6.5; see staffing.tickets_per_day). Above full load the backlog grows every day and "
        "every target slips; close to it, any busy week does the same.",
    fix="Add technicians, or lower the expected ticket volume (for example with onboarding work that "
        "removes recurring faults) and price the contract accordingly.",
)
def load_beyond_capacity(ctx: Context):
    found = _load(ctx)
    if found is None:
        return
    staffing, tickets, per_day, days = found
    capacity = sum(per_day.values()) * days
    detail = ", ".join(f"{getattr(staffing.technicians, t)} at {tier_rate(staffing, t)}" for t in TIERS
                       if getattr(staffing.technicians, t))
    if capacity == 0:
        yield Hit(("staffing", "technicians"), f"{tickets} tickets a month are expected and no technician is listed")
        return
    utilisation = Decimal(tickets) / capacity
    if utilisation <= UTILISATION_WARNING:
        return
    text = (f"{tickets} tickets a month against {_num(capacity)} the technicians can close in {days} support "
            f"days ({detail} tickets a day): {_num(utilisation * 100)}% of capacity")
    needed = math.ceil((Decimal(tickets) / UTILISATION_WARNING / days - sum(per_day.values()))
                       / Decimal(str(staffing.tickets_per_day.tier1)))
    yield Hit(("staffing", "technicians"), text,
              severity="warning" if utilisation <= 1 else None,
              fix=f"Add at least {count(max(needed, 1), 'tier-1 technician')} to stay below "
                  f"{_num(UTILISATION_WARNING * 100)}% of capacity, or lower the expected tickets.")


def tier_rate(staffing, tier: str) -> str:
    return _num(Decimal(str(getattr(staffing.tickets_per_day, tier))))


def erlang_c(servers: int, offered: float) -> float:
    """Probability that an arriving ticket waits (M/M/c), from the Erlang B recursion."""
    b = 1.0
    for k in range(1, servers + 1):
        b = offered * b / (k + offered * b)
    rho = offered / servers
    return b / (1 - rho * (1 - b))


@rule(
    "SLA702", "response-queue-too-long", severity="error",
    summary="At the expected load, more than 5% of tickets wait longer than a priority's response target "
            "for a free technician (an Erlang C estimate).",
    why="Tickets arrive at random, not evenly: even below full load some wait for a technician. Erlang C "
        "(the M/M/c queue) gives the share that waits longer than the response target; if it is more than "
        "a few percent, the target will be missed most months.",
    fix="Add first-line technicians, lengthen the response target, or reserve a technician for the "
        "priority with the shortest response.",
)
def response_queue(ctx: Context):
    found = _load(ctx)
    if found is None:
        return
    staffing, tickets, per_day, days = found
    servers = sum(getattr(staffing.technicians, t) for t in TIERS)
    if servers == 0:
        return
    month = ctx.support.elapsed(ctx.week, ctx.local(MONTH_DAYS, 0))
    open_hours = month.total_seconds() / 3600
    day_hours = open_hours / days
    arrivals = tickets / open_hours  # per open hour
    service_rate = float(sum(per_day.values())) / day_hours / servers  # tickets per hour per technician
    offered = arrivals / service_rate
    if offered >= servers:
        return  # beyond capacity: SLA701 says so
    waits = erlang_c(servers, offered)
    for i, priority in enumerate(ctx.contract.priorities):
        hours = priority.response.total_seconds() / 3600
        late = waits * math.exp(-(servers * service_rate - arrivals) * hours)
        if Decimal(repr(late)) <= RESPONSE_MISS_LIMIT:
            continue
        yield Hit(("priorities", i, "response"),
                  f"{tickets} tickets over {_num(Decimal(repr(open_hours)))} support hours a month is "
                  f"{_num(Decimal(repr(arrivals)))} an hour; {count(servers, 'technician')} {'takes' if servers == 1 else 'each take'} "
                  f"{duration(timedelta(minutes=round(60 / service_rate)))} a ticket, so "
                  f"{_num(Decimal(repr(late * 100)))}% of tickets wait longer than {priority.id}'s "
                  f"{duration(priority.response)} for a technician",
                  fix=f"Add technicians or lengthen {priority.id}'s response target until fewer than "
                      f"{_num(RESPONSE_MISS_LIMIT * 100)}% wait longer.")
