"""Help pages a newcomer can read: nothing cut off, arguments by name, an example on every page.

Click shortens each command's description in ``slagen --help`` to 45 characters ("report
every..."), and Typer prints an argument's Python type beside its name (``FILE
<list[Path]>``). :class:`PlainHelpCommand` gives each command its whole first paragraph as the
short description (the help formatter wraps it to the terminal instead) and shows arguments by
their metavar alone. The examples shown under each command's help live beside the command.
"""

from __future__ import annotations

import click
from typer.core import TyperArgument, TyperCommand, TyperOption


class PlainHelpCommand(TyperCommand):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.short_help and self.help:
            self.short_help = " ".join(self.help.strip().split("\n\n")[0].split())
        for param in self.params:
            if isinstance(param, TyperArgument):
                param.display_type_rich = _no_type  # FILE, not FILE <list[Path]>
            elif isinstance(param, TyperOption) and param.metavar is None and not param.is_flag:
                param.metavar = _metavar(param)  # --tickets FILE, not --tickets <Path>


def _no_type(ctx) -> None:
    return None


def _metavar(option: TyperOption) -> str | None:
    """FILE for paths, N for numbers, the option's name otherwise; None keeps a list of choices
    (``--format <text|json>``), which says more than any name."""
    described = getattr(option, "type_descriptor", None)  # newer Typer; older ones keep click types
    if described is not None:
        if described.is_choice:
            return None
        kind = str(described.annotation)
    else:
        if isinstance(option.type, click.Choice):
            return None
        kind = type(option.type).__name__
    if "Path" in kind:
        return "FILE"
    if "int" in kind or "float" in kind or "Int" in kind or "Float" in kind:
        return "N"
    return (option.name or "value").upper().replace("_", "-")


def examples(*lines: str) -> str:
    """An epilog of example command lines, kept one per line (``\\b`` stops click re-wrapping)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)
