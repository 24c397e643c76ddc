"""Document tree -> PDF: the HTML writer's page, laid out by WeasyPrint.

Safety: the URL fetcher serves only files inside ``contract_templates/`` (the bundled fonts);
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

from slagen.document import Document
from slagen.errors import UsageError
from slagen.writers.html import ASSETS, write_html

PDF_VARIANTS = ("pdf/a-3u",)


def _asset_path(url: str) -> Path | None:
    """The bundled file ``url`` names, or None when it names anything else."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(os.path.realpath(unquote(parts.path)))
    root = Path(os.path.realpath(ASSETS))
    if root not in path.parents or not path.is_file():
        return None
    return path


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetFetcher(URLFetcher):
        """Serves the project's own bundled assets and nothing else."""

        def fetch(self, url, headers=None):
            path = _asset_path(url)
            if path is None:
                raise ValueError(f"slagen loads only its bundled assets; refused {url!r}")
            return URLFetcherResponse(path.as_uri(), body=path.read_bytes())

    return AssetFetcher(allowed_protocols=("file",))


def html_to_pdf(html: str, *, variant: str | None = None, epoch: int = 0) -> bytes:
    """WeasyPrint alone, with slagen's fetcher and options (the benchmark's baseline)."""
    return render_pdf_html(html, variant=variant, epoch=epoch)[0]


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


def _layout_text(rendered) -> str:
    """The text WeasyPrint drew on every page, margin boxes included, in page order."""
    from weasyprint.formatting_structure import boxes

    out = []
    for page in rendered.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TextBox):
                out.append(box.text)
        out.append("\f")
    return "\n".join(out)


def render_pdf_html(html: str, *, variant: str | None = None, epoch: int = 0) -> tuple[bytes, str]:
    """PDF bytes and the text laid out on its pages (for the output check)."""
    return _render(html, variant=variant, epoch=epoch)[:2]


def _render(html: str, *, variant: str | None = None, epoch: int = 0):
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    if variant is not None and variant not in PDF_VARIANTS:
        raise UsageError(f"error: '{variant}' is not a PDF variant slagen makes; use one of {', '.join(PDF_VARIANTS)}")
    font_config = FontConfiguration()
    rendered = HTML(string=html, base_url=ASSETS.as_uri() + "/", url_fetcher=_fetcher()).render(
        font_config=font_config
    )
    with _source_date(epoch):
        data = rendered.write_pdf(pdf_variant=variant, pdf_identifier=True)
    return data, _layout_text(rendered), rendered


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


def page_numbers(document: Document) -> dict[str, int]:
    """Where each clause starts in the PDF layout of ``document`` (a layout only, no PDF written)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    rendered = HTML(string=write_html(document), base_url=ASSETS.as_uri() + "/", url_fetcher=_fetcher()).render(
        font_config=FontConfiguration())
    return _pages_of(rendered, document)


def render_pdf(document: Document, *, variant: str | None = None,
               pages: dict[str, int] | None = None) -> tuple[bytes, str]:
    """PDF bytes and laid-out text; ``pages``, when given, receives each clause's page number."""
    epoch = int(datetime.combine(document.date, time(0), tzinfo=timezone.utc).timestamp())
    data, text, rendered = _render(write_html(document), variant=variant, epoch=epoch)
    if pages is not None:
        pages.update(_pages_of(rendered, document))
    return data, text


def write_pdf(document: Document, *, variant: str | None = None) -> bytes:
    """The document as PDF bytes; ``variant='pdf/a-3u'`` for archiving."""
    return render_pdf(document, variant=variant)[0]
