"""The clause library: one Markdown file per clause, with front matter, rendered in a sandbox.

A clause file looks like this::

    ---
    id: term-and-renewal
    title: Term and renewal
    version: 1.0.0
    status: approved
    documents: [agreement]
    when: agreement.renewal            # optional: a Jinja expression over the contract
    ---
    This Agreement starts on {{ agreement.effective_date | date }} ...

The body is a Jinja2 template over the contract (its sections are top-level names: ``agreement``,
``customer``, ``services``, ...) and ``facts``, the figures slagen computes for the documents (worked
examples from the clock engine, downtime allowed per target, milestone dates). Rendering uses an
immutable sandbox with ``StrictUndefined``; every value printed is escaped for Markdown, so a
contract value is always data and never markup or template. The rendered Markdown is parsed by
markdown-it-py (raw HTML disabled) into the document tree of :mod:`slagen.document`.

Every clause is checked against the model when the library loads (:func:`check_clause`): a clause
that names a field the contract lacks is reported then, by the test suite, never during a render.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import string
import types
import typing
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from slagen.errors import SlagenError

ROOT = Path(__file__).resolve().parent.parent
CLAUSE_DIR = ROOT / "clauses"
DOCUMENT_KINDS = ("agreement", "sow")
STATUSES = ("draft", "approved")
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FRONT_KEYS = {"id", "title", "version", "status", "documents", "when"}


class ClauseError(SlagenError):
    """A clause file that is malformed or names something the contract does not have."""


# --------------------------------------------------------------------------------------------
# Facts: what slagen computes for the documents, typed so clauses can be checked against it.


@dataclass(frozen=True)
class WorkedExample:
    """One ticket walked through the clock: when it was logged and when each target falls due."""

    priority: str
    name: str
    clock: str  # 24x7 | support_hours
    logged: datetime
    response: timedelta
    response_due: datetime
    resolution: timedelta
    resolution_due: datetime


@dataclass(frozen=True)
class DowntimeAllowance:
    service: str
    target: Decimal
    allowed: timedelta  # per month of ``Facts.month_days`` days


@dataclass(frozen=True)
class CreditExample:
    service: str
    target: Decimal
    measured: Decimal
    downtime: timedelta
    credit: Decimal
    amount: Decimal | None  # None when there is no monthly fee to apply it to


@dataclass(frozen=True)
class MilestoneDate:
    milestone: str
    weeks: int
    due: date


@dataclass(frozen=True)
class ServiceDependency:
    service: str
    components: tuple[str, ...]


@dataclass(frozen=True)
class Facts:
    month_days: int
    month_hours: Decimal  # the hours in the month the downtime allowance is a share of
    support_hours: tuple[str, ...]  # "Monday to Friday: 08:30 to 17:30", one line per group of days
    holidays: str  # "" when no public holidays apply
    worked_examples: tuple[WorkedExample, ...]
    downtime: tuple[DowntimeAllowance, ...]
    credit_example: CreditExample | None
    milestones: tuple[MilestoneDate, ...]
    dependencies: tuple[ServiceDependency, ...]
    pause_reasons: tuple[str, ...]  # plain-English reasons the clock stops
    clock_starts: str  # plain-English moment the clock starts


def context_types() -> dict[str, Any]:
    """The names a clause may use, with their types: the contract's sections, and ``facts``."""
    from slagen.model import Contract

    names = {name: field.annotation for name, field in Contract.model_fields.items()}
    names["facts"] = Facts
    return names


# --------------------------------------------------------------------------------------------
# Clauses and the library


@dataclass(frozen=True)
class Clause:
    id: str
    title: str
    version: str
    status: str
    documents: tuple[str, ...]
    when: str | None
    body: str
    source: str  # the whole file: its hash identifies the exact text that was used
    path: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source.encode("utf-8")).hexdigest()


def parse_clause(source: str, path: str = "<clause>") -> Clause:
    """A clause from its file text; front matter errors name the file."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    match = re.match(r"^---[ \t]*\n(.*?)\n---[ \t]*\n(.*)$", source, re.DOTALL)
    if not match:
        raise ClauseError(f"{path}: error: a clause starts with front matter between two '---' lines")
    try:
        meta = YAML(typ="safe", pure=True).load(match.group(1))
    except YAMLError as exc:
        raise ClauseError(f"{path}: error: the front matter is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise ClauseError(f"{path}: error: the front matter must be a mapping of keys to values")
    problems = []
    unknown = sorted(set(meta) - _FRONT_KEYS)
    if unknown:
        problems.append(f"unknown front matter keys: {', '.join(unknown)}")
    for key in ("id", "title", "version", "status", "documents"):
        if key not in meta:
            problems.append(f"the front matter needs '{key}'")
    if problems:
        raise ClauseError("\n".join(f"{path}: error: {p}" for p in problems))
    clause_id, version, status = str(meta["id"]), str(meta["version"]), str(meta["status"])
    documents = meta["documents"] if isinstance(meta["documents"], list) else [meta["documents"]]
    if not _ID.match(clause_id):
        problems.append(f"id '{clause_id}' must be lower-case letters, digits and '-'")
    if not _SEMVER.match(version):
        problems.append(f"version '{version}' is not a semantic version such as 1.0.0")
    if status not in STATUSES:
        problems.append(f"status '{status}' must be one of {', '.join(STATUSES)}")
    for doc in documents:
        if doc not in DOCUMENT_KINDS:
            problems.append(f"document '{doc}' must be one of {', '.join(DOCUMENT_KINDS)}")
    when = meta.get("when")
    if when is not None and not isinstance(when, str):
        problems.append("'when' must be an expression written as text")
    if problems:
        raise ClauseError("\n".join(f"{path}: error: {p}" for p in problems))
    return Clause(
        id=clause_id,
        title=str(meta["title"]),
        version=version,
        status=status,
        documents=tuple(documents),
        when=when,
        body=match.group(2),
        source=source,
        path=path,
    )


@dataclass(frozen=True)
class ClauseLibrary:
    clauses: dict[str, Clause]

    def __getitem__(self, clause_id: str) -> Clause:
        try:
            return self.clauses[clause_id]
        except KeyError:
            raise ClauseError(f"error: there is no clause '{clause_id}' in the clause library") from None

    def __contains__(self, clause_id: str) -> bool:
        return clause_id in self.clauses

    def __iter__(self):
        return iter(self.clauses.values())

    def problems(self) -> list[str]:
        """Every clause checked against the contract model: unknown names, fields, filters."""
        out: list[str] = []
        for clause in self:
            out.extend(check_clause(clause))
        return out


def load_library(directory: str | Path | None = None, *, check: bool = True) -> ClauseLibrary:
    """Every ``*.md`` clause in ``directory`` (README.md aside), checked against the model."""
    if directory is None:
        return _default_library()
    return _load(Path(directory), check)


@lru_cache(maxsize=1)
def _default_library() -> ClauseLibrary:
    return _load(CLAUSE_DIR, True)


def _load(directory: Path, check: bool) -> ClauseLibrary:
    clauses: dict[str, Clause] = {}
    for file in sorted(directory.glob("*.md")):
        if file.name.lower() == "readme.md":
            continue
        clause = parse_clause(file.read_text(encoding="utf-8"), str(file))
        if clause.id != file.stem:
            raise ClauseError(f"{file}: error: the clause id '{clause.id}' must match the file name")
        clauses[clause.id] = clause
    library = ClauseLibrary(clauses)
    if check:
        problems = library.problems()
        if problems:
            raise ClauseError("\n".join(problems))
    return library


# --------------------------------------------------------------------------------------------
# Values are data: escaping and formatting


class MarkdownSafe(str):
    """Markdown built by a filter from escaped values (a table); printed as it is."""


_PUNCTUATION = frozenset(string.punctuation)


def escape_markdown(value: str) -> str:
    """Text that Markdown reads back as exactly itself: every ASCII punctuation mark escaped.

    CommonMark lets any ASCII punctuation be escaped with a backslash, so this neutralises
    emphasis, links, tables, headings, entities and raw HTML alike. Line breaks inside a value
    become spaces, so a value can never start a new block.
    """
    value = re.sub(r"\s*\n\s*", " ", value).replace("\t", " ")
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in value)


def _locale(context) -> str:
    agreement = context.get("agreement")
    return getattr(agreement, "locale", "en_GB") or "en_GB"


def duration_words(value: timedelta) -> str:
    """4h -> '4 hours', 1h30m -> '1 hour 30 minutes', 43m12s -> '43 minutes 12 seconds'."""
    total = int(round(value.total_seconds()))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = []
    for amount, unit in ((hours, "hour"), (minutes, "minute"), (seconds, "second")):
        if amount:
            parts.append(f"{amount} {unit}{'' if amount == 1 else 's'}")
    return " ".join(parts) or "0 minutes"


def _plural(amount: int, unit: str) -> str:
    return f"{amount} {unit}{'' if amount == 1 else 's'}"


def _filter_duration(value: timedelta) -> str:
    return duration_words(value)


def _pass_context(func):
    from jinja2 import pass_context

    return pass_context(func)


def _filter_percent(context, value: Decimal) -> str:
    from babel.numbers import format_decimal

    number = format_decimal(Decimal(value).normalize(), format="#,##0.######", locale=_locale(context))
    return f"{number}%"


def _filter_money(context, value: Decimal) -> str:
    from babel.numbers import format_currency

    agreement = context.get("agreement")
    currency = getattr(agreement, "currency", "GBP")
    return format_currency(Decimal(value), currency, locale=_locale(context))


def _filter_date(context, value: date) -> str:
    from babel.dates import format_date

    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, format="long", locale=_locale(context))


def _filter_datetime(context, value: datetime) -> str:
    """'Friday 8 January 2027 at 16:55' in the value's own time zone."""
    from babel.dates import format_date

    locale = _locale(context)
    day = format_date(value.date(), format="EEEE", locale=locale)
    return f"{day} {format_date(value.date(), format='long', locale=locale)} at {value:%H:%M}"


def _filter_time(context, value: datetime) -> str:
    return f"{value:%H:%M}"


def _filter_days(value: int) -> str:
    return _plural(int(value), "day")


def _filter_months(value: int) -> str:
    return _plural(int(value), "month")


def _filter_weeks(value: int) -> str:
    return _plural(int(value), "week")


def _filter_join_and(values) -> str:
    items = [str(v) for v in values]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _cell(value: str) -> str:
    return escape_markdown(value) or " "


def _filter_priority_table(priorities) -> MarkdownSafe:
    """The priority matrix as a Markdown table, every cell escaped."""
    clocks = {"24x7": "24 hours a day, 7 days a week", "support_hours": "Support Hours only"}
    lines = [
        "| Priority | Meaning | Response | Resolution | Updates | Clock |",
        "|---|---|---|---|---|---|",
    ]
    for p in priorities:
        updates = f"every {duration_words(p.update_every)}" if p.update_every else "on resolution"
        cells = [f"{p.id} ({p.name})", p.definition, duration_words(p.response), duration_words(p.resolution),
                 updates, clocks.get(p.clock, p.clock)]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return MarkdownSafe("\n".join(lines) + "\n")


def _finalize(context, value: Any) -> Any:
    if isinstance(value, MarkdownSafe):
        return value
    if value is None:
        raise ClauseError("error: a clause printed a value the contract leaves empty; guard it with {% if %}")
    if isinstance(value, bool):
        value = "yes" if value else "no"
    elif isinstance(value, timedelta):
        value = duration_words(value)
    elif isinstance(value, datetime):
        value = _filter_datetime(context, value)
    elif isinstance(value, date):
        value = _filter_date(context, value)
    elif isinstance(value, Decimal):
        value = f"{value.normalize():f}"
    return escape_markdown(str(value))


FILTERS = {
    "duration": _filter_duration,
    "percent": "ctx",
    "money": "ctx",
    "date": "ctx",
    "datetime": "ctx",
    "time": "ctx",
    "days": _filter_days,
    "weeks": _filter_weeks,
    "months": _filter_months,
    "join_and": _filter_join_and,
    "priority_table": _filter_priority_table,
}
_CONTEXT_FILTERS = {
    "percent": _filter_percent,
    "money": _filter_money,
    "date": _filter_date,
    "datetime": _filter_datetime,
    "time": _filter_time,
}


@lru_cache(maxsize=1)
def environment():
    """The one sandboxed Jinja environment every clause renders in."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined,
        finalize=_pass_context(_finalize),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    for name, func in FILTERS.items():
        env.filters[name] = _pass_context(_CONTEXT_FILTERS[name]) if func == "ctx" else func
    return env


def render_markdown(template_text: str, context: dict[str, Any], *, name: str = "<clause>") -> str:
    """A clause body rendered to Markdown; template errors become ClauseError naming the clause."""
    from jinja2 import TemplateError

    try:
        return environment().from_string(template_text).render(context)
    except ClauseError as exc:
        raise ClauseError(f"{name}: {exc}") from None
    except TemplateError as exc:
        raise ClauseError(f"{name}: error: {exc}") from None


def condition_holds(when: str | None, context: dict[str, Any], *, name: str = "<clause>") -> bool:
    if not when:
        return True
    from jinja2 import TemplateError

    try:
        return bool(environment().compile_expression(when, undefined_to_none=False)(**context))
    except TemplateError as exc:
        raise ClauseError(f"{name}: error: the condition '{when}' failed: {exc}") from None


def contract_context(contract, facts: Facts) -> dict[str, Any]:
    context = {name: getattr(contract, name) for name in type(contract).model_fields}
    context["facts"] = facts
    return context


# --------------------------------------------------------------------------------------------
# Checking a clause against the model, without a contract


class _Any:
    """A value whose type the checker does not follow (loop helpers, filter results)."""


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) == 1:
                tp = args[0]
                continue
            return _Any
        return tp


def _element(tp: Any) -> Any:
    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (list, tuple, set, frozenset) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[0]
    return _Any


def _fields(tp: Any) -> dict[str, Any] | None:
    """The named fields of a model or dataclass type; None when the type has none to check."""
    from pydantic import BaseModel

    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return {name: f.annotation for name, f in tp.model_fields.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        props = {n: _Any for n in dir(tp) if isinstance(getattr(tp, n, None), property)}
        return {**props, **{f.name: hints[f.name] for f in dataclasses.fields(tp)}}
    return None


_SCALARS = (str, int, float, bool, Decimal, date, datetime, timedelta)


def _describe(tp: Any) -> str:
    return getattr(tp, "__name__", str(tp))


def check_clause(clause: Clause) -> list[str]:
    """Problems with a clause's template: syntax, unknown names, fields the model lacks."""
    from jinja2 import TemplateSyntaxError, nodes

    env = environment()
    problems: list[str] = []
    sources = [("body", clause.body, 0)]
    if clause.when:
        sources.append(("when", "{{ " + clause.when + " }}", 0))
    for label, text, _ in sources:
        try:
            tree = env.parse(text)
        except TemplateSyntaxError as exc:
            problems.append(f"{clause.path}:{exc.lineno}: error: template syntax: {exc.message}")
            continue
        problems.extend(_Checker(clause, label, nodes).run(tree))
        if label == "body":
            try:
                env.from_string(text)  # unknown filters and tests are found when compiling
            except TemplateSyntaxError as exc:
                problems.append(f"{clause.path}:{exc.lineno}: error: {exc.message}")
    return problems


class _Checker:
    def __init__(self, clause: Clause, label: str, nodes_module):
        self.clause = clause
        self.label = label
        self.nodes = nodes_module
        self.problems: list[str] = []

    def error(self, node, message: str) -> None:
        where = f"{self.clause.path}:{node.lineno}" if self.label == "body" else f"{self.clause.path}: when"
        self.problems.append(f"{where}: error: {message}")

    def run(self, tree) -> list[str]:
        self.visit(tree, dict(context_types()))
        return self.problems

    def bind(self, target, tp, scope: dict) -> None:
        n = self.nodes
        if isinstance(target, n.Name):
            scope[target.name] = tp
        elif isinstance(target, n.Tuple):
            for item in target.items:
                self.bind(item, _Any, scope)

    def visit(self, node, scope: dict) -> None:
        n = self.nodes
        if isinstance(node, n.For):
            element = _element(self.typeof(node.iter, scope))
            inner = dict(scope)
            self.bind(node.target, element, inner)
            inner["loop"] = _Any
            if node.test is not None:
                self.typeof(node.test, inner)
            for child in node.body:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
        elif isinstance(node, n.Assign):
            self.bind(node.target, self.typeof(node.node, scope), scope)
        elif isinstance(node, (n.Macro, n.CallBlock)):
            inner = dict(scope)
            for arg in node.args:
                inner[arg.name] = _Any
            inner.update(caller=_Any, varargs=_Any, kwargs=_Any)
            for child in node.body:
                self.visit(child, inner)
            if isinstance(node, n.Macro):
                scope[node.name] = _Any
        elif isinstance(node, n.Expr):
            self.typeof(node, scope)
        else:
            for child in node.iter_child_nodes():
                self.visit(child, scope)

    def attribute(self, node, tp: Any, attr: str) -> Any:
        tp = _unwrap(tp)
        if tp is _Any:
            return _Any
        fields = _fields(tp)
        if fields is not None:
            if attr not in fields:
                known = ", ".join(sorted(k for k in fields if not k.startswith("_")))
                self.error(node, f"'{attr}' is not a field of {_describe(tp)} (it has: {known})")
                return _Any
            return fields[attr]
        origin = typing.get_origin(tp) or tp
        if origin is dict:
            return _Any if attr in ("items", "keys", "values") else self._no_field(node, tp, attr)
        return self._no_field(node, tp, attr)

    def _no_field(self, node, tp, attr) -> Any:
        origin = typing.get_origin(tp) or tp
        kind = "a list" if origin in (list, tuple) else _describe(tp)
        self.error(node, f"'{attr}' is not a field: the value is {kind}; use a filter or a loop")
        return _Any

    def typeof(self, node, scope: dict) -> Any:
        n = self.nodes
        if isinstance(node, n.Name):
            if node.ctx != "load":
                return _Any
            if node.name in scope:
                return scope[node.name]
            self.error(node, f"'{node.name}' is not a section of the contract, nor facts, nor a loop variable")
            return _Any
        if isinstance(node, n.Getattr):
            return self.attribute(node, self.typeof(node.node, scope), node.attr)
        if isinstance(node, n.Getitem):
            base = self.typeof(node.node, scope)
            if isinstance(node.arg, n.Const) and isinstance(node.arg.value, str):
                return self.attribute(node, base, node.arg.value)
            self.typeof(node.arg, scope)
            return _element(base)
        if isinstance(node, n.Filter):
            base = self.typeof(node.node, scope) if node.node is not None else _Any
            for arg in [*node.args, *(kw.value for kw in node.kwargs)]:
                self.typeof(arg, scope)
            if node.name in ("sort", "reverse", "unique", "list", "select", "reject", "selectattr", "rejectattr"):
                return base
            if node.name in ("first", "last"):
                return _element(base)
            return _Any
        for child in node.iter_child_nodes():
            if isinstance(child, n.Expr):
                self.typeof(child, scope)
            else:
                self.visit(child, scope)
        return _Any


# --------------------------------------------------------------------------------------------
# Markdown -> document tree


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "section"


def markdown_blocks(markdown: str, id_prefix: str) -> tuple:
    """Markdown -> blocks of the document tree. Headings open sub-sections with stable ids."""
    tokens = _markdown().parse(markdown)
    return _BlockParser(tokens, id_prefix).parse()


class _BlockParser:
    def __init__(self, tokens, id_prefix: str):
        self.tokens = tokens
        self.pos = 0
        self.prefix = id_prefix
        self.tables = 0
        self.ids: set[str] = set()

    def parse(self) -> tuple:
        from slagen.document import Section

        # A stack of (level, id, title, children): headings nest by level.
        root: list = []
        stack: list[tuple[int, str, str, list]] = []

        def close_to(level: int) -> None:
            while stack and stack[-1][0] >= level:
                lvl, sid, title, children = stack.pop()
                section = Section(id=sid, title=title, children=tuple(children))
                (stack[-1][3] if stack else root).append(section)

        while self.pos < len(self.tokens):
            tok = self.tokens[self.pos]
            if tok.type == "heading_open":
                level = int(tok.tag[1:])
                title = self.tokens[self.pos + 1].content
                self.pos += 3
                close_to(level)
                parent = stack[-1][1] if stack else self.prefix
                sid = self.unique(f"{parent}.{slug(title)}")
                stack.append((level, sid, title, []))
                continue
            block = self.block()
            if block is not None:
                (stack[-1][3] if stack else root).append(block)
        close_to(0)
        return tuple(root)

    def unique(self, sid: str) -> str:
        base, n = sid, 2
        while sid in self.ids:
            sid, n = f"{base}-{n}", n + 1
        self.ids.add(sid)
        return sid

    def block(self, style: str = "body"):
        from slagen.document import ListBlock, PageBreak, Paragraph, Run

        tok = self.tokens[self.pos]
        kind = tok.type
        if kind == "paragraph_open":
            inlines = _inlines(self.tokens[self.pos + 1].children or [])
            self.pos += 3
            return Paragraph(inlines, style=style)
        if kind in ("bullet_list_open", "ordered_list_open"):
            close = kind.replace("_open", "_close")
            self.pos += 1
            items = []
            while self.tokens[self.pos].type != close:
                assert self.tokens[self.pos].type == "list_item_open"
                self.pos += 1
                blocks = []
                while self.tokens[self.pos].type != "list_item_close":
                    b = self.block(style)
                    if b is not None:
                        blocks.append(b)
                self.pos += 1
                items.append(tuple(blocks))
            self.pos += 1
            return ListBlock(tuple(items), ordered=kind == "ordered_list_open")
        if kind == "blockquote_open":
            self.pos += 1
            blocks = []
            while self.tokens[self.pos].type != "blockquote_close":
                b = self.block("note")
                if b is not None:
                    blocks.append(b)
            self.pos += 1
            # A note is one block: a single paragraph, or (rarely) the first of several.
            return blocks[0] if len(blocks) == 1 else ListBlock(tuple((b,) for b in blocks))
        if kind == "table_open":
            return self.table()
        if kind in ("fence", "code_block"):
            self.pos += 1
            return Paragraph((Run(tok.content.rstrip("\n")),), style=style)
        if kind == "hr":
            self.pos += 1
            return PageBreak()
        if kind == "heading_open":  # a heading inside a list or quote: keep it as bold text
            inlines = _inlines(self.tokens[self.pos + 1].children or [], bold=True)
            self.pos += 3
            return Paragraph(inlines, style=style)
        self.pos += 1
        return None

    def table(self):
        from slagen.document import Table

        header: list = []
        rows: list = []
        row: list = []
        in_head = False
        while True:
            tok = self.tokens[self.pos]
            self.pos += 1
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "tr_open":
                row = []
            elif tok.type == "tr_close":
                (header if in_head else rows).append(tuple(row))
            elif tok.type == "inline":
                row.append(_inlines(tok.children or []))
            elif tok.type == "table_close":
                break
        self.tables += 1
        return Table(header=header[0] if header else (), rows=tuple(rows), id=f"{self.prefix}.table-{self.tables}")


def _inlines(children, bold: bool = False) -> tuple:
    from slagen.document import LineBreak, Run

    out: list = []
    strong, em = int(bold), 0
    for child in children:
        t = child.type
        if t == "text" or t == "code_inline":
            text = child.content
        elif t == "softbreak":
            text = " "
        elif t == "hardbreak":
            out.append(LineBreak())
            continue
        elif t == "strong_open":
            strong += 1
            continue
        elif t == "strong_close":
            strong -= 1
            continue
        elif t == "em_open":
            em += 1
            continue
        elif t == "em_close":
            em -= 1
            continue
        elif t == "image":
            text = child.content
        else:  # link_open / link_close and anything else carry no text of their own
            continue
        run = Run(text, bold=strong > 0, italic=em > 0)
        last = out[-1] if out else None
        if isinstance(last, Run) and last.bold == run.bold and last.italic == run.italic:
            out[-1] = Run(last.text + run.text, bold=run.bold, italic=run.italic)
        else:
            out.append(run)
    return tuple(out)
