"""The provider's answer, written on the customer's own file: each tracked change accepted or rejected.

An accepted change is applied as Word's Accept does it (an insertion's text kept, a deletion's
text gone). A rejected one is answered with a tracked change of the provider's own, so the
customer sees exactly what was refused: their insertion struck through by the provider (a
``w:del`` of the provider inside the customer's ``w:ins``), their deletion followed by the
provider putting the words back (a ``w:ins`` of the provider). Every decision carries a comment
from the provider giving the reason, and every untracked edit a comment saying it was found.

The rest of the customer's file is left as it was, byte for byte where no change was made;
the zip is written with fixed entry times, so the same file and decisions give the same bytes.
"""

from __future__ import annotations

import copy
import zipfile
from io import BytesIO

from lxml import etree

from slagen.negotiate.changes import Reading
from slagen.negotiate.reader import (
    DEL, DELTEXT, INS, MOVE_TO, P, PPR, RPR, T, W, _w, _xml, body_paragraphs, read_parts, revision_elements,
)

COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[:1].isalpha())[:4].upper() or "P"


class _Reply:
    def __init__(self, root, author: str, date: str):
        self.root = root
        self.author, self.date = author, date
        self.next_id = 1 + max((int(x) for x in root.xpath("//w:*/@w:id", namespaces={"w": W})
                                if str(x).lstrip("-").isdigit()), default=0)
        self.comments: list[tuple[str, str]] = []  # (id, text)
        self.first_comment = 0

    def _rev(self, tag: str):
        el = etree.Element(tag, {_w("id"): str(self.next_id), _w("author"): self.author, _w("date"): self.date})
        self.next_id += 1
        return el

    # ---- decisions on one revision element

    def accept(self, el) -> None:
        parent = el.getparent()
        if parent is None:
            return
        if parent.tag == RPR:  # a paragraph mark: accepting keeps an inserted one, joins at a deleted one
            parent.remove(el)
            p = parent.getparent().getparent()
            following = p.getnext()
            if el.tag == DEL and following is not None and following.tag == P:
                for child in [c for c in following if c.tag != PPR]:
                    p.append(child)
                following.getparent().remove(following)
            return
        if el.tag in (INS, MOVE_TO):
            for child in list(el):
                el.addprevious(child)
        parent.remove(el)

    def reject(self, el) -> None:
        parent = el.getparent()
        if parent is None:
            return
        if parent.tag == RPR:  # the provider deletes an inserted paragraph mark, or restores a deleted one
            if el.tag == INS:
                el.addnext(self._rev(DEL))
            else:
                parent.remove(el)
            return
        if el.tag in (INS, MOVE_TO):
            deletion = self._rev(DEL)
            for child in list(el):
                deletion.append(child)
            for t in deletion.iter(T):
                t.tag = DELTEXT
            el.append(deletion)
        else:
            insertion = self._rev(INS)
            for child in el:
                insertion.append(copy.deepcopy(child))
            for t in insertion.iter(DELTEXT):
                t.tag = T
            el.addnext(insertion)

    # ---- comments

    def comment(self, first, last, text: str) -> None:
        """A provider comment on the stretch from element ``first`` to ``last`` (inline elements)."""
        cid = str(self.first_comment + len(self.comments))
        self.comments.append((cid, text))
        first.addprevious(etree.Element(_w("commentRangeStart"), {_w("id"): cid}))
        end = etree.Element(_w("commentRangeEnd"), {_w("id"): cid})
        last.addnext(end)
        ref = etree.Element(_w("r"))
        etree.SubElement(ref, _w("commentReference"), {_w("id"): cid})
        end.addnext(ref)

    def comment_paragraph(self, p, text: str) -> None:
        children = [c for c in p if c.tag != PPR]
        if not children:
            run = etree.SubElement(p, _w("r"))
            children = [run]
        self.comment(children[0], children[-1], text)


def _inline_anchor(el):
    """The element a comment can sit beside: a paragraph mark's revision is anchored at its paragraph."""
    if el.getparent() is not None and el.getparent().tag == RPR:
        p = el.getparent().getparent().getparent()
        kids = [c for c in p if c.tag != PPR]
        return (kids[0], kids[-1]) if kids else (None, None)
    return el, el


def _drop_move_range(root, name: str) -> None:
    for kind in ("moveFrom", "moveTo"):
        for start in list(root.iter(_w(f"{kind}RangeStart"))):
            if start.get(_w("name")) != name:
                continue
            ident = start.get(_w("id"))
            for end in list(root.iter(_w(f"{kind}RangeEnd"))):
                if end.get(_w("id")) == ident:
                    end.getparent().remove(end)
            start.getparent().remove(start)


def write_reply(data: bytes, reading: Reading, decisions: dict[str, tuple[str, str]], *, author: str,
                date: str, where: str = "<docx>") -> bytes:
    """The customer's DOCX ``data`` with ``decisions`` (change id -> (accept|reject, comment)) applied."""
    from slagen.writers.docx_package import stable_zip

    names = ("word/document.xml", "word/comments.xml", "[Content_Types].xml", "word/_rels/document.xml.rels")
    parts = read_parts(data, where, names)
    root = _xml("word/document.xml", parts["word/document.xml"], where)
    reply = _Reply(root, author, date)
    comments_root = _xml("word/comments.xml", parts["word/comments.xml"], where) \
        if "word/comments.xml" in parts else None
    if comments_root is not None:
        ids = [int(c.get(_w("id"))) for c in comments_root.iter(_w("comment"))
               if (c.get(_w("id")) or "").isdigit()]
        reply.first_comment = max(ids, default=-1) + 1

    elements = list(revision_elements(root))
    paragraphs = list(body_paragraphs(root.find(_w("body"))))
    revisions = reading.marked.revisions
    for change in reading.changes:
        if change.kind == "untracked":
            if change.paragraphs and change.paragraphs[0] < len(paragraphs):
                reply.comment_paragraph(paragraphs[change.paragraphs[0]],
                                        f"{author}: this text was changed without tracked changes "
                                        f"({change.summary.split(': ', 1)[-1]}). We have not agreed it; please "
                                        "make any change with Track Changes on.")
            continue
        decision, note = decisions.get(change.id, ("", ""))
        if decision not in ("accept", "reject"):
            continue
        targets = [elements[revisions[r].ordinal] for r in change.revisions
                   if 0 <= revisions[r].ordinal < len(elements)]
        if not targets:
            continue
        first, _ = _inline_anchor(targets[0])
        _, last = _inline_anchor(targets[-1])
        text = note or ("Accepted." if decision == "accept" else "Rejected.")
        if decision == "accept":
            # accepting removes the revision elements, so the comment sits on an empty run placed
            # where the change was
            if first is not None:
                marker = etree.Element(_w("r"))
                first.addprevious(marker)
                reply.comment(marker, marker, text)
            for el in targets:
                reply.accept(el)
            for name in {revisions[r].move for r in change.revisions if revisions[r].move}:
                _drop_move_range(root, name)  # an accepted move leaves no range behind
        else:
            for el in targets:
                reply.reject(el)
            if first is not None and last is not None:
                reply.comment(first, last, text)

    out_parts = {"word/document.xml": etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)}
    if reply.comments:
        if comments_root is None:
            comments_root = etree.Element(_w("comments"), nsmap={"w": W})
            out_parts["[Content_Types].xml"] = _with_comments_type(parts["[Content_Types].xml"], where)
            out_parts["word/_rels/document.xml.rels"] = _with_comments_rel(parts["word/_rels/document.xml.rels"],
                                                                           where)
        for cid, text in reply.comments:
            c = etree.SubElement(comments_root, _w("comment"), {_w("id"): cid, _w("author"): author,
                                                                _w("date"): date, _w("initials"): initials(author)})
            for line in text.split("\n"):
                p = etree.SubElement(c, _w("p"))
                t = etree.SubElement(etree.SubElement(p, _w("r")), _w("t"))
                t.text = line
                t.set(XML_SPACE, "preserve")
        out_parts["word/comments.xml"] = etree.tostring(comments_root, xml_declaration=True, encoding="UTF-8",
                                                        standalone=True)
    buffer = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, out_parts.pop(info.filename, None) or src.read(info))
        for name, body in out_parts.items():
            dst.writestr(name, body)
    return stable_zip(buffer.getvalue())


def _with_comments_type(data: bytes, where: str) -> bytes:
    root = _xml("[Content_Types].xml", data, where)
    if not any(o.get("PartName") == "/word/comments.xml" for o in root):
        etree.SubElement(root, f"{{{CONTENT_TYPES}}}Override", {"PartName": "/word/comments.xml",
                                                                 "ContentType": COMMENTS_TYPE})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_comments_rel(data: bytes, where: str) -> bytes:
    root = _xml("word/_rels/document.xml.rels", data, where)
    taken = {r.get("Id") for r in root}
    n = 1
    while f"rIdSlagenComments{n}" in taken:
        n += 1
    etree.SubElement(root, f"{{{PKG_RELS}}}Relationship", {"Id": f"rIdSlagenComments{n}", "Type": COMMENTS_REL,
                                                           "Target": "comments.xml"})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

