"""Personal data, backups and recovery."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from slagen.model import limits
from slagen.model.base import Section
from slagen.model.types import Duration, Text


class Backup(Section):
    frequency: Duration = Field(description="Time between backups, such as 24h.")
    retention_days: Annotated[int, limits.RETENTION_DAYS] = Field(description="How long each backup is kept.")
    offsite: bool = Field(description="Whether a copy is kept away from the customer's premises.")


class DataProtection(Section):
    personal_data: bool = Field(description="Whether the provider processes personal data.")
    regulations: list[Text] = Field(default_factory=list, description="Such as 'UK GDPR' or 'GDPR'.")
    breach_notification: Duration | None = Field(
        default=None, description="How soon the provider tells the customer of a personal data breach."
    )
    backup: Backup | None = None
    rpo: Duration | None = Field(default=None, description="Recovery point objective: data that may be lost.")
    rto: Duration | None = Field(default=None, description="Recovery time objective: time to restore service.")
    record_retention_months: Annotated[int, limits.RETENTION_MONTHS] | None = None
    disposal: Text | None = Field(default=None, description="How data is disposed of at the end.")
