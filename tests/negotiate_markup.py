"""Marking up a rendered DOCX the way Word and LibreOffice save a reviewer's edits (for the tests).

Each edit writes the WordprocessingML those programs write (ECMA-376 17.13): a tracked change
is ``w:del`` (its text in ``w:delText``) beside ``w:ins``, each with an id, author and date; a
move is ``w:moveFrom``/``w:moveTo`` inside named move ranges; a comment lives in comments.xml
and is anchored by ``w:commentRangeStart``/``End`` and a ``w:commentReference`` run. Word splits
runs wherever it likes (:meth:`MarkUp.split_runs`); LibreOffice drops the tag of a content
control when it saves and wraps it in a second control (:meth:`MarkUp.as_libreoffice_saves`).
"""

from __future__ import annotations

import copy
import zipfile
from io import BytesIO

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class MarkUp:
    def __init__(self, docx: bytes, author: str = "Priya Shah (Acme Dental)", date: str = "2026-12-01T10:00:00Z"):
        self.zip = zipfile.ZipFile(BytesIO(docx))
        self.root = etree.fromstring(self.zip.read("word/document.xml"))
        self.author, self.date = author, date
        self.next_id = 9000
        self.comments: list[tuple[str, str, str]] = []  # (id, author, text)

    # ---- finding things

    def paragraphs(self):
        return self.root.iter(w("p"))

    def paragraph_with(self, text: str):
        for p in self.paragraphs():
            if text in "".join(t.text or "" for t in p.iter(w("t"))):
                return p
        raise AssertionError(f"no paragraph holds {text!r}")

    def value_control(self, n: int):
        start = self.root.find(f".//w:bookmarkStart[@w:name='_Slv{n}']", NS)
        assert start is not None, f"no value bookmark _Slv{n}"
        return start.getparent()  # the control's w:sdtContent

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def _rev(self, tag: str, **extra):
        el = etree.Element(w(tag), {w("id"): self._id(), w("author"): self.author, w("date"): self.date, **extra})
        return el

    @staticmethod
    def _run(text: str, deleted: bool = False, rpr=None):
        r = etree.Element(w("r"))
        if rpr is not None:
            r.append(copy.deepcopy(rpr))
        t = etree.SubElement(r, w("delText") if deleted else w("t"))
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return r

    # ---- edits

    def track_value(self, n: int, new: str) -> None:
        """Type ``new`` over value n with tracking on: its runs deleted, the new words inserted."""
        content = self.value_control(n)
        runs = [r for r in content if r.tag == w("r")]
        rpr = runs[0].find(w("rPr")) if runs else None
        deletion = self._rev("del")
        runs[0].addprevious(deletion)
        for r in runs:
            for t in r.findall(w("t")):
                t.tag = w("delText")
            deletion.append(r)
        insertion = self._rev("ins")
        insertion.append(self._run(new, rpr=rpr))
        deletion.addnext(insertion)

    def _split_at(self, p, text: str):
        """The runs of ``p`` split so that ``text`` (within one w:t) is a run of its own; returns it."""
        for t in p.iter(w("t")):
            if t.text and text in t.text:
                r = t.getparent()
                before, _, after = t.text.partition(text)
                rpr = r.find(w("rPr"))
                middle = self._run(text, rpr=rpr)
                t.text = before
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                r.addnext(middle)
                if after:
                    middle.addnext(self._run(after, rpr=rpr))
                return middle
        raise AssertionError(f"{text!r} is not within one run")

    def track_replace(self, anchor: str, old: str, new: str) -> None:
        """In the paragraph holding ``anchor``, delete ``old`` and insert ``new`` with tracking."""
        self.track_replace_in(self.paragraph_with(anchor), old, new)

    def track_replace_in(self, p, old: str, new: str) -> None:
        run = self._split_at(p, old)
        deletion = self._rev("del")
        run.addprevious(deletion)
        for t in run.findall(w("t")):
            t.tag = w("delText")
        deletion.append(run)
        if new:
            insertion = self._rev("ins")
            insertion.append(self._run(new, rpr=run.find(w("rPr"))))
            deletion.addnext(insertion)

    def track_insert(self, anchor: str, after: str, new: str) -> None:
        p = self.paragraph_with(anchor)
        run = self._split_at(p, after)
        insertion = self._rev("ins")
        insertion.append(self._run(new, rpr=run.find(w("rPr"))))
        run.addnext(insertion)

    def track_new_paragraph(self, anchor: str, text: str) -> None:
        """A paragraph typed after the one holding ``anchor``: mark and text tracked as inserted."""
        p = self.paragraph_with(anchor)
        new = etree.Element(w("p"))
        ppr = etree.SubElement(new, w("pPr"))
        etree.SubElement(etree.SubElement(ppr, w("rPr")), w("ins"), {w("id"): self._id(), w("author"): self.author,
                                                                       w("date"): self.date})
        insertion = self._rev("ins")
        insertion.append(self._run(text))
        new.append(insertion)
        p.addnext(new)

    def track_move(self, anchor_from: str, text: str, anchor_to: str, after: str) -> None:
        """Move ``text`` (within one run of the paragraph with ``anchor_from``) to after ``after``."""
        name = f"move{self._id()}"
        source = self.paragraph_with(anchor_from)
        run = self._split_at(source, text)
        start_from = etree.Element(w("moveFromRangeStart"), {w("id"): self._id(), w("name"): name,
                                                             w("author"): self.author, w("date"): self.date})
        run.addprevious(start_from)
        moved = self._rev("moveFrom")
        run.addprevious(moved)
        moved.append(run)
        moved.addnext(etree.Element(w("moveFromRangeEnd"), {w("id"): start_from.get(w("id"))}))
        target = self.paragraph_with(anchor_to)
        at = self._split_at(target, after)
        start_to = etree.Element(w("moveToRangeStart"), {w("id"): self._id(), w("name"): name,
                                                         w("author"): self.author, w("date"): self.date})
        at.addnext(start_to)
        arrived = self._rev("moveTo")
        arrived.append(self._run(text, rpr=run.find(w("rPr"))))
        start_to.addnext(arrived)
        arrived.addnext(etree.Element(w("moveToRangeEnd"), {w("id"): start_to.get(w("id"))}))

    def comment(self, anchor: str, on: str, text: str) -> None:
        p = self.paragraph_with(anchor)
        run = self._split_at(p, on)
        cid = str(len(self.comments))
        run.addprevious(etree.Element(w("commentRangeStart"), {w("id"): cid}))
        end = etree.Element(w("commentRangeEnd"), {w("id"): cid})
        run.addnext(end)
        ref = etree.Element(w("r"))
        etree.SubElement(ref, w("commentReference"), {w("id"): cid})
        end.addnext(ref)
        self.comments.append((cid, self.author, text))

    def untracked(self, anchor: str, old: str, new: str) -> None:
        """Type over ``old`` with tracking off: the text just changes."""
        p = self.paragraph_with(anchor)
        for t in p.iter(w("t")):
            if t.text and old in t.text:
                t.text = t.text.replace(old, new, 1)
                return
        raise AssertionError(f"{old!r} is not within one run")

    def split_runs(self, anchor: str) -> None:
        """Split every run of the paragraph holding ``anchor`` in the middle of its words."""
        p = self.paragraph_with(anchor)
        for t in list(p.iter(w("t"))):
            r = t.getparent()
            if r.tag != w("r") or not t.text or len(t.text) < 4:
                continue
            rpr = r.find(w("rPr"))
            text = t.text
            cut = len(text) // 2 + 1  # mid-word for any word longer than a letter or two
            t.text = text[:cut]
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            second = self._run(text[cut:], rpr=rpr)
            second.set(w("rsidR"), "00A1B2C3")
            r.addnext(second)

    def as_libreoffice_saves(self) -> None:
        """What LibreOffice 7.4 does to a content control on saving: tag dropped, control doubled."""
        for sdt in list(self.root.iter(w("sdt"))):
            pr = sdt.find(w("sdtPr"))
            if pr is None or pr.find(w("tag")) is None:
                continue
            pr.remove(pr.find(w("tag")))
            outer = etree.Element(w("sdt"))
            etree.SubElement(etree.SubElement(outer, w("sdtPr")), w("id"), {w("val"): self._id()})
            content = etree.SubElement(outer, w("sdtContent"))
            sdt.addprevious(outer)
            content.append(sdt)

    # ---- saving

    def save(self) -> bytes:
        out = BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for info in self.zip.infolist():
                data = self.zip.read(info)
                if info.filename == "word/document.xml":
                    data = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)
                elif self.comments and info.filename == "[Content_Types].xml":
                    data = data.replace(b"</Types>", b'<Override PartName="/word/comments.xml" ContentType="'
                                        b'application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"'
                                        b"/></Types>")
                elif self.comments and info.filename == "word/_rels/document.xml.rels":
                    data = data.replace(b"</Relationships>", b'<Relationship Id="rIdComments9" Type="http://schemas.'
                                        b'openxmlformats.org/officeDocument/2006/relationships/comments" '
                                        b'Target="comments.xml"/></Relationships>')
                z.writestr(info.filename, data)
            if self.comments:
                root = etree.Element(w("comments"), nsmap={"w": W})
                for cid, author, text in self.comments:
                    c = etree.SubElement(root, w("comment"), {w("id"): cid, w("author"): author, w("date"): self.date,
                                                              w("initials"): "PS"})
                    p = etree.SubElement(c, w("p"))
                    etree.SubElement(etree.SubElement(p, w("r")), w("t")).text = text
                z.writestr("word/comments.xml", etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                               standalone=True))
        return out.getvalue()
