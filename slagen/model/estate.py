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
    id: Id = Field(description="A short name the services' depends_on lists use for this component.")
    kind: ComponentKind = Field(description="What sort of component it is.")
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
    vendor: Text | None = Field(
        default=None,
        description="The company that supplies it, such as 'Microsoft' for Microsoft 365; `slagen check` uses it to "
        "find a customer-licensed platform's vendor listed as the provider's sub-processor.",
    )
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
    components: list[Component] = Field(
        default_factory=list, max_length=limits.MOST_COMPONENTS,
        description="The components the services depend on, each standing for one or more alike (count).",
    )
    site_access: WeeklyHoursField | None = Field(default=None, description="When engineers can get on site.")
    data_size_gb: Annotated[float, limits.DATA_SIZE_GB] | None = Field(
        default=None,
        description="How much of the Customer's data a full restore brings back, in GB.",
    )
    restore_rate_gb_per_hour: Annotated[float, limits.RESTORE_RATE_GB_PER_HOUR] | None = Field(
        default=None,
        description="How fast a restore runs, in GB an hour: with data_size_gb, how long a full restore takes.",
    )

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
    tier1: Annotated[int, limits.TECHNICIANS] = Field(
        default=0,
        description="First-line technicians: they answer and resolve most tickets.",
    )
    tier2: Annotated[int, limits.TECHNICIANS] = Field(
        default=0,
        description="Second-line technicians: they take the tickets first line passes on.",
    )
    tier3: Annotated[int, limits.TECHNICIANS] = Field(default=0, description="Third-line engineers and specialists.")


class TicketsPerDay(Section):
    """How many tickets one technician closes in a working day, by tier."""

    tier1: Annotated[float, limits.TICKETS_PER_DAY] = Field(
        default=17.5,
        description="Tickets a first-line technician closes in a working day.",
    )
    tier2: Annotated[float, limits.TICKETS_PER_DAY] = Field(
        default=10,
        description="Tickets a second-line technician closes in a working day.",
    )
    tier3: Annotated[float, limits.TICKETS_PER_DAY] = Field(
        default=6.5,
        description="Tickets a third-line engineer closes in a working day.",
    )


class Staffing(Section):
    technicians: Technicians = Field(description="How many technicians work the Customer's tickets, by support tier.")
    on_call_out_of_hours: bool = Field(
        default=False,
        description="Whether a technician is on call outside the support hours, so a priority on the 24x7 clock can "
                    "be met.",
    )
    expected_tickets_per_month: dict[Id, Annotated[int, limits.TICKETS_PER_MONTH]] = Field(
        default_factory=dict,
        description="The tickets expected each month for each priority, by priority id, such as {P1: 1, P2: 6}; check"
                    " weighs them against the technicians.",
    )
    tickets_per_day: TicketsPerDay = Field(
        default_factory=TicketsPerDay,
        description="How many tickets one technician of each tier closes in a working day.",
    )
    shared: Text | None = Field(
        default=None,
        description="The provider's staffing file (technicians, on-call rota, desk hours) that serves this "
        "customer together with others, relative to this contract. `slagen check --portfolio` adds up "
        "the expected tickets and on-call promises of every contract that names the same file.",
    )
