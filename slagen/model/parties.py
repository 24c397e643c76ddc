"""The agreement's identity and the two parties to it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from slagen.model import jurisdiction as jurisdictions
from slagen.model import limits
from slagen.model.base import Section
from slagen.model.types import ContractDate, Line, PartError, Text


class Renewal(Section):
    automatic: bool = Field(description="Whether the agreement renews by itself at the end of each term.")
    term_months: Annotated[int, limits.TERM_MONTHS] = Field(description="Length of each renewal term, in months.")


class Agreement(Section):
    reference: Line = Field(description="The agreement's reference, printed on every page.")
    title: Line = Field(description="The agreement's title, such as 'Managed IT Services Agreement'.")
    effective_date: ContractDate = Field(description="The date the agreement starts (YYYY-MM-DD).")
    initial_term_months: Annotated[int, limits.TERM_MONTHS] = Field(
        description="Length of the first term, in months.",
    )
    renewal: Renewal | None = Field(default=None, description="How the agreement renews, if it does.")
    governing_law: Text = Field(description="The law the agreement is governed by, such as 'England and Wales'.")
    jurisdiction: str | None = Field(
        default=None,
        description="Where the agreement is made and enforced, choosing the clause variants and legal "
        "conventions: GB-EAW (England and Wales), GB-SCT, GB-NIR, IE, or a US state as US-IL or its name. "
        "When absent it follows governing_law.",
    )
    venue_county: Text | None = Field(
        default=None,
        description="US jurisdictions only: the county whose state courts hear disputes, such as 'Cook County' "
        "(the federal district court for it is named too). When absent, the county of the provider's "
        "principal office in the state.",
    )
    jury_trial_waiver: bool = Field(
        default=True,
        description="US jurisdictions only: both parties waive a jury trial; where state courts do not enforce a "
        "waiver made before a dispute, the law data's substitute is used instead (California: a judicial "
        "reference) or nothing (Georgia).",
    )
    paper: Literal["a4", "letter"] | None = Field(
        default=None, description="Paper size of the documents; US Letter for US jurisdictions and A4 elsewhere unless set."
    )
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 currency code, such as GBP or EUR.")
    locale: str = Field(
        default="en_GB", description="Language and region for dates and money in documents, such as en_GB."
    )
    status: Literal["draft", "final"] = Field(
        default="draft", description="'final' removes the DRAFT mark from the documents."
    )
    version: Line = Field(default="1.0", description="The document version printed on the cover.")
    document_date: ContractDate | None = Field(
        default=None,
        description="The date printed on the cover of this version (YYYY-MM-DD); the effective date when absent.",
    )
    prepared_by: Text | None = Field(
        default=None,
        description="Who prepared this version, such as 'Sam Carter, Northwind Managed Services Ltd': the author "
        "of the tracked changes in a redline that ends at it. Default: the provider's name.",
    )

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        from babel.numbers import list_currencies

        if value not in list_currencies():
            raise ValueError(f"'{value}' is not a currency code: use ISO 4217 codes such as GBP, EUR or USD")
        return value

    @field_validator("jurisdiction")
    @classmethod
    def _known_jurisdiction(cls, value: str | None) -> str | None:
        if value is None:
            return None
        found = jurisdictions.find(value)
        if found is None:
            raise ValueError(jurisdictions.refusal(value))
        return found.code

    @model_validator(mode="after")
    def _law_names_a_jurisdiction(self) -> "Agreement":
        if self.jurisdiction is None and jurisdictions.find(self.governing_law) is None:
            raise PartError(
                "governing_law",
                f"slagen cannot tell which jurisdiction the law of '{self.governing_law}' belongs to, so it "
                f"cannot choose the legal wording: add 'jurisdiction:' to agreement with "
                f"{jurisdictions.describe_known()}",
            )
        return self

    @model_validator(mode="after")
    def _a_county_only_in_the_us(self) -> "Agreement":
        if self.venue_county is not None and self.legal.country != "US":
            raise PartError(
                "venue_county",
                f"a venue county is chosen only for a US state; the courts of {self.legal.name} are fixed by its "
                "law: remove venue_county",
            )
        return self

    @property
    def legal(self) -> jurisdictions.Jurisdiction:
        """The jurisdiction whose conventions the documents follow."""
        found = jurisdictions.find(self.jurisdiction or self.governing_law)
        assert found is not None  # guaranteed by the validator above
        return found

    @property
    def paper_size(self) -> str:
        return self.paper or self.legal.paper

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(value)
        except (ValueError, UnknownLocaleError):
            raise ValueError(f"'{value}' is not a locale: use a code such as en_GB, en_US or de_DE") from None
        return value


class Contact(Section):
    name: Line = Field(description="The person's full name.")
    email: str | None = Field(description="Their email address.", default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: Text | None = Field(default=None, description="Their telephone number.")
    role: Line | None = Field(default=None, description="The contact's role, printed in signature blocks.")


class Party(Section):
    name: Line = Field(description="The party's legal name.")
    address: Line = Field(description="The registered address.")
    contact: Contact = Field(description="The party's named contact for this agreement.")
    company_number: Text | None = Field(default=None, description="Company registration number, if any.")


class Customer(Party):
    psa_names: list[Text] = Field(
        default_factory=list, max_length=50,
        description="The names the provider's PSA or helpdesk gives this customer (its company, account or "
        "organisation), so that a portfolio report can tell the customer's tickets in an export of many "
        "customers. The customer's name and the agreement's reference are always recognised too.",
    )
