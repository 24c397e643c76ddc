"""Redlines: the new document with what changed since the old one, for legal review.

    rl = build_redline(old_contract, new_contract, "agreement")
    rl.document      # a Document tree (kind "redline") with Inserted / Deleted runs
    rl.changes       # [Change(...)]  clause by clause, for the text and JSON summaries
    rl.values        # [ValueChange("P1 resolution", "4 hours", "2 hours"), ...]
    redline_docx(rl) # bytes: real tracked changes (w:ins / w:del) Word and LibreOffice accept or reject
    redline_pdf(rl)  # bytes: insertions underlined in colour, deletions struck through, change bars
    redline_text(rl), redline_json(rl)

The redline tree is the ordinary document tree plus three node types from
:mod:`slagen.review.diff`; the writers are extended from outside through their dispatch tables
(one function per new node type), never edited:

* DOCX: ``Inserted``/``Deleted`` runs become ``w:ins``/``w:del`` (``w:delText`` inside deletions);
  a paragraph whose every run is inserted (deleted) gets its paragraph mark tracked too, and a
  table row its ``w:trPr`` revision, so accepting or rejecting removes it cleanly rather than
  leaving an empty paragraph or row. Every revision has one author and one date, never the clock:
  given on the command line (``slagen diff --author --date``), else the new contract's
  ``agreement.prepared_by`` (default: the provider's name) and its document date (default: the
  effective date); ids in document order: same inputs, same bytes. The "changes at a glance"
  summary is left out of the DOCX body: as plain text it would survive Accept All and end up in the
  agreement; it is in the text, JSON and PDF redlines.
* HTML/PDF: ``<ins>``/``<del>``, and a ``changed`` class that draws a bar in the left margin.

A table of the contract values that changed heads every redline, in words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from slagen.document import Document, Paragraph, Run, Section, Table, text
from slagen.review.diff import (
    Change,
    Deleted,
    Inserted,
    RedlineSection,
    compact,
    diff_documents,
    has_changes,
)
from slagen.review.values import ValueChange, changed_values

SUMMARY_ID = "redline-summary"
DEFAULT_AUTHOR = "slagen"  # only for a redline built from bare documents, with no contract to name anyone


@dataclass(frozen=True)
class Redline:
    document: Document
    changes: tuple[Change, ...]
    values: tuple[ValueChange, ...]
    old_label: str
    new_label: str
    kind: str
    author: str = ""  # of every tracked change in the DOCX
    when: date | None = None  # the date of every tracked change; the document's date when None

    @property
    def date(self) -> date:
        return self.when or self.document.date


def _label(contract, kind: str) -> str:
    a = contract.agreement
    reference = a.reference if kind == "agreement" else contract.sow.reference
    return f"{reference} version {a.version} ({a.status}, effective {a.effective_date.isoformat()})"


def build_redline(old_contract, new_contract, kind: str = "agreement", *, library=None,
                  old_library=None, outline=None, old_label: str | None = None,
                  new_label: str | None = None, author: str | None = None, when: date | None = None) -> Redline:
    """Both contracts assembled into documents, diffed, and laid out as one redline document.
    The labels name the two sides (default: each contract's reference, version and status; the
    workspace names its own versions, which the text's ``agreement.version`` may not).

    ``author`` and ``when`` stamp the tracked changes; by default the new contract's
    ``agreement.prepared_by`` (else its provider's name) and its document date (else its effective date).
    """
    from dataclasses import replace

    from slagen.compose.assemble import assemble

    old_doc = assemble(old_contract, kind, library=old_library or library, outline=outline)
    new_doc = assemble(new_contract, kind, library=library, outline=outline)
    result = redline_from_documents(old_doc, new_doc, changed_values(old_contract, new_contract, kind),
                                    old_label or _label(old_contract, kind), new_label or _label(new_contract, kind),
                                    kind)
    a = new_contract.agreement
    author = author or a.prepared_by or new_contract.provider.name
    when = when or a.document_date or a.effective_date
    return replace(result, author=author, when=when, document=replace(result.document, author=author))


def redline_from_documents(old_doc: Document, new_doc: Document, values, old_label: str, new_label: str,
                           kind: str = "agreement") -> Redline:
    result = diff_documents(old_doc, new_doc)
    summary = summary_section(values, result.changes, old_label, new_label)
    document = Document(
        kind="redline", title=f"Redline: {new_doc.title}", reference=new_doc.reference, cover=None,
        blocks=(summary,) + result.blocks, date=new_doc.date, author=DEFAULT_AUTHOR,
        subject=f"Changes from {old_label} to {new_label}", keywords=(new_doc.reference, "redline"),
        language=new_doc.language, draft=False,
    )
    return Redline(document, result.changes, tuple(values), old_label, new_label, kind)


def summary_section(values, changes, old_label: str, new_label: str) -> Section:
    clauses = sorted({c.clause for c in changes})
    intro = Paragraph((Run(f"This redline shows the changes from {old_label} to {new_label}. "
                           f"{_count(len(changes), 'change')} in {_count(len(clauses), 'clause')}"
                           + (f": {', '.join(clauses)}." if clauses else ".")),))
    blocks: list = [intro]
    if values:
        rows = tuple((text(v.label), text(v.before), text(v.after)) for v in values)
        blocks.append(Table(header=(text("Value"), text("Before"), text("After")), rows=rows,
                            id=f"{SUMMARY_ID}.values", caption="Contract values changed", widths=(4, 3, 3)))
    else:
        blocks.append(Paragraph((Run("No contract values changed."),)))
    return Section(id=SUMMARY_ID, title="Changes at a glance", children=tuple(blocks), numbered=False)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# --------------------------------------------------------------------------------------------
# Text and JSON


def redline_json(rl: Redline) -> str:
    return json.dumps({
        "old": rl.old_label,
        "new": rl.new_label,
        "document": rl.kind,
        "values": [v.as_json() for v in rl.values],
        "changes": [c.as_json() for c in rl.changes],
    }, indent=2, ensure_ascii=False) + "\n"


def redline_text(rl: Redline) -> str:
    lines = [f"{rl.kind}: {rl.old_label} -> {rl.new_label}"]
    if rl.values:
        lines += ["", "Contract values changed:"]
        lines += [f"  {v}" for v in rl.values]
    if not rl.changes:
        lines += ["", "No changes."]
        return "\n".join(lines) + "\n"
    lines += ["", f"{_count(len(rl.changes), 'change')}:"]
    clause = None
    for c in rl.changes:
        if c.clause != clause:
            clause = c.clause
            lines += ["", f"{clause}"]
        lines.append(f"  {c.kind:<8} {c.path}")
        if c.kind == "changed" and max(len(c.before), len(c.after)) > 80:
            lines.append(f"    ~ {compact(c.before, c.after)}")
            continue
        if c.before:
            lines.append(f"    - {c.before}")
        if c.after:
            lines.append(f"    + {c.after}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# DOCX: tracked changes


def _install_docx_handlers():
    """Teach the DOCX writer the redline nodes, through its dispatch tables (idempotent)."""
    from slagen.writers import docx as w

    if Inserted in w._INLINES:
        return w
    from docx.oxml.ns import qn

    ins_tag, del_tag, t_tag, deltext_tag = qn("w:ins"), qn("w:del"), qn("w:t"), qn("w:delText")

    def inserted(node: Inserted, p, bold: bool) -> None:
        w._run(w._sub(p, ins_tag), node.text, bold or node.bold, node.italic)

    def deleted(node: Deleted, p, bold: bool) -> None:
        wrapper = w._sub(p, del_tag)
        w._run(wrapper, node.text, bold or node.bold, node.italic)
        for t in wrapper.iter(t_tag):
            t.tag = deltext_tag  # deleted text is w:delText, or Word calls the file corrupt

    def section(node: RedlineSection, parent, ctx) -> None:
        start = len(parent)
        w._render_section(Section(node.id, "", node.children, numbered=node.numbered, annex=node.annex),
                          parent, ctx)
        heading = parent[start]
        for r in heading.findall(w.W_R):
            heading.remove(r)
        w._inlines(heading, node.title_inlines)

    w._INLINES[Inserted] = inserted
    w._INLINES[Deleted] = deleted
    w._BLOCKS[RedlineSection] = section
    return w


def _stamp_revisions(xml: bytes, author: str, when: str) -> bytes:
    """Track paragraph marks and rows that are wholly inserted or deleted; number every revision."""
    from docx.oxml.ns import qn
    from lxml import etree

    W_P, W_R, W_INS, W_DEL, W_TR = qn("w:p"), qn("w:r"), qn("w:ins"), qn("w:del"), qn("w:tr")
    W_PPR, W_RPR, W_TRPR = qn("w:pPr"), qn("w:rPr"), qn("w:trPr")
    root = etree.fromstring(xml)

    def state(element) -> str | None:
        kinds = {r.getparent().tag for r in element.iter(W_R)}
        if kinds == {W_INS}:
            return W_INS
        if kinds == {W_DEL}:
            return W_DEL
        return None

    for p in root.iter(W_P):
        tag = state(p)
        if tag is None:
            continue
        ppr = p.find(W_PPR)
        if ppr is None:
            ppr = p.makeelement(W_PPR, {})
            p.insert(0, ppr)
        rpr = ppr.find(W_RPR)
        if rpr is None:
            rpr = etree.SubElement(ppr, W_RPR)  # rPr is the last child of pPr we ever write
        rpr.insert(0, rpr.makeelement(tag, {}))
    for tr in root.iter(W_TR):
        tag = state(tr)
        if tag is None:
            continue
        trpr = tr.find(W_TRPR)
        if trpr is None:
            trpr = tr.makeelement(W_TRPR, {})
            tr.insert(0, trpr)
        etree.SubElement(trpr, tag)  # revisions follow the row's other properties
    for n, element in enumerate(root.iter(W_INS, W_DEL), start=1):
        element.set(qn("w:id"), str(n))
        element.set(qn("w:author"), author)
        element.set(qn("w:date"), when)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def redline_docx(rl: Redline, *, reference=None, brand=None) -> bytes:
    """The redline as a DOCX whose changes Word and LibreOffice show as tracked changes."""
    import zipfile

    from dataclasses import replace

    w = _install_docx_handlers()
    # The summary would be untracked text that Accept All keeps: the DOCX body holds only the changes.
    body = tuple(b for b in rl.document.blocks if getattr(b, "id", None) != SUMMARY_ID)
    data = w.write_docx(replace(rl.document, blocks=body), reference=reference, brand=brand)
    when = f"{rl.date.isoformat()}T00:00:00Z"
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/document.xml":
                body = _stamp_revisions(body, rl.author or DEFAULT_AUTHOR, when)
            dst.writestr(info.filename, body)
    return w.stable_zip(out.getvalue())


# --------------------------------------------------------------------------------------------
# HTML and PDF

REDLINE_CSS = """
/* redline: insertions underlined in colour, deletions struck through, a bar in the margin */
ins { color: #1a5fb4; text-decoration: underline; text-decoration-color: #1a5fb4; }
/* A single strike hides in the crossbar of a "4" or a "+": deletions are struck twice over a tint */
del { color: #c01c28; text-decoration: line-through; text-decoration-color: #c01c28;
  text-decoration-style: double; background: #fbe1e3; }
/* The bar is an ::after box, so it never takes the place of a sub-clause number (::before), and
   never on table rows: a generated box in a row becomes a cell of its own and pushes every
   cell of the row one column right. A changed row gets its bar from its first cell's border. */
.changed:not(tr) { position: relative; }
.changed:not(tr)::after { content: ""; position: absolute; top: 0; bottom: 0; left: -6mm;
  border-left: 2pt solid #c01c28; }
/* A deletion and the insertion after it are kept apart, so "4" struck and "2" added never read as "42" */
del + ins { margin-left: 0.3em; }
li .changed::after { left: -13mm; }
li li .changed::after { left: -20mm; }
li li li .changed::after { left: -27mm; }
tr.changed > td:first-child, tr.changed > th:first-child { border-left: 2.5pt solid #c01c28; }
#s-redline-summary table td:nth-child(2) { color: #c01c28; }
#s-redline-summary table td:nth-child(3) { color: #1a5fb4; }
"""

_SENTINEL = "\ue000slagen-title\ue000"


def _html_writer_class():
    from slagen.writers.html import HtmlWriter, esc

    class RedlineHtmlWriter(HtmlWriter):
        """The HTML writer, plus the redline nodes and change bars on changed blocks."""

        def __init__(self, document: Document, brand=None):
            super().__init__(document, brand)
            self.inline_writers[Inserted] = lambda n: f"<ins>{self._tracked(n)}</ins>"
            self.inline_writers[Deleted] = lambda n: f"<del>{self._tracked(n)}</del>"
            self.blocks[RedlineSection] = self.redline_section

        def _tracked(self, node) -> str:
            return "<br>".join(self.run(Run(part, bold=node.bold, italic=node.italic))
                               for part in node.text.split("\n"))

        @staticmethod
        def _bar(changed: bool) -> str:
            return " changed" if changed else ""

        def paragraph(self, p: Paragraph, depth: int) -> str:
            html = super().paragraph(p, depth)  # with its sub-clause number, as in the document
            return html.replace('class="', 'class="changed ', 1) if has_changes(p) else html

        def table(self, t: Table, depth: int) -> str:
            html = super().table(Table(header=(), rows=(), id=t.id, caption=t.caption, widths=t.widths), depth)
            head, tail = html.split("<tbody>")
            parts = [head]
            if t.header:
                cls = self._bar(has_changes(t.header)).strip()
                parts.append(f'<thead><tr class="{cls}">'.replace(' class=""', "")
                             + "".join(f"<th>{self.inlines(c)}</th>" for c in t.header) + "</tr></thead>")
            parts.append("<tbody>")
            for row in t.rows:
                cls = self._bar(has_changes(row)).strip()
                parts.append(f'<tr class="{cls}">'.replace(' class=""', "")
                             + "".join(f"<td>{self.inlines(c)}</td>" for c in row) + "</tr>")
            parts.append(tail)
            return "".join(parts)

        def redline_section(self, s: RedlineSection, depth: int) -> str:
            plain = Section(s.id, _SENTINEL, s.children, numbered=s.numbered, annex=s.annex)
            html = self.section(plain, depth)
            html = html.replace(esc(_SENTINEL), self.inlines(s.title_inlines), 1)
            # the heading (the first h-tag) carries the change bar
            at = html.index("<h")
            close = html.index(">", at)
            head = html[at:close]
            head = head.replace('class="', 'class="changed ', 1)
            return html[:at] + head + html[close:]

    return RedlineHtmlWriter


def redline_html(rl: Redline, *, brand=None, css: str | None = None) -> str:
    """The redline page in the house style of ``brand`` and ``css`` (default: the packaged library's)."""
    from slagen.writers.html import CSS_FILE

    css = (CSS_FILE.read_text(encoding="utf-8") if css is None else css) + REDLINE_CSS
    return _html_writer_class()(rl.document, brand).write(css)


def redline_pdf(rl: Redline, *, brand=None, css: str | None = None) -> bytes:
    from slagen.writers.pdf import ASSETS, html_to_pdf

    assets = brand.assets if brand is not None and brand.assets is not None else ASSETS
    return html_to_pdf(redline_html(rl, brand=brand, css=css), assets=assets)
