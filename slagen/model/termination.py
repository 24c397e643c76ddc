"""How the agreement ends."""

from __future__ import annotations

from pydantic import Field, model_validator

from slagen.model.base import Section
from slagen.model.types import Percent, Text


class RepeatedBreach(Section):
    """When the customer may end the agreement for persistent failure to meet service levels.

    Written as ``{attainment_below: 90%, months: 3, within_months: 6}``: attainment of a service
    level below 90% in 3 of any 6 consecutive months. The older ``{count: 3, within_months: 6}``
    (the same target missed 3 times in 6 months) is still read, but a busy service desk reaches it
    in a normal month, so new contracts should use attainment.
    """

    attainment_below: Percent | None = Field(
        default=None, description="A month counts when attainment of a service level falls below this."
    )
    months: int | None = Field(default=None, ge=1, description="How many such months give the right to terminate.")
    count: int | None = Field(
        default=None, ge=1, description="Older form: how many misses of the same target give the right to terminate."
    )
    within_months: int = Field(ge=1, description="The run of consecutive months the misses must fall within.")

    @model_validator(mode="after")
    def _one_form(self) -> "RepeatedBreach":
        attainment = self.attainment_below is not None or self.months is not None
        if attainment and self.count is not None:
            raise ValueError("write either 'attainment_below' with 'months', or the older 'count', not both")
        if not attainment and self.count is None:
            raise ValueError("write 'attainment_below' and 'months', such as {attainment_below: 90%, months: 3, "
                             "within_months: 6}")
        if attainment and (self.attainment_below is None or self.months is None):
            raise ValueError("'attainment_below' and 'months' go together: give both")
        if self.months is not None and self.months > self.within_months:
            raise ValueError(f"{self.months} months cannot fall within {self.within_months} months: "
                             "'months' must not exceed 'within_months'")
        return self


class ForCause(Section):
    cure_days: int = Field(ge=0, description="Days the party in breach has to put it right.")
    repeated_breach: RepeatedBreach | None = None


class Termination(Section):
    notice_days: int = Field(ge=0, description="Notice to end the agreement without cause, in days.")
    for_cause: ForCause | None = None
    non_payment_days: int = Field(
        default=30, ge=1,
        description="Days an undisputed invoice may stay unpaid after a written reminder before the provider "
        "may end the agreement.",
    )
    data_return_days: int | None = Field(default=None, ge=0)
    exit_assistance_days: int | None = Field(default=None, ge=0)
    after_termination: Text | None = None
