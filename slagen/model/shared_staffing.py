"""The provider's own staffing file: one service desk and one on-call rota that serve many customers.

A contract names it with ``staffing.shared: northwind-desk.yaml`` (a path relative to the
contract). ``slagen check --portfolio`` adds up what every contract naming the same file
expects and promises, and compares it with what the file says the provider has:

```yaml
slagen_staffing: 1
name: Northwind service desk
desk:
  hours: {timezone: Europe/London, weekly: {monday-friday: "08:00-18:00"}, holidays: {country: GB, subdivision: ENG}}
  technicians: {tier1: 6, tier2: 2, tier3: 1}
on_call:
  engineers: 1
```
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from pydantic import Field, field_validator

from slagen.model import limits
from slagen.model.base import Section
from slagen.model.estate import Technicians, TicketsPerDay
from slagen.model.hours import SupportHours
from slagen.model.types import Duration, Text

__all__ = ["SharedStaffing", "Desk", "OnCall"]

PEAK = limits.Limit(1.0, 20.0, "times the average",
                    "a first hour below the average hour is not a peak, and twenty times it would mean a "
                    "desk that is idle the rest of the week")


class Desk(Section):
    hours: SupportHours = Field(description="When the desk is staffed: time zone, weekly hours and holidays.")
    technicians: Technicians = Field(description="Technicians at the desk while it is open, by tier.")
    tickets_per_day: TicketsPerDay = Field(
        default_factory=TicketsPerDay, description="Tickets one technician closes in a working day, by tier."
    )
    monday_peak: Annotated[float, PEAK] = Field(
        default=2.0,
        description="How many times the average open hour's tickets arrive in the first hour of Monday "
        "(a weekend's faults are reported when people are back at work); 2 unless the provider's own "
        "figures say otherwise.",
    )


class OnCall(Section):
    engineers: Annotated[int, limits.TECHNICIANS] = Field(
        description="Engineers on call at the same time while the desk is closed."
    )
    hours_per_incident: Duration = Field(
        default=timedelta(hours=2),
        description="How long one out-of-hours incident keeps an on-call engineer busy (2h unless the "
        "provider's own records say otherwise).",
    )

    @field_validator("hours_per_incident")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0) or value > timedelta(days=7):
            raise ValueError("an incident keeps an engineer busy for more than 0m and at most 168h")
        return value


class SharedStaffing(Section):
    """A service desk and an on-call rota shared by several customers' contracts."""

    slagen_staffing: Literal[1] = Field(description="The version of the staffing file format; always 1.")
    name: Text = Field(description="What the provider calls this desk, such as 'Northwind service desk'.")
    desk: Desk
    on_call: OnCall | None = Field(default=None, description="The out-of-hours rota; none means nobody is on call.")
