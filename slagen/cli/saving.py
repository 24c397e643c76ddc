"""Writing a command's result: to the terminal when no file is named, else atomically to the file."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def print_or_write(output: Optional[Path], data: bytes) -> None:
    """``data`` to standard output when ``output`` is None; else written whole or not at all.

    A device or pipe (``-o /dev/stdout``) is written in place; a regular file is replaced
    atomically, its folder made first. Any failure is one located line and exit status 2.
    """
    from slagen.errors import SlagenError
    from slagen.source.output import is_stream, write_atomically
    from slagen.source.terminal import visible

    if output is None:
        typer.echo(data.decode("utf-8"), nl=False)
        return
    try:
        if not is_stream(output):
            output.parent.mkdir(parents=True, exist_ok=True)
        written = write_atomically(output, data)
    except SlagenError as exc:
        typer.echo("\n".join(visible(line) for line in str(exc).split("\n")), err=True)
        raise typer.Exit(2)
    except OSError as exc:
        typer.echo(f"{visible(str(output))}: error: cannot be written ({exc.strerror})", err=True)
        raise typer.Exit(2)
    if written.message():  # nothing to say for '-', /dev/null or a pipe: no file was made
        typer.echo(written.message(), err=True)
