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


# A month of 31 days: emergency work capped at more than a month is no cap at all.
_LONGEST_MONTH = timedelta(days=31)
# Work announced further ahead than this is planned maintenance and belongs in a maintenance window.
_LONGEST_EMERGENCY_NOTICE = timedelta(hours=72)


class EmergencyMaintenance(Section):
    """Urgent work outside the maintenance windows (an exploited vulnerability, a failure about to
    happen), excluded from the service levels only up to a monthly cap, so it cannot become a
    way round the windows."""

    notice: Duration = Field(
        description="The notice the Provider gives before emergency maintenance wherever the threat allows "
        "waiting that long (otherwise as soon as it can), such as 1h.",
    )
    cap_per_month: Duration = Field(
        description="The most emergency maintenance in one calendar month that is left out of availability and "
        "of the response and resolution times, such as 4h; time beyond it counts in full.",
    )

    @field_validator("notice")
    @classmethod
    def _short_notice(cls, value: timedelta) -> timedelta:
        if value > _LONGEST_EMERGENCY_NOTICE:
            raise ValueError(
                f"emergency maintenance is work that cannot wait: notice of {format_duration(value)} is more than "
                f"{format_duration(_LONGEST_EMERGENCY_NOTICE)}, so the work can be planned; put it in a "
                "maintenance window (availability.maintenance_windows) or shorten the notice"
            )
        return value

    @field_validator("cap_per_month")
    @classmethod
    def _within_a_month(cls, value: timedelta) -> timedelta:
        if value > _LONGEST_MONTH:
            raise ValueError(
                f"a monthly cap of {format_duration(value)} is longer than a month "
                f"({format_duration(_LONGEST_MONTH)}), so it caps nothing: use the most emergency work a month "
                "may take, such as 4h"
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
    emergency_maintenance: EmergencyMaintenance | None = Field(
        default=None,
        description="Urgent work the Provider may do outside the maintenance windows to protect the Services or "
        "the Customer's systems, at short notice and up to a monthly cap, such as {notice: 1h, cap_per_month: 4h}.",
    )
    excluded: list[Text] = Field(default_factory=list, description="Causes of downtime that do not count.")
    service_credits: list[ServiceCredit] = Field(
        default_factory=list,
        description="The credits owed when a service's availability falls below a level, highest level first.",
    )
    credit_cap: Percent | None = Field(default=None, description="The most credit due in one period.")
