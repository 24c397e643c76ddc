"""`slagen library check`: every problem in a provider's library, at its file, line and column.

What a lawyer's edit can break, found before any customer's render:

* a clause's front matter (missing keys, a version that is not semantic, an id that is not the
  file name);
* its template: syntax, names the contract model lacks, unknown filters (the checks the test
  suite runs on the default library, :mod:`slagen.compose.clause_check`);
* dangling references: ``{{ ref("x") }}`` to a clause the library does not have, and outlines
  naming clauses that do not exist or do not belong to that document;
* the house policy, the brand (logo, fonts, colours) and the print styles;
* each starter package (starters/): its shape, and the contract it makes, at the package's lines;
* the provider profile (contract_templates/provider.yaml) the workspace's new-contract form starts with;
* a render of a probe contract (slagen's starter contract, with a statement of work added) through
  both outlines, in DOCX and PDF.

Lines are counted in the clause file, front matter included, so an editor jumps to the mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from slagen.errors import Problem, SlagenError
from slagen.library.folder import Library

_FRONT_KEY = re.compile(r"'(id|title|version|status|documents|when)'|^(id|version|status|document) '")
_QUOTED = re.compile(r"'([^']+)'")
# The starter contract has no statement of work; the probe adds one, so the sow outline renders too.
PROBE_SOW = """
sow:
  reference: PROBE-SOW-1
  onboarding:
    - {milestone: Take over the service desk, due_weeks: 2}
  deliverables:
    - A monthly service report.
  fees:
    monthly: 1000.00
    onboarding: 500.00
    out_of_hours_hourly: 100.00
    payment_terms_days: 30
  assumptions:
    - The probe contract exists only to exercise the library.
  change_control: Scope changes are agreed in writing.
"""


@dataclass(frozen=True)
class LibraryReport:
    library: Library
    clauses: int
    problems: tuple[Problem, ...]


def check_library(library: Library, *, render: bool = True) -> LibraryReport:
    """Every problem in ``library``; an empty tuple means a render cannot fail on the library."""
    from slagen.compose.library import Clause, parse_clause

    problems: list[Problem] = []
    clauses: dict[str, Clause] = {}
    unreadable: set[str] = set()  # clause files with problems of their own: outlines naming them are not wrong
    files = sorted(f for f in library.clause_dir.glob("*.md") if f.name.lower() != "readme.md")
    for file in files:
        source = _read(file, problems)
        if source is None:
            unreadable.add(file.stem)
            continue
        try:
            clause = parse_clause(source, str(file))
        except SlagenError as exc:
            problems.extend(_front_matter_problems(file, source, str(exc)))
            unreadable.add(file.stem)
            continue
        if clause.id != file.stem:
            problems.append(Problem(str(file), *_key_position(source, "id"), "",
                                    f"the clause id '{clause.id}' must match the file name '{file.stem}'"))
        clauses[clause.id] = clause
    for clause in clauses.values():
        problems.extend(_template_problems(clause))
        problems.extend(_dangling_references(clause, clauses, unreadable))
    for kind in ("agreement", "sow"):
        problems.extend(_outline_problems(library, kind, clauses, unreadable))
    problems.extend(_policy_and_style_problems(library))
    problems.extend(_package_problems(library))
    problems.extend(_law_problems(library))

    from slagen.library.provider_profile import profile_problems

    problems.extend(profile_problems(library.template_dir))  # contract_templates/provider.yaml
    if render and not problems:
        problems.extend(_probe_render(library))
    return LibraryReport(library, len(clauses), tuple(problems))


def _read(file: Path, problems: list[Problem]) -> str | None:
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(str(file), 1, 1, "", "the clause file is not UTF-8 text"))
    except OSError as exc:
        problems.append(Problem(str(file), 1, 1, "", f"cannot read the file: {exc.strerror or exc}"))
    return None


def _body_start(clause) -> int:
    """The line of the clause file on which its body (the text after the front matter) starts."""
    match = re.match(r"^---[ \t]*\n.*?\n---[ \t]*\n", clause.source, re.DOTALL)
    return clause.source[: match.end()].count("\n") + 1 if match else 1


def _key_position(source: str, key: str) -> tuple[int, int]:
    match = re.search(rf"^{key}[ \t]*:", source, re.MULTILINE)
    if not match:
        return 1, 1
    return source.count("\n", 0, match.start()) + 1, 1


def _front_matter_problems(file: Path, source: str, message: str) -> list[Problem]:
    out = []
    for line in message.splitlines():
        text = line.split(": error: ", 1)[-1]
        key = _FRONT_KEY.search(text)
        name = next((g for g in key.groups() if g), "") if key else ""
        unknown = re.match(r"unknown front matter keys: ([\w-]+)", text)
        if unknown:
            name = unknown.group(1)
        name = {"document": "documents"}.get(name, name)
        out.append(Problem(str(file), *(_key_position(source, name) if name else (1, 1)), "", text))
    return out


def _column_of(line_text: str, message: str) -> int:
    """The column of the first name the message quotes, on the line it is about."""
    for name in _QUOTED.findall(message):
        at = line_text.find(name)
        if at >= 0:
            return at + 1
    return 1


def _template_problems(clause) -> list[Problem]:
    from slagen.compose.clause_check import check_clause

    lines = clause.source.splitlines()
    first = _body_start(clause)
    out = []
    for problem in check_clause(clause):
        where, _, message = problem.partition(": error: ")
        if where.endswith(": when"):
            line, _ = _key_position(clause.source, "when")
        else:
            match = re.search(r":(\d+)$", where)
            line = first + int(match.group(1)) - 1 if match else first
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        out.append(Problem(clause.path, line, _column_of(text, message), "", message))
    return out


def _dangling_references(clause, clauses: dict, unreadable: set[str] = frozenset()) -> list[Problem]:
    """``ref("x")`` naming a clause that is not in the library, in the body and in every variant.

    A clause file that exists but has problems of its own is reported once, for itself; the
    references to it are not wrong and are not reported again.
    """
    from jinja2 import TemplateSyntaxError, nodes

    from slagen.compose.clause_text import environment

    lines = clause.source.splitlines()
    first = _body_start(clause)
    out = []
    for body, first_line in [(clause.body, 1)] + [(text, line) for _, text, line in clause.variants]:
        try:
            tree = environment().parse(body)
        except TemplateSyntaxError:
            continue  # reported by the template check
        for call in tree.find_all(nodes.Call):
            if not (isinstance(call.node, nodes.Name) and call.node.name == "ref" and call.args):
                continue
            target = call.args[0]
            if (isinstance(target, nodes.Const) and isinstance(target.value, str)
                    and target.value not in clauses and target.value not in unreadable):
                line = first + first_line - 1 + call.lineno - 1
                message = f"ref('{target.value}') names a clause the library does not have"
                text = lines[line - 1] if 0 < line <= len(lines) else ""
                out.append(Problem(clause.path, line, _column_of(text, message), "", message))
    return out


def _outline_problems(library: Library, kind: str, clauses: dict, unreadable: set[str]) -> list[Problem]:
    from slagen.compose.assemble import load_outline

    path = library.template_dir / f"{kind}.yaml"
    try:
        outline = load_outline.__wrapped__(kind, library.template_dir)  # never a cached, older outline
    except SlagenError as exc:
        return [Problem(str(path), 1, 1, "", str(exc).split("error: ", 1)[-1])]
    except Exception as exc:  # the outline is not the YAML slagen expects
        return [Problem(str(path), 1, 1, "", f"the outline cannot be read: {exc}")]
    source = path.read_text(encoding="utf-8").splitlines()
    out = []
    for clause_id in outline.clause_ids():
        line, column = next(((n, text.find(clause_id) + 1) for n, text in enumerate(source, start=1)
                             if re.search(rf"(?<![\w-]){re.escape(clause_id)}(?![\w-])", text)), (1, 1))
        if clause_id in unreadable:
            continue
        if clause_id not in clauses:
            out.append(Problem(str(path), line, column, "",
                               f"the {kind} outline names the clause '{clause_id}', which the library does not have"))
        elif kind not in clauses[clause_id].documents:
            out.append(Problem(str(path), line, column, "",
                               f"the {kind} outline uses '{clause_id}', but that clause's front matter lists only "
                               f"{', '.join(clauses[clause_id].documents)}"))
    return out


def _as_problem(file: Path, message: str) -> Problem:
    """A message 'FILE:LINE:COL: error: ...' or 'FILE: error: ...' as a Problem (``file`` when it names none)."""
    match = re.match(r"^(.*?):(\d+):(\d+): error: (.*)$", message, re.DOTALL)
    if match:
        return Problem(match.group(1), int(match.group(2)), int(match.group(3)), "", match.group(4))
    match = re.match(r"^(.*?): error: (.*)$", message, re.DOTALL)
    if match and Path(match.group(1)).is_file():
        where, text = Path(match.group(1)), match.group(2)
        survivor = re.match(r"'([^']+)' survived rendering", text)
        if survivor and where.suffix == ".md":  # placeholder text left in the clause: find it in the file
            for number, source_line in enumerate(where.read_text(encoding="utf-8").splitlines(), start=1):
                at = source_line.find(survivor.group(1))
                if at >= 0:
                    return Problem(str(where), number, at + 1, "", text)
        return Problem(str(where), 1, 1, "", text)
    return Problem(str(file), 1, 1, "", message.split("error: ", 1)[-1])


def _policy_and_style_problems(library: Library) -> list[Problem]:
    from slagen.review.policy import load_policy

    out = []
    if library.policy_file.is_file():
        try:
            load_policy(library.policy_file)
        except SlagenError as exc:
            out.append(_as_problem(library.policy_file, str(exc)))
    try:
        library.brand()
    except SlagenError as exc:
        out.append(_as_problem(library.brand_file, str(exc)))
    if not library.print_css.is_file():
        out.append(Problem(str(library.print_css), 1, 1, "", "the library has no print styles (print.css)"))
    return out


def _law_problems(library: Library) -> list[Problem]:
    """The library's law data (law/), every jurisdiction slagen knows checked against its system."""
    from slagen.library.law import load_law

    folder = library.law_folder
    try:
        load_law(folder).check_all()
    except SlagenError as exc:
        return [_as_problem(folder, line) for line in str(exc).splitlines() if line.strip()]
    return []


def _package_problems(library: Library) -> list[Problem]:
    """Each starter package of the library's own starters/ folder, read as `slagen init` would."""
    from slagen.errors import InvalidInput
    from slagen.library.starters import read_package

    if library.starter_dir is None:
        return []
    out: list[Problem] = []
    for file in sorted(library.starter_dir.glob("*.yaml")):
        try:
            read_package(file)
        except InvalidInput as exc:
            out.extend(exc.problems)
        except SlagenError as exc:
            out.append(Problem(str(file), 1, 1, "", str(exc).split(": error: ", 1)[-1]))
    return out


def _probe_render(library: Library) -> list[Problem]:
    """slagen's starter contract through every outline, in both formats: the render a customer's would take."""
    from slagen.library.contracts import load_contract
    from slagen.pipeline.render import render_documents
    from slagen.library.starters import starter_text

    contract = load_contract("<probe contract>", starter_text() + PROBE_SOW)
    try:
        render_documents(contract, source=f"{library.template_dir} (probe contract)", library=library)
    except SlagenError as exc:
        return [_as_problem(library.template_dir, line) for line in str(exc).splitlines() if line.strip()]
    return []
