"""Starter packages: the service a provider sells, as library content.

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
(:mod:`slagen.starter`), which supplies the parties, the law, the term and the protective terms.
The sections are copied as text, so the package's comments reach the contract too; that is why
``contract:`` and ``support_hours:`` must be written as blocks, one key per line.

A package is checked when it is read: its own shape here, and the contract it makes through the
engine's loader, with every mistake reported at the package file's line and column.

The packages a command offers are those of the resolved library
(:func:`slagen.library_source.resolve_library`), in file-name order; the first one is what
``slagen init`` uses without ``--package``. A library without a ``starters/`` folder (one made
before packages existed) offers the packaged default's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from slagen.errors import InvalidInput, Problem, UsageError

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
    from slagen.library_source import default_library

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
    from slagen.yaml_source import read_source_bytes, read_yaml

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
    from slagen.load import contract_from_source
    from slagen.starter import starter_text
    from slagen.yaml_source import read_yaml

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
