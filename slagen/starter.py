"""The commented starter contract that `slagen init` writes, for a package, a jurisdiction and a locale.

One commented frame is kept (slagen/data/starter.yaml, written for England and Wales): the parties,
the law, the term, problem reporting and the protective terms. The service itself (services,
support hours, priorities, availability, estate, staffing) comes from a starter package of the
library (:mod:`slagen.starter_packages`), whose sections are put where the frame's
``# @package-sections`` line stands. The values that differ by jurisdiction (law, currency,
locale, time zone, holidays, the look of names, addresses and phone numbers) are put into it line
by line, so every starter keeps the same comments and the same shape, and a test renders each one.
"""

from __future__ import annotations

import re
from importlib.resources import files

from slagen.errors import SlagenError, UsageError
from slagen.model import jurisdiction as jurisdictions

# The time zone most of each state's people live in; a starter is a starting point.
_STATE_ZONES = {
    **dict.fromkeys("CT DE DC FL GA IN KY ME MD MA MI NH NJ NY NC OH PA RI SC VT VA WV".split(),
                    "America/New_York"),
    **dict.fromkeys("AL AR IL IA KS LA MN MS MO NE ND OK SD TN TX WI".split(), "America/Chicago"),
    **dict.fromkeys("CO ID MT NM UT WY".split(), "America/Denver"),
    "AZ": "America/Phoenix", "CA": "America/Los_Angeles", "NV": "America/Los_Angeles",
    "OR": "America/Los_Angeles", "WA": "America/Los_Angeles", "AK": "America/Anchorage",
    "HI": "Pacific/Honolulu",
}

_UK_LINES = {  # the lines of starter.yaml that a US or Irish starter changes
    "governing_law": "  governing_law: England and Wales",
    "currency": "  currency: GBP                 # ISO 4217",
    "locale": "  locale: en_GB                 # how dates and money are written",
    "timezone": "  timezone: Europe/London       # an IANA time zone",
    "holidays": "  holidays: {country: GB, subdivision: ENG}",
    "provider": "  name: Your Company Ltd",
    "provider_address": "  address: 1 High Street, Anytown AN1 1AA",
    "customer": "  name: Customer Ltd",
    "customer_address": "  address: 2 Market Street, Anytown AN1 2BB",
    "phone": '    - {type: phone, address: "+44 1234 567890", priorities: [P1]}',
}


def jurisdiction_settings(place: jurisdictions.Jurisdiction) -> dict[str, str]:
    """The values a contract under ``place`` starts with: currency, locale, time zone, holidays."""
    if place.country == "US":
        zone = _STATE_ZONES[place.code.removeprefix("US-")]
        return {"currency": "USD", "locale": "en_US", "timezone": zone, "holiday_country": "US",
                "holiday_subdivision": ""}
    if place.country == "IE":
        return {"currency": "EUR", "locale": "en_IE", "timezone": "Europe/Dublin", "holiday_country": "IE",
                "holiday_subdivision": ""}
    subdivision = {"GB-EAW": "ENG", "GB-SCT": "SCT", "GB-NIR": "NIR"}[place.code]
    return {"currency": "GBP", "locale": "en_GB", "timezone": "Europe/London", "holiday_country": "GB",
            "holiday_subdivision": subdivision}


def _values(place: jurisdictions.Jurisdiction) -> dict[str, str]:
    """The frame's lines that differ under ``place``, by their key in _UK_LINES."""
    settings = jurisdiction_settings(place)
    lines = {
        "governing_law": f"  governing_law: {place.short_name}",
        "currency": f"  currency: {settings['currency']}                 # ISO 4217",
        "locale": f"  locale: {settings['locale']}                 # how dates and money are written",
        "timezone": f"  timezone: {settings['timezone']:<20}# an IANA time zone",
    }
    if settings["holiday_subdivision"]:
        lines["holidays"] = (f"  holidays: {{country: {settings['holiday_country']}, "
                             f"subdivision: {settings['holiday_subdivision']}}}")
    elif place.country == "US":
        lines["holidays"] = "  holidays: {country: US}      # the federal holidays; add subdivision: for the state's own"
    else:
        lines["holidays"] = f"  holidays: {{country: {settings['holiday_country']}}}"
    if place.country == "US":
        state = place.code.removeprefix("US-")
        lines.update({
            "provider": "  name: Your Company LLC",
            "provider_address": f"  address: 100 Main Street, Anytown, {state} 00000",
            "customer": "  name: Customer Inc.",
            "customer_address": f"  address: 200 Market Street, Anytown, {state} 00000",
            "phone": '    - {type: phone, address: "+1 555 555 0100", priorities: [P1]}',
        })
    elif place.country == "IE":
        lines["phone"] = '    - {type: phone, address: "+353 1 555 0100", priorities: [P1]}'
    return lines


PACKAGE_MARK = "# @package-sections\n"
_PHONE_PRIORITIES = "priorities: [P1]}"  # the frame's phone channel takes the package's highest priority


def starter_text(jurisdiction: str | None = None, locale: str | None = None, package=None) -> str:
    """The starter, for ``jurisdiction`` (a code or name; England and Wales when None) and
    ``package`` (a StarterPackage; the packaged default library's first one when None)."""
    if package is None:
        from slagen.library_source import default_library
        from slagen.starter_packages import find_package

        package = find_package(default_library(), None)
    text = files("slagen").joinpath("data/starter.yaml").read_text(encoding="utf-8")
    values = dict(_UK_LINES)
    if jurisdiction is not None:
        place = jurisdictions.find(jurisdiction)
        if place is None:
            raise UsageError(f"error: '{jurisdiction}' is not a jurisdiction slagen knows: "
                             f"use {jurisdictions.describe_known()}")
        values.update(_values(place))
        for key, line in values.items():
            text = text.replace(_UK_LINES[key], line, 1)
        text = text.replace("  currency:", f"  jurisdiction: {place.code}\n  currency:", 1)
    text = _with_package(text, package, values)
    if locale is not None:
        _check_locale(locale)
        text = _replace_locale(text, locale)
    return text


def _with_package(text: str, package, values: dict[str, str]) -> str:
    """The frame with the package's sections in place, and its support hours kept in the
    jurisdiction's time zone and holidays."""
    import json

    blocks = []
    for key, block in package.sections:
        if key == "support_hours":
            block = (f"support_hours:\n{values['timezone']}\n{block}{values['holidays']}\n"
                     "  extra_closures: []            # further closed dates, YYYY-MM-DD\n")
        blocks.append(block)
    sections = "\n".join(blocks)
    first = package.first_priority
    if not re.fullmatch(r"[A-Za-z0-9_-]+", first):
        first = json.dumps(first)  # quoted, so an id such as 'P1: now' stays one value
    about = (f"# Starter package: {package.name} ({package.id}). {package.description}\n"
             if package.description else f"# Starter package: {package.name} ({package.id})\n")
    if PACKAGE_MARK not in text:  # an installation whose frame lost its mark: said plainly, not a traceback
        raise SlagenError("error: this installation's starter (slagen/data/starter.yaml) has no "
                          "'# @package-sections' line; reinstall slagen")
    text = text.replace(PACKAGE_MARK, sections, 1).replace(_PHONE_PRIORITIES, f"priorities: [{first}]}}", 1)
    return text.replace("slagen: 1 ", about + "slagen: 1 ", 1)


def _check_locale(locale: str) -> None:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(locale)
    except (ValueError, UnknownLocaleError):
        raise UsageError(f"error: '{locale}' is not a locale: use a code such as en_GB, en_US or de_DE") from None


def _replace_locale(text: str, locale: str) -> str:
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith("  locale: "):
            lines[index] = f"  locale: {locale}                 # how dates and money are written\n"
            break
    return "".join(lines)
