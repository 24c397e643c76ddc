"""Rendering a clause body, with every value printed as data and never as markup or template.

The body of a clause is a Jinja2 template over the contract (its sections are top-level names:
``agreement``, ``customer``, ``services``, ...) and ``facts`` (:mod:`slagen.compose.facts`). It renders in
one immutable sandbox with ``StrictUndefined``; every value printed is escaped for Markdown
(:func:`escape_markdown`), and dates, money, percentages and durations are written out in the
contract's locale by the filters here. So a contract value is always data: it can neither inject
Markdown nor be evaluated as a template.

jinja2 and babel are imported inside the functions that need them, so importing this module stays
cheap for commands that never render (``slagen validate``, ``slagen check``).
"""

from __future__ import annotations

import re
import string
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from slagen.compose.value_paths import CONTEXT_KEY, path_of
from slagen.errors import ClauseError
from slagen.calendar.locale_style import (
    format_clock_time,
    format_day_and_time,
    format_long_date,
    format_minutes_of_day,
    format_money,
    format_number,
    zone_name,
)

if TYPE_CHECKING:
    from slagen.compose.facts import Facts


class MarkdownSafe(str):
    """Markdown built by a filter from escaped values (a table); printed as it is."""


class Traced(str):
    """A filter's words for one contract value ("15 minutes"), remembering the value's path."""

    path: str = ""

    @classmethod
    def of(cls, text: str, path: str) -> "Traced":
        out = cls(text)
        out.path = path
        return out


# Private-use marks around a printed contract value: VALUE_OPEN path VALUE_SEP text VALUE_CLOSE.
# They survive Markdown and become a slagen.document.Value (compose/markdown_tree.py), which the
# DOCX writer wraps in a content control; a contract value can never forge one (escape_markdown).
from slagen.compose.markdown_tree import VALUE_CLOSE, VALUE_OPEN, VALUE_SEP  # noqa: E402 (marks only, cheap)


def value_mark(path: str, escaped_text: str) -> str:
    """Markdown for a value's (already escaped) words, marked as the value at ``path``."""
    return f"{VALUE_OPEN}{escape_markdown(path)}{VALUE_SEP}{escaped_text}{VALUE_CLOSE}"


_PUNCTUATION = frozenset(string.punctuation)


def escape_markdown(value: str) -> str:
    """Text that Markdown reads back as exactly itself: every ASCII punctuation mark escaped.

    CommonMark lets any ASCII punctuation be escaped with a backslash, so this neutralises
    emphasis, links, tables, headings, entities and raw HTML alike. Line breaks inside a value
    become spaces, so a value can never start a new block.
    """
    value = re.sub(r"\s*\n\s*", " ", value).replace("\t", " ")
    # The private-use marks of a cross-reference placeholder: a value must not forge one.
    value = re.sub("[\ue000-\ue004]", "\ufffd", value)  # nor the marks of a printed value
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in value)


def _locale(context) -> str:
    agreement = context.get("agreement")
    return getattr(agreement, "locale", "en_GB") or "en_GB"


def duration_words(value: timedelta) -> str:
    """4h -> '4 hours', 1h30m -> '1 hour 30 minutes', 43m12s -> '43 minutes 12 seconds'."""
    total = int(round(value.total_seconds()))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = []
    for amount, unit in ((hours, "hour"), (minutes, "minute"), (seconds, "second")):
        if amount:
            parts.append(f"{amount} {unit}{'' if amount == 1 else 's'}")
    return " ".join(parts) or "0 minutes"


def _plural(amount: int, unit: str) -> str:
    from slagen.source.words import count

    return count(amount, unit)


def _filter_duration(value: timedelta) -> str:
    return duration_words(value)


def _pass_context(func):
    from jinja2 import pass_context

    return pass_context(func)


def _filter_percent(context, value: Decimal) -> str:
    return f"{format_number(value, _locale(context))}%"


def _filter_money(context, value: Decimal) -> str:
    agreement = context.get("agreement")
    currency = getattr(agreement, "currency", "GBP")
    return format_money(value, currency, _locale(context))


def _filter_date(context, value: date) -> str:
    return format_long_date(value, _locale(context))


def _filter_datetime(context, value: datetime) -> str:
    """'Friday 8 January 2027 at 16:55' (en_GB) in the value's own time zone."""
    return format_day_and_time(value, _locale(context))


def _filter_time(context, value: datetime) -> str:
    return format_clock_time(value, _locale(context))


def _filter_clock(context, value: int) -> str:
    """Minutes after midnight as a time of day: 22:00 (en_GB); 10:00 PM (en_US)."""
    return format_minutes_of_day(int(value), _locale(context))


def _filter_zone(context, value: str) -> str:
    """An IANA time zone as people call it: 'America/Chicago' -> 'Central Time'."""
    return zone_name(value, _locale(context))


def _filter_days(value: int) -> str:
    return _plural(int(value), "day")


def _filter_months(value: int) -> str:
    return _plural(int(value), "month")


def _filter_weeks(value: int) -> str:
    return _plural(int(value), "week")


def _filter_join_and(values) -> str:
    items = [str(v) for v in values]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _cell(value: str, source: Any = None, context=None) -> str:
    """A table cell's escaped text, marked as a contract value when ``source`` is one."""
    escaped = escape_markdown(value) or " "
    path = path_of(source, context) if source is not None else ""
    return value_mark(path, escaped) if path and value else escaped


def _filter_priority_table(context, priorities) -> MarkdownSafe:
    """The priority matrix as a Markdown table, every cell escaped."""
    clocks = {"24x7": "24 hours a day, 7 days a week", "support_hours": "Support Hours only"}
    lines = [
        "| Priority | Meaning | Response | Resolution | Updates | Clock |",
        "|---|---|---|---|---|---|",
    ]
    for p in priorities:
        # Each value's own words are marked with its path, so a customer's edit of a cell
        # reads back as an edit of that value.
        def cell(words: str, value: Any = None) -> str:
            return _cell(words, value, context)

        updates = ("every " + cell(duration_words(p.update_every), p.update_every)) if p.update_every \
            else "on resolution"
        cells = [f"{cell(p.id, p.id)} \\({cell(p.name, p.name)}\\)", cell(p.definition, p.definition),
                 cell(duration_words(p.response), p.response), cell(duration_words(p.resolution), p.resolution),
                 updates, cell(clocks.get(p.clock, p.clock))]
        lines.append("| " + " | ".join(cells) + " |")
    return MarkdownSafe("\n".join(lines) + "\n")


def _finalize(context, value: Any) -> Any:
    if isinstance(value, MarkdownSafe):
        return value
    path = value.path if isinstance(value, Traced) else path_of(value, context)
    printed = _printed(context, value)
    return MarkdownSafe(value_mark(path, printed)) if path and printed else printed


def _printed(context, value: Any) -> str:
    if value is None:
        raise ClauseError("error: a clause printed a value the contract leaves empty; guard it with {% if %}")
    if isinstance(value, bool):
        value = "yes" if value else "no"
    elif isinstance(value, timedelta):
        value = duration_words(value)
    elif isinstance(value, datetime):
        value = _filter_datetime(context, value)
    elif isinstance(value, date):
        value = _filter_date(context, value)
    elif isinstance(value, Decimal):
        value = f"{value.normalize():f}"
    elif isinstance(value, float):
        # 800.0 GB is a programmer's number; a reader writes 800 GB (and 1,250.5 GB).
        from babel.numbers import format_decimal

        value = format_decimal(Decimal(repr(value)).normalize(), format="#,##0.###", locale=_locale(context))
    return escape_markdown(str(value))


FILTERS = {
    "duration": _filter_duration,
    "percent": "ctx",
    "money": "ctx",
    "date": "ctx",
    "datetime": "ctx",
    "time": "ctx",
    "zone": "ctx",
    "clock": "ctx",
    "days": _filter_days,
    "weeks": _filter_weeks,
    "months": _filter_months,
    "join_and": _filter_join_and,
    "priority_table": "ctx",
}
_CONTEXT_FILTERS = {
    "percent": _filter_percent,
    "money": _filter_money,
    "date": _filter_date,
    "datetime": _filter_datetime,
    "time": _filter_time,
    "zone": _filter_zone,
    "clock": _filter_clock,

    "priority_table": _filter_priority_table,
}


# Filters that write one value in words: their output is that value, and keeps its path.
_VALUE_FILTERS = frozenset({"duration", "percent", "money", "date", "datetime", "time", "zone", "days", "weeks",
                            "months"})


def _keeps_path(func, with_context: bool):
    def filtered(context, value, *args, **kwargs):
        out = func(context, value, *args, **kwargs) if with_context else func(value, *args, **kwargs)
        path = path_of(value, context)
        return Traced.of(out, path) if path and isinstance(out, str) else out

    filtered.__name__ = getattr(func, "__name__", "filter")
    return filtered


@lru_cache(maxsize=1)
def environment():
    """The one sandboxed Jinja environment every clause renders in."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined,
        finalize=_pass_context(_finalize),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    for name, func in FILTERS.items():
        if name in _VALUE_FILTERS:
            func = _keeps_path(_CONTEXT_FILTERS[name] if func == "ctx" else func, func == "ctx")
            env.filters[name] = _pass_context(func)
        else:
            env.filters[name] = _pass_context(_CONTEXT_FILTERS[name]) if func == "ctx" else func
    env.globals["ref"] = clause_reference
    return env


_ID = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")


def clause_reference(clause_id: str, anchor: str = "") -> MarkdownSafe:
    """``{{ ref("maintenance") }}`` -> "clause 11"; ``{{ ref("fees", "late-payment") }}`` -> "clause 9.3".

    Clause text is rendered before the document is put together, so the number is not known
    yet: this prints a placeholder that survives Markdown, and assembly replaces it with the
    number (or fails the render when the clause is not in the document). ``anchor`` names a
    ``[](#late-payment)`` mark in the other clause's text.
    """
    from slagen.compose.markdown_tree import reference_placeholder

    for value in (clause_id, anchor):
        if not isinstance(value, str) or (value and not _ID.match(value)):
            raise ClauseError(f"error: ref() takes a clause id and optionally an anchor name (lower-case letters, "
                              f"digits and hyphens), not {value!r}")
    if not clause_id:
        raise ClauseError("error: ref() needs the id of the clause it refers to")
    return MarkdownSafe(reference_placeholder(f"{clause_id}#{anchor}" if anchor else clause_id))


def render_markdown(template_text: str, context: dict[str, Any], *, name: str = "<clause>") -> str:
    """A clause body rendered to Markdown; template errors become ClauseError naming the clause."""
    from jinja2 import TemplateError

    from slagen.compose.spelling import americanise, uses_american_spelling

    if uses_american_spelling(_locale(context)):
        template_text = americanise(template_text)  # the clause's words only, never a value
    try:
        return environment().from_string(template_text).render(context)
    except ClauseError as exc:
        raise ClauseError(f"{name}: {exc}") from None
    except TemplateError as exc:
        raise ClauseError(f"{name}: error: {exc}") from None


def condition_holds(when: str | None, context: dict[str, Any], *, name: str = "<clause>") -> bool:
    if not when:
        return True
    from jinja2 import TemplateError

    try:
        return bool(environment().compile_expression(when, undefined_to_none=False)(**context))
    except TemplateError as exc:
        raise ClauseError(f"{name}: error: the condition '{when}' failed: {exc}") from None


def contract_context(contract, facts: Facts, value_paths: dict[int, str] | None = None) -> dict[str, Any]:
    """The names a clause sees. ``value_paths`` (from :func:`slagen.compose.value_paths.traced`,
    over the same ``contract``) marks each printed value with its path in the contract."""
    context = {name: getattr(contract, name) for name in type(contract).model_fields}
    context["facts"] = facts
    if value_paths:
        context[CONTEXT_KEY] = value_paths
    return context
