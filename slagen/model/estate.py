"""The customer's estate as surveyed before signing, and the provider's staffing."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from slagen.model import limits
from slagen.model.base import Section
from slagen.model.types import Id, PartError, Percent, Text, WeeklyHoursField, format_duration

ComponentKind = Literal[
    "server", "storage", "firewall", "network", "switch", "internet_link", "saas", "workstation",
    "ups", "virtual_host", "database", "application", "other",
]
Warranty = Literal["none", "next_business_day", "4h_onsite", "8h_onsite", "same_day", "24x7_4h"]


class Component(Section):
    id: Id
    kind: ComponentKind
    count: Annotated[int, limits.COMPONENT_COUNT] = Field(
        default=1, description="How many; two or more work as a redundant pair."
    )
    warranty: Warranty | None = Field(default=None, description="The hardware support contract on it.")
    provider_availability: Percent | None = Field(
        default=None, description="Availability its supplier commits to (for links and SaaS)."
    )
    holds_data: bool | None = Field(
        default=None, description="Whether a repair includes restoring data; servers and storage do by default."
    )
    name: Text | None = Field(default=None, description="A readable name for the annex, such as 'Practice file server'.")
    licensed_by: Literal["customer", "provider"] | None = Field(
        default=None,
        description="Who holds the subscription: 'customer' for a platform the customer licenses from its vendor "
        "(the vendor's terms apply, the vendor is the customer's processor, and its outages do not count "
        "against availability); 'provider' for one the provider resells as its own. Default: customer for "
        "saas, provider for everything else.",
    )

    @property
    def customer_platform(self) -> bool:
        """A platform the customer licenses from its vendor: the provider manages it but does not supply it."""
        return (self.licensed_by or ("customer" if self.kind == "saas" else "provider")) == "customer"


class Infrastructure(Section):
    components: list[Component] = Field(default_factory=list, max_length=limits.MOST_COMPONENTS)
    site_access: WeeklyHoursField | None = Field(default=None, description="When engineers can get on site.")
    data_size_gb: Annotated[float, limits.DATA_SIZE_GB] | None = None
    restore_rate_gb_per_hour: Annotated[float, limits.RESTORE_RATE_GB_PER_HOUR] | None = None

    @model_validator(mode="after")
    def _restore_within_a_year(self) -> "Infrastructure":
        # Each number may be in range while their quotient is not: 10 PB at 0.1 GB an hour is
        # 11,000 years, which no recovery estimate (or date) can hold.
        if self.data_size_gb is None or self.restore_rate_gb_per_hour is None:
            return self
        hours = self.data_size_gb / self.restore_rate_gb_per_hour
        if hours > limits.LONGEST_DURATION.total_seconds() / 3600:
            size, rate = limits.number_words(self.data_size_gb), limits.number_words(self.restore_rate_gb_per_hour)
            raise PartError(
                "restore_rate_gb_per_hour",
                f"restoring {size} GB at {rate} GB an hour would take {limits.number_words(round(hours))} hours, "
                f"more than a year ({format_duration(limits.LONGEST_DURATION)}): check data_size_gb and "
                "restore_rate_gb_per_hour",
            )
        return self


class Technicians(Section):
    tier1: Annotated[int, limits.TECHNICIANS] = 0
    tier2: Annotated[int, limits.TECHNICIANS] = 0
    tier3: Annotated[int, limits.TECHNICIANS] = 0


class TicketsPerDay(Section):
    """How many tickets one technician closes in a working day, by tier."""

    tier1: Annotated[float, limits.TICKETS_PER_DAY] = 17.5
    tier2: Annotated[float, limits.TICKETS_PER_DAY] = 10
    tier3: Annotated[float, limits.TICKETS_PER_DAY] = 6.5


class Staffing(Section):
    technicians: Technicians
    on_call_out_of_hours: bool = False
    expected_tickets_per_month: dict[Id, Annotated[int, limits.TICKETS_PER_MONTH]] = Field(default_factory=dict)
    tickets_per_day: TicketsPerDay = Field(default_factory=TicketsPerDay)
