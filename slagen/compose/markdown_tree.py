"""Rendered clause Markdown -> blocks of the document tree (:mod:`slagen.document`).

Clauses are written in Markdown so lawyers can read and edit them; the writers (PDF, DOCX, HTML)
work from one format-neutral tree. This module is the one bridge between the two: markdown-it-py
(CommonMark plus tables, raw HTML disabled so it stays text) parses the rendered clause, and
headings become nested sections with stable ids. markdown_it is imported on first use only.

Two marks pass through Markdown untouched and become tree nodes here:

* a cross-reference placeholder (:data:`REF_OPEN` target :data:`REF_CLOSE`, written by
  ``ref()`` in :mod:`slagen.compose.clause_text`) becomes an unresolved
  :class:`slagen.document.Reference`; assembly fills in its number;
* a printed contract value (``VALUE_OPEN`` path ``VALUE_SEP`` text ``VALUE_CLOSE``, written by
  :mod:`slagen.compose.clause_text`) becomes a :class:`slagen.document.Value` carrying its path;
* an anchor ``[](#name)`` (a link with no text to a fragment) makes the paragraph or list item it
  sits in the target ``clause-id#name`` of ``ref("clause-id", "name")``.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


# Private-use characters: no contract value can carry them (escape_markdown replaces them).
REF_OPEN, REF_CLOSE = "\ue000", "\ue001"
_REF = re.compile(f"{REF_OPEN}([^{REF_CLOSE}]*){REF_CLOSE}")


VALUE_OPEN, VALUE_SEP, VALUE_CLOSE = "\ue002", "\ue003", "\ue004"  # as clause_text writes them
_VALUE_MARKS = re.compile(f"{VALUE_OPEN}[^{VALUE_SEP}]*{VALUE_SEP}|{VALUE_CLOSE}")


def strip_value_marks(text: str) -> str:
    """Text whose value marks cannot become nodes (a heading, a code block): the words only."""
    return _VALUE_MARKS.sub("", text)


def reference_placeholder(target: str) -> str:
    return f"{REF_OPEN}{target}{REF_CLOSE}"


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
                title = strip_value_marks(self.tokens[self.pos + 1].content)
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
            anchors: list[str] = []
            inlines = _inlines(self.tokens[self.pos + 1].children or [], anchors=anchors)
            self.pos += 3
            anchor = f"{self.prefix}#{anchors[0]}" if anchors else ""
            return Paragraph(inlines, style=style, anchor=anchor)
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
            return Paragraph((Run(strip_value_marks(tok.content).rstrip("\n")),), style=style)
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


def _inlines(children, bold: bool = False, anchors: list | None = None) -> tuple:
    from slagen.document import LineBreak, Reference, Run

    out: list = []
    strong, em = int(bold), 0
    for i, child in enumerate(children):
        t = child.type
        if t == "link_open" and anchors is not None:
            href = child.attrs.get("href", "")
            following = children[i + 1].type if i + 1 < len(children) else ""
            if str(href).startswith("#") and following == "link_close":
                anchors.append(str(href)[1:])
            continue
        if t == "text" and REF_OPEN in child.content:
            # Text with references: the text around them as runs, each reference a node.
            pieces = _REF.split(child.content)
            for n, piece in enumerate(pieces):
                if n % 2:
                    out.append(Reference("", bold=strong > 0, italic=em > 0, target=piece))
                elif piece:
                    _append(out, Run(piece, bold=strong > 0, italic=em > 0))
            continue
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
        _append(out, Run(text, bold=strong > 0, italic=em > 0))
    return _values(out) if any(type(r) is Run and VALUE_SEP in r.text for r in out) else tuple(out)


def _values(inlines: list) -> tuple:
    """Runs with value marks split into runs and :class:`Value` nodes (a mark may span runs)."""
    from slagen.document import Run, Value

    out: list = []
    state, path = "", ""  # state: "" outside a value, "path" reading its path, "text" its words

    def emit(node) -> None:
        last = out[-1] if out else None
        if not node.text:
            return
        if (type(node) is Value and type(last) is Value and last.path == node.path
                and (last.bold, last.italic) == (node.bold, node.italic)):
            out[-1] = Value(last.text + node.text, bold=node.bold, italic=node.italic, path=node.path)
        elif type(node) is Run:
            _append(out, node)
        else:
            out.append(node)

    for node in inlines:
        if type(node) is not Run:
            out.append(node)
            continue
        text, pos = node.text, 0
        while pos <= len(text):
            mark = {"": VALUE_OPEN, "path": VALUE_SEP, "text": VALUE_CLOSE}[state]
            end = text.find(mark, pos)
            piece = text[pos:] if end < 0 else text[pos:end]
            if state == "path":
                path += piece
            elif state == "text":
                emit(Value(piece, bold=node.bold, italic=node.italic, path=path))
            else:
                emit(Run(piece, bold=node.bold, italic=node.italic))
            if end < 0:
                break
            pos = end + 1
            state = {"": "path", "path": "text", "text": ""}[state]
            if state == "path":
                path = ""
    return tuple(out)


def _append(out: list, run) -> None:
    """Add a run, merged into the one before when both are plain runs in the same style."""
    from slagen.document import Run

    last = out[-1] if out else None
    if type(last) is Run and last.bold == run.bold and last.italic == run.italic:
        out[-1] = Run(last.text + run.text, bold=run.bold, italic=run.italic)
    else:
        out.append(run)
