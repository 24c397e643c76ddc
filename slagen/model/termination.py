"""How the agreement ends."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from slagen.model import limits
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
    months: Annotated[int, limits.TERM_MONTHS] | None = Field(
        default=None, description="How many such months give the right to terminate."
    )
    count: Annotated[int, limits.BREACH_COUNT] | None = Field(
        default=None, description="Older form: how many misses of the same target give the right to terminate."
    )
    within_months: Annotated[int, limits.TERM_MONTHS] = Field(
        description="The run of consecutive months the misses must fall within."
    )

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
    cure_days: Annotated[int, limits.DAYS] = Field(description="Days the party in breach has to put it right.")
    repeated_breach: RepeatedBreach | None = Field(
        default=None,
        description="When missing service levels again and again lets the Customer end the agreement.",
    )


class Termination(Section):
    notice_days: Annotated[int, limits.DAYS] = Field(
        description="Notice to end the agreement without cause, in days.",
    )
    for_cause: ForCause | None = Field(
        default=None,
        description="Ending the agreement for a breach: the cure period and repeated breaches.",
    )
    non_payment_days: Annotated[int, limits.DAYS] = Field(
        default=30,
        description="Days an undisputed invoice may stay unpaid after a written reminder before the provider "
        "may end the agreement.",
    )
    data_return_days: Annotated[int, limits.DAYS] | None = Field(
        default=None,
        description="Days after the agreement ends within which the Provider returns the Customer's data.",
    )
    exit_assistance_days: Annotated[int, limits.DAYS] | None = Field(
        default=None,
        description="Days after notice of ending during which the Provider helps move the services to the Customer or"
                    " a new provider.",
    )
    after_termination: Text | None = Field(
        default=None,
        description="Further words on what happens when the agreement ends, printed at the end of the termination "
                    "clause.",
    )
