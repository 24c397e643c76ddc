"""How availability is measured, and the credits owed when it falls short."""

from __future__ import annotations

from typing import Literal

from datetime import timedelta

from pydantic import Field, field_validator

from slagen.model.base import Section
from slagen.model.types import Duration, Percent, Text, TimeOfDay, Weekday, format_duration


class MaintenanceWindow(Section):
    day: Weekday = Field(description="The day of the week the window starts on.")
    start: TimeOfDay
    duration: Duration
    notice: Duration | None = Field(default=None, description="The notice given before using the window.")

    @field_validator("duration")
    @classmethod
    def _within_a_week(cls, value: timedelta) -> timedelta:
        # The window comes back every week: a longer one would overlap its own next turn.
        if value > timedelta(days=7):
            raise ValueError(
                f"a weekly maintenance window can last at most 168h (a week), not {format_duration(value)}"
            )
        return value


class ServiceCredit(Section):
    below: Percent = Field(description="The credit applies when monthly availability falls below this.")
    credit: Percent = Field(description="The credit, as a share of the monthly fee.")


class Availability(Section):
    measured_over: Literal["calendar_month", "calendar_quarter"] | None = Field(
        default=None, description="The period each availability figure covers."
    )
    hours: Literal["all", "support_hours"] | None = Field(
        default=None, description="Whether every hour counts, or only support hours."
    )
    maintenance_windows: list[MaintenanceWindow] = Field(
        default_factory=list,
        description="Weekly windows in which planned work may take a service down without counting as downtime.",
    )
    excluded: list[Text] = Field(default_factory=list, description="Causes of downtime that do not count.")
    service_credits: list[ServiceCredit] = Field(
        default_factory=list,
        description="The credits owed when a service's availability falls below a level, highest level first.",
    )
    credit_cap: Percent | None = Field(default=None, description="The most credit due in one period.")
