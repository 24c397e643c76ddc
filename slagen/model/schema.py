"""The JSON Schema of the contract format, generated from the models (never edited by hand)."""

from __future__ import annotations

import json


def contract_schema() -> dict:
    from slagen.model import Contract

    schema = Contract.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "urn:slagen:contract:1"  # names the format version; nothing is fetched from it
    schema["title"] = "slagen contract"
    return schema


def schema_text() -> str:
    return json.dumps(contract_schema(), indent=2, sort_keys=True) + "\n"
