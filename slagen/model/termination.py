"""How the agreement ends."""

from __future__ import annotations

from pydantic import Field

from slagen.model.base import Section
from slagen.model.types import Text


class RepeatedBreach(Section):
    count: int = Field(ge=1)
    within_months: int = Field(ge=1)


class ForCause(Section):
    cure_days: int = Field(ge=0, description="Days the party in breach has to put it right.")
    repeated_breach: RepeatedBreach | None = None


class Termination(Section):
    notice_days: int = Field(ge=0, description="Notice to end the agreement without cause, in days.")
    for_cause: ForCause | None = None
    data_return_days: int | None = Field(default=None, ge=0)
    exit_assistance_days: int | None = Field(default=None, ge=0)
    after_termination: Text | None = None
