"""Contract files -> validated Contracts, with every mistake at its file, line and column.

``yaml_source`` reads the YAML with positions, pydantic validates the plain data,
``plain_errors`` words its errors for people, and ``reference_problems`` checks what points at
what (dependencies, priorities, unique ids).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ValidationError

from slagen.errors import InvalidInput
from slagen.plain_errors import problems_from_validation
from slagen.yaml_source import YamlSource, read_yaml


def validate_document(doc: YamlSource, model: type[BaseModel]) -> BaseModel:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise InvalidInput(doc.file, problems_from_validation(exc, doc, model)) from None


def load_contract(path: str | Path, text: str | bytes | None = None):
    """Read and validate one contract file. Raises InvalidInput with every problem found."""
    return load_with_positions(path, text)[0]


def load_with_positions(path: str | Path, text: str | bytes | None = None):
    """The contract and its source positions, for tools that point back at lines (check, review)."""
    doc = read_yaml(path, text)
    return contract_from_source(doc), doc


def contract_from_source(doc: YamlSource):
    """The validated contract in YAML already read (a pipe can be read only once)."""
    from slagen.model import Contract, reference_problems

    contract = validate_document(doc, Contract)
    from slagen.compose.override_rules import override_problems
    from slagen.model.combined_limits import combined_limit_problems

    found = reference_problems(contract) + combined_limit_problems(contract) + override_problems(contract.clauses)
    problems = [doc.problem(loc, message) for loc, message in found]
    if problems:
        raise InvalidInput(doc.file, sorted(problems, key=lambda p: (p.line, p.column)))
    return contract
