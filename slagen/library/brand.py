"""The house style: one ``brand.yaml`` in a library's ``contract_templates/`` drives both writers.

    logo: logo.png                 # a PNG or SVG file in contract_templates/, or leave it out
    primary_colour: "#1F3A5F"      # headings, the cover title, table header rows
    accent_colour: "#8C8C8C"       # rules under the running header, the cover subtitle
    body_font: DejaVu Serif        # a bundled font, or a font file here: fonts/House-Regular.ttf
    heading_font: DejaVu Serif
    cover_layout: centred          # centred or left
    footer_text: ""                # printed on every page after the cover, before the page number

The PDF gets a small CSS block made from it (:func:`brand_css`, placed before print.css, which
uses its variables); the DOCX gets a reference document built from it
(:mod:`slagen.writers.reference_docx`). Both writers put the same logo on the cover. A logo that
is not a readable PNG or SVG, or a font file that is not a font, is reported with the file and
line of brand.yaml, before anything is rendered.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from slagen.errors import SlagenError

BUNDLED_FONTS = {
    # family name -> (regular, bold, italic, bold italic), in the library's fonts/ folder
    "DejaVu Serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf",
                     "DejaVuSerif-BoldItalic.ttf"),
}
COVER_LAYOUTS = ("centred", "left")
_KEYS = ("logo", "primary_colour", "accent_colour", "body_font", "heading_font", "cover_layout", "footer_text")
# US spellings a provider may write; each means the British key (give one of the two)
_ALIASES = {"primary_color": "primary_colour", "accent_color": "accent_colour"}
_LAYOUT_ALIASES = {"centered": "centred", "center": "centred", "centre": "centred"}
_COLOUR = re.compile(r"^#?([0-9A-Fa-f]{6})$")
_FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")


class BrandError(SlagenError):
    """A brand.yaml, logo or font file that cannot be used."""


@dataclass(frozen=True)
class Font:
    family: str  # the name both writers use: CSS font-family and the DOCX's w:rFonts
    faces: tuple[tuple[str, str, Path], ...]  # (weight, style, file) for the PDF's @font-face rules


@dataclass(frozen=True)
class Logo:
    data: bytes
    kind: str  # "png" or "svg"
    width: float  # intrinsic size, in pixels (PNG) or user units (SVG): only the ratio is used
    height: float
    file: Path


@dataclass(frozen=True)
class Brand:
    primary_colour: str = "1F3A5F"  # six hex digits, upper case, no '#'
    accent_colour: str = "8C8C8C"
    body_font: Font = Font("DejaVu Serif", ())
    heading_font: Font = Font("DejaVu Serif", ())
    logo: Logo | None = None
    cover_layout: str = "centred"
    footer_text: str = ""
    assets: Path | None = None  # the folder the font and logo files are in (contract_templates/)

    @property
    def logo_height_cm(self) -> float:
        """The logo on the cover: 2 cm high, no wider than 7 cm."""
        if self.logo is None:
            return 0.0
        return min(2.0, 7.0 * self.logo.height / self.logo.width)

    @property
    def logo_width_cm(self) -> float:
        if self.logo is None:
            return 0.0
        return self.logo_height_cm * self.logo.width / self.logo.height


def load_brand(path: Path) -> Brand:
    """The brand in ``path`` (a brand.yaml); every value checked, every file opened."""
    return _load_brand(Path(path), *_state(Path(path)))


def _state(path: Path) -> tuple:
    try:
        stat = path.stat()
        return (stat.st_size, stat.st_mtime_ns)
    except OSError:
        return (None, None)


@lru_cache(maxsize=8)
def _load_brand(path: Path, *_state) -> Brand:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    if not path.is_file():
        raise BrandError(f"{path}: error: the library has no brand file (brand.yaml)")
    try:
        data = YAML(typ="rt", pure=True).load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise BrandError(f"{path}: error: the brand file is not UTF-8 text") from None
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise BrandError(f"{where}: error: the brand file is not valid YAML: "
                         f"{getattr(exc, 'problem', None) or exc}") from None
    data = data if data is not None else {}
    if not isinstance(data, dict):
        raise BrandError(f"{path}: error: the brand file must be a mapping of keys such as primary_colour: "
                         '"#1F3A5F"')
    reader = _Reader(path, data)
    for key in data:
        meant = _ALIASES.get(key, key)
        if meant not in _KEYS:
            import difflib

            close = difflib.get_close_matches(str(key), [*_KEYS, *_ALIASES], n=1)
            hint = f"; did you mean '{_ALIASES.get(close[0], close[0])}'?" if close else ""
            reader.fail(key, f"unknown key '{key}'{hint} (known: {', '.join(_KEYS)})")
        if meant in reader.written:
            reader.fail(key, f"'{key}' and '{reader.written[meant]}' are the same setting; give it once")
        reader.written[meant] = key
    layout = reader.text("cover_layout", "centred")
    layout = _LAYOUT_ALIASES.get(layout, layout)
    if layout not in COVER_LAYOUTS:
        reader.fail("cover_layout", f"cover_layout '{layout}' must be one of {', '.join(COVER_LAYOUTS)}")
    return Brand(
        primary_colour=reader.colour("primary_colour", Brand.primary_colour),
        accent_colour=reader.colour("accent_colour", Brand.accent_colour),
        body_font=reader.font("body_font"),
        heading_font=reader.font("heading_font"),
        logo=reader.logo("logo"),
        cover_layout=layout,
        footer_text=reader.text("footer_text", ""),
        assets=path.parent,
    )


class _Reader:
    """Reads brand.yaml's values; a wrong one is reported at its line and column."""

    def __init__(self, path: Path, data):
        self.path = path
        self.data = data
        self.folder = path.parent
        self.written: dict[str, str] = {}  # each key as brand.yaml spells it (primary_color for primary_colour)

    def fail(self, key: str, message: str):
        key = self.written.get(key, key)
        try:
            line, column = self.data.lc.value(key) if key in self.data else self.data.lc.key(key)
            where = f"{self.path}:{line + 1}:{column + 1}"
        except (AttributeError, KeyError, TypeError):
            where = str(self.path)
        raise BrandError(f"{where}: error: {message}")

    def text(self, key: str, default: str) -> str:
        value = self.data.get(self.written.get(key, key), default)
        if value is None:
            return default
        if not isinstance(value, str):
            self.fail(key, f"{key} must be text")
        if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", value):
            self.fail(key, f"{key} contains invisible control characters")
        return value

    def colour(self, key: str, default: str) -> str:
        value = self.text(key, "")
        if not value:
            return default
        match = _COLOUR.match(value.strip())
        if not match:
            self.fail(key, f"{key} '{value}' is not a colour: write it as six hexadecimal digits, "
                           'for example "#1F3A5F" (in quotes)')
        return match.group(1).upper()

    def file(self, key: str, value: str) -> Path:
        file = (self.folder / value).resolve()
        if self.folder.resolve() not in file.parents:
            self.fail(key, f"{key} '{value}' must be a file inside the library's contract_templates folder")
        if not file.is_file():
            self.fail(key, f"{key}: there is no file '{value}' next to the brand file")
        return file

    def font(self, key: str) -> Font:
        value = self.text(key, "DejaVu Serif").strip()
        if value in BUNDLED_FONTS:
            faces = []
            for (weight, style), name in zip((("normal", "normal"), ("bold", "normal"), ("normal", "italic"),
                                             ("bold", "italic")), BUNDLED_FONTS[value]):
                file = self.folder / "fonts" / name
                if not file.is_file():
                    self.fail(key, f"the bundled font '{value}' is missing from the library (fonts/{name})")
                faces.append((weight, style, file))
            return Font(value, tuple(faces))
        if not value.lower().endswith(_FONT_SUFFIXES):
            self.fail(key, f"{key} '{value}' is neither a bundled font ({', '.join(BUNDLED_FONTS)}) nor a font "
                           f"file ({', '.join(_FONT_SUFFIXES)}) in the library")
        file = self.file(key, value)
        family = font_family(file)
        if family is None:
            self.fail(key, f"{key} '{value}' is not a font: the file cannot be read as TrueType, OpenType or WOFF")
        return Font(family, (("normal", "normal", file),))

    def logo(self, key: str) -> Logo | None:
        value = self.text(key, "").strip()
        if not value:
            return None
        file = self.file(key, value)
        data = file.read_bytes()
        size = png_size(data)
        if size is not None:
            return Logo(data, "png", *size, file)
        size = svg_size(data)
        if size is not None:
            return Logo(data, "svg", *size, file)
        self.fail(key, f"logo '{value}' is not a readable PNG or SVG image")


def font_family(file: Path) -> str | None:
    """The family name a font file declares, or None when the file is not a font."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(file, lazy=True) as font:
            names = font["name"]
            for name_id in (16, 1):  # the typographic family first, then the legacy family
                record = names.getName(name_id, 3, 1) or names.getName(name_id, 1, 0)
                if record is not None and str(record).strip():
                    return str(record).strip()
    except (TTLibError, KeyError, OSError, struct.error, ValueError, AssertionError, UnicodeDecodeError):
        return None
    return None


def png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, read from its IHDR chunk; None when it is not a complete PNG."""
    if len(data) < 33 or not data.startswith(b"\x89PNG\r\n\x1a\n") or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    if width == 0 or height == 0 or b"IEND" not in data[-12:]:
        return None
    from io import BytesIO

    from PIL import Image

    # The header can be whole while the pixels are not: decode them all, as the writers would.
    try:
        with Image.open(BytesIO(data)) as image:
            image.load()
    except Exception:  # Pillow raises many kinds of error for a damaged file
        return None
    return width, height


def svg_size(data: bytes) -> tuple[float, float] | None:
    """(width, height) of an SVG image from its viewBox or size; None when it is not SVG."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(data)
    except (ET.ParseError, ValueError):
        return None
    if root.tag not in ("svg", "{http://www.w3.org/2000/svg}svg"):
        return None
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        if len(box) == 4 and float(box[2]) > 0 and float(box[3]) > 0:
            return float(box[2]), float(box[3])
        width = float(re.sub(r"[a-z%]+$", "", root.get("width", "")))
        height = float(re.sub(r"[a-z%]+$", "", root.get("height", "")))
    except ValueError:
        return None
    return (width, height) if width > 0 and height > 0 else None


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def brand_css(brand: Brand) -> str:
    """The CSS block placed before print.css: the brand's fonts and its colours as variables."""
    lines = ["/* From brand.yaml: fonts and colours (print.css uses these variables). */"]
    seen = set()
    for font in (brand.body_font, brand.heading_font):
        for weight, style, file in font.faces:
            if (font.family, weight, style) in seen:
                continue
            seen.add((font.family, weight, style))
            url = file.relative_to(brand.assets).as_posix() if brand.assets else file.as_uri()
            lines.append(f"@font-face {{ font-family: {_css_string(font.family)}; src: url({_css_string(url)}); "
                         f"font-weight: {weight}; font-style: {style}; }}")
    lines.append(
        ":root { "
        f"--brand-primary: #{brand.primary_colour}; --brand-accent: #{brand.accent_colour}; "
        f"--brand-body-font: {_css_string(brand.body_font.family)}; "
        f"--brand-heading-font: {_css_string(brand.heading_font.family)}; }}"
    )
    return "\n".join(lines) + "\n"
