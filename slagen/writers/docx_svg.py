"""An SVG picture in a DOCX, the way Word 2016 and later store one.

WordprocessingML pictures are raster images; Word keeps an SVG as an extension of the picture
(``asvg:svgBlip`` in the blip's ``extLst``), the raster image being the fallback older readers
show. slagen has no SVG rasteriser, so the fallback is a transparent pixel the size of nothing:
Word and LibreOffice draw the SVG itself.
"""

from __future__ import annotations

import base64
from io import BytesIO

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_NAMESPACE = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
# A 1x1 transparent PNG: the fallback for readers that do not know svgBlip.
TRANSPARENT_PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg==")


def svg_inline(part, svg: bytes, width, height):
    """A ``wp:inline`` showing ``svg`` at ``width`` x ``height`` (EMU lengths)."""
    inline = part.new_pic_inline(BytesIO(TRANSPARENT_PIXEL), width, height)
    svg_part = Part(PackURI("/word/media/logo.svg"), "image/svg+xml", svg, part.package)
    rid = part.relate_to(svg_part, RT.IMAGE)
    blip = next(inline.iter(f"{{{A}}}blip"))
    ext_list = etree.SubElement(blip, f"{{{A}}}extLst")
    ext = etree.SubElement(ext_list, f"{{{A}}}ext", uri=SVG_EXTENSION)
    svg_blip = etree.SubElement(ext, f"{{{SVG_NAMESPACE}}}svgBlip", nsmap={"asvg": SVG_NAMESPACE})
    svg_blip.set(qn("r:embed"), rid)
    return inline
