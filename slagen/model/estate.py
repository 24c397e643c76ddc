"""The customer's estate as surveyed before signing, and the provider's staffing."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from slagen.model.base import Section
from slagen.model.types import Id, Percent, Text, WeeklyHoursField

ComponentKind = Literal[
    "server", "storage", "firewall", "network", "switch", "internet_link", "saas", "workstation",
    "ups", "virtual_host", "database", "application", "other",
]
Warranty = Literal["none", "next_business_day", "4h_onsite", "8h_onsite", "same_day", "24x7_4h"]


class Component(Section):
    id: Id
    kind: ComponentKind
    count: int = Field(default=1, ge=1, description="How many; two or more work as a redundant pair.")
    warranty: Warranty | None = Field(default=None, description="The hardware support contract on it.")
    provider_availability: Percent | None = Field(
        default=None, description="Availability its supplier commits to (for links and SaaS)."
    )
    holds_data: bool | None = Field(
        default=None, description="Whether a repair includes restoring data; servers and storage do by default."
    )
    name: Text | None = Field(default=None, description="A readable name for the annex, such as 'Practice file server'.")


class Infrastructure(Section):
    components: list[Component] = Field(default_factory=list)
    site_access: WeeklyHoursField | None = Field(default=None, description="When engineers can get on site.")
    data_size_gb: float | None = Field(default=None, ge=0)
    restore_rate_gb_per_hour: float | None = Field(default=None, gt=0)


class Technicians(Section):
    tier1: int = Field(default=0, ge=0)
    tier2: int = Field(default=0, ge=0)
    tier3: int = Field(default=0, ge=0)


class TicketsPerDay(Section):
    """How many tickets one technician closes in a working day, by tier."""

    tier1: float = Field(default=17.5, gt=0)
    tier2: float = Field(default=10, gt=0)
    tier3: float = Field(default=6.5, gt=0)


class Staffing(Section):
    technicians: Technicians
    on_call_out_of_hours: bool = False
    expected_tickets_per_month: dict[Id, int] = Field(default_factory=dict)
    tickets_per_day: TicketsPerDay = Field(default_factory=TicketsPerDay)
