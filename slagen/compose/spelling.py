"""American spelling and idiom for clause text rendered in a US English locale.

The clause library is written once, in British English. A US agreement must not say
"authorised" or "all reasonable endeavours", yet keeping a second copy of every clause would
let the two drift apart. So the clause *template* is converted before it is rendered:

- spelling, word by word, from breame's table of British and American forms (about 1,700
  pairs, kept by people who study the two), less the few pairs whose American form means
  something else in a contract;
- legal idiom, from the short table below, where the US phrase is a different phrase rather
  than a different spelling.

Only the clause text is converted, never a contract value: a customer called "Colour Labs Ltd"
keeps its name. Jinja tags are left alone, so no expression can be changed by the conversion.
Substance that differs by jurisdiction (the tax, the statutes) is chosen by conditions in the
clauses, not here.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Pairs from breame that would change the meaning, not the spelling, in an American contract.
_KEEP = frozenset({"tonne", "tonnes", "dialogue", "dialogues", "storey", "storeys", "kerb", "kerbs",
                   "tyre", "tyres", "draught", "draughts", "gaol"})

# British legal and business idiom with its usual American counterpart.
IDIOM = (
    ("all reasonable endeavours", "commercially reasonable efforts"),
    ("reasonable endeavours", "reasonable efforts"),
    ("best endeavours", "best efforts"),
    ("endeavours", "efforts"),
    ("working days", "business days"),
    ("working day", "business day"),
    ("whilst", "while"),
    ("amongst", "among"),
    ("per cent", "percent"),
    ("post code", "ZIP code"),
    ("postcode", "ZIP code"),
    ("acknowledgement", "acknowledgment"),
)

_JINJA = re.compile(r"(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})", re.DOTALL)
_WORD = re.compile(r"[A-Za-z]+")


def uses_american_spelling(locale: str) -> bool:
    return locale.replace("-", "_") in ("en_US", "en_US_POSIX")


@lru_cache(maxsize=1)
def _spellings() -> dict[str, str]:
    from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

    return {british: american for british, american in BRITISH_ENGLISH_SPELLINGS.items()
            if british not in _KEEP and " " not in british}


@lru_cache(maxsize=1)
def _idiom_pattern() -> re.Pattern:
    phrases = sorted((british for british, _ in IDIOM), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(p) for p in phrases) + r")\b", re.IGNORECASE)


def _same_case(source: str, replacement: str) -> str:
    if source.isupper() and len(source) > 1:
        return replacement.upper()
    if source[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _convert_prose(text: str) -> str:
    idiom = dict(IDIOM)
    text = _idiom_pattern().sub(lambda m: _same_case(m.group(0), idiom[m.group(0).lower()]), text)
    spellings = _spellings()

    def word(match: re.Match) -> str:
        american = spellings.get(match.group(0).lower())
        return _same_case(match.group(0), american) if american else match.group(0)

    return _WORD.sub(word, text)


@lru_cache(maxsize=512)
def americanise(template_text: str) -> str:
    """``template_text`` with the prose between its Jinja tags in American spelling and idiom."""
    parts = _JINJA.split(template_text)
    # split() with one group alternates prose (even indexes) and tags (odd indexes).
    return "".join(part if index % 2 else _convert_prose(part) for index, part in enumerate(parts))
