"""docs/format.md, generated from the models so the format's documentation cannot drift.

Run ``python -m slagen.model.format_docs > docs/format.md``; a test fails when the file is stale.
"""

from __future__ import annotations

import typing

from pydantic import BaseModel

from slagen.model.limits import limits_table, number_words
from slagen.model.schema import contract_schema


def _type_words(prop: dict, defs: dict) -> str:
    words = _kind_words(prop, defs)
    if "minimum" in prop and "maximum" in prop:
        words += f", {number_words(prop['minimum'])} to {number_words(prop['maximum'])}"
    if "maxItems" in prop:
        words += f" (at most {prop['maxItems']:,})"
    return words


def _kind_words(prop: dict, defs: dict) -> str:
    if "$ref" in prop:
        return f"[{prop['$ref'].rsplit('/', 1)[-1]}](#{prop['$ref'].rsplit('/', 1)[-1].lower()})"
    if "anyOf" in prop:
        arms = [_type_words(arm, defs) for arm in prop["anyOf"] if arm.get("type") != "null"]
        return " or ".join(dict.fromkeys(arms))
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list of {_type_words(prop.get('items', {}), defs)}"
    if kind == "object":
        extra = prop.get("additionalProperties")
        return f"mapping of {_type_words(extra, defs)}" if isinstance(extra, dict) else "mapping"
    if kind == "string" and "pattern" in prop:
        return "text (pattern)" if "description" not in prop else "text"
    if kind == "string" and prop.get("format") == "date":
        return "date (YYYY-MM-DD)"
    return {"string": "text", "integer": "whole number", "number": "number", "boolean": "true or false"}.get(kind, kind)


def _section(title: str, schema: dict, defs: dict) -> list[str]:
    lines = [f"## {title}", ""]
    if schema.get("description"):
        lines += [schema["description"], ""]
    lines += ["| key | type | required | meaning |", "|---|---|---|---|"]
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        meaning = (prop.get("description") or "").replace("|", "\\|").replace("\n", " ")
        if prop.get("default") not in (None, [], {}):  # an optional key's value when left out
            default = prop["default"]
            shown = str(default).lower() if isinstance(default, bool) else default
            meaning = f"{meaning} Default: `{shown}`.".strip()
        lines.append(f"| `{name}` | {_type_words(prop, defs)} | {'yes' if name in required else ''} | {meaning} |")
    return lines + [""]


def format_markdown() -> str:
    schema = contract_schema()
    defs = schema.get("$defs", {})
    lines = [
        "# The contract format",
        "",
        "Generated from slagen's models by `python -m slagen.model.format_docs`; do not edit by hand.",
        "Durations are hours and minutes (`30m`, `4h`, `1h30m`, `PT4H`); percentages `99.9%`;",
        "weekly hours `monday-friday: \"08:30-17:30\"` or `24x7`. Unknown keys are errors.",
        "",
    ]
    lines += _section("Contract (the top level)", schema, defs)
    for name in sorted(defs):
        lines += _section(name, defs[name], defs)
    lines += _limits_section()
    return "\n".join(lines).rstrip() + "\n"


def _limits_section() -> list[str]:
    from slagen.source.yaml_positions import MAX_FILE_BYTES, MAX_VALUES

    lines = ["## Limits", "",
             "`slagen validate` refuses a value outside these limits at its line and column. Each is far",
             "beyond a real contract, and each keeps `check` and `render` to seconds (slagen/model/limits.py).",
             "", "| what | allowed | why |", "|---|---|---|",
             f"| the contract file | at most {MAX_FILE_BYTES // 1024 // 1024} MB and {MAX_VALUES:,} keys and values "
             "(aliases expanded) | a contract is a few KB with a few hundred values; a larger file is the wrong file |"]
    for what, allowed, why in limits_table():
        cell = why.replace("|", "\\|")
        lines.append(f"| {what} | {allowed} | {cell} |")
    return lines + [""]


if __name__ == "__main__":
    print(format_markdown(), end="")
