"""YAML text -> Contract, with every mistake reported at its file, line and column.

The YAML is composed into a node tree (never constructed into arbitrary Python objects) and
converted by hand, so each value keeps its position, duplicate keys are caught, and alias
expansion is bounded. Pydantic then validates the plain data; its error locations are mapped
back to the positions recorded here.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from slagen.errors import InvalidInput, Problem
from slagen.model.types import PartError

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_VALUES = 100_000  # after alias expansion: a real contract has a few hundred
Loc = tuple[str | int, ...]

# The only scalar types a contract holds; any other tag is refused rather than constructed.
_CONSTRUCTORS = {
    "tag:yaml.org,2002:str": "construct_yaml_str",
    "tag:yaml.org,2002:int": "construct_yaml_int",
    "tag:yaml.org,2002:float": "construct_yaml_float",
    "tag:yaml.org,2002:bool": "construct_yaml_bool",
    "tag:yaml.org,2002:null": "construct_yaml_null",
    "tag:yaml.org,2002:timestamp": "construct_yaml_timestamp",
}
_CONTAINERS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def format_path(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass
class Document:
    """Plain data from one YAML file, with the position of every key and value."""

    file: str
    data: Any
    value_at: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_at: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc, *, key: bool = False) -> tuple[Loc, tuple[int, int]]:
        """The nearest recorded position for ``loc``: the value itself, else its closest parent."""
        loc = tuple(loc)
        while True:
            table = (self.key_at, self.value_at) if key else (self.value_at, self.key_at)
            for positions in table:
                if loc in positions:
                    return loc, positions[loc]
            if not loc:
                return (), (1, 1)
            loc = loc[:-1]

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        found, (line, column) = self.position(loc, key=key)
        return Problem(self.file, line, column, format_path(tuple(loc)), message)


class _Converter:
    def __init__(self, doc: Document, constructor: SafeConstructor):
        self.doc = doc
        self.constructor = constructor
        self.count = 0
        self.problems: list[Problem] = []

    def convert(self, node: Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _TooBig(loc)
        self.doc.value_at.setdefault(loc, _mark(node))
        tag = getattr(node.tag, "value", node.tag)
        if tag not in _CONSTRUCTORS and tag not in _CONTAINERS:
            line, col = _mark(node)
            self.problems.append(Problem(self.doc.file, line, col, format_path(loc),
                                         f"the YAML tag '{tag}' is not allowed in a contract; remove it"))
            return None
        if isinstance(node, MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, SequenceNode):
            return [self.convert(item, (*loc, i)) for i, item in enumerate(node.value)]
        try:
            return getattr(self.constructor, _CONSTRUCTORS[tag])(node)
        except (ValueError, YAMLError):
            line, col = _mark(node)
            kind = tag.rsplit(":", 1)[-1]
            message = (f"'{node.value}' is not a real date: write it as YYYY-MM-DD" if kind == "timestamp"
                       else f"'{node.value}' cannot be read as a {kind}")
            self.problems.append(Problem(self.doc.file, line, col, format_path(loc), message))
            return None

    def _mapping(self, node: MappingNode, loc: Loc) -> dict:
        out: dict = {}
        for key_node, value_node in node.value:
            if getattr(key_node, "tag", None) == "tag:yaml.org,2002:merge":
                line, col = _mark(key_node)
                self.problems.append(Problem(self.doc.file, line, col, format_path(loc),
                                             "merge keys ('<<') are not supported; write the keys out"))
                continue
            if not isinstance(key_node, ScalarNode):
                line, col = _mark(key_node)
                self.problems.append(Problem(self.doc.file, line, col, format_path(loc),
                                             "a key must be plain text, not a list or a mapping"))
                continue
            key = self.convert(key_node, (*loc, "<key>"))
            self.doc.value_at.pop((*loc, "<key>"), None)
            key = str(key) if not isinstance(key, str) else key
            child = (*loc, key)
            if key in out:
                line, col = _mark(key_node)
                first_line = self.doc.key_at[child][0]
                self.problems.append(Problem(self.doc.file, line, col, format_path(child),
                                             f"'{key}' is given twice (first on line {first_line}); "
                                             "keep one and delete the other"))
                continue
            self.doc.key_at[child] = _mark(key_node)
            out[key] = self.convert(value_node, child)
        return out


class _TooBig(Exception):
    """Raised at the value where expansion passed the limit; reported at its top-level key."""

    def __init__(self, loc: Loc):
        self.loc = loc


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def read_yaml(path: str | Path, text: str | bytes | None = None) -> Document:
    """Read one YAML file into plain data with positions, or raise InvalidInput."""
    name = str(path)
    doc = Document(name, None)

    def fail(line: int, column: int, message: str, loc: Loc = ()) -> InvalidInput:
        return InvalidInput(name, [Problem(name, line, column, format_path(loc), message)])

    if text is None:
        try:
            size = Path(path).stat().st_size
            if size > MAX_FILE_BYTES:
                raise fail(1, 1, f"the file is {size // 1024} KB; a contract is at most "
                                 f"{MAX_FILE_BYTES // 1024 // 1024} MB, so this is probably the wrong file")
            text = Path(path).read_bytes()
        except IsADirectoryError:
            raise fail(1, 1, "this is a folder, not a contract file") from None
        except FileNotFoundError:
            raise fail(1, 1, "no such file") from None
        except PermissionError:
            raise fail(1, 1, "the file cannot be read: permission denied") from None
        except OSError as exc:
            raise fail(1, 1, f"the file cannot be read: {exc.strerror or exc}") from None
    if isinstance(text, bytes):
        if len(text) > MAX_FILE_BYTES:
            raise fail(1, 1, "the file is larger than a contract can be; is it the right file?")
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            before = text[: exc.start]
            line = before.count(b"\n") + 1
            column = exc.start - (before.rfind(b"\n") + 1) + 1
            raise fail(line, column, "the file is not UTF-8 text (is it a binary file, or saved in "
                                     "another encoding?); save it as UTF-8") from None
    for line_no, line_text in enumerate(text.split("\n"), 1):
        nul = line_text.find("\x00")
        if nul >= 0:
            raise fail(line_no, nul + 1, "the file contains NUL bytes: it is not a text file")

    yaml = YAML(typ="safe", pure=True)
    try:
        root = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise fail(line, column, _yaml_syntax_message(exc)) from None
    except RecursionError:
        raise fail(1, 1, "the YAML is nested too deeply to be a contract") from None
    except YAMLError as exc:
        raise fail(1, 1, f"the YAML cannot be read: {exc}") from None
    if root is None:
        raise fail(1, 1, "the file is empty: a contract starts with 'slagen: 1' followed by its sections "
                         "(run 'slagen init' for a starter)")
    if not isinstance(root, MappingNode):
        line, column = _mark(root)
        kind = "a list" if isinstance(root, SequenceNode) else "a single value"
        raise fail(line, column, f"the file holds {kind}; a contract is a set of sections such as "
                                 "'agreement:' and 'services:'")
    converter = _Converter(doc, yaml.constructor)
    try:
        doc.data = converter.convert(root, ())
    except _TooBig as big:
        _, (line, column) = doc.position(big.loc[:1], key=True)
        raise fail(line, column, f"the file expands to more than {MAX_VALUES:,} values (through YAML "
                                 "aliases?); a contract is far smaller, so it was not read") from None
    except RecursionError:
        raise fail(1, 1, "the YAML is nested too deeply to be a contract") from None
    if converter.problems:
        raise InvalidInput(name, converter.problems)
    return doc


def _yaml_syntax_message(exc: MarkedYAMLError) -> str:
    problem = (exc.problem or exc.context or "malformed YAML").strip()
    hints = {
        "mapping values are not allowed here": "a ':' is out of place; put text containing ': ' in quotes, "
                                               "or check the indentation",
        "found character '\\t' that cannot start any token": "tabs cannot indent YAML; use spaces",
        "could not find expected ':'": "a key is missing its ':'",
    }
    for needle, hint in hints.items():
        if needle in problem:
            return f"the YAML is malformed here: {hint}"
    if "expected ',' or '}'" in problem:
        return "the YAML is malformed here: a '{' is not closed with '}', or its items are not separated by commas"
    if "expected ',' or ']'" in problem:
        return "the YAML is malformed here: a '[' is not closed with ']', or its items are not separated by commas"
    if "found undefined alias" in problem:
        return f"the YAML is malformed here: {problem} (an '*' names an anchor '&' that does not exist)"
    return f"the YAML is malformed here: {problem}"


# --------------------------------------------------------------------------------------------
# Pydantic errors -> problems in plain words

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


def _friendly(error: dict, doc: Document, model: type[BaseModel]) -> Problem:
    loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))
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
        return doc.problem(loc[:-1], message, key=True)
    if kind in ("value_error", "assertion_error"):
        message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, PartError):
            return doc.problem((*loc, cause.key), message, key=cause.at_key)
    elif kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "").replace("'", "")
        choices = [c.strip() for c in expected.replace(" or ", ", ").split(",") if c.strip()]
        message = f"{_describe(value)} is not allowed here; expected one of: {', '.join(choices)}"
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        ctx = error.get("ctx", {})
        bound = next(iter(ctx.values()), "")
        words = {"greater_than_equal": "at least", "greater_than": "more than",
                 "less_than_equal": "at most", "less_than": "less than"}[kind]
        message = f"{_describe(value)} is out of range; it must be {words} {bound}"
    elif kind == "too_short":
        message = "the list is empty; it needs at least one item"
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


def problems_from_validation(exc: ValidationError, doc: Document, model: type[BaseModel]) -> list[Problem]:
    errors = exc.errors(include_url=False)
    problems = [_friendly(e, doc, model) for e in errors if not _explained_by_misspelling(e, errors)]
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.line, p.column))


# --------------------------------------------------------------------------------------------
# Entry points


def validate_document(doc: Document, model: type[BaseModel]) -> BaseModel:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise InvalidInput(doc.file, problems_from_validation(exc, doc, model)) from None


def load_contract(path: str | Path, text: str | bytes | None = None):
    """Read and validate one contract file. Raises InvalidInput with every problem found."""
    from slagen.model import Contract, reference_problems

    doc = read_yaml(path, text)
    contract = validate_document(doc, Contract)
    problems = [doc.problem(loc, message) for loc, message in reference_problems(contract)]
    if problems:
        raise InvalidInput(doc.file, sorted(problems, key=lambda p: (p.line, p.column)))
    return contract


def load_with_positions(path: str | Path):
    """The contract and its source positions, for tools that point back at lines (check, review)."""
    from slagen.model import Contract, reference_problems

    doc = read_yaml(path)
    contract = validate_document(doc, Contract)
    problems = [doc.problem(loc, message) for loc, message in reference_problems(contract)]
    if problems:
        raise InvalidInput(doc.file, sorted(problems, key=lambda p: (p.line, p.column)))
    return contract, doc
