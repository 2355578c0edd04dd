"""The ebook's cover image: the manuscript's own, or a typographic one made from the metadata.

The typographic cover is drawn with Pillow in the vendored EB Garamond at
1600 × 2560 pixels (the 1:1.6 ratio the stores ask for), and its PNG bytes
are the same on every build: no timestamps, no randomness.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from publish import frontmatter, lang, safety
from publish.book import Book, Metadata
from publish.errors import ResourceError
from publish.styles import Styles

SIZE = (1600, 2560)
MARGIN = 170
PAPER = (244, 239, 230)
INK = (33, 29, 25)
ACCENT = (138, 47, 28)
# Small capitals need Pillow's raqm layout; without it the contribution line is set in capitals.
SMALL_CAPS = ["c2sc", "smcp"] if features.check("raqm") else None
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".webp": "image/webp", ".svg": "image/svg+xml"}


@dataclass(frozen=True)
class Cover:
    """The cover image as it goes into the package, with the alt text of its page."""

    name: str  # path inside the package
    media_type: str
    data: bytes
    alt: str


def cover(book: Book, styles: Styles) -> Cover:
    """The manuscript's cover if ``book.yaml`` names one, else a typographic cover."""
    meta = book.metadata
    if meta.cover:
        path = manuscript_image(book.root, meta.cover, Path(book.root) / "book.yaml")
        alt = lang.words(meta).get("cover-of", title=meta.title)
        return Cover(meta.cover, media_type(path), path.read_bytes(), alt)
    return Cover("cover.png", "image/png", typographic_cover(meta, styles), cover_alt(meta))


def cover_alt(meta: Metadata) -> str:
    """What the typographic cover says, as a sentence."""
    return lang.words(meta).get("cover-alt", title=frontmatter.title_line(meta), byline=frontmatter.byline(meta).text)


def manuscript_image(root: Path, name: str, cited_in: Path) -> Path:
    """The file *name* inside the manuscript folder, of a type an EPUB may hold; else a ResourceError."""
    path = safety.resolve_image(name, Path(root), cited_in)
    media_type(path, cited_in)
    return path


def media_type(path: Path, cited_in: Path | None = None) -> str:
    try:
        return MEDIA_TYPES[path.suffix.lower()]
    except KeyError:
        raise ResourceError(
            f"image {path.name!r}: an EPUB takes {', '.join(sorted(MEDIA_TYPES))} images", cited_in or path
        ) from None


def typographic_cover(meta: Metadata, styles: Styles) -> bytes:
    """A PNG cover: title, rule, subtitle above; contribution and author below."""
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * MARGIN
    draw.rectangle((60, 60, SIZE[0] - 61, SIZE[1] - 61), outline=ACCENT, width=6)
    y = _block(draw, meta.title, _font(styles, "12-Regular", 150), 520, width, INK, leading=1.18)
    y += 90
    draw.line((SIZE[0] / 2 - 160, y, SIZE[0] / 2 + 160, y), fill=ACCENT, width=5)
    if meta.subtitle:
        _block(draw, meta.subtitle, _font(styles, "12-Italic", 86), y + 110, width, INK, leading=1.3)
    author_y = SIZE[1] - 470
    if meta.contribution:
        lead = frontmatter.byline(meta).lead
        _block(draw, _spaced_caps(lead), _font(styles, "12-Regular", 64), author_y - 120, width, ACCENT,
               features=SMALL_CAPS)
    _block(draw, meta.author, _font(styles, "12-Regular", 100), author_y, width, INK)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _font(styles: Styles, style: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(styles.fonts_dir / f"EBGaramond{style}.otf"), size)


def _spaced_caps(text: str) -> str:
    """Letter-spaced with hair spaces; capitals for Pillow builds without raqm (no small caps there)."""
    letters = text if SMALL_CAPS else text.upper()
    return "  ".join("\u200a".join(word) for word in letters.split())


def _block(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, top: float, width: int,
           fill: tuple[int, int, int], leading: float = 1.25, features: list[str] | None = None) -> float:
    """Draw *text* centred and wrapped to *width* from *top*; return the y below it."""
    line_height = font.size * leading
    lines = _wrap(text, font, width)
    for number, line in enumerate(lines):
        draw.text((SIZE[0] / 2, top + number * line_height), line, font=font, fill=fill, anchor="ma",
                  features=features)
    return top + len(lines) * line_height


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap; a word wider than the line is left to overflow rather than cut."""
    lines: list[str] = []
    for word in filter(None, text.split(" ")):  # only plain spaces break: hair spaces letter-space a word
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]
