"""A customer's words for a contract value read as that value, in the format's own types.

The document prints "30 minutes", "99.9%", "£12,000.00", "30 days", "1 January 2027"; a customer
types over them in the same style. Which reading applies is decided by the field's current
value (a duration, a percentage, money, a count of days...), never guessed from the words alone,
and the result is written as a contract file writes it (``15m``, ``99.95%``, ``45``).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

_PATH = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15, "twenty": 20, "twenty-four": 24, "thirty": 30,
    "forty-five": 45, "sixty": 60, "ninety": 90, "a": 1, "an": 1,
}
_UNITS = {"h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600, "m": 60, "min": 60, "mins": 60,
          "minute": 60, "minutes": 60, "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1}
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?|[a-z]+(?:-[a-z]+)?)\s*(hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s|"
                            r"days?|d)\b", re.IGNORECASE)


def split_path(path: str) -> tuple[str | int, ...]:
    """'priorities[0].response' -> ('priorities', 0, 'response')."""
    parts: list[str | int] = []
    pos = 0
    for match in _PATH.finditer(path):
        if match.start() != pos:
            raise ValueError(f"'{path}' is not a contract path")
        parts.append(match.group(1) if match.group(1) else int(match.group(2)))
        pos = match.end()
    if pos != len(path) or not parts:
        raise ValueError(f"'{path}' is not a contract path")
    return tuple(parts)


def value_at(contract, path: str) -> Any:
    node: Any = contract
    for part in split_path(path):
        if isinstance(part, int):
            node = node[part]
        else:
            node = getattr(node, part)
    return node


def _number(word: str) -> float | None:
    word = word.lower()
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    try:
        return float(word)
    except ValueError:
        return None


def duration_from_words(text: str) -> timedelta:
    """'15 minutes', '1 hour 30 minutes', 'two hours', '4h', 'PT4H' -> a timedelta."""
    from slagen.model.types import parse_duration

    total = 0.0
    found = False
    rest = text
    for match in _DURATION_PART.finditer(text):
        amount = _number(match.group(1))
        unit = match.group(2).lower()
        if amount is None:
            continue
        if unit.startswith("d"):
            raise ValueError(f"'{text.strip()}' counts days; the contract writes this in hours "
                             f"(for example '{int(amount * 24)} hours')")
        total += amount * _UNITS[unit]
        found = True
        rest = rest.replace(match.group(0), " ", 1)
    leftover = re.sub(r"\b(and|within|of)\b|[,\s]", "", rest, flags=re.IGNORECASE)
    if found and not leftover:
        if total <= 0 or total != int(total):
            raise ValueError(f"'{text.strip()}' is not a whole number of seconds above zero")
        return parse_duration(f"{int(total)}s")
    return parse_duration(text)  # '4h', '1h30m', 'PT4H', or its plain error


def _decimal(text: str, locale: str) -> Decimal:
    from babel.numbers import NumberFormatError, parse_decimal

    cleaned = re.sub(r"[^\d.,\-]", "", text)
    try:
        return Decimal(str(parse_decimal(cleaned, locale=locale)))
    except (NumberFormatError, InvalidOperation, ValueError):
        raise ValueError(f"'{text.strip()}' is not a number") from None


def _date(text: str) -> date:
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip())
    for fmt in ("%d %B %Y", "%B %d, %Y", "%B %d %Y", "%A %d %B %Y", "%A, %B %d, %Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{text.strip()}' is not a date (write it like 1 February 2027)")


def _unit(words: str) -> str:
    match = re.search(r"\b(days?|weeks?|months?|years?)\b", words, re.IGNORECASE)
    return match.group(1).lower().rstrip("s") if match else ""


def parse_words(contract, path: str, new: str, old: str) -> tuple[Any, str]:
    """(the value as a contract file writes it, '') or (None, why the words are not a value)."""
    from slagen.model.types import format_duration

    try:
        current = value_at(contract, path)
    except (ValueError, AttributeError, IndexError, TypeError):
        return None, f"'{path}' is not a value of this contract"
    words = new.strip()
    if not words:
        return None, "the value was deleted, and the contract needs one here"
    locale = getattr(contract.agreement, "locale", "en_GB") or "en_GB"
    try:
        if isinstance(current, bool):
            lowered = words.lower()
            if lowered not in ("yes", "no"):
                raise ValueError(f"'{words}' is not yes or no")
            return lowered == "yes", ""
        if isinstance(current, timedelta):
            return format_duration(duration_from_words(words)), ""
        if isinstance(current, Decimal):
            if old.strip().endswith("%") or words.endswith("%"):
                number = _decimal(words.rstrip("% "), locale)
                return f"{number.normalize():f}%", ""
            number = _decimal(words, locale)
            return (int(number) if number == number.to_integral_value() else f"{number:.2f}"), ""
        if isinstance(current, int):
            match = re.search(r"\d[\d,]*", words)
            amount = int(match.group(0).replace(",", "")) if match else None
            if amount is None:
                first = re.split(r"\s+", words)[0]
                value = _number(first)
                amount = int(value) if value is not None and value == int(value) else None
            if amount is None:
                raise ValueError(f"'{words}' is not a number")
            if _unit(old) and _unit(words) and _unit(old) != _unit(words):
                raise ValueError(f"'{words}' counts {_unit(words)}s, but this value counts {_unit(old)}s")
            return amount, ""
        if isinstance(current, (date,)) and not isinstance(current, datetime):
            return _date(words).isoformat(), ""
        return words, ""
    except ValueError as exc:
        return None, str(exc) or f"'{words}' is not a value of this field"
