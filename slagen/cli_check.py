"""`slagen check` (built in the feasibility issue)."""

from pathlib import Path
from typing import Annotated

import typer


def check(file: Annotated[Path, typer.Argument(help="The contract to check.")]) -> None:
    """Find the promises the customer's estate and staffing cannot keep."""
    from slagen.errors import UsageError

    raise UsageError("error: 'slagen check' is not built yet")
