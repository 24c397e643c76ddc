"""The brand's fonts, embedded in the DOCX, so Word lays it out in the house font on any computer.

A reader without the brand's font installed would otherwise see Word's substitute, with other
widths: other line and page breaks, and contents page numbers that no longer hold. Each face the
brand has a file for (regular, bold, italic, bold italic) is embedded, subset by fontTools to the
characters the document uses plus the printable Latin-1 range (so that a page number, a date or
a word typed later still has its glyphs): about 25 KB a face. As ECMA-376 Part 1, 17.8.1 says:

* the font file is a part of its own (``word/fonts/fontN.odttf``) related to the font table;
* it is obfuscated: its first 32 bytes are XORed with the 16 bytes of a GUID (the font key,
  written in the font table), read from the GUID's last hex pair to its first;
* ``w:embedTrueTypeFonts`` and ``w:saveSubsetFonts`` in the settings tell Word to use them.

The key is derived from the subset's bytes, not random, so the same document gives the same
bytes. Font licences: the bundled DejaVu fonts may be embedded; a provider's own font file is
embedded only when its OS/2 table allows it (fsType without the 'restricted' bit), and only
with TrueType outlines (a CFF-flavoured .otf is left to the reader's computer, as before).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from slagen.library.brand import Brand

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
# (weight, style) of a brand face -> the font table's element for it
EMBED_TAGS = {("normal", "normal"): "w:embedRegular", ("bold", "normal"): "w:embedBold",
              ("normal", "italic"): "w:embedItalic", ("bold", "italic"): "w:embedBoldItalic"}
# Always kept in a subset: printable ASCII and Latin-1, and the typographic marks documents use.
ALWAYS = {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x100)} | set("–—‘’“”•…€™−")
RESTRICTED_LICENSE = 0x0002  # OS/2 fsType: the font's licence forbids embedding
# CT_Settings is a sequence: the embedding switches come after these elements and before the rest.
_BEFORE_EMBEDDING = ("w:writeProtection", "w:view", "w:zoom", "w:removePersonalInformation",
                     "w:removeDateAndTime", "w:doNotDisplayPageBoundaries", "w:displayBackgroundShape",
                     "w:printPostScriptOverText", "w:printFractionalCharacterWidth", "w:printFormsData")


def font_key(data: bytes) -> str:
    """The GUID that obfuscates ``data``, as the font table writes it: {XXXXXXXX-XXXX-...}."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """XOR the first 32 bytes with the key's 16 bytes (the GUID's hex pairs, last to first). The
    same operation undoes it."""
    key_bytes = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ key_bytes[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def subset(file: Path, characters: set[str]) -> bytes | None:
    """The font in ``file`` cut down to ``characters``; None when its licence forbids embedding.
    Kept per process: an agreement and its SOW, or a server's renders, mostly ask the same."""
    stat = file.stat()
    return _subset(file, stat.st_size, stat.st_mtime_ns, frozenset(characters))


@lru_cache(maxsize=32)
def _subset(file: Path, size: int, modified: int, characters: frozenset[str]) -> bytes | None:
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(file), recalcTimestamp=False, lazy=True)
    if "OS/2" in font and font["OS/2"].fsType & RESTRICTED_LICENSE:
        return None
    if "glyf" not in font:  # CFF outlines (.otf): Word embeds TrueType fonts only
        return None
    font.flavor = None  # a .woff or .woff2 file is embedded as the plain TrueType font inside it
    options = ft_subset.Options()
    options.name_IDs = ["*"]  # keep the family name: Word matches the embedded font by it
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    # Pair kerning is kept (LibreOffice applies it, as the PDF does); other OpenType layout and the
    # hinting instructions go: they change no advance width, and cost most of the subsetting time.
    options.layout_features = ["kern"]
    options.hinting = False
    options.drop_tables = [*options.drop_tables, "FFTM"]  # FontForge's timestamps: of no use to Word
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in characters})
    log = logging.getLogger("fontTools.subset")
    level = log.level
    log.setLevel(logging.ERROR)  # it reports each table it drops, which is no news to a user
    try:
        subsetter.subset(font)
    finally:
        log.setLevel(level)
    out = BytesIO()
    font.save(out)
    return out.getvalue()


def document_characters(wdoc) -> set[str]:
    """Every character in the document's text, headers and footers."""
    found: set[str] = set()
    parts = [wdoc.part, *(rel.target_part for rel in wdoc.part.rels.values()
                          if rel.reltype in (RT.HEADER, RT.FOOTER))]
    for part in parts:
        for text in part.element.iter(qn("w:t"), qn("w:instrText")):
            found.update(text.text or "")
    return found


def embed_fonts(wdoc, brand: Brand) -> None:
    """Embed the brand's body and heading font faces that have files, subset to this document."""
    families = {brand.body_font.family: brand.body_font, brand.heading_font.family: brand.heading_font}
    faces = [(family, weight, style, file) for family, font in sorted(families.items())
             for weight, style, file in font.faces if (weight, style) in EMBED_TAGS]
    if not faces:
        return
    characters = document_characters(wdoc) | ALWAYS
    table_part = wdoc.part.part_related_by(RT.FONT_TABLE)
    table = etree.fromstring(table_part.blob)
    embedded = 0
    for number, (family, weight, style, file) in enumerate(faces, 1):
        data = subset(file, characters)
        if data is None:
            continue
        key = font_key(data)
        part = Part(PackURI(f"/word/fonts/font{number}.odttf"), OBFUSCATED_FONT, obfuscate(data, key),
                    wdoc.part.package)
        rid = table_part.relate_to(part, RT.FONT)
        entry = _font_entry(table, family)
        embed = etree.SubElement(entry, qn(EMBED_TAGS[(weight, style)]))
        embed.set(qn("r:id"), rid)
        embed.set(qn("w:fontKey"), key)
        embedded += 1
    if not embedded:
        return
    for entry in table.iter(qn("w:font")):  # the schema orders a font's embed elements
        _order_embeds(entry)
    table_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    _switch_on(wdoc.settings.element)


def _font_entry(table, family: str):
    for entry in table.iter(qn("w:font")):
        if entry.get(qn("w:name")) == family:
            return entry
    entry = etree.SubElement(table, qn("w:font"))
    entry.set(qn("w:name"), family)
    return entry


_EMBED_ORDER = [qn(tag) for tag in ("w:embedRegular", "w:embedBold", "w:embedItalic", "w:embedBoldItalic")]


def _order_embeds(entry) -> None:
    embeds = sorted((child for child in entry if child.tag in _EMBED_ORDER), key=lambda c: _EMBED_ORDER.index(c.tag))
    for child in embeds:  # the embed elements are the last of a w:font's children
        entry.remove(child)
        entry.append(child)


def _switch_on(settings) -> None:
    if settings.find(qn("w:embedTrueTypeFonts")) is not None:
        return
    switches = [settings.makeelement(qn("w:embedTrueTypeFonts"), {}), settings.makeelement(qn("w:saveSubsetFonts"), {})]
    before = [child for child in settings if child.tag in {qn(t) for t in _BEFORE_EMBEDDING}]
    if before:
        anchor = before[-1]
        for switch in reversed(switches):
            anchor.addnext(switch)
    else:
        for switch in reversed(switches):
            settings.insert(0, switch)
