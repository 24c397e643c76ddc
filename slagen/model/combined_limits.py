"""Limits on values taken together, each in range alone: checked after the model, like references.

A support-hours target may be short and a calendar may be open, yet a calendar open one minute a
week makes 8760h of support hours last 10,000 years; the text of each field may be short, yet all of
it together may fill hundreds of pages. Each problem is placed at the value a user must change.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from slagen.model import limits
from slagen.model.clauses import page_breaks
from slagen.model.types import format_duration

if TYPE_CHECKING:
    from slagen.model.contract import Contract

Loc = tuple[str | int, ...]


def combined_limit_problems(contract: "Contract") -> list[tuple[Loc, str]]:
    return _targets_beyond_the_calendar(contract) + _too_much_to_print(contract)


def _targets_beyond_the_calendar(contract: "Contract") -> list[tuple[Loc, str]]:
    """Support-hours targets the calendar could not use up in TARGET_YEARS."""
    weekly = timedelta(minutes=contract.support_hours.weekly.minutes_per_week)
    longest = weekly * 52 * limits.TARGET_YEARS
    problems: list[tuple[Loc, str]] = []
    for i, priority in enumerate(contract.priorities):
        if priority.clock != "support_hours":
            continue
        for name in ("response", "resolution", "update_every"):
            target = getattr(priority, name)
            if target is not None and target > longest:
                problems.append((("priorities", i, name),
                                 f"{format_duration(target)} of support hours would take more than "
                                 f"{limits.TARGET_YEARS} years, as support is open only {format_duration(weekly)} "
                                 "a week: shorten the target, or widen support_hours.weekly"))
    return problems


def _too_much_to_print(contract: "Contract") -> list[tuple[Loc, str]]:
    """A page estimate before anything is rendered: all the text, and page breaks in clause changes."""
    problems: list[tuple[Loc, str]] = []
    by_section = {name: _text_length(value) for name, value in contract.model_dump(mode="json").items()}
    total = sum(by_section.values())
    if total > limits.MOST_TEXT:
        largest = max(by_section, key=by_section.__getitem__)
        problems.append(((largest,), f"the contract holds {total:,} characters of text (about "
                                     f"{total // limits.CHARACTERS_PER_PAGE:,} printed pages), the most in "
                                     f"'{largest}'; a contract can hold at most {limits.MOST_TEXT:,}: is text "
                                     "pasted in by mistake?"))
    breaks = 0
    for i, override in enumerate(contract.clauses):
        breaks += page_breaks(override.text or "")
        if breaks > limits.MOST_PAGE_BREAKS:
            problems.append((("clauses", i, "text"), f"the clause changes up to here hold {breaks} page breaks "
                                                     f"('---' lines); all of them together can hold at most "
                                                     f"{limits.MOST_PAGE_BREAKS}"))
            break
    return problems


def _text_length(value: object) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_text_length(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(_text_length(v) for v in value)
    return 0
