"""How the agreement ends."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from slagen.model import limits
from slagen.model.base import Section
from slagen.model.types import Text


class RepeatedBreach(Section):
    count: Annotated[int, limits.BREACH_COUNT]
    within_months: Annotated[int, limits.TERM_MONTHS]


class ForCause(Section):
    cure_days: Annotated[int, limits.DAYS] = Field(description="Days the party in breach has to put it right.")
    repeated_breach: RepeatedBreach | None = None


class Termination(Section):
    notice_days: Annotated[int, limits.DAYS] = Field(description="Notice to end the agreement without cause, in days.")
    for_cause: ForCause | None = None
    data_return_days: Annotated[int, limits.DAYS] | None = None
    exit_assistance_days: Annotated[int, limits.DAYS] | None = None
    after_termination: Text | None = None
