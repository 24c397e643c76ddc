"""Contract files -> validated Contracts, with every mistake at its file, line and column.

The steps run one way, each in its own layer: :mod:`slagen.source.yaml_positions` reads the YAML
with positions; pydantic validates the plain data against :mod:`slagen.model` and
:mod:`slagen.model.plain_errors` words its errors for people; ``reference_problems`` and
``combined_limit_problems`` check what points at what (dependencies, priorities, unique ids);
then, as a step after loading, :mod:`slagen.library.clause_changes` checks the contract's
``clauses:`` changes against the library's outlines and clause ids.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ValidationError

from slagen.errors import InvalidInput
from slagen.model.plain_errors import problems_from_validation
from slagen.source.yaml_positions import YamlSource, read_yaml


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
    from slagen.library.clause_changes import override_problems
    from slagen.model.combined_limits import combined_limit_problems

    found = reference_problems(contract) + combined_limit_problems(contract) + override_problems(contract.clauses)
    problems = [doc.problem(loc, message) for loc, message in found]
    if problems:
        raise InvalidInput(doc.file, sorted(problems, key=lambda p: (p.line, p.column)))
    return contract
