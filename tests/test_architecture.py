"""The package's architecture as a specification: the layers hold, nothing imports in a circle,
and the top of slagen/ keeps only the few modules every layer shares (docs/architecture.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_linter_contracts_hold():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    run = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def _cycle_from(graph, start: str) -> list[str] | None:
    """A path of imports that leads from ``start`` back to it, or None (plain depth-first search)."""
    stack = [(start, [start])]
    seen = set()
    while stack:
        module, path = stack.pop()
        for imported in graph.find_modules_directly_imported_by(module):
            if imported == start:
                return path + [start]
            if imported not in seen:
                seen.add(imported)
                stack.append((imported, path + [imported]))
    return None


def test_no_module_imports_itself_through_others():
    graph = grimp.build_graph("slagen")  # lazy imports inside functions count too
    circles = [c for m in sorted(graph.modules) if (c := _cycle_from(graph, m))]
    assert circles == [], "import circles: " + "; ".join(" -> ".join(c) for c in circles[:5])


def test_the_top_of_the_package_holds_at_most_eight_loose_modules():
    loose = sorted(p.name for p in (ROOT / "slagen").glob("*.py"))
    assert len(loose) <= 8, loose
    assert {"errors.py", "document.py"} <= set(loose)


def test_the_loader_does_not_reach_into_composition():
    graph = grimp.build_graph("slagen")
    reached = graph.find_upstream_modules("slagen.library.contracts")  # what it imports, at any depth
    assert not [m for m in reached if m.startswith(("slagen.compose", "slagen.check", "slagen.writers"))]
