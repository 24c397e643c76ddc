"""Feasibility checks: which promises in a contract the customer's estate, staffing and wording
cannot keep. ``check_contract`` applies every rule in the registry; see docs/rules.md."""

from slagen.check.finding import Finding
from slagen.check.run import check_contract, check_file, summary

__all__ = ["Finding", "check_contract", "check_file", "summary"]
