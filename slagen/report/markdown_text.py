"""Text for the Markdown report: escaped only where Markdown would read it as markup.

The report's Markdown is pasted into tickets and emails and read in terminals, so "NW-ACME-2027-01"
and "(24x7)" must stay as they are; the clauses' escaping (every punctuation mark) made it
unreadable. What is escaped is what CommonMark and GitHub's tables would act on, wherever it
is in a run of text:

* ``\\`` (it escapes what follows), ``|`` (it ends a table cell), `````` ` `````` (code),
  ``*`` and ``~`` (emphasis, strikethrough), ``[`` and ``]`` (links), ``<`` (HTML and
  autolinks), and ``_`` next to anything but a letter or digit (GitHub leaves ``snake_case``
  alone but reads ``_word_`` as emphasis);
* ``&`` only where it starts a character reference (``&amp;``, ``&#38;``);
* at the start of the text, what would start a block: ``# `` (heading), ``>`` (quote), ``- ``
  and ``+ `` (list item), ``1. `` / ``1) `` (ordered list), a line of ``-`` or ``=`` (rule,
  setext underline); leading spaces (code) are dropped.

Line breaks become spaces, so a value can never begin a line of its own.
"""

from __future__ import annotations

import re

__all__ = ["escape_markdown_text"]

_ALWAYS = re.compile(r"([\\|`*~\[\]<])")
_REFERENCE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_BLOCK_START = re.compile(r"^(#{1,6}(?=\s|$)|>|[-+](?=\s|$)|\d{1,9}[.)](?=\s|$)|[-=]+$)")


def escape_markdown_text(value: str) -> str:
    """``value`` as Markdown inline text that shows exactly ``value`` (on one line)."""
    text = " ".join(str(value).splitlines()).strip(" ")
    text = _ALWAYS.sub(r"\\\1", text)
    text = _REFERENCE.sub(r"\\&", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    match = _BLOCK_START.match(text)
    if match:
        token = match.group(1)
        text = (token[:-1] + "\\" + token[-1] if token[-1] in ".)" else "\\" + token) + text[len(token):]
    return text
