"""How the agreement ends."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from slagen.model import limits
from slagen.model.base import Section
from slagen.model.sentences import check_sentence
from slagen.model.types import Percent, Text

Sentence = Annotated[Text, AfterValidator(check_sentence)]
"""Free text printed as a term of its own: whole sentences, each with a subject and a verb."""


class RepeatedBreach(Section):
    """When the customer may end the agreement for persistent failure to meet service levels.

    Written as ``{attainment_below: 90%, months: 3, within_months: 6}``: attainment of a service
    level below 90% in 3 of any 6 consecutive months. The older ``{count: 3, within_months: 6}``
    (the same target missed 3 times in 6 months) is still read, but a busy service desk reaches it
    in a normal month, so new contracts should use attainment.
    """

    attainment_below: Percent | None = Field(
        default=None, description="A month counts when attainment of a service level falls below this."
    )
    months: Annotated[int, limits.TERM_MONTHS] | None = Field(
        default=None, description="How many such months give the right to terminate."
    )
    count: Annotated[int, limits.BREACH_COUNT] | None = Field(
        default=None, description="Older form: how many misses of the same target give the right to terminate."
    )
    within_months: Annotated[int, limits.TERM_MONTHS] = Field(
        description="The run of consecutive months the misses must fall within."
    )

    @model_validator(mode="after")
    def _one_form(self) -> "RepeatedBreach":
        attainment = self.attainment_below is not None or self.months is not None
        if attainment and self.count is not None:
            raise ValueError("write either 'attainment_below' with 'months', or the older 'count', not both")
        if not attainment and self.count is None:
            raise ValueError("write 'attainment_below' and 'months', such as {attainment_below: 90%, months: 3, "
                             "within_months: 6}")
        if attainment and (self.attainment_below is None or self.months is None):
            raise ValueError("'attainment_below' and 'months' go together: give both")
        if self.months is not None and self.months > self.within_months:
            raise ValueError(f"{self.months} months cannot fall within {self.within_months} months: "
                             "'months' must not exceed 'within_months'")
        return self


class ForCause(Section):
    cure_days: Annotated[int, limits.DAYS] = Field(description="Days the party in breach has to put it right.")
    repeated_breach: RepeatedBreach | None = Field(
        default=None,
        description="When missing service levels again and again lets the Customer end the agreement.",
    )


class Termination(Section):
    notice_days: Annotated[int, limits.DAYS] = Field(
        description="Notice, in days, that stops an automatic renewal (it must expire by the end of the "
        "current term) and, where for_convenience is true, that ends the agreement without cause."
    )
    for_convenience: bool = Field(
        default=False,
        description="Whether either party may end the agreement without cause on notice_days' notice, to "
        "expire no earlier than the end of the initial term. Default: no; the agreement then ends only "
        "at the end of a term (by non-renewal notice), for cause, or by agreement.",
    )
    for_cause: ForCause | None = Field(
        default=None,
        description="Ending the agreement for a breach: the cure period and repeated breaches.",
    )
    non_payment_days: Annotated[int, limits.DAYS] = Field(
        default=30,
        description="Days an undisputed invoice may stay unpaid after a written reminder before the provider "
        "may end the agreement.",
    )
    data_election_days: Annotated[int, limits.DAYS] = Field(
        default=14,
        description="Days after the agreement ends within which the customer chooses, in writing, whether its "
        "data are returned to it or deleted; a customer that does not choose has its data returned.",
    )
    data_return_days: Annotated[int, limits.DAYS] = Field(
        default=30,
        description="Days after the agreement ends within which the provider returns the customer's data "
        "(when the customer chooses return, or does not choose); longer than data_election_days.",
    )
    data_return_format: Text = Field(
        default="a commonly used, machine-readable format",
        description="The form the data are returned in, such as 'PST files for mailboxes and the original "
        "file formats for documents'.",
    )
    receipt_days: Annotated[int, limits.DAYS] = Field(
        default=10,
        description="Days the customer has to confirm receipt of returned data, or say what is missing; "
        "silence counts as confirmation at the end of them.",
    )
    deletion_days: Annotated[int, limits.DAYS] = Field(
        default=30,
        description="Days after the customer confirms receipt of its returned data (or chooses deletion) "
        "within which the provider deletes the copies on its live systems. Copies in backups are "
        "overwritten in the ordinary rotation, at the latest data_protection.backup.retention_days after "
        "the agreement ends.",
    )
    exit_assistance_days: Annotated[int, limits.DAYS] | None = Field(
        default=None,
        description="Days after notice of ending during which the Provider helps move the services to the Customer or"
                    " a new provider.",
    )
    exit_assistance_rates: Text | None = Field(
        default=None,
        description="What exit assistance is charged at, such as 'the out-of-hours rate in the Statement of "
        "Work'; when left out, the rates in the Statement of Work for additional work.",
    )
    after_termination: Sentence | None = Field(
        default=None,
        description="Any further term about the end of the agreement, in whole sentences that each say who "
        "does what; printed in the clause on Customer Data at the end. slagen refuses text that is not a "
        "sentence, and `slagen check` reports one that gives a different period from the exit terms.",
    )

    @model_validator(mode="after")
    def _choice_before_return(self) -> "Termination":
        if self.data_election_days >= self.data_return_days:
            raise ValueError(
                f"the customer has {self.data_election_days} days to choose between return and deletion, but the "
                f"data must be returned within {self.data_return_days} days of the end: make data_election_days "
                "shorter than data_return_days, so the provider has time to return what the customer chose")
        return self
