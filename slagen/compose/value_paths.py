"""Where a printed value came from: the path of each contract value, so a document can be read back.

A clause prints contract values as data (:mod:`slagen.compose.clause_text`). To let the DOCX
writer wrap each one in a content control tagged with its path (``priorities[0].response``),
composition needs to know, when a value reaches ``finalize`` or a filter, which field of the
contract it is. Jinja hands filters the value only, so provenance is kept by identity:

* :func:`traced` copies the contract and gives every leaf value of a field an object of its own
  (a fresh ``Decimal``, ``timedelta``, ``str``...; a small ``int``, which CPython shares between
  all its uses, becomes a :class:`TracedInt`), and records ``id(object) -> path``;
* the clauses render over that copy, with the map in their context (:data:`CONTEXT_KEY`), and
  :func:`path_of` looks a printed value up by identity. A value computed from a contract value
  (``cap * 100``) is a new object and stays unmarked, which is right: the text no longer is
  that field. The copy holds every fresh object, so while it is alive no other object can
  take one of their ids.

A value reachable by two paths (the same object held twice) is left unmarked rather than
guessed. Everything here is in-process and deterministic: the paths depend on the contract only.
"""

from __future__ import annotations

import pickle
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

CONTEXT_KEY = "__value_paths__"  # where the map travels in a clause's rendering context
_AMBIGUOUS = ""


class TracedInt(int):
    """An int with an identity of its own: CPython shares one object per small integer."""

    __slots__ = ()

    def __repr__(self) -> str:
        return int.__repr__(self)


_LEAVES = (str, int, float, Decimal, timedelta, date, datetime, time)


def _fresh(value: Any) -> Any:
    """The same value as an object no other field holds."""
    if isinstance(value, bool) or not isinstance(value, _LEAVES):
        return value
    if isinstance(value, int):
        return TracedInt(value)
    if isinstance(value, str) and len(value) < 2:
        return value  # one character: CPython shares it, and nobody negotiates a letter
    # pickle rebuilds str, Decimal, float and the date types as new objects (and keeps subclasses)
    return pickle.loads(pickle.dumps(value))


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if key.isidentifier():
        return f"{path}.{key}" if path else key
    return f"{path}[{key!r}]"


def traced(contract: BaseModel) -> tuple[BaseModel, dict[int, str]]:
    """A copy of ``contract`` whose leaf values have identities of their own, and their paths."""
    paths: dict[int, str] = {}

    def note(obj: Any, path: str) -> None:
        key = id(obj)
        paths[key] = _AMBIGUOUS if key in paths and paths[key] != path else path

    def copy(value: Any, path: str) -> Any:
        if isinstance(value, BaseModel):
            update = {name: copy(getattr(value, name), _join(path, name)) for name in type(value).model_fields}
            return value.model_copy(update=update)
        if isinstance(value, list):
            return [copy(v, _join(path, i)) for i, v in enumerate(value)]
        if isinstance(value, tuple):
            return tuple(copy(v, _join(path, i)) for i, v in enumerate(value))
        if isinstance(value, dict):
            return {k: copy(v, _join(path, k if isinstance(k, str) else str(k))) for k, v in value.items()}
        fresh = _fresh(value)
        if fresh is not value or isinstance(fresh, TracedInt):
            note(fresh, path)
        return fresh

    result = copy(contract, "")
    return result, {k: v for k, v in paths.items() if v}


def path_of(value: Any, context) -> str:
    """The contract path of a value being printed, or '' when it is not one field's value."""
    paths = context.get(CONTEXT_KEY) if context is not None else None
    if not paths or isinstance(value, bool):
        return ""
    return paths.get(id(value), "")
