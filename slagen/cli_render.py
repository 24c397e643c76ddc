"""`slagen render` (built in the rendering issue)."""

from pathlib import Path
from typing import Annotated

import typer


def render(files: Annotated[list[Path], typer.Argument(help="Contracts to render.")]) -> None:
    """Render the agreement and statement of work as DOCX and PDF."""
    from slagen.errors import UsageError

    raise UsageError("error: 'slagen render' is not built yet")
