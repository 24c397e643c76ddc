"""Document vs Document: what changed, clause by clause, word by word, cell by cell.

Both sides are trees of :mod:`slagen.document`. The diff aligns blocks with difflib's
``SequenceMatcher`` on keys that survive edits (a section's id, a table's id, a paragraph's
text), pairs what is left over by similarity, and recurses:

* sections by id (a clause keeps its id across versions); a changed title is diffed word by word;
* paragraphs word by word (numbers such as ``99.9%`` or ``08:30`` are one word);
* tables row by row (rows keyed by their first cell, the row's label), then cell by cell;
* list items by text, with an item that left one place and arrived at another reported as moved.

The result is a redline tree: the new document's blocks, with :class:`Inserted` and
:class:`Deleted` runs where text changed and :class:`RedlineSection` where a section's title
changed or the whole section came or went; and a flat list of :class:`Change` records for the
text and JSON summaries. Diffing a document with itself gives no changes; swapping the two
sides swaps insertions and deletions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Iterable

from slagen.document import (
    Document,
    LineBreak,
    ListBlock,
    Paragraph,
    Run,
    Section,
    Table,
    TableOfContents,
    plain_text,
)

# --------------------------------------------------------------------------------------------
# Redline nodes: what a redline tree holds besides the ordinary ones


@dataclass(frozen=True)
class Inserted:
    """Text the new version adds. A newline in ``text`` is an inserted line break."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Deleted:
    """Text the new version removes. A newline in ``text`` is a deleted line break."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class RedlineSection(Section):
    """A section whose heading is tracked: its title as inlines, and whether it came or went.

    A subclass of :class:`Section`, so numbering and walks treat it as a section; writers
    dispatch on the exact type, so a redline writer can draw the tracked heading.
    """

    title_inlines: tuple = ()
    mark: str = ""  # "" | inserted | deleted


TRACKED = (Inserted, Deleted)


@dataclass(frozen=True)
class Change:
    """One change, for the text and JSON summaries.

    ``kind`` is added, removed, changed, or moved (a list item that changed position).
    ``path`` names the place: section ids joined by '/', then ``p[N]`` (the N-th paragraph of
    the section), ``list[N]/item[M]``, ``table[ID]/row[R]/cell[C]`` or ``title``; numbers are
    1-based and count in the new document (in the old one for what was removed).
    """

    clause: str
    path: str
    kind: str
    before: str
    after: str

    def as_json(self) -> dict:
        return {"clause": self.clause, "path": self.path, "kind": self.kind,
                "before": self.before, "after": self.after}


@dataclass(frozen=True)
class DiffResult:
    blocks: tuple
    changes: tuple[Change, ...] = field(default=())


# --------------------------------------------------------------------------------------------
# Words

# A number with its separators and an optional percent sign is one word: "99.9%", "08:30",
# "5,400.00"; so are words with an apostrophe. Whitespace and each punctuation mark are tokens.
_TOKEN = re.compile(r"\d+(?:[.,:/]\d+)*%?|\w+(?:['’]\w+)*|\s+|[^\w\s]")
_BREAK = "\x00br"  # the comparison key of a line break


@dataclass(frozen=True)
class _Token:
    text: str
    bold: bool
    italic: bool

    @property
    def key(self) -> str:
        return self.text


def _tokens(inlines) -> list[_Token]:
    out: list[_Token] = []
    for inline in inlines:
        if isinstance(inline, LineBreak):
            out.append(_Token(_BREAK, False, False))
        else:
            out.extend(_Token(t, inline.bold, inline.italic) for t in _TOKEN.findall(inline.text))
    return out


def _emit(out: list, node_type, token: _Token) -> None:
    """Add ``token`` to ``out``: pieces [node_type, bold, italic, texts] joined by :func:`_nodes`.

    Texts are gathered in lists and joined once: adding to a string token by token would copy a
    long paragraph once per word.
    """
    if node_type is Run and token.text == _BREAK:
        out.append(LineBreak())
        return
    text = "\n" if token.text == _BREAK else token.text
    last = out[-1] if out else None
    if isinstance(last, list) and last[0] is node_type and last[1] == token.bold and last[2] == token.italic:
        last[3].append(text)
    else:
        out.append([node_type, token.bold, token.italic, [text]])


def _nodes(pieces: list) -> tuple:
    return tuple(p if isinstance(p, LineBreak) else p[0]("".join(p[3]), bold=p[1], italic=p[2]) for p in pieces)


# --------------------------------------------------------------------------------------------
# Bounded matching. difflib's SequenceMatcher takes time that grows with the product of the two
# lengths (and worse on repetitive text: two 2,000-word paragraphs took 37 s). Past these budgets
# the diff gets coarser, never slower: a run too long to compare word by word is compared
# sentence by sentence, and one still too long is shown as deleted and inserted whole.

#: The most token pairs (old tokens x new tokens) one word-by-word comparison may look at: about
#: 500 changed words on each side, half a second on the most repetitive text.
WORD_PAIR_BUDGET = 1_000_000
#: The most similarity comparisons of blocks in one replaced range (paragraphs that pair in order
#: need one each).
BLOCK_PAIR_BUDGET = 20_000
_SENTENCE_END = {".", "!", "?", ";", ":", _BREAK}


def _bounded_opcodes(a: list, b: list) -> list[tuple[str, int, int, int, int]]:
    """SequenceMatcher opcodes for ``a`` -> ``b``, exact within the budget and coarser past it."""
    if len(a) * len(b) <= WORD_PAIR_BUDGET:
        return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    out: list[tuple[str, int, int, int, int]] = []
    if head:
        out.append(("equal", 0, head, 0, head))
    out += _middle(a, b, head, len(a) - tail, head, len(b) - tail, by_sentence=True)
    if tail:
        out.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return out


def _middle(a: list, b: list, i1: int, i2: int, j1: int, j2: int, *, by_sentence: bool) -> list:
    if i1 == i2 and j1 == j2:
        return []
    if i1 == i2 or j1 == j2:
        return [("insert" if i1 == i2 else "delete", i1, i2, j1, j2)]
    if (i2 - i1) * (j2 - j1) <= WORD_PAIR_BUDGET:
        matcher = SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False)
        return [(tag, i1 + p1, i1 + p2, j1 + q1, j1 + q2) for tag, p1, p2, q1, q2 in matcher.get_opcodes()]
    if not by_sentence:
        return [("replace", i1, i2, j1, j2)]
    # Too long for word by word: anchor on the sentences found exactly once on each side (the
    # patience diff idea: a sort, not a comparison of every pair), then compare between anchors.
    old_spans, new_spans = _sentences(a, i1, i2), _sentences(b, j1, j2)
    out: list = []
    x, y = i1, j1
    for p, q in _unique_anchors([tuple(a[u:v]) for u, v in old_spans], [tuple(b[u:v]) for u, v in new_spans]):
        (u1, u2), (v1, v2) = old_spans[p], new_spans[q]
        out += _middle(a, b, x, u1, y, v1, by_sentence=False)
        out.append(("equal", u1, u2, v1, v2))
        x, y = u2, v2
    return out + _middle(a, b, x, i2, y, j2, by_sentence=False)


def _unique_anchors(old_keys: list, new_keys: list) -> list[tuple[int, int]]:
    """Pairs (i, j) of keys that occur once on each side, the longest run in the same order."""
    from collections import Counter

    old_count, new_count = Counter(old_keys), Counter(new_keys)
    where_new = {k: j for j, k in enumerate(new_keys) if new_count[k] == 1}
    pairs = [(i, where_new[k]) for i, k in enumerate(old_keys) if old_count[k] == 1 and k in where_new]
    # Longest increasing subsequence of the new positions (patience sorting), O(n log n).
    tails: list[int] = []  # tails[L] = index into pairs ending the best run of length L + 1
    previous = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        level = _level(pairs, tails, j)
        if level:
            previous[n] = tails[level - 1]
        if level == len(tails):
            tails.append(n)
        else:
            tails[level] = n
    run, n = [], tails[-1] if tails else -1
    while n >= 0:
        run.append(pairs[n])
        n = previous[n]
    return run[::-1]


def _level(pairs: list, tails: list[int], j: int) -> int:
    low, high = 0, len(tails)
    while low < high:
        mid = (low + high) // 2
        if pairs[tails[mid]][1] < j:
            low = mid + 1
        else:
            high = mid
    return low


def _sentences(tokens: list, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut after each sentence-ending mark."""
    spans, first = [], start
    for k in range(start, end):
        if tokens[k] in _SENTENCE_END:
            spans.append((first, k + 1))
            first = k + 1
    if first < end:
        spans.append((first, end))
    return spans


def word_diff(old_inlines, new_inlines) -> tuple[tuple, bool]:
    """The new inlines with deleted and inserted words marked, and whether anything changed.

    Unchanged words keep the new version's formatting: a change of bold alone is not a change
    of wording, and legal review is about wording.
    """
    a, b = _tokens(old_inlines), _tokens(new_inlines)
    opcodes = _bounded_opcodes([t.key for t in a], [t.key for t in b])
    segments = [[tag, a[i1:i2], b[j1:j2]] for tag, i1, i2, j1, j2 in opcodes]
    # A lone space between two changes belongs to them: "~~a b~~ x y", not "~~a~~ x ~~b~~ y".
    for k in range(1, len(segments) - 1):
        tag, olds, _ = segments[k]
        if (tag == "equal" and segments[k - 1][0] != "equal" and segments[k + 1][0] != "equal"
                and all(t.text.isspace() for t in olds)):
            segments[k][0] = "replace"
    merged: list[list] = []
    for seg in segments:
        if merged and seg[0] != "equal" and merged[-1][0] != "equal":
            merged[-1][0] = "replace"  # in place: the slices are this function's own lists
            merged[-1][1].extend(seg[1])
            merged[-1][2].extend(seg[2])
        else:
            merged.append(seg)
    out: list = []
    changed = False
    for tag, olds, news in merged:
        if tag == "equal":
            for t in news:
                _emit(out, Run, t)
            continue
        changed = True
        for t in olds:
            _emit(out, Deleted, t)
        for t in news:
            _emit(out, Inserted, t)
    return _nodes(out), changed


def _ratio(a: str, b: str) -> float:
    """How alike two texts are, by their words (spaces do not count: every text has them)."""
    ta = [t for t in _TOKEN.findall(a) if not t.isspace()]
    tb = [t for t in _TOKEN.findall(b) if not t.isspace()]
    if not ta and not tb:
        return 1.0
    matcher = SequenceMatcher(None, ta, tb, autojunk=False)
    if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
        return matcher.quick_ratio()
    if len(ta) * len(tb) > WORD_PAIR_BUDGET:  # the shared words, counted without their order
        return matcher.quick_ratio()
    return matcher.ratio()


# --------------------------------------------------------------------------------------------
# Marking whole blocks


def _mark_inlines(inlines, node_type) -> tuple:
    out = []
    for inline in inlines:
        if isinstance(inline, LineBreak):
            out.append(node_type("\n"))
        elif isinstance(inline, Run):
            out.append(node_type(inline.text, bold=inline.bold, italic=inline.italic))
        else:  # already tracked
            out.append(inline)
    return tuple(out)


def mark_block(block, node_type):
    """``block`` with all of its text inserted (node_type Inserted) or deleted (Deleted)."""
    if isinstance(block, Section):
        mark = "inserted" if node_type is Inserted else "deleted"
        return RedlineSection(id=block.id, title=block.title,
                              children=tuple(mark_block(b, node_type) for b in block.children),
                              numbered=block.numbered, annex=block.annex,
                              title_inlines=_mark_inlines((Run(block.title),), node_type), mark=mark)
    if isinstance(block, Paragraph):
        return replace(block, inlines=_mark_inlines(block.inlines, node_type))  # keeps number and anchor
    if isinstance(block, ListBlock):
        return replace(block, items=tuple(tuple(mark_block(b, node_type) for b in item) for item in block.items))
    if isinstance(block, Table):
        return Table(header=tuple(_mark_inlines(c, node_type) for c in block.header),
                     rows=tuple(tuple(_mark_inlines(c, node_type) for c in row) for row in block.rows),
                     id=block.id, caption=block.caption, widths=block.widths)
    return block  # page breaks, signature blocks: nothing to read


def has_changes(node) -> bool:
    """Whether a block (or a tuple of inlines or blocks) holds any tracked text."""
    if isinstance(node, TRACKED):
        return True
    if isinstance(node, RedlineSection) and (node.mark or any(isinstance(i, TRACKED) for i in node.title_inlines)):
        return True
    if isinstance(node, tuple):
        return any(has_changes(n) for n in node)
    if isinstance(node, Paragraph):
        return has_changes(node.inlines)
    if isinstance(node, Section):
        return has_changes(node.children)
    if isinstance(node, ListBlock):
        return any(has_changes(item) for item in node.items)
    if isinstance(node, Table):
        return has_changes(node.header) or any(has_changes(row) for row in node.rows)
    return False


# --------------------------------------------------------------------------------------------
# Text of blocks (for the summaries)


def block_text(block) -> str:
    if isinstance(block, Paragraph):
        return plain_text(block.inlines)
    if isinstance(block, Section):
        return block.title
    if isinstance(block, ListBlock):
        return "; ".join(item_text(item) for item in block.items)
    if isinstance(block, Table):
        return " / ".join(" | ".join(plain_text(c) for c in row) for row in ((block.header,) + block.rows) if row)
    return ""


def item_text(item) -> str:
    return " ".join(block_text(b) for b in item)


def _cells_text(cells) -> str:
    return " | ".join(plain_text(c) for c in cells)


# --------------------------------------------------------------------------------------------
# Alignment


def _key(block):
    if isinstance(block, Section):
        return ("section", block.id)
    if isinstance(block, Table):
        return ("table", block.id or _cells_text(block.header))
    if isinstance(block, ListBlock):
        return ("list", block.ordered)
    if isinstance(block, Paragraph):
        return ("p", block.style, plain_text(block.inlines))
    return (type(block).__name__, block)


def _similar(old, new) -> bool:
    if type(old) is not type(new):
        return False
    if isinstance(old, Paragraph):
        return _ratio(plain_text(old.inlines), plain_text(new.inlines)) >= 0.5
    if isinstance(old, ListBlock):
        return old.ordered == new.ordered
    if isinstance(old, Table):
        return len(old.header) == len(new.header)
    if isinstance(old, Section):
        return old.id == new.id
    return True


def _pair_up(olds: list, news: list, similar) -> Iterable[tuple]:
    """Monotone greedy pairing of a replaced range: ('del', i) / ('ins', j) / ('pair', i, j).

    Blocks that pair in order cost one comparison each; once BLOCK_PAIR_BUDGET comparisons are
    spent (a long range where little is alike), the rest is shown as deleted and inserted.
    """
    budget = BLOCK_PAIR_BUDGET

    def alike(old, new) -> bool:
        nonlocal budget
        budget -= 1
        return budget >= 0 and similar(old, new)

    j = 0
    for i, old in enumerate(olds):
        k = next((k for k in range(j, len(news)) if alike(old, news[k])), None)
        if k is None:
            yield ("del", i)
            continue
        for n in range(j, k):
            yield ("ins", n)
        yield ("pair", i, k)
        j = k + 1
    for n in range(j, len(news)):
        yield ("ins", n)


def _opcodes(old_keys: list, new_keys: list, olds: list, news: list, similar) -> Iterable[tuple]:
    """('pair', i, j) / ('del', i) / ('ins', j) over whole sequences, in document order."""
    for tag, i1, i2, j1, j2 in _bounded_opcodes(old_keys, new_keys):
        if tag == "equal":
            for k in range(i2 - i1):
                yield ("pair", i1 + k, j1 + k)
            continue
        for op in _pair_up(olds[i1:i2], news[j1:j2], similar):
            if op[0] == "pair":
                yield ("pair", i1 + op[1], j1 + op[2])
            elif op[0] == "del":
                yield ("del", i1 + op[1])
            else:
                yield ("ins", j1 + op[1])


def _labels(blocks) -> list[str]:
    """Each block's name inside its section: p[2], list[1], table[priorities.table-1], section id."""
    counts: dict[str, int] = {}
    out = []
    for block in blocks:
        if isinstance(block, Section):
            out.append(block.id)
            continue
        if isinstance(block, Table) and block.id:
            out.append(f"table[{block.id}]")
            continue
        name = {Paragraph: "p", ListBlock: "list", Table: "table"}.get(type(block), type(block).__name__.lower())
        counts[name] = counts.get(name, 0) + 1
        out.append(f"{name}[{counts[name]}]")
    return out


# --------------------------------------------------------------------------------------------
# The differ


class _Differ:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    def record(self, clause: str, path: str, kind: str, before: str, after: str) -> None:
        self.changes.append(Change(clause, path, kind, before, after))

    # ---- sequences of blocks -----------------------------------------------------------------

    def blocks(self, old: tuple, new: tuple, prefix: str, clause: str | None) -> tuple:
        old, new = list(old), list(new)
        old_labels, new_labels = _labels(old), _labels(new)
        out = []
        for op in _opcodes([_key(b) for b in old], [_key(b) for b in new], old, new, _similar):
            if op[0] == "pair":
                o, n = old[op[1]], new[op[2]]
                out.append(self.pair(o, n, _join(prefix, new_labels[op[2]]), clause))
            elif op[0] == "del":
                b = old[op[1]]
                self.whole(b, _join(prefix, old_labels[op[1]]), clause, "removed")
                out.append(mark_block(b, Deleted))
            else:
                b = new[op[1]]
                self.whole(b, _join(prefix, new_labels[op[1]]), clause, "added")
                out.append(mark_block(b, Inserted))
        return tuple(out)

    def whole(self, block, path: str, clause: str | None, kind: str) -> None:
        if isinstance(block, Section):
            owner = clause or block.id
            text = block.title
        else:
            owner = clause or path.split("/", 1)[0]
            text = block_text(block)
        if not text and not isinstance(block, Section):
            return  # a page break or signature lines: nothing a reader would call a change
        before, after = (text, "") if kind == "removed" else ("", text)
        self.record(owner, path, kind, before, after)

    # ---- one pair ----------------------------------------------------------------------------

    def pair(self, old, new, path: str, clause: str | None):
        if old == new:
            return new
        if isinstance(new, Section):
            return self.section(old, new, path, clause)
        if isinstance(new, Paragraph):
            inlines, changed = word_diff(old.inlines, new.inlines)
            if not changed:
                return new
            self.record(clause or path.split("/", 1)[0], path, "changed",
                        plain_text(old.inlines), plain_text(new.inlines))
            return replace(new, inlines=inlines)
        if isinstance(new, ListBlock):
            return self.list_block(old, new, path, clause)
        if isinstance(new, Table):
            return self.table(old, new, path, clause)
        return new

    def section(self, old: Section, new: Section, path: str, clause: str | None):
        # A clause is the outermost section, except inside an annex, where each child is one.
        owner = clause if clause is not None else (None if new.annex else new.id)
        children = self.blocks(old.children, new.children, path, owner)
        if old.title == new.title:
            return Section(new.id, new.title, children, numbered=new.numbered, annex=new.annex)
        title, _ = word_diff((Run(old.title),), (Run(new.title),))
        self.record(clause or new.id, f"{path}/title", "changed", old.title, new.title)
        return RedlineSection(new.id, new.title, children, numbered=new.numbered, annex=new.annex,
                              title_inlines=title)

    def list_block(self, old: ListBlock, new: ListBlock, path: str, clause: str | None) -> ListBlock:
        owner = clause or path.split("/", 1)[0]
        old_text = [item_text(i) for i in old.items]
        new_text = [item_text(i) for i in new.items]
        ops = list(_opcodes(old_text, new_text, old_text, new_text, lambda a, b: _ratio(a, b) >= 0.5))
        # An item deleted in one place and inserted with the same text in another has moved.
        deleted = {}
        for op in ops:
            if op[0] == "del":
                deleted.setdefault(old_text[op[1]], []).append(op[1])
        moved_to: dict[int, int] = {}  # new index -> old index
        for op in ops:
            if op[0] == "ins" and deleted.get(new_text[op[1]]):
                moved_to[op[1]] = deleted[new_text[op[1]]].pop(0)
        moved_from = set(moved_to.values())
        items = []
        for op in ops:
            if op[0] == "pair":
                i, j = op[1], op[2]
                o, n = old.items[i], new.items[j]
                items.append(n if o == n else self.blocks(o, n, f"{path}/item[{j + 1}]", owner))
            elif op[0] == "del":
                i = op[1]
                if i not in moved_from:
                    self.record(owner, f"{path}/item[{i + 1}]", "removed", old_text[i], "")
                items.append(tuple(mark_block(b, Deleted) for b in old.items[i]))
            else:
                j = op[1]
                if j in moved_to:
                    i = moved_to[j]
                    self.record(owner, f"{path}/item[{j + 1}]", "moved",
                                f"item {i + 1}: {old_text[i]}", f"item {j + 1}: {new_text[j]}")
                else:
                    self.record(owner, f"{path}/item[{j + 1}]", "added", "", new_text[j])
                items.append(tuple(mark_block(b, Inserted) for b in new.items[j]))
        return replace(new, items=tuple(items))

    def table(self, old: Table, new: Table, path: str, clause: str | None) -> Table:
        owner = clause or path.split("/", 1)[0]
        header = self.cells(old.header, new.header, f"{path}/header", owner) if old.header or new.header else ()
        old_keys = [plain_text(r[0]) if r else "" for r in old.rows]
        new_keys = [plain_text(r[0]) if r else "" for r in new.rows]

        def similar(a, b) -> bool:
            return _ratio(" ".join(plain_text(c) for c in a), " ".join(plain_text(c) for c in b)) >= 0.5

        rows = []
        for op in _opcodes(old_keys, new_keys, list(old.rows), list(new.rows), similar):
            if op[0] == "pair":
                i, j = op[1], op[2]
                rows.append(self.cells(old.rows[i], new.rows[j], f"{path}/row[{j + 1}]", owner))
            elif op[0] == "del":
                i = op[1]
                self.record(owner, f"{path}/row[{i + 1}]", "removed", _cells_text(old.rows[i]), "")
                rows.append(tuple(_mark_inlines(c, Deleted) for c in old.rows[i]))
            else:
                j = op[1]
                self.record(owner, f"{path}/row[{j + 1}]", "added", "", _cells_text(new.rows[j]))
                rows.append(tuple(_mark_inlines(c, Inserted) for c in new.rows[j]))
        return Table(header=header, rows=tuple(rows), id=new.id, caption=new.caption, widths=new.widths)

    def cells(self, old: tuple, new: tuple, path: str, owner: str) -> tuple:
        out = []
        for c in range(max(len(old), len(new))):
            o = old[c] if c < len(old) else ()
            n = new[c] if c < len(new) else ()
            if o == n:
                out.append(n)
                continue
            inlines, changed = word_diff(o, n)
            if changed:
                self.record(owner, f"{path}/cell[{c + 1}]", "changed", plain_text(o), plain_text(n))
            out.append(inlines if changed else n)
        return tuple(out)


def _join(prefix: str, label: str) -> str:
    return f"{prefix}/{label}" if prefix else label


def diff_blocks(old: tuple, new: tuple) -> DiffResult:
    differ = _Differ()
    blocks = differ.blocks(old, new, "", None)
    return DiffResult(blocks, tuple(differ.changes))


def diff_documents(old: Document, new: Document) -> DiffResult:
    """The redline blocks of ``new`` against ``old`` and the list of changes.

    The contents list is left out: it is a field the word processor fills, not text to review.
    """
    def body(document: Document) -> tuple:
        return tuple(b for b in document.blocks if not isinstance(b, TableOfContents))

    return diff_blocks(body(old), body(new))


def compact(before: str, after: str, context: int = 6) -> str:
    """One line showing only what changed, wdiff-style: '... at [-03:40-]{+01:40+}, because ...'.

    ``context`` words of unchanged text are kept either side of each change.
    """
    inlines, _ = word_diff((Run(before),), (Run(after),))
    pieces: list[tuple[str, str]] = []  # (kind, text): kind "" for unchanged
    for i in inlines:
        text_ = i.text if not isinstance(i, LineBreak) else " "
        pieces.append(("-" if isinstance(i, Deleted) else "+" if isinstance(i, Inserted) else "", text_))
    out = []
    for n, (kind, text_) in enumerate(pieces):
        if kind == "-":
            out.append(f"[-{text_}-]")
        elif kind == "+":
            out.append(f"{{+{text_}+}}")
        else:
            lead = text_[: len(text_) - len(text_.lstrip())]
            words = re.findall(r"\S+\s*", text_)
            first, last = n == 0, n == len(pieces) - 1
            keep = context if (first or last) else 2 * context
            if len(words) > keep:
                head = "" if first else lead + "".join(words[:context])
                tail = "" if last else "".join(words[-context:])
                text_ = head + ("... " if not last else "...") + tail
            out.append(text_)
    return "".join(out).strip()
