"""The contract format: one pydantic model per section, the single source of truth."""

from slagen.model.contract import FORMAT_VERSION, Contract, reference_problems

__all__ = ["Contract", "FORMAT_VERSION", "reference_problems"]
