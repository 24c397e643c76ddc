"""The agreement's commercial terms: when invoices are paid, interest on late payment, price review.

The amounts themselves are in the statement of work (``sow.fees``); these terms apply to every
invoice under the agreement, so they live at the top level and apply even without a statement of
work. Every key is optional, with the value a careful provider's lawyer would choose.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, PlainSerializer, PlainValidator, WithJsonSchema

from slagen.model.base import Section
from slagen.model.types import Percent, format_percent, parse_percent

STATUTORY = "statutory"


def parse_late_interest(value: Any) -> str | Decimal:
    if isinstance(value, str) and value.strip().lower() == STATUTORY:
        return STATUTORY
    try:
        return parse_percent(value)
    except ValueError:
        raise ValueError(
            f"'{value}' is not a late payment rate: write 'statutory' (the interest the governing law "
            "gives on late payment) or a rate such as '4%' (in the UK and Ireland a yearly rate above the "
            "central bank's reference rate; in the US a monthly rate, capped at the highest lawful rate)"
        ) from None


LateInterest = Annotated[
    str | Decimal,
    PlainValidator(parse_late_interest),
    PlainSerializer(lambda v: v if v == STATUTORY else format_percent(v), return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "enum": [STATUTORY]},
                {"type": "number", "minimum": 0, "maximum": 100},
                {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*%?\s*$"},
            ],
            "description": "'statutory' (the governing law's statutory interest on late payment), or a "
            "contractual rate such as '4%', expressed as that law does: a yearly rate above the reference "
            "rate in the UK and Ireland, a monthly rate capped at the highest lawful rate in the US.",
        }
    ),
]

PriceIndex = Literal["CPI", "CPIH", "RPI", "HICP"]


class PriceReview(Section):
    index: PriceIndex = Field(
        default="CPI",
        description="The price index that caps an increase: CPI is the jurisdiction's consumer price index "
        "(the ONS CPI in the UK, the CSO CPI in Ireland, the BLS CPI-U in the US); CPIH and RPI exist only in "
        "the UK and HICP only in Ireland.",
    )
    cap_percent: Percent = Field(
        default=Decimal(5), description="The largest increase in any one year, whatever the index does."
    )
    notice_days: int = Field(default=30, ge=1, description="Written notice of an increase before it takes effect.")


class PaymentTerms(Section):
    """How the fees in the statement of work are invoiced and paid."""

    payment_days: int = Field(
        default=30, ge=0, le=365,
        description="Days after receiving an invoice by which it must be paid. Also accepted as "
        "sow.fees.payment_terms_days; when both are given they must agree.",
    )
    late_payment_interest: LateInterest = Field(
        default=STATUTORY,
        description="Interest on late payment: 'statutory' means the governing law's statutory regime (the "
        "UK's 1998 Act, Ireland's S.I. 580/2012, a US state's legal rate); a rate such as '4%' is a "
        "contractual rate expressed as that law does (a yearly rate above the Bank of England base rate or "
        "the ECB's main refinancing rate; in the US a monthly rate capped at the highest lawful rate).",
    )
    price_review: PriceReview | None = Field(
        default_factory=PriceReview,
        description="The yearly increase in the fees, capped by a price index; null for fixed prices. "
        "Default: CPI, at most 5%, on 30 days' notice.",
    )
    suspension_notice_days: int = Field(
        default=14, ge=1,
        description="Notice the provider gives before suspending the services for an overdue invoice.",
    )
