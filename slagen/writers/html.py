"""Document tree -> HTML for print (WeasyPrint), one small function per node type.

Every piece of text is escaped with ``html.escape``: the tree holds plain text only, so nothing
in a contract can become markup here. Section numbers are computed once (:func:`numbering`) and
used by both the headings and the contents list, so the two always agree.
"""

from __future__ import annotations

import dataclasses
import html
import re
from datetime import date
from pathlib import Path
from typing import Callable

from slagen.library.brand import Brand, brand_css
from slagen.document import (
    Reference,
    annex_letter,
    numbers,
    Cover,
    Document,
    Figure,
    LineBreak,
    ListBlock,
    PageBreak,
    Paragraph,
    Run,
    Section,
    SignatureBlock,
    Value,
    Table,
    TableOfContents,
    logo_text,
    running_header,
)
from slagen.library.folder import default_library

SUBJECT_TO_CONTRACT = "Subject to contract"
ASSETS = default_library().template_dir  # the packaged default's print.css, brand.yaml and fonts
CSS_FILE = default_library().print_css
# print.css lays out A4; other papers override only the page size, margins stay the same.
PAPER_CSS = {"letter": "\n@page { size: letter; }\n"}


def esc(value: str) -> str:
    return html.escape(value, quote=True)


# Longer than any ordinary word: a URL, a reference, a name written without spaces.
_LONG_TOKEN = re.compile(r"(\S{25,})")


def esc_text(value: str) -> str:
    """Escaped text for an element's content. A long token is marked so that it may break
    anywhere (print.css, ``.token``) instead of running off the page or widening its table column;
    ordinary words keep their normal line breaking, so narrow columns do not split them."""
    return "".join(f'<span class="token">{esc(part)}</span>' if i % 2 else esc(part)
                   for i, part in enumerate(_LONG_TOKEN.split(value)))


def anchor(section_id: str) -> str:
    return "s-" + re.sub(r"[^A-Za-z0-9_.-]", "-", section_id)


def numbering(blocks) -> dict[str, str]:
    """Section id (and anchor) -> its number: the one numbering every writer uses."""
    return numbers(blocks)


class HtmlWriter:
    def __init__(self, document: Document, brand: Brand | None = None):
        self.document = document
        self.brand = brand if brand is not None else default_library().brand()
        self.numbers = numbering(document.blocks)
        self.blocks: dict[type, Callable] = {
            Paragraph: self.paragraph,
            ListBlock: self.list_block,
            Table: self.table,
            Section: self.section,
            TableOfContents: self.contents,
            PageBreak: self.page_break,
            SignatureBlock: self.signatures,
            Figure: self.figure,
        }
        self.inline_writers: dict[type, Callable] = {Run: self.run, LineBreak: self.line_break,
                                                     Reference: self.reference, Value: self.run}
        self.clause_number = ""  # the number of the clause being written: its sub-clauses' prefix
        self.in_annex = False  # directly inside an annex: its sections are clauses with sub-clauses

    # ---- inlines -----------------------------------------------------------------------------

    def run(self, run: Run) -> str:
        out = esc_text(run.text)
        if run.italic:
            out = f"<em>{out}</em>"
        if run.bold:
            out = f"<strong>{out}</strong>"
        return out

    def reference(self, ref: Reference) -> str:
        """The number printed (so every reader and converter sees it), linked to its target."""
        if not ref.target:
            return self.run(ref)
        return f'<a class="ref" href="#{esc(anchor(ref.target))}">{self.run(ref)}</a>'

    def line_break(self, _node: LineBreak) -> str:
        return "<br>"

    def inlines(self, inlines) -> str:
        return "".join(self.inline_writers[type(i)](i) for i in inlines)

    # ---- blocks ------------------------------------------------------------------------------

    def block(self, block, depth: int) -> str:
        return self.blocks[type(block)](block, depth)

    @staticmethod
    def _id(p: Paragraph) -> str:
        return f' id="{esc(anchor(p.anchor))}"' if p.anchor else ""

    def paragraph(self, p: Paragraph, depth: int) -> str:
        if p.numbered and self.clause_number:
            # The number itself comes from a CSS counter (print.css); data-clause is its prefix.
            return (f'<p class="{esc(p.style)} subclause" data-clause="{esc(self.clause_number)}"{self._id(p)}>'
                    f'{self.inlines(p.inlines)}</p>')
        return f'<p class="{esc(p.style)}"{self._id(p)}>{self.inlines(p.inlines)}</p>'

    def list_block(self, lst: ListBlock, depth: int) -> str:
        tag = "ol" if lst.ordered else "ul"
        cls = ' class="lettered"' if lst.lettered else ""
        parts = []
        for item in lst.items:
            first = item[0] if item else None
            ident, blocks = "", item
            if isinstance(first, Paragraph) and first.anchor:
                # The item carries the anchor (a reference lands on its letter), so its paragraph does
                # not repeat it: an id given twice is a broken link target in the PDF.
                ident, blocks = self._id(first), (dataclasses.replace(first, anchor=""), *item[1:])
            parts.append(f"<li{ident}>" + "".join(self.block(b, depth) for b in blocks) + "</li>")
        return f"<{tag}{cls}>{''.join(parts)}</{tag}>"

    def table(self, t: Table, depth: int) -> str:
        parts = [f'<table id="{esc(anchor(t.id))}">' if t.id else "<table>"]
        if t.caption:
            parts.append(f"<caption>{esc_text(t.caption)}</caption>")
        if t.widths:
            total = sum(t.widths) or 1
            parts.append("<colgroup>" + "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in t.widths)
                         + "</colgroup>")
        if t.header:
            parts.append("<thead><tr>" + "".join(f"<th>{self.inlines(c)}</th>" for c in t.header) + "</tr></thead>")
        parts.append("<tbody>")
        for row in t.rows:
            parts.append("<tr>" + "".join(f"<td>{self.inlines(c)}</td>" for c in row) + "</tr>")
        parts.append("</tbody></table>")
        return "".join(parts)

    def section(self, s: Section, depth: int) -> str:
        number = self.numbers.get(s.id, "")
        saved = self.clause_number, self.in_annex
        if (depth == 0 and not s.annex) or (self.in_annex and depth == 1):
            self.clause_number = number  # a clause of the body (12) or of an annex (B.2)
        else:
            self.clause_number = ""
        self.in_annex = self.in_annex or (depth == 0 and s.annex)
        try:
            return self._section(s, depth, number)
        finally:
            self.clause_number, self.in_annex = saved

    def _section(self, s: Section, depth: int, number: str) -> str:
        level = min(depth + 1, 6)
        classes = "section annex" if s.annex else "section"
        label = f'<span class="number">{esc(number)}</span> ' if number else ""
        title = f"{label}{esc_text(s.title)}"
        if s.annex and number:
            title = f'<span class="number">{esc(number)}</span><span class="annex-title">{esc_text(s.title)}</span>'
        body = self.children(s.children, depth + 1)
        return (f'<section class="{classes}" id="{esc(anchor(s.id))}">'
                f'<h{level} class="level-{level}">{title}</h{level}>{body}</section>')

    def children(self, blocks, depth: int) -> str:
        """A section's blocks; signature lines are kept on one page with the sentence leading in."""
        if blocks and isinstance(blocks[-1], SignatureBlock):
            lead = 2 if len(blocks) > 1 and isinstance(blocks[-2], Paragraph) else 1
            head = "".join(self.block(b, depth) for b in blocks[:-lead])
            signing = "".join(self.block(b, depth) for b in blocks[-lead:])
            return f'{head}<div class="signing">{signing}</div>'
        return "".join(self.block(b, depth) for b in blocks)

    def contents(self, toc: TableOfContents, depth: int) -> str:
        items = []
        for block in self.document.blocks:
            if isinstance(block, Section):
                number = self.numbers.get(block.id, "")
                cls = "annex" if block.annex else "clause"
                title = f"{number} \u2014 {block.title}" if block.annex else block.title  # as the DOCX's
                num = "" if block.annex else f'<span class="number">{esc(number)}</span>'
                items.append(f'<li class="{cls}"><a href="#{esc(anchor(block.id))}">{num}'
                             f'<span class="title">{esc_text(title)}</span></a></li>')
        return (f'<nav class="contents"><h1 class="contents-title">{esc(toc.title)}</h1>'
                f'<ol>{"".join(items)}</ol></nav>')

    def page_break(self, _node: PageBreak, depth: int) -> str:
        return '<div class="page-break"></div>'

    def signatures(self, block: SignatureBlock, depth: int) -> str:
        cells = []
        for party in block.parties:
            lines = "".join(f'<div class="sign-line"><span>{label}</span></div>'
                            for label in (block.signature_label or "Signature", "Name", "Title", "Date"))
            heading = f"{esc_text(block.heading)}<br>" if block.heading else ""
            cells.append(f'<td><p class="signed-for">{heading}'
                         f'<strong>{esc_text(party)}</strong></p>{lines}</td>')
        return f'<table class="signatures"><tr>{"".join(cells)}</tr></table>'

    def figure(self, fig: Figure, depth: int) -> str:
        # Inline SVG (the fetcher loads no data: URLs); the prolog goes, the size becomes width_cm.
        svg = re.sub(r"^\s*(<\?xml[^>]*>|<!DOCTYPE[^>]*>|\s)*", "", fig.svg.decode("utf-8"))
        box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
        height = fig.width_cm * float(box[2]) / float(box[1]) if box else fig.width_cm / 2
        svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"',
                     lambda m: f'<svg{m[1]} width="{fig.width_cm:.2f}cm" height="{height:.2f}cm"', svg, count=1)
        if fig.alt:  # an SVG's <title> is its alternative text (WeasyPrint's tagged PDF, screen readers)
            svg = re.sub(r"(<svg[^>]*>)", lambda m: f'{m[1]}<title>{esc(fig.alt)}</title>', svg, count=1)
        caption = f"<figcaption>{esc_text(fig.caption)}</figcaption>" if fig.caption else ""
        ident = f' id="{esc(anchor(fig.id))}"' if fig.id else ""
        return f'<figure class="chart"{ident} style="margin:3mm 0;page-break-inside:avoid">{svg}{caption}</figure>'

    # ---- the document ------------------------------------------------------------------------

    def cover(self, cover: Cover) -> str:
        parties = "".join(f'<p class="party">{esc_text(p)}</p>' for p in cover.parties)
        between = '<p class="between">between</p>' if cover.parties else ""
        if len(cover.parties) == 2:
            parties = (f'<p class="party">{esc_text(cover.parties[0])}</p><p class="between">and</p>'
                       f'<p class="party">{esc_text(cover.parties[1])}</p>')
        draft = '<p class="draft-mark">DRAFT</p>' if cover.draft else ""
        layout = " left" if self.brand.cover_layout == "left" else ""
        layout += " with-logo" if self.brand.logo is not None else ""
        if cover.subject_to_contract:
            draft += f'<p class="subject-to-contract">{esc(cover.legend or SUBJECT_TO_CONTRACT)}</p>'
        if cover.subtitle:  # as in the DOCX: no empty line where a document has no subtitle
            draft += f'<p class="cover-subtitle">{esc_text(cover.subtitle)}</p>'
        return (
            f'<section class="cover{layout}">{self.logo()}'
            f'{draft}<p class="cover-title">{esc_text(cover.title)}</p>{between}{parties}'
            '<table class="cover-details">'
            f'<tr><th>{esc(cover.reference_label)}</th><td>{esc_text(cover.reference)}</td></tr>'
            f'<tr><th>Version</th><td>{esc_text(cover.version)}</td></tr>'
            f'<tr><th>Date</th><td>{esc(_long_date(cover.date, self.document.language))}</td></tr>'
            + (f'<tr><th>Status</th><td>{"Draft for discussion" if cover.draft else "Final"}</td></tr>'
               if cover.shows_status else "")
            + "</table></section>"
        )

    def logo(self) -> str:
        """The brand's logo, by its file's URL: the PDF's fetcher serves files of the library only."""
        brand = self.brand
        if brand.logo is None:
            return ""
        return (f'<p class="cover-logo"><img src="{esc(brand.logo.file.as_uri())}" alt="{esc(logo_text(self.document))}" '
                f'style="width:{brand.logo_width_cm:.2f}cm;height:{brand.logo_height_cm:.2f}cm"></p>')

    def write(self, css: str | None = None) -> str:
        d = self.document
        stamp = f"{d.date.isoformat()}T00:00:00Z"  # from the contract, never the clock
        meta = [
            ("author", d.author), ("description", d.subject), ("keywords", ", ".join(d.keywords)),
            ("generator", "slagen"), ("dcterms.created", stamp), ("dcterms.modified", stamp),
        ]
        head = "".join(f'<meta name="{n}" content="{esc(v)}">' for n, v in meta if v)
        css = brand_css(self.brand) + (CSS_FILE.read_text(encoding="utf-8") if css is None else css)
        css += PAPER_CSS.get(d.paper, "")
        header_text = running_header(d)
        body = "".join(self.block(b, 0) for b in d.blocks)
        cover = self.cover(d.cover) if d.cover else ""
        footer = (f'<div class="running-footer">{esc(self.brand.footer_text)}</div>'
                  if self.brand.footer_text else "")
        return (
            f'<!DOCTYPE html><html lang="{esc(d.language)}"><head><meta charset="utf-8">'
            f"<title>{esc(d.title)} ({esc(d.reference)})</title>{head}<style>{css}</style></head>"
            f'<body class="{esc(d.kind)}{" draft" if d.draft else ""}">'
            f'<div class="running-header">{esc_text(header_text)}</div>{footer}{cover}{body}</body></html>'
        )


def _long_date(value: date, language: str) -> str:
    from slagen.calendar.locale_style import format_long_date

    return format_long_date(value, language.replace("-", "_"))


def write_html(document: Document, css: str | None = None, brand: Brand | None = None) -> str:
    """The whole document as one HTML page, styled for print by the brand and ``print.css``."""
    return HtmlWriter(document, brand).write(css)
