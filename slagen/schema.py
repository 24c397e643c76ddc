"""The JSON Schema of the contract format, generated from the models (never edited by hand)."""

from __future__ import annotations

import json


def contract_schema() -> dict:
    from slagen.model import Contract

    schema = Contract.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://slagen.dev/schema/slagen.schema.json"
    schema["title"] = "slagen contract"
    return schema


def schema_text() -> str:
    return json.dumps(contract_schema(), indent=2, sort_keys=True) + "\n"
