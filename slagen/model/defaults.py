"""The protective terms a contract leaves to slagen's defaults, said in words for legal.

Every key added for the protective clauses (liability, fees, insurance, ...) is optional, so that
contracts written before them stay valid. A contract that leaves a key out still gets a clause
built on the default a careful provider's lawyer would choose; legal must know which values those
are, because nobody typed them. :func:`defaults_relied_on` lists them; ``slagen review`` prints the
list.

A key counts as given when it is written in the file (pydantic's ``model_fields_set``), whatever
its value, even when that value equals the default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from slagen.model.commercial import STATUTORY

# In words any jurisdiction shares: the governing law's own index and statute are named by the
# documents, from the library's law data (slagen.library.law), not here.
INDEX_WORDS = {
    "CPI": "the governing law's consumer price index (CPI)",
    "CPIH": "the consumer prices index including owner occupiers' housing costs (CPIH)",
    "RPI": "the retail prices index (RPI)",
    "HICP": "the harmonised index of consumer prices (HICP)",
}


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def _fees_cap(multiple: Decimal) -> str:
    return f"{_percent(multiple * 100)} of the fees paid and payable in the 12 months before the claim"


def _late_interest(c) -> str:
    rate = c.fees.late_payment_interest
    if rate == STATUTORY:
        return "the statutory interest on late payment of the governing law"
    if c.agreement.legal.country == "US":
        return f"interest at {_percent(rate)} a month, capped at the highest rate the law allows"
    return f"interest at {_percent(rate)} a year above the central bank's reference rate"


def _price_review(c) -> str:
    review = c.fees.price_review
    if review is None:
        return "fixed fees, with no yearly review"
    return (f"a yearly increase of up to the rise in {INDEX_WORDS[review.index]}, never more than "
            f"{_percent(review.cap_percent)}, on {_days(review.notice_days)}' notice")


def _escalation(c) -> str:
    return ", then ".join(f"{step.to} ({_days(step.days)})" for step in c.disputes.escalation)


def _personal_data(c) -> bool:
    return c.data_protection is not None and c.data_protection.personal_data


@dataclass(frozen=True)
class Default:
    path: str  # the YAML path a contract would write the value at
    words: Callable  # contract -> the value in words
    applies: Callable = lambda c: True  # whether the clause using it is in the agreement at all


DEFAULTS: tuple[Default, ...] = (
    Default("fees.payment_days", lambda c: f"invoices are due {_days(c.fees.payment_days)} after receipt"),
    Default("fees.late_payment_interest", _late_interest),
    Default("fees.price_review", _price_review),
    Default("fees.suspension_notice_days",
            lambda c: f"the services may be suspended {_days(c.fees.suspension_notice_days)} after notice of "
                      "an overdue invoice"),
    Default("liability.cap_multiple_of_annual_fees",
            lambda c: f"each party's liability is capped at {_fees_cap(c.liability.cap_multiple_of_annual_fees)}",
            lambda c: c.liability.cap_multiple_of_annual_fees is not None
            and "cap_amount" not in c.liability.model_fields_set),
    Default("liability.supercap_multiple_of_annual_fees",
            lambda c: "no separate cap: data protection and confidentiality claims fall under the general cap",
            lambda c: c.liability.supercap_amount is None),
    Default("insurance", lambda c: "no amounts stated: the cover a prudent supplier of similar services would hold"),
    Default("non_solicitation", lambda c: "none: either party may recruit the other's staff"),
    Default("disputes.escalation", _escalation),
    Default("force_majeure.termination_after_days",
            lambda c: f"either party may end the agreement after {_days(c.force_majeure.termination_after_days)} "
                      "of force majeure"),
    Default("termination.non_payment_days",
            lambda c: f"the provider may end the agreement when an invoice is unpaid "
                      f"{_days(c.termination.non_payment_days)} after a written reminder"),
    Default("data_protection.data_types",
            lambda c: "the usual types for managed IT services (contact, account and stored business data)",
            _personal_data),
    Default("data_protection.data_subjects",
            lambda c: "the usual categories (the customer's staff and users, and the people in its records)",
            _personal_data),
    Default("data_protection.sub_processors", lambda c: "none listed", _personal_data),
    Default("data_protection.sub_processor_authorisation",
            lambda c: "general written authorisation: the customer is told of new sub-processors and may object"
            if c.data_protection.sub_processor_authorisation == "general"
            else "specific: each new sub-processor needs the customer's written consent",
            _personal_data),
    Default("data_protection.sub_processor_notice_days",
            lambda c: f"{_days(c.data_protection.sub_processor_notice_days)}' notice of a new sub-processor",
            lambda c: _personal_data(c) and c.data_protection.sub_processor_authorisation == "general"),
)


def is_given(contract, path: str) -> bool:
    """Whether the contract file writes the key at ``path`` (a dotted path of model fields)."""
    node = contract
    for name in path.split("."):
        if node is None or name not in node.model_fields_set:
            return False
        node = getattr(node, name)
    return True


def defaults_relied_on(contract) -> list[tuple[str, str]]:
    """(YAML path, the value in words) for each protective default the contract relies on, in a fixed order."""
    return [(d.path, d.words(contract)) for d in DEFAULTS if d.applies(contract) and not is_given(contract, d.path)]
