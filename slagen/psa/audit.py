"""A tool's SLA configuration against the contract: every difference, at the contract line it contradicts.

    differences, notes = audit(plan, "zendesk", config_dict)
    for d in differences: print(d)      # FILE:LINE:COL: error: ... (the contract value's position)

Both sides are ``Settings`` (``plan``): the contract's in the tool's terms (``expected``), the
tool's as read back (``read``). Hours are compared after windows past midnight are split at it,
so a tool that stores Monday 22:00-24:00 and Tuesday 00:00-06:00 agrees with "22:00-06:00".
A part the tool does not keep or the configuration does not hold (a ConnectWise calendar's zone,
Freshdesk's holidays) is not compared, and ``notes`` says so.
"""

from __future__ import annotations

from slagen.errors import Problem
from slagen.psa.plan import Settings, SlaPlan, day_name, hhmm, split_at_midnight

__all__ = ["compare", "window_text"]


def window_text(windows) -> str:
    if not windows:
        return "closed"
    return ", ".join(f"{hhmm(start)}-{hhmm(end)}" for start, end in windows)


def _merged(windows) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def _minutes_text(minutes: int) -> str:
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        return f"{hours}h {mins:02d}m"
    return f"{hours}h" if hours else f"{mins}m"


def compare(plan: SlaPlan, tool_name: str, want: Settings, have: Settings) -> tuple[list[Problem], list[str]]:
    """(differences, notes): differences in the contract's order, notes on what was not compared."""
    found: list[Problem] = []
    notes: list[str] = []

    if want.zone is None or have.zone is None:
        notes.append(f"The time zone was not compared: {tool_name} keeps it outside these settings.")
    elif want.zone != have.zone:
        found.append(plan.problem("zone", None, f"{tool_name} measures in {have.zone}, the contract's support hours "
                                                f"are kept in {want.zone}"))

    want_hours, have_hours = split_at_midnight(want.hours), split_at_midnight(have.hours)
    for day in range(7):
        a, b = _merged(want_hours.get(day, ())), _merged(have_hours.get(day, ()))
        if a != b:
            found.append(plan.problem("hours", day, f"{tool_name}'s hours on {day_name(day)} are {window_text(b)}, "
                                                    f"the contract's are {window_text(a)}"))

    if want.holidays is None or have.holidays is None:
        notes.append(f"Holidays were not compared: the configuration given has none ({tool_name}'s API may not "
                     "return them); check them by hand against `slagen psa export`.")
    else:
        first, last = min(plan.years), max(plan.years)
        for day in sorted(set(want.holidays) - set(have.holidays)):
            found.append(plan.problem("holiday", day, f"{tool_name} does not close on {day.isoformat()} "
                                                      f"({want.holidays[day]}), which the contract closes on"))
        for day in sorted(set(have.holidays) - set(want.holidays)):
            if first <= day.year <= last:
                found.append(plan.problem("holiday", None, f"{tool_name} closes on {day.isoformat()} "
                                                           f"({have.holidays[day] or 'no name'}), a day the contract "
                                                           "keeps open"))

    order = [(p.id, m) for p in plan.contract.priorities for m in ("response", "resolution", "update")]
    for key in order:
        target, actual = want.targets.get(key), have.targets.get(key)
        pid, measure = key
        if target is None and actual is None:
            continue
        if actual is None:
            found.append(plan.problem("target", key, f"{tool_name} has no {measure} target for {pid}; the contract's "
                                                     f"is {_minutes_text(target.minutes)}"))
        elif target is None:
            found.append(plan.problem("clock", pid, f"{tool_name} has a {measure} target of "
                                                    f"{_minutes_text(actual.minutes)} for {pid}, which the contract "
                                                    "does not set"))
        else:
            if actual.minutes != target.minutes:
                found.append(plan.problem("target", key, f"{tool_name}'s {measure} target for {pid} is "
                                                         f"{_minutes_text(actual.minutes)}, the contract's is "
                                                         f"{_minutes_text(target.minutes)}"))
            if actual.business_hours != target.business_hours:
                words = {True: "business hours", False: "every hour (24x7)"}
                found.append(plan.problem("clock", pid, f"{tool_name} counts {pid}'s {measure} target over "
                                                        f"{words[actual.business_hours]}, the contract over "
                                                        f"{words[target.business_hours]}"))
    for key in sorted(set(have.targets) - set(order)):
        pid, measure = key
        found.append(plan.problem("clock", None, f"{tool_name} has a {measure} target for priority {pid}, which the "
                                                 "contract does not have"))

    if have.pauses is None:
        notes.append("Pause statuses were not compared: the configuration given holds no statuses.")
    else:
        for status in sorted(want.pauses - have.pauses):
            found.append(plan.problem("pause", None, f"{tool_name} does not stop the clock in '{status}', which the "
                                                     "contract's pauses need"))
        for status in sorted(have.pauses - want.pauses):
            found.append(plan.problem("pause", None, f"{tool_name} stops the clock in '{status}', a pause the "
                                                     "contract does not allow"))
    return found, notes
