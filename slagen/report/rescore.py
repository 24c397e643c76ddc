"""The PSA's own met/breached flags re-scored against the contract: which tickets disagree, and why.

An export that carries the tool's SLA verdicts (ConnectWise's met flags, Freshdesk's and
Freshservice's "First response status" and "Resolution status", Zendesk's SLA breach fields,
Jira's SLA fields) is compared ticket by ticket with the contract's verdict for the period.
For every ticket where they differ, the cause is not guessed but tried: the ticket is measured
again with one thing changed, and each change that turns the contract's verdict into the
tool's is a reason given:

* **holiday**: on the same hours without the contract's holidays and closures;
* **pause**: without the ticket's pauses (the tool did not stop its clock in that status);
* **calendar**: on the other clock (every hour for a support-hours priority, support hours for a 24x7 one);
* **priority**: against another priority's target and clock (the priority was changed while open).

A closed day or a pause that explains the difference is given alone; the broader causes
(calendar, then priority) are tried only when neither does. When nothing turns it, the reason
says so, and the tool's start and stop events are the place to look.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from slagen.report.csv_rows import column_index
from slagen.report.presets import PRESETS
from slagen.report.tickets import ColumnMap, TicketSet

if TYPE_CHECKING:
    from slagen.calendar.clock import Calendar
    from slagen.model import Contract
    from slagen.report.attainment import Period

__all__ = ["Disagreement", "ToolFlags", "rescore", "tool_verdict", "disagreement_section"]

_MET = {"met", "yes", "y", "true", "1", "within sla", "within", "achieved", "ok", "false-breach", "not breached"}
_BREACHED = {"unmet", "not met", "no", "n", "false", "0", "sla violated", "violated", "breached", "missed",
             "overdue", "failed"}
# Breach columns (Zendesk's "... breached") say yes when the target was missed: their words read the other way.
_BREACH_WORD = "breached"


@dataclass(frozen=True)
class Disagreement:
    ticket: str
    priority: str
    target: str  # response | resolution
    tool: str  # met | breached
    contract: str  # met | breached
    business_seconds: int
    target_seconds: int
    reasons: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class ToolFlags:
    columns: dict  # target -> the export's header holding the tool's verdict
    compared: int  # verdicts of the tool compared with the contract's
    agreed: int
    disagreements: tuple[Disagreement, ...]


def tool_verdict(value, header: str) -> str | None:
    """'met', 'breached' or None (no verdict) from a flag cell.

    Words of met or missed; in a column named for the breach ('SLA first reply time breached')
    yes means breached; Jira's SLA fields hold the time left, negative once breached.
    """
    text = str(value).strip().casefold() if value is not None else ""
    if not text:
        return None
    if text[0] in "-−" and any(ch.isdigit() for ch in text):
        return "breached"  # Jira: "-2h 30m" left
    if text[0].isdigit() and any(unit in text for unit in ("h", "m", "d", "w")) and not text.isdigit():
        return "met"  # Jira: "1h 30m" left
    inverted = _BREACH_WORD in header.casefold() and "status" not in header.casefold()
    if text in _MET:
        verdict = "met"
    elif text in _BREACHED:
        verdict = "breached"
    else:
        return None
    if inverted and text in {"yes", "y", "true", "1", "no", "n", "false", "0"}:
        verdict = "breached" if verdict == "met" else "met"
    return verdict


def _flag_columns(header: list[str], preset: str | None) -> dict[str, int]:
    flags = PRESETS.get(preset or "", {}).get("flags", {})
    found = {}
    for target, names in flags.items():
        for name in names:
            k = column_index(header, name)
            if k is not None:
                found[target] = k
                break
    return found


def _aware(value: np.datetime64) -> datetime:
    return datetime.fromtimestamp(int(value.astype("datetime64[s]").astype(np.int64)), timezone.utc)


def rescore(path: str | Path, columns: ColumnMap, tickets: TicketSet, contract: "Contract", period: "Period",
            in_period: np.ndarray) -> ToolFlags | None:
    """The tool's verdicts against the contract's for the tickets logged in the period; None when
    the export carries no verdict column of its tool."""
    from slagen.calendar.clock import Calendar
    from slagen.report.attainment import calendars, evaluate
    from slagen.report.export_file import read_export

    if not PRESETS.get(columns.preset or "", {}).get("flags"):
        return None  # the tool's export has no verdict columns: nothing read twice
    header, rows, lines, text_of = read_export(path, columns.delimiter)
    found = _flag_columns(header, columns.preset)
    if tickets.no_response:
        found.pop("response", None)
    if not found:
        return None
    row_of = {int(line): r for r, line in enumerate(lines.tolist())}
    flag_text = {target: text_of([row[k] if k < len(row) else "" for row in rows]) for target, k in found.items()}
    clocks = calendars(contract)
    outcome = evaluate(tickets, contract, np.full(in_period.size, period.end), in_period, clocks)
    support = Calendar.from_support_hours(contract.support_hours)
    bare = Calendar(contract.support_hours.timezone, support.windows)  # the same hours, no holiday closed
    every_hour = Calendar.always(contract.support_hours.timezone)
    responded = np.where(np.isnat(tickets.responded), tickets.resolved, tickets.responded)

    compared = agreed = 0
    out: list[Disagreement] = []
    for i in in_period.tolist():
        r = row_of.get(int(tickets.lines[i]))
        if r is None:
            continue
        priority = contract.priorities[int(tickets.priority[i])]
        for target, texts in flag_text.items():
            tool = tool_verdict(texts[r], header[found[target]])
            met = bool(getattr(outcome, f"{target}_met")[i])
            breached = bool(getattr(outcome, f"{target}_breached")[i])
            if tool is None or not (met or breached):
                continue
            compared += 1
            ours = "met" if met else "breached"
            if tool == ours:
                agreed += 1
                continue
            done_at = responded[i] if target == "response" else tickets.resolved[i]
            end = done_at if not np.isnat(done_at) and done_at < period.end else period.end
            start, finish = _aware(tickets.logged[i]), _aware(end)
            pauses = [(_aware(s), _aware(e) if not np.isnat(e) else finish)
                      for s, e in zip(tickets.pause_start[tickets.pause_ticket == i],
                                      tickets.pause_end[tickets.pause_ticket == i])]
            limit = int(getattr(priority, target).total_seconds())
            reasons = _reasons(contract, priority, target, tool, start, finish, pauses, clocks, bare, every_hour)
            out.append(Disagreement(
                ticket=tickets.ids[i], priority=priority.id, target=target, tool=tool, contract=ours,
                business_seconds=int(getattr(outcome, f"{target}_seconds")[i]), target_seconds=limit,
                reasons=reasons, line=int(tickets.lines[i])))
    return ToolFlags({t: header[k] for t, k in found.items()}, compared, agreed, tuple(out))


def duration_text(seconds: float) -> str:
    """'5h 00m', '45m' of business time, as the report writes it (``slagen.report.duration_text``,
    which this module cannot import: ``slagen.report`` imports it)."""
    minutes = int(round(seconds)) // 60
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def _closure_name(contract, day) -> str:
    """'Good Friday', or 'agreed closure' for a day of ``extra_closures``."""
    from slagen.model.holiday_choice import printed_names

    hours = contract.support_hours
    if hours.holidays is not None:
        names = printed_names(hours.holidays.country, hours.holidays.subdivision, range(day.year, day.year + 1))
        if day in names:
            return names[day]
    return "agreed closure"


def _verdict(calendar: "Calendar", start, finish, pauses, limit: int) -> str:
    spent = calendar.elapsed(start, finish, pauses).total_seconds()
    return "met" if spent <= limit else "breached"


def _reasons(contract, priority, target, tool, start, finish, pauses, clocks, bare, every_hour) -> tuple[str, ...]:
    limit = int(getattr(priority, target).total_seconds())
    calendar = clocks[priority.clock]
    reasons = []
    if priority.clock == "support_hours":
        closed = calendar.closed_days_between(start.astimezone(calendar.zone).date(),
                                              finish.astimezone(calendar.zone).date())
        if closed and _verdict(bare, start, finish, pauses, limit) == tool:
            days = ", ".join(f"{d.isoformat()} ({_closure_name(contract, d)})" for d in closed)
            reasons.append(f"holiday: the contract closes on {days}; counted as a working day it is {tool}")
    if pauses:
        paused = (calendar.elapsed(start, finish).total_seconds()
                  - calendar.elapsed(start, finish, pauses).total_seconds())
        if paused > 0 and _verdict(calendar, start, finish, [], limit) == tool:
            reasons.append(f"pause: {duration_text(paused)} paused; with the clock running through the pause it is "
                           f"{tool}: the tool does not stop its clock in that status")
    if reasons:
        return tuple(reasons)  # a closed day or a pause explains it: the broader causes would only echo it
    other = every_hour if priority.clock == "support_hours" else clocks.get("support_hours") or bare
    if _verdict(other, start, finish, pauses, limit) == tool:
        words = "every hour (24x7)" if priority.clock == "support_hours" else "support hours only"
        reasons.append(f"calendar: counted over {words} it is {tool}; the contract's {priority.id} clock is "
                       f"{'support hours' if priority.clock == 'support_hours' else '24x7'}")
    for p in contract.priorities if not reasons else ():
        if p.id == priority.id:
            continue
        other_limit = int(getattr(p, target).total_seconds())
        if _verdict(clocks[p.clock], start, finish, pauses, other_limit) == tool:
            reasons.append(f"priority: against {p.id}'s {target} target ({duration_text(other_limit)}) it is {tool}: "
                           "was the priority changed while the ticket was open?")
            break
    if not reasons:
        reasons.append("none of calendar, holidays, pauses or priority explains it: check when the tool starts and "
                       "stops this target's clock")
    return tuple(reasons)


def disagreement_section(flags: ToolFlags, limit: int = 50):
    """The report's section listing the tickets where the tool and the contract disagree."""
    from slagen.document import Paragraph, Section, Table, text

    columns = ", ".join(f"'{header}' ({target})" for target, header in sorted(flags.columns.items()))
    intro = (f"The export carries the tool's own verdicts ({columns}). Of {flags.compared} compared with the "
             f"contract's, {flags.agreed} agree and {len(flags.disagreements)} do not.")
    blocks: list = [Paragraph(text(intro))]
    if flags.disagreements:
        rows = tuple((text(d.ticket), text(d.priority), text(d.target.capitalize()), text(d.tool), text(d.contract),
                      text(f"{duration_text(d.business_seconds)} of {duration_text(d.target_seconds)}"),
                      text("; ".join(d.reasons)))
                     for d in flags.disagreements[:limit])
        blocks.append(Table(header=tuple(text(h) for h in ("Ticket", "Priority", "Target", "Tool says", "Contract says",
                                                           "Business time", "Why")),
                            rows=rows, id="tool-disagreements",
                            caption="Where the tool's flags and the contract differ",
                            widths=(1.3, 0.9, 1.3, 1.0, 1.1, 1.7, 5.0)))
        if len(flags.disagreements) > limit:
            blocks.append(Paragraph(text(f"{len(flags.disagreements) - limit} more are listed in the JSON report."),
                                    "note"))
    return Section("tool-flags", "The tool's SLA flags", tuple(blocks))


def flags_dict(flags: ToolFlags | None) -> dict | None:
    if flags is None:
        return None
    return {"columns": flags.columns, "compared": flags.compared, "agreed": flags.agreed,
            "disagreements": [{"ticket": d.ticket, "priority": d.priority, "target": d.target, "tool": d.tool,
                               "contract": d.contract, "business_seconds": d.business_seconds,
                               "target_seconds": d.target_seconds, "reasons": list(d.reasons), "line": d.line}
                              for d in flags.disagreements]}
