"""The protective terms: liability, insurance, non-solicitation, disputes and force majeure.

Every key is optional, with the value a careful provider's lawyer would choose; ``slagen review``
lists the ones a contract relies on (:mod:`slagen.model.defaults`).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import Field, PlainSerializer, PlainValidator, WithJsonSchema, model_validator

from slagen.model.base import Section
from slagen.model.types import Money, Text

MAX_MULTIPLE = 20


def parse_multiple(value: Any) -> Decimal:
    """A multiple of a year's fees: 1, 1.5 or 2, never a percentage or a word."""
    if isinstance(value, bool):
        value = None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        raise ValueError(f"'{value}' is not a multiple of the yearly fees: write a number such as 1 (100%) or 1.5")
    if not 0 < number <= MAX_MULTIPLE:
        raise ValueError(f"{value} is not a sensible multiple of the yearly fees: write a number above 0 and "
                         f"at most {MAX_MULTIPLE}, such as 1 (100%) or 1.5")
    return number


Multiple = Annotated[
    Decimal,
    PlainValidator(parse_multiple),
    PlainSerializer(lambda v: f"{v.normalize():f}", return_type=str),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": MAX_MULTIPLE,
                    "description": "A multiple of the fees paid and payable in 12 months: 1 = 100%."}),
]


class Liability(Section):
    """The cap on each party's liability. With both a multiple and an amount, the greater applies."""

    cap_multiple_of_annual_fees: Multiple | None = Field(
        default=Decimal(1),
        description="The cap as a multiple of the fees paid and payable in the 12 months before the event "
        "giving rise to the claim (1 = 100%). Left out when only cap_amount is given.",
    )
    cap_amount: Money | None = Field(
        default=None, description="A fixed cap; with a multiple too, the cap is whichever is greater."
    )
    supercap_multiple_of_annual_fees: Multiple | None = Field(
        default=None,
        description="A separate, higher cap for breaches of data protection and confidentiality, as a "
        "multiple of the same 12 months' fees; none puts those claims under the general cap.",
    )
    supercap_amount: Money | None = Field(
        default=None, description="A fixed separate cap for data protection and confidentiality claims."
    )

    @model_validator(mode="before")
    @classmethod
    def _amount_alone_replaces_the_multiple(cls, data: Any) -> Any:
        # A contract that states only a fixed cap means that amount, not "the greater of it and
        # a year's fees": the default multiple gives way.
        if isinstance(data, dict) and "cap_amount" in data and "cap_multiple_of_annual_fees" not in data:
            data = {**data, "cap_multiple_of_annual_fees": None}
        return data

    @model_validator(mode="after")
    def _some_cap(self) -> "Liability":
        if self.cap_multiple_of_annual_fees is None and self.cap_amount is None:
            raise ValueError("the liability cap needs 'cap_multiple_of_annual_fees' or 'cap_amount'")
        return self


InsuranceKind = Literal[
    "professional_indemnity", "public_liability", "employers_liability", "cyber", "product_liability",
]


class InsuranceCover(Section):
    type: InsuranceKind = Field(description="The kind of cover.")
    amount: Money = Field(description="The minimum sum insured.")
    basis: Literal["each_claim", "aggregate"] = Field(
        default="each_claim", description="Whether the amount applies to each claim or to all claims in a year."
    )


class NonSolicitation(Section):
    months: int = Field(ge=1, le=24, description="How long after the agreement ends the restriction lasts.")
    insist: bool = Field(
        default=False,
        description="Print the clause even where the governing law makes it doubtful (California); "
        "'slagen check' then warns. Without it the clause is left out there.",
    )


class EscalationStep(Section):
    to: Text = Field(description="Who the dispute is referred to, such as 'a senior executive of each Party'.")
    days: int = Field(ge=1, le=90, description="Days they have to settle it before the next step.")


def _default_escalation() -> list[EscalationStep]:
    return [
        EscalationStep(to="the contract managers of the Parties", days=10),
        EscalationStep(to="a senior executive of each Party", days=10),
    ]


class Disputes(Section):
    escalation: list[EscalationStep] = Field(
        default_factory=_default_escalation, min_length=1,
        description="The steps a dispute goes through, in order, before either party goes to court. Default: "
        "the contract managers of the Parties (10 days), then a senior executive of each Party (10 days).",
    )


class ForceMajeure(Section):
    termination_after_days: int = Field(
        default=90, ge=1,
        description="Days a force majeure event must last before the other party may end the agreement.",
    )
