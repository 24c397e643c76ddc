"""Checking a clause's template against the contract model, without a contract.

Every name a clause uses (``customer.name``, ``facts.downtime[0].allowed``, a loop over
``services``) is followed through the types of :class:`slagen.model.Contract` and
:class:`slagen.compose.facts.Facts`. A clause that names a field the model lacks, an unknown section or an
unknown filter is reported when the library loads (and so by the test suite), never halfway
through rendering a customer's document.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from slagen.compose.clause_text import environment
from slagen.compose.facts import context_types

if TYPE_CHECKING:
    from slagen.compose.clause_file import Clause


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
    for condition, body, _first_line in clause.variants:  # every variant is checked, chosen or not
        sources.append(("body", body, 0))
        sources.append(("when", "{{ " + condition + " }}", 0))
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
