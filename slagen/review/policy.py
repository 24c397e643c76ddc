"""The provider's house policy (``clauses/policy.yaml``) and the contract values outside it.

A limit names a field of the contract by its YAML path (``availability.credit_cap``;
``priorities[*].response`` for every item of a list) and a ``min`` and/or ``max`` written the
way a contract writes that field ("30%", "72h", 30). The limit is read with the type of the
value it is compared with, so "30%" against a percentage is Decimal 30 and "24h" against a
duration is 24 hours: never a float comparison, never a string one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Literal

from pydantic import BeforeValidator, Field, StrictBool, field_validator, model_validator
from typing_extensions import Annotated

from slagen.errors import InvalidInput, SlagenError
from slagen.library.folder import default_library
from slagen.model.base import Section
from slagen.model.types import Id, PartError, Text

POLICY_FILE = default_library().policy_file  # the packaged default's policy (slagen.library.folder)


class PolicyError(SlagenError):
    """A policy file that cannot be read."""


@dataclass(frozen=True)
class Limit:
    id: str
    field: str
    min: Any = None  # already in the field's own type: timedelta, Decimal or int
    max: Any = None
    why: str = ""


@dataclass(frozen=True)
class Policy:
    limits: tuple[Limit, ...] = ()
    never_override: frozenset[str] = field(default_factory=frozenset)
    override_needs_reason: bool = True
    newer_version_blocks: bool = False
    # The workspace roles that may approve a version over blocking review items, giving a reason.
    override_review_roles: frozenset[str] = frozenset({"legal"})


@dataclass(frozen=True)
class PolicyHit:
    rule: str
    loc: tuple
    message: str
    why: str


# --------------------------------------------------------------------------------------------
# The policy file's format: read with the contract loader (bounded, positions kept) and checked
# by these models, so every mistake is reported at its line like a contract's.


def _limit_value(value: Any) -> Any:
    """A limit as written: '30%', '72h', 30 or 0.5; never a yes/no, never NaN or infinity."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError("a limit is a number, a percentage such as '30%' or a duration such as '72h'")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"'{value}' is not a number a contract value can be compared with")
        return Decimal(str(value))
    return value


LimitValue = Annotated[Any, BeforeValidator(_limit_value)]


class PolicyLimit(Section):
    id: Id = Field(description="A short name for the limit, shown with each value outside it.")
    field: str = Field(description="The contract field, as a YAML path: availability.credit_cap, "
                                   "priorities[*].response.")
    min: LimitValue = None
    max: LimitValue = None
    why: Text = ""

    @model_validator(mode="after")
    def _limits_in_the_fields_type(self) -> "PolicyLimit":
        like = _sample_of(self.field)
        if self.min is None and self.max is None:
            raise ValueError(f"limit '{self.id}' needs a 'min' or a 'max'")
        bounds = {}
        for name in ("min", "max"):
            raw = getattr(self, name)
            if raw is not None:
                try:
                    bounds[name] = _as_type(raw, like, self.id)
                except PolicyError as exc:
                    raise PartError(name, str(exc).removeprefix("error: ")) from None
        if len(bounds) == 2 and bounds["min"] > bounds["max"]:
            raise PartError("max", f"limit '{self.id}': its max is below its min, so no value can pass")
        object.__setattr__(self, "min", bounds.get("min"))
        object.__setattr__(self, "max", bounds.get("max"))
        return self


class PolicyFile(Section):
    limits: list[PolicyLimit] = Field(default_factory=list)
    never_override: list[Id] = Field(default_factory=list)
    override_needs_reason: StrictBool = True
    newer_version_blocks: StrictBool = False
    override_review_roles: list[Literal["account_manager", "presales", "legal", "admin"]] = Field(
        default_factory=lambda: ["legal"],
        description="The workspace roles that may approve a version over blocking review items, with a reason "
                    "(recorded in the audit log and the internal review sheet); [] means nobody may: the items "
                    "must be resolved first.")

    @field_validator("limits", mode="before")
    @classmethod
    def _a_list_of_limits(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, list):
            raise ValueError("'limits' is a list, one item per limit, such as "
                             "- {id: credit-cap, field: availability.credit_cap, max: 30%}")
        return value or []

    @field_validator("never_override", mode="before")
    @classmethod
    def _a_list_of_clauses(cls, value: Any) -> Any:
        if isinstance(value, str):
            raise ValueError(f"'never_override' is a list of clause ids: write [{value}], not {value}")
        return value or []


def _sample_of(path: str) -> Any:
    """A value of the type the contract field at ``path`` holds, to read a limit in that type."""
    import types
    import typing

    from pydantic import BaseModel

    from slagen.model import Contract

    def unwrap(annotation: Any) -> Any:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            return unwrap(typing.get_args(annotation)[0])
        if origin in (typing.Union, types.UnionType):
            arms = [a for a in typing.get_args(annotation) if a is not type(None)]
            return unwrap(arms[0]) if len(arms) == 1 else annotation
        return annotation

    current: Any = Contract
    parts = path.split(".")
    for n, part in enumerate(parts):
        star = part.endswith("[*]")
        name = part[:-3] if star else part
        fields = current.model_fields if isinstance(current, type) and issubclass(current, BaseModel) else {}
        if name not in fields:
            where = ".".join(parts[:n]) or "the top level of a contract"
            known = ", ".join(fields) if fields else "none: it is a single value"
            raise PartError("field", f"'{path}' is not a field of the contract format: there is no '{name}' in "
                                     f"{where} (its fields: {known})")
        current = unwrap(fields[name].annotation)
        if star:
            if typing.get_origin(current) is not list:
                raise PartError("field", f"'{path}': '{name}' is not a list, so '[*]' does not apply")
            current = unwrap(typing.get_args(current)[0])
        elif typing.get_origin(current) is list:
            raise PartError("field", f"'{path}': '{name}' is a list; write '{name}[*]' to limit every item")
    if current is timedelta:
        return timedelta(0)
    if current is Decimal:
        return Decimal(0)
    if current is int:
        return 0
    raise PartError("field", f"'{path}' is not a number, percentage or duration, so it cannot have a min or max")


_POLICY_SHAPE = ("a policy is a mapping with 'limits', 'never_override', 'override_needs_reason', "
                 "'newer_version_blocks' and 'override_review_roles' (see docs/review.md)")


def _of_a_policy(message: str) -> str:
    if message.startswith("the file is empty"):
        return f"the policy file is empty: {_POLICY_SHAPE}"
    if message.startswith("the file holds "):
        return message.split(";", 1)[0] + f"; {_POLICY_SHAPE}"
    return message.replace("a contract", "a policy file")


def load_policy(path: str | Path | None = None) -> Policy:
    """The policy in ``path`` (default ``clauses/policy.yaml``); a missing default is no policy.

    Raises InvalidInput (with the line and column of each mistake) for a policy that is not
    well formed, and PolicyError when the file cannot be found.
    """
    from slagen.library.contracts import validate_document
    from slagen.source.yaml_positions import read_yaml

    file = Path(path) if path is not None else POLICY_FILE
    if not file.is_file():
        if path is None:
            return Policy()
        raise PolicyError(f"{file}: error: no such policy file")
    try:
        doc = read_yaml(file)
    except InvalidInput as exc:  # the loader's words are about contracts: say them of a policy
        raise InvalidInput(exc.file, [replace(p, message=_of_a_policy(p.message)) for p in exc.problems]) from None
    model = validate_document(doc, PolicyFile)
    return Policy(
        limits=tuple(Limit(l.id, l.field, l.min, l.max, l.why) for l in model.limits),
        never_override=frozenset(model.never_override),
        override_needs_reason=model.override_needs_reason,
        newer_version_blocks=model.newer_version_blocks,
        override_review_roles=frozenset(model.override_review_roles),
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
            number = parse_percent(limit_value) if isinstance(limit_value, str) and "%" in limit_value \
                else Decimal(str(limit_value))
            if not number.is_finite():
                raise ValueError(f"'{limit_value}' is not a number a contract value can be compared with")
            return number
        if isinstance(like, bool):
            raise ValueError("a yes/no field has no limits")
        if isinstance(like, int):
            number = Decimal(str(limit_value))
            if not number.is_finite() or number != number.to_integral_value():
                raise ValueError(f"'{limit_value}' is not a whole number, as this field is")
            return int(number)
    except ArithmeticError:
        raise PolicyError(f"error: policy limit '{where}': '{limit_value}' is not a number") from None
    except ValueError as exc:
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
    from slagen.source.yaml_positions import format_path

    hits = []
    for limit in policy.limits:
        for loc, value in _values(contract, limit.field.split("."), ()):
            low, high = limit.min, limit.max  # read in the field's own type when the policy loaded
            if low is not None and value < low:
                hits.append(PolicyHit(limit.id, loc, f"{format_path(loc)} is {words(value)}; house policy "
                                      f"requires at least {words(low)}", limit.why))
            elif high is not None and value > high:
                hits.append(PolicyHit(limit.id, loc, f"{format_path(loc)} is {words(value)}; house policy "
                                      f"allows at most {words(high)}", limit.why))
    return hits
