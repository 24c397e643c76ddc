"""A customer's marked-up DOCX mapped onto the contract: each change on its clause, each value on its path.

slagen rendered the file, so the file can be compared with the document slagen renders again
from the same contract (:func:`expected_document`): the same paragraphs, each known to belong to
a clause and to carry values at known paths. The customer's paragraphs are aligned with those
(by their text as sent, so a paragraph added or removed without tracking does not shift the rest),
and then:

* a tracked change that lies inside one value's control is a **value change** (path, old words,
  new words, new value in the format's own types: "15 minutes" -> ``15m``);
* any other tracked change of wording is a **wording change** of its clause;
* a paragraph the customer added (all of it tracked as inserted) is an **added paragraph** after
  the clause it follows; a moved stretch of text is one **move**;
* a comment is a **note** on the clause it is anchored in;
* text that differs from what slagen rendered without a tracked change is an **untracked edit**,
  reported loudly: it was changed where nobody could see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from slagen.document import Paragraph, Section, numbers, walk
from slagen.errors import UsageError
from slagen.negotiate.reader import MarkedUp, ReadParagraph, Segment, read_marked_up
from slagen.writers import docx_controls as controls

KINDS = ("value", "wording", "added", "moved", "note", "untracked")


@dataclass(frozen=True)
class Place:
    """Where a paragraph sits: the clause (its id and title) and the number a reader cites."""

    clause: str = ""
    title: str = ""
    number: str = ""


@dataclass
class Change:
    id: str  # c1, c2, ... in document order
    kind: str  # one of KINDS
    place: Place
    summary: str  # one line, in words
    revisions: list[int] = field(default_factory=list)  # indexes into MarkedUp.revisions
    paragraphs: list[int] = field(default_factory=list)  # customer's paragraph indexes
    author: str = ""
    date: str = ""
    path: str = ""  # value changes: the contract path
    old: str = ""  # the words as sent
    new: str = ""  # the words proposed
    value: Any = None  # value changes: the new value as the format writes it ('15m'); None if unreadable
    problem: str = ""  # value changes: why the new words are not a value of the field
    comment: str = ""  # notes: the comment's text

    def as_json(self) -> dict:
        out = {"id": self.id, "kind": self.kind, "clause": self.place.clause, "clause_title": self.place.title,
               "number": self.place.number, "summary": self.summary, "author": self.author, "date": self.date,
               "old": self.old, "new": self.new}
        if self.kind == "value":
            out.update(path=self.path, value=self.value, problem=self.problem)
        if self.kind == "note":
            out["comment"] = self.comment
        return out


@dataclass
class Reading:
    """Everything read from the customer's file, mapped onto the contract."""

    file: str
    kind: str  # agreement | sow
    marked: MarkedUp
    changes: list[Change]
    places: list[Place]  # the place of each customer paragraph, by index
    clause_titles: dict[str, str]
    clause_order: list[str]
    warnings: list[str] = field(default_factory=list)
    added_paragraphs: set[int] = field(default_factory=set)  # paragraphs the customer added whole

    @property
    def untracked_clauses(self) -> set[str]:
        """Clauses with text changed without tracking: their wording cannot be taken from the file."""
        return {c.place.clause for c in self.changes if c.kind == "untracked" and c.place.clause}

    def clause_texts(self, applied: set[int] | None = None) -> dict[str, str]:
        """Clause id -> its text (Markdown) with the revisions ``applied`` (indexes into the
        file's revisions; None: every one) taken and the others left as sent."""
        return _clauses_proposed(self.marked, self.places, self.added_paragraphs, applied)[0]


# --------------------------------------------------------------------------------------------
# The document as slagen renders it


def _subclause_numbers(blocks) -> list[str]:
    """The numbers of the numbered paragraphs without an anchor, in document order (as numbers())."""
    out: list[str] = []

    def inner(children, prefix: str) -> None:
        n = 0
        for child in children:
            if isinstance(child, Section):
                if child.numbered and prefix:
                    n += 1
                    inner(child.children, f"{prefix}.{n}")
                else:
                    inner(child.children, prefix)
            elif isinstance(child, Paragraph) and child.numbered:
                if prefix:
                    n += 1
                if not child.anchor:
                    out.append(f"{prefix}.{n}" if prefix else "")
            # lists and tables hold no numbered sub-clauses (compose/subclauses.py)

    numbered_top = annexes = 0
    from slagen.document import annex_letter

    for block in blocks:
        if not isinstance(block, Section):
            continue
        if block.annex:
            inner(block.children, annex_letter(annexes))
            annexes += 1
        elif block.numbered:
            numbered_top += 1
            inner(block.children, str(numbered_top))
        else:
            inner(block.children, "")
    return out


def bookmark_places(document) -> dict[str, Place]:
    """Bookmark name -> the place it marks: headings, anchored paragraphs, numbered paragraphs."""
    from slagen.writers.docx import bookmark_name

    found = numbers(document.blocks)
    clause_ids = {e.id for e in document.metadata.get("register", ())}
    titles = {b.id: b.title for b in walk(document.blocks) if isinstance(b, Section)}
    out: dict[str, Place] = {}
    clause = ""

    def owner(section_id: str) -> str:
        # the clause a section belongs to: itself, or the clause whose id starts its own
        while section_id and section_id not in clause_ids:
            section_id = section_id.rpartition(".")[0]
        return section_id

    for block in walk(document.blocks):
        if isinstance(block, Section):
            clause = owner(block.id) or clause
            out[bookmark_name(block.id)] = Place(clause, titles.get(clause, ""), found.get(block.id, ""))
        elif isinstance(block, Paragraph) and block.anchor:
            clause_of = owner(block.anchor.split("#", 1)[0]) or clause
            out[bookmark_name(block.anchor)] = Place(clause_of, titles.get(clause_of, ""),
                                                     found.get(block.anchor, ""))
    subclauses = _subclause_numbers(document.blocks)
    # the _Slp bookmarks follow the numbered paragraphs; their clause is the heading before them
    clause = ""
    k = 0
    for block in walk(document.blocks):
        if isinstance(block, Section):
            clause = owner(block.id) or clause
        elif isinstance(block, Paragraph) and block.numbered and not block.anchor and k < len(subclauses):
            out[f"{controls.PARAGRAPH_BOOKMARK}{k}"] = Place(clause, titles.get(clause, ""), subclauses[k])
            k += 1
    return out


def value_paths(document) -> list[str]:
    """The path of value n (bookmark _Slv<n>), by n: the values in the order the writer meets them."""
    from slagen.document import ListBlock, Table, Value

    out: list[str] = []

    def inlines(items) -> None:
        for inline in items:
            if type(inline) is Value and inline.path:
                out.append(inline.path)

    def blocks(items) -> None:
        for block in items:
            if isinstance(block, Paragraph):
                inlines(block.inlines)
            elif isinstance(block, Section):
                blocks(block.children)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    blocks(item)
            elif isinstance(block, Table):
                for row in ((block.header,) if block.header else ()) + block.rows:
                    for cell in row:
                        inlines(cell)

    blocks(document.blocks)
    return out


def places_of(paragraphs: list[ReadParagraph], by_bookmark: dict[str, Place]) -> list[Place]:
    """Each paragraph's place: its own bookmark's, else the place of the paragraph before it."""
    out, current = [], Place()
    for p in paragraphs:
        for name in p.bookmarks:
            if name in by_bookmark:
                current = by_bookmark[name]
                break
        out.append(current)
    return out


# --------------------------------------------------------------------------------------------
# Checking the file is this contract's


def check_identity(marked: MarkedUp, file: str, reference: str, version: str) -> str:
    """The document kind the file says it is, or a refusal naming what is wrong."""
    props = marked.properties
    if controls.PROPERTY_REFERENCE not in props:
        raise UsageError(f"{file}: error: this DOCX was not made by slagen (it has none of slagen's document "
                         "properties), so its changes cannot be mapped onto the contract; ask the customer to "
                         "mark up the file slagen rendered")
    theirs, their_version = props.get(controls.PROPERTY_REFERENCE, ""), props.get(controls.PROPERTY_VERSION, "")
    if theirs != reference:
        raise UsageError(f"{file}: error: this DOCX is of contract {theirs!r}, not {reference!r}; give the contract "
                         "it was rendered from")
    if their_version != version:
        raise UsageError(f"{file}: error: this DOCX is of version {their_version!r} of {reference}, but the contract "
                         f"given is at version {version!r}; give the version that was sent to the customer")
    kind = props.get(controls.PROPERTY_KIND, "agreement")
    return kind if kind in ("agreement", "sow") else "agreement"


# --------------------------------------------------------------------------------------------
# Classifying


def _words(text: str, limit: int = 80) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def differing_words(old: str, new: str) -> tuple[str, str]:
    """The words that differ between two texts, with a word of context either side."""
    a, b = old.split(), new.split()
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    ops = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if not ops:
        return _words(old, 60), _words(new, 60)  # only spacing differs
    a1, a2, b1, b2 = ops[0][1], ops[-1][2], ops[0][3], ops[-1][4]
    return (_words(" ".join(a[max(0, a1 - 1):a2 + 1]), 60), _words(" ".join(b[max(0, b1 - 1):b2 + 1]), 60))


def _hunks(segments: list[Segment]) -> list[list[Segment]]:
    """Runs of consecutive changed segments (text inserted or deleted)."""
    out: list[list[Segment]] = []
    current: list[Segment] = []
    for s in segments:
        if s.inserted >= 0 or s.deleted >= 0:
            current.append(s)
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _who(marked: MarkedUp, revisions: list[int]) -> tuple[str, str]:
    for r in revisions:
        rev = marked.revisions[r]
        if rev.author or rev.date:
            return rev.author, rev.date
    return "", ""


def _hunk_revisions(hunk: list[Segment]) -> list[int]:
    out: list[int] = []
    for s in hunk:
        for r in (s.inserted, s.deleted):
            if r >= 0 and r not in out:
                out.append(r)
    return out


def _align(expected: list[str], found: list[str]) -> dict[int, int]:
    """found index -> expected index, for paragraphs that correspond (by their text as sent)."""
    matcher = SequenceMatcher(None, expected, found, autojunk=False)
    pairs: dict[int, int] = {}
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace"):
            for k in range(min(a2 - a1, b2 - b1)):
                pairs[b1 + k] = a1 + k
    return pairs


def classify(marked: MarkedUp, expected: MarkedUp, document, file: str, contract=None) -> Reading:
    """The changes of ``marked`` (the customer's file) against ``expected`` (slagen's rendering of
    ``document``, the same contract), each on its clause."""
    by_bookmark = bookmark_places(document)
    paths = value_paths(document)
    expected_places = places_of(expected.paragraphs, by_bookmark)
    exp_index = [p.index for p in expected.paragraphs if not p.contents]
    # a paragraph the customer added with tracking was not sent: it takes no part in the alignment
    new_paragraph = {p.index for p in marked.paragraphs
                     if not p.contents and not p.sent.strip() and p.proposed.strip()}
    found_index = [p.index for p in marked.paragraphs if not p.contents and p.index not in new_paragraph]
    pairs = _align([expected.paragraphs[i].sent for i in exp_index], [marked.paragraphs[i].sent for i in found_index])
    paired = {found_index[b]: exp_index[a] for b, a in pairs.items()}

    places: list[Place] = []
    current = Place()
    for p in marked.paragraphs:
        if p.index in paired:
            current = expected_places[paired[p.index]]
        places.append(current)

    changes: list[Change] = []
    warnings: list[str] = []

    def add(kind: str, place: Place, summary: str, **kw) -> Change:
        change = Change(id="", kind=kind, place=place, summary=summary, **kw)
        changes.append(change)
        return change

    values_seen: dict[int, Change] = {}
    moves_seen: dict[str, Change] = {}
    values = marked.values()
    for p in marked.paragraphs:
        if p.contents:
            continue
        place = places[p.index]
        if p.index in new_paragraph:
            revs = _hunk_revisions(p.segments) + ([p.mark_inserted] if p.mark_inserted >= 0 else [])
            author, date = _who(marked, revs)
            add("added", place, f"adds a paragraph after {_cite(place)}: \u201c{_words(p.proposed)}\u201d",
                revisions=revs, paragraphs=[p.index], author=author, date=date, new=p.proposed)
            continue
        hunks = _hunks(p.segments)
        for k, hunk in enumerate(hunks):
            revs = _hunk_revisions(hunk)
            if k == len(hunks) - 1 and p.mark_deleted >= 0:
                revs.append(p.mark_deleted)  # the paragraph's end goes with its last change
            author, date = _who(marked, revs)
            value_ns = {s.value for s in hunk}
            moves = {marked.revisions[r].move for r in revs if marked.revisions[r].kind in ("moveFrom", "moveTo")}
            moves.discard("")
            if len(value_ns) == 1 and -1 not in value_ns:
                n = value_ns.pop()
                if n in values_seen:  # a second edit within the same value: one change
                    values_seen[n].revisions.extend(r for r in revs if r not in values_seen[n].revisions)
                    continue
                pieces = values.get(n, [])
                old = "".join(s.text for _, s in pieces if s.sent)
                new = "".join(s.text for _, s in pieces if s.proposed)
                path = paths[n] if n < len(paths) else ""
                tags = {s.tag for _, s in pieces if s.tag}
                if tags and path and path not in tags:
                    warnings.append(f"{file}: warning: value {n} is tagged {sorted(tags)[0]!r} in the file but is "
                                    f"{path!r} in the contract; the contract's path is used")
                if not path:
                    path = sorted(tags)[0] if tags else ""
                change = add("value", place, f"{path}: \u201c{old}\u201d \u2192 \u201c{new}\u201d" if path else
                             f"changes \u201c{old}\u201d to \u201c{new}\u201d", revisions=revs,
                             paragraphs=[p.index], author=author, date=date, path=path, old=old, new=new)
                printed = paths.count(path) if path else 0
                if printed > 1:  # the contract holds the value once: every place it is printed follows
                    change.summary += f" (printed {printed} times in the document; the proposal changes each)"
                if contract is not None and path:
                    from slagen.negotiate.values import parse_words

                    change.value, change.problem = parse_words(contract, path, new, old)
                values_seen[n] = change
                continue
            old = "".join(s.text for s in hunk if s.sent)
            new = "".join(s.text for s in hunk if s.proposed)
            if moves:
                name = sorted(moves)[0]
                if name in moves_seen:
                    moved = moves_seen[name]
                    moved.revisions.extend(r for r in revs if r not in moved.revisions)
                    moved.paragraphs.append(p.index)
                    if new.strip():
                        moved.summary = f"moves \u201c{_words(moved.old or new)}\u201d to {_cite(place)}"
                        moved.new = new
                    continue
                moves_seen[name] = add("moved", place, f"moves \u201c{_words(old or new)}\u201d",
                                       revisions=revs, paragraphs=[p.index], author=author, date=date,
                                       old=old, new=new)
                continue
            if old and new:
                summary = f"replaces \u201c{_words(old, 50)}\u201d with \u201c{_words(new, 50)}\u201d"
            elif old:
                summary = f"deletes \u201c{_words(old)}\u201d"
            else:
                summary = f"inserts \u201c{_words(new)}\u201d"
            add("wording", place, summary, revisions=revs, paragraphs=[p.index], author=author, date=date,
                old=old, new=new)

    for c in marked.comments:
        place = places[c.paragraph] if 0 <= c.paragraph < len(places) else Place()
        on = f" on \u201c{_words(c.anchored, 40)}\u201d" if c.anchored else ""
        add("note", place, f"comment{on}: {_words(c.text)}", paragraphs=[c.paragraph] if c.paragraph >= 0 else [],
            author=c.author, date=c.date, comment=c.text, old=c.anchored)

    # untracked edits: the text as sent differs from what slagen rendered, with no revision to show it
    paired_expected = set(paired.values())
    for p in marked.paragraphs:
        if p.contents or p.index in new_paragraph:
            continue
        if p.index in paired:
            sent = expected.paragraphs[paired[p.index]].sent
            if sent != p.sent:
                was, now = differing_words(sent, p.sent)
                add("untracked", places[p.index], f"CHANGED WITHOUT TRACKING: \u201c{was}\u201d is now \u201c{now}\u201d",
                    paragraphs=[p.index], old=sent, new=p.sent)
        elif p.sent.strip():
            add("untracked", places[p.index], f"ADDED WITHOUT TRACKING: \u201c{_words(p.sent)}\u201d",
                paragraphs=[p.index], new=p.sent)
    for i in exp_index:
        if i not in paired_expected and expected.paragraphs[i].sent.strip():
            add("untracked", expected_places[i], "DELETED WITHOUT TRACKING: "
                f"\u201c{_words(expected.paragraphs[i].sent)}\u201d", old=expected.paragraphs[i].sent)

    order = {id(c): n for n, c in enumerate(changes)}
    changes.sort(key=lambda c: (min(c.paragraphs) if c.paragraphs else 10**9, order[id(c)]))
    for n, c in enumerate(changes, 1):
        c.id = f"c{n}"
    _, titles, clause_order = _clauses_proposed(marked, places, new_paragraph, None)
    return Reading(file, document.kind, marked, changes, places, titles, clause_order, warnings, new_paragraph)


def _cite(place: Place) -> str:
    if place.number and place.number[:1].isdigit():
        return f"clause {place.number}"
    if place.number:
        return place.number
    return f"clause '{place.clause}'" if place.clause else "the start of the document"


# --------------------------------------------------------------------------------------------
# The customer's text of a clause, as a clause override's Markdown


_HEADING = re.compile(r"^(Heading|AnnexHeading)(\d?)$", re.IGNORECASE)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>{}|~&!#])")
_BLOCK_START = re.compile(r"^(\s*)(\d{1,9}[.)]|[-+=>])(?=\s|$)")
_RULE_LINE = re.compile(r"^\s*([-*_=]\s*)+$")


def md_escape(text: str) -> str:
    """A customer's words as Markdown that reads back as exactly those words.

    Lighter than escaping every punctuation mark (clause_text.escape_markdown does that for values),
    so the override in the proposal stays readable: only what can start emphasis, code, links, raw
    HTML, entities, tables, headings, lists, quotes or rules is escaped.
    """
    text = re.sub(r"\s*\n\s*", " ", text).replace("\t", " ").strip()  # (4 spaces would start code)
    text = re.sub("[\ue000-\ue004]", "\ufffd", text)  # never a cross-reference or value mark
    out = _MD_SPECIAL.sub(r"\\\1", text)
    if _RULE_LINE.match(out):
        return "\\" + out.lstrip()
    return _BLOCK_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], out)



def text_with_revisions(p: ReadParagraph, applied: set[int] | None) -> str:
    """The paragraph with the revisions in ``applied`` taken (None: all) and the rest as sent."""
    if applied is None:
        return p.proposed

    def shown(s: Segment) -> bool:
        inserted_kept = s.inserted < 0 or s.inserted in applied
        deleted_undone = s.deleted < 0 or s.deleted not in applied
        return inserted_kept and deleted_undone

    return "".join(s.text for s in p.segments if shown(s))


def _clauses_proposed(marked: MarkedUp, places: list[Place], added: set[int],
                      applied: set[int] | None) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Clause id -> the text of its body as Markdown (paragraphs, lists, tables), with the revisions
    ``applied`` taken (None: every one).

    Paragraphs the customer added (``added``) are left out: each becomes a clause of its own.
    """
    bodies: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    order: list[str] = []
    table_rows: dict[tuple[str, int, int], list[str]] = {}
    for p in marked.paragraphs:
        place = places[p.index]
        if p.contents or not place.clause or p.index in added:
            continue
        if place.clause not in bodies:
            bodies[place.clause] = []
            order.append(place.clause)
            titles[place.clause] = p.proposed.strip() or place.title
            continue  # the clause's own heading
        text = text_with_revisions(p, applied).strip()
        heading = _HEADING.match(p.style or "")
        if p.cell is not None:
            table, row, col = p.cell
            key = (place.clause, table, row)
            cells = table_rows.setdefault(key, [])
            while len(cells) <= col:
                cells.append("")
            cells[col] = (cells[col] + " " + md_escape(text)).strip()
            if not bodies[place.clause] or bodies[place.clause][-1] != ("\0row", key):
                bodies[place.clause].append(("\0row", key))  # type: ignore[arg-type]
            continue
        if not text:
            continue
        if heading:
            level = int(heading.group(2) or 2)
            bodies[place.clause].append("#" * max(2, level) + " " + md_escape(text))
        elif (p.style or "").lower().startswith("listbullet"):
            bodies[place.clause].append("- " + md_escape(text))
        elif (p.style or "").lower().startswith("listnumber"):
            bodies[place.clause].append("1. " + md_escape(text))
        elif (p.style or "").lower() == "note":
            bodies[place.clause].append("> " + md_escape(text))
        else:
            bodies[place.clause].append(md_escape(text))
    out: dict[str, str] = {}
    for clause, items in bodies.items():
        lines: list[str] = []
        last_table = None
        for item in items:
            if isinstance(item, tuple):
                key = item[1]
                cells = table_rows[key]
                if last_table != key[1]:
                    if lines and lines[-1] != "":
                        lines.append("")
                    lines.append("| " + " | ".join(c or " " for c in cells) + " |")
                    lines.append("|" + "---|" * len(cells))
                else:
                    lines.append("| " + " | ".join(c or " " for c in cells) + " |")
                last_table = key[1]
                continue
            last_table = None
            list_item = item.startswith(("- ", "1. "))
            if lines and not (list_item and lines[-1].startswith(("- ", "1. "))):
                lines.append("")
            lines.append(item)
        out[clause] = "\n".join(lines).strip() + "\n"
    return out, titles, order


# --------------------------------------------------------------------------------------------
# The whole reading


def expected_document(contract, kind: str, house=None):
    """(document tree, DOCX bytes) of ``kind`` as slagen renders ``contract`` today."""
    from slagen.compose.assemble import assemble, load_outline
    from slagen.compose.library import load_house_library
    from slagen.library.folder import default_library
    from slagen.writers.docx import write_docx

    house = house or default_library()
    document = assemble(contract, kind, library=load_house_library(house), outline=load_outline(kind, house.template_dir))
    return document, write_docx(document, brand=house.brand())


def read_changes(contract, data: bytes, file: str, *, house=None, sent: bytes | None = None) -> Reading:
    """The changes in the customer's DOCX ``data`` to ``contract`` (refused if of another contract)."""
    marked = read_marked_up(data, file)
    a = contract.agreement
    kind = check_identity(marked, file, a.reference, a.version)
    if kind == "sow" and contract.sow is None:
        raise UsageError(f"{file}: error: this DOCX is a statement of work, but the contract has none")
    document, rendered = expected_document(contract, kind, house)
    expected = read_marked_up(sent if sent is not None else rendered, "the sent file" if sent else "slagen's rendering")
    reading = classify(marked, expected, document, file, contract)
    texts = [p.sent for p in expected.paragraphs if not p.contents]
    sent_hash = marked.properties.get(controls.PROPERTY_HASH, "")
    if sent is None and sent_hash and sent_hash != controls.text_hash(texts):
        reading.warnings.insert(0, (
            f"{file}: warning: the contract or its clause library renders differently now from the file that was "
            "sent, so untracked edits are measured against today's text; give the file that was sent (--sent) to "
            "compare with that instead"))
    return reading
