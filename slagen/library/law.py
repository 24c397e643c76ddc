"""The law a contract is made under, as data: one file per legal system and per jurisdiction.

A library's ``law/`` folder holds what a clause needs to know about a legal system that is not the
contract's own business: which days are Business Days, the statute that gives interest on late
payment and how a contractual rate is written, the price index, how notices are sent and when they
are received, what counts as insolvency, the names of insurance covers, the venue, whether a jury
waiver or a non-solicitation covenant is enforceable, how exclusions must be set out, the draft
legend, the data protection regime and its processor terms, and the words that belong to the
system alone (which the foreign-law check in :mod:`slagen.review.foreign_law` keeps out of every
other system's documents)::

    law/systems/uk.yaml          the United Kingdom's law (England and Wales, Scotland, Northern Ireland)
    law/systems/ie.yaml          Ireland's
    law/systems/us.yaml          the federal defaults every US state starts from
    law/jurisdictions/GB-SCT.yaml   what differs in one jurisdiction (a US state's venue, its legal rate ...)

A jurisdiction's facts are its system's file with its own file laid over it, mapping by mapping.
The packaged default's files ship in the wheel as ``slagen._library.law``; a provider's library
made by ``slagen library init`` has its own copy, which it may extend (more words for the check,
a state's bank holidays); a library made before law data existed uses the packaged default's.
"""

from __future__ import annotations

import time

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from slagen.errors import SlagenError
from slagen.model import holiday_regions
from slagen.model import jurisdiction as jurisdictions

SYSTEMS = ("uk", "ie", "us")
LAW_FILE_LIMIT = 256 * 1024  # a law file is a few kilobytes; anything near this is not one


class LawError(SlagenError):
    """A law file of the library that is missing or not valid."""


class _Facts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BusinessDayCalendar(_Facts):
    country: str = Field(description="The holidays package's country whose calendar Business Days follow.")
    subdivision: str | None = Field(default=None, description="Its region, such as SCT for Scotland.")

    @model_validator(mode="after")
    def _a_calendar_the_holidays_package_has(self) -> "BusinessDayCalendar":
        regions = holiday_regions.subdivisions(self.country)
        if regions is None:
            raise ValueError(f"no public holidays are known for country '{self.country}'")
        if self.subdivision is not None and self.subdivision not in regions:
            raise ValueError(f"'{self.subdivision}' is not a region of {self.country} with its own holidays")
        return self


class BusinessDay(_Facts):
    calendar: BusinessDayCalendar
    phrase: str = Field(description="What, besides a Saturday and a Sunday, is not a Business Day.")


class LatePayment(_Facts):
    style: Literal["yearly_above_reference_rate", "monthly_capped_at_lawful_rate"]
    statute: str = Field(description="The statute giving interest on late payment (the US: the state's legal rate).")
    statutory_remedy: str = Field(description="What the statute gives: 'interest and compensation'.")
    reference_rate: str = Field(description="The rate a yearly contractual rate is stated above.")
    substantial_remedy: bool = Field(description="Whether a contractual rate must be a 'substantial remedy'.")


class Notices(_Facts):
    by_hand: str
    by_post: str
    post: str = "post"  # the short word: "sent by post", "sent by mail"
    posting: str = "posting"  # "after posting", "after mailing"
    post_received_after_business_days: int = Field(ge=0, le=10)
    by_courier: str = ""
    courier_received_after_business_days: int = Field(default=1, ge=0, le=10)
    office_opens: str = Field(pattern=r"^\d\d:\d\d$")
    office_closes: str = Field(pattern=r"^\d\d:\d\d$")


class Insolvency(_Facts):
    events: str = Field(description="What the other Party suffers: '... has a receiver appointed ...'.")
    limit: str = Field(description="A sentence limiting the right where the law does (the US Bankruptcy Code).")


class InsuranceWords(_Facts):
    names: dict[Literal["professional_indemnity", "public_liability", "employers_liability", "cyber",
                        "product_liability"], str]
    prudent_cover: str


class Venue(_Facts):
    courts: str = Field(description="The courts, when fixed for the jurisdiction ('' for a US state's county courts).")
    federal_district: str = Field(default="", description="A US state with one federal district: its name.")
    county_districts: dict[str, str] = Field(default_factory=dict, description="County -> federal district.")


class DataProtectionLaw(_Facts):
    regime: Literal["uk_gdpr", "eu_gdpr", "us"]
    gdpr: str  # how clauses name the regulation: "the UK GDPR", "the GDPR"
    gdpr_defined: str  # how the definitions introduce it: "Regulation (EU) 2016/679 (the GDPR)"
    legislation: str  # the national statute beside it
    local_law: str
    territory: str
    transfers: str
    regulator: str
    special_category: bool
    state_terms: list[Literal["ccpa", "privacy_act", "shield", "pipa"]]
    # A US state's comprehensive consumer privacy law, whose processor terms state-privacy-processor sets out.
    privacy_act: str = ""  # "the Texas Data Privacy and Security Act"
    privacy_act_short: str = ""  # "TDPSA"

    @model_validator(mode="after")
    def _a_privacy_act_is_named(self) -> "DataProtectionLaw":
        if "privacy_act" in self.state_terms and not (self.privacy_act and self.privacy_act_short):
            raise ValueError("state_terms lists privacy_act: name the law in privacy_act and privacy_act_short")
        return self


class StaffTransfer(_Facts):
    """The law under which employees move with a service to the supplier that takes it over."""

    regulations: str = Field(description="The regulations as the clause names them, in full: 'the Transfer of "
                             "Undertakings (Protection of Employment) Regulations 2006'.")


class LawFacts(_Facts):
    """Every legal fact of one jurisdiction, after its file is laid over its system's."""

    system: Literal["uk", "ie", "us"]
    country: str
    business_day: BusinessDay
    late_payment: LatePayment
    price_index: dict[str, str] = Field(description="Index name in the contract (CPI ...) -> how it is described.")
    notices: Notices
    insolvency: Insolvency
    insurance: InsuranceWords
    affiliate: str
    liability_heads: str
    signature_heading: str
    signature_label: str = ""  # the label of the line signed on, where it is not "Signed" ("By" in the US)
    draft_legend: str
    venue: Venue
    jury_waiver: Literal["waiver", "judicial_reference", "none"]
    non_solicitation: Literal["allowed", "not_allowed"]
    conspicuous_exclusions: bool
    express_negligence: bool
    # Clauses printed in bold capitals, where the law enforces a limit only if it is conspicuous.
    conspicuous_clauses: list[str] = Field(default_factory=list)
    data_protection: DataProtectionLaw
    # Where employees can move with a service by law (TUPE and its kin); None where no such law exists
    # (the US), and then the staff-transfer clause is left out.
    staff_transfer: StaffTransfer | None = None
    words: list[str] = Field(default_factory=list, description="Words that belong to this law alone.")


@dataclass(frozen=True)
class Law:
    """The law a document is written under: where (the jurisdiction) and what it says (the facts)."""

    code: str  # GB-EAW, IE, US-TX ...
    name: str  # "England and Wales", "the State of Texas"
    short_name: str  # "Texas"
    country: str  # GB, IE, US
    system: str  # uk | ie | us
    courts: str  # the courts that hear disputes, as printed
    business_day: str  # the definition: "a day other than a Saturday, a Sunday or ..."
    facts: LawFacts

    # Shorter names for clause text: facts.law.late_payment rather than facts.law.facts.late_payment.
    @property
    def late_payment(self) -> LatePayment:
        return self.facts.late_payment

    @property
    def notices(self) -> Notices:
        return self.facts.notices

    @property
    def insolvency(self) -> Insolvency:
        return self.facts.insolvency

    @property
    def insurance(self) -> InsuranceWords:
        return self.facts.insurance

    @property
    def data_protection(self) -> DataProtectionLaw:
        return self.facts.data_protection

    @property
    def staff_transfer(self) -> StaffTransfer | None:
        return self.facts.staff_transfer

    @property
    def health_terms(self) -> str:
        """What a customer's health data brings: a business associate annex (US) or special-category terms."""
        return "business_associate" if self.system == "us" else "special_category"

    @property
    def price_index(self) -> dict[str, str]:
        return self.facts.price_index


@dataclass(frozen=True)
class LawBook:
    """Every legal system and jurisdiction a library describes: its facts, and each one's own words."""

    systems: dict[str, dict]  # system -> its file's data
    jurisdictions: dict[str, dict]  # code -> its file's data
    folder: Path
    _facts: dict = field(default_factory=dict, compare=False, repr=False)  # code -> LawFacts, made once

    def facts(self, code: str) -> LawFacts:
        if code not in self._facts:
            self._facts[code] = _facts_for(self, code)
        return self._facts[code]

    def check_all(self) -> None:
        """Every jurisdiction slagen knows, checked against its system (slagen library check)."""
        for code in jurisdictions.known_codes():
            self.facts(code)

    def own_words(self, code: str) -> dict[str, tuple[str, ...]]:
        """{owner: words}: the words of ``code``'s system and of ``code`` itself, which it may use."""
        system = self._system_of(code)
        return {system: tuple(self.systems[system].get("words") or ()),
                code: tuple(self.jurisdictions.get(code, {}).get("words") or ())}

    def foreign_words(self, code: str) -> dict[str, tuple[str, ...]]:
        """{owner: words}: every other system's and jurisdiction's words that ``code`` does not own too."""
        own = {w.lower() for words in self.own_words(code).values() for w in words}
        system = self._system_of(code)
        out: dict[str, tuple[str, ...]] = {}
        owners = [(s, data) for s, data in self.systems.items() if s != system]
        owners += [(c, data) for c, data in self.jurisdictions.items() if c != code]
        for owner, data in owners:
            words = tuple(w for w in (data.get("words") or ()) if w.lower() not in own)
            if words:
                out[owner] = words
        return out

    def _system_of(self, code: str) -> str:
        data = self.jurisdictions.get(code)
        if data is not None:
            return data["system"]
        place = jurisdictions.find(code)
        return {"US": "us", "IE": "ie"}.get(place.country if place else "", "uk")


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _facts_for(book: LawBook, code: str) -> LawFacts:
    system = book._system_of(code)
    if system not in book.systems:
        raise LawError(f"{book.folder / 'systems' / (system + '.yaml')}: error: the library has no law file "
                       f"for the {system.upper()} legal system, which {code} needs")
    own = {k: v for k, v in book.jurisdictions.get(code, {}).items() if k != "words"}
    data = _merge({k: v for k, v in book.systems[system].items() if k != "words"}, own)
    data["words"] = list(book.systems[system].get("words") or ()) + list(
        book.jurisdictions.get(code, {}).get("words") or ())
    where = book.folder / "jurisdictions" / f"{code}.yaml" if code in book.jurisdictions else \
        book.folder / "systems" / f"{system}.yaml"
    try:
        return LawFacts.model_validate(data)
    except ValidationError as exc:
        raise LawError("\n".join(f"{where}: error: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                                 for e in exc.errors())) from None


def _read(file: Path) -> dict:
    from ruamel.yaml.error import YAMLError

    from slagen.source.yaml_positions import load_plain_yaml

    from slagen.source.bounded import TooLarge, read_bounded

    try:
        text = read_bounded(file, LAW_FILE_LIMIT).decode("utf-8")
        data = load_plain_yaml(text)
    except TooLarge:
        raise LawError(f"{file}: error: the law file is larger than {LAW_FILE_LIMIT // 1024} KB") from None
    except UnicodeDecodeError:
        raise LawError(f"{file}: error: the law file is not UTF-8 text") from None
    except YAMLError as exc:
        raise LawError(f"{file}: error: the law file is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise LawError(f"{file}: error: a law file is a mapping of facts")
    if data.get("system") not in SYSTEMS:
        raise LawError(f"{file}: error: 'system' must be one of {', '.join(SYSTEMS)}")
    words = data.get("words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise LawError(f"{file}: error: 'words' is a list of words or phrases")
    return data


def load_law(folder: Path) -> LawBook:
    """The law files in ``folder`` (a library's law/), each jurisdiction checked against its system."""
    return _load(folder, _state(folder))


# How long a law folder's list of files, sizes and times is trusted before it is read again. The
# check asks for the law on every text (SLA950, SLA951), and reading the folder is some ninety
# system calls; in a server with many requests at once each call also waits for the interpreter's
# lock again, which made the folder a sixth of a busy server's time. An edited law file still
# shows within this time.
STATE_SECONDS = 1.0
_STATES: dict[Path, tuple[float, tuple]] = {}


def _state(folder: Path) -> tuple:
    now = time.monotonic()
    kept = _STATES.get(folder)
    if kept is not None and now - kept[0] < STATE_SECONDS:
        return kept[1]
    state = tuple((str(f), stat.st_size, stat.st_mtime_ns)
                  for f in sorted(folder.glob("*/*.yaml")) for stat in (f.stat(),))
    if len(_STATES) > 64:  # one per library folder; tests make many
        _STATES.clear()
    _STATES[folder] = (now, state)
    return state


@lru_cache(maxsize=8)
def _load(folder: Path, _state: tuple) -> LawBook:
    if not (folder / "systems").is_dir():
        raise LawError(f"{folder}: error: the library's law folder has no systems/ folder")
    systems, places = {}, {}
    for file in sorted((folder / "systems").glob("*.yaml")):
        data = _read(file)
        if file.stem != data["system"]:
            raise LawError(f"{file}: error: the file of the '{data['system']}' system must be called "
                           f"{data['system']}.yaml")
        systems[file.stem] = data
    for file in sorted((folder / "jurisdictions").glob("*.yaml")) if (folder / "jurisdictions").is_dir() else ():
        place = jurisdictions.by_code(file.stem)
        if place is None:
            raise LawError(f"{file}: error: '{file.stem}' is not a jurisdiction slagen knows: name the file "
                           f"by its code ({jurisdictions.describe_known()})")
        data = _read(file)
        expected = {"US": "us", "IE": "ie"}.get(place.country, "uk")
        if data["system"] != expected:
            raise LawError(f"{file}: error: {place.short_name} is under the '{expected}' system, not "
                           f"'{data['system']}'")
        places[place.code] = data
    book = LawBook(systems, places, folder)
    for code in places:
        book.facts(code)  # each jurisdiction's own file checked when the library loads
    return book


def law_for(book: LawBook, place: jurisdictions.Jurisdiction, *, venue_county: str | None = None) -> Law:
    """The law of ``place`` as a clause reads it, with the venue worked out for a US state."""
    facts = book.facts(place.code)
    return Law(code=place.code, name=place.name, short_name=place.short_name, country=place.country,
               system=facts.system, courts=_courts(facts, place, venue_county),
               business_day=f"a day other than a Saturday, a Sunday or {facts.business_day.phrase}", facts=facts)


def _courts(facts: LawFacts, place: jurisdictions.Jurisdiction, county: str | None) -> str:
    if facts.venue.courts:
        return facts.venue.courts
    state = place.short_name
    if county:
        district = facts.venue.federal_district or facts.venue.county_districts.get(county)
        federal = (f"the United States District Court for the {district}" if district else
                   f"the United States District Court for the district that includes {county}")
        return f"the state courts located in {county}, {state}, and {federal}"
    # No county named: the county of the Provider's principal office in the state, which needs no
    # question at drafting time and is where a provider would sue; agreement.venue_county names another.
    district = (f"the United States District Court for the {facts.venue.federal_district}"
                if facts.venue.federal_district else
                "the United States District Court for the district that includes that county")
    return f"the state courts located in the county where the Provider has its principal office in {state}, and {district}"
