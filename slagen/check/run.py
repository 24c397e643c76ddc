"""Apply every registered rule to one contract."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slagen.check.finding import Finding
from slagen.check.registry import all_rules
from slagen.check.worst_case import Context

if TYPE_CHECKING:
    from pathlib import Path

    from slagen.source.yaml_positions import YamlSource
    from slagen.model import Contract


def check_contract(contract: "Contract", doc: "YamlSource", *, clause_dir: "Path | None" = None) -> list[Finding]:
    """Every finding for ``contract``, errors first, then by line in the file. The wording rules read
    the clauses in ``clause_dir`` (the contract's library; default: the packaged one)."""
    from slagen.source.yaml_positions import format_path

    context = Context(contract, doc, clause_dir)
    findings = []
    for rule in all_rules():
        for hit in rule.check(context):
            _, (line, column) = doc.position(hit.loc)
            findings.append(Finding(
                rule=rule.id,
                severity=hit.severity or rule.severity,
                path=format_path(hit.loc),
                line=line,
                column=column,
                message=hit.message,
                why=rule.why,
                fix=hit.fix or rule.fix,
            ))
    return sorted(findings, key=Finding.sort_key)


def check_file(path, library_dir=None) -> tuple[list[Finding], "YamlSource"]:
    """Load and check one file, its wording read in the library a render of it would use
    (``--library``, SLAGEN_LIBRARY, a slagen.toml beside it, or the packaged default). Raises
    InvalidInput when the file is not a valid contract."""
    from slagen.library.folder import resolve_library
    from slagen.library.contracts import load_with_positions

    contract, doc = load_with_positions(path)
    return check_contract(contract, doc, clause_dir=resolve_library(path, library_dir).clause_dir), doc


def summary(findings: list[Finding]) -> dict[str, int]:
    return {
        "errors": sum(f.severity == "error" for f in findings),
        "warnings": sum(f.severity == "warning" for f in findings),
        "infos": sum(f.severity == "info" for f in findings),
    }
