"""Numbering definitions (word/numbering.xml) shared by reference.docx and the DOCX writer.

One place says which ``w:numId`` means what, so the script that builds
``contract_templates/reference.docx`` and the writer that fills it cannot drift apart:

* ``HEADING_NUM`` -- ONE multi-level legal list (1 / 1.1 / 1.1.1) whose levels are linked to
  the Heading 1..3 styles (``w:pStyle`` in the level, ``w:numPr`` in the style), so Word and
  LibreOffice number headings themselves and the TOC picks the numbers up.
* ``ANNEX_NUM`` -- a separate list for annexes: "Annex A —", then A.1, A.1.1; not in the
  1 / 1.1 sequence.
* ``BULLET_NUM`` -- bullets (three levels for nested lists).
* ``DECIMAL_ABSTRACT`` -- ordered lists "1." / "(a)" / "(i)". Each ordered list of a document
  gets its own ``w:num`` over this abstract definition with ``w:startOverride``, so every
  list restarts at 1 (see :func:`add_list_instance`).
"""

from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

HEADING_ABSTRACT, ANNEX_ABSTRACT, BULLET_ABSTRACT, DECIMAL_ABSTRACT = 0, 1, 2, 3
HEADING_NUM, ANNEX_NUM, BULLET_NUM, DECIMAL_NUM = 1, 2, 3, 4
FIRST_FREE_NUM = 5  # list instances the writer adds start here

HEADING_STYLES = ("Heading1", "Heading2", "Heading3")
ANNEX_STYLE = "AnnexHeading"
MAX_LEVELS = 9  # Word expects nine levels in a multi-level list


def _lvl(
    ilvl: int,
    fmt: str,
    text: str,
    *,
    left: int,
    hanging: int,
    style: str = "",
    legal: bool = False,
    suffix: str = "tab",
    font: str = "",
) -> str:
    parts = [f'<w:lvl w:ilvl="{ilvl}">', '<w:start w:val="1"/>', f'<w:numFmt w:val="{fmt}"/>']
    if style:
        parts.append(f'<w:pStyle w:val="{style}"/>')
    if legal:
        parts.append("<w:isLgl/>")
    if suffix != "tab":
        parts.append(f'<w:suff w:val="{suffix}"/>')
    parts.append(f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>')
    tab = f'<w:tabs><w:tab w:val="num" w:pos="{left}"/></w:tabs>' if suffix == "tab" else ""
    parts.append(f'<w:pPr>{tab}<w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr>')
    if font:
        parts.append(f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/></w:rPr>')
    parts.append("</w:lvl>")
    return "".join(parts)


def _dotted(n: int) -> str:
    return ".".join(f"%{i}" for i in range(1, n + 1))


def _abstract(abstract_id: int, nsid: str, levels: list[str]) -> str:
    # nsid/tmpl are fixed (not random) so the same template always has the same bytes.
    return (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:nsid w:val="{nsid}"/><w:multiLevelType w:val="multilevel"/>'
        f'<w:tmpl w:val="{nsid}"/>' + "".join(levels) + "</w:abstractNum>"
    )


def heading_levels() -> list[str]:
    """1 / 1.1 / 1.1.1 ... legal numbering; levels 0..2 belong to Heading 1..3."""
    levels = []
    for i in range(MAX_LEVELS):
        indent = 567 + 142 * i  # 1 cm, then a little more per level
        levels.append(
            _lvl(
                i,
                "decimal",
                _dotted(i + 1),
                left=indent,
                hanging=indent,
                style=HEADING_STYLES[i] if i < len(HEADING_STYLES) else "",
                legal=i > 0,
            )
        )
    return levels


def annex_levels() -> list[str]:
    """Annex A — / A.1 / A.1.1: the letter of the annex, then decimals."""
    levels = [_lvl(0, "upperLetter", "Annex %1 —", left=0, hanging=0, style=ANNEX_STYLE, suffix="space")]
    for i in range(1, MAX_LEVELS):
        indent = 567 + 142 * i
        levels.append(_lvl(i, "decimal", _dotted(i + 1), left=indent, hanging=indent))
    return levels


def bullet_levels() -> list[str]:
    marks = ("•", "–", "◦")
    return [
        _lvl(i, "bullet", marks[i % 3], left=425 * (i + 1), hanging=283, font="Arial")
        for i in range(MAX_LEVELS)
    ]


def decimal_levels() -> list[str]:
    formats = (("decimal", "%{n}."), ("lowerLetter", "(%{n})"), ("lowerRoman", "(%{n})"))
    levels = []
    for i in range(MAX_LEVELS):
        fmt, pattern = formats[i % 3]
        levels.append(_lvl(i, fmt, pattern.format(n=i + 1), left=425 * (i + 1), hanging=425))
    return levels


def numbering_children() -> list:
    """The abstract definitions and the four standing ``w:num`` instances, as elements."""
    abstracts = [
        _abstract(HEADING_ABSTRACT, "5C4A0001", heading_levels()),
        _abstract(ANNEX_ABSTRACT, "5C4A0002", annex_levels()),
        _abstract(BULLET_ABSTRACT, "5C4A0003", bullet_levels()),
        _abstract(DECIMAL_ABSTRACT, "5C4A0004", decimal_levels()),
    ]
    nums = [
        f'<w:num {nsdecls("w")} w:numId="{num}"><w:abstractNumId w:val="{abstract}"/></w:num>'
        for num, abstract in (
            (HEADING_NUM, HEADING_ABSTRACT),
            (ANNEX_NUM, ANNEX_ABSTRACT),
            (BULLET_NUM, BULLET_ABSTRACT),
            (DECIMAL_NUM, DECIMAL_ABSTRACT),
        )
    ]
    return [parse_xml(x) for x in abstracts + nums]


def add_list_instance(numbering, num_id: int, abstract_id: int, levels: int = 3) -> None:
    """Append a ``w:num`` that restarts every level at 1: one per ordered list.

    Word and LibreOffice both continue a list across paragraphs sharing a ``w:numId``; a new
    instance with ``w:startOverride`` is how a second ordered list starts again at 1.
    """
    num = numbering.makeelement(qn("w:num"), {qn("w:numId"): str(num_id)})
    abstract = num.makeelement(qn("w:abstractNumId"), {qn("w:val"): str(abstract_id)})
    num.append(abstract)
    for ilvl in range(levels):
        override = num.makeelement(qn("w:lvlOverride"), {qn("w:ilvl"): str(ilvl)})
        override.append(override.makeelement(qn("w:startOverride"), {qn("w:val"): "1"}))
        num.append(override)
    numbering.append(num)
