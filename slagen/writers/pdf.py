"""Document tree -> PDF: the HTML writer's page, laid out by WeasyPrint.

Safety: the URL fetcher serves only files inside the library's ``contract_templates/`` (the
bundled fonts, the brand's fonts and logo);
anything else (network, other files, data URLs) is refused. Repeatability: the creation and
modification dates come from the document (the contract's effective date), the file identifier
is a hash of the content, and the fonts are bundled, so the same contract gives the same bytes.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import datetime, time, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

from slagen.library.brand import Brand
from slagen.document import Document
from slagen.errors import UsageError
from slagen.writers.html import ASSETS, write_html
from slagen.writers.weasy import import_weasyprint

PDF_VARIANTS = ("pdf/a-3u",)
# Every PDF is tagged (headings, paragraphs, lists, tables and figures with their alternative text
# in a structure tree, for screen readers). An archival PDF/A-3 that is tagged is PDF/A-3 level A,
# which holds everything level U asks for (text as Unicode) besides: that is what --pdf-variant
# pdf/a-3u gets. WeasyPrint makes PDF/UA-1 only as a variant of its own, not together with PDF/A.
_WEASYPRINT_VARIANT = {"pdf/a-3u": "pdf/a-3a"}


def _asset_path(url: str, assets: Path = ASSETS) -> Path | None:
    """The bundled file ``url`` names, or None when it names anything else."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(os.path.realpath(unquote(parts.path)))
    root = Path(os.path.realpath(assets))
    if root not in path.parents or not path.is_file():
        return None
    return path


def _fetcher(assets: Path = ASSETS):
    import_weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetFetcher(URLFetcher):
        """Serves the library's own assets and nothing else."""

        def fetch(self, url, headers=None):
            path = _asset_path(url, assets)
            if path is None:
                raise ValueError(f"slagen loads only its bundled assets; refused {url!r}")
            return URLFetcherResponse(path.as_uri(), body=path.read_bytes())

    return AssetFetcher(allowed_protocols=("file",))


def html_to_pdf(html: str, *, variant: str | None = None, epoch: int = 0, assets: Path = ASSETS) -> bytes:
    """WeasyPrint alone, with slagen's fetcher and options (the benchmark's baseline)."""
    return render_pdf_html(html, variant=variant, epoch=epoch, assets=assets)[0]


@contextmanager
def _source_date(epoch: int):
    """Font subsets carry a 'modified' timestamp that fontTools takes from the clock unless
    SOURCE_DATE_EPOCH is set (the reproducible-builds convention): pin it for this render."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


class LayoutError(UsageError):
    """Text that WeasyPrint laid out beyond the page's content box: it would be cut off."""

    def __init__(self, page: int, text: str):
        self.page, self.text = page, text
        self.shown = shown = text if len(text) <= 60 else text[:57] + "..."
        super().__init__(f"error: the text '{shown}' on page {page} runs past the edge of the page and would be "
                         "cut off; shorten it or add spaces to it")


class CoverLayoutError(LayoutError):
    """A cover that runs onto a second page: the reader finds the date and status on a page of their own."""

    def __init__(self, page: int, text: str):
        super().__init__(page, text)
        self.args = ("error: the cover does not fit on one page (it runs onto page 2 from "
                     f"'{self.shown}'); shorten the title or the parties' names, or use a smaller logo",)


class JustifiedGapError(LayoutError):
    """A justified line stretched so far that its gaps read as missing words."""

    def __init__(self, page: int, text: str):
        super().__init__(page, text)
        self.args = (f"error: the line '{self.shown}' on page {page} is stretched with gaps wider than "
                     f"{MOST_SPACES_IN_A_GAP} spaces by what follows it; add spaces to the long text after it",)


# Half a CSS pixel: rounding in the layout, never a visible overflow.
_TOLERANCE = 0.5
# A justified line may widen its spaces, but a gap of more than four reads as a hole in the sentence.
MOST_SPACES_IN_A_GAP = 4


def _laid_out_text(rendered) -> str:
    """The text WeasyPrint drew on every page, margin boxes included, in page order; raises
    LayoutError for the first text box of the body that lies outside its page's content box, for
    a cover that runs onto a second page, and for a justified line with holes in it."""
    from weasyprint.formatting_structure import boxes

    out = []
    for number, page in enumerate(rendered.pages, 1):
        page_box = page._page_box
        left, top = page_box.content_box_x(), page_box.content_box_y()
        right, bottom = left + page_box.width, top + page_box.height
        for child in page_box.children:
            in_margin = isinstance(child, boxes.MarginBox)  # header and footer live outside on purpose
            for box in child.descendants():
                if number > 1 and not in_margin and _is_cover(box):
                    raise CoverLayoutError(number, _first_text(box))
                if isinstance(box, boxes.LineBox) and not in_margin:
                    _no_holes(number, box)
                if not isinstance(box, boxes.TextBox):
                    continue
                out.append(box.text)
                if not in_margin and (box.position_x < left - _TOLERANCE
                                      or box.position_x + box.width > right + _TOLERANCE
                                      or box.position_y + box.height > bottom + _TOLERANCE):
                    raise LayoutError(number, box.text)
        out.append("\f")
    return "\n".join(out)


# Each pass sets ragged paragraphs found by the one before; a second is rare, a fourth never needed.
_LAYOUT_PASSES = 3


def _lay_out(html: str, assets: Path):
    """WeasyPrint's layout of ``html``. A justified paragraph with holes in a line (a long name or
    token pushed to the next line) is set ragged right instead, and the page laid out again."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    page = HTML(string=html, base_url=assets.as_uri() + "/", url_fetcher=_fetcher(assets))
    rendered = page.render(font_config=FontConfiguration())
    for _ in range(_LAYOUT_PASSES - 1):
        holey = _holey_paragraphs(rendered)
        if not holey:
            break
        for element in holey:
            element.set("style", "text-align: left")
        rendered = page.render(font_config=FontConfiguration())
    return rendered


def _holey_paragraphs(rendered) -> list:
    """The elements whose justified lines have gaps wider than MOST_SPACES_IN_A_GAP, in page order."""
    from weasyprint.formatting_structure import boxes

    found: dict[int, object] = {}
    for number, page in enumerate(rendered.pages, 1):
        for child in page._page_box.children:
            if isinstance(child, boxes.MarginBox):
                continue
            for box in child.descendants():
                if isinstance(box, boxes.LineBox) and box.element is not None:
                    try:
                        _no_holes(number, box)
                    except JustifiedGapError:
                        found.setdefault(id(box.element), box.element)
    return list(found.values())


def _is_cover(box) -> bool:
    element = getattr(box, "element", None)
    return (element is not None and getattr(box, "element_tag", None) == "section"
            and "cover" in (element.get("class") or "").split())


def _first_text(box) -> str:
    from weasyprint.formatting_structure import boxes

    return next((b.text for b in box.descendants() if isinstance(b, boxes.TextBox) and b.text.strip()), "")


def _no_holes(page: int, line) -> None:
    """JustifiedGapError when justification widened the spaces of ``line`` past MOST_SPACES_IN_A_GAP."""
    from weasyprint.formatting_structure import boxes

    texts = [b for b in line.descendants() if isinstance(b, boxes.TextBox)]
    for text in texts:
        if text.justification_spacing and " " in text.text:
            # a gap is one space of the font plus what justification added to it
            if text.justification_spacing > (MOST_SPACES_IN_A_GAP - 1) * _space_width(text.style) + _TOLERANCE:
                raise JustifiedGapError(page, "".join(t.text for t in texts).strip())


def _space_width(style) -> float:
    """The width of one space in the box's font and size, as Pango measures it."""
    key = (tuple(style["font_family"]), style["font_size"], style["font_weight"], style["font_style"])
    width = _SPACE_WIDTHS.get(key)
    if width is None:
        from weasyprint.text.line_break import create_layout, line_size

        layout = create_layout(" ", style, None, None, 0)
        width = _SPACE_WIDTHS[key] = line_size(layout.get_first_line()[0], style)[0]
    return width


_SPACE_WIDTHS: dict[tuple, float] = {}


def render_pdf_html(html: str, *, variant: str | None = None, epoch: int = 0,
                    assets: Path = ASSETS) -> tuple[bytes, str]:
    """PDF bytes and the text laid out on its pages (for the output check)."""
    return _render(html, variant=variant, epoch=epoch, assets=assets)[:2]


def _render(html: str, *, variant: str | None = None, epoch: int = 0, assets: Path = ASSETS):
    import_weasyprint()
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    if variant is not None and variant not in PDF_VARIANTS:
        raise UsageError(f"error: '{variant}' is not a PDF variant slagen makes; use one of {', '.join(PDF_VARIANTS)}")
    rendered = _lay_out(html, assets)
    text = _laid_out_text(rendered)  # before writing: an overflowing page is not worth the bytes
    with _source_date(epoch):
        data = rendered.write_pdf(pdf_variant=_weasyprint_variant(variant), pdf_identifier=True, pdf_tags=True)
    return data, text, rendered


def _weasyprint_variant(variant: str | None) -> str | None:
    """The tagged form of ``variant`` where this WeasyPrint makes it (else ``variant``, tagged by pdf_tags)."""
    from weasyprint.pdf import VARIANTS

    tagged = _WEASYPRINT_VARIANT.get(variant or "")
    return tagged if tagged in VARIANTS else variant


def _pages_of(rendered, document: Document) -> dict[str, int]:
    """Section id -> the page (1-based) its heading is laid out on, for every top-level section."""
    from slagen.document import Section
    from slagen.writers.html import anchor

    first_page: dict[str, int] = {}
    for number, page in enumerate(rendered.pages, start=1):
        for name in page.anchors:
            first_page.setdefault(name, number)
    return {b.id: first_page[anchor(b.id)] for b in document.blocks
            if isinstance(b, Section) and anchor(b.id) in first_page}


def _assets(brand: Brand | None) -> Path:
    return brand.assets if brand is not None and brand.assets is not None else ASSETS


def page_numbers(document: Document, *, brand: Brand | None = None, css: str | None = None) -> dict[str, int]:
    """Where each clause starts in the PDF layout of ``document`` (a layout only, no PDF written)."""
    import_weasyprint()
    rendered = _lay_out(write_html(document, css, brand), _assets(brand))
    return _pages_of(rendered, document)


def render_pdf(document: Document, *, variant: str | None = None, brand: Brand | None = None,
               css: str | None = None, pages: dict[str, int] | None = None) -> tuple[bytes, str]:
    """PDF bytes and laid-out text, in the house style of ``brand`` with ``css`` (default: the packaged
    library's); ``pages``, when given, receives each clause's page number."""
    epoch = int(datetime.combine(document.date, time(0), tzinfo=timezone.utc).timestamp())
    data, text, rendered = _render(write_html(document, css, brand), variant=variant, epoch=epoch,
                                   assets=_assets(brand))
    if pages is not None:
        pages.update(_pages_of(rendered, document))
    return data, text


def write_pdf(document: Document, *, variant: str | None = None, brand: Brand | None = None,
              css: str | None = None) -> bytes:
    """The document as PDF bytes; ``variant='pdf/a-3u'`` for archiving."""
    return render_pdf(document, variant=variant, brand=brand, css=css)[0]
