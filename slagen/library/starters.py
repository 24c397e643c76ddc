"""Starter contracts: the service a provider sells (packages, library content) and the commented
contract `slagen init` and the workspace's form write from one.

## The starter frame

The commented starter contract that `slagen init` writes, for a package, a jurisdiction and a locale.

One commented frame is kept (slagen/data/starter.yaml, written for England and Wales): the parties,
the law, the term, problem reporting and the protective terms. The service itself (services,
support hours, priorities, availability, estate, staffing) comes from a starter package of the
library (below), whose sections are put where the frame's
``# @package-sections`` line stands. The values that differ by jurisdiction (law, currency,
locale, time zone, holidays, the look of names, addresses and phone numbers) are put into it line
by line, so every starter keeps the same comments and the same shape, and a test renders each one.

## Starter packages

A package is one YAML file in a library's ``starters/`` folder::

    name: Business hours essentials              # shown in `slagen library` and the form
    description: Helpdesk and email, Monday to Friday 09:00-17:30.   # one line
    contract:                                    # the contract sections the package sets
      services: [...]
      support_hours:
        weekly: {...}                            # the time zone and holidays follow the jurisdiction
      priorities: [...]
      availability: {...}                        # and clock_pauses, infrastructure, staffing ...

``slagen init --package ID`` and the workspace's form put the sections into the starter contract
(above), which supplies the parties, the law, the term and the protective terms.
The sections are copied as text, so the package's comments reach the contract too; that is why
``contract:`` and ``support_hours:`` must be written as blocks, one key per line.

A package is checked when it is read: its own shape here, and the contract it makes through the
engine's loader, with every mistake reported at the package file's line and column.

The packages a command offers are those of the resolved library
(:func:`slagen.library.folder.resolve_library`), in file-name order; the first one is what
``slagen init`` uses without ``--package``. A library without a ``starters/`` folder (one made
before packages existed) offers the packaged default's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from slagen.errors import InvalidInput, Problem, SlagenError, UsageError
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
        # The federal holidays: a state's list (subdivision:) adds days only state offices close on.
        lines["holidays"] = "  holidays: {country: US}      # the federal holidays, as US businesses keep them"
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
        from slagen.library.folder import default_library

        package = find_package(default_library(), None)
    text = files("slagen").joinpath("data/starter.yaml").read_text(encoding="utf-8")
    values = dict(_UK_LINES)
    if jurisdiction is not None:
        place = jurisdictions.find(jurisdiction)
        if place is None:
            raise UsageError(f"error: {jurisdictions.refusal(jurisdiction)}")
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



# --------------------------------------------------------------------------------------------
# Starter packages

# The sections of a contract that describe the service on offer. Parties, law, term, fees and the
# protective terms are the contract's own business: the starter, the form or the user write them.
PACKAGE_SECTIONS = ("services", "support_hours", "priorities", "clock_pauses", "availability", "infrastructure",
                    "staffing", "exclusions", "customer_responsibilities", "support_constraints")
REQUIRED_SECTIONS = ("services", "support_hours", "priorities")
_TOP_KEYS = ("name", "description", "contract")
_BLOCK_KEY = re.compile(r"^\s*[\w-]+\s*:\s*(#.*)?$")  # `key:` alone on its line (a block follows)
_PATH_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


@dataclass(frozen=True)
class StarterPackage:
    id: str  # the file name without .yaml: what --package and the form's select use
    name: str
    description: str
    file: str
    data: dict  # the contract sections, as plain data (the form is prefilled from them)
    # (section, its YAML text at the top level) in the file's order; for support_hours, only the
    # lines under 'support_hours:' (the starter adds the jurisdiction's time zone and holidays)
    sections: tuple[tuple[str, str], ...]

    @property
    def first_priority(self) -> str:
        return str(self.data["priorities"][0]["id"])


# --------------------------------------------------------------------------------------------
# Which packages a library offers


def starter_folder(library) -> Path:
    """The folder of ``library``'s packages (the packaged default's when it has none)."""
    from slagen.library.folder import default_library

    return library.starter_dir if library.starter_dir is not None else default_library().starter_dir


def library_packages(library) -> list[StarterPackage]:
    """Every package of ``library``, in file-name order; raises InvalidInput for a broken one."""
    packages, broken = packages_and_problems(library)
    if broken:
        raise broken[0]
    return packages


def packages_and_problems(library) -> tuple[list[StarterPackage], list[InvalidInput]]:
    """The packages that can be used, and the mistakes of those that cannot (the workspace's form
    offers the good ones and shows the mistakes, so one broken file does not close it)."""
    folder = starter_folder(library)
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    state = tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files)
    read = _read_all(state)
    return ([r for r in read if isinstance(r, StarterPackage)], [r for r in read if isinstance(r, InvalidInput)])


@lru_cache(maxsize=8)
def _read_all(state: tuple) -> tuple[StarterPackage | InvalidInput, ...]:
    # Keyed by the files' sizes and times: the workspace reads the packages on every form page.
    out = []
    for name, _, _ in state:
        try:
            out.append(read_package(name))
        except InvalidInput as exc:
            out.append(exc)
    return tuple(out)


def find_package(library, wanted: str | None) -> StarterPackage:
    """The package ``wanted`` names (its id or its name, in any case); the first one when None."""
    packages = library_packages(library)
    if not packages:
        raise UsageError(f"error: the library '{library.name}' has no starter packages: add one to "
                         f"{starter_folder(library)}")
    if wanted is None:
        return packages[0]
    key = wanted.strip().casefold()
    for package in packages:
        if key in (package.id.casefold(), package.name.casefold()):
            return package
    choices = ", ".join(f"{p.id} ({p.name})" for p in packages)
    raise UsageError(f"error: '{wanted}' is not a starter package of {library.name}: use {choices}")


# --------------------------------------------------------------------------------------------
# Reading one package file


def read_package(path: str | Path) -> StarterPackage:
    """The package in ``path``, checked: its shape, then the contract it makes."""
    from slagen.source.yaml_positions import read_source_bytes, read_yaml

    file = Path(path)
    raw = read_source_bytes(file)
    try:
        doc = read_yaml(file, raw)
    except InvalidInput as exc:
        raise InvalidInput(exc.file, [_in_package_words(p) for p in exc.problems]) from None
    text = raw.decode("utf-8-sig")  # read_yaml has checked it is UTF-8 text
    problems = _shape_problems(doc, text.splitlines())
    if problems:
        raise InvalidInput(doc.file, sorted(problems, key=lambda p: (p.line, p.column)))
    data = doc.data["contract"]
    package = StarterPackage(file.stem, doc.data["name"].strip(), doc.data["description"].strip(), doc.file,
                             data, _section_texts(doc, text.splitlines()))
    _check_the_contract_it_makes(package, doc)
    return package


def _in_package_words(problem: Problem) -> Problem:
    """The YAML reader speaks of contracts; an empty or list-shaped package file is told what a
    package holds instead."""
    if problem.message.startswith(("the file is empty", "the file holds")):
        what = "is empty" if problem.message.startswith("the file is empty") else problem.message.split(";")[0][9:]
        message = (f"the file {what}: a starter package is a set of keys: name, description, and "
                   "contract with the sections it sets")
        return Problem(problem.file, problem.line, problem.column, problem.path, message)
    return problem


def _shape_problems(doc, lines: list[str]) -> list[Problem]:
    data = doc.data
    out = [doc.problem((key,), f"unknown key '{key}': a starter package has {', '.join(_TOP_KEYS)}", key=True)
           for key in data if key not in _TOP_KEYS]
    for key, what in (("name", "a short name, such as Business hours essentials"),
                      ("description", "a sentence saying what the package offers")):
        value = data.get(key)
        if key not in data:
            out.append(doc.problem((), f"the package needs a '{key}': {what}"))
        elif not isinstance(value, str) or len(value.strip().splitlines()) != 1:
            out.append(doc.problem((key,), f"'{key}' must be {what}, on one line"))
    contract = data.get("contract")
    if "contract" not in data:
        out.append(doc.problem((), "the package needs a 'contract' block with the sections it sets "
                                   f"({', '.join(REQUIRED_SECTIONS)} at least)"))
        return out
    if not isinstance(contract, dict) or not _is_block(doc, lines, ("contract",)):
        out.append(doc.problem(("contract",), "write 'contract:' on a line of its own, with each section "
                                              "indented below it, as the default packages do", key=True))
        return out
    for key in contract:
        if key not in PACKAGE_SECTIONS:
            out.append(doc.problem(("contract", key), f"a starter package cannot set '{key}': it sets only "
                                   f"{', '.join(PACKAGE_SECTIONS)}", key=True))
    for key in REQUIRED_SECTIONS:
        if key not in contract:
            out.append(doc.problem(("contract",), f"the package needs the section '{key}'", key=True))
    hours = contract.get("support_hours")
    if "support_hours" in contract:
        if not isinstance(hours, dict) or not _is_block(doc, lines, ("contract", "support_hours")):
            out.append(doc.problem(("contract", "support_hours"), "write 'support_hours:' on a line of its "
                                   "own, with 'weekly:' indented below it", key=True))
        else:
            for key in hours:
                if key != "weekly":
                    out.append(doc.problem(("contract", "support_hours", key), f"a package sets only the weekly "
                                           f"hours; '{key}' follows the contract's jurisdiction", key=True))
            if "weekly" not in hours:
                out.append(doc.problem(("contract", "support_hours"), "support_hours needs 'weekly': the open "
                                       "hours by day, or 24x7", key=True))
    priorities = contract.get("priorities")
    if "priorities" in contract and not isinstance(priorities, list):
        out.append(doc.problem(("contract", "priorities"), "priorities must be a list, highest first, each "
                               "item starting with '- '"))
    elif isinstance(priorities, list) and not priorities:
        out.append(doc.problem(("contract", "priorities"), "list at least one priority"))
    elif isinstance(priorities, list) and not isinstance(priorities[0], dict):
        out.append(doc.problem(("contract", "priorities", 0), "each priority is a set of keys: id, name, "
                               "definition, response, resolution, clock"))
    return out


def _is_block(doc, lines: list[str], loc: tuple) -> bool:
    line, _ = doc.key_at.get(loc, (0, 0))
    return bool(line) and bool(_BLOCK_KEY.match(lines[line - 1]))


def _section_texts(doc, lines: list[str]) -> tuple[tuple[str, str], ...]:
    """Each section's text, copied from the file (comments and all) and moved to the top level."""
    sections = sorted(((doc.key_at[("contract", key)], key) for key in doc.data["contract"]))
    contract_line = doc.key_at[("contract",)][0]
    after = [position[0] for (key,), position in _top_keys(doc) if position[0] > contract_line]
    end = min(after) - 1 if after else len(lines)
    out = []
    for index, ((line, column), key) in enumerate(sections):
        stop = sections[index + 1][0][0] - 1 if index + 1 < len(sections) else end
        block = _dedent(lines[line - 1: stop], column - 1)
        if key == "support_hours":
            block = block[1:]  # the lines under 'support_hours:'
        out.append((key, "\n".join(block) + "\n"))
    return tuple(out)


def _top_keys(doc):
    return [(loc, position) for loc, position in doc.key_at.items() if len(loc) == 1]


def _dedent(block: list[str], indent: int) -> list[str]:
    out = []
    for line in block:
        if line.startswith(" " * indent):
            out.append(line[indent:])
        else:  # a blank line, or a comment written further left
            out.append(line.strip())
    while out and not out[-1]:
        out.pop()
    return out


def _check_the_contract_it_makes(package: StarterPackage, doc) -> None:
    """Load the contract the package makes; report its mistakes at the package's own lines."""
    from slagen.library.contracts import contract_from_source
    from slagen.source.yaml_positions import read_yaml

    made = starter_text(package=package)
    try:
        contract_from_source(read_yaml(f"<the contract {package.id} makes>", made))
    except InvalidInput as exc:
        located = [_located(doc, problem) for problem in exc.problems]
        raise InvalidInput(doc.file, sorted(located, key=lambda p: (p.line, p.column))) from None


def _located(doc, problem: Problem) -> Problem:
    loc = tuple(int(index) if index else key for index, key in _PATH_PART.findall(problem.path))
    if loc and loc[0] in doc.data["contract"]:
        return doc.problem(("contract",) + loc, problem.message)
    # A mistake outside the package's sections (a channel naming a priority the package lacks):
    # the package caused it, so it is reported there, saying where in the contract it shows.
    line, column = doc.key_at[("contract",)]
    return Problem(doc.file, line, column, "", f"{problem.message} (in the contract the package makes, at "
                                               f"{problem.path or 'its top'})")


def plain(value: Any) -> str:
    """A value of a package as the form shows it: '' for none, 99.5% as written."""
    return "" if value is None else str(value)
