"""The whole contract: every section, and the references between them."""

from __future__ import annotations

from typing import Literal

from typing import Any

from pydantic import Field, field_validator, model_validator

from slagen.model import limits
from slagen.model.availability import Availability
from slagen.model.commercial import PaymentTerms
from slagen.model.base import Section
from slagen.model.clauses import ClauseOverride
from slagen.model.data_protection import DataProtection
from slagen.model.estate import Infrastructure, Staffing
from slagen.model.hours import SupportHours
from slagen.model.legal import Disputes, ForceMajeure, InsuranceCover, Liability, NonSolicitation
from slagen.model.parties import Agreement, Customer, Party
from slagen.model.priorities import PauseReason, Priority, ProblemReporting
from slagen.model.services import Service
from slagen.model.sow import Sow
from slagen.model.termination import Termination
from slagen.model.types import Text

FORMAT_VERSION = 1
Loc = tuple[str | int, ...]


class Contract(Section):
    """One customer's service level agreement and statement of work."""

    slagen: Literal[1] = Field(description="The version of the contract format; always 1 today.")
    agreement: Agreement = Field(description="The agreement's identity, term and governing law.")
    provider: Party = Field(description="The managed service provider.")
    customer: Customer = Field(description="The customer.")
    services: list[Service] = Field(
        min_length=1, max_length=limits.MOST_SERVICES, description="The services in scope."
    )
    exclusions: list[Text] = Field(default_factory=list, description="What is out of scope.")
    support_hours: SupportHours = Field(description="When support is open: the calendar of every support_hours clock.")
    problem_reporting: ProblemReporting = Field(description="How problems are reported and when clocks start.")
    priorities: list[Priority] = Field(
        min_length=1, max_length=limits.MOST_PRIORITIES, description="Highest priority first."
    )
    clock_pauses: list[PauseReason] | None = Field(
        default=None, description="The reasons a ticket's clock stops; none means it never pauses."
    )
    availability: Availability | None = Field(default=None, description="How availability is measured and credited.")
    customer_responsibilities: list[Text] = Field(default_factory=list, description="What the customer must do.")
    support_constraints: list[Text] = Field(default_factory=list, description="Limits on when or how support is given.")
    data_protection: DataProtection | None = Field(default=None, description="Personal data, backups and recovery.")
    termination: Termination = Field(description="How the agreement ends.")
    infrastructure: Infrastructure | None = Field(default=None, description="The customer's estate, as surveyed; printed only as an annex.")
    staffing: Staffing | None = Field(default=None, description="The provider's staffing for this customer.")
    sow: Sow | None = Field(default=None, description="The statement of work.")
    fees: PaymentTerms = Field(
        default_factory=PaymentTerms, description="Payment terms, late payment interest and price review."
    )
    liability: Liability = Field(default_factory=Liability, description="The cap on each party's liability.")
    insurance: list[InsuranceCover] = Field(
        default_factory=list,
        description="The insurance the provider keeps; when empty, the agreement promises the cover a prudent "
        "provider of such services holds, without amounts.",
    )
    non_solicitation: NonSolicitation | None = Field(
        default=None, description="Neither party recruits the other's staff involved in the services."
    )
    disputes: Disputes = Field(default_factory=Disputes, description="Escalation before going to court.")
    force_majeure: ForceMajeure = Field(
        default_factory=ForceMajeure, description="Events beyond a party's control."
    )
    clauses: list[ClauseOverride] = Field(
        default_factory=list, max_length=limits.MOST_CLAUSE_CHANGES, description="Changes to the clause library."
    )

    @model_validator(mode="before")
    @classmethod
    def _one_payment_period(cls, data: Any) -> Any:
        # The payment period was first written in the statement of work (sow.fees.payment_terms_days);
        # it now belongs to the agreement (fees.payment_days). Either spelling fills in the other,
        # so every document quotes one period; reference_problems reports two that disagree.
        if not isinstance(data, dict):
            return data
        sow = data.get("sow")
        sow_fees = sow.get("fees") if isinstance(sow, dict) else None
        fees = data.get("fees", {})
        if not isinstance(sow_fees, dict) or not isinstance(fees, dict):
            return data
        if "payment_terms_days" in sow_fees and "payment_days" not in fees:
            data = {**data, "fees": {**fees, "payment_days": sow_fees["payment_terms_days"]}}
        elif "payment_days" in fees and "payment_terms_days" not in sow_fees:
            data = {**data, "sow": {**sow, "fees": {**sow_fees, "payment_terms_days": fees["payment_days"]}}}
        return data

    @field_validator("slagen", mode="before")
    @classmethod
    def _supported_version(cls, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int):  # '1' in quotes, !!str 1, 1.0, true
            raise ValueError(f"the format version must be the number {FORMAT_VERSION}, written without quotes "
                             f"or a tag: write 'slagen: {FORMAT_VERSION}'")
        if value != FORMAT_VERSION:
            raise ValueError(
                f"this file is written for contract format version {value}, but this slagen reads "
                f"version {FORMAT_VERSION}: write 'slagen: {FORMAT_VERSION}'"
            )
        return value

    def priority(self, priority_id: str) -> Priority:
        return next(p for p in self.priorities if p.id == priority_id)


def reference_problems(contract: Contract) -> list[tuple[Loc, str]]:
    """Broken references and duplicate ids, each at the value a user must change."""
    problems: list[tuple[Loc, str]] = []

    def unique(items: list, prefix: Loc, what: str) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                problems.append(((*prefix, i, "id"), f"{what} id '{item.id}' is used twice; ids must be unique"))
            seen.add(item.id)
        return seen

    estate = contract.infrastructure.components if contract.infrastructure else []
    components = unique(estate, ("infrastructure", "components"), "component")
    unique(contract.services, ("services",), "service")
    priorities = unique(contract.priorities, ("priorities",), "priority")

    for i, service in enumerate(contract.services):
        for j, dep in enumerate(service.depends_on):
            if dep not in components:
                known = ", ".join(sorted(components)) or "none are listed under infrastructure.components"
                problems.append((("services", i, "depends_on", j),
                                 f"service '{service.id}' depends on '{dep}', which is not an infrastructure "
                                 f"component (known: {known})"))

    def known_priority(loc: Loc, pid: str, where: str) -> None:
        if pid not in priorities:
            problems.append((loc, f"{where} names priority '{pid}', which is not defined under priorities "
                                  f"(defined: {', '.join(sorted(priorities))})"))

    for i, channel in enumerate(contract.problem_reporting.channels):
        for j, pid in enumerate(channel.priorities or []):
            known_priority(("problem_reporting", "channels", i, "priorities", j), pid, f"the {channel.type} channel")
    if contract.staffing:
        for pid in contract.staffing.expected_tickets_per_month:
            known_priority(("staffing", "expected_tickets_per_month", pid), pid, "expected_tickets_per_month")
    if contract.sow is not None and contract.sow.fees.payment_terms_days != contract.fees.payment_days:
        problems.append((("fees", "payment_days"),
                         f"the payment period is {contract.fees.payment_days} days here but "
                         f"{contract.sow.fees.payment_terms_days} days in sow.fees.payment_terms_days; "
                         "give it once, here"))
    for i, override in enumerate(contract.clauses):
        if override.after is not None and override.action != "add":
            problems.append((("clauses", i, "after"), "'after' only places a clause that is added"))
    return problems
