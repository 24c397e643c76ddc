"""YAML text -> plain data, with the file, line and column of every key and value.

The YAML is composed into a node tree (never constructed into arbitrary Python objects) and
converted by hand, so each value keeps its position, duplicate keys are caught, only plain
scalar types are accepted, and alias expansion is bounded. Every mistake found here is an
``InvalidInput`` whose problems point at a line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:  # ruamel.yaml's C extension (libyaml): a dependency, but a platform without a wheel may lack it
    from ruamel.yaml.cyaml import CParser as _CParser
except ImportError:  # pragma: no cover - the pure parser reads everything, only more slowly
    _CParser = None

from slagen.errors import InvalidInput, Problem
from slagen.source.bounded import TooLarge, read_bounded

MAX_FILE_BYTES = 2 * 1024 * 1024
# After alias expansion. A real contract has a few hundred; the largest the format's other limits
# allow (200 services, 200 components, 1,000 closures, 100 clause changes) a few thousand. The
# parser is pure Python and reads about 15,000 keys and values a second, so this limit also bounds
# the time before a file of pasted keys is refused (60,000 keys: about a second and a half).
MAX_VALUES = 20_000
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
class YamlSource:
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


class _CountingComposer(Composer):
    """ruamel's composer, counting the nodes as the parser makes them, so that a file of too many
    plain keys and values is refused once it passes MAX_VALUES rather than after all of it has
    been parsed (parsing is most of the time: a 2 MB file of short keys took half a minute).
    An alias adds no node here; what aliases expand to is counted by the converter."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.nodes = 0
        self.top_key_mark = None  # the top-level key being read: where the error points

    def compose_node(self, parent, index):
        if not self.parser.check_event(AliasEvent):
            if self.depth == 1 and index is None:  # a key of the top-level mapping
                self.top_key_mark = self.parser.peek_event().start_mark
            self.nodes += 1
            if self.nodes > MAX_VALUES:
                raise _TooManyNodes(self.top_key_mark or self.parser.peek_event().start_mark)
        return super().compose_node(parent, index)


class _TooManyNodes(Exception):
    def __init__(self, mark):
        super().__init__()
        self.mark = mark


class _Converter:
    def __init__(self, doc: YamlSource, constructor: SafeConstructor):
        self.doc = doc
        self.constructor = constructor
        self.count = 0
        self.problems: list[Problem] = []
        # An alias is the same node met again: seeing one tells "expanded through aliases" from
        # "simply too long" when the file passes MAX_VALUES.
        self._seen: set[int] = set()
        self.aliased = False

    def convert(self, node: Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _TooBig(loc)
        if id(node) in self._seen:
            self.aliased = True
        self._seen.add(id(node))
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
            if _is_empty(value_node):
                # Nothing was written after the key: its mistake is the key's. (Parsers differ on
                # where the nothing is: the next line's token, or the column after the colon.)
                self.doc.value_at[child] = self.doc.key_at[child]
            out[key] = self.convert(value_node, child)
        return out


def _is_empty(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.value == "" and not node.style


class _TooBig(Exception):
    """Raised at the value where expansion passed the limit; reported at its top-level key."""

    def __init__(self, loc: Loc):
        self.loc = loc


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def read_source_bytes(path: str | Path) -> bytes:
    """The bytes of an input file, read once (it may be a pipe) and at most MAX_FILE_BYTES of
    them; InvalidInput at 1:1 when it cannot be read or is too large."""
    name = str(path)

    def fail(line: int, column: int, message: str) -> InvalidInput:
        return InvalidInput(name, [Problem(name, line, column, "", message)])

    try:
        return read_bounded(path, MAX_FILE_BYTES)  # st_size lies for /dev/zero and pipes
    except ValueError:  # a NUL in the name: no file can have it
        raise fail(1, 1, "this is not a valid file name") from None
    except TooLarge:
        raise fail(1, 1, f"the file is larger than {MAX_FILE_BYTES // 1024 // 1024} MB, the most a contract "
                         "can be, so this is probably the wrong file; it was not read to its end") from None
    except IsADirectoryError:
        raise fail(1, 1, "this is a folder, not a contract file") from None
    except FileNotFoundError:
        raise fail(1, 1, "no such file") from None
    except PermissionError:
        raise fail(1, 1, "the file cannot be read: permission denied") from None
    except OSError as exc:
        raise fail(1, 1, f"the file cannot be read: {exc.strerror or exc}") from None


def read_yaml(path: str | Path, text: str | bytes | None = None) -> YamlSource:
    """Read one YAML file into plain data with positions, or raise InvalidInput."""
    name = str(path)
    doc = YamlSource(name, None)

    def fail(line: int, column: int, message: str, loc: Loc = ()) -> InvalidInput:
        return InvalidInput(name, [Problem(name, line, column, format_path(loc), message)])

    if text is None:
        text = read_source_bytes(path)
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

    fast = _compose_in_c(text)
    if fast is not None:
        root, constructor = fast
    else:
        root, constructor = _compose_in_python(text, fail)
    if root is None:
        raise fail(1, 1, "the file is empty: a contract starts with 'slagen: 1' followed by its sections "
                         "(run 'slagen init' for a starter)")
    if not isinstance(root, MappingNode):
        line, column = _mark(root)
        kind = "a list" if isinstance(root, SequenceNode) else "a single value"
        raise fail(line, column, f"the file holds {kind}; a contract is a set of sections such as "
                                 "'agreement:' and 'services:'")
    converter = _Converter(doc, constructor)
    try:
        doc.data = converter.convert(root, ())
    except _TooBig as big:
        _, (line, column) = doc.position(big.loc[:1], key=True)
        raise fail(line, column, _too_many_message(converter.aliased)) from None
    except RecursionError:
        raise fail(1, 1, "the YAML is nested too deeply to be a contract") from None
    if converter.problems:
        raise InvalidInput(name, converter.problems)
    return doc


# libyaml (ruamel.yaml.clib) composes a contract about ten times faster than ruamel's pure-Python
# parser: most of a check's time, and all of it for the editor's diagnostics as someone types. Its
# nodes carry the same tags (ruamel's YAML 1.2 resolver decides them in both), values and
# positions. The pure parser stays the reference: every text libyaml refuses, or that is too
# large or too deeply nested for it, or holds a tab (which libyaml takes inside a plain value and
# the pure parser refuses), is read by the pure parser, so a user's mistake is worded and located
# the same way either way (tests/test_yaml_fast_path.py reads 500 mistakes both ways).
C_TEXT_LIMIT = 200_000  # characters; larger texts are rare and go the pure way, counting as they read
C_DEPTH_LIMIT = 100  # libyaml's composer recurses in C, without Python's recursion limit: keep it shallow
_INDICATORS = re.compile(r"^[ \-?:]*", re.MULTILINE)  # indentation and '- ', '? ', ': ' before a line's content
_BRACKETS = re.compile(r"[\[\]{}]")


def _shallow(text: str) -> bool:
    """Whether ``text`` certainly nests less than C_DEPTH_LIMIT deep: each level of block nesting
    moves a line's content at least one column right, and flow nesting is bounded by the brackets
    open at once (counted naively, so a bracket inside a quoted string only overestimates)."""
    block = max((len(m.group()) for m in _INDICATORS.finditer(text)), default=0)
    if block >= C_DEPTH_LIMIT:
        return False
    depth = deepest = 0
    for bracket in _BRACKETS.finditer(text):
        depth = depth + 1 if bracket.group() in "[{" else max(0, depth - 1)
        deepest = max(deepest, depth)
    return block + deepest < C_DEPTH_LIMIT


def libyaml_can_read(text: str) -> bool:
    """Whether libyaml is installed and may read ``text`` in place of the pure parser: short and
    shallow enough, and without a tab (libyaml takes one inside a plain value; ruamel refuses it,
    and its refusal stands)."""
    return _CParser is not None and len(text) <= C_TEXT_LIMIT and "\t" not in text and _shallow(text)


def load_plain_yaml(text: str):
    """Plain data from a library file (front matter, an outline, a law file), without positions:
    by libyaml when it may read ``text`` (a check reads about a hundred such files once per
    process, which took a quarter of a second by the pure parser), else by the pure parser, whose
    YAMLError a mistake then gets."""
    if libyaml_can_read(text):
        try:
            return YAML(typ="safe", pure=False).load(text)
        except YAMLError:
            pass
    return YAML(typ="safe", pure=True).load(text)


def _compose_in_c(text: str):
    """(root node, constructor) from libyaml, or None when the pure parser must read the text."""
    if not libyaml_can_read(text):
        return None
    yaml = YAML(typ="safe", pure=False)
    try:
        root = yaml.compose(text)
    except (YAMLError, RecursionError, ValueError):
        return None
    if root is not None and _node_count(root) > MAX_VALUES:
        return None  # refused by the pure parser, at the key where it passes the limit
    return root, yaml.constructor


def _node_count(root: Node) -> int:
    """Nodes as the pure parser's counting composer counts them: each once (an alias is no new node)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return len(seen)


def _compose_in_python(text: str, fail):
    yaml = YAML(typ="safe", pure=True)
    yaml.Composer = _CountingComposer
    try:
        root = yaml.compose(text)
    except _TooManyNodes as many:
        raise fail(many.mark.line + 1, many.mark.column + 1, _too_many_message(aliased=False)) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise fail(line, column, _yaml_syntax_message(exc)) from None
    except RecursionError:
        raise fail(1, 1, "the YAML is nested too deeply to be a contract") from None
    except YAMLError as exc:
        raise fail(1, 1, f"the YAML cannot be read: {exc}") from None
    return root, yaml.constructor


def _too_many_message(aliased: bool) -> str:
    if aliased:
        return (f"the file expands to more than {MAX_VALUES:,} values through YAML aliases ('*'); "
                "a contract is far smaller, so it was not read")
    return (f"the file holds more than {MAX_VALUES:,} keys and values, the most a contract file may "
            "hold (a real contract has a few hundred), so it was not read: is it the right file?")


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
