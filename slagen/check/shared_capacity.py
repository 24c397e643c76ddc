"""SLA71x: one service desk and one on-call rota shared by many contracts, added up.

Each contract's own staffing rules (SLA701, SLA702) see its technicians as if they served
nobody else. A contract that names the provider's staffing file (``staffing.shared``) is
checked here instead, together with every other contract naming the same file, by
``slagen check --portfolio FOLDER``: their expected tickets against the desk's capacity in a
month and at the Monday-morning peak, and their 24x7 promises against the on-call rota.

These rules see a ``SharedContext`` (the staffing file and its contracts); on one contract's own
``Context`` they find nothing, since no single contract shows what they look for.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from slagen.check.finding import Finding
from slagen.check.registry import Hit, rule
from slagen.check.staffing import TIERS, erlang_c
from slagen.source.words import count
from slagen.check.worst_case import MONTH_DAYS, RESPONSE_MISS_LIMIT, UTILISATION_WARNING, duration
from slagen.errors import InvalidInput, Problem

if TYPE_CHECKING:
    from slagen.calendar.clock import Calendar
    from slagen.model import Contract
    from slagen.model.shared_staffing import SharedStaffing
    from slagen.source.yaml_positions import YamlSource

__all__ = ["Member", "SharedContext", "PortfolioCheck", "check_portfolio", "PortfolioFinding"]


@dataclass(frozen=True, eq=False)  # one contract file, compared by identity
class Member:
    path: Path
    contract: "Contract"


@dataclass
class SharedContext:
    """A staffing file and the contracts that name it."""

    file: str
    staffing: "SharedStaffing"
    doc: "YamlSource"
    members: list[Member]
    cache: dict = field(default_factory=dict)

    @property
    def desk(self) -> "Calendar":
        if "desk" not in self.cache:
            from slagen.calendar.clock import Calendar

            self.cache["desk"] = Calendar.from_support_hours(self.staffing.desk.hours)
        return self.cache["desk"]

    @property
    def monday(self) -> datetime:
        """09:00 on the first ordinary Monday (the desk open then) from the earliest contract's start."""
        if "monday" not in self.cache:
            start = min(m.contract.agreement.effective_date for m in self.members)
            day = start + timedelta(days=(7 - start.weekday()) % 7)
            moment = self.desk.aware(datetime(day.year, day.month, day.day, 9))
            for _ in range(52):
                if self.desk.is_open(moment):
                    break
                day += timedelta(days=7)
                moment = self.desk.aware(datetime(day.year, day.month, day.day, 9))
            self.cache["monday"] = moment
        return self.cache["monday"]

    def month(self, calendar: "Calendar") -> tuple[float, int]:
        """(open hours, open days) of ``calendar`` in the 30 days from the representative Monday."""
        start = self.monday.replace(hour=0)
        hours, days = 0.0, 0
        for d in range(MONTH_DAYS):
            a, b = start + timedelta(days=d), start + timedelta(days=d + 1)
            open_ = calendar.elapsed(calendar.aware(a.replace(tzinfo=None)), calendar.aware(b.replace(tzinfo=None)))
            hours += open_.total_seconds() / 3600
            days += open_ > timedelta(0)
        return hours, days


def _expected(contract: "Contract") -> dict[str, int]:
    staffing = contract.staffing
    return dict(staffing.expected_tickets_per_month) if staffing else {}


def _num(value: float | Decimal) -> str:
    return f"{Decimal(repr(float(value))).quantize(Decimal('0.1')).normalize():f}"


def _names(members: list[Member], limit: int = 5) -> str:
    shown = ", ".join(m.contract.customer.name for m in members[:limit])
    return shown + (f" and {len(members) - limit} more" if len(members) > limit else "")


def _desk_rates(ctx: SharedContext):
    """(servers, tickets a technician closes an hour, desk open hours a month, desk days)."""
    desk = ctx.staffing.desk
    servers = sum(getattr(desk.technicians, t) for t in TIERS)
    per_day = sum(getattr(desk.technicians, t) * getattr(desk.tickets_per_day, t) for t in TIERS)
    hours, days = ctx.month(ctx.desk)
    day_hours = hours / days if days else 0
    rate = per_day / day_hours / servers if servers and day_hours else 0.0
    return servers, per_day, rate, hours, days


@rule(
    "SLA711", "shared-desk-over-capacity", severity="error",
    summary="The contracts sharing a service desk expect more tickets a month than its technicians close "
            "(above 85% of capacity is a warning).",
    why="Each contract's own staffing looks fine when the same technicians are counted once per customer. "
        "Added up, the tickets of every customer the desk serves must fit the desk's technician-days, or the "
        "backlog grows every day for all of them at once.",
    fix="Add technicians to the shared desk, move customers to another desk, or lower the expected volumes "
        "and price the contracts accordingly.",
)
def shared_desk_over_capacity(ctx):
    if not isinstance(ctx, SharedContext):
        return
    tickets = {m.path.name: sum(_expected(m.contract).values()) for m in ctx.members}
    total = sum(tickets.values())
    if total == 0:
        return
    servers, per_day, _, _, days = _desk_rates(ctx)
    capacity = per_day * days
    if capacity == 0:
        yield Hit(("desk", "technicians"), f"{len(ctx.members)} contracts expect {total} tickets a month from "
                                           f"'{ctx.staffing.name}', which lists no technician open in a month")
        return
    share = total / capacity
    if share <= float(UTILISATION_WARNING):
        return
    biggest = sorted(ctx.members, key=lambda m: -tickets[m.path.name])
    needed = math.ceil((total / float(UTILISATION_WARNING) / days - per_day) / ctx.staffing.desk.tickets_per_day.tier1)
    yield Hit(("desk", "technicians"),
              f"{len(ctx.members)} contracts share '{ctx.staffing.name}' and expect {total} tickets a month "
              f"({', '.join(f'{m.contract.customer.name} {tickets[m.path.name]}' for m in biggest[:3])}"
              f"{' ...' if len(biggest) > 3 else ''}); its {servers} technicians close {_num(capacity)} in "
              f"{days} desk days: {_num(share * 100)}% of capacity",
              severity="warning" if share <= 1 else None,
              fix=f"Add at least {count(max(needed, 1), 'tier-1 technician')} to the shared desk to stay below "
                  f"{_num(UTILISATION_WARNING * 100)}% of capacity, or move customers to another desk.")


def _waiting_share(servers: int, rate: float, arrivals: float, hours: float) -> float | None:
    """Share of tickets waiting longer than ``hours`` for one of ``servers`` (None: the queue never ends)."""
    offered = arrivals / rate
    if offered >= servers:
        return None
    return erlang_c(servers, offered) * math.exp(-(servers * rate - arrivals) * hours)


@rule(
    "SLA712", "shared-desk-peak-queue", severity="error",
    summary="At Monday 9:00, with every customer of a shared desk reporting at once, more than 5% of "
            "tickets wait longer than a response target for a free technician (an Erlang C estimate).",
    why="Monday morning brings the weekend's faults from every customer together, at a multiple of the "
        "average hour (desk.monday_peak, 2 unless the provider's own figures say otherwise). A desk sized "
        "for the average hour misses the shortest response targets every Monday, for all its customers.",
    fix="Add first-line technicians on Monday mornings, lengthen the shortest response targets, or "
        "reserve a technician for the priority with the shortest response.",
)
def shared_desk_peak_queue(ctx):
    if not isinstance(ctx, SharedContext):
        return
    from slagen.calendar.clock import Calendar

    servers, _, rate, _, _ = _desk_rates(ctx)
    peak = ctx.monday
    open_members, arrivals = [], 0.0
    for m in ctx.members:
        expected = sum(_expected(m.contract).values())
        support = Calendar.from_support_hours(m.contract.support_hours)
        if not expected or not support.is_open(peak):
            continue
        hours, _ = ctx.month(support)
        if hours:
            arrivals += expected / hours
            open_members.append(m)
    if not open_members or servers == 0 or rate == 0:
        return
    arrivals *= ctx.staffing.desk.monday_peak
    when = peak.strftime("%A %d %B %Y %H:%M")
    share = _waiting_share(servers, rate, arrivals, 0)
    if share is None:
        yield Hit(("desk", "technicians"),
                  f"at {when} ({ctx.staffing.desk.hours.timezone}) {len(open_members)} customers are open "
                  f"({_names(open_members)}) and report {_num(arrivals)} tickets an hour "
                  f"({_num(ctx.staffing.desk.monday_peak)} times their average hour); the desk's {servers} "
                  f"technicians close {_num(servers * rate)} an hour, so the queue only grows until it closes")
        return
    targets: dict[timedelta, list[Member]] = {}
    for m in open_members:
        for p in m.contract.priorities:
            targets.setdefault(p.response, [])
            if m not in targets[p.response]:
                targets[p.response].append(m)
    for target in sorted(targets):
        late = _waiting_share(servers, rate, arrivals, target.total_seconds() / 3600)
        if late is None or late <= float(RESPONSE_MISS_LIMIT):
            continue
        members = targets[target]
        yield Hit(("desk", "technicians"),
                  f"at {when} ({ctx.staffing.desk.hours.timezone}) {len(open_members)} customers report "
                  f"{_num(arrivals)} tickets an hour together; {servers} technicians each take "
                  f"{duration(timedelta(minutes=round(60 / rate)))} a ticket, so {_num(late * 100)}% of tickets "
                  f"wait longer than the {duration(target)} response promised by {len(members)} contracts "
                  f"({_names(members)})",
                  fix=f"Add technicians for Monday mornings, or lengthen the {duration(target)} response targets, "
                      f"until fewer than {_num(RESPONSE_MISS_LIMIT * 100)}% wait longer.")
        return  # the shortest target that fails; longer ones follow from it


@rule(
    "SLA713", "shared-on-call-overcommitted", severity="error",
    summary="The contracts sharing an on-call rota promise 24x7 response to more out-of-hours incidents "
            "than its engineers can take on in time (more than 5% wait past the target), or nobody is on call.",
    why="One on-call engineer can keep a 30-minute promise to one customer. Promised to forty, two incidents "
        "in the same night are enough: the second waits while the first is handled (on_call.hours_per_incident, "
        "2h unless the provider's records say otherwise), and its target is missed.",
    fix="Put more engineers on call at once, narrow the 24x7 promises to the customers who pay for them, or "
        "lengthen the out-of-hours response targets.",
)
def shared_on_call_overcommitted(ctx):
    if not isinstance(ctx, SharedContext):
        return
    promised: list[tuple[Member, object]] = [(m, p) for m in ctx.members for p in m.contract.priorities
                                             if p.clock == "24x7"]
    if not promised:
        return
    members = list(dict.fromkeys(m for m, _ in promised))
    shortest = min(p.response for _, p in promised)
    on_call = ctx.staffing.on_call
    if on_call is None or on_call.engineers == 0:
        where = ("on_call", "engineers") if on_call is not None else ("name",)
        yield Hit(where, f"{len(members)} contracts ({_names(members)}) promise 24x7 response, as fast as "
                         f"{duration(shortest)}, but '{ctx.staffing.name}' has nobody on call while the desk is "
                         "closed", fix="Add an on-call rota (on_call.engineers) or take 24x7 clocks out of the "
                                       "contracts.")
        return
    per_month = sum(_expected(m.contract).get(p.id, 0) for m, p in promised)
    if per_month == 0:
        return
    arrivals = per_month / (MONTH_DAYS * 24)  # 24x7 tickets come at any hour
    busy = on_call.hours_per_incident.total_seconds() / 3600
    engineers = on_call.engineers
    late = _waiting_share(engineers, 1 / busy, arrivals, shortest.total_seconds() / 3600)
    if late is not None and late <= float(RESPONSE_MISS_LIMIT):
        return
    night = (f"{engineers + 1} incidents in the same night are enough: the last waits up to "
             f"{duration(on_call.hours_per_incident)} for an engineer")
    estimate = ("the incidents arrive faster than the engineers can handle them" if late is None else
                f"{_num(late * 100)}% of out-of-hours incidents wait longer than {duration(shortest)}")
    yield Hit(("on_call", "engineers"),
              f"{len(members)} contracts ({_names(members)}) promise 24x7 response as fast as "
              f"{duration(shortest)} and expect {per_month} such tickets a month together; with {engineers} "
              f"engineer{'s' if engineers != 1 else ''} on call, {night}; {estimate}",
              fix=f"Put {engineers + 1} or more engineers on call at once, or lengthen the {duration(shortest)} "
                  "out-of-hours targets, until fewer than 5% wait longer.")


# --------------------------------------------------------------------------------------------
# The run over a folder


@dataclass(frozen=True)
class PortfolioFinding(Finding):
    file: str = ""

    def as_json(self) -> dict:
        return {"file": self.file, **super().as_json()}


@dataclass
class PortfolioCheck:
    findings: list[PortfolioFinding]
    problems: list[Problem]  # contracts and staffing files that could not be read
    groups: dict[str, list[str]]  # staffing file -> the contracts that name it


def check_portfolio(folder: str | Path) -> PortfolioCheck:
    """Load every contract in ``folder``, group them by the staffing file they share, apply the SLA71x rules."""
    from slagen.check.registry import all_rules
    from slagen.library.contracts import load_with_positions, validate_document
    from slagen.model.shared_staffing import SharedStaffing
    from slagen.source.yaml_positions import format_path, read_source_bytes, read_yaml

    from slagen.errors import SlagenError, UsageError

    root = Path(folder)
    if not root.is_dir():
        raise UsageError(f"{folder}: error: --portfolio needs a folder of contracts")
    problems: list[Problem] = []
    groups: dict[Path, list[Member]] = {}
    seen = 0
    for path in sorted(p for p in root.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p.is_file()):
        try:
            if not re.search(rb"^slagen\s*:", read_source_bytes(path), re.MULTILINE):
                continue  # not a contract: a staffing file, say
            seen += 1
            contract, doc = load_with_positions(path)
        except InvalidInput as exc:
            problems.extend(exc.problems)
            continue
        except SlagenError as exc:
            problems.append(Problem(str(path), 1, 1, "", str(exc)))
            continue
        shared = contract.staffing.shared if contract.staffing else None
        if shared is None:
            continue
        target = (path.parent / shared).resolve()
        if not target.is_file():
            _, (line, column) = doc.position(("staffing", "shared"))
            problems.append(Problem(str(path), line, column, "staffing.shared",
                                    f"the staffing file '{shared}' does not exist (looked for {target})"))
            continue
        groups.setdefault(target, []).append(Member(path, contract))
    if not seen:
        raise UsageError(f"{folder}: error: the folder holds no contract (a .yaml file starting 'slagen: 1')")

    findings: list[PortfolioFinding] = []
    rules = [r for r in all_rules() if r.family.module == "shared_capacity"]
    for target, members in sorted(groups.items()):
        try:
            doc = read_yaml(target)
            staffing = validate_document(doc, SharedStaffing)
        except InvalidInput as exc:
            problems.extend(exc.problems)
            continue
        ctx = SharedContext(str(target), staffing, doc, members)
        for r in rules:
            for hit in r.check(ctx):
                _, (line, column) = doc.position(hit.loc)
                findings.append(PortfolioFinding(
                    rule=r.id, severity=hit.severity or r.severity, path=format_path(hit.loc), line=line,
                    column=column, message=hit.message, why=r.why, fix=hit.fix or r.fix, file=str(target)))
    return PortfolioCheck(sorted(findings, key=lambda f: (f.file, *f.sort_key())), problems,
                          {str(k): [str(m.path) for m in v] for k, v in sorted(groups.items())})
