"""Every image the book shows, verified before any edition carries it.

A raster image is opened and decoded by Pillow within a pixel limit (a
decompression bomb, 20 KB of PNG that would be gigabytes of pixels, is
refused before it is decoded), so a corrupt or truncated file is refused
here, naming the chapter and line, instead of being dropped by one edition and
carried by the others. An SVG is parsed as XML without entities, DTDs or the
network, and refused if it declares entities or refers to anything outside
itself (``file:``, ``http:``, ``../``, any other file, an ``<?xml-stylesheet?>``),
runs script, animates a link (``<set attributeName="href" to="javascript:…">``) or
holds a foreign object: each edition would treat those differently, and a reader's
device would fetch them.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import warnings
from pathlib import Path

from lxml import etree

from publish.errors import ResourceError

MAX_PIXELS = 64_000_000  # 8,000 × 8,000: more than any printed page needs at 600 dpi
FORMATS = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif", "WEBP": "webp"}
SVG_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
LOCAL_REFERENCE = re.compile(r"^\s*#[\w.:-]*\s*$")
# A raster image embedded in the SVG itself (drawing programs write them): inside, decoded like any other
EMBEDDED = re.compile(r"^\s*data:image/(?:png|jpeg|gif|webp);base64,([A-Za-z0-9+/=\s]*)$")
CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"]*)|@import", re.IGNORECASE)
HANDLER = re.compile(r"^on[a-z]+$", re.IGNORECASE)
ACTIVE = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}
ANIMATIONS = {"set", "animate", "animatemotion", "animatetransform", "discard"}


def verify(data: bytes, path: Path, name: str, cited_in: Path | None, line: int | None = None) -> None:
    """Refuse (ResourceError) the image *data*, read from *path*, unless every edition can carry it."""
    key = (hashlib.sha256(data).hexdigest(), Path(path).suffix.lower())
    if key not in _PROBLEMS:  # remembered by content: the same bytes are judged once per process
        if len(_PROBLEMS) >= 4096:
            _PROBLEMS.clear()
        _PROBLEMS[key] = _problem(str(path), data)
    if _PROBLEMS[key]:
        raise ResourceError(f"image {name!r} {_PROBLEMS[key]}", cited_in, line)


_PROBLEMS: dict[tuple[str, str], str | None] = {}
SUFFIXES = {"png": (".png",), "jpeg": (".jpg", ".jpeg"), "gif": (".gif",), "webp": (".webp",)}


def _problem(path: str, data: bytes) -> str | None:
    """Why the image *data* (from *path*) is refused, or None."""
    suffix = Path(path).suffix.lower()
    if suffix == ".svg":
        return svg_problem(data)
    if data.lstrip()[:5] in (b"<?xml", b"<svg ", b"<svg>", b"<!DOC"):
        return svg_problem(data) or "is an SVG image without the .svg suffix: rename it"
    problem = raster_problem(data)
    if problem is None and suffix not in SUFFIXES[found := _format(data)]:  # an EPUB types it by its suffix
        return f"is a {found.upper()} image named {suffix or 'without a suffix'}: name it {SUFFIXES[found][0]}"
    return problem


def _format(data: bytes) -> str:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return FORMATS[image.format]


def raster_problem(data: bytes) -> str | None:  # a file's bytes, or those of an image embedded in an SVG
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return (f"is {width} × {height} pixels, over the {MAX_PIXELS // 1_000_000} million a book "
                            "image may be (a decompression bomb?): scale it down")
                if image.format not in FORMATS:
                    return f"is {image.format or 'an unknown'} image: use PNG, JPEG, GIF, WebP or SVG"
                image.load()  # decodes every pixel: a truncated or corrupt file fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "is a decompression bomb (far more pixels than its size suggests): scale it down"
    except UnidentifiedImageError:
        return "is not an image Pillow can read (corrupt, or not PNG, JPEG, GIF, WebP or SVG)"
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        return f"is corrupt ({' '.join(str(error).split())[:80] or type(error).__name__}): export it again"
    return None


def svg_problem(data: bytes) -> str | None:
    """Why an SVG is refused (entities, references outside itself, script), or None."""
    if re.search(rb"<!ENTITY", data, re.IGNORECASE):
        return "declares XML entities: an SVG must not (they can read files or multiply without end)"
    try:
        root = etree.fromstring(data, SVG_PARSER)
    except etree.XMLSyntaxError as error:
        return f"is not well-formed SVG ({error})"
    if root.tag.rpartition("}")[2] != "svg":
        return "is not an SVG document"
    for instruction in root.xpath("preceding-sibling::processing-instruction() | //processing-instruction()"):
        return f"holds the processing instruction <?{instruction.target} …?>: an SVG in a book must not"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.rpartition("}")[2]
        if tag in ACTIVE:
            return f"holds <{tag}>: an SVG in a book must be a picture only"
        if tag.lower() in ANIMATIONS and element.get("attributeName", "").rpartition(":")[2] in ("href", "src"):
            return f"animates a link (<{tag} attributeName={element.get('attributeName')}>): it could lead anywhere"
        if tag == "style" and _outside_css(element.text or ""):
            return f"refers to something outside itself ({_outside_css(element.text or '')})"
        for key, value in element.attrib.items():
            local = key.rpartition("}")[2]
            if HANDLER.match(local):  # onclick, onload…; not an editor's own only_selected=
                return f"holds a {local}= handler: an SVG in a book must be a picture only"
            if local in ("href", "src") and (embedded := EMBEDDED.match(value)):
                if problem := raster_problem(base64.b64decode(embedded[1])):
                    return f"embeds an image that {problem}"
            elif local in ("href", "src", "xml:base", "base") and not LOCAL_REFERENCE.match(value):
                return f"refers to something outside itself ({value[:60]!r}): embed it, or remove the reference"
            if outside := _outside_css(value):  # style=, fill=, filter=, mask=… may all hold url(…)
                return f"refers to something outside itself ({outside})"
    return None


def _outside_css(css: str) -> str | None:
    """The first url(…) or @import in *css* that is not a reference inside the same document."""
    for match in CSS_URL.finditer(css):
        if match[0].lower() == "@import" or not LOCAL_REFERENCE.match(match[1] or ""):
            return match[0][:60]
    return None
