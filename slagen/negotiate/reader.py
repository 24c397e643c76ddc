"""A marked-up DOCX read back: every paragraph's text as sent and as proposed, with who changed what.

python-docx reads a document as its author last saw it and ignores revisions, so this reads
WordprocessingML with lxml directly (ECMA-376 Part 1, 17.13 revisions, 17.13.4 comments):

* ``w:ins`` / ``w:moveTo`` hold text the reviewer added, ``w:del`` / ``w:moveFrom`` text they took
  out (``w:delText`` in a deletion). Text both inserted and deleted (one reviewer's insertion
  struck by another) is in neither version.
* Runs may be split anywhere (Word splits at every formatting or spell-check boundary, and
  LibreOffice wraps content controls twice), so text is read element by element, never run by run.
* A complex field's result (``w:fldChar`` begin / separate / end) is ordinary runs and is read
  as text; its instruction (``w:instrText``) is not text. Simple fields hold their result runs.
* A value slagen printed is a content control tagged with its contract path, holding the bookmark
  ``_Slv<n>`` (:mod:`slagen.writers.docx_controls`): text inside either belongs to value ``n``.
* Comments (comments.xml) are anchored by ``w:commentRangeStart``/``End`` or, when a writer
  leaves the range out, by the ``w:commentReference`` run alone.

Everything is bounded before it is parsed: the file's size, the number of parts and what they
unpack to (read with a cap, whatever the zip's headers claim), no DTD or entity is ever loaded
or expanded, and the revisions and comments are counted against limits.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO

from lxml import etree

from slagen.errors import UsageError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"

MAX_DOCX_BYTES = 20 * 1024 * 1024  # a 30-page agreement with its fonts is well under 1 MB
MAX_PARTS = 1000
MAX_PART_BYTES = 64 * 1024 * 1024  # document.xml of a long agreement: a few megabytes
MAX_INFLATED = 128 * 1024 * 1024
MOST_REVISIONS = 20_000  # a heavily negotiated agreement has hundreds
MOST_COMMENTS = 5_000


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


T, DELTEXT, TAB, BR, CR, P, TBL, TR, TC, R = (_w(t) for t in ("t", "delText", "tab", "br", "cr", "p", "tbl", "tr",
                                                                "tc", "r"))
INS, DEL, MOVE_FROM, MOVE_TO = _w("ins"), _w("del"), _w("moveFrom"), _w("moveTo")
SDT, SDT_PR, SDT_CONTENT, TAG, VAL = _w("sdt"), _w("sdtPr"), _w("sdtContent"), _w("tag"), _w("val")
BOOKMARK_START, BOOKMARK_END, ID, NAME, AUTHOR, DATE = (
    _w("bookmarkStart"), _w("bookmarkEnd"), _w("id"), _w("name"), _w("author"), _w("date"))
COMMENT_START, COMMENT_END, COMMENT_REF = _w("commentRangeStart"), _w("commentRangeEnd"), _w("commentReference")
MOVE_FROM_START, MOVE_TO_START = _w("moveFromRangeStart"), _w("moveToRangeStart")
PPR, RPR, PSTYLE, NOBREAK_HYPHEN = _w("pPr"), _w("rPr"), _w("pStyle"), _w("noBreakHyphen")
# Never text of the body: properties, drawings' text boxes, footnote marks, the fallback copy of
# markup-compatible content (the choice beside it is read instead).
_SKIP = frozenset({PPR, RPR, SDT_PR, _w("txbxContent"), _w("instrText"), _w("delInstrText"), _w("tblPr"),
                   _w("trPr"), _w("tcPr"), _w("tblGrid"), _w("sectPr"), f"{{{MC}}}Fallback"})
_REVISIONS = {INS: "ins", DEL: "del", MOVE_FROM: "moveFrom", MOVE_TO: "moveTo"}
_CONTENTS_STYLE = re.compile(r"^(TOC|Contents|TOCHeading|ContentsHeading)\d*$", re.IGNORECASE)
VALUE_BOOKMARK = re.compile(r"^_Slv(\d{1,6})$")


class NotReadable(UsageError):
    """A file that is not a DOCX, or one too large or too hostile to read."""


@dataclass(frozen=True)
class Revision:
    id: str
    kind: str  # ins | del | moveFrom | moveTo
    author: str
    date: str
    move: str = ""  # the move's name: a moveFrom and its moveTo share it
    ordinal: int = -1  # its place among all w:ins/w:del/w:moveFrom/w:moveTo of document.xml (the reply uses it)


@dataclass(frozen=True)
class Segment:
    """A stretch of a paragraph's text under one set of revisions."""

    text: str
    inserted: int = -1  # index into MarkedUp.revisions of the insertion (or move to) it is in
    deleted: int = -1  # ... of the deletion (or move from)
    value: int = -1  # the n of the value bookmark _Slv<n> it is part of
    tag: str = ""  # the tag of the content control around it (Word keeps it; LibreOffice drops it)

    @property
    def sent(self) -> bool:
        return self.inserted < 0

    @property
    def proposed(self) -> bool:
        return self.deleted < 0


@dataclass
class ReadParagraph:
    index: int
    segments: list[Segment] = field(default_factory=list)
    bookmarks: list[str] = field(default_factory=list)
    style: str = ""
    cell: tuple[int, int, int] | None = None  # (table, row, column) for a paragraph in a table
    contents: bool = False  # part of the table of contents
    mark_inserted: int = -1  # the paragraph mark itself is a tracked insertion
    mark_deleted: int = -1
    comments: list[str] = field(default_factory=list)  # ids of comments anchored here

    @property
    def sent(self) -> str:
        return "".join(s.text for s in self.segments if s.sent)

    @property
    def proposed(self) -> str:
        return "".join(s.text for s in self.segments if s.proposed)

    @property
    def changed(self) -> bool:
        return any(s.inserted >= 0 or s.deleted >= 0 for s in self.segments)


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    date: str
    text: str
    paragraph: int  # the paragraph its anchor starts in; -1 when it is anchored nowhere
    anchored: str  # the text it is anchored to, as sent


@dataclass
class MarkedUp:
    properties: dict[str, str]
    paragraphs: list[ReadParagraph]
    revisions: list[Revision]
    comments: list[Comment]

    def values(self) -> dict[int, list[tuple[int, Segment]]]:
        """Value n -> its (paragraph index, segment) pieces, in order."""
        out: dict[int, list[tuple[int, Segment]]] = {}
        for p in self.paragraphs:
            for s in p.segments:
                if s.value >= 0:
                    out.setdefault(s.value, []).append((p.index, s))
        return out


# --------------------------------------------------------------------------------------------
# The package, bounded


def _safe_parser() -> etree.XMLParser:
    # No DTD is loaded and no entity resolved or expanded (billion laughs, external entities);
    # a document that declares any is refused before parsing (see _xml).
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_blank_text=False)


def _xml(name: str, data: bytes, where: str):
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data:
        raise NotReadable(f"{where}: error: {name} declares a document type or entities, which Word never "
                          "writes; the file was not read")
    try:
        return etree.fromstring(data, _safe_parser())
    except etree.XMLSyntaxError as exc:
        raise NotReadable(f"{where}: error: {name} is not well-formed XML ({exc.msg}); the file is damaged") \
            from None


def read_parts(data: bytes, where: str, wanted: tuple[str, ...]) -> dict[str, bytes]:
    """The parts ``wanted`` of a DOCX (those present), each read with a cap on its unpacked size."""
    if len(data) > MAX_DOCX_BYTES:
        raise NotReadable(f"{where}: error: the file is {len(data) // (1024 * 1024)} MB; a marked-up agreement "
                          f"is well under {MAX_DOCX_BYTES // (1024 * 1024)} MB, so it was not opened")
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise NotReadable(f"{where}: error: the file is not a DOCX (it is not a Word document's zip archive)") \
            from None
    if len(members) > MAX_PARTS:
        raise NotReadable(f"{where}: error: the DOCX holds {len(members)} parts; an agreement holds a few dozen, "
                          "so it was not opened")
    if sum(m.file_size for m in members) > MAX_INFLATED:
        raise NotReadable(f"{where}: error: the DOCX would unpack to more than {MAX_INFLATED // (1024 * 1024)} MB; "
                          "an agreement unpacks to a few megabytes, so it was not opened")
    out: dict[str, bytes] = {}
    names = {m.filename: m for m in members}
    for name in wanted:
        if name not in names:
            continue
        try:
            with archive.open(names[name]) as stream:
                # the header's size may lie: read at most one byte more than the cap allows
                part = stream.read(MAX_PART_BYTES + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
            raise NotReadable(f"{where}: error: {name} in the DOCX cannot be unpacked; the file is damaged") \
                from None
        if len(part) > MAX_PART_BYTES:
            raise NotReadable(f"{where}: error: {name} unpacks to more than {MAX_PART_BYTES // (1024 * 1024)} MB, "
                              "so it was not read")
        out[name] = part
    return out


def custom_properties(root) -> dict[str, str]:
    out = {}
    for prop in root.iter(f"{{{CUSTOM_NS}}}property"):
        name = prop.get("name") or ""
        out[name] = "".join(prop.itertext()).strip()
    return out


# --------------------------------------------------------------------------------------------
# The body


class _Walker:
    """Walks the body in document order, carrying the revisions, controls and bookmarks open."""

    def __init__(self, where: str, ordinals: dict | None = None):
        self.where = where
        self.ordinals = ordinals or {}
        self.paragraphs: list[ReadParagraph] = []
        self.revisions: list[Revision] = []
        self.inserted = -1
        self.deleted = -1
        self.sdt_stack: list[int] = []  # serial numbers of the inline controls open
        self.sdt_tags: dict[int, str] = {}
        self.sdt_values: dict[int, int] = {}  # control serial -> the value bookmark inside it
        self.open_values: dict[str, int] = {}  # bookmark id -> value n, for bookmarks still open
        self.move_names: dict[str, str] = {}  # move range id -> name
        self.current_move = {"moveFrom": "", "moveTo": ""}
        self.comment_starts: dict[str, int] = {}
        self.open_comments: dict[str, int] = {}  # comment id -> paragraph it started in
        self.comment_text: dict[str, list[str]] = {}
        self.referenced: dict[str, int] = {}
        self.table = -1
        self.cell: tuple[int, int, int] | None = None
        self.contents_depth = 0
        self._pending: list[tuple[ReadParagraph, int, list[int]]] = []  # segments whose value comes from a control

    def revision(self, el, kind: str) -> int:
        if len(self.revisions) >= MOST_REVISIONS:
            raise NotReadable(f"{self.where}: error: the document holds more than {MOST_REVISIONS:,} tracked "
                              "changes; a negotiated agreement holds hundreds, so it was not read")
        move = self.current_move.get(kind, "")
        self.revisions.append(Revision(el.get(ID) or "", kind, el.get(AUTHOR) or "", el.get(DATE) or "", move,
                                       self.ordinals.get(el, -1)))
        return len(self.revisions) - 1

    # ---- blocks

    def blocks(self, parent) -> None:
        for child in parent:
            tag = child.tag
            if tag == P:
                self.paragraph(child)
            elif tag == TBL:
                self.table_block(child)
            elif tag == SDT:
                contents = _is_contents_control(child)
                self.contents_depth += contents
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self.blocks(content)
                self.contents_depth -= contents
            elif tag in (MOVE_FROM_START, MOVE_TO_START):
                self.move_names[child.get(ID) or ""] = child.get(NAME) or ""
                self.current_move["moveFrom" if tag == MOVE_FROM_START else "moveTo"] = child.get(NAME) or ""
            elif tag in _REVISIONS or tag == _w("customXml"):  # block-level revision or wrapper
                self.blocks(child)
            elif tag == BOOKMARK_START or tag == BOOKMARK_END or tag in (COMMENT_START, COMMENT_END):
                self.marker(child, None)

    def table_block(self, tbl) -> None:
        self.table += 1
        table, saved = self.table, self.cell
        for r, tr in enumerate(tbl.iter(TR)):
            if tr.getparent() is not tbl and tr.getparent().tag != SDT_CONTENT:
                continue  # a nested table's row: read with its own table
            for c, tc in enumerate(x for x in tr if x.tag in (TC, SDT)):
                self.cell = (table, r, c)
                if tc.tag == SDT:  # a cell inside a content control
                    tc = tc.find(SDT_CONTENT) if tc.find(SDT_CONTENT) is not None else tc
                self.blocks(tc)
        self.cell = saved

    def paragraph(self, p) -> None:
        para = ReadParagraph(index=len(self.paragraphs), cell=self.cell, contents=self.contents_depth > 0)
        ppr = p.find(PPR)
        if ppr is not None:
            style = ppr.find(PSTYLE)
            para.style = style.get(VAL) if style is not None else ""
            mark = ppr.find(RPR)
            if mark is not None:
                if mark.find(INS) is not None:
                    para.mark_inserted = self.revision(mark.find(INS), "ins")
                if mark.find(DEL) is not None:
                    para.mark_deleted = self.revision(mark.find(DEL), "del")
        if _CONTENTS_STYLE.match(para.style or ""):
            para.contents = True
        self.paragraphs.append(para)
        para.comments.extend(cid for cid in self.open_comments if cid not in para.comments)  # a range still open
        self.inline(p, para)

    # ---- inline content

    def marker(self, el, para: ReadParagraph | None) -> None:
        tag = el.tag
        if tag == BOOKMARK_START:
            name = el.get(NAME) or ""
            if para is not None:
                para.bookmarks.append(name)
            match = VALUE_BOOKMARK.match(name)
            if match:
                n = int(match.group(1))
                self.open_values[el.get(ID) or ""] = n
                for serial in self.sdt_stack:
                    self.sdt_values.setdefault(serial, n)
        elif tag == BOOKMARK_END:
            self.open_values.pop(el.get(ID) or "", None)
        elif tag == COMMENT_START:
            cid = el.get(ID) or ""
            at = para.index if para is not None else len(self.paragraphs)
            self.comment_starts.setdefault(cid, at)
            self.open_comments[cid] = at
            self.comment_text.setdefault(cid, [])
            if para is not None and cid not in para.comments:
                para.comments.append(cid)
        elif tag == COMMENT_END:
            self.open_comments.pop(el.get(ID) or "", None)
        elif tag == COMMENT_REF:
            cid = el.get(ID) or ""
            if para is not None:
                self.referenced.setdefault(cid, para.index)
                if cid not in para.comments:
                    para.comments.append(cid)

    def inline(self, parent, para: ReadParagraph) -> None:
        for el in parent:
            tag = el.tag
            if tag in _SKIP or not isinstance(tag, str):
                continue
            if tag in (T, DELTEXT):
                self.text(el.text or "", para)
            elif tag == TAB:
                self.text("\t", para)
            elif tag in (BR, CR):
                self.text("\n", para)
            elif tag == NOBREAK_HYPHEN:
                self.text("-", para)
            elif tag in _REVISIONS:
                kind = _REVISIONS[tag]
                index = self.revision(el, kind)
                saved = (self.inserted, self.deleted)
                if kind in ("ins", "moveTo"):
                    self.inserted = index
                else:
                    self.deleted = index
                self.inline(el, para)
                self.inserted, self.deleted = saved
            elif tag == SDT:
                serial = len(self.sdt_tags)
                pr = el.find(SDT_PR)
                tag_el = pr.find(TAG) if pr is not None else None
                self.sdt_tags[serial] = tag_el.get(VAL) or "" if tag_el is not None else ""
                self.sdt_stack.append(serial)
                content = el.find(SDT_CONTENT)
                if content is not None:
                    self.inline(content, para)
                self.sdt_stack.pop()
            elif tag in (BOOKMARK_START, BOOKMARK_END, COMMENT_START, COMMENT_END, COMMENT_REF):
                self.marker(el, para)
            elif tag in (MOVE_FROM_START, MOVE_TO_START):
                self.current_move["moveFrom" if tag == MOVE_FROM_START else "moveTo"] = el.get(NAME) or ""
            elif tag == P:  # a paragraph inside a paragraph (a text box's): not the body's text
                continue
            else:  # runs, hyperlinks, simple fields, smart tags, custom XML, markup choices
                self.inline(el, para)

    def text(self, text: str, para: ReadParagraph) -> None:
        if not text:
            return
        value = max(self.open_values.values()) if self.open_values else -1
        tag = ""
        for serial in reversed(self.sdt_stack):
            if self.sdt_tags.get(serial):
                tag = self.sdt_tags[serial]
                break
        segment = Segment(text, self.inserted, self.deleted, value, tag)
        para.segments.append(segment)
        for cid in self.open_comments:
            self.comment_text.setdefault(cid, []).append(text if segment.sent else "")
        if value < 0 and self.sdt_stack:
            # the control's bookmark may come later in it (an insertion typed before the value)
            self._pending.append((para, len(para.segments) - 1, list(self.sdt_stack)))

    def finish(self) -> None:
        for para, i, stack in self._pending:
            for serial in reversed(stack):
                if serial in self.sdt_values:
                    s = para.segments[i]
                    para.segments[i] = Segment(s.text, s.inserted, s.deleted, self.sdt_values[serial], s.tag)
                    break


def revision_elements(root):
    """Every revision element of document.xml in document order: what Revision.ordinal counts."""
    return root.iter(INS, DEL, MOVE_FROM, MOVE_TO)


def body_paragraphs(body):
    """The body's paragraphs in the order the reader numbers them (text boxes' and fallbacks' left out)."""
    for p in body.iter(P):
        if not any(a.tag in (_w("txbxContent"), f"{{{MC}}}Fallback") for a in p.iterancestors()):
            yield p


def _is_contents_control(sdt) -> bool:
    pr = sdt.find(SDT_PR)
    if pr is None:
        return False
    gallery = pr.find(f"{_w('docPartObj')}/{_w('docPartGallery')}")
    return gallery is not None and "contents" in (gallery.get(VAL) or "").lower()


def _comments(root, walker: _Walker, where: str) -> list[Comment]:
    out = []
    found = root.findall(_w("comment")) if root is not None else []
    if len(found) > MOST_COMMENTS:
        raise NotReadable(f"{where}: error: the document holds {len(found):,} comments; at most {MOST_COMMENTS:,} "
                          "are read")
    for c in found:
        cid = c.get(ID) or ""
        paragraphs = []
        for p in c.iter(P):
            paragraphs.append("".join(t.text or "" for t in p.iter(T)))
        paragraph = walker.comment_starts.get(cid, walker.referenced.get(cid, -1))
        if paragraph >= len(walker.paragraphs):
            paragraph = len(walker.paragraphs) - 1
        out.append(Comment(cid, c.get(AUTHOR) or "", c.get(DATE) or "", "\n".join(paragraphs).strip(), paragraph,
                           "".join(walker.comment_text.get(cid, [])).strip()))
    return out


def read_marked_up(data: bytes, where: str = "<docx>") -> MarkedUp:
    """The paragraphs, revisions and comments of a DOCX's body (``where`` names it in errors)."""
    parts = read_parts(data, where, ("word/document.xml", "word/comments.xml", "docProps/custom.xml"))
    if "word/document.xml" not in parts:
        raise NotReadable(f"{where}: error: the file is a zip archive but not a Word document (it has no "
                          "word/document.xml)")
    root = _xml("word/document.xml", parts["word/document.xml"], where)
    body = root.find(_w("body"))
    if root.tag != _w("document") or body is None:
        raise NotReadable(f"{where}: error: word/document.xml holds no document body; the file is not a Word "
                          "document")
    ordinals = {}
    for i, el in enumerate(revision_elements(root)):
        if i >= MOST_REVISIONS:  # counted before anything is built from them
            raise NotReadable(f"{where}: error: the document holds more than {MOST_REVISIONS:,} tracked changes; a "
                              "negotiated agreement holds hundreds, so it was not read")
        ordinals[el] = i
    walker = _Walker(where, ordinals)
    walker.blocks(body)
    walker.finish()
    comments_root = _xml("word/comments.xml", parts["word/comments.xml"], where) \
        if "word/comments.xml" in parts else None
    properties = custom_properties(_xml("docProps/custom.xml", parts["docProps/custom.xml"], where)) \
        if "docProps/custom.xml" in parts else {}
    return MarkedUp(properties, walker.paragraphs, walker.revisions, _comments(comments_root, walker, where))
