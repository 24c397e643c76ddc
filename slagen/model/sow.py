"""The statement of work."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from slagen.model import limits
from slagen.model.base import Section
from slagen.model.types import Line, Money, Text


class Milestone(Section):
    milestone: Text = Field(
        description="What is delivered by the milestone, such as 'Monitoring agents on every server'.",
    )
    due_weeks: Annotated[int, limits.DUE_WEEKS] = Field(description="Weeks after the effective date.")


class Fees(Section):
    monthly: Money
    onboarding: Money | None = Field(default=None, description="The one-off fee for onboarding, if there is one.")
    out_of_hours_hourly: Money | None = Field(
        default=None,
        description="The hourly rate for work the Customer asks for outside the support hours, if charged.",
    )
    payment_terms_days: Annotated[int, limits.DAYS] = Field(
        default=30, description="Older spelling of fees.payment_days, still read; give the period once."
    )


class Sow(Section):
    reference: Line = Field(description="The statement of work's reference, printed on its every page.")
    onboarding: list[Milestone] = Field(
        default_factory=list,
        description="The onboarding milestones, each with the week it is due.",
    )
    deliverables: list[Text] = Field(
        default_factory=list,
        description="What the Provider delivers under the statement of work, one item each.",
    )
    fees: Fees = Field(description="The fees: monthly, onboarding and out-of-hours work.")
    assumptions: list[Text] = Field(
        default_factory=list,
        description="What the prices and plan assume, one item each.",
    )
    change_control: Text | None = Field(
        default=None,
        description="How the parties change the statement of work; the library's wording when left out.",
    )
