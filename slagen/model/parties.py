"""The agreement's identity and the two parties to it."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, field_validator

from slagen.model.base import Section
from slagen.model.types import Text


class Renewal(Section):
    automatic: bool = Field(description="Whether the agreement renews by itself at the end of each term.")
    term_months: int = Field(ge=1, le=120, description="Length of each renewal term, in months.")


class Agreement(Section):
    reference: Text = Field(description="The agreement's reference, printed on every page.")
    title: Text = Field(description="The agreement's title, such as 'Managed IT Services Agreement'.")
    effective_date: date = Field(description="The date the agreement starts (YYYY-MM-DD).")
    initial_term_months: int = Field(ge=1, le=120, description="Length of the first term, in months.")
    renewal: Renewal | None = Field(default=None, description="How the agreement renews, if it does.")
    governing_law: Text = Field(description="The law the agreement is governed by, such as 'England and Wales'.")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 currency code, such as GBP or EUR.")
    locale: str = Field(
        default="en_GB", description="Language and region for dates and money in documents, such as en_GB."
    )
    status: Literal["draft", "final"] = Field(
        default="draft", description="'final' removes the DRAFT mark from the documents."
    )
    version: Text = Field(default="1.0", description="The document version printed on the cover.")
    document_date: date | None = Field(
        default=None,
        description="The date printed on the cover of this version (YYYY-MM-DD); the effective date when absent.",
    )

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        from babel.numbers import list_currencies

        if value not in list_currencies():
            raise ValueError(f"'{value}' is not a currency code: use ISO 4217 codes such as GBP, EUR or USD")
        return value

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
    name: Text
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: Text | None = None
    role: Text | None = Field(default=None, description="The contact's role, printed in signature blocks.")


class Party(Section):
    name: Text = Field(description="The party's legal name.")
    address: Text = Field(description="The registered address.")
    contact: Contact = Field(description="The party's named contact for this agreement.")
    company_number: Text | None = Field(default=None, description="Company registration number, if any.")
