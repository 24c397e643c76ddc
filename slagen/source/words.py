"""Counting in words: '1 technician', '3 technicians', 'an account manager'.

One small helper for every message, page and document that counts something, so none says
'1 technicians', 'error(s)' or 'a account manager'. English only, as the rest of slagen's own
words are; the nouns counted are slagen's own, so the rules below cover them.
"""

from __future__ import annotations

_IRREGULAR = {"info": "info", "person": "people", "criterion": "criteria", "data": "data"}
_AN_EXCEPTIONS = ("one", "user", "uni", "eu", "use")  # a vowel letter sounding like 'y' or 'w'


def plural(noun: str) -> str:
    """'technician' -> 'technicians', 'box' -> 'boxes', 'policy' -> 'policies'; the last word of a phrase."""
    head, _, last = noun.rpartition(" ")
    lower = last.lower()
    if lower in _IRREGULAR:
        word = _IRREGULAR[lower]
    elif lower.endswith(("s", "x", "z", "ch", "sh")):
        word = last + "es"
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        word = last[:-1] + "ies"
    else:
        word = last + "s"
    return f"{head} {word}" if head else word


def count(number: int, noun: str, many: str | None = None) -> str:
    """'1 item', '3 items', '0 items'; ``many`` for a plural the rules above do not make."""
    return f"{number:,} {noun if number == 1 else (many or plural(noun))}"


def article(noun: str) -> str:
    """'an account manager', 'a legal reviewer', 'an admin': the indefinite article and the noun."""
    lower = noun.lower()
    vowel = lower[:1] in ("a", "e", "i", "o", "u") and not lower.startswith(_AN_EXCEPTIONS)
    return f"{'an' if vowel else 'a'} {noun}"
