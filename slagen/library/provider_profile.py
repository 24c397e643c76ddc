"""The provider's own details, kept once in the library: ``contract_templates/provider.yaml``.

    name: Lone Star Managed IT LLC      # your legal name, as contracts name you
    address: 500 Congress Ave, Austin, TX 78701
    company_number: ""                  # a registration number, if your contracts print one
    contact: {name: Dana Reyes, email: contracts@lonestar.example, phone: "", role: Director}
    staffing:                           # the team a customer gets when the starter package names none
      technicians: {tier1: 2, tier2: 1, tier3: 0}
      on_call_out_of_hours: false

Every value may be left empty; the workspace's new-contract form starts with what is filled in
(so nobody types the company's own address for every customer), and the starter package's
staffing wins over this one. The values are checked by the contract format's own types (an
email is an email, technicians are a whole number in range); a mistake is reported at its line
and column, by ``slagen library check`` and when the workspace starts with the library.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError

from slagen.errors import InvalidInput, Problem
from slagen.model.base import Section
from slagen.model.estate import Technicians

FILE_NAME = "provider.yaml"
MAX_BYTES = 100_000  # a few lines of details; a large file is the wrong file

ProfileText = Annotated[str, Field(max_length=500)]


class ProfileContact(Section):
    name: ProfileText = ""
    email: Annotated[str, Field(max_length=200, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")] = ""
    phone: ProfileText = ""
    role: ProfileText = ""


class ProfileStaffing(Section):
    technicians: Technicians = Field(default_factory=Technicians)
    on_call_out_of_hours: bool = False


class ProviderProfile(Section):
    """The provider as every new contract starts with it; empty values are simply not filled in."""

    name: ProfileText = ""
    address: ProfileText = ""
    company_number: ProfileText = ""
    contact: ProfileContact = Field(default_factory=ProfileContact)
    staffing: ProfileStaffing | None = None

    @property
    def empty(self) -> bool:
        return self == ProviderProfile()


def profile_file(template_dir: Path) -> Path:
    return Path(template_dir) / FILE_NAME


def _blank(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def load_provider_profile(template_dir: Path) -> ProviderProfile:
    """The library's provider profile; an empty one when the library has no provider.yaml (a
    library made before it existed) or only comments in it. Raises InvalidInput at the line."""
    from slagen.model.plain_errors import problems_from_validation
    from slagen.source.yaml_positions import read_yaml

    path = profile_file(template_dir)
    if not path.is_file():
        return ProviderProfile()
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(name, [Problem(name, 1, 1, "", f"cannot read the provider profile: "
                                                           f"{exc.strerror or exc}")]) from None
    if len(raw) > MAX_BYTES:
        raise InvalidInput(name, [Problem(name, 1, 1, "", f"the provider profile is larger than "
                                                           f"{MAX_BYTES // 1000} KB; is it the right file?")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None  # read_yaml says where
    if text is not None and _blank(text):
        return ProviderProfile()
    doc = read_yaml(name, raw)
    if not isinstance(doc.data, dict):
        raise InvalidInput(name, [Problem(name, 1, 1, "", "the provider profile is a set of keys such as "
                                                           "'name:' and 'address:'")])
    data = {k: ("" if v is None and k in ("name", "address", "company_number") else v) for k, v in doc.data.items()}
    if isinstance(data.get("contact"), dict):
        data["contact"] = {k: "" if v is None else v for k, v in data["contact"].items()}
    try:
        return ProviderProfile.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(name, problems_from_validation(exc, doc, ProviderProfile)) from None


def profile_problems(template_dir: Path) -> list[Problem]:
    """The profile's mistakes, for ``slagen library check``."""
    try:
        load_provider_profile(template_dir)
    except InvalidInput as exc:
        return list(exc.problems)
    return []


__all__ = ["ProviderProfile", "load_provider_profile", "profile_problems", "FILE_NAME"]
