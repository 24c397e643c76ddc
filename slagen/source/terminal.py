"""Text from files shown safely on a terminal.

CSV cells and contract values can hold ESC and OSC sequences that clear the screen, move the
cursor or hide the lines printed before them. Every piece of user data a command echoes goes
through :func:`visible`, which shows such characters as escapes (``\\x1b``) instead.
"""

from __future__ import annotations

import re

# C0 controls but tab, DEL, and the C1 controls (0x80-0x9f), which some terminals obey too.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with every control character a terminal would act on written as an escape."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def visible_lines(text: str) -> str:
    """Several lines of output, each made :func:`visible`; the line breaks themselves are kept."""
    return "\n".join(visible(line) for line in str(text).split("\n"))
