"""How problems are reported and the priority matrix of targets."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from slagen.model.base import Section
from slagen.model.types import Duration, Id, Text

ChannelType = Literal["portal", "email", "phone", "chat", "on_site"]
ClockStart = Literal["when_logged", "when_acknowledged", "when_triaged"]
ClockName = Literal["24x7", "support_hours"]
PauseReason = Literal[
    "awaiting_customer",
    "awaiting_third_party",
    "scheduled_at_customer_request",
    "customer_unreachable",
    "outside_site_access",
]


class Channel(Section):
    type: ChannelType = Field(description="How the customer reaches the provider.")
    address: Text = Field(description="The URL, address or number to use.")
    priorities: list[Id] | None = Field(
        default=None, description="The priorities this channel accepts; all when omitted."
    )


class ProblemReporting(Section):
    channels: list[Channel] = Field(
        min_length=1,
        description="The ways the Customer reports a problem (portal, email, phone), each with the priorities it may "
                    "be used for.",
    )
    clock_starts: ClockStart = Field(description="The moment each ticket's clock starts.")
    auto_acknowledgement_counts_as_response: bool = Field(
        description="Whether an automatic acknowledgement counts as the response."
    )


class Priority(Section):
    id: Id = Field(description="Short id such as P1.")
    name: Text = Field(description="The priority's name, such as 'Critical'.")
    definition: Text = Field(description="What makes a problem this priority.")
    response: Duration = Field(description="Time to the first response by a person.")
    resolution: Duration = Field(description="Time to resolve or work around the problem.")
    update_every: Duration | None = Field(default=None, description="How often the customer is updated.")
    clock: ClockName = Field(description="'24x7' counts every hour; 'support_hours' only the support hours.")
