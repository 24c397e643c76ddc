"""Where an agreement is made and enforced: the legal conventions its documents follow.

A jurisdiction is separate from the locale. The locale says how dates, money and numbers are
written (en_GB, en_US); the jurisdiction says which law governs, which courts hear disputes, which
statutory wording the protective clauses need (the Unfair Contract Terms Act in the UK,
conspicuous capitals for disclaimers in the US), which clauses exist at all (third-party rights
legislation in the UK, a jury-trial waiver in the US), which tax is added to fees and the paper
size the documents are printed on.

The values a user may write are the codes below (``GB-EAW``, ``US-IL``) or the plain names
("England and Wales", "Illinois", "State of Illinois"). When ``agreement.jurisdiction`` is
absent it follows ``agreement.governing_law``, so contracts written before it existed keep
rendering as they did.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Jurisdiction:
    code: str  # GB-EAW, GB-SCT, GB-NIR, IE, US-IL ...
    name: str  # how the law is named in a sentence: "England and Wales", "the State of Illinois"
    short_name: str  # the place alone: "England and Wales", "Illinois"
    country: str  # ISO 3166 country: GB, IE, US
    courts: str  # the courts that hear disputes, as printed

    @property
    def system(self) -> str:
        """The legal system: ``uk`` (England and Wales, Scotland, Northern Ireland), ``ie`` or ``us``."""
        return {"US": "us", "IE": "ie"}.get(self.country, "uk")

    @property
    def paper(self) -> str:
        """The paper documents are printed on unless the agreement says otherwise."""
        return "letter" if self.country == "US" else "a4"

    @property
    def sales_tax(self) -> str:
        """The tax fees are quoted without: value added tax, or sales and use taxes."""
        return "sales tax" if self.country == "US" else "VAT"


_UK_AND_IRELAND = (
    Jurisdiction("GB-EAW", "England and Wales", "England and Wales", "GB", "the courts of England and Wales"),
    Jurisdiction("GB-SCT", "Scotland", "Scotland", "GB", "the Scottish courts"),
    Jurisdiction("GB-NIR", "Northern Ireland", "Northern Ireland", "GB", "the courts of Northern Ireland"),
    Jurisdiction("IE", "Ireland", "Ireland", "IE", "the courts of Ireland"),
)

_US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}


def _us_state(code: str, state: str) -> Jurisdiction:
    # The District of Columbia is not a state; its law is "the law of the District of Columbia".
    name = f"the {state}" if code == "DC" else f"the State of {state}"
    courts = f"the state and federal courts located in {state}"
    return Jurisdiction(f"US-{code}", name, state, "US", courts)


@lru_cache(maxsize=1)
def _all() -> dict[str, Jurisdiction]:
    known = list(_UK_AND_IRELAND) + [_us_state(code, state) for code, state in _US_STATES.items()]
    return {j.code: j for j in known}


def _normalise(text: str) -> str:
    words = text.strip().lower().replace(",", " ").split()
    for lead in (["the", "state", "of"], ["state", "of"], ["the", "law", "of"], ["laws", "of"], ["the"]):
        if words[: len(lead)] == lead:
            words = words[len(lead):]
            break
    return " ".join(words)


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Jurisdiction]:
    names: dict[str, Jurisdiction] = {}
    for jurisdiction in _all().values():
        names[jurisdiction.code.lower()] = jurisdiction
        names[_normalise(jurisdiction.short_name)] = jurisdiction
        state = jurisdiction.code.removeprefix("US-")
        # A state's postal code alone (NY, TX), unless it is also a country's ISO code (DE is
        # Germany as well as Delaware, IL Israel as well as Illinois): those are never guessed.
        if jurisdiction.country == "US" and state not in _countries():
            names[state.lower()] = jurisdiction
    names["england"] = names["england and wales"]
    names["england & wales"] = names["england and wales"]
    names["republic of ireland"] = names["ireland"]
    names["washington dc"] = names["district of columbia"]
    names["washington d.c."] = names["district of columbia"]
    return names


def find(text: str) -> Jurisdiction | None:
    """The jurisdiction a code or plain name stands for, or None when slagen does not know it
    or when it could mean more than one place (see :func:`refusal` for the words to say so)."""
    if not text or not text.strip():
        return None
    return _by_name().get(_normalise(text))


def by_code(code: str) -> Jurisdiction | None:
    """The jurisdiction with exactly this code (GB-SCT, US-TX), nothing looser."""
    return _all().get(code)


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """ISO 3166 two-letter country codes -> English names (from CLDR, through babel)."""
    from babel import Locale

    return {code: name for code, name in Locale("en").territories.items() if len(code) == 2 and code.isalpha()}


def refusal(text: str) -> str:
    """Why ``text`` is not a jurisdiction slagen uses, and what to write instead (for an error).

    A code that is both a country and a US state is spelled out both ways; a country slagen has
    no law for is named as unsupported rather than mapped to the nearest jurisdiction it knows.
    """
    written = text.strip()
    code = written.upper()
    countries = _countries()
    named = {name.lower(): iso for iso, name in countries.items()}.get(written.lower())
    if named:  # "Germany", "France": a country by its name
        code = named
    state = None if named else _US_STATES.get(code)
    country = countries.get(code.split("-")[0]) if code else None
    if code in ("GB", "UK"):
        uk = ", ".join(f"{j.code} ({j.short_name})" for j in _UK_AND_IRELAND if j.country == "GB")
        return f"'{written}' is the United Kingdom, which has three jurisdictions with their own law: use {uk}"
    if code == "US":
        return f"'{written}' is the United States, whose contract law is each state's: name the state, such as US-IL or Illinois"
    if state and country:
        return (f"'{written}' could mean {country} (ISO country code {code}), whose law slagen does not "
                f"support, or {state} (US-{code}); slagen does not guess: write US-{code} for {state}, or "
                f"use one of {describe_known()}")
    if country and code.split("-")[0] not in ("GB", "IE", "US"):
        return f"'{written}' is {country}, whose law slagen does not support: use {describe_known()}"
    return f"'{written}' is not a jurisdiction slagen knows: use {describe_known()}"


def known_codes() -> list[str]:
    return list(_all())


def describe_known() -> str:
    """The choices, for an error message: every UK and Irish code and the US form."""
    uk = ", ".join(f"{j.code} ({j.short_name})" for j in _UK_AND_IRELAND)
    return f"{uk}, or a US state as US-XX or its name (US-IL, Illinois, New York)"
