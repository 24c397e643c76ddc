"""Personal data, backups and recovery."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from slagen.model import limits
from slagen.model.base import Section
from slagen.model.termination import Sentence
from slagen.model.types import Duration, Text


class Backup(Section):
    frequency: Duration = Field(description="Time between backups, such as 24h.")
    retention_days: Annotated[int, limits.RETENTION_DAYS] = Field(description="How long each backup is kept.")
    offsite: bool = Field(description="Whether a copy is kept away from the customer's premises.")


class SubProcessor(Section):
    name: Text = Field(description="The sub-processor's legal name.")
    purpose: Text = Field(description="What it does with the personal data, such as 'off-site backup storage'.")
    location: Text = Field(description="Where it processes the data, such as 'United Kingdom'.")


class DataProtection(Section):
    personal_data: bool = Field(description="Whether the provider processes personal data.")
    regulations: list[Text] = Field(default_factory=list, description="Such as 'UK GDPR' or 'GDPR'.")
    breach_notification: Duration | None = Field(
        default=None, description="How soon the provider tells the customer of a personal data breach."
    )
    backup: Backup | None = Field(
        default=None,
        description="How the Customer's data is backed up: how often, how long copies are kept, how soon it is "
                    "restored.",
    )
    rpo: Duration | None = Field(default=None, description="Recovery point objective: data that may be lost.")
    rto: Duration | None = Field(default=None, description="Recovery time objective: time to restore service.")
    restores_on_rto_clock: bool = Field(
        default=False,
        description="Whether an incident whose fix is a restore from backup is measured against the RTO instead "
        "of its priority's resolution target (say so when the RTO is longer than a resolution target).",
    )
    record_retention_months: Annotated[int, limits.RETENTION_MONTHS] | None = Field(
        default=None,
        description="How long the Provider keeps records of its processing, in months; the clause leaves the period "
                    "out when absent.",
    )
    disposal: Sentence | None = Field(
        default=None,
        description="How data are destroyed at the end, in whole sentences that say who does what, such as "
        "'The Provider destroys failed disks by shredding.'; printed in the clause on Customer Data at the "
        "end. The periods for return, deletion and backups come from termination and backup, not from here.",
    )
    data_subjects: list[Text] = Field(
        default_factory=list,
        description="Whose personal data it is, such as 'patients' or 'staff'; the annex names the usual "
        "categories when left out.",
    )
    data_types: list[Text] = Field(
        default_factory=list,
        description="The kinds of personal data, such as 'contact details' or 'health records (special "
        "category data)'.",
    )
    sub_processors: list[SubProcessor] = Field(
        default_factory=list, description="The sub-processors the customer authorises when signing."
    )
    sub_processor_authorisation: Literal["general", "specific"] = Field(
        default="general",
        description="'general': the provider may add sub-processors after notice, and the customer may "
        "object; 'specific': each new sub-processor needs the customer's written consent.",
    )
    sub_processor_notice_days: int = Field(
        default=30, ge=1, description="Notice of a new sub-processor under general authorisation."
    )
