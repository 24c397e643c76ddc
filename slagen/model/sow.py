"""The statement of work."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from slagen.model import limits
from slagen.model.base import Section
from slagen.model.types import Line, Money, Text


class Milestone(Section):
    milestone: Text
    due_weeks: Annotated[int, limits.DUE_WEEKS] = Field(description="Weeks after the effective date.")


class Fees(Section):
    monthly: Money
    onboarding: Money | None = None
    out_of_hours_hourly: Money | None = None
    payment_terms_days: Annotated[int, limits.DAYS] = Field(
        default=30, description="Older spelling of fees.payment_days, still read; give the period once."
    )


class Sow(Section):
    reference: Line
    onboarding: list[Milestone] = Field(default_factory=list)
    deliverables: list[Text] = Field(default_factory=list)
    fees: Fees
    assumptions: list[Text] = Field(default_factory=list)
    change_control: Text | None = None
