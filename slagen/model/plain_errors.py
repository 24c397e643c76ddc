"""Pydantic's validation errors -> problems in words an account manager understands.

Each error is placed at the line and column of the value at fault (or of its key, for unknown
and missing keys), with "did you mean" for misspelt keys, and without the noise of a required key
reported missing only because it was misspelt.
"""

from __future__ import annotations

import difflib
import types
import typing
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from slagen.errors import Problem
from slagen.model.limits import Limit
from slagen.model.types import PartError
from slagen.source.yaml_positions import YamlSource, Loc, format_path

_TYPE_WORDS = {
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "list_type": "expected a list (one item per line, each starting with '- ')",
    "dict_type": "expected a mapping of keys and values (such as 'name: ...')",
    "model_type": "expected a mapping of keys and values (such as 'name: ...')",
    "model_attributes_type": "expected a mapping of keys and values (such as 'name: ...')",
    "date_type": "expected a date written as YYYY-MM-DD",
    "date_parsing": "expected a date written as YYYY-MM-DD",
    "date_from_datetime_parsing": "expected a date written as YYYY-MM-DD",
    "date_from_datetime_inexact": "expected a date without a time of day",
}


# What to write for a required key that is missing, where its form is not obvious from its name.
_EXAMPLES = {
    "technicians": "'technicians: {tier1: 2, tier2: 1, tier3: 0}'",
    "timezone": "'timezone: Europe/London'",
    "weekly": "'weekly: {monday-friday: \"08:30-17:30\"}'",
    "response": "'response: 1h'",
    "resolution": "'resolution: 8h'",
    "clock": "'clock: support_hours' (or '24x7')",
    "clock_starts": "'clock_starts: when_logged'",
    "currency": "'currency: GBP'",
    "effective_date": "'effective_date: 2027-01-01'",
    "notice_days": "'notice_days: 90'",
    "monthly": "'monthly: 5400.00'",
    "frequency": "'frequency: 24h'",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (date, datetime)):
        return f"the date {value.isoformat()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    text = str(value)
    return f"'{text[:57]}...'" if len(text) > 60 else f"'{text}'"


def _limit_at(model: type[BaseModel], loc: Loc) -> Limit | None:
    """The :class:`Limit` declared on the field at ``loc``, if it has one."""
    current: Any = model
    metadata: list = []
    for part in loc:
        section = _section_in(current)
        if section is not None:
            info = section.model_fields.get(str(part))
            if info is None:
                return None
            current, metadata = info.annotation, list(info.metadata)
        else:
            current, metadata = _unwrap(current, part), []
            if current is None:
                return None
    return next((m for m in metadata if isinstance(m, Limit)), None) or _limit_in(current)


def _section_in(annotation: Any) -> type[BaseModel] | None:
    """The model inside ``Model``, ``Model | None`` or ``Annotated[Model, ...]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _section_in(args[0])
    if origin in (typing.Union, types.UnionType):
        return next((found for found in map(_section_in, args) if found is not None), None)
    return None


def _limit_in(annotation: Any) -> Limit | None:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        return next((m for m in args[1:] if isinstance(m, Limit)), None)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return next((found for found in map(_limit_in, args) if found is not None), None)
    return None


def _out_of_range(value: Any, loc: Loc, limit: Limit) -> str:
    if isinstance(value, float) and value != value:
        what = "'.nan' (not a number)"
    elif isinstance(value, float) and value in (float("inf"), float("-inf")):
        what = "infinity"
    else:
        what = _describe(value)
    return f"{what} is out of range: {loc[-1]} must be {limit.words()}"


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that holds the field at ``loc`` (for 'did you mean')."""
    current: Any = model
    for part in loc:
        current = _unwrap(current, part)
        if current is None:
            return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any, part: str | int) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field_info = annotation.model_fields.get(str(part))
        return field_info.annotation if field_info else None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _unwrap(args[0], part)
    if origin in (typing.Union, types.UnionType):
        for arm in args:
            if arm is type(None):
                continue
            found = _unwrap(arm, part)
            if found is not None:
                return found
        return None
    if origin is list and isinstance(part, int):
        return args[0]
    if origin is dict:
        return args[1]
    return None


def _user_loc(error_loc: tuple, doc: YamlSource) -> Loc:
    """The YAML path of an error: pydantic's tags for union arms ('function-after[...]', 'list[...]')
    left out, but never a key the user wrote, even one with a '[' in it ('servi[es')."""
    kept: list = []
    for part in error_loc:
        tag = isinstance(part, str) and ("[" in part or part.startswith("function-"))
        if tag and (*kept, part) not in doc.key_at:
            continue
        kept.append(part)
    return tuple(kept)


def _friendly(error: dict, doc: YamlSource, model: type[BaseModel]) -> Problem:
    loc = _user_loc(error["loc"], doc)
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        parent_model = _model_at(model, loc[:-1])
        key = loc[-1]
        message = f"unknown key '{key}'"
        where = format_path(loc[:-1])
        message += f" in {where}" if where else " at the top level"
        if parent_model is not None:
            names = list(parent_model.model_fields)
            close = difflib.get_close_matches(str(key), names, n=1, cutoff=0.6)
            message += f"; did you mean '{close[0]}'?" if close else f"; expected one of: {', '.join(names)}"
        return doc.problem(loc, message, key=True)
    if kind == "missing":
        field_name = loc[-1]
        where = format_path(loc[:-1])
        message = f"'{field_name}' is missing" + (f" from {where}" if where else "") + "; it is required"
        if field_name in _EXAMPLES:
            message += f", for example: {_EXAMPLES[field_name]}"
        return doc.problem(loc[:-1], message, key=True)
    if kind in ("value_error", "assertion_error"):
        message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, PartError):
            keys = cause.key if isinstance(cause.key, tuple) else (cause.key,)
            return doc.problem((*loc, *keys), message, key=cause.at_key)
    elif kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "").replace("'", "")
        choices = [c.strip() for c in expected.replace(" or ", ", ").split(",") if c.strip()]
        message = f"{_describe(value)} is not allowed here; expected one of: {', '.join(choices)}"
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than", "finite_number",
                  "int_parsing_size") and (
            limit := _limit_at(model, loc)) is not None:
        message = _out_of_range(value, loc, limit)
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        ctx = error.get("ctx", {})
        bound = next(iter(ctx.values()), "")
        words = {"greater_than_equal": "at least", "greater_than": "more than",
                 "less_than_equal": "at most", "less_than": "less than"}[kind]
        message = f"{_describe(value)} is out of range; it must be {words} {bound}"
    elif kind == "too_short":
        message = "the list is empty; it needs at least one item"
    elif kind == "too_long":
        ctx = error.get("ctx", {})
        message = (f"the list has {ctx.get('actual_length', 'too many'):,} items; a contract can have at most "
                   f"{ctx.get('max_length', 0):,} here (see the limits in docs/format.md)")
    elif kind == "string_pattern_mismatch":
        message = f"{_describe(value)} is not in the expected form ({_pattern_hint(loc)})"
    elif kind in _TYPE_WORDS:
        message = f"{_TYPE_WORDS[kind]}, got {_describe(value)}"
    else:
        message = f"{_describe(value)} is not valid here: {error['msg']}"
    return doc.problem(loc, message)


def _explained_by_misspelling(error: dict, errors: list[dict]) -> bool:
    """A required key reported missing because the user misspelt it: the 'did you mean' says it all."""
    if error["type"] != "missing":
        return False
    parent, name = tuple(error["loc"][:-1]), str(error["loc"][-1])
    return any(
        other["type"] == "extra_forbidden"
        and tuple(other["loc"][:-1]) == parent
        and difflib.get_close_matches(str(other["loc"][-1]), [name], n=1, cutoff=0.6)
        for other in errors
    )


def _pattern_hint(loc: Loc) -> str:
    last = loc[-1] if loc else ""
    return {
        "currency": "a three-letter currency code such as GBP",
        "email": "an email address such as name@example.com",
    }.get(str(last), "see the format documentation")


def problems_from_validation(exc: ValidationError, doc: YamlSource, model: type[BaseModel]) -> list[Problem]:
    errors = exc.errors(include_url=False)
    problems = [_friendly(e, doc, model) for e in errors if not _explained_by_misspelling(e, errors)]
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.line, p.column))
