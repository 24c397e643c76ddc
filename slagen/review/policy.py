"""The provider's house policy (``clauses/policy.yaml``) and the contract values outside it.

A limit names a field of the contract by its YAML path (``availability.credit_cap``;
``priorities[*].response`` for every item of a list) and a ``min`` and/or ``max`` written the
way a contract writes that field ("30%", "72h", 30). The limit is read with the type of the
value it is compared with, so "30%" against a percentage is Decimal 30 and "24h" against a
duration is 24 hours: never a float comparison, never a string one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from slagen.errors import SlagenError
from slagen.library_source import default_library

POLICY_FILE = default_library().policy_file  # the packaged default's policy (slagen.library_source)
_KEYS = {"limits", "never_override", "override_needs_reason", "newer_version_blocks"}
_LIMIT_KEYS = {"id", "field", "min", "max", "why"}


class PolicyError(SlagenError):
    """A policy file that cannot be read."""


@dataclass(frozen=True)
class Limit:
    id: str
    field: str
    min: Any = None
    max: Any = None
    why: str = ""


@dataclass(frozen=True)
class Policy:
    limits: tuple[Limit, ...] = ()
    never_override: frozenset[str] = field(default_factory=frozenset)
    override_needs_reason: bool = True
    newer_version_blocks: bool = False


@dataclass(frozen=True)
class PolicyHit:
    rule: str
    loc: tuple
    message: str
    why: str


def load_policy(path: str | Path | None = None) -> Policy:
    """The policy in ``path`` (default ``clauses/policy.yaml``); a missing default is no policy."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    file = Path(path) if path is not None else POLICY_FILE
    if not file.is_file():
        if path is None:
            return Policy()
        raise PolicyError(f"{file}: error: no such policy file")
    try:
        data = YAML(typ="safe", pure=True).load(file.read_text(encoding="utf-8")) or {}
    except YAMLError as exc:
        raise PolicyError(f"{file}: error: the policy is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise PolicyError(f"{file}: error: the policy must be a mapping with 'limits' and 'never_override'")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise PolicyError(f"{file}: error: unknown policy keys: {', '.join(unknown)} "
                          f"(known: {', '.join(sorted(_KEYS))})")
    limits = []
    for n, item in enumerate(data.get("limits") or [], start=1):
        if not isinstance(item, dict) or "id" not in item or "field" not in item:
            raise PolicyError(f"{file}: error: limit {n} needs an 'id' and a 'field'")
        extra = sorted(set(item) - _LIMIT_KEYS)
        if extra:
            raise PolicyError(f"{file}: error: limit '{item['id']}': unknown keys {', '.join(extra)}")
        if "min" not in item and "max" not in item:
            raise PolicyError(f"{file}: error: limit '{item['id']}' needs a 'min' or a 'max'")
        limits.append(Limit(str(item["id"]), str(item["field"]), item.get("min"), item.get("max"),
                            str(item.get("why") or "")))
    return Policy(
        limits=tuple(limits),
        never_override=frozenset(str(c) for c in data.get("never_override") or []),
        override_needs_reason=bool(data.get("override_needs_reason", True)),
        newer_version_blocks=bool(data.get("newer_version_blocks", False)),
    )


def _values(node: Any, parts: list[str], loc: tuple) -> Iterable[tuple[tuple, Any]]:
    """(loc, value) for every value the path names; lists expand at '[*]'."""
    if not parts:
        if node is not None:
            yield loc, node
        return
    head, rest = parts[0], parts[1:]
    star = head.endswith("[*]")
    name = head[:-3] if star else head
    value = getattr(node, name, None)
    if value is None:
        return
    if star:
        for i, item in enumerate(value):
            yield from _values(item, rest, loc + (name, i))
    else:
        yield from _values(value, rest, loc + (name,))


def _as_type(limit_value: Any, like: Any, where: str) -> Any:
    from slagen.model.types import parse_duration, parse_percent

    try:
        if isinstance(like, timedelta):
            return parse_duration(limit_value)
        if isinstance(like, Decimal):
            return parse_percent(limit_value) if isinstance(limit_value, str) and "%" in limit_value \
                else Decimal(str(limit_value))
        if isinstance(like, bool):
            raise ValueError("a yes/no field has no limits")
        if isinstance(like, int):
            return int(limit_value)
    except (ValueError, ArithmeticError) as exc:
        raise PolicyError(f"error: policy limit '{where}': {exc}") from None
    raise PolicyError(f"error: policy limit '{where}': the field is not a number, percentage or duration")


def words(value: Any) -> str:
    from slagen.compose.clause_text import duration_words

    if isinstance(value, timedelta):
        return duration_words(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}%"
    return str(value)


def check_policy(contract, policy: Policy) -> list[PolicyHit]:
    """Every contract value outside a limit of the policy, in policy order."""
    from slagen.yaml_source import format_path

    hits = []
    for limit in policy.limits:
        for loc, value in _values(contract, limit.field.split("."), ()):
            low = _as_type(limit.min, value, limit.id) if limit.min is not None else None
            high = _as_type(limit.max, value, limit.id) if limit.max is not None else None
            if low is not None and value < low:
                hits.append(PolicyHit(limit.id, loc, f"{format_path(loc)} is {words(value)}; house policy "
                                      f"requires at least {words(low)}", limit.why))
            elif high is not None and value > high:
                hits.append(PolicyHit(limit.id, loc, f"{format_path(loc)} is {words(value)}; house policy "
                                      f"allows at most {words(high)}", limit.why))
    return hits
